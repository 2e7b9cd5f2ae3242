#include "structure/ChannelGroups.h"

#include "core/ExperimentConfig.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace prunescope {

std::string ChannelGroup::describe() const
{
    std::string text;
    for (const auto& producer : producers)
        text += (text.empty() ? "" : " + ") + producer;
    for (const auto& norm : norms)
        text += " + " + norm;
    std::string readers;
    for (const auto& consumer : consumers)
        readers += (readers.empty() ? "" : ", ") + consumer.layer;
    return text + " → " + (readers.empty() ? "(none)" : readers) + " (" + std::to_string(channels) + " channels)";
}

namespace {

// Union-find over layer names: layers whose outputs are added share one set.
class OutputSets {
public:
    std::string find(const std::string& layer)
    {
        auto it = m_parent.find(layer);
        if (it == m_parent.end() || it->second == layer)
            return layer;
        const std::string root = find(it->second);
        m_parent[layer] = root;
        return root;
    }
    void unite(const std::string& a, const std::string& b)
    {
        const std::string ra = find(a), rb = find(b);
        if (ra != rb)
            m_parent[rb] = ra;
    }

private:
    std::map<std::string, std::string> m_parent;
};

const PrunableLayer& layerNamed(const ModelBase& model, const std::string& name)
{
    for (const auto& layer : model.prunableLayers()) {
        if (layer.name == name)
            return layer;
    }
    throw std::logic_error("model " + model.modelId() + " declares no layer '" + name + "'");
}

torch::Tensor indexTensor(const std::vector<int64_t>& kept)
{
    return torch::tensor(kept, torch::kLong);
}

// Channel indices → input-feature indices of a consumer that reads perChannel features each.
torch::Tensor expandIndices(const torch::Tensor& channels, int64_t perChannel)
{
    if (perChannel == 1)
        return channels;
    return (channels.unsqueeze(1) * perChannel + torch::arange(perChannel, torch::kLong).unsqueeze(0)).flatten();
}

// Which index_selects turn each full-size tensor (by parameter/buffer name) into its thin copy.
using SelectionPlan = std::map<std::string, std::vector<std::pair<int64_t, torch::Tensor>>>;

SelectionPlan selectionPlan(const std::vector<ChannelGroup>& groups, const ChannelSelection& selection)
{
    SelectionPlan plan;
    for (const auto& group : groups) {
        const auto it = selection.find(group.name);
        if (it == selection.end())
            continue;
        const torch::Tensor kept = indexTensor(it->second);
        for (const auto& producer : group.producers) {
            plan[producer + ".weight"].emplace_back(0, kept);
            plan[producer + ".bias"].emplace_back(0, kept);
        }
        for (const auto& norm : group.norms) {
            for (const char* field : {".weight", ".bias", ".running_mean", ".running_var"})
                plan[norm + field].emplace_back(0, kept);
        }
        for (const auto& consumer : group.consumers)
            plan[consumer.layer + ".weight"].emplace_back(1, expandIndices(kept, consumer.perChannel));
    }
    return plan;
}

}  // namespace

std::vector<ChannelGroup> channelGroups(const ModelBase& model)
{
    if (!model.declaresLayerGraph())
        throw std::invalid_argument("model " + model.modelId() + ": " + kStructuredNeedsZooModel);
    OutputSets sets;
    for (const auto& [a, b] : model.tiedOutputs())
        sets.unite(a, b);

    std::vector<ChannelGroup> groups;
    std::map<std::string, size_t> groupOfRoot;
    std::map<std::string, size_t> groupOfLayer;
    for (const auto& layer : model.prunableLayers()) {
        const std::string root = sets.find(layer.name);
        auto [it, inserted] = groupOfRoot.try_emplace(root, groups.size());
        if (inserted)
            groups.push_back({layer.name, layer.weight.size(0), {}, {}, {}});
        ChannelGroup& group = groups[it->second];
        if (group.channels != layer.weight.size(0))
            throw std::logic_error("layers " + group.name + " and " + layer.name
                                   + " are tied by a residual addition but have different widths");
        group.producers.push_back(layer.name);
        groupOfLayer[layer.name] = it->second;
    }
    for (const auto& norm : model.norms())
        groups.at(groupOfLayer.at(norm.producer)).norms.push_back(norm.norm);
    for (const auto& link : model.links())
        groups.at(groupOfLayer.at(link.from)).consumers.push_back({link.to, link.perChannel});

    // The classifier's outputs are the network's outputs: never a prunable group.
    std::vector<ChannelGroup> prunable;
    for (auto& group : groups) {
        const bool holdsClassifier = std::any_of(group.producers.begin(), group.producers.end(), [&](const auto& name) {
            return layerNamed(model, name).isClassifier;
        });
        if (!holdsClassifier)
            prunable.push_back(std::move(group));
    }
    return prunable;
}

void validateSelection(const std::vector<ChannelGroup>& groups, const ChannelSelection& selection)
{
    for (const auto& [name, kept] : selection) {
        const auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == name; });
        if (group == groups.end())
            throw std::invalid_argument("channel selection names '" + name
                                        + "', which is not a prunable channel group");
        if (kept.empty())
            throw std::invalid_argument("channel group " + name + ": at least one channel must be kept");
        for (size_t i = 0; i < kept.size(); ++i) {
            if (kept[i] < 0 || kept[i] >= group->channels)
                throw std::invalid_argument("channel group " + name + ": index " + std::to_string(kept[i])
                                            + " is outside [0, " + std::to_string(group->channels) + ")");
            if (i > 0 && kept[i] <= kept[i - 1])
                throw std::invalid_argument("channel group " + name + ": kept indices must be ascending and distinct");
        }
    }
}

MaskSet channelMasks(const ModelBase& model, const std::vector<ChannelGroup>& groups, const ChannelSelection& selection)
{
    validateSelection(groups, selection);
    MaskSet masks;
    for (const auto& group : groups) {
        const auto it = selection.find(group.name);
        if (it == selection.end())
            continue;
        torch::Tensor keep = torch::zeros({group.channels});
        keep.index_fill_(0, indexTensor(it->second), 1.0);
        for (const auto& producer : group.producers) {
            const torch::Tensor& weight = layerNamed(model, producer).weight;
            std::vector<int64_t> shape(size_t(weight.dim()), 1);
            shape[0] = group.channels;
            masks.compose(producer, keep.view(shape).expand(weight.sizes()).contiguous());
        }
        for (const auto& consumer : group.consumers) {
            const torch::Tensor& weight = layerNamed(model, consumer.layer).weight;
            std::vector<int64_t> shape(size_t(weight.dim()), 1);
            shape[1] = weight.size(1);
            const torch::Tensor columns = keep.repeat_interleave(consumer.perChannel);
            masks.compose(consumer.layer, columns.view(shape).expand(weight.sizes()).contiguous());
        }
    }
    return masks;
}

ModelWidths widthsAfterRemoval(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                               const ChannelSelection& selection)
{
    validateSelection(groups, selection);
    ModelWidths widths = model.widths();
    for (const auto& group : groups) {
        if (const auto it = selection.find(group.name); it != selection.end()) {
            for (const auto& producer : group.producers)
                widths[producer] = int64_t(it->second.size());
        }
    }
    return widths;
}

std::shared_ptr<ModelBase> removeChannels(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                                          const ChannelSelection& selection)
{
    std::shared_ptr<ModelBase> thin
        = createModel(model.modelId(), model.inputShape(), widthsAfterRemoval(model, groups, selection));
    const SelectionPlan plan = selectionPlan(groups, selection);
    torch::NoGradGuard noGrad;
    auto copyAll = [&](auto thinTensors, auto fullTensors) {
        for (auto& item : thinTensors) {
            torch::Tensor source = fullTensors[item.key()];
            if (const auto it = plan.find(item.key()); it != plan.end()) {
                for (const auto& [dim, index] : it->second)
                    source = source.index_select(dim, index);
            }
            if (source.sizes() != item.value().sizes())
                throw std::logic_error("removing channels: " + item.key() + " has shape " + c10::str(source.sizes())
                                       + ", the thin model expects " + c10::str(item.value().sizes()));
            item.value().copy_(source);
        }
    };
    copyAll(thin->named_parameters(true), model.named_parameters(true));
    copyAll(thin->named_buffers(true), model.named_buffers(true));
    thin->train(model.is_training());
    return thin;
}

}  // namespace prunescope
