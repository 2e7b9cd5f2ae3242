#include "LayerSparsityChart.h"

#include "ChartStyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalStackedBarSeries>
#include <QValueAxis>

namespace prunescope {

LayerSparsityChart::LayerSparsityChart(QWidget* parent)
    : QChartView(parent), m_series(new QHorizontalStackedBarSeries), m_layerAxis(new QBarCategoryAxis),
      m_percentAxis(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Kept weights per layer"));
    chart->addSeries(m_series);
    setNiceRange(m_percentAxis, 0, 100);
    m_percentAxis->setTitleText(tr("weights kept (%)"));
    chart->addAxis(m_percentAxis, Qt::AlignBottom);
    chart->addAxis(m_layerAxis, Qt::AlignLeft);
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
    m_layerAxis->clear();
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
    QStringList names;
    // Bars are drawn bottom-up; reverse so the first layer is at the top, as in the network.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const double percent = std::round(it->density() * 1000.0) / 10.0;
        names << QString::fromStdString(it->name);
        pruned->append(it->pruned ? percent : 0.0);
        untouched->append(it->pruned ? 0.0 : percent);
    }
    m_series->append(pruned);
    m_series->append(untouched);
    m_layerAxis->append(names);
    m_barCount = int(layers.size());
    chart()->setTitle(step == 0 ? tr("Kept weights per layer (dense)")
                                : tr("Kept weights per layer after pruning step %1").arg(step));
    styleChart(chart());
}

}  // namespace prunescope
