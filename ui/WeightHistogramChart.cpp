#include "WeightHistogramChart.h"

#include "ChartStyle.h"

#include <QAreaSeries>
#include <QChart>
#include <QCursor>
#include <QLineSeries>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace prunescope {

WeightHistogramChart::WeightHistogramChart(QWidget* parent) : QChartView(parent)
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    // Title, legend, two axes and a plot one can read: never squeezed to a strip.
    setMinimumHeight(280);
    clear();
}

void WeightHistogramChart::clear(const QString& title)
{
    QChart* chart = this->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;  // removeAxis hands the axis back; nobody else holds it
    }
    m_counts.clear();
    m_names.clear();
    chart->setTitle(title);
    styleChart(chart);
}

void WeightHistogramChart::setWeights(const QString& layer, const std::vector<float>& before, const QString& beforeName,
                                      const std::vector<float>& after, const QString& afterName)
{
    clear();
    QChart* chart = this->chart();
    if (before.empty() && after.empty())
        return;
    // One set of bins for both, so the outlines compare.
    float lo = std::numeric_limits<float>::max(), hi = std::numeric_limits<float>::lowest();
    for (const auto* values : {&before, &after})
        for (float w : *values) {
            lo = std::min(lo, w);
            hi = std::max(hi, w);
        }
    m_low = lo;
    m_width = std::max(1e-12, double(hi) - double(lo)) / kBins;
    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(tr("weight value w (%1 bins)").arg(kBins));
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("count"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    int highest = 1;
    const QColor grey(0x99, 0x99, 0x99), blue = SeriesPalette::colours()[0];
    for (const auto& [values, name, colour] :
         {std::tuple{&before, beforeName, grey}, std::tuple{&after, afterName, blue}}) {
        if (values->empty())
            continue;
        std::vector<int> counts(kBins, 0);
        for (float w : *values)
            ++counts[size_t(std::clamp(int((w - m_low) / m_width), 0, kBins - 1))];
        highest = std::max(highest, *std::max_element(counts.begin(), counts.end()));
        // The step outline: up and across each bin, down at the end.
        auto* outline = new QLineSeries;
        outline->append(m_low, 0);
        for (int b = 0; b < kBins; ++b) {
            outline->append(m_low + b * m_width, counts[size_t(b)]);
            outline->append(m_low + (b + 1) * m_width, counts[size_t(b)]);
        }
        outline->append(m_low + kBins * m_width, 0);
        auto* area = new QAreaSeries(outline);
        area->setName(name);
        QColor fill = colour;
        fill.setAlphaF(0.35);
        area->setBrush(fill);
        area->setPen(QPen(colour, 2));
        chart->addSeries(area);
        area->attachAxis(xAxis);
        area->attachAxis(yAxis);
        m_counts.push_back(std::move(counts));
        m_names << name;
        connect(area, &QAreaSeries::hovered, this, [this](const QPointF& point, bool state) {
            const int bin = int(std::floor((point.x() - m_low) / m_width));
            if (!state || bin < 0 || bin >= kBins) {
                QToolTip::hideText();
                return;
            }
            QStringList lines{tr("w from %1 to %2")
                                  .arg(m_low + bin * m_width, 0, 'g', 3)
                                  .arg(m_low + (bin + 1) * m_width, 0, 'g', 3)};
            for (size_t side = 0; side < m_counts.size(); ++side)
                lines << tr("%1: %2").arg(m_names[int(side)]).arg(m_counts[side][size_t(bin)]);
            QToolTip::showText(QCursor::pos(), lines.join('\n'), this);
        });
    }
    setNiceRange(xAxis, lo, hi);
    setNiceRange(yAxis, 0, highest * 1.05, {5, true, 1});
    chart->setTitle(tr("%1: %2 weights before, %3 non-zero after").arg(layer).arg(before.size()).arg(after.size()));
    styleChart(chart);
}

}  // namespace prunescope
