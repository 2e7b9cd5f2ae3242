#include "CliArguments.h"

#include "CliCommands.h"
#include "core/DatasetCatalogue.h"
#include "core/ExperimentPresets.h"
#include "core/MethodInfo.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace prunescope::cli {
namespace {

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

}  // namespace

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

int64_t parseRunId(const ParsedArgs& args, const char* command)
{
    if (args.positional.size() != 1)
        throw UsageError(std::string(command) + " needs exactly one run id");
    return parseNumber<int64_t>("RUN", args.positional[0]);
}

std::set<std::string> withOptions(std::set<std::string> options, const std::set<std::string>& more)
{
    options.insert(more.begin(), more.end());
    return options;
}

namespace {

// --dataset, --data and the format options. A known dataset without --data is looked for where
// defaultDatasetDirectory says; augmentation follows the dataset (on for CIFAR and image folders,
// off for the MNIST family) unless --augment or --no-augment says otherwise.
void applyDatasetOptions(const ParsedArgs& args, ExperimentConfig& config)
{
    if (args.has("dataset")) {
        config.dataset.name = args.value("dataset");
        const KnownDataset* known = findKnownDataset(config.dataset.name);
        try {
            datasetFormat(config.dataset);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("option --dataset: ") + e.what());
        }
        if (!args.has("data")) {
            if (!known)
                throw UsageError("--dataset " + config.dataset.name + " needs --data PATH (the folder holding it)");
            config.dataset.directory = defaultDatasetDirectory(*known);
        }
        config.denseTraining.augment = augmentsByDefault(datasetFormat(config.dataset));
        config.fineTuning.augment = config.denseTraining.augment;
    }
    if (args.has("data"))
        config.dataset.directory = std::filesystem::absolute(args.value("data")).lexically_normal().string();
    if (args.has("augment") && args.has("no-augment"))
        throw UsageError("give --augment or --no-augment, not both");
    if (args.has("augment") || args.has("no-augment")) {
        config.denseTraining.augment = args.has("augment");
        config.fineTuning.augment = args.has("augment");
    }
    if (args.has("cifar-labels")) {
        const std::string labels = args.value("cifar-labels");
        if (labels != "fine" && labels != "coarse")
            throw UsageError("option --cifar-labels: expected fine or coarse, got '" + labels + "'");
        config.dataset.cifarLabels = labels == "fine" ? CifarLabels::Fine : CifarLabels::Coarse;
    }
    if (args.has("resize"))
        config.dataset.resize = parseNumber<int64_t>("resize", args.value("resize"));
    if (args.has("test-fraction"))
        config.dataset.testFraction = parseNumber<double>("test-fraction", args.value("test-fraction"));
    if (args.has("unreadable-images")) {
        const std::string policy = args.value("unreadable-images");
        if (policy != "fail" && policy != "skip")
            throw UsageError("option --unreadable-images: expected fail or skip, got '" + policy + "'");
        config.dataset.unreadableImages = policy == "fail" ? UnreadableImages::Fail : UnreadableImages::Skip;
    }
}

}  // namespace

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
    applyDatasetOptions(args, config);
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
        config.name
            = modelDisplayName(config.model) + " · " + config.method;  // the default's name describes the default only
    return config;
}

const char* usageText()
{
    return R"(usage: prunescope-cli COMMAND [options]

Commands:
  run      run one experiment and store it
             --config FILE        experiment config (JSON); flags below override it
             --preset ID          a ready-made experiment (see 'presets'); flags below override it
             --model ID           a zoo model (see 'models'), or a TorchScript file (a path, or a
                                  name ending .pt): torch.jit.script or trace of a network for the
                                  data's images ([N, C, H, W] or [N, C·H·W]) and classes
             --method ID          see 'methods'
             --sparsity S         fraction of prunable weights to remove, e.g. 0.9
             --param NAME=VALUE   any method parameter (repeatable)
             --epochs N           dense training epochs          --finetune-epochs N
             --lr X               dense learning rate            --finetune-lr X
             --batch-size N       --seed N        --threads N (0 = all cores)
             --dataset NAME       fashion-mnist (default) | mnist | kmnist | cifar10 | cifar100, or
                                  idx | image-folder for your own files (see 'datasets')
             --data PATH          the dataset's folder (default: where 'datasets' looks for it)
             --cifar-labels fine|coarse   CIFAR-100: 100 fine classes (default) or 20 superclasses
             --augment / --no-augment     random crop (4-pixel padding) and flip while training;
                                  default on for CIFAR and image folders, off for the MNIST family
             --resize N           image folder: every image to N×N (default 0: keep; sizes must agree)
             --test-fraction F    image folder without train/ and test/: share held out (default 0.2)
             --unreadable-images fail|skip   image folder: stop at a file that does not decode
                                  (default), or skip it and count it
             --train-limit N      --test-limit N  (use only the first N samples)
             --no-cache           always train the dense model   --cache-dir DIR
             --latency-repeats N  timed runs per latency figure (0: do not measure; default 30)
             --bn-recalibration N re-estimate BatchNorm statistics on N training batches right
                                  after one-shot pruning (0: keep the dense ones; default 20)
             --eta-log FILE       write every progress event (elapsed, ETA) and epoch end to FILE
                                  (docs/measure-eta.sh checks the ETA with it)
             --print-config       print the resolved config as JSON and exit
             --json               print the result as one JSON object on stdout
  sweep    run one base config over methods, sparsities and seeds; print mean ± sd per point
             --methods a,b,c      --sparsities 0.5,0.9  or  --compressions 2,4,8,16
             --seeds 1,2,3        --name NAME   (+ the run options above for the base config)
  sweep --show SWEEP               print a stored sweep's table again
  methods  list the pruning methods with their taxonomy tags    [--json]
  presets  list the ready-made experiments by week of the study plan (run --preset ID)
  models   list the model zoo                                   [--json]
  datasets list the known datasets, where each is looked for, and which are installed  [--json]
  list     list stored runs                                     [--json]
  show RUN show one run: config, summary, per-layer table       [--json]
  delete RUN...          move runs to the trash (they leave 'list'; 'restore' brings them back)
  restore RUN...         bring runs back from the trash
  trash [--empty]        list the runs in the trash, or delete them for good
  export RUN --out DIR   write run-RUN.json, run-RUN-epochs.csv, run-RUN-layers.csv
  export RUN --format json|csv-epochs|csv-layers   print one of those to stdout
  latency RUN... [--repeats N] [--threads N] [--keep]
                         time the runs' networks again (dense vs pruned, batch 1 and 64) and
                         store the new figures (--keep: print only); then print a speedup table
  export RUN --torchscript FILE [--state-dict FILE]
                         the run's final network for PyTorch: torch.jit.load / torch.load
  download ID [--to DIR] [--from URL]
                         fetch a known dataset (fashion-mnist, mnist, kmnist, cifar10, cifar100)
                         from its official site, check its MD5 sums and install it in DIR
                         (default ~/.local/share/PruneScope/datasets/ID); --from URL: a mirror
                         holding the same files (URL/FILE-NAME). Ctrl+C cancels; an interrupted
                         or corrupt download installs nothing

Common option: --db PATH (default ~/.local/share/PruneScope/runs.sqlite, or $PRUNESCOPE_DB)
prunescope-cli --help prints this; prunescope-cli --version the versions of PruneScope, Qt,
LibTorch and SQLite.
Exit codes: 0 ok, 1 run or download failed, 2 usage or config error, 3 cancelled, 4 database error or no such run
)";
}

}  // namespace prunescope::cli
