#include "compiler/ir/ir.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace backplane::ir {

// ---- Value -----------------------------------------------------------------

void Value::AddUse(Op* user, int operand_index) {
  uses_.push_back({user, operand_index});
}

void Value::RemoveUse(Op* user, int operand_index) {
  // Recent uses are the likeliest to go first (ops die in reverse order).
  for (size_t i = uses_.size(); i-- > 0;) {
    if (uses_[i].user == user && uses_[i].operand_index == operand_index) {
      uses_[i] = uses_.back();
      uses_.pop_back();
      return;
    }
  }
}

void Value::ReplaceAllUsesWith(Value* other) {
  if (other == this) return;
  std::vector<Use> uses = std::move(uses_);
  uses_.clear();
  for (const Use& use : uses) {
    use.user->operands_[use.operand_index] = other;
    other->AddUse(use.user, use.operand_index);
  }
}

// ---- Op --------------------------------------------------------------------

std::unique_ptr<Op> Op::Create(OpCode code, const std::vector<Value*>& operands,
                               const std::vector<Type>& result_types,
                               NamedAttrList attributes, std::string name) {
  std::unique_ptr<Op> op(new Op());
  op->code_ = code;
  if (code == OpCode::kUnknown) op->unknown_name_ = std::move(name);
  op->operands_ = operands;
  for (size_t i = 0; i < operands.size(); ++i) {
    operands[i]->AddUse(op.get(), static_cast<int>(i));
  }
  op->results_.reserve(result_types.size());
  for (size_t i = 0; i < result_types.size(); ++i) {
    op->results_.push_back(std::unique_ptr<Value>(
        new Value(result_types[i], op.get(), nullptr, static_cast<int>(i))));
  }
  op->attributes_ = std::move(attributes);
  return op;
}

Op::~Op() {
  // Nested ops go first: they may use values defined by earlier ops of the
  // enclosing blocks, which are still alive at this point.
  regions_.clear();
  DropOperandUses();
}

void Op::DropOperandUses() {
  for (size_t i = 0; i < operands_.size(); ++i) {
    if (operands_[i]) operands_[i]->RemoveUse(this, static_cast<int>(i));
  }
  operands_.clear();
}

absl::string_view Op::name() const {
  if (code_ == OpCode::kUnknown) return unknown_name_;
  return OpCodeName(code_);
}

void Op::SetOperand(int i, Value* value) {
  operands_[i]->RemoveUse(this, i);
  operands_[i] = value;
  value->AddUse(this, i);
}

void Op::SetOperands(const std::vector<Value*>& values) {
  DropOperandUses();
  operands_ = values;
  for (size_t i = 0; i < values.size(); ++i) {
    values[i]->AddUse(this, static_cast<int>(i));
  }
}

std::vector<Value*> Op::results() const {
  std::vector<Value*> out;
  out.reserve(results_.size());
  for (const auto& r : results_) out.push_back(r.get());
  return out;
}

std::vector<Type> Op::result_types() const {
  std::vector<Type> out;
  out.reserve(results_.size());
  for (const auto& r : results_) out.push_back(r->type());
  return out;
}

std::vector<Type> Op::operand_types() const {
  std::vector<Type> out;
  out.reserve(operands_.size());
  for (Value* v : operands_) out.push_back(v->type());
  return out;
}

Region* Op::AddRegion() {
  regions_.push_back(std::make_unique<Region>());
  regions_.back()->parent_op_ = this;
  return regions_.back().get();
}

Region* Op::AdoptRegion(std::unique_ptr<Region> region) {
  region->parent_op_ = this;
  region->parent_function_ = nullptr;
  regions_.push_back(std::move(region));
  return regions_.back().get();
}

Region* Op::parent_region() const {
  return parent_block_ ? parent_block_->parent() : nullptr;
}

Op* Op::parent_op() const {
  Region* region = parent_region();
  return region ? region->parent_op() : nullptr;
}

Function* Op::parent_function() const {
  const Op* op = this;
  while (op) {
    Region* region = op->parent_region();
    if (!region) return nullptr;
    if (region->parent_function()) return region->parent_function();
    op = region->parent_op();
  }
  return nullptr;
}

absl::Status Op::Erase() {
  for (const auto& r : results_) {
    if (!r->use_empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot erase ", name(), ": result #", r->index(),
                       " still has ", r->uses().size(), " use(s)"));
    }
  }
  if (!parent_block_) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot erase ", name(), ": op is not in a block"));
  }
  parent_block_->Detach(this);  // The returned owner destroys the op.
  return absl::OkStatus();
}

void Op::DropAllReferences() {
  DropOperandUses();
  for (const auto& region : regions_) {
    for (int b = 0; b < region->num_blocks(); ++b) {
      for (const auto& op : region->block(b)->ops()) op->DropAllReferences();
    }
  }
}

std::unique_ptr<Op> Op::Clone(IRMapping& mapping) const {
  std::vector<Value*> operands;
  operands.reserve(operands_.size());
  for (Value* v : operands_) {
    auto it = mapping.find(v);
    operands.push_back(it == mapping.end() ? v : it->second);
  }
  std::unique_ptr<Op> op =
      Create(code_, operands, result_types(), attributes_, unknown_name_);
  op->location_ = location_;
  for (size_t i = 0; i < results_.size(); ++i) {
    mapping[results_[i].get()] = op->results_[i].get();
  }
  for (const auto& region : regions_) {
    region->CloneInto(op->AddRegion(), mapping);
  }
  return op;
}

// ---- Block -----------------------------------------------------------------

Block::~Block() {
  // Drop every use first: then no op points at a value destroyed before it,
  // whatever the order (IR under transformation may not be in SSA order).
  for (auto& op : ops_) op->DropAllReferences();
  while (!ops_.empty()) ops_.pop_back();
}

std::vector<Value*> Block::arguments() const {
  std::vector<Value*> out;
  for (const auto& a : arguments_) out.push_back(a.get());
  return out;
}

std::vector<Type> Block::argument_types() const {
  std::vector<Type> out;
  for (const auto& a : arguments_) out.push_back(a->type());
  return out;
}

Value* Block::AddArgument(Type type) {
  arguments_.push_back(std::unique_ptr<Value>(new Value(
      std::move(type), nullptr, this, static_cast<int>(arguments_.size()))));
  return arguments_.back().get();
}

Op* Block::terminator() const {
  Op* last = back();
  return last && IsTerminator(last->code()) ? last : nullptr;
}

Op* Block::Append(std::unique_ptr<Op> op) {
  return InsertBefore(nullptr, std::move(op));
}

Op* Block::InsertBefore(Op* before, std::unique_ptr<Op> op) {
  Op* raw = op.get();
  auto where = before ? before->position_ : ops_.end();
  raw->position_ = ops_.insert(where, std::move(op));
  raw->parent_block_ = this;
  return raw;
}

std::unique_ptr<Op> Block::Detach(Op* op) {
  std::unique_ptr<Op> owned = std::move(*op->position_);
  ops_.erase(op->position_);
  op->parent_block_ = nullptr;
  return owned;
}

// ---- Region ----------------------------------------------------------------

Region::~Region() {
  while (!blocks_.empty()) blocks_.pop_back();
}

Block* Region::AddBlock() {
  blocks_.push_back(std::make_unique<Block>());
  blocks_.back()->parent_ = this;
  return blocks_.back().get();
}

void Region::CloneInto(Region* dest, IRMapping& mapping) const {
  // Create all blocks and arguments first so that ops may refer to any.
  std::vector<Block*> new_blocks;
  for (const auto& block : blocks_) {
    Block* nb = dest->AddBlock();
    for (const auto& arg : block->arguments_) {
      mapping[arg.get()] = nb->AddArgument(arg->type());
    }
    new_blocks.push_back(nb);
  }
  for (size_t i = 0; i < blocks_.size(); ++i) {
    for (const auto& op : blocks_[i]->ops()) {
      new_blocks[i]->Append(op->Clone(mapping));
    }
  }
}

// ---- Function / Module -----------------------------------------------------

Function::Function(std::string name, std::vector<Type> argument_types,
                   std::vector<Type> result_types)
    : name_(std::move(name)),
      result_types_(std::move(result_types)),
      arg_attrs_(argument_types.size()),
      result_attrs_(result_types_.size()) {
  body_.parent_function_ = this;
  Block* entry = body_.AddBlock();
  for (Type& t : argument_types) entry->AddArgument(std::move(t));
}

void Function::set_result_types(std::vector<Type> types) {
  result_types_ = std::move(types);
  result_attrs_.resize(result_types_.size());
}

absl::Status Module::AddFunction(std::unique_ptr<Function> function) {
  if (function_index_.contains(function->name())) {
    return absl::AlreadyExistsError(
        absl::StrCat("redefinition of function @", function->name()));
  }
  function_index_[function->name()] = function.get();
  functions_.push_back(std::move(function));
  return absl::OkStatus();
}

Function* Module::LookupFunction(absl::string_view name) const {
  auto it = function_index_.find(name);
  return it == function_index_.end() ? nullptr : it->second;
}

bool Module::EraseFunction(absl::string_view name) {
  auto it = function_index_.find(name);
  if (it == function_index_.end()) return false;
  Function* f = it->second;
  function_index_.erase(it);
  functions_.erase(std::find_if(
      functions_.begin(), functions_.end(),
      [f](const std::unique_ptr<Function>& p) { return p.get() == f; }));
  return true;
}

// ---- Walks -----------------------------------------------------------------

void Walk(const Region& region, const std::function<void(Op&)>& fn) {
  for (int b = 0; b < region.num_blocks(); ++b) {
    for (const auto& op : region.block(b)->ops()) {
      fn(*op);
      for (int r = 0; r < op->num_regions(); ++r) Walk(*op->region(r), fn);
    }
  }
}

void Walk(const Function& function, const std::function<void(Op&)>& fn) {
  Walk(function.body(), fn);
}

void Walk(const Module& module, const std::function<void(Op&)>& fn) {
  for (const auto& f : module.functions()) Walk(*f, fn);
}

}  // namespace backplane::ir
