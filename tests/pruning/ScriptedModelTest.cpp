#include "TestData.h"
#include "experiment/Runner.h"
#include "experiment/StoredRun.h"
#include "export/InferenceModule.h"
#include "core/MethodInfo.h"
#include "methods/PostTrainingPruning.h"
#include "models/ScriptedModel.h"
#include "structure/ChannelGroups.h"
#include "train/DenseCache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

struct LogObserver : RunObserver {
    std::vector<std::string> logs;
    void onLog(const std::string& m) override { logs.push_back(m); }
    bool logged(const std::string& text) const
    {
        return std::any_of(logs.begin(), logs.end(), [&](const auto& m) { return m.find(text) != std::string::npos; });
    }
};

// A one-layer network written as TorchScript source: flatten, linear to `classes` outputs.
void saveLinearScript(const std::string& path, int64_t classes)
{
    torch::jit::Module module("TinyLinear");
    module.register_parameter("fc_weight", torch::randn({classes, 784}) * 0.01, false);
    module.register_parameter("fc_bias", torch::zeros({classes}), false);
    module.define(R"(
def forward(self, x):
    return torch.linear(torch.flatten(x, 1), self.fc_weight, self.fc_bias)
)");
    module.save(path);
}

std::string errorOf(const std::function<void()>& action)
{
    try {
        action();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no std::invalid_argument)";
}

int64_t zeros(const torch::Tensor& t)
{
    return t.numel() - t.count_nonzero().item<int64_t>();
}

}  // namespace

TEST(ModelFiles, AConfigNamesAFileByAPathAndKeepsItThroughJson)
{
    for (const auto& info : modelCatalogue())
        EXPECT_FALSE(isModelFile(info.id)) << info.id;
    EXPECT_TRUE(isModelFile("/home/me/net.pt"));
    EXPECT_TRUE(isModelFile("net.pth"));
    EXPECT_TRUE(isModelFile("models/net"));
    EXPECT_EQ(modelDisplayName("/home/me/net.pt"), "net.pt");
    EXPECT_EQ(modelDisplayName("lenet5"), "lenet5");
    ExperimentConfig config = defaultExperiment();
    config.model = "/home/me/my nets/net.pt";
    EXPECT_EQ(experimentFromJson(toJson(config)), config);
}

class ScriptedModelTest : public TinyDatasetTest {
protected:
    // LeNet-5 from the zoo, written by the export PyTorch users get, read back as a file model.
    std::string exportLeNet5(uint64_t seed, const std::string& name = "lenet5.pt")
    {
        torch::manual_seed(seed);
        m_zoo = createModel("lenet5", DataShape{});
        const std::string path = (m_dir / name).string();
        exportTorchScript(*m_zoo, path);
        return path;
    }
    std::shared_ptr<ModelBase> m_zoo;
};

TEST_F(ScriptedModelTest, ExportedLeNet5ComputesWhatTheZooModelDoesWithItsLayersAndMacs)
{
    const std::string path = exportLeNet5(3);
    ASSERT_TRUE(isModelFile(path));
    const auto model = createModel(path, DataShape{});
    EXPECT_EQ(model->modelId(), path);
    EXPECT_FALSE(model->declaresLayerGraph());

    m_zoo->eval();
    model->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(4);
    const torch::Tensor x = torch::randn({5, 1, 28, 28});
    EXPECT_TRUE(torch::allclose(model->forward(x), m_zoo->forward(x), 1e-5, 1e-6));

    const auto& zooLayers = m_zoo->prunableLayers();
    const auto& layers = model->prunableLayers();
    ASSERT_EQ(layers.size(), zooLayers.size());
    for (size_t i = 0; i < layers.size(); ++i) {
        SCOPED_TRACE(layers[i].name);
        // The export names attributes conv1_weight, ...: bare parameters, named in full.
        EXPECT_EQ(layers[i].name, zooLayers[i].name + "_weight");
        EXPECT_EQ(layers[i].kind, zooLayers[i].kind);
        EXPECT_EQ(layers[i].shape(), zooLayers[i].shape());
        EXPECT_DOUBLE_EQ(layers[i].macsPerSample, zooLayers[i].macsPerSample);
        EXPECT_EQ(layers[i].isClassifier, zooLayers[i].isClassifier);
        EXPECT_EQ(layers[i].kernel, zooLayers[i].kernel);
        EXPECT_EQ(layers[i].stride, zooLayers[i].stride);
        EXPECT_EQ(layers[i].padding, zooLayers[i].padding);
    }
    EXPECT_TRUE(layers.back().isClassifier);

    // Masks act on the script module: the layer weight is its parameter, not a copy.
    layers[0].weight.mul_(0);
    zooLayers[0].weight.mul_(0);
    EXPECT_TRUE(torch::allclose(model->forward(x), m_zoo->forward(x), 1e-5, 1e-6));
    EXPECT_EQ(model->parameters().size(), m_zoo->parameters().size());
    EXPECT_EQ(model->named_parameters().size(), 10u);
}

TEST_F(ScriptedModelTest, TrainingUpdatesTheScriptModulesOwnWeights)
{
    const std::string path = exportLeNet5(5);
    const auto model = createModel(path, DataShape{});
    torch::manual_seed(6);
    const torch::Tensor x = torch::randn({8, 1, 28, 28});
    const torch::Tensor labels = torch::randint(0, 10, {8});
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1));
    model->train();
    const torch::Tensor before = model->prunableLayers()[2].weight.detach().clone();
    const torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(x), labels);
    loss.backward();
    for (const auto& layer : model->prunableLayers())
        EXPECT_TRUE(layer.weight.grad().defined()) << layer.name;
    optimizer.step();
    EXPECT_FALSE(torch::equal(before, model->prunableLayers()[2].weight.detach()));
    // The exported copy of the live module sees the step too.
    torch::NoGradGuard noGrad;
    model->eval();
    torch::jit::Module exported = scriptedInferenceModule(*model);
    EXPECT_TRUE(torch::allclose(exported.forward({x}).toTensor(), model->forward(x)));
}

TEST_F(ScriptedModelTest, TrainAndEvalReachTheScriptModule)
{
    // A script whose output depends on self.training, as dropout and BatchNorm do.
    const std::string path = (m_dir / "modes.pt").string();
    {
        torch::jit::Module module("Modes");
        module.register_attribute("training", c10::BoolType::get(), true);
        module.register_parameter("fc_weight", torch::zeros({10, 784}), false);
        module.register_parameter("fc_bias", torch::zeros({10}), false);
        module.define(R"(
def forward(self, x):
    y = torch.linear(torch.flatten(x, 1), self.fc_weight, self.fc_bias)
    if self.training:
        return y + 1.0
    return y
)");
        module.save(path);
    }
    const auto model = createModel(path, DataShape{});
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::zeros({2, 1, 28, 28});
    EXPECT_TRUE(model->is_training());
    EXPECT_EQ(model->forward(x).sum().item<double>(), 20.0);
    model->eval();
    EXPECT_EQ(model->forward(x).sum().item<double>(), 0.0);
    model->train();
    EXPECT_EQ(model->forward(x).sum().item<double>(), 20.0);
    EXPECT_FALSE(dynamic_cast<const ScriptedModel&>(*model).inferenceModule().is_training());
}

TEST_F(ScriptedModelTest, CalibrationSeesTheSameLayerInputsAsTheZooModel)
{
    const std::string path = exportLeNet5(7);
    const auto model = createModel(path, DataShape{});
    torch::manual_seed(8);
    const torch::Tensor images = torch::randn({6, 1, 28, 28});
    const auto zooInputs = captureLayerInputs(*m_zoo, m_zoo->prunableLayers(), images);
    const auto inputs = captureLayerInputs(*model, model->prunableLayers(), images);
    ASSERT_EQ(inputs.size(), zooInputs.size());
    for (const auto& layer : m_zoo->prunableLayers())
        EXPECT_TRUE(torch::allclose(inputs.at(layer.name + "_weight"), zooInputs.at(layer.name), 1e-5, 1e-6))
            << layer.name;
}

TEST_F(ScriptedModelTest, BadFilesFailWithAMessageNamingTheFileAndTheProblem)
{
    const std::string missing = (m_dir / "missing.pt").string();
    std::string message = errorOf([&] { createModel(missing, DataShape{}); });
    EXPECT_NE(message.find(missing), std::string::npos) << message;
    EXPECT_NE(message.find("does not exist"), std::string::npos) << message;

    const std::string garbage = (m_dir / "garbage.pt").string();
    std::ofstream(garbage) << "not a zip archive";
    message = errorOf([&] { createModel(garbage, DataShape{}); });
    EXPECT_NE(message.find(garbage), std::string::npos) << message;
    EXPECT_NE(message.find("not a TorchScript file"), std::string::npos) << message;
    EXPECT_EQ(message.find("frame #"), std::string::npos) << "no C++ backtrace in a user's message: " << message;

    const std::string fiveClasses = (m_dir / "five.pt").string();
    saveLinearScript(fiveClasses, 5);
    message = errorOf([&] { createModel(fiveClasses, DataShape{}); });
    EXPECT_NE(message.find(fiveClasses), std::string::npos) << message;
    EXPECT_NE(message.find("[2, 5]"), std::string::npos) << message;
    EXPECT_NE(message.find("10 classes"), std::string::npos) << message;

    const std::string noWeights = (m_dir / "noweights.pt").string();
    {
        torch::jit::Module module("NoWeights");
        module.define("def forward(self, x):\n    return torch.zeros([x.size(0), 10])\n");
        module.save(noWeights);
    }
    message = errorOf([&] { createModel(noWeights, DataShape{}); });
    EXPECT_NE(message.find(noWeights), std::string::npos) << message;
    EXPECT_NE(message.find("no convolution"), std::string::npos) << message;

    const std::string wrongInput = (m_dir / "wronginput.pt").string();
    {
        torch::jit::Module module("WantsThreeChannels");
        module.register_parameter("conv_weight", torch::randn({10, 3, 28, 28}), false);
        module.define("def forward(self, x):\n    return torch.flatten(torch.conv2d(x, self.conv_weight), 1)\n");
        module.save(wrongInput);
    }
    message = errorOf([&] { createModel(wrongInput, DataShape{}); });
    EXPECT_NE(message.find(wrongInput), std::string::npos) << message;
    EXPECT_NE(message.find("forward() fails on the data's images, [2, 1, 28, 28]"), std::string::npos) << message;
    EXPECT_NE(message.find("flattened, [2, 784]"), std::string::npos) << message;
    EXPECT_NE(message.find("reads 3 channels"), std::string::npos) << message;

    // A valid file passes; widths do not apply to it.
    const std::string ten = (m_dir / "ten.pt").string();
    saveLinearScript(ten, 10);
    EXPECT_EQ(createModel(ten, DataShape{})->prunableLayers().size(), 1u);
    EXPECT_THROW(createModel(ten, DataShape{}, {{"fc_weight", 5}}), std::invalid_argument);
}

TEST_F(ScriptedModelTest, StructuredMethodsAreRefusedBeforeAnythingRuns)
{
    ExperimentConfig config = tinyConfig();
    config.model = exportLeNet5(9);
    config.method = "l1_filter";
    config.methodParams = {};
    const std::string message = errorOf([&] { validateExperiment(config); });
    EXPECT_NE(message.find("structured methods need a zoo model; TorchScript models support unstructured and "
                           "semi-structured methods"),
              std::string::npos)
        << message;
    LogObserver observer;
    std::atomic<bool> cancel{false};
    EXPECT_THROW(runExperiment(config, observer, cancel), std::invalid_argument);
    EXPECT_TRUE(observer.logs.empty());
    // The engine's own guard, for any structured path that would reach it.
    EXPECT_THROW(channelGroups(*createModel(config.model, DataShape{})), std::invalid_argument);
    // Semi-structured methods are fine.
    config.method = "nm_sparsity";
    EXPECT_NO_THROW(validateExperiment(config));
}

TEST_F(ScriptedModelTest, GlobalMagnitudeRunsEndToEndAndItsCheckpointRoundTrips)
{
    ExperimentConfig config = tinyConfig();
    config.model = exportLeNet5(10);
    config.methodParams = {{"sparsity", 0.5}};
    config.latencyRepeats = 2;
    const std::string modelFile = (m_dir / "run" / "model.pt").string();
    LogObserver observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(config, observer, cancel, RunOutputs{modelFile});

    EXPECT_TRUE(observer.logged("TorchScript file " + config.model + " (fingerprint " + fileFingerprint(config.model)))
        << "the run names the file and its content fingerprint";
    EXPECT_GT(summary.denseTestAccuracy, 0.3);
    EXPECT_GT(summary.testAccuracy, 0.3);
    EXPECT_FALSE(summary.structured);
    // Global magnitude at 50 % over every layer but the classifier.
    const auto zoo = createModel("lenet5", DataShape{});
    int64_t prunable = 0;
    for (const auto& layer : zoo->prunableLayers())
        if (!layer.isClassifier)
            prunable += layer.weight.numel();
    EXPECT_EQ(summary.prunableParameters - summary.prunableNonzeros, prunable / 2);
    EXPECT_EQ(summary.prunableParameters, prunable);
    EXPECT_DOUBLE_EQ(summary.denseMacs, 6 * 25 * 784 + 16 * 6 * 25 * 100 + 400 * 120 + 120 * 84 + 84 * 10);
    ASSERT_TRUE(summary.latencyOf("pruned", 64));
    EXPECT_GT(summary.latencyOf("pruned", 64)->medianMs, 0.0);

    // The saved network has the zeros, and reads back as the same TorchScript model.
    ASSERT_EQ(summary.modelFile, modelFile);
    const auto saved = loadCheckpoint(modelFile);
    EXPECT_FALSE(saved->declaresLayerGraph());
    EXPECT_EQ(saved->modelId(), config.model);
    int64_t savedZeros = 0;
    for (const auto& layer : saved->prunableLayers())
        if (!layer.isClassifier)
            savedZeros += zeros(layer.weight);
    EXPECT_EQ(savedZeros, prunable / 2);
    const std::string again = (m_dir / "again.pt").string();
    saveCheckpoint(*saved, again);
    const auto reloaded = loadCheckpoint(again);
    torch::NoGradGuard noGrad;
    torch::manual_seed(11);
    const torch::Tensor x = torch::randn({3, 1, 28, 28});
    EXPECT_TRUE(torch::equal(reloaded->forward(x), saved->forward(x)));
    EXPECT_EQ(dynamic_cast<const ScriptedModel&>(*reloaded).fingerprint(), fileFingerprint(config.model));

    // What the window and the CLI do with a stored run: mask inspector, export, latency.
    const auto weights = loadLayerWeights(modelFile);
    ASSERT_EQ(weights.size(), 5u);
    EXPECT_EQ(weights[0].layer, "conv1_weight");
    EXPECT_EQ(loadLayerWeights(denseCheckpointBeside(modelFile)).size(), 5u);
    const std::string exported = (m_dir / "exported.pt").string(), state = (m_dir / "state.pt").string();
    exportRunModel(modelFile, exported, state);
    EXPECT_TRUE(torch::allclose(torch::jit::load(exported).forward({x}).toTensor(), saved->forward(x), 1e-5, 1e-6));
    EXPECT_TRUE(std::filesystem::exists(state));
    const auto latency = measureStoredLatency(modelFile, 2, 1);
    EXPECT_EQ(latency.size(), 4u);
}

TEST_F(ScriptedModelTest, EveryUnstructuredAndSemiStructuredMethodRunsOnIt)
{
    ExperimentConfig config = tinyConfig();
    config.model = exportLeNet5(14);
    config.dataset.trainLimit = 200;  // each method's path through the model, not its accuracy
    config.dataset.testLimit = 100;
    config.denseTraining.epochs = 1;
    config.fineTuning.epochs = 0;
    config.latencyRepeats = 0;
    for (const auto& method : methodCatalogue()) {
        if (method.taxonomy.speedup == Speedup::Structured)
            continue;
        SCOPED_TRACE(method.id);
        config.method = method.id;
        config.methodParams = {};
        if (method.id == "lottery_ticket" || method.id == "iterative_magnitude")
            config.methodParams["rounds"] = int64_t(2);
        if (method.id == "synflow")
            config.methodParams["rounds"] = int64_t(10);
        LogObserver observer;
        std::atomic<bool> cancel{false};
        if (method.taxonomy.fusion == Fusion::Quantization) {  // activations need a zoo model's hooks
            const std::string message = errorOf([&] { runExperiment(config, observer, cancel); });
            EXPECT_NE(message.find("TorchScript"), std::string::npos) << message;
            continue;
        }
        if (method.id == "kernel_pattern") {  // LeNet-5 has 5×5 kernels only
            const std::string message = errorOf([&] { runExperiment(config, observer, cancel); });
            EXPECT_NE(message.find("no 3×3 convolutions"), std::string::npos) << message;
            continue;
        }
        const RunSummary summary = runExperiment(config, observer, cancel);
        EXPECT_GT(summary.sparsity, 0.1);
        EXPECT_TRUE(std::isfinite(summary.testAccuracy));
    }
}

TEST_F(ScriptedModelTest, TheDenseCacheFollowsTheFilesContentNotItsPath)
{
    ExperimentConfig config = tinyConfig();
    config.model = exportLeNet5(12);
    config.denseTraining.epochs = 1;
    config.fineTuning.epochs = 0;
    config.latencyRepeats = 0;
    std::atomic<bool> cancel{false};
    LogObserver first, second, edited;
    const RunSummary a = runExperiment(config, first, cancel);
    EXPECT_FALSE(a.denseFromCache);
    const RunSummary b = runExperiment(config, second, cancel);
    EXPECT_TRUE(b.denseFromCache);
    EXPECT_DOUBLE_EQ(a.testAccuracy, b.testAccuracy);
    const std::string key = DenseCache::key(config, "data", DataShape{});
    EXPECT_EQ(key.find('/'), std::string::npos) << key;
    EXPECT_EQ(key.rfind("torchscript-lenet5-", 0), 0u) << key;

    exportLeNet5(13);  // other weights, same path
    EXPECT_NE(DenseCache::key(config, "data", DataShape{}), key);
    const RunSummary c = runExperiment(config, edited, cancel);
    EXPECT_FALSE(c.denseFromCache) << "an edited file must not be served the old dense model";
}

// What a PyTorch user brings: torch.jit.script and torch.jit.trace of an nn.Module with BatchNorm,
// a strided conv and nested names, made by Debian's python3-torch (skipped where it is missing).
TEST_F(ScriptedModelTest, PythonScriptedAndTracedModulesLoadWithTheirNamesMacsAndOutputs)
{
    std::string python;
    for (const char* candidate : {"/usr/bin/python3", "python3"}) {
        if (std::system((std::string(candidate) + " -c 'import torch' >/dev/null 2>&1").c_str()) == 0) {
            python = candidate;
            break;
        }
    }
    if (python.empty())
        GTEST_SKIP() << "python3-torch is not installed";
    std::ofstream(m_dir / "make.py") << R"(import sys, torch, torch.nn as nn, torch.nn.functional as F
d = sys.argv[1]
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                                      nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, stride=2))
        self.fc1 = nn.Linear(16 * 6 * 6, 32)
        self.fc2 = nn.Linear(32, 10)
    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.fc2(F.relu(self.fc1(x)))
m = Net()
m.features[1].running_mean.uniform_(-0.5, 0.5)
m.eval()
x = torch.randn(4, 1, 28, 28)
torch.jit.script(m).save(d + '/scripted.pt')
torch.jit.trace(m, torch.zeros(1, 1, 28, 28)).save(d + '/traced.pt')
torch.save(x, d + '/input.pt')
torch.save(m(x).detach(), d + '/expected.pt')
)";
    ASSERT_EQ(std::system((python + " " + (m_dir / "make.py").string() + " " + m_dir.string()).c_str()), 0);
    auto readTensor = [&](const char* name) {
        std::ifstream in(m_dir / name, std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return torch::pickle_load(bytes).toTensor();
    };
    const torch::Tensor x = readTensor("input.pt");
    const torch::Tensor expected = readTensor("expected.pt");

    for (const char* file : {"scripted.pt", "traced.pt"}) {
        SCOPED_TRACE(file);
        const auto model = createModel((m_dir / file).string(), DataShape{});
        std::vector<std::string> names;
        std::vector<double> macs;
        for (const auto& layer : model->prunableLayers()) {
            names.push_back(layer.name);
            macs.push_back(layer.macsPerSample);
        }
        EXPECT_EQ(names, (std::vector<std::string>{"features.0", "features.4", "fc1", "fc2"}));
        EXPECT_EQ(macs, (std::vector<double>{8 * 9 * 28 * 28, 16 * 8 * 9 * 6 * 6, 576 * 32, 32 * 10}));
        EXPECT_TRUE(model->prunableLayers().back().isClassifier);
        EXPECT_EQ(model->prunableLayers()[1].stride, 2);
        EXPECT_EQ(model->prunableLayers()[0].padding, 1);
        const auto buffers = model->named_buffers();
        EXPECT_TRUE(buffers.contains("features.1.running_mean"));
        EXPECT_TRUE(model->named_parameters().contains("features.1.weight"));  // BatchNorm γ: trained, not pruned
        torch::NoGradGuard noGrad;
        model->eval();
        EXPECT_TRUE(torch::allclose(model->forward(x), expected, 1e-5, 1e-6));
        EXPECT_EQ(captureLayerInputs(*model, model->prunableLayers(), x).at("fc1").sizes(), (at::IntArrayRef{4, 576}));
    }

    // A scripted module's BatchNorm follows train()/eval(): its running statistics move in training only.
    {
        const auto model = createModel((m_dir / "scripted.pt").string(), DataShape{});
        const torch::Tensor runningMean = model->named_buffers()["features.1.running_mean"];
        const torch::Tensor before = runningMean.clone();
        torch::NoGradGuard noGrad;
        model->eval();
        model->forward(x);
        EXPECT_TRUE(torch::equal(runningMean, before));
        model->train();
        model->forward(x);
        EXPECT_FALSE(torch::equal(runningMean, before));
    }

    // And it runs: global magnitude with fine-tuning on the synthetic data.
    ExperimentConfig config = tinyConfig();
    config.model = (m_dir / "scripted.pt").string();
    config.denseTraining.epochs = 1;
    config.latencyRepeats = 2;
    LogObserver observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary
        = runExperiment(config, observer, cancel, RunOutputs{(m_dir / "run" / "model.pt").string()});
    EXPECT_GT(summary.sparsity, 0.79);
    EXPECT_EQ(loadCheckpoint(summary.modelFile)->prunableLayers().size(), 4u);
}

TEST_F(ScriptedModelTest, AFileModelTakesTheDataShapeAsImagesOrFlattenedAndIsCheckedAgainstIt)
{
    const DataShape cifar{3, 32, 32, 10};
    // A conv network for 3×32×32 images: taken as [N, 3, 32, 32].
    const std::string convFile = (m_dir / "cifar-conv.pt").string();
    {
        torch::jit::Module module("CifarConv");
        module.register_parameter("conv_weight", torch::randn({4, 3, 3, 3}) * 0.1, false);
        module.register_parameter("fc_weight", torch::randn({10, 4 * 30 * 30}) * 0.01, false);
        module.define(R"(
def forward(self, x):
    y = torch.relu(torch.conv2d(x, self.conv_weight))
    return torch.linear(torch.flatten(y, 1), self.fc_weight)
)");
        module.save(convFile);
    }
    const auto conv = createModel(convFile, cifar);
    EXPECT_EQ(conv->inputShape(), cifar);
    const auto* scripted = dynamic_cast<const ScriptedModel*>(conv.get());
    ASSERT_NE(scripted, nullptr);
    EXPECT_FALSE(scripted->readsFlatInput());
    EXPECT_EQ(conv->forward(torch::randn({5, 3, 32, 32})).sizes(), (std::vector<int64_t>{5, 10}));
    EXPECT_DOUBLE_EQ(conv->prunableLayers()[0].macsPerSample, 4 * 3 * 9 * 30 * 30);

    // A network that reads [N, 3072] (no flatten of its own): forward() flattens the images.
    const std::string flatFile = (m_dir / "cifar-flat.pt").string();
    {
        torch::jit::Module module("CifarFlat");
        module.register_parameter("fc_weight", torch::randn({100, 3072}) * 0.01, false);
        module.define("def forward(self, x):\n    return torch.linear(x, self.fc_weight)\n");
        module.save(flatFile);
    }
    const DataShape cifar100{3, 32, 32, 100};
    const auto flat = createModel(flatFile, cifar100);
    EXPECT_TRUE(dynamic_cast<const ScriptedModel*>(flat.get())->readsFlatInput());
    EXPECT_EQ(flat->forward(torch::randn({2, 3, 32, 32})).sizes(), (std::vector<int64_t>{2, 100}));

    // Chosen against other data, each names the expected and the found shapes.
    std::string message = errorOf([&] { createModel(convFile, DataShape{}); });
    EXPECT_NE(message.find("[2, 1, 28, 28]"), std::string::npos) << message;
    EXPECT_NE(message.find("reads 3 channels"), std::string::npos) << message;
    message = errorOf([&] { createModel(flatFile, cifar); });
    EXPECT_NE(message.find("gives [2, 100]"), std::string::npos) << message;
    EXPECT_NE(message.find("expected [2, 10]"), std::string::npos) << message;

    // A run checks the file against the shape its data holds (the synthetic data is 1×28×28).
    ExperimentConfig config = tinyConfig();
    config.model = convFile;
    try {
        validateExperiment(config);
        ADD_FAILURE() << "a network for 3×32×32 images accepted for 1×28×28 data";
    } catch (const InvalidExperiment& e) {
        EXPECT_EQ(e.field(), ConfigField::Model);
        EXPECT_NE(std::string(e.what()).find("[2, 1, 28, 28]"), std::string::npos) << e.what();
    }

    // A checkpoint keeps the shape the model was built for.
    const std::string checkpoint = (m_dir / "cifar-checkpoint.pt").string();
    saveCheckpoint(*flat, checkpoint);
    EXPECT_EQ(loadCheckpoint(checkpoint)->inputShape(), cifar100);
}
