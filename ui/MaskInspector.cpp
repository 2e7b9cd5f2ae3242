#include "MaskInspector.h"

#include "MaskHeatmap.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace prunescope {
namespace {

QString shapeText(const std::vector<int64_t>& shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << QString::number(d);
    return parts.join(QStringLiteral(" × "));
}

QString stepName(const PruningStep& step)
{
    return step.step == 0 ? QObject::tr("dense (step 0)") : QObject::tr("after pruning step %1").arg(step.step);
}

constexpr int kHistogramBins = 24;

}  // namespace

MaskInspector::MaskInspector(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_step(new QComboBox)
    , m_magnitude(new QCheckBox(tr("Colour by |w|")))
    , m_compareRun(new QSpinBox)
    , m_compareStep(new QComboBox)
    , m_layers(new QStandardItemModel(this))
    , m_table(new QTableView)
    , m_heatmap(new MaskHeatmap)
    , m_compareHeatmap(new MaskHeatmap)
    , m_caption(new QLabel)
    , m_compareCaption(new QLabel)
    , m_hover(new QLabel)
    , m_histogram(new QChartView)
{
    m_step->setObjectName("maskStep");
    m_compareRun->setObjectName("maskCompareRun");
    m_compareRun->setRange(0, std::numeric_limits<int>::max());
    m_compareRun->setSpecialValueText(tr("none"));
    m_compareRun->setToolTip(tr("Another run's mask of the same layer beside this one (0: none)"));
    m_magnitude->setToolTip(tr("Kept weights shaded by their magnitude in the run's final network"));
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
    m_histogram->setChart(new QChart);
    m_histogram->setMinimumHeight(170);
    m_histogram->setRenderHint(QPainter::Antialiasing);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_title, 1);
    controls->addWidget(new QLabel(tr("Step")));
    controls->addWidget(m_step);
    controls->addWidget(m_magnitude);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Compare with run")));
    controls->addWidget(m_compareRun);
    controls->addWidget(m_compareStep);

    auto* maps = new QGridLayout;
    maps->addWidget(m_caption, 0, 0);
    maps->addWidget(m_compareCaption, 0, 1);
    maps->addWidget(m_heatmap, 1, 0);
    maps->addWidget(m_compareHeatmap, 1, 1);
    maps->setRowStretch(1, 1);
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(maps, 3);
    rightLayout->addWidget(m_hover);
    rightLayout->addWidget(m_histogram, 1);
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
    connect(m_compareRun, &QSpinBox::editingFinished, this, [this] { setCompareRun(m_compareRun->value()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& index) {
        m_layer = index.isValid() ? m_layers->item(index.row(), Layer)->text() : QString();
        showHeatmaps();
        showHistogram();
    });
    for (MaskHeatmap* map : {m_heatmap, m_compareHeatmap})
        connect(map, &MaskHeatmap::hovered, m_hover, &QLabel::setText);
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
    side.steps = m_store->pruningSteps(runId, /*withMasks=*/true);
    if (run->summary.modelFile.empty()) {
        side.weightsProblem = tr("run %1 kept no final network").arg(runId);
    } else {
        try {
            for (auto& layer : loadLayerWeights(run->summary.modelFile))
                side.weights[layer.layer] = std::move(layer);
        } catch (const std::exception& e) {
            side.weightsProblem = QString::fromStdString(e.what());
        }
    }
    return true;
}

void MaskInspector::setRun(qint64 runId)
{
    m_runId = runId;
    const QString keepLayer = m_layer;
    if (!load(runId, m_main)) {
        m_title->setText(tr("No run %1").arg(runId));
        m_layers->clear();
        m_heatmap->clear(tr("No such run"));
        return;
    }
    const auto run = m_store->findRun(runId);
    m_title->setText(tr("<b>Run %1</b> · %2").arg(runId).arg(QString::fromStdString(run->name).toHtmlEscaped()));
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

void MaskInspector::setCompareRun(qint64 runId)
{
    if (m_compareRun->value() != runId)
        m_compareRun->setValue(int(runId));
    const QSignalBlocker block(m_compareStep);
    m_compareStep->clear();
    if (runId <= 0 || !load(runId, m_compare)) {
        m_compare = Side{};
        m_compareHeatmap->hide();
        m_compareCaption->clear();
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
        QList<QStandardItem*> row{new QStandardItem(QString::fromStdString(layer.name)), new QStandardItem(shapeText(layer.shape)),
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
    const auto mask = std::find_if(masks.begin(), masks.end(), [&](const MaskSnapshot& m) { return QString::fromStdString(m.layer) == m_layer; });
    if (mask == masks.end()) {
        target->clear(tr("Run %1 has no layer %2").arg(side.runId).arg(m_layer));
        return;
    }
    std::vector<float> weights;
    if (m_magnitude->isChecked()) {
        auto it = side.weights.find(mask->layer);
        // A thinned network's layer is smaller than its mask: no weight lines up with a cell.
        if (it != side.weights.end() && it->second.shape == mask->shape)
            weights = it->second.values;
        else
            m_hover->setText(side.weightsProblem.isEmpty() ? tr("|w| colouring needs the final network in the mask's shape "
                                                              "(channels were removed from run %1)").arg(side.runId)
                                                           : side.weightsProblem);
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
    QChart* chart = m_histogram->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
    m_histogramCount = 0;
    auto it = m_main.weights.find(m_layer.toStdString());
    if (it == m_main.weights.end()) {
        chart->setTitle(m_main.weightsProblem.isEmpty() ? tr("No final weights for this layer") : m_main.weightsProblem);
        return;
    }
    // The final network's surviving weights: what pruning and fine-tuning left of the layer.
    std::vector<float> kept;
    for (float w : it->second.values)
        if (w != 0.0f)
            kept.push_back(w);
    if (kept.empty()) {
        chart->setTitle(tr("%1: every weight is zero").arg(m_layer));
        return;
    }
    const auto [lo, hi] = std::minmax_element(kept.begin(), kept.end());
    const double low = *lo, width = std::max(1e-12, double(*hi - *lo)) / kHistogramBins;
    std::vector<int> counts(kHistogramBins, 0);
    for (float w : kept)
        ++counts[size_t(std::clamp(int((w - low) / width), 0, kHistogramBins - 1))];
    auto* set = new QBarSet(tr("non-zero weights of the final network"));
    set->setColor(QColor(0x1f, 0x77, 0xb4));
    QStringList labels;
    for (int b = 0; b < kHistogramBins; ++b) {
        *set << counts[size_t(b)];
        labels << QString::number(b);
    }
    m_histogramCount = int(kept.size());
    auto* series = new QBarSeries;
    series->setBarWidth(1.0);
    series->append(set);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    // Bin labels do not fit under narrow bars: the range goes in the axis title instead.
    x->setLabelsVisible(false);
    x->setTitleText(tr("w from %1 to %2").arg(low, 0, 'g', 2).arg(double(*hi), 0, 'g', 2));
    auto* y = new QValueAxis;
    y->setLabelFormat("%d");
    y->setTitleText(tr("count"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    y->setRange(0, *std::max_element(counts.begin(), counts.end()) * 1.05);
    chart->setTitle(tr("%1: %2 non-zero weights after pruning and fine-tuning").arg(m_layer).arg(kept.size()));
    chart->legend()->hide();
}

}  // namespace prunescope
