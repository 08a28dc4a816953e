#include "pipeline/core/settings.h"

#include <gtest/gtest.h>

#include "pipeline/core/typed_settings.h"
#include "test_data.h"

namespace riskstep {
namespace {

struct Example {
  int epochs = 2;
  double lr = 0.1;
  bool augment = true;
  std::string attention = "none";
  int64_t threads = 0;
};

const SettingsOf<Example>& example() {
  static const auto bound =
      SettingsOf<Example>()
          .identity("epochs", &Example::epochs, "Epochs")
          .identity("lr", &Example::lr, "Learning rate")
          .identity("augment", &Example::augment, "Augment")
          .identity("attention", &Example::attention, "Attention", {"none", "se", "stepnet"})
          .run("threads", &Example::threads, "Threads");
  return bound;
}

std::string error_of(const std::string& name, const ParamValue& value) {
  try {
    example().schema().checked(name, value);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Settings, DefaultsComeFromTheStructAndReadOverlaysThem) {
  const auto& schema = example().schema();
  EXPECT_EQ(std::get<int64_t>(schema.find("epochs")->default_value), 2);
  EXPECT_EQ(std::get<std::string>(schema.find("attention")->default_value), "none");
  const Example read = example().read(Params{{"epochs", int64_t{5}}, {"lr", int64_t{1}}});
  EXPECT_EQ(read.epochs, 5);
  EXPECT_EQ(read.lr, 1.0);  // an integer for a number setting
  EXPECT_TRUE(read.augment);
  const Task task =
      testing::task_of("k", {{"attention", std::string("se")}}, 1, 1, {{"threads", int64_t{4}}});
  EXPECT_EQ(example().read(task).threads, 4);
  EXPECT_EQ(example().read(task).attention, "se");
}

TEST(Settings, BadValuesAreOneLineWithAHint) {
  EXPECT_EQ(error_of("epochz", int64_t{1}), "setting 'epochz': unknown (did you mean 'epochs'?)");
  EXPECT_EQ(error_of("qqqqqq", int64_t{1}), "setting 'qqqqqq': unknown");
  EXPECT_EQ(error_of("epochs", 1.5), "setting 'epochs': expected an integer, got 1.5");
  EXPECT_EQ(error_of("augment", int64_t{1}), "setting 'augment': expected true or false, got 1");
  EXPECT_EQ(error_of("attention", std::string("stepnte")),
            "setting 'attention': expected one of none, se, stepnet, got 'stepnte' (did you mean "
            "'stepnet'?)");
  EXPECT_THROW(example().read(Params{{"epochs", int64_t{1} << 40}}), std::invalid_argument);
}

TEST(Settings, SplitSeparatesIdentityFromRunSettings) {
  const auto split = example().schema().split(
      {{"epochs", int64_t{3}}, {"threads", int64_t{2}}, {"lr", int64_t{1}}});
  // Every identity setting, defaults filled in; run settings as given.
  EXPECT_EQ(split.identity, (Params{{"epochs", int64_t{3}},
                                    {"lr", 1.0},
                                    {"augment", true},
                                    {"attention", std::string("none")}}));
  EXPECT_EQ(split.run, (Params{{"threads", int64_t{2}}}));
  // What an id hashes: the settings not at their default.
  EXPECT_EQ(example().schema().canonical(split.identity, true),
            (Params{{"epochs", int64_t{3}}, {"lr", 1.0}}));
}

TEST(Settings, UsedWhenNeedsAnIdentitySelectorDeclaredFirst) {
  SettingsSchema schema = example().schema();
  EXPECT_THROW(schema.used_when("nonexistent", {"a"}), std::logic_error);
  EXPECT_THROW(schema.used_when("threads", {"a"}), std::logic_error);  // a run setting
  EXPECT_NO_THROW(schema.used_when("attention", {"se"}));              // threads: se only
}

TEST(Settings, ClosestNameIsATypoOrNothing) {
  EXPECT_EQ(closest_name("windw", {"window", "levels"}), "window");
  EXPECT_EQ(closest_name("data_file", {"data", "data_dir"}), "data_dir");
  EXPECT_EQ(closest_name("foo", {"window", "levels"}), "");
}

}  // namespace
}  // namespace riskstep
