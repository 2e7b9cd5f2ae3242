#include "LayerOverlayChart.h"

#include "ChartStyle.h"
#include "UiTypes.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QLegend>
#include <QValueAxis>

#include <map>

namespace prunescope {

LayerOverlayChart::LayerOverlayChart(QWidget* parent) : QChartView(parent), m_palette(std::make_shared<SeriesPalette>())
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(300, 220);
    clear(tr("Select two or more runs of one model to overlay their layers"));
}

void LayerOverlayChart::setSeriesPalette(std::shared_ptr<SeriesPalette> palette)
{
    m_palette = palette ? std::move(palette) : std::make_shared<SeriesPalette>();
}

void LayerOverlayChart::clear(const QString& message)
{
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes()) {
        chart()->removeAxis(axis);
        delete axis;  // removeAxis hands the axis back; nobody else holds it
    }
    chart()->setTitle(message);
    m_runCount = m_layerCount = 0;
    styleChart(chart());
}

void LayerOverlayChart::setRuns(const std::vector<std::pair<StoredRun, std::vector<LayerStats>>>& runs)
{
    clear(QString());
    if (runs.empty()) {
        clear(tr("Select two or more runs of one model to overlay their layers"));
        return;
    }
    // One line per run across the layers in network order: a sparsity profile, readable for
    // ResNet-20's 22 layers where grouped bars are not.
    const std::string model = runs.front().first.config.model;
    const auto& reference = runs.front().second;
    QStringList categories;
    for (const auto& layer : reference)
        categories << QString::fromStdString(layer.name);
    auto* layersAxis = new QBarCategoryAxis;
    layersAxis->append(categories);
    layersAxis->setLabelsAngle(categories.size() > 8 ? -60 : 0);
    auto* percent = new QValueAxis;
    setNiceRange(percent, 0, 100);
    percent->setTitleText(tr("weights kept (%)"));
    chart()->addAxis(layersAxis, Qt::AlignBottom);
    chart()->addAxis(percent, Qt::AlignLeft);
    int leftOut = 0;
    std::map<std::string, int> runsOfMethod;  // how many runs of each method are drawn already
    for (const auto& [run, layers] : runs) {
        if (run.config.model != model || layers.empty() || m_runCount == kMaxRuns) {
            ++leftOut;
            continue;
        }
        std::map<std::string, double> kept;
        for (const auto& layer : layers)
            kept[layer.name] = layer.density() * 100.0;
        auto* line = new QLineSeries;
        line->setName(tr("run %1 · %2").arg(run.id).arg(QString::fromStdString(run.config.method)));
        setLook(line,
                SeriesPalette::variant(m_palette->methodColour(run.config.method), runsOfMethod[run.config.method]++));
        for (int i = 0; i < int(reference.size()); ++i) {
            auto it = kept.find(reference[size_t(i)].name);
            line->append(i, it != kept.end() ? it->second : 0.0);
        }
        chart()->addSeries(line);
        line->attachAxis(layersAxis);
        line->attachAxis(percent);
        ++m_runCount;
    }
    m_layerCount = int(categories.size());
    chart()->setTitle(tr("Weights kept per layer · %1%2")
                          .arg(QString::fromStdString(model))
                          .arg(leftOut ? tr(" (%1 of other models, without layers or beyond %2 left out)")
                                             .arg(runsText(leftOut))
                                             .arg(kMaxRuns)
                                       : QString()));
    styleChart(chart());
}

}  // namespace prunescope
