#pragma once
// Deep Compression (Han, Mao & Dally, ICLR 2016): layer-wise magnitude pruning, then weight
// sharing with centroid fine-tuning, then Huffman coding. The pruning part is an after-training
// method like any other; the sharing part is the compression plan the after-training driver runs
// once the pruned network is fine-tuned.

#include "fusion/WeightSharing.h"
#include "methods/PruningMethod.h"

namespace prunescope {

struct DeepCompressionOptions {
    double sparsity = 0.9;
    std::string layerSparsity;
    bool includeClassifier = true;
    int convBits = 8, fcBits = 5;
    int convIndexBits = 8, fcIndexBits = 5;
    CentroidInit init = CentroidInit::Linear;
    int kmeansIterations = 50;
    int centroidEpochs = 1;
    static DeepCompressionOptions from(const ParamMap& params);
};

class DeepCompressionPruner : public PruningMethod {
public:
    void parseOptions(const ParamMap& params) const override { DeepCompressionOptions::from(params); }
    void checkApplicable(const ModelBase& model, const ParamMap& params) const override;
    MaskSet computeMasks(const PruningContext& context) override;
    std::optional<CompressionPlan> compressionPlan(const ParamMap& params) const override;
    // Every prunable layer is shared (the classifier too, pruned or not), at its kind's bits.
    std::unique_ptr<CentroidFineTuning> shareWeights(const PruningContext& context) override;
};

}  // namespace prunescope
