// The mask inspector on runs written the way the runner writes them.
#include "MaskHeatmap.h"
#include "MaskInspector.h"
#include "WeightHistogramChart.h"
#include "MaskSnapshots.h"
#include "RunStore.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QToolButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QThreadPool>

#include <numeric>

#include <gtest/gtest.h>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

LayerStats statsOf(const MaskSnapshot& mask, const std::vector<bool>& kept, const char* kind, int64_t channelsKept)
{
    LayerStats stats;
    stats.name = mask.layer;
    stats.kind = kind;
    stats.shape = mask.shape;
    stats.parameters = int64_t(kept.size());
    stats.nonzeros = std::count(kept.begin(), kept.end(), true);
    stats.channels = mask.shape[0];
    stats.channelsKept = channelsKept;
    return stats;
}

// conv: 2 filters × 2 channels × 3 × 3, filter 1 pruned.
std::vector<bool> convKept()
{
    std::vector<bool> kept(36, false);
    for (int i = 0; i < 18; ++i)
        kept[size_t(i)] = i % 2 == 0;  // filter 0: every other weight
    return kept;
}

// Step 0 dense, then `prunedSteps` steps with the same masks (the rounds of an iterative method).
int64_t writeRun(RunStore& store, const char* method, bool convFilterPruned, const std::string& modelFile = {},
                 int prunedSteps = 1)
{
    ExperimentConfig config = defaultExperiment();
    config.method = method;
    config.name = std::string(method) + " run";
    const int64_t id = store.beginRun(config, "test");
    PruningStep dense;
    dense.step = 0;
    const std::vector<bool> allFc(12, true), allConv(36, true);
    dense.masks = {maskOf("conv1", {2, 2, 3, 3}, allConv), maskOf("fc", {3, 4}, allFc)};
    dense.layers = {statsOf(dense.masks[0], allConv, "conv", 2), statsOf(dense.masks[1], allFc, "linear", 3)};
    store.recordPruningStep(id, dense);
    PruningStep pruned;
    pruned.step = 1;
    const auto conv = convFilterPruned ? convKept() : allConv;
    pruned.masks = {maskOf("conv1", {2, 2, 3, 3}, conv), maskOf("fc", {3, 4}, kFcKept)};
    pruned.layers = {statsOf(pruned.masks[0], conv, "conv", convFilterPruned ? 1 : 2),
                     statsOf(pruned.masks[1], kFcKept, "linear", 3)};
    for (int step = 1; step <= prunedSteps; ++step) {
        pruned.step = step;
        store.recordPruningStep(id, pruned);
    }
    RunSummary s;
    s.testAccuracy = 0.8;
    s.modelFile = modelFile;
    store.finishRun(id, s);
    return id;
}

// Sets the run and waits until its networks have been read (on a pool thread) and drawn.
void setRunAndWait(MaskInspector& inspector, int64_t run)
{
    QSignalSpy loaded(&inspector, &MaskInspector::weightsLoaded);
    inspector.setRun(run);
    ASSERT_TRUE(loaded.wait(10000));
    ASSERT_EQ(loaded.last().at(0).toLongLong(), run);
}

}  // namespace

TEST(MaskInspectorTest, ListsTheLayersOfAStepAndDrawsTheSelectedMask)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t magnitude = writeRun(store, "global_magnitude", true);
    const int64_t snip = writeRun(store, "snip", false);

    MaskInspector inspector;
    inspector.resize(1000, 700);
    inspector.setStore(shared);
    inspector.setRun(magnitude);
    auto* layers = inspector.layerTable()->model();
    ASSERT_EQ(layers->rowCount(), 2);  // the last step: after pruning
    EXPECT_EQ(layers->index(0, MaskInspector::Layer).data().toString(), "conv1");
    EXPECT_EQ(layers->index(0, MaskInspector::Shape).data().toString(), "2 × 2 × 3 × 3");
    EXPECT_EQ(layers->index(0, MaskInspector::Density).data().toString(), "25.0 %");
    EXPECT_EQ(layers->index(0, MaskInspector::Channels).data().toString(), "1 / 2");
    EXPECT_EQ(layers->index(1, MaskInspector::Density).data().toString(), "50.0 %");

    // The linear mask: one pixel per weight, dark exactly where it is kept.
    inspector.selectLayer("fc");
    const MaskHeatmap* map = inspector.heatmap();
    ASSERT_EQ(map->image().size(), QSize(4, 3));
    for (int o = 0; o < 3; ++o)
        for (int i = 0; i < 4; ++i)
            EXPECT_EQ(map->image().pixel(map->cellPixel(o, i)),
                      kFcKept[size_t(o * 4 + i)] ? MaskHeatmap::keptColour() : MaskHeatmap::prunedColour())
                << o << "," << i;
    EXPECT_EQ(map->describePixel(map->cellPixel(2, 1)), "output 2, input 1: pruned");

    // The conv mask: filters as rows of 3 × 3 kernels; the pruned filter is marked as removed.
    inspector.selectLayer("conv1");
    ASSERT_EQ(map->image().size(), QSize(2 * 4 - 1, 2 * 4 - 1));
    EXPECT_EQ(map->fullyPrunedFilters(), 1);
    EXPECT_EQ(map->image().pixel(map->cellPixel(1, 0, 1, 1)), MaskHeatmap::removedColour());
    EXPECT_EQ(map->image().pixel(map->cellPixel(0, 0, 0, 0)), MaskHeatmap::keptColour());
    EXPECT_EQ(map->image().pixel(map->cellPixel(0, 0, 0, 1)), MaskHeatmap::prunedColour());
    EXPECT_EQ(map->describePixel(map->cellPixel(1, 1, 2, 0)), "filter 1, channel 1, kernel (2, 0): pruned");
    EXPECT_EQ(map->describePixel(QPoint(3, 0)), "");  // the gap between two kernels

    // Step 0, the dense network: everything kept.
    inspector.setStep(0);
    EXPECT_EQ(layers->index(0, MaskInspector::Density).data().toString(), "100.0 %");
    EXPECT_EQ(map->fullyPrunedFilters(), 0);

    // Side by side: the other run's mask of the same layer.
    inspector.setStep(1);
    inspector.setCompareRun(snip);
    EXPECT_FALSE(inspector.compareHeatmap()->isHidden());
    EXPECT_EQ(inspector.compareHeatmap()->fullyPrunedFilters(), 0);
    EXPECT_EQ(inspector.compareHeatmap()->image().pixel(inspector.compareHeatmap()->cellPixel(1, 0, 1, 1)),
              MaskHeatmap::keptColour());
    inspector.setCompareRun(0);
    EXPECT_TRUE(inspector.compareHeatmap()->isHidden());

    // Runs without a final network: no histogram, and the reason is shown instead.
    EXPECT_EQ(inspector.histogramCount(), 0);
}

namespace {

// Dense fc weights 0.1 … 1.2; the final fc keeps them where kFcKept says (fine-tuning left them
// alone). The final conv1 lost filter 1 for real: 1 × 2 × 3 × 3, as a structured run stores it.
std::vector<float> denseFc()
{
    std::vector<float> w(12);
    for (size_t i = 0; i < w.size(); ++i)
        w[i] = 0.1f * float(i + 1);
    return w;
}

std::vector<LayerWeights> fakeCheckpoint(const std::string& path)
{
    if (QFileInfo(QString::fromStdString(path)).fileName() == "dense.pt")
        return {{"conv1", {2, 2, 3, 3}, std::vector<float>(36, 0.5f)}, {"fc", {3, 4}, denseFc()}};
    if (QFileInfo(QString::fromStdString(path)).fileName() != "model.pt"
        || !QFileInfo::exists(QString::fromStdString(path)))
        throw std::runtime_error("cannot read checkpoint " + path);
    std::vector<float> fc = denseFc();
    for (size_t i = 0; i < fc.size(); ++i)
        if (!kFcKept[i])
            fc[i] = 0;
    return {{"conv1", {1, 2, 3, 3}, std::vector<float>(18, 0.25f)}, {"fc", {3, 4}, fc}};
}

// A run's artifact directory as the runner leaves it: which of its two checkpoints exist.
std::string artifacts(const QTemporaryDir& dir, const QString& name, bool final, bool dense)
{
    QDir(dir.path()).mkpath(name);
    const QString model = dir.filePath(name + "/model.pt");
    if (final)
        QFile(model).open(QIODevice::WriteOnly);
    if (dense)
        QFile(QString::fromStdString(denseCheckpointBeside(model.toStdString()))).open(QIODevice::WriteOnly);
    return model.toStdString();
}

std::vector<qreal> barCounts(const MaskInspector& inspector)
{
    std::vector<qreal> totals;  // weights counted on each side of the histogram, before first
    for (const auto& counts : inspector.histogram()->binCounts())
        totals.push_back(std::accumulate(counts.begin(), counts.end(), 0.0));
    return totals;
}

}  // namespace

TEST(MaskInspectorTest, HistogramShowsTheDenseWeightsBeforeAndTheSurvivorsAfter)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t run = writeRun(store, "global_magnitude", true, artifacts(dir, "both", true, true));
    MaskInspector inspector;
    inspector.resize(1000, 700);
    inspector.setStore(shared);
    inspector.setWeightLoader(&fakeCheckpoint);
    ASSERT_NO_FATAL_FAILURE(setRunAndWait(inspector, run));
    inspector.selectLayer("fc");
    EXPECT_EQ(inspector.histogramBeforeCount(), 12);
    EXPECT_EQ(inspector.histogramCount(), 6);
    EXPECT_EQ(barCounts(inspector), (std::vector<qreal>{12, 6}));
    EXPECT_TRUE(inspector.histogramProblem().isEmpty()) << inspector.histogramProblem().toStdString();

    // |w| colouring: the final weights after pruning, the dense ones at step 0.
    inspector.setColourByMagnitude(true);
    const MaskHeatmap* map = inspector.heatmap();
    EXPECT_NE(map->image().pixel(map->cellPixel(0, 0)), MaskHeatmap::keptColour());
    EXPECT_EQ(map->image().pixel(map->cellPixel(0, 1)), MaskHeatmap::prunedColour());
    EXPECT_EQ(map->describePixel(map->cellPixel(2, 2)), "output 2, input 2: kept, w = 1.1");
    inspector.setStep(0);
    EXPECT_EQ(map->describePixel(map->cellPixel(0, 1)), "output 0, input 1: kept, w = 0.2");

    // The thinned conv1 no longer lines up with its mask: plain colours, and the reason shown.
    inspector.setStep(1);
    inspector.selectLayer("conv1");
    EXPECT_EQ(map->image().pixel(map->cellPixel(0, 0, 0, 0)), MaskHeatmap::keptColour());
    EXPECT_TRUE(inspector.findChild<QLabel*>("maskHover")->text().contains("channels were removed"))
        << inspector.findChild<QLabel*>("maskHover")->text().toStdString();
    // …while its histogram still compares: 36 dense weights, 18 left in the thinned layer.
    EXPECT_EQ(barCounts(inspector), (std::vector<qreal>{36, 18}));
}

TEST(MaskInspectorTest, AnEarlierRoundShadedWithTheFinalWeightsSaysSo)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t run = writeRun(store, "lottery_ticket", true, artifacts(dir, "rounds", true, true), 2);
    MaskInspector inspector;
    inspector.setStore(shared);
    inspector.setWeightLoader(&fakeCheckpoint);
    ASSERT_NO_FATAL_FAILURE(setRunAndWait(inspector, run));
    inspector.selectLayer("fc");
    inspector.setColourByMagnitude(true);
    auto* caption = inspector.findChild<QLabel*>("maskCaption");
    EXPECT_FALSE(caption->text().contains("final network's |w|")) << caption->text().toStdString();  // the last round
    inspector.setStep(1);
    EXPECT_TRUE(caption->text().contains("final network's |w|")) << caption->text().toStdString();
    inspector.setStep(0);  // the dense network's own weights
    EXPECT_FALSE(caption->text().contains("final network's |w|"));
}

TEST(MaskInspectorTest, HistogramSaysWhichCheckpointIsMissing)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t noDense = writeRun(store, "global_magnitude", true, artifacts(dir, "old", true, false));
    const int64_t noFinal = writeRun(store, "global_magnitude", true, artifacts(dir, "lost", false, true));
    MaskInspector inspector;
    inspector.setStore(shared);
    inspector.setWeightLoader(&fakeCheckpoint);

    // A run from before runs kept their dense network: "after" only, and why.
    ASSERT_NO_FATAL_FAILURE(setRunAndWait(inspector, noDense));
    inspector.selectLayer("fc");
    EXPECT_EQ(inspector.histogramBeforeCount(), 0);
    EXPECT_EQ(barCounts(inspector), (std::vector<qreal>{6}));
    EXPECT_TRUE(inspector.histogramProblem().contains("kept no dense network"))
        << inspector.histogramProblem().toStdString();

    // The final checkpoint is gone: the dense weights under the final mask, saying so.
    ASSERT_NO_FATAL_FAILURE(setRunAndWait(inspector, noFinal));
    EXPECT_EQ(inspector.selectedLayer(), "fc");
    EXPECT_EQ(barCounts(inspector), (std::vector<qreal>{12, 6}));
    EXPECT_TRUE(inspector.histogramProblem().contains("lost/model.pt")) << inspector.histogramProblem().toStdString();
    EXPECT_TRUE(inspector.histogramProblem().contains("dense weights under the final mask"));
    EXPECT_EQ(inspector.findChild<QLabel*>("maskHistogramNote")->text(), inspector.histogramProblem());
}

TEST(MaskInspectorTest, ALayerLeftDenseSaysSoInsteadOfBeingMissing)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    ExperimentConfig config = defaultExperiment();
    config.method = "nm_sparsity";
    const int64_t run = store.beginRun(config, "test");
    PruningStep step;
    step.step = 1;
    const std::vector<bool> allConv(36, true);
    const MaskSnapshot conv = maskOf("conv1", {2, 2, 3, 3}, allConv);
    step.masks = {maskOf("fc", {3, 4}, kFcKept)};  // conv1 listed, but no mask stored for it
    step.layers = {statsOf(conv, allConv, "conv", 2), statsOf(step.masks[0], kFcKept, "linear", 3)};
    store.recordPruningStep(run, step);
    store.finishRun(run, RunSummary{});
    MaskInspector inspector;
    inspector.setStore(shared);
    inspector.setRun(run);
    inspector.selectLayer("conv1");
    EXPECT_TRUE(inspector.heatmap()->message().contains("left conv1 dense"))
        << inspector.heatmap()->message().toStdString();
}

TEST(MaskInspectorTest, WeightsReadForARunNoLongerShownAreDropped)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t first = writeRun(store, "global_magnitude", true, artifacts(dir, "first", true, true));
    const int64_t second = writeRun(store, "snip", false, artifacts(dir, "second", true, true));
    MaskInspector inspector;
    inspector.setStore(shared);
    inspector.setWeightLoader(&fakeCheckpoint);
    QSignalSpy loaded(&inspector, &MaskInspector::weightsLoaded);
    inspector.setRun(first);
    inspector.setRun(second);  // before the first run's networks have arrived
    ASSERT_TRUE(loaded.wait(10000));
    QThreadPool::globalInstance()->waitForDone();  // both readers have finished …
    QCoreApplication::processEvents();  // … and their results have been delivered
    ASSERT_EQ(loaded.count(), 1);
    EXPECT_EQ(loaded.at(0).at(0).toLongLong(), second);
    inspector.selectLayer("fc");
    EXPECT_EQ(inspector.histogramCount(), 6);
}

TEST(MaskInspectorTest, FitButtonUndoesZoom)
{
    QTemporaryDir dir;
    const auto shared = std::make_shared<RunStore>(dir.filePath("runs.sqlite"));
    RunStore& store = *shared;
    const int64_t run = writeRun(store, "global_magnitude", true);
    MaskInspector inspector;
    inspector.resize(1000, 700);
    inspector.setStore(shared);
    inspector.setRun(run);
    inspector.selectLayer("fc");
    MaskHeatmap* map = inspector.heatmap();
    const double fitted = map->zoom();
    const QPointF centre(map->width() / 2.0, map->height() / 2.0);
    QWheelEvent wheel(centre, map->mapToGlobal(centre), {}, QPoint(0, -240), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(map, &wheel);
    ASSERT_LT(map->zoom(), fitted);
    inspector.findChild<QToolButton*>("maskFit")->click();
    EXPECT_DOUBLE_EQ(map->zoom(), fitted);
}
