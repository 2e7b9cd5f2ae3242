#include "core/ExperimentConfig.h"

#include "core/DatasetCatalogue.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <utility>
#include <vector>
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
            {"step_gamma", r.stepGamma},
            {"augment", r.augment}};
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

// Reads an optional string field that names one of a few choices.
template <typename Enum>
void readChoice(const json& object, const std::string& path, const char* key,
                const std::vector<std::pair<std::string, Enum>>& choices, Enum& out)
{
    std::string text;
    if (object.find(key) == object.end())
        return;
    readField(object, path, key, text);
    std::string names;
    for (const auto& [name, value] : choices) {
        if (name == text) {
            out = value;
            return;
        }
        names += (names.empty() ? "" : " or ") + ("\"" + name + "\"");
    }
    throw std::invalid_argument("config field '" + path + key + "': expected " + names + ", got \"" + text + "\"");
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
    readField(j, p, "augment", r.augment);
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
    // Where Fashion-MNIST is: the Debian package's folder, else where a download puts it (so a
    // dataset downloaded from the window is found at the next start).
    if (const KnownDataset* fashion = findKnownDataset(config.dataset.name))
        config.dataset.directory = defaultDatasetDirectory(*fashion);
    return config;
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
                {"test_limit", c.dataset.testLimit},
                {"cifar_labels", c.dataset.cifarLabels == CifarLabels::Fine ? "fine" : "coarse"},
                {"test_fraction", c.dataset.testFraction},
                {"resize", c.dataset.resize},
                {"unreadable_images", c.dataset.unreadableImages == UnreadableImages::Fail ? "fail" : "skip"}}},
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
        readChoice(*it, "dataset.", "cifar_labels", {{"fine", CifarLabels::Fine}, {"coarse", CifarLabels::Coarse}},
                   c.dataset.cifarLabels);
        readField(*it, "dataset.", "test_fraction", c.dataset.testFraction);
        readField(*it, "dataset.", "resize", c.dataset.resize);
        readChoice(*it, "dataset.", "unreadable_images",
                   {{"fail", UnreadableImages::Fail}, {"skip", UnreadableImages::Skip}}, c.dataset.unreadableImages);
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
