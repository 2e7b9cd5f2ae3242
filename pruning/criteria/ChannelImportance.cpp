#include "criteria/ChannelImportance.h"

#include <cmath>
#include <stdexcept>

namespace prunescope {
namespace {

torch::Tensor weightOf(const ModelBase& model, const std::string& layer)
{
    for (const auto& candidate : model.prunableLayers()) {
        if (candidate.name == layer)
            return candidate.weight;
    }
    throw std::logic_error("no layer " + layer + " in " + model.modelId());
}

// Rows = output channels, columns = everything one filter holds.
torch::Tensor filters(const ModelBase& model, const std::string& layer)
{
    return weightOf(model, layer).detach().flatten(1);
}

torch::Tensor parameterOrUndefined(const ModelBase& model, const std::string& name)
{
    const auto params = model.named_parameters(true);
    const torch::Tensor* found = params.find(name);
    return found ? *found : torch::Tensor();
}

}  // namespace

torch::Tensor filterNormScores(const ModelBase& model, const ChannelGroup& group, int p)
{
    torch::NoGradGuard noGrad;
    torch::Tensor scores = torch::zeros({group.channels});
    for (const auto& producer : group.producers)
        scores += filters(model, producer).norm(p, {1});
    return scores;
}

torch::Tensor geometricMedianScores(const ModelBase& model, const ChannelGroup& group)
{
    torch::NoGradGuard noGrad;
    torch::Tensor scores = torch::zeros({group.channels});
    for (const auto& producer : group.producers) {
        const torch::Tensor f = filters(model, producer);
        scores += torch::cdist(f.unsqueeze(0), f.unsqueeze(0)).squeeze(0).sum(1);
    }
    return scores;
}

torch::Tensor batchNormScaleScores(const ModelBase& model, const ChannelGroup& group)
{
    torch::NoGradGuard noGrad;
    if (group.norms.empty())
        throw std::invalid_argument("BatchNorm-scale pruning needs BatchNorm after every pruned layer, and "
                                    + group.name + " in " + model.modelId()
                                    + " has none (use a model with BatchNorm: vgg_small, resnet20)");
    torch::Tensor scores = torch::zeros({group.channels});
    for (const auto& norm : group.norms)
        scores += parameterOrUndefined(model, norm + ".weight").detach().abs();
    return scores;
}

std::vector<torch::Tensor> taylorGroupScores(ModelBase& model, const std::vector<ChannelGroup>& groups,
                                             const std::vector<std::pair<torch::Tensor, torch::Tensor>>& batches)
{
    if (batches.empty())
        throw std::invalid_argument("Taylor channel importance needs at least one batch");
    // The parameters indexed by each group's channels along dim 0.
    std::vector<std::vector<torch::Tensor>> owned(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) {
        for (const auto& producer : groups[g].producers) {
            for (const char* field : {".weight", ".bias"}) {
                if (auto t = parameterOrUndefined(model, producer + field); t.defined())
                    owned[g].push_back(t);
            }
        }
        for (const auto& norm : groups[g].norms) {
            for (const char* field : {".weight", ".bias"}) {
                if (auto t = parameterOrUndefined(model, norm + field); t.defined())
                    owned[g].push_back(t);
            }
        }
    }
    std::vector<torch::Tensor> scores(groups.size());
    for (size_t g = 0; g < groups.size(); ++g)
        scores[g] = torch::zeros({groups[g].channels});

    // Train mode as in the paper (importance estimated while training); BN statistics are
    // restored afterwards so scoring leaves no trace.
    const bool wasTraining = model.is_training();
    std::vector<torch::Tensor> savedBuffers;
    for (const auto& buffer : model.buffers())
        savedBuffers.push_back(buffer.clone());
    model.train();
    for (const auto& [images, labels] : batches) {
        model.zero_grad();
        torch::nn::functional::cross_entropy(model.forward(images), labels).backward();
        torch::NoGradGuard noGrad;
        for (size_t g = 0; g < groups.size(); ++g) {
            torch::Tensor contribution = torch::zeros({groups[g].channels});
            for (const auto& t : owned[g]) {
                if (t.grad().defined())
                    contribution += (t.grad() * t).reshape({groups[g].channels, -1}).sum(1);
            }
            scores[g] += contribution.pow(2);
        }
    }
    model.zero_grad();
    {
        torch::NoGradGuard noGrad;
        auto buffers = model.buffers();
        for (size_t i = 0; i < buffers.size(); ++i)
            buffers[i].copy_(savedBuffers[i]);
    }
    model.train(wasTraining);
    for (auto& s : scores)
        s /= double(batches.size());
    return scores;
}

std::vector<torch::Tensor> featureMapRankScores(ModelBase& model, const std::vector<ChannelGroup>& groups,
                                                const torch::Tensor& images)
{
    torch::NoGradGuard noGrad;
    // Each group is read through one consumer that sees its channels as maps.
    std::map<std::string, std::pair<size_t, int64_t>> readers;  // layer → (group, perChannel)
    for (size_t g = 0; g < groups.size(); ++g) {
        for (const auto& consumer : groups[g].consumers) {
            const torch::Tensor w = weightOf(model, consumer.layer);
            const int64_t side = int64_t(std::lround(std::sqrt(double(consumer.perChannel))));
            const bool seesMaps = w.dim() == 4 || (consumer.perChannel > 1 && side * side == consumer.perChannel);
            if (seesMaps) {
                readers.emplace(consumer.layer, std::make_pair(g, consumer.perChannel));
                break;
            }
        }
    }
    std::vector<torch::Tensor> scores(groups.size());
    const bool wasTraining = model.is_training();
    model.eval();
    model.setInputRecorder([&](const std::string& layer, const torch::Tensor& x) {
        const auto it = readers.find(layer);
        if (it == readers.end())
            return;
        const auto [g, perChannel] = it->second;
        torch::Tensor maps = x.detach();
        if (maps.dim() == 2) {
            const int64_t side = int64_t(std::lround(std::sqrt(double(perChannel))));
            maps = maps.view({maps.size(0), groups[g].channels, side, side});
        }
        // Rank of every sample's every channel map, averaged over the samples.
        scores[g] = torch::linalg::matrix_rank(maps.to(torch::kFloat64), 1e-6, false).to(torch::kFloat32).mean(0);
    });
    try {
        model.forward(images);
    } catch (...) {
        model.setInputRecorder({});
        model.train(wasTraining);
        throw;
    }
    model.setInputRecorder({});
    model.train(wasTraining);
    return scores;
}

}  // namespace prunescope
