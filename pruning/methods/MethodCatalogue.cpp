// The registry's metadata: taxonomy tags, cards and parameter schemas. The algorithms live in
// the per-method files; this file stays free of LibTorch so pickers and the CLI list it cheaply.
#include "methods/MethodInfo.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace prunescope {
namespace {

ParamSpec sparsityParam()
{
    return {"sparsity", ParamType::Double, 0.9, 0.0, 0.999,
            "Fraction of the prunable weights set to zero (0.9 = 90 %, compression about 10×)."};
}

ParamSpec includeClassifierParam()
{
    return {"include_classifier", ParamType::Bool, false, 0, 0,
            "Also prune the last (classifier) layer. Off by default, as in ShrinkBench: pruning it "
            "can silence whole classes."};
}

std::vector<MethodInfo> buildCatalogue()
{
    std::vector<MethodInfo> methods;
    methods.push_back(
        {"global_magnitude",
         {"unstructured", "after training", "magnitude", "", ""},
         {"Global magnitude pruning", "Han, Pool, Tran, Dally", "NeurIPS", 2015,
          "Train the dense network, then zero the weights with the smallest |w| across all "
          "prunable layers at once (one global threshold), and fine-tune with the mask fixed. "
          "Layers whose weights are small overall lose more; Blalock et al. (2020) find it beats "
          "layer-wise pruning at equal parameter count."},
         {sparsityParam(), includeClassifierParam()}});
    methods.push_back(
        {"layerwise_magnitude",
         {"unstructured", "after training", "magnitude", "", ""},
         {"Layer-wise magnitude pruning", "Han, Pool, Tran, Dally", "NeurIPS", 2015,
          "Train, then zero the same fraction of smallest-|w| weights in every prunable layer "
          "(one threshold per layer), and fine-tune with the mask fixed. Uniform per-layer "
          "sparsity protects small layers but over-prunes none and under-prunes the big ones."},
         {sparsityParam(), includeClassifierParam()}});
    methods.push_back(
        {"random",
         {"unstructured", "after training", "random", "", ""},
         {"Random pruning (baseline)", "Blalock, Gonzalez Ortiz, Frankle, Guttag", "MLSys", 2020,
          "Zero a uniformly random subset of each prunable layer's weights at the given sparsity "
          "(the same per-layer density as layer-wise pruning), then fine-tune. The baseline every "
          "pruning criterion has to beat."},
         {sparsityParam(), includeClassifierParam()}});
    return methods;
}

std::string rangeText(const ParamSpec& spec)
{
    std::ostringstream out;
    out << "[" << spec.minimum << ", " << spec.maximum << "]";
    return out.str();
}

}  // namespace

const std::vector<MethodInfo>& methodCatalogue()
{
    static const std::vector<MethodInfo> catalogue = buildCatalogue();
    return catalogue;
}

const MethodInfo& methodInfo(const std::string& id)
{
    for (const auto& method : methodCatalogue()) {
        if (method.id == id)
            return method;
    }
    std::string known;
    for (const auto& method : methodCatalogue())
        known += (known.empty() ? "" : ", ") + method.id;
    throw std::invalid_argument("unknown pruning method '" + id + "' (known: " + known + ")");
}

ParamMap resolveParams(const MethodInfo& method, const ParamMap& given)
{
    for (const auto& [key, value] : given) {
        bool known = false;
        for (const auto& spec : method.params)
            known = known || spec.name == key;
        if (!known)
            throw std::invalid_argument("method '" + method.id + "' has no parameter '" + key + "'");
    }
    ParamMap resolved;
    for (const auto& spec : method.params) {
        auto it = given.find(spec.name);
        ParamValue value = it == given.end() ? spec.defaultValue : it->second;
        const std::string where = "parameter '" + spec.name + "' of method '" + method.id + "'";
        switch (spec.type) {
        case ParamType::Bool:
            if (!std::holds_alternative<bool>(value))
                throw std::invalid_argument(where + ": expected true or false, got " + paramToString(value));
            break;
        case ParamType::String:
            if (!std::holds_alternative<std::string>(value))
                throw std::invalid_argument(where + ": expected text, got " + paramToString(value));
            break;
        case ParamType::Int:
        case ParamType::Double: {
            double number = 0;
            if (auto* i = std::get_if<int64_t>(&value))
                number = double(*i);
            else if (auto* d = std::get_if<double>(&value))
                number = *d;
            else
                throw std::invalid_argument(where + ": expected a number, got " + paramToString(value));
            if (spec.type == ParamType::Int && std::floor(number) != number)
                throw std::invalid_argument(where + ": expected a whole number, got " + paramToString(value));
            if (!std::isfinite(number) || number < spec.minimum || number > spec.maximum)
                throw std::invalid_argument(where + ": " + paramToString(value) + " is outside " +
                                            rangeText(spec));
            value = spec.type == ParamType::Int ? ParamValue(int64_t(number)) : ParamValue(number);
            break;
        }
        }
        resolved[spec.name] = value;
    }
    return resolved;
}

const std::vector<ModelInfo>& modelCatalogue()
{
    static const std::vector<ModelInfo> models = {
        {"lenet300100", "LeNet-300-100: fully connected 784-300-100-10"},
        {"lenet5", "LeNet-5: conv 6, conv 16, fc 120, fc 84, fc 10"},
        {"lenet5caffe", "LeNet-5-Caffe (Han et al., SNIP): conv 20, conv 50, fc 500, fc 10"},
        {"vgg_small", "Small VGG-style CNN with BatchNorm: 32-32-64-64-128, fc 10"},
        {"resnet20", "ResNet-20-style: 3 stages × 3 residual blocks (16, 32, 64 channels)"},
    };
    return models;
}

}  // namespace prunescope
