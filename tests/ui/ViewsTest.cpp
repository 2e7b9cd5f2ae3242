// The chart and table views on their own, without a window or an engine.
#include "MethodCurveChart.h"
#include "RunsTableModel.h"
#include "TrainingCurveChart.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QValueAxis>
#include <QXYSeries>

#include <gtest/gtest.h>

using namespace prunescope;

TEST(TrainingCurveChartTest, TheCurvesAfterTheDenseNetworkAreNamedByWhatTrained)
{
    TrainingCurveChart chart;
    auto epoch = [](const char* phase, int number) {
        EpochMetrics m;
        m.phase = phase;
        m.epoch = number;
        m.trainLoss = 1.0 / number;
        m.validationAccuracy = 0.5;
        return m;
    };
    chart.setEpochs({epoch("dense", 1), epoch("sparse", 1), epoch("sparse", 2), epoch("finetune", 1)});
    const auto names = [&] {
        QStringList list;
        for (QAbstractSeries* series : chart.chart()->series())
            list << series->name();
        return list;
    };
    EXPECT_TRUE(names().contains("train loss (sparse training, fine-tuning)")) << names().join(" | ").toStdString();
    EXPECT_TRUE(names().contains("validation accuracy % (sparse training, fine-tuning)"));
    chart.setEpochs({epoch("dense", 1), epoch("round 1", 1), epoch("control 1", 1), epoch("round 2", 1)});
    EXPECT_TRUE(names().contains("train loss (rounds, controls)")) << names().join(" | ").toStdString();
    chart.clear();
    EXPECT_TRUE(names().contains("train loss (after pruning)"));
}

TEST(MethodCurveChartTest, AFlatCurveGetsAVisibleBandNotAnAxisOfBillionths)
{
    MethodCurveChart curves;
    for (int epoch = 1; epoch <= 2; ++epoch) {
        EpochMetrics m;
        m.phase = "gates";
        m.epoch = epoch;
        m.extra["executed_macs"] = 5547936;
        curves.addEpoch(m);
    }
    auto* view = curves.findChild<QChartView*>();
    ASSERT_TRUE(view);
    const auto axes = view->chart()->axes(Qt::Vertical);
    ASSERT_EQ(axes.size(), 1);
    const auto* axis = qobject_cast<QValueAxis*>(axes.front());
    ASSERT_TRUE(axis);
    EXPECT_LT(axis->min(), 5547936 * 0.99);
    EXPECT_GT(axis->max(), 5547936 * 1.01);
}

TEST(RunsTableModelTest, PassesTheItemModelTester)
{
    RunsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    StoredRun finished;
    finished.id = 1;
    finished.status = RunStatus::Finished;
    finished.summary.testAccuracy = 0.9;
    finished.summary.denseTestAccuracy = 0.91;
    StoredRun failed;
    failed.id = 2;
    failed.status = RunStatus::Failed;
    failed.errorMessage = "bad data";
    model.setRuns({failed, finished});
    EXPECT_EQ(model.rowCount(), 2);
    EXPECT_EQ(model.index(1, RunsTableModel::DeltaAccuracy).data().toString(), "-1.00 pp");
    EXPECT_EQ(model.index(0, RunsTableModel::Accuracy).data().toString(), "–");
    EXPECT_EQ(model.index(0, RunsTableModel::Name).data(Qt::ToolTipRole).toString(), "bad data");
    EXPECT_EQ(model.rowOfRun(1), 1);
    model.setRuns({});
    EXPECT_EQ(model.rowCount(), 0);
}
