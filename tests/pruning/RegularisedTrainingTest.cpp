// Structured pruning driven by training: Network Slimming's penalty gradient, Early-Bird's mask
// distance and early stop, SFP's soft zeroing, and GReg's penalty on the chosen filters only.
#include "TestData.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "methods/RegularisedPruning.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

struct Driven {
    std::shared_ptr<ModelBase> model;
    ParamMap params;
    std::unique_ptr<PruningMethod> method;
    std::unique_ptr<TrainingController> controller;
    MaskSet masks;
    DataSplits noData;

    Driven(const std::string& id, const ParamMap& given, const std::string& modelId = "vgg_small")
    {
        torch::manual_seed(5);
        model = createModel(modelId, DataShape{});
        params = resolveParams(methodInfo(id), given);
        method = createPruningMethod(id);
        controller = method->trainingController(context());
    }
    PruningContext context() { return PruningContext{*model, params, noData, 3}; }
    TrainingStep state(int64_t step = 0)
    {
        TrainingStep s{*model, masks};
        s.step = step;
        s.stepsPerEpoch = 10;
        s.totalSteps = 100;
        return s;
    }
    torch::Tensor parameter(const std::string& name) { return *model->named_parameters(true).find(name); }
};

}  // namespace

TEST(NetworkSlimming, PenaltyGradientIsLambdaTimesTheSignOfEachScale)
{
    Driven slimming("slimming", {{"lambda", 0.01}});
    torch::Tensor gamma = slimming.parameter("bn1.weight");
    {
        torch::NoGradGuard noGrad;
        gamma.copy_(torch::linspace(-1.0, 1.0, gamma.numel()));  // both signs (and no exact zero: 32 points)
    }
    slimming.model->zero_grad();
    TrainingStep state = slimming.state();
    slimming.controller->penalty(state).backward();
    EXPECT_TRUE(torch::allclose(gamma.grad(), 0.01 * gamma.detach().sign()));
    // Only BatchNorm scales are penalised: conv weights get no gradient from it.
    const torch::Tensor convGrad = slimming.parameter("conv1.weight").grad();
    EXPECT_TRUE(!convGrad.defined() || convGrad.abs().max().item<float>() == 0.0f);
    EXPECT_NEAR(
        batchNormL1Penalty(*slimming.model, 0.01).item<double>(),
        0.01 *
            [&] {
                double sum = 0;
                for (const auto& norm : slimming.model->norms())
                    sum += slimming.parameter(norm.norm + ".weight").abs().sum().item<double>();
                return sum;
            }(),
        1e-6);
}

TEST(NetworkSlimming, RefusesModelsWithoutBatchNormBeforeTraining)
{
    ExperimentConfig config = defaultExperiment();
    config.model = "lenet5";
    config.method = "slimming";
    config.methodParams.clear();
    try {
        validateExperiment(config);
        FAIL() << "lenet5 has no BatchNorm";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("lenet5 has no BatchNorm"), std::string::npos) << e.what();
    }
}

TEST(EarlyBird, DistanceIsTheFractionOfChannelsWhoseDecisionChanged)
{
    torch::manual_seed(0);
    const auto model = createModel("vgg_small", DataShape{});
    const auto groups = channelGroups(*model);
    int64_t total = 0;
    for (const auto& g : groups)
        total += g.channels;
    ChannelSelection a, b;
    std::vector<int64_t> keepA, keepB;
    for (int64_t c = 0; c < groups[0].channels; ++c) {
        if (c != 0 && c != 1)
            keepA.push_back(c);  // a removes 0, 1
        if (c != 1 && c != 2)
            keepB.push_back(c);  // b removes 1, 2
    }
    a[groups[0].name] = keepA;
    b[groups[0].name] = keepB;
    EXPECT_DOUBLE_EQ(selectionDistance(groups, a, b), 2.0 / double(total));
    EXPECT_DOUBLE_EQ(selectionDistance(groups, a, a), 0.0);
}

TEST(EarlyBird, StopsWhenTheMaskHasSettledForTheWindow)
{
    Driven bird("early_bird", {{"channel_ratio", 0.5}, {"epsilon", 0.005}, {"window", int64_t(2)}});
    {
        torch::NoGradGuard noGrad;  // BatchNorm starts with every γ = 1: give the channels distinct scales
        for (const auto& norm : bird.model->norms())
            bird.parameter(norm.norm + ".weight").uniform_(0.1, 1.0);
    }
    TrainingStep state = bird.state();
    EpochMetrics first, second, third, fourth;
    EXPECT_TRUE(bird.controller->afterEpoch(state, first));
    EXPECT_FALSE(first.extra.count("mask_distance"));  // nothing to compare with yet
    // Swap the scales of the most and the least important channel of bn1: two decisions change.
    torch::Tensor gamma = bird.parameter("bn1.weight");
    const int64_t high = gamma.abs().argmax().item<int64_t>(), low = gamma.abs().argmin().item<int64_t>();
    {
        torch::NoGradGuard noGrad;
        const float h = gamma[high].item<float>(), l = gamma[low].item<float>();
        gamma[high] = l;
        gamma[low] = h;
    }
    EXPECT_TRUE(bird.controller->afterEpoch(state, second));
    int64_t total = 0;
    for (const auto& g : channelGroups(*bird.model))
        total += g.channels;
    EXPECT_DOUBLE_EQ(second.extra.at("mask_distance"), 2.0 / double(total));  // 0.00625 > ε
    EXPECT_TRUE(bird.controller->afterEpoch(state, third));  // one settled distance: the window needs two
    EXPECT_DOUBLE_EQ(third.extra.at("mask_distance"), 0.0);
    EXPECT_FALSE(bird.controller->afterEpoch(state, fourth));  // two: stop
    EXPECT_EQ(fourth.extra.at("early_bird_found"), 1.0);
}

TEST(SoftFilterPruning, ZeroesTheSmallestFiltersAndRemovesThoseOfTheLastEpoch)
{
    Driven sfp("sfp", {{"channel_ratio", 0.25}});
    TrainingStep state = sfp.state();
    EpochMetrics metrics;
    EXPECT_TRUE(sfp.controller->afterEpoch(state, metrics));
    const auto groups = channelGroups(*sfp.model);
    const auto selection = sfp.method->selectChannels(sfp.context());
    ASSERT_TRUE(selection);
    for (const auto& group : groups) {
        const torch::Tensor norms = [&] {
            for (const auto& layer : sfp.model->prunableLayers())
                if (layer.name == group.producers[0])
                    return layer.weight.detach().flatten(1).norm(2, {1});
            return torch::Tensor();
        }();
        const int64_t zeroed = (norms == 0).sum().item<int64_t>();
        EXPECT_EQ(zeroed, std::llround(0.25 * double(group.channels))) << group.name;
        EXPECT_EQ(int64_t(selection->at(group.name).size()), group.channels - zeroed) << group.name;
        for (const int64_t kept : selection->at(group.name))
            EXPECT_GT(norms[kept].item<float>(), 0.0f) << group.name << " keeps a zeroed channel";
    }
}

TEST(GrowingRegularisation, PenalisesOnlyTheChosenFiltersWithAGrowingLambda)
{
    Driven greg("greg",
                {{"channel_ratio", 0.5}, {"lambda_step", 0.1}, {"update_interval", int64_t(2)}, {"lambda_max", 0.25}});
    TrainingStep state = greg.state();
    greg.controller->begin(state);
    EXPECT_FALSE(greg.controller->penalty(state).defined());  // λ starts at 0
    for (int64_t step = 0; step < 4; ++step) {
        state.step = step;
        greg.controller->afterStep(state);
    }
    EpochMetrics metrics;
    greg.controller->afterEpoch(state, metrics);
    EXPECT_DOUBLE_EQ(metrics.extra.at("lambda"), 0.2);  // two updates of 0.1
    greg.model->zero_grad();
    greg.controller->penalty(state).backward();
    const auto chosen = greg.method->selectChannels(greg.context());
    ASSERT_TRUE(chosen);
    const auto& kept = chosen->at("conv1");
    EXPECT_EQ(kept.size(), 16u);
    const torch::Tensor weight = greg.parameter("conv1.weight");
    for (int64_t c = 0; c < weight.size(0); ++c) {
        const bool isKept = std::find(kept.begin(), kept.end(), c) != kept.end();
        const torch::Tensor expected = isKept ? torch::zeros_like(weight[c]) : 0.2 * weight[c].detach();
        EXPECT_TRUE(torch::allclose(weight.grad()[c], expected, 1e-5, 1e-7)) << "channel " << c;
    }
    for (int64_t step = 4; step < 20; ++step) {
        state.step = step;
        greg.controller->afterStep(state);
    }
    greg.controller->afterEpoch(state, metrics);
    EXPECT_DOUBLE_EQ(metrics.extra.at("lambda"), 0.25);  // capped
}

TEST_F(TinyDatasetTest, EarlyBirdRunStopsEarlyAndRemovesChannels)
{
    ExperimentConfig config = tinyConfig();
    config.model = "vgg_small";
    config.method = "early_bird";
    config.denseTraining.epochs = 4;
    config.methodParams = {{"channel_ratio", 0.5}, {"epsilon", 1.0}, {"window", int64_t(1)}};
    config.latencyRepeats = 0;
    struct Epochs : RunObserver {
        std::vector<EpochMetrics> epochs;
        void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
    } observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel);
    int birdEpochs = 0;
    for (const auto& e : observer.epochs)
        birdEpochs += e.phase == "early-bird";
    EXPECT_EQ(birdEpochs, 2);  // any distance is below ε = 1: the second epoch's settles it
    EXPECT_TRUE(summary.structured);
    EXPECT_GT(summary.theoreticalSpeedup, 1.5);
}
