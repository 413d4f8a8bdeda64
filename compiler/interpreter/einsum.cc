#include "compiler/interpreter/einsum.h"

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/ir/legacy_op_rules.h"
#include "compiler/kernels/elementwise/convert.h"

namespace backplane::interpreter {
namespace {

// Guards against configs whose nested loops would not finish: the product
// of all letter sizes (result letters times summed letters).
constexpr double kMaxEinsumWork = 68719476736.0;  // 2^36.

// Per letter: its size and, per operand, the sum of the strides of the
// dimensions it names (a repeated letter walks the diagonal).
struct LetterInfo {
  int64_t size = -1;
  std::vector<int64_t> stride;
};

// Steps an odometer over `letters` (last letter fastest), moving each
// operand's element offset along.
void Advance(const std::vector<int>& letters,
             const std::vector<LetterInfo>& info, std::vector<int64_t>& counter,
             std::vector<int64_t>& offset) {
  for (size_t l = letters.size(); l-- > 0;) {
    const LetterInfo& li = info[letters[l]];
    if (++counter[l] < li.size) {
      for (size_t k = 0; k < offset.size(); ++k) offset[k] += li.stride[k];
      return;
    }
    counter[l] = 0;
    for (size_t k = 0; k < offset.size(); ++k) {
      offset[k] -= li.stride[k] * (li.size - 1);
    }
  }
}

// out[r] = sum over the summed letters of the product of the operands'
// elements, for every result position r in row-major order.
template <typename Acc, typename Get>
void Contract(const std::vector<int>& result_letters,
              const std::vector<int>& summed_letters,
              const std::vector<LetterInfo>& info,
              absl::Span<const ir::Literal* const> operands, Get get,
              std::vector<Acc>& out) {
  const size_t n = operands.size();
  int64_t summed_count = 1;
  for (int letter : summed_letters) summed_count *= info[letter].size;
  std::vector<int64_t> result_counter(result_letters.size(), 0);
  std::vector<int64_t> base(n, 0);
  for (Acc& o : out) {
    std::vector<int64_t> summed_counter(summed_letters.size(), 0);
    std::vector<int64_t> offset = base;
    Acc acc{};
    for (int64_t s = 0; s < summed_count; ++s) {
      Acc product = get(*operands[0], offset[0]);
      for (size_t k = 1; k < n; ++k) product *= get(*operands[k], offset[k]);
      acc += product;
      Advance(summed_letters, info, summed_counter, offset);
    }
    o = acc;
    Advance(result_letters, info, result_counter, base);
  }
}

}  // namespace

absl::StatusOr<ir::Literal> Einsum(
    absl::string_view text, absl::Span<const ir::Literal* const> operands,
    const ir::TensorType& result_type) {
  ASSIGN_OR_RETURN(ir::EinsumConfig config, ir::ParseEinsumConfig(text));
  const size_t n = operands.size();
  const ir::ElementType type = result_type.element_type();
  std::vector<std::vector<int64_t>> operand_dims;
  for (size_t k = 0; k < n; ++k) {
    if (operands[k]->element_type() != type) {
      return absl::InvalidArgumentError(absl::StrCat(
          "einsum operand ", k, " is ", operands[k]->type().ToString(),
          ", the result element type is ", ir::ElementTypeToMlir(type)));
    }
    operand_dims.push_back(operands[k]->dims());
  }
  ASSIGN_OR_RETURN(const std::vector<int64_t> result_dims,
                   ir::InferEinsumDims(config, operand_dims));
  if (result_dims != result_type.dims()) {
    return absl::InvalidArgumentError(
        absl::StrCat("einsum_config '", text, "' gives result dimensions [",
                     absl::StrJoin(result_dims, ","), "], the result type is ",
                     result_type.ToString()));
  }
  // Sizes are consistent now; collect each letter's strides.
  std::vector<LetterInfo> info(128);
  for (size_t k = 0; k < n; ++k) {
    const std::string& letters = config.operands[k];
    const std::vector<int64_t> strides =
        ir::RowMajorStrides(operands[k]->dims());
    for (size_t d = 0; d < letters.size(); ++d) {
      LetterInfo& li = info[static_cast<unsigned char>(letters[d])];
      li.size = operands[k]->dims()[d];
      li.stride.resize(n, 0);
      li.stride[k] += strides[d];
    }
  }
  std::vector<int> loop_letters;
  for (char c : config.result) {
    loop_letters.push_back(static_cast<unsigned char>(c));
  }
  std::vector<int> summed_letters;
  double work = 1;
  for (int letter = 0; letter < 128; ++letter) {
    if (info[letter].size < 0) continue;
    work *= static_cast<double>(info[letter].size);
    bool in_result = false;
    for (int r : loop_letters) in_result |= r == letter;
    if (!in_result) summed_letters.push_back(letter);
  }
  if (work > kMaxEinsumWork) {
    return absl::ResourceExhaustedError(
        absl::StrCat("einsum '", text, "' would take ", work,
                     " multiply-adds, over the limit of ", kMaxEinsumWork));
  }
  ir::Literal result(result_type);
  const size_t count = static_cast<size_t>(result.element_count());
  // A zero-sized summed letter leaves the zero sums; a zero-sized result
  // letter leaves nothing to compute.
  bool empty = false;
  for (int letter : summed_letters) empty |= info[letter].size == 0;
  if (empty || count == 0) return result;
  if (ir::IsComplex(type)) {
    std::vector<std::complex<double>> out(count);
    Contract<std::complex<double>>(
        loop_letters, summed_letters, info, operands,
        [](const ir::Literal& x, int64_t i) {
          return std::complex<double>(x.GetAsDouble(i), x.GetImagAsDouble(i));
        },
        out);
    if (absl::Status s = kernels::elementwise::ConvertInto(
            ir::ElementType::kC128, type, count, out.data(),
            result.untyped_data());
        !s.ok()) {
      return s;
    }
  } else if (ir::IsFloat(type)) {
    std::vector<double> out(count);
    Contract<double>(
        loop_letters, summed_letters, info, operands,
        [](const ir::Literal& x, int64_t i) { return x.GetAsDouble(i); }, out);
    if (absl::Status s = kernels::elementwise::ConvertInto(
            ir::ElementType::kF64, type, count, out.data(),
            result.untyped_data());
        !s.ok()) {
      return s;
    }
  } else if (ir::IsInteger(type)) {
    // Unsigned arithmetic wraps like the kernels' integer ops.
    std::vector<uint64_t> out(count);
    Contract<uint64_t>(
        loop_letters, summed_letters, info, operands,
        [](const ir::Literal& x, int64_t i) {
          return static_cast<uint64_t>(x.GetAsInt64(i));
        },
        out);
    if (absl::Status s = kernels::elementwise::ConvertInto(
            ir::ElementType::kU64, type, count, out.data(),
            result.untyped_data());
        !s.ok()) {
      return s;
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "einsum does not support element type ", ir::ElementTypeToMlir(type)));
  }
  return result;
}

}  // namespace backplane::interpreter
