// The CIFAR benchmarks of the pruning papers: published sizes, any input shape, channel groups,
// physical channel removal, and what every method says about them.
#include "TestData.h"
#include "core/MethodInfo.h"
#include "experiment/ExperimentCheck.h"
#include "experiment/Runner.h"
#include "export/InferenceModule.h"
#include "methods/PruningMethod.h"
#include "structure/ChannelGroups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>

using namespace prunescope;

namespace {

const DataShape kCifar10{3, 32, 32, 10};
const DataShape kMnist{1, 28, 28, 10};

const std::vector<std::string> kCifarNetworks = {"resnet20a", "resnet32a", "resnet56a",  "resnet110a", "resnet20",
                                                 "resnet32b", "resnet56b", "resnet110b", "vgg16_bn",   "mobilenetv2"};

int64_t parameterCount(const ModelBase& model)
{
    int64_t count = 0;
    for (const auto& p : model.parameters())
        count += p.numel();
    return count;
}

double macCount(const ModelBase& model)
{
    double macs = 0;
    for (const auto& layer : model.prunableLayers())
        macs += layer.macsPerSample;
    return macs;
}

// BatchNorm statistics and affine parameters away from their 0/1 defaults, so that index copying
// and folding are exercised for real.
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

// A seeded random half (at least one) of every group's channels.
ChannelSelection randomHalf(const std::vector<ChannelGroup>& groups, uint64_t seed)
{
    torch::Generator generator = at::detail::createCPUGenerator(seed);
    ChannelSelection selection;
    for (const auto& group : groups) {
        const torch::Tensor order = torch::randperm(group.channels, generator, torch::kLong);
        std::vector<int64_t> kept(order.data_ptr<int64_t>(),
                                  order.data_ptr<int64_t>() + std::max<int64_t>(1, group.channels / 2));
        std::sort(kept.begin(), kept.end());
        selection[group.name] = kept;
    }
    return selection;
}

}  // namespace

// Published sizes for 3×32×32 images and 10 classes. Parameters count every weight, bias and
// BatchNorm affine parameter; MACs every conv and linear multiply-accumulate (what the papers call
// FLOPs). Tolerance: ±3 % around the published figure (the papers round to two or three digits),
// and ±5 M MACs for a figure published as "0.09 G".
TEST(CifarNetworks, ParameterAndMacCountsMatchThePublishedOnes)
{
    struct Published {
        const char* id;
        double parameters, macs, macTolerance;
        const char* source;
    };
    const Published published[] = {
        // Option A, as the pruning papers use it.
        {"resnet20a", 0.27e6, 0, 0, "He et al. 2016, Table 6: 0.27 M"},
        {"resnet32a", 0.46e6, 0, 0, "He et al. 2016, Table 6: 0.46 M"},
        {"resnet56a", 0.85e6, 125e6, 0.03 * 125e6, "He et al. 2016: 0.85 M; Li et al. 2017, Table 2: 1.25e8 FLOPs"},
        {"resnet110a", 1.72e6, 253e6, 0.03 * 253e6, "Li et al. 2017, Table 2: 1.72e6 parameters, 2.53e8 FLOPs"},
        // Option B: chenyaofo/CIFAR-pretrained-models (1×1 conv shortcuts; conv and linear layers).
        {"resnet20", 0.27e6, 40.81e6, 0.03 * 40.81e6, "CIFAR-pretrained-models: 0.27 M, 40.81 M FLOPs"},
        {"resnet32b", 0.46e6, 69.12e6, 0.03 * 69.12e6, "CIFAR-pretrained-models: 0.46 M, 69.12 M FLOPs"},
        {"resnet56b", 0.85e6, 125.75e6, 0.03 * 125.75e6, "CIFAR-pretrained-models: 0.85 M, 125.75 M FLOPs"},
        {"vgg16_bn", 15.0e6, 313e6, 0.03 * 313e6, "Li et al. 2017, Table 2: 1.5e7 parameters, 3.13e8 FLOPs"},
        // Sandler et al. 2018 (3.50 M with 1000 classes) with a 10-class head: 3.50 M − 1281 × 990;
        // MACs: the DA2Lite model zoo's CIFAR-10 MobileNetV2, 0.09 G.
        {"mobilenetv2", 2.24e6, 90e6, 5e6, "Sandler et al. 2018; DA2Lite model zoo: 0.09 G MACs"},
    };
    for (const auto& p : published) {
        SCOPED_TRACE(std::string(p.id) + ": " + p.source);
        const auto model = createModel(p.id, kCifar10);
        const double parameters = double(parameterCount(*model)), macs = macCount(*model);
        std::cout << p.id << ": " << parameters << " parameters, " << macs / 1e6 << " M MACs\n";
        EXPECT_NEAR(parameters / p.parameters, 1.0, 0.03) << parameters;
        if (p.macs > 0) {
            EXPECT_NEAR(macs, p.macs, p.macTolerance) << macs;
        }
    }
    // Option A has no shortcut parameters: the option-B figures less the two projections.
    EXPECT_NEAR(macCount(*createModel("resnet20a", kCifar10)), 40.81e6 - 262144, 1e4);
}

TEST(CifarNetworks, OptionBAddsExactlyItsTwoProjectionShortcuts)
{
    // 16 → 32 and 32 → 64 channels, 1×1, with BatchNorm; at 16×16 and 8×8 outputs.
    const double extraParameters = 16 * 32 + 32 * 64 + 2 * (32 + 64);
    const double extraMacs = 16 * 32 * 16 * 16 + 32 * 64 * 8 * 8;
    for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{{"resnet20a", "resnet20"},
                                                                               {"resnet32a", "resnet32b"},
                                                                               {"resnet56a", "resnet56b"},
                                                                               {"resnet110a", "resnet110b"}}) {
        SCOPED_TRACE(b);
        const auto optionA = createModel(a, kCifar10), optionB = createModel(b, kCifar10);
        EXPECT_EQ(double(parameterCount(*optionB) - parameterCount(*optionA)), extraParameters);
        EXPECT_DOUBLE_EQ(macCount(*optionB) - macCount(*optionA), extraMacs);
    }
}

TEST(CifarNetworks, MobileNetV2MacsEqualTheArchitectureTable)
{
    // Independent of the model code: the table (t, c, n, s) with CIFAR strides, for 32×32.
    struct Stage {
        int t, c, n, s;
    };
    const Stage stages[]
        = {{1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    double side = 32, in = 32;
    double macs = 3 * 32 * 9 * side * side;  // stem
    for (const Stage& stage : stages) {
        for (int b = 0; b < stage.n; ++b) {
            const double hidden = in * stage.t;
            if (stage.t != 1)
                macs += in * hidden * side * side;
            if (b == 0)
                side /= stage.s;
            macs += hidden * 9 * side * side + hidden * stage.c * side * side;
            in = stage.c;
        }
    }
    macs += in * 1280 * side * side + 1280 * 10;
    const auto model = createModel("mobilenetv2", kCifar10);
    EXPECT_DOUBLE_EQ(macCount(*model), macs);
    // The depthwise convolutions: one 3×3 filter per channel.
    for (const auto& layer : model->prunableLayers()) {
        if (layer.name.find("depthwise") != std::string::npos) {
            EXPECT_EQ(layer.weight.size(1), 1) << layer.name;
            EXPECT_EQ(layer.groups, layer.weight.size(0)) << layer.name;
        }
    }
}

TEST(CifarNetworks, EachBuildsFor28And32PixelImagesAndGivesItsClasses)
{
    torch::manual_seed(0);
    for (const auto& id : kCifarNetworks) {
        SCOPED_TRACE(id);
        for (const DataShape& shape : {kMnist, DataShape{3, 32, 32, 100}}) {
            const auto model = createModel(id, shape);
            model->eval();
            torch::NoGradGuard noGrad;
            const torch::Tensor out = model->forward(torch::randn({2, shape.channels, shape.height, shape.width}));
            EXPECT_EQ(out.sizes().vec(), (std::vector<int64_t>{2, shape.classes})) << describeShape(shape);
        }
    }
}

TEST(CifarNetworks, OptionAPrunesTheInnerConvsAndKeepsTheResidualStreamsWhole)
{
    const auto model = createModel("resnet56a", kCifar10);
    const auto groups = channelGroups(*model);
    ASSERT_EQ(groups.size(), 27u);  // one per block
    for (const auto& group : groups) {
        EXPECT_FALSE(group.residual()) << group.describe();
        ASSERT_EQ(group.producers.size(), 1u);
        EXPECT_NE(group.producers[0].find(".conv1"), std::string::npos) << group.describe();
    }
    // A residual width cannot be asked for: the zero padding fixes it.
    EXPECT_THROW(createModel("resnet56a", kCifar10, {{"conv1", 8}}), std::invalid_argument);
    EXPECT_THROW(createModel("resnet56a", kCifar10, {{"stage2.3.conv2", 16}}), std::invalid_argument);
    EXPECT_NO_THROW(createModel("resnet56a", kCifar10, {{"stage2.3.conv1", 5}}));
}

TEST(CifarNetworks, DepthwiseConvolutionsJoinTheGroupTheyReadAndInvertedResidualsTieTheirStreams)
{
    const auto model = createModel("mobilenetv2", kCifar10);
    const auto groups = channelGroups(*model);
    bool sawStem = false, sawExpansion = false, sawResidual = false;
    for (const auto& group : groups) {
        for (const auto& consumer : group.consumers)
            EXPECT_EQ(consumer.layer.find("depthwise"), std::string::npos) << group.describe();
        if (group.name == "conv1") {
            // Block 0 has no expansion: its depthwise conv filters the stem's channels.
            sawStem = true;
            EXPECT_EQ(group.producers, (std::vector<std::string>{"conv1", "blocks.0.depthwise"}));
            EXPECT_FALSE(group.residual());
        }
        if (group.name == "blocks.5.expand") {
            sawExpansion = true;
            EXPECT_EQ(group.producers, (std::vector<std::string>{"blocks.5.expand", "blocks.5.depthwise"}));
            EXPECT_EQ(group.norms, (std::vector<std::string>{"blocks.5.expand_bn", "blocks.5.depthwise_bn"}));
            ASSERT_EQ(group.consumers.size(), 1u);
            EXPECT_EQ(group.consumers[0].layer, "blocks.5.project");
            EXPECT_FALSE(group.residual());
        }
        if (group.name == "blocks.3.project") {
            // The 32-channel stage: blocks 3, 4, 5 add their outputs.
            sawResidual = true;
            EXPECT_TRUE(group.residual());
            EXPECT_EQ(group.producers,
                      (std::vector<std::string>{"blocks.3.project", "blocks.4.project", "blocks.5.project"}));
        }
    }
    EXPECT_TRUE(sawStem && sawExpansion && sawResidual);
}

// Structured pruning removes channels for real in every network: the thin copy computes what the
// masked one does, for 3×32×32 images and on the deployment path.
TEST(CifarNetworks, RemovingChannelsGivesTheMaskedNetworksOutputs)
{
    for (const auto& id : kCifarNetworks) {
        SCOPED_TRACE(id);
        torch::manual_seed(3);
        auto model = createModel(id, kCifar10);
        randomiseNorms(*model, 5);
        model->eval();
        const auto groups = channelGroups(*model);
        ASSERT_FALSE(groups.empty());
        const ChannelSelection selection = randomHalf(groups, 17);
        const auto thin = removeChannels(*model, groups, selection);
        EXPECT_LT(parameterCount(*thin), parameterCount(*model) * 7 / 10);
        EXPECT_LT(macCount(*thin), macCount(*model) * 7 / 10);
        EXPECT_EQ(thin->inputShape(), kCifar10);

        channelMasks(*model, groups, selection).applyToWeights(*model);
        thin->eval();
        torch::NoGradGuard noGrad;
        const torch::Tensor x = torch::randn({4, 3, 32, 32});
        const torch::Tensor expected = model->forward(x);
        const torch::Tensor actual = thin->forward(x);
        ASSERT_EQ(actual.sizes(), expected.sizes());
        EXPECT_LT((actual - expected).abs().max().item<double>(), 1e-5);
        EXPECT_GT(expected.abs().max().item<double>(), 1e-3);  // not trivially zero
        // The exported (BatchNorm-folded) thin network computes the same.
        torch::jit::Module scripted = scriptedInferenceModule(*thin);
        EXPECT_LT((scripted.forward({x}).toTensor() - expected).abs().max().item<double>(), 1e-4);
    }
}

// Every method either accepts a network or refuses it with a message; none crashes on them.
TEST(CifarNetworks, EveryMethodSaysWhetherItAppliesToEachNetwork)
{
    for (const auto& id : kCifarNetworks) {
        const auto model = createModel(id, kCifar10);
        for (const auto& method : methodCatalogue()) {
            SCOPED_TRACE(id + " / " + method.id);
            const ParamMap params = resolveParams(method, {});
            try {
                createPruningMethod(method.id)->checkApplicable(*model, params);
            } catch (const std::invalid_argument& e) {
                EXPECT_NE(std::string(e.what()).find(id), std::string::npos) << e.what();
            }
        }
    }
    // Run-time gating: on the residual blocks' inner convs and VGG's convs; MobileNetV2 has none
    // (its expanded channels pass a depthwise conv before the projection reads them).
    EXPECT_EQ(createModel("resnet56a", kCifar10)->gateableLayers().size(), 27u);
    EXPECT_EQ(createModel("vgg16_bn", kCifar10)->gateableLayers().size(), 13u);
    const auto mobile = createModel("mobilenetv2", kCifar10);
    EXPECT_TRUE(mobile->gateableLayers().empty());
    try {
        createPruningMethod("fbs")->checkApplicable(*mobile, resolveParams(methodInfo("fbs"), {}));
        ADD_FAILURE() << "fbs accepted mobilenetv2";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("mobilenetv2"), std::string::npos) << e.what();
    }
}

// The methods whose code meets depthwise convolutions and inverted residuals in a new way run end
// to end on MobileNetV2, on small generated 1×28×28 data: a result, or an InvalidExperiment that
// names the network, never a crash. One per family: calibration (which leaves depthwise layers
// dense; layer-wise reconstruction shares that path), kernel patterns on [C, 1, 3, 3] weights,
// saliency at initialisation, channel removal with depthwise groups (a norm, a data-driven and a
// during-training criterion), and run-time gating (refused: no gateable layer). Every other
// method's applicability is checked above without training (about 20 s: each run trains
// MobileNetV2 on 64 images).
class MobileNetV2RunTest : public prunescope::testsupport::TinyDatasetTest {};

TEST_F(MobileNetV2RunTest, MethodsOfEveryFamilyRunOrRefuseWithAMessage)
{
    struct Quiet : RunObserver {
    } observer;
    const std::atomic<bool> cancel{false};
    for (const char* method : {"wanda", "kernel_pattern", "snip", "l1_filter", "hrank", "slimming", "fbs"}) {
        SCOPED_TRACE(method);
        ExperimentConfig config = tinyConfig();
        config.model = "mobilenetv2";
        config.method = method;
        config.methodParams = {};
        config.dataset.trainLimit = 64;
        config.dataset.testLimit = 16;
        config.denseTraining.epochs = 1;
        config.denseTraining.batchSize = 32;
        config.fineTuning.epochs = 1;
        config.fineTuning.batchSize = 32;
        config.latencyRepeats = 0;
        try {
            const RunSummary summary = runExperiment(config, observer, cancel);
            EXPECT_GE(summary.prunedTestAccuracy, 0.0);
            EXPECT_LE(summary.prunedTestAccuracy, 1.0);
            EXPECT_LT(summary.effectiveMacs, summary.denseMacs) << "nothing pruned";
        } catch (const InvalidExperiment& e) {
            EXPECT_EQ(std::string(method), "fbs") << e.what();
            EXPECT_NE(std::string(e.what()).find("mobilenetv2"), std::string::npos) << e.what();
        }
    }
}
