// The Compare tab reads what its charts need from the database on a pool thread and draws when
// it arrives; a read for a selection no longer shown is dropped. The selected runs' training
// curves can be overlaid in place of the comparison.
#include "ChartLegend.h"
#include "ChartStyle.h"
#include "CompareChart.h"
#include "ComparePage.h"
#include "LayerOverlayChart.h"
#include "RunStore.h"
#include "TrainingOverlayChart.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLineSeries>
#include <QStackedWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThreadPool>

#include <gtest/gtest.h>

#include <map>
#include <tuple>

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

// A run trained densely for `denseEpochs`, pruned to `sparsity` by `method`, then fine-tuned for
// `fineTuneEpochs`; validation accuracy 0.5 + 0.01 × (run id) + 0.02 × (epoch in training order).
int64_t writeTrainedRun(RunStore& store, const char* method, double sparsity, int denseEpochs, int fineTuneEpochs)
{
    ExperimentConfig config = defaultExperiment();
    config.method = method;
    config.methodParams = {{"sparsity", sparsity}};
    const int64_t id = store.beginRun(config, "test");
    for (int e = 1; e <= denseEpochs + fineTuneEpochs; ++e) {
        EpochMetrics m;
        m.phase = e <= denseEpochs ? "dense" : "finetune";
        m.epoch = e <= denseEpochs ? e : e - denseEpochs;
        m.trainLoss = 1.0 / e;
        m.validationAccuracy = 0.5 + 0.01 * double(id) + 0.02 * e;
        store.recordEpoch(id, m);
    }
    RunSummary s;
    s.testAccuracy = 0.8;
    s.sparsity = sparsity;
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

TEST(ComparePageTest, TheSelectedRunsTrainingCurvesAreOverlaidOneColourPerMethod)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.sqlite");
    RunStore store(path);
    // Two runs of one method, one of another; 5, 4 and 6 epochs.
    const int64_t snipMost = writeTrainedRun(store, "snip", 0.9, 3, 2);
    const int64_t magnitude = writeTrainedRun(store, "global_magnitude", 0.8, 3, 1);
    const int64_t snipHalf = writeTrainedRun(store, "snip", 0.5, 4, 2);
    writeTrainedRun(store, "random", 0.5, 2, 2);  // listed, not selected
    const std::vector<StoredRun> all = store.listRuns();

    ComparePage page(path);
    auto* choice = page.findChild<QComboBox*>("compareAxis");
    ASSERT_NE(choice, nullptr);
    const int overlayChoice = choice->findText("Training curves (validation accuracy per epoch)");
    ASSERT_GE(overlayChoice, 0);
    choice->setCurrentIndex(overlayChoice);
    // The training curves take the comparison's place.
    auto* upper = qobject_cast<QStackedWidget*>(page.trainingOverlay()->parentWidget());
    ASSERT_NE(upper, nullptr);
    EXPECT_EQ(upper->currentWidget(), page.trainingOverlay());

    QSignalSpy shown(&page, &ComparePage::comparisonShown);
    page.compare({runWithId(all, snipHalf), runWithId(all, snipMost), runWithId(all, magnitude)}, all);
    ASSERT_TRUE(shown.wait(10000));
    const TrainingOverlayChart* overlay = page.trainingOverlay();
    EXPECT_EQ(overlay->runCount(), 3);
    EXPECT_EQ(overlay->pointCount(), 5 + 4 + 6);

    // One series per run, oldest first, named "run N · method · sparsity", its validation
    // accuracy (%) at epochs 1, 2, … (the dense epochs, then fine-tuning going on from them).
    const auto series = overlay->chart()->series();
    ASSERT_EQ(series.size(), 3);
    const std::pair<int64_t, int> expected[] = {{snipMost, 5}, {magnitude, 4}, {snipHalf, 6}};
    std::map<int64_t, QPen> pens;
    for (int i = 0; i < 3; ++i) {
        auto* line = qobject_cast<QLineSeries*>(series[i]);
        ASSERT_NE(line, nullptr);
        const auto [id, epochs] = expected[i];
        const StoredRun& run = runWithId(all, id);
        EXPECT_EQ(line->name(), TrainingOverlayChart::runLabel(run));
        EXPECT_TRUE(line->name().startsWith(QString("run %1 · %2 · ").arg(id).arg(run.config.method.c_str())))
            << line->name().toStdString();
        ASSERT_EQ(line->count(), epochs);
        for (int e = 1; e <= epochs; ++e) {
            EXPECT_DOUBLE_EQ(line->at(e - 1).x(), e);
            EXPECT_NEAR(line->at(e - 1).y(), 100 * (0.5 + 0.01 * double(id) + 0.02 * e), 1e-9);
        }
        pens[id] = line->pen();
    }
    EXPECT_EQ(TrainingOverlayChart::runLabel(runWithId(all, snipMost)),
              QString("run %1 · snip · 90 % sparse").arg(snipMost));
    // Colours follow the tab's palette: the two SNIP runs share SNIP's colour, told apart by
    // the line; the magnitude run has another colour, the one the comparison gives it.
    EXPECT_EQ(pens[snipMost].color(), pens[snipHalf].color());
    EXPECT_NE(pens[snipMost].style(), pens[snipHalf].style());
    EXPECT_NE(pens[snipMost].color(), pens[magnitude].color());
    choice->setCurrentIndex(0);
    EXPECT_EQ(upper->currentWidget(), page.chart());
    int methodsCompared = 0;
    for (QAbstractSeries* compared : page.chart()->chart()->series()) {
        if (compared->name() != "snip" && compared->name() != "global_magnitude")
            continue;
        ++methodsCompared;
        EXPECT_EQ(qobject_cast<QXYSeries*>(compared)->pen().color(),
                  pens[compared->name() == "snip" ? snipMost : magnitude].color())
            << compared->name().toStdString();
    }
    EXPECT_EQ(methodsCompared, 2);

    // No selection: nothing to overlay, and the chart says what to do.
    page.compare({}, all);
    EXPECT_EQ(overlay->runCount(), 0);
    EXPECT_TRUE(overlay->chart()->series().isEmpty());
}

TEST(ComparePageTest, TrainingRestartedFromThetaZeroStartsAgainAtEpochOneInTheRunsLook)
{
    StoredRun run;
    run.id = 4;
    run.status = RunStatus::Finished;
    run.config = defaultExperiment();
    run.config.method = "lottery_ticket";
    run.config.methodParams = {};
    run.summary.sparsity = 0.738;
    std::vector<EpochMetrics> epochs;
    // Dense 3 epochs, then two rounds restarted from θ0 of 2 epochs each.
    for (auto [phase, segment, count] :
         {std::tuple{"dense", 0, 3}, std::tuple{"round 1", 1, 2}, std::tuple{"round 2", 2, 2}})
        for (int e = 1; e <= count; ++e) {
            EpochMetrics m;
            m.phase = phase;
            m.epoch = e;
            m.segment = segment;
            m.validationAccuracy = 0.6 + 0.1 * segment + 0.01 * e;
            epochs.push_back(m);
        }
    TrainingOverlayChart chart;
    chart.setRuns({{run, epochs}});
    EXPECT_EQ(chart.runCount(), 1);
    EXPECT_EQ(chart.pointCount(), 7);
    const auto series = chart.chart()->series();
    ASSERT_EQ(series.size(), 3);  // the dense curve and one per restart
    const int counts[] = {3, 2, 2};
    for (int segment = 0; segment < 3; ++segment) {
        auto* line = qobject_cast<QLineSeries*>(series[segment]);
        ASSERT_EQ(line->count(), counts[segment]);
        EXPECT_DOUBLE_EQ(line->at(0).x(), 1);  // every restart counts from epoch 1
        EXPECT_NEAR(line->at(0).y(), 100 * (0.61 + 0.1 * segment), 1e-9);
        EXPECT_EQ(line->pen().color(), qobject_cast<QLineSeries*>(series[0])->pen().color());
        EXPECT_EQ(line->pen().style(), qobject_cast<QLineSeries*>(series[0])->pen().style());
    }
    // The run is named once: "run 4 · lottery_ticket · 73.8 % sparse" (no sparsity parameter:
    // what the finished run reached).
    EXPECT_EQ(series[0]->name(), "run 4 · lottery_ticket · 73.8 % sparse");
    EXPECT_EQ(chartLegend(chart.chart())->entries().size(), 1u);

    // More runs than one chart can show, and a run without epochs: left out, and the title says so.
    std::vector<std::pair<StoredRun, std::vector<EpochMetrics>>> many(TrainingOverlayChart::kMaxRuns + 1,
                                                                      {run, epochs});
    many.push_back({run, {}});
    chart.setRuns(many);
    EXPECT_EQ(chart.runCount(), TrainingOverlayChart::kMaxRuns);
    EXPECT_TRUE(fullChartTitle(chart.chart()).contains("(2 without epochs or beyond 8 left out)"))
        << fullChartTitle(chart.chart()).toStdString();
}
