// prunescope: the workbench window.
#include "MainWindow.h"
#include "RunStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName("PruneScope");
    QApplication::setOrganizationName("PruneScope");
    QApplication::setApplicationVersion(PRUNESCOPE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("PruneScope: a workbench for neural-network pruning experiments");
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption db("db", "Run database (default: ~/.local/share/PruneScope/runs.sqlite).", "path",
                          prunescope::RunStore::defaultPath());
    QCommandLineOption quick("quick", "Start with a quick setup: a data subset, 3 dense epochs, 1 fine-tune epoch.");
    QCommandLineOption run("run", "Start the experiment right away.");
    QCommandLineOption fresh("default", "Ignore the saved setup and open the default experiment.");
    parser.addOptions({db, quick, run, fresh});
    parser.process(app);

    prunescope::MainWindow window(parser.value(db), /*persistSettings=*/!parser.isSet(fresh) && !parser.isSet(quick));
    if (parser.isSet(quick)) {
        prunescope::ExperimentConfig config = prunescope::defaultExperiment();
        config.dataset.trainLimit = 10000;
        config.dataset.testLimit = 2000;
        config.denseTraining.epochs = 3;
        config.fineTuning.epochs = 1;
        window.setConfig(config);
    }
    window.resize(1280, 820);
    window.show();
    if (parser.isSet(run))
        QTimer::singleShot(0, &window, &prunescope::MainWindow::startRun);
    return app.exec();
}
