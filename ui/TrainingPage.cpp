#include "TrainingPage.h"

#include "MethodCurveChart.h"
#include "TrainingCurveChart.h"

namespace prunescope {

TrainingPage::TrainingPage(QWidget* parent)
    : QSplitter(Qt::Vertical, parent), m_trainingChart(new TrainingCurveChart), m_methodCurves(new MethodCurveChart)
{
    setObjectName("trainingPage");
    m_trainingChart->setObjectName("trainingChart");
    m_methodCurves->setObjectName("methodCurves");
    m_methodCurves->hide();
    connect(m_methodCurves, &MethodCurveChart::curvesAppeared, m_methodCurves, &QWidget::show);
    addWidget(m_trainingChart);
    addWidget(m_methodCurves);
    setStretchFactor(0, 1);
    setStretchFactor(1, 1);
}

void TrainingPage::clear()
{
    m_trainingChart->clear();
    m_methodCurves->clear();
    m_methodCurves->hide();
}

void TrainingPage::addEpoch(const EpochMetrics& metrics)
{
    m_trainingChart->addEpoch(metrics);
    m_methodCurves->addEpoch(metrics);
}

void TrainingPage::setEpochs(const std::vector<EpochMetrics>& epochs)
{
    m_trainingChart->setEpochs(epochs);
    m_methodCurves->setEpochs(epochs);
    m_methodCurves->setVisible(m_methodCurves->hasCurves());
}

}  // namespace prunescope
