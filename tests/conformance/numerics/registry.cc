// Collects the per-family case lists into one registry.
#include <vector>

#include "tests/conformance/numerics/numerics_case.h"

namespace backplane::conformance {

const std::vector<NumericsCase>& AllNumericsCases() {
  static const auto* cases = [] {
    auto* all = new std::vector<NumericsCase>();
    for (std::vector<NumericsCase> (*family)() :
         {ElementwiseCases, IntegerCases, ConversionCases, ShapeCases,
          IndexingCases, ReductionCases, LinalgCases, ControlFlowCases,
          CollectiveCases, ChloCases, FastPathCases}) {
      for (NumericsCase& c : family()) all->push_back(std::move(c));
    }
    return all;
  }();
  return *cases;
}

}  // namespace backplane::conformance
