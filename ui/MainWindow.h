#pragma once
// The workbench window: experiment setup on the left (model, data, the method picker as the
// survey's taxonomy tree, the parameter form, the training recipe), the live run and the
// stored runs in the centre. Experiments run on an ExperimentWorker on its own thread.

#include "Theme.h"
#include "UiTypes.h"

#include <QMainWindow>
#include <QThread>

#include <memory>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTreeWidget;

namespace prunescope {

class ExperimentWorker;
class LayerSparsityChart;
class MethodParameterForm;
class CompareChart;
class RunDetailsView;
class RunsTableModel;
class TrainingCurveChart;
class MethodCurveChart;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // Tests present in a normal window: offscreen there is no screen to fill.
    void setPresentationFullScreen(bool fullScreen) { m_presentFullScreen = fullScreen; }
    class PresentationMode* presentation() const { return m_presentation; }
    // persistSettings: restore the last setup at start and save it on close (off in tests).
    explicit MainWindow(const QString& databasePath, bool persistSettings = true, QWidget* parent = nullptr);
    ~MainWindow() override;

    ExperimentConfig currentConfig() const;
    void setConfig(const ExperimentConfig& config);
    bool isRunning() const { return m_running; }
    QString lastError() const { return m_lastError; }

public Q_SLOTS:
    // Validates the setup and starts it; false (with the reason shown) when it is not valid.
    bool startRun();
    void cancelRun();
    void refreshRuns();
    void showStoredRun(qint64 runId);
    void deleteSelectedRun();
    void rerunSelectedRun();
    // Makes a TorchScript file the model: the "TorchScript file…" entry of the model list and a
    // file dropped on the window come here. The file is checked first; a bad one is refused with
    // a message naming it and the problem, and the previous model stays selected.
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

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWidget* buildSetupPanel();
    QWidget* buildRunPanel();
    void buildMenus();
    void populateMethodTree();
    void selectMethod(const QString& id);
    void onMethodSelected();
    void browseModelFile();
    // The model list's entry for a file, added (before "TorchScript file…") when missing.
    int modelFileEntry(const QString& path);
    bool isBrowseEntry(int index) const;
    // A status-bar note when the chosen model and method cannot run together.
    void noteModelMethodConflict();
    void setRunning(bool running);
    void showError(const QString& title, const QString& message);
    void appendLog(const QString& message);
    QString exportDirectory() const;
    void exported(const QString& path);
    void saveRunEdit(qint64 runId, int column, const QString& text);
    void restoreSettings();
    void saveSettings() const;

    void onRunStarted(quint64 generation, qint64 runId);
    void onProgress(quint64 generation, const ProgressEvent& event);
    void onEpoch(quint64 generation, const EpochMetrics& metrics);
    void onPruningStep(quint64 generation, const PruningStep& step);
    void onLog(quint64 generation, const QString& message);
    void onFinished(quint64 generation, qint64 runId, const RunSummary& summary);
    void onCancelled(quint64 generation, qint64 runId);
    void onFailed(quint64 generation, qint64 runId, const QString& message);

    QString m_databasePath;
    bool m_persistSettings = true;
    std::unique_ptr<class RunStore> m_store;  // the UI thread's own connection (reads, edits)
    QThread m_workerThread;
    ExperimentWorker* m_worker = nullptr;
    quint64 m_generation = 0;
    bool m_running = false;
    qint64 m_currentRunId = 0;
    QString m_lastError;
    ExperimentConfig m_hiddenSettings;  // config fields the form does not show (kept as loaded)

    QComboBox* m_modelCombo = nullptr;
    int m_modelIndex = 0;  // the model entry in force (the "TorchScript file…" entry is an action)
    QLineEdit* m_dataDirectory = nullptr;
    QCheckBox* m_quickLook = nullptr;
    QTreeWidget* m_methodTree = nullptr;
    QLabel* m_methodCard = nullptr;
    MethodParameterForm* m_parameterForm = nullptr;
    QSpinBox* m_denseEpochs = nullptr;
    QSpinBox* m_fineTuneEpochs = nullptr;
    QSpinBox* m_batchSize = nullptr;
    QDoubleSpinBox* m_learningRate = nullptr;
    QDoubleSpinBox* m_fineTuneLearningRate = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_bnRecalibration = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;

    QProgressBar* m_progress = nullptr;
    QLabel* m_stageLabel = nullptr;
    QLabel* m_summaryLabel = nullptr;
    QTabWidget* m_tabs = nullptr;
    TrainingCurveChart* m_trainingChart = nullptr;
    MethodCurveChart* m_methodCurves = nullptr;  // below the training chart when a method has curves
    LayerSparsityChart* m_sparsityChart = nullptr;
    QPlainTextEdit* m_log = nullptr;
    RunsTableModel* m_runsModel = nullptr;
    QSortFilterProxyModel* m_runsProxy = nullptr;
    QTableView* m_runsView = nullptr;
    CompareChart* m_compareChart = nullptr;
    class LayerOverlayChart* m_layerOverlay = nullptr;
    RunsTableModel* m_compareModel = nullptr;  // the compared runs as a table
    RunDetailsView* m_runDetails = nullptr;
    class MaskInspector* m_maskInspector = nullptr;
    class PresentationMode* m_presentation = nullptr;
    bool m_presentFullScreen = true;
    ThemeChoice m_theme = ThemeChoice::System;

    QAction* m_runAction = nullptr;
    QAction* m_cancelAction = nullptr;
};

}  // namespace prunescope
