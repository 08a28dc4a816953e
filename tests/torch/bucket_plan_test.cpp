#include <gtest/gtest.h>

#include "training/data_parallel.h"

namespace riskstep {
namespace {

using Plan = std::vector<std::vector<size_t>>;

TEST(BucketPlan, FillsInReverseOrderUpToTheCap) {
  EXPECT_EQ(plan_buckets({4, 4, 4, 4}, 8), (Plan{{3, 2}, {1, 0}}));
  EXPECT_EQ(plan_buckets({4, 4, 4, 4}, 9), (Plan{{3, 2}, {1, 0}}));
  EXPECT_EQ(plan_buckets({4, 4, 4, 4}, 12), (Plan{{3, 2, 1}, {0}}));
  EXPECT_EQ(plan_buckets({4, 4, 4, 4}, 1 << 20), (Plan{{3, 2, 1, 0}}));
}

TEST(BucketPlan, LargeParameterGetsItsOwnBucket) {
  EXPECT_EQ(plan_buckets({4, 100, 4, 4}, 10), (Plan{{3, 2}, {1}, {0}}));
  EXPECT_EQ(plan_buckets({100}, 10), (Plan{{0}}));
  EXPECT_TRUE(plan_buckets({}, 10).empty());
}

}  // namespace
}  // namespace riskstep
