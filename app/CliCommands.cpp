#include "CliCommands.h"

#include "core/ResultCsv.h"
#include "core/ResultJson.h"
#include "core/SeedStatistics.h"
#include "core/TextFormat.h"
#include "experiment/Runner.h"
#include "core/MethodInfo.h"
#include "models/ModelDescription.h"
#include "RunRecording.h"
#include "RunStore.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

namespace prunescope::cli {
namespace {

using nlohmann::json;

class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A small parser: --name value, --flag, and positionals; unknown options are errors.
struct ParsedArgs {
    std::map<std::string, std::vector<std::string>> options;
    std::set<std::string> flags;
    std::vector<std::string> positional;

    bool has(const std::string& name) const { return options.count(name) || flags.count(name); }
    std::string value(const std::string& name, const std::string& fallback = {}) const
    {
        auto it = options.find(name);
        return it == options.end() ? fallback : it->second.back();
    }
};

ParsedArgs parseArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                     const std::set<std::string>& flagOptions)
{
    ParsedArgs parsed;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0) {
            parsed.positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2), value;
        const bool inlineValue = name.find('=') != std::string::npos;
        if (inlineValue) {
            value = name.substr(name.find('=') + 1);
            name = name.substr(0, name.find('='));
        }
        if (flagOptions.count(name) && !inlineValue) {
            parsed.flags.insert(name);
        } else if (valueOptions.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= args.size())
                    throw UsageError("option --" + name + " needs a value");
                value = args[++i];
            }
            parsed.options[name].push_back(value);
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
    return parsed;
}

template <typename T>
T parseNumber(const std::string& option, const std::string& text)
{
    std::istringstream in(text);
    T value{};
    in >> value;
    if (!in || !in.eof())
        throw UsageError("option --" + option + ": '" + text + "' is not a valid number");
    return value;
}

ParamValue parseParamValue(const std::string& text)
{
    if (text == "true")
        return true;
    if (text == "false")
        return false;
    char* end = nullptr;
    const long long integer = std::strtoll(text.c_str(), &end, 10);
    if (end && *end == '\0' && !text.empty())
        return int64_t(integer);
    const double number = std::strtod(text.c_str(), &end);
    if (end && *end == '\0' && !text.empty())
        return number;
    return text;
}

bool isTextParameter(const std::string& method, const std::string& name)
{
    try {
        const auto& params = methodInfo(method).params;
        return std::any_of(params.begin(), params.end(),
                           [&](const ParamSpec& spec) { return spec.name == name && spec.type == ParamType::String; });
    } catch (const std::exception&) {
        return false;  // an unknown method is reported where the config is checked
    }
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw UsageError(path + ": cannot read");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

std::string databasePath(const ParsedArgs& args)
{
    return args.value("db", RunStore::defaultPath().toStdString());
}

std::string formatDuration(double seconds)
{
    if (seconds < 0)
        return "--:--";
    const auto total = int64_t(seconds + 0.5);
    std::ostringstream out;
    if (total >= 3600)
        out << total / 3600 << ":" << std::setw(2) << std::setfill('0') << (total / 60) % 60;
    else
        out << total / 60;
    out << ":" << std::setw(2) << std::setfill('0') << total % 60;
    return out.str();
}

// Left-aligned in `width` columns: std::setw counts bytes, and "→" and "×" take two or three.
std::string padded(const std::string& text, size_t width)
{
    size_t columns = 0;
    for (unsigned char c : text)
        columns += (c & 0xC0) != 0x80;  // count code points, not continuation bytes
    return text + std::string(columns < width ? width - columns : 1, ' ');
}

std::string fixed(double value, int decimals)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

json runJson(const RunStore& store, const StoredRun& run)
{
    json steps = json::array();
    for (const auto& step : store.pruningSteps(run.id, /*withMasks=*/false))
        steps.push_back(pruningStepJson(step));
    json epochs = json::array();
    for (const auto& m : store.epochs(run.id))
        epochs.push_back(epochJson(m));
    json j = {{"id", run.id},
              {"name", run.name},
              {"status", statusName(run.status)},
              {"started_at", run.startedAt},
              {"finished_at", run.finishedAt},
              {"error", run.errorMessage},
              {"versions", run.versions},
              {"host", run.host},
              {"tags", run.tags},
              {"notes", run.notes},
              {"config", json::parse(run.configJson)},
              {"epochs", epochs},
              {"pruning_steps", steps}};
    if (run.status == RunStatus::Finished)
        j["summary"] = summaryJson(run.summary);
    return j;
}

// Prints progress to stderr at most every two seconds (and every epoch). recordRun stores each
// event before it reaches this observer, so what a user saw is kept.
class CliObserver : public RunObserver {
public:
    void onProgress(const ProgressEvent& event) override
    {
        const auto now = std::chrono::steady_clock::now();
        if (event.stage == m_lastStage && now - m_lastPrint < std::chrono::seconds(2) && event.stage != RunStage::Done)
            return;
        m_lastStage = event.stage;
        m_lastPrint = now;
        std::cerr << "[" << std::setw(3) << int(event.overallFraction * 100) << "%] " << event.message
                  << "  ETA " << formatDuration(event.etaSeconds) << "\n";
    }
    void onEpoch(const EpochMetrics& m) override
    {
        std::cerr << "  " << m.phase << " epoch " << m.epoch << ": train loss " << fixed(m.trainLoss, 4)
                  << ", train acc " << fixed(m.trainAccuracy * 100, 2) << " %, val acc "
                  << fixed(m.validationAccuracy * 100, 2) << " %, lr " << m.learningRate << "\n";
    }
    void onPruningStep(const PruningStep& step) override
    {
        // Layer densities once per pruning step; the replay steps of during-training methods
        // (one per epoch) and run-time densities are summarised by their own log lines.
        if (step.step == 0 || step.metrics.count("epoch") || step.metrics.count("density"))
            return;
        for (const auto& layer : step.layers) {
            std::cerr << "  " << std::left << std::setw(18) << layer.name << std::right << " density "
                      << fixed(layer.density() * 100, 2) << " %" << (layer.pruned ? "" : " (not pruned)") << "\n";
        }
    }
    void onLog(const std::string& message) override { std::cerr << "  " << message << "\n"; }

private:
    RunStage m_lastStage = RunStage::Done;
    std::chrono::steady_clock::time_point m_lastPrint{};
};

// The engine, as recordRun calls it.
RunSummary executeOnEngine(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                           const std::string& modelFile)
{
    return runExperiment(config, observer, cancel, RunOutputs{modelFile});
}

constexpr const char* kSignalCancelMessage = "cancelled by a signal";

std::atomic<bool> g_cancelRequested{false};

extern "C" void requestCancel(int)
{
    g_cancelRequested.store(true);
}

ExperimentConfig configFromArgs(const ParsedArgs& args)
{
    ExperimentConfig config = defaultExperiment();
    if (args.has("config")) {
        const std::string path = args.value("config");
        try {
            config = experimentFromJson(readFile(path));
        } catch (const std::invalid_argument& e) {
            throw UsageError(path + ": " + e.what());
        }
    }
    if (args.has("preset")) {
        if (args.has("config"))
            throw UsageError("give --preset or --config, not both");
        const ExperimentPreset* preset = findPreset(args.value("preset"));
        if (!preset) {
            std::string known;
            for (const auto& p : experimentPresets())
                known += (known.empty() ? "" : ", ") + p.id;
            throw UsageError("no preset '" + args.value("preset") + "'; the presets are: " + known);
        }
        config = preset->config;
    }
    if (args.has("name"))
        config.name = args.value("name");
    if (args.has("model")) {
        config.model = args.value("model");
        // A TorchScript file is stored by its absolute path, so the run re-runs from anywhere.
        if (isModelFile(config.model))
            config.model = std::filesystem::absolute(config.model).lexically_normal().string();
    }
    if (args.has("method")) {
        if (args.value("method") != config.method)
            config.methodParams.clear();  // parameters of one method mean nothing to another
        config.method = args.value("method");
    }
    if (args.has("sparsity"))
        config.methodParams["sparsity"] = parseNumber<double>("sparsity", args.value("sparsity"));
    if (auto it = args.options.find("param"); it != args.options.end()) {
        for (const auto& assignment : it->second) {
            const auto equals = assignment.find('=');
            if (equals == std::string::npos || equals == 0)
                throw UsageError("option --param expects NAME=VALUE, got '" + assignment + "'");
            const std::string name = assignment.substr(0, equals), text = assignment.substr(equals + 1);
            // A text parameter keeps what was typed, even when it reads as a number ("0.5" as
            // FBS's list of one density); other values are typed by their look.
            config.methodParams[name] = isTextParameter(config.method, name) ? ParamValue(text) : parseParamValue(text);
        }
    }
    if (args.has("epochs"))
        config.denseTraining.epochs = parseNumber<int>("epochs", args.value("epochs"));
    if (args.has("finetune-epochs"))
        config.fineTuning.epochs = parseNumber<int>("finetune-epochs", args.value("finetune-epochs"));
    if (args.has("batch-size")) {
        config.denseTraining.batchSize = parseNumber<int>("batch-size", args.value("batch-size"));
        config.fineTuning.batchSize = config.denseTraining.batchSize;
    }
    if (args.has("lr"))
        config.denseTraining.learningRate = parseNumber<double>("lr", args.value("lr"));
    if (args.has("finetune-lr"))
        config.fineTuning.learningRate = parseNumber<double>("finetune-lr", args.value("finetune-lr"));
    if (args.has("seed"))
        config.seed = parseNumber<uint64_t>("seed", args.value("seed"));
    if (args.has("data"))
        config.dataset.directory = args.value("data");
    if (args.has("train-limit"))
        config.dataset.trainLimit = parseNumber<int64_t>("train-limit", args.value("train-limit"));
    if (args.has("test-limit"))
        config.dataset.testLimit = parseNumber<int64_t>("test-limit", args.value("test-limit"));
    if (args.has("threads"))
        config.threads = parseNumber<int>("threads", args.value("threads"));
    if (args.has("cache-dir"))
        config.cacheDirectory = args.value("cache-dir");
    if (args.has("latency-repeats"))
        config.latencyRepeats = parseNumber<int>("latency-repeats", args.value("latency-repeats"));
    if (args.has("bn-recalibration"))
        config.bnRecalibrationBatches = parseNumber<int>("bn-recalibration", args.value("bn-recalibration"));
    if (args.has("no-cache"))
        config.useDenseCache = false;
    if (!args.has("name") && !args.has("config") && !args.has("preset"))
        config.name = modelDisplayName(config.model) + " · " + config.method;  // the default's name describes the default only
    return config;
}

void printSummary(std::ostream& out, int64_t runId, const RunSummary& s)
{
    out << "run " << runId << " finished in " << formatDuration(s.durationSeconds)
        << (s.denseFromCache ? " (dense model from cache)" : "") << "\n"
        << "  dense test accuracy      " << fixed(s.denseTestAccuracy * 100, 2) << " %\n"
        << "  after pruning            " << fixed(s.prunedTestAccuracy * 100, 2) << " %\n"
        << "  final                    " << fixed(s.testAccuracy * 100, 2) << " %  (loss " << fixed(s.testLoss, 4) << ")\n"
        << "  sparsity (pruned layers) " << fixed(s.sparsity * 100, 2) << " %\n"
        << "  parameters / non-zeros   " << s.parameters << " / " << s.nonzeros << "  (compression "
        << fixed(s.compressionRatio, 2) << "×)\n"
        << "  MACs dense / effective   " << fixed(s.denseMacs, 0) << " / " << fixed(s.effectiveMacs, 0)
        << "  (theoretical speedup " << fixed(s.theoreticalSpeedup, 2) << "×)\n"
        << "  bytes dense / " << (s.structured ? "thinned " : "sparse  ") << "  " << s.denseBytes << " / "
        << s.sparseBytes << "\n";
    if (s.structured)
        out << "  channels removed for real: the pruned network is a smaller dense one\n";
    for (int batch : {1, 64}) {
        const LatencyMeasurement* dense = s.latencyOf("dense", batch);
        const LatencyMeasurement* pruned = s.latencyOf("pruned", batch);
        if (!dense || !pruned)
            continue;
        out << "  latency, batch " << std::left << std::setw(9) << std::to_string(batch) + ":" << std::right
            << fixed(dense->medianMs, 3) << " → " << fixed(pruned->medianMs, 3) << " ms median (p10–p90 "
            << fixed(pruned->p10Ms, 3) << "–" << fixed(pruned->p90Ms, 3) << ")  measured speedup "
            << fixed(s.measuredSpeedup(batch), 2) << "× vs theoretical " << fixed(s.theoreticalSpeedup, 2) << "×\n";
        if (!dense->path.empty())
            out << "    latency on the fastest deployment: dense " << dense->path << ", pruned " << pruned->path << "\n";
    }
}

int64_t parseRunId(const ParsedArgs& args, const char* command)
{
    if (args.positional.size() != 1)
        throw UsageError(std::string(command) + " needs exactly one run id");
    return parseNumber<int64_t>("RUN", args.positional[0]);
}

// Runs a command body, mapping exceptions to messages and exit codes.
template <typename Body>
int guarded(const char* command, Body body)
{
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kUsage;
    } catch (const StorageError& e) {
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kStorage;
    } catch (const std::exception& e) {
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kRunFailed;
    }
}

}  // namespace

const char* usageText()
{
    return R"(usage: prunescope-cli COMMAND [options]

Commands:
  run      run one experiment and store it
             --config FILE        experiment config (JSON); flags below override it
             --preset ID          a ready-made experiment (see 'presets'); flags below override it
             --model ID           lenet300100 | lenet5 | lenet5caffe | vgg_small | resnet20, or a
                                  TorchScript file (a path, or a name ending .pt): torch.jit.script
                                  or trace of a network for 1×28×28 inputs and 10 classes
             --method ID          see 'methods'
             --sparsity S         fraction of prunable weights to remove, e.g. 0.9
             --param NAME=VALUE   any method parameter (repeatable)
             --epochs N           dense training epochs          --finetune-epochs N
             --lr X               dense learning rate            --finetune-lr X
             --batch-size N       --seed N        --threads N (0 = all cores)
             --data DIR           IDX dataset directory (default: Fashion-MNIST)
             --train-limit N      --test-limit N  (use only the first N samples)
             --no-cache           always train the dense model   --cache-dir DIR
             --latency-repeats N  timed runs per latency figure (0: do not measure; default 30)
             --bn-recalibration N re-estimate BatchNorm statistics on N training batches right
                                  after one-shot pruning (0: keep the dense ones; default 20)
             --print-config       print the resolved config as JSON and exit
             --json               print the result as one JSON object on stdout
  sweep    run one base config over methods, sparsities and seeds; print mean ± sd per point
             --methods a,b,c      --sparsities 0.5,0.9  or  --compressions 2,4,8,16
             --seeds 1,2,3        --name NAME   (+ the run options above for the base config)
  sweep --show SWEEP               print a stored sweep's table again
  methods  list the pruning methods with their taxonomy tags    [--json]
  presets  list the ready-made experiments (run --preset ID)
  models   list the model zoo                                   [--json]
  list     list stored runs                                     [--json]
  show RUN show one run: config, summary, per-layer table       [--json]
  export RUN --out DIR   write run-RUN.json, run-RUN-epochs.csv, run-RUN-layers.csv
  export RUN --format json|csv-epochs|csv-layers   print one of those to stdout
  latency RUN... [--repeats N] [--threads N] [--keep]
                         time the runs' networks again (dense vs pruned, batch 1 and 64) and
                         store the new figures (--keep: print only); then print a speedup table
  export RUN --torchscript FILE [--state-dict FILE]
                         the run's final network for PyTorch: torch.jit.load / torch.load

Common option: --db PATH (default ~/.local/share/PruneScope/runs.sqlite, or $PRUNESCOPE_DB)
Exit codes: 0 ok, 1 run failed, 2 usage or config error, 3 cancelled, 4 database error or no such run
)";
}

int runCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("run", [&] {
        const ParsedArgs args = parseArgs(
            rawArgs,
            {"config", "preset", "name", "model", "method", "sparsity", "param", "epochs", "finetune-epochs", "batch-size",
             "lr", "finetune-lr", "seed", "data", "train-limit", "test-limit", "threads", "cache-dir", "db",
             "latency-repeats", "bn-recalibration"},
            {"no-cache", "json", "print-config"});
        if (!args.positional.empty())
            throw UsageError("unexpected argument '" + args.positional[0] + "'");
        ExperimentConfig config = configFromArgs(args);
        try {
            validateExperiment(config);
        } catch (const std::invalid_argument& e) {
            throw UsageError(e.what());
        }
        config.methodParams = resolveParams(methodInfo(config.method), config.methodParams);
        if (args.has("print-config")) {
            std::cout << toJson(config) << "\n";
            return int(kOk);
        }

        RunStore store(QString::fromStdString(databasePath(args)));
        g_cancelRequested.store(false);
        CliObserver observer;
        const RecordedRun recorded = recordRun(
            store, config, engineVersions(), observer, executeOnEngine, g_cancelRequested,
            [&](int64_t runId) {
                std::string params;
                for (const auto& [name, value] : config.methodParams)
                    params += (params.empty() ? "" : " ") + name + "=" + paramToString(value);
                std::cerr << "run " << runId << ": " << config.model << ", " << config.method << " (" << params
                          << "), seed " << config.seed << " → " << store.path().toStdString() << "\n";
                std::signal(SIGINT, requestCancel);
                std::signal(SIGTERM, requestCancel);
            },
            /*sweepId=*/0, kSignalCancelMessage);
        const int64_t runId = recorded.runId;
        switch (recorded.status) {
        case RunStatus::Cancelled:
            std::cerr << "run " << runId << " cancelled\n";
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "cancelled"}}.dump() << "\n";
            return int(kCancelled);
        case RunStatus::Failed:
            std::cerr << "run " << runId << " failed: " << recorded.error << "\n";
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "failed"}, {"error", recorded.error}}.dump() << "\n";
            return int(kRunFailed);
        default:
            if (args.has("json"))
                std::cout << json{{"run_id", runId}, {"status", "finished"}, {"summary", summaryJson(recorded.summary)}}.dump()
                          << "\n";
            else
                printSummary(std::cout, runId, recorded.summary);
            return int(kOk);
        }
    });
}

namespace {

struct SweepCell {
    std::vector<double> accuracies;
    double sparsity = 0;
    double compression = 0;
    double nonzeros = 0;
    double effectiveMacs = 0;
};

// One row per method and target sparsity: mean ± sample standard deviation over seeds.
void printSweepTable(std::ostream& out, const std::vector<StoredRun>& runs)
{
    std::map<std::pair<std::string, double>, SweepCell> cells;
    std::vector<std::string> methods;
    for (const auto& run : runs) {
        if (run.status != RunStatus::Finished)
            continue;
        auto it = run.config.methodParams.find("sparsity");
        const double target = it == run.config.methodParams.end() ? 0.0 : std::get<double>(it->second);
        SweepCell& cell = cells[{run.config.method, target}];
        cell.accuracies.push_back(run.summary.testAccuracy);
        cell.sparsity = run.summary.sparsity;
        cell.compression = run.summary.compressionRatio;
        cell.nonzeros = double(run.summary.nonzeros);
        cell.effectiveMacs = run.summary.effectiveMacs;
        if (std::find(methods.begin(), methods.end(), run.config.method) == methods.end())
            methods.push_back(run.config.method);
    }
    out << std::left << std::setw(22) << "METHOD" << std::setw(10) << "TARGET" << std::setw(13) << "1/(1-TARGET)"
        << std::setw(22) << "TEST ACC % (MEAN±SD)" << std::setw(7) << "SEEDS" << std::setw(11) << "NONZEROS"
        << "EFF. MACS\n";
    for (const auto& method : methods) {
        for (const auto& [key, cell] : cells) {
            if (key.first != method)
                continue;
            const MeanAndSd accuracy = meanAndSampleSd(cell.accuracies);
            out << std::setw(22) << method << std::setw(10) << fixed(key.second * 100, 1) + " %" << std::setw(13)
                << fixed(1.0 / std::max(1e-9, 1.0 - key.second), 1) + "×" << std::setw(22)
                << fixed(accuracy.mean * 100, 2) + " ± " + fixed(accuracy.sd * 100, 2) << std::setw(7)
                << cell.accuracies.size() << std::setw(11) << fixed(cell.nonzeros, 0) << fixed(cell.effectiveMacs, 0)
                << "\n";
        }
    }
}

}  // namespace

int sweepCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("sweep", [&] {
        const ParsedArgs args = parseArgs(
            rawArgs,
            {"config", "name", "model", "methods", "sparsities", "compressions", "seeds", "epochs", "finetune-epochs",
             "batch-size", "lr", "finetune-lr", "data", "train-limit", "test-limit", "threads", "cache-dir", "db", "latency-repeats",
             "bn-recalibration", "show"},
            {"no-cache"});
        if (args.has("show")) {
            RunStore store(QString::fromStdString(databasePath(args)));
            printSweepTable(std::cout, store.runsOfSweep(parseNumber<int64_t>("show", args.value("show"))));
            return int(kOk);
        }
        const ExperimentConfig base = configFromArgs(args);
        std::vector<double> sparsities;
        if (args.has("sparsities") == args.has("compressions"))
            throw UsageError("sweep needs either --sparsities 0.5,0.9 or --compressions 2,4,8");
        for (const auto& item : splitCommaList(args.value(args.has("sparsities") ? "sparsities" : "compressions"))) {
            const double value = parseNumber<double>("sparsities", item);
            if (args.has("compressions") && value < 1)
                throw UsageError("--compressions: " + item + " is below 1 (compression = all weights / kept weights)");
            sparsities.push_back(args.has("compressions") ? 1.0 - 1.0 / value : value);
        }
        const auto methods = splitCommaList(args.value("methods", base.method));
        std::vector<uint64_t> seeds;
        for (const auto& item : splitCommaList(args.value("seeds", std::to_string(base.seed))))
            seeds.push_back(parseNumber<uint64_t>("seeds", item));
        // Check every point before running any: a typo should not surface after an hour.
        std::vector<ExperimentConfig> points;
        for (uint64_t seed : seeds)
            for (const auto& method : methods)
                for (double sparsity : sparsities) {
                    ExperimentConfig config = base;
                    config.seed = seed;
                    config.method = method;
                    config.methodParams = {{"sparsity", sparsity}};
                    try {
                        config.methodParams = resolveParams(methodInfo(method), config.methodParams);
                        validateExperiment(config);
                    } catch (const std::invalid_argument& e) {
                        throw UsageError(std::string(e.what()) +
                                         " (a sweep varies the 'sparsity' parameter of each method)");
                    }
                    config.name = method + " " + fixed(sparsity * 100, 1) + " % seed " + std::to_string(seed);
                    points.push_back(config);
                }
        RunStore store(QString::fromStdString(databasePath(args)));
        json spec = {{"methods", methods}, {"sparsities", sparsities}, {"seeds", seeds},
                     {"base", json::parse(toJson(base))}};
        const int64_t sweepId = store.createSweep(args.value("name", "sweep"), spec.dump());
        std::cerr << "sweep " << sweepId << ": " << points.size() << " runs → " << store.path().toStdString() << "\n";
        g_cancelRequested.store(false);
        std::signal(SIGINT, requestCancel);
        std::signal(SIGTERM, requestCancel);
        int failures = 0;
        RunObserver silent;  // a sweep prints one line per run, not its progress
        for (size_t i = 0; i < points.size(); ++i) {
            const ExperimentConfig& config = points[i];
            const RecordedRun recorded = recordRun(
                store, config, engineVersions(), silent, executeOnEngine, g_cancelRequested,
                [&](int64_t runId) {
                    std::cerr << "[" << i + 1 << "/" << points.size() << "] run " << runId << ": " << config.name << "\n";
                },
                sweepId, kSignalCancelMessage);
            if (recorded.status == RunStatus::Cancelled) {
                std::cerr << "sweep " << sweepId << " cancelled\n";
                return int(kCancelled);
            }
            if (recorded.status == RunStatus::Failed) {
                std::cerr << "    failed: " << recorded.error << "\n";
                ++failures;
            } else {
                std::cerr << "    test accuracy " << fixed(recorded.summary.testAccuracy * 100, 2) << " %\n";
            }
        }
        std::cout << "sweep " << sweepId << "\n";
        printSweepTable(std::cout, store.runsOfSweep(sweepId));
        return int(failures ? kRunFailed : kOk);
    });
}

int methodsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("methods", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {}, {"json"});
        if (args.has("json")) {
            json methods = json::array();
            for (const auto& m : methodCatalogue()) {
                json params = json::array();
                for (const auto& p : m.params)
                    params.push_back({{"name", p.name},
                                      {"default", paramToString(p.defaultValue)},
                                      {"min", p.minimum},
                                      {"max", p.maximum},
                                      {"help", p.help}});
                methods.push_back({{"id", m.id},
                                   {"title", m.card.title},
                                   {"speedup", m.taxonomy.speedup},
                                   {"when", m.taxonomy.when},
                                   {"criterion", m.taxonomy.criterion},
                                   {"authors", m.card.authors},
                                   {"venue", m.card.venue},
                                   {"year", m.card.year},
                                   {"rule", m.card.rule},
                                   {"good_at", m.card.goodAt},
                                   {"bad_at", m.card.badAt},
                                   {"params", params}});
            }
            std::cout << methods.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << std::left << std::setw(26) << "ID" << std::setw(16) << "SPEEDUP" << std::setw(17) << "WHEN"
                  << std::setw(12) << "CRITERION" << "PAPER\n";
        for (const auto& m : methodCatalogue()) {
            std::cout << std::setw(26) << m.id << std::setw(16) << m.taxonomy.speedup << std::setw(17)
                      << m.taxonomy.when << std::setw(12) << m.taxonomy.criterion << m.card.authors << ", "
                      << m.card.venue << " " << m.card.year << "\n";
            for (const auto& p : m.params)
                std::cout << "    --param " << p.name << "=" << paramToString(p.defaultValue) << "   " << p.help
                          << "\n";
        }
        return int(kOk);
    });
}

int modelsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("models", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {}, {"json"});
        json models = json::array();
        for (const auto& m : modelCatalogue()) {
            if (args.has("json"))
                models.push_back({{"id", m.id}, {"description", m.description}});
            else
                std::cout << std::left << std::setw(14) << m.id << m.description << "\n";
        }
        if (!args.has("json"))
            std::cout << "or a TorchScript file: run --model /path/to/model.pt (1×28×28 inputs, 10 classes)\n";
        if (args.has("json"))
            std::cout << models.dump(2) << "\n";
        return int(kOk);
    });
}

int listCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("list", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {"json"});
        RunStore store(QString::fromStdString(databasePath(args)));
        const auto runs = store.listRuns();
        if (args.has("json")) {
            json list = json::array();
            for (const auto& run : runs) {
                json entry = {{"id", run.id},     {"name", run.name},     {"model", run.config.model},
                              {"method", run.config.method}, {"seed", run.config.seed},
                              {"status", statusName(run.status)}, {"started_at", run.startedAt}};
                if (run.status == RunStatus::Finished)
                    entry["summary"] = summaryJson(run.summary);
                list.push_back(entry);
            }
            std::cout << list.dump(2) << "\n";
            return int(kOk);
        }
        std::cout << std::left << std::setw(6) << "ID" << std::setw(13) << "STATUS" << std::setw(13) << "MODEL"
                  << std::setw(21) << "METHOD" << std::setw(10) << "SPARSITY" << std::setw(10) << "ACC %"
                  << std::setw(10) << "DENSE %" << "STARTED\n";
        for (const auto& run : runs) {
            const bool finished = run.status == RunStatus::Finished;
            std::cout << std::setw(6) << run.id << std::setw(13) << statusName(run.status) << std::setw(13)
                      << modelDisplayName(run.config.model) << std::setw(21) << run.config.method << std::setw(10)
                      << (finished ? fixed(run.summary.sparsity * 100, 1) : "-") << std::setw(10)
                      << (finished ? fixed(run.summary.testAccuracy * 100, 2) : "-") << std::setw(10)
                      << (finished ? fixed(run.summary.denseTestAccuracy * 100, 2) : "-") << run.startedAt << "\n";
        }
        return int(kOk);
    });
}

int showCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("show", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db"}, {"json"});
        const int64_t runId = parseRunId(args, "show");
        RunStore store(QString::fromStdString(databasePath(args)));
        const auto run = store.findRun(runId);
        if (!run) {
            std::cerr << "prunescope-cli show: no run " << runId << " in " << store.path().toStdString() << "\n";
            return int(kStorage);
        }
        if (args.has("json")) {
            std::cout << runJson(store, *run).dump(2) << "\n";
            return int(kOk);
        }
        std::cout << "run " << run->id << " · " << run->name << " · " << statusName(run->status) << "\n"
                  << "started " << run->startedAt << ", finished " << (run->finishedAt.empty() ? "-" : run->finishedAt)
                  << "\nversions " << run->versions << "\n";
        if (!run->errorMessage.empty())
            std::cout << "error: " << run->errorMessage << "\n";
        std::cout << "config:\n" << run->configJson << "\n";
        if (run->status == RunStatus::Finished)
            printSummary(std::cout, run->id, run->summary);
        const auto steps = store.pruningSteps(runId, false);
        const bool runTime = !steps.empty() && steps.back().metrics.count("macs_mean");
        if (runTime) {
            // Run-time pruning: accuracy and the MACs each test input executed, per density.
            std::cout << std::left << std::setw(10) << "DENSITY" << std::setw(11) << "TEST ACC" << std::setw(14)
                      << "MACS MEAN" << std::setw(14) << "MACS P10" << std::setw(14) << "MACS P50" << "MACS P90\n";
            for (const auto& step : steps) {
                if (!step.metrics.count("macs_mean"))
                    continue;
                const auto& m = step.metrics;
                std::cout << std::setw(10) << fixed(m.at("density") * 100, 0) + " %" << std::setw(11)
                          << fixed(m.at("test_accuracy") * 100, 2) + " %" << std::setw(14) << fixed(m.at("macs_mean"), 0)
                          << std::setw(14) << fixed(m.at("macs_p10"), 0) << std::setw(14) << fixed(m.at("macs_p50"), 0)
                          << fixed(m.at("macs_p90"), 0) << "\n";
            }
        } else if (steps.size() > 2 || (!steps.empty() && steps.back().metrics.count("control_test_accuracy"))) {
            std::cout << std::left << std::setw(7) << "STEP" << std::setw(14) << "WEIGHTS LEFT" << std::setw(12)
                      << "TEST ACC" << "CONTROL (RANDOM RE-INIT)\n";
            for (const auto& step : steps) {
                int64_t kept = 0, total = 0;
                for (const auto& layer : step.layers) {
                    kept += layer.nonzeros;
                    total += layer.parameters;
                }
                auto metric = [&](const char* name) {
                    auto it = step.metrics.find(name);
                    return it == step.metrics.end() ? std::string("-") : fixed(it->second * 100, 2) + " %";
                };
                std::cout << std::setw(7) << step.step << std::setw(14)
                          << fixed(100.0 * double(kept) / double(std::max<int64_t>(total, 1)), 1) + " %"
                          << std::setw(12) << metric("test_accuracy") << metric("control_test_accuracy") << "\n";
            }
        }
        if (!steps.empty()) {
            std::cout << std::left << std::setw(18) << "LAYER" << std::setw(8) << "KIND" << std::setw(20) << "SHAPE"
                      << std::setw(11) << "PARAMS" << std::setw(11) << "NONZERO" << std::setw(10) << "DENSITY"
                      << std::setw(11) << "CHANNELS" << std::setw(13) << "DENSE MACS" << "EFF. MACS\n";
            for (const auto& layer : steps.back().layers) {
                std::cout << std::setw(18) << layer.name << std::setw(8) << layer.kind << std::setw(20)
                          << shapeText(layer.shape, "×")
                          << std::setw(11) << layer.parameters << std::setw(11) << layer.nonzeros << std::setw(10)
                          << fixed(layer.density() * 100, 2) << std::setw(11)
                          << std::to_string(layer.channelsKept) + "/" + std::to_string(layer.channels) << std::setw(13)
                          << fixed(layer.denseMacs, 0) << fixed(layer.effectiveMacs, 0) << "\n";
            }
        }
        return int(kOk);
    });
}

int exportCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("export", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db", "out", "format", "torchscript", "state-dict"}, {});
        const int64_t runId = parseRunId(args, "export");
        const bool exportsModel = args.has("torchscript") || args.has("state-dict");
        if (int(args.has("out")) + int(args.has("format")) + int(exportsModel) != 1)
            throw UsageError("export needs one of --out DIR, --format json|csv-epochs|csv-layers, or "
                             "--torchscript FILE / --state-dict FILE");
        RunStore store(QString::fromStdString(databasePath(args)));
        const auto run = store.findRun(runId);
        if (!run) {
            std::cerr << "prunescope-cli export: no run " << runId << " in " << store.path().toStdString() << "\n";
            return int(kStorage);
        }
        if (exportsModel) {
            if (run->summary.modelFile.empty()) {
                std::cerr << "prunescope-cli export: run " << runId << " has no saved network (it did not finish, "
                          << "or it ran before networks were saved)\n";
                return int(kStorage);
            }
            exportRunModel(run->summary.modelFile, args.value("torchscript", ""), args.value("state-dict", ""));
            for (const char* option : {"torchscript", "state-dict"}) {
                if (args.has(option))
                    std::cout << args.value(option) << "\n";
            }
            return int(kOk);
        }
        if (args.has("format")) {
            const std::string format = args.value("format");
            if (format == "json")
                std::cout << runJson(store, *run).dump(2) << "\n";
            else if (format == "csv-epochs")
                std::cout << epochsCsv(store.epochs(runId));
            else if (format == "csv-layers")
                std::cout << layersCsv(store.pruningSteps(runId, false));
            else
                throw UsageError("--format must be json, csv-epochs or csv-layers, got '" + format + "'");
            return int(kOk);
        }
        const std::filesystem::path directory = args.value("out");
        std::filesystem::create_directories(directory);
        const std::string stem = "run-" + std::to_string(runId);
        const std::pair<std::string, std::string> files[] = {{stem + ".json", runJson(store, *run).dump(2) + "\n"},
                                                             {stem + "-epochs.csv", epochsCsv(store.epochs(runId))},
                                                             {stem + "-layers.csv", layersCsv(store.pruningSteps(runId, false))}};
        for (const auto& [name, content] : files) {
            const auto path = directory / name;
            std::ofstream out(path);
            out << content;
            if (!out.flush())
                throw std::runtime_error(path.string() + ": write failed (disk full?)");
            std::cout << path.string() << "\n";
        }
        return int(kOk);
    });
}

int presetsCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("presets", [&] {
        parseArgs(rawArgs, {}, {});
        for (const auto& preset : experimentPresets())
            std::cout << padded(preset.id, 24) << preset.title << "\n";
        return int(kOk);
    });
}

int latencyCommand(const std::vector<std::string>& rawArgs)
{
    return guarded("latency", [&] {
        const ParsedArgs args = parseArgs(rawArgs, {"db", "repeats", "threads"}, {"keep"});
        if (args.positional.empty())
            throw UsageError("latency needs at least one run id");
        const int repeats = parseNumber<int>("repeats", args.value("repeats", "30"));
        const int threads = parseNumber<int>("threads", args.value("threads", "0"));
        if (repeats < 1 || repeats > 10000)
            throw UsageError("--repeats must be in [1, 10000]");
        RunStore store(QString::fromStdString(databasePath(args)));
        std::vector<StoredRun> runs;
        for (const auto& text : args.positional) {
            const int64_t runId = parseNumber<int64_t>("RUN", text);
            const auto run = store.findRun(runId);
            if (!run || run->summary.modelFile.empty()) {
                std::cerr << "prunescope-cli latency: run " << runId
                          << (run ? " has no saved network" : " does not exist") << " in " << store.path().toStdString()
                          << "\n";
                return int(kStorage);
            }
            runs.push_back(*run);
        }
        std::cout << padded("RUN", 6) << padded("MODEL", 12) << padded("METHOD", 20) << padded("TEST ACC", 10)
                  << padded("THEORETICAL", 13) << padded("BATCH 1 DENSE→PRUNED ms", 25) << padded("BATCH 64 DENSE→PRUNED ms", 26)
                  << padded("MEASURED", 10) << "MEASURED/THEORETICAL\n";
        for (auto& run : runs) {
            run.summary.latency = measureStoredLatency(run.summary.modelFile, repeats, threads);
            if (!args.has("keep"))
                store.replaceLatency(run.id, run.summary.latency);
            const RunSummary& s = run.summary;
            auto pair = [&](int batch) {
                return fixed(s.latencyOf("dense", batch)->medianMs, 3) + "→" + fixed(s.latencyOf("pruned", batch)->medianMs, 3);
            };
            std::cout << padded(std::to_string(run.id), 6) << padded(modelDisplayName(run.config.model), 12) << padded(run.config.method, 20)
                      << padded(fixed(s.testAccuracy * 100, 2), 10) << padded(fixed(s.theoreticalSpeedup, 2) + "×", 13)
                      << padded(pair(1), 25) << padded(pair(64), 26) << padded(fixed(s.measuredSpeedup(64), 2) + "×", 10)
                      << fixed(100 * s.measuredSpeedup(64) / std::max(1e-9, s.theoreticalSpeedup), 0) << " %" << std::endl;
        }
        return int(kOk);
    });
}

}  // namespace prunescope::cli
