// Error propagation: the one way Backplane's C++ code forwards an
// absl::Status or absl::StatusOr<T> to its caller.
//
//   absl::Status Upload(...) {
//     RETURN_IF_ERROR(CheckShape(shape));
//     RETURN_IF_ERROR(CopyIn(data), "argument %d", index);   // with context
//     ASSIGN_OR_RETURN(std::unique_ptr<Buffer> buffer, Allocate(bytes));
//     ASSIGN_OR_RETURN(auto literal, Parse(text), "in %s", path);
//     ...
//   }
//
// RETURN_IF_ERROR(expr [, format, args...]): evaluates `expr` (an
// absl::Status or anything with `.ok()` and conversion to absl::Status) once;
// when it is not OK, returns it from the enclosing function.
//
// ASSIGN_OR_RETURN(lhs, expr [, format, args...]): evaluates `expr` (an
// absl::StatusOr<T>) once; when it is not OK, returns its status, otherwise
// moves the value into `lhs`, which is a declaration (`auto x`,
// `const Foo& f`, `std::unique_ptr<T> p`) or an existing lvalue. A `lhs`
// whose type has a top-level comma needs parentheses around the whole type
// (`(std::pair<int, int>) p` is not allowed: use an alias instead). The macro
// expands to several statements: do not use it as the body of an unbraced
// `if`.
//
// The optional context is an absl::StrFormat format and its arguments. It
// prefixes the message, keeping the code: "argument 2: shape mismatch". The
// context is only formatted on the error path.
#ifndef BACKPLANE_BASE_STATUS_MACROS_H_
#define BACKPLANE_BASE_STATUS_MACROS_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace backplane::base {

// `status` with `context: ` before its message (the same code). An OK status
// is returned unchanged.
absl::Status Annotate(const absl::Status& status, absl::string_view context);

namespace internal {

inline absl::Status AsStatus(absl::Status status) { return status; }
template <typename T>
absl::Status AsStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

inline absl::Status WithContext(absl::Status status) { return status; }
template <typename... Args>
absl::Status WithContext(absl::Status status,
                         const absl::FormatSpec<Args...>& format,
                         const Args&... args) {
  return Annotate(status, absl::StrFormat(format, args...));
}

}  // namespace internal
}  // namespace backplane::base

#define BACKPLANE_STATUS_CONCAT_INNER(a, b) a##b
#define BACKPLANE_STATUS_CONCAT(a, b) BACKPLANE_STATUS_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr, ...)                      \
  do {                                                  \
    ::absl::Status backplane_status_ =                  \
        ::backplane::base::internal::AsStatus(expr);    \
    if (!backplane_status_.ok()) {                      \
      return ::backplane::base::internal::WithContext(  \
          std::move(backplane_status_), ##__VA_ARGS__); \
    }                                                   \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr, ...)                                  \
  BACKPLANE_ASSIGN_OR_RETURN_IMPL(                                        \
      BACKPLANE_STATUS_CONCAT(backplane_status_or_, __LINE__), lhs, expr, \
      ##__VA_ARGS__)

#define BACKPLANE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr, ...)                 \
  auto tmp = (expr);                                                         \
  if (!tmp.ok()) {                                                           \
    return ::backplane::base::internal::WithContext(std::move(tmp).status(), \
                                                    ##__VA_ARGS__);          \
  }                                                                          \
  lhs = std::move(tmp).value()

#endif  // BACKPLANE_BASE_STATUS_MACROS_H_
