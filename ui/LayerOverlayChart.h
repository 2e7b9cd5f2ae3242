#pragma once
// Per-layer kept weights of several runs of one model, overlaid: one line per run across the
// layers, so "which layers did SNIP thin that magnitude kept" is read at a glance.

#include "RunStore.h"

#include <QChartView>

namespace prunescope {

class LayerOverlayChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 8;  // more bars per layer stop being readable

    explicit LayerOverlayChart(QWidget* parent = nullptr);

    // runs: each run with its last step's layers. Runs of other models than the first's are
    // left out (their layers differ), and the title says so.
    void setRuns(const std::vector<std::pair<StoredRun, std::vector<LayerStats>>>& runs);
    void clear(const QString& message);
    int runCount() const { return m_runCount; }
    int layerCount() const { return m_layerCount; }

private:
    int m_runCount = 0;
    int m_layerCount = 0;
};

}  // namespace prunescope
