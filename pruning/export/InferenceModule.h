#pragma once
// The deployment path of a zoo model: a TorchScript module with BatchNorm folded into the
// convolutions, built from generated TorchScript source (LibTorch cannot trace C++ modules).
// It is what latency is measured on (METHODS.md: eager mode with separate BatchNorm hides
// structured speedups behind per-op overhead) and what PyTorch users get when they export a run.
// Checkpoints keep a run's final network (thinned or masked) beside the run database.

#include "core/SafeFile.h"
#include "models/Models.h"

#include <torch/script.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace prunescope {

// The model in eval mode as a scriptable module: parameters are attributes named like the
// model's layers ("stage1.0.conv1" → stage1_0_conv1_weight); forward(x) gives the model's outputs.
torch::jit::Module scriptedInferenceModule(const ModelBase& model);

// The ways LibTorch 1.13 can deploy a frozen module on a CPU. None wins everywhere: oneDNN's
// blocked layouts (optimize_for_inference) suit wide layers, and their layout conversions cost
// more than a thin layer's arithmetic; channels-last inputs take oneDNN's NHWC kernels.
enum class DeploymentPath { Frozen, FrozenChannelsLast, OptimizedForInference };
inline constexpr DeploymentPath kDeploymentPaths[]
    = {DeploymentPath::Frozen, DeploymentPath::FrozenChannelsLast, DeploymentPath::OptimizedForInference};
const char* deploymentPathName(DeploymentPath path);  // "frozen", "frozen, channels-last", "optimize_for_inference"

// scriptedInferenceModule, frozen, and for OptimizedForInference optimised (falls back to the
// frozen module where this LibTorch lacks the passes' back ends).
torch::jit::Module frozenInferenceModule(const ModelBase& model,
                                         DeploymentPath path = DeploymentPath::OptimizedForInference);

// Real int8 inference through LibTorch's quantized operators (quantized::conv2d and
// quantized::linear on prepacked int8 weights): every prunable layer quantizes its input to uint8
// on the grid calibrated for it, runs in integers, requantizes its output to uint8 and hands it on
// dequantized, so pooling, ReLU and residual additions stay as in the fp32 module. One layer's grids:
struct Int8LayerGrids {
    double inputScale = 1;
    int64_t inputZeroPoint = 0;
    double outputScale = 1;  // the quantized operator's output (bias and folded BatchNorm included)
    int64_t outputZeroPoint = 0;
    std::vector<double> weightScales;  // symmetric int8 weights: one scale per output channel, or one
};
using Int8Plan = std::map<std::string, Int8LayerGrids>;

// The quantized engines this LibTorch was built with ("x86", "fbgemm", "onednn", "qnnpack").
std::vector<std::string> quantizedEngines();
// Makes the first of x86, fbgemm, onednn and qnnpack this build has the current engine and
// returns its name; throws std::runtime_error when there is none.
std::string useBestQuantizedEngine();

// The model (BatchNorm folded as in scriptedInferenceModule) as a TorchScript module on the
// quantized operators of the current engine. Weights are rounded to plan's weight scales; a
// layer without grids in the plan throws std::invalid_argument naming it.
torch::jit::Module int8InferenceModule(const ModelBase& model, const Int8Plan& plan);

// Writes the TorchScript module; Python reads it with torch.jit.load(path). Written through a
// temporary file (core/SafeFile.h); with FileOverwrite::Refuse an existing file or symlink at
// `path` throws FileExistsError. Throws std::runtime_error naming the file when it cannot be written.
void exportTorchScript(const ModelBase& model, const std::string& path,
                       FileOverwrite overwrite = FileOverwrite::Replace);

// Writes the state dict (PyTorch names: "stage1.0.conv1.weight", BatchNorm buffers included);
// Python reads it with torch.load(path). Written as exportTorchScript writes.
void exportStateDict(const ModelBase& model, const std::string& path, FileOverwrite overwrite = FileOverwrite::Replace);

// A run's final network with its architecture (model id and widths), written atomically.
void saveCheckpoint(const ModelBase& model, const std::string& path);
// Throws std::runtime_error naming the file and what is wrong with it.
std::shared_ptr<ModelBase> loadCheckpoint(const std::string& path);

// Wall-clock time of forward() on a seeded random batch, after warm-up runs, without autograd.
struct LatencyStats {
    double medianMs = 0, p10Ms = 0, p90Ms = 0;
    int repeats = 0;
    double p25Ms = 0, p75Ms = 0, minMs = 0, maxMs = 0;
};

// The fastest deployment path of each network at this batch size, and its figures: what a
// deployment engineer would ship, for the dense and the pruned network alike. The networks are
// timed in alternating blocks of a few runs, path by path, so that a shared machine's drift
// (neighbours, clocks, caches) falls on all of them alike and their ratio stays comparable.
struct BestLatency {
    LatencyStats stats;
    DeploymentPath path = DeploymentPath::Frozen;
};
// onProgress(fraction of the measurement done) is called after every warm-up and timed block.
std::vector<BestLatency> measureFastestInterleaved(const std::vector<const ModelBase*>& networks, int64_t batch,
                                                   int repeats,
                                                   const std::function<void(double fraction)>& onProgress = {});

// Times each module's forward on a seeded random batch of `shape`, in alternating blocks as
// measureFastestInterleaved does (no deployment paths: the modules are run as given).
std::vector<LatencyStats> measureModulesInterleaved(std::vector<torch::jit::Module> modules, const DataShape& shape,
                                                    int64_t batch, int repeats);

}  // namespace prunescope
