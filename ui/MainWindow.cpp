#include "MainWindow.h"

#include "ChartExport.h"
#include "CompareChart.h"
#include "HtmlReport.h"
#include "TableExport.h"
#include "ExperimentWorker.h"
#include "LayerSparsityChart.h"
#include "LayerOverlayChart.h"
#include "MaskInspector.h"
#include "MethodParameterForm.h"
#include "RunStore.h"
#include "PresentationMode.h"
#include "RunDetailsView.h"
#include "RunsTableModel.h"
#include "Theme.h"
#include "TrainingCurveChart.h"
#include "MethodCurveChart.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"
#include "models/ModelDescription.h"

#include <QAction>
#include <QChartView>
#include <QDate>
#include <QFileInfo>
#include <QDir>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTime>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace prunescope {
namespace {

// Marks the model list's "TorchScript file…" entry, which opens a file dialog.
constexpr int kBrowseModelRole = Qt::UserRole + 1;

// The local file a drag carries, or nothing: one local file (a folder or a web address is not a model).
QString droppedFile(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls() || mime->urls().size() != 1 || !mime->urls().first().isLocalFile())
        return {};
    const QFileInfo file(mime->urls().first().toLocalFile());
    return file.isFile() ? file.absoluteFilePath() : QString();
}

constexpr int64_t kQuickTrainLimit = 10000;
constexpr int64_t kQuickTestLimit = 2000;

QString capitalized(const std::string& text)
{
    QString s = QString::fromStdString(text);
    if (!s.isEmpty())
        s[0] = s[0].toUpper();
    return s;
}

// What a File → Export action works on: the tab itself when it is such a view, else the first one in it.
template <typename View>
View* viewOnTab(QWidget* page)
{
    if (auto* view = qobject_cast<View*>(page))
        return view;
    return page ? page->findChild<View*>() : nullptr;
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
             QString::fromStdString(m.taxonomy.speedup).toHtmlEscaped(),
             QString::fromStdString(m.taxonomy.when).toHtmlEscaped(),
             QString::fromStdString(m.taxonomy.criterion).toHtmlEscaped(),
             QString::fromStdString(m.card.goodAt).toHtmlEscaped(), QString::fromStdString(m.card.badAt).toHtmlEscaped());
}

}  // namespace

MainWindow::MainWindow(const QString& databasePath, bool persistSettings, QWidget* parent)
    : QMainWindow(parent), m_databasePath(databasePath), m_persistSettings(persistSettings),
      m_hiddenSettings(defaultExperiment())
{
    registerUiMetaTypes();
    setWindowTitle(tr("PruneScope"));
    setAcceptDrops(true);  // a TorchScript file dropped on the window becomes the model

    auto* splitter = new QSplitter(this);
    splitter->addWidget(buildSetupPanel());
    splitter->addWidget(buildRunPanel());
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({430, 850});
    setCentralWidget(splitter);
    buildMenus();

    m_worker = new ExperimentWorker(engineExecutor());
    m_worker->moveToThread(&m_workerThread);
    connect(&m_workerThread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &ExperimentWorker::runStarted, this, &MainWindow::onRunStarted);
    connect(m_worker, &ExperimentWorker::progress, this, &MainWindow::onProgress);
    connect(m_worker, &ExperimentWorker::epoch, this, &MainWindow::onEpoch);
    connect(m_worker, &ExperimentWorker::pruningStep, this, &MainWindow::onPruningStep);
    connect(m_worker, &ExperimentWorker::log, this, &MainWindow::onLog);
    connect(m_worker, &ExperimentWorker::finished, this, &MainWindow::onFinished);
    connect(m_worker, &ExperimentWorker::cancelled, this, &MainWindow::onCancelled);
    connect(m_worker, &ExperimentWorker::failed, this, &MainWindow::onFailed);
    m_workerThread.setObjectName("ExperimentWorker");
    m_workerThread.start();

    m_presentation = new PresentationMode(m_tabs, this);
    setConfig(defaultExperiment());
    if (m_persistSettings)
        restoreSettings();
    else
        applyTheme(isDark(m_theme), this);  // no saved choice: follow the system
    setRunning(false);
    refreshRuns();
    statusBar()->showMessage(tr("Ready: press Run (Ctrl+R) to train, prune and fine-tune. Runs are stored in %1")
                                 .arg(m_databasePath));
}

MainWindow::~MainWindow()
{
    if (m_worker)
        m_worker->cancel();
    m_workerThread.quit();
    m_workerThread.wait();
}

QWidget* MainWindow::buildSetupPanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);

    // Ready-made experiments from the study plan: choosing one fills the whole setup, which
    // stays editable; the data folder and the quick-look choice are the user's and are kept.
    auto* presetRow = new QHBoxLayout;
    auto* presets = new QComboBox;
    presets->setObjectName("presetCombo");
    presets->addItem(tr("Choose a ready-made experiment…"));
    for (const auto& preset : experimentPresets())
        presets->addItem(QString::fromStdString(preset.title), QString::fromStdString(preset.id));
    connect(presets, &QComboBox::activated, this, [this, presets](int index) {
        if (const ExperimentPreset* preset = findPreset(presets->itemData(index).toString().toStdString())) {
            ExperimentConfig config = preset->config;
            config.dataset.directory = m_dataDirectory->text().toStdString();
            const bool quick = m_quickLook->isChecked();
            setConfig(config);
            m_quickLook->setChecked(quick);
            statusBar()->showMessage(tr("Preset: %1 — press Run (Ctrl+R)").arg(QString::fromStdString(preset->title)), 6000);
        }
        presets->setCurrentIndex(0);
    });
    presetRow->addWidget(new QLabel(tr("&Preset")));
    static_cast<QLabel*>(presetRow->itemAt(0)->widget())->setBuddy(presets);
    presetRow->addWidget(presets, 1);
    layout->addLayout(presetRow);

    auto* dataBox = new QGroupBox(tr("Model and data"));
    auto* dataForm = new QFormLayout(dataBox);
    m_modelCombo = new QComboBox;
    m_modelCombo->setObjectName("modelCombo");
    for (const auto& model : modelCatalogue()) {
        m_modelCombo->addItem(QString::fromStdString(model.id), QString::fromStdString(model.id));
        m_modelCombo->setItemData(m_modelCombo->count() - 1, QString::fromStdString(model.description), Qt::ToolTipRole);
    }
    // Files chosen go between the zoo and this entry.
    m_modelCombo->insertSeparator(m_modelCombo->count());
    m_modelCombo->addItem(tr("TorchScript file…"));
    m_modelCombo->setItemData(m_modelCombo->count() - 1, true, kBrowseModelRole);
    m_modelCombo->setItemData(m_modelCombo->count() - 1,
                              tr("A network saved with torch.jit.script(model).save(path) or torch.jit.trace, for "
                                 "1×28×28 inputs and 10 classes (or drop the file on the window)"),
                              Qt::ToolTipRole);
    connect(m_modelCombo, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0 && !isBrowseEntry(index))
            m_modelIndex = index;
    });
    connect(m_modelCombo, &QComboBox::activated, this, [this](int index) {
        if (isBrowseEntry(index))
            browseModelFile();
        else
            noteModelMethodConflict();
    });
    dataForm->addRow(tr("&Model"), m_modelCombo);
    auto* dataRow = new QHBoxLayout;
    m_dataDirectory = new QLineEdit;
    m_dataDirectory->setObjectName("dataDirectory");
    m_dataDirectory->setToolTip(tr("A folder with IDX files (train-images-idx3-ubyte.gz, ...), e.g. Fashion-MNIST"));
    auto* browse = new QToolButton;
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the dataset folder"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Dataset folder"), m_dataDirectory->text());
        if (!dir.isEmpty())
            m_dataDirectory->setText(dir);
    });
    dataRow->addWidget(m_dataDirectory);
    dataRow->addWidget(browse);
    dataForm->addRow(tr("Data"), dataRow);
    m_quickLook = new QCheckBox(tr("Quick look: %1 training / %2 test images").arg(kQuickTrainLimit).arg(kQuickTestLimit));
    m_quickLook->setObjectName("quickLook");
    m_quickLook->setToolTip(tr("Train on a subset for a fast first impression; uncheck for the full dataset"));
    dataForm->addRow(QString(), m_quickLook);
    layout->addWidget(dataBox);

    auto* methodBox = new QGroupBox(tr("Pruning method (survey taxonomy)"));
    auto* methodLayout = new QVBoxLayout(methodBox);
    m_methodTree = new QTreeWidget;
    m_methodTree->setObjectName("methodTree");
    m_methodTree->setHeaderLabels({tr("Method"), tr("Criterion")});
    m_methodTree->setMinimumHeight(120);
    m_methodTree->setMaximumHeight(140);
    m_methodTree->header()->setStretchLastSection(false);
    m_methodTree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_methodTree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_methodTree->setIndentation(14);
    populateMethodTree();
    connect(m_methodTree, &QTreeWidget::currentItemChanged, this, &MainWindow::onMethodSelected);
    methodLayout->addWidget(m_methodTree);
    m_methodCard = new QLabel;
    m_methodCard->setObjectName("methodCard");
    m_methodCard->setWordWrap(true);
    m_methodCard->setTextFormat(Qt::RichText);
    m_methodCard->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    methodLayout->addWidget(m_methodCard);
    m_parameterForm = new MethodParameterForm;
    m_parameterForm->setObjectName("parameterForm");
    methodLayout->addWidget(m_parameterForm);
    layout->addWidget(methodBox);

    auto* trainBox = new QGroupBox(tr("Training"));
    auto* trainForm = new QFormLayout(trainBox);
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
    m_bnRecalibration->setSpecialValueText(tr("off (keep the dense statistics)"));
    m_bnRecalibration->setToolTip(tr("Right after one-shot pruning, re-estimate the BatchNorm statistics on this "
                                     "many training batches (adaptive BN): pruning shifts the activations the "
                                     "dense statistics describe. Weights are not changed."));
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
    layout->addWidget(trainBox);

    layout->addStretch();

    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(420);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    return scroll;
}

QWidget* MainWindow::buildRunPanel()
{
    auto* panel = new QWidget;
    auto* layout = new QVBoxLayout(panel);
    auto* progressRow = new QHBoxLayout;
    // Run and Cancel sit beside the progress they control, always in view.
    m_runButton = new QPushButton(tr("&Run"));
    m_runButton->setObjectName("runButton");
    m_runButton->setDefault(true);
    m_runButton->setToolTip(tr("Train (or reuse the cached dense model), prune, fine-tune and store the run (Ctrl+R)"));
    m_cancelButton = new QPushButton(tr("Cancel"));
    m_cancelButton->setObjectName("cancelButton");
    m_cancelButton->setToolTip(tr("Stop the run after the current batch (Esc)"));
    connect(m_runButton, &QPushButton::clicked, this, &MainWindow::startRun);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelRun);
    progressRow->addWidget(m_runButton);
    progressRow->addWidget(m_cancelButton);
    m_progress = new QProgressBar;
    m_progress->setObjectName("progressBar");
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat("%p%");
    m_stageLabel = new QLabel(tr("Idle"));
    m_stageLabel->setObjectName("stageLabel");
    m_stageLabel->setMinimumWidth(320);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_stageLabel);
    layout->addLayout(progressRow);
    m_summaryLabel = new QLabel;
    m_summaryLabel->setObjectName("summaryLabel");
    m_summaryLabel->setWordWrap(true);
    m_summaryLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summaryLabel);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName("tabs");
    m_trainingChart = new TrainingCurveChart;
    m_trainingChart->setObjectName("trainingChart");
    m_methodCurves = new MethodCurveChart;
    m_methodCurves->setObjectName("methodCurves");
    m_methodCurves->hide();
    connect(m_methodCurves, &MethodCurveChart::curvesAppeared, m_methodCurves, &QWidget::show);
    auto* trainingPage = new QSplitter(Qt::Vertical);
    trainingPage->setObjectName("trainingPage");
    trainingPage->addWidget(m_trainingChart);
    trainingPage->addWidget(m_methodCurves);
    trainingPage->setStretchFactor(0, 1);
    trainingPage->setStretchFactor(1, 1);
    m_sparsityChart = new LayerSparsityChart;
    m_sparsityChart->setObjectName("sparsityChart");
    m_log = new QPlainTextEdit;
    m_log->setObjectName("log");
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(5000);

    m_runsModel = new RunsTableModel(this);
    m_runsProxy = new QSortFilterProxyModel(this);
    m_runsProxy->setSourceModel(m_runsModel);
    m_runsProxy->setSortRole(Qt::UserRole);
    m_runsView = new QTableView;
    m_runsView->setObjectName("runsView");
    m_runsView->setModel(m_runsProxy);
    m_runsView->setSortingEnabled(true);
    m_runsView->sortByColumn(RunsTableModel::Id, Qt::DescendingOrder);
    m_runsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runsView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runsView->horizontalHeader()->setStretchLastSection(true);
    m_runsView->verticalHeader()->hide();
    m_runsView->verticalHeader()->setDefaultSectionSize(m_runsView->fontMetrics().height() + 8);
    m_runsView->setAlternatingRowColors(true);
    m_runsView->setWordWrap(false);
    m_runsView->setToolTip(tr("Double-click a run to show its curves and layer sparsity; select several to "
                              "compare them (Compare tab); Del deletes a run"));
    connect(m_runsView, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.flags() & Qt::ItemIsEditable)
            return;
        if (const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(index).row()))
            showStoredRun(run->id);
    });
    auto* deleteAction = new QAction(tr("Delete run…"), m_runsView);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(deleteAction, &QAction::triggered, this, &MainWindow::deleteSelectedRun);
    m_runsView->addAction(deleteAction);
    m_runsView->setContextMenuPolicy(Qt::ActionsContextMenu);

    connect(m_runsModel, &RunsTableModel::runEdited, this, &MainWindow::saveRunEdit);
    m_runsView->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    auto* openAction = new QAction(tr("Show details"), m_runsView);
    openAction->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    openAction->setShortcutContext(Qt::WidgetShortcut);
    connect(openAction, &QAction::triggered, this, [this] {
        const QModelIndex current = m_runsView->currentIndex();
        if (const StoredRun* run = current.isValid() ? m_runsModel->runAt(m_runsProxy->mapToSource(current).row()) : nullptr)
            showStoredRun(run->id);
    });
    auto* rerunAction = new QAction(tr("Re-run with the same config"), m_runsView);
    rerunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    rerunAction->setShortcutContext(Qt::WidgetShortcut);
    connect(rerunAction, &QAction::triggered, this, &MainWindow::rerunSelectedRun);
    m_runsView->insertActions(deleteAction, {openAction, rerunAction});

    // Tags and notes are edited in place, so a double-click there edits; elsewhere it opens.
    m_runsProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_runsProxy->setFilterKeyColumn(-1);
    auto* runsPage = new QWidget;
    auto* runsLayout = new QVBoxLayout(runsPage);
    auto* runsControls = new QHBoxLayout;
    auto* filter = new QLineEdit;
    filter->setObjectName("runsFilter");
    filter->setPlaceholderText(tr("Filter runs: model, method, tag, note, status… (Ctrl+F)"));
    filter->setClearButtonEnabled(true);
    connect(filter, &QLineEdit::textChanged, m_runsProxy, &QSortFilterProxyModel::setFilterFixedString);
    auto* focusFilter = new QAction(runsPage);
    focusFilter->setShortcut(QKeySequence::Find);
    focusFilter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(focusFilter, &QAction::triggered, filter, [filter] { filter->setFocus(); filter->selectAll(); });
    runsPage->addAction(focusFilter);
    runsControls->addWidget(filter, 1);
    for (QAction* action : {openAction, rerunAction, deleteAction}) {
        auto* button = new QPushButton(action->text());
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        runsControls->addWidget(button);
    }
    runsLayout->addLayout(runsControls);
    runsLayout->addWidget(m_runsView, 1);
    m_runDetails = new RunDetailsView;
    m_runDetails->setObjectName("runDetails");

    m_tabs->addTab(trainingPage, tr("&Training"));
    m_tabs->addTab(m_sparsityChart, tr("Layer &sparsity"));
    m_tabs->addTab(runsPage, tr("R&uns"));
    m_tabs->addTab(m_runDetails, tr("&Details"));
    m_maskInspector = new MaskInspector;
    m_maskInspector->setObjectName("maskInspector");
    m_tabs->addTab(m_maskInspector, tr("&Masks"));

    auto* compare = new QWidget;
    auto* compareLayout = new QVBoxLayout(compare);
    auto* compareControls = new QHBoxLayout;
    auto* xAxisChoice = new QComboBox;
    xAxisChoice->setObjectName("compareAxis");
    xAxisChoice->addItems({tr("Compression"), tr("Effective MACs"), tr("Measured latency (batch 64)"), tr("Size in bytes")});
    compareControls->addWidget(new QLabel(tr("Accuracy against")));
    compareControls->addWidget(xAxisChoice);
    auto* compareHint = new QLabel(tr("· the runs selected in the Runs tab (all when none; one iterative run: round "
                                      "by round; one run-time run: density by density)"));
    compareHint->setWordWrap(true);  // a long hint must not widen the window
    compareControls->addWidget(compareHint, 1);
    compareLayout->addLayout(compareControls);
    m_compareChart = new CompareChart;
    m_compareChart->setObjectName("compareChart");
    // Below the curves: the selected runs' layers overlaid, and the selection as a table.
    m_layerOverlay = new LayerOverlayChart;
    m_layerOverlay->setObjectName("layerOverlay");
    m_compareModel = new RunsTableModel(this);
    auto* compareTable = new QTableView;
    compareTable->setObjectName("compareTable");
    compareTable->setModel(m_compareModel);
    compareTable->verticalHeader()->hide();
    compareTable->setAlternatingRowColors(true);
    compareTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int column : {int(RunsTableModel::Name), int(RunsTableModel::Taxonomy), int(RunsTableModel::Dataset),
                       int(RunsTableModel::Started), int(RunsTableModel::Tags), int(RunsTableModel::Notes),
                       int(RunsTableModel::Status), int(RunsTableModel::Duration)})
        compareTable->setColumnHidden(column, true);
    auto* lower = new QSplitter(Qt::Horizontal);
    lower->addWidget(m_layerOverlay);
    lower->addWidget(compareTable);
    auto* compareSplitter = new QSplitter(Qt::Vertical);
    compareSplitter->addWidget(m_compareChart);
    compareSplitter->addWidget(lower);
    compareSplitter->setStretchFactor(0, 1);
    compareSplitter->setStretchFactor(1, 1);
    compareLayout->addWidget(compareSplitter, 1);
    connect(xAxisChoice, &QComboBox::currentIndexChanged, this, [this](int index) {
        const CompareChart::XAxis axes[] = {CompareChart::XAxis::Compression, CompareChart::XAxis::EffectiveMacs,
                                            CompareChart::XAxis::Latency, CompareChart::XAxis::Bytes};
        m_compareChart->setXAxis(axes[std::clamp(index, 0, 3)]);
    });
    connect(m_runsView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MainWindow::updateComparison);
    m_tabs->addTab(compare, tr("&Compare"));
    m_tabs->addTab(m_log, tr("&Log"));
    layout->addWidget(m_tabs, 1);
    return panel;
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* exportChart = file->addAction(tr("&Export chart…"), this, [this] {
        auto* view = viewOnTab<QChartView>(m_tabs->currentWidget());
        if (!view) {
            statusBar()->showMessage(tr("This tab has no chart: choose Training, Layer sparsity or Compare"), 5000);
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), exportDirectory() + "/chart.png",
                                                          tr("PNG image (*.png);;SVG drawing (*.svg)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveChart(view, path, &error))
            showError(tr("Cannot export the chart"), error);
        else
            exported(path);
    });
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    QAction* exportTable = file->addAction(tr("Export &table as CSV…"), this, [this] {
        auto* table = viewOnTab<QTableView>(m_tabs->currentWidget());
        if (!table) {
            statusBar()->showMessage(tr("This tab has no table: choose Runs or Details"), 5000);
            return;
        }
        const QString path = QFileDialog::getSaveFileName(this, tr("Export table"), exportDirectory() + "/table.csv",
                                                          tr("CSV (*.csv)"));
        if (path.isEmpty())
            return;
        QString error;
        if (!saveTableCsv(*table, path, &error))
            showError(tr("Cannot export the table"), error);
        else
            exported(path);
    });
    exportTable->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    QAction* report = file->addAction(tr("Export &report…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export report"),
            exportDirectory() + "/prunescope-report-" + QDate::currentDate().toString(Qt::ISODate) + ".html",
            tr("HTML report (*.html)"));
        if (!path.isEmpty())
            exportReport(path);
    });
    report->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    report->setToolTip(tr("The selected runs (or all finished runs shown) as one self-contained HTML file"));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run experiment"), this, &MainWindow::startRun);
    m_runAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_cancelAction = run->addAction(tr("&Cancel"), this, &MainWindow::cancelRun);
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    run->addSeparator();
    run->addAction(tr("Restore &default experiment"), this, [this] { setConfig(defaultExperiment()); });

    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction* action = view->addAction(m_tabs->tabText(i).remove('&'), this, [this, i] { m_tabs->setCurrentIndex(i); });
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    // Not QKeySequence::Refresh: that is F5 on Linux, which presents (as in slide software).
    view->addAction(tr("Refresh runs"), this, &MainWindow::refreshRuns)->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    view->addSeparator();
    QAction* present = view->addAction(tr("&Presentation mode"), this, &MainWindow::togglePresentation);
    present->setShortcut(QKeySequence(Qt::Key_F5));
    present->setToolTip(tr("The current tab's chart alone, full screen, in large type (F5 or Esc to leave)"));
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    for (auto [choice, label] : {std::pair{ThemeChoice::System, tr("Follow the &system")},
                                 std::pair{ThemeChoice::Light, tr("&Light")}, std::pair{ThemeChoice::Dark, tr("&Dark")}}) {
        QAction* action = theme->addAction(label, this, [this, choice = choice] { setTheme(choice); });
        action->setCheckable(true);
        action->setData(themeName(choice));
        action->setChecked(choice == m_theme);
        themes->addAction(action);
    }

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About PruneScope"), this, [this] {
        QMessageBox::about(this, tr("About PruneScope"),
                           tr("<h3>PruneScope %1</h3><p>A workbench for neural-network pruning experiments, "
                              "following the taxonomy of Cheng, Zhang &amp; Shi, <i>A survey on deep neural "
                              "network pruning</i> (TPAMI 2024).</p><p>%2<br>Qt %3</p><p>Runs: %4</p>")
                               .arg(PRUNESCOPE_VERSION, QString::fromStdString(engineVersions()).toHtmlEscaped(),
                                    qVersion(), m_databasePath.toHtmlEscaped()));
    });
}

void MainWindow::populateMethodTree()
{
    std::map<std::string, QTreeWidgetItem*> speedupItems;
    std::map<std::string, QTreeWidgetItem*> whenItems;
    for (const auto& method : methodCatalogue()) {
        QTreeWidgetItem*& speedup = speedupItems[method.taxonomy.speedup];
        if (!speedup) {
            speedup = new QTreeWidgetItem(m_methodTree, {capitalized(method.taxonomy.speedup)});
            speedup->setFlags(Qt::ItemIsEnabled);
        }
        QTreeWidgetItem*& when = whenItems[method.taxonomy.speedup + "/" + method.taxonomy.when];
        if (!when) {
            when = new QTreeWidgetItem(speedup, {capitalized(method.taxonomy.when)});
            when->setFlags(Qt::ItemIsEnabled);
        }
        auto* leaf = new QTreeWidgetItem(when, {QString::fromStdString(method.card.title),
                                                QString::fromStdString(method.taxonomy.criterion)});
        leaf->setData(0, Qt::UserRole, QString::fromStdString(method.id));
        leaf->setToolTip(0, QString::fromStdString(method.card.rule));
    }
    m_methodTree->expandAll();
}

void MainWindow::selectMethod(const QString& id)
{
    for (QTreeWidgetItemIterator it(m_methodTree); *it; ++it) {
        if ((*it)->data(0, Qt::UserRole).toString() == id) {
            m_methodTree->setCurrentItem(*it);
            return;
        }
    }
}

void MainWindow::onMethodSelected()
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
    noteModelMethodConflict();
}

bool MainWindow::isBrowseEntry(int index) const
{
    return m_modelCombo->itemData(index, kBrowseModelRole).toBool();
}

int MainWindow::modelFileEntry(const QString& path)
{
    const int existing = m_modelCombo->findData(path);
    if (existing >= 0)
        return existing;
    const int index = m_modelCombo->count() - 2;  // before the separator and "TorchScript file…"
    m_modelCombo->insertItem(index, QFileInfo(path).fileName(), path);
    m_modelCombo->setItemData(index, QFileInfo(path).isFile() ? path : tr("%1\nnot found: choose the file again").arg(path),
                              Qt::ToolTipRole);
    return index;
}

void MainWindow::browseModelFile()
{
    m_modelCombo->setCurrentIndex(m_modelIndex);  // the entry is an action, not a model
    const QString current = m_modelCombo->currentData().toString();
    const QString start = isModelFile(current.toStdString()) ? QFileInfo(current).absolutePath() : QDir::homePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("TorchScript model"), start,
                                                      tr("TorchScript models (*.pt *.pth);;All files (*)"));
    if (!path.isEmpty())
        useModelFile(path);
}

bool MainWindow::useModelFile(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QString description;
    try {
        // Reads the file and runs one forward pass: milliseconds for networks of this size.
        description = QString::fromStdString(describeModel(absolute.toStdString()));
    } catch (const std::exception& e) {
        showError(tr("Cannot use %1 as the model").arg(QFileInfo(path).fileName()), QString::fromStdString(e.what()));
        return false;
    }
    const int index = modelFileEntry(absolute);
    m_modelCombo->setItemData(index, absolute + "\n" + description, Qt::ToolTipRole);
    m_modelCombo->setCurrentIndex(index);
    appendLog(tr("model: %1 (%2)").arg(description, absolute));
    statusBar()->showMessage(description, 8000);
    noteModelMethodConflict();
    return true;
}

void MainWindow::noteModelMethodConflict()
{
    const QTreeWidgetItem* item = m_methodTree ? m_methodTree->currentItem() : nullptr;
    if (!item || item->data(0, Qt::UserRole).isNull())
        return;
    const std::string model = m_modelCombo->itemData(m_modelIndex).toString().toStdString();
    const MethodInfo& method = methodInfo(item->data(0, Qt::UserRole).toString().toStdString());
    if (isModelFile(model) && method.taxonomy.speedup == "structured")
        statusBar()->showMessage(tr("%1 cannot run on %2: %3")
                                     .arg(QString::fromStdString(method.card.title),
                                          QString::fromStdString(modelDisplayName(model)),
                                          QString::fromUtf8(kStructuredNeedsZooModel)));
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

ExperimentConfig MainWindow::currentConfig() const
{
    ExperimentConfig config = m_hiddenSettings;
    config.model = m_modelCombo->itemData(m_modelIndex).toString().toStdString();
    config.dataset.directory = m_dataDirectory->text().toStdString();
    if (m_quickLook->isChecked()) {
        config.dataset.trainLimit = m_hiddenSettings.dataset.trainLimit > 0 ? m_hiddenSettings.dataset.trainLimit : kQuickTrainLimit;
        config.dataset.testLimit = m_hiddenSettings.dataset.testLimit > 0 ? m_hiddenSettings.dataset.testLimit : kQuickTestLimit;
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
        config.name = modelDisplayName(config.model) + " · " + method->card.title +
                      (sparsity != config.methodParams.end()
                           ? " " + QString::number(std::get<double>(sparsity->second) * 100, 'g', 4).toStdString() + " %"
                           : std::string());
    }
    return config;
}

void MainWindow::setConfig(const ExperimentConfig& config)
{
    m_hiddenSettings = config;
    const QString model = QString::fromStdString(config.model);
    const int modelIndex = isModelFile(config.model) ? modelFileEntry(model) : m_modelCombo->findData(model);
    m_modelCombo->setCurrentIndex(std::max(0, modelIndex));
    m_dataDirectory->setText(QString::fromStdString(config.dataset.directory));
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

bool MainWindow::startRun()
{
    if (m_running)
        return false;
    const ExperimentConfig config = currentConfig();
    try {
        validateExperiment(config);
    } catch (const std::exception& e) {
        showError(tr("Cannot start the experiment"), QString::fromStdString(e.what()));
        return false;
    }
    m_hiddenSettings = config;
    ++m_generation;
    m_currentRunId = 0;
    m_trainingChart->clear();
    m_methodCurves->clear();
    m_methodCurves->hide();
    m_sparsityChart->clear();
    m_summaryLabel->clear();
    m_progress->setValue(0);
    m_stageLabel->setText(tr("Starting…"));
    m_tabs->setCurrentWidget(m_trainingChart->parentWidget());  // the live curves are what one watches now
    appendLog(tr("— starting: %1").arg(QString::fromStdString(config.name)));
    setRunning(true);
    const quint64 generation = m_generation;
    const QString databasePath = m_databasePath;
    ExperimentWorker* worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, generation, config, databasePath] { worker->start(generation, config, databasePath); },
        Qt::QueuedConnection);
    return true;
}

void MainWindow::cancelRun()
{
    if (!m_running)
        return;
    m_worker->cancel();
    m_stageLabel->setText(tr("Cancelling after the current batch…"));
    m_cancelButton->setEnabled(false);
}

void MainWindow::setRunning(bool running)
{
    m_running = running;
    m_runButton->setEnabled(!running);
    m_runAction->setEnabled(!running);
    m_cancelButton->setEnabled(running);
    m_cancelAction->setEnabled(running);
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_lastError = message;
    appendLog(title + ": " + message);
    statusBar()->showMessage(title + ": " + message);
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

void MainWindow::onRunStarted(quint64 generation, qint64 runId)
{
    if (generation != m_generation)
        return;
    m_currentRunId = runId;
    appendLog(tr("run %1 recorded in %2").arg(runId).arg(m_databasePath));
    refreshRuns();
}

void MainWindow::onProgress(quint64 generation, const ProgressEvent& event)
{
    if (generation != m_generation)
        return;
    m_progress->setValue(int(event.overallFraction * 1000));
    m_stageLabel->setText(QStringLiteral("%1 · ETA %2").arg(QString::fromStdString(event.message), formatEta(event.etaSeconds)));
}

void MainWindow::onEpoch(quint64 generation, const EpochMetrics& m)
{
    if (generation != m_generation)
        return;
    m_trainingChart->addEpoch(m);
    m_methodCurves->addEpoch(m);
    appendLog(QStringLiteral("%1 epoch %2: train loss %3, validation accuracy %4 %")
                  .arg(QString::fromStdString(m.phase))
                  .arg(m.epoch)
                  .arg(m.trainLoss, 0, 'f', 4)
                  .arg(m.validationAccuracy * 100, 0, 'f', 2));
}

void MainWindow::onPruningStep(quint64 generation, const PruningStep& step)
{
    if (generation != m_generation)
        return;
    m_sparsityChart->setLayers(step.layers, step.step);
}

void MainWindow::onLog(quint64 generation, const QString& message)
{
    if (generation == m_generation)
        appendLog(message);
}

void MainWindow::onFinished(quint64 generation, qint64 runId, const RunSummary& s)
{
    if (generation != m_generation)
        return;
    setRunning(false);
    m_progress->setValue(1000);
    m_stageLabel->setText(tr("Finished"));
    const QString summary =
        tr("<b>Run %1:</b> test accuracy <b>%2 %</b> (dense %3 %, right after pruning %4 %) · sparsity %5 % · "
           "compression %6× · effective MACs %7 M of %8 M (theoretical speedup %9×)")
            .arg(runId)
            .arg(s.testAccuracy * 100, 0, 'f', 2)
            .arg(s.denseTestAccuracy * 100, 0, 'f', 2)
            .arg(s.prunedTestAccuracy * 100, 0, 'f', 2)
            .arg(s.sparsity * 100, 0, 'f', 1)
            .arg(s.compressionRatio, 0, 'f', 1)
            .arg(s.effectiveMacs / 1e6, 0, 'f', 3)
            .arg(s.denseMacs / 1e6, 0, 'f', 3)
            .arg(s.theoreticalSpeedup, 0, 'f', 1);
    m_summaryLabel->setText(summary);
    statusBar()->showMessage(tr("Run %1 finished: test accuracy %2 %").arg(runId).arg(s.testAccuracy * 100, 0, 'f', 2));
    appendLog(tr("run %1 finished in %2 s").arg(runId).arg(s.durationSeconds, 0, 'f', 1));
    refreshRuns();
    Q_EMIT runEnded(runId, QStringLiteral("finished"));
}

void MainWindow::onCancelled(quint64 generation, qint64 runId)
{
    if (generation != m_generation)
        return;
    setRunning(false);
    m_stageLabel->setText(tr("Cancelled"));
    statusBar()->showMessage(tr("Run %1 cancelled; it is kept in the runs list as cancelled").arg(runId));
    appendLog(tr("run %1 cancelled").arg(runId));
    refreshRuns();
    Q_EMIT runEnded(runId, QStringLiteral("cancelled"));
}

void MainWindow::onFailed(quint64 generation, qint64 runId, const QString& message)
{
    if (generation != m_generation)
        return;
    setRunning(false);
    m_stageLabel->setText(tr("Failed"));
    refreshRuns();
    showError(tr("Run %1 failed").arg(runId), message);
    Q_EMIT runEnded(runId, QStringLiteral("failed"));
}

void MainWindow::refreshRuns()
{
    try {
        if (!m_store)
            m_store = std::make_unique<RunStore>(m_databasePath);
        m_runsModel->setRuns(m_store->listRuns());
        m_runsView->resizeColumnsToContents();
        updateComparison();
        // Long names must not push the numbers out of view; the tooltip has the whole config.
        m_runsView->setColumnWidth(RunsTableModel::Name, std::min(m_runsView->columnWidth(RunsTableModel::Name), 190));
    } catch (const std::exception& e) {
        m_store.reset();
        m_runsModel->setRuns({});
        showError(tr("Cannot read the run database"), QString::fromStdString(e.what()));
    }
}

void MainWindow::showStoredRun(qint64 runId)
{
    if (!m_store)
        return;
    try {
        const auto epochs = m_store->epochs(runId);
        m_trainingChart->setEpochs(epochs);
        m_methodCurves->setEpochs(epochs);
        m_methodCurves->setVisible(m_methodCurves->hasCurves());
        const auto steps = m_store->pruningSteps(runId, /*withMasks=*/false);
        if (!steps.empty())
            m_sparsityChart->setLayers(steps.back().layers, steps.back().step);
        else
            m_sparsityChart->clear();
        if (const auto run = m_store->findRun(runId)) {
            m_summaryLabel->setText(tr("<b>Stored run %1</b> (%2) · %3").arg(runId).arg(QString::fromLatin1(statusName(run->status)),
                                                                             QString::fromStdString(run->name).toHtmlEscaped()));
            m_runDetails->setRun(*run, steps.empty() ? std::vector<LayerStats>{} : steps.back().layers);
            m_maskInspector->setStore(m_store.get());
            m_maskInspector->setRun(runId);
        }
        m_tabs->setCurrentWidget(m_runDetails);
    } catch (const std::exception& e) {
        showError(tr("Cannot show run %1").arg(runId), QString::fromStdString(e.what()));
    }
}

void MainWindow::updateComparison()
{
    std::vector<StoredRun> runs;
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    if (rows.size() == 1 && m_store) {
        // One run with several measured steps (an iterative method): show it round by round.
        if (const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(rows.first()).row())) {
            try {
                const auto steps = m_store->pruningSteps(run->id, /*withMasks=*/false);
                // Run-time pruning: the network executed changes with every input.
                if (std::any_of(steps.begin(), steps.end(),
                                [](const PruningStep& step) { return step.metrics.count("macs_mean") > 0; })) {
                    m_compareChart->setExecutedMacs(*run, steps);
                    return;
                }
                int measured = 0;
                for (const auto& step : steps)
                    measured += step.metrics.count("test_accuracy") ? 1 : 0;
                if (measured >= 3) {
                    m_compareChart->setRounds(*run, steps);
                    return;
                }
            } catch (const std::exception& e) {
                appendLog(tr("cannot read the steps of run %1: %2").arg(run->id).arg(QString::fromStdString(e.what())));
            }
        }
    }
    if (rows.size() >= 2) {
        for (const QModelIndex& index : rows) {
            if (const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(index).row()))
                runs.push_back(*run);
        }
        std::sort(runs.begin(), runs.end(), [](const StoredRun& a, const StoredRun& b) { return a.id < b.id; });
        std::vector<std::pair<StoredRun, std::vector<LayerStats>>> layered;
        for (const auto& run : runs) {
            if (int(layered.size()) == LayerOverlayChart::kMaxRuns || !m_store)
                break;
            try {
                const auto steps = m_store->pruningSteps(run.id, /*withMasks=*/false);
                if (!steps.empty())
                    layered.push_back({run, steps.back().layers});
            } catch (const std::exception& e) {
                appendLog(tr("cannot read the layers of run %1: %2").arg(run.id).arg(QString::fromStdString(e.what())));
            }
        }
        m_layerOverlay->setRuns(layered);
    } else {
        m_layerOverlay->clear(tr("Select two or more runs of one model to overlay their layers"));
        for (int row = 0; row < m_runsModel->rowCount(); ++row)
            runs.push_back(*m_runsModel->runAt(row));
    }
    m_compareChart->setRuns(runs);
    runs.erase(std::remove_if(runs.begin(), runs.end(), [](const StoredRun& r) { return r.status != RunStatus::Finished; }),
               runs.end());
    m_compareModel->setRuns(runs);
}

void MainWindow::saveRunEdit(qint64 runId, int column, const QString& text)
{
    if (!m_store)
        return;
    try {
        if (column == RunsTableModel::Tags)
            m_store->setTags(runId, text.toStdString());
        else
            m_store->setNotes(runId, text.toStdString());
        statusBar()->showMessage(tr("Run %1: %2 saved").arg(runId).arg(column == RunsTableModel::Tags ? tr("tags") : tr("notes")), 4000);
    } catch (const std::exception& e) {
        showError(tr("Cannot save the edit of run %1").arg(runId), QString::fromStdString(e.what()));
        refreshRuns();  // show what the database really holds
    }
}

void MainWindow::rerunSelectedRun()
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    const StoredRun* run = rows.isEmpty() ? nullptr : m_runsModel->runAt(m_runsProxy->mapToSource(rows.first()).row());
    if (!run || m_running)
        return;
    // The stored config is the whole experiment (seed included): the setup shows it, then it runs.
    setConfig(run->config);
    appendLog(tr("— re-running run %1 with its stored config").arg(run->id));
    startRun();
}

void MainWindow::deleteSelectedRun()
{
    const QModelIndexList rows = m_runsView->selectionModel()->selectedRows();
    if (rows.isEmpty() || !m_store)
        return;
    const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(rows.first()).row());
    if (!run || (m_running && run->id == m_currentRunId))
        return;
    const qint64 runId = run->id;
    const auto answer = QMessageBox::question(this, tr("Delete run"),
                                              tr("Delete run %1 with its curves, layer statistics and masks? "
                                                 "This cannot be undone.").arg(runId));
    if (answer != QMessageBox::Yes)
        return;
    try {
        m_store->deleteRun(runId);
    } catch (const std::exception& e) {
        showError(tr("Cannot delete run %1").arg(runId), QString::fromStdString(e.what()));
    }
    refreshRuns();
}

QString MainWindow::exportDirectory() const
{
    const QString saved = QSettings().value("export/directory").toString();
    return !saved.isEmpty() && QDir(saved).exists() ? saved : QDir::homePath();
}

void MainWindow::exported(const QString& path)
{
    if (m_persistSettings)
        QSettings().setValue("export/directory", QFileInfo(path).absolutePath());
    appendLog(tr("exported %1").arg(path));
    statusBar()->showMessage(tr("Saved %1").arg(path), 6000);
}

bool MainWindow::exportReport(const QString& path)
{
    if (!m_store)
        return false;
    std::vector<int64_t> ids;
    for (const QModelIndex& row : m_runsView->selectionModel()->selectedRows())
        if (const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(row).row()))
            ids.push_back(run->id);
    if (ids.empty()) {  // nothing selected: every finished run the table shows, oldest first
        for (int row = m_runsProxy->rowCount() - 1; row >= 0; --row)
            if (const StoredRun* run = m_runsModel->runAt(m_runsProxy->mapToSource(m_runsProxy->index(row, 0)).row());
                run && run->status == RunStatus::Finished)
                ids.push_back(run->id);
        appendLog(tr("no runs selected: the report has every finished run shown (%1)").arg(ids.size()));
    }
    std::sort(ids.begin(), ids.end());
    QString error;
    if (!writeHtmlReport(*m_store, ids, path, &error)) {
        showError(tr("Cannot export the report"), error);
        return false;
    }
    exported(path);
    return true;
}

void MainWindow::togglePresentation()
{
    if (m_presentation->isActive()) {
        m_presentation->stop();
        return;
    }
    if (!m_presentation->start(m_presentFullScreen))
        statusBar()->showMessage(tr("This tab has no chart to present: choose Training, Layer sparsity or Compare"), 5000);
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
    setTheme(themeFromName(settings.value("view/theme", "system").toString()));
    const QString saved = settings.value("experiment/last").toString();
    if (saved.isEmpty())
        return;
    try {
        setConfig(experimentFromJson(saved.toStdString()));
    } catch (const std::exception& e) {
        appendLog(tr("the saved setup could not be read (%1); using the default experiment").arg(QString::fromStdString(e.what())));
    }
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("experiment/last", QString::fromStdString(toJson(currentConfig(), -1)));
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_running) {
        const auto answer = QMessageBox::question(this, tr("A run is in progress"),
                                                  tr("Cancel the running experiment and quit? It will be stored as cancelled."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_worker->cancel();
    }
    if (m_persistSettings)
        saveSettings();
    event->accept();
}

}  // namespace prunescope
