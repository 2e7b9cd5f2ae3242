#pragma once
// Per-layer kept weights of several runs of one model, overlaid: one line per run across the
// layers, so "which layers did SNIP thin that magnitude kept" is read at a glance.

#include "RunStore.h"

#include <QChartView>

#include <memory>

namespace prunescope {

class SeriesPalette;

class LayerOverlayChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 8;  // more bars per layer stop being readable

    explicit LayerOverlayChart(QWidget* parent = nullptr);

    // runs: each run with its last step's layers. Runs of other models than the first's are
    // left out (their layers differ), and the title says so.
    void setRuns(const std::vector<std::pair<StoredRun, std::vector<LayerStats>>>& runs);
    void clear(const QString& message);
    // The colours of the view: each run in its method's colour, as in the view's other charts
    // (several runs of one method: dashed, dotted, … with other markers).
    void setSeriesPalette(std::shared_ptr<SeriesPalette> palette);
    int runCount() const { return m_runCount; }
    int layerCount() const { return m_layerCount; }

private:
    std::shared_ptr<SeriesPalette> m_palette;
    int m_runCount = 0;
    int m_layerCount = 0;
};

}  // namespace prunescope
