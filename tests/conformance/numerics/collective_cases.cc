// Numerics cases: collectives, random numbers and tokens on a single replica and partition.
// Expected values are derived by hand or with numpy/mpmath, never by
// running the compiler kit.
#include <cmath>
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

std::vector<NumericsCase> CollectiveCases() {
  using T [[maybe_unused]] = Tensor;
  using namespace types;  // NOLINT(build/namespaces): element-type table.
  return {

  };
}

}  // namespace backplane::conformance
