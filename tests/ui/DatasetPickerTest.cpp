// The setup's dataset picker and the download dialog: the known datasets and whether they are
// installed, what a folder holds (read off the UI thread), a bad folder's problem, the form ↔
// config round trip of every dataset field, and downloads against a local HTTP server (success
// with progress, cancel, server error), each leaving the data folder clean.
#include "DatasetPicker.h"
#include "DownloadDialog.h"
#include "LocalHttpServer.h"
#include "SetupPanel.h"
#include "SyntheticIdx.h"
#include "core/DatasetCatalogue.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

constexpr int kTimeoutMs = 30000;

std::set<std::string> listing(const QString& root)
{
    std::set<std::string> paths;
    if (!QDir(root).exists())
        return paths;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root.toStdString()))
        paths.insert(entry.path().string());
    return paths;
}

class DatasetPickerTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        // The user's data folder is the test's own: what is installed, and where downloads go.
        m_previousDataHome = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", m_dir.filePath("data-home").toLocal8Bit());
        m_datasets = QString::fromStdString(userDatasetRoot());
        writeSyntheticIdxDataset((m_datasets + "/kmnist").toStdString(), 60, 20);  // one installed dataset
    }
    void TearDown() override { qputenv("XDG_DATA_HOME", m_previousDataHome); }

    // MNIST from the local server: its four files are a small synthetic dataset, and the
    // catalogue entry carries their checksums.
    KnownDataset servedMnist(LocalHttpServer& server)
    {
        const QString source = m_dir.filePath("served");
        writeSyntheticIdxDataset(source.toStdString(), 60, 20);
        KnownDataset mnist = *findKnownDataset("mnist");
        for (auto& file : mnist.downloads) {
            const std::string bytes
                = readFileBytes((source + "/" + QString::fromStdString(downloadFileName(file.url))).toStdString());
            file.md5 = md5Hex(bytes);
            server.serve("/mirror/" + downloadFileName(file.url), bytes);
        }
        return mnist;
    }

    static QString mnistTarget() { return QString::fromStdString(userDatasetRoot() + "/mnist"); }

    QTemporaryDir m_dir;
    QByteArray m_previousDataHome;
    QString m_datasets;
};

template <typename T>
T* child(QWidget* root, const char* name)
{
    T* found = root->findChild<T*>(name);
    EXPECT_NE(found, nullptr) << name;
    return found;
}

}  // namespace

TEST_F(DatasetPickerTest, ListsTheKnownDatasetsWithWhetherTheyAreInstalledAndTheFolderKinds)
{
    DatasetPicker picker;
    auto* kinds = child<QComboBox>(&picker, "datasetKind");
    QStringList texts;
    for (int i = 0; i < kinds->count(); ++i)
        texts << kinds->itemText(i);
    for (const auto& dataset : knownDatasets()) {
        const int index = kinds->findData(QString::fromStdString(dataset.id));
        ASSERT_GE(index, 0) << dataset.id;
        const bool installed = QDir(QString::fromStdString(defaultDatasetDirectory(dataset))).exists();
        EXPECT_EQ(kinds->itemText(index),
                  QString::fromStdString(dataset.title) + (installed ? " — installed" : " — not installed"));
    }
    EXPECT_TRUE(texts.contains(QString::fromStdString(findKnownDataset("kmnist")->title) + " — installed"));
    EXPECT_TRUE(texts.contains(QString::fromStdString(findKnownDataset("cifar10")->title) + " — not installed"));
    EXPECT_EQ(texts.mid(texts.size() - 2), (QStringList{"IDX folder…", "Image folder…"}));
}

TEST_F(DatasetPickerTest, ShowsTheShapeClassesAndSizesFoundInAnIdxFolder)
{
    writeSyntheticIdxDataset(m_dir.filePath("mine").toStdString(), 60, 20);
    DatasetPicker picker;
    picker.show();
    ExperimentConfig config;
    config.dataset.name = kIdxDatasetName;
    config.dataset.directory = m_dir.filePath("mine").toStdString();
    picker.showConfig(config);

    QTRY_VERIFY_WITH_TIMEOUT(!picker.isInspecting(), kTimeoutMs);
    QTRY_COMPARE(picker.foundText(), QString::fromUtf8("1×28×28, 10 classes · 60 train / 20 test images"));
    EXPECT_EQ(child<QLabel>(&picker, "datasetSummary")->text(), picker.foundText());
    EXPECT_TRUE(child<QLabel>(&picker, "datasetSummary")->isVisible());
    EXPECT_FALSE(child<QLabel>(&picker, "dataProblem")->isVisible());
    EXPECT_FALSE(child<QPushButton>(&picker, "downloadButton")->isVisible()) << "nothing to download for own files";
}

TEST_F(DatasetPickerTest, ABadFolderShowsAProblemNamingTheFile)
{
    writeSyntheticIdxDataset(m_dir.filePath("bad").toStdString(), 60, 20);
    QFile labels(m_dir.filePath("bad/t10k-images-idx3-ubyte.gz"));
    ASSERT_TRUE(labels.open(QIODevice::WriteOnly | QIODevice::Truncate));
    labels.write("not an image file");
    labels.close();
    DatasetPicker picker;
    picker.show();
    ExperimentConfig config;
    config.dataset.name = kIdxDatasetName;
    config.dataset.directory = m_dir.filePath("bad").toStdString();
    picker.showConfig(config);

    auto* problem = child<QLabel>(&picker, "dataProblem");
    QTRY_VERIFY_WITH_TIMEOUT(problem->isVisible(), kTimeoutMs);
    EXPECT_TRUE(problem->text().contains("t10k-images-idx3-ubyte.gz")) << problem->text().toStdString();
    EXPECT_FALSE(child<QLabel>(&picker, "datasetSummary")->isVisible());

    // Pointing the field at a good folder replaces the problem with what was found.
    auto* folder = child<QLineEdit>(&picker, "dataDirectory");
    folder->setText(QString::fromStdString(userDatasetRoot() + "/kmnist"));
    QSignalSpy changed(&picker, &DatasetPicker::changed);
    Q_EMIT folder->editingFinished();
    EXPECT_EQ(changed.count(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!problem->isVisible(), kTimeoutMs);
    QTRY_COMPARE(picker.foundText(), QString::fromUtf8("1×28×28, 10 classes · 60 train / 20 test images"));
}

TEST_F(DatasetPickerTest, EveryDatasetFieldAndTheAugmentationSurviveTheFormRoundTrip)
{
    SetupPanel panel;
    ExperimentConfig cifar = defaultExperiment();
    cifar.dataset.name = "cifar100";
    cifar.dataset.directory = m_dir.filePath("cifar-100").toStdString();
    cifar.dataset.cifarLabels = CifarLabels::Coarse;
    cifar.denseTraining.augment = true;
    cifar.fineTuning.augment = true;
    ExperimentConfig images = defaultExperiment();
    images.dataset.name = kImageFolderDatasetName;
    images.dataset.directory = m_dir.filePath("photos").toStdString();
    images.dataset.resize = 64;
    images.dataset.testFraction = 0.25;
    images.dataset.unreadableImages = UnreadableImages::Skip;
    images.denseTraining.augment = true;
    images.fineTuning.augment = true;
    ExperimentConfig digits = defaultExperiment();
    digits.dataset.name = "mnist";
    digits.dataset.directory = m_dir.filePath("mnist").toStdString();
    for (const ExperimentConfig& config : {cifar, images, digits}) {
        panel.setConfig(config);
        const ExperimentConfig shown = panel.config();
        EXPECT_EQ(shown.dataset, config.dataset) << config.dataset.name;
        EXPECT_EQ(shown.denseTraining.augment, config.denseTraining.augment) << config.dataset.name;
        EXPECT_EQ(shown.fineTuning.augment, config.fineTuning.augment) << config.dataset.name;
    }
    // The kind's own options show only for that kind.
    panel.show();
    panel.setConfig(cifar);
    EXPECT_TRUE(child<QComboBox>(&panel, "cifarLabels")->isVisible());
    EXPECT_FALSE(child<QSpinBox>(&panel, "resizeImages")->isVisible());
    panel.setConfig(images);
    EXPECT_FALSE(child<QComboBox>(&panel, "cifarLabels")->isVisible());
    EXPECT_TRUE(child<QSpinBox>(&panel, "resizeImages")->isVisible());
    EXPECT_TRUE(child<QCheckBox>(&panel, "skipUnreadable")->isChecked());
}

TEST_F(DatasetPickerTest, PickingAKnownDatasetLooksInItsFolderAndSetsItsAugmentation)
{
    DatasetPicker picker;
    picker.show();
    auto* kinds = child<QComboBox>(&picker, "datasetKind");
    auto* augment = child<QCheckBox>(&picker, "augment");
    auto* download = child<QPushButton>(&picker, "downloadButton");
    auto pick = [&](const char* id) {
        kinds->setCurrentIndex(kinds->findData(QString::fromUtf8(id)));
        Q_EMIT kinds->activated(kinds->currentIndex());  // as a user's choice in the list
    };

    pick("cifar10");
    ExperimentConfig config;
    picker.readInto(config);
    EXPECT_EQ(config.dataset.name, "cifar10");
    EXPECT_EQ(config.dataset.directory, userDatasetRoot() + "/cifar10");
    EXPECT_TRUE(augment->isChecked());
    EXPECT_TRUE(download->isVisible());
    EXPECT_TRUE(child<QLabel>(&picker, "datasetSummary")->text().contains("Not installed yet"));

    pick("kmnist");
    EXPECT_FALSE(augment->isChecked()) << "digits and letters are not mirror-symmetric";
    EXPECT_FALSE(download->isVisible());
    QTRY_COMPARE(picker.foundText(), QString::fromUtf8("1×28×28, 10 classes · 60 train / 20 test images"));
}

TEST_F(DatasetPickerTest, DownloadDialogShowsProgressAndInstallsTheDataset)
{
    LocalHttpServer server;
    const KnownDataset mnist = servedMnist(server);
    DownloadDialog dialog(mnist, mnistTarget(), QString::fromStdString(server.baseUrl() + "/mirror"));
    auto* bar = child<QProgressBar>(&dialog, "downloadProgress");
    QSignalSpy values(bar, &QProgressBar::valueChanged);
    QSignalSpy ended(&dialog, &DownloadDialog::downloadEnded);
    dialog.show();
    dialog.start();

    ASSERT_TRUE(ended.wait(kTimeoutMs));
    EXPECT_EQ(ended.at(0).at(0).toString(), mnistTarget());
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    ASSERT_FALSE(values.isEmpty());
    EXPECT_EQ(values.last().at(0).toInt(), bar->maximum());  // all bytes in
    EXPECT_TRUE(QFile::exists(mnistTarget() + "/train-images-idx3-ubyte.gz"));
}

TEST_F(DatasetPickerTest, CancellingADownloadTheServerHoldsOpenInstallsNothing)
{
    LocalHttpServer server;
    KnownDataset mnist = servedMnist(server);
    // The first file stops after 300 000 of its 400 000 bytes until the client goes away.
    server.stallAfter("/mirror/" + downloadFileName(mnist.downloads[0].url), std::string(400000, 'x'), 300000);
    const auto before = listing(m_datasets);
    DownloadDialog dialog(mnist, mnistTarget(), QString::fromStdString(server.baseUrl() + "/mirror"));
    QSignalSpy ended(&dialog, &DownloadDialog::downloadEnded);
    dialog.show();
    dialog.start();
    auto* bar = child<QProgressBar>(&dialog, "downloadProgress");
    QTRY_VERIFY_WITH_TIMEOUT(bar->value() > 0, kTimeoutMs);  // bytes have come in, then the server stalls
    EXPECT_TRUE(child<QLabel>(&dialog, "downloadStatus")->text().contains("train-images-idx3-ubyte.gz"));

    QTest::mouseClick(child<QPushButton>(&dialog, "cancelDownload"), Qt::LeftButton);

    ASSERT_TRUE(ended.count() > 0 || ended.wait(kTimeoutMs));
    EXPECT_TRUE(ended.at(0).at(1).toBool()) << "cancelled";
    EXPECT_EQ(dialog.result(), QDialog::Rejected);
    EXPECT_FALSE(dialog.isVisible());
    EXPECT_EQ(listing(m_datasets), before);
}

TEST_F(DatasetPickerTest, AServerErrorIsShownInTheDialogAndInstallsNothing)
{
    LocalHttpServer server;
    KnownDataset mnist = servedMnist(server);
    server.fail("/mirror/" + downloadFileName(mnist.downloads[2].url), 500);
    const auto before = listing(m_datasets);
    DownloadDialog dialog(mnist, mnistTarget(), QString::fromStdString(server.baseUrl() + "/mirror"));
    QSignalSpy ended(&dialog, &DownloadDialog::downloadEnded);
    dialog.show();
    dialog.start();

    ASSERT_TRUE(ended.wait(kTimeoutMs));
    const QString message = ended.at(0).at(2).toString();
    EXPECT_TRUE(message.contains("t10k-images-idx3-ubyte.gz") && message.contains("HTTP 500")) << message.toStdString();
    auto* error = child<QPlainTextEdit>(&dialog, "downloadError");
    EXPECT_TRUE(error->isVisible());
    EXPECT_EQ(error->toPlainText(), message);
    EXPECT_TRUE(dialog.isVisible()) << "stays open with the reason until closed";
    ASSERT_NE(dialog.findChild<QPushButton*>("closeDownload"), nullptr);
    EXPECT_EQ(listing(m_datasets), before);
}

TEST_F(DatasetPickerTest, DownloadButtonInstallsTheChosenDatasetAndDescribesIt)
{
    LocalHttpServer server;
    std::vector<KnownDataset> catalogue = knownDatasets();
    for (auto& dataset : catalogue) {
        if (dataset.id == "mnist")
            dataset = servedMnist(server);
    }
    DatasetPicker picker(catalogue);
    picker.setDownloadMirror(QString::fromStdString(server.baseUrl() + "/mirror"));
    picker.show();
    ExperimentConfig config;
    config.dataset.name = "mnist";
    config.dataset.directory = mnistTarget().toStdString();
    picker.showConfig(config);
    auto* download = child<QPushButton>(&picker, "downloadButton");
    ASSERT_TRUE(download->isVisible());
    auto* kinds = child<QComboBox>(&picker, "datasetKind");
    EXPECT_TRUE(kinds->currentText().endsWith("not installed"));
    QSignalSpy changed(&picker, &DatasetPicker::changed);

    QTest::mouseClick(download, Qt::LeftButton);
    auto* dialog = picker.findChild<DownloadDialog*>("downloadDialog");
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());

    QTRY_COMPARE_WITH_TIMEOUT(picker.foundText(), QString::fromUtf8("1×28×28, 10 classes · 60 train / 20 test images"),
                              kTimeoutMs);
    EXPECT_GE(changed.count(), 1);
    EXPECT_TRUE(kinds->currentText().endsWith("— installed")) << kinds->currentText().toStdString();
    EXPECT_FALSE(download->isVisible());
    ExperimentConfig chosen;
    picker.readInto(chosen);
    EXPECT_EQ(chosen.dataset.directory, mnistTarget().toStdString());
}
