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

// A run named "\x1b[2J\x1b]0;pwned\x07" once cleared the screen and retitled the terminal on `show`.
TEST(TextFormatTest, TerminalSafeEscapesControlsAndBadUtf8ButKeepsText)
{
    EXPECT_EQ(terminalSafe("LeNet-5 · global 90 % — ünï 日本"), "LeNet-5 · global 90 % — ünï 日本");
    EXPECT_EQ(terminalSafe("\x1b[2J\x1b]0;pwned\x07"), "\\x1b[2J\\x1b]0;pwned\\x07");
    EXPECT_EQ(terminalSafe("a\rb\bc\x7f"), "a\\x0db\\x08c\\x7f");
    EXPECT_EQ(terminalSafe("two\nlines\tand tab"), "two\\x0alines\tand tab");
    EXPECT_EQ(terminalSafe("two\nlines", true), "two\nlines");
    // C1 controls in UTF-8 (U+009B is CSI on some terminals) and invalid or cut sequences.
    EXPECT_EQ(terminalSafe("\xc2\x9b"
                           "31m"),
              "\\xc2\\x9b31m");
    EXPECT_EQ(terminalSafe("\xff\xfe ok"), "\\xff\\xfe ok");
    EXPECT_EQ(terminalSafe("cut \xe6\x97"), "cut \\xe6\\x97");
    EXPECT_EQ(terminalSafe(std::string("nul\0byte", 8)), "nul\\x00byte");
    EXPECT_EQ(terminalSafe(""), "");
}

// A 2×2 image or an int64 model output once printed and stored LibTorch's whole C++ backtrace.
TEST(TextFormatTest, TorchBacktracesAreCutFromMessagesWhereverTheyAre)
{
    const std::string raised
        = "Given input size: (6x1x1). Calculated output size: (6x0x0). Output size is too small\n"
          "Exception raised from max_pool2d_with_indices_out_cpu at ../aten/src/ATen/native/Pool.cpp:42 "
          "(most recent call first):\n"
          "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x3e (0x7f in /usr/lib/libc10.so)\n"
          "frame #1: <unknown function> + 0x12 (0x7f in /usr/lib/libtorch_cpu.so)\n"
          "frame #12: __libc_start_main + 0xea (0x7f in /lib/libc.so.6)\n";
    EXPECT_EQ(withoutTorchBacktrace(raised),
              "Given input size: (6x1x1). Calculated output size: (6x0x0). Output size is too small");
    // Quoted inside another message, with text after the frames.
    EXPECT_EQ(withoutTorchBacktrace("forward() fails on the data's images (" + raised + ") and flattened"),
              "forward() fails on the data's images (Given input size: (6x1x1). Calculated output size: (6x0x0). "
              "Output size is too small\n) and flattened");
    // Messages without a backtrace are unchanged, line breaks included.
    EXPECT_EQ(withoutTorchBacktrace("dataset.directory: no file\nsecond line"),
              "dataset.directory: no file\nsecond line");
    EXPECT_EQ(withoutTorchBacktrace("a frame #1 of a film: not a frame line"),
              "a frame #1 of a film: not a frame line");
    EXPECT_EQ(withoutTorchBacktrace(""), "");
}

TEST(TextFormatTest, Utf8IsCheckedStrictly)
{
    EXPECT_TRUE(isValidUtf8("plain ascii, ünïcode, 日本, 🙂"));
    EXPECT_TRUE(isValidUtf8(""));
    EXPECT_FALSE(isValidUtf8("\xff"));
    EXPECT_FALSE(isValidUtf8("cut \xe6\x97"));
    EXPECT_FALSE(isValidUtf8("\xc0\xaf"));  // overlong '/'
    EXPECT_FALSE(isValidUtf8("\xed\xa0\x80"));  // a UTF-16 surrogate
    EXPECT_FALSE(isValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(isValidUtf8("\x80 stray continuation"));
}
