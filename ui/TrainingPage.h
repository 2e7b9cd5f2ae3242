#pragma once
// The Training tab: the loss and accuracy curves, and below them the method's own curves
// (scheduled sparsity, mask distance, executed MACs…) when the run has any.

#include "UiTypes.h"

#include <QSplitter>

#include <vector>

namespace prunescope {

class MethodCurveChart;
class TrainingCurveChart;

class TrainingPage : public QSplitter {
    Q_OBJECT
public:
    explicit TrainingPage(QWidget* parent = nullptr);

    void clear();  // a new run starts
    void addEpoch(const EpochMetrics& metrics);  // live, as the run reports it
    void setEpochs(const std::vector<EpochMetrics>& epochs);  // a stored run

    TrainingCurveChart* trainingChart() const { return m_trainingChart; }

private:
    TrainingCurveChart* m_trainingChart;
    MethodCurveChart* m_methodCurves;
};

}  // namespace prunescope
