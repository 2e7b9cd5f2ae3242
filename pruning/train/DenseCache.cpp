#include "train/DenseCache.h"

#include "models/ScriptedModel.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace prunescope {
namespace {

namespace fs = std::filesystem;

uint64_t fnv1a(const std::string& text)
{
    uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

}  // namespace

DenseCache::DenseCache(std::string directory)
    : m_directory(directory.empty() ? defaultDirectory() : std::move(directory))
{
}

std::string DenseCache::defaultDirectory()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "PruneScope" / "dense").string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : "/tmp") / ".cache" / "PruneScope" / "dense").string();
}

std::string DenseCache::key(const ExperimentConfig& config, const std::string& dataFingerprint, const DataShape& shape)
{
    // Only what changes the dense weights; the thread count is included because float
    // reductions may round differently with a different number of threads.
    ExperimentConfig keyed;
    keyed.model = config.model;
    std::string prefix = config.model;
    if (isModelFile(config.model)) {
        // A file by its content: an edited file is a new model, a copied one the same model.
        keyed.model = "torchscript:" + fileFingerprint(config.model);
        prefix = "torchscript-";
        for (char c : fs::path(config.model).stem().string())
            prefix += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    }
    keyed.dataset = config.dataset;
    keyed.dataset.directory.clear();  // the content fingerprint identifies the data, not its path
    keyed.denseTraining = config.denseTraining;
    keyed.seed = config.seed;
    keyed.threads = config.threads;
    keyed.method.clear();
    keyed.fineTuning = {};
    std::ostringstream out;
    // The shape the model is built for: the fingerprint hashes the pixels, not how they are laid out.
    out << prefix << "-" << std::hex << fnv1a(toJson(keyed, -1) + "|" + dataFingerprint + "|" + describeShape(shape));
    return out.str();
}

std::string DenseCache::checkpointPath(const std::string& key) const
{
    return (fs::path(m_directory) / (key + ".pt")).string();
}

bool DenseCache::load(const std::string& key, ModelBase& model, std::vector<EpochMetrics>& history,
                      std::string& problem) const
{
    const std::string path = checkpointPath(key);
    const std::string historyPath = (fs::path(m_directory) / (key + ".json")).string();
    if (!fs::exists(path) || !fs::exists(historyPath))
        return false;
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        model.load(archive);
        std::ifstream in(historyPath);
        const auto j = nlohmann::json::parse(in);
        history.clear();
        for (const auto& e : j.at("epochs")) {
            EpochMetrics m;
            m.phase = e.at("phase").get<std::string>();
            m.epoch = e.at("epoch").get<int>();
            m.learningRate = e.at("learning_rate").get<double>();
            m.trainLoss = e.at("train_loss").get<double>();
            m.trainAccuracy = e.at("train_accuracy").get<double>();
            m.validationLoss = e.at("validation_loss").get<double>();
            m.validationAccuracy = e.at("validation_accuracy").get<double>();
            history.push_back(m);
        }
        return true;
    } catch (const std::exception& e) {
        problem = "ignoring damaged dense checkpoint " + path + ": " + e.what();
        return false;
    }
}

void DenseCache::store(const std::string& key, const ModelBase& model, const std::vector<EpochMetrics>& history) const
{
    fs::create_directories(m_directory);
    const std::string path = checkpointPath(key);
    const std::string historyPath = (fs::path(m_directory) / (key + ".json")).string();
    nlohmann::json epochs = nlohmann::json::array();
    for (const auto& m : history)
        epochs.push_back({{"phase", m.phase},
                          {"epoch", m.epoch},
                          {"learning_rate", m.learningRate},
                          {"train_loss", m.trainLoss},
                          {"train_accuracy", m.trainAccuracy},
                          {"validation_loss", m.validationLoss},
                          {"validation_accuracy", m.validationAccuracy}});
    {
        std::ofstream out(historyPath + ".tmp");
        out << nlohmann::json{{"epochs", epochs}}.dump(1);
        if (!out.flush())
            throw std::runtime_error("cannot write " + historyPath + " (disk full?)");
    }
    torch::serialize::OutputArchive archive;
    model.save(archive);
    archive.save_to(path + ".tmp");
    // The checkpoint is renamed last: load() needs both files, so a crash in between is a miss.
    fs::rename(historyPath + ".tmp", historyPath);
    fs::rename(path + ".tmp", path);
}

}  // namespace prunescope
