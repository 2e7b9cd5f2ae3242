#include "core/TextFormat.h"

#include <gtest/gtest.h>

using namespace prunescope;

TEST(TextFormatTest, ShapeTextJoinsSizesWithTheSeparator)
{
    EXPECT_EQ(shapeText({64, 32, 3, 3}, "×"), "64×32×3×3");
    EXPECT_EQ(shapeText({300, 784}, "x"), "300x784");
    EXPECT_EQ(shapeText({10}, " × "), "10");
    EXPECT_EQ(shapeText({}, "x"), "");
}

TEST(TextFormatTest, SplitCommaListTrimsAndDropsEmptyItems)
{
    EXPECT_EQ(splitCommaList(" fc1=0.9,\tconv1 = 0.5 ,,x"), (std::vector<std::string>{"fc1=0.9", "conv1 = 0.5", "x"}));
    EXPECT_EQ(splitCommaList("0.5"), (std::vector<std::string>{"0.5"}));
    EXPECT_TRUE(splitCommaList("").empty());
    EXPECT_TRUE(splitCommaList(" , ,").empty());
}
