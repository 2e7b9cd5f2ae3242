#include "experiment/Runner.h"

#include "data/Dataset.h"
#include "methods/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "metrics/ModelMetrics.h"
#include "models/Models.h"
#include "train/DenseCache.h"
#include "train/Trainer.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

namespace prunescope {
namespace {

using Clock = std::chrono::steady_clock;

// Turns stage-local fractions into one overall fraction and an ETA. Work is counted in "units":
// one training epoch is one unit; loading, pruning and evaluation are small fixed amounts.
class ProgressTracker {
public:
    ProgressTracker(RunObserver& observer, double totalUnits) : m_observer(observer), m_total(totalUnits) {}

    void setTotal(double totalUnits) { m_total = totalUnits; }

    void report(RunStage stage, double stageFraction, double stageUnits, const std::string& message)
    {
        const double done = m_finishedUnits + stageFraction * stageUnits;
        ProgressEvent event;
        event.stage = stage;
        event.stageFraction = stageFraction;
        event.overallFraction = m_total > 0 ? std::min(1.0, done / m_total) : 0.0;
        const double elapsed = std::chrono::duration<double>(Clock::now() - m_start).count();
        // Estimate from the measured rate once a little work is done; earlier guesses mislead.
        if (done > 0.05 && elapsed > 0.5)
            event.etaSeconds = elapsed / done * std::max(0.0, m_total - done);
        event.message = message;
        m_observer.onProgress(event);
    }

    void finishStage(double stageUnits) { m_finishedUnits += stageUnits; }

private:
    RunObserver& m_observer;
    double m_total;
    double m_finishedUnits = 0;
    Clock::time_point m_start = Clock::now();
};

constexpr double kSmallStageUnits = 0.05;

std::string percent(double fraction)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(2);
    out << fraction * 100.0 << " %";
    return out.str();
}

}  // namespace

void validateExperiment(const ExperimentConfig& config)
{
    createModel(config.model);  // throws for an unknown model
    resolveParams(methodInfo(config.method), config.methodParams);
    validateRecipe(config.denseTraining, "dense_training", /*allowZeroEpochs=*/false);
    validateRecipe(config.fineTuning, "fine_tuning", /*allowZeroEpochs=*/true);
    if (config.threads < 0 || config.threads > 256)
        throw std::invalid_argument("threads: " + std::to_string(config.threads) + " is outside [0, 256]");
    if (config.dataset.trainLimit < 0 || config.dataset.testLimit < 0)
        throw std::invalid_argument("dataset.train_limit and dataset.test_limit must be 0 (all) or positive");
    if (!std::filesystem::is_directory(config.dataset.directory))
        throw std::invalid_argument("dataset.directory: '" + config.dataset.directory +
                                    "' is not a directory (on Debian, Fashion-MNIST comes with the "
                                    "package dataset-fashion-mnist)");
}

std::string engineVersions()
{
    std::ostringstream out;
    out << "prunescope " << PRUNESCOPE_VERSION << "; libtorch " << TORCH_VERSION_MAJOR << "."
        << TORCH_VERSION_MINOR << "." << TORCH_VERSION_PATCH;
    return out.str();
}

RunSummary runExperiment(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel)
{
    const auto started = Clock::now();
    validateExperiment(config);
    const MethodInfo& method = methodInfo(config.method);
    const ParamMap params = resolveParams(method, config.methodParams);

    // All cores for intra-op parallelism unless the config pins a count (reproducibility of
    // float reductions depends on it, so the count is part of the config).
    const int threads = config.threads > 0 ? config.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);

    auto checkCancel = [&] {
        if (cancel.load(std::memory_order_relaxed))
            throw RunCancelled();
    };

    ProgressTracker progress(observer, kSmallStageUnits * 4 + config.denseTraining.epochs + config.fineTuning.epochs);
    progress.report(RunStage::Loading, 0, kSmallStageUnits, "loading " + config.dataset.directory);
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    observer.onLog("data: " + std::to_string(data.train.size()) + " train, " +
                   std::to_string(data.validation.size()) + " validation, " + std::to_string(data.test.size()) +
                   " test samples (fingerprint " + data.fingerprint + ")");
    progress.finishStage(kSmallStageUnits);
    checkCancel();

    torch::manual_seed(config.seed);
    std::shared_ptr<ModelBase> model = createModel(config.model);

    // Dense model: from the cache when this exact model, data, recipe and seed were trained before.
    DenseCache cache(config.cacheDirectory);
    const std::string cacheKey = DenseCache::key(config, data.fingerprint);
    std::vector<EpochMetrics> denseHistory;
    RunSummary summary;
    std::string cacheProblem;
    if (config.useDenseCache && cache.load(cacheKey, *model, denseHistory, cacheProblem)) {
        summary.denseFromCache = true;
        observer.onLog("dense model from cache " + cache.checkpointPath(cacheKey));
        for (const auto& metrics : denseHistory)
            observer.onEpoch(metrics);
        progress.setTotal(kSmallStageUnits * 4 + config.fineTuning.epochs);
    } else {
        if (!cacheProblem.empty())
            observer.onLog(cacheProblem);
        const double units = config.denseTraining.epochs;
        TrainHooks hooks;
        hooks.cancel = &cancel;
        hooks.onBatch = [&](double fraction) {
            const int epoch = std::min(config.denseTraining.epochs, int(fraction * config.denseTraining.epochs) + 1);
            progress.report(RunStage::DenseTraining, fraction, units,
                            "dense training, epoch " + std::to_string(epoch) + "/" +
                                std::to_string(config.denseTraining.epochs));
        };
        hooks.onEpoch = [&](const EpochMetrics& metrics) { observer.onEpoch(metrics); };
        denseHistory = trainModel(*model, data, config.denseTraining, "dense", config.seed, hooks);
        progress.finishStage(units);
        if (config.useDenseCache) {
            try {
                cache.store(cacheKey, *model, denseHistory);
            } catch (const std::exception& e) {
                observer.onLog(std::string("could not cache the dense model: ") + e.what());
            }
        }
    }
    checkCancel();

    progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the dense model");
    const Evaluation dense = evaluateModel(*model, data.test, 1000, &cancel);
    summary.denseTestAccuracy = dense.accuracy;
    summary.denseTestLoss = dense.loss;
    observer.onLog("dense test accuracy " + percent(dense.accuracy));
    observer.onPruningStep({0, measureLayers(*model, MaskSet{}), {}});
    progress.finishStage(kSmallStageUnits);

    // Prune.
    progress.report(RunStage::Pruning, 0, kSmallStageUnits, "pruning: " + method.card.title);
    MaskSet masks;
    {
        const PruningContext context{*model, params, data, config.seed};
        const MaskSet computed = createPruningMethod(config.method)->computeMasks(context);
        for (const auto& [layer, mask] : computed.masks())
            masks.compose(layer, mask);
    }
    masks.applyToWeights(*model);
    PruningStep step{1, measureLayers(*model, masks), {}};
    for (const auto& [layer, mask] : masks.masks())
        step.masks.push_back(masks.snapshot(layer));
    for (const auto& layer : step.layers) {
        if (layer.pruned && layer.nonzeros == 0)
            observer.onLog("warning: layer " + layer.name + " was pruned to nothing (layer collapse); "
                           "the network cannot pass signal through it");
    }
    observer.onPruningStep(step);
    const Evaluation pruned = evaluateModel(*model, data.test, 1000, &cancel);
    summary.prunedTestAccuracy = pruned.accuracy;
    observer.onLog("after pruning, before fine-tuning: test accuracy " + percent(pruned.accuracy));
    progress.finishStage(kSmallStageUnits);
    checkCancel();

    // Fine-tune with the masks held fixed.
    if (config.fineTuning.epochs > 0) {
        const double units = config.fineTuning.epochs;
        TrainHooks hooks;
        hooks.cancel = &cancel;
        hooks.masks = &masks;
        hooks.onBatch = [&](double fraction) {
            const int epoch = std::min(config.fineTuning.epochs, int(fraction * config.fineTuning.epochs) + 1);
            progress.report(RunStage::FineTuning, fraction, units,
                            "fine-tuning, epoch " + std::to_string(epoch) + "/" +
                                std::to_string(config.fineTuning.epochs));
        };
        hooks.onEpoch = [&](const EpochMetrics& metrics) { observer.onEpoch(metrics); };
        trainModel(*model, data, config.fineTuning, "finetune", config.seed, hooks);
        progress.finishStage(units);
    }

    progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the pruned model");
    const Evaluation final = evaluateModel(*model, data.test, 1000, &cancel);
    summary.testAccuracy = final.accuracy;
    summary.testLoss = final.loss;
    progress.finishStage(kSmallStageUnits);

    progress.report(RunStage::Measuring, 0, kSmallStageUnits, "measuring size and MACs");
    measureModel(*model, masks, summary);
    summary.durationSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    progress.finishStage(kSmallStageUnits);
    progress.report(RunStage::Done, 1, 0, "done");
    return summary;
}

}  // namespace prunescope
