#pragma once
// The training curves of several runs overlaid: each run's validation accuracy per epoch, so
// "does SNIP's sparse network learn as fast as the dense one, and where does fine-tuning
// recover" is read across runs at a glance. As in the Training tab, the dense training and what
// trains after pruning share one epoch axis, and training restarted from θ0 (a new segment)
// starts again at epoch 1, drawn over the others rather than as if it continued them.

#include "RunStore.h"

#include <QChartView>

#include <memory>
#include <utility>
#include <vector>

namespace prunescope {

class SeriesPalette;

class TrainingOverlayChart : public QChartView {
    Q_OBJECT
public:
    static constexpr int kMaxRuns = 8;  // more curves on one axis stop being readable

    explicit TrainingOverlayChart(QWidget* parent = nullptr);

    // Each run with its stored epochs, in the order given (the legend's order). Runs without
    // epochs, and runs beyond kMaxRuns, are left out and the title says how many.
    void setRuns(const std::vector<std::pair<StoredRun, std::vector<EpochMetrics>>>& runs);
    void clear(const QString& message);
    // The colours of the view: each run in its method's colour, as in the view's other charts
    // (several runs of one method: dashed, dotted, … with other markers).
    void setSeriesPalette(std::shared_ptr<SeriesPalette> palette);
    int runCount() const { return m_runCount; }
    int pointCount() const { return m_pointCount; }  // epochs drawn, over all runs

    // How the legend names a run: "run 3 · snip · 90 % sparse".
    static QString runLabel(const StoredRun& run);

private:
    void removeAll();

    std::shared_ptr<SeriesPalette> m_palette;
    int m_runCount = 0;
    int m_pointCount = 0;
};

}  // namespace prunescope
