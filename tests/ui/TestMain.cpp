// The UI test programs' main: a QApplication (offscreen unless told otherwise) around GoogleTest.
// Offscreen, the screen is a laptop's: 1366 × 768 logical pixels, whatever QT_SCALE_FACTOR says
// (at 2 it has 2732 × 1536 device pixels), so windows are sized and restored as on one.
#include <QApplication>
#include <QFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    QTemporaryDir screenConfig;
    const QByteArray platform = qgetenv("QT_QPA_PLATFORM");
    if ((platform.isEmpty() || platform == "offscreen") && screenConfig.isValid()) {
        const double scale = qEnvironmentVariableIsSet("QT_SCALE_FACTOR") ? qgetenv("QT_SCALE_FACTOR").toDouble() : 1.0;
        QFile config(screenConfig.filePath("screens.json"));
        if (config.open(QIODevice::WriteOnly)) {
            config.write(
                QStringLiteral("{\"windowFrameMargins\": false, \"screens\": [{\"name\": \"laptop\", \"x\": 0, "
                               "\"y\": 0, \"width\": %1, \"height\": %2, \"logicalDpi\": 96, "
                               "\"logicalBaseDpi\": 96, \"dpr\": 1}]}")
                    .arg(qRound(1366 * scale))
                    .arg(qRound(768 * scale))
                    .toUtf8());
            config.close();
            qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.fileName().toLocal8Bit());
        }
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
