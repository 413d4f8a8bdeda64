// Runs the corpus programs that only use element-wise ops against this
// library: the upstream per-op interpreter tests (stablehlo/interpret/) and
// the JAX-generated programs (stablehlo/testdata/). The files are read in
// place; a tiny evaluator handles their restricted shape:
//
//   %x = stablehlo.constant dense<[1, 2]> : tensor<2xi32>   (or "0x..." hex)
//   %y = stablehlo.add %x, %x : tensor<2xi32>
//   check.expect_eq_const %y, dense<[2, 4]> : tensor<2xi32>
//   %0:2 = call @inputs() ...  /  stablehlo.custom_call @check.expect_close
//
// Programs using anything else are skipped (and counted), so the test
// measures exactly the element-wise semantics.
#include <dirent.h>

#include <algorithm>
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
#include "compiler/ir/float16.h"
#include "compiler/kernels/elementwise/elementwise.h"
#include "gtest/gtest.h"
#include "tests/util/corpus.h"

namespace backplane::kernels::elementwise {
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
    uint64_t bits =
        ir::IsUnsignedInteger(type) || hex
            ? std::strtoull(token.c_str(), nullptr, 0)
            : static_cast<uint64_t>(std::strtoll(token.c_str(), nullptr, 10));
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
  if (!body.empty() && body[0] == '"') {
    // "0x..." raw little-endian bytes of the whole tensor (or one element,
    // splatted). Sub-byte types would be packed; they are not supported.
    const std::string hex = body.substr(3, body.size() - 4);
    const bool packed = ir::ElementBitWidth(type.element_type()) < 8 &&
                        !ir::IsPred(type.element_type());
    if (body.size() < 4 || body.compare(0, 3, "\"0x") != 0 || packed) {
      return std::nullopt;
    }
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
      bytes.push_back(static_cast<uint8_t>(
          std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
    }
    Literal lit(type);
    const size_t element = ir::ElementByteSize(type.element_type());
    if (bytes.size() == static_cast<size_t>(lit.byte_size())) {
      if (!bytes.empty())
        std::memcpy(lit.untyped_data(), bytes.data(), bytes.size());
      return lit;
    }
    if (bytes.size() == element) {
      for (int64_t i = 0; i < lit.element_count(); ++i) {
        std::memcpy(lit.untyped_data() + i * element, bytes.data(), element);
      }
      return lit;
    }
    return std::nullopt;
  }
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
    } else if (c == '[' || c == ']' || c == ',' ||
               std::isspace(static_cast<unsigned char>(c))) {
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

enum class Check { kExact, kAlmost, kClose };

// Position of a float in the total order of its own format, so that the
// difference of two positions is their distance in ulps.
int64_t OrderedBits(ElementType type, const uint8_t* p) {
  int64_t key = 0;
  switch (ir::ElementByteSize(type)) {
    case 1: {
      const int8_t v = static_cast<int8_t>(*p);
      key = v < 0 ? -(v & 0x7f) : v;
      break;
    }
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      key = v < 0 ? -(v & 0x7fff) : v;
      break;
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      key = v < 0 ? -int64_t{v & 0x7fffffff} : v;
      break;
    }
    default: {
      int64_t v;
      std::memcpy(&v, p, 8);
      key = v < 0 ? -(v & 0x7fffffffffffffff) : v;
      break;
    }
  }
  return key;
}

bool ElementsMatch(const Literal& actual, const Literal& expected, Check check,
                   std::string* why) {
  if (actual.type() != expected.type()) {
    *why = absl::StrCat("type ", actual.type().ToString(), " vs ",
                        expected.type().ToString());
    return false;
  }
  const ElementType t = actual.element_type();
  if (!ir::IsFloat(t) && !ir::IsComplex(t)) {
    if (actual.BitwiseEquals(expected)) return true;
    *why = "integer results differ";
    return false;
  }
  const ElementType part = ir::IsComplex(t) ? ir::ComplexComponentType(t) : t;
  const int parts = ir::IsComplex(t) ? 2 : 1;
  const int part_size = ir::ElementByteSize(part);
  for (int64_t i = 0; i < actual.element_count(); ++i) {
    for (int k = 0; k < parts; ++k) {
      const uint8_t* a = actual.untyped_data() + (i * parts + k) * part_size;
      const uint8_t* e = expected.untyped_data() + (i * parts + k) * part_size;
      const double av = k ? actual.GetImagAsDouble(i) : actual.GetAsDouble(i);
      const double ev =
          k ? expected.GetImagAsDouble(i) : expected.GetAsDouble(i);
      if (std::isnan(av) || std::isnan(ev)) {
        if (std::isnan(av) && std::isnan(ev)) continue;
      } else if (check == Check::kExact) {
        if (std::memcmp(a, e, part_size) == 0) continue;
      } else {
        // Upstream's tolerance: a few ulps, or a small error relative to
        // the magnitude (for results that cancel towards zero).
        const int64_t ulps =
            std::llabs(OrderedBits(part, a) - OrderedBits(part, e));
        if (av == ev || ulps <= 3 ||
            std::fabs(av - ev) <= 1e-4 * std::fmax(1.0, std::fabs(ev))) {
          continue;
        }
      }
      *why = absl::StrCat("element ", i, (k ? " (imag)" : ""), ": got ", av,
                          " expected ", ev);
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
  const std::pair<const char*, UnaryOp> chlo_unary[] = {
      {"acos", UnaryOp::kAcos},
      {"acosh", UnaryOp::kAcosh},
      {"asin", UnaryOp::kAsin},
      {"asinh", UnaryOp::kAsinh},
      {"atan", UnaryOp::kAtan},
      {"atanh", UnaryOp::kAtanh},
      {"bessel_i1e", UnaryOp::kBesselI1e},
      {"conj", UnaryOp::kConj},
      {"cosh", UnaryOp::kCosh},
      {"sinh", UnaryOp::kSinh},
      {"tan", UnaryOp::kTan},
      {"digamma", UnaryOp::kDigamma},
      {"erf", UnaryOp::kErf},
      {"erfc", UnaryOp::kErfc},
      {"erf_inv", UnaryOp::kErfInv},
      {"lgamma", UnaryOp::kLgamma},
      {"square", UnaryOp::kSquare},
  };
  for (const auto& [name, op] : chlo_unary) {
    table[absl::StrCat("chlo.", name)] =
        [op = op](const std::vector<Literal>& a,
                  const std::string&) -> absl::StatusOr<Literal> {
      if (a.size() != 1) return absl::InvalidArgumentError("arity");
      return Unary(op, a[0]);
    };
  }
  const std::pair<const char*, FloatClass> classes[] = {
      {"stablehlo.is_finite", FloatClass::kFinite},
      {"chlo.is_inf", FloatClass::kInf},
      {"chlo.is_neg_inf", FloatClass::kNegInf},
      {"chlo.is_pos_inf", FloatClass::kPosInf},
  };
  for (const auto& [name, what] : classes) {
    table[name] = [what = what](const std::vector<Literal>& a,
                                const std::string&) -> absl::StatusOr<Literal> {
      if (a.size() != 1) return absl::InvalidArgumentError("arity");
      return Classify(what, a[0]);
    };
  }
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
      {"chlo.polygamma", BinaryOp::kPolygamma},
      {"chlo.zeta", BinaryOp::kZeta},
  };
  for (const auto& [name, op] : binary) {
    table[name] = [op = op](const std::vector<Literal>& a,
                            const std::string&) -> absl::StatusOr<Literal> {
      if (a.size() != 2) return absl::InvalidArgumentError("arity");
      return Binary(op, a[0], a[1]);
    };
  }
  table["stablehlo.select"] =
      [](const std::vector<Literal>& a,
         const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 3) return absl::InvalidArgumentError("arity");
    return Select(a[0], a[1], a[2]);
  };
  table["stablehlo.clamp"] = [](const std::vector<Literal>& a,
                                const std::string&) -> absl::StatusOr<Literal> {
    if (a.size() != 3) return absl::InvalidArgumentError("arity");
    return Clamp(a[0], a[1], a[2]);
  };
  table["stablehlo.complex"] =
      [](const std::vector<Literal>& a,
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
  table["stablehlo.reduce_precision"] =
      [](const std::vector<Literal>& a,
         const std::string& s) -> absl::StatusOr<Literal> {
    static const std::regex kFormat(R"(format = e(\d+)m(\d+))");
    std::smatch m;
    if (a.size() != 1 || !std::regex_search(s, m, kFormat)) {
      return absl::UnimplementedError("reduce_precision syntax");
    }
    return ReducePrecision(a[0], std::stoi(m[1].str()), std::stoi(m[2].str()));
  };
  table["stablehlo.iota"] =
      [](const std::vector<Literal>& a,
         const std::string& s) -> absl::StatusOr<Literal> {
    static const std::regex kDim(R"(dim = (\d+))");
    std::smatch m;
    std::optional<TensorType> type = LastTensorType(s);
    if (!a.empty() || !type || !std::regex_search(s, m, kDim)) {
      return absl::UnimplementedError("iota syntax");
    }
    return Iota(*type, std::stoll(m[1].str()));
  };
  // broadcast_in_dim, which JAX emits for implicit broadcasting (test
  // harness only: broadcasting belongs to the structured kernels).
  table["stablehlo.broadcast_in_dim"] =
      [](const std::vector<Literal>& a,
         const std::string& s) -> absl::StatusOr<Literal> {
    static const std::regex kDims(R"(dims = \[([0-9, ]*)\])");
    std::smatch m;
    std::optional<TensorType> to = LastTensorType(s);
    if (a.size() != 1 || !to || !std::regex_search(s, m, kDims) ||
        to->element_type() != a[0].element_type()) {
      return absl::UnimplementedError("broadcast syntax");
    }
    std::vector<int64_t> dims;
    for (absl::string_view d :
         absl::StrSplit(m[1].str(), ',', absl::SkipWhitespace())) {
      dims.push_back(std::stoll(std::string(absl::StripAsciiWhitespace(d))));
    }
    const Literal& in = a[0];
    if (dims.size() != in.dims().size()) {
      return absl::UnimplementedError("broadcast rank");
    }
    Literal out(*to);
    const int64_t size = ir::ElementByteSize(to->element_type());
    const std::vector<int64_t> in_strides = ir::RowMajorStrides(in.dims());
    std::vector<int64_t> index(to->rank(), 0);
    for (int64_t i = 0; i < out.element_count(); ++i) {
      int64_t source = 0;
      for (size_t k = 0; k < dims.size(); ++k) {
        const int64_t coordinate = in.dims()[k] == 1 ? 0 : index[dims[k]];
        source += coordinate * in_strides[k];
      }
      std::memcpy(out.untyped_data() + i * size,
                  in.untyped_data() + source * size, size);
      for (int64_t d = to->rank() - 1; d >= 0; --d) {
        if (++index[d] < to->dim(d)) break;
        index[d] = 0;
      }
    }
    return out;
  };
  table["stablehlo.convert"] =
      [](const std::vector<Literal>& a,
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
  table["stablehlo.compare"] =
      [](const std::vector<Literal>& a,
         const std::string& s) -> absl::StatusOr<Literal> {
    static const std::regex kCompare(
        R"(compare\s+(\w+),\s*%[\w#]+,\s*%[\w#]+(?:,\s*(\w+))?)");
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

// --- Evaluating programs -------------------------------------------------

// Joins physical lines into statements (a dense literal may span lines).
std::vector<std::string> Statements(absl::string_view text) {
  std::vector<std::string> out;
  std::string current;
  int depth = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
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

int BraceDelta(const std::string& s) {
  int delta = 0;
  bool quoted = false;
  for (char c : s) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '{') ++delta;
    if (c == '}') --delta;
  }
  return delta;
}

struct Function {
  bool is_public_test = false;  // No arguments and not private.
  std::vector<std::string> params;
  std::vector<std::string> body;
};

std::map<std::string, Function> ParseFunctions(
    absl::string_view text, std::vector<std::string>* order) {
  static const std::regex kHeader(
      R"(^func\.func (public |private )?@(\w+)\((.*?)\))");
  std::map<std::string, Function> functions;
  Function* current = nullptr;
  int depth = 0;
  int function_depth = 0;
  for (const std::string& s : Statements(text)) {
    std::smatch m;
    const int delta = BraceDelta(s);
    if (current == nullptr && std::regex_search(s, m, kHeader)) {
      current = &functions[m[2].str()];
      current->is_public_test = m[1].str() != "private " && m[3].str().empty();
      static const std::regex kParam(R"(%(\w+)\s*:)");
      const std::string params = m[3].str();
      for (std::sregex_iterator it(params.begin(), params.end(), kParam), end;
           it != end; ++it) {
        current->params.push_back((*it)[1].str());
      }
      order->push_back(m[2].str());
      function_depth = depth;
      depth += delta;
      continue;
    }
    depth += delta;
    if (current == nullptr) continue;
    if (depth <= function_depth) {
      current = nullptr;
      continue;
    }
    current->body.push_back(s);
  }
  return functions;
}

struct Outcome {
  bool supported = true;
  std::string unsupported;  // The statement that stopped evaluation.
  int checks = 0;
  std::string failure;
};

class Evaluator {
 public:
  Evaluator(const std::map<std::string, Function>& functions,
            const std::map<std::string, OpFn>& ops)
      : functions_(functions), ops_(ops) {}

  // Runs `name`; returns its results (empty for func.return).
  std::vector<Literal> Call(const std::string& name,
                            const std::vector<Literal>& args, Outcome* out,
                            int depth) {
    auto f = functions_.find(name);
    if (f == functions_.end() || depth > 8 ||
        f->second.params.size() != args.size()) {
      out->supported = false;
      out->unsupported = absl::StrCat("call @", name);
      return {};
    }
    static const std::regex kConstant(R"(^%(\w+) = stablehlo\.constant )");
    static const std::regex kCall(
        R"(^%(\w+)(?::(\d+))? = (?:func\.)?call @(\w+)\(([^)]*)\))");
    static const std::regex kReturn(R"(^(?:func\.)?return\b(.*)$)");
    static const std::regex kCheckConst(
        R"(^check\.(expect_eq_const|expect_almost_eq_const) %([\w#]+),)");
    static const std::regex kCheckCall(
        R"(^stablehlo\.custom_call @check\.(expect_eq|expect_almost_eq|expect_close)\(%([\w#]+), %([\w#]+)\))");
    static const std::regex kOp(
        R"(^%(\w+) = (?:\"([\w.]+)\"|([a-z]+\.\w+))(.*)$)");
    static const std::regex kOperand(R"(%([\w#]+))");
    std::map<std::string, Literal> values;
    for (size_t i = 0; i < args.size(); ++i) {
      values[f->second.params[i]] = args[i];
    }
    for (const std::string& s : f->second.body) {
      if (!out->supported) {
        if (out->unsupported.empty()) out->unsupported = s.substr(0, 70);
        return {};
      }
      std::smatch m;
      if (std::regex_search(s, m, kReturn)) {
        std::vector<Literal> results;
        const std::string rest = m[1].str();
        const std::string head = rest.substr(0, rest.find(" : "));
        for (std::sregex_iterator it(head.begin(), head.end(), kOperand), end;
             it != end; ++it) {
          auto v = values.find((*it)[1].str());
          if (v == values.end()) {
            out->supported = false;
            return {};
          }
          results.push_back(v->second);
        }
        return results;
      }
      if (std::regex_search(s, m, kConstant)) {
        std::optional<std::string> body = DenseBody(s);
        std::optional<TensorType> type = LastTensorType(s);
        std::optional<Literal> lit;
        if (body && type) lit = ParseDense(*body, *type);
        if (!lit) {
          out->supported = false;
          out->unsupported = s.substr(0, 70);
          return {};
        }
        values[m[1].str()] = *std::move(lit);
        continue;
      }
      if (std::regex_search(s, m, kCall)) {
        std::vector<Literal> call_args;
        const std::string operands = m[4].str();
        for (std::sregex_iterator
                 it(operands.begin(), operands.end(), kOperand),
             end;
             it != end; ++it) {
          auto v = values.find((*it)[1].str());
          if (v == values.end()) {
            out->supported = false;
            return {};
          }
          call_args.push_back(v->second);
        }
        std::vector<Literal> results =
            Call(m[3].str(), call_args, out, depth + 1);
        if (!out->supported) return {};
        if (m[2].matched) {
          for (size_t i = 0; i < results.size(); ++i) {
            values[absl::StrCat(m[1].str(), "#", i)] = std::move(results[i]);
          }
        } else if (results.size() == 1) {
          values[m[1].str()] = std::move(results[0]);
        } else {
          out->supported = false;
        }
        continue;
      }
      if (std::regex_search(s, m, kCheckConst)) {
        auto it = values.find(m[2].str());
        std::optional<std::string> body = DenseBody(s);
        std::optional<TensorType> type = LastTensorType(s);
        std::optional<Literal> expected;
        if (body && type) expected = ParseDense(*body, *type);
        if (it == values.end() || !expected) {
          out->supported = false;
          return {};
        }
        Compare(
            it->second, *expected,
            m[1].str() == "expect_eq_const" ? Check::kExact : Check::kAlmost,
            out);
        continue;
      }
      if (std::regex_search(s, m, kCheckCall)) {
        auto a = values.find(m[2].str());
        auto e = values.find(m[3].str());
        if (a == values.end() || e == values.end()) {
          out->supported = false;
          return {};
        }
        const std::string kind = m[1].str();
        Compare(a->second, e->second,
                kind == "expect_eq"          ? Check::kExact
                : kind == "expect_almost_eq" ? Check::kAlmost
                                             : Check::kClose,
                out);
        continue;
      }
      if (std::regex_search(s, m, kOp)) {
        const std::string op = m[2].matched ? m[2].str() : m[3].str();
        auto fn = ops_.find(op);
        if (fn == ops_.end()) {
          out->supported = false;
          out->unsupported = op;
          return {};
        }
        const std::string rest = m[4].str();
        const std::string head = rest.substr(0, rest.find(" : "));
        std::vector<Literal> args;
        for (std::sregex_iterator it(head.begin(), head.end(), kOperand), end;
             it != end; ++it) {
          auto v = values.find((*it)[1].str());
          if (v == values.end()) {
            out->supported = false;
            out->unsupported = absl::StrCat("unknown value %", (*it)[1].str());
            return {};
          }
          args.push_back(v->second);
        }
        absl::StatusOr<Literal> result = fn->second(args, s);
        if (!result.ok()) {
          if (result.status().code() == absl::StatusCode::kUnimplemented) {
            out->supported = false;
            out->unsupported =
                absl::StrCat(op, ": ", result.status().message());
            return {};
          }
          if (out->failure.empty()) {
            out->failure = std::string(result.status().message());
          }
          values[m[1].str()] = Literal();
          continue;
        }
        values[m[1].str()] = *std::move(result);
        continue;
      }
      out->supported = false;  // Anything else: not an element-wise program.
      out->unsupported = s.substr(0, 70);
      return {};
    }
    return {};
  }

 private:
  static void Compare(const Literal& actual, const Literal& expected,
                      Check check, Outcome* out) {
    ++out->checks;
    std::string why;
    if (out->failure.empty() && !ElementsMatch(actual, expected, check, &why)) {
      out->failure = why;
    }
  }

  const std::map<std::string, Function>& functions_;
  const std::map<std::string, OpFn>& ops_;
};

struct Tally {
  int passed = 0;
  std::vector<std::string> skipped;
  std::map<std::string, int> skip_reasons;
  std::map<std::string, std::string> skip_examples;
  std::vector<std::string> failures;
};

// Runs the tests of one split-input-file chunk: @main if present, else
// every public function without arguments.
void RunChunk(const std::string& file, absl::string_view chunk,
              const std::map<std::string, OpFn>& ops, Tally* tally) {
  std::vector<std::string> order;
  const std::map<std::string, Function> functions =
      ParseFunctions(chunk, &order);
  std::vector<std::string> tests;
  if (functions.count("main")) {
    tests.push_back("main");
  } else {
    for (const std::string& name : order) {
      if (functions.at(name).is_public_test) tests.push_back(name);
    }
  }
  Evaluator evaluator(functions, ops);
  for (const std::string& name : tests) {
    Outcome outcome;
    evaluator.Call(name, {}, &outcome, 0);
    const std::string id = absl::StrCat(file, " @", name);
    if (!outcome.supported || outcome.checks == 0) {
      tally->skipped.push_back(id);
      ++tally->skip_reasons[outcome.unsupported];
      tally->skip_examples[outcome.unsupported] = id;
    } else if (outcome.failure.empty()) {
      ++tally->passed;
    } else {
      tally->failures.push_back(absl::StrCat(id, ": ", outcome.failure));
    }
  }
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
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

  Tally module_tally;
  RunChunk("module", R"(
module @jit_main {
  func.func public @main() -> (tensor<2xf32>) {
    %0:2 = call @inputs() : () -> (tensor<2xf32>, tensor<2xf32>)
    %1 = call @expected() : () -> tensor<2xf32>
    %2 = stablehlo.subtract %0#0, %0#1 : tensor<2xf32>
    stablehlo.custom_call @check.expect_close(%2, %1) {has_side_effect = true} : (tensor<2xf32>, tensor<2xf32>) -> ()
    return %2 : tensor<2xf32>
  }
  func.func private @inputs() -> (tensor<2xf32>, tensor<2xf32>) {
    %cst = stablehlo.constant dense<"0x0000803F00000040"> : tensor<2xf32>
    %cst_0 = stablehlo.constant dense<1.0> : tensor<2xf32>
    return %cst, %cst_0 : tensor<2xf32>, tensor<2xf32>
  }
  func.func private @expected() -> (tensor<2xf32>) {
    %cst = stablehlo.constant dense<[0.0, 1.5]> : tensor<2xf32>
    return %cst : tensor<2xf32>
  }
})",
           ops, &module_tally);
  ASSERT_EQ(module_tally.failures.size(), 1u);  // 2 - 1 is not 1.5.
  EXPECT_NE(module_tally.failures[0].find("element 1"), std::string::npos);
}

TEST(CorpusInterpret, ElementwiseSpecTestsPass) {
  std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "shared corpus not found";
  const std::map<std::string, OpFn> ops = OpTable();
  Tally tally;
  int files = 0;
  for (const char* relative : {"and",
                               "atan2",
                               "ceil",
                               "clamp",
                               "compare",
                               "complex",
                               "cosine",
                               "count_leading_zeros",
                               "divide",
                               "exponential_minus_one",
                               "floor",
                               "imag",
                               "logistic",
                               "multiply",
                               "negate",
                               "not",
                               "popcnt",
                               "power",
                               "real",
                               "remainder",
                               "round_nearest_even",
                               "select",
                               "shift_right_logical",
                               "sign",
                               "sqrt",
                               "tanh",
                               "xor",
                               "chlo/mulhi"}) {
    std::optional<std::string> text = ReadFile(
        absl::StrCat(*corpus, "/stablehlo/interpret/", relative, ".mlir"));
    if (!text) continue;
    ++files;
    for (absl::string_view chunk : absl::StrSplit(*text, "// -----")) {
      RunChunk(relative, chunk, ops, &tally);
    }
  }
  if (files == 0) GTEST_SKIP() << "no interpret tests under " << *corpus;
  for (const std::string& f : tally.failures) ADD_FAILURE() << f;
  std::cout << "interpret spec tests: " << tally.passed << " passed, "
            << tally.failures.size() << " failed, " << tally.skipped.size()
            << " skipped (not element-wise), in " << files << " files\n";
  for (const std::string& s : tally.skipped)
    std::cout << "  skipped " << s << "\n";
  EXPECT_GT(tally.passed, 100);
}

TEST(CorpusTestdata, ElementwiseJaxProgramsPass) {
  std::optional<std::string> corpus = backplane::testing::FindCorpusDir();
  if (!corpus) GTEST_SKIP() << "shared corpus not found";
  const std::string dir = absl::StrCat(*corpus, "/stablehlo/testdata");
  std::optional<std::string> listing;
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (absl::EndsWith(name, ".mlir")) names.push_back(name);
    }
    closedir(d);
  }
  if (names.empty()) GTEST_SKIP() << "no testdata under " << dir;
  std::sort(names.begin(), names.end());
  const std::map<std::string, OpFn> ops = OpTable();
  Tally tally;
  for (const std::string& name : names) {
    std::optional<std::string> text = ReadFile(absl::StrCat(dir, "/", name));
    if (text) RunChunk(name, *text, ops, &tally);
  }
  for (const std::string& f : tally.failures) ADD_FAILURE() << f;
  std::cout << "testdata programs: " << tally.passed << " passed, "
            << tally.failures.size() << " failed, " << tally.skipped.size()
            << " skipped (not element-wise) of " << names.size() << "\n";
  for (const auto& [reason, count] : tally.skip_reasons) {
    std::cout << "  " << count << " stopped at: " << reason << " (e.g. "
              << tally.skip_examples[reason] << ")\n";
  }
  EXPECT_GT(tally.passed, 50);
}

}  // namespace
}  // namespace backplane::kernels::elementwise
