// Numerics cases: collectives, random numbers and tokens on a single replica
// and partition. Expected values are derived by hand or with numpy/mpmath,
// never by running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> CollectiveCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {

      {"CollectivesOnOneReplicaAreIdentities",
       // With a single replica and partition every collective returns its
       // operand (the group is the process itself).
       R"(func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = "stablehlo.all_reduce"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "stablehlo.all_gather"(%x) {all_gather_dim = 0 : i64, replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "stablehlo.all_to_all"(%x) {split_dimension = 0 : i64, concat_dimension = 0 : i64, split_count = 1 : i64, replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %3 = "stablehlo.reduce_scatter"(%x) ({
  ^bb0(%a: tensor<f32>, %b: tensor<f32>):
    %s = stablehlo.add %a, %b : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }) {scatter_dimension = 0 : i64, replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %4 = "stablehlo.collective_permute"(%x) {source_target_pairs = dense<[[0, 0]]> : tensor<1x2xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  %5 = "stablehlo.collective_broadcast"(%x) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
})",
       {T{F32, {4}, {1, -2, 3.5, 0}}},
       {T{F32, {4}, {1, -2, 3.5, 0}}, T{F32, {4}, {1, -2, 3.5, 0}},
        T{F32, {4}, {1, -2, 3.5, 0}}, T{F32, {4}, {1, -2, 3.5, 0}},
        T{F32, {4}, {1, -2, 3.5, 0}}, T{F32, {4}, {1, -2, 3.5, 0}}}},
      {"CrossReplicaSumOnOneReplicaIsIdentity",
       // The legacy op sums over the replica group; it has no body.
       R"(func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "stablehlo.cross-replica-sum"(%x) {replica_groups = dense<[[0]]> : tensor<1x1xi64>} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
})",
       {T{F32, {4}, {1, -2, 3.5, 0}}},
       {T{F32, {4}, {1, -2, 3.5, 0}}}},
      {"ReplicaIdAndPartitionIdAreZero",
       R"(func.func @main() -> (tensor<ui32>, tensor<ui32>) {
  %0 = stablehlo.replica_id : tensor<ui32>
  %1 = stablehlo.partition_id : tensor<ui32>
  return %0, %1 : tensor<ui32>, tensor<ui32>
})",
       {},
       {T{U32, {}, {0}}, T{U32, {}, {0}}}},
      {"TokensOutfeedAndSendDoNotDisturbTheComputation",
       // The ABI has no host-transfer API, so the fed values cannot be
       // observed; the program must still run and compute its result.
       R"(func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %t0 = stablehlo.create_token : !stablehlo.token
  %t1 = "stablehlo.outfeed"(%x, %t0) {outfeed_config = ""} : (tensor<2xf32>, !stablehlo.token) -> !stablehlo.token
  %t2 = "stablehlo.send"(%x, %t1) {channel_handle = #stablehlo.channel_handle<handle = 1, type = 2>, is_host_transfer = true} : (tensor<2xf32>, !stablehlo.token) -> !stablehlo.token
  %t3 = stablehlo.after_all %t1, %t2 : !stablehlo.token
  %0 = stablehlo.add %x, %x : tensor<2xf32>
  return %0 : tensor<2xf32>
})",
       {T{F32, {2}, {1.25, -3}}},
       {T{F32, {2}, {2.5, -6}}}},
      {"RngBitGeneratorIsDeterministicAndAdvancesItsState",
       // The bits are implementation-defined (the spec fixes no
       // algorithm's output), so the program checks properties: the same
       // state gives the same bits, the new state differs from the old
       // and gives new bits, for each algorithm.
       R"(func.func @main(%state: tensor<2xui64>) -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %t = stablehlo.constant dense<true> : tensor<i1>
  %f = stablehlo.constant dense<false> : tensor<i1>
  %s1, %o1 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm THREE_FRY>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %s2, %o2 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm THREE_FRY>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %s3, %o3 = "stablehlo.rng_bit_generator"(%s1) {rng_algorithm = #stablehlo<rng_algorithm THREE_FRY>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %p1, %q1 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm PHILOX>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %p2, %q2 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm PHILOX>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %p3, %q3 = "stablehlo.rng_bit_generator"(%p1) {rng_algorithm = #stablehlo<rng_algorithm PHILOX>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %d1, %e1 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm DEFAULT>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %d2, %e2 = "stablehlo.rng_bit_generator"(%state) {rng_algorithm = #stablehlo<rng_algorithm DEFAULT>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %d3, %e3 = "stablehlo.rng_bit_generator"(%d1) {rng_algorithm = #stablehlo<rng_algorithm DEFAULT>} : (tensor<2xui64>) -> (tensor<2xui64>, tensor<8xui32>)
  %eq = stablehlo.compare EQ, %o1, %o2, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %peq = stablehlo.compare EQ, %q1, %q2, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %deq = stablehlo.compare EQ, %e1, %e2, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %ne = stablehlo.compare NE, %o1, %o3, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %pne = stablehlo.compare NE, %q1, %q3, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %dne = stablehlo.compare NE, %e1, %e3, UNSIGNED : (tensor<8xui32>, tensor<8xui32>) -> tensor<8xi1>
  %sne = stablehlo.compare NE, %s1, %state, UNSIGNED : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %psne = stablehlo.compare NE, %p1, %state, UNSIGNED : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %dsne = stablehlo.compare NE, %d1, %state, UNSIGNED : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
  %same = stablehlo.concatenate %eq, %peq, %deq, dim = 0 : (tensor<8xi1>, tensor<8xi1>, tensor<8xi1>) -> tensor<24xi1>
  %same3 = stablehlo.reshape %same : (tensor<24xi1>) -> tensor<3x8xi1>
  %0 = stablehlo.reduce(%same3 init: %t) applies stablehlo.and across dimensions = [1] : (tensor<3x8xi1>, tensor<i1>) -> tensor<3xi1>
  %diff = stablehlo.concatenate %ne, %pne, %dne, dim = 0 : (tensor<8xi1>, tensor<8xi1>, tensor<8xi1>) -> tensor<24xi1>
  %diff3 = stablehlo.reshape %diff : (tensor<24xi1>) -> tensor<3x8xi1>
  %1 = stablehlo.reduce(%diff3 init: %f) applies stablehlo.or across dimensions = [1] : (tensor<3x8xi1>, tensor<i1>) -> tensor<3xi1>
  %st = stablehlo.concatenate %sne, %psne, %dsne, dim = 0 : (tensor<2xi1>, tensor<2xi1>, tensor<2xi1>) -> tensor<6xi1>
  %st3 = stablehlo.reshape %st : (tensor<6xi1>) -> tensor<3x2xi1>
  %2 = stablehlo.reduce(%st3 init: %f) applies stablehlo.or across dimensions = [1] : (tensor<3x2xi1>, tensor<i1>) -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
})",
       {T{U64, {2}, {42, 7}}},
       {T{PRED, {3}, {1, 1, 1}}, T{PRED, {3}, {1, 1, 1}},
        T{PRED, {3}, {1, 1, 1}}}},
      {"RngUniformStaysInRangeAndNormalIsFinite",
       // Values are implementation-defined; UNIFORM must lie in [a, b).
       R"(func.func @main(%a: tensor<f32>, %b: tensor<f32>) -> (tensor<i1>, tensor<i1>) {
  %shape = stablehlo.constant dense<[64]> : tensor<1xi64>
  %t = stablehlo.constant dense<true> : tensor<i1>
  %u = stablehlo.rng %a, %b, %shape, distribution = UNIFORM : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<64xf32>
  %ab = stablehlo.broadcast_in_dim %a, dims = [] : (tensor<f32>) -> tensor<64xf32>
  %bb = stablehlo.broadcast_in_dim %b, dims = [] : (tensor<f32>) -> tensor<64xf32>
  %ge = stablehlo.compare GE, %u, %ab, FLOAT : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xi1>
  %lt = stablehlo.compare LT, %u, %bb, FLOAT : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xi1>
  %in = stablehlo.and %ge, %lt : tensor<64xi1>
  %0 = stablehlo.reduce(%in init: %t) applies stablehlo.and across dimensions = [0] : (tensor<64xi1>, tensor<i1>) -> tensor<i1>
  %z = stablehlo.constant dense<0.0> : tensor<f32>
  %one = stablehlo.constant dense<1.0> : tensor<f32>
  %n = stablehlo.rng %z, %one, %shape, distribution = NORMAL : (tensor<f32>, tensor<f32>, tensor<1xi64>) -> tensor<64xf32>
  %fin = stablehlo.is_finite %n : (tensor<64xf32>) -> tensor<64xi1>
  %1 = stablehlo.reduce(%fin init: %t) applies stablehlo.and across dimensions = [0] : (tensor<64xi1>, tensor<i1>) -> tensor<i1>
  return %0, %1 : tensor<i1>, tensor<i1>
})",
       {T{F32, {}, {-2}}, T{F32, {}, {3}}},
       {T{PRED, {}, {1}}, T{PRED, {}, {1}}}},
  };
}

}  // namespace backplane::conformance
