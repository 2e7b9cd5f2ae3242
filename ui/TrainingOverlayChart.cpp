#include "TrainingOverlayChart.h"

#include "ChartStyle.h"
#include "UiTypes.h"

#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <map>
#include <variant>

namespace prunescope {

TrainingOverlayChart::TrainingOverlayChart(QWidget* parent)
    : QChartView(parent), m_palette(std::make_shared<SeriesPalette>())
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(420, 280);
    clear(tr("Select runs in the Runs tab to overlay their training curves"));
}

void TrainingOverlayChart::setSeriesPalette(std::shared_ptr<SeriesPalette> palette)
{
    m_palette = palette ? std::move(palette) : std::make_shared<SeriesPalette>();
}

QString TrainingOverlayChart::runLabel(const StoredRun& run)
{
    // The sparsity asked for when the method takes one, else what the finished run reached.
    double sparsity = -1;
    if (auto it = run.config.methodParams.find("sparsity");
        it != run.config.methodParams.end() && std::holds_alternative<double>(it->second))
        sparsity = std::get<double>(it->second);
    else if (run.status == RunStatus::Finished)
        sparsity = run.summary.sparsity;
    QString label = tr("run %1 · %2").arg(run.id).arg(QString::fromStdString(run.config.method));
    if (sparsity >= 0)
        label += tr(" · %1 % sparse").arg(QString::number(sparsity * 100.0, 'g', 3));
    return label;
}

void TrainingOverlayChart::removeAll()
{
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;  // removeAxis hands the axis back; nobody else holds it
    }
    m_runCount = m_pointCount = 0;
}

void TrainingOverlayChart::clear(const QString& message)
{
    removeAll();
    chart()->setTitle(message);
    styleChart(chart());
}

void TrainingOverlayChart::setRuns(const std::vector<std::pair<StoredRun, std::vector<EpochMetrics>>>& runs)
{
    removeAll();
    // Each run's curves: segment 0 (the dense training and what continues it) counts epochs on
    // from the dense ones; a segment restarted from θ0 counts from 1 again.
    struct Curve {
        int segment = 0;
        QList<QPointF> points;
        QStringList tooltips;
    };
    struct Drawn {
        const StoredRun* run;
        std::vector<Curve> curves;
    };
    std::vector<Drawn> drawn;
    int leftOut = 0;
    double maxEpoch = 1, minAccuracy = 100, maxAccuracy = 0;
    for (const auto& [run, epochs] : runs) {
        if (epochs.empty() || int(drawn.size()) == kMaxRuns) {
            ++leftOut;
            continue;
        }
        const QString label = runLabel(run);
        std::map<int, Curve> bySegment;
        for (const EpochMetrics& m : epochs) {
            Curve& curve = bySegment[m.segment];
            curve.segment = m.segment;
            // Epochs are stored in training order: the x axis simply counts them.
            const double x = double(curve.points.size() + 1);
            const double y = m.validationAccuracy * 100.0;
            curve.points.append({x, y});
            curve.tooltips << tr("%1\nepoch %2 (%3 epoch %4)\nvalidation accuracy %5 %")
                                  .arg(label)
                                  .arg(x)
                                  .arg(QString::fromStdString(m.phase))
                                  .arg(m.epoch)
                                  .arg(y, 0, 'f', 2);
            maxEpoch = std::max(maxEpoch, x);
            minAccuracy = std::min(minAccuracy, y);
            maxAccuracy = std::max(maxAccuracy, y);
        }
        Drawn entry{&run, {}};
        for (auto& [segment, curve] : bySegment)
            entry.curves.push_back(std::move(curve));
        drawn.push_back(std::move(entry));
    }
    if (drawn.empty()) {
        clear(runs.empty() ? tr("Select runs in the Runs tab to overlay their training curves")
                           : tr("The selected runs have no stored epochs to overlay"));
        return;
    }

    auto* epochAxis = new QValueAxis;
    epochAxis->setTitleText(tr("epoch (training restarted from θ0 counts from 1 again)"));
    auto* accuracyAxis = new QValueAxis;
    accuracyAxis->setTitleText(tr("validation accuracy (%)"));
    chart()->addAxis(epochAxis, Qt::AlignBottom);
    chart()->addAxis(accuracyAxis, Qt::AlignLeft);
    std::map<std::string, int> runsOfMethod;  // how many runs of each method are drawn already
    for (const Drawn& d : drawn) {
        const StoredRun& run = *d.run;
        const SeriesLook look
            = SeriesPalette::variant(m_palette->methodColour(run.config.method), runsOfMethod[run.config.method]++);
        const QString label = runLabel(run);
        bool named = false;
        for (const Curve& curve : d.curves) {
            auto* series = new QLineSeries;
            // The legend names each run once; a restarted segment is drawn in the run's look.
            series->setName(named ? tr("%1, from θ0 (segment %2)").arg(label).arg(curve.segment) : label);
            setLook(series, look);
            series->replace(curve.points);
            const QStringList tooltips = curve.tooltips;
            setPointTooltip(series, [tooltips](int i) { return i < tooltips.size() ? tooltips[i] : QString(); });
            chart()->addSeries(series);
            series->attachAxis(epochAxis);
            series->attachAxis(accuracyAxis);
            if (named)
                setInLegend(series, false);
            named = true;
            m_pointCount += int(curve.points.size());
        }
        ++m_runCount;
    }
    // Ticks on whole epochs only, at 1-2-5 steps, so a point sits on its label (as in the
    // Training tab); round accuracy ticks.
    setNiceRange(epochAxis, 0.5, maxEpoch + 0.5, {10, false, 1});
    const double pad = std::max(1.0, (maxAccuracy - minAccuracy) * 0.1);
    setNiceRange(accuracyAxis, std::max(0.0, minAccuracy - pad), std::min(100.0, maxAccuracy + pad));
    chart()->setTitle(
        tr("Validation accuracy per epoch · %1%2")
            .arg(runsText(m_runCount))
            .arg(leftOut ? tr(" (%1 without epochs or beyond %2 left out)").arg(leftOut).arg(kMaxRuns) : QString()));
    styleChart(chart());
}

}  // namespace prunescope
