#pragma once
// The window offscreen on a temporary run database and a small synthetic IDX data set. Which
// engine runs its experiments is the suite's choice: the fake engine for the window's flows
// (MainWindowTest), the real one for the few runs that go end to end (EndToEndTest).

#include "ComparePage.h"
#include "MainWindow.h"
#include "MaskHeatmap.h"
#include "MaskInspector.h"
#include "SyntheticIdx.h"

#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <memory>

namespace prunescope::testsupport {

// Generous: for the real engine these are waits for training to end, not timing assertions.
constexpr int kRunTimeoutMs = 180000;

class WindowTest : public ::testing::Test {
protected:
    // The window's engine; empty: the real one (runExperiment).
    virtual ExperimentExecutor engine() = 0;

    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        writeSyntheticIdxDataset(m_dir.filePath("data").toStdString(), 600, 200);
        m_window = std::make_unique<MainWindow>(m_dir.filePath("runs.sqlite"), /*persistSettings=*/false, engine());
        m_window->show();
    }
    void TearDown() override { m_window.reset(); }

    ExperimentConfig tinyConfig(int denseEpochs = 1) const
    {
        ExperimentConfig config = defaultExperiment();
        config.model = "lenet300100";
        config.dataset.directory = m_dir.filePath("data").toStdString();
        config.dataset.trainLimit = 600;  // the "quick look" subset: the whole synthetic set
        config.dataset.testLimit = 200;
        config.denseTraining.epochs = denseEpochs;
        config.denseTraining.batchSize = 50;
        config.fineTuning.epochs = 1;
        config.fineTuning.batchSize = 50;
        config.threads = 2;
        config.cacheDirectory = m_dir.filePath("cache").toStdString();
        return config;
    }

    // Runs the config to the end in the window, then selects it in the Runs tab (the Compare tab
    // follows the selection).
    void runAndSelectTheOnlyRun(const ExperimentConfig& config)
    {
        m_window->setConfig(config);
        QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
        ASSERT_TRUE(m_window->startRun());
        ASSERT_TRUE(ended.wait(kRunTimeoutMs));
        ASSERT_EQ(ended.last().at(1).toString(), "finished");
        auto* view = child<QTableView>("runsView");
        view->selectionModel()->select(view->model()->index(0, 0),
                                       QItemSelectionModel::Select | QItemSelectionModel::Rows);
        waitForComparison();
    }

    // The Compare tab reads the selected runs' steps on a pool thread: waits until it shows the
    // current selection.
    void waitForComparison() const
    {
        ComparePage* page = m_window->comparePage();
        if (!page->isUpToDate()) {
            QSignalSpy shown(page, &ComparePage::comparisonShown);
            ASSERT_TRUE(shown.wait(kRunTimeoutMs));
        }
        ASSERT_TRUE(page->isUpToDate());
    }

    // Shows a stored run as a double-click does, and waits until it has been read (off the UI
    // thread) and drawn.
    void showStoredRun(qint64 runId) const
    {
        QSignalSpy shown(m_window.get(), &MainWindow::storedRunShown);
        m_window->showStoredRun(runId);
        ASSERT_TRUE(shown.wait(kRunTimeoutMs));
        ASSERT_EQ(shown.last().at(0).toLongLong(), runId);
    }

    // Shows the run, waits until its checkpoints are read (off the UI thread), opens the Masks tab
    // on LeNet-300-100's fc1 and checks its 300 × 784 mask keeps some weights, fewer than half.
    void showMaskOfFc1(qint64 runId, MaskInspector** shownIn) const
    {
        auto* inspector = child<MaskInspector>("maskInspector");
        *shownIn = inspector;
        QSignalSpy weightsRead(inspector, &MaskInspector::weightsLoaded);
        ASSERT_NO_FATAL_FAILURE(showStoredRun(runId));
        if (weightsRead.isEmpty()) {  // the checkpoints are read off the UI thread
            ASSERT_TRUE(weightsRead.wait(kRunTimeoutMs));
        }
        child<QTabWidget>("tabs")->setCurrentWidget(inspector);
        inspector->selectLayer("fc1");
        EXPECT_EQ(inspector->heatmap()->image().size(), QSize(784, 300));
        int kept = 0;
        for (int y = 0; y < 300; ++y)
            for (int x = 0; x < 784; ++x)
                kept += inspector->heatmap()->image().pixel(x, y) == MaskHeatmap::keptColour();
        EXPECT_GT(kept, 0);
        EXPECT_LT(kept, 300 * 784 / 2);
    }

    template <typename T>
    T* child(const char* name) const
    {
        T* widget = m_window->findChild<T*>(name);
        EXPECT_NE(widget, nullptr) << name;
        return widget;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

}  // namespace prunescope::testsupport
