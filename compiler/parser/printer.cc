#include "compiler/parser/printer.h"

#include <cctype>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace backplane::parser {
namespace {

using ir::Block;
using ir::Op;
using ir::Region;
using ir::Value;

bool IsBareId(const std::string& s) {
  if (s.empty()) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) {
    return false;
  }
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
          c == '$' || c == '.')) {
      return false;
    }
  }
  return true;
}

std::string SymbolName(const std::string& name) {
  // String attributes already know MLIR's escaping rules.
  if (IsBareId(name)) return absl::StrCat("@", name);
  return absl::StrCat("@", ir::Attribute::String(name).ToString());
}

class Printer {
 public:
  std::string Module(const ir::Module& m) {
    out_ = "module";
    if (!m.name().empty()) absl::StrAppend(&out_, " ", SymbolName(m.name()));
    if (!m.attributes().empty()) {
      absl::StrAppend(&out_, " attributes ", m.attributes().ToString());
    }
    out_ += " {\n";
    for (const auto& f : m.functions()) Function(*f);
    out_ += "}\n";
    for (const auto& [name, text] : m.location_aliases()) {
      absl::StrAppend(&out_, name, " = loc(", text, ")\n");
    }
    return std::move(out_);
  }

  std::string SingleOp(const Op& op) {
    indent_ = 0;
    PrintOp(op);
    return std::move(out_);
  }

 private:
  void Function(const ir::Function& f) {
    names_.clear();
    next_value_ = 0;
    next_arg_ = 0;
    absl::StrAppend(&out_, "  func.func ", f.is_public() ? "public " : "private ",
                    SymbolName(f.name()), "(");
    Block* entry = f.entry();
    for (int i = 0; i < entry->num_arguments(); ++i) {
      if (i) out_ += ", ";
      Value* arg = entry->argument(i);
      absl::StrAppend(&out_, Name(arg), ": ", arg->type().ToString());
      if (i < static_cast<int>(f.arg_attrs().size()) &&
          !f.arg_attrs()[i].empty()) {
        absl::StrAppend(&out_, " ", f.arg_attrs()[i].ToString());
      }
    }
    out_ += ")";
    if (!f.result_types().empty()) {
      out_ += " -> (";
      for (size_t i = 0; i < f.result_types().size(); ++i) {
        if (i) out_ += ", ";
        out_ += f.result_types()[i].ToString();
        if (i < f.result_attrs().size() && !f.result_attrs()[i].empty()) {
          absl::StrAppend(&out_, " ", f.result_attrs()[i].ToString());
        }
      }
      out_ += ")";
    }
    if (!f.attributes().empty()) {
      absl::StrAppend(&out_, " attributes ", f.attributes().ToString());
    }
    out_ += " {\n";
    indent_ = 4;
    for (const auto& op : entry->ops()) PrintOp(*op);
    out_ += "  }\n";
  }

  const std::string& Name(const Value* v) {
    auto it = names_.find(v);
    if (it != names_.end()) return it->second;
    std::string name;
    if (v->is_block_argument()) {
      name = absl::StrCat("%arg", next_arg_++);
    } else {
      // First sighting of an unnamed result (only in PrintOp on its own).
      name = absl::StrCat("%v", next_value_++);
    }
    return names_.emplace(v, std::move(name)).first->second;
  }

  void NameResults(const Op& op) {
    if (op.num_results() == 0) return;
    std::string base = absl::StrCat("%", next_value_++);
    if (op.num_results() == 1) {
      names_[op.result(0)] = base;
      return;
    }
    for (int i = 0; i < op.num_results(); ++i) {
      names_[op.result(i)] = absl::StrCat(base, "#", i);
    }
  }

  void PrintOp(const Op& op) {
    out_.append(indent_, ' ');
    NameResults(op);
    if (op.num_results() > 0) {
      const std::string& first = names_[op.result(0)];
      if (op.num_results() == 1) {
        absl::StrAppend(&out_, first, " = ");
      } else {
        absl::StrAppend(&out_, first.substr(0, first.find('#')), ":",
                        op.num_results(), " = ");
      }
    }
    absl::StrAppend(&out_, "\"", op.name(), "\"(");
    for (int i = 0; i < op.num_operands(); ++i) {
      if (i) out_ += ", ";
      out_ += Name(op.operand(i));
    }
    out_ += ")";
    if (op.num_regions() > 0) {
      out_ += " (";
      for (int r = 0; r < op.num_regions(); ++r) {
        if (r) out_ += ", ";
        PrintRegion(*op.region(r));
      }
      out_ += ")";
    }
    if (!op.attributes().empty()) {
      absl::StrAppend(&out_, " ", op.attributes().ToString());
    }
    out_ += " : (";
    for (int i = 0; i < op.num_operands(); ++i) {
      if (i) out_ += ", ";
      out_ += op.operand(i)->type().ToString();
    }
    out_ += ") -> ";
    if (op.num_results() == 1 && !op.result(0)->type().is_tuple()) {
      out_ += op.result(0)->type().ToString();
    } else {
      out_ += "(";
      for (int i = 0; i < op.num_results(); ++i) {
        if (i) out_ += ", ";
        out_ += op.result(i)->type().ToString();
      }
      out_ += ")";
    }
    if (!op.location().loc_text.empty()) {
      absl::StrAppend(&out_, " loc(", op.location().loc_text, ")");
    }
    out_ += "\n";
  }

  void PrintRegion(const Region& region) {
    out_ += "{\n";
    int saved = indent_;
    for (int b = 0; b < region.num_blocks(); ++b) {
      const Block* block = region.block(b);
      out_.append(saved, ' ');
      absl::StrAppend(&out_, "^bb", b);
      if (block->num_arguments() > 0) {
        out_ += "(";
        for (int i = 0; i < block->num_arguments(); ++i) {
          if (i) out_ += ", ";
          Value* arg = block->argument(i);
          absl::StrAppend(&out_, Name(arg), ": ", arg->type().ToString());
        }
        out_ += ")";
      }
      out_ += ":\n";
      indent_ = saved + 2;
      for (const auto& op : block->ops()) PrintOp(*op);
    }
    indent_ = saved;
    out_.append(saved, ' ');
    out_ += "}";
  }

  std::string out_;
  int indent_ = 0;
  int next_value_ = 0;
  int next_arg_ = 0;
  absl::flat_hash_map<const Value*, std::string> names_;
};

}  // namespace

std::string PrintModule(const ir::Module& module) {
  return Printer().Module(module);
}

std::string PrintOp(const ir::Op& op) { return Printer().SingleOp(op); }

}  // namespace backplane::parser
