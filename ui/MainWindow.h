#pragma once
// The workbench window: it assembles the pages (the setup panel on the left; the live run, the
// training curves, layer sparsity, runs, details, masks, compare and log tabs in the centre)
// and owns the menus, their actions and the status bar. Experiments run through a
// RunController on its own worker thread.

#include "RunRecording.h"
#include "SweepRecording.h"
#include "Theme.h"
#include "UiTypes.h"

#include <QIcon>
#include <QMainWindow>
#include <QStringList>

class QMenu;
class QPlainTextEdit;
class QSplitter;
class QTabWidget;

namespace prunescope {

class AboutDialog;
class ComparePage;
class DataGuidance;
class LayerSparsityChart;
class LiveRunPanel;
class MaskInspector;
class PresentationMode;
class RunController;
class RunDetailsView;
class RunsPage;
class SetupPanel;
class StoredRunReader;
class TrainingPage;
class UserGuideDialog;
struct StoredRun;
struct StoredRunData;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // persistSettings: restore the last setup at start and save it on close (off in tests).
    // Runs execute on the engine (runExperiment).
    explicit MainWindow(const QString& databasePath, bool persistSettings = true, QWidget* parent = nullptr);
    // Runs execute on `executor` instead (tests hand in a scripted fake engine).
    MainWindow(const QString& databasePath, bool persistSettings, ExperimentExecutor executor,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // Tests present in a normal window: offscreen there is no screen to fill.
    void setPresentationFullScreen(bool fullScreen) { m_presentFullScreen = fullScreen; }
    PresentationMode* presentation() const { return m_presentation; }
    // Help ▸ Contents (F1); nullptr until first opened.
    UserGuideDialog* userGuide() const { return m_userGuide; }
    void showUserGuide();
    // Help ▸ About: versions and licences; nullptr until first opened.
    AboutDialog* aboutDialog() const { return m_about; }
    void showAbout();

    // The icon of the desktop entry (the theme's, else the one compiled in).
    static QIcon applicationIcon();

    // The run database the window reads and records into.
    QString databasePath() const { return m_databasePath; }
    // File ▸ Open (and a file given on the command line): shows another run database's runs and
    // records new runs there. Refused, with the reason shown, while a run is in progress or when
    // the file is not a run database PruneScope can read. Remembered among the recent databases.
    bool openDatabase(const QString& path);
    // File ▸ Open recent: the databases opened last, newest first (at most kMaxRecentDatabases;
    // kept in QSettings when the window persists its settings).
    QStringList recentDatabases() const;
    static constexpr int kMaxRecentDatabases = 8;
    // An experiment config file (JSON, e.g. NAME.prunescope.json) into the setup; false, with the
    // reason shown, when it cannot be read.
    bool openConfigFile(const QString& path);

    // The first-start guidance shown while the setup's dataset is not installed.
    DataGuidance* dataGuidance() const { return m_dataGuidance; }
    // The guidance's "Choose folder…": the setup's dataset is read from `folder`.
    void useDataFolder(const QString& folder);

    ExperimentConfig currentConfig() const;
    void setConfig(const ExperimentConfig& config);
    bool isRunning() const;
    QString lastError() const { return m_lastError; }
    RunController* runController() const { return m_runs; }
    ComparePage* comparePage() const { return m_comparePage; }

public Q_SLOTS:
    // Validates the setup and starts it; false (with the reason shown) when it is not valid.
    bool startRun();
    // Queues the sweep's runs on the worker (after checking every point, as the CLI does); false,
    // with the reason shown, when a point cannot run or something is running.
    bool startSweep(const prunescope::SweepPlan& plan);
    // Run ▸ Sweep…: the sweep dialog on the current setup, then startSweep.
    void openSweepDialog();
    void cancelRun();
    void refreshRuns();
    // Reads the run off the UI thread, then shows its curves, layers, details and masks
    // (storedRunShown) and turns to its Details; a read overtaken by another request or by a new
    // run is dropped.
    void showStoredRun(qint64 runId);
    void deleteSelectedRun();
    void rerunSelectedRun();
    // Makes a TorchScript file the model (the model list's "TorchScript file…" entry and a file
    // dropped on the window); a bad file is refused with a message and the model stays.
    bool useModelFile(const QString& path);
    // F5: the current tab's chart alone, full screen, in large type; F5 or Esc again to leave.
    void togglePresentation();
    // The runs selected in the Runs tab (all finished runs shown when none) as an HTML report.
    bool exportReport(const QString& path);
    void setTheme(ThemeChoice choice);
    void updateComparison();

Q_SIGNALS:
    // For tests and scripting: a run ended, however it ended ("finished", "cancelled", "failed").
    void runEnded(qint64 runId, const QString& status);
    // A sweep ended ("finished", "cancelled" or "failed"); the Compare tab then shows its runs.
    void sweepEnded(qint64 sweepId, const QString& status);
    // A stored run asked for with showStoredRun() is now shown.
    void storedRunShown(qint64 runId);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWidget* buildRunPanel();
    void buildMenus();
    void buildFileMenu();
    void rememberDatabase(const QString& path);
    void rebuildRecentMenu();
    void updateDataGuidance();
    void connectRunController();
    void connectSweeps();
    void rerun(const StoredRun& run);
    // How a stored run is shown: opened by the user (its Details come to the front, the live
    // panel names it), or in the background (a run that just finished, the run selected when
    // the window last closed): the tab and the live panel stay as they are.
    enum class ShowRun { Open, InBackground };
    void showRun(qint64 runId, ShowRun how);
    void drawStoredRun(const StoredRunData& data);
    void showError(const QString& title, const QString& message);
    void appendLog(const QString& message);
    void showStatus(const QString& message, int timeoutMs = 0);
    QString exportDirectory() const;
    void exported(const QString& path);
    void restoreSettings();
    void saveSettings() const;
    // A size that fits the screen's free area (at most 1280 × 860).
    void fitToScreen();
    // After the runs were listed: selects and shows the run that was selected at the last close.
    void restoreLastRun();

    QString m_databasePath;
    bool m_persistSettings = true;
    QString m_lastError;
    QString m_statusError;  // the error the status bar shows, cleared when the method changes
    bool m_presentFullScreen = true;
    ThemeChoice m_theme = ThemeChoice::System;
    ShowRun m_showing = ShowRun::Open;  // how the stored run being read will be shown
    qint64 m_runToRestore = 0;  // the run selected at the last close, shown once the runs are listed

    RunController* m_runs = nullptr;
    StoredRunReader* m_storedRuns = nullptr;
    SetupPanel* m_setup = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    LiveRunPanel* m_liveRun = nullptr;
    QTabWidget* m_tabs = nullptr;
    TrainingPage* m_trainingPage = nullptr;
    LayerSparsityChart* m_sparsityChart = nullptr;
    RunsPage* m_runsPage = nullptr;
    RunDetailsView* m_runDetails = nullptr;
    MaskInspector* m_maskInspector = nullptr;
    ComparePage* m_comparePage = nullptr;
    QPlainTextEdit* m_log = nullptr;
    PresentationMode* m_presentation = nullptr;
    UserGuideDialog* m_userGuide = nullptr;
    AboutDialog* m_about = nullptr;
    DataGuidance* m_dataGuidance = nullptr;
    QMenu* m_recentMenu = nullptr;
    QStringList m_recentDatabases;  // newest first

    QAction* m_runAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QAction* m_sweepAction = nullptr;
};

}  // namespace prunescope
