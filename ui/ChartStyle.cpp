#include "ChartStyle.h"

#include "ChartLegend.h"
#include "core/MethodInfo.h"

#include <QAbstractBarSeries>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QCursor>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QGuiApplication>
#include <QLegend>
#include <QLogValueAxis>
#include <QPainter>
#include <QPainterPath>
#include <QScatterSeries>
#include <QToolTip>
#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <cmath>

namespace prunescope {
namespace {

// ---- State kept beside the chart's own objects, as their children (it goes when they go).

// A chart's style: its scale, its legend, the titles as the chart's code set them.
class ChartDecoration : public QObject {
public:
    explicit ChartDecoration(QChart* chart);

    void layOut();  // the legend and the chart title, to the chart's width
    void fitAxisTitles(const QRectF& plotArea);
    void refreshLegend();

    QChart* chart;
    ChartLegend* legend;
    double scale = 1;
    bool legendShown = true;
    QMargins baseMargins;
    QString fullTitle, shownTitle;
};

// An axis title as set and as shown (wrapped).
class AxisTitleState : public QObject {
public:
    using QObject::QObject;
    QString full, shown;
};

// A series' look and tooltip.
class SeriesStyle : public QObject {
public:
    using QObject::QObject;
    SeriesLook look;
    bool hasLook = false;
    std::function<QString(int)> tooltip;
    bool hoverConnected = false;
    bool inLegend = true;
};

template <typename T>
T* findAttached(const QObject* owner)
{
    for (QObject* child : owner->children())
        if (auto* found = dynamic_cast<T*>(child))
            return found;
    return nullptr;
}

template <typename T>
T* attached(QObject* owner)
{
    if (T* found = findAttached<T>(owner))
        return found;
    return new T(owner);
}

ChartDecoration* decoration(QChart* chart)
{
    if (auto* found = findAttached<ChartDecoration>(chart))
        return found;
    return new ChartDecoration(chart);
}

QColor backgroundOf(const QChart* chart)
{
    const QBrush brush = chart->backgroundBrush();
    return brush.style() == Qt::SolidPattern ? brush.color() : QColor(Qt::white);
}

QString numberText(double value)
{
    if (std::abs(value) >= 1000)
        return QString::number(value, 'f', 0);
    return QString::number(value, 'g', 4);
}

QWidget* viewOf(const QChart* chart)
{
    if (!chart->scene() || chart->scene()->views().isEmpty())
        return nullptr;
    return chart->scene()->views().first();
}

bool inLegend(QAbstractSeries* series)
{
    const auto* style = findAttached<SeriesStyle>(series);
    return !style || style->inLegend;
}

QAbstractAxis* axisOf(QAbstractSeries* series, Qt::Orientation orientation)
{
    for (QAbstractAxis* axis : series->attachedAxes())
        if (axis->orientation() == orientation)
            return axis;
    return nullptr;
}

// The x of a point as its axis names it: a layer's name on a category axis, else the number.
QString axisValueText(const QAbstractAxis* axis, double value)
{
    if (const auto* categories = qobject_cast<const QBarCategoryAxis*>(axis)) {
        const int index = int(std::lround(value));
        if (index >= 0 && index < categories->count())
            return categories->at(index);
    }
    return numberText(value);
}

ChartDecoration::ChartDecoration(QChart* owner) : QObject(owner), chart(owner), legend(new ChartLegend(owner))
{
    baseMargins = chart->margins();
    // QChartView raises its own minimum size to the chart's and never lowers it again: larger
    // fonts (presentation mode, a theme) would leave the view too big for its place for good,
    // and widen the window. The views keep the minimum their classes give them.
    chart->setMinimumSize(1, 1);
    QObject::connect(chart, &QGraphicsWidget::geometryChanged, this, [this] { layOut(); });
    QObject::connect(chart, &QChart::plotAreaChanged, this, [this](const QRectF& area) { fitAxisTitles(area); });
}

void ChartDecoration::layOut()
{
    const QRectF area = chart->geometry();
    if (area.width() <= 0)
        return;
    // The chart title, wrapped to the chart's width. A title the chart's code set since is the
    // new full title.
    if (chart->title() != shownTitle)
        fullTitle = chart->title();
    const QStringList titleLines
        = wrapText(fullTitle, chart->titleFont(), area.width() - baseMargins.left() - baseMargins.right() - 16);
    QStringList escaped;
    for (const QString& line : titleLines)
        escaped << line.toHtmlEscaped();
    shownTitle = escaped.join(QStringLiteral("<br>"));
    if (chart->title() != shownTitle)
        chart->setTitle(shownTitle);

    const bool visible = legendShown && !legend->entries().empty();
    legend->setVisible(visible);
    const double width = area.width() - baseMargins.left() - baseMargins.right();
    const double height = visible ? std::ceil(legend->layOut(width)) : 0;
    const int gap = visible ? int(std::round(QFontMetricsF(legend->font()).height() * 0.5)) : 0;
    QMargins margins = baseMargins;
    margins.setBottom(baseMargins.bottom() + int(height) + gap);
    if (chart->margins() != margins)
        chart->setMargins(margins);
    legend->setPos(baseMargins.left(), area.height() - baseMargins.bottom() - height);
}

void ChartDecoration::fitAxisTitles(const QRectF& plotArea)
{
    for (QAbstractAxis* axis : chart->axes()) {
        auto* state = attached<AxisTitleState>(axis);
        if (axis->titleText() != state->shown)
            state->full = axis->titleText();
        if (state->full.isEmpty())
            continue;
        // The room along the axis, less the text item's margins.
        const double room = (axis->orientation() == Qt::Horizontal ? plotArea.width() : plotArea.height()) - 12;
        if (room <= 0)
            continue;
        QStringList escaped;
        for (const QString& line : wrapText(state->full, axis->titleFont(), room))
            escaped << line.toHtmlEscaped();
        state->shown = escaped.join(QStringLiteral("<br>"));
        if (axis->titleText() != state->shown)
            axis->setTitleText(state->shown);
    }
}

void ChartDecoration::refreshLegend()
{
    std::vector<ChartLegend::Entry> entries;
    const QColor background = backgroundOf(chart);
    for (QAbstractSeries* series : chart->series()) {
        if (!inLegend(series))
            continue;
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            for (QBarSet* set : bars->barSets())
                if (!set->label().isEmpty())
                    entries.push_back({set->label(), QPen(Qt::NoPen), QImage(), set->brush()});
            continue;
        }
        if (series->name().isEmpty())
            continue;
        if (auto* area = qobject_cast<QAreaSeries*>(series)) {
            entries.push_back({series->name(), area->pen(), QImage(), area->brush()});
            continue;
        }
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            const SeriesStyle* style = findAttached<SeriesStyle>(xy);
            ChartLegend::Entry entry{series->name()};
            if (style && style->hasLook) {
                if (style->look.line != Qt::NoPen)
                    entry.line = xy->pen();
                if (style->look.markers)
                    entry.marker = markerImage(style->look, scale, background);
            } else {
                entry.line = xy->pen();
            }
            entries.push_back(entry);
        }
    }
    legend->setEntries(std::move(entries));
    legend->setTextColour(chart->legend()->labelColor());
}

void showPointTooltip(QXYSeries* series, const QPointF& domainPoint, bool entered)
{
    QChart* chart = series->chart();
    if (!entered || !chart || series->count() == 0) {
        QToolTip::hideText();
        return;
    }
    // The point nearest the pointer on screen (the hover reports where the pointer is).
    const QPointF pointer = chart->mapToPosition(domainPoint, series);
    int nearest = 0;
    double best = 1e300;
    for (int i = 0; i < series->count(); ++i) {
        const QPointF p = chart->mapToPosition(series->at(i), series);
        const double d = std::hypot(p.x() - pointer.x(), p.y() - pointer.y());
        if (d < best) {
            best = d;
            nearest = i;
        }
    }
    QToolTip::showText(QCursor::pos(), pointTooltip(series, nearest), viewOf(chart));
}

bool horizontalBars(const QAbstractBarSeries* series)
{
    switch (series->type()) {
    case QAbstractSeries::SeriesTypeHorizontalBar:
    case QAbstractSeries::SeriesTypeHorizontalStackedBar:
    case QAbstractSeries::SeriesTypeHorizontalPercentBar:
        return true;
    default:
        return false;
    }
}

void showBarTooltip(QAbstractBarSeries* series, bool entered, int index, QBarSet* set)
{
    if (!entered || !set) {
        QToolTip::hideText();
        return;
    }
    const bool horizontal = horizontalBars(series);
    const QString category = axisValueText(axisOf(series, horizontal ? Qt::Vertical : Qt::Horizontal), index);
    const QAbstractAxis* values = axisOf(series, horizontal ? Qt::Horizontal : Qt::Vertical);
    const QString unit = values ? fullAxisTitle(values) : QString();
    QToolTip::showText(QCursor::pos(),
                       QStringLiteral("%1\n%2: %3%4")
                           .arg(category, set->label(), numberText(set->at(index)),
                                unit.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(unit)),
                       series->chart() ? viewOf(series->chart()) : nullptr);
}

SeriesLook adoptLook(QXYSeries* series)
{
    // A series the chart drew without a look (an error bar): keep its pen, scale its width.
    SeriesLook look;
    const QPen pen = series->pen();
    look.colour = pen.color();
    look.line = pen.style();
    look.width = pen.widthF() > 0 ? pen.widthF() : 1.0;
    look.markers = false;
    if (auto* scatter = qobject_cast<QScatterSeries*>(series)) {
        look.colour = scatter->color();
        look.line = Qt::NoPen;
        look.markers = true;
        look.markerSize = scatter->markerSize();
        look.marker = scatter->markerShape() == QScatterSeries::MarkerShapeRectangle ? MarkerShape::Square
                                                                                     : MarkerShape::Circle;
    }
    return look;
}

void applyLook(QXYSeries* series, const SeriesLook& look, double scale, QColor background)
{
    if (auto* scatter = qobject_cast<QScatterSeries*>(series)) {
        scatter->setColor(look.colour);
        scatter->setBorderColor(background);
        scatter->setMarkerSize(look.markerSize * scale);
    } else {
        QPen pen(look.colour, look.width * scale, look.line == Qt::NoPen ? Qt::SolidLine : look.line, Qt::FlatCap,
                 Qt::RoundJoin);
        if (look.line == Qt::NoPen)
            pen = QPen(Qt::NoPen);
        series->setPen(pen);
    }
    // Markers as images: any shape, any size, the same one in the legend; the hover then
    // reports the marker's own point.
    // Qt draws a light marker into a square of the series' marker size (for a line series 1.5 ×
    // its pen width unless set): the image's own size, so it is drawn 1:1. Points stay "hidden":
    // visible points would add circles of that size to the line's path.
    series->setPointsVisible(false);
    const QImage marker = look.markers ? markerImage(look, scale, background) : QImage();
    if (!marker.isNull())
        series->setMarkerSize(marker.width());
    series->setLightMarker(marker);
}

}  // namespace

// ---- Titles

QString fullAxisTitle(const QAbstractAxis* axis)
{
    if (const auto* state = findAttached<AxisTitleState>(axis); state && axis->titleText() == state->shown)
        return state->full;
    return axis->titleText();
}

QString fullChartTitle(const QChart* chart)
{
    if (const auto* d = findAttached<ChartDecoration>(chart); d && chart->title() == d->shownTitle)
        return d->fullTitle;
    return chart->title();
}

QStringList wrapText(const QString& text, const QFont& font, double width)
{
    const QFontMetricsF metrics(font);
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString candidate = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && metrics.horizontalAdvance(candidate) > width) {
            lines << line;
            line = word;
        } else {
            line = candidate;
        }
    }
    if (!line.isEmpty())
        lines << line;
    return lines;
}

// ---- Colours and looks

const std::vector<QColor>& SeriesPalette::colours()
{
    // The category-10 colours without their grey, which stands for the dense network and for
    // layers left alone.
    static const std::vector<QColor> colours
        = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
           QColor(0xe3, 0x77, 0xc2), QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf)};
    return colours;
}

QColor SeriesPalette::colourFor(const std::string& key, size_t preferred)
{
    const auto& all = colours();
    if (auto it = m_assigned.find(key); it != m_assigned.end())
        return all[it->second];
    std::vector<bool> taken(all.size(), false);
    for (const auto& [other, index] : m_assigned)
        taken[index] = true;
    size_t index = preferred % all.size();
    for (size_t i = 0; i < all.size(); ++i) {
        const size_t candidate = (preferred + i) % all.size();
        if (!taken[candidate]) {
            index = candidate;
            break;
        }
    }
    m_assigned[key] = index;
    return all[index];
}

QColor SeriesPalette::methodColour(const std::string& methodId)
{
    const auto& catalogue = methodCatalogue();
    size_t preferred = std::hash<std::string>()(methodId);
    for (size_t i = 0; i < catalogue.size(); ++i)
        if (catalogue[i].id == methodId)
            preferred = i;
    return colourFor("method:" + methodId, preferred);
}

QColor SeriesPalette::runColour(int64_t runId)
{
    return colourFor("run:" + std::to_string(runId), size_t(std::max<int64_t>(0, runId)));
}

SeriesLook SeriesPalette::variant(QColor colour, int n)
{
    static const Qt::PenStyle lines[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
    static const MarkerShape markers[]
        = {MarkerShape::Circle, MarkerShape::Square, MarkerShape::Triangle, MarkerShape::Diamond};
    SeriesLook look;
    look.colour = colour;
    look.line = lines[std::abs(n) % 4];
    look.marker = markers[std::abs(n) % 4];
    return look;
}

SeriesLook SeriesPalette::denseLook(bool dark)
{
    SeriesLook look;
    look.colour = dark ? QColor(0xdd, 0xdd, 0xdd) : QColor(0x33, 0x33, 0x33);
    look.line = Qt::NoPen;
    look.marker = MarkerShape::Square;
    look.markerSize = 11;
    return look;
}

void setLook(QXYSeries* series, const SeriesLook& look)
{
    auto* style = attached<SeriesStyle>(series);
    style->look = look;
    style->hasLook = true;
    applyLook(series, look, series->chart() ? chartScale(series->chart()) : 1.0,
              series->chart() ? backgroundOf(series->chart()) : QColor(Qt::white));
}

void setInLegend(QAbstractSeries* series, bool shown)
{
    attached<SeriesStyle>(series)->inLegend = shown;
}

void setPointTooltip(QXYSeries* series, std::function<QString(int index)> text)
{
    attached<SeriesStyle>(series)->tooltip = std::move(text);
}

QString pointTooltip(QXYSeries* series, int index)
{
    if (index < 0 || index >= series->count())
        return {};
    if (const auto* style = findAttached<SeriesStyle>(series); style && style->tooltip)
        return style->tooltip(index);
    const QPointF p = series->at(index);
    const QAbstractAxis* x = axisOf(series, Qt::Horizontal);
    const QAbstractAxis* y = axisOf(series, Qt::Vertical);
    QStringList lines;
    if (!series->name().isEmpty())
        lines << series->name();
    lines << QStringLiteral("%1: %2").arg(x ? fullAxisTitle(x) : QStringLiteral("x"), axisValueText(x, p.x()));
    lines << QStringLiteral("%1: %2").arg(y ? fullAxisTitle(y) : QStringLiteral("y"), numberText(p.y()));
    return lines.join(QLatin1Char('\n'));
}

QImage markerImage(const SeriesLook& look, double scale, QColor background)
{
    const int size = std::max(3, int(std::lround(look.markerSize * scale)));
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    // A thin ring in the background colour keeps overlapping markers apart.
    const double ring = std::max(1.0, scale);
    painter.setPen(QPen(background, ring));
    painter.setBrush(look.colour);
    const QRectF box = QRectF(0, 0, size, size).adjusted(ring / 2, ring / 2, -ring / 2, -ring / 2);
    switch (look.marker) {
    case MarkerShape::Circle:
        painter.drawEllipse(box);
        break;
    case MarkerShape::Square: {
        const double inset = box.width() * 0.08;  // the same visual weight as the circle
        painter.drawRect(box.adjusted(inset, inset, -inset, -inset));
        break;
    }
    case MarkerShape::Triangle:
        painter.drawPolygon(QPolygonF({QPointF(box.center().x(), box.top()), box.bottomRight(), box.bottomLeft()}));
        break;
    case MarkerShape::Diamond:
        painter.drawPolygon(
            QPolygonF({QPointF(box.center().x(), box.top()), QPointF(box.right(), box.center().y()),
                       QPointF(box.center().x(), box.bottom()), QPointF(box.left(), box.center().y())}));
        break;
    }
    return image;
}

// ---- The whole chart

void styleChart(QChart* chart)
{
    if (!chart)
        return;
    ChartDecoration* d = decoration(chart);
    const double scale = d->scale;
    const QFont base = QGuiApplication::font();
    auto sized = [&](double factor, bool bold) {
        QFont font = base;
        font.setPointSizeF(base.pointSizeF() * factor * scale);
        font.setBold(bold);
        return font;
    };
    if (chart->titleFont() != sized(1.15, true))
        chart->setTitleFont(sized(1.15, true));
    for (QAbstractAxis* axis : chart->axes()) {
        if (axis->labelsFont() != sized(1, false))
            axis->setLabelsFont(sized(1, false));
        if (axis->titleFont() != sized(1, false))
            axis->setTitleFont(sized(1, false));
    }
    chart->legend()->setVisible(false);  // ChartLegend draws it
    d->legend->setFont(sized(1, false));

    const QColor background = backgroundOf(chart);
    for (QAbstractSeries* series : chart->series()) {
        if (auto* xy = qobject_cast<QXYSeries*>(series)) {
            auto* style = attached<SeriesStyle>(xy);
            if (!style->hasLook) {  // adopted once, so a larger scale does not compound
                style->look = adoptLook(xy);
                style->hasLook = true;
            }
            applyLook(xy, style->look, scale, background);
            if (!style->hoverConnected && inLegend(series)) {
                style->hoverConnected = true;
                QObject::connect(xy, &QXYSeries::hovered, style,
                                 [xy](const QPointF& point, bool state) { showPointTooltip(xy, point, state); });
            }
        } else if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            auto* style = attached<SeriesStyle>(bars);
            if (!style->hoverConnected) {
                style->hoverConnected = true;
                QObject::connect(
                    bars, &QAbstractBarSeries::hovered, style,
                    [bars](bool status, int index, QBarSet* set) { showBarTooltip(bars, status, index, set); });
            }
        }
    }
    d->refreshLegend();
    d->layOut();
    d->fitAxisTitles(chart->plotArea());
}

void setChartScale(QChart* chart, double scale)
{
    if (!chart)
        return;
    decoration(chart)->scale = scale > 0 ? scale : 1.0;
    styleChart(chart);
}

double chartScale(const QChart* chart)
{
    const auto* d = chart ? findAttached<ChartDecoration>(chart) : nullptr;
    return d ? d->scale : 1.0;
}

void setLegendShown(QChart* chart, bool shown)
{
    decoration(chart)->legendShown = shown;
    decoration(chart)->layOut();
}

ChartLegend* chartLegend(QChart* chart)
{
    return decoration(chart)->legend;
}

}  // namespace prunescope
