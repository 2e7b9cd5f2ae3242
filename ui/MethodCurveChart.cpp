#include "MethodCurveChart.h"

#include "ChartStyle.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace prunescope {

QString curveFamily(const QString& curve)
{
    for (const char* suffix : {"_p10", "_p50", "_p90"})
        if (curve.endsWith(QLatin1String(suffix)))
            return curve.left(curve.size() - 4);
    return curve;
}

QString curveFamilyTitle(const QString& family)
{
    static const QMap<QString, QString> titles = {
        {"gamma", QObject::tr("BatchNorm |γ| (p10, median, p90)")},
        {"group_norm", QObject::tr("Filter group norms ‖W_c‖₂ (p10, median, p90)")},
        {"mask_distance", QObject::tr("Mask distance to the previous epoch (fraction of channels)")},
        {"target_sparsity", QObject::tr("Scheduled sparsity")},
        {"connections_moved", QObject::tr("Connections dropped and regrown per epoch")},
        {"lambda", QObject::tr("Penalty strength λ")},
        {"removed_norm_ratio", QObject::tr("Norm of the chosen filters / norm of the kept ones")},
        {"early_bird_found", QObject::tr("Early-Bird ticket found")},
        {"executed_macs", QObject::tr("MACs executed per input (FBS, the epoch's last validation batch)")},
    };
    return titles.value(family, family);
}

MethodCurveChart::MethodCurveChart(QWidget* parent) : QWidget(parent), m_family(new QComboBox), m_view(new QChartView)
{
    m_family->setObjectName("methodCurveFamily");
    m_family->setToolTip(tr("Which of the method's curves to show"));
    m_view->setObjectName("methodCurveView");
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setChart(new QChart);
    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Method curves:")));
    row->addWidget(m_family, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(m_view, 1);
    setMinimumHeight(280);
    connect(m_family, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
}

void MethodCurveChart::clear()
{
    m_points.clear();
    m_epochsShown = 0;
    refreshFamilies();
}

void MethodCurveChart::append(const EpochMetrics& m)
{
    // The same x as the Training chart: epochs counted across phases in arrival order.
    const double x = ++m_epochsShown;
    for (const auto& [name, value] : m.extra) {
        if (name == "early_bird_found")
            continue;  // a marker, not a curve: the log and the stop say it
        m_points[QString::fromStdString(name)].append({x, value});
    }
}

void MethodCurveChart::addEpoch(const EpochMetrics& m)
{
    const bool had = hasCurves();
    append(m);
    if (!m.extra.empty())
        refreshFamilies();
    if (!had && hasCurves())
        Q_EMIT curvesAppeared();
}

void MethodCurveChart::setEpochs(const std::vector<EpochMetrics>& epochs)
{
    m_points.clear();
    m_epochsShown = 0;
    for (const auto& m : epochs)
        append(m);
    refreshFamilies();
}

QStringList MethodCurveChart::families() const
{
    QStringList result;
    for (auto it = m_points.begin(); it != m_points.end(); ++it)
        if (!result.contains(curveFamily(it.key())))
            result.append(curveFamily(it.key()));
    return result;
}

QString MethodCurveChart::currentFamily() const
{
    return m_family->currentData().toString();
}

void MethodCurveChart::setCurrentFamily(const QString& family)
{
    const int index = m_family->findData(family);
    if (index >= 0)
        m_family->setCurrentIndex(index);
}

void MethodCurveChart::refreshFamilies()
{
    const QString current = currentFamily();
    const QStringList names = families();
    QStringList shown;
    for (int i = 0; i < m_family->count(); ++i)
        shown.append(m_family->itemData(i).toString());
    if (shown != names) {
        const QSignalBlocker block(m_family);
        m_family->clear();
        for (const auto& family : names)
            m_family->addItem(curveFamilyTitle(family), family);
        const int index = m_family->findData(current);
        m_family->setCurrentIndex(index >= 0 ? index : 0);
    }
    redraw();
}

void MethodCurveChart::redraw()
{
    QChart* chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;  // removeAxis hands the axis back; nobody else holds it
    }
    const QString family = currentFamily();
    chart->setTitle(family.isEmpty() ? QString() : curveFamilyTitle(family));
    if (family.isEmpty()) {
        styleChart(chart);
        return;
    }
    auto* xAxis = new QValueAxis;
    xAxis->setTitleText(tr("epoch"));
    auto* yAxis = new QValueAxis;
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    double minX = 1, maxX = 1, minY = 0, maxY = 0;
    bool first = true;
    int drawn = 0;
    for (auto it = m_points.begin(); it != m_points.end(); ++it) {
        if (curveFamily(it.key()) != family)
            continue;
        auto* series = new QLineSeries;
        const QString suffix = it.key().mid(family.size());
        series->setName(suffix == "_p10"       ? tr("p10")
                            : suffix == "_p50" ? tr("median")
                            : suffix == "_p90" ? tr("p90")
                                               : curveFamilyTitle(family));
        // The quantiles of one family in one colour: the median solid, p10 and p90 dashed.
        const QColor colour = SeriesPalette::colours()[0];
        setLook(series,
                suffix == "_p50" || suffix.isEmpty() ? SeriesPalette::variant(colour, 0)
                                                     : SeriesPalette::variant(colour, suffix == "_p10" ? 1 : 2));
        series->replace(it.value());
        ++drawn;
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
        for (const QPointF& p : it.value()) {
            minX = first ? p.x() : std::min(minX, p.x());
            maxX = first ? p.x() : std::max(maxX, p.x());
            minY = first ? p.y() : std::min(minY, p.y());
            maxY = first ? p.y() : std::max(maxY, p.y());
            first = false;
        }
    }
    // A flat curve (FBS executes the same MACs every epoch) gets a visible band around it, not
    // an axis split into billionths.
    const double magnitude = std::max(std::abs(minY), std::abs(maxY));
    const double pad = maxY - minY > 1e-6 * magnitude ? (maxY - minY) * 0.1 : std::max(1e-9, 0.05 * magnitude);
    setNiceRange(xAxis, minX - 0.5, maxX + 0.5, {10, false, 1});
    // Zoomed to the data (γ near 1 moves by hundredths), but never below 0 for positive curves;
    // ticks at 1-2-5 steps whatever the magnitude (γ in hundredths, MACs in millions).
    setNiceRange(yAxis, minY >= 0 ? std::max(0.0, minY - pad) : minY - pad, maxY + pad);
    setLegendShown(chart, drawn > 1);
    styleChart(chart);
}

}  // namespace prunescope
