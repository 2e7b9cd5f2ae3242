// Run-time pruning (FBS): fresh gates at full density compute the dense network exactly, fewer
// channels per input execute fewer MACs (checked by hand on VGG-small), and a run reports
// accuracy and MACs per density.
#include "TestData.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "methods/RunTimePruning.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

std::unique_ptr<RunTimeGate> attachGate(ModelBase& model, double density)
{
    static const DataSplits noData;
    const ParamMap params = resolveParams(methodInfo("fbs"), {{"density", density}});
    const PruningContext context{model, params, noData, 1};
    return createPruningMethod("fbs")->runTimeGate(context);
}

double denseMacs(const ModelBase& model)
{
    double macs = 0;
    for (const auto& layer : model.prunableLayers())
        macs += layer.macsPerSample;
    return macs;
}

double predictorMacs(const ModelBase& model)
{
    double macs = 0;
    for (const auto& name : model.gateableLayers())
        for (const auto& layer : model.prunableLayers())
            if (layer.name == name)
                macs += double(layer.weight.size(0) * layer.weight.size(1));
    return macs;
}

}  // namespace

TEST(FeatureBoosting, FreshGatesAtAllChannelsGiveTheDenseResult)
{
    for (const std::string id : {"lenet5", "vgg_small", "resnet20"}) {
        torch::manual_seed(4);
        auto model = createModel(id, DataShape{});
        model->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({6, 1, 28, 28});
        const torch::Tensor dense = model->forward(x);
        {
            const auto gate = attachGate(*model, 1.0);
            EXPECT_TRUE(torch::equal(model->forward(x), dense)) << id;
            const std::vector<double> macs = gate->lastExecutedMacs();
            ASSERT_EQ(macs.size(), 6u) << id;
            for (double m : macs)
                EXPECT_DOUBLE_EQ(m, denseMacs(*model) + predictorMacs(*model)) << id;
        }
        EXPECT_TRUE(torch::equal(model->forward(x), dense)) << id << ": the gates are removed with the gate";
    }
}

TEST(FeatureBoosting, FewerChannelsPerInputExecuteFewerMacs)
{
    torch::manual_seed(4);
    auto model = createModel("vgg_small", DataShape{});
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({3, 1, 28, 28});
    const auto gate = attachGate(*model, 1.0);
    double previous = std::numeric_limits<double>::infinity();
    for (const double density : {1.0, 0.75, 0.5, 0.25}) {
        gate->setDensity(density);
        model->forward(x);
        const double macs = gate->lastExecutedMacs().front();
        EXPECT_LT(macs, previous) << density;
        previous = macs;
    }
    // By hand at density 0.5: every conv keeps half its output channels and reads half of its
    // input channels (conv1 reads the image, fc half of conv5's), plus the predictors' MACs.
    gate->setDensity(0.5);
    model->forward(x);
    std::map<std::string, double> macs;
    for (const auto& layer : model->prunableLayers())
        macs[layer.name] = layer.macsPerSample;
    const double expected = macs["conv1"] * 0.5 + (macs["conv2"] + macs["conv3"] + macs["conv4"] + macs["conv5"]) * 0.25
        + macs["fc"] * 0.5 + (32 * 1 + 32 * 32 + 64 * 32 + 64 * 64 + 128 * 64);
    for (double m : gate->lastExecutedMacs())
        EXPECT_DOUBLE_EQ(m, expected);
    // The gate computes exactly k channels per input: conv1's output keeps 16 of 32 maps.
    const torch::Tensor in = torch::randn({3, 1, 28, 28});
    const torch::Tensor gated = model->gate("conv1", in, torch::ones({3, 32, 28, 28}));
    EXPECT_TRUE(torch::equal((gated.amax({2, 3}) > 0).sum(1), torch::full({3}, 16, torch::kLong)));
}

TEST(FeatureBoosting, NeedsGateableConvolutionsAndValidDensities)
{
    ExperimentConfig config = defaultExperiment();
    config.method = "fbs";
    config.methodParams.clear();
    config.model = "lenet300100";
    try {
        validateExperiment(config);
        FAIL() << "lenet300100 has no convolution";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("lenet300100 has no gateable convolution"), std::string::npos) << e.what();
    }
    config.model = "lenet5";
    config.methodParams["eval_densities"] = std::string("0.5, 1.5");
    try {
        validateExperiment(config);
        FAIL() << "1.5 is not a density";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("eval_densities: '1.5'"), std::string::npos) << e.what();
    }
}

TEST_F(TinyDatasetTest, ARunReportsAccuracyAndExecutedMacsPerDensity)
{
    ExperimentConfig config = tinyConfig();
    config.model = "lenet5";
    config.method = "fbs";
    config.methodParams = {{"density", 0.5}, {"eval_densities", std::string("0.25, 0.5, 1")}};
    config.latencyRepeats = 5;  // not measured for run-time pruning
    struct Steps : RunObserver {
        std::vector<PruningStep> steps;
        std::vector<EpochMetrics> epochs;
        void onPruningStep(const PruningStep& s) override { steps.push_back(s); }
        void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
    } observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel);
    std::vector<const PruningStep*> densities;
    for (const auto& step : observer.steps)
        if (step.metrics.count("macs_mean"))
            densities.push_back(&step);
    ASSERT_EQ(densities.size(), 3u);
    EXPECT_DOUBLE_EQ(densities[0]->metrics.at("density"), 0.25);
    EXPECT_LT(densities[0]->metrics.at("macs_mean"), densities[1]->metrics.at("macs_mean"));
    EXPECT_LT(densities[1]->metrics.at("macs_mean"), densities[2]->metrics.at("macs_mean"));
    for (const auto* step : densities) {
        EXPECT_LE(step->metrics.at("macs_p10"), step->metrics.at("macs_p50"));
        EXPECT_LE(step->metrics.at("macs_p50"), step->metrics.at("macs_p90"));
    }
    EXPECT_DOUBLE_EQ(summary.effectiveMacs, densities[1]->metrics.at("macs_mean"));
    EXPECT_LT(summary.effectiveMacs, summary.denseMacs);
    EXPECT_TRUE(summary.latency.empty());
    bool gateEpochs = false;
    for (const auto& e : observer.epochs)
        gateEpochs = gateEpochs || (e.phase == "gates" && e.extra.count("executed_macs"));
    EXPECT_TRUE(gateEpochs);
}
