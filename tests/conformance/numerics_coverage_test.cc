// Keeps the Numerics family complete: parses every built-in numerics
// program with the compiler kit's parser and fails when an op of
// compiler/ir/opcode.h appears in none of them (unless it is in the
// commented exclusion list below), so a new op cannot be added to the SDK
// without a conformance program. Also fails on programs that do not parse
// and on op names the parser does not know (typos would otherwise make a
// case silently test nothing).
#include <cctype>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_join.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/opcode.h"
#include "compiler/parser/parser.h"
#include "gtest/gtest.h"
#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {
namespace {

using ir::OpCode;

// Ops no numerics program needs to contain, and why.
const std::set<OpCode>& Excluded() {
  static const auto* excluded = new std::set<OpCode>{
      // Block terminators: every program contains them, but they compute
      // nothing of their own.
      OpCode::kReturn,
      OpCode::kFuncReturn,
      // The conformance-check and interpreter-testing dialects of the
      // StableHLO spec tests: assertions and test drivers, not computation.
      OpCode::kCheckExpectAlmostEq,
      OpCode::kCheckExpectAlmostEqConst,
      OpCode::kCheckExpectClose,
      OpCode::kCheckExpectEq,
      OpCode::kCheckExpectEqConst,
      OpCode::kCheckExpectSerializedEq,
      OpCode::kInterpreterPrint,
      OpCode::kInterpreterProbe,
      OpCode::kInterpreterRunParallel,
      // Values that come from the host: the ABI has no infeed or host
      // receive API, so a black-box program cannot be given their data.
      // (Their sending counterparts, outfeed and send, are covered.)
      OpCode::kInfeed,
      OpCode::kRecv,
      // A custom_call runs code only its target's author has; its
      // semantics are the vendor's, so there is no portable expected
      // value. (The Compile family checks that an unknown target is
      // rejected with UNIMPLEMENTED.)
      OpCode::kCustomCall,
      // The parser does not accept `!quant.uniform` element types yet, so
      // no program can contain these ops. Remove both entries when it does
      // (the test below then asks for a program).
      OpCode::kUniformQuantize,
      OpCode::kUniformDequantize,
  };
  return *excluded;
}

std::vector<OpCode> AllOpCodes() {
  return {
#define BACKPLANE_OPCODE_LIST(e, s) OpCode::e,
      BACKPLANE_ALL_OPCODES(BACKPLANE_OPCODE_LIST)
#undef BACKPLANE_OPCODE_LIST
  };
}

// Which cases contain each op.
absl::flat_hash_map<OpCode, std::vector<std::string>> CoveredOps() {
  absl::flat_hash_map<OpCode, std::vector<std::string>> covered;
  for (const NumericsCase& c : AllNumericsCases()) {
    parser::ParseOptions options;
    options.filename = c.name;
    absl::StatusOr<std::unique_ptr<ir::Module>> module =
        parser::ParseModule(c.program, options);
    EXPECT_TRUE(module.ok()) << module.status();
    if (!module.ok()) continue;
    ir::Walk(**module, [&](ir::Op& op) {
      EXPECT_NE(op.code(), OpCode::kUnknown)
          << c.name << ": unknown op '" << op.name() << "'";
      std::vector<std::string>& names = covered[op.code()];
      if (names.empty() || names.back() != c.name) names.push_back(c.name);
    });
  }
  return covered;
}

TEST(NumericsCoverage, EveryProgramParses) {
  ASSERT_FALSE(AllNumericsCases().empty());
  CoveredOps();
}

TEST(NumericsCoverage, CaseNamesAreUniqueIdentifiers) {
  std::set<std::string> seen;
  for (const NumericsCase& c : AllNumericsCases()) {
    EXPECT_TRUE(seen.insert(c.name).second) << "duplicate case " << c.name;
    for (char ch : c.name) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(ch)))
          << "case name '" << c.name << "' must be alphanumeric (gtest name)";
    }
  }
}

TEST(NumericsCoverage, CaseTensorsMatchTheirDims) {
  for (const NumericsCase& c : AllNumericsCases()) {
    auto check = [&](const Tensor& t, const char* what, size_t index) {
      int64_t elements = 1;
      for (int64_t d : t.dims) elements *= d;
      EXPECT_EQ(static_cast<int64_t>(t.values.size()), elements)
          << c.name << " " << what << " " << index;
      const bool complex =
          t.type == BPL_ELEMENT_TYPE_C64 || t.type == BPL_ELEMENT_TYPE_C128;
      EXPECT_EQ(t.imag.size(), complex ? t.values.size() : 0)
          << c.name << " " << what << " " << index
          << ": imaginary parts exactly for complex tensors";
    };
    for (size_t i = 0; i < c.inputs.size(); ++i) check(c.inputs[i], "input", i);
    for (size_t i = 0; i < c.expected.size(); ++i) {
      check(c.expected[i], "output", i);
    }
  }
}

TEST(NumericsCoverage, EverySdkOpIsCoveredByAProgram) {
  absl::flat_hash_map<OpCode, std::vector<std::string>> covered = CoveredOps();
  std::vector<std::string> missing;
  for (OpCode code : AllOpCodes()) {
    if (Excluded().count(code) > 0) continue;
    if (!covered.contains(code)) {
      missing.push_back(std::string(ir::OpCodeName(code)));
    }
  }
  EXPECT_TRUE(missing.empty())
      << missing.size()
      << " op(s) of compiler/ir/opcode.h appear in no numerics program "
         "(tests/conformance/numerics/): "
      << absl::StrJoin(missing, ", ");
}

TEST(NumericsCoverage, ExclusionsAreNotAlsoCovered) {
  // An excluded op that a program covers anyway is a stale exclusion...
  // except the terminators, which every program contains.
  absl::flat_hash_map<OpCode, std::vector<std::string>> covered = CoveredOps();
  for (OpCode code : Excluded()) {
    if (ir::IsTerminator(code)) continue;
    EXPECT_FALSE(covered.contains(code))
        << ir::OpCodeName(code) << " is excluded but covered by "
        << covered[code].front() << "; remove the exclusion";
  }
}

}  // namespace
}  // namespace backplane::conformance
