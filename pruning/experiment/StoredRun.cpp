#include "experiment/StoredRun.h"

#include "export/InferenceModule.h"
#include "models/Models.h"

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace prunescope {

void measureLatencies(const ModelBase& dense, const ModelBase& pruned, int repeats, RunSummary& summary)
{
    for (int batch : {1, 64}) {
        const std::vector<BestLatency> best = measureFastestInterleaved({&dense, &pruned}, batch, repeats);
        for (size_t i = 0; i < best.size(); ++i) {
            summary.latency.push_back({i == 0 ? "dense" : "pruned", batch, best[i].stats.medianMs, best[i].stats.p10Ms,
                                       best[i].stats.p90Ms, best[i].stats.repeats, deploymentPathName(best[i].path)});
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
    const std::shared_ptr<ModelBase> dense
        = pruned->declaresLayerGraph() ? createModel(pruned->modelId()) : loadCheckpoint(checkpoint);
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

void exportRunModel(const std::string& checkpoint, const std::string& torchScriptPath, const std::string& stateDictPath)
{
    const std::shared_ptr<ModelBase> model = loadCheckpoint(checkpoint);
    if (!torchScriptPath.empty())
        exportTorchScript(*model, torchScriptPath);
    if (!stateDictPath.empty())
        exportStateDict(*model, stateDictPath);
}

}  // namespace prunescope
