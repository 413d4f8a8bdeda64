#include "compiler/passes/constant_fold.h"

#include <string>

#include "absl/status/status.h"
#include "compiler/passes/test_util.h"
#include "gtest/gtest.h"

namespace backplane::passes {
namespace {

using testing::ExpectRewrite;

// A deliberately tiny evaluator: i32 add and negate, and broadcast_in_dim
// of an i32 scalar. Everything else is UNIMPLEMENTED, which the pass must
// treat as "leave the op alone". It counts its calls so tests can see what
// the pass asked for.
struct TinyEvaluator {
  int* calls;
  absl::StatusOr<std::vector<ir::Literal>> operator()(
      const ir::Op& op, absl::Span<const ir::Literal> operands) const {
    ++*calls;
    const ir::TensorType& type = op.result(0)->type().tensor();
    if (type.element_type() != ir::ElementType::kS32) {
      return absl::UnimplementedError("not i32");
    }
    ir::Literal out(type);
    auto r = out.data<int32_t>();
    switch (op.code()) {
      case ir::OpCode::kAdd:
        for (size_t i = 0; i < r.size(); ++i) {
          r[i] =
              operands[0].data<int32_t>()[i] + operands[1].data<int32_t>()[i];
        }
        break;
      case ir::OpCode::kNegate:
        for (size_t i = 0; i < r.size(); ++i) {
          r[i] = -operands[0].data<int32_t>()[i];
        }
        break;
      case ir::OpCode::kBroadcastInDim:
        if (operands[0].element_count() != 1) {
          return absl::UnimplementedError("only scalars");
        }
        for (size_t i = 0; i < r.size(); ++i) {
          r[i] = operands[0].data<int32_t>()[0];
        }
        break;
      default:
        return absl::UnimplementedError("op");
    }
    std::vector<ir::Literal> results;
    results.push_back(std::move(out));
    return results;
  }
};

TEST(ConstantFoldTest, FoldsChainsOfConstants) {
  int calls = 0;
  std::unique_ptr<Pass> pass = CreateConstantFoldPass(TinyEvaluator{&calls});
  ExpectRewrite(*pass, R"(
func.func @main(%x: tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>) {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %b = stablehlo.constant dense<[10, 20]> : tensor<2xi32>
  %0 = stablehlo.add %a, %b : tensor<2xi32>
  %1 = stablehlo.negate %0 : tensor<2xi32>
  %2 = stablehlo.add %1, %x : tensor<2xi32>
  return %1, %2 : tensor<2xi32>, tensor<2xi32>
})",
                R"(
func.func @main(%x: tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>) {
  %1 = stablehlo.constant dense<[-11, -22]> : tensor<2xi32>
  %2 = stablehlo.add %1, %x : tensor<2xi32>
  return %1, %2 : tensor<2xi32>, tensor<2xi32>
})");
  EXPECT_EQ(calls, 2);
}

TEST(ConstantFoldTest, LeavesWhatTheEvaluatorCannotDo) {
  int calls = 0;
  std::unique_ptr<Pass> pass = CreateConstantFoldPass(TinyEvaluator{&calls});
  const char* text = R"(
func.func @main() -> (tensor<2xf32>, tensor<2xi32>) {
  %a = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = stablehlo.negate %a : tensor<2xf32>
  %b = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %1 = stablehlo.abs %b : tensor<2xi32>
  return %0, %1 : tensor<2xf32>, tensor<2xi32>
})";
  ExpectRewrite(*pass, text, text, /*expect_changed=*/false);
  EXPECT_EQ(calls, 2);
}

TEST(ConstantFoldTest, SizeLimitKeepsBigBroadcasts) {
  int calls = 0;
  std::unique_ptr<Pass> pass = CreateConstantFoldPass(TinyEvaluator{&calls});
  // 10^8 elements: never materialised, never even evaluated.
  const char* big = R"(
func.func @main() -> tensor<10000x10000xi32> {
  %c = stablehlo.constant dense<7> : tensor<i32>
  %0 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<i32>) -> tensor<10000x10000xi32>
  return %0 : tensor<10000x10000xi32>
})";
  ExpectRewrite(*pass, big, big, /*expect_changed=*/false);
  EXPECT_EQ(calls, 0);
  ExpectRewrite(*pass, R"(
func.func @main() -> tensor<2x2xi32> {
  %c = stablehlo.constant dense<7> : tensor<i32>
  %0 = stablehlo.broadcast_in_dim %c, dims = [] : (tensor<i32>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
})",
                R"(
func.func @main() -> tensor<2x2xi32> {
  %0 = stablehlo.constant dense<7> : tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
})");
}

TEST(ConstantFoldTest, SkipsImpureAndContextDependentOps) {
  int calls = 0;
  std::unique_ptr<Pass> pass = CreateConstantFoldPass(TinyEvaluator{&calls});
  const char* text = R"(
func.func @main() -> (tensor<2xi32>, tensor<ui32>) {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %0 = stablehlo.custom_call @foo(%a) : (tensor<2xi32>) -> tensor<2xi32>
  %1 = stablehlo.replica_id : tensor<ui32>
  check.expect_eq_const %a, dense<[1, 2]> : tensor<2xi32>
  return %0, %1 : tensor<2xi32>, tensor<ui32>
})";
  ExpectRewrite(*pass, text, text, /*expect_changed=*/false);
  EXPECT_EQ(calls, 0);
}

TEST(ConstantFoldTest, RejectsEvaluatorResultsOfTheWrongType) {
  auto liar = [](const ir::Op&, absl::Span<const ir::Literal>)
      -> absl::StatusOr<std::vector<ir::Literal>> {
    std::vector<ir::Literal> out;
    out.emplace_back(ir::TensorType(ir::ElementType::kS32, {3}));
    return out;
  };
  std::unique_ptr<Pass> pass = CreateConstantFoldPass(liar);
  const char* text = R"(
func.func @main() -> tensor<2xi32> {
  %a = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
  %0 = stablehlo.negate %a : tensor<2xi32>
  return %0 : tensor<2xi32>
})";
  ExpectRewrite(*pass, text, text, /*expect_changed=*/false);
}

}  // namespace
}  // namespace backplane::passes
