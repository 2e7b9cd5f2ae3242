#include "SetupPanel.h"

#include "DatasetPicker.h"
#include "ModelCheck.h"
#include "MethodParameterForm.h"
#include "core/DatasetCatalogue.h"
#include "core/ExperimentPresets.h"
#include "core/MethodInfo.h"
#include "experiment/ExperimentCheck.h"
#include "experiment/Runner.h"
#include "models/ModelDescription.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>
#include <map>

namespace prunescope {
namespace {

// Marks the model list's "TorchScript file…" entry, which opens a file dialog.
constexpr int kBrowseModelRole = Qt::UserRole + 1;

constexpr int64_t kQuickTrainLimit = 10000;
constexpr int64_t kQuickTestLimit = 2000;

QString capitalized(const std::string& text)
{
    QString s = QString::fromStdString(text);
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

// A combo box as wide as the pane allows: its longest entry (a preset's title, a file's name)
// must not set the pane's minimum width; the open list still shows entries whole.
void shrinkable(QComboBox* combo)
{
    combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo->setMinimumContentsLength(12);
}

// A form whose fields go below their labels when the pane is too narrow for both on one line.
QFormLayout* wrappingForm(QWidget* parent)
{
    auto* form = new QFormLayout(parent);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return form;
}

// Where the setup panel says why a field cannot work: wrapped, in an error colour, hidden when
// there is nothing to say.
QLabel* problemLabel(const char* name)
{
    auto* label = new QLabel;
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: #e53935"));
    label->hide();
    return label;
}

QString methodCardHtml(const MethodInfo& m)
{
    return QStringLiteral("<p style='margin-bottom:4px'><b>%1</b><br><i>%2</i>, %3 %4</p>"
                          "<p style='margin-top:0'>%5</p>"
                          "<p style='margin-top:0'><b>Good at:</b> %9<br><b>Bad at:</b> %10</p>"
                          "<p style='color:gray'>%6 · %7 · criterion: %8</p>")
        .arg(QString::fromStdString(m.card.title).toHtmlEscaped(),
             QString::fromStdString(m.card.authors).toHtmlEscaped(),
             QString::fromStdString(m.card.venue).toHtmlEscaped(), QString::number(m.card.year),
             QString::fromStdString(m.card.rule).toHtmlEscaped(),
             QString::fromStdString(displayName(m.taxonomy.speedup)).toHtmlEscaped(),
             QString::fromStdString(displayName(m.taxonomy.when)).toHtmlEscaped(),
             QString::fromStdString(displayName(m.taxonomy.criterion)).toHtmlEscaped(),
             QString::fromStdString(m.card.goodAt).toHtmlEscaped(),
             QString::fromStdString(m.card.badAt).toHtmlEscaped());
}

}  // namespace

SetupPanel::SetupPanel(QWidget* parent) : QScrollArea(parent), m_hiddenSettings(defaultExperiment())
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    layout->addLayout(buildPresetRow());
    layout->addWidget(buildModelAndData());
    layout->addWidget(buildMethodPicker(), 1);  // a tall screen shows more of the method tree
    layout->addWidget(buildTraining());

    setWidget(panel);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    // Everything in the panel wraps, elides or shrinks to this width, so it never needs a
    // horizontal scroll bar (and the scroll area never scrolls sideways to show a focused field).
    setMinimumWidth(fontMetrics().averageCharWidth() * 46);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
}

QLayout* SetupPanel::buildPresetRow()
{
    // Ready-made experiments from the study plan: choosing one fills the whole setup, which
    // stays editable; the data folder and the quick-look choice are the user's and are kept.
    auto* presetRow = new QHBoxLayout;
    presetRow->setContentsMargins(0, 0, 0, 0);
    auto* presets = new QComboBox;
    presets->setObjectName("presetCombo");
    shrinkable(presets);
    presets->addItem(tr("Choose a ready-made experiment…"));
    for (const auto& preset : experimentPresets())
        presets->addItem(QString::fromStdString(preset.title), QString::fromStdString(preset.id));
    connect(presets, &QComboBox::activated, this, [this, presets](int index) {
        if (applyPreset(presets->itemData(index).toString()))
            presets->setToolTip(presets->itemText(index));  // the combo is narrow: the whole title
        presets->setCurrentIndex(0);
    });
    auto* label = new QLabel(tr("&Preset"));
    label->setBuddy(presets);
    presetRow->addWidget(label);
    presetRow->addWidget(presets, 1);
    return presetRow;
}

bool SetupPanel::applyPreset(const QString& id)
{
    const ExperimentPreset* preset = findPreset(id.toStdString());
    if (!preset)
        return false;
    ExperimentConfig config = preset->config;
    // The user's data stays when the preset is for the same dataset; another dataset is looked
    // for where it is installed.
    ExperimentConfig current = config;  // the preset's limits and recipes, the picker's dataset fields
    m_datasetPicker->readInto(current);
    if (config.dataset.name == current.dataset.name)
        config.dataset = current.dataset;
    else if (const KnownDataset* known = findKnownDataset(config.dataset.name))
        config.dataset.directory = defaultDatasetDirectory(*known);
    const bool quick = m_quickLook->isChecked();
    setConfig(config);
    m_quickLook->setChecked(quick);
    Q_EMIT statusMessage(tr("Preset: %1 — press Run (Ctrl+R)").arg(QString::fromStdString(preset->title)), 6000);
    return true;
}

QWidget* SetupPanel::buildModelAndData()
{
    auto* dataBox = new QGroupBox(tr("Model and data"));
    auto* dataForm = wrappingForm(dataBox);
    m_modelCombo = new QComboBox;
    m_modelCombo->setObjectName("modelCombo");
    shrinkable(m_modelCombo);
    for (const auto& model : modelCatalogue()) {
        m_modelCombo->addItem(QString::fromStdString(model.id), QString::fromStdString(model.id));
        m_modelCombo->setItemData(m_modelCombo->count() - 1, QString::fromStdString(model.description),
                                  Qt::ToolTipRole);
    }
    // Files chosen go between the zoo and this entry.
    m_modelCombo->insertSeparator(m_modelCombo->count());
    m_modelCombo->addItem(tr("TorchScript file…"));
    m_modelCombo->setItemData(m_modelCombo->count() - 1, true, kBrowseModelRole);
    m_modelCombo->setItemData(m_modelCombo->count() - 1,
                              tr("A network saved with torch.jit.script(model).save(path) or torch.jit.trace, for "
                                 "the chosen data's images ([N, C, H, W], or flattened to [N, C·H·W]) and "
                                 "classes (or drop the file on the window)"),
                              Qt::ToolTipRole);
    connect(m_modelCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && !isBrowseEntry(index))
            m_modelIndex = index;
    });
    connect(m_modelCombo, &QComboBox::activated, this, [this](int index) {
        if (isBrowseEntry(index))
            browseModelFile();
        else
            showProblems();
    });
    dataForm->addRow(tr("&Model"), m_modelCombo);
    m_modelProblem = problemLabel("modelProblem");
    dataForm->addRow(m_modelProblem);
    m_datasetPicker = new DatasetPicker;
    m_datasetPicker->setObjectName("datasetPicker");
    connect(m_datasetPicker, &DatasetPicker::changed, this, &SetupPanel::showProblems);
    connect(m_datasetPicker, &DatasetPicker::statusMessage, this, &SetupPanel::statusMessage);
    dataForm->addRow(tr("&Data"), m_datasetPicker);
    // A check box cannot wrap: its text stays short, the numbers are in the tooltip.
    m_quickLook = new QCheckBox(tr("&Quick look (a subset)"));
    m_quickLook->setObjectName("quickLook");
    m_quickLook->setToolTip(tr("Train on %1 training and test on %2 test images for a fast first impression; "
                               "uncheck for the full dataset")
                                .arg(kQuickTrainLimit)
                                .arg(kQuickTestLimit));
    dataForm->addRow(QString(), m_quickLook);
    return dataBox;
}

QWidget* SetupPanel::buildMethodPicker()
{
    auto* methodBox = new QGroupBox(tr("Pruning method (survey taxonomy)"));
    auto* methodLayout = new QVBoxLayout(methodBox);
    m_methodTree = new QTreeWidget;
    m_methodTree->setObjectName("methodTree");
    m_methodTree->setHeaderLabels({tr("Method"), tr("Criterion")});
    // About a dozen rows at least, however large the font; a taller pane gives it the rest.
    m_methodTree->setMinimumHeight(m_methodTree->fontMetrics().height() * 19);
    m_methodTree->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    // The two columns always share the tree's width (the criterion elided, whole in its
    // tooltip): a sideways scroll bar in a method list helps nobody.
    m_methodTree->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_methodTree->setTextElideMode(Qt::ElideRight);
    m_methodTree->header()->setStretchLastSection(false);
    m_methodTree->header()->setMinimumSectionSize(fontMetrics().averageCharWidth() * 4);
    m_methodTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_methodTree->header()->setSectionResizeMode(1, QHeaderView::Fixed);
    m_methodTree->viewport()->installEventFilter(this);
    m_methodTree->setIndentation(14);
    populateMethodTree();
    connect(m_methodTree, &QTreeWidget::currentItemChanged, this, &SetupPanel::onMethodSelected);
    methodLayout->addWidget(m_methodTree, 1);
    m_methodProblem = problemLabel("methodProblem");
    methodLayout->addWidget(m_methodProblem);
    m_methodCard = new QLabel;
    m_methodCard->setObjectName("methodCard");
    m_methodCard->setWordWrap(true);
    m_methodCard->setTextFormat(Qt::RichText);
    m_methodCard->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    methodLayout->addWidget(m_methodCard);
    m_parameterForm = new MethodParameterForm;
    m_parameterForm->setObjectName("parameterForm");
    methodLayout->addWidget(m_parameterForm);
    connect(m_parameterForm, &MethodParameterForm::changed, this, [this] {
        // Whether fine-tuning applies can depend on a parameter; problems are checked at Run.
        enableRecipeFields();
        if (!m_methodProblem->isHidden())
            showProblems();
    });
    return methodBox;
}

QWidget* SetupPanel::buildTraining()
{
    auto* trainBox = new QGroupBox(tr("Training"));
    auto* trainForm = wrappingForm(trainBox);
    auto spin = [](const char* name, int min, int max) {
        auto* box = new QSpinBox;
        box->setObjectName(name);
        box->setRange(min, max);
        return box;
    };
    m_denseEpochs = spin("denseEpochs", 1, 1000);
    m_fineTuneEpochs = spin("fineTuneEpochs", 0, 1000);
    m_batchSize = spin("batchSize", 1, 65536);
    m_seed = spin("seed", 0, std::numeric_limits<int>::max());
    m_bnRecalibration = spin("bnRecalibration", 0, 10000);
    m_bnRecalibration->setSuffix(tr(" batches"));
    m_bnRecalibration->setSpecialValueText(tr("off"));
    m_bnRecalibration->setToolTip(
        tr("Right after one-shot pruning, re-estimate the BatchNorm statistics on this "
           "many training batches (adaptive BN): pruning shifts the activations the "
           "dense statistics describe. Weights are not changed. Off: keep the dense statistics."));
    m_learningRate = new QDoubleSpinBox;
    m_learningRate->setObjectName("learningRate");
    m_fineTuneLearningRate = new QDoubleSpinBox;
    m_fineTuneLearningRate->setObjectName("fineTuneLearningRate");
    for (auto* box : {m_learningRate, m_fineTuneLearningRate}) {
        box->setDecimals(4);
        box->setRange(0.0001, 10);
        box->setSingleStep(0.005);
    }
    trainForm->addRow(tr("Dense &epochs"), m_denseEpochs);
    trainForm->addRow(tr("Dense learning rate"), m_learningRate);
    trainForm->addRow(tr("&Fine-tune epochs"), m_fineTuneEpochs);
    trainForm->addRow(tr("Fine-tune learning rate"), m_fineTuneLearningRate);
    trainForm->addRow(tr("Re-estimate BatchNorm o&n"), m_bnRecalibration);
    trainForm->addRow(tr("&Batch size"), m_batchSize);
    trainForm->addRow(tr("&Seed"), m_seed);
    m_trainingProblem = problemLabel("trainingProblem");
    trainForm->addRow(m_trainingProblem);
    return trainBox;
}

void SetupPanel::populateMethodTree()
{
    std::map<std::string, QTreeWidgetItem*> speedupItems;
    std::map<std::string, QTreeWidgetItem*> whenItems;
    for (const auto& method : methodCatalogue()) {
        QTreeWidgetItem*& speedup = speedupItems[displayName(method.taxonomy.speedup)];
        if (!speedup) {
            speedup = new QTreeWidgetItem(m_methodTree, {capitalized(displayName(method.taxonomy.speedup))});
            speedup->setFlags(Qt::ItemIsEnabled);
        }
        QTreeWidgetItem*& when
            = whenItems[displayName(method.taxonomy.speedup) + "/" + displayName(method.taxonomy.when)];
        if (!when) {
            when = new QTreeWidgetItem(speedup, {capitalized(displayName(method.taxonomy.when))});
            when->setFlags(Qt::ItemIsEnabled);
        }
        auto* leaf = new QTreeWidgetItem(when,
                                         {QString::fromStdString(method.card.title),
                                          QString::fromStdString(displayName(method.taxonomy.criterion))});
        leaf->setData(0, Qt::UserRole, QString::fromStdString(method.id));
        leaf->setToolTip(0,
                         QStringLiteral("<b>%1</b><br>%2")
                             .arg(QString::fromStdString(method.card.title).toHtmlEscaped(),
                                  QString::fromStdString(method.card.rule).toHtmlEscaped()));
        leaf->setToolTip(1, QString::fromStdString(displayName(method.taxonomy.criterion)));
    }
    m_methodTree->expandAll();
}

void SetupPanel::selectMethod(const QString& id)
{
    for (QTreeWidgetItemIterator it(m_methodTree); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == id) {
            m_methodTree->setCurrentItem(*it);
            return;
        }
    }
}

void SetupPanel::onMethodSelected()
{
    QTreeWidgetItem* item = m_methodTree->currentItem();
    if (!item || item->data(0, Qt::UserRole).isNull())
        return;
    const std::string id = item->data(0, Qt::UserRole).toString().toStdString();
    const MethodInfo& method = methodInfo(id);
    m_methodCard->setText(methodCardHtml(method));
    // Keep the parameters of the method the setup already holds; defaults for a new method.
    const ParamMap values = id == m_hiddenSettings.method ? m_hiddenSettings.methodParams : ParamMap{};
    m_parameterForm->setMethod(method, values);
    Q_EMIT methodChanged();
    enableRecipeFields();
    showProblems();
}

bool SetupPanel::isBrowseEntry(int index) const
{
    return m_modelCombo->itemData(index, kBrowseModelRole).toBool();
}

int SetupPanel::modelFileEntry(const QString& path)
{
    const int existing = m_modelCombo->findData(path);
    if (existing >= 0)
        return existing;
    const int index = m_modelCombo->count() - 2;  // before the separator and "TorchScript file…"
    m_modelCombo->insertItem(index, QFileInfo(path).fileName(), path);
    m_modelCombo->setItemData(
        index, QFileInfo(path).isFile() ? path : tr("%1\nnot found: choose the file again").arg(path), Qt::ToolTipRole);
    return index;
}

void SetupPanel::browseModelFile()
{
    m_modelCombo->setCurrentIndex(m_modelIndex);  // the entry is an action, not a model
    const QString current = m_modelCombo->currentData().toString();
    const QString start = isModelFile(current.toStdString()) ? QFileInfo(current).absolutePath() : QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("TorchScript model"), start,
                                                      tr("TorchScript models (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty())
        useModelFile(path);
}

bool SetupPanel::useModelFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // Off the UI thread: the file is loaded and run on one batch of the chosen data's images,
    // which a broken model may never finish.
    const ModelCheckResult check
        = checkModelFile(this, absolute, expectedDataShape(config().dataset), m_modelCheckTimeoutMs);
    if (!check.ok) {
        Q_EMIT errorOccurred(tr("Cannot use %1 as the model").arg(QFileInfo(path).fileName()), check.error);
        return false;
    }
    const QString description = check.description;
    const int index = modelFileEntry(absolute);
    m_modelCombo->setItemData(index, absolute + "\n" + description, Qt::ToolTipRole);
    m_modelCombo->setCurrentIndex(index);
    Q_EMIT logMessage(tr("model: %1 (%2)").arg(description, absolute));
    Q_EMIT statusMessage(description, 8000);
    showProblems();
    return true;
}

QLabel* SetupPanel::showProblems()
{
    if (!m_methodTree)
        return nullptr;
    const ExperimentConfig setup = config();
    std::optional<InvalidExperiment> problem;
    try {
        validateExperiment(setup);
    } catch (const InvalidExperiment& e) {
        problem = e;
    } catch (const std::exception& e) {
        problem = InvalidExperiment(ConfigField::Other, e.what());
    }
    QLabel* shown = nullptr;
    if (problem) {
        switch (problem->field()) {
        case ConfigField::Model:
            shown = m_modelProblem;
            break;
        case ConfigField::Data:
            shown = m_datasetPicker->problemLabel();
            break;
        case ConfigField::Method:
        case ConfigField::MethodParameters:
            shown = m_methodProblem;
            break;
        case ConfigField::DenseTraining:
        case ConfigField::FineTuning:
        case ConfigField::Other:
            shown = m_trainingProblem;
            break;
        }
    }
    for (QLabel* label : {m_modelProblem, m_methodProblem, m_trainingProblem}) {
        label->setVisible(label == shown);
        if (label == shown)
            label->setText(QString::fromStdString(problem->what()));
    }
    m_datasetPicker->setProblem(shown == m_datasetPicker->problemLabel() ? QString::fromStdString(problem->what())
                                                                         : QString());
    // The engine's own check decided; the pairing rule is not repeated here.
    if (problem && problem->field() == ConfigField::Method
        && std::string(problem->what()).find(kStructuredNeedsZooModel) != std::string::npos)
        Q_EMIT statusMessage(tr("%1 cannot run on %2: %3")
                                 .arg(QString::fromStdString(methodInfo(setup.method).card.title),
                                      QString::fromStdString(modelDisplayName(setup.model)),
                                      QString::fromUtf8(kStructuredNeedsZooModel)),
                             0);
    return shown;
}

std::optional<QString> SetupPanel::check()
{
    QLabel* shown = showProblems();
    if (!shown)
        return std::nullopt;
    widget()->layout()->activate();  // the label may have just appeared: place it before scrolling to it
    ensureWidgetVisible(shown);
    return shown->text();
}

void SetupPanel::enableRecipeFields()
{
    RecipeUse use;
    try {
        use = recipeUse(config());
    } catch (const std::exception&) {
        return;  // a method or parameter the engine refuses: showProblems says so
    }
    const QString method = QString::fromStdString(methodInfo(config().method).card.title);
    const auto enable = [](QWidget* field, bool on, const QString& why) {
        if (!field->property("usualToolTip").isValid())
            field->setProperty("usualToolTip", field->toolTip());
        field->setEnabled(on);
        // The reason it is off, where the user looks for it (a disabled field shows its tooltip).
        field->setToolTip(on ? field->property("usualToolTip").toString() : why);
    };
    const QString noFineTuning = tr("%1 does not fine-tune: its runs ignore this field").arg(method);
    enable(m_fineTuneEpochs, use.fineTuning, noFineTuning);
    enable(m_fineTuneLearningRate, use.fineTuning, noFineTuning);
    enable(m_bnRecalibration, use.batchNormRecalibration,
           tr("%1 does not prune in one shot after training: BatchNorm is not re-estimated").arg(method));
}

void SetupPanel::fitMethodColumns()
{
    // The criterion column gets what it needs up to a third of the tree; the method column the rest.
    const int available = m_methodTree->viewport()->width();
    const int wanted = std::max(m_methodTree->header()->sectionSizeHint(1),
                                static_cast<const QAbstractItemView*>(m_methodTree)->sizeHintForColumn(1))
        + 8;
    m_methodTree->header()->resizeSection(1, std::min(wanted, available / 3));
}

bool SetupPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (m_methodTree && watched == m_methodTree->viewport() && event->type() == QEvent::Resize)
        fitMethodColumns();
    return QScrollArea::eventFilter(watched, event);
}

ExperimentConfig SetupPanel::config() const
{
    ExperimentConfig config = m_hiddenSettings;
    config.model = m_modelCombo->itemData(m_modelIndex).toString().toStdString();
    m_datasetPicker->readInto(config);
    if (m_quickLook->isChecked()) {
        config.dataset.trainLimit
            = m_hiddenSettings.dataset.trainLimit > 0 ? m_hiddenSettings.dataset.trainLimit : kQuickTrainLimit;
        config.dataset.testLimit
            = m_hiddenSettings.dataset.testLimit > 0 ? m_hiddenSettings.dataset.testLimit : kQuickTestLimit;
    } else {
        config.dataset.trainLimit = 0;
        config.dataset.testLimit = 0;
    }
    if (QTreeWidgetItem* item = m_methodTree->currentItem(); item && !item->data(0, Qt::UserRole).isNull()) {
        config.method = item->data(0, Qt::UserRole).toString().toStdString();
        config.methodParams = m_parameterForm->values();
    }
    config.denseTraining.epochs = m_denseEpochs->value();
    config.denseTraining.learningRate = m_learningRate->value();
    config.denseTraining.batchSize = m_batchSize->value();
    config.fineTuning.epochs = m_fineTuneEpochs->value();
    config.fineTuning.learningRate = m_fineTuneLearningRate->value();
    config.fineTuning.batchSize = m_batchSize->value();
    config.seed = uint64_t(m_seed->value());
    config.bnRecalibrationBatches = m_bnRecalibration->value();
    const auto* method = [&]() -> const MethodInfo* {
        try {
            return &methodInfo(config.method);
        } catch (...) {
            return nullptr;
        }
    }();
    if (method) {
        auto sparsity = config.methodParams.find("sparsity");
        config.name = modelDisplayName(config.model) + " · " + method->card.title
            + (sparsity != config.methodParams.end()
                   ? " " + QString::number(std::get<double>(sparsity->second) * 100, 'g', 4).toStdString() + " %"
                   : std::string());
    }
    return config;
}

void SetupPanel::setConfig(const ExperimentConfig& config)
{
    m_hiddenSettings = config;
    const QString model = QString::fromStdString(config.model);
    const int modelIndex = isModelFile(config.model) ? modelFileEntry(model) : m_modelCombo->findData(model);
    m_modelCombo->setCurrentIndex(std::max(0, modelIndex));
    m_datasetPicker->showConfig(config);
    m_quickLook->setChecked(config.dataset.trainLimit > 0);
    m_denseEpochs->setValue(config.denseTraining.epochs);
    m_learningRate->setValue(config.denseTraining.learningRate);
    m_fineTuneEpochs->setValue(config.fineTuning.epochs);
    m_fineTuneLearningRate->setValue(config.fineTuning.learningRate);
    m_batchSize->setValue(config.denseTraining.batchSize);
    m_seed->setValue(int(std::min<uint64_t>(config.seed, uint64_t(std::numeric_limits<int>::max()))));
    m_bnRecalibration->setValue(config.bnRecalibrationBatches);
    m_methodTree->setCurrentItem(nullptr);
    selectMethod(QString::fromStdString(config.method));
}

}  // namespace prunescope
