// Chart, table and sweep-figure export: the files a user (or the docs build) gets.
#include "ChartExport.h"
#include "CompareChart.h"
#include "RunStore.h"
#include "RunsTableModel.h"
#include "TableExport.h"

#include <QChart>
#include <QFile>
#include <QXYSeries>
#include <QHeaderView>
#include <QImage>
#include <QImageReader>
#include <QProcess>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace prunescope;

namespace {

// A sweep of two methods × two sparsities × two seeds, plus a failed run and a run outside the
// sweep, written the way the runner writes them.
int64_t writeSweep(const QString& databasePath, int64_t* outsideRunId = nullptr)
{
    RunStore store(databasePath);
    const int64_t sweepId = store.createSweep("methods at two sparsities", "{}");
    int n = 0;
    for (const char* method : {"global_magnitude", "random"}) {
        for (double sparsity : {0.5, 0.9}) {
            for (uint64_t seed : {1u, 2u}) {
                ExperimentConfig config = defaultExperiment();
                config.method = method;
                config.methodParams = {{"sparsity", sparsity}};
                config.seed = seed;
                config.name = std::string(method) + " " + std::to_string(sparsity);
                const int64_t id = store.beginRun(config, "test", sweepId);
                RunSummary s;
                s.denseTestAccuracy = 0.90;
                s.testAccuracy
                    = (std::string(method) == "random" ? 0.80 : 0.88) - sparsity * 0.05 + 0.002 * double(seed);
                s.sparsity = sparsity;
                s.compressionRatio = 1.0 / (1.0 - sparsity);
                s.denseMacs = 2.3e6;
                s.effectiveMacs = 2.3e6 * (1.0 - sparsity);
                s.parameters = 1000;
                s.nonzeros = int64_t(1000 * (1.0 - sparsity));
                store.finishRun(id, s);
                ++n;
            }
        }
    }
    ExperimentConfig failed = defaultExperiment();
    failed.method = "snip";
    store.endRun(store.beginRun(failed, "test", sweepId), RunStatus::Failed, "out of memory");
    const int64_t outside = store.beginRun(defaultExperiment(), "test");
    RunSummary s;
    s.testAccuracy = 0.5;
    s.compressionRatio = 3;
    store.finishRun(outside, s);
    if (outsideRunId)
        *outsideRunId = outside;
    return sweepId;
}

QByteArray readAll(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

TEST(ChartExportTest, SweepChartAsPngHasTheRequestedSize)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const int64_t sweep = writeSweep(db);
    QString error;
    const QString png = dir.filePath("sweep.png");
    ASSERT_TRUE(exportSweepChart(db, sweep, SweepChartAxis::Compression, png, QSize(1200, 750), 1.0, &error))
        << error.toStdString();
    QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.size(), QSize(1200, 750));
    // Something was drawn: not a blank page of one colour.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    EXPECT_GT(colours.size(), 10);
    // The chart fills the whole figure: its background reaches the far corner, and the legend
    // sits in the bottom half rather than in a 640 × 480 corner.
    EXPECT_EQ(qAlpha(image.pixel(image.width() - 20, image.height() - 20)), 255);
    EXPECT_EQ(image.pixel(1, 1), qRgb(255, 255, 255));  // no dark frame around the figure
    QSet<QRgb> bottomRight;
    for (int y = image.height() * 3 / 4; y < image.height(); y += 3)
        for (int x = image.width() / 2; x < image.width(); x += 3)
            bottomRight.insert(image.pixel(x, y));
    EXPECT_GT(bottomRight.size(), 3);

    const QString hiDpi = dir.filePath("sweep@2x.png");
    ASSERT_TRUE(exportSweepChart(db, sweep, SweepChartAxis::EffectiveMacs, hiDpi, QSize(600, 400), 2.0, &error));
    EXPECT_EQ(QImageReader(hiDpi).size(), QSize(1200, 800));
}

TEST(ChartExportTest, SweepChartAsSvgNamesEveryMethodOfTheSweepOnly)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const int64_t sweep = writeSweep(db);
    QString error;
    const QString svg = dir.filePath("sweep.svg");
    ASSERT_TRUE(exportSweepChart(db, sweep, SweepChartAxis::EffectiveMacs, svg, QSize(1200, 750), 1.0, &error))
        << error.toStdString();
    const QByteArray text = readAll(svg);
    EXPECT_TRUE(text.startsWith("<?xml")) << text.left(80).toStdString();
    EXPECT_TRUE(text.contains("<svg"));
    EXPECT_TRUE(text.contains("global_magnitude"));
    EXPECT_TRUE(text.contains("random"));
    EXPECT_FALSE(text.contains("snip"));  // the failed run is not a point
    EXPECT_TRUE(text.contains("effective MACs"));
    EXPECT_TRUE(text.contains("8 runs"));  // the run outside the sweep is left out
}

TEST(ChartExportTest, SweepChartErrorsSayWhatIsWrong)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const int64_t sweep = writeSweep(db);
    QString error;
    EXPECT_FALSE(exportSweepChart(db, sweep + 41, SweepChartAxis::Compression, dir.filePath("a.png"), QSize(800, 500),
                                  1, &error));
    EXPECT_TRUE(error.contains(QString("Sweep %1 has no runs").arg(sweep + 41))) << error.toStdString();
    EXPECT_FALSE(
        exportSweepChart(db, sweep, SweepChartAxis::Compression, dir.filePath("a.jpg"), QSize(800, 500), 1, &error));
    EXPECT_TRUE(error.contains(".png or .svg")) << error.toStdString();
    EXPECT_FALSE(exportSweepChart(dir.filePath("missing.sqlite"), sweep, SweepChartAxis::Compression,
                                  dir.filePath("a.png"), QSize(800, 500), 1, &error));
    EXPECT_TRUE(error.contains("missing.sqlite")) << error.toStdString();
    EXPECT_FALSE(QFile::exists(dir.filePath("missing.sqlite")));  // not created by asking
    EXPECT_FALSE(exportSweepChart(db, sweep, SweepChartAxis::Compression, dir.filePath("no-such-dir/a.png"),
                                  QSize(800, 500), 1, &error));
    EXPECT_TRUE(error.contains("no-such-dir")) << error.toStdString();
}

#ifdef PRUNESCOPE_GUI_EXECUTABLE
TEST(ChartExportTest, TheCommandLineExportsAndExitsWithAStatus)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    const int64_t sweep = writeSweep(db);
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("QT_QPA_PLATFORM");  // the export must pick the offscreen platform by itself
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    process.setProcessEnvironment(env);
    const QString png = dir.filePath("fig.png");
    process.start(PRUNESCOPE_GUI_EXECUTABLE,
                  {"--db", db, "--export-sweep-chart", QString::number(sweep), "--x", "macs", "--out", png});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().toStdString();
    EXPECT_EQ(QImageReader(png).size(), QSize(1200, 750));

    process.start(PRUNESCOPE_GUI_EXECUTABLE,
                  {"--db", db, "--export-sweep-chart", "999", "--out", dir.filePath("x.svg")});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 1);
    EXPECT_TRUE(process.readAllStandardError().contains("Sweep 999 has no runs"));
    EXPECT_FALSE(QFile::exists(dir.filePath("x.svg")));

    process.start(PRUNESCOPE_GUI_EXECUTABLE,
                  {"--db", db, "--export-sweep-chart", QString::number(sweep), "--x", "speed", "--out", png});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 2);
    EXPECT_TRUE(process.readAllStandardError().contains("--x must be compression, macs, latency or bytes"));

    // A list of runs against measured latency: only runs with a measurement can be drawn.
    process.start(PRUNESCOPE_GUI_EXECUTABLE,
                  {"--db", db, "--export-runs-chart", "1,2", "--x", "latency", "--out", png});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 1);
    EXPECT_TRUE(process.readAllStandardError().contains("prunescope-cli latency"));
    process.start(PRUNESCOPE_GUI_EXECUTABLE, {"--db", db, "--export-runs-chart", "1,2,x", "--out", png});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 2);
}
#endif

TEST(ChartExportTest, RunsAgainstMeasuredLatencyLeaveOutRunsWithoutAMeasurement)
{
    QTemporaryDir dir;
    const QString db = dir.filePath("runs.sqlite");
    std::vector<int64_t> ids;
    {
        RunStore store(db);
        for (const char* method : {"l1_filter", "global_magnitude", "random"}) {
            ExperimentConfig config = defaultExperiment();
            config.method = method;
            const int64_t id = store.beginRun(config, "test");
            RunSummary s;
            s.testAccuracy = 0.9;
            s.compressionRatio = 2;
            if (std::string(method) != "random")
                s.latency = {{"dense", 64, 8.0, 7.0, 9.0, 3, ""},
                             {"pruned", 64, std::string(method) == "l1_filter" ? 2.0 : 8.0, 1, 9, 3, ""}};
            store.finishRun(id, s);
            ids.push_back(id);
        }
    }
    QString error;
    const QString svg = dir.filePath("latency.svg");
    ASSERT_TRUE(exportRunsChart(db, ids, SweepChartAxis::Latency, svg, QSize(900, 600), 1, &error))
        << error.toStdString();
    const QByteArray text = readAll(svg);
    EXPECT_TRUE(text.contains("measured latency"));
    EXPECT_TRUE(text.contains("l1_filter"));
    EXPECT_TRUE(text.contains("global_magnitude"));
    EXPECT_TRUE(text.contains("1 without a latency measurement left out"));
    {
        // A run of another model: each series is one model's method.
        RunStore store(db);
        ExperimentConfig config = defaultExperiment();
        config.model = "resnet20";
        config.method = "l1_filter";
        const int64_t id = store.beginRun(config, "test");
        RunSummary s;
        s.testAccuracy = 0.9;
        s.latency = {{"dense", 64, 8.0, 7.0, 9.0, 3, ""}, {"pruned", 64, 3.0, 1, 9, 3, ""}};
        store.finishRun(id, s);
        ids.push_back(id);
    }
    ASSERT_TRUE(exportRunsChart(db, ids, SweepChartAxis::Latency, svg, QSize(900, 600), 1, &error))
        << error.toStdString();
    EXPECT_TRUE(readAll(svg).contains("resnet20 · l1_filter"));
    EXPECT_TRUE(readAll(svg).contains("lenet5 · l1_filter"));
    EXPECT_FALSE(exportRunsChart(db, {ids[2]}, SweepChartAxis::Latency, svg, QSize(900, 600), 1, &error));
    EXPECT_FALSE(exportRunsChart(db, {99}, SweepChartAxis::Latency, svg, QSize(900, 600), 1, &error));
    EXPECT_TRUE(error.contains("no run 99")) << error.toStdString();
}

TEST(ChartExportTest, AVisibleChartExportsAtTwiceItsSize)
{
    QTemporaryDir dir;
    CompareChart chart;
    chart.resize(500, 320);
    chart.show();
    QString error;
    ASSERT_TRUE(saveChart(&chart, dir.filePath("c.png"), &error)) << error.toStdString();
    EXPECT_EQ(QImageReader(dir.filePath("c.png")).size(), QSize(1000, 640));
    EXPECT_FALSE(saveChart(&chart, dir.filePath("c.pdf"), &error));
    EXPECT_TRUE(error.contains("c.pdf"));
    EXPECT_FALSE(saveChart(nullptr, dir.filePath("c.png"), &error));
}

TEST(CompareChartTest, ARunTimeRunIsDrawnDensityByDensityAgainstTheMacsItsInputsExecuted)
{
    StoredRun run;
    run.id = 7;
    run.config.method = "fbs";
    run.summary.denseMacs = 2.0e6;
    run.summary.denseTestAccuracy = 0.9;
    std::vector<PruningStep> steps;
    int number = 1;
    for (const double density : {0.25, 0.5, 1.0}) {
        PruningStep step{number++, {}, {}, {}};
        step.metrics = {{"density", density},
                        {"test_accuracy", 0.5 + 0.4 * density},
                        {"macs_mean", 2.0e6 * density},
                        {"macs_p10", 1.9e6 * density},
                        {"macs_p90", 2.1e6 * density}};
        steps.push_back(step);
    }
    CompareChart chart;
    chart.setExecutedMacs(run, steps);
    EXPECT_EQ(chart.pointCount(), 3);
    const QList<QAbstractSeries*> series = chart.chart()->series();
    ASSERT_EQ(series.size(), 3 + 2);  // a p10–p90 bar per density, the accuracy line, the dense point
    const auto* accuracy = qobject_cast<QXYSeries*>(series[3]);
    ASSERT_TRUE(accuracy);
    ASSERT_EQ(accuracy->count(), 3);
    EXPECT_DOUBLE_EQ(accuracy->at(1).x(), 1.0);  // millions of MACs at density 0.5
    EXPECT_DOUBLE_EQ(accuracy->at(1).y(), 70.0);  // percent
    const auto* spread = qobject_cast<QXYSeries*>(series[1]);
    EXPECT_DOUBLE_EQ(spread->at(0).x(), 0.95);
    EXPECT_DOUBLE_EQ(spread->at(1).x(), 1.05);
    const auto* dense = qobject_cast<QXYSeries*>(series[4]);
    EXPECT_DOUBLE_EQ(dense->at(0).y(), 90.0);
    EXPECT_TRUE(chart.chart()->title().contains("Run 7"));
}

TEST(TableExportTest, CsvQuotesWhatNeedsQuotingAndKeepsTheViewOrder)
{
    QStandardItemModel model(2, 3);
    model.setHorizontalHeaderLabels({"Run", "Name", "Notes"});
    model.setItem(0, 0, new QStandardItem("1"));
    model.setItem(0, 1, new QStandardItem("lenet, \"90 %\""));
    model.setItem(0, 2, new QStandardItem("two\nlines"));
    model.setItem(1, 0, new QStandardItem("2"));
    model.setItem(1, 1, new QStandardItem("=HYPERLINK(\"x\")"));
    model.setItem(1, 2, new QStandardItem(""));
    EXPECT_EQ(tableToCsv(model),
              QString("Run,Name,Notes\r\n1,\"lenet, \"\"90 %\"\"\",\"two\nlines\"\r\n"
                      "2,\"'=HYPERLINK(\"\"x\"\")\",\r\n"));
    QTableView view;
    view.setModel(&model);
    view.horizontalHeader()->moveSection(2, 0);  // Notes first
    view.setColumnHidden(1, true);
    EXPECT_EQ(tableToCsv(view), QString("Notes,Run\r\n\"two\nlines\",1\r\n,2\r\n"));
    QTemporaryDir dir;
    QString error;
    ASSERT_TRUE(saveTableCsv(view, dir.filePath("t.csv"), &error));
    EXPECT_EQ(readAll(dir.filePath("t.csv")), tableToCsv(view).toUtf8());
    EXPECT_FALSE(saveTableCsv(view, dir.filePath("missing/t.csv"), &error));
    EXPECT_TRUE(error.contains("missing/t.csv"));
}
