#include "compiler/parser/dense_literal.h"

#include <cmath>
#include <complex>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "compiler/ir/element_type.h"
#include "compiler/ir/float16.h"

namespace backplane::parser {
namespace {

using ir::ElementType;

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsHexText(absl::string_view t) {
  return t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
}

// Parses the unsigned magnitude of an integer token (decimal or hex).
absl::StatusOr<uint64_t> ParseMagnitude(absl::string_view text) {
  uint64_t v = 0;
  if (IsHexText(text)) {
    if (text.size() > 18) {
      return absl::InvalidArgumentError(
          absl::StrCat("hex literal ", text, " is wider than 64 bits"));
    }
    for (char c : text.substr(2)) v = v * 16 + HexDigit(c);
    return v;
  }
  if (!absl::SimpleAtoi(text, &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("integer ", text, " does not fit in 64 bits"));
  }
  return v;
}

absl::Status StoreInteger(const DenseScalar& s, ElementType t, uint8_t* dst) {
  if (s.kind == DenseScalar::Kind::kFloat) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an integer for ", ir::ElementTypeToMlir(t),
                     ", got ", s.negative ? "-" : "", s.text));
  }
  int bits = ir::ElementBitWidth(t);
  int bytes = ir::ElementByteSize(t);
  uint64_t magnitude;
  if (s.kind == DenseScalar::Kind::kBool) {
    if (t != ElementType::kPred) {
      return absl::InvalidArgumentError(absl::StrCat(
          "boolean ", s.text, " is not a valid ", ir::ElementTypeToMlir(t)));
    }
    magnitude = s.text == "true" ? 1 : 0;
  } else {
    ASSIGN_OR_RETURN(auto m, ParseMagnitude(s.text));
    magnitude = m;
  }
  bool is_signed = ir::IsSignedInteger(t);
  uint64_t pattern;
  bool fits;
  uint64_t max_unsigned = bits == 64 ? std::numeric_limits<uint64_t>::max()
                                     : (uint64_t{1} << bits) - 1;
  if (IsHexText(s.text) && !s.negative) {
    // Hex is a bit pattern of the element width.
    fits = magnitude <= max_unsigned;
    pattern = magnitude;
    if (is_signed && bits < 64 && (pattern >> (bits - 1)) & 1) {
      pattern |= ~max_unsigned;  // Sign-extend into the storage.
    }
  } else if (is_signed) {
    uint64_t limit = uint64_t{1} << (bits - 1);  // |min|
    fits = s.negative ? magnitude <= limit : magnitude < limit;
    pattern = s.negative ? ~magnitude + 1 : magnitude;
  } else {
    fits = magnitude <= max_unsigned && (!s.negative || magnitude == 0);
    pattern = magnitude;
  }
  if (!fits) {
    return absl::InvalidArgumentError(
        absl::StrCat("integer ", s.negative ? "-" : "", s.text,
                     " is out of range for ", ir::ElementTypeToMlir(t)));
  }
  std::memcpy(dst, &pattern, bytes);  // Little-endian truncation.
  return absl::OkStatus();
}

absl::Status StoreFloat(const DenseScalar& s, ElementType t, uint8_t* dst) {
  if (s.kind == DenseScalar::Kind::kBool) {
    return absl::InvalidArgumentError(absl::StrCat(
        "boolean ", s.text, " is not a valid ", ir::ElementTypeToMlir(t)));
  }
  int bytes = ir::ElementByteSize(t);
  if (s.kind == DenseScalar::Kind::kInteger && IsHexText(s.text)) {
    ASSIGN_OR_RETURN(auto m, ParseMagnitude(s.text));
    // The pattern must fit the type's bits (6 for f6E2M3FN, in one byte).
    const int bits = ir::ElementBitWidth(t);
    if (s.negative || (bits < 64 && m >> bits) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("hex bit pattern ", s.text,
                                                     " does not fit ",
                                                     ir::ElementTypeToMlir(t)));
    }
    uint64_t pattern = m;
    std::memcpy(dst, &pattern, bytes);
    return absl::OkStatus();
  }
  double v;
  std::string digits(s.text);
  char* end = nullptr;
  v = std::strtod(digits.c_str(), &end);
  if (end != digits.c_str() + digits.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed floating-point literal ", s.text));
  }
  if (s.negative) v = -v;
  switch (t) {
    case ElementType::kF64:
      std::memcpy(dst, &v, 8);
      break;
    case ElementType::kF32: {
      float f = static_cast<float>(v);
      std::memcpy(dst, &f, 4);
      break;
    }
    case ElementType::kF16: {
      uint16_t h = ir::DoubleToHalf(v);
      std::memcpy(dst, &h, 2);
      break;
    }
    case ElementType::kBF16: {
      uint16_t h = ir::DoubleToBF16(v);
      std::memcpy(dst, &h, 2);
      break;
    }
    default:
      if (const ir::ByteFloatFormat* f = ir::ByteFloatFormatOf(t)) {
        *dst = ir::DoubleToByteFloat(*f, v);
        break;
      }
      return absl::InternalError("StoreFloat on a non-float type");
  }
  return absl::OkStatus();
}

absl::Status StoreElement(const DenseElement& e, ElementType t, uint8_t* dst) {
  if (ir::IsComplex(t)) {
    if (!e.is_complex) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expected a (real, imaginary) pair for ", ir::ElementTypeToMlir(t)));
    }
    ElementType part = ir::ComplexComponentType(t);
    int half = ir::ElementByteSize(part);
    RETURN_IF_ERROR(StoreFloat(e.real, part, dst));
    return StoreFloat(e.imag, part, dst + half);
  }
  if (e.is_complex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "complex pair given for non-complex type ", ir::ElementTypeToMlir(t)));
  }
  if (ir::IsFloat(t)) return StoreFloat(e.real, t, dst);
  return StoreInteger(e.real, t, dst);
}

}  // namespace

absl::StatusOr<std::string> DecodeHexBytes(absl::string_view hex) {
  if (!IsHexText(hex) && hex != "0x") {
    return absl::InvalidArgumentError("hex string must start with 0x");
  }
  absl::string_view digits = hex.substr(2);
  if (digits.size() % 2 != 0) {
    return absl::InvalidArgumentError("hex string has an odd number of digits");
  }
  std::string out(digits.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexDigit(digits[2 * i]), lo = HexDigit(digits[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid hex digit in string at byte ", i));
    }
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

absl::Status CheckLiteralSize(const ir::TensorType& type, int64_t max_bytes) {
  ASSIGN_OR_RETURN(auto count,
                   ir::TensorType::CheckedElementCount(type.dims()));
  int64_t size = ir::ElementByteSize(type.element_type());
  if (size > 0 && count > max_bytes / size) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "constant of type ", type.ToString(), " needs ", count * size,
        " bytes, more than the limit of ", max_bytes));
  }
  return absl::OkStatus();
}

absl::StatusOr<ir::Literal> BuildDenseLiteral(const DenseElements& parsed,
                                              const ir::TensorType& type,
                                              int64_t max_bytes) {
  ElementType t = type.element_type();
  if (t == ElementType::kInvalid) {
    return absl::InvalidArgumentError("dense literal has no element type");
  }
  RETURN_IF_ERROR(CheckLiteralSize(type, max_bytes));
  ir::Literal lit(type);
  int64_t n = lit.element_count();
  int esize = ir::ElementByteSize(t);
  uint8_t* data = lit.untyped_data();

  if (parsed.is_hex) {
    int64_t have = static_cast<int64_t>(parsed.hex_bytes.size());
    if (have == lit.byte_size()) {
      std::memcpy(data, parsed.hex_bytes.data(), have);
    } else if (have == esize && n > 0) {
      for (int64_t i = 0; i < n; ++i) {
        std::memcpy(data + i * esize, parsed.hex_bytes.data(), esize);
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "hex data has ", have, " bytes but ", type.ToString(), " needs ",
          lit.byte_size(), " (or ", esize, " for a splat)"));
    }
    if (t == ElementType::kPred) {
      for (int64_t i = 0; i < n; ++i) data[i] = data[i] != 0;
    }
    return lit;
  }

  if (!parsed.bracketed) {
    if (parsed.elements.size() != 1) {
      return absl::InvalidArgumentError("expected one splat element");
    }
    if (n == 0) return lit;
    RETURN_IF_ERROR(StoreElement(parsed.elements[0], t, data));
    for (int64_t i = 1; i < n; ++i) std::memcpy(data + i * esize, data, esize);
    return lit;
  }

  bool zero_sized = n == 0 && parsed.elements.empty();
  if (!zero_sized && parsed.shape != type.dims()) {
    // A single bracketed element is also accepted as a splat, like MLIR.
    if (parsed.elements.size() == 1 && parsed.shape.size() == 1) {
      DenseElements splat = parsed;
      splat.bracketed = false;
      splat.shape.clear();
      return BuildDenseLiteral(splat, type, max_bytes);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("literal shape [", absl::StrJoin(parsed.shape, "x"),
                     "] does not match type ", type.ToString()));
  }
  if (static_cast<int64_t>(parsed.elements.size()) != n) {
    return absl::InvalidArgumentError(
        absl::StrCat("literal has ", parsed.elements.size(), " elements but ",
                     type.ToString(), " needs ", n));
  }
  for (int64_t i = 0; i < n; ++i) {
    absl::Status st = StoreElement(parsed.elements[i], t, data + i * esize);
    if (!st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("element ", i, ": ", st.message()));
    }
  }
  return lit;
}

}  // namespace backplane::parser
