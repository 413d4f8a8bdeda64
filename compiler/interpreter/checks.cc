#include "compiler/interpreter/checks.h"

#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"

namespace backplane::interpreter {
namespace {

std::string IndexString(const ir::Literal& x, int64_t linear) {
  std::vector<int64_t> index(x.dims().size());
  for (int64_t d = static_cast<int64_t>(index.size()) - 1; d >= 0; --d) {
    index[d] = linear % x.dims()[d];
    linear /= x.dims()[d];
  }
  return absl::StrCat("[", absl::StrJoin(index, ", "), "]");
}

std::string ElementString(const ir::Literal& x, int64_t i) {
  if (ir::IsComplex(x.element_type())) {
    return absl::StrCat("(", x.GetAsDouble(i), ", ", x.GetImagAsDouble(i), ")");
  }
  if (ir::IsFloat(x.element_type())) return absl::StrCat(x.GetAsDouble(i));
  if (ir::IsUnsignedInteger(x.element_type())) {
    return absl::StrCat(static_cast<uint64_t>(x.GetAsInt64(i)));
  }
  return absl::StrCat(x.GetAsInt64(i));
}

absl::Status Mismatch(absl::string_view check, const ir::Literal& actual,
                      const ir::Literal& expected, int64_t i,
                      absl::string_view detail = "") {
  return absl::FailedPreconditionError(
      absl::StrCat(check, " failed at index ", IndexString(actual, i), ": ",
                   ElementString(actual, i), " (actual) vs ",
                   ElementString(expected, i), " (expected)", detail));
}

absl::Status CheckTypes(absl::string_view check, const ir::Literal& actual,
                        const ir::Literal& expected) {
  if (actual.type() != expected.type()) {
    return absl::FailedPreconditionError(absl::StrCat(
        check, " failed: type ", actual.type().ToString(), " (actual) vs ",
        expected.type().ToString(), " (expected)"));
  }
  return absl::OkStatus();
}

// Bit pattern of element i of a real float literal, and its width.
uint64_t FloatBitsAt(const ir::Literal& x, int64_t i, int* bits) {
  const int size = ir::ElementByteSize(x.element_type());
  *bits = size * 8;
  uint64_t v = 0;
  std::memcpy(&v, x.untyped_data() + i * size, size);
  return v;
}

// Per-component float views for complex literals: (real, imag) parts
// compared as two floats of the component type.
bool ComponentIsNan(double v) { return std::isnan(v); }

}  // namespace

uint64_t UlpDistance(uint64_t a, uint64_t b, int bits) {
  const uint64_t sign = uint64_t{1} << (bits - 1);
  // Map sign-magnitude to a monotonic unsigned scale.
  auto key = [&](uint64_t v) -> uint64_t {
    return (v & sign) ? sign - (v & (sign - 1)) : sign + v;
  };
  const uint64_t ka = key(a), kb = key(b);
  return ka > kb ? ka - kb : kb - ka;
}

absl::Status ExpectEq(const ir::Literal& actual, const ir::Literal& expected) {
  RETURN_IF_ERROR(CheckTypes("expect_eq", actual, expected));
  const ir::ElementType type = actual.element_type();
  const int64_t n = actual.element_count();
  const int size = ir::ElementByteSize(type);
  for (int64_t i = 0; i < n; ++i) {
    if (std::memcmp(actual.untyped_data() + i * size,
                    expected.untyped_data() + i * size, size) == 0) {
      continue;
    }
    if (ir::IsFloat(type) || ir::IsComplex(type)) {
      const double ar = actual.GetAsDouble(i), er = expected.GetAsDouble(i);
      const double ai = actual.GetImagAsDouble(i),
                   ei = expected.GetImagAsDouble(i);
      const bool real_ok = (std::isnan(ar) && std::isnan(er));
      const bool imag_ok = (std::isnan(ai) && std::isnan(ei)) ||
                           (ai == ei && std::signbit(ai) == std::signbit(ei));
      const bool real_eq =
          real_ok || (ar == er && std::signbit(ar) == std::signbit(er));
      if (real_eq && imag_ok) continue;
    }
    return Mismatch("expect_eq", actual, expected, i);
  }
  return absl::OkStatus();
}

absl::Status ExpectAlmostEq(const ir::Literal& actual,
                            const ir::Literal& expected, double tolerance) {
  RETURN_IF_ERROR(CheckTypes("expect_almost_eq", actual, expected));
  const ir::ElementType type = actual.element_type();
  if (!ir::IsFloat(type) && !ir::IsComplex(type)) {
    return ExpectEq(actual, expected);
  }
  auto close = [tolerance](double a, double e) {
    if (std::isnan(a) || std::isnan(e)) return std::isnan(a) && std::isnan(e);
    if (std::isinf(a) || std::isinf(e)) return a == e;
    return std::fabs(a - e) <= tolerance * std::max(1.0, std::fabs(e));
  };
  for (int64_t i = 0; i < actual.element_count(); ++i) {
    if (!close(actual.GetAsDouble(i), expected.GetAsDouble(i)) ||
        !close(actual.GetImagAsDouble(i), expected.GetImagAsDouble(i))) {
      return Mismatch("expect_almost_eq", actual, expected, i);
    }
  }
  return absl::OkStatus();
}

absl::Status ExpectClose(const ir::Literal& actual, const ir::Literal& expected,
                         int64_t min_ulp_difference,
                         int64_t max_ulp_difference) {
  RETURN_IF_ERROR(CheckTypes("expect_close", actual, expected));
  const ir::ElementType type = actual.element_type();
  if (!ir::IsFloat(type) && !ir::IsComplex(type)) {
    return ExpectEq(actual, expected);
  }
  const int64_t n = actual.element_count();
  auto within = [&](uint64_t a, uint64_t e, int bits, double av, double ev,
                    uint64_t* distance) {
    *distance = 0;
    if (ComponentIsNan(av) || ComponentIsNan(ev)) {
      return ComponentIsNan(av) && ComponentIsNan(ev);
    }
    if (std::isinf(av) || std::isinf(ev)) return av == ev;
    *distance = UlpDistance(a, e, bits);
    return *distance >= static_cast<uint64_t>(min_ulp_difference) &&
           *distance <= static_cast<uint64_t>(max_ulp_difference);
  };
  for (int64_t i = 0; i < n; ++i) {
    uint64_t distance = 0;
    bool ok;
    if (ir::IsComplex(type)) {
      const int part = ir::ElementByteSize(type) / 2;
      uint64_t ar = 0, ai = 0, er = 0, ei = 0;
      std::memcpy(&ar, actual.untyped_data() + i * 2 * part, part);
      std::memcpy(&ai, actual.untyped_data() + i * 2 * part + part, part);
      std::memcpy(&er, expected.untyped_data() + i * 2 * part, part);
      std::memcpy(&ei, expected.untyped_data() + i * 2 * part + part, part);
      uint64_t d2 = 0;
      ok = within(ar, er, part * 8, actual.GetAsDouble(i),
                  expected.GetAsDouble(i), &distance) &&
           within(ai, ei, part * 8, actual.GetImagAsDouble(i),
                  expected.GetImagAsDouble(i), &d2);
      distance = std::max(distance, d2);
    } else {
      int bits = 0;
      const uint64_t a = FloatBitsAt(actual, i, &bits);
      const uint64_t e = FloatBitsAt(expected, i, &bits);
      ok = within(a, e, bits, actual.GetAsDouble(i), expected.GetAsDouble(i),
                  &distance);
    }
    if (!ok) {
      return Mismatch(
          "expect_close", actual, expected, i,
          absl::StrCat(", ", distance, " ULP apart, allowed [",
                       min_ulp_difference, ", ", max_ulp_difference, "]"));
    }
  }
  return absl::OkStatus();
}

}  // namespace backplane::interpreter
