// Runs the upstream per-op interpreter tests of the shared corpus
// (stablehlo/interpret/*.mlir, chlo/mulhi.mlir) that only use element-wise
// ops, against this library. The files are read in place; a tiny reader
// handles the restricted shape of these tests:
//
//   %x = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
//   %y = stablehlo.add %x, %x : tensor<2xi32>
//   check.expect_eq_const %y, dense<[2, 4]> : tensor<2xi32>
//
// Test functions using anything else are skipped (and counted), so the test
// measures exactly the element-wise semantics.
#include <cmath>
#include <complex>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "compiler/ir/float16.h"
#include "compiler/kernels/elementwise/binary.h"
#include "compiler/kernels/elementwise/compare.h"
#include "compiler/kernels/elementwise/convert.h"
#include "compiler/kernels/elementwise/iota_complex.h"
#include "compiler/kernels/elementwise/select_clamp.h"
#include "compiler/kernels/elementwise/unary.h"
#include "tests/util/corpus.h"

namespace backplane::kernels {
namespace {

using ir::ElementType;
using ir::Literal;
using ir::TensorType;

// --- Types and dense literals ------------------------------------------

std::optional<TensorType> ParseTensorType(const std::string& text) {
  // text: "tensor<2x3xf32>" (possibly with trailing characters).
  size_t start = text.find("tensor<");
  if (start == std::string::npos) return std::nullopt;
  size_t i = start + 7;
  int depth = 1;
  size_t end = i;
  while (end < text.size() && depth > 0) {
    if (text[end] == '<') ++depth;
    if (text[end] == '>') --depth;
    ++end;
  }
  std::string body = text.substr(i, end - i - 1);
  std::vector<int64_t> dims;
  while (!body.empty() && std::isdigit(static_cast<unsigned char>(body[0]))) {
    size_t x = body.find('x');
    if (x == std::string::npos) return std::nullopt;
    dims.push_back(std::stoll(body.substr(0, x)));
    body = body.substr(x + 1);
  }
  std::optional<ElementType> type = ir::ElementTypeFromMlir(body);
  if (!type) return std::nullopt;
  return TensorType(*type, dims);
}

// The last tensor type in a statement (the result type).
std::optional<TensorType> LastTensorType(const std::string& statement) {
  size_t pos = statement.rfind("tensor<");
  if (pos == std::string::npos) return std::nullopt;
  return ParseTensorType(statement.substr(pos));
}

bool StoreScalar(ElementType type, const std::string& token, uint8_t* dst) {
  const bool hex = token.rfind("0x", 0) == 0 || token.rfind("0X", 0) == 0;
  const int size = ir::ElementByteSize(type);
  if (type == ElementType::kPred) {
    *dst = token == "true" || token == "1";
    return token == "true" || token == "false" || token == "1" || token == "0";
  }
  if (ir::IsInteger(type)) {
    uint64_t bits = ir::IsUnsignedInteger(type) || hex
                        ? std::strtoull(token.c_str(), nullptr, 0)
                        : static_cast<uint64_t>(
                              std::strtoll(token.c_str(), nullptr, 10));
    const int width = ir::ElementBitWidth(type);
    if (width < 8) {
      bits &= (uint64_t{1} << width) - 1;
      if (ir::IsSignedInteger(type) && (bits >> (width - 1)) & 1) {
        bits |= ~uint64_t{0} << width;
      }
    }
    std::memcpy(dst, &bits, size);
    return true;
  }
  if (hex) {
    const uint64_t bits = std::strtoull(token.c_str(), nullptr, 16);
    std::memcpy(dst, &bits, size);
    return true;
  }
  const double d = std::strtod(token.c_str(), nullptr);
  switch (type) {
    case ElementType::kF64:
      std::memcpy(dst, &d, 8);
      return true;
    case ElementType::kF32: {
      const float f = std::strtof(token.c_str(), nullptr);
      std::memcpy(dst, &f, 4);
      return true;
    }
    case ElementType::kF16: {
      const uint16_t h = ir::DoubleToHalf(d);
      std::memcpy(dst, &h, 2);
      return true;
    }
    case ElementType::kBF16: {
      const uint16_t h = ir::DoubleToBF16(d);
      std::memcpy(dst, &h, 2);
      return true;
    }
    default:
      return false;
  }
}

std::optional<Literal> ParseDense(const std::string& body,
                                  const TensorType& type) {
  // Tokens: scalars, or (re, im) pairs for complex.
  std::vector<std::vector<std::string>> values;
  std::string token;
  std::vector<std::string> pair;
  bool in_pair = false;
  auto flush = [&] {
    if (token.empty()) return;
    if (in_pair) {
      pair.push_back(token);
    } else {
      values.push_back({token});
    }
    token.clear();
  };
  for (char c : body) {
    if (c == '(') {
      in_pair = true;
      pair.clear();
    } else if (c == ')') {
      flush();
      in_pair = false;
      values.push_back(pair);
    } else if (c == '[' || c == ']' || c == ',' || std::isspace(
                                                       static_cast<unsigned char>(c))) {
      flush();
    } else {
      token += c;
    }
  }
  flush();
  Literal lit(type);
  const int64_t n = lit.element_count();
  if (values.empty() || (values.size() != 1 && values.size() != size_t(n))) {
    return std::nullopt;
  }
  const ElementType et = type.element_type();
  const int size = ir::ElementByteSize(et);
  for (int64_t i = 0; i < n; ++i) {
    const std::vector<std::string>& v = values[values.size() == 1 ? 0 : i];
    uint8_t* dst = lit.untyped_data() + i * size;
    if (ir::IsComplex(et)) {
      const ElementType part = ir::ComplexComponentType(et);
      if (v.size() != 2 || !StoreScalar(part, v[0], dst) ||
          !StoreScalar(part, v[1], dst + size / 2)) {
        return std::nullopt;
      }
    } else if (v.size() != 1 || !StoreScalar(et, v[0], dst)) {
      return std::nullopt;
    }
  }
  return lit;
}

// dense<...> body of a statement.
std::optional<std::string> DenseBody(const std::string& s) {
  size_t start = s.find("dense<");
  if (start == std::string::npos) return std::nullopt;
  size_t i = start + 6;
  int depth = 1;
  size_t end = i;
  while (end < s.size() && depth > 0) {
    if (s[end] == '<') ++depth;
    if (s[end] == '>') --depth;
    ++end;
  }
  if (depth != 0) return std::nullopt;
  return s.substr(i, end - i - 1);
}

// --- Comparing results -------------------------------------------------

bool ElementsMatch(const Literal& actual, const Literal& expected,
                   bool almost, std::string* why) {
  if (actual.type() != expected.type()) {
    *why = absl::StrCat("type ", actual.type().ToString(), " vs ",
                        expected.type().ToString());
    return false;
  }
  const ElementType t = actual.element_type();
  const bool floaty = ir::IsFloat(t) || ir::IsComplex(t);
  if (!floaty) {
    if (actual.BitwiseEquals(expected)) return true;
    *why = absl::StrCat(actual.ToMlirDenseBody(), " vs ",
                        expected.ToMlirDenseBody());
    return false;
  }
  auto close = [&](double a, double e) {
    if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
    if (!almost) return a == e && std::signbit(a) == std::signbit(e);
    if (std::isinf(a) || std::isinf(e)) return a == e;
    return std::fabs(a - e) <= 1e-4 * std::fmax(1.0, std::fabs(e));
  };
  for (int64_t i = 0; i < actual.element_count(); ++i) {
    if (!close(actual.GetAsDouble(i), expected.GetAsDouble(i)) ||
        !close(actual.GetImagAsDouble(i), expected.GetImagAsDouble(i))) {
      *why = absl::StrCat("element ", i, ": ", actual.ToMlirDenseBody(),
                          " vs ", expected.ToMlirDenseBody());
      return false;
    }
  }
  return true;
}

// --- Op table ------------------------------------------------------------

using OpFn = std::function<absl::StatusOr<Literal>(
    const std::vector<Literal>&, const std::string& statement)>;

std::map<std::string, OpFn> OpTable() {
  std::map<std::string, OpFn> table;
  const std::pair<const char*, UnaryOp> unary[] = {
      {"abs", UnaryOp::kAbs},
      {"cbrt", UnaryOp::kCbrt},
      {"ceil", UnaryOp::kCeil},
      {"cosine", UnaryOp::kCosine},
      {"count_leading_zeros", UnaryOp::kCountLeadingZeros},
      {"exponential", UnaryOp::kExponential},
      {"exponential_minus_one", UnaryOp::kExponentialMinusOne},
      {"floor", UnaryOp::kFloor},
      {"log", UnaryOp::kLog},
      {"log_plus_one", UnaryOp::kLogPlusOne},
      {"logistic", UnaryOp::kLogistic},
      {"negate", UnaryOp::kNegate},
      {"not", UnaryOp::kNot},
      {"popcnt", UnaryOp::kPopcnt},
      {"round_nearest_afz", UnaryOp::kRoundNearestAfz},
      {"round_nearest_even", UnaryOp::kRoundNearestEven},
      {"rsqrt", UnaryOp::kRsqrt},
      {"sign", UnaryOp::kSign},
      {"sine", UnaryOp::kSine},
      {"sqrt", UnaryOp::kSqrt},
      {"tan", UnaryOp::kTan},
      {"tanh", UnaryOp::kTanh},
  };
  for (const auto& [name, op] : unary) {
    table[absl::StrCat("stablehlo.", name)] =
        [op = op](const std::vector<Literal>& a,
                  const std::string&) -> absl::StatusOr<Literal> {
      if (a.size() != 1) return absl::InvalidArgumentError("arity");
      return Unary(op, a[0]);
    };
  }
  const std::pair<const char*, BinaryOp> binary[] = {
      {"stablehlo.add", BinaryOp::kAdd},
      {"stablehlo.and", BinaryOp::kAnd},
      {"stablehlo.atan2", BinaryOp::kAtan2},
      {"stablehlo.divide", BinaryOp::kDivide},
      {"stablehlo.maximum", BinaryOp::kMaximum},
      {"stablehlo.minimum", BinaryOp::kMinimum},
      {"stablehlo.multiply", BinaryOp::kMultiply},
      {"stablehlo.or", BinaryOp::kOr},
      {"stablehlo.power", BinaryOp::kPower},
      {"stablehlo.remainder", BinaryOp::kRemainder},
      {"stablehlo.shift_left", BinaryOp::kShiftLeft},
      {"stablehlo.shift_right_arithmetic", BinaryOp::kShiftRightArithmetic},
      {"stablehlo.shift_right_logical", BinaryOp::kShiftRightLogical},
      {"stablehlo.subtract", BinaryOp::kSubtract},
      {"stablehlo.xor", BinaryOp::kXor},
      {"chlo.mulhi", BinaryOp::kMulhi},
      {"chlo.next_after", BinaryOp::kNextAfter},
  };
  for (const auto& [name, op] : binary) {
    table[name] = [op = op](const std::vector<Literal>& a,
                            const std::string&) -> absl::StatusOr<Literal> {
      if (a.size() != 2) return absl::InvalidArgumentError("arity");
      return Binary(op, a[0], a[1]);
    };
  }
  table["stablehlo.select"] = [](const std::vector<Literal>& a,
                                 const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 3) return absl::InvalidArgumentError("arity");
    return Select(a[0], a[1], a[2]);
  };
  table["stablehlo.clamp"] = [](const std::vector<Literal>& a,
                                const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 3) return absl::InvalidArgumentError("arity");
    return Clamp(a[0], a[1], a[2]);
  };
  table["stablehlo.complex"] = [](const std::vector<Literal>& a,
                                  const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 2) return absl::InvalidArgumentError("arity");
    return Complex(a[0], a[1]);
  };
  table["stablehlo.real"] = [](const std::vector<Literal>& a,
                               const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 1) return absl::InvalidArgumentError("arity");
    return Real(a[0]);
  };
  table["stablehlo.imag"] = [](const std::vector<Literal>& a,
                               const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 1) return absl::InvalidArgumentError("arity");
    return Imag(a[0]);
  };
  table["stablehlo.is_finite"] = [](const std::vector<Literal>& a,
                                    const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 1) return absl::InvalidArgumentError("arity");
    return IsFinite(a[0]);
  };
  table["stablehlo.convert"] = [](const std::vector<Literal>& a,
                                  const std::string& s) -> absl::StatusOr<Literal> {
    std::optional<TensorType> to = LastTensorType(s);
    if (a.size() != 1 || !to) return absl::InvalidArgumentError("convert");
    return Convert(a[0], to->element_type());
  };
  table["stablehlo.bitcast_convert"] =
      [](const std::vector<Literal>& a,
         const std::string& s) -> absl::StatusOr<Literal> {
    std::optional<TensorType> to = LastTensorType(s);
    if (a.size() != 1 || !to) return absl::InvalidArgumentError("bitcast");
    return BitcastConvert(a[0], to->element_type());
  };
  table["stablehlo.compare"] = [](const std::vector<Literal>& a,
                                  const std::string& s) -> absl::StatusOr<Literal> {
    static const std::regex kCompare(
        R"(compare\s+(\w+),\s*%\w+,\s*%\w+(?:,\s*(\w+))?)");
    std::smatch m;
    if (a.size() != 2 || !std::regex_search(s, m, kCompare)) {
      return absl::InvalidArgumentError("compare syntax");
    }
    std::optional<ComparisonDirection> dir =
        ComparisonDirectionFromName(m[1].str());
    std::optional<CompareType> type =
        m[2].matched ? CompareTypeFromName(m[2].str()) : CompareType::kDefault;
    if (!dir || !type) return absl::InvalidArgumentError("compare attrs");
    return Compare(*dir, *type, a[0], a[1]);
  };
  return table;
}

// --- Running a file ------------------------------------------------------

struct Tally {
  int passed = 0;
  std::vector<std::string> skipped;
  std::vector<std::string> failures;
};

// Joins physical lines into statements (a dense literal may span lines).
std::vector<std::string> Statements(const std::string& chunk) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (absl::string_view line : absl::StrSplit(chunk, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "//")) continue;
    current += (current.empty() ? "" : " ") + std::string(line);
    for (char c : line) {
      if (c == '[' || c == '(') ++depth;
      if (c == ']' || c == ')') --depth;
    }
    if (depth <= 0 && !absl::EndsWith(line, ",")) {
      out.push_back(current);
      current.clear();
      depth = 0;
    }
  }
  return out;
}

void RunChunk(const std::string& file, const std::string& chunk,
              const std::map<std::string, OpFn>& ops, Tally* tally) {
  static const std::regex kFunc(R"(^func\.func @(\w+)\(\))");
  static const std::regex kConstant(R"(^%(\w+) = stablehlo\.constant )");
  static const std::regex kOp(
      R"(^%(\w+) = (?:\"([\w.]+)\"|([a-z]+\.\w+))(.*)$)");
  static const std::regex kCheck(
      R"(^check\.(expect_eq_const|expect_almost_eq_const) %(\w+),)");
  std::string name;
  std::map<std::string, Literal> values;
  bool supported = true;
  int checks = 0;
  std::string failure;
  auto finish = [&] {
    if (name.empty()) return;
    if (!supported || checks == 0) {
      tally->skipped.push_back(absl::StrCat(file, " @", name));
    } else if (failure.empty()) {
      ++tally->passed;
    } else {
      tally->failures.push_back(absl::StrCat(file, " @", name, ": ", failure));
    }
    name.clear();
    values.clear();
    supported = true;
    checks = 0;
    failure.clear();
  };
  for (const std::string& s : Statements(chunk)) {
    std::smatch m;
    if (std::regex_search(s, m, kFunc)) {
      finish();
      name = m[1].str();
      continue;
    }
    if (name.empty() || !supported) continue;
    if (s == "func.return" || s == "}") continue;
    if (std::regex_search(s, m, kConstant)) {
      std::optional<std::string> body = DenseBody(s);
      std::optional<TensorType> type = LastTensorType(s);
      std::optional<Literal> lit;
      if (body && type) lit = ParseDense(*body, *type);
      if (!lit) {
        supported = false;
        continue;
      }
      values[m[1].str()] = *std::move(lit);
      continue;
    }
    if (std::regex_search(s, m, kCheck)) {
      auto it = values.find(m[2].str());
      std::optional<std::string> body = DenseBody(s);
      std::optional<TensorType> type = LastTensorType(s);
      std::optional<Literal> expected;
      if (body && type) expected = ParseDense(*body, *type);
      if (it == values.end() || !expected) {
        supported = false;
        continue;
      }
      ++checks;
      std::string why;
      if (failure.empty() &&
          !ElementsMatch(it->second, *expected,
                         m[1].str() == "expect_almost_eq_const", &why)) {
        failure = why;
      }
      continue;
    }
    if (std::regex_search(s, m, kOp)) {
      const std::string op = m[2].matched ? m[2].str() : m[3].str();
      auto fn = ops.find(op);
      if (fn == ops.end()) {
        supported = false;
        continue;
      }
      // Operands: every %name before the type signature.
      const std::string rest = m[4].str();
      const std::string head = rest.substr(0, rest.find(" : "));
      std::vector<Literal> args;
      static const std::regex kOperand(R"(%(\w+))");
      for (std::sregex_iterator it(head.begin(), head.end(), kOperand), end;
           it != end; ++it) {
        auto v = values.find((*it)[1].str());
        if (v == values.end()) {
          supported = false;
          break;
        }
        args.push_back(v->second);
      }
      if (!supported) continue;
      absl::StatusOr<Literal> result = fn->second(args, s);
      if (!result.ok()) {
        if (failure.empty()) failure = std::string(result.status().message());
        values[m[1].str()] = Literal();
        continue;
      }
      values[m[1].str()] = *std::move(result);
      continue;
    }
    supported = false;  // Anything else: not an element-wise test.
  }
  finish();
}

// The reader itself must be able to fail: a wrong expectation is reported,
// a right one passes, an unknown op is skipped.
TEST(CorpusInterpret, ReaderDetectsMismatches) {
  const std::map<std::string, OpFn> ops = OpTable();
  Tally tally;
  RunChunk("inline", R"(
func.func @right() {
  %0 = stablehlo.constant dense<[7, -8]> : tensor<2xi4>
  %1 = stablehlo.constant dense<1> : tensor<2xi4>
  %2 = stablehlo.add %0, %1 : tensor<2xi4>
  check.expect_eq_const %2, dense<[-8, -7]> : tensor<2xi4>
  func.return
}
func.func @wrong() {
  %0 = stablehlo.constant dense<[1.5, 0x7FC00000]> : tensor<2xf32>
  %1 = stablehlo.negate %0 : tensor<2xf32>
  check.expect_almost_eq_const %1, dense<[1.5, 0x7FC00000]> : tensor<2xf32>
  func.return
}
func.func @unknown() {
  %0 = stablehlo.constant dense<[1.0]> : tensor<1xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<1xf32>
  check.expect_eq_const %1, dense<[1.0]> : tensor<1xf32>
  func.return
})",
           ops, &tally);
  EXPECT_EQ(tally.passed, 1);
  ASSERT_EQ(tally.failures.size(), 1u);
  EXPECT_NE(tally.failures[0].find("@wrong"), std::string::npos);
  EXPECT_EQ(tally.skipped, std::vector<std::string>{"inline @unknown"});
}

TEST(CorpusInterpret, ElementwiseSpecTestsPass) {
  std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "shared corpus not found";
  const std::map<std::string, OpFn> ops = OpTable();
  Tally tally;
  int files = 0;
  for (const char* relative :
       {"and", "atan2", "ceil", "clamp", "compare", "complex", "cosine",
        "count_leading_zeros", "divide", "exponential_minus_one", "floor",
        "imag", "logistic", "multiply", "negate", "not", "popcnt", "power",
        "real", "remainder", "round_nearest_even", "select",
        "shift_right_logical", "sign", "sqrt", "tanh", "xor", "chlo/mulhi"}) {
    const std::string path =
        absl::StrCat(*corpus, "/stablehlo/interpret/", relative, ".mlir");
    std::ifstream in(path);
    if (!in) continue;
    ++files;
    std::stringstream buffer;
    buffer << in.rdbuf();
    for (absl::string_view chunk : absl::StrSplit(buffer.str(), "// -----")) {
      RunChunk(relative, std::string(chunk), ops, &tally);
    }
  }
  if (files == 0) GTEST_SKIP() << "no interpret tests under " << *corpus;
  for (const std::string& f : tally.failures) ADD_FAILURE() << f;
  std::cout << "corpus element-wise spec tests: " << tally.passed
            << " passed, " << tally.failures.size() << " failed, "
            << tally.skipped.size() << " skipped (non-element-wise), in "
            << files << " files\n";
  for (const std::string& s : tally.skipped) std::cout << "  skipped " << s << "\n";
  EXPECT_GT(tally.passed, 100);
}

}  // namespace
}  // namespace backplane::kernels
