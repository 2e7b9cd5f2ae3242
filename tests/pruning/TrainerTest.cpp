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
    auto model = createModel("lenet5");
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
    auto model = createModel("lenet300100");
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
    auto model = createModel("lenet300100");
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
