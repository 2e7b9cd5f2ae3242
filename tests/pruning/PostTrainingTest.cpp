#include "TestData.h"
#include "criteria/Magnitude.h"
#include "criteria/Reconstruction.h"
#include "experiment/Runner.h"
#include "methods/PostTrainingPruning.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

TEST(Reconstruction, UnfoldedInputsTimesTheWeightReproduceTheConvolution)
{
    torch::manual_seed(0);
    auto model = createModel("lenet5", DataShape{});
    const PrunableLayer& conv1 = model->prunableLayers()[0];  // 5×5, padding 2
    const torch::Tensor x = torch::randn({2, 1, 28, 28});
    const torch::Tensor columns = inputMatrix(conv1, x);  // [2·784, 25]
    const torch::Tensor viaMatrix = columns.matmul(conv1.weight.detach().reshape({6, -1}).t());  // [2·784, 6]
    const torch::Tensor direct = torch::conv2d(x, conv1.weight.detach(), {}, 1, 2);  // [2, 6, 28, 28]
    EXPECT_TRUE(torch::allclose(viaMatrix, direct.permute({0, 2, 3, 1}).reshape({-1, 6}), 1e-4, 1e-5));
}

TEST(Reconstruction, PostTrainingMethodsStayCloserToTheDenseOutputThanMagnitude)
{
    // A small linear layer whose input features differ in scale, as real activations do.
    torch::manual_seed(1);
    const torch::Tensor scales = torch::logspace(-1, 1, 32);
    const torch::Tensor calibration = torch::randn({512, 32}) * scales;
    const torch::Tensor weight = torch::randn({16, 32});
    const torch::Tensor dense = calibration.matmul(weight.t());
    auto error = [&](const torch::Tensor& pruned) {
        return (calibration.matmul(pruned.t()) - dense).pow(2).sum().item<double>();
    };

    const double sparsity = 0.5;
    torch::Tensor magnitude = torch::ones_like(weight);
    const int64_t prune = pruneCount(sparsity, 32);
    for (int64_t row = 0; row < 16; ++row)
        magnitude[row] = maskLowest(weight[row].abs(), prune);  // the same per-row budget
    const torch::Tensor wanda = wandaMask(weight, calibration, sparsity);
    const torch::Tensor rebuilt = reconstructWeights(weight, wanda, calibration, 0.0);

    EXPECT_EQ(wanda.sum().item<double>(), magnitude.sum().item<double>());
    const double magnitudeError = error(weight * magnitude);
    const double wandaError = error(weight * wanda);
    const double reconstructionError = error(rebuilt);
    EXPECT_LT(wandaError, magnitudeError);
    EXPECT_LT(reconstructionError, wandaError);
    EXPECT_EQ((rebuilt * (1 - wanda)).count_nonzero().item<int64_t>(), 0);  // pruned stay zero
}

TEST(Reconstruction, NothingPrunedMeansNothingChanges)
{
    torch::manual_seed(2);
    const torch::Tensor x = torch::randn({200, 8});
    const torch::Tensor weight = torch::randn({4, 8});
    const torch::Tensor mask = wandaMask(weight, x, 0.0);
    EXPECT_EQ(mask.sum().item<double>(), 32.0);
    EXPECT_TRUE(torch::allclose(reconstructWeights(weight, mask, x, 0.0), weight, 1e-4, 1e-5));
}

class PostTrainingRunTest : public TinyDatasetTest {};

TEST_F(PostTrainingRunTest, WandaAndReconstructionPruneWithoutFineTuningAndTaylorFineTunes)
{
    for (const std::string method : {"wanda", "layerwise_reconstruction", "taylor"}) {
        SCOPED_TRACE(method);
        ExperimentConfig config = tinyConfig();
        config.method = method;
        config.methodParams = {{"sparsity", 0.6}};
        struct : RunObserver {
            std::vector<EpochMetrics> epochs;
            void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
        } observer;
        std::atomic<bool> cancel{false};
        const RunSummary summary = runExperiment(config, observer, cancel);
        EXPECT_NEAR(summary.sparsity, 0.6, 0.002);
        bool fineTuned = false;
        for (const auto& e : observer.epochs)
            fineTuned = fineTuned || e.phase == "finetune";
        EXPECT_EQ(fineTuned, method == "taylor");
        EXPECT_GT(summary.testAccuracy, 0.3);
    }
}
