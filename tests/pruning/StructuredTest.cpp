// Channel groups, physical removal, the channel criteria, and the TorchScript deployment path.
#include "criteria/ChannelImportance.h"
#include "export/InferenceModule.h"
#include "methods/StructuredPruning.h"
#include "core/MethodInfo.h"
#include "structure/ChannelGroups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace prunescope;

namespace {

const ChannelGroup& groupNamed(const std::vector<ChannelGroup>& groups, const std::string& name)
{
    for (const auto& group : groups) {
        if (group.name == name)
            return group;
    }
    throw std::runtime_error("no group " + name);
}

// BatchNorm statistics and affine parameters away from their 0/1 defaults, so folding and
// index copying are exercised for real.
void randomiseNorms(ModelBase& model, uint64_t seed)
{
    torch::NoGradGuard noGrad;
    torch::manual_seed(seed);
    for (auto& item : model.named_buffers(true)) {
        if (item.key().find("running_mean") != std::string::npos)
            item.value().normal_(0, 0.2);
        else if (item.key().find("running_var") != std::string::npos)
            item.value().uniform_(0.5, 1.5);
    }
    for (auto& item : model.named_parameters(true)) {
        if (item.value().dim() == 1)
            item.value().normal_(0, 0.3);
    }
}

// Keeps every other channel (and at least one) of every group.
ChannelSelection everyOtherChannel(const std::vector<ChannelGroup>& groups)
{
    ChannelSelection selection;
    for (const auto& group : groups) {
        std::vector<int64_t> kept;
        for (int64_t c = 1; c < group.channels; c += 2)
            kept.push_back(c);
        selection[group.name] = kept;
    }
    return selection;
}

std::vector<std::string> zoo()
{
    std::vector<std::string> ids;
    for (const auto& model : modelCatalogue())
        ids.push_back(model.id);
    return ids;
}

}  // namespace

TEST(ChannelGroups, ResNet20TiesResidualChannelsAcrossAStage)
{
    torch::manual_seed(1);
    const auto model = createModel("resnet20", DataShape{});
    const auto groups = channelGroups(*model);
    // Three residual streams (one per stage) and nine blocks' inner widths; fc's outputs are not a group.
    ASSERT_EQ(groups.size(), 12u);
    const ChannelGroup& stage1 = groupNamed(groups, "conv1");
    EXPECT_EQ(stage1.producers,
              (std::vector<std::string>{"conv1", "stage1.0.conv2", "stage1.1.conv2", "stage1.2.conv2"}));
    EXPECT_EQ(stage1.norms.size(), 4u);
    // The stream is read by every stage-1 block's first conv and by stage 2's first block twice.
    std::vector<std::string> readers;
    for (const auto& consumer : stage1.consumers)
        readers.push_back(consumer.layer);
    EXPECT_EQ(readers,
              (std::vector<std::string>{"stage1.0.conv1", "stage1.1.conv1", "stage1.2.conv1", "stage2.0.conv1",
                                        "stage2.0.shortcut"}));
    const ChannelGroup& stage3 = groupNamed(groups, "stage3.0.conv2");
    EXPECT_TRUE(stage3.residual());
    EXPECT_NE(std::find(stage3.producers.begin(), stage3.producers.end(), "stage3.0.shortcut"), stage3.producers.end());
    EXPECT_EQ(stage3.consumers.back().layer, "fc");
    const ChannelGroup& inner = groupNamed(groups, "stage2.1.conv1");
    EXPECT_FALSE(inner.residual());
    EXPECT_EQ(inner.channels, 32);
    ASSERT_EQ(inner.consumers.size(), 1u);
    EXPECT_EQ(inner.consumers[0].layer, "stage2.1.conv2");
}

TEST(ChannelGroups, FlattenedConvChannelsFeedLinearInputsInBlocks)
{
    torch::manual_seed(1);
    const auto model = createModel("lenet5caffe", DataShape{});
    const auto groups = channelGroups(*model);
    ASSERT_EQ(groups.size(), 3u);  // conv1, conv2, fc1 (fc2 is the classifier)
    const ChannelGroup& conv2 = groupNamed(groups, "conv2");
    ASSERT_EQ(conv2.consumers.size(), 1u);
    EXPECT_EQ(conv2.consumers[0].layer, "fc1");
    EXPECT_EQ(conv2.consumers[0].perChannel, 16);

    // Removing conv2's channel 3 removes fc1's input features 48..63.
    std::vector<int64_t> kept;
    for (int64_t c = 0; c < 50; ++c) {
        if (c != 3)
            kept.push_back(c);
    }
    const MaskSet masks = channelMasks(*model, groups, {{"conv2", kept}});
    const torch::Tensor fc1 = masks.mask("fc1");
    EXPECT_EQ(fc1.sum(0).index({torch::indexing::Slice(48, 64)}).sum().item<double>(), 0.0);
    EXPECT_EQ(fc1.sum().item<double>(), 500.0 * (800 - 16));
    EXPECT_EQ(masks.mask("conv2")[3].sum().item<double>(), 0.0);
}

TEST(ChannelRemoval, ThinNetworkComputesWhatTheMaskedOneDoesForEveryZooModel)
{
    for (const auto& id : zoo()) {
        SCOPED_TRACE(id);
        torch::manual_seed(7);
        auto model = createModel(id, DataShape{});
        randomiseNorms(*model, 11);
        model->eval();
        const auto groups = channelGroups(*model);
        const ChannelSelection selection = everyOtherChannel(groups);
        const auto thin = removeChannels(*model, groups, selection);

        // Smaller tensors, same input and output shapes.
        int64_t fullParams = 0, thinParams = 0;
        for (const auto& p : model->parameters())
            fullParams += p.numel();
        for (const auto& p : thin->parameters())
            thinParams += p.numel();
        EXPECT_LT(thinParams, fullParams * 6 / 10);

        const MaskSet masks = channelMasks(*model, groups, selection);
        masks.applyToWeights(*model);
        thin->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({5, 1, 28, 28});
        const torch::Tensor expected = model->forward(x);
        const torch::Tensor actual = thin->forward(x);
        ASSERT_EQ(actual.sizes(), expected.sizes());
        EXPECT_LT((actual - expected).abs().max().item<double>(), 1e-5);
        EXPECT_GT(expected.abs().max().item<double>(), 1e-3);  // not trivially zero
    }
}

TEST(ChannelRemoval, RejectsImpossibleSelections)
{
    torch::manual_seed(1);
    const auto model = createModel("lenet5caffe", DataShape{});
    const auto groups = channelGroups(*model);
    EXPECT_THROW(channelMasks(*model, groups, {{"conv2", {}}}), std::invalid_argument);
    EXPECT_THROW(channelMasks(*model, groups, {{"conv2", {3, 1}}}), std::invalid_argument);
    EXPECT_THROW(channelMasks(*model, groups, {{"conv2", {50}}}), std::invalid_argument);
    EXPECT_THROW(channelMasks(*model, groups, {{"fc2", {0}}}), std::invalid_argument);  // the classifier
    try {
        createModel("resnet20", DataShape{}, {{"stage1.0.conv2", 8}});  // tied to the stem: set through conv1
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("stage1.0.conv2"), std::string::npos);
    }
}

TEST(ChannelCriteria, NormsAndGeometricMedianMatchHandComputedValues)
{
    torch::manual_seed(1);
    auto model = createModel("lenet300100", DataShape{});
    const auto groups = channelGroups(*model);
    const ChannelGroup& fc2 = groupNamed(groups, "fc2");
    torch::Tensor w = model->prunableLayers()[1].weight;
    {
        torch::NoGradGuard noGrad;
        w.zero_();
        w[0].fill_(0.5);  // L1 = 150, L2 = sqrt(300·0.25)
        w[1].index_put_({0}, -2.0);  // L1 = 2, L2 = 2
    }
    const torch::Tensor l1 = filterNormScores(*model, fc2, 1);
    const torch::Tensor l2 = filterNormScores(*model, fc2, 2);
    EXPECT_NEAR(l1[0].item<double>(), 150.0, 1e-4);
    EXPECT_NEAR(l1[1].item<double>(), 2.0, 1e-6);
    EXPECT_NEAR(l2[0].item<double>(), std::sqrt(75.0), 1e-4);
    EXPECT_NEAR(l1[2].item<double>(), 0.0, 1e-9);

    // FPGM by a second computation: explicit pairwise distances.
    torch::manual_seed(3);
    auto lenet = createModel("lenet5caffe", DataShape{});
    const auto lenetGroups = channelGroups(*lenet);
    const ChannelGroup& conv1 = groupNamed(lenetGroups, "conv1");
    const torch::Tensor filters = lenet->prunableLayers()[0].weight.detach().flatten(1);
    const torch::Tensor scores = geometricMedianScores(*lenet, conv1);
    for (int64_t i : {0, 7, 19}) {
        double total = 0;
        for (int64_t j = 0; j < filters.size(0); ++j)
            total += (filters[i] - filters[j]).norm().item<double>();
        EXPECT_NEAR(scores[i].item<double>(), total, 1e-4);
    }
}

TEST(ChannelCriteria, BatchNormScaleIsAbsoluteGammaAndNeedsBatchNorm)
{
    torch::manual_seed(1);
    auto vgg = createModel("vgg_small", DataShape{});
    const auto groups = channelGroups(*vgg);
    {
        torch::NoGradGuard noGrad;
        vgg->named_parameters()["bn2.weight"].copy_(torch::linspace(-1, 1, 32));
    }
    const torch::Tensor scores = batchNormScaleScores(*vgg, groupNamed(groups, "conv2"));
    EXPECT_TRUE(torch::allclose(scores, torch::linspace(-1, 1, 32).abs()));

    auto lenet = createModel("lenet5caffe", DataShape{});
    const auto lenetGroups = channelGroups(*lenet);
    EXPECT_THROW(batchNormScaleScores(*lenet, groupNamed(lenetGroups, "conv1")), std::invalid_argument);
}

TEST(ChannelCriteria, TaylorGroupScoreEqualsTheGradientOfAChannelGate)
{
    torch::manual_seed(5);
    auto model = createModel("lenet300100", DataShape{});
    const auto groups = channelGroups(*model);
    const torch::Tensor images = torch::rand({16, 1, 28, 28});
    const torch::Tensor labels = torch::randint(0, 10, {16}, torch::kLong);
    const auto scores = taylorGroupScores(*model, groups, {{images, labels}});

    // Second computation: a multiplicative gate c on fc1's outputs; (∂L/∂c)² at c = 1.
    auto params = model->named_parameters();
    torch::Tensor gate = torch::ones({300}, torch::requires_grad());
    torch::Tensor h = torch::linear(images.flatten(1), params["fc1.weight"], params["fc1.bias"]) * gate;
    h = torch::relu(torch::linear(torch::relu(h), params["fc2.weight"], params["fc2.bias"]));
    const torch::Tensor loss
        = torch::nn::functional::cross_entropy(torch::linear(h, params["fc3.weight"], params["fc3.bias"]), labels);
    loss.backward();
    const torch::Tensor expected = gate.grad().pow(2);
    const torch::Tensor& actual = scores[0];
    EXPECT_EQ(groups[0].name, "fc1");
    EXPECT_LT((actual - expected).abs().max().item<double>(), 1e-6 + 1e-4 * expected.abs().max().item<double>());
    EXPECT_GT(expected.sum().item<double>(), 0.0);
}

TEST(ChannelCriteria, FeatureMapRankSeesConstantZeroAndFullRankMaps)
{
    torch::manual_seed(2);
    auto model = createModel("lenet5caffe", DataShape{});
    const auto groups = channelGroups(*model);
    {
        torch::NoGradGuard noGrad;
        auto params = model->named_parameters();
        params["conv1.weight"].zero_();
        params["conv1.bias"].zero_();
        params["conv1.bias"][0] = 1.0;  // a constant map: rank 1
        params["conv1.bias"][1] = -1.0;  // relu → all zero: rank 0
        params["conv1.weight"].index_put_({2, 0, 2, 2}, 1.0);  // the (pooled) image itself: full rank
    }
    const auto scores = featureMapRankScores(*model, groups, torch::rand({4, 1, 28, 28}));
    ASSERT_TRUE(scores[0].defined());
    EXPECT_DOUBLE_EQ(scores[0][0].item<double>(), 1.0);
    EXPECT_DOUBLE_EQ(scores[0][1].item<double>(), 0.0);
    EXPECT_DOUBLE_EQ(scores[0][2].item<double>(), 12.0);
    EXPECT_TRUE(scores[1].defined());  // conv2 → flatten → fc1: 4×4 maps
    EXPECT_FALSE(scores[2].defined());  // fc1 → fc2: plain features, no maps
}

TEST(ChannelSelectionRules, LayerwiseGlobalAndMacBudget)
{
    torch::manual_seed(1);
    auto model = createModel("lenet5caffe", DataShape{});
    const auto groups = channelGroups(*model);
    std::vector<torch::Tensor> scores = {torch::arange(20).to(torch::kFloat), torch::ones({50}), torch::Tensor()};
    const ChannelSelection layerwise = keepTopChannels(groups, scores, {{"conv1", 0.5}, {"conv2", 0.98}});
    EXPECT_EQ(layerwise.at("conv1"), (std::vector<int64_t>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
    EXPECT_EQ(layerwise.at("conv2"), (std::vector<int64_t>{0}));  // ties keep the lowest index; never empty
    EXPECT_FALSE(layerwise.count("fc1"));  // unscored: left whole

    // Globally, the normalised scores decide: conv1's are i / 9.5, conv2's all 1. Of the 14
    // channels removed (20 % of 70), conv1's ten below 1 go first, then four of conv2's ties.
    const ChannelSelection global = keepTopChannelsGlobally(groups, scores, 0.2);
    EXPECT_EQ(global.at("conv1"), (std::vector<int64_t>{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}));
    EXPECT_EQ(global.at("conv2").size(), 46u);

    // A MAC budget through the method: the thin network meets it.
    ParamMap given{{"target_macs", 0.3}};
    const ParamMap params = resolveParams(methodInfo("l1_filter"), given);
    DataSplits none;
    ChannelPruner pruner(ChannelCriterion::L1Norm);
    std::vector<std::string> log;
    const auto selection = pruner.selectChannels({*model, params, none, 1, nullptr, 1, &log});
    double dense = 0;
    for (const auto& layer : model->prunableLayers())
        dense += layer.macsPerSample;
    const double macs = macsAfterRemoval(*model, groups, *selection);
    EXPECT_LE(macs, 0.3 * dense);
    EXPECT_GT(macs, 0.2 * dense);  // the smallest ratio that meets it, not a much deeper cut
}

TEST(InferenceModule, ScriptedFoldedModuleMatchesTheModelForEveryZooModel)
{
    for (const auto& id : zoo()) {
        SCOPED_TRACE(id);
        torch::manual_seed(9);
        auto model = createModel(id, DataShape{});
        randomiseNorms(*model, 4);
        const auto groups = channelGroups(*model);
        const auto thin = removeChannels(*model, groups, everyOtherChannel(groups));
        for (const auto& network : {model, thin}) {
            network->eval();
            torch::NoGradGuard noGrad;
            const torch::Tensor x = torch::randn({3, 1, 28, 28});
            const torch::Tensor expected = network->forward(x);
            torch::jit::Module scripted = scriptedInferenceModule(*network);
            EXPECT_LT((scripted.forward({x}).toTensor() - expected).abs().max().item<double>(), 1e-4);
            // Every deployment path latency may choose computes the same function.
            for (const DeploymentPath path : kDeploymentPaths) {
                torch::jit::Module frozen = frozenInferenceModule(*network, path);
                const torch::Tensor input
                    = path == DeploymentPath::FrozenChannelsLast ? x.contiguous(at::MemoryFormat::ChannelsLast) : x;
                EXPECT_LT((frozen.forward({input}).toTensor() - expected).abs().max().item<double>(), 1e-4)
                    << deploymentPathName(path);
            }
        }
    }
}

TEST(InferenceModule, InterleavedTimingGivesEveryNetworkItsRepeatsAndItsFastestPath)
{
    torch::manual_seed(2);
    auto dense = createModel("lenet5caffe", DataShape{});
    const auto groups = channelGroups(*dense);
    const auto thin = removeChannels(*dense, groups, everyOtherChannel(groups));
    dense->eval();
    thin->eval();
    // 7 is not a multiple of the block length: the last block is a short one for every network.
    const auto best = measureFastestInterleaved({dense.get(), thin.get(), dense.get()}, 2, 7);
    ASSERT_EQ(best.size(), 3u);
    for (const auto& network : best) {
        EXPECT_EQ(network.stats.repeats, 7);
        EXPECT_GT(network.stats.p10Ms, 0.0);
        EXPECT_LE(network.stats.p10Ms, network.stats.medianMs);
        EXPECT_LE(network.stats.medianMs, network.stats.p90Ms);
        EXPECT_NE(std::find(std::begin(kDeploymentPaths), std::end(kDeploymentPaths), network.path),
                  std::end(kDeploymentPaths));
    }
    EXPECT_THROW(measureFastestInterleaved({dense.get()}, 2, 0), std::invalid_argument);
}

class ExportTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path() / ("prunescope-export-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

TEST_F(ExportTest, CheckpointRoundTripKeepsTheThinArchitectureAndRejectsGarbage)
{
    torch::manual_seed(4);
    auto model = createModel("resnet20", DataShape{});
    randomiseNorms(*model, 2);
    const auto groups = channelGroups(*model);
    const auto thin = removeChannels(*model, groups, everyOtherChannel(groups));
    const std::string path = (m_dir / "thin.pt").string();
    saveCheckpoint(*thin, path);
    const auto loaded = loadCheckpoint(path);
    EXPECT_EQ(loaded->widths(), thin->widths());
    thin->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 1, 28, 28});
    EXPECT_TRUE(torch::equal(loaded->forward(x), thin->forward(x)));

    std::ofstream(m_dir / "garbage.pt") << "not a checkpoint";
    try {
        loadCheckpoint((m_dir / "garbage.pt").string());
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("garbage.pt"), std::string::npos);
    }
    EXPECT_THROW(loadCheckpoint((m_dir / "missing.pt").string()), std::runtime_error);
}

// The round trip PyTorch users make: torch.jit.load and torch.load in Python, with Debian's
// python3-torch (installed by packaging/install-deps.sh; skipped where it is missing).
TEST_F(ExportTest, PythonPyTorchLoadsTheExportedThinResNet20AndMatchesItsOutputs)
{
    // Debian's interpreter first: python3-torch installs for it, not for a python3 earlier in PATH.
    std::string python;
    for (const char* candidate : {"/usr/bin/python3", "python3"}) {
        if (std::system((std::string(candidate) + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0) {
            python = candidate;
            break;
        }
    }
    if (python.empty())
        GTEST_SKIP() << "python3-torch is not installed";
    torch::manual_seed(6);
    auto model = createModel("resnet20", DataShape{});
    randomiseNorms(*model, 3);
    const auto groups = channelGroups(*model);
    const auto thin = removeChannels(*model, groups, everyOtherChannel(groups));
    thin->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({4, 1, 28, 28});
    const torch::Tensor expected = thin->forward(x);
    exportTorchScript(*thin, (m_dir / "model.pt").string());
    exportStateDict(*thin, (m_dir / "state.pt").string());
    auto writeTensor = [&](const torch::Tensor& t, const char* name) {
        const auto bytes = torch::pickle_save(t);
        std::ofstream((m_dir / name).string(), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
    };
    writeTensor(x, "input.pt");
    writeTensor(expected, "expected.pt");
    std::ofstream(m_dir / "check.py") << R"(import sys, torch
d = sys.argv[1]
m = torch.jit.load(d + '/model.pt')
x = torch.load(d + '/input.pt')
expected = torch.load(d + '/expected.pt')
err = (m(x) - expected).abs().max().item()
state = torch.load(d + '/state.pt')
assert state['stage1.0.conv1.weight'].shape == (8, 8, 3, 3), state['stage1.0.conv1.weight'].shape
assert 'stage2.0.shortcut_bn.running_var' in state
print('max abs difference', err)
sys.exit(0 if err < 1e-4 else 1)
)";
    const std::string command = python + " " + (m_dir / "check.py").string() + " " + m_dir.string();
    EXPECT_EQ(std::system(command.c_str()), 0);
}

// ---- a whole structured run on tiny data -----------------------------------------------------

#include "TestData.h"
#include "experiment/Runner.h"

namespace {

struct StepRecorder : RunObserver {
    std::vector<PruningStep> steps;
    std::vector<std::string> logs;
    void onPruningStep(const PruningStep& s) override { steps.push_back(s); }
    void onLog(const std::string& m) override { logs.push_back(m); }
};

}  // namespace

class StructuredRunTest : public prunescope::testsupport::TinyDatasetTest {};

TEST_F(StructuredRunTest, RemovesChannelsFineTunesTheThinNetworkTimesAndSavesIt)
{
    ExperimentConfig config = tinyConfig();
    config.model = "lenet5caffe";
    config.method = "l1_filter";
    config.methodParams = {{"channel_ratio", 0.5}};
    config.latencyRepeats = 3;
    StepRecorder observer;
    std::atomic<bool> cancel{false};
    const std::string modelFile = (m_dir / "final.pt").string();
    const RunSummary summary = runExperiment(config, observer, cancel, {modelFile});

    EXPECT_TRUE(summary.structured);
    EXPECT_GT(summary.testAccuracy, 0.5);
    // conv1 20→10, conv2 50→25, fc1 500→250 (fc2, the classifier, keeps its 10 outputs).
    const auto thin = loadCheckpoint(modelFile);
    EXPECT_EQ(thin->widths(), (ModelWidths{{"conv1", 10}, {"conv2", 25}, {"fc1", 250}, {"fc2", 10}}));
    ASSERT_EQ(observer.steps.size(), 2u);
    const auto& layers = observer.steps[1].layers;
    EXPECT_EQ(layers[1].channels, 50);
    EXPECT_EQ(layers[1].channelsKept, 25);
    // Effective MACs are the thin network's own MACs; non-zeros are its parameters.
    double thinMacs = 0;
    int64_t thinParameters = 0;
    for (const auto& layer : thin->prunableLayers())
        thinMacs += layer.macsPerSample;
    for (const auto& p : thin->parameters())
        thinParameters += p.numel();
    EXPECT_NEAR(summary.effectiveMacs, thinMacs, 1.0);
    EXPECT_EQ(summary.nonzeros, thinParameters);
    EXPECT_EQ(summary.sparseBytes, 4 * thinParameters);
    EXPECT_GT(summary.theoreticalSpeedup, 3.0);
    // Dense and pruned, batch 1 and 64.
    ASSERT_EQ(summary.latency.size(), 4u);
    EXPECT_GT(summary.measuredSpeedup(64), 0.0);
    EXPECT_EQ(summary.latencyOf("pruned", 64)->repeats, 3);
    EXPECT_EQ(summary.modelFile, modelFile);
    EXPECT_TRUE(std::any_of(observer.logs.begin(), observer.logs.end(),
                            [](const auto& l) { return l.find("conv2 50→25") != std::string::npos; }));

    // Unstructured runs keep the full shapes and are timed the same way.
    config.method = "global_magnitude";
    config.methodParams = {{"sparsity", 0.9}};
    const RunSummary masked = runExperiment(config, observer, cancel, {modelFile});
    EXPECT_FALSE(masked.structured);
    EXPECT_EQ(masked.latency.size(), 4u);
    EXPECT_EQ(loadCheckpoint(modelFile)->widths(), createModel("lenet5caffe", DataShape{})->widths());
}

TEST_F(StructuredRunTest, BatchNormScaleOnAModelWithoutBatchNormFailsWithAClearMessage)
{
    ExperimentConfig config = tinyConfig();
    config.model = "lenet5caffe";
    config.method = "bn_scale";
    config.methodParams = {};
    config.latencyRepeats = 0;
    StepRecorder observer;
    std::atomic<bool> cancel{false};
    try {
        runExperiment(config, observer, cancel);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("BatchNorm"), std::string::npos) << e.what();
    }
}
