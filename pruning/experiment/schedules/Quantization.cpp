// Quantization after training: BatchNorm folded into the layers, activation ranges calibrated on
// a few training batches, then either the weights rounded to their grids at once (post-training
// quantization) or the network fine-tuned on its grids (quantization-aware training). The final
// evaluation simulates the quantized network exactly; the run's stored size is the quantized one.
#include "core/RunCancelled.h"
#include "experiment/ScheduleDriver.h"
#include "export/InferenceModule.h"
#include "methods/Quantization.h"

#include <cmath>
#include <optional>
#include <sstream>

namespace prunescope {
namespace {

void foldAndSay(const RunContext& run, ModelBase& model)
{
    const int folded = foldBatchNorm(model);
    if (folded > 0)
        run.observer.onLog("BatchNorm folded into the layer before it (" + std::to_string(folded) + " layers)");
}

void calibrateAndSay(const RunContext& run, ModelBase& model, int batches, int64_t batchSize)
{
    const int seen = calibrateActivations(model, run.data.train, batches, batchSize, run.config.seed, &run.cancel);
    run.observer.onLog("activation ranges calibrated on " + std::to_string(seen) + " training batches of "
                       + std::to_string(batchSize));
}

std::string gridText(const WeightQuantOptions& weights)
{
    return std::to_string(weights.scheme.bits) + "-bit " + (weights.scheme.symmetric ? "symmetric" : "affine") + " "
        + (weights.perChannel ? "per-channel" : "per-tensor") + " weights, 8-bit affine activations";
}

double accuracyOf(torch::jit::Module& module, const TensorDataset& data, const std::atomic<bool>& cancel)
{
    torch::NoGradGuard noGrad;
    module.eval();
    BatchIterator batches(data, 1000, /*shuffle=*/false, seededGenerator(0));
    torch::Tensor images, labels;
    int64_t correct = 0, seen = 0;
    while (batches.next(images, labels)) {
        if (cancel.load(std::memory_order_relaxed))
            throw RunCancelled();
        correct += module.forward({images}).toTensor().argmax(1).eq(labels).sum().item<int64_t>();
        seen += labels.size(0);
    }
    return seen ? double(correct) / double(seen) : 0.0;
}

// The quantized network run for real on LibTorch's int8 operators: its test accuracy beside the
// simulated one, and its latency beside the same network's fp32 module at batch 1 and 64.
// Returns the int8 accuracy (nothing when it could not run, with a line saying why).
std::optional<double> runRealInt8(const RunContext& run, ModelBase& model, const ActivationQuantizer& activations,
                                  const std::map<std::string, LayerGrids>& weights, const PtqOptions& options,
                                  double simulatedAccuracy, ScheduleOutcome& outcome)
{
    if (!options.realInt8)
        return std::nullopt;
    if (!options.weights.scheme.symmetric) {
        run.observer.onLog("real int8 inference not run: LibTorch's quantized operators take symmetric int8 "
                           "weights, and these are affine");
        return std::nullopt;
    }
    try {
        const std::string engine = useBestQuantizedEngine();
        const auto outputs
            = calibrateLayerOutputs(model, activations, options.activations.observer, run.data.train,
                                    options.calibrationBatches, options.calibrationBatchSize, run.config.seed);
        Int8Plan plan;
        for (const auto& layer : model.prunableLayers()) {
            const QuantParams& in = activations.grids().at(layer.name);
            const QuantParams& out = outputs.at(layer.name);
            Int8LayerGrids grids{in.scale, in.zeroPoint, out.scale, out.zeroPoint, {}};
            for (const auto& grid : weights.at(layer.name).grids)
                grids.weightScales.push_back(grid.scale);
            plan[layer.name] = grids;
        }
        torch::jit::Module int8 = int8InferenceModule(model, plan);
        const double accuracy = accuracyOf(int8, run.data.test, run.cancel);
        std::ostringstream line;
        line.setf(std::ios::fixed);
        line.precision(2);
        line << "real int8 inference (" << engine << " engine): test accuracy " << accuracy * 100 << " %, simulated "
             << simulatedAccuracy * 100 << " %, difference " << (accuracy - simulatedAccuracy) * 100
             << " points (the operators also round each layer's output to 8 bits)";
        run.observer.onLog(line.str());
        if (run.config.latencyRepeats > 0) {
            for (const int64_t batch : {int64_t(1), int64_t(64)}) {
                const auto stats
                    = measureModulesInterleaved({int8, frozenInferenceModule(model, DeploymentPath::Frozen)},
                                                model.inputShape(), batch, run.config.latencyRepeats);
                const LatencyStats& q = stats[0];
                outcome.extraLatency.push_back({"int8", int(batch), q.medianMs, q.p10Ms, q.p90Ms, q.repeats,
                                                "quantized (" + engine + ")", q.p25Ms, q.p75Ms, q.minMs, q.maxMs});
                const LatencyStats& f = stats[1];
                outcome.extraLatency.push_back({"fp32 folded", int(batch), f.medianMs, f.p10Ms, f.p90Ms, f.repeats,
                                                "frozen", f.p25Ms, f.p75Ms, f.minMs, f.maxMs});
                std::ostringstream timing;
                timing.setf(std::ios::fixed);
                timing.precision(3);
                timing << "latency at batch " << batch << ": int8 " << q.medianMs << " ms, fp32 " << f.medianMs
                       << " ms (int8/fp32 " << q.medianMs / f.medianMs << ")";
                run.observer.onLog(timing.str());
            }
        }
        return accuracy;
    } catch (const RunCancelled&) {
        throw;
    } catch (const c10::Error& e) {
        run.observer.onLog(std::string("real int8 inference not run: ") + e.what_without_backtrace());
    } catch (const std::exception& e) {
        run.observer.onLog(std::string("real int8 inference not run: ") + e.what());
    }
    return std::nullopt;
}

class PostTrainingQuantizationDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig&, const PruningMethod&, const ParamMap&) const override { return 0; }

    RecipeUse recipeUse(const PruningMethod&, const ParamMap&) const override
    {
        return {.fineTuning = false, .batchNormRecalibration = false};
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        const PtqOptions options = PtqOptions::from(run.params);
        ModelBase& model = *start.model;
        foldAndSay(run, model);
        ScheduleOutcome outcome;
        {
            ActivationQuantizer activations(model, options.activations);
            calibrateAndSay(run, model, options.calibrationBatches, options.calibrationBatchSize);
            activations.setMode(ActivationMode::Quantize);
            const auto grids = quantizeWeights(model, options.weights);
            run.observer.onLog("quantized: " + gridText(options.weights) + ", observer "
                               + observerName(options.weights.observer.kind) + "; no retraining");
            PruningStep step = stepOf(1, model, MaskSet{});
            outcome.final = run.test(model);
            step.metrics = {{"test_accuracy", outcome.final.accuracy}, {"test_loss", outcome.final.loss}};
            if (const auto int8 = runRealInt8(run, model, activations, grids, options, outcome.final.accuracy, outcome))
                step.metrics["int8_test_accuracy"] = *int8;
            run.observer.onPruningStep(step);
            outcome.storedBytes = quantizedBytes(model, grids, options.weights.scheme.bits);
        }
        // The simulated activations end with the quantizer: what is timed and saved is the
        // folded network with quantized weights.
        outcome.prunedTestAccuracy = outcome.final.accuracy;
        outcome.deployed = start.model;
        return outcome;
    }
};

class QuantizationAwareTrainingDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod&, const ParamMap&) const override
    {
        return config.fineTuning.epochs;
    }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        const QatMethodOptions options = QatMethodOptions::from(run.params);
        ModelBase& model = *start.model;
        foldAndSay(run, model);
        ScheduleOutcome outcome;
        ActivationQuantizer activations(model, options.activations);
        calibrateAndSay(run, model, options.calibrationBatches, options.calibrationBatchSize);
        {
            // Accuracy right after quantizing, before any training: post-training quantization
            // on the same grids, the gap quantization-aware training is there to close.
            std::vector<torch::Tensor> latent;
            for (const auto& layer : model.prunableLayers())
                latent.push_back(layer.weight.detach().clone());
            activations.setMode(ActivationMode::Quantize);
            quantizeWeights(model, options.qat.weights);
            outcome.prunedTestAccuracy = run.test(model).accuracy;
            run.observer.onLog("before quantization-aware training (" + gridText(options.qat.weights)
                               + "): test accuracy " + percent(outcome.prunedTestAccuracy));
            torch::NoGradGuard noGrad;
            for (size_t i = 0; i < latent.size(); ++i)
                model.prunableLayers()[i].weight.copy_(latent[i]);
            activations.setMode(ActivationMode::Observe);
        }
        QuantizationAwareTraining controller(model, activations, options.qat);
        MaskSet masks;
        run.trainControlled(model, run.config.fineTuning, "qat", controller, masks, 1);
        activations.setMode(ActivationMode::Quantize);
        PruningStep step = stepOf(1, model, masks);
        outcome.final = run.reportFinal(model, step);
        outcome.storedBytes = quantizedBytes(model, controller.weightGrids(), options.qat.weights.scheme.bits);
        outcome.deployed = start.model;
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makePostTrainingQuantizationDriver()
{
    return std::make_unique<PostTrainingQuantizationDriver>();
}

std::unique_ptr<ScheduleDriver> makeQuantizationAwareTrainingDriver()
{
    return std::make_unique<QuantizationAwareTrainingDriver>();
}

}  // namespace prunescope
