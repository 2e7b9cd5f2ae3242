#include "experiment/StoredRun.h"

#include "export/InferenceModule.h"
#include "models/Models.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace prunescope {

namespace {

// Seconds a module takes to deploy (script, freeze, optimise) and warm up: the warm-up's floor of
// 0.25 s, plus an estimate of 0.15 s to build and freeze it (not yet measured: docs/measure-eta.sh
// shows whether the latency stage's share of the ETA is right).
constexpr double kModuleFixedSeconds = 0.25 + 0.15;
// A forward call's fixed cost (dispatch, the interpreter) in sample passes of a training epoch.
constexpr double kForwardCallOverheadSamples = 8;

}  // namespace

PlannedWork latencyWork(int repeats, int64_t trainSamples, int64_t validationSamples)
{
    if (repeats <= 0)
        return {};
    const double epochSamplePasses = 3.0 * double(std::max<int64_t>(trainSamples, 1)) + double(validationSamples);
    const double warmUps = std::max(10, repeats / 4);
    double samplePasses = 0;
    for (int batch : kLatencyBatches)
        samplePasses += kLatencyModulesPerBatch * (repeats + warmUps) * (batch + kForwardCallOverheadSamples);
    return {samplePasses / epochSamplePasses,
            kModuleFixedSeconds * kLatencyModulesPerBatch * double(std::size(kLatencyBatches))};
}

void measureLatencies(const ModelBase& dense, const ModelBase& pruned, int repeats, RunSummary& summary,
                      const std::function<void(double fraction)>& onProgress)
{
    const double batches = double(std::size(kLatencyBatches));
    for (size_t b = 0; b < std::size(kLatencyBatches); ++b) {
        const int batch = kLatencyBatches[b];
        const std::vector<BestLatency> best
            = measureFastestInterleaved({&dense, &pruned}, batch, repeats, [&](double fraction) {
                  if (onProgress)
                      onProgress((double(b) + fraction) / batches);
              });
        for (size_t i = 0; i < best.size(); ++i) {
            const LatencyStats& stats = best[i].stats;
            summary.latency.push_back({i == 0 ? "dense" : "pruned", batch, stats.medianMs, stats.p10Ms, stats.p90Ms,
                                       stats.repeats, deploymentPathName(best[i].path), stats.p25Ms, stats.p75Ms,
                                       stats.minMs, stats.maxMs});
        }
    }
}

std::vector<LatencyMeasurement> measureStoredLatency(const std::string& checkpoint, int repeats, int threads)
{
    if (repeats < 1)
        throw std::invalid_argument("latency repeats must be at least 1");
    torch::set_num_threads(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
    const std::shared_ptr<ModelBase> pruned = loadCheckpoint(checkpoint);
    torch::manual_seed(1);
    // A TorchScript model's architecture is in the checkpoint, not in an id (its file may be gone).
    const std::shared_ptr<ModelBase> dense = pruned->declaresLayerGraph()
        ? createModel(pruned->modelId(), pruned->inputShape())
        : loadCheckpoint(checkpoint);
    dense->eval();
    RunSummary summary;
    measureLatencies(*dense, *pruned, repeats, summary);
    return summary.latency;
}

std::vector<LayerWeights> loadLayerWeights(const std::string& checkpoint)
{
    const std::shared_ptr<ModelBase> model = loadCheckpoint(checkpoint);
    std::vector<LayerWeights> layers;
    for (const auto& layer : model->prunableLayers()) {
        const torch::Tensor weight = layer.weight.detach().to(torch::kFloat).contiguous();
        LayerWeights out{layer.name, layer.shape(), {}};
        out.values.assign(weight.data_ptr<float>(), weight.data_ptr<float>() + weight.numel());
        layers.push_back(std::move(out));
    }
    return layers;
}

std::string denseCheckpointBeside(const std::string& modelFile)
{
    return (std::filesystem::path(modelFile).parent_path() / "dense.pt").string();
}

std::string compressedNetworkBeside(const std::string& modelFile)
{
    return (std::filesystem::path(modelFile).parent_path() / "network.psdc").string();
}

void exportRunModel(const std::string& checkpoint, const std::string& torchScriptPath, const std::string& stateDictPath,
                    FileOverwrite overwrite)
{
    // Both destinations are checked before either is written, so a refusal writes nothing.
    if (overwrite == FileOverwrite::Refuse) {
        for (const std::string& path : {torchScriptPath, stateDictPath}) {
            if (!path.empty() && std::filesystem::exists(std::filesystem::symlink_status(path)))
                throw FileExistsError(path + " already exists; pass --force to replace it");
        }
    }
    const std::shared_ptr<ModelBase> model = loadCheckpoint(checkpoint);
    if (!torchScriptPath.empty())
        exportTorchScript(*model, torchScriptPath, overwrite);
    if (!stateDictPath.empty())
        exportStateDict(*model, stateDictPath, overwrite);
}

}  // namespace prunescope
