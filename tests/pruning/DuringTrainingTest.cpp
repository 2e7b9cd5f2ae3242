// The mechanisms of pruning during training: the gradual-pruning schedule, dynamic sparse
// training's exact budgets and zero-initialised regrowth, and the straight-through scores of
// movement pruning. Controllers are driven directly where a single step must be inspected, and
// through runExperiment where the whole loop matters.
#include "TestData.h"
#include "criteria/Magnitude.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "methods/SparseTraining.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

struct RecordingObserver : RunObserver {
    std::vector<PruningStep> steps;
    std::vector<EpochMetrics> epochs;
    void onPruningStep(const PruningStep& s) override { steps.push_back(s); }
    void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
};

// One forward and backward pass on a seeded random batch: gradients for the controllers to read.
void backwardOnRandomBatch(ModelBase& model, uint64_t seed)
{
    torch::manual_seed(seed);
    const torch::Tensor images = torch::randn({32, 1, 28, 28});
    const torch::Tensor labels = torch::randint(0, 10, {32});
    model.zero_grad();
    torch::nn::functional::cross_entropy(model.forward(images), labels).backward();
}

// A controller of a method on a fresh lenet300100, with its masks and loop state.
struct Driven {
    std::shared_ptr<ModelBase> model;
    ParamMap params;
    std::unique_ptr<PruningMethod> method;
    std::unique_ptr<TrainingController> controller;
    MaskSet masks;
    DataSplits noData;

    Driven(const std::string& id, const ParamMap& given)
    {
        torch::manual_seed(3);
        model = createModel("lenet300100", DataShape{});
        params = resolveParams(methodInfo(id), given);
        method = createPruningMethod(id);
        const PruningContext context{*model, params, noData, 7};
        controller = method->trainingController(context);
    }
    TrainingStep state(int64_t step, int64_t stepsPerEpoch, int64_t totalSteps)
    {
        TrainingStep s{*model, masks};
        s.step = step;
        s.stepsPerEpoch = stepsPerEpoch;
        s.totalSteps = totalSteps;
        s.learningRate = 0.1;
        return s;
    }
};

}  // namespace

TEST(GradualMagnitude, CubicScheduleAtGivenSteps)
{
    // Zhu & Gupta: s_t = s_f + (s_i − s_f)(1 − (t − t0)/(nΔt))³, constant between updates.
    EXPECT_DOUBLE_EQ(agpSparsity(0.0, 0.9, 50, 100, 1100, 100), 0.0);  // before t0: dense
    EXPECT_DOUBLE_EQ(agpSparsity(0.0, 0.9, 100, 100, 1100, 100), 0.0);  // t0: s_i
    EXPECT_DOUBLE_EQ(agpSparsity(0.0, 0.9, 199, 100, 1100, 100), 0.0);  // until the next update
    EXPECT_NEAR(agpSparsity(0.0, 0.9, 200, 100, 1100, 100), 0.9 - 0.9 * 0.729, 1e-12);  // p = 0.1
    EXPECT_NEAR(agpSparsity(0.0, 0.9, 650, 100, 1100, 100), 0.9 - 0.9 * 0.125, 1e-12);  // p = 0.5 (update at 600)
    EXPECT_DOUBLE_EQ(agpSparsity(0.0, 0.9, 1100, 100, 1100, 100), 0.9);
    EXPECT_DOUBLE_EQ(agpSparsity(0.0, 0.9, 5000, 100, 1100, 100), 0.9);
    EXPECT_NEAR(agpSparsity(0.5, 0.9, 600, 100, 1100, 100), 0.9 - 0.4 * 0.125, 1e-12);
}

TEST_F(TinyDatasetTest, GradualMagnitudeRunFollowsTheScheduleEpochByEpoch)
{
    ExperimentConfig config = tinyConfig();
    config.method = "gmp";
    config.methodParams = {{"sparsity", 0.8}, {"start", 0.1}, {"end", 0.7}, {"frequency", int64_t(5)}};
    config.latencyRepeats = 0;
    RecordingObserver observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel);

    // 540 training images in batches of 50: 11 steps per epoch, 22 in the phase.
    const int64_t total = 22, start = std::llround(0.1 * total), end = std::llround(0.7 * total);
    std::vector<const EpochMetrics*> sparse;
    for (const auto& e : observer.epochs)
        if (e.phase == "sparse")
            sparse.push_back(&e);
    ASSERT_EQ(sparse.size(), 2u);
    std::vector<const PruningStep*> replay;
    for (const auto& s : observer.steps)
        if (s.step >= 1 && s.step <= 2)
            replay.push_back(&s);
    ASSERT_EQ(replay.size(), 2u);  // one step per epoch of the phase (then the final one)
    for (int epoch = 1; epoch <= 2; ++epoch) {
        const double expected = agpSparsity(0.0, 0.8, 11 * epoch, start, end, 5);
        EXPECT_DOUBLE_EQ(sparse[epoch - 1]->extra.at("target_sparsity"), expected);
        EXPECT_EQ(replay[epoch - 1]->metrics.at("epoch"), epoch);  // the mask inspector names the step by it
        for (const auto& layer : replay[epoch - 1]->layers) {
            if (!layer.pruned)
                continue;
            EXPECT_EQ(layer.parameters - layer.nonzeros, pruneCount(expected, layer.parameters))
                << layer.name << " after epoch " << epoch;
        }
    }
    EXPECT_LT(agpSparsity(0.0, 0.8, 11, start, end, 5), 0.8);  // epoch 1 is still on the way
    EXPECT_NEAR(summary.sparsity, 0.8, 1e-3);
}

TEST(SparseLayerDensities, ErdosRenyiKernelKeepsTheBudgetAndFavoursSmallLayers)
{
    torch::manual_seed(0);
    const auto model = createModel("lenet5caffe", DataShape{});
    const auto& layers = model->prunableLayers();
    const auto densities = sparseLayerDensities(layers, 0.9, "erk");
    double kept = 0, total = 0;
    for (const auto& layer : layers) {
        EXPECT_GT(densities.at(layer.name), 0.0);
        EXPECT_LE(densities.at(layer.name), 1.0);
        kept += densities.at(layer.name) * double(layer.weight.numel());
        total += double(layer.weight.numel());
    }
    EXPECT_NEAR(kept / total, 0.1, 1e-9);
    // conv1 (500 weights) is far denser than fc1 (400 000).
    EXPECT_GT(densities.at("conv1"), 5 * densities.at("fc1"));
    for (const auto& [name, density] : sparseLayerDensities(layers, 0.9, "uniform"))
        EXPECT_DOUBLE_EQ(density, 0.1) << name;
    EXPECT_THROW(sparseLayerDensities(layers, 0.9, "gaussian"), std::invalid_argument);
}

TEST(DynamicSparseTraining, RigLKeepsExactCountsAndGrowsAtZeroWhereGradientsAreLargest)
{
    Driven rigl("rigl", {{"sparsity", 0.9}, {"update_interval", int64_t(5)}, {"drop_fraction", 0.3}});
    TrainingStep begin = rigl.state(0, 10, 100);
    rigl.controller->begin(begin);
    rigl.masks.applyToWeights(*rigl.model);
    std::map<std::string, torch::Tensor> before;
    for (const auto& [name, mask] : rigl.masks.masks())
        before[name] = mask.clone();
    ASSERT_EQ(before.size(), 2u);  // fc1, fc2 (the classifier is not pruned)

    backwardOnRandomBatch(*rigl.model, 11);
    std::map<std::string, torch::Tensor> gradients;
    for (const auto& layer : rigl.model->prunableLayers())
        gradients[layer.name] = layer.weight.grad().abs().clone();
    TrainingStep update = rigl.state(4, 10, 100);  // step 5 is an update
    rigl.controller->afterBackward(update);
    rigl.masks.applyToGradients(*rigl.model);
    rigl.controller->afterStep(update);

    for (const auto& layer : rigl.model->prunableLayers()) {
        if (!before.count(layer.name))
            continue;
        const torch::Tensor& old = before[layer.name];
        const torch::Tensor& now = rigl.masks.mask(layer.name);
        EXPECT_EQ(now.sum().item<int64_t>(), old.sum().item<int64_t>()) << layer.name;
        const torch::Tensor grown = (now > 0) & (old == 0);
        const int64_t grownCount = grown.sum().item<int64_t>();
        EXPECT_EQ(grownCount, ((now == 0) & (old > 0)).sum().item<int64_t>()) << layer.name;
        // At most α/2·(1 + cos(π·5/75)) of the active weights moved (RigL may regrow a weight it
        // has just dropped; it then restarts at zero in place).
        EXPECT_GT(grownCount, 0) << layer.name;
        EXPECT_LE(grownCount, std::llround(cosineUpdateFraction(0.3, 5, 75) * old.sum().item<double>())) << layer.name;
        EXPECT_EQ(layer.weight.masked_select(grown).abs().max().item<float>(), 0.0f) << layer.name;
        // Grown where the gradient is largest among the weights not kept.
        const torch::Tensor& g = gradients[layer.name];
        const torch::Tensor notKept = now == 0;
        EXPECT_GE(g.masked_select(grown).min().item<float>(), g.masked_select(notKept).max().item<float>())
            << layer.name;
    }
}

TEST(DynamicSparseTraining, SetRegrowsAtRandomOnlyAtEpochEndsAndAtZero)
{
    Driven set("set", {{"sparsity", 0.8}, {"zeta", 0.5}, {"distribution", std::string("uniform")}});
    TrainingStep begin = set.state(0, 10, 30);
    set.controller->begin(begin);
    set.masks.applyToWeights(*set.model);
    for (const auto& layer : set.model->prunableLayers()) {
        if (set.masks.contains(layer.name)) {
            EXPECT_EQ(set.masks.kept(layer.name), std::llround(0.2 * double(layer.weight.numel()))) << layer.name;
        }
    }
    const torch::Tensor first = set.masks.mask("fc1").clone();

    // Mid-epoch: no change.
    TrainingStep middle = set.state(3, 10, 30);
    set.controller->afterStep(middle);
    EXPECT_TRUE(torch::equal(set.masks.mask("fc1"), first));
    // End of epoch 1: half the active weights replaced, none of the new ones were active before.
    {
        torch::NoGradGuard noGrad;
        set.model->prunableLayers()[0].weight.add_(1.0);  // make every weight non-zero
        set.masks.applyToWeights(*set.model);
    }
    TrainingStep epochEnd = set.state(9, 10, 30);
    set.controller->afterStep(epochEnd);
    const torch::Tensor& now = set.masks.mask("fc1");
    EXPECT_EQ(now.sum().item<int64_t>(), first.sum().item<int64_t>());
    const torch::Tensor grown = (now > 0) & (first == 0);
    EXPECT_EQ(grown.sum().item<int64_t>(), std::llround(0.5 * first.sum().item<double>()));
    EXPECT_EQ(set.model->prunableLayers()[0].weight.masked_select(grown).abs().max().item<float>(), 0.0f);
    // The last epoch trains a fixed mask.
    const torch::Tensor beforeLast = now.clone();
    TrainingStep lastEnd = set.state(29, 10, 30);
    set.controller->afterStep(lastEnd);
    EXPECT_TRUE(torch::equal(set.masks.mask("fc1"), beforeLast));
}

TEST_F(TinyDatasetTest, DynamicSparseRunsKeepTheBudgetAtEveryEpoch)
{
    for (const std::string method : {"rigl", "set"}) {
        ExperimentConfig config = tinyConfig();
        config.method = method;
        config.methodParams = {{"sparsity", 0.9}};
        if (method == "rigl")
            config.methodParams["update_interval"] = int64_t(3);
        config.latencyRepeats = 0;
        RecordingObserver observer;
        std::atomic<bool> cancel{false};
        const RunSummary summary = runExperiment(config, observer, cancel);
        ASSERT_GE(observer.steps.size(), 4u) << method;  // dense, 2 epochs, final
        const auto& firstEpoch = observer.steps[1].layers;
        for (size_t s = 2; s < observer.steps.size(); ++s)
            for (size_t l = 0; l < firstEpoch.size(); ++l)
                EXPECT_EQ(observer.steps[s].layers[l].nonzeros, firstEpoch[l].nonzeros)
                    << method << " step " << s << " " << firstEpoch[l].name;
        EXPECT_NEAR(summary.sparsity, 0.9, 0.005) << method;
        double moved = 0;
        for (const auto& e : observer.epochs)
            if (e.extra.count("connections_moved"))
                moved += e.extra.at("connections_moved");
        EXPECT_GT(moved, 0) << method;
    }
}

TEST(MovementPruning, ScoresFollowTheStraightThroughGradient)
{
    // From step 1 at the final sparsity: the mask after one step keeps, per layer, the weights of
    // largest S = −lr·g·W (the straight-through gradient of the scores).
    Driven movement("movement", {{"sparsity", 0.5}, {"start", 0.0}, {"end", 0.01}});
    TrainingStep begin = movement.state(0, 10, 100);
    movement.controller->begin(begin);
    std::map<std::string, torch::Tensor> expected;
    backwardOnRandomBatch(*movement.model, 5);
    for (const auto& layer : movement.model->prunableLayers())
        if (!layer.isClassifier)
            expected[layer.name]
                = maskLowest(-0.1 * layer.weight.grad() * layer.weight.detach(), pruneCount(0.5, layer.weight.numel()));
    TrainingStep step = movement.state(0, 10, 100);
    movement.controller->afterBackward(step);
    movement.masks.applyToGradients(*movement.model);
    {
        torch::NoGradGuard noGrad;  // a plain SGD step stands in for the optimizer
        for (const auto& layer : movement.model->prunableLayers())
            layer.weight.sub_(0.1 * layer.weight.grad());
    }
    std::map<std::string, torch::Tensor> trained;
    for (const auto& layer : movement.model->prunableLayers())
        trained[layer.name] = layer.weight.detach().clone();
    movement.controller->afterStep(step);
    ASSERT_EQ(movement.masks.masks().size(), expected.size());
    for (const auto& layer : movement.model->prunableLayers()) {
        if (layer.isClassifier)
            continue;
        EXPECT_TRUE(torch::equal(movement.masks.mask(layer.name), expected[layer.name])) << layer.name;
        // Between steps the parameter holds W ⊙ M: the network validation sees.
        EXPECT_TRUE(torch::equal(layer.weight.detach(), trained[layer.name] * expected[layer.name])) << layer.name;
    }
}
