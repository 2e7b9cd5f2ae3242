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

// A speedup divided from latencies measured on a busy machine says so in its cell and tooltip,
// rather than standing in the table as a fact about the networks.
TEST(RunsTableModelTest, ASpeedupMeasuredOnABusyMachineSaysSo)
{
    auto latency = [](const char* network, double median, double iqr) {
        LatencyMeasurement m;
        m.network = network;
        m.batch = 64;
        m.medianMs = median;
        m.p25Ms = median - iqr / 2;
        m.p75Ms = median + iqr / 2;
        m.repeats = 30;
        return m;
    };
    StoredRun calm;
    calm.id = 1;
    calm.status = RunStatus::Finished;
    calm.summary.latency = {latency("dense", 1.0, 0.02), latency("pruned", 0.5, 0.01)};
    StoredRun busy = calm;
    busy.id = 2;
    busy.summary.latency = {latency("dense", 1.0, 0.02), latency("pruned", 0.5, 0.2)};  // 40 % spread

    RunsTableModel model;
    model.setRuns({calm, busy});
    const auto cell
        = [&](int row, int role) { return model.index(row, RunsTableModel::MeasuredSpeedup).data(role).toString(); };
    EXPECT_EQ(cell(0, Qt::DisplayRole), "2.00×");
    EXPECT_EQ(cell(1, Qt::DisplayRole), "2.00× (busy)");
    EXPECT_TRUE(cell(1, Qt::ToolTipRole).contains("40 %")) << cell(1, Qt::ToolTipRole).toStdString();
    EXPECT_FALSE(cell(0, Qt::ToolTipRole).contains("busy"));
}
