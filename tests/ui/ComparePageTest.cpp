// The Compare tab reads what its charts need from the database on a pool thread and draws when
// it arrives; a read for a selection no longer shown is dropped.
#include "CompareChart.h"
#include "ComparePage.h"
#include "LayerOverlayChart.h"
#include "RunStore.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>

#include <gtest/gtest.h>

using namespace prunescope;

namespace {

LayerStats layer(const char* name, int64_t parameters, int64_t nonzeros)
{
    LayerStats stats;
    stats.name = name;
    stats.kind = "linear";
    stats.shape = {parameters, 1};
    stats.parameters = parameters;
    stats.nonzeros = nonzeros;
    return stats;
}

// An iterative run: dense, then two rounds, each measured (the lottery-ticket picture).
int64_t writeIterativeRun(RunStore& store)
{
    ExperimentConfig config = defaultExperiment();
    config.method = "lottery_ticket";
    const int64_t id = store.beginRun(config, "test");
    for (int round = 0; round <= 2; ++round) {
        PruningStep step;
        step.step = round;
        step.layers = {layer("fc1", 100, 100 >> round)};
        step.metrics = {{"test_accuracy", 0.9 - 0.01 * round}};
        store.recordPruningStep(id, step);
    }
    store.finishRun(id, RunSummary{});
    return id;
}

int64_t writeOneShotRun(RunStore& store, double sparsity)
{
    ExperimentConfig config = defaultExperiment();
    config.methodParams = {{"sparsity", sparsity}};
    const int64_t id = store.beginRun(config, "test");
    PruningStep step;
    step.step = 1;
    step.layers = {layer("fc1", 100, int64_t(100 * (1 - sparsity))), layer("fc2", 10, 10)};
    store.recordPruningStep(id, step);
    RunSummary s;
    s.testAccuracy = 0.8;
    s.compressionRatio = 1 / (1 - sparsity);
    store.finishRun(id, s);
    return id;
}

const StoredRun& runWithId(const std::vector<StoredRun>& runs, int64_t id)
{
    return *std::find_if(runs.begin(), runs.end(), [id](const StoredRun& run) { return run.id == id; });
}

}  // namespace

TEST(ComparePageTest, OneIterativeRunIsDrawnRoundByRoundOnceItsStepsArrive)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.sqlite");
    RunStore store(path);
    const int64_t iterative = writeIterativeRun(store);
    writeOneShotRun(store, 0.5);
    const std::vector<StoredRun> all = store.listRuns();

    ComparePage page(path);
    QSignalSpy shown(&page, &ComparePage::comparisonShown);
    page.compare({runWithId(all, iterative)}, all);
    EXPECT_FALSE(page.isUpToDate());  // its steps are being read on a pool thread
    ASSERT_TRUE(shown.wait(10000));
    EXPECT_TRUE(page.isUpToDate());
    EXPECT_EQ(page.chart()->pointCount(), 3);  // dense and two rounds
    EXPECT_EQ(page.chart()->seriesCount(), 1);

    // No selection: every run, at once (nothing to read).
    shown.clear();
    page.compare({}, all);
    EXPECT_TRUE(page.isUpToDate());
    EXPECT_EQ(shown.count(), 1);
    EXPECT_EQ(page.chart()->seriesCount(), 2);  // one per method
    EXPECT_EQ(page.chart()->pointCount(), 2);
}

TEST(ComparePageTest, AReadForASelectionNoLongerShownIsDropped)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.sqlite");
    RunStore store(path);
    const int64_t iterative = writeIterativeRun(store);
    const int64_t half = writeOneShotRun(store, 0.5);
    const int64_t most = writeOneShotRun(store, 0.9);
    const std::vector<StoredRun> all = store.listRuns();

    ComparePage page(path);
    QSignalSpy shown(&page, &ComparePage::comparisonShown);
    page.compare({runWithId(all, iterative)}, all);
    page.compare({runWithId(all, half), runWithId(all, most)}, all);  // before the first read arrived
    ASSERT_TRUE(shown.wait(10000));
    QThreadPool::globalInstance()->waitForDone();  // both reads have finished …
    QCoreApplication::processEvents();  // … and their results have been delivered
    EXPECT_EQ(shown.count(), 1);
    // The two one-shot runs, not the iterative run's rounds; their layers overlaid.
    EXPECT_EQ(page.chart()->seriesCount(), 1);
    EXPECT_EQ(page.chart()->pointCount(), 2);
    auto* overlay = page.findChild<LayerOverlayChart*>("layerOverlay");
    ASSERT_NE(overlay, nullptr);
    EXPECT_EQ(overlay->runCount(), 2);
    EXPECT_EQ(overlay->layerCount(), 2);
}
