#include "HtmlReport.h"
#include "UiTypes.h"

#include "ChartExport.h"
#include "ChartStyle.h"
#include "CompareChart.h"
#include "LayerSparsityChart.h"
#include "MaskHeatmap.h"
#include "TrainingCurveChart.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QImage>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
#include <memory>
#include <set>

namespace prunescope {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("HtmlReport", text);
}

QString esc(const QString& text)
{
    return text.toHtmlEscaped();  // & < > " — enough for text and double-quoted attributes
}

QString esc(const std::string& text)
{
    return esc(QString::fromStdString(text));
}

// Escaped, and free to wrap after an underscore (global_magnitude) where a column is narrow;
// never inside a word otherwise.
QString breakable(const std::string& text)
{
    return esc(text).replace(QLatin1Char('_'), QStringLiteral("_<wbr>"));
}

QString pngDataUri(QWidget* widget)
{
    // Drawn at the width the page shows it (about 700 px of A4 text), so the chart's type is
    // the page's size, at twice the pixels so it stays sharp on paper and on high-DPI screens.
    const QImage image = renderWidgetImage(widget, 2.0);
    if (image.isNull())
        return {};
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

// kind: what the figure shows (a class for the stylesheet and for readers of the file):
// "comparison", "training", "layers" or "mask".
QString figure(QWidget* chart, const QString& kind, const QString& caption)
{
    const QString uri = pngDataUri(chart);
    if (uri.isEmpty())
        return {};
    return QStringLiteral(
               "<figure class=\"%4\"><img src=\"%1\" alt=\"%2\" width=\"%3\"><figcaption>%2</figcaption></figure>\n")
        .arg(uri, esc(caption))
        .arg(chart->width())
        .arg(kind);
}

// The layer whose mask says most about the run: the pruned layer with the most weights.
const MaskSnapshot* layerToShow(const PruningStep& step)
{
    const MaskSnapshot* best = nullptr;
    for (const MaskSnapshot& mask : step.masks) {
        const auto layer = std::find_if(step.layers.begin(), step.layers.end(),
                                        [&](const LayerStats& l) { return l.name == mask.layer; });
        const bool pruned = layer == step.layers.end() || layer->pruned;
        if (pruned && (!best || mask.numel() > best->numel()))
            best = &mask;
    }
    return best;
}

// Fits the page on screen and on paper: units in the headers so numbers never wrap from their
// unit, tables as wide as the text and no wider (long text wraps inside its cell, nothing
// scrolls sideways), images shrink to the page, and print keeps a figure or a row on one page.
const char* const kStyle = R"(
@page { size: A4; margin: 14mm 12mm; }
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1000px; padding: 0 1em;
       color: #222; }
h1 { margin-bottom: 0; } .meta { color: #666; margin-top: .3em; }
table { border-collapse: collapse; margin: .8em 0; font-size: 85%; width: 100%; }
th, td { border: 1px solid #ccc; padding: .2em .4em; text-align: left; vertical-align: top; }
th { background: #eef0f3; font-weight: 600; }
th.n { text-align: right; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:nth-child(even) td { background: #f6f7f9; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 90%; }
img { max-width: 100%; height: auto; }
figure.mask img { image-rendering: pixelated; }
pre { background: #f6f7f9; padding: .6em; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 80%; }
.card { border-left: 4px solid #1f77b4; padding: .2em .8em; margin: .8em 0; }
.bad { color: #c0392b; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure, tr, .card { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  details { display: none; }
  section.run { break-before: page; page-break-before: always; }
}
)";

}  // namespace

QString htmlReport(const RunStore& store, const std::vector<StoredRun>& runs, const QString& title)
{
    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%1</title>\n"
                           "<style>%2</style>\n</head>\n<body>\n")
                .arg(esc(title), QString::fromLatin1(kStyle));
    html += QStringLiteral("<h1>%1</h1>\n<p class=\"meta\">%2 · %3 · %4 runs</p>\n")
                .arg(esc(title), esc(QDateTime::currentDateTimeUtc().toString("yyyy-MM-dd HH:mm 'UTC'")),
                     esc(engineVersions()))
                .arg(runs.size());

    // One colour per method in every chart of the report.
    const auto palette = std::make_shared<SeriesPalette>();

    // The comparison charts: the same drawing as the Compare tab.
    const bool anyLatency
        = std::any_of(runs.begin(), runs.end(), [](const StoredRun& r) { return r.summary.measuredSpeedup(64) > 0; });
    // A fresh chart per figure: a chart whose axes were replaced draws the old axes' labels too
    // when it is rendered before it was ever shown.
    auto comparison = [&](CompareChart::XAxis axis, const QString& caption) {
        CompareChart chart;
        chart.resize(720, 430);
        chart.setSeriesPalette(palette);
        chart.setXAxis(axis);
        chart.setRuns(runs);
        if (chart.pointCount() == 0)
            return QString();
        // What a point is: a mean over seeds, or one run.
        const QString what = chart.mostSeedsPerPoint() > 1 ? tr("mean ± sd over seeds") : tr("one seed per point");
        return figure(&chart, QStringLiteral("comparison"), QStringLiteral("%1 (%2)").arg(caption, what));
    };
    const QString byCompression = comparison(CompareChart::XAxis::Compression, tr("Test accuracy against compression"));
    if (!byCompression.isEmpty()) {
        html += QStringLiteral("<h2>%1</h2>\n").arg(tr("Comparison"));
        html += byCompression;
        html += comparison(CompareChart::XAxis::EffectiveMacs, tr("Test accuracy against effective MACs per image"));
        if (anyLatency)
            html += comparison(CompareChart::XAxis::Latency, tr("Test accuracy against measured latency (batch 64)"));
    }

    // The summary table: units in the headers, bare numbers in the cells.
    html += QStringLiteral("<h2>%1</h2>\n<table>\n<thead><tr>").arg(tr("Runs"));
    for (const auto& [header, numeric] :
         std::initializer_list<std::pair<const char*, bool>>{{"Run", true},
                                                             {"Name", false},
                                                             {"Model · method", false},
                                                             {"Seed", true},
                                                             {"Sparsity (%)", true},
                                                             {"Compr. (×)", true},
                                                             {"Dense acc. (%)", true},
                                                             {"Final acc. (%)", true},
                                                             {"Δ vs dense (pp)", true},
                                                             {"Non-zeros", true},
                                                             {"Eff. MACs (M)", true},
                                                             {"Speedup, batch 64 (×)", true}})
        html += QStringLiteral("<th%1>%2</th>")
                    .arg(numeric ? QStringLiteral(" class=\"n\"") : QString(), esc(tr(header)));
    html += QStringLiteral("</tr></thead>\n");
    for (const auto& run : runs) {
        const RunSummary& s = run.summary;
        const bool finished = run.status == RunStatus::Finished;
        auto number = [&](const QString& text) {
            return QStringLiteral("<td class=\"n\">%1</td>").arg(finished ? esc(text) : "–");
        };
        // A run that did not finish says so beside its name (the numbers are dashes).
        const QString status = finished
            ? QString()
            : QStringLiteral(" <span class=\"bad\">(%1)</span>").arg(esc(QString::fromLatin1(statusName(run.status))));
        html += QStringLiteral("<tr><td class=\"n\"><a href=\"#run-%1\">%1</a></td><td>%2%3</td><td>%4</td>"
                               "<td class=\"n\">%5</td>")
                    .arg(run.id)
                    .arg(esc(run.name), status,
                         breakable(modelDisplayName(run.config.model) + " · " + run.config.method))
                    .arg(run.config.seed);
        html += number(QString::number(s.sparsity * 100, 'f', 1)) + number(QString::number(s.compressionRatio, 'f', 1))
            + number(QString::number(s.denseTestAccuracy * 100, 'f', 2))
            + number(QString::number(s.testAccuracy * 100, 'f', 2))
            + number(QString::asprintf("%+.2f", (s.testAccuracy - s.denseTestAccuracy) * 100))
            + number(QString::number(s.nonzeros)) + number(QString::number(s.effectiveMacs / 1e6, 'f', 3));
        html += QStringLiteral("<td class=\"n\">%1</td></tr>\n")
                    .arg(finished && s.measuredSpeedup(64) > 0 ? QString::number(s.measuredSpeedup(64), 'f', 2)
                                                               : QString("–"));
    }
    html += QStringLiteral("</table>\n");

    // Each run: its training curves, its layers (chart and table), a mask, and the config that
    // reproduces it; drawn by the window's own chart code.
    for (const auto& run : runs) {
        // One run per printed page.
        html += QStringLiteral("<section class=\"run\">\n<h2 id=\"run-%1\">%2 %1 · %3</h2>\n")
                    .arg(run.id)
                    .arg(esc(tr("Run")), esc(run.name));
        html += QStringLiteral("<p class=\"meta\">%1 · %2 · %3 %4 · %5</p>\n")
                    .arg(esc(modelDisplayName(run.config.model)), esc(run.config.method), esc(tr("seed")))
                    .arg(run.config.seed)
                    .arg(esc(QString::fromLatin1(statusName(run.status))));
        if (!run.tags.empty() || !run.notes.empty())
            html += QStringLiteral("<p>%1%2</p>\n")
                        .arg(run.tags.empty() ? QString()
                                              : QStringLiteral("<b>%1</b> %2<br>").arg(esc(tr("Tags:")), esc(run.tags)),
                             run.notes.empty() ? QString()
                                               : QStringLiteral("<b>%1</b> %2").arg(esc(tr("Notes:")), esc(run.notes)));
        if (!run.errorMessage.empty())
            html += QStringLiteral("<p class=\"bad\">%1</p>\n").arg(esc(run.errorMessage));

        const auto epochs = store.epochs(run.id);
        if (!epochs.empty()) {
            TrainingCurveChart training;
            training.resize(720, 330);
            training.setEpochs(epochs);
            training.chart()->setTitle(tr("Training, run %1").arg(run.id));
            html += figure(&training, QStringLiteral("training"),
                           tr("Training loss and validation accuracy per epoch, run %1").arg(run.id));
        }

        const auto steps = store.pruningSteps(run.id, /*withMasks=*/true);
        if (steps.empty()) {
            html += QStringLiteral("<details><summary>%1</summary><pre>%2</pre></details>\n</section>\n")
                        .arg(esc(tr("Config (prunescope-cli run --config FILE reproduces this run)")),
                             esc(run.configJson));
            continue;
        }
        const PruningStep& last = steps.back();
        const auto& layers = last.layers;
        LayerSparsityChart layerChart;
        layerChart.resize(720, std::clamp(150 + 22 * int(layers.size()), 260, 640));
        layerChart.setPrunedColour(palette->methodColour(run.config.method));
        layerChart.setLayers(layers, last.step);
        html += figure(&layerChart, QStringLiteral("layers"), tr("Weights kept per layer, run %1").arg(run.id));

        if (const MaskSnapshot* mask = layerToShow(last)) {
            MaskHeatmap heatmap;
            QPalette light;  // the report is printed on white, whatever the window's theme
            light.setColor(QPalette::Base, Qt::white);
            heatmap.setPalette(light);
            const double rows = mask->shape.empty() ? 1.0 : double(mask->shape[0]);
            double columns = 1;
            for (size_t i = 1; i < mask->shape.size(); ++i)
                columns *= double(mask->shape[i]);
            heatmap.resize(480, std::clamp(int(std::lround(480 * rows / std::max(1.0, columns))), 120, 360));
            heatmap.setMask(*mask);
            html += figure(&heatmap, QStringLiteral("mask"),
                           tr("Mask of %1 (%2) after step %3, run %4: kept weights dark, pruned light, whole "
                              "filters or input channels removed red")
                               .arg(QString::fromStdString(mask->layer), shapeText(mask->shape))
                               .arg(last.step)
                               .arg(run.id));
        }

        html += QStringLiteral("<table>\n<thead><tr>");
        for (const auto& [header, numeric] :
             std::initializer_list<std::pair<const char*, bool>>{{"Layer", false},
                                                                 {"Kind", false},
                                                                 {"Weight shape", false},
                                                                 {"Channels kept", true},
                                                                 {"Weights kept", true},
                                                                 {"Density (%)", true},
                                                                 {"Dense MACs", true},
                                                                 {"Effective MACs", true}})
            html += QStringLiteral("<th%1>%2</th>")
                        .arg(numeric ? QStringLiteral(" class=\"n\"") : QString(), esc(tr(header)));
        html += QStringLiteral("</tr></thead>\n");
        for (const auto& layer : layers) {
            html += QStringLiteral(
                        "<tr><td>%1</td><td>%2</td><td>%3</td><td class=\"n\">%4</td><td class=\"n\">%5 / %6</td>"
                        "<td class=\"n\">%7</td><td class=\"n\">%8</td><td class=\"n\">%9</td></tr>\n")
                        .arg(esc(layer.name), esc(layer.kind), esc(shapeText(layer.shape)),
                             layer.channels ? QString("%1 / %2").arg(layer.channelsKept).arg(layer.channels)
                                            : QString("–"))
                        .arg(layer.nonzeros)
                        .arg(layer.parameters)
                        .arg(QString::number(layer.density() * 100, 'f', 1))
                        .arg(layer.denseMacs, 0, 'f', 0)
                        .arg(layer.effectiveMacs, 0, 'f', 0);
        }
        html += QStringLiteral("</table>\n");
        html += QStringLiteral("<details><summary>%1</summary><pre>%2</pre></details>\n</section>\n")
                    .arg(esc(tr("Config (prunescope-cli run --config FILE reproduces this run)")), esc(run.configJson));
    }

    // The cards of the methods in the selection.
    std::set<std::string> methods;
    for (const auto& run : runs)
        methods.insert(run.config.method);
    html += QStringLiteral("<h2>%1</h2>\n").arg(tr("Methods"));
    for (const auto& id : methods) {
        try {
            const MethodInfo& m = methodInfo(id);
            html
                += QStringLiteral(
                       "<div class=\"card\"><p><b>%1</b> (<code>%2</code>)<br><i>%3</i>, %4 %5<br>%6 · %7 · %8</p><p>%9</p>")
                       .arg(esc(m.card.title), esc(m.id), esc(m.card.authors), esc(m.card.venue))
                       .arg(m.card.year)
                       .arg(esc(displayName(m.taxonomy.speedup)), esc(displayName(m.taxonomy.when)),
                            esc(displayName(m.taxonomy.criterion)), esc(m.card.rule));
            html += QStringLiteral("<p><b>%1</b> %2<br><b>%3</b> %4</p></div>\n")
                        .arg(esc(tr("Good at:")), esc(m.card.goodAt), esc(tr("Bad at:")), esc(m.card.badAt));
        } catch (const std::exception&) {
            html += QStringLiteral("<div class=\"card\"><p><code>%1</code>: %2</p></div>\n")
                        .arg(esc(id), esc(tr("not in this version's catalogue")));
        }
    }
    html += QStringLiteral("</body>\n</html>\n");
    return html;
}

bool writeHtmlReport(const RunStore& store, const std::vector<int64_t>& runIds, const QString& path, QString* error)
{
    auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (runIds.empty())
        return fail(tr("Select at least one run for the report"));
    std::vector<StoredRun> runs;
    try {
        for (int64_t id : runIds) {
            auto run = store.findRun(id);
            if (!run)
                return fail(tr("There is no run %1 in %2").arg(id).arg(store.path()));
            runs.push_back(std::move(*run));
        }
        const QString html = htmlReport(store, runs, tr("PruneScope report: %1 runs").arg(runs.size()));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return fail(tr("Cannot write the report to %1: %2").arg(path, file.errorString()));
        const QByteArray bytes = html.toUtf8();
        if (file.write(bytes) != bytes.size() || !file.commit())
            return fail(tr("Cannot write the report to %1: %2").arg(path, file.errorString()));
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return true;
}

}  // namespace prunescope
