// Quantization: the grids against hand computations, the observers on tensors whose answer is
// known, BatchNorm folding, the straight-through estimator, and a real post-training run.
#include "experiment/Runner.h"
#include "methods/Quantization.h"
#include "quantization/SimulatedQuantization.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace prunescope;

namespace {

std::vector<float> valuesOf(const torch::Tensor& t)
{
    const torch::Tensor c = t.detach().contiguous().to(torch::kFloat);
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

void expectValues(const torch::Tensor& actual, const std::vector<float>& expected)
{
    const std::vector<float> got = valuesOf(actual);
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i)
        EXPECT_NEAR(got[i], expected[i], 1e-6) << "element " << i;
}

}  // namespace

TEST(Quantization, SymmetricFakeQuantizeMatchesAHandComputation)
{
    // 4-bit symmetric over [−1, 1]: levels −7…7, scale 1/7; x → round(7x)/7, clamped.
    const QuantParams grid = quantParamsFor({-1.0, 1.0}, {4, true});
    EXPECT_EQ(grid.quantMin, -7);
    EXPECT_EQ(grid.quantMax, 7);
    EXPECT_EQ(grid.zeroPoint, 0);
    EXPECT_NEAR(grid.scale, 1.0 / 7.0, 1e-12);
    const torch::Tensor x = torch::tensor({-1.0f, -0.26f, 0.0f, 0.1f, 0.74f, 2.0f});
    expectValues(fakeQuantize(x, grid), {-1.0f, -2.0f / 7, 0.0f, 1.0f / 7, 5.0f / 7, 1.0f});
}

TEST(Quantization, AffineFakeQuantizeMatchesAHandComputation)
{
    // 8-bit affine over [−0.5, 2.05]: scale 2.55/255 = 0.01, zero point 0 − round(−0.5/0.01) = 50.
    const QuantParams grid = quantParamsFor({-0.5, 2.05}, {8, false});
    EXPECT_NEAR(grid.scale, 0.01, 1e-12);
    EXPECT_EQ(grid.zeroPoint, 50);
    EXPECT_EQ(grid.quantMin, 0);
    EXPECT_EQ(grid.quantMax, 255);
    // 0.123 → q = round(12.3) + 50 = 62 → 0.12; −0.6 clamps to q = 0 → −0.5; 3 clamps to 2.05.
    const torch::Tensor x = torch::tensor({0.123f, -0.6f, 0.0f, 3.0f, 1.006f});
    expectValues(fakeQuantize(x, grid), {0.12f, -0.5f, 0.0f, 2.05f, 1.01f});
    // A range that excludes 0 is widened to include it: zero must be exact.
    const QuantParams positive = quantParamsFor({1.0, 2.0}, {8, false});
    EXPECT_EQ(positive.zeroPoint, 0);
    EXPECT_NEAR(positive.scale, 2.0 / 255.0, 1e-12);
}

TEST(Quantization, PerChannelScalesFollowEachRowsLargestMagnitude)
{
    const torch::Tensor weight = torch::tensor({{0.4f, -1.0f, 0.25f}, {3.0f, -0.3f, 0.1f}});
    WeightQuantOptions options;  // 8-bit symmetric, min-max, per channel
    const LayerGrids perChannel = weightGrids(weight, options);
    ASSERT_EQ(perChannel.grids.size(), 2u);
    EXPECT_NEAR(perChannel.grids[0].scale, 1.0 / 127, 1e-12);
    EXPECT_NEAR(perChannel.grids[1].scale, 3.0 / 127, 1e-12);
    // Row 0 on its own grid: 0.4·127 = 50.8 → 51; 0.25·127 = 31.75 → 32. Row 1: 0.1·127/3 = 4.23 → 4.
    expectValues(fakeQuantizeWeight(weight, perChannel),
                 {51.0f / 127, -1.0f, 32.0f / 127, 3.0f, -13.0f * 3 / 127, 4.0f * 3 / 127});

    options.perChannel = false;
    const LayerGrids perTensor = weightGrids(weight, options);
    ASSERT_EQ(perTensor.grids.size(), 1u);
    EXPECT_NEAR(perTensor.grids[0].scale, 3.0 / 127, 1e-12);
    // The small row loses resolution on the shared grid: 0.4 → round(16.93) = 17 steps of 3/127.
    EXPECT_NEAR(fakeQuantizeWeight(weight, perTensor)[0][0].item<double>(), 17.0 * 3 / 127, 1e-6);
}

TEST(Observers, MinMaxIsExactOverEveryBatch)
{
    auto observer = makeObserver({ObserverKind::MinMax}, {});
    EXPECT_EQ(observer->range().low, 0);  // nothing seen yet
    observer->observe(torch::tensor({0.5f, -0.25f, 2.0f}));
    observer->observe(torch::tensor({-3.0f, 1.0f}));
    EXPECT_DOUBLE_EQ(observer->range().low, -3.0);
    EXPECT_DOUBLE_EQ(observer->range().high, 2.0);
}

TEST(Observers, MovingAverageMovesByItsConstant)
{
    ObserverOptions options{ObserverKind::MovingAverage};
    options.averagingConstant = 0.5;
    auto observer = makeObserver(options, {});
    observer->observe(torch::tensor({0.0f, 1.0f}));  // the first batch sets the range
    observer->observe(torch::tensor({-1.0f, 3.0f}));  // halfway towards −1 and 3
    EXPECT_DOUBLE_EQ(observer->range().low, -0.5);
    EXPECT_DOUBLE_EQ(observer->range().high, 2.0);
}

TEST(Observers, PercentileDropsTheTails)
{
    ObserverOptions options{ObserverKind::Percentile};
    options.percentile = 90;  // 5 % off each end
    auto observer = makeObserver(options, {});
    observer->observe(torch::arange(0, 1001, torch::kFloat));  // 0 … 1000
    EXPECT_NEAR(observer->range().low, 50.0, 1e-6);
    EXPECT_NEAR(observer->range().high, 950.0, 1e-6);
}

TEST(Observers, MseClipsAnOutlierAndLowersTheError)
{
    // On a 4-bit grid stretched to an outlier at 100, every ordinary value rounds to 0 (error ≈ 1
    // per value); clipping near 4 costs the outlier (≈ 96² / 10⁵) and rounds the rest finely.
    torch::manual_seed(0);
    torch::Tensor values = torch::randn({100000});
    values[0] = 100.0f;  // the first value: kept by the observer's sampling
    const QuantScheme scheme{4, true};
    auto minMax = makeObserver({ObserverKind::MinMax}, scheme);
    auto mse = makeObserver({ObserverKind::Mse}, scheme);
    minMax->observe(values);
    mse->observe(values);
    EXPECT_DOUBLE_EQ(minMax->range().high, 100.0);
    EXPECT_LT(mse->range().high, 10.0);
    auto error = [&](const Range& range) {
        return (fakeQuantize(values, quantParamsFor(range, scheme)) - values).pow(2).mean().item<double>();
    };
    EXPECT_LT(error(mse->range()), 0.5 * error(minMax->range()));
}

TEST(Quantization, FoldingBatchNormLeavesTheOutputsEqual)
{
    torch::manual_seed(3);
    auto model = createModel("vgg_small", DataShape{});
    {
        // Statistics and affine parameters far from the identity, as after training.
        torch::NoGradGuard noGrad;
        for (auto& module : model->modules(false)) {
            if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
                bn->running_mean.uniform_(-1, 1);
                bn->running_var.uniform_(0.2, 3);
                bn->weight.uniform_(0.5, 2);
                bn->bias.uniform_(-1, 1);
            }
        }
    }
    model->eval();
    const torch::Tensor x = torch::randn({4, 1, 28, 28});
    const torch::Tensor before = model->forward(x).detach();
    EXPECT_EQ(foldBatchNorm(*model), 5);
    const torch::Tensor after = model->forward(x).detach();
    EXPECT_LT((after - before).abs().max().item<double>(), 1e-5);
    // The scale now lives in the conv weights: every BatchNorm's γ is 1.
    for (auto& module : model->modules(false)) {
        if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>()) {
            EXPECT_TRUE(torch::all(bn->weight == 1).item<bool>());
        }
    }
}

TEST(Quantization, StraightThroughGradientPassesInsideTheGridAndStopsOutside)
{
    const QuantParams grid = quantParamsFor({-1.0, 1.0}, {8, true});
    const torch::Tensor x = torch::tensor({-2.0f, -0.5f, 0.3f, 0.99f, 1.5f}).requires_grad_();
    fakeQuantize(x, grid).sum().backward();
    expectValues(x.grad(), {0, 1, 1, 1, 0});
}

TEST(Quantization, QuantizationAwareTrainingTrainsLatentWeightsThroughTheGrid)
{
    torch::manual_seed(4);
    auto model = createModel("lenet300100", DataShape{});
    ActivationQuantizer activations(*model, {});
    QatOptions options;
    options.weights.scheme = {4, true};
    options.freezeEpoch = 0;  // grids fixed at begin(): a weight that grows later falls outside
    QuantizationAwareTraining qat(*model, activations, options);
    MaskSet masks;
    TrainingStep step{*model, masks};
    qat.begin(step);
    const PrunableLayer& fc1 = model->prunableLayers()[0];
    const LayerGrids& grids = qat.weightGrids().at("fc1");
    // The forward pass sees the quantized weights: at most 15 distinct values per row.
    EXPECT_LE(std::get<0>(torch::_unique(fc1.weight[0].detach())).numel(), 15);

    // An optimizer step pushes one latent weight past its row's grid.
    qat.afterBackward(step);  // no gradient yet: restores the latent weights
    {
        torch::NoGradGuard noGrad;
        fc1.weight[0][0] = 10 * float(grids.of(0).highest());
    }
    qat.afterStep(step);
    EXPECT_NEAR(fc1.weight[0][0].item<double>(), grids.of(0).highest(), 1e-6);  // clipped in the forward pass
    fc1.weight.mutable_grad() = torch::ones_like(fc1.weight);
    qat.afterBackward(step);
    EXPECT_EQ(fc1.weight.grad()[0][0].item<float>(), 0.0f);  // outside: no gradient
    EXPECT_EQ(fc1.weight.grad()[0][1].item<float>(), 1.0f);  // inside: passed straight through
    EXPECT_NEAR(fc1.weight[0][0].item<double>(), 10 * grids.of(0).highest(), 1e-5);  // the latent is back
}

TEST(Quantization, QuantizedBytesCountBitsAndScales)
{
    torch::manual_seed(5);
    auto model = createModel("lenet300100", DataShape{});
    WeightQuantOptions options;
    options.scheme.bits = 4;
    const auto grids = quantizeWeights(*model, options);
    // 784·300 + 300·100 + 100·10 weights at 4 bits, 410 rows × 8 bytes of scale and zero point,
    // 410 fp32 biases.
    const int64_t weights = 784 * 300 + 300 * 100 + 100 * 10;
    EXPECT_EQ(quantizedBytes(*model, grids, 4), weights / 2 + 410 * 8 + 410 * 4);
}

// Post-training int8 of LeNet-5 on real Fashion-MNIST through the runner: the stored size is the
// int8 one and accuracy stays close to the dense network's.
TEST(Quantization, PostTrainingInt8OnFashionMnistStaysCloseToFp32)
{
    ExperimentConfig config = defaultExperiment();
    if (!std::filesystem::exists(config.dataset.directory))
        GTEST_SKIP() << "Fashion-MNIST is not installed at " << config.dataset.directory;
    config.model = "lenet5";
    config.method = "ptq_int8";
    config.methodParams = {{"calibration_batches", int64_t(4)}};
    config.dataset.trainLimit = 3000;
    config.dataset.testLimit = 1000;
    config.denseTraining.epochs = 2;
    config.latencyRepeats = 0;
    config.threads = 2;
    config.cacheDirectory = (std::filesystem::temp_directory_path() / "prunescope-quantization-test").string();
    struct StepsAndLog : RunObserver {
        std::vector<PruningStep> steps;
        std::string log;
        void onPruningStep(const PruningStep& step) override { steps.push_back(step); }
        void onLog(const std::string& line) override { log += line + "\n"; }
    } observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel);
    std::filesystem::remove_all(config.cacheDirectory);
    ASSERT_EQ(observer.steps.size(), 2u);  // dense, quantized
    // The same network on LibTorch's int8 operators: close to the simulation (the operators also
    // round each layer's output to 8 bits, which the simulation does not).
    const auto& metrics = observer.steps.back().metrics;
    ASSERT_TRUE(metrics.count("int8_test_accuracy")) << observer.log;
    EXPECT_NEAR(metrics.at("int8_test_accuracy"), summary.testAccuracy, 0.01) << observer.log;
    EXPECT_GT(summary.denseTestAccuracy, 0.5) << observer.log;
    EXPECT_NEAR(summary.testAccuracy, summary.denseTestAccuracy, 0.02);
    // About a quarter of the fp32 bytes: the weights dominate and go from 4 bytes to 1.
    EXPECT_LT(summary.sparseBytes, summary.denseBytes / 3);
    EXPECT_GT(summary.sparseBytes, summary.denseBytes / 5);
}
