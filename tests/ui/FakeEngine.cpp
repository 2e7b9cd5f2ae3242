#include "FakeEngine.h"

#include "core/RunCancelled.h"

#include <cmath>
#include <numeric>
#include <stdexcept>

namespace prunescope::testsupport {

ExperimentExecutor FakeEngine::executor()
{
    return [this](const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                  const std::string& /*modelFile: the fake writes no network*/) {
        return execute(config, observer, cancel);
    };
}

void FakeEngine::addLayer(PruningStep& step, const std::string& name, std::vector<int64_t> shape, double sparsity)
{
    LayerStats layer;
    layer.name = name;
    layer.kind = shape.size() == 4 ? "conv" : "linear";
    layer.shape = shape;
    layer.parameters = std::accumulate(shape.begin(), shape.end(), int64_t(1), std::multiplies<>());
    MaskSnapshot mask{name, shape, std::vector<uint8_t>(size_t((layer.parameters + 7) / 8), 0)};
    // Every hundred weights, the first `sparsity` hundredths are pruned: spread over the layer.
    const int64_t prunedPerHundred = std::llround(sparsity * 100);
    for (int64_t i = 0; i < layer.parameters; ++i)
        if (i % 100 >= prunedPerHundred) {
            mask.bits[size_t(i / 8)] |= uint8_t(1u << (i % 8));
            ++layer.nonzeros;
        }
    layer.channels = shape[0];
    layer.channelsKept = shape[0];
    layer.denseMacs = double(layer.parameters);
    layer.effectiveMacs = layer.denseMacs * layer.density();
    step.layers.push_back(layer);
    if (sparsity > 0)
        step.masks.push_back(std::move(mask));
}

FakeRun FakeEngine::typicalRun(const ExperimentConfig& config)
{
    FakeRun run;
    const auto given = config.methodParams.find("sparsity");
    const double sparsity = given != config.methodParams.end() && std::holds_alternative<double>(given->second)
        ? std::get<double>(given->second)
        : 0.9;
    const auto epoch = [](const char* phase, int number) {
        EpochMetrics m;
        m.phase = phase;
        m.epoch = number;
        m.learningRate = 0.05;
        m.trainLoss = 1.0 / (number + 1);
        m.trainAccuracy = 0.7 + 0.01 * number;
        m.validationLoss = 1.1 / (number + 1);
        m.validationAccuracy = 0.68 + 0.01 * number;
        return m;
    };
    for (int e = 1; e <= config.denseTraining.epochs; ++e)
        run.epochs.push_back(epoch("dense", e));
    for (int e = 1; e <= config.fineTuning.epochs; ++e)
        run.epochs.push_back(epoch("finetune", e));
    for (int number : {0, 1}) {
        PruningStep step;
        step.step = number;
        const double stepSparsity = number == 0 ? 0.0 : sparsity;
        addLayer(step, "fc1", {300, 784}, stepSparsity);
        addLayer(step, "fc2", {100, 300}, stepSparsity);
        addLayer(step, "fc3", {10, 100}, stepSparsity);
        step.metrics = {{"test_accuracy", number == 0 ? 0.85 : 0.84}, {"test_loss", 0.4}};
        run.steps.push_back(step);
    }
    run.logLines = {"dense test accuracy 85.00 %"};

    RunSummary& s = run.summary;
    s.denseTestAccuracy = 0.85;
    s.prunedTestAccuracy = 0.80;
    s.testAccuracy = 0.84;
    for (const LayerStats& layer : run.steps.back().layers) {
        s.prunableParameters += layer.parameters;
        s.prunableNonzeros += layer.nonzeros;
        s.denseMacs += layer.denseMacs;
        s.effectiveMacs += layer.effectiveMacs;
    }
    s.parameters = s.prunableParameters;
    s.nonzeros = s.prunableNonzeros;
    s.sparsity = 1.0 - double(s.prunableNonzeros) / double(s.prunableParameters);
    s.compressionRatio = double(s.parameters) / double(std::max<int64_t>(1, s.nonzeros));
    s.theoreticalSpeedup = s.denseMacs / std::max(1.0, s.effectiveMacs);
    s.denseBytes = 4 * s.parameters;
    s.sparseBytes = s.parameters / 8 + 4 * s.nonzeros;
    s.durationSeconds = 0.01;
    return run;
}

RunSummary FakeEngine::execute(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel)
{
    ++m_runs;
    const FakeRun run = script ? script(config) : typicalRun(config);
    const double units = double(run.epochs.size() + 2);
    double done = 0;
    const auto progress = [&](RunStage stage, const std::string& message) {
        ProgressEvent event;
        event.stage = stage;
        event.overallFraction = std::max(0.01, done / units);
        event.stageFraction = 0;
        event.etaSeconds = 1;
        event.message = message;
        observer.onProgress(event);
        // As the engine does between batches.
        if (cancel.load())
            throw RunCancelled();
    };

    progress(RunStage::Loading, "loading data");
    if (run.holdUntilCancelled) {
        cancel.wait(false);  // the controller notifies the flag when it sets it
        throw RunCancelled();
    }
    ++done;
    for (const std::string& line : run.logLines)
        observer.onLog(line);
    size_t next = 0;
    for (; next < run.epochs.size() && run.epochs[next].phase == "dense"; ++next, ++done) {
        progress(RunStage::DenseTraining, "dense training, epoch " + std::to_string(run.epochs[next].epoch));
        observer.onEpoch(run.epochs[next]);
    }
    progress(RunStage::Pruning, "pruning");
    for (const PruningStep& step : run.steps)
        observer.onPruningStep(step);
    ++done;
    for (; next < run.epochs.size(); ++next, ++done) {
        progress(RunStage::FineTuning, run.epochs[next].phase + ", epoch " + std::to_string(run.epochs[next].epoch));
        observer.onEpoch(run.epochs[next]);
    }
    if (!run.failure.empty())
        throw std::runtime_error(run.failure);
    ProgressEvent finished;
    finished.stage = RunStage::Done;
    finished.overallFraction = 1.0;
    finished.stageFraction = 1.0;
    finished.etaSeconds = 0;
    finished.message = "done";
    observer.onProgress(finished);
    return run.summary;
}

}  // namespace prunescope::testsupport
