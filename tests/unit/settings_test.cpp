#include "pipeline/core/settings.h"

#include <gtest/gtest.h>

#include <cmath>

#include "pipeline/core/setting_list.h"

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

TEST(SettingList, SplitsTrimsAndExpandsRanges) {
  EXPECT_EQ(split_list(" 0.01, 0.05 "), (std::vector<std::string>{"0.01", "0.05"}));
  EXPECT_EQ(split_list("hs"), (std::vector<std::string>{"hs"}));
  EXPECT_TRUE(split_list("").empty());
  EXPECT_TRUE(split_list("  ").empty());
  EXPECT_THROW(split_list("a,,b"), std::invalid_argument);
  EXPECT_THROW(split_list("a,"), std::invalid_argument);
  EXPECT_EQ(join_list({"a", "b"}), "a,b");
  EXPECT_EQ(integer_range("2-4"), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(integer_range(" 7 - 7 "), (std::vector<int64_t>{7}));
  EXPECT_FALSE(integer_range("-3"));  // a negative number, no range
  EXPECT_FALSE(integer_range("a-b"));
  EXPECT_FALSE(integer_range("2008-01-01:2009-12-31"));
  EXPECT_THROW(integer_range("9-2"), std::invalid_argument);
  EXPECT_THROW(integer_range("0-99999999999999999999"), std::invalid_argument);
  EXPECT_THROW(integer_range("0-1000000"), std::invalid_argument);  // 1000001 integers
  EXPECT_EQ(parse_integer("-12"), int64_t{-12});
  EXPECT_FALSE(parse_integer("1.5"));
  EXPECT_FALSE(parse_integer(""));
  EXPECT_EQ(parse_number("1e-2"), 0.01);
  EXPECT_FALSE(parse_number("0.01x"));
}

struct Lists {
  std::vector<double> levels = {0.01};
  std::vector<int> blocks;
  std::vector<std::string> models = {"hs"};
  int64_t window = 251;
  double lambda = 0.94;
  std::string data;
};

const SettingsOf<Lists>& lists() {
  static const auto bound = SettingsOf<Lists>()
                                .identity("levels", &Lists::levels, "Levels")
                                .above(0)
                                .below(0.5)
                                .distinct()
                                .non_empty()
                                .identity("blocks", &Lists::blocks, "Blocks")
                                .at_least(0)
                                .identity("models", &Lists::models, "Models", {"hs", "garch"})
                                .identity("window", &Lists::window, "Window")
                                .between(2, 5000)
                                .identity("lambda", &Lists::lambda, "Decay")
                                .above(0)
                                .at_most(1)
                                .input("data", &Lists::data, "Prices")
                                .path({"synthetic"});
  return bound;
}

std::string list_error(const std::string& name, const ParamValue& value) {
  try {
    lists().schema().checked(name, value);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(no error)";
}

TEST(Settings, ListDefaultsAreTheirCanonicalText) {
  const auto& schema = lists().schema();
  EXPECT_EQ(std::get<std::string>(schema.find("levels")->default_value), "0.01");
  EXPECT_EQ(std::get<std::string>(schema.find("blocks")->default_value), "");
  EXPECT_EQ(std::get<double>(schema.find("levels")->list->item), 0.0);  // its items' type
  EXPECT_EQ(lists().read(Params{}).levels, (std::vector<double>{0.01}));
  // Items are compared as values: 1e-2 is 0.01.
  EXPECT_EQ(list_error("levels", std::string("0.01, 1e-2")),
            "setting 'levels': item 0.01 is listed twice");
}

TEST(Settings, ListsAreReadAndCheckedItemByItem) {
  const auto& schema = lists().schema();
  EXPECT_EQ(schema.checked("levels", std::string("0.01, 0.05")), ParamValue("0.01,0.05"));
  EXPECT_EQ(schema.checked("levels", 0.025), ParamValue("0.025"));  // one number: one item
  EXPECT_EQ(schema.checked("blocks", std::string("0-2,8")), ParamValue("0,1,2,8"));
  EXPECT_EQ(schema.checked("blocks", std::string("")), ParamValue(""));
  const Lists read = lists().read(Params{{"levels", std::string("0.01,0.05")},
                                         {"blocks", std::string("4,0")},
                                         {"models", std::string("garch,hs")}});
  EXPECT_EQ(read.levels, (std::vector<double>{0.01, 0.05}));
  EXPECT_EQ(read.blocks, (std::vector<int>{4, 0}));
  EXPECT_EQ(read.models, (std::vector<std::string>{"garch", "hs"}));
  EXPECT_EQ(list_error("levels", std::string("0.01,0.5")),
            "setting 'levels': item 0.5: expected more than 0 and less than 0.5");
  EXPECT_EQ(list_error("levels", std::string("0.01,x")),
            "setting 'levels': item 'x': expected a number");
  EXPECT_EQ(list_error("levels", std::string("0.05,0.050")),
            "setting 'levels': item 0.05 is listed twice");
  EXPECT_EQ(list_error("levels", std::string("")), "setting 'levels': expected at least one item");
  EXPECT_EQ(list_error("levels", true), "setting 'levels': expected a list of numbers, got true");
  EXPECT_EQ(list_error("blocks", std::string("1,-1")),
            "setting 'blocks': item -1: expected at least 0");
  EXPECT_EQ(list_error("blocks", std::string("1.5")),
            "setting 'blocks': item '1.5': expected an integer");
  EXPECT_EQ(list_error("blocks", std::string("5-1")),
            "setting 'blocks': range '5-1' runs backwards");
  EXPECT_EQ(list_error("models", std::string("hs,garc")),
            "setting 'models': item 'garc': expected one of hs, garch (did you mean 'garch'?)");
  EXPECT_EQ(list_error("blocks", std::string("1,,2")), "setting 'blocks': an empty item in '1,,2'");
}

TEST(Settings, BoundsAreCheckedWhereverAValueIsGiven) {
  EXPECT_EQ(list_error("window", int64_t{1}), "setting 'window': expected 2 to 5000, got 1");
  EXPECT_EQ(list_error("window", int64_t{5001}), "setting 'window': expected 2 to 5000, got 5001");
  EXPECT_EQ(list_error("window", int64_t{2}), "(no error)");
  EXPECT_EQ(list_error("window", int64_t{5000}), "(no error)");
  EXPECT_EQ(list_error("lambda", 0.0),
            "setting 'lambda': expected more than 0 and at most 1, got 0.0");
  EXPECT_EQ(list_error("lambda", int64_t{1}), "(no error)");  // inclusive, and an integer
  EXPECT_EQ(list_error("lambda", std::nan("")),
            "setting 'lambda': expected more than 0 and at most 1, got NaN");
  // read() checks too, so a kind never sees a value outside its bounds.
  EXPECT_THROW(lists().read(Params{{"window", int64_t{1}}}), std::invalid_argument);
}

TEST(Settings, DeclarationsSayWhatAValueMayBe) {
  const auto& schema = lists().schema();
  EXPECT_EQ(rules_text(*schema.find("levels")),
            "a list of numbers, each more than 0 and less than 0.5, distinct, not empty");
  EXPECT_EQ(rules_text(*schema.find("window")), "2 to 5000");
  EXPECT_EQ(rules_text(*schema.find("data")), "a path, or synthetic");
  EXPECT_TRUE(schema.find("data")->path);
  EXPECT_FALSE(schema.find("window")->path);
  // Rules that cannot apply are mistakes in the declaration.
  SettingsSchema bad;
  bad.add({"name", std::string("a"), SettingRole::identity, "", {}, {}, {}});
  EXPECT_THROW(bad.min({0, true}), std::logic_error);  // no number
  EXPECT_THROW(bad.distinct(), std::logic_error);      // no list
  bad.add({"count", int64_t{1}, SettingRole::identity, "", {}, {}, {}});
  EXPECT_THROW(bad.path(), std::logic_error);            // no string
  EXPECT_THROW(bad.list(int64_t{0}), std::logic_error);  // no text default
  bad.add({"items", std::string("1,x"), SettingRole::identity, "", {}, {}, {}});
  EXPECT_THROW(bad.list(int64_t{0}), std::logic_error);  // a default that is no such list
}

TEST(Settings, CheckedItemsMakeAnAxisOfAScalarSetting) {
  const auto& schema = lists().schema();
  EXPECT_EQ(schema.checked_items("window", "251, 500-502"),
            (std::vector<ParamValue>{int64_t{251}, int64_t{500}, int64_t{501}, int64_t{502}}));
  EXPECT_EQ(schema.checked_items("lambda", "0.9,1"), (std::vector<ParamValue>{0.9, 1.0}));
  EXPECT_THROW(schema.checked_items("window", "1"), std::invalid_argument);
  EXPECT_THROW(schema.checked_items("window", "251,251"), std::invalid_argument);
  EXPECT_THROW(schema.checked_items("window", ""), std::invalid_argument);
  EXPECT_THROW(schema.checked_items("levels", "0.01"), std::logic_error);  // a list setting
}

TEST(Settings, ClosestNameIsATypoOrNothing) {
  EXPECT_EQ(closest_name("windw", {"window", "levels"}), "window");
  EXPECT_EQ(closest_name("data_file", {"data", "data_dir"}), "data_dir");
  EXPECT_EQ(closest_name("foo", {"window", "levels"}), "");
}

}  // namespace
}  // namespace riskstep
