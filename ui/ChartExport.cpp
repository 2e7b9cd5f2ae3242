#include "ChartExport.h"

#include "ChartStyle.h"
#include "CompareChart.h"
#include "RunStore.h"

#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QImageWriter>
#include <QPainter>
#include <QResizeEvent>
#include <QSaveFile>
#include <QSvgGenerator>

namespace prunescope {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ChartExport", text);
}

bool fail(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

// A widget that was never shown has not had its resize event yet, and a chart lays out its
// axes, labels and legend on posted layout requests: deliver both, so a hidden chart (the
// headless export) renders the same as one on screen.
void layOut(QWidget* widget)
{
    if (!widget->isVisible() || widget->testAttribute(Qt::WA_PendingResizeEvent)) {
        widget->ensurePolished();
        QResizeEvent event(widget->size(), QSize());
        QCoreApplication::sendEvent(widget, &event);
        widget->setAttribute(Qt::WA_PendingResizeEvent, false);
    }
    // A hidden QChartView keeps its chart at the default 640 × 480 until it is shown: size the
    // chart and the scene to the view, so the figure fills the image it is drawn into.
    if (auto* view = qobject_cast<QChartView*>(widget); view && view->chart()) {
        const QRectF area(QPointF(0, 0), widget->size());
        view->chart()->setGeometry(area);
        view->setSceneRect(area);
        // Titles wrapped and the legend laid out for this size (a chart never shown has not been).
        styleChart(view->chart());
    }
    for (int pass = 0; pass < 3; ++pass)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
}

// A chart is drawn from its scene on the chart's own background, without the window colour
// around it; other widgets as they look on screen.
QColor background(QWidget* widget)
{
    if (auto* view = qobject_cast<QChartView*>(widget); view && view->chart()) {
        // Themes paint the chart with a gradient, whose color() is black: use the chart's
        // colour only when it is a plain one.
        const QBrush brush = view->chart()->backgroundBrush();
        return brush.style() == Qt::SolidPattern ? brush.color() : QColor(Qt::white);
    }
    return widget->palette().color(QPalette::Window);
}

void draw(QWidget* widget, QPainter& painter)
{
    painter.fillRect(QRect(QPoint(0, 0), widget->size()), background(widget));
    if (auto* view = qobject_cast<QChartView*>(widget); view && view->scene()) {
        const QRectF area(QPointF(0, 0), widget->size());
        view->scene()->render(&painter, area, area);
    } else {
        widget->render(&painter);
    }
}

QImage renderImage(QWidget* widget, double scale)
{
    const QSize size = widget->size();
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return image;
    image.setDevicePixelRatio(scale);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    draw(widget, painter);
    return image;
}

bool savePng(QWidget* widget, const QString& path, double scale, QString* error)
{
    const QImage image = renderImage(widget, scale);
    if (image.isNull())
        return fail(
            error,
            tr("The image (%1 × %2 pixels) is too large").arg(widget->width() * scale).arg(widget->height() * scale));
    QImageWriter writer(path, "png");
    if (!writer.write(image))
        return fail(error, tr("Cannot write %1: %2").arg(path, writer.errorString()));
    return true;
}

bool saveSvg(QWidget* widget, const QString& path, const QString& title, QString* error)
{
    // QSvgGenerator reports no write errors: write into memory, then save through QSaveFile.
    QByteArray svg;
    QBuffer buffer(&svg);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(widget->size());
    generator.setViewBox(QRect(QPoint(0, 0), widget->size()));
    generator.setTitle(title);
    generator.setDescription(tr("Exported from PruneScope"));
    {
        QPainter painter;
        if (!painter.begin(&generator))
            return fail(error, tr("Cannot draw the SVG image"));
        painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
        draw(widget, painter);
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(svg) != svg.size() || !file.commit())
        return fail(error, tr("Cannot write %1: %2").arg(path, file.errorString()));
    return true;
}

}  // namespace

bool saveWidgetImage(QWidget* widget, const QString& path, QString* error, double scale)
{
    if (!widget)
        return fail(error, tr("There is nothing to export here"));
    if (widget->width() <= 0 || widget->height() <= 0)
        return fail(error, tr("The view to export has no size"));
    layOut(widget);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == "png")
        return savePng(widget, path, scale > 0 ? scale : 1.0, error);
    if (suffix == "svg") {
        QString title = widget->windowTitle();
        if (auto* view = qobject_cast<QChartView*>(widget); view && view->chart())
            title = fullChartTitle(view->chart());
        return saveSvg(widget, path, title, error);
    }
    return fail(
        error,
        tr("Cannot export to \"%1\": choose a file name ending in .png or .svg").arg(QFileInfo(path).fileName()));
}

QImage renderWidgetImage(QWidget* widget, double scale)
{
    if (!widget || widget->width() <= 0 || widget->height() <= 0)
        return {};
    layOut(widget);
    return renderImage(widget, scale > 0 ? scale : 1.0);
}

bool saveChart(QChartView* view, const QString& path, QString* error, double scale)
{
    if (!view)
        return fail(error, tr("There is no chart to export here"));
    return saveWidgetImage(view, path, error, scale);
}

namespace {

CompareChart::XAxis compareAxis(SweepChartAxis axis)
{
    switch (axis) {
    case SweepChartAxis::Compression:
        return CompareChart::XAxis::Compression;
    case SweepChartAxis::EffectiveMacs:
        return CompareChart::XAxis::EffectiveMacs;
    case SweepChartAxis::Latency:
        return CompareChart::XAxis::Latency;
    case SweepChartAxis::Bytes:
        return CompareChart::XAxis::Bytes;
    }
    return CompareChart::XAxis::Compression;
}

bool checkPaths(const QString& databasePath, const QString& outPath, QString* error)
{
    const QString suffix = QFileInfo(outPath).suffix().toLower();
    if (suffix != "png" && suffix != "svg")
        return fail(error, tr("The output file must end in .png or .svg: %1").arg(outPath));
    if (!QFileInfo::exists(databasePath))
        return fail(error, tr("There is no run database at %1").arg(databasePath));
    return true;
}

bool drawRuns(const std::vector<StoredRun>& runs, SweepChartAxis axis, const QString& titlePrefix,
              const QString& outPath, QSize size, double scale, QString* error)
{
    CompareChart chart;
    chart.setXAxis(compareAxis(axis));
    chart.setRuns(runs);
    if (chart.pointCount() == 0)
        return fail(error,
                    tr("None of these runs has a value to draw against this axis (latency: measure it with "
                       "prunescope-cli latency RUN)"));
    chart.chart()->setTitle(titlePrefix + fullChartTitle(chart.chart()));
    chart.setMinimumSize(1, 1);
    chart.resize(size);
    return saveChart(&chart, outPath, error, scale);
}

}  // namespace

bool exportSweepChart(const QString& databasePath, int64_t sweepId, SweepChartAxis axis, const QString& outPath,
                      QSize size, double scale, QString* error)
{
    if (!checkPaths(databasePath, outPath, error))
        return false;
    std::vector<StoredRun> runs;
    try {
        RunStore store(databasePath);
        runs = store.runsOfSweep(sweepId);
    } catch (const std::exception& e) {
        return fail(error, QString::fromStdString(e.what()));
    }
    if (runs.empty())
        return fail(error,
                    tr("Sweep %1 has no runs in %2 (is the sweep id right? prunescope-cli lists sweeps)")
                        .arg(sweepId)
                        .arg(databasePath));
    const auto finished
        = std::count_if(runs.begin(), runs.end(), [](const StoredRun& r) { return r.status == RunStatus::Finished; });
    if (finished == 0)
        return fail(error, tr("None of the %1 runs of sweep %2 has finished yet").arg(runs.size()).arg(sweepId));
    return drawRuns(runs, axis, tr("Sweep %1: ").arg(sweepId), outPath, size, scale, error);
}

bool exportRunsChart(const QString& databasePath, const std::vector<int64_t>& runIds, SweepChartAxis axis,
                     const QString& outPath, QSize size, double scale, QString* error)
{
    if (!checkPaths(databasePath, outPath, error))
        return false;
    std::vector<StoredRun> runs;
    try {
        RunStore store(databasePath);
        for (int64_t id : runIds) {
            auto run = store.findRun(id);
            if (!run)
                return fail(error, tr("There is no run %1 in %2").arg(id).arg(databasePath));
            if (run->status != RunStatus::Finished)
                return fail(
                    error,
                    tr("Run %1 has not finished (%2)").arg(id).arg(QString::fromLatin1(statusName(run->status))));
            runs.push_back(std::move(*run));
        }
    } catch (const std::exception& e) {
        return fail(error, QString::fromStdString(e.what()));
    }
    if (runs.empty())
        return fail(error, tr("No runs to draw"));
    return drawRuns(runs, axis, QString(), outPath, size, scale, error);
}

}  // namespace prunescope
