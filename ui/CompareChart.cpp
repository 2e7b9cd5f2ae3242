#include "CompareChart.h"

#include "core/SeedStatistics.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>

namespace prunescope {
namespace {

const QColor kPalette[]
    = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
       QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
       QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};

struct Point {
    std::vector<double> accuracies;
    std::vector<double> xs;
};

}  // namespace

CompareChart::CompareChart(QWidget* parent) : QChartView(parent)
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 280);
    rebuild();
}

void CompareChart::setRuns(const std::vector<StoredRun>& runs)
{
    m_runs.clear();
    for (const auto& run : runs) {
        if (run.status == RunStatus::Finished)
            m_runs.push_back(run);
    }
    rebuild();
}

void CompareChart::setXAxis(XAxis axis)
{
    m_axis = axis;
    rebuild();
}

void CompareChart::resetAxes()
{
    QChart* chart = this->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis);
    m_methodSeries = 0;
    m_points = 0;
}

void CompareChart::setRounds(const StoredRun& run, const std::vector<PruningStep>& steps)
{
    resetAxes();
    QChart* chart = this->chart();
    auto* ticket = new QLineSeries;
    ticket->setName(tr("retrained (%1)").arg(QString::fromStdString(run.config.method)));
    ticket->setPen(QPen(kPalette[0], 2.5));
    ticket->setPointsVisible(true);
    auto* control = new QLineSeries;
    control->setName(tr("same mask, random re-initialisation (control)"));
    control->setPen(QPen(kPalette[3], 2, Qt::DashLine));
    control->setPointsVisible(true);
    double minY = 100, maxY = 0, minX = 100;
    for (const auto& step : steps) {
        int64_t kept = 0, total = 0;
        for (const auto& layer : step.layers) {
            kept += layer.nonzeros;
            total += layer.parameters;
        }
        const double left = total ? 100.0 * double(kept) / double(total) : 100.0;
        minX = std::min(minX, left);
        for (auto [name, series] : {std::pair{"test_accuracy", ticket}, std::pair{"control_test_accuracy", control}}) {
            auto it = step.metrics.find(name);
            if (it == step.metrics.end())
                continue;
            series->append(left, it->second * 100.0);
            minY = std::min(minY, it->second * 100.0);
            maxY = std::max(maxY, it->second * 100.0);
            ++m_points;
        }
    }
    auto* xAxis = new QLogValueAxis;
    xAxis->setBase(2);
    xAxis->setLabelFormat("%g");
    xAxis->setReverse(true);  // sparser to the right, as the rounds go
    xAxis->setTitleText(tr("weights left (%), log scale"));
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("test accuracy (%)"));
    yAxis->setLabelFormat("%.1f");
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (auto* series : {ticket, control}) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    m_methodSeries = control->count() > 0 ? 2 : 1;
    if (control->count() == 0)
        chart->legend()->markers(control).first()->setVisible(false);
    xAxis->setRange(minX / 1.2, 120);
    const double pad = std::max(0.3, (maxY - minY) * 0.1);
    yAxis->setRange(std::max(0.0, minY - pad), std::min(100.0, maxY + pad));
    chart->setTitle(tr("Run %1 round by round: accuracy as the network gets sparser").arg(run.id));
    chart->legend()->setAlignment(Qt::AlignBottom);
}

void CompareChart::setExecutedMacs(const StoredRun& run, const std::vector<PruningStep>& steps)
{
    resetAxes();
    QChart* chart = this->chart();
    auto* accuracy = new QLineSeries;
    accuracy->setName(tr("%1, mean MACs executed per input").arg(QString::fromStdString(run.config.method)));
    accuracy->setPen(QPen(kPalette[0], 2.5));
    accuracy->setPointsVisible(true);
    accuracy->setPointLabelsVisible(true);
    accuracy->setPointLabelsFormat("@yPoint %");
    accuracy->setPointLabelsClipping(false);
    std::vector<QLineSeries*> spreads;  // p10–p90 of each density, one segment each
    auto* dense = new QScatterSeries;
    dense->setName(tr("dense network"));
    dense->setColor(kPalette[3]);
    dense->setMarkerSize(11);
    double minX = run.summary.denseMacs, maxX = run.summary.denseMacs;
    double minY = run.summary.denseTestAccuracy * 100, maxY = minY;
    for (const auto& step : steps) {
        const auto& m = step.metrics;
        if (!m.count("macs_mean") || !m.count("test_accuracy"))
            continue;
        const double y = std::round(m.at("test_accuracy") * 1e4) / 100;  // two decimals in the label
        accuracy->append(m.at("macs_mean") / 1e6, y);
        if (m.count("macs_p10") && m.count("macs_p90")) {
            auto* spread = new QLineSeries;
            spread->setPen(QPen(kPalette[0].lighter(150), 6, Qt::SolidLine, Qt::FlatCap));
            spread->append(m.at("macs_p10") / 1e6, y);
            spread->append(m.at("macs_p90") / 1e6, y);
            spreads.push_back(spread);
            minX = std::min(minX, m.at("macs_p10"));
        }
        minX = std::min(minX, m.at("macs_mean"));
        minY = std::min(minY, y);
        maxY = std::max(maxY, y);
        ++m_points;
    }
    dense->append(run.summary.denseMacs / 1e6, run.summary.denseTestAccuracy * 100);
    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(tr("MACs executed per input, millions (bar: p10–p90 over the test inputs)"));
    xAxis->setLabelFormat("%g");
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("test accuracy (%)"));
    yAxis->setLabelFormat("%g");
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QLineSeries* spread : spreads) {
        chart->addSeries(spread);
        spread->attachAxis(xAxis);
        spread->attachAxis(yAxis);
        chart->legend()->markers(spread).first()->setVisible(false);
    }
    for (QXYSeries* series : std::initializer_list<QXYSeries*>{accuracy, dense}) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    m_methodSeries = 1;
    const double span = std::max(1e-3, (maxX - minX) / 1e6);
    xAxis->setRange(std::max(0.0, minX / 1e6 - 0.08 * span), maxX / 1e6 + 0.08 * span);
    const double pad = std::max(1.0, (maxY - minY) * 0.12);
    yAxis->setRange(std::max(0.0, minY - pad), std::min(100.0, maxY + pad));
    xAxis->applyNiceNumbers();
    yAxis->applyNiceNumbers();
    chart->setTitle(tr("Run %1: accuracy against the MACs each input really executed, at every density").arg(run.id));
    chart->legend()->setAlignment(Qt::AlignBottom);
}

double CompareChart::xValue(const StoredRun& run) const
{
    const RunSummary& s = run.summary;
    switch (m_axis) {
    case XAxis::Compression:
        return s.compressionRatio;
    case XAxis::EffectiveMacs:
        return s.effectiveMacs / 1e6;
    case XAxis::Latency: {
        const LatencyMeasurement* pruned = s.latencyOf("pruned", 64);
        return pruned ? pruned->medianMs : 0.0;
    }
    case XAxis::Bytes:
        return double(s.sparseBytes) / 1024.0;
    }
    return 0;
}

QString CompareChart::axisName() const
{
    switch (m_axis) {
    case XAxis::Compression:
        return tr("compression");
    case XAxis::EffectiveMacs:
        return tr("effective MACs");
    case XAxis::Latency:
        return tr("measured latency");
    case XAxis::Bytes:
        return tr("size");
    }
    return {};
}

QString CompareChart::axisTitle() const
{
    switch (m_axis) {
    case XAxis::Compression:
        return tr("compression × (all parameters / non-zeros, log scale)");
    case XAxis::EffectiveMacs:
        return tr("effective MACs per image, millions (log scale)");
    case XAxis::Latency:
        return tr("measured latency, batch 64, ms (median, TorchScript on the CPU that ran it; log scale)");
    case XAxis::Bytes:
        return tr("weights, sparse-encoded, KiB (bitmap + fp32 non-zeros; log scale)");
    }
    return {};
}

void CompareChart::rebuild()
{
    resetAxes();
    QChart* chart = this->chart();

    // method → target (the sparsity, channel ratio or density asked for, or the run's own sparsity for
    // methods without one) → runs.
    std::map<std::string, std::map<double, Point>> groups;
    int withoutX = 0;
    // Runs of several models: one series per model and method, never one line across models.
    const bool severalModels = std::any_of(m_runs.begin(), m_runs.end(), [&](const StoredRun& run) {
        return run.config.model != m_runs.front().config.model;
    });
    for (const auto& run : m_runs) {
        const double x = xValue(run);
        if (!(x > 0)) {
            ++withoutX;
            continue;
        }
        double target = run.summary.sparsity;
        for (const char* name : {"sparsity", "channel_ratio", "density"}) {  // density: run-time pruning
            auto it = run.config.methodParams.find(name);
            if (it != run.config.methodParams.end() && std::holds_alternative<double>(it->second)) {
                target = std::get<double>(it->second);
                break;
            }
        }
        Point& point = groups[severalModels ? modelDisplayName(run.config.model) + " · " + run.config.method
                                            : run.config.method][target];
        point.accuracies.push_back(run.summary.testAccuracy * 100.0);
        point.xs.push_back(x);
    }

    auto* xAxis = new QLogValueAxis;
    xAxis->setBase(2);
    // Qt formats axis labels with printf, which does not take UTF-8: units go in the title.
    xAxis->setLabelFormat("%g");
    xAxis->setTitleText(axisTitle());
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("test accuracy (%), mean ± sd over seeds"));
    yAxis->setLabelFormat("%.1f");
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    chart->setTitle(
        m_runs.empty()
            ? tr("Select finished runs (or a sweep) in the Runs tab to compare them")
            : tr("Accuracy vs %1 · %2 runs%3")
                  .arg(axisName())
                  .arg(m_runs.size() - size_t(withoutX))
                  .arg(withoutX ? tr(" (%1 without a latency measurement left out)").arg(withoutX) : QString()));

    double minX = 1e300, maxX = 0, minY = 100, maxY = 0;
    int colour = 0;
    for (const auto& [method, points] : groups) {
        const QColor color = kPalette[colour++ % std::size(kPalette)];
        auto* line = new QLineSeries;
        line->setName(QString::fromStdString(method));
        line->setPen(QPen(color, 2));
        line->setPointsVisible(true);
        std::vector<std::pair<double, std::pair<double, double>>> sorted;  // x, (mean, sd)
        for (const auto& [target, point] : points) {
            const MeanAndSd accuracy = meanAndSampleSd(point.accuracies);
            sorted.push_back({meanAndSampleSd(point.xs).mean, {accuracy.mean, accuracy.sd}});
        }
        std::sort(sorted.begin(), sorted.end());
        QList<QPointF> linePoints;
        for (const auto& [x, stats] : sorted) {
            const auto [mean, sd] = stats;
            linePoints.append({x, mean});
            minX = std::min(minX, x);
            maxX = std::max(maxX, x);
            minY = std::min(minY, mean - sd);
            maxY = std::max(maxY, mean + sd);
            ++m_points;
            if (sd > 0) {
                // The error bar: its own two-point series, kept out of the legend.
                auto* bar = new QLineSeries;
                bar->setPen(QPen(color, 1.5));
                bar->append(x, mean - sd);
                bar->append(x, mean + sd);
                chart->addSeries(bar);
                bar->attachAxis(xAxis);
                bar->attachAxis(yAxis);
                chart->legend()->markers(bar).first()->setVisible(false);
            }
        }
        line->replace(linePoints);
        chart->addSeries(line);
        line->attachAxis(xAxis);
        line->attachAxis(yAxis);
        ++m_methodSeries;
    }
    // Against latency, the dense networks are the reference every pruned point is read against:
    // one marker per model at its dense latency and accuracy.
    if (m_axis == XAxis::Latency) {
        std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> dense;  // model → (ms, accuracy)
        for (const auto& run : m_runs)
            if (const LatencyMeasurement* d = run.summary.latencyOf("dense", 64)) {
                dense[run.config.model].first.push_back(d->medianMs);
                dense[run.config.model].second.push_back(run.summary.denseTestAccuracy * 100.0);
            }
        int shade = 0;
        for (const auto& [model, values] : dense) {
            auto mean = [](const std::vector<double>& v) {
                double sum = 0;
                for (double x : v)
                    sum += x;
                return sum / double(v.size());
            };
            auto* marker = new QScatterSeries;
            marker->setName(tr("dense %1").arg(QString::fromStdString(model)));
            marker->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
            marker->setMarkerSize(13);
            marker->setColor(shade++ % 2 ? QColor(0x99, 0x99, 0x99) : QColor(0x22, 0x22, 0x22));
            const double x = mean(values.first), y = mean(values.second);
            marker->append(x, y);
            chart->addSeries(marker);
            marker->attachAxis(xAxis);
            marker->attachAxis(yAxis);
            minX = std::min(minX, x);
            maxX = std::max(maxX, x);
            minY = std::min(minY, y);
            maxY = std::max(maxY, y);
        }
    }
    if (m_points == 0) {
        xAxis->setRange(1, 64);
        yAxis->setRange(0, 100);
    } else {
        xAxis->setRange(minX / 1.3, maxX * 1.3);
        const double pad = std::max(0.5, (maxY - minY) * 0.08);
        yAxis->setRange(std::max(0.0, minY - pad), std::min(100.0, maxY + pad));
        yAxis->applyNiceNumbers();  // ticks at round accuracies, not at 73.2, 77.6, …
    }
    // Many series do not fit in one row under the chart: list them beside it.
    chart->legend()->setAlignment(m_methodSeries > 6 ? Qt::AlignRight : Qt::AlignBottom);
}

}  // namespace prunescope
