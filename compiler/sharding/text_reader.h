// The small scanner behind the sharding parsers (hlo_sharding.cc,
// sdy_sharding.cc): tokens separated by optional blanks, integers, quoted
// names, and errors that quote the text and name the offset.
#ifndef BACKPLANE_COMPILER_SHARDING_TEXT_READER_H_
#define BACKPLANE_COMPILER_SHARDING_TEXT_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"

namespace backplane::sharding::internal {

// More devices than any mesh has: bounds the memory a hostile string makes
// a parser allocate (an expanded iota list, a device list to check).
inline constexpr int64_t kMaxDevices = int64_t{1} << 20;

class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  absl::Status Error(absl::string_view expected) const {
    return absl::InvalidArgumentError(absl::StrCat(
        "sharding \"", text_, "\" at offset ", pos_, ": expected ", expected));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < text_.size() && text_[pos_] == c;
  }
  bool Consume(absl::string_view token) {
    SkipSpace();
    if (!absl::StartsWith(text_.substr(pos_), token)) return false;
    pos_ += token.size();
    return true;
  }
  absl::Status Expect(absl::string_view token) {
    return Consume(token) ? absl::OkStatus()
                          : Error(absl::StrCat("'", token, "'"));
  }
  // A bare symbol name: letters, digits, '_', '.', '$', '-' (may be empty).
  std::string Identifier() {
    SkipSpace();
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '_' ||
            text_[pos_] == '.' || text_[pos_] == '$' || text_[pos_] == '-')) {
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }
  absl::StatusOr<int64_t> Int() {
    SkipSpace();
    size_t end = pos_;
    if (end < text_.size() && text_[end] == '-') ++end;
    while (end < text_.size() && absl::ascii_isdigit(text_[end])) ++end;
    int64_t value;
    if (!absl::SimpleAtoi(text_.substr(pos_, end - pos_), &value)) {
      return Error("an integer");
    }
    pos_ = end;
    return value;
  }
  // `open` int (',' int)* `close`, possibly empty.
  absl::StatusOr<std::vector<int64_t>> IntList(char open, char close) {
    RETURN_IF_ERROR(Expect(std::string(1, open)));
    std::vector<int64_t> values;
    if (Consume(std::string(1, close))) return values;
    do {
      ASSIGN_OR_RETURN(int64_t v, Int());
      values.push_back(v);
    } while (Consume(","));
    RETURN_IF_ERROR(Expect(std::string(1, close)));
    return values;
  }
  // A "quoted" name (no escapes inside).
  absl::StatusOr<std::string> String() {
    RETURN_IF_ERROR(Expect("\""));
    const size_t end = text_.find('"', pos_);
    if (end == absl::string_view::npos) return Error("a closing '\"'");
    std::string value(text_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return value;
  }
  // The product of `sizes` (tile, iota or mesh dimensions), or an error
  // naming `what` when one is below 1 or the product passes kMaxDevices.
  absl::StatusOr<int64_t> DeviceCount(const std::vector<int64_t>& sizes,
                                      absl::string_view what) const {
    int64_t product = 1;
    for (int64_t d : sizes) {
      if (d < 1 || product > kMaxDevices / d) {
        return Error(absl::StrCat(what, " of positive sizes with at most ",
                                  kMaxDevices, " devices"));
      }
      product *= d;
    }
    return product;
  }
  // Skips a balanced {...} (metadata), strings included.
  absl::Status SkipBraces() {
    RETURN_IF_ERROR(Expect("{"));
    int depth = 1;
    bool quoted = false;
    while (pos_ < text_.size() && depth > 0) {
      const char c = text_[pos_++];
      if (quoted) {
        if (c == '\\') ++pos_;
        if (c == '"') quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        --depth;
      }
    }
    return depth == 0 ? absl::OkStatus() : Error("'}' closing metadata");
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace backplane::sharding::internal

#endif  // BACKPLANE_COMPILER_SHARDING_TEXT_READER_H_
