#include "compiler/interpreter/runtime_value.h"

#include <utility>

namespace backplane::interpreter {
namespace {

std::atomic<int64_t> live_bytes{0};
std::atomic<int64_t> peak_bytes{0};

void AddLiveBytes(int64_t bytes) {
  const int64_t now = live_bytes.fetch_add(bytes) + bytes;
  int64_t peak = peak_bytes.load();
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now)) {
  }
}

}  // namespace

ValueRef RuntimeValue::Tensor(ir::Literal literal) {
  std::shared_ptr<RuntimeValue> v(new RuntimeValue());
  v->kind_ = Kind::kTensor;
  v->tensor_ = std::move(literal);
  AddLiveBytes(v->tensor_.byte_size());
  return v;
}

ValueRef RuntimeValue::Token() {
  static const ValueRef* const token = new ValueRef(new RuntimeValue());
  return *token;
}

ValueRef RuntimeValue::Tuple(std::vector<ValueRef> elements) {
  std::shared_ptr<RuntimeValue> v(new RuntimeValue());
  v->kind_ = Kind::kTuple;
  v->elements_ = std::move(elements);
  return v;
}

RuntimeValue::~RuntimeValue() {
  if (kind_ == Kind::kTensor) live_bytes.fetch_sub(tensor_.byte_size());
}

int64_t RuntimeValue::LiveBytes() { return live_bytes.load(); }
int64_t RuntimeValue::PeakLiveBytes() { return peak_bytes.load(); }
void RuntimeValue::ResetPeakLiveBytes() { peak_bytes.store(live_bytes.load()); }

}  // namespace backplane::interpreter
