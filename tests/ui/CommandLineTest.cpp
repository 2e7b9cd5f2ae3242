// The window program's command line as a file manager and a package check use it: a run database
// given as the file argument (the desktop entry's Exec=prunescope %f) is opened and remembered,
// --quit-after-show starts and quits, --version names the libraries. Through the real executable.
#include "RunStore.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace prunescope;

#ifdef PRUNESCOPE_GUI_EXECUTABLE
namespace {

// The program with its settings and data under `home` (XDG folders), offscreen.
QProcessEnvironment isolatedEnvironment(const QTemporaryDir& home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("HOME", home.path());
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    env.insert("XDG_DATA_HOME", home.filePath("data"));
    env.insert("XDG_CACHE_HOME", home.filePath("cache"));
    return env;
}

}  // namespace

TEST(CommandLineTest, ADatabaseGivenAsTheFileIsOpenedAndRemembered)
{
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    const QString database = home.filePath("study.prunescope.sqlite");
    {
        RunStore store(database);
        store.beginRun(defaultExperiment(), "test");
    }
    QProcess process;
    process.setProcessEnvironment(isolatedEnvironment(home));
    process.start(PRUNESCOPE_GUI_EXECUTABLE, {"--quit-after-show", database});
    ASSERT_TRUE(process.waitForFinished(120000));
    EXPECT_EQ(process.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(process.exitCode(), 0) << process.readAllStandardError().toStdString();
    EXPECT_TRUE(process.readAllStandardOutput().contains("the window was shown"));

    const QSettings settings(home.filePath("config/PruneScope/PruneScope.conf"), QSettings::IniFormat);
    const QStringList recent = settings.value("databases/recent").toStringList();
    EXPECT_EQ(recent, QStringList{database});  // and not the default database
}

TEST(CommandLineTest, VersionNamesPruneScopeQtLibTorchAndSqlite)
{
    QTemporaryDir home;
    QProcess process;
    process.setProcessEnvironment(isolatedEnvironment(home));
    process.start(PRUNESCOPE_GUI_EXECUTABLE, {"--version"});
    ASSERT_TRUE(process.waitForFinished(60000));
    EXPECT_EQ(process.exitCode(), 0);
    const QString out = QString::fromUtf8(process.readAllStandardOutput());
    EXPECT_TRUE(out.startsWith(QStringLiteral("prunescope (PruneScope) " PRUNESCOPE_VERSION "\n")))
        << out.toStdString();
    EXPECT_TRUE(out.contains(QStringLiteral("\nQt %1").arg(qVersion()))) << out.toStdString();
    EXPECT_TRUE(out.contains("\nLibTorch 1.13.")) << out.toStdString();
    EXPECT_TRUE(QRegularExpression("\nSQLite 3\\.\\d+\\.\\d+\n").match(out).hasMatch()) << out.toStdString();
}
#endif
