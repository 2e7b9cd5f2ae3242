// Engine throughput: data loading, one training epoch, pruning and mask packing.
// Uses the installed Fashion-MNIST when present (the real workload), else synthetic data.
#include "SyntheticIdx.h"
#include "criteria/Magnitude.h"
#include "data/Dataset.h"
#include "criteria/ChannelImportance.h"
#include "export/InferenceModule.h"
#include "methods/StructuredPruning.h"
#include "masks/MaskSet.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "train/Trainer.h"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <thread>

using namespace prunescope;

namespace {

DatasetConfig benchmarkData()
{
    DatasetConfig config;
    if (!std::filesystem::exists(config.directory + "/train-images-idx3-ubyte.gz")) {
        config.directory = (std::filesystem::temp_directory_path() / "prunescope-bench-data").string();
        testsupport::writeSyntheticIdxDataset(config.directory, 60000, 10000);
    }
    return config;
}

const DataSplits& sharedData()
{
    static const DataSplits data = loadDataSplits(benchmarkData(), 1);
    return data;
}

void BM_LoadDataset(benchmark::State& state)
{
    const DatasetConfig config = benchmarkData();
    for (auto _ : state)
        benchmark::DoNotOptimize(loadDataSplits(config, 1));
    state.SetLabel(config.directory);
}
BENCHMARK(BM_LoadDataset)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_TrainOneEpoch(benchmark::State& state, const char* modelId)
{
    torch::set_num_threads(int(std::thread::hardware_concurrency()));
    const DataSplits& data = sharedData();
    TrainRecipe recipe;
    recipe.epochs = 1;
    torch::set_num_threads(int(std::thread::hardware_concurrency()));  // as runs measure
    torch::manual_seed(1);
    auto model = createModel(modelId, DataShape{});
    for (auto _ : state)
        trainModel(*model, data, recipe, "dense", 1, {});
    state.counters["samples/s"]
        = benchmark::Counter(double(data.train.size()) * double(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_TrainOneEpoch, lenet5, "lenet5")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_TrainOneEpoch, lenet300100, "lenet300100")->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_TrainOneEpoch, lenet5caffe, "lenet5caffe")->Unit(benchmark::kSecond)->Iterations(1);

void BM_Evaluate(benchmark::State& state)
{
    const DataSplits& data = sharedData();
    torch::manual_seed(1);
    auto model = createModel("lenet5", DataShape{});
    for (auto _ : state)
        benchmark::DoNotOptimize(evaluateModel(*model, data.test));
}
BENCHMARK(BM_Evaluate)->Unit(benchmark::kMillisecond);

void BM_GlobalMagnitude(benchmark::State& state)
{
    torch::manual_seed(1);
    auto model = createModel("lenet5caffe", DataShape{});
    const ParamMap params = resolveParams(methodInfo("global_magnitude"), {{"sparsity", 0.9}});
    DataSplits none;
    auto method = createPruningMethod("global_magnitude");
    for (auto _ : state)
        benchmark::DoNotOptimize(method->computeMasks({*model, params, none, 1}));
}
BENCHMARK(BM_GlobalMagnitude)->Unit(benchmark::kMillisecond);

void BM_PackMask(benchmark::State& state)
{
    torch::manual_seed(1);
    const torch::Tensor mask = (torch::rand({500, 800}) > 0.9).to(torch::kFloat32);
    for (auto _ : state)
        benchmark::DoNotOptimize(packMask("fc1", mask));
    state.SetBytesProcessed(int64_t(state.iterations()) * mask.numel() / 8);
}
BENCHMARK(BM_PackMask)->Unit(benchmark::kMicrosecond);

}  // namespace

// Forward latency on the deployment path (TorchScript, BatchNorm folded, frozen): the dense
// network against the same network with half of every channel group removed (L1 norm), at
// batch 1 and 64. Arguments: {batch, 0 = dense | 1 = half the channels}. The counter
// "theoretical_speedup" is dense MACs / thin MACs; compare it with the measured time ratio.
void BM_ForwardLatency(benchmark::State& state, const char* modelId)
{
    torch::set_num_threads(int(std::thread::hardware_concurrency()));  // as runs measure
    torch::manual_seed(1);
    auto model = createModel(modelId, DataShape{});
    model->eval();
    const auto groups = channelGroups(*model);
    std::vector<torch::Tensor> scores;
    std::map<std::string, double> ratios;
    for (const auto& group : groups) {
        scores.push_back(filterNormScores(*model, group, 1));
        ratios[group.name] = 0.5;
    }
    const auto thin = removeChannels(*model, groups, keepTopChannels(groups, scores, ratios));
    double denseMacs = 0, thinMacs = 0;
    for (const auto& layer : model->prunableLayers())
        denseMacs += layer.macsPerSample;
    for (const auto& layer : thin->prunableLayers())
        thinMacs += layer.macsPerSample;
    torch::jit::Module module = frozenInferenceModule(state.range(1) ? *thin : *model);
    torch::NoGradGuard noGrad;
    const std::vector<torch::jit::IValue> input{torch::rand({state.range(0), 1, 28, 28})};
    for (int i = 0; i < 5; ++i)
        module.forward(input);
    for (auto _ : state)
        benchmark::DoNotOptimize(module.forward(input));
    state.counters["theoretical_speedup"] = denseMacs / thinMacs;
}
BENCHMARK_CAPTURE(BM_ForwardLatency, vgg_small, "vgg_small")
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({64, 0})
    ->Args({64, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK_CAPTURE(BM_ForwardLatency, resnet20, "resnet20")
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({64, 0})
    ->Args({64, 1})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

BENCHMARK_MAIN();
