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
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
          c == '.')) {
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
    for (const auto& [name, text] : m.meshes()) {
      absl::StrAppend(&out_, "  sdy.mesh ", SymbolName(name), " = ", text,
                      "\n");
    }
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
    absl::StrAppend(&out_, "  func.func ",
                    f.is_public() ? "public " : "private ",
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
    if (!PrintPretty(op)) PrintGeneric(op);
    if (!op.location().loc_text.empty()) {
      absl::StrAppend(&out_, " loc(", op.location().loc_text, ")");
    }
    out_ += "\n";
  }

  // Operands as "%a, %b".
  std::string OperandList(const Op& op) {
    std::string s;
    for (int i = 0; i < op.num_operands(); ++i) {
      if (i) s += ", ";
      s += Name(op.operand(i));
    }
    return s;
  }

  // " : T" when every operand and the single result share T, else the
  // functional " : (Ts) -> Rs".
  std::string Signature(const Op& op) {
    bool same = op.num_results() == 1 && op.num_operands() > 0;
    for (int i = 0; same && i < op.num_operands(); ++i) {
      same = op.operand(i)->type() == op.result(0)->type();
    }
    if (same) return absl::StrCat(" : ", op.result(0)->type().ToString());
    std::string s = " : (";
    for (int i = 0; i < op.num_operands(); ++i) {
      if (i) s += ", ";
      s += op.operand(i)->type().ToString();
    }
    s += ") -> ";
    if (op.num_results() == 1 && !op.result(0)->type().is_tuple()) {
      return s + op.result(0)->type().ToString();
    }
    s += "(";
    for (int i = 0; i < op.num_results(); ++i) {
      if (i) s += ", ";
      s += op.result(i)->type().ToString();
    }
    return s + ")";
  }

  // Attribute `name` as an i64 dense array, or nullptr.
  static const ir::Attribute* I64Array(const Op& op, absl::string_view name) {
    const ir::Attribute* a = op.attr(name);
    if (!a || a->kind() != ir::Attribute::Kind::kDenseArray ||
        a->int_type() != ir::ElementType::kS64) {
      return nullptr;
    }
    return a;
  }
  static std::string IntList(const std::vector<int64_t>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += ", ";
      absl::StrAppend(&s, v[i]);
    }
    return s + "]";
  }

  // The custom syntax of common ops, when their attributes are exactly what
  // that syntax can express; false to fall back to the generic form.
  bool PrintPretty(const Op& op) {
    if (op.code() == ir::OpCode::kUnknown || op.num_regions() > 0) return false;
    const ir::NamedAttrList& attrs = op.attributes();
    const std::string name(op.name());
    switch (op.code()) {
      case ir::OpCode::kConstant: {
        const ir::Attribute* v = op.attr("value");
        if (attrs.size() != 1 || !v ||
            v->kind() != ir::Attribute::Kind::kDenseElements ||
            op.num_results() != 1 ||
            op.result(0)->type() != ir::Type::Tensor(v->literal().type())) {
          return false;
        }
        absl::StrAppend(&out_, name, " ", v->ToString());
        return true;
      }
      case ir::OpCode::kFuncReturn:
      case ir::OpCode::kReturn: {
        if (!attrs.empty()) return false;
        absl::StrAppend(&out_,
                        op.code() == ir::OpCode::kFuncReturn ? "return" : name);
        if (op.num_operands() > 0) {
          absl::StrAppend(&out_, " ", OperandList(op), " : ",
                          ir::TypeListToString(op.operand_types()));
        }
        return true;
      }
      case ir::OpCode::kFuncCall: {
        const ir::Attribute* callee = op.attr("callee");
        if (attrs.size() != 1 || !callee ||
            callee->kind() != ir::Attribute::Kind::kSymbolRef) {
          return false;
        }
        absl::StrAppend(&out_, "call ", callee->ToString(), "(",
                        OperandList(op), ")");
        std::string sig = Signature(op);
        if (sig.find("->") == std::string::npos) {  // Always functional here.
          sig = absl::StrCat(" : (", ir::TypeListToString(op.operand_types()),
                             ") -> ", op.result(0)->type().ToString());
        }
        out_ += sig;
        return true;
      }
      case ir::OpCode::kCompare: {
        const ir::Attribute* dir = op.attr("comparison_direction");
        const ir::Attribute* type = op.attr("compare_type");
        if (!dir || dir->kind() != ir::Attribute::Kind::kEnum ||
            dir->enum_dialect() != "stablehlo" || op.num_operands() != 2 ||
            attrs.size() != (type ? 2u : 1u) ||
            (type && (type->kind() != ir::Attribute::Kind::kEnum ||
                      type->enum_dialect() != "stablehlo"))) {
          return false;
        }
        absl::StrAppend(&out_, name, " ",
                        ir::EnumValueName(dir->enum_kind(), dir->enum_value()),
                        ", ", OperandList(op));
        if (type) {
          absl::StrAppend(
              &out_, ", ",
              ir::EnumValueName(type->enum_kind(), type->enum_value()));
        }
        out_ += Signature(op);
        return true;
      }
      case ir::OpCode::kBroadcastInDim:
      case ir::OpCode::kTranspose: {
        const char* attr = op.code() == ir::OpCode::kTranspose
                               ? "permutation"
                               : "broadcast_dimensions";
        const ir::Attribute* dims = I64Array(op, attr);
        if (attrs.size() != 1 || !dims || op.num_operands() != 1) return false;
        absl::StrAppend(&out_, name, " ", OperandList(op),
                        ", dims = ", IntList(dims->dense_array()),
                        Signature(op));
        return true;
      }
      case ir::OpCode::kIota:
      case ir::OpCode::kConcatenate: {
        const char* attr =
            op.code() == ir::OpCode::kIota ? "iota_dimension" : "dimension";
        const ir::Attribute* dim = op.attr(attr);
        if (attrs.size() != 1 || !dim ||
            dim->kind() != ir::Attribute::Kind::kInteger ||
            dim->int_type() != ir::ElementType::kS64 || dim->is_index_type() ||
            op.num_results() != 1) {
          return false;
        }
        if (op.code() == ir::OpCode::kIota) {
          if (op.num_operands() != 0) return false;
          absl::StrAppend(&out_, name, " dim = ", dim->int_value(), " : ",
                          op.result(0)->type().ToString());
        } else {
          if (op.num_operands() == 0) return false;
          absl::StrAppend(&out_, name, " ", OperandList(op),
                          ", dim = ", dim->int_value(), Signature(op));
        }
        return true;
      }
      case ir::OpCode::kDotGeneral: {
        const ir::Attribute* d = op.attr("dot_dimension_numbers");
        if (attrs.size() != 1 || !d || !d->dot_dimension_numbers() ||
            op.num_operands() != 2) {
          return false;
        }
        const ir::DotDimensionNumbers& n = *d->dot_dimension_numbers();
        absl::StrAppend(&out_, name, " ", OperandList(op));
        if (!n.lhs_batching_dimensions.empty() ||
            !n.rhs_batching_dimensions.empty()) {
          absl::StrAppend(
              &out_, ", batching_dims = ", IntList(n.lhs_batching_dimensions),
              " x ", IntList(n.rhs_batching_dimensions));
        }
        absl::StrAppend(&out_, ", contracting_dims = ",
                        IntList(n.lhs_contracting_dimensions), " x ",
                        IntList(n.rhs_contracting_dimensions), Signature(op));
        return true;
      }
      case ir::OpCode::kCustomCall:
      case ir::OpCode::kComposite:
      case ir::OpCode::kGetTupleElement:
      case ir::OpCode::kWhile:
      case ir::OpCode::kReduce:
      case ir::OpCode::kSlice:
        return false;  // Special syntax; the generic form is exact.
      default:
        break;
    }
    // Any other known op without attributes: `name %a, %b : signature`.
    if (!attrs.empty()) return false;
    absl::StrAppend(&out_, name);
    if (op.num_operands() > 0) absl::StrAppend(&out_, " ", OperandList(op));
    out_ += Signature(op);
    return true;
  }

  void PrintGeneric(const Op& op) {
    absl::StrAppend(&out_, ir::QuoteString(op.name()), "(");
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
