#include "HtmlReport.h"
#include "UiTypes.h"

#include "ChartExport.h"
#include "CompareChart.h"
#include "LayerSparsityChart.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QImage>
#include <QSaveFile>
#include <QStringList>

#include <algorithm>
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

QString pngDataUri(QWidget* widget)
{
    const QImage image = renderWidgetImage(widget, 1.0);
    if (image.isNull())
        return {};
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString figure(QWidget* chart, const QString& caption)
{
    const QString uri = pngDataUri(chart);
    if (uri.isEmpty())
        return {};
    return QStringLiteral("<figure><img src=\"%1\" alt=\"%2\" width=\"%3\"><figcaption>%2</figcaption></figure>\n")
        .arg(uri, esc(caption))
        .arg(chart->width());
}

QString percent(double fraction, int decimals = 2)
{
    return QString::number(fraction * 100, 'f', decimals) + " %";
}

const char* const kStyle = R"(
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0; } .meta { color: #666; margin-top: .3em; }
table { border-collapse: collapse; margin: .8em 0; font-size: 90%; }
.wide { overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: .25em .5em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr:nth-child(even) td { background: #f6f7f9; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 90%; }
pre { background: #f6f7f9; padding: .6em; overflow-x: auto; font-size: 85%; }
.card { border-left: 4px solid #1f77b4; padding: .2em .8em; margin: .8em 0; }
.bad { color: #c0392b; }
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

    // The comparison charts: the same drawing as the Compare tab.
    const bool anyLatency
        = std::any_of(runs.begin(), runs.end(), [](const StoredRun& r) { return r.summary.measuredSpeedup(64) > 0; });
    // A fresh chart per figure: a chart whose axes were replaced draws the old axes' labels too
    // when it is rendered before it was ever shown.
    auto comparison = [&](CompareChart::XAxis axis, const QString& caption) {
        CompareChart chart;
        chart.resize(1000, 560);
        chart.setXAxis(axis);
        chart.setRuns(runs);
        return chart.pointCount() > 0 ? figure(&chart, caption) : QString();
    };
    const QString byCompression
        = comparison(CompareChart::XAxis::Compression, tr("Test accuracy against compression (mean ± sd over seeds)"));
    if (!byCompression.isEmpty()) {
        html += QStringLiteral("<h2>%1</h2>\n").arg(tr("Comparison"));
        html += byCompression;
        html += comparison(CompareChart::XAxis::EffectiveMacs, tr("Test accuracy against effective MACs per image"));
        if (anyLatency)
            html += comparison(CompareChart::XAxis::Latency, tr("Test accuracy against measured latency (batch 64)"));
    }

    // The summary table.
    html += QStringLiteral("<h2>%1</h2>\n<div class=\"wide\"><table>\n<tr>").arg(tr("Runs"));
    for (const char* header :
         {"Run", "Name", "Model", "Method", "Seed", "Status", "Sparsity", "Compression", "Dense acc.", "Final acc.",
          "Δ vs dense", "Non-zeros", "Eff. MACs", "Measured speedup (b64)", "Tags", "Notes"})
        html += QStringLiteral("<th>%1</th>").arg(esc(tr(header)));
    html += QStringLiteral("</tr>\n");
    for (const auto& run : runs) {
        const RunSummary& s = run.summary;
        const bool finished = run.status == RunStatus::Finished;
        auto number = [&](const QString& text) {
            return QStringLiteral("<td class=\"n\">%1</td>").arg(finished ? esc(text) : "–");
        };
        html += QStringLiteral(
                    "<tr><td class=\"n\">%1</td><td>%2</td><td>%3</td><td>%4</td><td class=\"n\">%5</td><td%6>%7</td>")
                    .arg(run.id)
                    .arg(esc(run.name), esc(modelDisplayName(run.config.model)), esc(run.config.method))
                    .arg(run.config.seed)
                    .arg(finished ? QString() : QStringLiteral(" class=\"bad\""),
                         esc(QString::fromLatin1(statusName(run.status))));
        html += number(percent(s.sparsity, 1)) + number(QString::number(s.compressionRatio, 'f', 1) + "×")
            + number(percent(s.denseTestAccuracy)) + number(percent(s.testAccuracy))
            + number(QString::asprintf("%+.2f pp", (s.testAccuracy - s.denseTestAccuracy) * 100))
            + number(QString::number(s.nonzeros)) + number(QString::number(s.effectiveMacs / 1e6, 'f', 3) + " M");
        html
            += QStringLiteral("<td class=\"n\">%1</td><td>%2</td><td>%3</td></tr>\n")
                   .arg(s.measuredSpeedup(64) > 0 ? QString::number(s.measuredSpeedup(64), 'f', 2) + "×" : QString("–"),
                        esc(run.tags), esc(run.notes));
    }
    html += QStringLiteral("</table></div>\n");

    // Each run: its layers (with the sparsity chart) and the config that reproduces it.
    LayerSparsityChart layerChart;
    layerChart.resize(1000, 420);
    for (const auto& run : runs) {
        html += QStringLiteral("<h2 id=\"run-%1\">%2 %1 · %3</h2>\n").arg(run.id).arg(esc(tr("Run")), esc(run.name));
        if (!run.errorMessage.empty())
            html += QStringLiteral("<p class=\"bad\">%1</p>\n").arg(esc(run.errorMessage));
        const auto steps = store.pruningSteps(run.id, /*withMasks=*/false);
        if (!steps.empty()) {
            const auto& layers = steps.back().layers;
            layerChart.setLayers(layers, steps.back().step);
            html += figure(&layerChart, tr("Weights kept per layer, run %1").arg(run.id));
            html += QStringLiteral("<table>\n<tr>");
            for (const char* header : {"Layer", "Kind", "Weight shape", "Channels kept", "Weights kept", "Density",
                                       "Dense MACs", "Effective MACs"})
                html += QStringLiteral("<th>%1</th>").arg(esc(tr(header)));
            html += QStringLiteral("</tr>\n");
            for (const auto& layer : layers) {
                html += QStringLiteral(
                            "<tr><td>%1</td><td>%2</td><td>%3</td><td class=\"n\">%4</td><td class=\"n\">%5 / %6</td>"
                            "<td class=\"n\">%7</td><td class=\"n\">%8</td><td class=\"n\">%9</td></tr>\n")
                            .arg(esc(layer.name), esc(layer.kind), esc(shapeText(layer.shape)),
                                 layer.channels ? QString("%1 / %2").arg(layer.channelsKept).arg(layer.channels)
                                                : QString("–"))
                            .arg(layer.nonzeros)
                            .arg(layer.parameters)
                            .arg(percent(layer.density(), 1))
                            .arg(layer.denseMacs, 0, 'f', 0)
                            .arg(layer.effectiveMacs, 0, 'f', 0);
            }
            html += QStringLiteral("</table>\n");
        }
        html += QStringLiteral("<details><summary>%1</summary><pre>%2</pre></details>\n")
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
