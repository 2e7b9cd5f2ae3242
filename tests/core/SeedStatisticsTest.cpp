#include "core/SeedStatistics.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace prunescope;

TEST(SeedStatisticsTest, MeanAndSampleStandardDeviation)
{
    const MeanAndSd stats = meanAndSampleSd({2, 4, 4, 4, 5, 5, 7, 9});
    EXPECT_DOUBLE_EQ(stats.mean, 5.0);
    EXPECT_DOUBLE_EQ(stats.sd, std::sqrt(32.0 / 7.0));  // n - 1, not n (which would give 2)
}

TEST(SeedStatisticsTest, OneSeedHasNoSpreadAndNoSeedsGiveZeros)
{
    const MeanAndSd one = meanAndSampleSd({0.875});
    EXPECT_EQ(one.mean, 0.875);
    EXPECT_EQ(one.sd, 0.0);
    const MeanAndSd none = meanAndSampleSd({});
    EXPECT_EQ(none.mean, 0.0);
    EXPECT_EQ(none.sd, 0.0);
}

// The tables printed before this function existed summed value / n; the sum divided once differs
// in the last bit for these values (0.7999999999999999), and a stored table must reprint exactly.
TEST(SeedStatisticsTest, SumsEachValueOverNInOrderToTheLastBit)
{
    const MeanAndSd stats = meanAndSampleSd({0.7, 0.8, 0.9});
    EXPECT_EQ(stats.mean, 0.7 / 3.0 + 0.8 / 3.0 + 0.9 / 3.0);
    EXPECT_EQ(stats.mean, 0.8);
    const double m = stats.mean;
    EXPECT_EQ(stats.sd,
              std::sqrt((0.7 - m) * (0.7 - m) / 2.0 + (0.8 - m) * (0.8 - m) / 2.0 + (0.9 - m) * (0.9 - m) / 2.0));
}
