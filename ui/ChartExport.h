#pragma once
// Saving what the window shows: a chart (or any widget) as PNG or SVG, chosen by the file's
// extension, and a sweep's comparison chart drawn without a window (prunescope
// --export-sweep-chart). Every function returns false with a message a user understands.

#include <QImage>
#include <QSize>
#include <QString>

#include <cstdint>
#include <vector>

class QChartView;
class QWidget;

namespace prunescope {

// PNG: rendered at `scale` × the view's size (2 by default, sharp on high-DPI screens and in
// documents); SVG: vector, at the view's size. Any other extension is an error.
bool saveChart(QChartView* view, const QString& path, QString* error, double scale = 2.0);
// The same for any widget (the mask heatmap, a whole tab).
bool saveWidgetImage(QWidget* widget, const QString& path, QString* error, double scale = 2.0);

// The widget (a chart: its scene, filling the image) drawn into an image of size × scale.
QImage renderWidgetImage(QWidget* widget, double scale = 1.0);

enum class SweepChartAxis { Compression, EffectiveMacs, Latency, Bytes };

// Loads the finished runs of a sweep from the database and saves the comparison chart (accuracy
// against compression or effective MACs, one series per method, mean ± sd over seeds) at
// `size` logical pixels; a PNG is `size` × scale pixels. Needs a QApplication (offscreen is fine).
bool exportSweepChart(const QString& databasePath, int64_t sweepId, SweepChartAxis axis, const QString& outPath,
                      QSize size, double scale, QString* error);
// The same for any list of runs (e.g. structured and unstructured runs against measured latency).
bool exportRunsChart(const QString& databasePath, const std::vector<int64_t>& runIds, SweepChartAxis axis,
                     const QString& outPath, QSize size, double scale, QString* error);

}  // namespace prunescope
