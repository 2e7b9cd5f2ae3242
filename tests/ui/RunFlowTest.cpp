// The flow around a run, on the fake engine: a setup that cannot work is refused before anything
// is stored, with the reason next to its field; fields the method does not use are off; a run
// that finishes becomes the selected one in Details, Masks and Layer sparsity; the Masks tab
// offers the runs to compare by name; a deleted run waits in the trash until it is emptied.
#include "FakeEngine.h"
#include "LayerSparsityChart.h"
#include "MaskHeatmap.h"
#include "MainWindow.h"
#include "MaskInspector.h"
#include "RunDetailsView.h"
#include "RunStore.h"
#include "RunsPage.h"
#include "WindowTest.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>

#include <gtest/gtest.h>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

class RunFlowTest : public WindowTest {
protected:
    ExperimentExecutor engine() override { return m_engine.executor(); }

    size_t storedRuns() const { return RunStore(m_dir.filePath("runs.sqlite")).listRuns().size(); }

    qint64 finishedRun(const ExperimentConfig& config)
    {
        m_window->setConfig(config);
        QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
        QSignalSpy shown(m_window.get(), &MainWindow::storedRunShown);
        EXPECT_TRUE(m_window->startRun());
        EXPECT_TRUE(ended.wait(kRunTimeoutMs));
        EXPECT_EQ(ended.at(0).at(1).toString(), "finished");
        const qint64 runId = ended.at(0).at(0).toLongLong();
        // Shown in the background once it is read back from the database.
        while (shown.isEmpty() || shown.last().at(0).toLongLong() != runId) {
            if (!shown.wait(kRunTimeoutMs))
                break;
        }
        return runId;
    }

    FakeEngine m_engine;
};

}  // namespace

TEST_F(RunFlowTest, AFolderWithoutTheDatasetIsRefusedBeforeARunIsStored)
{
    // The folder exists; its test labels are not an IDX file.
    QFile labels(m_dir.filePath("data/t10k-labels-idx1-ubyte.gz"));
    ASSERT_TRUE(labels.open(QIODevice::WriteOnly | QIODevice::Truncate));
    labels.write("garbage");
    labels.close();
    m_window->setConfig(tinyConfig());
    auto* problem = child<QLabel>("dataProblem");
    EXPECT_FALSE(problem->isHidden()) << "shown as soon as the setup names the folder";

    EXPECT_FALSE(m_window->startRun());
    EXPECT_FALSE(m_window->isRunning());
    EXPECT_EQ(m_engine.runCount(), 0);
    EXPECT_EQ(storedRuns(), 0u);
    EXPECT_TRUE(problem->text().contains("t10k-labels-idx1-ubyte.gz: not an IDX file"))
        << problem->text().toStdString();
    EXPECT_TRUE(m_window->lastError().contains("t10k-labels-idx1-ubyte.gz"));

    // Pointing the field at a good folder clears the reason, and the run goes ahead.
    writeSyntheticIdxDataset(m_dir.filePath("good").toStdString(), 600, 200);
    auto* folder = child<QLineEdit>("dataDirectory");
    folder->setText(m_dir.filePath("good"));
    Q_EMIT folder->editingFinished();
    EXPECT_TRUE(problem->isHidden());
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(kRunTimeoutMs));
    EXPECT_EQ(storedRuns(), 1u);
}

TEST_F(RunFlowTest, AMethodThatDoesNotApplyToTheModelIsRefusedNextToTheMethod)
{
    ExperimentConfig config = tinyConfig();
    config.method = "fbs";  // run-time channel gates; LeNet-300-100 has no convolution to gate
    config.methodParams.clear();
    m_window->setConfig(config);
    auto* problem = child<QLabel>("methodProblem");
    EXPECT_FALSE(problem->isHidden());
    EXPECT_TRUE(problem->text().contains("no gateable convolution")) << problem->text().toStdString();
    EXPECT_FALSE(m_window->startRun());
    EXPECT_EQ(m_engine.runCount(), 0);
    EXPECT_EQ(storedRuns(), 0u);

    config.model = "lenet5";
    m_window->setConfig(config);
    EXPECT_TRUE(problem->isHidden());
}

TEST_F(RunFlowTest, FieldsTheMethodDoesNotUseAreOffAndSayWhy)
{
    auto* fineTuneEpochs = child<QSpinBox>("fineTuneEpochs");
    auto* fineTuneRate = child<QDoubleSpinBox>("fineTuneLearningRate");
    auto* recalibration = child<QSpinBox>("bnRecalibration");
    ExperimentConfig config = tinyConfig();
    config.method = "snip";  // trains the sparse network from θ0 with the dense recipe
    config.methodParams = {};
    m_window->setConfig(config);
    EXPECT_FALSE(fineTuneEpochs->isEnabled());
    EXPECT_FALSE(fineTuneRate->isEnabled());
    EXPECT_FALSE(recalibration->isEnabled());
    EXPECT_TRUE(fineTuneEpochs->toolTip().contains("does not fine-tune")) << fineTuneEpochs->toolTip().toStdString();

    config.method = "global_magnitude";
    m_window->setConfig(config);
    EXPECT_TRUE(fineTuneEpochs->isEnabled());
    EXPECT_TRUE(fineTuneRate->isEnabled());
    EXPECT_TRUE(recalibration->isEnabled());
    EXPECT_FALSE(fineTuneEpochs->toolTip().contains("does not fine-tune"));

    config.method = "wanda";  // post-training: no retraining, but BatchNorm is re-estimated
    config.methodParams = {};
    m_window->setConfig(config);
    EXPECT_FALSE(fineTuneEpochs->isEnabled());
    EXPECT_TRUE(recalibration->isEnabled());
}

TEST_F(RunFlowTest, AFinishedRunOpensInDetailsMasksAndLayerSparsityAsTheSelectedRun)
{
    const qint64 first = finishedRun(tinyConfig());
    auto* tabs = child<QTabWidget>("tabs");
    EXPECT_EQ(tabs->currentWidget()->objectName(), "trainingPage") << "the tab one watched stays";
    EXPECT_EQ(child<MaskInspector>("maskInspector")->runId(), first);
    EXPECT_TRUE(child<RunDetailsView>("runDetails")->headline().contains(QString::number(first)))
        << child<RunDetailsView>("runDetails")->headline().toStdString();
    EXPECT_GT(child<LayerSparsityChart>("sparsityChart")->barCount(), 0);
    std::vector<StoredRun> selected = m_window->findChild<RunsPage*>()->selectedRuns();
    ASSERT_EQ(selected.size(), 1u);
    EXPECT_EQ(selected[0].id, first);

    // The next one takes its place.
    ExperimentConfig config = tinyConfig();
    config.methodParams["sparsity"] = 0.5;
    const qint64 second = finishedRun(config);
    EXPECT_EQ(child<MaskInspector>("maskInspector")->runId(), second);
    selected = m_window->findChild<RunsPage*>()->selectedRuns();
    ASSERT_EQ(selected.size(), 1u);
    EXPECT_EQ(selected[0].id, second);

    // The Masks tab offers the other runs by name to compare with.
    auto* compare = child<QComboBox>("maskCompareRun");
    const int firstEntry = compare->findData(first);
    ASSERT_GT(firstEntry, 0);
    EXPECT_TRUE(compare->itemText(firstEntry).contains("Global magnitude"))
        << compare->itemText(firstEntry).toStdString();
    EXPECT_EQ(m_window->findChild<QSpinBox*>("maskCompareRun"), nullptr) << "no run numbers to type";
    compare->setCurrentIndex(firstEntry);
    Q_EMIT compare->activated(firstEntry);
    EXPECT_FALSE(child<MaskInspector>("maskInspector")->compareHeatmap()->isHidden());
}

TEST_F(RunFlowTest, ADeletedRunWaitsInTheTrashUntilItIsEmptied)
{
    const qint64 kept = finishedRun(tinyConfig());
    const qint64 deleted = finishedRun(tinyConfig());
    auto* page = m_window->findChild<RunsPage*>();
    auto* view = child<QTableView>("runsView");
    ASSERT_TRUE(page->selectRun(deleted));
    page->deleteSelectedRun();
    ASSERT_EQ(view->model()->rowCount(), 1);
    EXPECT_EQ(page->allRuns().front().id, kept);
    auto* trash = child<QPushButton>("showTrash");
    EXPECT_EQ(trash->text(), "Trash (1)");
    EXPECT_FALSE(RunStore(m_dir.filePath("runs.sqlite")).findRun(deleted)->deletedAt.empty());

    // The trash: restore brings it back.
    trash->click();
    ASSERT_TRUE(page->isTrashShown());
    EXPECT_FALSE(child<QPushButton>("restoreRuns")->isHidden());
    ASSERT_EQ(view->model()->rowCount(), 1);
    view->selectRow(0);
    child<QPushButton>("restoreRuns")->click();
    EXPECT_EQ(view->model()->rowCount(), 0);
    trash->click();
    EXPECT_FALSE(page->isTrashShown());
    EXPECT_EQ(view->model()->rowCount(), 2);
    EXPECT_EQ(trash->text(), "Trash (0)");

    // Deleted again and the trash emptied: gone for good.
    ASSERT_TRUE(page->selectRun(deleted));
    page->deleteSelectedRun();
    page->emptyTrash(/*confirm=*/false);
    EXPECT_EQ(trash->text(), "Trash (0)");
    RunStore store(m_dir.filePath("runs.sqlite"));
    EXPECT_FALSE(store.findRun(deleted));
    EXPECT_TRUE(store.findRun(kept));
}
