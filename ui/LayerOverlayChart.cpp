#include "LayerOverlayChart.h"

#include <QBarCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QPen>
#include <QLegend>
#include <QValueAxis>

#include <map>

namespace prunescope {
namespace {

const QColor kPalette[]
    = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
       QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};

}  // namespace

LayerOverlayChart::LayerOverlayChart(QWidget* parent) : QChartView(parent)
{
    setChart(new QChart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(300, 220);
    clear(tr("Select two or more runs of one model to overlay their layers"));
}

void LayerOverlayChart::clear(const QString& message)
{
    chart()->removeAllSeries();
    for (QAbstractAxis* axis : chart()->axes())
        chart()->removeAxis(axis);
    chart()->setTitle(message);
    m_runCount = m_layerCount = 0;
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
    percent->setRange(0, 100);
    percent->setLabelFormat("%d");
    percent->setTitleText(tr("weights kept (%)"));
    chart()->addAxis(layersAxis, Qt::AlignBottom);
    chart()->addAxis(percent, Qt::AlignLeft);
    int leftOut = 0;
    for (const auto& [run, layers] : runs) {
        if (run.config.model != model || layers.empty() || m_runCount == kMaxRuns) {
            ++leftOut;
            continue;
        }
        std::map<std::string, double> kept;
        for (const auto& layer : layers)
            kept[layer.name] = layer.density() * 100.0;
        auto* line = new QLineSeries;
        line->setName(QString("%1 · %2").arg(run.id).arg(QString::fromStdString(run.config.method)));
        line->setPen(QPen(kPalette[m_runCount % std::size(kPalette)], 2));
        line->setPointsVisible(true);
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
    chart()->legend()->setAlignment(Qt::AlignRight);
    chart()->setTitle(
        tr("Weights kept per layer · %1%2")
            .arg(QString::fromStdString(model))
            .arg(leftOut
                     ? tr(" (%1 runs of other models, without layers or beyond %2 left out)").arg(leftOut).arg(kMaxRuns)
                     : QString()));
}

}  // namespace prunescope
