// JSON for every layer: one reader (plugin manifests, reports read back by
// tests) and one writer (bpl_run's and the conformance suite's reports, the
// simulator's traces).
//
// Reading: RFC 8259 JSON, errors with line and column, nesting at most 64
// deep. Values are read-only; documents are expected to be small.
//
//   ASSIGN_OR_RETURN(base::JsonValue doc, base::ParseJson(text));
//   if (const base::JsonValue* name = doc.Find("name")) ...
//
// Writing: JsonWriter appends to a string and places the commas; keys and
// string values are escaped (control characters as \uXXXX). Misuse (a value
// where a key is due, unbalanced End calls) is a programming error caught by
// a debug assertion.
//
//   base::JsonWriter w;
//   w.BeginObject();
//   w.Key("plugin").String(name);
//   w.Key("passed").Int(17);
//   w.Key("families").BeginArray().String("Numerics").EndArray();
//   w.EndObject();
//   std::string text = std::move(w).Take();
//
// For a string spliced into hand-built text, JsonQuote(text) gives the quoted,
// escaped form.
#ifndef BACKPLANE_BASE_JSON_H_
#define BACKPLANE_BASE_JSON_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace backplane::base {

class JsonValue {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const { return kind_; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_array() const { return kind_ == Kind::kArray; }

  bool bool_value() const { return bool_; }
  double number_value() const { return number_; }
  const std::string& string_value() const { return string_; }
  const std::vector<JsonValue>& array() const { return array_; }
  // Object members in document order.
  const std::vector<std::pair<std::string, JsonValue>>& members() const {
    return members_;
  }
  // The member named `key`, or nullptr.
  const JsonValue* Find(absl::string_view key) const;

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> members_;
};

// Parses one JSON document (surrounding white space allowed).
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

// `text` as a quoted JSON string: '"', '\\' and control characters escaped.
// Bytes >= 0x80 pass through unchanged (UTF-8 stays UTF-8).
std::string JsonQuote(absl::string_view text);
// Appends JsonQuote(text) to `out`.
void AppendJsonQuoted(std::string* out, absl::string_view text);

class JsonWriter {
 public:
  // `indent` > 0 writes one member or element per line, indented by that
  // many spaces per level; 0 writes everything on one line.
  explicit JsonWriter(int indent = 0) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next member's name; must be followed by exactly one value.
  JsonWriter& Key(absl::string_view key);
  JsonWriter& String(absl::string_view value);
  JsonWriter& Int(int64_t value);
  // Finite values print with up to 17 significant digits; NaN and
  // infinities, which JSON cannot express, print as null.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Already-serialized JSON (for example another writer's output).
  JsonWriter& Raw(absl::string_view json);

  const std::string& text() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void BeforeValue();
  // The separator and line break before a member or element of the
  // innermost container.
  void StartItem();
  void Newline();

  struct Level {
    bool object;
    bool empty = true;
  };
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
  int indent_;
};

}  // namespace backplane::base

#endif  // BACKPLANE_BASE_JSON_H_
