// What a packaged desktop program offers, in the real window offscreen (fake engine): File ▸ Open
// another run database, the recent databases remembered across starts (in a temporary settings
// location), Help ▸ About with versions and licences, and the
// first start without Fashion-MNIST: guidance, never a bare error.
#include "AboutDialog.h"
#include "DataGuidance.h"
#include "FakeEngine.h"
#include "MainWindow.h"
#include "RunStore.h"
#include "SyntheticIdx.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextBrowser>

#include <gtest/gtest.h>

#include <memory>

using namespace prunescope;
using namespace prunescope::testsupport;

namespace {

// The window's action with this menu text (mnemonics ignored), or null.
QAction* menuAction(const QMainWindow& window, const QString& text)
{
    for (QAction* action : window.menuBar()->findChildren<QAction*>()) {
        QString name = action->text();
        name.remove('&');
        if (name == text)
            return action;
    }
    return nullptr;
}

// A run database with one finished run named `name`.
void writeDatabaseWithRun(const QString& path, const std::string& name)
{
    RunStore store(path);
    ExperimentConfig config = defaultExperiment();
    config.name = name;
    const int64_t id = store.beginRun(config, "test");
    RunSummary summary;
    summary.testAccuracy = 0.5;
    store.finishRun(id, summary);
}

int shownRuns(const MainWindow& window)
{
    return window.findChild<QTableView*>("runsView")->model()->rowCount();
}

// Settings in a temporary folder, under a test's own organisation, for one test; restored after
// (as LayoutTest does).
class TemporarySettings {
public:
    explicit TemporarySettings(const QString& folder)
        : m_organisation(QCoreApplication::organizationName()), m_application(QCoreApplication::applicationName())
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, folder);
        QCoreApplication::setOrganizationName("PruneScopeDesktopTest");
        QCoreApplication::setApplicationName("PruneScopeDesktopTest");
    }
    ~TemporarySettings()
    {
        QCoreApplication::setOrganizationName(m_organisation);
        QCoreApplication::setApplicationName(m_application);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation));
    }

private:
    QString m_organisation, m_application;
};

class DesktopIntegrationTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    std::unique_ptr<MainWindow> window(const QString& database, bool persistSettings = false)
    {
        auto made = std::make_unique<MainWindow>(database, persistSettings, m_engine.executor());
        made->show();
        return made;
    }

    QTemporaryDir m_dir;
    FakeEngine m_engine;
};

}  // namespace

TEST_F(DesktopIntegrationTest, FileOpenShowsAnotherDatabasesRunsAndRecordsThere)
{
    const QString other = m_dir.filePath("study.prunescope.sqlite");
    writeDatabaseWithRun(other, "from the other database");
    auto main = window(m_dir.filePath("runs.sqlite"));
    EXPECT_EQ(shownRuns(*main), 0);

    ASSERT_NE(menuAction(*main, "Open run database…"), nullptr);
    EXPECT_EQ(menuAction(*main, "Open run database…")->shortcut(), QKeySequence(QKeySequence::Open));
    ASSERT_TRUE(main->openDatabase(other));
    EXPECT_EQ(main->databasePath(), other);
    ASSERT_EQ(shownRuns(*main), 1);
    const QModelIndex first = main->findChild<QTableView*>("runsView")->model()->index(0, 1);
    EXPECT_TRUE(first.data().toString().contains("from the other database")) << first.data().toString().toStdString();
    EXPECT_TRUE(main->windowTitle().startsWith("study.prunescope.sqlite"));
    EXPECT_EQ(main->recentDatabases(), (QStringList{other, m_dir.filePath("runs.sqlite")}));
}

TEST_F(DesktopIntegrationTest, FileOpenRefusesWhatIsNotARunDatabaseAndKeepsTheCurrentOne)
{
    auto main = window(m_dir.filePath("runs.sqlite"));
    QFile text(m_dir.filePath("notes.prunescope.sqlite"));
    ASSERT_TRUE(text.open(QIODevice::WriteOnly));
    text.write("these are notes, not a database\n");
    text.close();
    EXPECT_FALSE(main->openDatabase(text.fileName()));
    EXPECT_TRUE(main->lastError().contains("not a PruneScope database")) << main->lastError().toStdString();
    EXPECT_FALSE(main->openDatabase(m_dir.filePath("missing.prunescope.sqlite")));
    EXPECT_TRUE(main->lastError().contains("There is no file")) << main->lastError().toStdString();
    EXPECT_FALSE(QFile::exists(m_dir.filePath("missing.prunescope.sqlite")));  // not made by opening
    EXPECT_EQ(main->databasePath(), m_dir.filePath("runs.sqlite"));
    EXPECT_EQ(main->recentDatabases(), QStringList{m_dir.filePath("runs.sqlite")});
}

TEST_F(DesktopIntegrationTest, RecentDatabasesAreRememberedAcrossStartsAndOpenFromTheMenu)
{
    const TemporarySettings settings(m_dir.filePath("settings"));
    const QString first = m_dir.filePath("first.prunescope.sqlite");
    const QString second = m_dir.filePath("second.prunescope.sqlite");
    writeDatabaseWithRun(first, "first");
    writeDatabaseWithRun(second, "second");
    {
        auto main = window(first, /*persistSettings=*/true);
        ASSERT_TRUE(main->openDatabase(second));
    }
    EXPECT_TRUE(QFile::exists(m_dir.filePath("settings/PruneScopeDesktopTest/PruneScopeDesktopTest.conf")));

    auto again = window(m_dir.filePath("runs.sqlite"), /*persistSettings=*/true);
    EXPECT_EQ(again->recentDatabases(), (QStringList{m_dir.filePath("runs.sqlite"), second, first}));
    auto* recent = again->findChild<QMenu*>("recentDatabasesMenu");
    ASSERT_NE(recent, nullptr);
    QAction* openFirst = nullptr;
    for (QAction* action : recent->actions())
        if (action->data().toString() == first)
            openFirst = action;
    ASSERT_NE(openFirst, nullptr);
    EXPECT_TRUE(openFirst->text().contains("first.prunescope.sqlite"));
    openFirst->trigger();
    EXPECT_EQ(again->databasePath(), first);
    EXPECT_EQ(shownRuns(*again), 1);
    EXPECT_EQ(again->recentDatabases().first(), first);
}

TEST_F(DesktopIntegrationTest, HelpAboutShowsTheVersionsAndLicences)
{
    auto main = window(m_dir.filePath("runs.sqlite"));
    QAction* about = menuAction(*main, "About PruneScope");
    ASSERT_NE(about, nullptr);
    about->trigger();
    ASSERT_NE(main->aboutDialog(), nullptr);
    EXPECT_TRUE(main->aboutDialog()->isVisible());
    const QString text = main->aboutDialog()->findChild<QTextBrowser*>("aboutText")->toPlainText();
    EXPECT_TRUE(text.contains(QStringLiteral("PruneScope " PRUNESCOPE_VERSION)));
    EXPECT_TRUE(
        text.contains(QRegularExpression(QStringLiteral("Qt\\s+%1").arg(QRegularExpression::escape(qVersion())))))
        << text.toStdString();
    EXPECT_TRUE(text.contains(QRegularExpression("LibTorch\\s+1\\.13\\."))) << text.toStdString();
    EXPECT_TRUE(text.contains(QRegularExpression("SQLite\\s+3\\.\\d+"))) << text.toStdString();
    for (const char* licence : {"MIT", "LGPL 3", "GPL 3", "BSD 3-clause", "public domain"})
        EXPECT_TRUE(text.contains(licence)) << licence;
    EXPECT_TRUE(text.contains(m_dir.filePath("runs.sqlite")));
}

// A first start on a machine without Fashion-MNIST: the package's folder and the download folder
// are empty (PRUNESCOPE_SYSTEM_DATASETS and XDG_DATA_HOME point into the test's folder).
TEST_F(DesktopIntegrationTest, AFirstStartWithoutTheDatasetSaysWhereAndHowToGetIt)
{
    const QByteArray savedSystem = qgetenv("PRUNESCOPE_SYSTEM_DATASETS");
    const QByteArray savedXdg = qgetenv("XDG_DATA_HOME");
    qputenv("PRUNESCOPE_SYSTEM_DATASETS", m_dir.filePath("system").toUtf8());
    qputenv("XDG_DATA_HOME", m_dir.filePath("xdg").toUtf8());
    auto restore = qScopeGuard([&] {
        savedSystem.isNull() ? qunsetenv("PRUNESCOPE_SYSTEM_DATASETS")
                             : qputenv("PRUNESCOPE_SYSTEM_DATASETS", savedSystem);
        savedXdg.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", savedXdg);
    });

    auto main = window(m_dir.filePath("runs.sqlite"));
    EXPECT_EQ(main->currentConfig().dataset.directory,
              m_dir.filePath("xdg/PruneScope/datasets/fashion-mnist").toStdString());
    DataGuidance* guidance = main->dataGuidance();
    ASSERT_NE(guidance, nullptr);
    EXPECT_TRUE(guidance->isVisible());
    const QString text = guidance->text();
    EXPECT_TRUE(text.contains("Fashion-MNIST is not installed")) << text.toStdString();
    EXPECT_TRUE(text.contains(m_dir.filePath("system/fashion-mnist"))) << text.toStdString();
    EXPECT_TRUE(text.contains("sudo apt install dataset-fashion-mnist"));
    EXPECT_TRUE(text.contains("prunescope-cli download fashion-mnist"));
    EXPECT_TRUE(guidance->findChild<QPushButton*>("dataGuidanceChooseFolder")->isVisible());
    EXPECT_TRUE(guidance->findChild<QPushButton*>("dataGuidanceDownload")->isVisible());
    EXPECT_EQ(main->findChild<QWidget*>("errorBox"), nullptr);  // guidance, not an error box

    // Choose folder…: a folder with the files, and the guidance goes.
    const QString data = m_dir.filePath("my-fashion-mnist");
    writeSyntheticIdxDataset(data.toStdString(), 60, 20);
    main->useDataFolder(data);
    EXPECT_EQ(main->currentConfig().dataset.directory, data.toStdString());
    EXPECT_FALSE(guidance->isVisible());

    // An empty folder chosen in the setup brings it back, naming that folder.
    QDir().mkpath(m_dir.filePath("empty"));
    main->useDataFolder(m_dir.filePath("empty"));
    EXPECT_TRUE(guidance->isVisible());
    EXPECT_TRUE(guidance->text().contains(m_dir.filePath("empty")));
}

TEST_F(DesktopIntegrationTest, WithTheDatasetInstalledThereIsNoGuidance)
{
    const QByteArray savedSystem = qgetenv("PRUNESCOPE_SYSTEM_DATASETS");
    qputenv("PRUNESCOPE_SYSTEM_DATASETS", m_dir.filePath("system").toUtf8());
    auto restore = qScopeGuard([&] {
        savedSystem.isNull() ? qunsetenv("PRUNESCOPE_SYSTEM_DATASETS")
                             : qputenv("PRUNESCOPE_SYSTEM_DATASETS", savedSystem);
    });
    writeSyntheticIdxDataset(m_dir.filePath("system/fashion-mnist").toStdString(), 60, 20);
    auto main = window(m_dir.filePath("runs.sqlite"));
    EXPECT_EQ(main->currentConfig().dataset.directory, m_dir.filePath("system/fashion-mnist").toStdString());
    EXPECT_FALSE(main->dataGuidance()->isVisible());
}
