#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "models/Models.h"

#include <gtest/gtest.h>

using namespace prunescope;

namespace {
double totalMacs(const ModelBase& model)
{
    double macs = 0;
    for (const auto& layer : model.prunableLayers())
        macs += layer.macsPerSample;
    return macs;
}
}  // namespace

TEST(Models, LeNet5MacsEqualTheHandComputedValue)
{
    auto model = createModel("lenet5");
    // conv1: 6 maps of 28×28, each output 1×5×5 MACs; conv2: 16 maps of 10×10, each 6×5×5;
    // fc1 400×120, fc2 120×84, fc3 84×10.
    const double expected = 6.0 * 28 * 28 * 25 + 16.0 * 10 * 10 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10;
    EXPECT_DOUBLE_EQ(expected, 416520.0);
    EXPECT_DOUBLE_EQ(totalMacs(*model), expected);
    const auto& layers = model->prunableLayers();
    ASSERT_EQ(layers.size(), 5u);
    EXPECT_DOUBLE_EQ(layers[0].macsPerSample, 117600.0);
    EXPECT_DOUBLE_EQ(layers[1].macsPerSample, 240000.0);
}

TEST(Models, LeNet5CaffeMacsEqualTheHandComputedValue)
{
    auto model = createModel("lenet5caffe");
    const double expected = 20.0 * 24 * 24 * 25 + 50.0 * 8 * 8 * 20 * 25 + 800 * 500 + 500 * 10;
    EXPECT_DOUBLE_EQ(totalMacs(*model), expected);
}

TEST(Models, EveryZooModelMapsABatchToTenLogitsAndDeclaresItsLayers)
{
    torch::manual_seed(0);
    const torch::Tensor input = torch::randn({3, 1, 28, 28});
    for (const auto& info : modelCatalogue()) {
        SCOPED_TRACE(info.id);
        auto model = createModel(info.id);
        model->eval();
        const torch::Tensor output = model->forward(input);
        EXPECT_EQ(output.sizes().vec(), (std::vector<int64_t>{3, 10}));

        // Every conv / linear weight of the module is declared, once, with its parameter.
        auto params = model->named_parameters(true);
        int64_t weightTensors = 0;
        for (const auto& item : params) {
            if (item.value().dim() >= 2)
                ++weightTensors;
        }
        EXPECT_EQ(int64_t(model->prunableLayers().size()), weightTensors);
        for (const auto& layer : model->prunableLayers()) {
            ASSERT_TRUE(params.contains(layer.name + ".weight")) << layer.name;
            EXPECT_TRUE(params[layer.name + ".weight"].is_same(layer.weight)) << layer.name;
            EXPECT_GT(layer.macsPerSample, 0) << layer.name;
        }
        EXPECT_TRUE(model->prunableLayers().back().isClassifier);
        EXPECT_EQ(model->prunableLayers().back().kind, LayerKind::Linear);
    }
}

TEST(Models, ResNet20HasTwentyWeightedLayersPlusShortcuts)
{
    auto model = createModel("resnet20");
    int convs = 0, shortcuts = 0;
    for (const auto& layer : model->prunableLayers()) {
        if (layer.name.find("shortcut") != std::string::npos)
            ++shortcuts;
        else if (layer.kind == LayerKind::Conv)
            ++convs;
    }
    EXPECT_EQ(convs + 1, 20);  // 19 convs + the classifier
    EXPECT_EQ(shortcuts, 2);
}

TEST(Models, UnknownModelNamesTheKnownOnes)
{
    try {
        createModel("alexnet");
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("lenet5caffe"), std::string::npos) << e.what();
    }
}

TEST(Models, EveryCatalogueMethodHasAnImplementation)
{
    for (const auto& method : methodCatalogue()) {
        SCOPED_TRACE(method.id);
        EXPECT_NE(createPruningMethod(method.id), nullptr);
        EXPECT_FALSE(method.card.rule.empty());
        EXPECT_GT(method.card.year, 1980);
        EXPECT_FALSE(displayName(method.taxonomy.speedup).empty());
        EXPECT_FALSE(displayName(method.taxonomy.when).empty());
    }
    EXPECT_THROW(createPruningMethod("nope"), std::invalid_argument);
}
