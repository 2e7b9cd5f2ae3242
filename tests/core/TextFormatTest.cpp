#include "core/RunEvents.h"
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

TEST(TextFormatTest, LatencyTextShowsTheSpreadAndSaysWhenTheMachineWasBusy)
{
    LatencyMeasurement quiet{"pruned", 64, 1.23, 1.1, 1.4, 30, "frozen", 1.18, 1.28, 1.05, 1.6};
    EXPECT_EQ(latencyText(quiet), "1.230 ms ± 0.050");
    LatencyMeasurement busy = quiet;
    busy.p25Ms = 1.0;
    busy.p75Ms = 1.43;  // IQR 0.43 of a 1.23 median: 35 %
    EXPECT_EQ(latencyText(busy), "1.230 ms ± 0.215 (busy machine: spread 35 %)");
    const LatencyMeasurement old{"pruned", 64, 1.23, 1.1, 1.4, 30, ""};
    EXPECT_EQ(latencyText(old), "1.230 ms (p10–p90 1.100–1.400)");
}

TEST(TextFormatTest, CsvCellsQuoteSeparatorsAndKeepFormulasText)
{
    EXPECT_EQ(csvCell("lenet5"), "lenet5");
    EXPECT_EQ(csvCell("a,b"), "\"a,b\"");
    EXPECT_EQ(csvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvCell("two\nlines"), "\"two\nlines\"");
    // What a spreadsheet would evaluate stays text.
    EXPECT_EQ(csvCell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    EXPECT_EQ(csvCell("+cmd"), "'+cmd");
    EXPECT_EQ(csvCell("-2+3+cmd|' /C calc'!A0"), "'-2+3+cmd|' /C calc'!A0");
    EXPECT_EQ(csvCell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csvCell("\t=1"), "\"'\t=1\"");
    EXPECT_EQ(csvCell("\r=1"), "\"'\r=1\"");
    // Numbers stay numbers.
    EXPECT_EQ(csvCell("-0.5"), "-0.5");
    EXPECT_EQ(csvCell("+3"), "+3");
    EXPECT_EQ(csvCell("-1e-05"), "-1e-05");
    EXPECT_EQ(csvCell(""), "");
}
