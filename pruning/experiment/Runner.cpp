#include "experiment/Runner.h"

#include "data/Dataset.h"
#include "export/InferenceModule.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "metrics/ModelMetrics.h"
#include "models/Models.h"
#include "models/ScriptedModel.h"
#include "train/DenseCache.h"
#include "train/Trainer.h"

#include <chrono>
#include <filesystem>
#include <optional>
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
    const std::shared_ptr<ModelBase> model = createModel(config.model);  // throws for an unknown model
    const MethodInfo& method = methodInfo(config.method);
    if (method.taxonomy.speedup == "structured" && !model->declaresLayerGraph())
        throw std::invalid_argument("method " + config.method + " on " + modelDisplayName(config.model) + ": " +
                                    kStructuredNeedsZooModel);
    const ParamMap params = resolveParams(method, config.methodParams);
    createPruningMethod(config.method)->checkApplicable(*model, params);
    validateRecipe(config.denseTraining, "dense_training", /*allowZeroEpochs=*/false);
    validateRecipe(config.fineTuning, "fine_tuning", /*allowZeroEpochs=*/true);
    if (config.latencyRepeats < 0 || config.latencyRepeats > 10000)
        throw std::invalid_argument("latency_repeats: " + std::to_string(config.latencyRepeats) +
                                    " is outside [0, 10000]");
    if (config.bnRecalibrationBatches < 0 || config.bnRecalibrationBatches > 10000)
        throw std::invalid_argument("bn_recalibration_batches: " + std::to_string(config.bnRecalibrationBatches) +
                                    " is outside [0, 10000]");
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

namespace {

PruningStep stepOf(int number, const ModelBase& model, const MaskSet& masks)
{
    PruningStep step{number, measureLayers(model, masks), {}, {}};
    for (const auto& [layer, mask] : masks.masks())
        step.masks.push_back(masks.snapshot(layer));
    return step;
}

// Everything one run shares between its stages.
struct RunContext {
    const ExperimentConfig& config;
    RunObserver& observer;
    const std::atomic<bool>& cancel;
    ProgressTracker& progress;
    const DataSplits& data;

    void checkCancel() const
    {
        if (cancel.load(std::memory_order_relaxed))
            throw RunCancelled();
    }

    // After a one-shot pruning step: the statistics the config asks for, and a line saying so.
    void recalibrateBatchNorm(ModelBase& model) const
    {
        const int batches = config.bnRecalibrationBatches;
        const int norms = prunescope::recalibrateBatchNorm(model, data.train, batches, config.fineTuning.batchSize,
                                                           config.seed, &cancel);
        if (norms > 0)
            observer.onLog("BatchNorm statistics of " + std::to_string(norms) + " layers re-estimated on " +
                           std::to_string(batches) + " training batches");
    }

    // Trains with progress reported as `stage`; epoch metrics go to the observer unless quiet.
    std::vector<EpochMetrics> train(ModelBase& model, const TrainRecipe& recipe, const std::string& phase,
                                    RunStage stage, const MaskSet* masks, bool quiet = false,
                                    int stopAfterEpochs = 0) const
    {
        const int epochs = stopAfterEpochs > 0 ? std::min(stopAfterEpochs, recipe.epochs) : recipe.epochs;
        TrainHooks hooks;
        hooks.cancel = &cancel;
        hooks.masks = masks;
        hooks.stopAfterEpochs = stopAfterEpochs;
        hooks.onBatch = [&](double fraction) {
            const int epoch = std::min(epochs, int(fraction * epochs) + 1);
            progress.report(stage, fraction, epochs,
                            phase + ", epoch " + std::to_string(epoch) + "/" + std::to_string(epochs));
        };
        if (!quiet)
            hooks.onEpoch = [&](const EpochMetrics& metrics) { observer.onEpoch(metrics); };
        auto history = trainModel(model, data, recipe, phase, config.seed, hooks);
        progress.finishStage(epochs);
        return history;
    }

    // Trains under a method's controller, which moves `masks`; reports each epoch's masks as a
    // pruning step (numbered from firstStep) so the mask inspector can replay them.
    std::vector<EpochMetrics> trainControlled(ModelBase& model, const TrainRecipe& recipe, const std::string& phase,
                                              TrainingController& controller, MaskSet& masks, int firstStep) const
    {
        TrainHooks hooks;
        hooks.cancel = &cancel;
        hooks.controller = &controller;
        hooks.controlledMasks = &masks;
        hooks.onBatch = [&](double fraction) {
            const int epoch = std::min(recipe.epochs, int(fraction * recipe.epochs) + 1);
            progress.report(RunStage::Pruning, fraction, recipe.epochs,
                            phase + ", epoch " + std::to_string(epoch) + "/" + std::to_string(recipe.epochs));
        };
        hooks.onEpoch = [&](const EpochMetrics& metrics) {
            observer.onEpoch(metrics);
            if (masks.empty())
                return;
            PruningStep step = stepOf(firstStep + metrics.epoch - 1, model, masks);
            step.metrics = {{"validation_accuracy", metrics.validationAccuracy}, {"epoch", double(metrics.epoch)}};
            observer.onPruningStep(step);
        };
        auto history = trainModel(model, data, recipe, phase, config.seed, hooks);
        progress.finishStage(recipe.epochs);
        return history;
    }

    Evaluation test(ModelBase& model) const { return evaluateModel(model, data.test, 1000, &cancel); }
};

void warnAboutCollapse(const PruningStep& step, RunObserver& observer)
{
    for (const auto& layer : step.layers) {
        if (layer.pruned && layer.nonzeros == 0)
            observer.onLog("warning: layer " + layer.name + " was pruned to nothing (layer collapse); "
                           "the network cannot pass signal through it");
    }
}

MaskSet computeMasks(PruningMethod& method, ModelBase& model, const ParamMap& params, const RunContext& run,
                     const MaskSet* current, int round)
{
    std::vector<std::string> notes;
    const PruningContext context{model, params, run.data, run.config.seed, current, round, &notes};
    MaskSet computed = method.computeMasks(context);
    for (const auto& note : notes)
        run.observer.onLog(note);
    MaskSet masks;
    if (current) {
        for (const auto& [layer, mask] : current->masks())
            masks.compose(layer, mask);
    }
    for (const auto& [layer, mask] : computed.masks())
        masks.compose(layer, mask);
    return masks;
}

std::optional<ChannelSelection> selectChannels(PruningMethod& method, ModelBase& model, const ParamMap& params,
                                               const RunContext& run)
{
    std::vector<std::string> notes;
    const PruningContext context{model, params, run.data, run.config.seed, nullptr, 1, &notes};
    auto selection = method.selectChannels(context);
    for (const auto& note : notes)
        run.observer.onLog(note);
    return selection;
}

std::string widthsText(const ModelBase& before, const ModelBase& after)
{
    std::string text;
    const ModelWidths old = before.widths(), now = after.widths();
    for (const auto& layer : before.prunableLayers()) {
        if (old.at(layer.name) != now.at(layer.name))
            text += (text.empty() ? "" : ", ") + layer.name + " " + std::to_string(old.at(layer.name)) + "→" +
                    std::to_string(now.at(layer.name));
    }
    return text.empty() ? "no channel removed" : text;
}

// Dense and pruned latency at batch 1 and 64, each on its fastest deployment path, timed in
// alternation so that their ratio is measured under the same machine conditions.
void measureLatencies(const ModelBase& dense, const ModelBase& pruned, int repeats, RunSummary& summary)
{
    for (int batch : {1, 64}) {
        const std::vector<BestLatency> best = measureFastestInterleaved({&dense, &pruned}, batch, repeats);
        for (size_t i = 0; i < best.size(); ++i) {
            summary.latency.push_back({i == 0 ? "dense" : "pruned", batch, best[i].stats.medianMs,
                                       best[i].stats.p10Ms, best[i].stats.p90Ms, best[i].stats.repeats,
                                       deploymentPathName(best[i].path)});
        }
    }
}

double trainingUnits(const ExperimentConfig& config, const PruningMethod& method, const ParamMap& params,
                     PruningSchedule schedule, const IterativePlan& plan)
{
    switch (schedule) {
    case PruningSchedule::AfterTraining:
        return config.fineTuning.epochs;
    case PruningSchedule::PostTraining:
        return 0;
    case PruningSchedule::BeforeTraining:
        return config.denseTraining.epochs;
    case PruningSchedule::DuringTraining: {
        const DuringTrainingPlan during = method.duringTrainingPlan(params);
        return (during.epochs > 0 ? during.epochs
                                  : (during.fromTrained ? config.fineTuning : config.denseTraining).epochs) +
               config.fineTuning.epochs;
    }
    case PruningSchedule::RunTime:
        return config.fineTuning.epochs;
    case PruningSchedule::Iterative: {
        const int perRound = plan.trainWithDenseRecipe ? config.denseTraining.epochs : config.fineTuning.epochs;
        return plan.rounds * perRound * (plan.randomReinitControl ? 2 : 1) +
               (plan.reset == IterativePlan::Reset::Rewind ? plan.rewindEpoch : 0);
    }
    }
    return 0;
}

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

}  // namespace

RunSummary runExperiment(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                         const RunOutputs& outputs)
{
    const auto started = Clock::now();
    validateExperiment(config);
    const MethodInfo& info = methodInfo(config.method);
    const ParamMap params = resolveParams(info, config.methodParams);
    const std::unique_ptr<PruningMethod> method = createPruningMethod(config.method);
    const PruningSchedule schedule = method->schedule();
    const IterativePlan plan = method->iterativePlan(params);

    // All cores for intra-op parallelism unless the config pins a count (reproducibility of
    // float reductions depends on it, so the count is part of the config).
    const int threads = config.threads > 0 ? config.threads : int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);

    const double methodUnits = trainingUnits(config, *method, params, schedule, plan);
    ProgressTracker progress(observer, kSmallStageUnits * 4 + config.denseTraining.epochs + methodUnits);
    progress.report(RunStage::Loading, 0, kSmallStageUnits, "loading " + config.dataset.directory);
    const DataSplits data = loadDataSplits(config.dataset, config.seed);
    observer.onLog("data: " + std::to_string(data.train.size()) + " train, " +
                   std::to_string(data.validation.size()) + " validation, " + std::to_string(data.test.size()) +
                   " test samples (fingerprint " + data.fingerprint + ")");
    progress.finishStage(kSmallStageUnits);
    const RunContext run{config, observer, cancel, progress, data};
    run.checkCancel();

    torch::manual_seed(config.seed);
    std::shared_ptr<ModelBase> model = createModel(config.model);
    if (const auto* scripted = dynamic_cast<const ScriptedModel*>(model.get()))
        observer.onLog(scripted->description());
    // θ0, for methods that start from the initialisation (PBT) or return to it (LTH).
    std::shared_ptr<ModelBase> initial = createModel(config.model);
    copyModelState(*initial, *model);

    // The dense model: the reference every pruned result is compared with. From the cache when
    // this exact model, data, recipe and seed were trained before.
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
        progress.setTotal(kSmallStageUnits * 4 + methodUnits);
    } else {
        if (!cacheProblem.empty())
            observer.onLog(cacheProblem);
        denseHistory = run.train(*model, config.denseTraining, "dense", RunStage::DenseTraining, nullptr);
        if (config.useDenseCache) {
            try {
                cache.store(cacheKey, *model, denseHistory);
            } catch (const std::exception& e) {
                observer.onLog(std::string("could not cache the dense model: ") + e.what());
            }
        }
    }
    run.checkCancel();

    // The reference for latency: the dense network as trained.
    std::shared_ptr<ModelBase> denseModel = createModel(config.model);
    copyModelState(*denseModel, *model);
    // The network a user would deploy: the masked model, or the thinner one structured methods build.
    std::shared_ptr<ModelBase> deployed = model;

    progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the dense model");
    const Evaluation dense = run.test(*model);
    summary.denseTestAccuracy = dense.accuracy;
    summary.denseTestLoss = dense.loss;
    observer.onLog("dense test accuracy " + percent(dense.accuracy));
    PruningStep denseStep = stepOf(0, *model, MaskSet{});
    denseStep.metrics = {{"test_accuracy", dense.accuracy}, {"test_loss", dense.loss}};
    observer.onPruningStep(denseStep);
    progress.finishStage(kSmallStageUnits);

    progress.report(RunStage::Pruning, 0, kSmallStageUnits, "pruning: " + info.card.title);
    MaskSet masks;
    Evaluation final;
    double runTimeMacs = 0;  // run-time pruning: mean MACs executed per input at the target density
    switch (schedule) {
    case PruningSchedule::AfterTraining:
    case PruningSchedule::PostTraining: {
        const std::optional<ChannelSelection> selection =
            schedule == PruningSchedule::AfterTraining ? selectChannels(*method, *model, params, run) : std::nullopt;
        const std::vector<ChannelGroup> groups = selection ? channelGroups(*model) : std::vector<ChannelGroup>{};
        masks = selection ? channelMasks(*model, groups, *selection)
                          : computeMasks(*method, *model, params, run, nullptr, 1);
        masks.applyToWeights(*model);
        PruningStep step = stepOf(1, *model, masks);
        warnAboutCollapse(step, observer);
        run.recalibrateBatchNorm(*model);
        const Evaluation pruned = run.test(*model);
        summary.prunedTestAccuracy = pruned.accuracy;
        observer.onLog("after pruning, before fine-tuning: test accuracy " + percent(pruned.accuracy));
        if (selection) {
            // The masked network computes what the thinner one does; from here on the thinner
            // one is trained, evaluated, timed and saved.
            deployed = removeChannels(*model, groups, *selection);
            summary.structured = true;
            observer.onLog("channels removed: " + widthsText(*model, *deployed));
        }
        progress.finishStage(kSmallStageUnits);
        run.checkCancel();
        if (schedule == PruningSchedule::PostTraining)
            observer.onLog("post-training method: no fine-tuning (the point is to prune without retraining)");
        else if (config.fineTuning.epochs > 0)
            run.train(*deployed, config.fineTuning, "finetune", RunStage::FineTuning, selection ? nullptr : &masks);
        final = run.test(*deployed);
        step.metrics = {{"test_accuracy", final.accuracy}, {"test_loss", final.loss}};
        observer.onPruningStep(step);
        break;
    }
    case PruningSchedule::BeforeTraining: {
        // Score the initialised network, then train the sparse one from θ0 with the dense recipe.
        copyModelState(*model, *initial);
        masks = computeMasks(*method, *model, params, run, nullptr, 1);
        copyModelState(*model, *initial);  // scoring must not leave traces (e.g. BN statistics)
        masks.applyToWeights(*model);
        PruningStep step = stepOf(1, *model, masks);
        warnAboutCollapse(step, observer);
        summary.prunedTestAccuracy = run.test(*model).accuracy;
        progress.finishStage(kSmallStageUnits);
        run.checkCancel();
        observer.onLog("training the sparse network from its initialisation (fine-tuning does not apply)");
        run.train(*model, config.denseTraining, "sparse", RunStage::FineTuning, &masks);
        final = run.test(*model);
        step.metrics = {{"test_accuracy", final.accuracy}, {"test_loss", final.loss}};
        observer.onPruningStep(step);
        break;
    }
    case PruningSchedule::DuringTraining: {
        progress.finishStage(kSmallStageUnits);
        const DuringTrainingPlan during = method->duringTrainingPlan(params);
        if (!during.fromTrained)
            copyModelState(*model, *initial);  // the same θ0 as the dense reference
        std::vector<std::string> notes;
        const PruningContext context{*model, params, data, config.seed, nullptr, 1, &notes};
        const std::unique_ptr<TrainingController> controller = method->trainingController(context);
        for (const auto& note : notes)
            observer.onLog(note);
        if (!controller)
            throw std::logic_error("method '" + config.method + "' prunes during training but has no controller");
        TrainRecipe recipe = during.fromTrained ? config.fineTuning : config.denseTraining;
        if (during.epochs > 0)
            recipe.epochs = during.epochs;
        MaskSet moving;
        const auto history = run.trainControlled(*model, recipe, during.phase, *controller, moving, 1);
        if (int(history.size()) < recipe.epochs)
            observer.onLog(during.phase + " training stopped after epoch " + std::to_string(history.size()) + " of " +
                           std::to_string(recipe.epochs));
        run.checkCancel();
        // Structured methods now choose channels on the trained, regularised network.
        const std::optional<ChannelSelection> selection = selectChannels(*method, *model, params, run);
        const std::vector<ChannelGroup> groups = selection ? channelGroups(*model) : std::vector<ChannelGroup>{};
        masks = selection ? channelMasks(*model, groups, *selection) : moving;
        masks.applyToWeights(*model);
        PruningStep step = stepOf(int(moving.empty() ? 1 : history.size() + 1), *model, masks);
        warnAboutCollapse(step, observer);
        summary.prunedTestAccuracy = run.test(*model).accuracy;
        observer.onLog("after " + during.phase + " training: test accuracy " + percent(summary.prunedTestAccuracy));
        if (selection) {
            deployed = removeChannels(*model, groups, *selection);
            summary.structured = true;
            observer.onLog("channels removed: " + widthsText(*model, *deployed));
        }
        if (config.fineTuning.epochs > 0)
            run.train(*deployed, config.fineTuning, "finetune", RunStage::FineTuning, selection ? nullptr : &masks);
        final = run.test(*deployed);
        step.metrics = {{"test_accuracy", final.accuracy}, {"test_loss", final.loss}};
        observer.onPruningStep(step);
        break;
    }
    case PruningSchedule::RunTime: {
        progress.finishStage(kSmallStageUnits);
        std::vector<std::string> notes;
        const PruningContext context{*model, params, data, config.seed, nullptr, 1, &notes};
        const std::unique_ptr<RunTimeGate> gate = method->runTimeGate(context);
        for (const auto& note : notes)
            observer.onLog(note);
        if (!gate)
            throw std::logic_error("method '" + config.method + "' prunes at run time but has no gate");
        const double target = gate->targetDensity();
        summary.prunedTestAccuracy = evaluateGated(*model, *gate, data.test, cancel).accuracy;
        observer.onLog("gates attached (untrained) at density " + percent(target) + ": test accuracy " +
                       percent(summary.prunedTestAccuracy));
        MaskSet none;
        run.trainControlled(*model, config.fineTuning, "gates", *gate, none, 1);
        // Accuracy and the MACs each test input really executes, at every density asked for.
        int number = 1;
        const std::vector<LayerStats> layers = measureLayers(*model, MaskSet{});
        for (const double density : gate->evaluationDensities()) {
            gate->setDensity(density);
            const GatedEvaluation result = evaluateGated(*model, *gate, data.test, cancel);
            PruningStep step{number++, layers, {}, {}};
            step.metrics = {{"density", density},        {"test_accuracy", result.accuracy},
                            {"test_loss", result.loss},  {"macs_mean", result.macsMean},
                            {"macs_p10", result.macsP10}, {"macs_p50", result.macsP50},
                            {"macs_p90", result.macsP90}};
            observer.onPruningStep(step);
            observer.onLog("density " + percent(density) + ": test accuracy " + percent(result.accuracy) +
                           ", executed MACs per input " + std::to_string(int64_t(result.macsMean)) + " (p10 " +
                           std::to_string(int64_t(result.macsP10)) + ", p90 " + std::to_string(int64_t(result.macsP90)) +
                           ")");
        }
        gate->setDensity(target);
        const GatedEvaluation atTarget = evaluateGated(*model, *gate, data.test, cancel);
        final = {atTarget.loss, atTarget.accuracy};
        runTimeMacs = atTarget.macsMean;
        observer.onLog("the stored network is the backbone; the gates' predictors live only in this run, and "
                       "latency is not measured (the executed network changes with every input)");
        break;
    }
    case PruningSchedule::Iterative: {
        progress.finishStage(kSmallStageUnits);
        std::shared_ptr<ModelBase> resetState = initial;
        if (plan.reset == IterativePlan::Reset::Rewind && plan.rewindEpoch > 0) {
            // θk: the first k epochs of the dense run, replayed (training is deterministic).
            resetState = createModel(config.model);
            copyModelState(*resetState, *initial);
            run.train(*resetState, config.denseTraining, "rewind", RunStage::DenseTraining, nullptr, /*quiet=*/true,
                      plan.rewindEpoch);
        }
        const TrainRecipe& recipe = plan.trainWithDenseRecipe ? config.denseTraining : config.fineTuning;
        for (int round = 1; round <= plan.rounds; ++round) {
            masks = computeMasks(*method, *model, params, run, &masks, round);
            masks.applyToWeights(*model);
            summary.prunedTestAccuracy = run.test(*model).accuracy;
            if (plan.reset != IterativePlan::Reset::None) {
                copyModelState(*model, *resetState);
                masks.applyToWeights(*model);
            }
            const std::string phase = "round " + std::to_string(round);
            run.train(*model, recipe, phase, RunStage::FineTuning, &masks);
            final = run.test(*model);
            PruningStep step = stepOf(round, *model, masks);
            warnAboutCollapse(step, observer);
            step.metrics = {{"test_accuracy", final.accuracy}, {"test_loss", final.loss}};
            if (plan.randomReinitControl) {
                // The control: the same mask, a fresh random initialisation, the same training.
                torch::manual_seed(config.seed + 1000003ull * uint64_t(round));
                std::shared_ptr<ModelBase> control = createModel(config.model);
                run.train(*control, recipe, "control " + std::to_string(round), RunStage::FineTuning, &masks,
                          /*quiet=*/true);
                step.metrics["control_test_accuracy"] = run.test(*control).accuracy;
            }
            int64_t kept = 0, total = 0;
            for (const auto& layer : step.layers) {
                kept += layer.nonzeros;
                total += layer.parameters;
            }
            observer.onLog(phase + ": " + percent(double(kept) / double(std::max<int64_t>(total, 1))) +
                           " of the weights left, test accuracy " + percent(final.accuracy) +
                           (plan.randomReinitControl ? ", random re-init control " +
                                                           percent(step.metrics["control_test_accuracy"])
                                                     : std::string()));
            observer.onPruningStep(step);
            run.checkCancel();
        }
        break;
    }
    }

    progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the pruned model");
    summary.testAccuracy = final.accuracy;
    summary.testLoss = final.loss;
    progress.finishStage(kSmallStageUnits);

    progress.report(RunStage::Measuring, 0, kSmallStageUnits, "measuring size, MACs and latency");
    measureModel(*model, masks, summary);
    if (schedule == PruningSchedule::RunTime && runTimeMacs > 0) {
        summary.effectiveMacs = runTimeMacs;
        summary.theoreticalSpeedup = summary.denseMacs / runTimeMacs;
    }
    if (summary.structured) {
        // A thinner dense network: its own parameters are what is stored and shipped.
        torch::NoGradGuard noGrad;
        summary.nonzeros = 0;
        for (const auto& parameter : deployed->parameters())
            summary.nonzeros += parameter.count_nonzero().item<int64_t>();
        summary.compressionRatio = summary.nonzeros ? double(summary.parameters) / double(summary.nonzeros) : 0.0;
        summary.sparseBytes = 0;
        for (const auto& parameter : deployed->parameters())
            summary.sparseBytes += 4 * parameter.numel();
    }
    if (config.latencyRepeats > 0 && schedule != PruningSchedule::RunTime) {
        measureLatencies(*denseModel, *deployed, config.latencyRepeats, summary);
        observer.onLog("latency at batch 64: dense " + std::to_string(summary.latencyOf("dense", 64)->medianMs) +
                       " ms, pruned " + std::to_string(summary.latencyOf("pruned", 64)->medianMs) +
                       " ms (measured speedup " + std::to_string(summary.measuredSpeedup(64)) + "×, theoretical " +
                       std::to_string(summary.theoreticalSpeedup) + "×)");
    }
    if (!outputs.modelFile.empty()) {
        try {
            saveCheckpoint(*deployed, outputs.modelFile);
            summary.modelFile = outputs.modelFile;
        } catch (const std::exception& e) {
            observer.onLog(std::string("could not save the final network: ") + e.what());
        }
        try {
            // The "before" of the mask inspector's weight histogram.
            saveCheckpoint(*denseModel, denseCheckpointBeside(outputs.modelFile));
        } catch (const std::exception& e) {
            observer.onLog(std::string("could not save the dense network: ") + e.what());
        }
    }
    summary.durationSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    progress.finishStage(kSmallStageUnits);
    progress.report(RunStage::Done, 1, 0, "done");
    return summary;
}

std::vector<LatencyMeasurement> measureStoredLatency(const std::string& checkpoint, int repeats, int threads)
{
    if (repeats < 1)
        throw std::invalid_argument("latency repeats must be at least 1");
    torch::set_num_threads(threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency())));
    const std::shared_ptr<ModelBase> pruned = loadCheckpoint(checkpoint);
    torch::manual_seed(1);
    // A TorchScript model's architecture is in the checkpoint, not in an id (its file may be gone).
    const std::shared_ptr<ModelBase> dense =
        pruned->declaresLayerGraph() ? createModel(pruned->modelId()) : loadCheckpoint(checkpoint);
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
