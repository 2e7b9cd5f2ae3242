#include "MaskInspector.h"
#include "UiTypes.h"

#include "LayoutGuards.h"
#include "MaskHeatmap.h"
#include "WeightHistogramChart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QAction>
#include <QComboBox>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace prunescope {
namespace {

QString stepName(const PruningStep& step)
{
    if (step.step == 0)
        return QObject::tr("dense (step 0)");
    // During-training methods store their masks after every epoch of the pruning phase.
    if (const auto epoch = step.metrics.find("epoch"); epoch != step.metrics.end())
        return QObject::tr("after epoch %1 (step %2)").arg(int(epoch->second)).arg(step.step);
    return QObject::tr("after pruning step %1").arg(step.step);
}

}  // namespace

MaskInspector::MaskInspector(QWidget* parent)
    : QWidget(parent), m_title(new ElidedLabel), m_step(new QComboBox), m_magnitude(new QCheckBox(tr("Colour by |w|"))),
      m_compareRun(new QComboBox), m_compareStep(new QComboBox), m_layers(new QStandardItemModel(this)),
      m_table(new QTableView), m_heatmap(new MaskHeatmap), m_compareHeatmap(new MaskHeatmap), m_caption(new QLabel),
      m_compareCaption(new QLabel), m_hover(new QLabel), m_histogram(new WeightHistogramChart),
      m_histogramNote(new QLabel)
{
    m_step->setObjectName("maskStep");
    m_compareRun->setObjectName("maskCompareRun");
    m_compareRun->addItem(tr("none"), qint64(0));
    m_compareRun->setToolTip(tr("Another run's mask of the same layer beside this one"));
    // Long run names and step names must not widen the window: the combos elide.
    for (QComboBox* combo : {m_step, m_compareRun, m_compareStep}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(10);
    }
    m_magnitude->setToolTip(tr("Kept weights shaded by their magnitude: the dense network's at step 0, the final "
                               "(fine-tuned) network's at later steps"));
    m_table->setObjectName("maskLayers");
    m_table->setModel(m_layers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_heatmap->setObjectName("maskHeatmap");
    m_compareHeatmap->setObjectName("maskCompareHeatmap");
    m_compareHeatmap->hide();
    m_histogram->setObjectName("maskHistogram");
    m_hover->setObjectName("maskHover");
    m_caption->setObjectName("maskCaption");
    m_compareCaption->setObjectName("maskCompareCaption");

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
    controls->addWidget(new QLabel(tr("Step")));
    controls->addWidget(m_step);
    controls->addWidget(m_magnitude);
    auto* fit = new QToolButton;
    fit->setObjectName("maskFit");
    fit->setText(tr("Fit"));
    fit->setToolTip(tr("Fit both masks to their panes (Ctrl+0, or double-click a mask)"));
    controls->addWidget(fit);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Compare with")));
    controls->addWidget(m_compareRun);
    controls->addWidget(m_compareStep);

    auto* maps = new QGridLayout;
    maps->addWidget(m_caption, 0, 0);
    maps->addWidget(m_compareCaption, 0, 1);
    maps->addWidget(m_heatmap, 1, 0);
    maps->addWidget(m_compareHeatmap, 1, 1);
    maps->setRowStretch(1, 1);
    // The masks above, the histogram below, in a splitter: each keeps a usable height (the
    // histogram never shrinks to a strip with "..." for labels), the user moves the line.
    auto* mapsPane = new QWidget;
    auto* mapsLayout = new QVBoxLayout(mapsPane);
    mapsLayout->setContentsMargins(0, 0, 0, 0);
    mapsLayout->addLayout(maps, 1);
    mapsLayout->addWidget(m_hover);
    auto* histogramPane = new QWidget;
    auto* histogramLayout = new QVBoxLayout(histogramPane);
    histogramLayout->setContentsMargins(0, 0, 0, 0);
    histogramLayout->addWidget(m_histogram, 1);
    histogramLayout->addWidget(m_histogramNote);
    m_histogramNote->setObjectName("maskHistogramNote");
    m_histogramNote->setWordWrap(true);
    auto* right = new QSplitter(Qt::Vertical);
    right->setObjectName("maskSplitter");
    right->addWidget(mapsPane);
    right->addWidget(histogramPane);
    right->setChildrenCollapsible(false);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* splitter = new QSplitter;
    splitter->addWidget(m_table);
    splitter->addWidget(right);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({330, 700});
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    connect(m_step, &QComboBox::currentIndexChanged, this, [this] {
        showLayers();
        showHeatmaps();
    });
    connect(m_compareStep, &QComboBox::currentIndexChanged, this, [this] { showHeatmaps(); });
    connect(m_magnitude, &QCheckBox::toggled, this, [this] { showHeatmaps(); });
    connect(m_compareRun, &QComboBox::activated, this,
            [this] { setCompareRun(m_compareRun->currentData().toLongLong()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
        m_layer = index.isValid() ? m_layers->item(index.row(), Layer)->text() : QString();
        showHeatmaps();
        showHistogram();
    });
    for (MaskHeatmap* map : {m_heatmap, m_compareHeatmap})
        connect(map, &MaskHeatmap::hovered, m_hover, &QLabel::setText);
    connect(fit, &QToolButton::clicked, this, &MaskInspector::fitHeatmaps);
    // Scoped to this tab, so it cannot collide with the main window's shortcuts.
    auto* fitAction = new QAction(tr("Fit masks"), this);
    fitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    fitAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(fitAction, &QAction::triggered, this, &MaskInspector::fitHeatmaps);
    addAction(fitAction);
    m_heatmap->clear(tr("Double-click a run in the Runs tab, then choose a layer here"));
}

bool MaskInspector::load(qint64 runId, Side& side)
{
    side = Side{};
    if (!m_store || runId <= 0)
        return false;
    const auto run = m_store->findRun(runId);
    if (!run)
        return false;
    side.runId = runId;
    side.generation = ++m_generation;
    side.steps = m_store->pruningSteps(runId, /*withMasks=*/true);
    side.weightsProblem = side.denseProblem = tr("reading run %1's networks…").arg(runId);

    // Checkpoints are read on a pool thread: a TorchScript model can be large, and the window
    // must stay responsive. The masks above are enough to draw until the weights arrive.
    const WeightLoader loadWeights = m_loadWeights ? m_loadWeights : WeightLoader(&loadLayerWeights);
    const std::string modelFile = run->summary.modelFile;
    auto* watcher = new QFutureWatcher<LoadedWeights>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, target = &side, generation = side.generation] {
                LoadedWeights loaded = watcher->result();
                watcher->deleteLater();
                if (target->generation != generation)
                    return;  // another run was chosen meanwhile
                static_cast<LoadedWeights&>(*target) = std::move(loaded);
                showHeatmaps();
                if (target == &m_main)
                    showHistogram();
                Q_EMIT weightsLoaded(target->runId);
            });
    watcher->setFuture(QtConcurrent::run([loadWeights, modelFile, runId] {
        LoadedWeights loaded;
        const auto read = [&](const std::string& file, std::map<std::string, LayerWeights>& into, QString& problem) {
            try {
                for (auto& layer : loadWeights(file))
                    into[layer.layer] = std::move(layer);
            } catch (const std::exception& e) {
                problem = QString::fromStdString(e.what());
            }
        };
        if (modelFile.empty()) {
            loaded.weightsProblem = tr("run %1 kept no final network").arg(runId);
            loaded.denseProblem = tr("run %1 kept no dense network").arg(runId);
            return loaded;
        }
        read(modelFile, loaded.weights, loaded.weightsProblem);
        const std::string dense = denseCheckpointBeside(modelFile);
        if (QFileInfo::exists(QString::fromStdString(dense)))
            read(dense, loaded.dense, loaded.denseProblem);
        else  // runs recorded before runs kept their dense network
            loaded.denseProblem = tr("run %1 kept no dense network").arg(runId);
        return loaded;
    }));
    return true;
}

void MaskInspector::fitHeatmaps()
{
    m_heatmap->fitToView();
    m_compareHeatmap->fitToView();
}

void MaskInspector::setRun(qint64 runId)
{
    m_runId = runId;
    const QString keepLayer = m_layer;
    if (!load(runId, m_main)) {
        m_title->setFullText(tr("No run %1").arg(runId));
        m_layers->clear();
        m_heatmap->clear(tr("No such run"));
        return;
    }
    const auto run = m_store->findRun(runId);
    m_title->setFullText(tr("Run %1 · %2").arg(runId).arg(QString::fromStdString(run->name)));
    const QSignalBlocker block(m_step);
    m_step->clear();
    for (const auto& step : m_main.steps)
        m_step->addItem(stepName(step));
    m_step->setCurrentIndex(m_step->count() - 1);  // the network as pruned
    showLayers();
    if (!keepLayer.isEmpty())
        selectLayer(keepLayer);
    if (m_layer.isEmpty() && m_layers->rowCount() > 0)
        m_table->selectRow(0);
    showHeatmaps();
    showHistogram();
}

void MaskInspector::setRunChoices(const std::vector<StoredRun>& runs)
{
    const qint64 current = m_compareRun->currentData().toLongLong();
    const QSignalBlocker block(m_compareRun);
    m_compareRun->clear();
    m_compareRun->addItem(tr("none"), qint64(0));
    for (const StoredRun& run : runs) {
        if (run.status != RunStatus::Finished)
            continue;  // only a finished run has its final masks
        m_compareRun->addItem(QStringLiteral("%1 · %2").arg(run.id).arg(QString::fromStdString(run.name)),
                              qint64(run.id));
        m_compareRun->setItemData(m_compareRun->count() - 1, QString::fromStdString(run.name), Qt::ToolTipRole);
    }
    m_compareRun->setCurrentIndex(std::max(0, m_compareRun->findData(current)));
}

void MaskInspector::setCompareRun(qint64 runId)
{
    if (m_compareRun->findData(runId) < 0)  // e.g. a run not (yet) among the choices
        m_compareRun->addItem(tr("run %1").arg(runId), runId);
    m_compareRun->setCurrentIndex(m_compareRun->findData(runId));
    const QSignalBlocker block(m_compareStep);
    m_compareStep->clear();
    bool loaded = false;
    QString problem;
    try {
        loaded = runId > 0 && load(runId, m_compare);
    } catch (const std::exception& e) {  // typed in the spin box: no caller above to catch it
        problem = tr("Cannot read run %1: %2").arg(runId).arg(QString::fromStdString(e.what()));
    }
    if (!loaded) {
        m_compare = Side{};
        m_compareHeatmap->hide();
        m_compareCaption->setText(problem);
        return;
    }
    for (const auto& step : m_compare.steps)
        m_compareStep->addItem(stepName(step));
    m_compareStep->setCurrentIndex(m_compareStep->count() - 1);
    m_compareHeatmap->show();
    showHeatmaps();
}

void MaskInspector::setStep(int stepIndex)
{
    m_step->setCurrentIndex(stepIndex);
}

void MaskInspector::selectLayer(const QString& name)
{
    for (int row = 0; row < m_layers->rowCount(); ++row)
        if (m_layers->item(row, Layer)->text() == name) {
            m_table->selectRow(row);
            m_table->setCurrentIndex(m_layers->index(row, Layer));
            return;
        }
}

void MaskInspector::setColourByMagnitude(bool on)
{
    m_magnitude->setChecked(on);
}

void MaskInspector::showLayers()
{
    const int index = m_step->currentIndex();
    const QString keep = m_layer;
    m_layers->clear();
    m_layers->setHorizontalHeaderLabels({tr("Layer"), tr("Shape"), tr("Density"), tr("Channels kept")});
    if (index < 0 || index >= int(m_main.steps.size()))
        return;
    for (const auto& layer : m_main.steps[size_t(index)].layers) {
        QList<QStandardItem*> row{
            new QStandardItem(QString::fromStdString(layer.name)), new QStandardItem(shapeText(layer.shape)),
            new QStandardItem(QString::number(layer.density() * 100, 'f', 1) + " %"),
            new QStandardItem(layer.channels ? QString("%1 / %2").arg(layer.channelsKept).arg(layer.channels)
                                             : QString("–"))};
        if (!layer.pruned)
            row.front()->setToolTip(tr("The method left this layer alone"));
        m_layers->appendRow(row);
    }
    m_table->resizeColumnsToContents();
    m_layer.clear();
    if (!keep.isEmpty())
        selectLayer(keep);
}

void MaskInspector::paint(const Side& side, int stepIndex, MaskHeatmap* target)
{
    QLabel* caption = target == m_heatmap ? m_caption : m_compareCaption;
    caption->setText(stepIndex >= 0 && stepIndex < int(side.steps.size())
                         ? tr("run %1 · %2 · %3").arg(side.runId).arg(m_layer, stepName(side.steps[size_t(stepIndex)]))
                         : QString());
    if (stepIndex < 0 || stepIndex >= int(side.steps.size())) {
        target->clear(tr("Run %1 has no stored masks").arg(side.runId));
        return;
    }
    const auto& masks = side.steps[size_t(stepIndex)].masks;
    const auto mask = std::find_if(masks.begin(), masks.end(),
                                   [&](const MaskSnapshot& m) { return QString::fromStdString(m.layer) == m_layer; });
    if (mask == masks.end()) {
        // A layer the method left alone (N:M's conv1 with 9 inputs per output) has no stored mask.
        const auto& layers = side.steps[size_t(stepIndex)].layers;
        const bool listed = std::any_of(layers.begin(), layers.end(), [&](const LayerStats& layer) {
            return QString::fromStdString(layer.name) == m_layer;
        });
        target->clear(listed ? tr("Run %1 left %2 dense: no mask was stored for it").arg(side.runId).arg(m_layer)
                             : tr("Run %1 has no layer %2").arg(side.runId).arg(m_layer));
        return;
    }
    std::vector<float> weights;
    if (m_magnitude->isChecked()) {
        // Step 0 is the dense network; later masks are shown over what pruning left.
        const bool dense = side.steps[size_t(stepIndex)].step == 0;
        const auto& source = dense ? side.dense : side.weights;
        const QString& problem = dense ? side.denseProblem : side.weightsProblem;
        auto it = source.find(mask->layer);
        // A thinned network's layer is smaller than its mask: no weight lines up with a cell.
        if (it != source.end() && it->second.shape == mask->shape) {
            weights = it->second.values;
            // Only the dense and the final network are kept: an earlier step (a round, an epoch)
            // is shaded with the final weights, and the caption says so.
            if (!dense && stepIndex + 1 < int(side.steps.size()))
                caption->setText(caption->text() + tr(" · shaded by the final network's |w|"));
        } else if (!problem.isEmpty())
            m_hover->setText(tr("No |w| colouring: %1").arg(problem));
        else if (it != source.end())
            m_hover->setText(tr("No |w| colouring: run %1's final %2 is %3, its mask %4 (channels were removed)")
                                 .arg(side.runId)
                                 .arg(m_layer, shapeText(it->second.shape), shapeText(mask->shape)));
        else
            m_hover->setText(tr("No |w| colouring: run %1's network has no layer %2").arg(side.runId).arg(m_layer));
    }
    target->setMask(*mask, weights);
}

void MaskInspector::showHeatmaps()
{
    if (m_layer.isEmpty()) {
        m_heatmap->clear(tr("Choose a layer"));
        return;
    }
    paint(m_main, m_step->currentIndex(), m_heatmap);
    if (m_compare.runId > 0)
        paint(m_compare, m_compareStep->currentIndex(), m_compareHeatmap);
}

void MaskInspector::showHistogram()
{
    m_histogram->clear();
    m_histogramCount = m_histogramBeforeCount = 0;
    m_histogramProblem.clear();
    m_histogramNote->clear();
    if (m_layer.isEmpty())
        return;
    const std::string layer = m_layer.toStdString();

    // Before: every weight of the dense network's layer.
    QStringList problems;
    std::vector<float> before;
    if (auto it = m_main.dense.find(layer); it != m_main.dense.end())
        before = it->second.values;
    else
        problems << tr("Before: %1.")
                        .arg(m_main.denseProblem.isEmpty() ? tr("the dense network has no layer %1").arg(m_layer)
                                                           : m_main.denseProblem);
    // After: the final network's non-zero weights (pruned, then fine-tuned); a thinned layer's
    // removed channels are simply absent. Without a final network, the dense weights the last
    // mask keeps, labelled as such (fine-tuning is then not in the picture).
    std::vector<float> after;
    bool haveAfter = false;
    QString afterName = tr("after: non-zero weights of the final network");
    if (auto it = m_main.weights.find(layer); it != m_main.weights.end()) {
        haveAfter = true;
        for (float w : it->second.values)
            if (w != 0.0f)
                after.push_back(w);
    } else if (!before.empty() && !m_main.steps.empty()) {
        const auto& masks = m_main.steps.back().masks;
        const auto mask
            = std::find_if(masks.begin(), masks.end(), [&](const MaskSnapshot& m) { return m.layer == layer; });
        if (mask != masks.end() && mask->numel() == int64_t(before.size())) {
            haveAfter = true;
            for (int64_t i = 0; i < mask->numel(); ++i)
                if (mask->kept(i))
                    after.push_back(before[size_t(i)]);
            afterName = tr("after: dense weights the final mask keeps");
            problems << tr("After: %1, so the dense weights under the final mask are shown (without fine-tuning).")
                            .arg(m_main.weightsProblem.isEmpty() ? tr("no final weights") : m_main.weightsProblem);
        }
    }
    if (!haveAfter)
        problems << tr("After: %1.")
                        .arg(m_main.weightsProblem.isEmpty() ? tr("the final network has no layer %1").arg(m_layer)
                                                             : m_main.weightsProblem);
    m_histogramProblem = problems.join(' ');
    m_histogramNote->setText(m_histogramProblem);
    m_histogramBeforeCount = int(before.size());
    m_histogramCount = int(after.size());
    if (before.empty() && after.empty()) {
        m_histogram->clear(haveAfter ? tr("%1: every weight is zero").arg(m_layer)
                                     : tr("%1: no weights to show").arg(m_layer));
        return;
    }
    m_histogram->setWeights(m_layer, before, tr("before: dense weights"), haveAfter ? after : std::vector<float>{},
                            afterName);
}

}  // namespace prunescope
