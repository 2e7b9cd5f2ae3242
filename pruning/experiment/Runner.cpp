// The run's common head (data, model, θ0, dense phase, dense evaluation) and common tail
// (evaluation, size, MACs, latency, checkpoints); the schedule's driver runs in between.
#include "experiment/Runner.h"

#include "experiment/LibTorchVersion.h"

#include "core/MethodInfo.h"
#include "data/Dataset.h"
#include "experiment/ProgressTracker.h"
#include "experiment/RunContext.h"
#include "experiment/ScheduleDriver.h"
#include "experiment/StoredRun.h"
#include "export/InferenceModule.h"
#include "fusion/CompressedFile.h"
#include "methods/PruningMethod.h"
#include "metrics/ModelMetrics.h"
#include "models/Models.h"
#include "models/ScriptedModel.h"
#include "train/DenseCache.h"
#include "train/Trainer.h"

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

namespace prunescope {

std::string libtorchVersion()
{
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "."
        + std::to_string(TORCH_VERSION_PATCH);
}

std::string engineVersions()
{
    std::ostringstream out;
    out << "prunescope " << PRUNESCOPE_VERSION << "; libtorch " << TORCH_VERSION_MAJOR << "." << TORCH_VERSION_MINOR
        << "." << TORCH_VERSION_PATCH;
    return out.str();
}

namespace {

using Clock = std::chrono::steady_clock;

// All cores for intra-op parallelism unless the config pins a count (reproducibility of float
// reductions depends on it, so the count is part of the config). More threads than cores is
// allowed (the count reproduces a run made elsewhere) but said: OpenMP's threads then wait for
// each other's time slices, and a run was measured 20× slower with 64 threads on 2 cores.
void useThreads(const ExperimentConfig& config, RunObserver& observer)
{
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    const int threads = config.threads > 0 ? config.threads : cores;
    if (threads > cores)
        observer.onLog("warning: " + std::to_string(threads) + " threads asked for on a machine with "
                       + std::to_string(cores) + (cores == 1 ? " core" : " cores")
                       + ": they will wait for each other and the run may be many times slower; "
                       + "threads 0 uses all cores");
    torch::set_num_threads(threads);
}

DataSplits loadData(const ExperimentConfig& config, RunObserver& observer, ProgressTracker& progress)
{
    progress.report(RunStage::Loading, 0, kSmallStageUnits, "loading " + config.dataset.directory);
    DataSplits data = loadDataSplits(config.dataset, config.seed);
    observer.onLog("data: " + std::to_string(data.train.size()) + " train, " + std::to_string(data.validation.size())
                   + " validation, " + std::to_string(data.test.size()) + " test samples (fingerprint "
                   + data.fingerprint + "), " + describeShape(data.shape));
    if (!data.loadReport.empty())
        observer.onLog("data: " + data.loadReport);
    progress.finishStage(kSmallStageUnits);
    return data;
}

// θ0 and the dense model trained from it: the reference every pruned result is compared with.
// From the cache when this exact model, data, recipe and seed were trained before.
ScheduleStart trainDense(const RunContext& run, RunSummary& summary)
{
    const ExperimentConfig& config = run.config;
    torch::manual_seed(config.seed);
    std::shared_ptr<ModelBase> model = createModel(config.model, run.data.shape);
    if (const auto* scripted = dynamic_cast<const ScriptedModel*>(model.get()))
        run.observer.onLog(scripted->description());
    // θ0, for methods that start from the initialisation (PBT) or return to it (LTH).
    std::shared_ptr<ModelBase> initial = createModel(config.model, run.data.shape);
    copyModelState(*initial, *model);

    DenseCache cache(config.cacheDirectory);
    const std::string cacheKey = DenseCache::key(config, run.data.fingerprint, run.data.shape);
    std::vector<EpochMetrics> denseHistory;
    std::string cacheProblem;
    if (config.useDenseCache && cache.load(cacheKey, *model, denseHistory, cacheProblem)) {
        summary.denseFromCache = true;
        run.observer.onLog("dense model from cache " + cache.checkpointPath(cacheKey));
        for (const auto& metrics : denseHistory)
            run.observer.onEpoch(metrics);
        PlannedWork total = run.progress.total();
        total.units -= config.denseTraining.epochs;  // no dense epochs to train
        run.progress.setTotal(total);
    } else {
        if (!cacheProblem.empty())
            run.observer.onLog(cacheProblem);
        denseHistory = run.train(*model, config.denseTraining, "dense", RunStage::DenseTraining, nullptr);
        if (config.useDenseCache) {
            try {
                cache.store(cacheKey, *model, denseHistory);
            } catch (const std::exception& e) {
                run.observer.onLog(std::string("could not cache the dense model: ") + e.what());
            }
        }
    }
    run.checkCancel();
    return {model, initial};
}

// Step 0 of every run: the dense network's test metrics and layers.
void evaluateDense(const RunContext& run, ModelBase& model, RunSummary& summary)
{
    run.progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the dense model");
    const Evaluation dense = run.test(model);
    summary.denseTestAccuracy = dense.accuracy;
    summary.denseTestLoss = dense.loss;
    run.observer.onLog("dense test accuracy " + percent(dense.accuracy));
    PruningStep denseStep = stepOf(0, model, MaskSet{});
    denseStep.metrics = {{"test_accuracy", dense.accuracy}, {"test_loss", dense.loss}};
    run.observer.onPruningStep(denseStep);
    run.progress.finishStage(kSmallStageUnits);
}

// Size and MACs of the pruned model; for a structured run, the thinner network's own parameters
// (what is stored and shipped).
void measurePruned(const ModelBase& model, const ScheduleOutcome& outcome, const ModelBase& deployed,
                   RunSummary& summary)
{
    measureModel(model, outcome.masks, summary);
    if (outcome.executedMacs > 0) {
        summary.effectiveMacs = outcome.executedMacs;
        summary.theoreticalSpeedup = summary.denseMacs / outcome.executedMacs;
    }
    if (summary.structured) {
        torch::NoGradGuard noGrad;
        summary.nonzeros = 0;
        for (const auto& parameter : deployed.parameters())
            summary.nonzeros += parameter.count_nonzero().item<int64_t>();
        summary.compressionRatio = summary.nonzeros ? double(summary.parameters) / double(summary.nonzeros) : 0.0;
        summary.sparseBytes = 0;
        for (const auto& parameter : deployed.parameters())
            summary.sparseBytes += 4 * parameter.numel();
    }
    if (outcome.storedBytes > 0)
        summary.sparseBytes = outcome.storedBytes;
}

void saveNetworks(const ModelBase& deployed, const ModelBase& denseModel, const RunOutputs& outputs,
                  RunObserver& observer, RunSummary& summary)
{
    if (outputs.modelFile.empty())
        return;
    try {
        saveCheckpoint(deployed, outputs.modelFile);
        summary.modelFile = outputs.modelFile;
    } catch (const std::exception& e) {
        observer.onLog(std::string("could not save the final network: ") + e.what());
    }
    try {
        // The "before" of the mask inspector's weight histogram.
        saveCheckpoint(denseModel, denseCheckpointBeside(outputs.modelFile));
    } catch (const std::exception& e) {
        observer.onLog(std::string("could not save the dense network: ") + e.what());
    }
}

// Deep Compression's result is a real file: written (beside the checkpoint, or to a temporary
// file when the run keeps none), read back, and checked to decode bit for bit to the network that
// was evaluated. Its size is the run's stored size, in place of the bitmap-sparse estimate.
void storeCompressedNetwork(const CompressedNetwork& network, const ModelBase& deployed, const RunOutputs& outputs,
                            RunObserver& observer, RunSummary& summary)
{
    namespace fs = std::filesystem;
    const bool keep = !outputs.modelFile.empty();
    const std::string path = keep
        ? compressedNetworkBeside(outputs.modelFile)
        : (fs::temp_directory_path()
           / ("prunescope-" + std::to_string(Clock::now().time_since_epoch().count()) + ".psdc"))
              .string();
    if (keep)
        fs::create_directories(fs::path(path).parent_path());
    int64_t bytes = 0;
    CompressedNetwork decoded;
    try {
        bytes = writeCompressedFile(path, network);
        decoded = readCompressedFile(path);
    } catch (...) {
        if (!keep)
            fs::remove(path);
        throw;
    }
    if (!keep)
        fs::remove(path);
    if (const auto difference = differenceFromModel(decoded, deployed))
        throw std::runtime_error("the compressed file " + path
                                 + " does not decode to the evaluated network: " + *difference);
    const CompressionSizes sizes = compressionSizes(decoded, bytes);
    summary.sparseBytes = bytes;
    auto step = [&](const char* name, int64_t size) {
        std::ostringstream out;
        out.setf(std::ios::fixed);
        out.precision(1);
        out << name << " " << size << " bytes (" << double(sizes.fp32Bytes) / double(std::max<int64_t>(size, 1))
            << "×)";
        return out.str();
    };
    observer.onLog("deep compression: fp32 " + std::to_string(sizes.fp32Bytes) + " bytes; "
                   + step("pruning only", sizes.prunedBytes) + "; " + step("+ weight sharing", sizes.sharedBytes) + "; "
                   + step("+ Huffman", sizes.fileBytes) + "; file " + (keep ? path : "(not kept)")
                   + ", read back and decoded to the evaluated weights");
}

PlannedWork plannedLatency(const ExperimentConfig& config, const DataSplits& data)
{
    return latencyWork(config.latencyRepeats, data.train.size(), data.validation.size());
}

// The common tail: the final evaluation, measurements and checkpoints.
void finishRun(const RunContext& run, const ModelBase& model, const ModelBase& denseModel,
               const ScheduleOutcome& outcome, const RunOutputs& outputs, RunSummary& summary)
{
    const ExperimentConfig& config = run.config;
    const ModelBase& deployed = outcome.deployed ? *outcome.deployed : model;
    run.progress.report(RunStage::Evaluating, 0, kSmallStageUnits, "evaluating the pruned model");
    summary.testAccuracy = outcome.final.accuracy;
    summary.testLoss = outcome.final.loss;
    run.progress.finishStage(kSmallStageUnits);

    const PlannedWork latency = outcome.latencyApplies ? plannedLatency(config, run.data) : PlannedWork{};
    const PlannedWork measuring{kSmallStageUnits + latency.units, latency.seconds};
    run.progress.report(RunStage::Measuring, 0, measuring, "measuring size, MACs and latency");
    measurePruned(model, outcome, deployed, summary);
    if (outcome.compressed)
        storeCompressedNetwork(*outcome.compressed, deployed, outputs, run.observer, summary);
    if (config.latencyRepeats > 0 && outcome.latencyApplies) {
        measureLatencies(denseModel, deployed, config.latencyRepeats, summary, [&](double fraction) {
            run.progress.report(RunStage::Measuring, fraction, measuring, "measuring latency");
        });
        run.observer.onLog("latency at batch 64: dense " + std::to_string(summary.latencyOf("dense", 64)->medianMs)
                           + " ms, pruned " + std::to_string(summary.latencyOf("pruned", 64)->medianMs)
                           + " ms (measured speedup " + std::to_string(summary.measuredSpeedup(64)) + "×, theoretical "
                           + std::to_string(summary.theoreticalSpeedup) + "×)");
    }
    summary.latency.insert(summary.latency.end(), outcome.extraLatency.begin(), outcome.extraLatency.end());
    run.progress.finishStage(measuring);
    saveNetworks(deployed, denseModel, outputs, run.observer, summary);
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
    const ScheduleDriver& driver = scheduleDriver(method->schedule());
    useThreads(config, observer);

    const double methodUnits = driver.trainingUnits(config, *method, params);
    // The plan: loading, dense evaluation, pruning, final evaluation and saving (small stages),
    // the dense and the method's epochs, and the measurement (its latency part once the data's
    // size is known). Methods whose executed network changes per input are not timed.
    const PlannedWork trained{kSmallStageUnits * 5 + config.denseTraining.epochs + methodUnits, 0};
    ProgressTracker progress(observer, trained);
    const DataSplits data = loadData(config, observer, progress);
    if (driver.measuresLatency()) {
        const PlannedWork latency = plannedLatency(config, data);
        progress.setTotal({trained.units + latency.units, latency.seconds});
    }
    const RunContext run{config, observer, cancel, progress, data, *method, params};
    run.checkCancel();

    RunSummary summary;
    const ScheduleStart start = trainDense(run, summary);
    // The reference for latency: the dense network as trained.
    const std::shared_ptr<ModelBase> denseModel = createModel(config.model, run.data.shape);
    copyModelState(*denseModel, *start.model);
    evaluateDense(run, *start.model, summary);

    progress.report(RunStage::Pruning, 0, kSmallStageUnits, "pruning: " + info.card.title);
    const ScheduleOutcome outcome = driver.run(run, start);
    summary.prunedTestAccuracy = outcome.prunedTestAccuracy;
    summary.structured = outcome.structured;

    finishRun(run, *start.model, *denseModel, outcome, outputs, summary);
    summary.durationSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    progress.report(RunStage::Done, 1, 0, "done");
    return summary;
}

}  // namespace prunescope
