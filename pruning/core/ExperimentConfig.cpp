#include "core/ExperimentConfig.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace prunescope {
namespace {

using nlohmann::json;

json recipeToJson(const TrainRecipe& r)
{
    return {{"epochs", r.epochs},
            {"batch_size", r.batchSize},
            {"optimizer", r.optimizer},
            {"learning_rate", r.learningRate},
            {"momentum", r.momentum},
            {"nesterov", r.nesterov},
            {"weight_decay", r.weightDecay},
            {"schedule", r.schedule},
            {"step_epochs", r.stepEpochs},
            {"step_gamma", r.stepGamma}};
}

// Reads an optional field, naming it in the error when its type is wrong.
template <typename T>
void readField(const json& object, const std::string& path, const char* key, T& out)
{
    auto it = object.find(key);
    if (it == object.end())
        return;
    // nlohmann converts 2.5 to an int and "1" never to a number; be strict so typos surface.
    const bool typeMatches = std::is_same_v<T, std::string> ? it->is_string()
        : std::is_same_v<T, bool>                           ? it->is_boolean()
        : std::is_integral_v<T>                             ? it->is_number_integer()
                                                            : it->is_number();
    try {
        if (!typeMatches)
            throw std::invalid_argument("type");
        out = it->get<T>();
    } catch (const std::exception&) {
        throw std::invalid_argument("config field '" + path + key + "': expected "
                                    + (std::is_same_v<T, std::string> ? "a string"
                                           : std::is_same_v<T, bool>  ? "true or false"
                                           : std::is_integral_v<T>    ? "an integer"
                                                                      : "a number")
                                    + ", got " + it->dump());
    }
}

TrainRecipe recipeFromJson(const json& j, const std::string& path, TrainRecipe r)
{
    if (!j.is_object())
        throw std::invalid_argument("config field '" + path + "': expected an object");
    const std::string p = path + ".";
    readField(j, p, "epochs", r.epochs);
    readField(j, p, "batch_size", r.batchSize);
    readField(j, p, "optimizer", r.optimizer);
    readField(j, p, "learning_rate", r.learningRate);
    readField(j, p, "momentum", r.momentum);
    readField(j, p, "nesterov", r.nesterov);
    readField(j, p, "weight_decay", r.weightDecay);
    readField(j, p, "schedule", r.schedule);
    readField(j, p, "step_epochs", r.stepEpochs);
    readField(j, p, "step_gamma", r.stepGamma);
    return r;
}

json paramToJson(const ParamValue& v)
{
    return std::visit([](const auto& x) { return json(x); }, v);
}

ParamValue paramFromJson(const json& j, const std::string& key)
{
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_number_integer())
        return j.get<int64_t>();
    if (j.is_number())
        return j.get<double>();
    if (j.is_string())
        return j.get<std::string>();
    throw std::invalid_argument("config field 'method_params." + key + "': expected a boolean, number or string, got "
                                + j.dump());
}

}  // namespace

bool isModelFile(const std::string& model)
{
    auto endsWith = [&](const std::string& suffix) {
        return model.size() >= suffix.size() && model.compare(model.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return model.find('/') != std::string::npos || endsWith(".pt") || endsWith(".pth");
}

std::string modelDisplayName(const std::string& model)
{
    if (!isModelFile(model))
        return model;
    const size_t slash = model.find_last_of('/');
    return slash == std::string::npos ? model : model.substr(slash + 1);
}

ExperimentConfig defaultExperiment()
{
    ExperimentConfig config;
    config.name = "LeNet-5 · global magnitude 90 %";
    config.methodParams["sparsity"] = 0.9;
    return config;
}

const std::vector<ExperimentPreset>& experimentPresets()
{
    static const std::vector<ExperimentPreset> presets = [] {
        auto preset = [](std::string id, std::string title, std::string model, std::string method, ParamMap params,
                         int denseEpochs = 10, int fineTuneEpochs = 3) {
            ExperimentConfig config = defaultExperiment();
            config.name = title;
            config.model = std::move(model);
            config.method = std::move(method);
            config.methodParams = std::move(params);
            config.denseTraining.epochs = denseEpochs;
            config.fineTuning.epochs = fineTuneEpochs;
            return ExperimentPreset{std::move(id), std::move(title), std::move(config)};
        };
        return std::vector<ExperimentPreset>{
            preset("default", "LeNet-5 · global magnitude 90 % (the default)", "lenet5", "global_magnitude",
                   {{"sparsity", 0.9}}),
            preset("week1-random-baseline", "Week 1 · LeNet-300-100 · random 90 % (the baseline)", "lenet300100",
                   "random", {{"sparsity", 0.9}}),
            preset("week1-snip", "Week 1 · LeNet-300-100 · SNIP 95 % at initialisation", "lenet300100", "snip",
                   {{"sparsity", 0.95}}),
            preset("week1-lottery", "Week 1 · LeNet-300-100 · lottery ticket, 5 rounds of 20 %", "lenet300100",
                   "lottery_ticket", {{"rounds", int64_t(5)}, {"rate", 0.2}, {"output_rate", 0.1}}),
            preset("week2-nm", "Week 2 · LeNet-5-Caffe · 2:4 semi-structured", "lenet5caffe", "nm_sparsity",
                   {{"n", int64_t(2)}, {"m", int64_t(4)}}),
            preset("week3-vgg-l1", "Week 3 · VGG-small · L1 filters, half the channels", "vgg_small", "l1_filter",
                   {{"channel_ratio", 0.5}}, 4, 2),
            preset("week3-resnet-fpgm", "Week 3 · ResNet-20 · FPGM, half the channels", "resnet20", "fpgm",
                   {{"channel_ratio", 0.5}}, 4, 2),
            // Li et al.'s own ResNet recipe: the residual width stays, so no residual group is cut.
            preset("week3-resnet-l1-inner", "Week 3 · ResNet-20 · L1 filters, half of each block's inner channels",
                   "resnet20", "l1_filter", {{"channel_ratio", 0.5}, {"prune_residual", false}}, 4, 2),
            preset("week4-wanda", "Week 4 · LeNet-5 · Wanda 50 %, no retraining", "lenet5", "wanda",
                   {{"sparsity", 0.5}}),
            // The "during training" weeks of the plan, then the regularisation and early-training ones.
            preset("week5-slimming", "Week 5 · VGG-small · Network Slimming, half the channels", "vgg_small",
                   "slimming", {{"channel_ratio", 0.5}, {"lambda", 1e-4}}, 4, 2),
            preset("week6-rigl", "Week 6 · LeNet-5-Caffe · RigL 90 %, sparse from the start", "lenet5caffe", "rigl",
                   {{"sparsity", 0.9}}, 5, 0),
            preset("week7-gmp", "Week 7 · LeNet-5-Caffe · gradual magnitude pruning to 90 %", "lenet5caffe", "gmp",
                   {{"sparsity", 0.9}}, 5, 0),
            preset("week8-movement", "Week 8 · LeNet-5 · movement pruning 90 % (learned scores)", "lenet5", "movement",
                   {{"sparsity", 0.9}}, 10, 0),
            preset("week11-greg", "Week 11 · VGG-small · GReg, half the channels", "vgg_small", "greg",
                   {{"channel_ratio", 0.5}}, 4, 2),
            preset("week12-early-bird", "Week 12 · VGG-small · Early-Bird ticket, half the channels", "vgg_small",
                   "early_bird", {{"channel_ratio", 0.5}}, 10, 2),
            preset("week13-reconstruction", "Week 13 · LeNet-5 · layer-wise reconstruction 80 %, no retraining",
                   "lenet5", "layerwise_reconstruction", {{"sparsity", 0.8}}, 10, 0),
            preset("week14-fbs", "Week 14 · VGG-small · FBS, half the channels per input (run-time)", "vgg_small",
                   "fbs", {{"density", 0.5}}, 4, 2),
        };
    }();
    return presets;
}

const ExperimentPreset* findPreset(const std::string& id)
{
    for (const auto& preset : experimentPresets())
        if (preset.id == id)
            return &preset;
    return nullptr;
}

std::string toJson(const ExperimentConfig& c, int indent)
{
    json params = json::object();
    for (const auto& [key, value] : c.methodParams)
        params[key] = paramToJson(value);
    json j = {{"name", c.name},
              {"model", c.model},
              {"dataset",
               {{"name", c.dataset.name},
                {"directory", c.dataset.directory},
                {"validation_fraction", c.dataset.validationFraction},
                {"train_limit", c.dataset.trainLimit},
                {"test_limit", c.dataset.testLimit}}},
              {"dense_training", recipeToJson(c.denseTraining)},
              {"method", c.method},
              {"method_params", params},
              {"fine_tuning", recipeToJson(c.fineTuning)},
              {"seed", c.seed},
              {"threads", c.threads},
              {"use_dense_cache", c.useDenseCache},
              {"cache_directory", c.cacheDirectory},
              {"latency_repeats", c.latencyRepeats},
              {"bn_recalibration_batches", c.bnRecalibrationBatches}};
    return j.dump(indent);
}

ExperimentConfig experimentFromJson(const std::string& text)
{
    json j;
    try {
        j = json::parse(text);
    } catch (const json::parse_error& e) {
        throw std::invalid_argument(std::string("config is not valid JSON: ") + e.what());
    }
    if (!j.is_object())
        throw std::invalid_argument("config: expected a JSON object at the top level");

    static const char* known[] = {"name",
                                  "model",
                                  "dataset",
                                  "dense_training",
                                  "method",
                                  "method_params",
                                  "fine_tuning",
                                  "seed",
                                  "threads",
                                  "use_dense_cache",
                                  "cache_directory",
                                  "latency_repeats",
                                  "bn_recalibration_batches"};
    for (const auto& [key, value] : j.items()) {
        if (std::find(std::begin(known), std::end(known), key) == std::end(known))
            throw std::invalid_argument("config: unknown field '" + key + "'");
    }

    ExperimentConfig c;
    c.fineTuning = ExperimentConfig{}.fineTuning;
    readField(j, "", "name", c.name);
    readField(j, "", "model", c.model);
    readField(j, "", "method", c.method);
    readField(j, "", "seed", c.seed);
    readField(j, "", "threads", c.threads);
    readField(j, "", "use_dense_cache", c.useDenseCache);
    readField(j, "", "cache_directory", c.cacheDirectory);
    readField(j, "", "latency_repeats", c.latencyRepeats);
    c.bnRecalibrationBatches = 0;  // absent: the run was made before statistics were re-estimated
    readField(j, "", "bn_recalibration_batches", c.bnRecalibrationBatches);
    if (auto it = j.find("dataset"); it != j.end()) {
        if (!it->is_object())
            throw std::invalid_argument("config field 'dataset': expected an object");
        readField(*it, "dataset.", "name", c.dataset.name);
        readField(*it, "dataset.", "directory", c.dataset.directory);
        readField(*it, "dataset.", "validation_fraction", c.dataset.validationFraction);
        readField(*it, "dataset.", "train_limit", c.dataset.trainLimit);
        readField(*it, "dataset.", "test_limit", c.dataset.testLimit);
    }
    if (auto it = j.find("dense_training"); it != j.end())
        c.denseTraining = recipeFromJson(*it, "dense_training", c.denseTraining);
    if (auto it = j.find("fine_tuning"); it != j.end())
        c.fineTuning = recipeFromJson(*it, "fine_tuning", c.fineTuning);
    if (auto it = j.find("method_params"); it != j.end()) {
        if (!it->is_object())
            throw std::invalid_argument("config field 'method_params': expected an object");
        for (const auto& [key, value] : it->items())
            c.methodParams[key] = paramFromJson(value, key);
    }
    return c;
}

std::string paramToString(const ParamValue& value)
{
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, bool>)
                return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::string>)
                return x;
            else {
                std::ostringstream out;
                out << x;
                return out.str();
            }
        },
        value);
}

}  // namespace prunescope
