// Maps a catalogue id to its algorithm. The metadata (tags, card, schema) is in
// MethodCatalogue.cpp; a test checks that both list the same ids.
#include "core/TextFormat.h"
#include "methods/DeepCompression.h"
#include "methods/IterativePruning.h"
#include "methods/MagnitudePruning.h"
#include "core/MethodInfo.h"
#include "methods/PostTrainingPruning.h"
#include "methods/Quantization.h"
#include "methods/RegularisedPruning.h"
#include "methods/RunTimePruning.h"
#include "methods/SaliencyPruning.h"
#include "methods/SemiStructuredPruning.h"
#include "methods/SparseTraining.h"
#include "methods/StructuredPruning.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace prunescope {

std::unique_ptr<PruningMethod> createPruningMethod(const std::string& id)
{
    methodInfo(id);  // throws with the list of known ids
    if (id == "global_magnitude")
        return std::make_unique<GlobalMagnitudePruner>();
    if (id == "layerwise_magnitude")
        return std::make_unique<LayerwiseMagnitudePruner>();
    if (id == "random")
        return std::make_unique<RandomPruner>();
    if (id == "nm_sparsity")
        return std::make_unique<NmPruner>();
    if (id == "kernel_pattern")
        return std::make_unique<KernelPatternPruner>();
    if (id == "snip")
        return std::make_unique<SnipPruner>();
    if (id == "grasp")
        return std::make_unique<GraspPruner>();
    if (id == "synflow")
        return std::make_unique<SynflowPruner>();
    if (id == "taylor")
        return std::make_unique<TaylorPruner>();
    if (id == "wanda")
        return std::make_unique<WandaPruner>();
    if (id == "layerwise_reconstruction")
        return std::make_unique<ReconstructionPruner>();
    if (id == "lottery_ticket")
        return std::make_unique<LotteryTicketPruner>();
    if (id == "iterative_magnitude")
        return std::make_unique<IterativeMagnitudePruner>();
    if (id == "gmp")
        return std::make_unique<GradualMagnitudePruner>();
    if (id == "set")
        return std::make_unique<DynamicSparseTrainer>(DynamicSparseTrainer::Growth::Random);
    if (id == "rigl")
        return std::make_unique<DynamicSparseTrainer>(DynamicSparseTrainer::Growth::Gradient);
    if (id == "movement")
        return std::make_unique<MovementPruner>();
    if (id == "deep_compression")
        return std::make_unique<DeepCompressionPruner>();
    if (id == "fbs")
        return std::make_unique<FeatureBoostingPruner>();
    if (id == "ptq_int8")
        return std::make_unique<PostTrainingQuantizer>();
    if (id == "qat")
        return std::make_unique<QuantizationAwareTrainer>();
    using Regularised = RegularisedChannelPruner::Variant;
    static const std::map<std::string, Regularised> regularised = {{"slimming", Regularised::Slimming},
                                                                   {"ssl", Regularised::GroupLasso},
                                                                   {"sfp", Regularised::SoftFilter},
                                                                   {"early_bird", Regularised::EarlyBird},
                                                                   {"greg", Regularised::GrowingRegularisation}};
    if (const auto it = regularised.find(id); it != regularised.end())
        return std::make_unique<RegularisedChannelPruner>(it->second);
    static const std::map<std::string, ChannelCriterion> channelCriteria
        = {{"l1_filter", ChannelCriterion::L1Norm},        {"l2_filter", ChannelCriterion::L2Norm},
           {"fpgm", ChannelCriterion::GeometricMedian},    {"taylor_channel", ChannelCriterion::Taylor},
           {"bn_scale", ChannelCriterion::BatchNormScale}, {"hrank", ChannelCriterion::FeatureMapRank},
           {"random_channel", ChannelCriterion::Random}};
    if (const auto it = channelCriteria.find(id); it != channelCriteria.end())
        return std::make_unique<ChannelPruner>(it->second);
    throw std::logic_error("method '" + id + "' is in the catalogue but has no implementation");
}

MaskSet PruningMethod::computeMasks(const PruningContext&)
{
    throw std::logic_error("this method prunes during training; it has no one-shot masks");
}

std::vector<PrunableLayer> layersToPrune(const ModelBase& model, bool includeClassifier)
{
    std::vector<PrunableLayer> layers;
    for (const auto& layer : model.prunableLayers()) {
        if (!layer.isClassifier || includeClassifier)
            layers.push_back(layer);
    }
    return layers;
}

std::map<std::string, double> layerSparsities(const std::vector<PrunableLayer>& layers, double sparsity,
                                              const std::string& layerSparsity)
{
    std::map<std::string, double> targets;
    for (const auto& layer : layers)
        targets[layer.name] = sparsity;
    return parseLayerTargets("layer_sparsity", layerSparsity, std::move(targets));
}

std::map<std::string, double> parseLayerTargets(const std::string& param, const std::string& text,
                                                std::map<std::string, double> targets)
{
    for (const std::string& item : splitCommaList(text)) {
        const auto equals = item.find('=');
        const std::string name = item.substr(0, equals);
        if (equals == std::string::npos || !targets.count(name)) {
            std::string known;
            for (const auto& [layer, _] : targets)
                known += (known.empty() ? "" : ", ") + layer;
            throw std::invalid_argument(param + ": '" + item + "' must be NAME=FRACTION with NAME one of " + known);
        }
        char* end = nullptr;
        const std::string value = item.substr(equals + 1);
        const double fraction = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' || !(fraction >= 0 && fraction <= 1))
            throw std::invalid_argument(param + ": '" + item + "': the fraction must be a number in [0, 1]");
        targets[name] = fraction;
    }
    return targets;
}

double doubleParam(const ParamMap& params, const std::string& name)
{
    const auto it = params.find(name);
    if (it == params.end())
        throw std::invalid_argument("missing parameter '" + name + "'");
    if (const auto* d = std::get_if<double>(&it->second))
        return *d;
    if (const auto* i = std::get_if<int64_t>(&it->second))
        return double(*i);
    throw std::invalid_argument("parameter '" + name + "' is not a number");
}

int64_t intParam(const ParamMap& params, const std::string& name)
{
    return int64_t(std::llround(doubleParam(params, name)));
}

std::string stringParam(const ParamMap& params, const std::string& name)
{
    const auto it = params.find(name);
    if (it == params.end() || !std::holds_alternative<std::string>(it->second))
        throw std::invalid_argument("parameter '" + name + "' is missing or not text");
    return std::get<std::string>(it->second);
}

std::pair<torch::Tensor, torch::Tensor> scoringBatch(const DataSplits& data, int64_t size, uint64_t seed)
{
    const int64_t n = std::min(size, data.train.size());
    if (n == 0)
        throw std::invalid_argument("this method scores weights on training data, but the training set is empty");
    const torch::Tensor index
        = torch::randperm(data.train.size(), seededGenerator(seed ^ 0xba7c4ull), torch::kInt64).narrow(0, 0, n);
    return {data.train.normalisedAt(index), data.train.labels.index_select(0, index)};
}

bool boolParam(const ParamMap& params, const std::string& name)
{
    const auto it = params.find(name);
    if (it == params.end() || !std::holds_alternative<bool>(it->second))
        throw std::invalid_argument("parameter '" + name + "' is missing or not true/false");
    return std::get<bool>(it->second);
}

}  // namespace prunescope
