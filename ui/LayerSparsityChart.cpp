#include "LayerSparsityChart.h"

#include "ChartStyle.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QFontMetricsF>
#include <QHorizontalStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace prunescope {

LayerSparsityChart::LayerSparsityChart(QWidget* parent)
    : QChartView(parent), m_series(new QHorizontalStackedBarSeries), m_layerAxis(new QCategoryAxis),
      m_percentAxis(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Kept weights per layer"));
    chart->addSeries(m_series);
    setNiceRange(m_percentAxis, 0, 100);
    m_percentAxis->setTitleText(tr("weights kept (%)"));
    chart->addAxis(m_percentAxis, Qt::AlignBottom);
    // A value axis with named positions rather than a bar-category axis: the latter cuts every
    // name to "..." once the bars are thinner than a line of text; this one names as many layers
    // as there are lines for.
    m_layerAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_layerAxis->setGridLineVisible(false);
    m_layerAxis->setRange(-0.5, 0.5);
    chart->addAxis(m_layerAxis, Qt::AlignLeft);
    // The plot's height is known once the chart has laid itself out, after a resize.
    connect(chart, &QChart::plotAreaChanged, this, [this] { labelLayers(); });
    m_series->attachAxis(m_percentAxis);
    m_series->attachAxis(m_layerAxis);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 280);
    styleChart(chart);
}

void LayerSparsityChart::clear()
{
    m_series->clear();
    m_layerNames.clear();
    m_labelEvery = -1;
    labelLayers();
    m_barCount = 0;
    chart()->setTitle(tr("Kept weights per layer"));
    styleChart(chart());
}

void LayerSparsityChart::setLayers(const std::vector<LayerStats>& layers, int step)
{
    clear();
    auto* pruned = new QBarSet(tr("pruned layer"));
    auto* untouched = new QBarSet(tr("not pruned"));
    pruned->setColor(m_prunedColour);
    untouched->setColor(QColor(0xb0, 0xb0, 0xb0));
    m_layerNames.clear();
    // Bars are drawn bottom-up; reverse so the first layer is at the top, as in the network.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const double percent = std::round(it->density() * 1000.0) / 10.0;
        m_layerNames << QString::fromStdString(it->name);
        pruned->append(it->pruned ? percent : 0.0);
        untouched->append(it->pruned ? 0.0 : percent);
    }
    m_series->append(pruned);
    m_series->append(untouched);
    m_barCount = int(layers.size());
    labelLayers();
    chart()->setTitle(step == 0 ? tr("Kept weights per layer (dense)")
                                : tr("Kept weights per layer after pruning step %1").arg(step));
    styleChart(chart());
}

void LayerSparsityChart::labelLayers()
{
    const int count = int(m_layerNames.size());
    const double plotHeight = chart()->plotArea().height() > 0 ? chart()->plotArea().height() : height() * 0.6;
    const double line = QFontMetricsF(m_layerAxis->labelsFont()).height() * 1.3;
    const int every = count == 0 ? 0 : std::max(1, int(std::ceil(count * line / std::max(1.0, plotHeight))));
    // Relabelling moves the plot area (the labels' width), which calls this again: stop when the
    // same names would be drawn.
    if (every == m_labelEvery && m_layerAxis->count() == (count == 0 ? 0 : (count - 1) / every + 1))
        return;
    m_labelEvery = every;
    for (const QString& label : m_layerAxis->categoriesLabels())
        m_layerAxis->remove(label);
    m_layerAxis->setRange(-0.5, std::max(0.5, count - 0.5));
    m_layerAxis->setStartValue(-0.5);
    // Bar i of the series sits at value i; the names go where the bars are, the first layer's
    // (the last bar) always among them.
    for (int bar = count == 0 ? count : (count - 1) % every; bar < count; bar += every)
        m_layerAxis->append(m_layerNames[bar], bar);
}

QStringList LayerSparsityChart::shownLayerNames() const
{
    return m_layerAxis->categoriesLabels();
}

}  // namespace prunescope
