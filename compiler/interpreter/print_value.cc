#include "compiler/interpreter/print_value.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "compiler/ir/element_type.h"

namespace backplane::interpreter {
namespace {

std::string ElementText(const ir::Literal& x, int64_t i) {
  const ir::ElementType type = x.element_type();
  if (ir::IsPred(type)) return x.GetAsInt64(i) != 0 ? "true" : "false";
  if (type == ir::ElementType::kU64) {
    return absl::StrCat(x.data<uint64_t>()[i]);
  }
  if (ir::IsInteger(type)) return absl::StrCat(x.GetAsInt64(i));
  if (ir::IsComplex(type)) {
    return absl::StrFormat("(%e, %e)", x.GetAsDouble(i), x.GetImagAsDouble(i));
  }
  return absl::StrFormat("%e", x.GetAsDouble(i));
}

// Appends dimension `d` of the elements from `*next` on, indented for
// nesting depth d + 1.
void AppendDimension(const ir::Literal& x, size_t d, int64_t* next,
                     std::string* out) {
  const int64_t size = x.dims()[d];
  if (d + 1 == x.dims().size()) {
    absl::StrAppend(out, "[");
    for (int64_t i = 0; i < size; ++i) {
      absl::StrAppend(out, i > 0 ? ", " : "", ElementText(x, (*next)++));
    }
    absl::StrAppend(out, "]");
    return;
  }
  const std::string inner(2 * (d + 2), ' ');
  absl::StrAppend(out, "[\n");
  for (int64_t i = 0; i < size; ++i) {
    absl::StrAppend(out, inner);
    AppendDimension(x, d + 1, next, out);
    absl::StrAppend(out, i + 1 < size ? ",\n" : "\n");
  }
  absl::StrAppend(out, std::string(2 * (d + 1), ' '), "]");
}

}  // namespace

std::string FormatPrintedValue(const ir::Literal& value) {
  std::string out = absl::StrCat(value.type().ToString(), " {");
  if (value.dims().empty()) {
    absl::StrAppend(&out, ElementText(value, 0), "}\n");
    return out;
  }
  absl::StrAppend(&out, "\n  ");
  int64_t next = 0;
  AppendDimension(value, 0, &next, &out);
  absl::StrAppend(&out, "\n}\n");
  return out;
}

void WritePrintedValue(const ir::Literal& value) {
  const std::string text = FormatPrintedValue(value);
  // One fwrite: stdio locks the stream for the whole call.
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace backplane::interpreter
