#include "tools/bpl_run/statistics_json.h"

#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/json.h"

namespace backplane::bpl_run {
namespace {

// A recursive-descent JSON recogniser (RFC 8259 grammar); the depth limit
// keeps hostile plugin strings from exhausting the stack.
class JsonRecogniser {
 public:
  explicit JsonRecogniser(absl::string_view text) : text_(text) {}

  bool WholeTextIsContainer() {
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '{' && text_[pos_] != '[')) {
      return false;
    }
    if (!Value(0)) return false;
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  static constexpr int kMaxDepth = 64;

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool Literal(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool Digits() {
    const size_t start = pos_;
    while (pos_ < text_.size() && absl::ascii_isdigit(text_[pos_])) ++pos_;
    return pos_ > start;
  }
  bool Number() {
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!Digits()) {
      return false;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!Digits()) return false;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) {
        ++pos_;
      }
      if (!Digits()) return false;
    }
    return true;
  }
  bool String() {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') continue;
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      if (e == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (pos_ >= text_.size() || !absl::ascii_isxdigit(text_[pos_])) {
            return false;
          }
          ++pos_;
        }
      } else if (absl::string_view("\"\\/bfnrt").find(e) ==
                 absl::string_view::npos) {
        return false;
      }
    }
    return false;
  }
  bool Value(int depth) {
    if (depth > kMaxDepth) return false;
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        ++pos_;
        if (Eat('}')) return true;
        do {
          SkipSpace();
          if (!String() || !Eat(':') || !Value(depth + 1)) return false;
        } while (Eat(','));
        return Eat('}');
      case '[':
        ++pos_;
        if (Eat(']')) return true;
        do {
          if (!Value(depth + 1)) return false;
        } while (Eat(','));
        return Eat(']');
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

std::string DoubleJson(double d) {
  if (std::isnan(d)) return "\"nan\"";
  if (std::isinf(d)) return d > 0 ? "\"inf\"" : "\"-inf\"";
  // Enough digits to round-trip a double.
  return absl::StrFormat("%.17g", d);
}

std::string ValueJson(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return absl::StrCat(*i);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&value)) return DoubleJson(*d);
  if (const auto* s = std::get_if<std::string>(&value)) {
    return IsJsonObjectOrArray(*s) ? std::string(absl::StripAsciiWhitespace(*s))
                                   : base::JsonQuote(*s);
  }
  if (const auto* l = std::get_if<std::vector<int64_t>>(&value)) {
    return absl::StrCat("[", absl::StrJoin(*l, ","), "]");
  }
  const auto& strings = std::get<std::vector<std::string>>(value);
  return absl::StrCat("[",
                      absl::StrJoin(strings, ",",
                                    [](std::string* out, const std::string& s) {
                                      absl::StrAppend(out, base::JsonQuote(s));
                                    }),
                      "]");
}

}  // namespace

bool IsJsonObjectOrArray(absl::string_view text) {
  return JsonRecogniser(text).WholeTextIsContainer();
}

std::string StatisticsJsonMembers(const std::vector<NamedValue>& values,
                                  int64_t measured_wall_ns) {
  std::vector<std::string> members;
  std::set<std::string> seen;
  bool has_wall_ns = false;
  for (const NamedValue& v : values) has_wall_ns |= v.name == "wall_ns";
  if (!has_wall_ns) {
    members.push_back(absl::StrCat("\"wall_ns\":", measured_wall_ns));
  }
  for (const NamedValue& v : values) {
    if (!seen.insert(v.name).second) continue;
    members.push_back(
        absl::StrCat(base::JsonQuote(v.name), ":", ValueJson(v.value)));
  }
  return absl::StrJoin(members, ",");
}

}  // namespace backplane::bpl_run
