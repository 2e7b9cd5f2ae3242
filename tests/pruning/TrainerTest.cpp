#include "TestData.h"
#include "criteria/Magnitude.h"
#include "data/Dataset.h"
#include "experiment/Runner.h"
#include "train/Trainer.h"

#include <gtest/gtest.h>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

class TrainerTest : public TinyDatasetTest {};

TEST_F(TrainerTest, TrainingLowersTheLossOnASmallSubset)
{
    const ExperimentConfig config = tinyConfig();
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    torch::manual_seed(1);
    auto model = createModel("lenet5", DataShape{});
    const Evaluation before = evaluateModel(*model, data.test);
    TrainRecipe recipe = config.denseTraining;
    recipe.epochs = 3;
    std::vector<double> fractions;
    TrainHooks hooks;
    hooks.onBatch = [&](double f) { fractions.push_back(f); };
    const auto history = trainModel(*model, data, recipe, "dense", 1, hooks);
    const Evaluation after = evaluateModel(*model, data.test);

    ASSERT_EQ(history.size(), 3u);
    EXPECT_LT(history.back().trainLoss, history.front().trainLoss);
    EXPECT_LT(after.loss, before.loss * 0.5);
    EXPECT_GT(after.accuracy, 0.8);  // the synthetic classes are easy
    ASSERT_FALSE(fractions.empty());
    EXPECT_DOUBLE_EQ(fractions.back(), 1.0);
    EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
}

TEST_F(TrainerTest, MaskedWeightsStayZeroThroughFineTuningWithMomentumAndWeightDecay)
{
    const ExperimentConfig config = tinyConfig();
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    torch::manual_seed(2);
    auto model = createModel("lenet300100", DataShape{});
    MaskSet masks;
    for (const auto& layer : model->prunableLayers())
        masks.compose(layer.name, maskLowest(layer.weight.abs(), layer.weight.numel() / 2));
    TrainRecipe recipe = config.fineTuning;
    recipe.epochs = 2;
    recipe.weightDecay = 0.01;
    TrainHooks hooks;
    hooks.masks = &masks;
    trainModel(*model, data, recipe, "finetune", 1, hooks);
    for (const auto& layer : model->prunableLayers()) {
        const torch::Tensor pruned = layer.weight.detach().masked_select(masks.mask(layer.name) == 0);
        EXPECT_EQ(pruned.count_nonzero().item<int64_t>(), 0) << layer.name;
        const torch::Tensor kept = layer.weight.detach().masked_select(masks.mask(layer.name) != 0);
        EXPECT_EQ(kept.count_nonzero().item<int64_t>(), kept.numel()) << layer.name;
    }
}

TEST_F(TrainerTest, CancellationStopsBetweenBatches)
{
    const ExperimentConfig config = tinyConfig();
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    auto model = createModel("lenet300100", DataShape{});
    std::atomic<bool> cancel{false};
    int batches = 0;
    TrainHooks hooks;
    hooks.cancel = &cancel;
    hooks.onBatch = [&](double) {
        if (++batches == 3)
            cancel = true;
    };
    EXPECT_THROW(trainModel(*model, data, config.denseTraining, "dense", 1, hooks), RunCancelled);
    EXPECT_EQ(batches, 3);
}

TEST_F(TrainerTest, BatchNormRecalibrationAveragesTheStatisticsOfSeededTrainingBatches)
{
    const ExperimentConfig config = tinyConfig();
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    torch::manual_seed(3);
    auto model = createModel("vgg_small", DataShape{});
    model->eval();
    const torch::Tensor conv1 = model->named_parameters()["conv1.weight"].detach().clone();
    const auto norm = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(model->named_children()["bn1"]);
    ASSERT_TRUE(norm);

    EXPECT_EQ(recalibrateBatchNorm(*model, data.train, 3, 50, 11), 5);  // VGG-small: five BatchNorms

    // bn1 normalises conv1's output: its statistics are the plain mean over the three batches of
    // each batch's per-channel mean and (unbiased) variance, on the same seeded shuffle.
    torch::NoGradGuard noGrad;
    BatchIterator batches(data.train, 50, /*shuffle=*/true, seededGenerator(11));
    torch::Tensor images, labels, mean = torch::zeros({conv1.size(0)}), variance = torch::zeros({conv1.size(0)});
    for (int i = 0; i < 3 && batches.next(images, labels); ++i) {
        const torch::Tensor out = torch::conv2d(images, conv1, {}, 1, 1);
        mean += out.mean({0, 2, 3}) / 3;
        variance += out.transpose(0, 1).flatten(1).var(1, /*unbiased=*/true) / 3;
    }
    EXPECT_TRUE(torch::allclose(norm->running_mean, mean, 1e-4, 1e-5));
    EXPECT_TRUE(torch::allclose(norm->running_var, variance, 1e-4, 1e-5));
    // Weights untouched, the momentum back, eval mode.
    EXPECT_TRUE(torch::equal(model->named_parameters()["conv1.weight"], conv1));
    ASSERT_TRUE(norm->options.momentum().has_value());
    EXPECT_DOUBLE_EQ(*norm->options.momentum(), 0.1);
    EXPECT_FALSE(model->is_training());

    EXPECT_EQ(recalibrateBatchNorm(*createModel("lenet5caffe", DataShape{}), data.train, 3, 50, 11),
              0);  // nothing to do
}

namespace {
// Owns one scalar that its penalty pulls towards 3: trained only if the trainer hands it to the
// recipe's optimizer.
struct ScalarController : TrainingController {
    torch::Tensor value = torch::zeros({}).requires_grad_(true);
    std::vector<torch::Tensor> parameters() override { return {value}; }
    torch::Tensor penalty(TrainingStep&) override { return (value - 3).pow(2); }
};
}  // namespace

TEST_F(TrainerTest, AControllersOwnTensorsTrainUnderTheRecipesOptimizer)
{
    const ExperimentConfig config = tinyConfig();
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    auto model = createModel("lenet300100", DataShape{});
    ScalarController controller;
    MaskSet masks;
    TrainRecipe recipe = config.fineTuning;
    recipe.epochs = 2;
    recipe.optimizer = "adam";  // a step of about lr whatever the gradient: 22 steps of 0.01
    recipe.learningRate = 0.01;
    recipe.schedule = "constant";
    recipe.weightDecay = 0;
    TrainHooks hooks;
    hooks.controller = &controller;
    hooks.controlledMasks = &masks;
    trainModel(*model, data, recipe, "gates", 1, hooks);
    const double value = controller.value.item<double>();
    EXPECT_GT(value, 0.15);  // moved towards 3 ...
    EXPECT_LT(value, 0.3);  // ... by Adam's steps, not by one plain-SGD step of 2·3·lr per batch
}

TEST(Schedules, CosineAndStepFollowTheirFormulas)
{
    TrainRecipe recipe;
    recipe.learningRate = 0.1;
    recipe.epochs = 4;
    recipe.schedule = "cosine";
    EXPECT_DOUBLE_EQ(learningRateAt(recipe, 0), 0.1);
    EXPECT_NEAR(learningRateAt(recipe, 2), 0.05, 1e-12);
    recipe.schedule = "step";
    recipe.stepEpochs = 2;
    recipe.stepGamma = 0.5;
    EXPECT_DOUBLE_EQ(learningRateAt(recipe, 1), 0.1);
    EXPECT_DOUBLE_EQ(learningRateAt(recipe, 2), 0.05);
    recipe.schedule = "constant";
    EXPECT_DOUBLE_EQ(learningRateAt(recipe, 3), 0.1);
}

TEST(Schedules, ImpossibleRecipesAreRejectedWithTheFieldName)
{
    auto expectField = [](TrainRecipe recipe, const std::string& field) {
        try {
            validateRecipe(recipe, "fine_tuning", true);
            FAIL() << field;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find("fine_tuning." + field), std::string::npos) << e.what();
        }
    };
    TrainRecipe r;
    r.learningRate = -1;
    expectField(r, "learning_rate");
    r = {};
    r.batchSize = 0;
    expectField(r, "batch_size");
    r = {};
    r.optimizer = "lbfgs";
    expectField(r, "optimizer");
    r = {};
    r.momentum = 0;
    expectField(r, "nesterov");
    r = {};
    r.epochs = -1;
    expectField(r, "epochs");
}
