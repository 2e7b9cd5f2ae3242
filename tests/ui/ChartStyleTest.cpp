// One chart style for every chart: nice ticks, titles never cut, one colour per method across the
// charts of a view, legends that show line and marker, tooltips, a histogram with room, and the
// mask canvas in the dark theme. Every chart kind is laid out at a small window size, at the
// export size and at presentation scale, and what it draws is read back from its scene.
#include "ChartExport.h"
#include "ChartLegend.h"
#include "ChartStyle.h"
#include "CompareChart.h"
#include "ComparePage.h"
#include "LayerOverlayChart.h"
#include "LayerSparsityChart.h"
#include "MaskHeatmap.h"
#include "MethodCurveChart.h"
#include "RunStore.h"
#include "Theme.h"
#include "TrainingCurveChart.h"
#include "TrainingOverlayChart.h"
#include "WeightHistogramChart.h"

#include <QAbstractAxis>
#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>
#include <QCategoryAxis>
#include <QValueAxis>
#include <QXYSeries>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <random>

using namespace prunescope;

namespace {

// ---- What a laid-out chart shows

// Lays the chart out at `size` as the window or an export does (twice: a wrapped title changes
// the room the other titles have).
void layOut(QChartView& view, QSize size, double scale = 1.0)
{
    view.setMinimumSize(1, 1);
    view.resize(size);
    setChartScale(view.chart(), scale);
    renderWidgetImage(&view);
    renderWidgetImage(&view);
}

QString plain(QString text)
{
    for (QChar separator : {QChar(0x2028), QChar(0x2029), QChar('\n')})
        text.replace(separator, QLatin1Char(' '));
    return text.simplified();
}

std::vector<QGraphicsTextItem*> visibleTexts(QChartView& view)
{
    std::vector<QGraphicsTextItem*> texts;
    for (QGraphicsItem* item : view.scene()->items())
        if (auto* text = dynamic_cast<QGraphicsTextItem*>(item); text && text->isVisible())
            texts.push_back(text);
    return texts;
}

// Each tick is k × step with step 1, 2 or 5 × 10ⁿ, and its label prints exactly that value.
void expectNiceTicks(const QAbstractAxis* axis, const std::string& where)
{
    SCOPED_TRACE(where + ", axis \"" + fullAxisTitle(axis).toStdString() + "\"");
    const std::vector<double> ticks = tickValues(axis);
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis)) {
        EXPECT_TRUE(log->base() == 2 || log->base() == 10) << log->base();
        EXPECT_GE(ticks.size(), 3u) << "a log axis with fewer than three labels";
        for (double tick : ticks) {
            const QString label = QString::asprintf(log->labelFormat().toLatin1().constData(), tick);
            EXPECT_NEAR(label.toDouble(), tick, 1e-9 * tick) << label.toStdString();
        }
        return;
    }
    const auto* value = qobject_cast<const QValueAxis*>(axis);
    if (!value || qobject_cast<const QCategoryAxis*>(axis))
        return;  // a category axis names layers
    EXPECT_EQ(value->tickType(), QValueAxis::TicksDynamic);
    const double step = value->tickInterval();
    EXPECT_TRUE(isNiceStep(step)) << step;
    EXPECT_GE(ticks.size(), 2u);
    for (double tick : ticks) {
        const double k = std::round(tick / step);
        EXPECT_NEAR(tick, k * step, 1e-6 * step) << "tick " << tick << " is not a multiple of " << step;
        const QString label = QString::asprintf(value->labelFormat().toLatin1().constData(), tick);
        EXPECT_NEAR(label.toDouble(), k * step, 1e-9 * std::max(1.0, std::abs(k * step))) << label.toStdString();
        EXPECT_FALSE(label.startsWith("-0") && label.toDouble() == 0) << label.toStdString();
    }
}

// What the scene shows: no text cut with "...", every axis title in full, and each axis's
// numeric labels a run of multiples of one nice step (or powers of 2 or 10).
void expectDrawnInFull(QChartView& view, const std::string& where)
{
    SCOPED_TRACE(where);
    const auto texts = visibleTexts(view);
    for (QGraphicsTextItem* text : texts)
        EXPECT_FALSE(text->toPlainText().contains("...") || text->toPlainText().contains(QChar(0x2026)))
            << "cut: " << text->toPlainText().toStdString();
    QStringList shown;
    for (QGraphicsTextItem* text : texts)
        shown << plain(text->toPlainText());
    for (QAbstractAxis* axis : view.chart()->axes()) {
        const QString title = plain(fullAxisTitle(axis));
        if (!title.isEmpty()) {
            EXPECT_TRUE(shown.contains(title)) << "title \"" << title.toStdString()
                                               << "\" not shown in full; shown: " << shown.join(" | ").toStdString();
        }
        expectNiceTicks(axis, where);
    }
    const QString chartTitle = plain(fullChartTitle(view.chart()));
    if (!chartTitle.isEmpty()) {
        EXPECT_TRUE(shown.contains(chartTitle)) << chartTitle.toStdString();
    }
    std::map<QGraphicsItem*, std::vector<double>> labelsByAxis;
    for (QGraphicsTextItem* text : texts) {
        bool number = false;
        const double value = text->toPlainText().toDouble(&number);
        if (number)
            labelsByAxis[text->parentItem()].push_back(value);
    }
    for (auto& [axis, values] : labelsByAxis) {
        if (values.size() < 2)
            continue;
        std::sort(values.begin(), values.end());
        // A linear axis: equal steps, a 1-2-5 step, every label a multiple of it.
        const double step = values[1] - values[0];
        const bool linear = std::all_of(values.begin() + 1, values.end(), [&, i = size_t(0)](double) mutable {
            ++i;
            return std::abs(values[i] - values[i - 1] - step) <= 1e-6 * step;
        });
        if (linear) {
            EXPECT_TRUE(isNiceStep(step)) << "labels step by " << step;
            for (double v : values)
                EXPECT_NEAR(v / step, std::round(v / step), 1e-6) << v << " is not a multiple of " << step;
            continue;
        }
        // A log axis: powers of 2 or of 10.
        const double ratio = values[1] / values[0];
        EXPECT_TRUE(std::abs(ratio - 2) < 1e-9 || std::abs(ratio - 10) < 1e-9) << "labels neither linear nor powers";
        for (size_t i = 1; i < values.size(); ++i)
            EXPECT_NEAR(values[i] / values[i - 1], ratio, 1e-9) << values[i];
    }
}

// ---- Data

StoredRun finishedRun(int64_t id, const std::string& method, double sparsity, uint64_t seed, double accuracy)
{
    StoredRun run;
    run.id = id;
    run.status = RunStatus::Finished;
    run.config = defaultExperiment();
    run.config.method = method;
    run.config.methodParams = {{"sparsity", sparsity}};
    run.config.seed = seed;
    RunSummary& s = run.summary;
    s.denseTestAccuracy = 0.9131;
    s.testAccuracy = accuracy;
    s.sparsity = sparsity;
    s.compressionRatio = 1 / (1 - sparsity * 0.97);
    s.denseMacs = 2.3e6;
    s.effectiveMacs = 2.3e6 * (1 - sparsity);
    s.denseBytes = 246000;
    s.sparseBytes = int64_t(246000 * (1 - sparsity) + 8000);
    // Latencies of a busy CPU: 0.8–1.3 ms, a range on which a log axis would label one value.
    s.latency = {{"dense", 64, 1.31, 1.2, 1.4}, {"pruned", 64, 0.8 + 0.4 * (1 - sparsity), 0.7, 1.2}};
    return run;
}

std::vector<StoredRun> sweepRuns()
{
    std::vector<StoredRun> runs;
    int64_t id = 1;
    for (const char* method : {"global_magnitude", "snip", "random"})
        for (double sparsity : {0.5, 0.8, 0.9, 0.95})
            for (uint64_t seed : {1u, 2u})
                runs.push_back(
                    finishedRun(id++, method, sparsity, seed,
                                0.8883 - sparsity * sparsity * (method[0] == 'r' ? 0.4 : 0.1) + 0.003 * double(seed)));
    return runs;
}

std::vector<LayerStats> layers(double sparsity)
{
    std::vector<LayerStats> result;
    int i = 0;
    for (const char* name : {"conv1", "conv2", "fc1", "fc2", "fc3"}) {
        LayerStats layer;
        layer.name = name;
        layer.kind = i < 2 ? "conv" : "linear";
        layer.parameters = 1000 * (i + 1);
        layer.pruned = i < 4;
        layer.nonzeros
            = layer.pruned ? int64_t(double(layer.parameters) * (1 - sparsity * (0.6 + 0.1 * i))) : layer.parameters;
        result.push_back(layer);
        ++i;
    }
    return result;
}

// The 55 prunable layers of a ResNet-56 (stem, 27 blocks of two convs, fc), half of each kept.
std::vector<LayerStats> resnet56Layers()
{
    std::vector<LayerStats> result;
    auto add = [&result](const std::string& name) {
        LayerStats layer;
        layer.name = name;
        layer.parameters = 2304;
        layer.nonzeros = 1152;
        result.push_back(layer);
    };
    add("conv1");
    for (int stage = 1; stage <= 3; ++stage)
        for (int block = 0; block < 9; ++block)
            for (const char* conv : {"conv1", "conv2"})
                add("stage" + std::to_string(stage) + "." + std::to_string(block) + "." + conv);
    add("fc");
    return result;
}

std::vector<EpochMetrics> epochs()
{
    // Losses and accuracies whose raw ranges gave ticks such as 36.575 / 73.15 / 109.725.
    std::vector<EpochMetrics> result;
    for (int e = 1; e <= 12; ++e) {
        EpochMetrics m;
        m.phase = e <= 8 ? "dense" : "finetune";
        m.epoch = e <= 8 ? e : e - 8;
        m.trainLoss = 2.3 / std::sqrt(double(e)) + 0.0113;
        m.validationAccuracy = 0.36575 + 0.5 * (1 - std::exp(-0.4 * e));
        m.extra = {
            {"gamma_p10", 0.830883 + 0.002 * e}, {"gamma_p50", 0.86 + 0.003 * e}, {"gamma_p90", 0.906283 - 0.001 * e}};
        result.push_back(m);
    }
    return result;
}

std::vector<PruningStep> rounds()
{
    std::vector<PruningStep> steps;
    for (int round = 0; round <= 5; ++round) {
        PruningStep step;
        step.step = round;
        LayerStats fc;
        fc.name = "fc1";
        fc.parameters = 100000;
        fc.nonzeros = int64_t(100000 * std::pow(0.8, round));
        step.layers = {fc};
        step.metrics
            = {{"test_accuracy", 0.9 - 0.004 * round * round}, {"control_test_accuracy", 0.9 - 0.02 * round * round}};
        steps.push_back(step);
    }
    return steps;
}

std::vector<PruningStep> densities()
{
    std::vector<PruningStep> steps;
    for (double density : {1.0, 0.75, 0.5, 0.3}) {
        PruningStep step;
        step.metrics = {{"macs_mean", 5.547936e6 * density},
                        {"macs_p10", 5.547936e6 * density * 0.9},
                        {"macs_p90", 5.547936e6 * density * 1.08},
                        {"test_accuracy", 0.83 + 0.05 * density}};
        steps.push_back(step);
    }
    return steps;
}

// Every chart kind, built with data whose raw ranges make awkward ticks.
std::vector<std::pair<std::string, std::function<std::unique_ptr<QChartView>()>>> everyChartKind()
{
    std::vector<std::pair<std::string, std::function<std::unique_ptr<QChartView>()>>> kinds;
    const std::pair<const char*, CompareChart::XAxis> axes[]
        = {{"compare vs compression", CompareChart::XAxis::Compression},
           {"compare vs effective MACs", CompareChart::XAxis::EffectiveMacs},
           {"compare vs latency", CompareChart::XAxis::Latency},
           {"compare vs bytes", CompareChart::XAxis::Bytes}};
    for (const auto& [name, axis] : axes)
        kinds.push_back({name, [axis = axis] {
                             auto chart = std::make_unique<CompareChart>();
                             chart->setXAxis(axis);
                             chart->setRuns(sweepRuns());
                             return std::unique_ptr<QChartView>(std::move(chart));
                         }});
    kinds.push_back({"compare round by round", [] {
                         auto chart = std::make_unique<CompareChart>();
                         StoredRun run = finishedRun(7, "lottery_ticket", 0.67, 1, 0.87);
                         chart->setRounds(run, rounds());
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"compare density by density", [] {
                         auto chart = std::make_unique<CompareChart>();
                         StoredRun run = finishedRun(8, "fbs", 0.5, 1, 0.86);
                         run.summary.denseMacs = 5.547936e6;
                         chart->setExecutedMacs(run, densities());
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"training curves", [] {
                         auto chart = std::make_unique<TrainingCurveChart>();
                         chart->setEpochs(epochs());
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"training curves overlaid", [] {
                         // Three runs, two of one method, one with a round restarted from θ0.
                         auto chart = std::make_unique<TrainingOverlayChart>();
                         std::vector<EpochMetrics> restarted = epochs();
                         for (size_t i = 8; i < restarted.size(); ++i) {
                             restarted[i].phase = "round 1";
                             restarted[i].segment = 1;
                             restarted[i].validationAccuracy -= 0.0731;
                         }
                         std::vector<EpochMetrics> shorter = epochs();
                         shorter.resize(9);
                         chart->setRuns({{finishedRun(1, "global_magnitude", 0.9, 1, 0.88), epochs()},
                                         {finishedRun(2, "snip", 0.9, 1, 0.86), shorter},
                                         {finishedRun(3, "snip", 0.5, 1, 0.87), restarted}});
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"method curves", [] {
                         // The curves' own view, out of its widget (the test owns it).
                         MethodCurveChart curves;
                         curves.setEpochs(epochs());
                         auto* inner = curves.findChild<QChartView*>();
                         inner->setParent(nullptr);
                         return std::unique_ptr<QChartView>(inner);
                     }});
    kinds.push_back({"layer sparsity", [] {
                         auto chart = std::make_unique<LayerSparsityChart>();
                         chart->setLayers(layers(0.9), 1);
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"layer sparsity, 55 layers", [] {
                         auto chart = std::make_unique<LayerSparsityChart>();
                         chart->setLayers(resnet56Layers(), 1);
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"layer overlay", [] {
                         auto chart = std::make_unique<LayerOverlayChart>();
                         chart->setRuns({{finishedRun(1, "global_magnitude", 0.9, 1, 0.88), layers(0.9)},
                                         {finishedRun(2, "snip", 0.9, 1, 0.86), layers(0.8)},
                                         {finishedRun(3, "snip", 0.5, 1, 0.87), layers(0.5)}});
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    kinds.push_back({"weight histogram", [] {
                         auto chart = std::make_unique<WeightHistogramChart>();
                         std::mt19937 random(3);
                         std::normal_distribution<float> weights(-0.01f, 0.09f);
                         std::vector<float> before(2000), after;
                         for (float& w : before)
                             w = std::clamp(weights(random), -0.31f, 0.29f);
                         for (float w : before)
                             if (std::abs(w) > 0.1f)
                                 after.push_back(w * 1.1f);
                         chart->setWeights("fc1", before, "before: dense weights", after,
                                           "after: non-zero weights of the final network");
                         return std::unique_ptr<QChartView>(std::move(chart));
                     }});
    return kinds;
}

}  // namespace

TEST(ChartStyleTest, StepsAreOneTwoOrFiveTimesAPowerOfTenAndLabelsPrintThemExactly)
{
    for (double step : {1e-4, 2e-3, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 500.0, 1000.0})
        EXPECT_TRUE(isNiceStep(step)) << step;
    for (double step : {0.3, 2.5, 7.0, 36.575, 15.9, 1736.0})
        EXPECT_FALSE(isNiceStep(step)) << step;
    EXPECT_EQ(decimalsFor(0.05), 2);
    EXPECT_EQ(decimalsFor(0.2), 1);
    EXPECT_EQ(decimalsFor(5), 0);
    // The ranges the issue saw: 0…146.3 (ticks 36.575 / 73.15), γ 0.830883…0.906283,
    // 27.0 / 42.9 / 58.8, 1736 / 3473 / 5210, and weights across zero.
    for (auto [lo, hi] : {std::pair{0.0, 146.3}, std::pair{0.830883, 0.906283}, std::pair{27.0, 58.8},
                          std::pair{1736.0, 6946.0}, std::pair{-0.31, 0.29}, std::pair{0.0, 3.0}}) {
        QValueAxis axis;
        setNiceRange(&axis, lo, hi);
        EXPECT_LE(axis.min(), lo);
        EXPECT_GE(axis.max(), hi);
        expectNiceTicks(&axis, std::to_string(lo) + "…" + std::to_string(hi));
        EXPECT_GE(tickValues(&axis).size(), 3u);
    }
    // Epochs: whole numbers only, even for two epochs.
    QValueAxis epochs;
    setNiceRange(&epochs, 0.5, 2.5, {10, false, 1});
    EXPECT_EQ(tickValues(&epochs).size(), 2u);
    expectNiceTicks(&epochs, "epochs");
}

TEST(ChartStyleTest, LogAxesLabelAtLeastThreePowers)
{
    for (auto [lo, hi] : {std::pair{1.0, 64.0}, std::pair{1.9, 2.6}, std::pair{0.8, 1.3}, std::pair{3.0, 2500.0},
                          std::pair{0.02, 0.05}}) {
        QLogValueAxis axis;
        setLogRange(&axis, lo, hi);
        EXPECT_LE(axis.min(), lo);
        EXPECT_GE(axis.max(), hi);
        expectNiceTicks(&axis, std::to_string(lo) + "…" + std::to_string(hi));
    }
    QLogValueAxis wide;
    setLogRange(&wide, 3, 2500);
    EXPECT_EQ(wide.base(), 10);  // 10, 100, 1000 rather than eleven powers of 2
}

TEST(ChartStyleTest, EveryChartKindHasNiceTicksAndTitlesInFullAtEverySize)
{
    struct Size {
        const char* name;
        QSize size;
        double scale;
    };
    // The smallest a chart gets in the window at 1366 × 768, an exported figure, and presentation
    // mode on a 1600-pixel projector.
    const Size sizes[] = {
        {"window", QSize(520, 320), 1.0}, {"export", QSize(1200, 750), 1.0}, {"presentation", QSize(1600, 900), 1.8}};
    for (const auto& [kind, build] : everyChartKind())
        for (const Size& size : sizes) {
            std::unique_ptr<QChartView> view = build();
            layOut(*view, size.size, size.scale);
            expectDrawnInFull(*view, kind + " at " + size.name);
            // The legend draws every label in full, each inside the chart.
            const ChartLegend* legend = chartLegend(view->chart());
            for (int i = 0; i < int(legend->entries().size()); ++i)
                EXPECT_LE(legend->mapToScene(legend->labelRect(i)).boundingRect().right(), view->width())
                    << kind << " " << size.name;
        }
}

TEST(ChartStyleTest, ALayerChartNamesEveryLayerThatFitsAndTheFirstAlways)
{
    LayerSparsityChart chart;
    chart.resize(900, 700);
    chart.setLayers(layers(0.9), 1);
    QCoreApplication::processEvents();
    EXPECT_EQ(chart.shownLayerNames(), (QStringList{"fc3", "fc2", "fc1", "conv2", "conv1"}));  // bottom-up

    chart.setLayers(resnet56Layers(), 1);
    chart.show();
    QCoreApplication::processEvents();
    const QStringList tall = chart.shownLayerNames();
    EXPECT_LT(tall.size(), 55);  // 55 lines of text do not fit in 700 pixels
    EXPECT_GE(tall.size(), 12);
    EXPECT_EQ(tall.back(), "conv1");  // the network's first layer, at the top
    for (const QString& name : tall)
        EXPECT_TRUE(name == "conv1" || name == "fc" || name.startsWith("stage")) << name.toStdString();

    chart.resize(900, 350);
    QCoreApplication::processEvents();
    EXPECT_LT(chart.shownLayerNames().size(), tall.size());
    EXPECT_EQ(chart.shownLayerNames().back(), "conv1");
}

TEST(ChartStyleTest, AnExportedChartShowsItsLongTitlesInFull)
{
    // The long latency title, in a PNG of the size the docs use: wrapped, not cut.
    QTemporaryDir dir;
    CompareChart chart;
    chart.setXAxis(CompareChart::XAxis::Latency);
    chart.setRuns(sweepRuns());
    chart.resize(700, 420);
    QString error;
    ASSERT_TRUE(saveChart(&chart, dir.filePath("latency.png"), &error)) << error.toStdString();
    expectDrawnInFull(chart, "exported latency chart");
    // On a narrow range (0.8–1.3 ms) the latency axis is linear, and the title says no log scale.
    const auto axes = chart.chart()->axes(Qt::Horizontal);
    ASSERT_EQ(axes.size(), 1);
    EXPECT_NE(qobject_cast<QValueAxis*>(axes.front()), nullptr);
    EXPECT_FALSE(fullAxisTitle(axes.front()).contains("log scale"));
}

TEST(ChartStyleTest, AMethodKeepsItsColourAcrossTheChartsOfTheCompareTab)
{
    QTemporaryDir dir;
    const QString path = dir.filePath("runs.sqlite");
    RunStore store(path);
    std::vector<int64_t> ids;
    // The overlay reads runs oldest first, the comparison groups by method: different orders.
    for (const char* method : {"snip", "random", "global_magnitude", "snip"}) {
        ExperimentConfig config = defaultExperiment();
        config.method = method;
        config.methodParams = {{"sparsity", ids.size() == 3 ? 0.5 : 0.9}};
        const int64_t id = store.beginRun(config, "test");
        PruningStep step;
        step.step = 1;
        step.layers = layers(ids.size() == 3 ? 0.5 : 0.9);
        store.recordPruningStep(id, step);
        const StoredRun run = finishedRun(id, method, 0.9, 1, 0.85);
        store.finishRun(id, run.summary);
        ids.push_back(id);
    }
    const std::vector<StoredRun> all = store.listRuns();
    ComparePage page(path);
    QSignalSpy shown(&page, &ComparePage::comparisonShown);
    page.compare(all, all);
    ASSERT_TRUE(shown.wait(10000));

    std::map<QString, QColor> compareColours;  // method → colour in the comparison
    for (QAbstractSeries* series : page.chart()->chart()->series())
        if (auto* line = qobject_cast<QXYSeries*>(series);
            line && !series->name().isEmpty() && !qobject_cast<QScatterSeries*>(series))
            compareColours[series->name()] = line->pen().color();
    ASSERT_EQ(compareColours.size(), 3u);
    auto* overlay = page.findChild<LayerOverlayChart*>("layerOverlay");
    ASSERT_EQ(overlay->runCount(), 4);
    std::map<QString, int> runsOfMethod;
    for (QAbstractSeries* series : overlay->chart()->series()) {
        const QString method = series->name().section(" · ", 1);  // "run 3 · snip"
        ASSERT_TRUE(compareColours.count(method)) << series->name().toStdString();
        auto* line = qobject_cast<QXYSeries*>(series);
        EXPECT_EQ(line->pen().color(), compareColours[method]) << series->name().toStdString();
        // Two runs of one method: one colour, told apart by the line.
        if (runsOfMethod[method]++ == 1) {
            EXPECT_NE(line->pen().style(), Qt::SolidLine);
        }
    }
    EXPECT_EQ(runsOfMethod["snip"], 2);
    // And the colours differ between methods.
    EXPECT_NE(compareColours["snip"], compareColours["random"]);
    EXPECT_NE(compareColours["snip"], compareColours["global_magnitude"]);
    EXPECT_NE(compareColours["random"], compareColours["global_magnitude"]);
}

TEST(ChartStyleTest, TheLegendDrawsEachSeriesLineStyleAndMarker)
{
    TrainingCurveChart chart;
    chart.setEpochs(epochs());
    layOut(chart, QSize(700, 420));
    const ChartLegend* legend = chartLegend(chart.chart());
    std::map<QString, const ChartLegend::Entry*> byLabel;
    for (const auto& entry : legend->entries())
        byLabel[entry.label] = &entry;
    QStringList labels;
    for (const auto& entry : legend->entries())
        labels << entry.label;
    ASSERT_TRUE(byLabel.count("train loss (dense)")) << labels.join(" | ").toStdString();
    ASSERT_TRUE(byLabel.count("validation accuracy % (dense)"));
    const auto* loss = byLabel["train loss (dense)"];
    const auto* accuracy = byLabel["validation accuracy % (dense)"];
    EXPECT_EQ(loss->line.style(), Qt::DashLine);
    EXPECT_EQ(accuracy->line.style(), Qt::SolidLine);
    EXPECT_FALSE(loss->marker.isNull());
    EXPECT_FALSE(accuracy->marker.isNull());
    EXPECT_NE(loss->marker, accuracy->marker);  // square and circle
    // Qt's own legend is hidden: it draws neither dashes nor markers.
    EXPECT_FALSE(chart.chart()->legend()->isVisible());

    // The dense baseline in the comparison is a legend entry with its own marker, no line.
    CompareChart compare;
    compare.setRuns(sweepRuns());
    layOut(compare, QSize(700, 420));
    const auto& entries = chartLegend(compare.chart())->entries();
    const auto dense = std::find_if(entries.begin(), entries.end(),
                                    [](const ChartLegend::Entry& e) { return e.label == "dense network"; });
    ASSERT_NE(dense, entries.end());
    EXPECT_EQ(dense->line.style(), Qt::NoPen);
    EXPECT_FALSE(dense->marker.isNull());
}

TEST(ChartStyleTest, TheDenseBaselineIsOnEveryAxisWhereItHasAValue)
{
    for (auto axis : {CompareChart::XAxis::Compression, CompareChart::XAxis::EffectiveMacs,
                      CompareChart::XAxis::Latency, CompareChart::XAxis::Bytes}) {
        CompareChart chart;
        chart.setXAxis(axis);
        chart.setRuns(sweepRuns());
        QScatterSeries* dense = nullptr;
        for (QAbstractSeries* series : chart.chart()->series())
            if (series->name() == "dense network")
                dense = qobject_cast<QScatterSeries*>(series);
        ASSERT_NE(dense, nullptr) << int(axis);
        ASSERT_EQ(dense->count(), 1);
        EXPECT_NEAR(dense->at(0).y(), 91.31, 1e-9);
        const double expectedX[] = {1.0, 2.3, 1.31, 246000 / 1024.0};
        EXPECT_NEAR(dense->at(0).x(), expectedX[int(axis)], 1e-9) << int(axis);
    }
}

TEST(ChartStyleTest, PointsNameThemselvesInATooltip)
{
    CompareChart chart;
    chart.setRuns(sweepRuns());
    layOut(chart, QSize(700, 420));
    QXYSeries* snip = nullptr;
    for (QAbstractSeries* series : chart.chart()->series())
        if (series->name() == "snip")
            snip = qobject_cast<QXYSeries*>(series);
    ASSERT_NE(snip, nullptr);
    const QString text = pointTooltip(snip, 0);
    EXPECT_TRUE(text.contains("snip · target 0.5")) << text.toStdString();
    EXPECT_TRUE(text.contains("over 2 seeds")) << text.toStdString();
    // Resting on the point shows it.
    chart.show();
    Q_EMIT snip->hovered(snip->at(0), true);
    // The tooltip may fade in: wait for it to be up.
    EXPECT_TRUE(QTest::qWaitFor([] { return QToolTip::isVisible(); }, 5000));
    EXPECT_EQ(QToolTip::text(), text);
    Q_EMIT snip->hovered(snip->at(0), false);

    // Without a text of its own: the series, then x and y under the axes' titles.
    TrainingCurveChart training;
    training.setEpochs(epochs());
    auto* accuracy = qobject_cast<QXYSeries*>(training.chart()->series().at(2));
    const QString epochText = pointTooltip(accuracy, 2);
    EXPECT_TRUE(epochText.contains("validation accuracy % (dense)")) << epochText.toStdString();
    EXPECT_TRUE(epochText.contains("epoch: 3")) << epochText.toStdString();
}

TEST(ChartStyleTest, AOneSeedComparisonSaysSoAndAManySeedOneSaysMeanAndSd)
{
    std::vector<StoredRun> oneSeed;
    for (const StoredRun& run : sweepRuns())
        if (run.config.seed == 1)
            oneSeed.push_back(run);
    CompareChart chart;
    chart.setRuns(oneSeed);
    EXPECT_EQ(chart.mostSeedsPerPoint(), 1);
    const QString single = fullAxisTitle(chart.chart()->axes(Qt::Vertical).front());
    EXPECT_FALSE(single.contains("mean")) << single.toStdString();
    EXPECT_TRUE(single.contains("one seed")) << single.toStdString();
    chart.setRuns(sweepRuns());
    EXPECT_EQ(chart.mostSeedsPerPoint(), 2);
    EXPECT_TRUE(fullAxisTitle(chart.chart()->axes(Qt::Vertical).front()).contains("mean ± sd over seeds"));
}

TEST(ChartStyleTest, PresentationScaleEnlargesFontsLinesAndMarkersAndSurvivesARebuild)
{
    CompareChart chart;
    chart.setRuns(sweepRuns());
    auto firstLine = [&] {
        for (QAbstractSeries* series : chart.chart()->series())
            if (series->name() == "snip")
                return qobject_cast<QXYSeries*>(series);
        return static_cast<QXYSeries*>(nullptr);
    };
    const double width = firstLine()->pen().widthF();
    const QSize marker = firstLine()->lightMarker().size();
    const double font = chart.chart()->axes().front()->labelsFont().pointSizeF();
    setChartScale(chart.chart(), 1.8);
    EXPECT_DOUBLE_EQ(firstLine()->pen().widthF(), width * 1.8);
    EXPECT_GT(firstLine()->lightMarker().width(), marker.width() * 1.7);
    EXPECT_DOUBLE_EQ(chart.chart()->axes().front()->labelsFont().pointSizeF(), font * 1.8);
    // A rebuild (new axes, new series) keeps the scale; twice styled is not twice enlarged.
    chart.setXAxis(CompareChart::XAxis::EffectiveMacs);
    styleChart(chart.chart());
    EXPECT_DOUBLE_EQ(firstLine()->pen().widthF(), width * 1.8);
    EXPECT_DOUBLE_EQ(chart.chart()->axes().front()->labelsFont().pointSizeF(), font * 1.8);
    setChartScale(chart.chart(), 1.0);
    EXPECT_DOUBLE_EQ(firstLine()->pen().widthF(), width);
    EXPECT_DOUBLE_EQ(chart.chart()->axes().front()->labelsFont().pointSizeF(), font);
}

TEST(ChartStyleTest, TheWeightHistogramAlwaysHasRoomAndRealWeightTicks)
{
    WeightHistogramChart chart;
    EXPECT_GE(chart.minimumHeight(), 280);
    std::vector<float> before, after;
    for (int i = 0; i < 100; ++i) {
        before.push_back(-0.3f + 0.006f * float(i));
        if (i % 3 == 0)
            after.push_back(before.back());
    }
    chart.setWeights("conv2", before, "before: dense weights", after, "after: non-zero weights of the final network");
    ASSERT_EQ(chart.binCounts().size(), 2u);
    EXPECT_EQ(std::accumulate(chart.binCounts()[0].begin(), chart.binCounts()[0].end(), 0), 100);
    EXPECT_EQ(std::accumulate(chart.binCounts()[1].begin(), chart.binCounts()[1].end(), 0), 34);
    // At its minimum height and the narrow width of the Masks tab on a laptop: everything readable.
    layOut(chart, QSize(520, chart.minimumHeight()));
    expectDrawnInFull(chart, "histogram at its minimum size");
    EXPECT_GT(chart.chart()->plotArea().height(), 80) << chart.chart()->plotArea().height();
    const auto* x = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).front());
    ASSERT_NE(x, nullptr);
    EXPECT_LE(x->min(), -0.3);
    EXPECT_GE(x->max(), 0.294);
    // The dark theme keeps the two sides' colours (grey before, blue after).
    std::vector<QBrush> brushes;
    for (QAbstractSeries* series : chart.chart()->series())
        brushes.push_back(qobject_cast<QAreaSeries*>(series)->brush());
    applyChartTheme(chart.chart(), true);
    for (size_t i = 0; i < brushes.size(); ++i)
        EXPECT_EQ(qobject_cast<QAreaSeries*>(chart.chart()->series().at(int(i)))->brush(), brushes[i]);
    applyChartTheme(chart.chart(), false);
}

TEST(ChartStyleTest, TheMaskCanvasFollowsTheDarkPalette)
{
    MaskHeatmap map;
    map.resize(300, 200);
    MaskSnapshot mask;
    mask.layer = "fc";
    mask.shape = {2, 4};
    mask.bits = {0b01011010};
    map.setMask(mask);
    EXPECT_FALSE(map.darkCanvas());
    EXPECT_EQ(map.image().pixel(map.cellPixel(0, 1)), MaskHeatmap::keptColour());
    QPalette dark = map.palette();
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    map.setPalette(dark);
    EXPECT_TRUE(map.darkCanvas());
    const MaskHeatmap::Colours colours = MaskHeatmap::coloursFor(true);
    EXPECT_EQ(map.image().pixel(map.cellPixel(0, 1)), colours.kept);
    EXPECT_EQ(map.image().pixel(map.cellPixel(0, 0)), colours.pruned);
    EXPECT_LT(QColor(colours.pruned).lightness(), 128);  // a dark canvas, light kept weights
    EXPECT_GT(QColor(colours.kept).lightness(), QColor(colours.pruned).lightness());
    // The canvas around the mask is the palette's, not white.
    const QImage shot = renderWidgetImage(&map);
    EXPECT_LT(QColor(shot.pixel(2, 2)).lightness(), 128);
}
