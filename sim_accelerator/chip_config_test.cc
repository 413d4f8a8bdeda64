#include "sim_accelerator/chip_config.h"

#include "base/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace backplane::sim {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<ChipConfig> FromOptions(std::vector<kit::NamedValue> values) {
  ASSIGN_OR_RETURN(kit::Options options,
                   kit::Options::Parse(std::move(values), ClientOptionSpecs(),
                                       "client option"));
  return ChipConfigFromOptions(options);
}

TEST(ChipConfigTest, Defaults) {
  ChipConfig c = *FromOptions({});
  EXPECT_EQ(c.array_rows, 128);
  EXPECT_EQ(c.array_cols, 128);
  EXPECT_EQ(c.dataflow, Dataflow::kWeightStationary);
  EXPECT_EQ(c.timing_model, TimingModel::kDefault);
  EXPECT_EQ(c.default_matmul_precision, MatmulPrecision::kHighest);
  EXPECT_EQ(c.num_chips, 1);
}

TEST(ChipConfigTest, PresetThenOverrides) {
  ChipConfig c = *FromOptions({{"preset", std::string("tpu-v1-like")},
                               {"array_cols", int64_t{64}},
                               {"clock_mhz", int64_t{900}},
                               {"dataflow", std::string("os")},
                               {"timing_model", std::string("scalesim")},
                               {"hbm_mib", int64_t{512}}});
  EXPECT_EQ(c.preset, "tpu-v1-like");
  EXPECT_EQ(c.array_rows, 256);
  EXPECT_EQ(c.array_cols, 64);
  EXPECT_EQ(c.clock_mhz, 900.0);
  EXPECT_EQ(c.dataflow, Dataflow::kOutputStationary);
  EXPECT_EQ(c.timing_model, TimingModel::kScaleSim);
  EXPECT_EQ(c.hbm_bytes, int64_t{512} << 20);
  EXPECT_EQ(Preset("tpu-v1-like")->clock_mhz, 700.0);
  for (const std::string& name : PresetNames()) EXPECT_TRUE(Preset(name).ok());
}

TEST(ChipConfigTest, Errors) {
  EXPECT_THAT(FromOptions({{"num_chips", int64_t{0}}}).status().message(),
              HasSubstr("num_chips"));
  EXPECT_THAT(FromOptions({{"clock_mhz", -1.0}}).status().message(),
              HasSubstr("clock_mhz"));
  EXPECT_THAT(
      FromOptions({{"timing_model", std::string("exact")}}).status().message(),
      HasSubstr("default or scalesim"));
  EXPECT_THAT(FromOptions({{"default_matmul_precision", std::string("max")}})
                  .status()
                  .message(),
              HasSubstr("highest"));
  EXPECT_FALSE(FromOptions({{"array_rows", std::string("big")}}).ok());
  EXPECT_FALSE(FromOptions({{"no_such_option", int64_t{1}}}).ok());
}

}  // namespace
}  // namespace backplane::sim
