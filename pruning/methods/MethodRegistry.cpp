// Maps a catalogue id to its algorithm. The metadata (tags, card, schema) is in
// MethodCatalogue.cpp; a test checks that both list the same ids.
#include "methods/MagnitudePruning.h"
#include "methods/MethodInfo.h"

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
    throw std::logic_error("method '" + id + "' is in the catalogue but has no implementation");
}

std::vector<PrunableLayer> layersToPrune(const ModelBase& model, const ParamMap& params)
{
    const auto it = params.find("include_classifier");
    const bool includeClassifier = it != params.end() && std::get<bool>(it->second);
    std::vector<PrunableLayer> layers;
    for (const auto& layer : model.prunableLayers()) {
        if (!layer.isClassifier || includeClassifier)
            layers.push_back(layer);
    }
    return layers;
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

bool boolParam(const ParamMap& params, const std::string& name)
{
    const auto it = params.find(name);
    if (it == params.end() || !std::holds_alternative<bool>(it->second))
        throw std::invalid_argument("parameter '" + name + "' is missing or not true/false");
    return std::get<bool>(it->second);
}

}  // namespace prunescope
