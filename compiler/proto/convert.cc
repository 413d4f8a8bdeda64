#include "compiler/proto/convert.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/element_types.h"
#include "base/status_macros.h"

namespace backplane::proto {

// The generated messages (package backplane.ir.proto).
namespace pb = ::backplane::ir::proto;

using ir::Attribute;
using ir::Block;
using ir::ConvDimensionNumbers;
using ir::DotDimensionNumbers;
using ir::ElementType;
using ir::EnumKind;
using ir::Function;
using ir::GatherDimensionNumbers;
using ir::Literal;
using ir::Location;
using ir::Module;
using ir::NamedAttrList;
using ir::Op;
using ir::OpCode;
using ir::OutputOperandAlias;
using ir::Region;
using ir::ResultAccuracy;
using ir::ResultAccuracyMode;
using ir::ScatterDimensionNumbers;
using ir::TensorType;
using ir::Type;
using ir::Value;

namespace {

// The proto enum numbers ElementType exactly like ir::ElementType, so the
// conversion is a range-checked cast.
#define BACKPLANE_PROTO_NUMBER(e, NAME, mlir, abi_name, storage, bits, \
                               category)                               \
  static_assert(static_cast<int>(ElementType::k##e) == pb::NAME);
BACKPLANE_ELEMENT_TYPES(BACKPLANE_PROTO_NUMBER)
#undef BACKPLANE_PROTO_NUMBER
static_assert(static_cast<int>(ir::kLastElementType) == pb::F6E3M2FN);
static_assert(static_cast<int>(EnumKind::kResultAccuracyMode) ==
              pb::RESULT_ACCURACY_MODE);

pb::ElementType ElementTypeToProto(ElementType t) {
  return static_cast<pb::ElementType>(static_cast<int>(t));
}

// ---- IR -> proto ---------------------------------------------------------

// More than one element, all with the same bytes.
bool IsSplatLiteral(const Literal& lit) {
  const int64_t n = lit.element_count();
  if (n < 2) return false;
  const int size = ElementByteSize(lit.element_type());
  const uint8_t* p = lit.untyped_data();
  for (int64_t i = 1; i < n; ++i) {
    if (std::memcmp(p, p + i * size, size) != 0) return false;
  }
  return true;
}

class Encoder {
 public:
  absl::Status EncodeModule(const Module& module, pb::Module* out) {
    out->set_name(module.name());
    RETURN_IF_ERROR(
        EncodeAttrs(module.attributes(), out->mutable_attributes()));
    out->set_elided_resources_filled(module.elided_resources_filled());
    for (const auto& [name, text] : module.location_aliases()) {
      pb::LocationAlias* alias = out->add_location_aliases();
      alias->set_name(name);
      alias->set_text(text);
    }
    for (const auto& [name, text] : module.meshes()) {
      pb::MeshDefinition* mesh = out->add_meshes();
      mesh->set_name(name);
      mesh->set_text(text);
    }
    for (const auto& f : module.functions()) {
      function_ = f->name();
      RETURN_IF_ERROR(EncodeFunction(*f, out->add_functions()));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status EncodeFunction(const Function& f, pb::Function* out) {
    out->set_name(f.name());
    out->set_is_public(f.is_public());
    for (const Type& t : f.result_types())
      EncodeType(t, out->add_result_types());
    for (const NamedAttrList& attrs : f.arg_attrs()) {
      RETURN_IF_ERROR(
          EncodeAttrs(attrs, out->add_arg_attrs()->mutable_entries()));
    }
    for (const NamedAttrList& attrs : f.result_attrs()) {
      RETURN_IF_ERROR(
          EncodeAttrs(attrs, out->add_result_attrs()->mutable_entries()));
    }
    RETURN_IF_ERROR(EncodeAttrs(f.attributes(), out->mutable_attributes()));
    EncodeLocation(f.location(), out->mutable_location());
    return EncodeRegion(f.body(), out->mutable_body());
  }

  absl::Status EncodeRegion(const Region& region, pb::Region* out) {
    for (int b = 0; b < region.num_blocks(); ++b) {
      const Block& block = *region.block(b);
      pb::Block* pb = out->add_blocks();
      for (int a = 0; a < block.num_arguments(); ++a) {
        Define(block.argument(a), pb->add_arguments());
      }
      for (const auto& op : block.ops()) {
        RETURN_IF_ERROR(EncodeOp(*op, pb->add_ops()));
      }
    }
    return absl::OkStatus();
  }

  absl::Status EncodeOp(const Op& op, pb::Op* out) {
    out->set_name(std::string(op.name()));
    for (int i = 0; i < op.num_operands(); ++i) {
      auto it = ids_.find(op.operand(i));
      if (it == ids_.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("@", function_, ": ", op.name(), ": operand #", i,
                         " is not defined before its use"));
      }
      out->add_operands(it->second);
    }
    RETURN_IF_ERROR(EncodeAttrs(op.attributes(), out->mutable_attributes()));
    EncodeLocation(op.location(), out->mutable_location());
    // Nested regions may use values of the enclosing block but never the
    // op's own results, so results are defined after the regions.
    for (int r = 0; r < op.num_regions(); ++r) {
      RETURN_IF_ERROR(EncodeRegion(*op.region(r), out->add_regions()));
    }
    for (int i = 0; i < op.num_results(); ++i) {
      Define(op.result(i), out->add_results());
    }
    return absl::OkStatus();
  }

  void Define(const Value* value, pb::Value* out) {
    int64_t id = next_id_++;
    ids_[value] = id;
    out->set_id(id);
    EncodeType(value->type(), out->mutable_type());
  }

  static void EncodeLocation(const Location& loc, pb::Location* out) {
    out->set_file(loc.file);
    out->set_line(loc.line);
    out->set_column(loc.column);
    out->set_loc_text(loc.loc_text);
  }

  static void EncodeTensorType(const TensorType& t, pb::TensorType* out) {
    out->set_element_type(ElementTypeToProto(t.element_type()));
    for (int64_t d : t.dims()) out->add_dims(d);
  }

  static void EncodeType(const Type& t, pb::Type* out) {
    switch (t.kind()) {
      case Type::Kind::kTensor:
        EncodeTensorType(t.tensor(), out->mutable_tensor());
        break;
      case Type::Kind::kToken:
        out->mutable_token();
        break;
      case Type::Kind::kTuple: {
        pb::TupleType* tuple = out->mutable_tuple();
        for (const Type& e : t.tuple_elements()) {
          EncodeType(e, tuple->add_elements());
        }
        break;
      }
    }
  }

  absl::Status EncodeAttrs(
      const NamedAttrList& attrs,
      google::protobuf::RepeatedPtrField<pb::NamedAttribute>* out) {
    for (const auto& [name, value] : attrs.entries()) {
      pb::NamedAttribute* entry = out->Add();
      entry->set_name(name);
      RETURN_IF_ERROR(EncodeAttr(value, entry->mutable_value()));
    }
    return absl::OkStatus();
  }

  template <typename Repeated>
  static void Ints(const std::vector<int64_t>& v, Repeated* out) {
    for (int64_t x : v) out->Add(x);
  }

  absl::Status EncodeAttr(const Attribute& a, pb::Attribute* out) {
    using K = Attribute::Kind;
    switch (a.kind()) {
      case K::kNone:
        return absl::InvalidArgumentError(
            absl::StrCat("@", function_, ": an attribute is unset"));
      case K::kUnit:
        out->mutable_unit();
        break;
      case K::kBool:
        out->set_bool_value(a.bool_value());
        break;
      case K::kInteger: {
        pb::IntegerAttr* p = out->mutable_integer();
        p->set_value(a.int_value());
        p->set_type(ElementTypeToProto(a.int_type()));
        p->set_index_type(a.is_index_type());
        break;
      }
      case K::kFloat: {
        pb::FloatAttr* p = out->mutable_float_value();
        p->set_value(a.float_value());
        p->set_type(ElementTypeToProto(a.int_type()));
        break;
      }
      case K::kString:
        out->set_string_value(a.string_value());
        break;
      case K::kArray: {
        pb::ArrayAttr* p = out->mutable_array();
        for (const Attribute& e : a.array()) {
          RETURN_IF_ERROR(EncodeAttr(e, p->add_elements()));
        }
        break;
      }
      case K::kDenseArray: {
        pb::DenseArrayAttr* p = out->mutable_dense_array();
        p->set_type(ElementTypeToProto(a.int_type()));
        Ints(a.dense_array(), p->mutable_values());
        break;
      }
      case K::kDenseElements: {
        pb::DenseElementsAttr* p = out->mutable_dense_elements();
        const Literal& lit = a.literal();
        EncodeTensorType(lit.type(), p->mutable_type());
        const int64_t size = ElementByteSize(lit.element_type());
        if (IsSplatLiteral(lit)) {
          p->set_splat(true);
          p->set_data(reinterpret_cast<const char*>(lit.untyped_data()), size);
        } else {
          p->set_data(reinterpret_cast<const char*>(lit.untyped_data()),
                      lit.byte_size());
        }
        p->set_elided(a.is_elided());
        break;
      }
      case K::kSymbolRef:
        out->set_symbol_ref(a.string_value());
        break;
      case K::kType:
        EncodeType(a.type_value(), out->mutable_type());
        break;
      case K::kDictionary:
        RETURN_IF_ERROR(EncodeAttrs(
            a.dictionary(), out->mutable_dictionary()->mutable_entries()));
        break;
      case K::kEnum: {
        pb::EnumAttr* p = out->mutable_enum_value();
        p->set_kind(static_cast<pb::EnumKind>(a.enum_kind()));
        p->set_value(a.enum_value());
        p->set_dialect(a.enum_dialect());
        break;
      }
      case K::kDotDimensionNumbers: {
        const DotDimensionNumbers& d = *a.dot_dimension_numbers();
        pb::DotDimensionNumbers* p = out->mutable_dot_dimension_numbers();
        Ints(d.lhs_batching_dimensions, p->mutable_lhs_batching_dimensions());
        Ints(d.rhs_batching_dimensions, p->mutable_rhs_batching_dimensions());
        Ints(d.lhs_contracting_dimensions,
             p->mutable_lhs_contracting_dimensions());
        Ints(d.rhs_contracting_dimensions,
             p->mutable_rhs_contracting_dimensions());
        break;
      }
      case K::kConvDimensionNumbers: {
        const ConvDimensionNumbers& d = *a.conv_dimension_numbers();
        pb::ConvDimensionNumbers* p = out->mutable_conv_dimension_numbers();
        p->set_input_batch_dimension(d.input_batch_dimension);
        p->set_input_feature_dimension(d.input_feature_dimension);
        Ints(d.input_spatial_dimensions, p->mutable_input_spatial_dimensions());
        p->set_kernel_input_feature_dimension(d.kernel_input_feature_dimension);
        p->set_kernel_output_feature_dimension(
            d.kernel_output_feature_dimension);
        Ints(d.kernel_spatial_dimensions,
             p->mutable_kernel_spatial_dimensions());
        p->set_output_batch_dimension(d.output_batch_dimension);
        p->set_output_feature_dimension(d.output_feature_dimension);
        Ints(d.output_spatial_dimensions,
             p->mutable_output_spatial_dimensions());
        break;
      }
      case K::kGatherDimensionNumbers: {
        const GatherDimensionNumbers& d = *a.gather_dimension_numbers();
        pb::GatherDimensionNumbers* p = out->mutable_gather_dimension_numbers();
        Ints(d.offset_dims, p->mutable_offset_dims());
        Ints(d.collapsed_slice_dims, p->mutable_collapsed_slice_dims());
        Ints(d.operand_batching_dims, p->mutable_operand_batching_dims());
        Ints(d.start_indices_batching_dims,
             p->mutable_start_indices_batching_dims());
        Ints(d.start_index_map, p->mutable_start_index_map());
        p->set_index_vector_dim(d.index_vector_dim);
        break;
      }
      case K::kScatterDimensionNumbers: {
        const ScatterDimensionNumbers& d = *a.scatter_dimension_numbers();
        pb::ScatterDimensionNumbers* p =
            out->mutable_scatter_dimension_numbers();
        Ints(d.update_window_dims, p->mutable_update_window_dims());
        Ints(d.inserted_window_dims, p->mutable_inserted_window_dims());
        Ints(d.input_batching_dims, p->mutable_input_batching_dims());
        Ints(d.scatter_indices_batching_dims,
             p->mutable_scatter_indices_batching_dims());
        Ints(d.scatter_dims_to_operand_dims,
             p->mutable_scatter_dims_to_operand_dims());
        p->set_index_vector_dim(d.index_vector_dim);
        break;
      }
      case K::kChannelHandle: {
        pb::ChannelHandle* p = out->mutable_channel_handle();
        p->set_handle(a.channel_handle()->handle);
        p->set_type(a.channel_handle()->type);
        break;
      }
      case K::kResultAccuracy: {
        const ResultAccuracy& r = *a.result_accuracy();
        pb::ResultAccuracy* p = out->mutable_result_accuracy();
        p->set_atol(r.atol);
        p->set_rtol(r.rtol);
        p->set_ulps(r.ulps);
        p->set_mode(static_cast<pb::ResultAccuracyMode>(r.mode));
        break;
      }
      case K::kOutputOperandAlias: {
        const OutputOperandAlias& o = *a.output_operand_alias();
        pb::OutputOperandAlias* p = out->mutable_output_operand_alias();
        Ints(o.output_tuple_indices, p->mutable_output_tuple_indices());
        p->set_operand_index(o.operand_index);
        Ints(o.operand_tuple_indices, p->mutable_operand_tuple_indices());
        break;
      }
      case K::kOpaque:
        out->set_opaque(a.string_value());
        break;
    }
    return absl::OkStatus();
  }

  absl::flat_hash_map<const Value*, int64_t> ids_;
  int64_t next_id_ = 0;
  std::string function_;
};

// ---- proto -> IR ---------------------------------------------------------

std::vector<int64_t> ToVector(
    const google::protobuf::RepeatedField<int64_t>& r) {
  return std::vector<int64_t>(r.begin(), r.end());
}

// `dialect.op` with identifier characters, as MLIR spells op names.
bool IsWellFormedOpName(const std::string& name) {
  size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
    return false;
  }
  for (char c : name) {
    if (!(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
          c == '.' || c == '$' || c == '-')) {
      return false;
    }
  }
  return true;
}

// Checks that every element of a literal read from bytes obeys the storage
// convention of its type, so kernels can rely on it.
absl::Status CheckLiteralValues(const Literal& lit) {
  ElementType t = lit.element_type();
  // Only the sub-byte integers (and pred) leave bit patterns unused.
  const int bits = ElementBitWidth(t);
  if (bits == 0 || bits >= 8 || IsFloat(t)) return absl::OkStatus();
  const int64_t lo = IsSignedInteger(t) ? -(int64_t{1} << (bits - 1)) : 0;
  const int64_t hi = IsSignedInteger(t) ? (int64_t{1} << (bits - 1)) - 1
                                        : (int64_t{1} << bits) - 1;
  const uint8_t* p = lit.untyped_data();
  for (int64_t i = 0; i < lit.element_count(); ++i) {
    int64_t v = IsSignedInteger(t) ? static_cast<int8_t>(p[i]) : p[i];
    if (v < lo || v > hi) {
      return absl::InvalidArgumentError(
          absl::StrCat("element ", i, " has byte value ", v, ", outside ",
                       ElementTypeToMlir(t), "'s range [", lo, ", ", hi, "]"));
    }
  }
  return absl::OkStatus();
}

class Decoder {
 public:
  explicit Decoder(const FromProtoOptions& options) : options_(options) {}

  absl::StatusOr<std::unique_ptr<Module>> DecodeModule(const pb::Module& p) {
    auto module = std::make_unique<Module>();
    module->set_name(p.name());
    context_ = "module";
    RETURN_IF_ERROR(DecodeAttrs(p.attributes(), &module->attributes(), 0));
    module->set_elided_resources_filled(p.elided_resources_filled());
    for (const pb::LocationAlias& alias : p.location_aliases()) {
      module->location_aliases().emplace_back(alias.name(), alias.text());
    }
    for (const pb::MeshDefinition& mesh : p.meshes()) {
      module->meshes().emplace_back(mesh.name(), mesh.text());
    }
    for (const pb::Function& f : p.functions()) {
      if (module->LookupFunction(f.name()) != nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("redefinition of function @", f.name()));
      }
      ASSIGN_OR_RETURN(std::unique_ptr<Function> function, DecodeFunction(f));
      absl::Status added = module->AddFunction(std::move(function));
      if (!added.ok()) return absl::InvalidArgumentError(added.message());
    }
    return module;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(context_, ": ", what));
  }

  absl::StatusOr<std::unique_ptr<Function>> DecodeFunction(
      const pb::Function& p) {
    context_ = absl::StrCat("@", p.name());
    if (p.name().empty()) return Error("function has no name");
    if (p.body().blocks_size() == 0) return Error("function has no body");
    const pb::Block& entry = p.body().blocks(0);
    std::vector<Type> arg_types;
    for (const pb::Value& arg : entry.arguments()) {
      ASSIGN_OR_RETURN(Type t, DecodeType(arg.type(), 0));
      arg_types.push_back(std::move(t));
    }
    std::vector<Type> result_types;
    for (const pb::Type& rt : p.result_types()) {
      ASSIGN_OR_RETURN(Type t, DecodeType(rt, 0));
      result_types.push_back(std::move(t));
    }
    auto f = std::make_unique<Function>(p.name(), std::move(arg_types),
                                        std::move(result_types));
    f->set_public(p.is_public());
    if (p.arg_attrs_size() != 0 &&
        p.arg_attrs_size() != static_cast<int>(f->arg_attrs().size())) {
      return Error(absl::StrCat("has ", p.arg_attrs_size(),
                                " argument attribute dictionaries for ",
                                f->arg_attrs().size(), " arguments"));
    }
    for (int i = 0; i < p.arg_attrs_size(); ++i) {
      RETURN_IF_ERROR(
          DecodeAttrs(p.arg_attrs(i).entries(), &f->arg_attrs()[i], 0));
    }
    if (p.result_attrs_size() != 0 &&
        p.result_attrs_size() != static_cast<int>(f->result_attrs().size())) {
      return Error(absl::StrCat("has ", p.result_attrs_size(),
                                " result attribute dictionaries for ",
                                f->result_attrs().size(), " results"));
    }
    for (int i = 0; i < p.result_attrs_size(); ++i) {
      RETURN_IF_ERROR(
          DecodeAttrs(p.result_attrs(i).entries(), &f->result_attrs()[i], 0));
    }
    RETURN_IF_ERROR(DecodeAttrs(p.attributes(), &f->attributes(), 0));
    f->location() = DecodeLocation(p.location());

    // The constructor made the entry block and its arguments; give them
    // their ids, then fill the rest like any region.
    std::vector<int64_t> scope;
    Block* entry_block = f->entry();
    for (int a = 0; a < entry.arguments_size(); ++a) {
      RETURN_IF_ERROR(DefineValue(entry.arguments(a).id(),
                                  entry_block->argument(a), &scope));
    }
    RETURN_IF_ERROR(DecodeOps(entry, entry_block, &scope, 1));
    for (int b = 1; b < p.body().blocks_size(); ++b) {
      RETURN_IF_ERROR(
          DecodeBlock(p.body().blocks(b), f->body().AddBlock(), &scope, 1));
    }
    PopScope(scope);
    return f;
  }

  // Defines the block's arguments and ops; the ids go into `scope`, which
  // the enclosing region drops when it ends.
  absl::Status DecodeBlock(const pb::Block& p, Block* block,
                           std::vector<int64_t>* scope, int depth) {
    for (const pb::Value& arg : p.arguments()) {
      ASSIGN_OR_RETURN(Type t, DecodeType(arg.type(), depth));
      RETURN_IF_ERROR(
          DefineValue(arg.id(), block->AddArgument(std::move(t)), scope));
    }
    return DecodeOps(p, block, scope, depth);
  }

  absl::Status DecodeOps(const pb::Block& p, Block* block,
                         std::vector<int64_t>* scope, int depth) {
    for (const pb::Op& op : p.ops()) {
      ASSIGN_OR_RETURN(std::unique_ptr<Op> decoded, DecodeOp(op, depth));
      Op* raw = block->Append(std::move(decoded));
      for (int i = 0; i < op.results_size(); ++i) {
        RETURN_IF_ERROR(DefineValue(op.results(i).id(), raw->result(i), scope));
      }
    }
    return absl::OkStatus();
  }

  absl::Status DecodeRegion(const pb::Region& p, Region* region, int depth) {
    if (depth > options_.max_nesting_depth) {
      return Error(absl::StrCat("regions nest deeper than ",
                                options_.max_nesting_depth));
    }
    std::vector<int64_t> scope;
    absl::Status status = absl::OkStatus();
    for (const pb::Block& b : p.blocks()) {
      status = DecodeBlock(b, region->AddBlock(), &scope, depth);
      if (!status.ok()) break;
    }
    PopScope(scope);
    return status;
  }

  absl::StatusOr<std::unique_ptr<Op>> DecodeOp(const pb::Op& p, int depth) {
    const std::string saved_context = context_;
    OpCode code = ir::OpCodeFromName(p.name());
    if (code == OpCode::kUnknown) {
      if (!options_.allow_unknown_ops) {
        return Error(absl::StrCat("unknown op '", p.name(), "'"));
      }
      if (!IsWellFormedOpName(p.name())) {
        return Error(absl::StrCat("malformed op name '", p.name(), "'"));
      }
    } else if (OpCodeName(code) != p.name()) {
      // Short func-dialect spellings are accepted by OpCodeFromName, but a
      // proto always carries the full name.
      return Error(absl::StrCat("op name '", p.name(),
                                "' is not a full name (expected '",
                                OpCodeName(code), "')"));
    }
    std::string op_context = absl::StrCat(context_, ": ", p.name());
    context_ = op_context;
    std::vector<Value*> operands;
    operands.reserve(p.operands_size());
    for (int i = 0; i < p.operands_size(); ++i) {
      auto it = values_.find(p.operands(i));
      if (it == values_.end()) {
        return Error(absl::StrCat("operand #", i, " refers to value id ",
                                  p.operands(i),
                                  ", which is not defined before this op in "
                                  "a visible scope"));
      }
      operands.push_back(it->second);
    }
    std::vector<Type> result_types;
    for (const pb::Value& r : p.results()) {
      ASSIGN_OR_RETURN(Type t, DecodeType(r.type(), depth));
      result_types.push_back(std::move(t));
    }
    NamedAttrList attrs;
    RETURN_IF_ERROR(DecodeAttrs(p.attributes(), &attrs, depth));
    std::unique_ptr<Op> op =
        Op::Create(code, operands, result_types, std::move(attrs), p.name());
    op->location() = DecodeLocation(p.location());
    for (int r = 0; r < p.regions_size(); ++r) {
      RETURN_IF_ERROR(DecodeRegion(p.regions(r), op->AddRegion(), depth + 1));
      context_ = op_context;
    }
    context_ = saved_context;
    return op;
  }

  absl::Status DefineValue(int64_t id, Value* value,
                           std::vector<int64_t>* scope) {
    if (!values_.emplace(id, value).second ||
        !ever_defined_.insert(id).second) {
      return Error(absl::StrCat("value id ", id, " is defined twice"));
    }
    scope->push_back(id);
    return absl::OkStatus();
  }

  void PopScope(const std::vector<int64_t>& scope) {
    for (int64_t id : scope) values_.erase(id);
  }

  static Location DecodeLocation(const pb::Location& p) {
    Location loc;
    loc.file = p.file();
    loc.line = p.line();
    loc.column = p.column();
    loc.loc_text = p.loc_text();
    return loc;
  }

  absl::StatusOr<ElementType> DecodeElementType(int value,
                                                absl::string_view field) {
    if (value <= 0 || value > static_cast<int>(ir::kLastElementType)) {
      return Error(absl::StrCat(field, ": invalid element type ", value));
    }
    return static_cast<ElementType>(value);
  }

  absl::StatusOr<TensorType> DecodeTensorType(const pb::TensorType& p) {
    ASSIGN_OR_RETURN(ElementType et,
                     DecodeElementType(p.element_type(), "tensor type"));
    std::vector<int64_t> dims = ToVector(p.dims());
    absl::StatusOr<int64_t> count = TensorType::CheckedElementCount(dims);
    if (!count.ok()) {
      return Error(absl::StrCat("tensor type: ", count.status().message()));
    }
    return TensorType(et, std::move(dims));
  }

  absl::StatusOr<Type> DecodeType(const pb::Type& p, int depth) {
    if (depth > options_.max_nesting_depth) {
      return Error(
          absl::StrCat("types nest deeper than ", options_.max_nesting_depth));
    }
    switch (p.kind_case()) {
      case pb::Type::kTensor: {
        ASSIGN_OR_RETURN(TensorType t, DecodeTensorType(p.tensor()));
        return Type::Tensor(std::move(t));
      }
      case pb::Type::kToken:
        return Type::Token();
      case pb::Type::kTuple: {
        std::vector<Type> elements;
        for (const pb::Type& e : p.tuple().elements()) {
          ASSIGN_OR_RETURN(Type t, DecodeType(e, depth + 1));
          elements.push_back(std::move(t));
        }
        return Type::Tuple(std::move(elements));
      }
      case pb::Type::KIND_NOT_SET:
        break;
    }
    return Error("a type has no kind");
  }

  absl::Status DecodeAttrs(
      const google::protobuf::RepeatedPtrField<pb::NamedAttribute>& p,
      NamedAttrList* out, int depth) {
    for (const pb::NamedAttribute& entry : p) {
      if (entry.name().empty()) return Error("an attribute has no name");
      if (out->Has(entry.name())) {
        return Error(
            absl::StrCat("attribute '", entry.name(), "' appears twice"));
      }
      absl::StatusOr<Attribute> a = DecodeAttr(entry.value(), depth);
      if (!a.ok()) {
        return absl::Status(
            a.status().code(),
            absl::StrCat(a.status().message(), " (in attribute '", entry.name(),
                         "')"));
      }
      out->Set(entry.name(), *std::move(a));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Attribute> DecodeAttr(const pb::Attribute& p, int depth) {
    if (depth > options_.max_nesting_depth) {
      return Error(absl::StrCat("attributes nest deeper than ",
                                options_.max_nesting_depth));
    }
    using P = pb::Attribute;
    switch (p.kind_case()) {
      case P::kUnit:
        return Attribute::Unit();
      case P::kBoolValue:
        return Attribute::Bool(p.bool_value());
      case P::kInteger: {
        ASSIGN_OR_RETURN(ElementType t, DecodeElementType(p.integer().type(),
                                                          "integer attribute"));
        if (!IsInteger(t) && !IsPred(t)) {
          return Error("integer attribute has a non-integer type");
        }
        return Attribute::Integer(p.integer().value(), t,
                                  p.integer().index_type());
      }
      case P::kFloatValue: {
        ASSIGN_OR_RETURN(
            ElementType t,
            DecodeElementType(p.float_value().type(), "float attribute"));
        if (!IsFloat(t)) return Error("float attribute has a non-float type");
        return Attribute::Float(p.float_value().value(), t);
      }
      case P::kStringValue:
        return Attribute::String(p.string_value());
      case P::kArray: {
        std::vector<Attribute> elements;
        for (const pb::Attribute& e : p.array().elements()) {
          ASSIGN_OR_RETURN(Attribute a, DecodeAttr(e, depth + 1));
          elements.push_back(std::move(a));
        }
        return Attribute::Array(std::move(elements));
      }
      case P::kDenseArray: {
        ASSIGN_OR_RETURN(
            ElementType t,
            DecodeElementType(p.dense_array().type(), "dense array"));
        if (!IsInteger(t) && !IsPred(t)) {
          return Error("dense array has a non-integer element type");
        }
        return Attribute::DenseArray(t, ToVector(p.dense_array().values()));
      }
      case P::kDenseElements:
        return DecodeDenseElements(p.dense_elements());
      case P::kSymbolRef:
        if (p.symbol_ref().empty()) return Error("empty symbol reference");
        return Attribute::SymbolRef(p.symbol_ref());
      case P::kType: {
        ASSIGN_OR_RETURN(Type t, DecodeType(p.type(), depth + 1));
        return Attribute::TypeAttr(std::move(t));
      }
      case P::kDictionary: {
        NamedAttrList entries;
        RETURN_IF_ERROR(
            DecodeAttrs(p.dictionary().entries(), &entries, depth + 1));
        return Attribute::Dictionary(std::move(entries));
      }
      case P::kEnumValue: {
        const pb::EnumAttr& e = p.enum_value();
        if (e.kind() < 0 || e.kind() > pb::RESULT_ACCURACY_MODE) {
          return Error(absl::StrCat("invalid enum kind ", e.kind()));
        }
        EnumKind kind = static_cast<EnumKind>(e.kind());
        if (EnumValueName(kind, e.value()).empty()) {
          return Error(absl::StrCat("value ", e.value(),
                                    " is out of range for enum ",
                                    EnumKindName(kind)));
        }
        if (e.dialect().empty()) return Error("enum attribute has no dialect");
        return Attribute::Enum(kind, e.value(), e.dialect());
      }
      case P::kDotDimensionNumbers: {
        const pb::DotDimensionNumbers& d = p.dot_dimension_numbers();
        DotDimensionNumbers v;
        v.lhs_batching_dimensions = ToVector(d.lhs_batching_dimensions());
        v.rhs_batching_dimensions = ToVector(d.rhs_batching_dimensions());
        v.lhs_contracting_dimensions = ToVector(d.lhs_contracting_dimensions());
        v.rhs_contracting_dimensions = ToVector(d.rhs_contracting_dimensions());
        return Attribute::DotDims(std::move(v));
      }
      case P::kConvDimensionNumbers: {
        const pb::ConvDimensionNumbers& d = p.conv_dimension_numbers();
        ConvDimensionNumbers v;
        v.input_batch_dimension = d.input_batch_dimension();
        v.input_feature_dimension = d.input_feature_dimension();
        v.input_spatial_dimensions = ToVector(d.input_spatial_dimensions());
        v.kernel_input_feature_dimension = d.kernel_input_feature_dimension();
        v.kernel_output_feature_dimension = d.kernel_output_feature_dimension();
        v.kernel_spatial_dimensions = ToVector(d.kernel_spatial_dimensions());
        v.output_batch_dimension = d.output_batch_dimension();
        v.output_feature_dimension = d.output_feature_dimension();
        v.output_spatial_dimensions = ToVector(d.output_spatial_dimensions());
        return Attribute::ConvDims(std::move(v));
      }
      case P::kGatherDimensionNumbers: {
        const pb::GatherDimensionNumbers& d = p.gather_dimension_numbers();
        GatherDimensionNumbers v;
        v.offset_dims = ToVector(d.offset_dims());
        v.collapsed_slice_dims = ToVector(d.collapsed_slice_dims());
        v.operand_batching_dims = ToVector(d.operand_batching_dims());
        v.start_indices_batching_dims =
            ToVector(d.start_indices_batching_dims());
        v.start_index_map = ToVector(d.start_index_map());
        v.index_vector_dim = d.index_vector_dim();
        return Attribute::GatherDims(std::move(v));
      }
      case P::kScatterDimensionNumbers: {
        const pb::ScatterDimensionNumbers& d = p.scatter_dimension_numbers();
        ScatterDimensionNumbers v;
        v.update_window_dims = ToVector(d.update_window_dims());
        v.inserted_window_dims = ToVector(d.inserted_window_dims());
        v.input_batching_dims = ToVector(d.input_batching_dims());
        v.scatter_indices_batching_dims =
            ToVector(d.scatter_indices_batching_dims());
        v.scatter_dims_to_operand_dims =
            ToVector(d.scatter_dims_to_operand_dims());
        v.index_vector_dim = d.index_vector_dim();
        return Attribute::ScatterDims(std::move(v));
      }
      case P::kChannelHandle:
        return Attribute::Channel(
            {p.channel_handle().handle(), p.channel_handle().type()});
      case P::kResultAccuracy: {
        const pb::ResultAccuracy& r = p.result_accuracy();
        if (r.mode() < 0 || r.mode() > pb::RESULT_ACCURACY_TOLERANCE) {
          return Error(absl::StrCat("invalid result accuracy mode ", r.mode()));
        }
        ResultAccuracy v;
        v.atol = r.atol();
        v.rtol = r.rtol();
        v.ulps = r.ulps();
        v.mode = static_cast<ResultAccuracyMode>(r.mode());
        return Attribute::Accuracy(v);
      }
      case P::kOutputOperandAlias: {
        const pb::OutputOperandAlias& o = p.output_operand_alias();
        OutputOperandAlias v;
        v.output_tuple_indices = ToVector(o.output_tuple_indices());
        v.operand_index = o.operand_index();
        v.operand_tuple_indices = ToVector(o.operand_tuple_indices());
        return Attribute::OperandAlias(std::move(v));
      }
      case P::kOpaque:
        if (p.opaque().empty()) return Error("empty opaque attribute");
        return Attribute::Opaque(p.opaque());
      case P::KIND_NOT_SET:
        break;
    }
    return Error("an attribute has no kind");
  }

  absl::StatusOr<Attribute> DecodeDenseElements(
      const pb::DenseElementsAttr& p) {
    ASSIGN_OR_RETURN(TensorType type, DecodeTensorType(p.type()));
    // Check the bytes before allocating: the declared shape may be huge,
    // and only a splat may expand beyond the input's own size.
    const int64_t expected = type.byte_size();
    const int64_t element_size = ElementByteSize(type.element_type());
    if (p.splat()) {
      if (static_cast<int64_t>(p.data().size()) != element_size) {
        return Error(absl::StrCat("splat dense elements of type ",
                                  type.ToString(), " need ", element_size,
                                  " bytes of data, got ", p.data().size()));
      }
      if (expected > options_.max_splat_bytes) {
        return absl::ResourceExhaustedError(absl::StrCat(
            context_, ": splat dense elements of type ", type.ToString(),
            " would expand to ", expected, " bytes, over the limit of ",
            options_.max_splat_bytes));
      }
    } else if (static_cast<int64_t>(p.data().size()) != expected) {
      return Error(absl::StrCat("dense elements of type ", type.ToString(),
                                " need ", expected, " bytes of data, got ",
                                p.data().size()));
    }
    Literal lit(type);
    if (p.splat()) {
      for (int64_t i = 0; i < lit.element_count(); ++i) {
        std::memcpy(lit.untyped_data() + i * element_size, p.data().data(),
                    element_size);
      }
    } else if (expected > 0) {
      std::memcpy(lit.untyped_data(), p.data().data(), expected);
    }
    absl::Status values_ok = CheckLiteralValues(lit);
    if (!values_ok.ok()) {
      return Error(absl::StrCat("dense elements of type ", type.ToString(),
                                ": ", values_ok.message()));
    }
    return Attribute::DenseElements(std::move(lit), p.elided());
  }

  const FromProtoOptions& options_;
  std::string context_;
  // Values visible at the current point, by id.
  absl::flat_hash_map<int64_t, Value*> values_;
  // Every id ever defined, so an id cannot be reused after its scope ends.
  absl::flat_hash_set<int64_t> ever_defined_;
};

}  // namespace

absl::StatusOr<pb::Module> ToProto(const Module& module) {
  pb::Module out;
  Encoder encoder;
  RETURN_IF_ERROR(encoder.EncodeModule(module, &out));
  return out;
}

absl::StatusOr<std::unique_ptr<Module>> FromProto(
    const pb::Module& module, const FromProtoOptions& options) {
  Decoder decoder(options);
  return decoder.DecodeModule(module);
}

}  // namespace backplane::proto
