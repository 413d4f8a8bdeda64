// The compiler kit's IR: Module > Function > Region > Block > Op, with SSA
// Values that know their uses.
//
//   std::unique_ptr<Module> m = ...;              // e.g. from ParseModule
//   Function* main = m->LookupFunction("main");
//   Walk(*main, [](Op& op) { if (op.code() == OpCode::kAdd) ...; });
//   op->result(0)->ReplaceAllUsesWith(other);
//   RETURN_IF_ERROR(op->Erase());                 // fails if still used
//
// Ownership is strictly hierarchical: a Module owns its Functions, a
// Function its body Region, a Region its Blocks, a Block its Ops and its
// arguments, an Op its results and nested Regions. Raw pointers are
// non-owning and stay valid until their owner erases the object. Inserting
// and erasing ops is O(1) (blocks hold linked lists); replacing uses is
// O(uses).
#ifndef BACKPLANE_COMPILER_IR_IR_H_
#define BACKPLANE_COMPILER_IR_IR_H_

#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "compiler/ir/attribute.h"
#include "compiler/ir/opcode.h"
#include "compiler/ir/type.h"

namespace backplane::ir {

class Block;
class Function;
class Module;
class Op;
class Region;

// Where an op or function came from in the source text.
struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown.
  int column = 0;  // 1-based.
  // The body of a trailing `loc(...)`, e.g. `"x.py":3:1` or `#loc4`; empty
  // when the source had none.
  std::string loc_text;
};

// One use of a value: operand `operand_index` of `user`.
struct Use {
  Op* user;
  int operand_index;
};

class Value {
 public:
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  const Type& type() const { return type_; }
  void set_type(Type type) { type_ = std::move(type); }

  bool is_block_argument() const { return defining_op_ == nullptr; }
  // The op producing this result, or nullptr for block arguments.
  Op* defining_op() const { return defining_op_; }
  // The block owning this argument, or nullptr for op results.
  Block* owner_block() const { return owner_block_; }
  // Result number or argument number.
  int index() const { return index_; }

  const std::vector<Use>& uses() const { return uses_; }
  bool use_empty() const { return uses_.empty(); }
  // Makes every user of this value use `other` instead.
  void ReplaceAllUsesWith(Value* other);

 private:
  friend class Op;
  friend class Block;
  Value(Type type, Op* op, Block* block, int index)
      : type_(std::move(type)),
        defining_op_(op),
        owner_block_(block),
        index_(index) {}
  void AddUse(Op* user, int operand_index);
  void RemoveUse(Op* user, int operand_index);

  Type type_;
  Op* defining_op_;
  Block* owner_block_;
  int index_;
  std::vector<Use> uses_;
};

// Maps values of a cloned-from IR to the values of the clone.
using IRMapping = absl::flat_hash_map<const Value*, Value*>;

class Op {
 public:
  // An op detached from any block. `name` is only needed for kUnknown.
  static std::unique_ptr<Op> Create(OpCode code,
                                    const std::vector<Value*>& operands,
                                    const std::vector<Type>& result_types,
                                    NamedAttrList attributes = {},
                                    std::string name = "");
  ~Op();
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  OpCode code() const { return code_; }
  // Full name, e.g. "stablehlo.add"; the spelled name for unknown ops.
  absl::string_view name() const;

  int num_operands() const { return static_cast<int>(operands_.size()); }
  Value* operand(int i) const { return operands_[i]; }
  const std::vector<Value*>& operands() const { return operands_; }
  void SetOperand(int i, Value* value);
  void SetOperands(const std::vector<Value*>& values);

  int num_results() const { return static_cast<int>(results_.size()); }
  Value* result(int i) const { return results_[i].get(); }
  std::vector<Value*> results() const;
  std::vector<Type> result_types() const;
  std::vector<Type> operand_types() const;

  NamedAttrList& attributes() { return attributes_; }
  const NamedAttrList& attributes() const { return attributes_; }
  const Attribute* attr(absl::string_view name) const {
    return attributes_.Get(name);
  }
  void SetAttr(absl::string_view name, Attribute value) {
    attributes_.Set(name, std::move(value));
  }

  int num_regions() const { return static_cast<int>(regions_.size()); }
  Region* region(int i) const { return regions_[i].get(); }
  Region* AddRegion();
  // Appends a region built elsewhere (e.g. by a parser or a pass).
  Region* AdoptRegion(std::unique_ptr<Region> region);

  Location& location() { return location_; }
  const Location& location() const { return location_; }

  Block* parent_block() const { return parent_block_; }
  Region* parent_region() const;
  // The op whose region holds this op, or nullptr at function level.
  Op* parent_op() const;
  Function* parent_function() const;

  // Removes this op from its block and destroys it. Fails (and changes
  // nothing) while any result still has uses.
  absl::Status Erase();

  // Drops this op's operand uses and those of every nested op, so that the
  // IR can be destroyed in any order (even when it is temporarily invalid).
  void DropAllReferences();

  // Deep copy, detached. Operands found in `mapping` are remapped, others
  // kept; the clone's results and nested values are added to `mapping`.
  std::unique_ptr<Op> Clone(IRMapping& mapping) const;

 private:
  friend class Block;
  friend class Value;
  Op() = default;
  void DropOperandUses();

  OpCode code_ = OpCode::kUnknown;
  std::string unknown_name_;
  std::vector<Value*> operands_;
  std::vector<std::unique_ptr<Value>> results_;
  NamedAttrList attributes_;
  std::vector<std::unique_ptr<Region>> regions_;
  Location location_;
  Block* parent_block_ = nullptr;
  std::list<std::unique_ptr<Op>>::iterator position_;
};

class Block {
 public:
  using OpList = std::list<std::unique_ptr<Op>>;

  Block() = default;
  ~Block();
  Block(const Block&) = delete;
  Block& operator=(const Block&) = delete;

  int num_arguments() const { return static_cast<int>(arguments_.size()); }
  Value* argument(int i) const { return arguments_[i].get(); }
  std::vector<Value*> arguments() const;
  std::vector<Type> argument_types() const;
  Value* AddArgument(Type type);

  // Ops in order. Iterate with `for (const auto& op : block.ops())`.
  const OpList& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }
  Op* front() const { return ops_.empty() ? nullptr : ops_.front().get(); }
  Op* back() const { return ops_.empty() ? nullptr : ops_.back().get(); }
  // The last op when it is a terminator, else nullptr.
  Op* terminator() const;

  Op* Append(std::unique_ptr<Op> op);
  // Inserts before `before` (which must be in this block); appends if null.
  Op* InsertBefore(Op* before, std::unique_ptr<Op> op);
  // Detaches `op` without touching its uses; the caller re-inserts it.
  std::unique_ptr<Op> Detach(Op* op);

  Region* parent() const { return parent_; }

 private:
  friend class Region;
  friend class Op;
  std::vector<std::unique_ptr<Value>> arguments_;
  OpList ops_;
  Region* parent_ = nullptr;
};

class Region {
 public:
  Region() = default;
  ~Region();
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;

  int num_blocks() const { return static_cast<int>(blocks_.size()); }
  Block* block(int i) const { return blocks_[i].get(); }
  bool empty() const { return blocks_.empty(); }
  Block* front() const { return blocks_.empty() ? nullptr : blocks_[0].get(); }
  Block* AddBlock();

  Op* parent_op() const { return parent_op_; }
  Function* parent_function() const { return parent_function_; }

  // Clones this region's blocks into `dest` (appending), remapping values.
  void CloneInto(Region* dest, IRMapping& mapping) const;

 private:
  friend class Op;
  friend class Function;
  std::vector<std::unique_ptr<Block>> blocks_;
  Op* parent_op_ = nullptr;
  Function* parent_function_ = nullptr;
};

class Function {
 public:
  Function(std::string name, std::vector<Type> argument_types,
           std::vector<Type> result_types);

  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  bool is_public() const { return is_public_; }
  void set_public(bool is_public) { is_public_ = is_public; }

  // The body; its entry block's arguments are the function arguments.
  Region& body() { return body_; }
  const Region& body() const { return body_; }
  Block* entry() const { return body_.front(); }
  int num_arguments() const { return entry()->num_arguments(); }
  std::vector<Type> argument_types() const { return entry()->argument_types(); }
  const std::vector<Type>& result_types() const { return result_types_; }
  void set_result_types(std::vector<Type> types);

  // One dictionary per argument / result (empty when none).
  std::vector<NamedAttrList>& arg_attrs() { return arg_attrs_; }
  const std::vector<NamedAttrList>& arg_attrs() const { return arg_attrs_; }
  std::vector<NamedAttrList>& result_attrs() { return result_attrs_; }
  const std::vector<NamedAttrList>& result_attrs() const {
    return result_attrs_;
  }
  // Other attributes of the function (`attributes {...}`).
  NamedAttrList& attributes() { return attributes_; }
  const NamedAttrList& attributes() const { return attributes_; }

  Location& location() { return location_; }
  const Location& location() const { return location_; }

 private:
  std::string name_;
  bool is_public_ = true;
  Region body_;
  std::vector<Type> result_types_;
  std::vector<NamedAttrList> arg_attrs_;
  std::vector<NamedAttrList> result_attrs_;
  NamedAttrList attributes_;
  Location location_;
};

class Module {
 public:
  // Module symbol name without '@'; empty for an unnamed module.
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  NamedAttrList& attributes() { return attributes_; }
  const NamedAttrList& attributes() const { return attributes_; }

  const std::vector<std::unique_ptr<Function>>& functions() const {
    return functions_;
  }
  // Fails when a function of that name already exists.
  absl::Status AddFunction(std::unique_ptr<Function> function);
  Function* LookupFunction(absl::string_view name) const;
  bool EraseFunction(absl::string_view name);

  // True when `dense_resource<__elided__>` constants were filled with
  // synthetic data: results computed from this module are not meaningful.
  bool elided_resources_filled() const { return elided_resources_filled_; }
  void set_elided_resources_filled(bool v) { elided_resources_filled_ = v; }

  // `#name = loc(...)` definitions from the source, in order, kept so that
  // locations referring to them print back.
  std::vector<std::pair<std::string, std::string>>& location_aliases() {
    return location_aliases_;
  }
  const std::vector<std::pair<std::string, std::string>>& location_aliases()
      const {
    return location_aliases_;
  }

  // Shardy meshes (`sdy.mesh @name = <...>`), in order: the name and the
  // mesh's text from `<` to `>` (compiler/sharding/sdy_sharding.h reads it).
  std::vector<std::pair<std::string, std::string>>& meshes() { return meshes_; }
  const std::vector<std::pair<std::string, std::string>>& meshes() const {
    return meshes_;
  }

 private:
  std::string name_;
  NamedAttrList attributes_;
  std::vector<std::unique_ptr<Function>> functions_;
  absl::flat_hash_map<std::string, Function*> function_index_;
  bool elided_resources_filled_ = false;
  std::vector<std::pair<std::string, std::string>> location_aliases_;
  std::vector<std::pair<std::string, std::string>> meshes_;
};

// Pre-order walks over every op, including ops nested in regions. The
// callback must not erase the op it is given (collect, then erase).
void Walk(const Region& region, const std::function<void(Op&)>& fn);
void Walk(const Function& function, const std::function<void(Op&)>& fn);
void Walk(const Module& module, const std::function<void(Op&)>& fn);

}  // namespace backplane::ir

#endif  // BACKPLANE_COMPILER_IR_IR_H_
