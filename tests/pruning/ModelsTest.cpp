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
    auto model = createModel("lenet5", DataShape{});
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
    auto model = createModel("lenet5caffe", DataShape{});
    const double expected = 20.0 * 24 * 24 * 25 + 50.0 * 8 * 8 * 20 * 25 + 800 * 500 + 500 * 10;
    EXPECT_DOUBLE_EQ(totalMacs(*model), expected);
}

TEST(Models, EveryZooModelMapsABatchToTenLogitsAndDeclaresItsLayers)
{
    torch::manual_seed(0);
    const torch::Tensor input = torch::randn({3, 1, 28, 28});
    for (const auto& info : modelCatalogue()) {
        SCOPED_TRACE(info.id);
        auto model = createModel(info.id, DataShape{});
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

TEST(Models, EveryZooModelIsBuiltForTheDataShape)
{
    // Three-channel 32×32 images and 100 classes: the input channels, the spatial sizes before a
    // flatten and the classifier's outputs all follow the shape.
    const DataShape shape{3, 32, 32, 100};
    torch::manual_seed(0);
    const torch::Tensor input = torch::randn({2, 3, 32, 32});
    for (const auto& info : modelCatalogue()) {
        SCOPED_TRACE(info.id);
        auto model = createModel(info.id, shape);
        EXPECT_EQ(model->inputShape(), shape);
        model->eval();
        EXPECT_EQ(model->forward(input).sizes().vec(), (std::vector<int64_t>{2, 100}));
        EXPECT_EQ(model->prunableLayers().back().weight.size(0), 100);
    }
    // LeNet-5 on 32×32 (its original input size): the classic 6×6 map before fc1 once padded.
    const auto lenet = createModel("lenet5", shape);
    EXPECT_EQ(lenet->prunableLayers()[2].shape(), (std::vector<int64_t>{120, 16 * 6 * 6}));
    EXPECT_DOUBLE_EQ(lenet->prunableLayers()[0].macsPerSample, 6.0 * 32 * 32 * 3 * 25);
    EXPECT_EQ(createModel("lenet300100", shape)->prunableLayers()[0].shape(), (std::vector<int64_t>{300, 3072}));
    // Not square: LeNet-5-Caffe on 20×36 sees a 2×6 map before fc1.
    const auto wide = createModel("lenet5caffe", DataShape{1, 20, 36, 10});
    EXPECT_EQ(wide->prunableLayers()[2].shape(), (std::vector<int64_t>{500, 50 * 2 * 6}));
    EXPECT_EQ(wide->forward(torch::randn({1, 1, 20, 36})).sizes().vec(), (std::vector<int64_t>{1, 10}));
}

TEST(Models, ImagesTooSmallForANetworkAreRefusedNamingTheModelShapeAndMinimum)
{
    struct Case {
        const char* id;
        int64_t minimumSide;
    };
    for (const Case& c : {Case{"lenet5", 12}, Case{"lenet5caffe", 16}, Case{"vgg_small", 8}}) {
        SCOPED_TRACE(c.id);
        const DataShape fits{2, c.minimumSide, c.minimumSide + 3, 5};
        const auto model = createModel(c.id, fits);
        model->eval();
        EXPECT_EQ(model->forward(torch::randn({1, 2, c.minimumSide, c.minimumSide + 3})).sizes().vec(),
                  (std::vector<int64_t>{1, 5}));
        const DataShape tooSmall{2, c.minimumSide + 3, c.minimumSide - 1, 5};
        try {
            createModel(c.id, tooSmall);
            ADD_FAILURE() << "no error for " << describeShape(tooSmall);
        } catch (const std::invalid_argument& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(c.id), std::string::npos) << message;
            EXPECT_NE(message.find(describeShape(tooSmall)), std::string::npos) << message;
            const std::string side = std::to_string(c.minimumSide);
            EXPECT_NE(message.find(side + "×" + side), std::string::npos) << message;
        }
    }
    EXPECT_THROW(createModel("lenet5", DataShape{1, 28, 28, 0}), std::invalid_argument);
}

TEST(Models, ResNet20HasTwentyWeightedLayersPlusShortcuts)
{
    auto model = createModel("resnet20", DataShape{});
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
        createModel("alexnet", DataShape{});
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
