// Drives the real window offscreen through its flows, with the fake engine: runs report scripted
// events at once, so what is tested is the window (setup, live run, runs, compare, masks,
// report), not training. EndToEndTest.cpp runs the real engine.
#include "CompareChart.h"
#include "ComparePage.h"
#include "ExperimentWorker.h"
#include "FakeEngine.h"
#include "LayerOverlayChart.h"
#include "LayerSparsityChart.h"
#include "MainWindow.h"
#include "MaskHeatmap.h"
#include "MaskInspector.h"
#include "MethodCurveChart.h"
#include "MethodParameterForm.h"
#include "PresentationMode.h"
#include "RunController.h"
#include "RunDetailsView.h"
#include "RunStore.h"
#include "RunsTableModel.h"
#include "SweepDialog.h"
#include "TrainingCurveChart.h"
#include "TrainingOverlayChart.h"
#include "TrainingPage.h"
#include "WindowTest.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QMenu>
#include <QStackedWidget>
#include <QStatusBar>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QXYSeries>
#include <QValueAxis>
#include <QChartView>
#include <QChart>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSplitter>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTreeWidget>

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

class MainWindowTest : public WindowTest {
protected:
    ExperimentExecutor engine() override { return m_engine.executor(); }

    FakeEngine m_engine;  // outlives the window (TearDown closes it)
};

}  // namespace

TEST_F(MainWindowTest, OpensWithTheDefaultExperimentReady)
{
    MainWindow window(m_dir.filePath("other.sqlite"), false);
    const ExperimentConfig config = window.currentConfig();
    EXPECT_EQ(config.model, "lenet5");
    EXPECT_EQ(config.method, "global_magnitude");
    EXPECT_DOUBLE_EQ(std::get<double>(config.methodParams.at("sparsity")), 0.9);
    EXPECT_EQ(config.dataset.directory, "/usr/share/datasets/fashion-mnist");
    EXPECT_EQ(config.dataset.trainLimit, 0);
    EXPECT_EQ(config.bnRecalibrationBatches, 20);
    auto* card = window.findChild<QLabel*>("methodCard");
    ASSERT_NE(card, nullptr);
    EXPECT_TRUE(card->text().contains("Han, Pool, Tran, Dally"));
    EXPECT_TRUE(window.findChild<QPushButton*>("runButton")->isEnabled());
    EXPECT_FALSE(window.findChild<QPushButton*>("cancelButton")->isEnabled());
}

TEST_F(MainWindowTest, ChoosingAMethodInTheTaxonomyTreeShowsItsCardAndForm)
{
    auto* tree = child<QTreeWidget>("methodTree");
    QTreeWidgetItem* randomItem = nullptr;
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == "random")
            randomItem = *it;
    }
    ASSERT_NE(randomItem, nullptr);
    // Placed under its taxonomy: speedup type → when to prune.
    ASSERT_NE(randomItem->parent(), nullptr);
    EXPECT_EQ(randomItem->parent()->text(0), "After training");
    EXPECT_EQ(randomItem->parent()->parent()->text(0), "Unstructured");
    tree->setCurrentItem(randomItem);
    EXPECT_TRUE(child<QLabel>("methodCard")->text().contains("Blalock"));
    auto* sparsity = child<QDoubleSpinBox>("param_sparsity");
    sparsity->setValue(0.5);
    sparsity->setValue(2.0);  // the form enforces the schema's range as you type
    EXPECT_DOUBLE_EQ(sparsity->value(), 0.999);
    sparsity->setValue(0.5);
    EXPECT_EQ(m_window->currentConfig().method, "random");
    EXPECT_DOUBLE_EQ(std::get<double>(m_window->currentConfig().methodParams.at("sparsity")), 0.5);

    // Small defaults survive the form: Network Slimming's λ = 1e-4 is not rounded to 0.
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if ((*it)->data(0, Qt::UserRole).toString() == "slimming")
            tree->setCurrentItem(*it);
    ASSERT_EQ(m_window->currentConfig().method, "slimming");
    EXPECT_DOUBLE_EQ(std::get<double>(m_window->currentConfig().methodParams.at("lambda")), 1e-4);
}

TEST_F(MainWindowTest, ADuringTrainingMethodRunsFromTheTreeAndShowsItsOwnCurves)
{
    // GMP's sparse training reports its scheduled sparsity with each epoch (the schedule itself
    // is the engine's, tested in DuringTrainingTest).
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        if (config.method == "gmp") {
            const double target = std::get<double>(config.methodParams.at("sparsity"));
            for (int epoch = 1; epoch <= 2; ++epoch) {
                EpochMetrics m = run.epochs.back();
                m.phase = "sparse";
                m.epoch = epoch;
                m.extra["target_sparsity"] = target * epoch / 2;
                run.epochs.insert(run.epochs.end() - 1, m);
            }
        }
        return run;
    };
    m_window->setConfig(tinyConfig(/*denseEpochs=*/2));
    auto* tree = child<QTreeWidget>("methodTree");
    QTreeWidgetItem* gmp = nullptr;
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        if ((*it)->data(0, Qt::UserRole).toString() == "gmp")
            gmp = *it;
    ASSERT_NE(gmp, nullptr);
    EXPECT_EQ(gmp->parent()->text(0), "During training");
    tree->setCurrentItem(gmp);
    EXPECT_TRUE(child<QLabel>("methodCard")->text().contains("Zhu, Gupta"));
    child<QDoubleSpinBox>("param_sparsity")->setValue(0.6);
    auto* curves = child<MethodCurveChart>("methodCurves");
    EXPECT_FALSE(curves->isVisible());  // nothing of the method's own yet

    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    QTest::mouseClick(child<QPushButton>("runButton"), Qt::LeftButton);
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "finished");
    // The scheduled sparsity, one point per epoch of the pruning phase, reaching the target.
    EXPECT_TRUE(curves->isVisible());
    EXPECT_EQ(curves->families(), QStringList{"target_sparsity"});
    const QList<QPointF> points = curves->points("target_sparsity");
    ASSERT_EQ(points.size(), 2);
    EXPECT_EQ(points[0].x(), 3.0);  // after the 2 dense epochs, on the Training chart's axis
    EXPECT_EQ(m_window->currentConfig().method, "gmp");
    EXPECT_LT(points[0].y(), 0.6);
    EXPECT_DOUBLE_EQ(points[1].y(), 0.6);
    // A stored run without such curves hides the chart again.
    m_window->setConfig(tinyConfig());
    QTest::mouseClick(child<QPushButton>("runButton"), Qt::LeftButton);
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_FALSE(curves->isVisible());
}

TEST_F(MainWindowTest, AnInvalidSetupIsRefusedWithTheReasonNextToTheField)
{
    ExperimentConfig config = tinyConfig();
    config.dataset.directory = m_dir.filePath("no-such-folder").toStdString();
    m_window->setConfig(config);
    EXPECT_FALSE(m_window->startRun());
    EXPECT_FALSE(m_window->isRunning());
    EXPECT_TRUE(m_window->lastError().contains("no-such-folder"));
    auto* problem = child<QLabel>("dataProblem");
    EXPECT_FALSE(problem->isHidden());
    EXPECT_TRUE(problem->text().contains("no-such-folder")) << problem->text().toStdString();
    EXPECT_EQ(m_window->findChild<QMessageBox*>("errorBox"), nullptr) << "the field says why; no box to dismiss";
    EXPECT_EQ(m_engine.runCount(), 0);
}

TEST_F(MainWindowTest, CompareShowsOneSeriesPerMethodForTheSelectedRuns)
{
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    const std::pair<const char*, double> runs[]
        = {{"random", 0.5}, {"global_magnitude", 0.5}, {"global_magnitude", 0.75}};
    for (const auto& [method, sparsity] : runs) {
        ExperimentConfig config = tinyConfig();
        config.method = method;
        config.methodParams = {{"sparsity", sparsity}};
        m_window->setConfig(config);
        ASSERT_TRUE(m_window->startRun());
        ASSERT_TRUE(ended.wait(kRunTimeoutMs));
        ASSERT_EQ(ended.last().at(1).toString(), "finished");
    }
    auto* chart = child<CompareChart>("compareChart");
    EXPECT_EQ(chart->seriesCount(), 2);  // no selection: all runs, one series per method
    EXPECT_EQ(chart->pointCount(), 3);

    auto* view = child<QTableView>("runsView");
    view->selectionModel()->select(view->model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->selectionModel()->select(view->model()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    ASSERT_NO_FATAL_FAILURE(waitForComparison());
    // The two newest runs (sorted by id, descending): both global magnitude.
    EXPECT_EQ(chart->seriesCount(), 1);
    EXPECT_EQ(chart->pointCount(), 2);
}

TEST_F(MainWindowTest, OneSelectedIterativeRunIsShownRoundByRoundWithItsControl)
{
    // As the engine stores an iterative run with a control: the dense network, then each round
    // measured, retrained and re-initialised at random.
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.steps.clear();
        for (int round = 0; round <= 2; ++round) {
            PruningStep step;
            step.step = round;
            FakeEngine::addLayer(step, "fc1", {300, 784}, 1.0 - std::pow(0.5, round));
            step.metrics["test_accuracy"] = 0.9 - 0.01 * round;
            if (round > 0)
                step.metrics["control_test_accuracy"] = 0.85 - 0.05 * round;
            run.steps.push_back(step);
        }
        return run;
    };
    ExperimentConfig config = tinyConfig();
    config.method = "lottery_ticket";
    config.methodParams = {{"rounds", int64_t(2)}, {"rate", 0.5}, {"control", true}};
    ASSERT_NO_FATAL_FAILURE(runAndSelectTheOnlyRun(config));
    auto* chart = child<CompareChart>("compareChart");
    EXPECT_EQ(chart->seriesCount(), 2);  // the retrained tickets and the control
    EXPECT_EQ(chart->pointCount(), 3 + 2);  // dense + 2 rounds; the control exists for the rounds
}

TEST_F(MainWindowTest, OneSelectedRunTimeRunIsShownDensityByDensityAgainstExecutedMacs)
{
    // As the engine stores a run-time (FBS) run: one step per evaluated density with the MACs
    // the test inputs executed.
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.steps.resize(1);
        int number = 1;
        for (double density : {0.25, 0.5, 1.0}) {
            PruningStep step;
            step.step = number++;
            step.layers = run.steps.front().layers;
            step.metrics = {{"density", density},
                            {"test_accuracy", 0.7 + 0.1 * density},
                            {"macs_mean", 2e5 * density},
                            {"macs_p10", 1.8e5 * density},
                            {"macs_p90", 2.2e5 * density}};
            run.steps.push_back(step);
        }
        return run;
    };
    ExperimentConfig config = tinyConfig();
    config.model = "lenet5";
    config.method = "fbs";
    config.methodParams = {{"density", 0.5}, {"eval_densities", std::string("0.25, 0.5, 1")}};
    ASSERT_NO_FATAL_FAILURE(runAndSelectTheOnlyRun(config));
    auto* chart = child<CompareChart>("compareChart");
    EXPECT_EQ(chart->pointCount(), 3);  // one per evaluated density, not lottery-ticket rounds
    EXPECT_TRUE(chart->chart()->title().contains("really executed")) << chart->chart()->title().toStdString();
}

TEST_F(MainWindowTest, TheRunsBrowserFiltersEditsInPlaceShowsDetailsAndReRuns)
{
    // Two finished runs written as the runner writes them: a structured one with measured
    // latency and a per-layer step, and an unstructured one.
    const QString databasePath = m_dir.filePath("runs.sqlite");
    int64_t structuredId = 0;
    {
        RunStore store(databasePath);
        ExperimentConfig config = tinyConfig();
        config.method = "l1_filter";
        config.methodParams = {{"channel_ratio", 0.5}};
        config.name = "thin lenet";
        structuredId = store.beginRun(config, "test");
        PruningStep step;
        step.step = 1;
        LayerStats conv;
        conv.name = "conv2";
        conv.kind = "conv";
        conv.shape = {50, 20, 5, 5};
        conv.parameters = 25000;
        conv.nonzeros = 6250;
        conv.channels = 50;
        conv.channelsKept = 25;
        conv.denseMacs = 400000;
        conv.effectiveMacs = 100000;
        step.layers = {conv};
        store.recordPruningStep(structuredId, step);
        RunSummary s;
        s.denseTestAccuracy = 0.9;
        s.prunedTestAccuracy = 0.5;
        s.testAccuracy = 0.88;
        s.structured = true;
        s.denseMacs = 400000;
        s.effectiveMacs = 100000;
        s.theoreticalSpeedup = 4;
        s.sparseBytes = 30000;
        // The pruned network was timed while the machine was busy: its middle half spreads 36 %.
        s.latency = {{"dense", 64, 8.0, 7.5, 9.0, 5, "", 7.9, 8.1, 7.4, 9.5},
                     {"pruned", 64, 2.5, 2.4, 2.7, 5, "", 2.0, 2.9, 1.9, 3.5},
                     {"dense", 1, 0.4, 0.3, 0.5, 5, ""},
                     {"pruned", 1, 0.2, 0.1, 0.3, 5, ""}};
        store.finishRun(structuredId, s);
        ExperimentConfig other = tinyConfig();
        other.method = "snip";
        other.name = "snip lenet";
        store.finishRun(store.beginRun(other, "test"), s);
    }
    m_window->refreshRuns();
    auto* view = child<QTableView>("runsView");
    ASSERT_EQ(view->model()->rowCount(), 2);

    // The browser's columns: taxonomy, measured speedup (3.20× = 8 ms / 2.5 ms), said to come from a
    // busy machine since the pruned network's timing spreads 36 %.
    const int structuredRow = view->model()->index(0, RunsTableModel::Id).data().toLongLong() == structuredId ? 0 : 1;
    EXPECT_EQ(view->model()->index(structuredRow, RunsTableModel::MeasuredSpeedup).data().toString(), "3.20× (busy)");
    EXPECT_TRUE(
        view->model()->index(structuredRow, RunsTableModel::Taxonomy).data().toString().startsWith("structured"));

    // Typing in the filter keeps only the matching runs.
    auto* filter = child<QLineEdit>("runsFilter");
    QTest::keyClicks(filter, "SNIP");
    EXPECT_EQ(view->model()->rowCount(), 1);
    EXPECT_EQ(view->model()->index(0, RunsTableModel::Method).data().toString(), "snip");
    filter->clear();
    EXPECT_EQ(view->model()->rowCount(), 2);

    // Tags and notes are edited in place and land in the database.
    const int row = view->model()->index(0, RunsTableModel::Id).data().toLongLong() == structuredId ? 0 : 1;
    ASSERT_TRUE(view->model()->setData(view->model()->index(row, RunsTableModel::Tags), "week 3, structured"));
    ASSERT_TRUE(view->model()->setData(view->model()->index(row, RunsTableModel::Notes), "<b>present this</b>"));
    EXPECT_FALSE(view->model()->setData(view->model()->index(row, RunsTableModel::Accuracy), "99 %"));  // not editable
    {
        RunStore reader(databasePath);
        const auto stored = reader.findRun(structuredId);
        ASSERT_TRUE(stored);
        EXPECT_EQ(stored->tags, "week 3, structured");
        EXPECT_EQ(stored->notes, "<b>present this</b>");
    }

    // Details: the per-layer table and the theoretical and measured speedup.
    ASSERT_NO_FATAL_FAILURE(showStoredRun(structuredId));
    auto* details = child<RunDetailsView>("runDetails");
    EXPECT_TRUE(details->isVisible());
    QTableView* layers = details->layerTable();
    ASSERT_EQ(layers->model()->rowCount(), 1);
    EXPECT_EQ(layers->model()->index(0, RunDetailsView::Channels).data().toString(), "25 / 50");
    EXPECT_EQ(layers->model()->index(0, RunDetailsView::Weights).data().toString(), "6250 / 25000");
    EXPECT_EQ(layers->model()->index(0, RunDetailsView::LayerSpeedup).data().toString(), "4.00×");
    const QString headline = details->headline();
    EXPECT_TRUE(headline.contains("theoretical speedup 4.00×")) << headline.toStdString();
    // Each latency with its spread, and the busy machine said where the spread is wide.
    EXPECT_TRUE(headline.contains("batch 64: 8.000 ms ± 0.100 → 2.500 ms ± 0.450 (busy machine: spread 36 %) (3.20×)"))
        << headline.toStdString();
    EXPECT_TRUE(headline.contains("channels removed for real"));

    // Re-run: the stored config (method, parameters, seed) runs again as a new run.
    view->selectionModel()->clearSelection();
    const QModelIndex snipIndex = view->model()->index(1 - row, RunsTableModel::Id);
    view->selectionModel()->select(snipIndex, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    QAction* rerun = nullptr;
    for (QAction* action : view->actions())
        if (action->text().startsWith("Re-run"))
            rerun = action;
    ASSERT_NE(rerun, nullptr);
    rerun->trigger();
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "finished");
    RunStore reader(databasePath);
    const auto again = reader.findRun(ended.at(0).at(0).toLongLong());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->config.method, "snip");
    EXPECT_EQ(again->config.seed, tinyConfig().seed);
    EXPECT_EQ(again->config.dataset.trainLimit, 600);
}

TEST_F(MainWindowTest, PresentationModeShowsTheCurrentChartAloneInLargeTypeAndPutsItBack)
{
    auto* tabs = child<QTabWidget>("tabs");
    m_window->setPresentationFullScreen(false);  // offscreen has no screen to fill
    PresentationMode* presentation = m_window->presentation();

    // The training chart sits in the Training tab's splitter, above the method curves: it goes
    // alone and comes back to its place in the splitter.
    auto* training = child<TrainingCurveChart>("trainingChart");
    auto* trainingPage = qobject_cast<QSplitter*>(training->parentWidget());
    ASSERT_NE(trainingPage, nullptr);
    tabs->setCurrentWidget(trainingPage);
    const int tabCount = tabs->count();
    const double titleSize = training->chart()->titleFont().pointSizeF();
    m_window->togglePresentation();
    ASSERT_TRUE(presentation->isActive());
    EXPECT_EQ(training->window(), presentation->window());
    EXPECT_TRUE(presentation->window()->isVisible());
    EXPECT_EQ(tabs->count(), tabCount);
    EXPECT_DOUBLE_EQ(training->chart()->titleFont().pointSizeF(), titleSize * PresentationMode::kFontScale);
    QApplication::setActiveWindow(presentation->window());  // offscreen windows are not activated by showing them
    QTest::keyClick(presentation->window(), Qt::Key_F5);
    EXPECT_FALSE(presentation->isActive());
    EXPECT_EQ(training->window(), m_window.get());
    EXPECT_EQ(training->parentWidget(), trainingPage);
    EXPECT_EQ(trainingPage->indexOf(training), 0);
    EXPECT_DOUBLE_EQ(training->chart()->titleFont().pointSizeF(), titleSize);

    // A chart inside a tab (Compare, a page of the stack that shows the comparison or the
    // training curves): back into the same place; Esc leaves as well.
    auto* compare = child<CompareChart>("compareChart");
    QWidget* compareParent = compare->parentWidget();
    auto* comparePage = child<ComparePage>("comparePage");
    const int compareIndex = tabs->indexOf(comparePage);
    ASSERT_GE(compareIndex, 0);
    ASSERT_TRUE(comparePage->isAncestorOf(compare));
    tabs->setCurrentIndex(compareIndex);
    m_window->togglePresentation();
    ASSERT_TRUE(presentation->isActive());
    EXPECT_EQ(compare->window(), presentation->window());
    QApplication::setActiveWindow(presentation->window());
    QTest::keyClick(presentation->window(), Qt::Key_Escape);
    EXPECT_FALSE(presentation->isActive());
    EXPECT_EQ(compare->parentWidget(), compareParent);
    EXPECT_TRUE(compare->isVisible());
    auto* stack = qobject_cast<QStackedWidget*>(compareParent);
    ASSERT_NE(stack, nullptr);
    EXPECT_EQ(stack->currentWidget(), compare);
    EXPECT_EQ(stack->indexOf(compare), 0);
    // The training curves chosen in its place: they are presented, and come back as the page shown.
    auto* curves = comparePage->trainingOverlay();
    auto* choice = child<QComboBox>("compareAxis");
    choice->setCurrentIndex(choice->count() - 1);
    ASSERT_EQ(stack->currentWidget(), curves);
    m_window->togglePresentation();
    ASSERT_TRUE(presentation->isActive());
    EXPECT_EQ(curves->window(), presentation->window());
    QApplication::setActiveWindow(presentation->window());
    QTest::keyClick(presentation->window(), Qt::Key_Escape);
    EXPECT_FALSE(presentation->isActive());
    EXPECT_EQ(curves->parentWidget(), stack);
    EXPECT_EQ(stack->indexOf(curves), 1);
    EXPECT_EQ(stack->currentWidget(), curves);
    EXPECT_TRUE(curves->isVisible());
    choice->setCurrentIndex(0);

    // The log has no chart: nothing to present.
    tabs->setCurrentWidget(child<QPlainTextEdit>("log"));
    m_window->togglePresentation();
    EXPECT_FALSE(presentation->isActive());
}

TEST_F(MainWindowTest, ThePresetsMenuHasAWeekPerSessionAndOneClickOpensIt)
{
    m_window->setConfig(tinyConfig());
    auto* menu = m_window->findChild<QMenu*>("presetMenu");
    ASSERT_TRUE(menu);
    for (int week = 1; week <= 14; ++week) {
        auto* weekMenu = menu->findChild<QMenu*>(QStringLiteral("presetWeek%1").arg(week));
        ASSERT_TRUE(weekMenu) << week;
        EXPECT_FALSE(weekMenu->actions().isEmpty()) << week;
    }
    auto* week2 = menu->findChild<QMenu*>("presetWeek2");
    EXPECT_TRUE(week2->title().contains("03/19"));
    EXPECT_TRUE(week2->title().contains("Structured pruning"));
    QAction* first = nullptr;
    for (QAction* action : week2->actions())
        if (!action->isSeparator() && !first)
            first = action;
    ASSERT_TRUE(first);
    EXPECT_EQ(first->data().toString(), "week02-structured-l1-filters");
    first->trigger();
    const ExperimentConfig config = m_window->currentConfig();
    EXPECT_EQ(config.method, "l1_filter");
    EXPECT_EQ(config.model, "vgg_small");
    EXPECT_EQ(config.dataset.directory, tinyConfig().dataset.directory);  // the user's data stays
}

TEST_F(MainWindowTest, PresentationStepsThroughTheChartsOfTheSelectedRunsWithAClickersKeys)
{
    auto* tabs = child<QTabWidget>("tabs");
    m_window->setPresentationFullScreen(false);  // offscreen has no screen to fill
    PresentationMode* presentation = m_window->presentation();
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    std::vector<qint64> runs;
    for (const char* method : {"global_magnitude", "snip"}) {
        ExperimentConfig config = tinyConfig();
        config.method = method;
        m_window->setConfig(config);
        ASSERT_TRUE(m_window->startRun());
        ASSERT_TRUE(ended.wait(kRunTimeoutMs));
        ASSERT_EQ(ended.last().at(1).toString(), "finished");
        runs.push_back(ended.last().at(0).toLongLong());
    }
    auto* view = child<QTableView>("runsView");
    for (int row = 0; row < 2; ++row)
        view->selectionModel()->select(view->model()->index(row, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
    ASSERT_NO_FATAL_FAILURE(waitForComparison());

    // From the Training tab: each selected run's training curves, layer sparsity and mask, then
    // the comparison; PageDown, a clicker's Right, Space and Down all step forward.
    tabs->setCurrentWidget(child<TrainingPage>("trainingPage"));
    const int tabCount = tabs->count();
    std::map<QString, QSize> minimumSizes;  // large type must not leave a chart larger than its place
    for (QChartView* chart : m_window->findChildren<QChartView*>())
        minimumSizes[chart->objectName()] = chart->minimumSize();
    QSignalSpy shown(m_window.get(), &MainWindow::storedRunShown);
    m_window->togglePresentation();
    ASSERT_TRUE(presentation->isActive());
    QApplication::setActiveWindow(presentation->window());  // offscreen windows are not activated by showing them
    std::vector<std::pair<QString, qint64>> seen;  // (view, run) per chart
    const Qt::Key forward[] = {Qt::Key_PageDown, Qt::Key_Right, Qt::Key_Space, Qt::Key_Down};
    for (int press = 0; press < 20; ++press) {
        ASSERT_EQ(presentation->presentedView()->window(), presentation->window());
        seen.push_back({presentation->presentedView()->objectName(), presentation->slideRun()});
        if (presentation->slideRun() != 0
            && (shown.isEmpty() || shown.last().at(0).toLongLong() != presentation->slideRun())) {
            ASSERT_TRUE(shown.wait(kRunTimeoutMs));  // the window reads the run and redraws in place
        }
        const int before = presentation->slideIndex();
        QTest::keyClick(presentation->window(), forward[press % 4]);
        if (presentation->slideIndex() == before)
            break;  // the last chart: the keys stop there
    }
    EXPECT_EQ(presentation->slideIndex(), presentation->slideCount() - 1);
    auto position = [&](const QString& name, qint64 run) {
        return std::find(seen.begin(), seen.end(), std::pair{name, run}) - seen.begin();
    };
    const std::ptrdiff_t missing = std::ptrdiff_t(seen.size());
    for (qint64 run : runs) {
        EXPECT_LT(position("trainingChart", run), position("sparsityChart", run)) << run;
        EXPECT_LT(position("sparsityChart", run), position("maskHeatmap", run)) << run;  // the mask, not the histogram
        EXPECT_LT(position("maskHeatmap", run), missing) << run;
    }
    // Run by run, in the selection's order, then the comparison.
    const qint64 firstRun = seen.front().second, secondRun = firstRun == runs[0] ? runs[1] : runs[0];
    EXPECT_TRUE(firstRun == runs[0] || firstRun == runs[1]) << firstRun;
    EXPECT_LT(position("maskHeatmap", firstRun), position("trainingChart", secondRun));
    EXPECT_LT(position("maskHeatmap", secondRun), position("compareChart", 0));
    EXPECT_LT(position("compareChart", 0), missing);
    EXPECT_LT(position("layerOverlay", 0), missing);
    EXPECT_EQ(std::count_if(seen.begin(), seen.end(), [](const auto& s) { return s.first == "maskHistogram"; }), 0);
    // Back: PageUp and Left each step one chart.
    const int last = presentation->slideIndex();
    QTest::keyClick(presentation->window(), Qt::Key_PageUp);
    EXPECT_EQ(presentation->slideIndex(), last - 1);
    QTest::keyClick(presentation->window(), Qt::Key_Left);
    EXPECT_EQ(presentation->slideIndex(), last - 2);
    EXPECT_TRUE(presentation->caption().contains(QString("%1 / %2").arg(last - 1).arg(presentation->slideCount())));
    // Esc: every chart back in its place, the tabs as they were.
    QTest::keyClick(presentation->window(), Qt::Key_Escape);
    EXPECT_FALSE(presentation->isActive());
    EXPECT_EQ(tabs->count(), tabCount);
    for (const char* name : {"trainingChart", "sparsityChart", "maskHeatmap", "compareChart", "layerOverlay"})
        EXPECT_EQ(m_window->findChild<QWidget*>(name)->window(), m_window.get()) << name;
    EXPECT_EQ(child<MaskHeatmap>("maskHeatmap")->parentWidget()->window(), m_window.get());
    for (QChartView* chart : m_window->findChildren<QChartView*>())
        EXPECT_EQ(chart->minimumSize(), minimumSizes[chart->objectName()]) << chart->objectName().toStdString();
}

TEST_F(MainWindowTest, APresetFillsTheSetupAndKeepsTheDataFolder)
{
    m_window->setConfig(tinyConfig());
    auto* presets = child<QComboBox>("presetCombo");
    const int index = presets->findData("week02-structured-l1-filters");
    ASSERT_GT(index, 0);
    presets->setCurrentIndex(index);
    Q_EMIT presets->activated(index);
    const ExperimentConfig config = m_window->currentConfig();
    EXPECT_EQ(config.model, "vgg_small");
    EXPECT_EQ(config.method, "l1_filter");
    EXPECT_DOUBLE_EQ(std::get<double>(config.methodParams.at("channel_ratio")), 0.5);
    EXPECT_EQ(config.dataset.directory, tinyConfig().dataset.directory);  // the user's data stays
    EXPECT_TRUE(child<QLabel>("methodCard")->text().contains("Li, Kadav"));
    EXPECT_EQ(presets->currentIndex(), 0);  // ready for the next choice

    // The BatchNorm re-estimation is a field of the form: off and back.
    auto* recalibration = child<QSpinBox>("bnRecalibration");
    recalibration->setValue(0);
    EXPECT_EQ(m_window->currentConfig().bnRecalibrationBatches, 0);
    EXPECT_EQ(recalibration->text(), recalibration->specialValueText());
    ExperimentConfig stored = m_window->currentConfig();
    stored.bnRecalibrationBatches = 64;
    m_window->setConfig(stored);
    EXPECT_EQ(recalibration->value(), 64);
}

TEST_F(MainWindowTest, NoTwoActionsOfTheWindowShareAShortcut)
{
    // An ambiguous shortcut fires neither action (F5 was both "Refresh" and "Presentation").
    std::map<QString, QString> owners;
    for (QAction* action : m_window->findChildren<QAction*>()) {
        if (action->shortcutContext() != Qt::WindowShortcut && action->shortcutContext() != Qt::ApplicationShortcut)
            continue;
        for (const QKeySequence& key : action->shortcuts()) {
            const QString text = key.toString();
            auto [it, inserted] = owners.emplace(text, action->text());
            EXPECT_TRUE(inserted) << text.toStdString() << ": " << it->second.toStdString() << " and "
                                  << action->text().toStdString();
        }
    }
    EXPECT_TRUE(owners.count("F5"));
    EXPECT_TRUE(owners.count("Ctrl+R"));
    EXPECT_TRUE(owners.count("Ctrl+E"));
}

TEST_F(MainWindowTest, TheDarkThemeDarkensWindowAndChartsAndKeepsSeriesColours)
{
    auto* training = child<TrainingCurveChart>("trainingChart");
    auto* curve = qobject_cast<QXYSeries*>(training->chart()->series().value(0));
    ASSERT_NE(curve, nullptr);
    const QPen pen = curve->pen();
    m_window->setTheme(ThemeChoice::Dark);
    EXPECT_LT(QApplication::palette().color(QPalette::Window).lightness(), 128);
    EXPECT_EQ(training->chart()->theme(), QChart::ChartThemeDark);
    EXPECT_EQ(curve->pen(), pen);  // the chart's own colours, not the theme's
    m_window->setTheme(ThemeChoice::Light);
    EXPECT_GT(QApplication::palette().color(QPalette::Window).lightness(), 128);
    EXPECT_EQ(training->chart()->theme(), QChart::ChartThemeLight);
    EXPECT_EQ(curve->pen(), pen);
    EXPECT_EQ(themeFromName("dark"), ThemeChoice::Dark);
    EXPECT_EQ(themeFromName("nonsense"), ThemeChoice::System);
}

TEST_F(MainWindowTest, AWholeSessionFromTheTaxonomyTreeToTheHtmlReport)
{
    m_window->setConfig(tinyConfig());
    auto* tree = child<QTreeWidget>("methodTree");
    auto chooseMethod = [&](const QString& id) {
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->data(0, Qt::UserRole).toString() == id) {
                tree->scrollToItem(*it);
                QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualItemRect(*it).center());
                return;
            }
        FAIL() << "no " << id.toStdString() << " in the tree";
    };
    auto* progress = child<QProgressBar>("progressBar");
    auto* runButton = child<QPushButton>("runButton");
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);

    // 1. SNIP from the tree, at 80 %: its card and form follow the click.
    chooseMethod("snip");
    EXPECT_TRUE(child<QLabel>("methodCard")->text().contains("Lee, Ajanthan, Torr"));
    auto* sparsity = child<QDoubleSpinBox>("param_sparsity");
    sparsity->setValue(0.8);
    EXPECT_EQ(m_window->currentConfig().method, "snip");

    // 2. Run it and watch progress arrive.
    QSignalSpy progressed(progress, &QProgressBar::valueChanged);
    QTest::mouseClick(runButton, Qt::LeftButton);
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "finished");
    EXPECT_GT(progressed.count(), 3);
    EXPECT_EQ(progress->value(), progress->maximum());
    const qint64 snipRun = ended.at(0).at(0).toLongLong();

    // 3. A second run, cancelled once it has started: it waits for the cancel, so the click
    // cannot come after its end.
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.holdUntilCancelled = config.method == "random";
        return run;
    };
    chooseMethod("random");
    progressed.clear();
    QTest::mouseClick(runButton, Qt::LeftButton);
    ASSERT_TRUE(progressed.wait(kRunTimeoutMs));
    QTest::mouseClick(child<QPushButton>("cancelButton"), Qt::LeftButton);
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(1).at(1).toString(), "cancelled");

    // 4. A third, finished, to compare with the first.
    chooseMethod("global_magnitude");
    QTest::mouseClick(runButton, Qt::LeftButton);
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    ASSERT_EQ(ended.at(2).at(1).toString(), "finished");
    const qint64 magnitudeRun = ended.at(2).at(0).toLongLong();

    // 5. The mask inspector on the SNIP run: fc1's mask, 300 × 784, 80 % pruned. (The fake
    // engine keeps no networks; EndToEndTest reads a real run's.)
    MaskInspector* inspector = nullptr;
    ASSERT_NO_FATAL_FAILURE(showMaskOfFc1(snipRun, &inspector));
    EXPECT_TRUE(inspector->histogramProblem().contains(QString("run %1 kept no final network").arg(snipRun)))
        << inspector->histogramProblem().toStdString();

    // 6. Select the two finished runs: the Compare tab draws one series per method.
    auto* view = child<QTableView>("runsView");
    view->selectionModel()->clearSelection();
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const qint64 id = view->model()->index(row, RunsTableModel::Id).data().toLongLong();
        if (id == snipRun || id == magnitudeRun)
            view->selectionModel()->select(view->model()->index(row, 0),
                                           QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    ASSERT_NO_FATAL_FAILURE(waitForComparison());
    auto* compare = child<CompareChart>("compareChart");
    EXPECT_EQ(compare->seriesCount(), 2);
    EXPECT_EQ(compare->pointCount(), 2);
    // Their layers overlaid (LeNet-300-100: fc1, fc2, fc3), and the selection as a table.
    auto* overlay = child<LayerOverlayChart>("layerOverlay");
    EXPECT_EQ(overlay->runCount(), 2);
    EXPECT_EQ(overlay->layerCount(), 3);
    EXPECT_EQ(child<QTableView>("compareTable")->model()->rowCount(), 2);

    // 7. The report of that selection: both runs, their charts, nothing unescaped.
    const QString report = m_dir.filePath("week-1.html");
    ASSERT_TRUE(m_window->exportReport(report));
    QFile file(report);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    EXPECT_TRUE(html.contains(QString("id=\"run-%1\"").arg(snipRun)));
    EXPECT_TRUE(html.contains(QString("id=\"run-%1\"").arg(magnitudeRun)));
    EXPECT_FALSE(html.contains(QString("id=\"run-%1\"").arg(ended.at(1).at(0).toLongLong())));  // not selected
    EXPECT_GE(html.count("data:image/png;base64,"), 4);
}

TEST_F(MainWindowTest, ACancelBeforeTheWorkerPicksUpTheRunStillCancelsIt)
{
    // The worker thread is busy, so the run is queued behind this and has not started yet.
    QSemaphore workerFree;
    const auto unblock = qScopeGuard([&] { workerFree.release(); });  // whatever happens below
    QMetaObject::invokeMethod(
        m_window->runController()->worker(), [&workerFree] { workerFree.acquire(); }, Qt::QueuedConnection);
    m_window->setConfig(tinyConfig());
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    m_window->cancelRun();
    workerFree.release();
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "cancelled");
    EXPECT_EQ(m_engine.runCount(), 1);  // it was started, and saw the cancel at its first check
    EXPECT_TRUE(child<QPushButton>("runButton")->isEnabled());
}

TEST_F(MainWindowTest, AStoredRunStillBeingReadWhenARunStartsLeavesTheChartsToTheLiveRun)
{
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    m_window->setConfig(tinyConfig());
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    const qint64 stored = ended.at(0).at(0).toLongLong();

    // Double-click a stored run, then start a run before its read has arrived.
    QSignalSpy shown(m_window.get(), &MainWindow::storedRunShown);
    m_window->showStoredRun(stored);
    m_window->setConfig(tinyConfig(/*denseEpochs=*/3));
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    QThreadPool::globalInstance()->waitForDone();  // the stored run's read has finished …
    QCoreApplication::processEvents();  // … and been delivered
    for (const auto& arguments : shown)  // only the run that just finished is shown (in the background)
        EXPECT_NE(arguments.at(0).toLongLong(), stored);
    EXPECT_EQ(child<TrainingCurveChart>("trainingChart")->pointCount(), 2 * (3 + 1));  // the live run's epochs
    EXPECT_EQ(child<QTabWidget>("tabs")->currentWidget()->objectName(), "trainingPage");
}

TEST_F(MainWindowTest, TheMaskInspectorOutlivesADatabaseErrorInTheRunsList)
{
    // Two finished runs with a stored mask, written as the runner writes them.
    const QString databasePath = m_dir.filePath("runs.sqlite");
    std::vector<int64_t> ids;
    {
        RunStore store(databasePath);
        for (const char* method : {"random", "global_magnitude"}) {
            ExperimentConfig config = tinyConfig();
            config.method = method;
            const int64_t id = store.beginRun(config, "test");
            PruningStep step;
            step.step = 1;
            step.masks = {MaskSnapshot{"fc3", {2, 4}, {0x5a}}};
            LayerStats layer;
            layer.name = "fc3";
            layer.kind = "linear";
            layer.shape = {2, 4};
            layer.parameters = 8;
            layer.nonzeros = 4;
            step.layers = {layer};
            store.recordPruningStep(id, step);
            store.finishRun(id, RunSummary{});
            ids.push_back(id);
        }
    }
    m_window->refreshRuns();
    auto* inspector = child<MaskInspector>("maskInspector");
    ASSERT_NO_FATAL_FAILURE(showStoredRun(ids[0]));
    ASSERT_EQ(inspector->runId(), ids[0]);

    // For a moment the runs cannot be listed (another program holds the file in a state this
    // one cannot read): the window drops its connection and says so.
    const auto renameRuns = [&](const char* from, const char* to) {
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "other-program");
            db.setDatabaseName(databasePath);
            ASSERT_TRUE(db.open());
            QSqlQuery query(db);
            ASSERT_TRUE(query.exec(QString("ALTER TABLE %1 RENAME TO %2").arg(from, to)))
                << query.lastError().text().toStdString();
        }
        QSqlDatabase::removeDatabase("other-program");
    };
    renameRuns("runs", "runs_elsewhere");
    m_window->refreshRuns();
    EXPECT_TRUE(m_window->lastError().contains("runs")) << m_window->lastError().toStdString();
    renameRuns("runs_elsewhere", "runs");

    // The inspector still reads through the store it was given: choosing a run to compare with
    // shows that run's mask beside the first.
    auto* compareRun = inspector->findChild<QComboBox*>("maskCompareRun");
    ASSERT_NE(compareRun, nullptr);
    const int second = compareRun->findData(qint64(ids[1]));
    ASSERT_GT(second, 0) << "the runs are offered by name";
    compareRun->setCurrentIndex(second);
    Q_EMIT compareRun->activated(second);
    EXPECT_FALSE(inspector->compareHeatmap()->isHidden());

    // A run that cannot be read there is refused with the reason, not thrown out of the list.
    renameRuns("runs", "runs_elsewhere");
    const int first = compareRun->findData(qint64(ids[0]));
    ASSERT_GT(first, 0);
    compareRun->setCurrentIndex(first);
    Q_EMIT compareRun->activated(first);
    EXPECT_TRUE(inspector->compareHeatmap()->isHidden());
    auto* caption = inspector->findChild<QLabel*>("maskCompareCaption");
    ASSERT_NE(caption, nullptr);
    EXPECT_TRUE(caption->text().startsWith(QString("Cannot read run %1").arg(ids[0]))) << caption->text().toStdString();
}

namespace {

// Two methods × two sparsities × two seeds on the fake engine; the seed moves the accuracy, so
// the Compare tab has a spread over seeds to draw.
SweepPlan smallSweep(const ExperimentConfig& base)
{
    SweepPlan plan;
    plan.name = "window sweep";
    plan.base = base;
    plan.methods = {"global_magnitude", "random"};
    plan.sparsities = {0.5, 0.9};
    plan.seeds = {1, 2};
    return plan;
}

FakeRun seedDependentRun(const ExperimentConfig& config)
{
    FakeRun run = FakeEngine::typicalRun(config);
    run.summary.testAccuracy = 0.80 + 0.02 * double(config.seed);
    return run;
}

}  // namespace

TEST_F(MainWindowTest, ASweepFromTheWindowStoresEveryRunAndComparesThemWithTheirSpread)
{
    m_engine.script = seedDependentRun;
    QSignalSpy ended(m_window.get(), &MainWindow::sweepEnded);
    QSignalSpy progressed(m_window->runController(), &RunController::progress);
    ASSERT_TRUE(m_window->startSweep(smallSweep(tinyConfig())));
    EXPECT_FALSE(m_window->startRun());  // one job at a time
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "finished");
    const qint64 sweepId = ended.at(0).at(0).toLongLong();
    EXPECT_EQ(m_engine.runCount(), 8);

    // Overall progress: "run i of 8", and the bar moves over the whole queue.
    bool sawRunThree = false;
    double last = 0;
    for (const auto& arguments : progressed) {
        const auto event = arguments.at(0).value<ProgressEvent>();
        sawRunThree = sawRunThree || QString::fromStdString(event.message).startsWith("run 3 of 8");
        EXPECT_GE(event.overallFraction, last - 1e-9);
        last = event.overallFraction;
    }
    EXPECT_TRUE(sawRunThree);
    EXPECT_DOUBLE_EQ(last, 1.0);

    // All stored with the sweep, as the CLI's sweep stores them.
    RunStore store(m_dir.filePath("runs.sqlite"));
    const auto runs = store.runsOfSweep(sweepId);
    ASSERT_EQ(runs.size(), 8u);
    for (const auto& run : runs)
        EXPECT_EQ(run.status, RunStatus::Finished) << run.name;

    // The Compare tab shows the sweep: one series per method, and ± sd bars over the two seeds.
    ASSERT_NO_FATAL_FAILURE(waitForComparison());
    EXPECT_EQ(child<QTabWidget>("tabs")->currentWidget(), m_window->comparePage());
    CompareChart* chart = m_window->comparePage()->chart();
    EXPECT_EQ(chart->seriesCount(), 2);
    int bars = 0;
    for (QAbstractSeries* series : chart->chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(series);
        if (line && line->count() == 2 && line->at(0).x() == line->at(1).x()) {
            ++bars;
            EXPECT_NEAR(line->at(1).y() - line->at(0).y(), 2 * 100 * 0.02 / std::sqrt(2.0), 1e-6);  // 2 sd
        }
    }
    EXPECT_EQ(bars, 4);  // 2 methods × 2 sparsities
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains("finished"))
        << m_window->statusBar()->currentMessage().toStdString();
}

TEST_F(MainWindowTest, CancellingASweepStopsTheCurrentRunAndDropsTheRestOfTheQueue)
{
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        // The second point (seed 1, 90 %) waits for the cancel, so the click cannot miss it.
        run.holdUntilCancelled = config.seed == 1 && config.methodParams.at("sparsity") == ParamValue(0.9);
        return run;
    };
    SweepPlan plan = smallSweep(tinyConfig());
    plan.methods = {"global_magnitude"};
    QSignalSpy started(m_window->runController(), &RunController::runStarted);
    QSignalSpy ended(m_window.get(), &MainWindow::sweepEnded);
    ASSERT_TRUE(m_window->startSweep(plan));
    while (started.count() < 2)
        ASSERT_TRUE(started.wait(kRunTimeoutMs));
    m_window->cancelRun();
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.at(0).at(1).toString(), "cancelled");
    EXPECT_FALSE(m_window->isRunning());
    EXPECT_EQ(m_engine.runCount(), 2);  // the two later points never started

    RunStore store(m_dir.filePath("runs.sqlite"));
    const auto runs = store.runsOfSweep(ended.at(0).at(0).toLongLong());
    ASSERT_EQ(runs.size(), 2u);
    int finished = 0, cancelled = 0;
    for (const auto& run : runs) {
        finished += run.status == RunStatus::Finished;
        cancelled += run.status == RunStatus::Cancelled;
    }
    EXPECT_EQ(finished, 1);  // the run done stays stored
    EXPECT_EQ(cancelled, 1);
    // And the window is ready for the next job.
    m_engine.script = nullptr;
    QSignalSpy runEnded(m_window.get(), &MainWindow::runEnded);
    m_window->setConfig(tinyConfig());
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(runEnded.wait(kRunTimeoutMs));
}

TEST_F(MainWindowTest, TheSweepDialogBuildsThePlanFromTheSetupAndRefusesABadOne)
{
    ExperimentConfig base = tinyConfig();
    base.method = "snip";
    base.seed = 7;
    SweepDialog dialog(base);
    const SweepPlan initial = dialog.plan();
    EXPECT_EQ(initial.methods, std::vector<std::string>{"snip"});  // the setup's method, checked
    EXPECT_EQ(initial.seeds, (std::vector<uint64_t>{7, 8, 9}));
    EXPECT_EQ(initial.base.model, base.model);
    // Methods without a 'sparsity' parameter (structured, run-time) are not offered.
    for (int i = 0; i < dialog.methodList()->count(); ++i)
        EXPECT_NE(dialog.methodList()->item(i)->data(Qt::UserRole).toString(), "l1_filter");
    dialog.sparsitiesField()->setText("0.5, 0.9");
    dialog.seedsField()->setValue(2);
    EXPECT_EQ(sweepPoints(dialog.plan()).size(), 4u);
    EXPECT_TRUE(dialog.findChild<QLabel*>("sweepCount")->text().startsWith("4 run"));
    dialog.sparsitiesField()->setText("0.5, lots");
    EXPECT_THROW(sweepPoints(dialog.plan()), std::invalid_argument);
    EXPECT_TRUE(dialog.findChild<QLabel*>("sweepCount")->text().contains("not a number"));
    dialog.accept();
    EXPECT_NE(dialog.result(), QDialog::Accepted);
}

TEST_F(MainWindowTest, TheStatusBarSpeaksOfTheCurrentRunAndAnOldErrorGoesWithTheMethod)
{
    m_window->setConfig(tinyConfig());
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    const qint64 first = ended.at(0).at(0).toLongLong();
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains(QString("Run %1 finished").arg(first)));

    // Run 2 trains (held until cancelled): "Run 1 finished" is no longer what the bar says.
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.holdUntilCancelled = true;
        return run;
    };
    QSignalSpy started(m_window->runController(), &RunController::runStarted);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(started.wait(kRunTimeoutMs));
    const qint64 second = started.at(0).at(0).toLongLong();
    EXPECT_FALSE(m_window->statusBar()->currentMessage().contains("finished"))
        << m_window->statusBar()->currentMessage().toStdString();
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains(QString("Run %1").arg(second)));
    m_window->cancelRun();
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));

    // A run that failed leaves its error in the bar until the method changes. (A setup refused
    // before the run keeps its reason while the problem lasts: RunFlowTest.)
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        run.failure = "the loss became NaN at epoch 1";
        return run;
    };
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(ended.last().at(1).toString(), "failed");
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains("NaN"))
        << m_window->statusBar()->currentMessage().toStdString();
    ExperimentConfig other = tinyConfig();
    other.method = "random";
    m_window->setConfig(other);
    EXPECT_FALSE(m_window->statusBar()->currentMessage().contains("NaN"))
        << m_window->statusBar()->currentMessage().toStdString();
}

TEST_F(MainWindowTest, TrainingThatRestartsFromTheInitialisationIsACurveOfItsOwn)
{
    // SNIP's sparse network trains from θ0: its epochs are segment 1 and start again at epoch 1.
    m_engine.script = [](const ExperimentConfig& config) {
        FakeRun run = FakeEngine::typicalRun(config);
        for (EpochMetrics& epoch : run.epochs)
            if (epoch.phase != "dense") {
                epoch.phase = "sparse";
                epoch.segment = 1;
            }
        return run;
    };
    ExperimentConfig config = tinyConfig(/*denseEpochs=*/3);
    config.method = "snip";
    config.fineTuning.epochs = 2;
    m_window->setConfig(config);
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    TrainingCurveChart* chart = m_window->findChild<TrainingCurveChart*>();
    ASSERT_TRUE(chart);
    EXPECT_EQ(chart->pointCount(), 2 * (3 + 2));
    // The sparse curve starts at epoch 1 beside the dense one, not at epoch 4 after it.
    bool sparseFromOne = false;
    double maxX = 0;
    for (QAbstractSeries* series : chart->chart()->series()) {
        auto* line = qobject_cast<QLineSeries*>(series);
        if (!line || line->count() == 0)
            continue;
        for (const QPointF& p : line->points())
            maxX = std::max(maxX, p.x());
        sparseFromOne = sparseFromOne || (line->name().contains("sparse training") && line->at(0).x() == 1.0);
    }
    EXPECT_TRUE(sparseFromOne);
    EXPECT_EQ(maxX, 3.0);
}
