#pragma once
// Accuracy against compression (or effective MACs) for a set of runs: one series per method,
// the mean over seeds with a ± one-standard-deviation bar, so methods are compared at equal cost.

#include "RunStore.h"

#include <QChartView>

#include <memory>

class QComboBox;

namespace prunescope {

class SeriesPalette;

class CompareChart : public QChartView {
    Q_OBJECT
public:
    // Latency: the measured batch-64 median of the pruned network (runs without a measurement are
    // left out); Bytes: the sparse-encoded size of the weights.
    enum class XAxis { Compression, EffectiveMacs, Latency, Bytes };

    explicit CompareChart(QWidget* parent = nullptr);

    void setRuns(const std::vector<StoredRun>& runs);
    // One iterative run: test accuracy per round against the weights left, with the random
    // re-init control when the run has one (the lottery-ticket picture).
    void setRounds(const StoredRun& run, const std::vector<PruningStep>& steps);
    // One run-time pruning run (FBS): test accuracy at each evaluated density against the MACs a
    // test input really executed (mean, with the p10–p90 spread over inputs), and the dense network.
    void setExecutedMacs(const StoredRun& run, const std::vector<PruningStep>& steps);
    void setXAxis(XAxis axis);
    // The colours of the view this chart is part of (a method keeps its colour in all its charts).
    void setSeriesPalette(std::shared_ptr<SeriesPalette> palette);
    int seriesCount() const { return m_methodSeries; }  // one per method
    int pointCount() const { return m_points; }  // one per (method, target sparsity)
    // The most runs (seeds) averaged into one point: 1 means every point is a single run.
    int mostSeedsPerPoint() const { return m_mostSeeds; }

private:
    void rebuild();
    void resetAxes();
    double xValue(const StoredRun& run) const;  // 0 when the run has no value on this axis
    QString axisName() const;
    // The dense network's value on this axis (0 when it has none there).
    double denseXValue(const StoredRun& run) const;
    QString axisTitle(bool logScale) const;

    std::shared_ptr<SeriesPalette> m_palette;
    // MACs in millions, or in thousands when no network reaches a million (labels 16 … 128,
    // not 0.015625 … 0.125).
    double m_macsUnit = 1e6;
    std::vector<StoredRun> m_runs;
    XAxis m_axis = XAxis::Compression;
    int m_methodSeries = 0;
    int m_points = 0;
    int m_mostSeeds = 0;
};

}  // namespace prunescope
