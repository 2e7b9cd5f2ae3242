// prunescope: the workbench window, and a headless figure export that reuses its charts:
//   prunescope --db runs.sqlite --export-sweep-chart 3 --x compression --out sweep.png
//   prunescope study.prunescope.sqlite      (a file manager's double-click: .desktop Exec=prunescope %f)
#include "ChartExport.h"
#include "MainWindow.h"
#include "RunStore.h"
#include "VersionText.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <map>
#include <vector>

namespace {

// The export, --help and --version draw no window: they must work on a machine without a display
// (help2man runs --help and --version while building the man page).
bool needsNoDisplay(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--export-sweep-chart", 20) == 0
            || std::strncmp(argv[i], "--export-runs-chart", 19) == 0 || std::strcmp(argv[i], "--help") == 0
            || std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--version") == 0
            || std::strcmp(argv[i], "-v") == 0)
            return true;
    }
    return false;
}

int usageError(const QString& message)
{
    std::fprintf(stderr, "prunescope: %s\n(see prunescope --help)\n", qPrintable(message));
    return 2;
}

}  // namespace

int main(int argc, char* argv[])
{
    if (needsNoDisplay(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QApplication::setApplicationName("PruneScope");
    QApplication::setOrganizationName("PruneScope");
    QApplication::setApplicationVersion(PRUNESCOPE_VERSION);
    // The desktop entry's name: Wayland compositors find the window's icon through it.
    QGuiApplication::setDesktopFileName("io.github.prunescope.PruneScope");
    QApplication::setWindowIcon(prunescope::MainWindow::applicationIcon());

    QCommandLineParser parser;
    parser.setApplicationDescription("PruneScope: a workbench for neural-network pruning experiments");
    parser.addHelpOption();
    QCommandLineOption version(QStringList{"v", "version"},
                               "Displays the versions of PruneScope, Qt, LibTorch and SQLite.");
    QCommandLineOption db("db",
                          "Run database (default: ~/.local/share/PruneScope/runs.sqlite). File > Open opens "
                          "another one; the last few are under File > Open recent.",
                          "path", prunescope::RunStore::defaultPath());
    QCommandLineOption quick("quick", "Start with a quick setup: a data subset, 3 dense epochs, 1 fine-tune epoch.");
    QCommandLineOption run("run", "Start the experiment right away.");
    QCommandLineOption fresh("default", "Ignore the saved setup and open the default experiment.");
    QCommandLineOption exportSweep(
        "export-sweep-chart",
        "Without opening the window: save the comparison chart of a sweep's runs "
        "(accuracy vs --x, one series per method, mean ± sd over seeds) to --out, then exit.",
        "sweep-id");
    QCommandLineOption exportRuns(
        "export-runs-chart",
        "The same for a list of runs, e.g. 4,5,9 (structured and unstructured against --x latency).", "run-ids");
    QCommandLineOption xAxis("x",
                             "The comparison's x axis: compression (default), macs (effective MACs), latency "
                             "(measured, batch 64) or bytes (sparse-encoded size).",
                             "axis", "compression");
    QCommandLineOption out("out", "The figure to write: FILE.png or FILE.svg.", "file");
    QCommandLineOption size("size", "The figure's size in pixels, WIDTHxHEIGHT (default 1200x750).", "size",
                            "1200x750");
    QCommandLineOption scale("scale", "PNG pixels per figure pixel (default 1; 2 for high-DPI).", "factor", "1");
    QCommandLineOption quitAfterShow("quit-after-show",
                                     "Quit as soon as the window has been shown (a start-up check for packages "
                                     "and CI; exit code 0 when the window came up).");
    parser.addOptions(
        {version, db, quick, run, fresh, exportSweep, exportRuns, xAxis, out, size, scale, quitAfterShow});
    parser.addPositionalArgument("file",
                                 "A run database (NAME.prunescope.sqlite, opened instead of --db) or an experiment "
                                 "config (NAME.prunescope.json or any .json, shown in the setup).",
                                 "[file]");
    parser.process(app);
    if (parser.isSet(version)) {
        std::fputs(prunescope::versionText("prunescope").c_str(), stdout);
        return 0;
    }
    if (parser.positionalArguments().size() > 1)
        return usageError("give at most one file: a run database or an experiment config");

    if (parser.isSet(exportSweep) || parser.isSet(exportRuns)) {
        bool ok = false;
        qint64 sweepId = 0;
        std::vector<int64_t> runIds;
        if (parser.isSet(exportSweep) == parser.isSet(exportRuns))
            return usageError("give either --export-sweep-chart SWEEP or --export-runs-chart RUN,RUN,…");
        if (parser.isSet(exportSweep)) {
            sweepId = parser.value(exportSweep).toLongLong(&ok);
            if (!ok || sweepId <= 0)
                return usageError(QString("--export-sweep-chart needs a sweep id (a positive number), not \"%1\"")
                                      .arg(parser.value(exportSweep)));
        } else {
            for (const QString& part : parser.value(exportRuns).split(',', Qt::SkipEmptyParts)) {
                const qint64 id = part.trimmed().toLongLong(&ok);
                if (!ok || id <= 0)
                    return usageError(QString("--export-runs-chart needs run ids like 4,5,9, not \"%1\"")
                                          .arg(parser.value(exportRuns)));
                runIds.push_back(id);
            }
            if (runIds.empty())
                return usageError("--export-runs-chart needs at least one run id");
        }
        const QString axisName = parser.value(xAxis).toLower();
        const std::map<QString, prunescope::SweepChartAxis> axes
            = {{"compression", prunescope::SweepChartAxis::Compression},
               {"macs", prunescope::SweepChartAxis::EffectiveMacs},
               {"latency", prunescope::SweepChartAxis::Latency},
               {"bytes", prunescope::SweepChartAxis::Bytes}};
        if (!axes.count(axisName))
            return usageError(
                QString("--x must be compression, macs, latency or bytes, not \"%1\"").arg(parser.value(xAxis)));
        if (!parser.isSet(out))
            return usageError("--out FILE.png or FILE.svg is required with --export-sweep-chart");
        const auto match = QRegularExpression("^(\\d{2,5})x(\\d{2,5})$").match(parser.value(size));
        if (!match.hasMatch())
            return usageError(QString("--size must look like 1200x750, not \"%1\"").arg(parser.value(size)));
        const double factor = parser.value(scale).toDouble(&ok);
        if (!ok || factor <= 0 || factor > 8)
            return usageError(QString("--scale must be a number between 0 and 8, not \"%1\"").arg(parser.value(scale)));
        QString error;
        const QSize figureSize(match.captured(1).toInt(), match.captured(2).toInt());
        const bool written = sweepId > 0 ? prunescope::exportSweepChart(parser.value(db), sweepId, axes.at(axisName),
                                                                        parser.value(out), figureSize, factor, &error)
                                         : prunescope::exportRunsChart(parser.value(db), runIds, axes.at(axisName),
                                                                       parser.value(out), figureSize, factor, &error);
        if (!written) {
            std::fprintf(stderr, "prunescope: error: %s\n", qPrintable(error));
            return 1;
        }
        std::printf("%s\n", qPrintable(parser.value(out)));
        return 0;
    }

    QString databasePath = parser.value(db);
    QString configFile;
    if (!parser.positionalArguments().isEmpty()) {
        const QString file = parser.positionalArguments().first();
        if (file.endsWith(".json", Qt::CaseInsensitive))
            configFile = file;
        else
            databasePath = QFileInfo(file).absoluteFilePath();
    }
    prunescope::MainWindow window(databasePath, /*persistSettings=*/!parser.isSet(fresh) && !parser.isSet(quick));
    if (!configFile.isEmpty())
        window.openConfigFile(configFile);
    if (parser.isSet(quick)) {
        prunescope::ExperimentConfig config = prunescope::defaultExperiment();
        config.dataset.trainLimit = 10000;
        config.dataset.testLimit = 2000;
        config.denseTraining.epochs = 3;
        config.fineTuning.epochs = 1;
        window.setConfig(config);
    }
    window.show();
    if (parser.isSet(run))
        QTimer::singleShot(0, &window, &prunescope::MainWindow::startRun);
    if (parser.isSet(quitAfterShow)) {
        // Queued behind the first show's events: the window has been laid out and painted once.
        QTimer::singleShot(0, &window, [&window] {
            std::printf("prunescope: the window was shown (%dx%d)\n", window.width(), window.height());
            std::fflush(stdout);
            QApplication::exit(window.isVisible() ? 0 : 1);
        });
    }
    return app.exec();
}
