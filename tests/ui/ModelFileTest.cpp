// A TorchScript file as the model: chosen, dropped on the window, refused when bad, kept in the
// setup, and run. The file is LeNet-5 as PruneScope exports it for PyTorch users.
#include "MainWindow.h"
#include "RunsTableModel.h"
#include "SetupPanel.h"
#include "SyntheticIdx.h"
#include "export/InferenceModule.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QUrl>

#include <gtest/gtest.h>

#include <cstdlib>

using namespace prunescope;

namespace {

class ModelFileTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        torch::manual_seed(1);
        exportTorchScript(*createModel("lenet5", DataShape{}), modelPath().toStdString());
        QFile garbage(m_dir.filePath("garbage.pt"));
        ASSERT_TRUE(garbage.open(QIODevice::WriteOnly));
        garbage.write("not TorchScript");
        garbage.close();
        m_window = std::make_unique<MainWindow>(m_dir.filePath("runs.sqlite"), /*persistSettings=*/false);
        m_window->show();
    }

    QString modelPath() const { return m_dir.filePath("my lenet.pt"); }
    QComboBox* modelCombo() const { return m_window->findChild<QComboBox*>("modelCombo"); }

    // What the window gets when a file is dragged onto it and let go; whether the drag was taken.
    bool drop(const QUrl& url)
    {
        QMimeData mime;
        mime.setUrls({url});
        const QPointF centre(m_window->width() / 2.0, m_window->height() / 2.0);
        QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent dropped(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(m_window.get(), &dropped);
        return dropped.isAccepted();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
};

}  // namespace

TEST_F(ModelFileTest, TheModelListOffersAFileAfterTheZoo)
{
    QComboBox* combo = modelCombo();
    ASSERT_NE(combo, nullptr);
    EXPECT_EQ(combo->itemText(combo->count() - 1), "TorchScript file…");
    EXPECT_EQ(m_window->currentConfig().model, "lenet5");
    combo->setCurrentIndex(combo->count() - 1);  // an action (a file dialog), never the model itself
    EXPECT_EQ(m_window->currentConfig().model, "lenet5");
}

TEST_F(ModelFileTest, AChosenFileIsSelectedByNameAndABadOneLeavesThePreviousModel)
{
    ASSERT_TRUE(m_window->useModelFile(modelPath()));
    EXPECT_EQ(modelCombo()->currentText(), "my lenet.pt");
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());
    EXPECT_TRUE(m_window->statusBar()->currentMessage().contains("TorchScript, 5 prunable layers"))
        << m_window->statusBar()->currentMessage().toStdString();
    const int entries = modelCombo()->count();

    EXPECT_FALSE(m_window->useModelFile(m_dir.filePath("garbage.pt")));
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());
    EXPECT_EQ(modelCombo()->count(), entries) << "a refused file gets no entry";
    EXPECT_TRUE(m_window->lastError().contains(m_dir.filePath("garbage.pt"))) << m_window->lastError().toStdString();
    EXPECT_TRUE(m_window->lastError().contains("not a TorchScript file"));
    EXPECT_NE(m_window->findChild<QMessageBox*>("errorBox"), nullptr);

    EXPECT_FALSE(m_window->useModelFile(m_dir.filePath("missing.pt")));
    EXPECT_TRUE(m_window->lastError().contains("does not exist"));
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());

    // Choosing the same file again reuses its entry.
    ASSERT_TRUE(m_window->useModelFile(modelPath()));
    EXPECT_EQ(modelCombo()->count(), entries);
}

TEST_F(ModelFileTest, ALocalFileDroppedOnTheWindowBecomesTheModel)
{
    EXPECT_FALSE(drop(QUrl("https://example.org/model.pt"))) << "only local files";
    EXPECT_FALSE(drop(QUrl::fromLocalFile(m_dir.path()))) << "a folder is not a model";
    EXPECT_EQ(m_window->currentConfig().model, "lenet5");

    EXPECT_TRUE(drop(QUrl::fromLocalFile(modelPath())));
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());

    drop(QUrl::fromLocalFile(m_dir.filePath("garbage.pt")));
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());
    EXPECT_TRUE(m_window->lastError().contains("garbage.pt"));
}

TEST_F(ModelFileTest, TheFileStaysInTheSavedSetupAndAStructuredMethodIsRefusedBeforeRunning)
{
    ASSERT_TRUE(m_window->useModelFile(modelPath()));
    // What closing and reopening the window does with the setup (QSettings holds this JSON).
    const std::string saved = toJson(m_window->currentConfig(), -1);
    MainWindow reopened(m_dir.filePath("runs.sqlite"), false);
    reopened.setConfig(experimentFromJson(saved));
    EXPECT_EQ(QString::fromStdString(reopened.currentConfig().model), modelPath());
    EXPECT_EQ(reopened.findChild<QComboBox*>("modelCombo")->currentText(), "my lenet.pt");

    ExperimentConfig config = reopened.currentConfig();
    config.dataset.directory = m_dir.path().toStdString();
    config.method = "l1_filter";
    config.methodParams = {};
    reopened.setConfig(config);
    EXPECT_TRUE(reopened.statusBar()->currentMessage().contains("structured methods need a zoo model"))
        << reopened.statusBar()->currentMessage().toStdString();
    EXPECT_FALSE(reopened.startRun());
    EXPECT_TRUE(reopened.lastError().contains("structured methods need a zoo model; TorchScript models support "
                                              "unstructured and semi-structured methods"))
        << reopened.lastError().toStdString();
}

TEST_F(ModelFileTest, ARunOnTheFileFinishesAndIsListedByTheFilesName)
{
    testsupport::writeSyntheticIdxDataset(m_dir.filePath("data").toStdString(), 600, 200);
    ASSERT_TRUE(drop(QUrl::fromLocalFile(modelPath())));
    ExperimentConfig config = m_window->currentConfig();
    config.dataset.directory = m_dir.filePath("data").toStdString();
    config.dataset.trainLimit = 600;
    config.dataset.testLimit = 200;
    config.denseTraining.epochs = 1;
    config.denseTraining.batchSize = 50;
    config.fineTuning.epochs = 1;
    config.fineTuning.batchSize = 50;
    config.methodParams = {{"sparsity", 0.5}};
    config.threads = 2;
    config.latencyRepeats = 0;  // the file's latency is the engine's business (ScriptedModelTest)
    config.cacheDirectory = m_dir.filePath("cache").toStdString();
    m_window->setConfig(config);
    QSignalSpy ended(m_window.get(), &MainWindow::runEnded);
    ASSERT_TRUE(m_window->startRun());
    ASSERT_TRUE(ended.wait(180000));
    EXPECT_EQ(ended.at(0).at(1).toString(), "finished") << m_window->lastError().toStdString();
    auto* runs = m_window->findChild<QTableView*>("runsView");
    ASSERT_EQ(runs->model()->rowCount(), 1);
    EXPECT_EQ(runs->model()->index(0, RunsTableModel::Model).data().toString(), "my lenet.pt");
}

TEST_F(ModelFileTest, AModelWhoseForwardDoesNotReturnIsAbandonedAndTheWindowKeepsItsModel)
{
    // A TorchScript model whose forward pass spins (bounded here, so the abandoned check ends
    // a few seconds after the test instead of spinning for the rest of the suite).
    std::string python;
    for (const char* candidate : {"/usr/bin/python3", "python3"})
        if (std::system((std::string(candidate) + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0) {
            python = candidate;
            break;
        }
    if (python.empty())
        GTEST_SKIP() << "python3-torch is not installed";
    const QString script = m_dir.filePath("make.py");
    {
        QFile file(script);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(R"(import sys, torch
class Spinning(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(784, 10)
    def forward(self, x):
        spins = 0
        while spins < 30000000:
            spins += 1
        return self.fc(torch.flatten(x, 1))
torch.jit.script(Spinning()).save(sys.argv[1])
)");
    }
    const QString spinning = m_dir.filePath("spinning.pt");
    ASSERT_EQ(std::system((python + " '" + script.toStdString() + "' '" + spinning.toStdString() + "'").c_str()), 0);

    auto* setup = m_window->findChild<SetupPanel*>();
    ASSERT_NE(setup, nullptr);
    setup->setModelCheckTimeout(200);
    EXPECT_FALSE(m_window->useModelFile(spinning));
    EXPECT_EQ(m_window->currentConfig().model, "lenet5");
    EXPECT_TRUE(m_window->lastError().contains("spinning.pt: it did not answer within 0.2 s"))
        << m_window->lastError().toStdString();
    // The window goes on: a good file is still checked and taken.
    setup->setModelCheckTimeout(20000);
    EXPECT_TRUE(m_window->useModelFile(modelPath()));
    EXPECT_EQ(QString::fromStdString(m_window->currentConfig().model), modelPath());
}
