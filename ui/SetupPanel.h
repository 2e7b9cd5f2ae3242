#pragma once
// The experiment setup on the window's left: a ready-made preset, model and data (DatasetPicker), the method
// picker as the survey's taxonomy tree with the method's card and parameter form, and the
// training recipe. It maps the form to an ExperimentConfig and back; the config fields the form
// does not show are kept as they were loaded.

#include "core/ExperimentConfig.h"

#include <QScrollArea>

#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLayout;
class QSpinBox;
class QTreeWidget;

namespace prunescope {

class DatasetPicker;
class MethodParameterForm;

class SetupPanel : public QScrollArea {
    Q_OBJECT
public:
    explicit SetupPanel(QWidget* parent = nullptr);

    ExperimentConfig config() const;
    void setConfig(const ExperimentConfig& config);
    // The config a run starts with becomes the base the form edits: its hidden fields and the
    // method's parameters are what the next run keeps.
    void keepAsBase(const ExperimentConfig& config) { m_hiddenSettings = config; }

    // Makes a TorchScript file the model: the "TorchScript file…" entry of the model list and a
    // file dropped on the window come here. The file is checked first; a bad one is refused with
    // a message naming it and the problem, and the previous model stays selected.
    bool useModelFile(const QString& path);
    // How long the check of a model file may take before it is abandoned (see ModelCheck.h).
    void setModelCheckTimeout(int milliseconds) { m_modelCheckTimeoutMs = milliseconds; }

    // Fills the setup from the preset (core/ExperimentPresets.h); the data folder and the
    // quick-look choice are the user's and are kept. False for an unknown id.
    bool applyPreset(const QString& id);
    // Checks the setup with the engine's rules (validateExperiment: model and method together,
    // parameters, recipes, the data folder's files) and shows a problem next to the field at
    // fault, scrolled into view; the problem's text, or nothing when the setup can run.
    std::optional<QString> check();

Q_SIGNALS:
    // For the window's status bar (timeout 0: until the next message), log and error box.
    void statusMessage(const QString& message, int timeoutMs);
    void logMessage(const QString& message);
    void errorOccurred(const QString& title, const QString& message);
    // The user (or a preset) chose another method.
    void methodChanged();

private:
    QLayout* buildPresetRow();
    QWidget* buildModelAndData();
    QWidget* buildMethodPicker();
    QWidget* buildTraining();
    void populateMethodTree();
    void selectMethod(const QString& id);
    void onMethodSelected();
    void browseModelFile();
    // The model list's entry for a file, added (before "TorchScript file…") when missing.
    int modelFileEntry(const QString& path);
    bool isBrowseEntry(int index) const;
    // Checks the setup and shows what is wrong next to its field (nothing when it can run); a
    // model and method that cannot run together are also noted in the status bar. Returns the
    // label showing the problem, or null.
    QLabel* showProblems();
    // Enables the recipe fields the chosen method uses, and says why the others are off.
    void enableRecipeFields();
    void fitMethodColumns();
    bool eventFilter(QObject* watched, QEvent* event) override;

    int m_modelCheckTimeoutMs = 20000;  // a real network answers in well under a second
    ExperimentConfig m_hiddenSettings;  // config fields the form does not show (kept as loaded)

    QComboBox* m_modelCombo = nullptr;
    int m_modelIndex = 0;  // the model entry in force (the "TorchScript file…" entry is an action)
    DatasetPicker* m_datasetPicker = nullptr;
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
    // Why the setup cannot run, next to the fields at fault (hidden when nothing is wrong).
    QLabel* m_modelProblem = nullptr;  // the model (the data's problems show in the dataset picker)
    QLabel* m_methodProblem = nullptr;  // method and its parameters
    QLabel* m_trainingProblem = nullptr;  // recipes and the rest
};

}  // namespace prunescope
