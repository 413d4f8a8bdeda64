// The tensors interpreter.probe ops recorded during a run, by probe id and
// iteration, for check.expect_serialized_eq to compare against. Shared by
// the processes of a parallel run (thread-safe).
//
//   ProbeStore probes;
//   probes.Record("x", value);                        // iteration 0
//   std::optional<ir::Literal> v = probes.Find("x", 0);
#ifndef BACKPLANE_COMPILER_INTERPRETER_PROBE_STORE_H_
#define BACKPLANE_COMPILER_INTERPRETER_PROBE_STORE_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "compiler/ir/literal.h"

namespace backplane::interpreter {

class ProbeStore {
 public:
  // Appends `value` as the next iteration of probe `id`.
  void Record(const std::string& id, const ir::Literal& value);
  // The value probe `id` recorded at `iteration`, or nullopt.
  std::optional<ir::Literal> Find(const std::string& id,
                                  int64_t iteration) const;

 private:
  mutable std::mutex mutex_;
  absl::flat_hash_map<std::string, std::vector<ir::Literal>> probes_;
};

}  // namespace backplane::interpreter

#endif  // BACKPLANE_COMPILER_INTERPRETER_PROBE_STORE_H_
