#include "methods/DeepCompression.h"

#include "methods/MagnitudePruning.h"

namespace prunescope {

DeepCompressionOptions DeepCompressionOptions::from(const ParamMap& params)
{
    DeepCompressionOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.layerSparsity = stringParam(params, "layer_sparsity");
    options.includeClassifier = boolParam(params, "include_classifier");
    options.convBits = int(intParam(params, "conv_bits"));
    options.fcBits = int(intParam(params, "fc_bits"));
    options.convIndexBits = int(intParam(params, "conv_index_bits"));
    options.fcIndexBits = int(intParam(params, "fc_index_bits"));
    options.init = centroidInitFromName(stringParam(params, "init"));
    options.kmeansIterations = int(intParam(params, "kmeans_iterations"));
    options.centroidEpochs = int(intParam(params, "centroid_epochs"));
    return options;
}

void DeepCompressionPruner::checkApplicable(const ModelBase& model, const ParamMap& params) const
{
    const DeepCompressionOptions options = DeepCompressionOptions::from(params);
    checkLayerSparsities(model, {options.sparsity, options.layerSparsity, options.includeClassifier});
}

MaskSet DeepCompressionPruner::computeMasks(const PruningContext& context)
{
    // The paper prunes each layer by its own threshold (Han et al. 2015): layer-wise magnitude.
    const DeepCompressionOptions options = DeepCompressionOptions::from(context.params);
    return layerwiseMagnitudeMasks(context.model, {options.sparsity, options.layerSparsity, options.includeClassifier});
}

std::optional<CompressionPlan> DeepCompressionPruner::compressionPlan(const ParamMap& params) const
{
    return CompressionPlan{DeepCompressionOptions::from(params).centroidEpochs};
}

std::unique_ptr<CentroidFineTuning> DeepCompressionPruner::shareWeights(const PruningContext& context)
{
    const DeepCompressionOptions options = DeepCompressionOptions::from(context.params);
    std::vector<LayerSharing> sharing;
    for (const auto& layer : context.model.prunableLayers()) {
        const bool conv = layer.kind == LayerKind::Conv;
        sharing.push_back(
            {layer.name, conv ? options.convBits : options.fcBits, conv ? options.convIndexBits : options.fcIndexBits});
    }
    WeightSharingOptions sharingOptions;
    sharingOptions.init = options.init;
    sharingOptions.iterations = options.kmeansIterations;
    sharingOptions.seed = context.seed;
    const MaskSet none;
    auto fineTuning = std::make_unique<CentroidFineTuning>(context.model, context.current ? *context.current : none,
                                                           sharing, sharingOptions);
    if (context.log) {
        for (const auto& layer : fineTuning->layers())
            context.log->push_back("weight sharing: " + layer.name + " " + std::to_string(layer.positions.size())
                                   + " weights in " + std::to_string(layer.centroids.size()) + " clusters ("
                                   + std::to_string(layer.bits) + " bits, " + centroidInitName(options.init)
                                   + " initialisation)");
    }
    return fineTuning;
}

}  // namespace prunescope
