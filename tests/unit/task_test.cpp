#include "pipeline/task.h"

#include <gtest/gtest.h>

namespace riskstep {
namespace {

TEST(Task, IdIsStableAndIndependentOfInsertionOrder) {
  Params a{{"index", std::string("gspc")}, {"seed", int64_t{3}}, {"level", 0.01}};
  Params b;
  b["level"] = 0.01;
  b["seed"] = int64_t{3};
  b["index"] = std::string("gspc");
  EXPECT_EQ(task_id("backtest_var", a), task_id("backtest_var", b));
  EXPECT_EQ(task_id("backtest_var", a).size(), 16u);
  EXPECT_EQ(canonical_json("k", a),
            R"({"kind":"k","params":{"index":"gspc","level":0.01,"seed":3}})");
}

TEST(Task, IdChangesWithKindAndParams) {
  Params a{{"x", int64_t{1}}};
  Params b{{"x", int64_t{2}}};
  EXPECT_NE(task_id("k", a), task_id("k", b));
  EXPECT_NE(task_id("k", a), task_id("j", a));
  // An integer and a double are different parameters.
  EXPECT_NE(task_id("k", Params{{"x", int64_t{1}}}), task_id("k", Params{{"x", 1.0}}));
}

TEST(Task, SeedDependsOnSpecSeedAndId) {
  Task t = make_task("k", Params{{"x", int64_t{1}}}, 42);
  EXPECT_EQ(t.seed, task_seed(42, t.id));
  EXPECT_NE(task_seed(42, t.id), task_seed(43, t.id));
  EXPECT_LT(t.seed, uint64_t{1} << 60);
}

TEST(Task, TypedAccessNamesTheParameter) {
  Task t = make_task("k", Params{{"name", std::string("a")}, {"n", int64_t{4}}}, 1);
  EXPECT_EQ(param_string(t, "name"), "a");
  EXPECT_EQ(param_int(t, "n"), 4);
  EXPECT_DOUBLE_EQ(param_double(t, "n"), 4.0);
  EXPECT_EQ(param_int_or(t, "absent", 7), 7);
  try {
    param_int(t, "name");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'name'"), std::string::npos);
  }
  EXPECT_THROW(param(t, "absent"), std::invalid_argument);
}

}  // namespace
}  // namespace riskstep
