#include "core/ResultCsv.h"
#include "core/ResultJson.h"

#include <gtest/gtest.h>

using namespace prunescope;
using nlohmann::json;

namespace {

LayerStats fc1()
{
    return {"fc1", "linear", {300, 784}, 235200, 23520, 235200, 23520, true, 300, 290};
}

}  // namespace

TEST(ResultJsonTest, SummaryCarriesEveryFieldAndTheMeasuredSpeedups)
{
    RunSummary s;
    s.denseTestAccuracy = 0.9;
    s.testAccuracy = 0.875;
    s.parameters = 266610;
    s.nonzeros = 26661;
    s.theoreticalSpeedup = 9.5;
    s.structured = true;
    s.modelFile = "/runs/model.pt";
    s.latency = {{"dense", 64, 4.0, 3.5, 4.5, 30, "frozen"},
                 {"pruned", 64, 1.0, 0.9, 1.1, 30, "frozen", 0.7, 1.05, 0.6, 1.3}};
    const json j = summaryJson(s);
    EXPECT_EQ(j.size(), 23u);
    EXPECT_EQ(j["dense_test_accuracy"], 0.9);
    EXPECT_EQ(j["test_accuracy"], 0.875);
    EXPECT_EQ(j["nonzeros"], 26661);
    EXPECT_EQ(j["theoretical_speedup"], 9.5);
    EXPECT_EQ(j["structured"], true);
    EXPECT_EQ(j["measured_speedup_batch64"], 4.0);
    EXPECT_EQ(j["measured_speedup_batch1"], 0.0);  // not measured at batch 1
    EXPECT_EQ(j["model_file"], "/runs/model.pt");
    ASSERT_EQ(j["latency"].size(), 2u);
    EXPECT_EQ(j["latency"][1],
              (json{{"network", "pruned"},
                    {"batch", 64},
                    {"median_ms", 1.0},
                    {"p10_ms", 0.9},
                    {"p90_ms", 1.1},
                    {"repeats", 30},
                    {"path", "frozen"},
                    {"p25_ms", 0.7},
                    {"p75_ms", 1.05},
                    {"min_ms", 0.6},
                    {"max_ms", 1.3},
                    {"busy_machine", true}}));  // (1.05 − 0.7) / 1.0 = 35 % > 20 %
    EXPECT_EQ(j["latency"][0]["busy_machine"], false);  // stored before quartiles: not judged
}

TEST(LatencyMeasurementTest, TheBusyMachineFlagFollowsTheRelativeInterquartileRange)
{
    LatencyMeasurement quiet{"dense", 1, 1.0, 0.95, 1.1, 30, "frozen", 0.97, 1.05, 0.9, 1.4};
    EXPECT_NEAR(quiet.relativeIqr(), 0.08, 1e-12);
    EXPECT_FALSE(quiet.measuredOnBusyMachine());
    LatencyMeasurement busy = quiet;
    busy.p75Ms = 1.0 + kBusyMachineRelativeIqr + 0.01 + (busy.p25Ms - 1.0);
    EXPECT_TRUE(busy.measuredOnBusyMachine());
    LatencyMeasurement old{"dense", 1, 1.0, 0.5, 2.0, 30, ""};  // stored before the quartiles were
    EXPECT_FALSE(old.hasQuartiles());
    EXPECT_FALSE(old.measuredOnBusyMachine());
}

TEST(ResultJsonTest, EpochLayerAndStep)
{
    const json epoch = epochJson({"finetune", 2, 0.01, 0.5, 0.8, 0.6, 0.75, {{"mask_distance", 0.125}}});
    EXPECT_EQ(epoch,
              (json{{"phase", "finetune"},
                    {"epoch", 2},
                    {"learning_rate", 0.01},
                    {"train_loss", 0.5},
                    {"train_accuracy", 0.8},
                    {"validation_loss", 0.6},
                    {"validation_accuracy", 0.75},
                    {"method_curves", {{"mask_distance", 0.125}}}}));

    const json layer = layerJson(fc1());
    EXPECT_EQ(layer["shape"], (json{300, 784}));
    EXPECT_EQ(layer["density"], 0.1);
    EXPECT_EQ(layer["channels_kept"], 290);
    EXPECT_EQ(layer.size(), 11u);

    PruningStep step;
    step.step = 3;
    step.layers = {fc1()};
    step.masks = {{"fc1", {300, 784}, std::vector<uint8_t>(29400)}};
    step.metrics = {{"test_accuracy", 0.5}};
    const json stepJson = pruningStepJson(step);
    EXPECT_EQ(stepJson, (json{{"step", 3}, {"metrics", {{"test_accuracy", 0.5}}}, {"layers", json::array({layer})}}));
}

TEST(ResultCsvTest, EpochsGetOneColumnPerMethodCurveEmptyWhereAbsent)
{
    const std::vector<EpochMetrics> epochs
        = {{"dense", 1, 0.1, 1.0 / 3.0, 0.5, 1.25, 0.625, {}},
           {"finetune", 1, 0.01, 0.25, 0.75, 0.5, 0.8, {{"sparsity", 0.5}, {"b", 2}}}};
    EXPECT_EQ(epochsCsv(epochs),
              "phase,epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_accuracy,b,sparsity\n"
              "dense,1,0.1,0.3333333333,0.5,1.25,0.625,,\n"
              "finetune,1,0.01,0.25,0.75,0.5,0.8,2,0.5\n");
}

TEST(ResultCsvTest, LayersOneRowPerLayerAndStepWithAsciiShapes)
{
    PruningStep dense, pruned;
    dense.step = 0;
    dense.layers = {fc1()};
    dense.layers[0].nonzeros = 235200;
    pruned.step = 1;
    pruned.layers = {fc1(), {"fc3", "linear", {10, 100}, 1000, 1000, 1000, 1000, false, 10, 10}};
    EXPECT_EQ(layersCsv({dense, pruned}),
              "step,layer,kind,shape,parameters,nonzeros,density,dense_macs,effective_macs,pruned,channels,"
              "channels_kept\n"
              "0,fc1,linear,300x784,235200,235200,1,235200,23520,1,300,290\n"
              "1,fc1,linear,300x784,235200,23520,0.1,235200,23520,1,300,290\n"
              "1,fc3,linear,10x100,1000,1000,1,1000,1000,0,10,10\n");
}
