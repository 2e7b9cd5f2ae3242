#include "MainWindow.h"

#include "ChartExport.h"
#include "ComparePage.h"
#include "DataGuidance.h"
#include "DatasetPicker.h"
#include "ExperimentWorker.h"
#include "HtmlReport.h"
#include "LayerSparsityChart.h"
#include "LayoutGuards.h"
#include "LiveRunPanel.h"
#include "MaskInspector.h"
#include "PresentationMode.h"
#include "PresetMenu.h"
#include "RunController.h"
#include "RunDetailsView.h"
#include "RunStore.h"
#include "RunsPage.h"
#include "SetupPanel.h"
#include "StoredRunReader.h"
#include "SweepDialog.h"
#include "TableExport.h"
#include "Theme.h"
#include "TrainingPage.h"
#include "UserGuide.h"
#include "experiment/Runner.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QChartView>
#include <QCloseEvent>
#include <QDate>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>
#include <utility>

namespace prunescope {
namespace {

// The local file a drag carries, or nothing: one local file (a folder or a web address is not a model).
QString droppedFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return {};
    const QFileInfo file(mime->urls().first().toLocalFile());
    return file.isFile() ? file.absoluteFilePath() : QString();
}

}  // namespace

MainWindow::MainWindow(const QString& databasePath, bool persistSettings, QWidget* parent)
    : MainWindow(databasePath, persistSettings, engineExecutor(), parent)
{
}

MainWindow::MainWindow(const QString& databasePath, bool persistSettings, ExperimentExecutor executor, QWidget* parent)
    : QMainWindow(parent), m_databasePath(databasePath), m_persistSettings(persistSettings)
{
    registerUiMetaTypes();
    setWindowTitle(tr("PruneScope"));
    setAcceptDrops(true);  // a TorchScript file dropped on the window becomes the model
    // A wheel over a field the user is not editing scrolls the form instead of changing it.
    qApp->installEventFilter(new FocusedWheelOnly(this));
    setStatusBar(new ElidingStatusBar);

    m_runs = new RunController(databasePath, std::move(executor), this);
    m_storedRuns = new StoredRunReader(databasePath, this);
    connect(m_storedRuns, &StoredRunReader::runRead, this, &MainWindow::drawStoredRun);
    connect(m_storedRuns, &StoredRunReader::readFailed, this,
            [this](qint64 runId, const QString& message) { showError(tr("Cannot show run %1").arg(runId), message); });
    m_setup = new SetupPanel;
    connect(m_setup, &SetupPanel::statusMessage, this, &MainWindow::showStatus);
    connect(m_setup, &SetupPanel::logMessage, this, &MainWindow::appendLog);
    connect(m_setup, &SetupPanel::errorOccurred, this, &MainWindow::showError);
    connect(m_setup, &SetupPanel::methodChanged, this, [this] {
        // An error about the previous method's run says nothing about this one.
        if (!m_statusError.isEmpty() && statusBar()->currentMessage() == m_statusError)
            statusBar()->clearMessage();
        m_statusError.clear();
    });

    m_mainSplitter = new QSplitter(this);
    m_mainSplitter->setObjectName("mainSplitter");
    m_mainSplitter->setChildrenCollapsible(false);
    m_mainSplitter->addWidget(m_setup);
    QWidget* runPanel = buildRunPanel();
    // What the pages hold (a long run name, a step list, a theme's wider style) must never widen
    // the window: the run panel asks for a fixed minimum, not its contents' (Ignored), and the
    // pages fit themselves into the room they get.
    runPanel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    runPanel->setMinimumSize(fontMetrics().averageCharWidth() * 70, fontMetrics().height() * 22);
    m_mainSplitter->addWidget(runPanel);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    setCentralWidget(m_mainSplitter);
    buildMenus();
    connectRunController();
    connectSweeps();

    m_presentation = new PresentationMode(m_tabs, this);
    // Presentation steps through the charts of the runs selected in the Runs tab.
    m_presentation->setRunSource(
        [this] {
            std::vector<qint64> ids;
            for (const StoredRun& run : m_runsPage->selectedRuns())
                ids.push_back(run.id);
            return ids;
        },
        [this](qint64 runId) { showStoredRun(runId); });
    setConfig(defaultExperiment());
    fitToScreen();  // the first start; a saved geometry replaces it
    // The setup pane wide enough for the method names, the charts the rest (and all of any
    // width added later: the setup pane does not stretch).
    const int setupWidth = std::clamp(width() * 8 / 25, m_setup->minimumWidth(), m_setup->minimumWidth() * 7 / 4);
    m_mainSplitter->setSizes({setupWidth, width() - setupWidth});
    if (m_persistSettings)
        restoreSettings();
    else
        applyTheme(isDark(m_theme), this);  // no saved choice: follow the system
    rememberDatabase(m_databasePath);
    refreshRuns();
    restoreLastRun();
    updateDataGuidance();
    statusBar()->showMessage(
        tr("Ready: press Run (Ctrl+R) to train, prune and fine-tune. Runs are stored in %1").arg(m_databasePath));
}

QIcon MainWindow::applicationIcon()
{
    return QIcon::fromTheme(QStringLiteral("io.github.prunescope.PruneScope"),
                            QIcon(QStringLiteral(":/icons/io.github.prunescope.PruneScope.svg")));
}

bool MainWindow::openDatabase(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (m_runs->isRunning()) {
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                  tr("A run is in progress and is being recorded in %1. Open another database when it has ended, "
                     "or cancel it first.")
                      .arg(m_databasePath));
        return false;
    }
    if (!QFileInfo(absolute).isFile()) {
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()),
                  tr("There is no file %1. A new run database is made by starting PruneScope with "
                     "--db PATH.")
                      .arg(absolute));
        return false;
    }
    try {
        // Opening checks the schema (and refuses a newer one); it migrates an older one.
        const RunStore probe(absolute);
        probe.listRuns();
    } catch (const std::exception& e) {
        showError(
            tr("Cannot open %1").arg(QFileInfo(path).fileName()),
            tr("%1 is not a run database PruneScope can read: %2").arg(absolute, QString::fromStdString(e.what())));
        return false;
    }
    m_databasePath = absolute;
    m_runs->setDatabasePath(absolute);
    m_storedRuns->setDatabasePath(absolute);
    m_comparePage->setDatabasePath(absolute);
    m_trainingPage->clear();
    m_sparsityChart->clear();
    m_runDetails->clear();
    m_runsPage->setDatabasePath(absolute);  // lists its runs: the Compare tab and the mask inspector follow
    rememberDatabase(absolute);
    setWindowTitle(tr("%1 — PruneScope").arg(QFileInfo(absolute).fileName()));
    appendLog(tr("opened the run database %1").arg(absolute));
    statusBar()->showMessage(tr("Runs are stored in %1").arg(absolute), 8000);
    return true;
}

QStringList MainWindow::recentDatabases() const
{
    return m_recentDatabases;
}

void MainWindow::rememberDatabase(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (m_recentDatabases.isEmpty() && m_persistSettings)
        m_recentDatabases = QSettings().value("databases/recent").toStringList();
    m_recentDatabases.removeAll(absolute);
    m_recentDatabases.prepend(absolute);
    while (m_recentDatabases.size() > kMaxRecentDatabases)
        m_recentDatabases.removeLast();
    if (m_persistSettings)
        QSettings().setValue("databases/recent", m_recentDatabases);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    int number = 0;
    for (const QString& path : m_recentDatabases) {
        ++number;
        const QString label = number < 10 ? QStringLiteral("&%1 %2").arg(number).arg(QFileInfo(path).fileName())
                                          : QFileInfo(path).fileName();
        QAction* action = m_recentMenu->addAction(label, this, [this, path] { openDatabase(path); });
        action->setToolTip(path);
        action->setStatusTip(path);
        action->setData(path);
        action->setCheckable(true);
        action->setChecked(path == m_databasePath);
        action->setEnabled(path == m_databasePath || QFileInfo(path).isFile());
    }
    m_recentMenu->setEnabled(!m_recentDatabases.isEmpty());
}

bool MainWindow::openConfigFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), file.errorString());
        return false;
    }
    try {
        setConfig(experimentFromJson(file.readAll().toStdString()));
    } catch (const std::exception& e) {
        showError(tr("Cannot use %1 as an experiment").arg(QFileInfo(path).fileName()),
                  QString::fromStdString(e.what()));
        return false;
    }
    appendLog(tr("experiment config read from %1").arg(QFileInfo(path).absoluteFilePath()));
    statusBar()->showMessage(tr("Experiment from %1: press Run (Ctrl+R)").arg(QFileInfo(path).fileName()), 8000);
    return true;
}

void MainWindow::useDataFolder(const QString& folder)
{
    ExperimentConfig config = currentConfig();
    config.dataset.directory = QDir::cleanPath(folder).toStdString();
    setConfig(config);
    appendLog(tr("dataset folder: %1").arg(folder));
}

void MainWindow::updateDataGuidance()
{
    if (m_dataGuidance)
        m_dataGuidance->update(currentConfig());
}

MainWindow::~MainWindow()
{
    // The worker thread ends (its run cancelled) before the pages it reports to go.
    delete m_runs;
}

QWidget* MainWindow::buildRunPanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    m_dataGuidance = new DataGuidance;
    connect(m_dataGuidance, &DataGuidance::chooseFolderClicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), QDir::homePath());
        if (!folder.isEmpty())
            useDataFolder(folder);
    });
    connect(m_dataGuidance, &DataGuidance::downloadClicked, this, [this] {
        if (auto* picker = m_setup->findChild<DatasetPicker*>())
            picker->startDownload();
    });
    if (auto* picker = m_setup->findChild<DatasetPicker*>()) {
        connect(picker, &DatasetPicker::changed, this, &MainWindow::updateDataGuidance);
        connect(picker, &DatasetPicker::inspected, this, &MainWindow::updateDataGuidance);
    }
    layout->addWidget(m_dataGuidance);
    m_liveRun = new LiveRunPanel;
    connect(m_liveRun, &LiveRunPanel::runClicked, this, &MainWindow::startRun);
    connect(m_liveRun, &LiveRunPanel::cancelClicked, this, &MainWindow::cancelRun);
    layout->addWidget(m_liveRun);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName("tabs");
    m_trainingPage = new TrainingPage;
    m_sparsityChart = new LayerSparsityChart;
    m_sparsityChart->setObjectName("sparsityChart");
    m_log = new QPlainTextEdit;
    m_log->setObjectName("log");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);
    m_runsPage = new RunsPage(m_databasePath);
    m_runsPage->setObjectName("runsPage");
    connect(m_runsPage, &RunsPage::showRunRequested, this, &MainWindow::showStoredRun);
    connect(m_runsPage, &RunsPage::rerunRequested, this, &MainWindow::rerun);
    connect(m_runsPage, &RunsPage::selectionChanged, this, &MainWindow::updateComparison);
    connect(m_runsPage, &RunsPage::runsChanged, this, &MainWindow::updateComparison);
    connect(m_runsPage, &RunsPage::runsChanged, this,
            [this] { m_maskInspector->setRunChoices(m_runsPage->allRuns()); });
    connect(m_runsPage, &RunsPage::statusMessage, this, &MainWindow::showStatus);
    connect(m_runsPage, &RunsPage::errorOccurred, this, &MainWindow::showError);
    m_runDetails = new RunDetailsView;
    m_runDetails->setObjectName("runDetails");
    m_maskInspector = new MaskInspector;
    m_maskInspector->setObjectName("maskInspector");
    m_comparePage = new ComparePage(m_databasePath);
    m_comparePage->setObjectName("comparePage");
    connect(m_comparePage, &ComparePage::logMessage, this, &MainWindow::appendLog);

    m_tabs->addTab(m_trainingPage, tr("&Training"));
    m_tabs->addTab(m_sparsityChart, tr("Layer &sparsity"));
    m_tabs->addTab(m_runsPage, tr("R&uns"));
    m_tabs->addTab(m_runDetails, tr("&Details"));
    m_tabs->addTab(m_maskInspector, tr("&Masks"));
    m_tabs->addTab(m_comparePage, tr("&Compare"));
    m_tabs->addTab(m_log, tr("&Log"));
    layout->addWidget(m_tabs, 1);
    return panel;
}

void MainWindow::connectRunController()
{
    // The panel first: when runEnded is emitted below, it already shows the ending.
    m_liveRun->follow(*m_runs);
    connect(m_runs, &RunController::runningChanged, this, [this](bool running) {
        m_runAction->setEnabled(!running);
        m_sweepAction->setEnabled(!running);
        m_cancelAction->setEnabled(running);
        if (!running)
            m_runsPage->setActiveRun(0);
    });
    connect(m_runs, &RunController::runStarted, this, [this](qint64 runId) {
        // The status bar speaks of this run only: whatever an earlier run left there goes.
        showStatus(m_runs->isSweeping() ? tr("Sweep: run %1 is training…").arg(runId)
                                        : tr("Run %1 is training…").arg(runId));
        m_runsPage->setActiveRun(runId);
        appendLog(tr("run %1 recorded in %2").arg(runId).arg(m_databasePath));
        refreshRuns();
    });
    connect(m_runs, &RunController::epoch, this, [this](const EpochMetrics& m) {
        m_trainingPage->addEpoch(m);
        appendLog(QStringLiteral("%1 epoch %2: train loss %3, validation accuracy %4 %")
                      .arg(QString::fromStdString(m.phase))
                      .arg(m.epoch)
                      .arg(m.trainLoss, 0, 'f', 4)
                      .arg(m.validationAccuracy * 100, 0, 'f', 2));
    });
    connect(m_runs, &RunController::pruningStep, this,
            [this](const PruningStep& step) { m_sparsityChart->setLayers(step.layers, step.step); });
    connect(m_runs, &RunController::log, this, &MainWindow::appendLog);
    connect(m_runs, &RunController::finished, this, [this](qint64 runId, const RunSummary& s) {
        statusBar()->showMessage(
            tr("Run %1 finished: test accuracy %2 %").arg(runId).arg(s.testAccuracy * 100, 0, 'f', 2));
        appendLog(tr("run %1 finished in %2 s").arg(runId).arg(s.durationSeconds, 0, 'f', 1));
        refreshRuns();
        // The finished run is the selected one: Details, Masks and Layer sparsity show it, and
        // Compare follows the selection. The tab one is watching stays.
        m_runsPage->selectRun(runId);
        showRun(runId, ShowRun::InBackground);
        Q_EMIT runEnded(runId, QStringLiteral("finished"));
    });
    connect(m_runs, &RunController::cancelled, this, [this](qint64 runId) {
        statusBar()->showMessage(tr("Run %1 cancelled; it is kept in the runs list as cancelled").arg(runId));
        appendLog(tr("run %1 cancelled").arg(runId));
        refreshRuns();
        Q_EMIT runEnded(runId, QStringLiteral("cancelled"));
    });
    connect(m_runs, &RunController::failed, this, [this](qint64 runId, const QString& message) {
        refreshRuns();
        showError(tr("Run %1 failed").arg(runId), message);
        Q_EMIT runEnded(runId, QStringLiteral("failed"));
    });
}

ExperimentConfig MainWindow::currentConfig() const
{
    return m_setup->config();
}

void MainWindow::setConfig(const ExperimentConfig& config)
{
    m_setup->setConfig(config);
    updateDataGuidance();
}

bool MainWindow::isRunning() const
{
    return m_runs->isRunning();
}

bool MainWindow::useModelFile(const QString& path)
{
    return m_setup->useModelFile(path);
}

bool MainWindow::startRun()
{
    if (m_runs->isRunning())
        return false;
    const ExperimentConfig config = currentConfig();
    // Refused before anything is stored; the reason is shown next to the field at fault.
    if (const std::optional<QString> problem = m_setup->check()) {
        m_lastError = *problem;
        appendLog(tr("Cannot start the experiment: %1").arg(*problem));
        statusBar()->showMessage(tr("Cannot start the experiment: %1").arg(*problem));
        return false;
    }
    m_setup->keepAsBase(config);
    m_storedRuns->discard();  // the charts are the live run's now
    m_trainingPage->clear();
    m_sparsityChart->clear();
    m_liveRun->showStarting();
    m_tabs->setCurrentWidget(m_trainingPage);  // the live curves are what one watches now
    appendLog(tr("— starting: %1").arg(QString::fromStdString(config.name)));
    showStatus(tr("Starting: %1").arg(QString::fromStdString(config.name)));
    return m_runs->start(config);
}

void MainWindow::openSweepDialog()
{
    if (m_runs->isRunning())
        return;
    auto* dialog = new SweepDialog(currentConfig(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { startSweep(dialog->plan()); });
    dialog->open();
}

bool MainWindow::startSweep(const SweepPlan& plan)
{
    if (m_runs->isRunning())
        return false;
    std::vector<ExperimentConfig> points;
    try {
        points = sweepPoints(plan);
        for (const auto& point : points)  // every point before any runs, as the CLI does
            validateExperiment(point);
    } catch (const std::exception& e) {
        showError(tr("Cannot start the sweep"), QString::fromStdString(e.what()));
        return false;
    }
    m_storedRuns->discard();
    m_trainingPage->clear();
    m_sparsityChart->clear();
    m_liveRun->showStarting();
    m_tabs->setCurrentWidget(m_trainingPage);
    appendLog(tr("— sweep \"%1\": %n run(s)", "", int(points.size())).arg(QString::fromStdString(plan.name)));
    showStatus(tr("Sweep: %n run(s) queued", "", int(points.size())));
    return m_runs->startSweep(plan, points);
}

void MainWindow::connectSweeps()
{
    // Each run of a sweep draws its curves afresh; its ending is logged, and the runs list grows.
    connect(m_runs, &RunController::runStarted, this, [this] {
        if (m_runs->isSweeping()) {
            m_trainingPage->clear();
            m_sparsityChart->clear();
        }
    });
    connect(m_runs, &RunController::sweepRunEnded, this,
            [this](int index, int runs, qint64 runId, const QString& status, const QString& error) {
                appendLog(tr("sweep run %1 of %2 (run %3) %4%5")
                              .arg(index + 1)
                              .arg(runs)
                              .arg(runId)
                              .arg(status, error.isEmpty() ? QString() : QStringLiteral(": ") + error));
                refreshRuns();
            });
    connect(m_runs, &RunController::sweepEnded, this,
            [this](qint64 sweepId, int finishedRuns, bool cancelled, const QString& error) {
                refreshRuns();
                std::vector<StoredRun> runs;
                for (const StoredRun& run : m_runsPage->allRuns())
                    if (run.sweepId == sweepId && sweepId > 0)
                        runs.push_back(run);
                const QString status = !error.isEmpty() ? QStringLiteral("failed")
                    : cancelled                         ? QStringLiteral("cancelled")
                                                        : QStringLiteral("finished");
                m_liveRun->showSweepEnded(status, finishedRuns, int(runs.size()));
                if (!error.isEmpty())
                    showError(tr("Sweep %1 stopped").arg(sweepId), error);
                else
                    showStatus(cancelled ? tr("Sweep %1 cancelled: %2 run(s) finished and kept; the rest dropped")
                                               .arg(sweepId)
                                               .arg(finishedRuns)
                                         : tr("Sweep %1 finished: %2 run(s), compared in the Compare tab")
                                               .arg(sweepId)
                                               .arg(finishedRuns));
                // The sweep's runs side by side, mean ± sd over its seeds.
                if (!runs.empty()) {
                    m_comparePage->compare(runs, runs);
                    m_tabs->setCurrentWidget(m_comparePage);
                }
                Q_EMIT sweepEnded(sweepId, status);
            });
}

void MainWindow::cancelRun()
{
    if (!m_runs->isRunning())
        return;
    m_runs->cancel();
    m_liveRun->showCancelling();
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_lastError = message;
    appendLog(title + ": " + message);
    m_statusError = title + ": " + message;
    statusBar()->showMessage(m_statusError);
    // Window-modal but not blocking: the event loop (and a running experiment's signals) go on.
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
    box->setObjectName("errorBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::appendLog(const QString& message)
{
    m_log->appendPlainText(QTime::currentTime().toString("HH:mm:ss  ") + message);
}

void MainWindow::showStatus(const QString& message, int timeoutMs)
{
    statusBar()->showMessage(message, timeoutMs);
}

void MainWindow::refreshRuns()
{
    m_runsPage->refresh();
}

void MainWindow::updateComparison()
{
    m_comparePage->compare(m_runsPage->selectedRuns(), m_runsPage->allRuns());
}

void MainWindow::showStoredRun(qint64 runId)
{
    showRun(runId, ShowRun::Open);
}

void MainWindow::showRun(qint64 runId, ShowRun how)
{
    m_showing = how;
    m_storedRuns->read(runId);
}

void MainWindow::drawStoredRun(const StoredRunData& data)
{
    const StoredRun& run = data.run;
    const std::vector<PruningStep>& steps = data.steps;
    m_trainingPage->setEpochs(data.epochs);
    if (!steps.empty())
        m_sparsityChart->setLayers(steps.back().layers, steps.back().step);
    else
        m_sparsityChart->clear();
    if (m_showing == ShowRun::Open)
        m_liveRun->setSummary(
            tr("<b>Stored run %1</b> (%2) · %3")
                .arg(run.id)
                .arg(QString::fromLatin1(statusName(run.status)), QString::fromStdString(run.name).toHtmlEscaped()));
    m_runDetails->setRun(run, steps.empty() ? std::vector<LayerStats>{} : steps.back().layers);
    if (const std::shared_ptr<RunStore> store = m_runsPage->store()) {
        m_maskInspector->setStore(store);
        try {
            m_maskInspector->setRun(run.id);
        } catch (const std::exception& e) {
            showError(tr("Cannot show the masks of run %1").arg(run.id), QString::fromStdString(e.what()));
        }
    }
    if (m_showing == ShowRun::Open)
        m_tabs->setCurrentWidget(m_runDetails);
    Q_EMIT storedRunShown(run.id);
}

void MainWindow::deleteSelectedRun()
{
    m_runsPage->deleteSelectedRun();
}

void MainWindow::rerunSelectedRun()
{
    m_runsPage->rerunSelectedRun();
}

void MainWindow::rerun(const StoredRun& run)
{
    if (m_runs->isRunning())
        return;
    // The stored config is the whole experiment (seed included): the setup shows it, then it runs.
    setConfig(run.config);
    appendLog(tr("— re-running run %1 with its stored config").arg(run.id));
    startRun();
}

void MainWindow::togglePresentation()
{
    if (m_presentation->isActive()) {
        m_presentation->stop();
        return;
    }
    if (!m_presentation->start(m_presentFullScreen))
        statusBar()->showMessage(tr("This tab has no chart to present: choose Training, Layer sparsity or Compare"),
                                 5000);
}

void MainWindow::setTheme(ThemeChoice choice)
{
    m_theme = choice;
    applyTheme(isDark(choice), this);
    updateComparison();  // its series are rebuilt in the new theme
    for (QAction* action : findChildren<QAction*>())
        if (action->isCheckable() && action->data().toString() == themeName(choice))
            action->setChecked(true);
    if (m_persistSettings)
        QSettings().setValue("view/theme", themeName(choice));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    // Every named splitter (the main one, the pages' own) as the user left it.
    for (QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            splitter->restoreState(settings.value("window/splitter/" + splitter->objectName()).toByteArray());
    m_tabs->setCurrentIndex(std::clamp(settings.value("view/tab", 0).toInt(), 0, m_tabs->count() - 1));
    m_runToRestore = settings.value("runs/selected", 0).toLongLong();
    setTheme(themeFromName(settings.value("view/theme", "system").toString()));
    const QString saved = settings.value("experiment/last").toString();
    if (saved.isEmpty())
        return;
    try {
        setConfig(experimentFromJson(saved.toStdString()));
    } catch (const std::exception& e) {
        appendLog(tr("the saved setup could not be read (%1); using the default experiment")
                      .arg(QString::fromStdString(e.what())));
    }
}

void MainWindow::fitToScreen()
{
    const QRect available = screen()->availableGeometry();
    // The title bar and the frame come on top of the size given here.
    resize(std::min(1280, available.width() - 16), std::min(860, available.height() - 48));
}

void MainWindow::restoreLastRun()
{
    const qint64 runId = std::exchange(m_runToRestore, 0);
    if (runId > 0 && m_runsPage->selectRun(runId))
        showRun(runId, ShowRun::InBackground);  // the restored tab stays in front
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    for (const QSplitter* splitter : findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            settings.setValue("window/splitter/" + splitter->objectName(), splitter->saveState());
    settings.setValue("view/tab", m_tabs->currentIndex());
    const std::vector<StoredRun> selected = m_runsPage->selectedRuns();
    settings.setValue("runs/selected", selected.empty() ? qint64(0) : qint64(selected.front().id));
    settings.setValue("experiment/last", QString::fromStdString(toJson(currentConfig(), -1)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_runs->isRunning()) {
        const auto answer
            = QMessageBox::question(this, tr("A run is in progress"),
                                    tr("Cancel the running experiment and quit? It will be stored as cancelled."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_runs->cancel();
    }
    if (m_persistSettings)
        saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedFile(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    useModelFile(path);
}

}  // namespace prunescope
