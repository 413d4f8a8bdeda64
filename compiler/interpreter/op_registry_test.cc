// Tests of the opcode -> executor table (op_registry.h) and of the
// interpreter's registry of op families (ops/families.h).
#include "compiler/interpreter/op_registry.h"

#include "absl/status/status.h"
#include "compiler/interpreter/ops/families.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::interpreter {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<std::vector<ValueRef>> ReturnNothing(OpContext&) {
  return std::vector<ValueRef>();
}

TEST(OpRegistryTest, FindsRegisteredExecutors) {
  OpRegistry registry;
  EXPECT_EQ(registry.Find(ir::OpCode::kAdd), nullptr);
  ASSERT_TRUE(
      registry
          .Register({ir::OpCode::kAdd, ir::OpCode::kSubtract}, ReturnNothing)
          .ok());
  EXPECT_EQ(registry.Find(ir::OpCode::kAdd), &ReturnNothing);
  EXPECT_EQ(registry.Find(ir::OpCode::kSubtract), &ReturnNothing);
  EXPECT_EQ(registry.Find(ir::OpCode::kMultiply), nullptr);
}

TEST(OpRegistryTest, RejectsASecondExecutor) {
  OpRegistry registry;
  ASSERT_TRUE(registry.Register(ir::OpCode::kAdd, ReturnNothing).ok());
  absl::Status s = registry.Register(ir::OpCode::kAdd, ReturnNothing);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(s.message(), HasSubstr("stablehlo.add"));
}

TEST(OpRegistryTest, BuiltinRegistryCoversTheFamilies) {
  absl::StatusOr<const OpRegistry*> registry = ops::BuiltinOpRegistry();
  ASSERT_TRUE(registry.ok()) << registry.status();
  for (ir::OpCode code :
       {ir::OpCode::kAbs, ir::OpCode::kChloBroadcastAdd, ir::OpCode::kReshape,
        ir::OpCode::kGather, ir::OpCode::kDotGeneral, ir::OpCode::kReduce,
        ir::OpCode::kCholesky, ir::OpCode::kRngBitGenerator, ir::OpCode::kTuple,
        ir::OpCode::kAllReduce, ir::OpCode::kCustomCall, ir::OpCode::kEinsum,
        ir::OpCode::kUnknown}) {
    EXPECT_NE((*registry)->Find(code), nullptr) << ir::OpCodeName(code);
  }
  // Control flow runs in the interpreter itself.
  EXPECT_EQ((*registry)->Find(ir::OpCode::kWhile), nullptr);
}

}  // namespace
}  // namespace backplane::interpreter
