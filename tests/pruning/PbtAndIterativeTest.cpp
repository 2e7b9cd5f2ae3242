// The scoring rules of the before-training criteria, checked against independent computations,
// the N:M invariants, and the lottery ticket's reset.
#include "TestData.h"
#include "criteria/Magnitude.h"
#include "criteria/Saliency.h"
#include "experiment/Runner.h"
#include "methods/IterativePruning.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

std::vector<PrunableLayer> allLayers(const ModelBase& model)
{
    return model.prunableLayers();
}

struct RecordingObserver : RunObserver {
    std::vector<PruningStep> steps;
    std::vector<EpochMetrics> epochs;
    void onPruningStep(const PruningStep& s) override { steps.push_back(s); }
    void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
};

}  // namespace

TEST(Snip, ScoresEqualTheGradientWithRespectToAMultiplicativeMask)
{
    torch::manual_seed(0);
    auto model = createModel("lenet300100", DataShape{});
    const torch::Tensor images = torch::randn({16, 1, 28, 28});
    const torch::Tensor labels = torch::randint(0, 10, {16});
    const auto scores = snipScores(*model, allLayers(*model), images, labels);

    // Independent computation: the same network written out with masks c = 1 on every weight.
    auto params = model->named_parameters();
    std::vector<torch::Tensor> c;
    for (const char* name : {"fc1", "fc2", "fc3"})
        c.push_back(torch::ones_like(params[std::string(name) + ".weight"]).requires_grad_(true));
    torch::Tensor x = images.flatten(1);
    x = torch::relu(
        torch::nn::functional::linear(x, params["fc1.weight"].detach() * c[0], params["fc1.bias"].detach()));
    x = torch::relu(
        torch::nn::functional::linear(x, params["fc2.weight"].detach() * c[1], params["fc2.bias"].detach()));
    x = torch::nn::functional::linear(x, params["fc3.weight"].detach() * c[2], params["fc3.bias"].detach());
    const auto grads = torch::autograd::grad({torch::nn::functional::cross_entropy(x, labels)}, c);
    ASSERT_EQ(scores.size(), 3u);
    for (size_t i = 0; i < 3; ++i)
        EXPECT_TRUE(torch::allclose(scores[i].scores, grads[i].abs(), 1e-5, 1e-8)) << scores[i].layer;
}

TEST(Grasp, HessianGradientProductMatchesFiniteDifferences)
{
    torch::manual_seed(1);
    auto model = createModel("lenet300100", DataShape{});
    model->to(torch::kFloat64);
    const torch::Tensor images = torch::randn({8, 1, 28, 28}, torch::kFloat64);
    const torch::Tensor labels = torch::randint(0, 10, {8});
    const double temperature = 2.0;
    const auto layers = allLayers(*model);
    const auto scores = graspScores(*model, layers, images, labels, temperature);

    // H g by central differences of the gradient along g: (∇L(w + εg) − ∇L(w − εg)) / 2ε.
    std::vector<torch::Tensor> weights;
    for (const auto& layer : layers)
        weights.push_back(layer.weight);
    auto gradients = [&] {
        const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(images) / temperature, labels);
        return torch::autograd::grad({loss}, weights);
    };
    const auto g = gradients();
    const double eps = 1e-4;
    auto shift = [&](double sign) {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < weights.size(); ++i)
            weights[i].add_(g[i], sign * eps);
    };
    shift(+1);
    const auto plus = gradients();
    shift(-2);
    const auto minus = gradients();
    shift(+1);
    for (size_t i = 0; i < layers.size(); ++i) {
        const torch::Tensor hg = (plus[i] - minus[i]) / (2 * eps);
        const torch::Tensor expected = -(weights[i].detach() * hg);
        EXPECT_TRUE(torch::allclose(scores[i].scores, expected, 1e-4, 1e-9)) << layers[i].name;
    }
}

TEST(SynFlow, RIsTheProductOfAbsoluteWeightsAndScoresFollowFromIt)
{
    torch::manual_seed(2);
    auto model = createModel("lenet300100", DataShape{});
    auto p = model->named_parameters();
    const torch::Tensor w1 = p["fc1.weight"].detach().abs().to(torch::kFloat64);
    const torch::Tensor w2 = p["fc2.weight"].detach().abs().to(torch::kFloat64);
    const torch::Tensor w3 = p["fc3.weight"].detach().abs().to(torch::kFloat64);
    const torch::Tensor b1 = p["fc1.bias"].detach().abs().to(torch::kFloat64);
    const torch::Tensor b2 = p["fc2.bias"].detach().abs().to(torch::kFloat64);
    const torch::Tensor before = p["fc1.weight"].detach().clone();

    const auto scores = synflowScores(*model, allLayers(*model), MaskSet{}, {1, 28, 28});

    // With |θ| and a ones input every ReLU passes, so the network is the linear chain
    // R = 1ᵀ(|W3|(|W2|(|W1|1 + |b1|) + |b2|) + |b3|). Then ∂R/∂W1 = (1ᵀ|W3||W2|)ᵀ 1ᵀ and
    // ∂R/∂W3 = 1 · a2ᵀ with a2 the second hidden layer's output.
    const torch::Tensor ones = torch::ones({784, 1}, torch::kFloat64);
    const torch::Tensor a1 = w1.matmul(ones) + b1.unsqueeze(1);
    const torch::Tensor a2 = w2.matmul(a1) + b2.unsqueeze(1);
    const torch::Tensor u = torch::ones({1, 10}, torch::kFloat64).matmul(w3).matmul(w2);  // 1 × 300
    const torch::Tensor expectedFc1 = (w1 * u.t().matmul(ones.t())).to(torch::kFloat32);
    const torch::Tensor expectedFc3 = (w3 * torch::ones({10, 1}, torch::kFloat64).matmul(a2.t())).to(torch::kFloat32);
    EXPECT_TRUE(torch::allclose(scores[0].scores, expectedFc1, 1e-4, 1e-6));
    EXPECT_TRUE(torch::allclose(scores[2].scores, expectedFc3, 1e-4, 1e-6));
    // The model is handed back unchanged: float, with its signs.
    EXPECT_EQ(p["fc1.weight"].scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(p["fc1.weight"].detach(), before));
}

TEST(SynFlow, IterativeRoundsReachTheTargetAndAvoidLayerCollapse)
{
    torch::manual_seed(3);
    auto model = createModel("lenet5caffe", DataShape{});
    DataSplits none;
    const ParamMap params = resolveParams(methodInfo("synflow"), {{"sparsity", 0.99}, {"rounds", int64_t(20)}});
    const MaskSet masks = createPruningMethod("synflow")->computeMasks({*model, params, none, 1});
    int64_t kept = 0, total = 0;
    for (const auto& [name, mask] : masks.masks()) {
        EXPECT_GT(mask.count_nonzero().item<int64_t>(), 0) << name << " collapsed";
        kept += mask.count_nonzero().item<int64_t>();
        total += mask.numel();
    }
    EXPECT_EQ(total - kept, pruneCount(0.99, total));
}

TEST(NmSparsity, EveryGroupKeepsExactlyNOnOddShapes)
{
    torch::manual_seed(4);
    for (const auto& shape : std::vector<std::vector<int64_t>>{{3, 12}, {5, 3, 2, 2}, {7, 8}, {1, 16}}) {
        for (const auto& [n, m] : std::vector<std::pair<int64_t, int64_t>>{{2, 4}, {1, 4}}) {
            const torch::Tensor scores = torch::randn(shape).abs();
            const torch::Tensor mask = nmMask("w", scores, n, m);
            const torch::Tensor groups = mask.reshape({shape[0], -1, m});
            EXPECT_TRUE(torch::all(groups.sum(2) == double(n)).item<bool>()) << shape[0] << " " << n << ":" << m;
            // The kept ones are each group's largest.
            const torch::Tensor s = scores.reshape({shape[0], -1, m});
            const torch::Tensor keptMin = torch::where(groups > 0, s, torch::full_like(s, 1e9)).amin(2);
            const torch::Tensor prunedMax = torch::where(groups == 0, s, torch::full_like(s, -1e9)).amax(2);
            EXPECT_TRUE(torch::all(keptMin >= prunedMax).item<bool>());
        }
    }
    EXPECT_EQ(nmMask("w", torch::ones({2, 8}), 4, 8).count_nonzero().item<int64_t>(), 8);  // ties: still exact
}

TEST(NmSparsity, AnIndivisibleLayerIsAClearErrorOrLeftDense)
{
    try {
        nmMask("conv1", torch::rand({6, 1, 5, 5}), 2, 4);
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("layer conv1: 25 input elements"), std::string::npos) << e.what();
    }
    torch::manual_seed(5);
    auto model = createModel("lenet5", DataShape{});
    DataSplits none;
    std::vector<std::string> notes;
    auto params = resolveParams(methodInfo("nm_sparsity"), {});
    const MaskSet masks
        = createPruningMethod("nm_sparsity")->computeMasks({*model, params, none, 1, nullptr, 1, &notes});
    EXPECT_FALSE(masks.contains("conv1"));  // 1 × 5 × 5 = 25 inputs per filter
    EXPECT_FALSE(masks.contains("conv2"));  // 6 × 5 × 5 = 150
    EXPECT_TRUE(masks.contains("fc1"));  // 400
    EXPECT_EQ(masks.mask("fc1").count_nonzero().item<int64_t>(), 120 * 400 / 2);
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_NE(notes[0].find("conv1"), std::string::npos);
    params["skip_incompatible"] = false;
    EXPECT_THROW(createPruningMethod("nm_sparsity")->computeMasks({*model, params, none, 1}), std::invalid_argument);
}

class IterativeTest : public TinyDatasetTest {};

TEST(IterativeMagnitude, EachRoundPrunesTheRateOfWhatRemains)
{
    torch::manual_seed(6);
    auto model = createModel("lenet300100", DataShape{});
    const auto layers = model->prunableLayers();
    int64_t total = 0;
    for (const auto& layer : layers)
        total += layer.weight.numel();
    const MaskSet first = pruneRemainingByMagnitude(layers, nullptr, 0.5);
    MaskSet composed = first;
    const MaskSet second = pruneRemainingByMagnitude(layers, &composed, 0.5);
    int64_t keptFirst = 0, keptSecond = 0;
    for (const auto& layer : layers) {
        keptFirst += first.mask(layer.name).count_nonzero().item<int64_t>();
        keptSecond += second.mask(layer.name).count_nonzero().item<int64_t>();
        // What the first round pruned stays pruned.
        EXPECT_EQ((first.mask(layer.name) - second.mask(layer.name)).min().item<float>(), 0.0f);
    }
    EXPECT_EQ(keptFirst, total - pruneCount(0.5, total));
    EXPECT_EQ(keptSecond, keptFirst - pruneCount(0.5, keptFirst));
}

TEST_F(IterativeTest, LotteryTicketResetsSurvivorsToTheirInitialValuesAndRecordsEachRound)
{
    ExperimentConfig config = tinyConfig();
    config.method = "lottery_ticket";
    config.methodParams = {{"rounds", int64_t(2)}, {"rate", 0.5}, {"output_rate", 0.2}, {"control", true}};
    config.denseTraining.epochs = 1;
    RecordingObserver observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel);
    ASSERT_EQ(observer.steps.size(), 3u);  // dense + 2 rounds
    for (int round = 1; round <= 2; ++round) {
        const PruningStep& step = observer.steps[size_t(round)];
        EXPECT_EQ(step.step, round);
        EXPECT_GT(step.metrics.at("test_accuracy"), 0.2);
        EXPECT_TRUE(step.metrics.count("control_test_accuracy"));
        int64_t hidden = 0, hiddenKept = 0;
        for (const auto& layer : step.layers) {
            if (layer.name != "fc3") {
                hidden += layer.parameters;
                hiddenKept += layer.nonzeros;
            }
        }
        const double expectedDensity = std::pow(0.5, round);
        EXPECT_NEAR(double(hiddenKept) / double(hidden), expectedDensity, 0.002) << round;
    }
    EXPECT_EQ(summary.testAccuracy, observer.steps.back().metrics.at("test_accuracy"));
    // Each round trains with the dense recipe (1 epoch here): dense + 2 rounds = 3 curves.
    EXPECT_EQ(observer.epochs.size(), 3u);
}

TEST(LotteryTicket, ResetPutsEverySurvivorBackToTheta0AndEveryPrunedWeightAtZero)
{
    // The reset itself, on its own: copy θ0 into a trained model, then apply the masks.
    torch::manual_seed(7);
    auto initial = createModel("lenet300100", DataShape{});
    auto model = createModel("lenet300100", DataShape{});
    copyModelState(*model, *initial);
    {
        torch::NoGradGuard noGrad;
        for (auto& p : model->parameters())
            p.add_(torch::randn_like(p));  // "training"
    }
    const MaskSet masks = pruneRemainingByMagnitude(model->prunableLayers(), nullptr, 0.8);
    copyModelState(*model, *initial);
    masks.applyToWeights(*model);
    auto theta0 = initial->named_parameters();
    for (const auto& layer : model->prunableLayers()) {
        const torch::Tensor mask = masks.mask(layer.name);
        const torch::Tensor w = layer.weight.detach();
        EXPECT_TRUE(
            torch::equal(w.masked_select(mask != 0), theta0[layer.name + ".weight"].detach().masked_select(mask != 0)));
        EXPECT_EQ(w.masked_select(mask == 0).count_nonzero().item<int64_t>(), 0);
    }
}

TEST_F(IterativeTest, PruningBeforeTrainingTrainsTheSparseNetworkFromItsInitialisation)
{
    for (const std::string method : {"snip", "grasp", "synflow"}) {
        SCOPED_TRACE(method);
        ExperimentConfig config = tinyConfig();
        config.method = method;
        config.methodParams = {{"sparsity", 0.9}};
        if (method == "synflow")
            config.methodParams["rounds"] = int64_t(10);
        RecordingObserver observer;
        std::atomic<bool> cancel{false};
        const RunSummary summary = runExperiment(config, observer, cancel);
        EXPECT_NEAR(summary.sparsity, 0.9, 1e-4);
        EXPECT_GT(summary.testAccuracy, 0.3);  // the sparse net learned the synthetic classes
        ASSERT_EQ(observer.steps.size(), 2u);
        bool sparsePhase = false;
        for (const auto& e : observer.epochs)
            sparsePhase = sparsePhase || e.phase == "sparse";
        EXPECT_TRUE(sparsePhase);
    }
}

TEST(KernelPattern, EveryKernelKeepsExactlyOnePatternTheOneWithTheMostMagnitude)
{
    torch::manual_seed(8);
    const torch::Tensor weight = torch::randn({4, 3, 3, 3});
    const auto& patterns = fourEntryPatterns();
    const torch::Tensor mask = kernelPatternMask("conv", weight, patterns);
    const torch::Tensor kernels = mask.reshape({-1, 9});
    const torch::Tensor magnitudes = weight.abs().reshape({-1, 9});
    for (int64_t k = 0; k < kernels.size(0); ++k) {
        EXPECT_EQ(kernels[k].sum().item<float>(), 4.0f);
        EXPECT_EQ(kernels[k][4].item<float>(), 1.0f);  // the centre is always kept
        float best = 0;
        for (const auto& pattern : patterns) {
            float sum = 0;
            for (int i = 0; i < 9; ++i)
                sum += pattern[size_t(i)] * magnitudes[k][i].item<float>();
            best = std::max(best, sum);
        }
        EXPECT_FLOAT_EQ((kernels[k] * magnitudes[k]).sum().item<float>(), best) << k;
    }
    EXPECT_THROW(kernelPatternMask("conv1", torch::randn({2, 1, 5, 5}), patterns), std::invalid_argument);
}
