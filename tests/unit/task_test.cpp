#include "pipeline/core/task.h"

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

TEST(Task, RunSettingsAreNotHashed) {
  const Task plain = make_task("k", Params{{"x", int64_t{1}}}, 42);
  const Task threaded = make_task("k", Params{{"x", int64_t{1}}}, 42, 1, {{"threads", int64_t{2}}});
  EXPECT_EQ(plain.id, threaded.id);
  EXPECT_EQ(plain.seed, threaded.seed);
  EXPECT_EQ(describe(threaded), "k x=1 [threads=2]");
}

TEST(Task, ParamsSurviveJson) {
  const Params params{{"b", true}, {"i", int64_t{-3}}, {"d", 0.05}, {"s", std::string("x y")}};
  EXPECT_EQ(params_from_json(params_json(params)), params);
  EXPECT_EQ(param_to_string(0.05), "0.05");
  EXPECT_THROW(params_from_json("[1, 2]"), std::runtime_error);
}

}  // namespace
}  // namespace riskstep
