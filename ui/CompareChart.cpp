#include "CompareChart.h"

#include "ChartStyle.h"
#include "Theme.h"
#include "core/SeedStatistics.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace prunescope {
namespace {

struct Point {
    std::vector<double> accuracies;
    std::vector<double> xs;
};

// A series of one method (and, when several models are compared, one model).
struct GroupKey {
    std::string model;  // display name; empty when all runs are of one model
    std::string method;
    bool operator<(const GroupKey& other) const
    {
        return std::tie(model, method) < std::tie(other.model, other.method);
    }
};

// Log when the values span a factor of 4 or more, else a linear axis with nice ticks: a log
// axis over 0.8–1.3 ms would label one tick.
QAbstractAxis* makeXAxis(double lo, double hi)
{
    if (wantsLogAxis(lo, hi)) {
        auto* axis = new QLogValueAxis;
        setLogRange(axis, lo, hi);
        return axis;
    }
    auto* axis = new QValueAxis;
    const double pad = std::max((hi - lo) * 0.08, std::abs(hi) * 0.02);
    setNiceRange(axis, std::max(0.0, lo - pad), hi + pad);
    return axis;
}

void setAccuracyRange(QValueAxis* axis, double lo, double hi, double minimumPad)
{
    const double pad = std::max(minimumPad, (hi - lo) * 0.08);
    setNiceRange(axis, std::max(0.0, lo - pad), std::min(100.0, hi + pad));
}

}  // namespace

CompareChart::CompareChart(QWidget* parent) : QChartView(parent), m_palette(std::make_shared<SeriesPalette>())
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 280);
    rebuild();
}

void CompareChart::setSeriesPalette(std::shared_ptr<SeriesPalette> palette)
{
    m_palette = palette ? std::move(palette) : std::make_shared<SeriesPalette>();
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
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;  // removeAxis hands the axis back; nobody else holds it
    }
    m_methodSeries = 0;
    m_points = 0;
    m_mostSeeds = 0;
}

void CompareChart::setRounds(const StoredRun& run, const std::vector<PruningStep>& steps)
{
    resetAxes();
    QChart* chart = this->chart();
    const QColor colour = m_palette->methodColour(run.config.method);
    auto* ticket = new QLineSeries;
    ticket->setName(tr("retrained (%1)").arg(QString::fromStdString(run.config.method)));
    SeriesLook ticketLook = SeriesPalette::variant(colour, 0);
    ticketLook.width = 2.5;
    setLook(ticket, ticketLook);
    auto* control = new QLineSeries;
    control->setName(tr("same mask, random re-initialisation (control)"));
    setLook(control, SeriesPalette::variant(colour, 2));  // dotted, triangles
    auto* dense = new QScatterSeries;
    dense->setName(tr("dense network"));
    setLook(dense, SeriesPalette::denseLook(darkPaletteActive()));
    double minY = 100, maxY = 0, minX = 100;
    if (run.summary.denseTestAccuracy > 0) {
        dense->append(100, run.summary.denseTestAccuracy * 100);
        minY = maxY = run.summary.denseTestAccuracy * 100;
    }
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
    setLogRange(xAxis, minX, 100);
    xAxis->setReverse(true);  // sparser to the right, as the rounds go
    xAxis->setTitleText(tr("weights left (%), log scale"));
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("test accuracy (%)"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QXYSeries* series : std::initializer_list<QXYSeries*>{ticket, control, dense}) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    m_methodSeries = control->count() > 0 ? 2 : 1;
    if (control->count() == 0)
        setInLegend(control, false);
    if (dense->count() == 0)
        setInLegend(dense, false);
    setAccuracyRange(yAxis, minY, maxY, 0.3);
    chart->setTitle(tr("Run %1 round by round: accuracy as the network gets sparser").arg(run.id));
    styleChart(chart);
}

void CompareChart::setExecutedMacs(const StoredRun& run, const std::vector<PruningStep>& steps)
{
    resetAxes();
    QChart* chart = this->chart();
    const QColor colour = m_palette->methodColour(run.config.method);
    auto* accuracy = new QLineSeries;
    accuracy->setName(tr("%1, mean MACs executed per input").arg(QString::fromStdString(run.config.method)));
    SeriesLook look = SeriesPalette::variant(colour, 0);
    look.width = 2.5;
    setLook(accuracy, look);
    accuracy->setPointLabelsVisible(true);
    accuracy->setPointLabelsFormat("@yPoint %");
    accuracy->setPointLabelsClipping(false);
    std::vector<QLineSeries*> spreads;  // p10–p90 of each density, one segment each
    auto* dense = new QScatterSeries;
    dense->setName(tr("dense network"));
    setLook(dense, SeriesPalette::denseLook(darkPaletteActive()));
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
            SeriesLook bar;
            bar.colour = colour.lighter(150);
            bar.width = 6;
            bar.markers = false;
            setLook(spread, bar);
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
    auto* yAxis = new QValueAxis;
    yAxis->setTitleText(tr("test accuracy (%)"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QLineSeries* spread : spreads) {
        chart->addSeries(spread);
        spread->attachAxis(xAxis);
        spread->attachAxis(yAxis);
        setInLegend(spread, false);
    }
    for (QXYSeries* series : std::initializer_list<QXYSeries*>{accuracy, dense}) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
    }
    m_methodSeries = 1;
    const double span = std::max(1e-3, (maxX - minX) / 1e6);
    setNiceRange(xAxis, std::max(0.0, minX / 1e6 - 0.08 * span), maxX / 1e6 + 0.08 * span);
    setAccuracyRange(yAxis, minY, maxY, 1.0);
    chart->setTitle(tr("Run %1: accuracy against the MACs each input really executed, at every density").arg(run.id));
    styleChart(chart);
}

double CompareChart::xValue(const StoredRun& run) const
{
    const RunSummary& s = run.summary;
    switch (m_axis) {
    case XAxis::Compression:
        return s.compressionRatio;
    case XAxis::EffectiveMacs:
        return s.effectiveMacs / m_macsUnit;
    case XAxis::Latency: {
        const LatencyMeasurement* pruned = s.latencyOf("pruned", 64);
        return pruned ? pruned->medianMs : 0.0;
    }
    case XAxis::Bytes:
        return double(s.sparseBytes) / 1024.0;
    }
    return 0;
}

double CompareChart::denseXValue(const StoredRun& run) const
{
    const RunSummary& s = run.summary;
    switch (m_axis) {
    case XAxis::Compression:
        return 1.0;  // the dense network keeps every parameter
    case XAxis::EffectiveMacs:
        return s.denseMacs / m_macsUnit;
    case XAxis::Latency: {
        const LatencyMeasurement* dense = s.latencyOf("dense", 64);
        return dense ? dense->medianMs : 0.0;
    }
    case XAxis::Bytes:
        return double(s.denseBytes) / 1024.0;
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

QString CompareChart::axisTitle(bool logScale) const
{
    QString title;
    switch (m_axis) {
    case XAxis::Compression:
        title = tr("compression × (all parameters / non-zeros)");
        break;
    case XAxis::EffectiveMacs:
        title
            = m_macsUnit == 1e6 ? tr("effective MACs per image, millions") : tr("effective MACs per image, thousands");
        break;
    case XAxis::Latency:
        title = tr("measured latency, batch 64, ms (median, TorchScript on the CPU that ran it)");
        break;
    case XAxis::Bytes:
        title = tr("weights, sparse-encoded, KiB (bitmap + fp32 non-zeros)");
        break;
    }
    return logScale ? tr("%1, log scale").arg(title) : title;
}

void CompareChart::rebuild()
{
    resetAxes();
    QChart* chart = this->chart();

    // (model, method) → target (the sparsity, channel ratio or density asked for, or the run's
    // own sparsity for methods without one) → runs.
    std::map<GroupKey, std::map<double, Point>> groups;
    int withoutX = 0;
    double mostMacs = 0;
    for (const auto& run : m_runs)
        mostMacs = std::max({mostMacs, run.summary.denseMacs, run.summary.effectiveMacs});
    m_macsUnit = mostMacs >= 1e6 ? 1e6 : 1e3;
    // Runs of several models: one series per model and method, never one line across models.
    const bool severalModels = std::any_of(m_runs.begin(), m_runs.end(), [&](const StoredRun& run) {
        return run.config.model != m_runs.front().config.model;
    });
    // The dense network of each model, where this axis gives it a value.
    std::map<std::string, Point> dense;
    for (const auto& run : m_runs) {
        if (const double x = denseXValue(run); x > 0 && run.summary.denseTestAccuracy > 0) {
            dense[run.config.model].xs.push_back(x);
            dense[run.config.model].accuracies.push_back(run.summary.denseTestAccuracy * 100.0);
        }
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
        Point& point
            = groups[{severalModels ? modelDisplayName(run.config.model) : std::string(), run.config.method}][target];
        point.accuracies.push_back(run.summary.testAccuracy * 100.0);
        point.xs.push_back(x);
    }
    size_t mostSeeds = 0;
    for (const auto& [key, points] : groups)
        for (const auto& [target, point] : points)
            mostSeeds = std::max(mostSeeds, point.accuracies.size());
    m_mostSeeds = int(mostSeeds);

    // The ranges first: the x axis is log or linear by the span of the values.
    double minX = 1e300, maxX = 0, minY = 100, maxY = 0;
    struct Drawn {
        GroupKey key;
        double target;
        double x;
        MeanAndSd accuracy;
        size_t seeds;
    };
    std::vector<std::vector<Drawn>> lines;
    for (const auto& [key, points] : groups) {
        std::vector<Drawn> line;
        for (const auto& [target, point] : points) {
            const Drawn drawn{key, target, meanAndSampleSd(point.xs).mean, meanAndSampleSd(point.accuracies),
                              point.accuracies.size()};
            line.push_back(drawn);
            minX = std::min(minX, drawn.x);
            maxX = std::max(maxX, drawn.x);
            minY = std::min(minY, drawn.accuracy.mean - drawn.accuracy.sd);
            maxY = std::max(maxY, drawn.accuracy.mean + drawn.accuracy.sd);
        }
        std::sort(line.begin(), line.end(), [](const Drawn& a, const Drawn& b) { return a.x < b.x; });
        lines.push_back(std::move(line));
    }
    if (!lines.empty())
        for (const auto& [model, point] : dense) {
            const double x = meanAndSampleSd(point.xs).mean, y = meanAndSampleSd(point.accuracies).mean;
            minX = std::min(minX, x);
            maxX = std::max(maxX, x);
            minY = std::min(minY, y);
            maxY = std::max(maxY, y);
        }

    const bool empty = lines.empty();
    QAbstractAxis* xAxis = empty ? makeXAxis(1, 64) : makeXAxis(minX, maxX);
    xAxis->setTitleText(axisTitle(qobject_cast<QLogValueAxis*>(xAxis) != nullptr));
    auto* yAxis = new QValueAxis;
    // What a point is: the mean over seeds with a ± sd bar, or one run.
    yAxis->setTitleText(mostSeeds > 1 ? tr("test accuracy (%), mean ± sd over seeds")
                                      : tr("test accuracy (%), one seed per point"));
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    chart->setTitle(
        m_runs.empty()
            ? tr("Select finished runs (or a sweep) in the Runs tab to compare them")
            : tr("Accuracy vs %1 · %2 runs%3")
                  .arg(axisName())
                  .arg(m_runs.size() - size_t(withoutX))
                  .arg(withoutX ? tr(" (%1 without a latency measurement left out)").arg(withoutX) : QString()));

    // One colour per method (the view's palette); a second model of the same method dashed.
    std::map<std::string, int> modelIndex;
    for (const auto& [key, points] : groups)
        modelIndex.emplace(key.model, int(modelIndex.size()));
    const QString xTitle = axisTitle(false);
    for (const auto& line : lines) {
        const GroupKey& key = line.front().key;
        const QColor colour = m_palette->methodColour(key.method);
        auto* series = new QLineSeries;
        series->setName(key.model.empty() ? QString::fromStdString(key.method)
                                          : QString::fromStdString(key.model + " · " + key.method));
        setLook(series, SeriesPalette::variant(colour, modelIndex[key.model]));
        QList<QPointF> linePoints;
        QStringList tooltips;
        for (const Drawn& d : line) {
            linePoints.append({d.x, d.accuracy.mean});
            ++m_points;
            tooltips << tr("%1 · target %2\n%3 % %4\n%5: %6")
                            .arg(series->name())
                            .arg(d.target)
                            .arg(d.accuracy.mean, 0, 'f', 2)
                            .arg(d.seeds > 1 ? tr("± %1 over %2 seeds").arg(d.accuracy.sd, 0, 'f', 2).arg(d.seeds)
                                             : tr("(one seed)"))
                            .arg(xTitle)
                            .arg(d.x, 0, 'g', 4);
            if (d.accuracy.sd > 0) {
                // The error bar: its own two-point series, kept out of the legend.
                auto* bar = new QLineSeries;
                SeriesLook barLook;
                barLook.colour = colour;
                barLook.width = 1.5;
                barLook.markers = false;
                setLook(bar, barLook);
                bar->append(d.x, d.accuracy.mean - d.accuracy.sd);
                bar->append(d.x, d.accuracy.mean + d.accuracy.sd);
                chart->addSeries(bar);
                bar->attachAxis(xAxis);
                bar->attachAxis(yAxis);
                setInLegend(bar, false);
            }
        }
        series->replace(linePoints);
        setPointTooltip(series, [tooltips](int i) { return i < tooltips.size() ? tooltips[i] : QString(); });
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
        ++m_methodSeries;
    }
    // The dense networks are the reference every pruned point is read against: one marker per
    // model on every axis where the dense network has a value (compression 1×, its MACs, its
    // latency, its bytes).
    if (!empty) {
        int shade = 0;
        for (const auto& [model, point] : dense) {
            auto* marker = new QScatterSeries;
            marker->setName(dense.size() > 1 ? tr("dense %1").arg(QString::fromStdString(modelDisplayName(model)))
                                             : tr("dense network"));
            SeriesLook look = SeriesPalette::denseLook(darkPaletteActive());
            look.marker = SeriesPalette::variant(look.colour, 1 + shade++).marker;  // square, triangle, …
            setLook(marker, look);
            const double x = meanAndSampleSd(point.xs).mean, y = meanAndSampleSd(point.accuracies).mean;
            marker->append(x, y);
            const QString text = tr("%1\n%2 % test accuracy\n%3: %4")
                                     .arg(marker->name())
                                     .arg(y, 0, 'f', 2)
                                     .arg(xTitle)
                                     .arg(x, 0, 'g', 4);
            setPointTooltip(marker, [text](int) { return text; });
            chart->addSeries(marker);
            marker->attachAxis(xAxis);
            marker->attachAxis(yAxis);
        }
    }
    if (empty)
        setNiceRange(yAxis, 0, 100);
    else
        setAccuracyRange(yAxis, minY, maxY, 0.5);
    styleChart(chart);
}

}  // namespace prunescope
