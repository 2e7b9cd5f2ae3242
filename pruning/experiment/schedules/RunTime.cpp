// Run-time pruning: gates that choose channels per input are attached to the trained network,
// trained with the fine-tuning recipe, then evaluated at several densities while they count the
// MACs each test input really executes.
#include "core/RunCancelled.h"
#include "experiment/ScheduleDriver.h"
#include "metrics/ModelMetrics.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace prunescope {
namespace {

struct GatedEvaluation {
    double loss = 0, accuracy = 0;
    double macsMean = 0, macsP10 = 0, macsP50 = 0, macsP90 = 0;
};

// Test accuracy with the gates on, and the distribution of the MACs each input executed.
GatedEvaluation evaluateGated(ModelBase& model, RunTimeGate& gate, const TensorDataset& data,
                              const std::atomic<bool>& cancel)
{
    torch::NoGradGuard noGrad;
    model.eval();
    BatchIterator batches(data, 500, /*shuffle=*/false, seededGenerator(0));
    torch::Tensor images, labels;
    double lossSum = 0;
    int64_t correct = 0;
    std::vector<double> macs;
    while (batches.next(images, labels)) {
        if (cancel.load(std::memory_order_relaxed))
            throw RunCancelled();
        const torch::Tensor logits = model.forward(images);
        lossSum += torch::nn::functional::cross_entropy(
                       logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
        const std::vector<double> batch = gate.lastExecutedMacs();
        macs.insert(macs.end(), batch.begin(), batch.end());
    }
    GatedEvaluation result;
    const double n = double(std::max<int64_t>(data.size(), 1));
    result.loss = lossSum / n;
    result.accuracy = double(correct) / n;
    if (!macs.empty()) {
        std::sort(macs.begin(), macs.end());
        double sum = 0;
        for (double m : macs)
            sum += m;
        result.macsMean = sum / double(macs.size());
        auto at = [&](double q) { return macs[size_t(std::lround(q * double(macs.size() - 1)))]; };
        result.macsP10 = at(0.1);
        result.macsP50 = at(0.5);
        result.macsP90 = at(0.9);
    }
    return result;
}

class RunTimeDriver final : public ScheduleDriver {
public:
    double trainingUnits(const ExperimentConfig& config, const PruningMethod&, const ParamMap&) const override
    {
        return config.fineTuning.epochs;
    }
    bool measuresLatency() const override { return false; }

    ScheduleOutcome run(const RunContext& run, const ScheduleStart& start) const override
    {
        ModelBase& model = *start.model;
        RunObserver& observer = run.observer;
        const TensorDataset& test = run.data.test;
        run.progress.finishStage(kSmallStageUnits);
        const std::unique_ptr<RunTimeGate> gate = run.askMethod(
            model, [](PruningMethod& m, const PruningContext& context) { return m.runTimeGate(context); });
        if (!gate)
            throw std::logic_error("method '" + run.config.method + "' prunes at run time but has no gate");
        ScheduleOutcome outcome;
        outcome.deployed = start.model;
        const double target = gate->targetDensity();
        outcome.prunedTestAccuracy = evaluateGated(model, *gate, test, run.cancel).accuracy;
        observer.onLog("gates attached (untrained) at density " + percent(target) + ": test accuracy "
                       + percent(outcome.prunedTestAccuracy));
        MaskSet none;
        run.trainControlled(model, run.config.fineTuning, "gates", *gate, none, 1);
        // Accuracy and the MACs each test input really executes, at every density asked for.
        int number = 1;
        const std::vector<LayerStats> layers = measureLayers(model, MaskSet{});
        for (const double density : gate->evaluationDensities()) {
            gate->setDensity(density);
            const GatedEvaluation result = evaluateGated(model, *gate, test, run.cancel);
            PruningStep step{number++, layers, {}, {}};
            step.metrics
                = {{"density", density},           {"test_accuracy", result.accuracy}, {"test_loss", result.loss},
                   {"macs_mean", result.macsMean}, {"macs_p10", result.macsP10},       {"macs_p50", result.macsP50},
                   {"macs_p90", result.macsP90}};
            observer.onPruningStep(step);
            observer.onLog("density " + percent(density) + ": test accuracy " + percent(result.accuracy)
                           + ", executed MACs per input " + std::to_string(int64_t(result.macsMean)) + " (p10 "
                           + std::to_string(int64_t(result.macsP10)) + ", p90 "
                           + std::to_string(int64_t(result.macsP90)) + ")");
        }
        gate->setDensity(target);
        const GatedEvaluation atTarget = evaluateGated(model, *gate, test, run.cancel);
        outcome.final = {atTarget.loss, atTarget.accuracy};
        outcome.executedMacs = atTarget.macsMean;
        outcome.latencyApplies = false;
        observer.onLog("the stored network is the backbone; the gates' predictors live only in this run, and "
                       "latency is not measured (the executed network changes with every input)");
        return outcome;
    }
};

}  // namespace

std::unique_ptr<ScheduleDriver> makeRunTimeDriver()
{
    return std::make_unique<RunTimeDriver>();
}

}  // namespace prunescope
