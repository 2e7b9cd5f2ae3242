#pragma once
// One look for every chart PruneScope draws: in the window, in an exported PNG or SVG, in the
// HTML report and in presentation mode. Each chart builds its series and axes, then calls
// styleChart(), which applies the house style at the chart's scale:
//  - value axes tick at multiples of a 1-2-5 × 10ⁿ step and label exactly those values
//    (setNiceRange); log axes label at least three powers (setLogRange);
//  - axis and chart titles are never cut with "...": they wrap onto more lines to fit the plot;
//  - a legend of its own (ChartLegend) that draws each series' line style and marker, and wraps
//    long labels instead of eliding them;
//  - one colour per method or run across the charts of a view (SeriesPalette);
//  - a tooltip naming the point under the pointer;
//  - one size factor for fonts, lines and markers (presentation mode), kept through rebuilds.

#include <QColor>
#include <QFont>
#include <QImage>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

class QAbstractAxis;
class QAbstractSeries;
class QChart;
class QLogValueAxis;
class QValueAxis;
class QXYSeries;

namespace prunescope {

class ChartLegend;

// ---- Ticks ----------------------------------------------------------------------------------

// True for 1, 2 or 5 × 10ⁿ, n any integer (within float tolerance).
bool isNiceStep(double step);
// The smallest 1-2-5 step that cuts `span` into at most `maxIntervals` intervals.
double niceStep(double span, int maxIntervals);
// Digits after the decimal point that print every multiple of `step` exactly (0.25 → 2, 5 → 0).
int decimalsFor(double step);

struct TickOptions {
    int maxIntervals = 6;
    // Widen the range to the ticks around it, so the axis starts and ends on a label.
    bool snapToTicks = true;
    // 1 for counts and epochs: no tick between two whole numbers.
    double minimumStep = 0;
};
// The range, dynamic ticks at multiples of a 1-2-5 step, and a label format that prints exactly
// those values (no 36.575 / 73.15, no 0.830883).
void setNiceRange(QValueAxis* axis, double lo, double hi, TickOptions options = {});
// A log axis with at least three labelled powers: base 10 when the padded range holds three,
// else base 2, the range widened to the next powers of 2 while it holds fewer.
void setLogRange(QLogValueAxis* axis, double lo, double hi);
// Whether data from lo to hi (both > 0) is better read on a log axis: it spans a factor of 4 or more.
bool wantsLogAxis(double lo, double hi);
// The values an axis labels, in order, computed as Qt Charts places them (value and log axes).
std::vector<double> tickValues(const QAbstractAxis* axis);

// ---- Titles ---------------------------------------------------------------------------------

// The title as the chart's code set it (styleChart shows it wrapped to the room there is).
QString fullAxisTitle(const QAbstractAxis* axis);
QString fullChartTitle(const QChart* chart);
// Greedy word wrap to `width` pixels in `font`; a word wider than the line gets a line of its own.
QStringList wrapText(const QString& text, const QFont& font, double width);

// ---- Colours and looks ----------------------------------------------------------------------

enum class MarkerShape { Circle, Square, Triangle, Diamond };

// How a series is drawn at scale 1; styleChart applies it at the chart's scale.
struct SeriesLook {
    QColor colour;
    Qt::PenStyle line = Qt::SolidLine;  // Qt::NoPen: markers only (a scatter series)
    double width = 2.0;  // line width in pixels
    bool markers = true;
    MarkerShape marker = MarkerShape::Circle;
    double markerSize = 8;  // pixels across
};

// The colour of each method (or run) in one view, handed to every chart of that view so a method
// has the same colour in all of them. A key keeps its colour for the palette's lifetime; a new
// key takes its preferred colour (a method's place in the catalogue, a run's id) unless another
// key of this palette has it, then the next free one.
class SeriesPalette {
public:
    static const std::vector<QColor>& colours();  // ten, distinguishable on light and dark

    QColor methodColour(const std::string& methodId);
    QColor runColour(int64_t runId);
    // The n-th series of one colour in a chart (several runs of one method): a different line
    // and marker, same colour.
    static SeriesLook variant(QColor colour, int n);
    // The dense network, wherever it is drawn: the same neutral square on every chart.
    static SeriesLook denseLook(bool dark);

private:
    QColor colourFor(const std::string& key, size_t preferred);
    std::map<std::string, size_t> m_assigned;
};

void setLook(QXYSeries* series, const SeriesLook& look);
// Out of the legend (and without a tooltip): an error bar, a spread, an empty control series.
// A series without a name is never in the legend.
void setInLegend(QAbstractSeries* series, bool shown);
// The text shown when the pointer rests on a point (its index in the series). Without one: the
// series' name and the point's x and y under the axes' titles.
void setPointTooltip(QXYSeries* series, std::function<QString(int index)> text);
QString pointTooltip(QXYSeries* series, int index);
// The marker image a look draws at each point (and in the legend), `background` around it.
QImage markerImage(const SeriesLook& look, double scale, QColor background);

// ---- The whole chart ------------------------------------------------------------------------

// Applies the style (fonts, lines, markers, legend, titles, tooltips) at the chart's scale. Call
// after every rebuild; cheap when nothing changed.
void styleChart(QChart* chart);
// 1 in the window; presentation mode draws larger. Restyles the chart.
void setChartScale(QChart* chart, double scale);
double chartScale(const QChart* chart);
// Hidden legend: a chart with one obvious series.
void setLegendShown(QChart* chart, bool shown);
ChartLegend* chartLegend(QChart* chart);

}  // namespace prunescope
