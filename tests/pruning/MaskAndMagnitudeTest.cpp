#include "criteria/Magnitude.h"
#include "data/Dataset.h"
#include "masks/MaskSet.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "metrics/ModelMetrics.h"

#include <gtest/gtest.h>

#include <limits>

using namespace prunescope;

namespace {

int64_t zeros(const torch::Tensor& mask)
{
    return mask.numel() - mask.count_nonzero().item<int64_t>();
}

MaskSet prune(const std::string& method, ModelBase& model, ParamMap given, uint64_t seed = 1)
{
    const ParamMap params = resolveParams(methodInfo(method), given);
    DataSplits noData;
    return createPruningMethod(method)->computeMasks({model, params, noData, seed});
}

}  // namespace

TEST(Magnitude, MaskLowestZeroesExactlyTheSmallest)
{
    const torch::Tensor scores = torch::tensor({5.0f, 1.0f, 4.0f, 2.0f, 3.0f});
    const torch::Tensor mask = maskLowest(scores, 2);
    EXPECT_TRUE(torch::equal(mask, torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 1.0f})));
}

TEST(Magnitude, TiesAreBrokenByPositionAndTheCountStaysExact)
{
    const torch::Tensor scores = torch::tensor({2.0f, 1.0f, 1.0f, 1.0f, 1.0f, 3.0f});
    const torch::Tensor mask = maskLowest(scores, 2);
    EXPECT_EQ(zeros(mask), 2);
    EXPECT_TRUE(torch::equal(mask, torch::tensor({1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f})));
    EXPECT_EQ(zeros(maskLowest(torch::zeros({7, 3}), 10)), 10);  // all tied
}

TEST(Magnitude, SelectionAgreesWithAStableSortOnManyTies)
{
    // The reference is the definition: a stable ascending sort, the first `count` indices go.
    torch::manual_seed(7);
    for (const int64_t count : {int64_t(1), int64_t(250), int64_t(999), int64_t(1000), int64_t(5000)}) {
        const torch::Tensor scores = torch::randint(0, 12, {40, 25}).to(torch::kFloat32);  // ties everywhere
        const torch::Tensor order = std::get<1>(torch::sort(scores.reshape(-1), /*stable=*/true, 0, false));
        torch::Tensor expected = torch::ones({scores.numel()});
        expected.index_fill_(0, order.narrow(0, 0, std::min<int64_t>(count, scores.numel())), 0.0);
        EXPECT_TRUE(torch::equal(maskLowest(scores, count), expected.reshape(scores.sizes()))) << "count " << count;
    }
}

TEST(Magnitude, NanScoresArePrunedLastLikeTorchSortOrdersThem)
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const torch::Tensor scores = torch::tensor({nan, 3.0f, nan, 1.0f, 2.0f});
    EXPECT_TRUE(torch::equal(maskLowest(scores, 3), torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 0.0f})));
    EXPECT_TRUE(torch::equal(maskLowest(scores, 4), torch::tensor({0.0f, 0.0f, 1.0f, 0.0f, 0.0f})));
}

TEST(Magnitude, PruningNothingAndEverythingAreHandled)
{
    const torch::Tensor scores = torch::rand({4, 5});
    EXPECT_EQ(zeros(maskLowest(scores, 0)), 0);
    EXPECT_EQ(zeros(maskLowest(scores, 20)), 20);
    EXPECT_EQ(pruneCount(0.0, 20), 0);
    EXPECT_EQ(pruneCount(1.0, 20), 20);
    EXPECT_EQ(pruneCount(0.5, 7), 4);  // round half away from zero: 3.5 → 4
    EXPECT_THROW(pruneCount(1.5, 20), std::invalid_argument);
}

TEST(Magnitude, GlobalThresholdSpansLayers)
{
    // Layer a holds the four smallest values: a global 50 % prunes only a.
    const torch::Tensor a = torch::tensor({0.1f, -0.2f, 0.3f, -0.4f});
    const torch::Tensor b = torch::tensor({1.0f, -2.0f, 3.0f, 4.0f});
    const auto masks = maskLowestGlobally({{"a", a.abs()}, {"b", b.abs()}}, 0.5);
    ASSERT_EQ(masks.masks().size(), 2u);
    EXPECT_EQ(zeros(masks.mask("a")), 4);
    EXPECT_EQ(zeros(masks.mask("b")), 0);
}

TEST(Magnitude, GlobalAndLayerwiseMethodsPruneTheirExactCountsAndSkipTheClassifier)
{
    torch::manual_seed(3);
    auto model = createModel("lenet5", DataShape{});
    const auto& layers = model->prunableLayers();
    int64_t prunable = 0;
    for (const auto& layer : layers)
        prunable += layer.isClassifier ? 0 : layer.weight.numel();

    const MaskSet global = prune("global_magnitude", *model, {{"sparsity", 0.8}});
    EXPECT_FALSE(global.contains("fc3"));
    int64_t globalZeros = 0;
    for (const auto& [name, mask] : global.masks())
        globalZeros += zeros(mask);
    EXPECT_EQ(globalZeros, pruneCount(0.8, prunable));

    const MaskSet layerwise = prune("layerwise_magnitude", *model, {{"sparsity", 0.8}});
    for (const auto& layer : layers) {
        if (layer.isClassifier) {
            EXPECT_FALSE(layerwise.contains(layer.name));
            continue;
        }
        EXPECT_EQ(zeros(layerwise.mask(layer.name)), pruneCount(0.8, layer.weight.numel())) << layer.name;
        // Every kept weight is at least as large as every pruned one in that layer.
        const torch::Tensor magnitude = layer.weight.detach().abs();
        const torch::Tensor mask = layerwise.mask(layer.name).to(torch::kBool);
        EXPECT_GE(magnitude.masked_select(mask).min().item<float>(),
                  magnitude.masked_select(~mask).max().item<float>());
    }

    const MaskSet withClassifier = prune("global_magnitude", *model, {{"sparsity", 0.5}, {"include_classifier", true}});
    EXPECT_TRUE(withClassifier.contains("fc3"));
}

TEST(Magnitude, RandomPruningKeepsLayerDensitiesAndDependsOnlyOnTheSeed)
{
    torch::manual_seed(3);
    auto model = createModel("lenet300100", DataShape{});
    const MaskSet a = prune("random", *model, {{"sparsity", 0.7}}, 11);
    torch::rand({100});  // disturb the global generator: the mask must not change
    const MaskSet b = prune("random", *model, {{"sparsity", 0.7}}, 11);
    const MaskSet c = prune("random", *model, {{"sparsity", 0.7}}, 12);
    for (const auto& [name, mask] : a.masks()) {
        EXPECT_EQ(zeros(mask), pruneCount(0.7, mask.numel())) << name;
        EXPECT_TRUE(torch::equal(mask, b.mask(name))) << name;
        EXPECT_FALSE(torch::equal(mask, c.mask(name))) << name;
    }
}

TEST(Masks, ComposeMultipliesAndRejectsShapeMismatch)
{
    MaskSet masks;
    masks.compose("w", torch::tensor({1.0f, 1.0f, 0.0f, 1.0f}));
    masks.compose("w", torch::tensor({0.0f, 1.0f, 1.0f, 1.0f}));
    EXPECT_TRUE(torch::equal(masks.mask("w"), torch::tensor({0.0f, 1.0f, 0.0f, 1.0f})));
    EXPECT_EQ(masks.kept("w"), 2);
    EXPECT_THROW(masks.compose("w", torch::ones({2, 2})), std::invalid_argument);
}

TEST(Masks, ApplyZeroesWeightsAndGradients)
{
    torch::manual_seed(0);
    auto model = createModel("lenet300100", DataShape{});
    const auto& fc2 = model->prunableLayers()[1];
    MaskSet masks;
    masks.compose(fc2.name, maskLowest(torch::rand(fc2.weight.sizes()), 1000));
    masks.applyToWeights(*model);
    EXPECT_EQ(zeros(fc2.weight.detach()), 1000);

    const torch::Tensor loss = model->forward(torch::randn({4, 1, 28, 28})).pow(2).sum();
    loss.backward();
    masks.applyToGradients(*model);
    const torch::Tensor prunedGrads = fc2.weight.grad().masked_select(masks.mask(fc2.name) == 0);
    EXPECT_EQ(prunedGrads.count_nonzero().item<int64_t>(), 0);
}

TEST(Masks, BitsetRoundTripsOddShapes)
{
    torch::manual_seed(5);
    for (const auto& shape : std::vector<std::vector<int64_t>>{{13}, {3, 5, 5}, {7, 3, 3, 3}, {1}}) {
        const torch::Tensor mask = (torch::rand(shape) > 0.4).to(torch::kFloat32);
        const MaskSnapshot snapshot = packMask("layer", mask);
        EXPECT_EQ(int64_t(snapshot.bits.size()), (mask.numel() + 7) / 8);
        EXPECT_EQ(snapshot.shape, shape);
        EXPECT_TRUE(torch::equal(unpackMask(snapshot), mask));
        const torch::Tensor flat = mask.reshape(-1);
        for (int64_t i = 0; i < flat.numel(); ++i)
            ASSERT_EQ(snapshot.kept(i), flat[i].item<float>() != 0) << i;
    }
}

TEST(Metrics, SparseBytesAndEffectiveMacsFollowTheMasks)
{
    torch::manual_seed(0);
    auto model = createModel("lenet5", DataShape{});
    MaskSet masks;
    const auto& conv2 = model->prunableLayers()[1];  // 16×6×5×5 = 2400 weights, 240000 MACs
    masks.compose(conv2.name, maskLowest(conv2.weight.abs(), 1800));
    masks.applyToWeights(*model);
    RunSummary summary;
    measureModel(*model, masks, summary);
    EXPECT_DOUBLE_EQ(summary.denseMacs, 416520.0);
    EXPECT_DOUBLE_EQ(summary.effectiveMacs, 416520.0 - 240000.0 * 0.75);
    EXPECT_EQ(summary.prunableParameters - summary.prunableNonzeros, 1800);
    EXPECT_EQ(summary.denseBytes, 4 * summary.parameters);
    EXPECT_EQ(summary.sparseBytes, summary.denseBytes - 4 * 2400 + (2400 / 8 + 4 * 600));
    EXPECT_NEAR(summary.compressionRatio, double(summary.parameters) / double(summary.parameters - 1800), 1e-12);
}

TEST(Magnitude, PerLayerTargetsOverrideTheGlobalOneAndBadListsAreNamed)
{
    torch::manual_seed(9);
    auto model = createModel("lenet5", DataShape{});
    const MaskSet masks = prune("layerwise_magnitude", *model,
                                {{"sparsity", 0.5}, {"layer_sparsity", std::string(" conv1=0.1, fc1=0.95 ")}});
    EXPECT_EQ(zeros(masks.mask("conv1")), pruneCount(0.1, 150));
    EXPECT_EQ(zeros(masks.mask("fc1")), pruneCount(0.95, 48000));
    EXPECT_EQ(zeros(masks.mask("conv2")), pruneCount(0.5, 2400));
    const MaskSet random = prune("random", *model, {{"sparsity", 0.5}, {"layer_sparsity", std::string("fc2=0.25")}});
    EXPECT_EQ(zeros(random.mask("fc2")), pruneCount(0.25, 120 * 84));
    try {
        prune("random", *model, {{"sparsity", 0.5}, {"layer_sparsity", std::string("fc9=0.5")}});
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("fc9=0.5"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("conv1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(prune("random", *model, {{"sparsity", 0.5}, {"layer_sparsity", std::string("fc1=1.5")}}),
                 std::invalid_argument);
}
