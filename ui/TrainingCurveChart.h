#pragma once
// Training loss and validation accuracy per epoch: the dense training, then whatever trains
// after pruning (fine-tuning, the rounds of an iterative one) continuing the same epoch axis, so
// the dip and the recovery are visible. Training that restarts from θ0 (a new segment: SNIP's
// sparse network, RigL, GMP, each lottery-ticket round) is a curve of its own from epoch 1, drawn
// over the dense one rather than as if it continued it.

#include "core/RunEvents.h"

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QStringList>

#include <map>

class QLineSeries;
class QValueAxis;

namespace prunescope {

class TrainingCurveChart : public QChartView {
    Q_OBJECT
public:
    explicit TrainingCurveChart(QWidget* parent = nullptr);

    void clear();
    void addEpoch(const EpochMetrics& metrics);
    void setEpochs(const std::vector<EpochMetrics>& epochs);
    int pointCount() const;

private:
    // The curves of one segment that restarted from θ0.
    struct RestartCurves {
        QLineSeries* loss = nullptr;
        QLineSeries* accuracy = nullptr;
        QList<QPointF> lossPoints, accuracyPoints;
    };
    RestartCurves& restartCurves(int segment);
    void removeRestartCurves();
    void appendEpoch(const EpochMetrics& metrics);
    void refresh();

    QLineSeries* m_denseLoss;
    QLineSeries* m_fineTuneLoss;
    QLineSeries* m_denseAccuracy;
    QLineSeries* m_fineTuneAccuracy;
    QValueAxis* m_epochAxis;
    QValueAxis* m_lossAxis;
    QValueAxis* m_accuracyAxis;
    QList<QPointF> m_points[4];
    QStringList m_laterPhases;  // in the order they trained, as the legend names them
    int m_epochsShown = 0;
    std::map<int, RestartCurves> m_restarts;  // by segment (1, 2, …)
};

}  // namespace prunescope
