#include "plugins/kit/event.h"

#include <memory>

#include "gtest/gtest.h"

namespace backplane::kit {
namespace {

// The first callback drops the last reference to the event; Set must not
// touch it afterwards (ASan reports a heap-use-after-free otherwise) and the
// other callbacks still run with the status.
TEST(EventTest, CallbackMayDestroyTheEvent) {
  auto event = std::make_shared<Event>();
  Event* raw = event.get();
  std::shared_ptr<Event> owner = event;
  event.reset();
  int later = 0;
  absl::Status seen;
  raw->OnReady([&owner](const absl::Status&) { owner.reset(); });
  raw->OnReady([&](const absl::Status& status) {
    ++later;
    seen = status;
  });
  EXPECT_TRUE(raw->Set(absl::DataLossError("gone")).ok());
  EXPECT_EQ(owner, nullptr);
  EXPECT_EQ(later, 1);
  EXPECT_EQ(seen.code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace backplane::kit
