#pragma once
// What a running experiment reports, and what a finished one measured. No LibTorch here: storage,
// ui and the CLI include this header to receive, store and show events cheaply.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace prunescope {

enum class RunStage { Loading, DenseTraining, Pruning, FineTuning, Evaluating, Measuring, Done };
const char* stageName(RunStage stage);

enum class RunStatus { Running, Finished, Failed, Cancelled, Interrupted };
const char* statusName(RunStatus status);
RunStatus statusFromName(const std::string& name);  // throws std::invalid_argument

struct ProgressEvent {
    RunStage stage = RunStage::Loading;
    double stageFraction = 0;  // 0..1 within the stage
    double overallFraction = 0;  // 0..1 over the whole run
    double etaSeconds = -1;  // < 0: not known yet
    std::string message;
};

struct EpochMetrics {
    std::string phase;  // "dense" | "finetune"
    int epoch = 0;  // 1-based within the phase
    double learningRate = 0;
    double trainLoss = 0;
    double trainAccuracy = 0;
    double validationLoss = 0;
    double validationAccuracy = 0;
    // A method's own curves, by name: e.g. "mask_distance" (Early-Bird), "bn_gamma_p50"
    // (Network Slimming), "sparsity" (GMP). Stored and shown like the others.
    std::map<std::string, double> extra;
    // Which training curve the epoch belongs to. Segment 0 is the dense training from θ0; a phase
    // that restarts from θ0 (SNIP's sparse network, RigL, GMP, a lottery ticket round) or rewinds
    // to θk opens the next segment, so a chart starts a new curve at epoch 1 instead of drawing it
    // as if it continued the dense network. A phase that goes on from the weights it was handed
    // (fine-tuning) keeps the segment of what it continues.
    int segment = 0;
};

// One prunable layer's statistics at one pruning step.
struct LayerStats {
    std::string name;
    std::string kind;  // "conv" | "linear"
    std::vector<int64_t> shape;  // weight shape
    int64_t parameters = 0;  // weight elements
    int64_t nonzeros = 0;
    double denseMacs = 0;  // per sample
    double effectiveMacs = 0;  // denseMacs × density
    bool pruned = true;  // false when the method left it alone (e.g. the classifier)
    int64_t channels = 0;  // output channels (conv) or features (linear)
    int64_t channelsKept = 0;  // those with at least one non-zero weight

    double density() const { return parameters ? double(nonzeros) / double(parameters) : 1.0; }
};

// A layer's mask at one step, as a bitset: bit i is element i of the weight in row-major order.
struct MaskSnapshot {
    std::string layer;
    std::vector<int64_t> shape;
    std::vector<uint8_t> bits;  // LSB first within each byte; size = ceil(numel / 8)

    int64_t numel() const;
    bool kept(int64_t index) const { return (bits[size_t(index >> 3)] >> (index & 7)) & 1u; }
};

struct PruningStep {
    int step = 0;  // 0 = the dense network, 1.. = after each pruning round
    std::vector<LayerStats> layers;
    std::vector<MaskSnapshot> masks;
    // Measurements of this step's network, when the step has its own (iterative methods):
    // "test_accuracy", "test_loss", "control_test_accuracy" (the random re-init control).
    std::map<std::string, double> metrics;
};

// Above this relative interquartile range (IQR / median) a latency is flagged as measured on a
// busy machine. The IQR ignores the slowest and fastest quarter of the repeats, so one
// interrupted repeat does not raise it; on an idle core the repeats of one forward pass agree to a
// few per cent. When another process takes the cores for part of the measurement, the middle half
// of the repeats spreads by tens of per cent, and a median taken from them can turn a speedup of
// 1.0× into 0.7×. 20 % sits between the two: the flag means "measure again before you quote this".
inline constexpr double kBusyMachineRelativeIqr = 0.20;

// Measured forward time of the deployed network (TorchScript, BatchNorm folded, frozen) on this
// CPU: median and spread of `repeats` timed runs after warm-up, on the fastest of LibTorch's
// deployment paths for this network and batch size (each network gets its own best).
struct LatencyMeasurement {
    std::string network;  // "dense" | "pruned"
    int batch = 1;
    double medianMs = 0, p10Ms = 0, p90Ms = 0;
    int repeats = 0;
    std::string path;  // "frozen" | "frozen, channels-last" | "optimize_for_inference"; "" = not recorded
    // The middle half and the extremes of the repeats; 0 for a measurement stored before they were.
    double p25Ms = 0, p75Ms = 0, minMs = 0, maxMs = 0;

    bool hasQuartiles() const { return p75Ms > 0; }
    // (p75 − p25) / median; 0 when the quartiles are not known.
    double relativeIqr() const { return hasQuartiles() && medianMs > 0 ? (p75Ms - p25Ms) / medianMs : 0.0; }
    // The spread says the machine was busy while this was measured: the median is not a fact
    // about the network alone.
    bool measuredOnBusyMachine() const { return relativeIqr() > kBusyMachineRelativeIqr; }
};

// Whole-model measurements at the end of a run (ShrinkBench practice).
struct RunSummary {
    double denseTestAccuracy = 0;
    double denseTestLoss = 0;
    double prunedTestAccuracy = 0;  // right after pruning, before fine-tuning
    double testAccuracy = 0;  // final
    double testLoss = 0;
    int64_t parameters = 0;  // all parameters (weights, biases, BN)
    int64_t nonzeros = 0;
    // The weights of the layers the method pruned (the classifier is excluded by default), so
    // "sparsity" is the target the user asked for; compressionRatio covers the whole model.
    int64_t prunableParameters = 0;
    int64_t prunableNonzeros = 0;
    double sparsity = 0;
    double compressionRatio = 1;  // parameters / nonzeros
    double denseMacs = 0;
    double effectiveMacs = 0;
    double theoreticalSpeedup = 1;  // denseMacs / effectiveMacs
    int64_t denseBytes = 0;  // fp32
    int64_t sparseBytes = 0;  // bitmap + fp32 non-zeros for prunable weights, fp32 for the rest
    double durationSeconds = 0;
    bool denseFromCache = false;
    // Structured runs remove channels: the pruned network is a smaller dense one.
    bool structured = false;
    std::vector<LatencyMeasurement> latency;  // empty when not measured
    std::string modelFile;  // the final network's checkpoint (prunescope-cli export reads it); may be empty

    // dense median / pruned median at this batch size; 0 when not measured.
    double measuredSpeedup(int batch) const;
    const LatencyMeasurement* latencyOf(const std::string& network, int batch) const;
};

// The runner's observer. Called on the runner's thread; implementations forward or copy.
class RunObserver {
public:
    virtual ~RunObserver() = default;
    virtual void onProgress(const ProgressEvent&) {}
    virtual void onEpoch(const EpochMetrics&) {}
    virtual void onPruningStep(const PruningStep&) {}
    virtual void onLog(const std::string&) {}
};

}  // namespace prunescope
