// Host memory exhaustion as a status: runs code that may throw
// std::bad_alloc (a Literal whose allocation failed, a std::vector growing)
// and turns the exception into RESOURCE_EXHAUSTED naming where it happened.
//
//   absl::StatusOr<Value> v = base::CatchOutOfMemory(
//       [&] { return Compute(op); },                 // May throw bad_alloc.
//       [&] { return absl::StrCat(location, ": ", op.name()); });
//
// `where` is called only on the error path. The message is
// "<where>: out of host memory: <what()>", and what() of ir::Literal's
// LiteralAllocationError gives the bytes and the tensor type. Free of cost
// when nothing throws (zero-cost exception tables).
#ifndef BACKPLANE_BASE_OUT_OF_MEMORY_H_
#define BACKPLANE_BASE_OUT_OF_MEMORY_H_

#include <new>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace backplane::base {

template <typename Body, typename Where>
auto CatchOutOfMemory(Body&& body, Where&& where) -> decltype(body()) {
  try {
    return body();
  } catch (const std::bad_alloc& e) {
    return absl::ResourceExhaustedError(
        absl::StrCat(std::string(where()), ": out of host memory: ", e.what()));
  }
}

}  // namespace backplane::base

#endif  // BACKPLANE_BASE_OUT_OF_MEMORY_H_
