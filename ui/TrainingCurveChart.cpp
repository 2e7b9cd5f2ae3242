#include "TrainingCurveChart.h"

#include "ChartStyle.h"

#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace prunescope {
namespace {
enum Curve { DenseLoss, FineTuneLoss, DenseAccuracy, FineTuneAccuracy };

// How the legend names a stored phase ("round 3" and "control 3" name their kind).
QString phaseLabel(const std::string& phase)
{
    static const std::map<std::string, const char*> names
        = {{"finetune", QT_TRANSLATE_NOOP("TrainingCurveChart", "fine-tuning")},
           {"sparse", QT_TRANSLATE_NOOP("TrainingCurveChart", "sparse training")},
           {"regularised", QT_TRANSLATE_NOOP("TrainingCurveChart", "regularised training")},
           {"soft", QT_TRANSLATE_NOOP("TrainingCurveChart", "soft filter pruning")},
           {"early-bird", QT_TRANSLATE_NOOP("TrainingCurveChart", "Early-Bird search")},
           {"greg", QT_TRANSLATE_NOOP("TrainingCurveChart", "growing regularisation")},
           {"gates", QT_TRANSLATE_NOOP("TrainingCurveChart", "gate training")},
           {"round", QT_TRANSLATE_NOOP("TrainingCurveChart", "rounds")},
           {"control", QT_TRANSLATE_NOOP("TrainingCurveChart", "controls")}};
    const std::string kind = phase.substr(0, phase.find(' '));
    const auto it = names.find(kind);
    return it != names.end() ? TrainingCurveChart::tr(it->second) : QString::fromStdString(phase);
}
}  // namespace

TrainingCurveChart::TrainingCurveChart(QWidget* parent)
    : QChartView(parent), m_denseLoss(new QLineSeries), m_fineTuneLoss(new QLineSeries),
      m_denseAccuracy(new QLineSeries), m_fineTuneAccuracy(new QLineSeries), m_epochAxis(new QValueAxis),
      m_lossAxis(new QValueAxis), m_accuracyAxis(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setTitle(tr("Training"));
    m_denseLoss->setName(tr("train loss (dense)"));
    m_denseAccuracy->setName(tr("validation accuracy % (dense)"));
    // Blue before pruning, orange after; accuracy solid with round markers, loss dashed with
    // square ones (the legend shows which is which).
    const QColor blue(0x1f, 0x77, 0xb4), orange(0xff, 0x7f, 0x0e);
    const QColor lightBlue(0x6f, 0xa8, 0xd6), lightOrange(0xff, 0xa8, 0x5c);
    auto look = [](QColor colour, Qt::PenStyle line, MarkerShape marker, double width) {
        SeriesLook l;
        l.colour = colour;
        l.line = line;
        l.marker = marker;
        l.width = width;
        l.markerSize = 7;
        return l;
    };
    setLook(m_denseLoss, look(lightBlue, Qt::DashLine, MarkerShape::Square, 2));
    setLook(m_fineTuneLoss, look(lightOrange, Qt::DashLine, MarkerShape::Square, 2));
    setLook(m_denseAccuracy, look(blue, Qt::SolidLine, MarkerShape::Circle, 2.5));
    setLook(m_fineTuneAccuracy, look(orange, Qt::SolidLine, MarkerShape::Circle, 2.5));
    for (auto* series : {m_denseLoss, m_fineTuneLoss, m_denseAccuracy, m_fineTuneAccuracy})
        chart->addSeries(series);
    m_epochAxis->setTitleText(tr("epoch"));
    m_lossAxis->setTitleText(tr("train loss"));
    m_accuracyAxis->setTitleText(tr("validation accuracy (%)"));
    m_accuracyAxis->setGridLineVisible(false);  // the loss axis draws the grid; two grids would not line up
    chart->addAxis(m_epochAxis, Qt::AlignBottom);
    chart->addAxis(m_lossAxis, Qt::AlignLeft);
    chart->addAxis(m_accuracyAxis, Qt::AlignRight);
    for (auto* series : {m_denseLoss, m_fineTuneLoss}) {
        series->attachAxis(m_epochAxis);
        series->attachAxis(m_lossAxis);
    }
    for (auto* series : {m_denseAccuracy, m_fineTuneAccuracy}) {
        series->attachAxis(m_epochAxis);
        series->attachAxis(m_accuracyAxis);
    }
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 280);
    refresh();
}

void TrainingCurveChart::clear()
{
    for (auto& points : m_points)
        points.clear();
    m_laterPhases.clear();
    m_epochsShown = 0;
    removeRestartCurves();
    refresh();
}

TrainingCurveChart::RestartCurves& TrainingCurveChart::restartCurves(int segment)
{
    auto [it, created] = m_restarts.try_emplace(segment);
    if (created) {
        // Drawn like the curves after pruning; the legend names them once, with the first.
        RestartCurves& curves = it->second;
        curves.loss = new QLineSeries;
        curves.accuracy = new QLineSeries;
        curves.loss->setPen(m_fineTuneLoss->pen());
        curves.accuracy->setPen(m_fineTuneAccuracy->pen());
        for (auto* series : {curves.loss, curves.accuracy}) {
            series->setPointsVisible(true);
            chart()->addSeries(series);
            series->attachAxis(m_epochAxis);
            series->attachAxis(series == curves.loss ? m_lossAxis : m_accuracyAxis);
        }
        const bool first = m_restarts.size() == 1;
        for (auto* marker : chart()->legend()->markers(curves.loss) + chart()->legend()->markers(curves.accuracy))
            marker->setVisible(first);
    }
    return it->second;
}

void TrainingCurveChart::removeRestartCurves()
{
    for (auto& [segment, curves] : m_restarts) {
        chart()->removeSeries(curves.loss);
        chart()->removeSeries(curves.accuracy);
        delete curves.loss;
        delete curves.accuracy;
    }
    m_restarts.clear();
}

void TrainingCurveChart::appendEpoch(const EpochMetrics& m)
{
    const bool dense = m.phase == "dense";
    if (!dense && !m_laterPhases.contains(phaseLabel(m.phase)))
        m_laterPhases.append(phaseLabel(m.phase));
    if (m.segment > 0) {
        // Restarted from θ0: its own curve, counting its epochs from 1 like the dense one.
        RestartCurves& curves = restartCurves(m.segment);
        const double x = curves.lossPoints.size() + 1;
        curves.lossPoints.append({x, m.trainLoss});
        curves.accuracyPoints.append({x, m.validationAccuracy * 100.0});
        return;
    }
    // Epochs arrive (and are stored) in training order: the x axis simply counts them.
    const double x = ++m_epochsShown;
    m_points[dense ? DenseLoss : FineTuneLoss].append({x, m.trainLoss});
    m_points[dense ? DenseAccuracy : FineTuneAccuracy].append({x, m.validationAccuracy * 100.0});
}

void TrainingCurveChart::addEpoch(const EpochMetrics& m)
{
    appendEpoch(m);
    refresh();
}

void TrainingCurveChart::setEpochs(const std::vector<EpochMetrics>& epochs)
{
    for (auto& points : m_points)
        points.clear();
    m_laterPhases.clear();
    m_epochsShown = 0;
    removeRestartCurves();
    for (const auto& m : epochs)
        appendEpoch(m);
    refresh();
}

int TrainingCurveChart::pointCount() const
{
    int count = 0;
    for (const auto& points : m_points)
        count += int(points.size());
    for (const auto& [segment, curves] : m_restarts)
        count += int(curves.lossPoints.size() + curves.accuracyPoints.size());
    return count;
}

void TrainingCurveChart::refresh()
{
    // The second pair of curves is named by what trained after (or instead of) the dense network.
    const QString later = m_laterPhases.isEmpty() ? tr("after pruning") : m_laterPhases.join(", ");
    m_fineTuneLoss->setName(tr("train loss (%1)").arg(later));
    m_fineTuneAccuracy->setName(tr("validation accuracy % (%1)").arg(later));
    // replace() swaps the whole point list at once: one repaint, not one per point.
    m_denseLoss->replace(m_points[DenseLoss]);
    m_fineTuneLoss->replace(m_points[FineTuneLoss]);
    m_denseAccuracy->replace(m_points[DenseAccuracy]);
    m_fineTuneAccuracy->replace(m_points[FineTuneAccuracy]);
    // Restarted curves are named like the curves after pruning, "from θ0"; when only they trained
    // after the dense network, the empty "after pruning" entries leave the legend.
    for (auto& [segment, curves] : m_restarts) {
        curves.loss->replace(curves.lossPoints);
        curves.accuracy->replace(curves.accuracyPoints);
        curves.loss->setName(m_fineTuneLoss->name() + tr(", from θ0"));
        curves.accuracy->setName(m_fineTuneAccuracy->name() + tr(", from θ0"));
    }
    const bool afterPruningShown = m_restarts.empty() || !m_points[FineTuneLoss].isEmpty();
    for (auto* marker : chart()->legend()->markers(m_fineTuneLoss) + chart()->legend()->markers(m_fineTuneAccuracy))
        marker->setVisible(afterPruningShown);

    double maxEpoch = 1, maxLoss = 0.1, minAccuracy = 100, maxAccuracy = 0;
    for (const auto& [segment, curves] : m_restarts) {
        for (const auto& p : curves.lossPoints) {
            maxEpoch = std::max(maxEpoch, p.x());
            maxLoss = std::max(maxLoss, p.y());
        }
        for (const auto& p : curves.accuracyPoints) {
            minAccuracy = std::min(minAccuracy, p.y());
            maxAccuracy = std::max(maxAccuracy, p.y());
        }
    }
    for (int curve : {DenseLoss, FineTuneLoss})
        for (const auto& p : m_points[curve]) {
            maxEpoch = std::max(maxEpoch, p.x());
            maxLoss = std::max(maxLoss, p.y());
        }
    for (int curve : {DenseAccuracy, FineTuneAccuracy})
        for (const auto& p : m_points[curve]) {
            minAccuracy = std::min(minAccuracy, p.y());
            maxAccuracy = std::max(maxAccuracy, p.y());
        }
    if (maxAccuracy < minAccuracy) {
        minAccuracy = 0;
        maxAccuracy = 100;
    }
    // Ticks on whole epochs only, at 1-2-5 steps, so a point sits on its label; round ticks
    // (70, 75, 80 rather than 70.3, 75.4, 80.5) on both value axes.
    setNiceRange(m_epochAxis, 0.5, maxEpoch + 0.5, {10, false, 1});
    setNiceRange(m_lossAxis, 0, maxLoss * 1.05);
    const double pad = std::max(1.0, (maxAccuracy - minAccuracy) * 0.1);
    setNiceRange(m_accuracyAxis, std::max(0.0, minAccuracy - pad), std::min(100.0, maxAccuracy + pad));
    styleChart(chart());
}

}  // namespace prunescope
