#pragma once
// A during-training method's own curves, epoch by epoch: Network Slimming's γ quantiles, SSL's
// filter norms, Early-Bird's mask distance, GMP's target sparsity, RigL's moved connections,
// GReg's λ. Curves of one family (gamma_p10/p50/p90) share a chart; a list picks the family.
// Hidden by its owner while a run has no such curves.

#include "core/RunEvents.h"

#include <QList>
#include <QMap>
#include <QPointF>
#include <QWidget>

class QChartView;
class QComboBox;

namespace prunescope {

class MethodCurveChart : public QWidget {
    Q_OBJECT
public:
    explicit MethodCurveChart(QWidget* parent = nullptr);

    void clear();
    void addEpoch(const EpochMetrics& metrics);
    void setEpochs(const std::vector<EpochMetrics>& epochs);
    bool hasCurves() const { return !m_points.isEmpty(); }
    QStringList families() const;
    QString currentFamily() const;
    void setCurrentFamily(const QString& family);
    // Points of one curve (e.g. "mask_distance"): x = epoch number across phases, as in Training.
    QList<QPointF> points(const QString& curve) const { return m_points.value(curve); }

Q_SIGNALS:
    void curvesAppeared();

private:
    void append(const EpochMetrics& metrics);
    void refreshFamilies();
    void redraw();

    QComboBox* m_family;
    QChartView* m_view;
    QMap<QString, QList<QPointF>> m_points;  // by curve name
    int m_epochsShown = 0;
};

// "gamma_p50" → "gamma"; names without a quantile suffix are their own family.
QString curveFamily(const QString& curve);
// What a family is called on screen ("BatchNorm |γ| quantiles").
QString curveFamilyTitle(const QString& family);

}  // namespace prunescope
