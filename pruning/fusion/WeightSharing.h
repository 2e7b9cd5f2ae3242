#pragma once
// Deep Compression's weight sharing (Han, Mao & Dally, ICLR 2016): the kept weights of a layer are
// clustered with one-dimensional k-means into 2^bits shared values (centroids), each weight then
// stores only its cluster's index. Fine-tuning moves each centroid by the sum of the gradients of
// its cluster's weights; pruned weights stay zero and belong to no cluster.

#include "masks/MaskSet.h"
#include "models/Models.h"
#include "train/TrainingController.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

// How the centroids start (the paper's Section 3.1): evenly spaced between the smallest and the
// largest weight (linear, the paper's best: it keeps the rare large weights), at evenly spaced
// quantiles of the weights (density), or at distinct weights drawn at random (Forgy).
enum class CentroidInit { Linear, Density, Random };

// "linear", "density", "random"; throws std::invalid_argument naming the others.
CentroidInit centroidInitFromName(const std::string& name);
const char* centroidInitName(CentroidInit init);

struct WeightSharingOptions {
    int bits = 5;  // 2^bits clusters (fewer when the layer keeps fewer weights)
    CentroidInit init = CentroidInit::Linear;
    int iterations = 50;  // Lloyd iterations at most (it stops when no assignment changes)
    uint64_t seed = 0;  // the random initialisation's draw
};

// The starting centroids for `values` (any order), at most k of them, ascending. Empty values:
// none. Linear with one centroid, or all values equal: their smallest value.
std::vector<float> initialCentroids(const std::vector<float>& values, int k, CentroidInit init, uint64_t seed);

struct KMeansResult {
    std::vector<float> centroids;  // ascending; an empty cluster keeps its last centroid
    std::vector<uint32_t> assignment;  // per value: index into centroids
    int iterations = 0;  // Lloyd iterations run
};

// Lloyd's algorithm in one dimension: each value to its nearest centroid (ties to the lower one),
// each centroid to its cluster's mean (accumulated in double), until no assignment changes.
KMeansResult kMeans1d(const std::vector<float>& values, const std::vector<float>& initial, int iterations);

// One layer after sharing: `positions` lists the kept (unpruned) elements in row-major order, each
// with the index of its centroid; every other element is zero.
struct SharedLayer {
    std::string name;
    std::vector<int64_t> shape;
    int bits = 0;
    std::vector<float> centroids;
    std::vector<int64_t> positions;  // ascending flat indices
    std::vector<uint32_t> clusters;  // parallel to positions

    int64_t numel() const;
    // The dense weight tensor the layer decodes to (float, `shape`).
    torch::Tensor weights() const;
};

// Clusters the kept weights of `weight` (mask == 1; every element when `mask` is undefined).
SharedLayer shareWeights(const std::string& name, const torch::Tensor& weight, const torch::Tensor& mask,
                         const WeightSharingOptions& options);

// The centroid update of the paper's Figure 3 for one layer: every kept weight's gradient becomes
// the sum of the gradients of its cluster, so an element-wise optimizer moves all the weights of a
// cluster, which are equal, by exactly what the centroid moves by. `assignment` holds each
// element's cluster (int64, weight's shape), `clusters` for a pruned element, whose gradient
// becomes zero.
void shareGradients(torch::Tensor& grad, const torch::Tensor& assignment, int64_t clusters);

// Each element's cluster index (int64, the layer's shape); pruned elements get centroids.size().
torch::Tensor clusterAssignment(const SharedLayer& layer);

// Reads the centroids back from `weight` after an optimizer step (each cluster's mean, which is
// every member's value) into layer.centroids, and writes them over the weight again, so rounding
// can never let the members of one cluster drift apart.
void snapToCentroids(torch::Tensor& weight, const torch::Tensor& assignment, SharedLayer& layer);

// Shares the weights of a model's layers and fine-tunes the centroids while the trainer runs (a
// TrainingController: it changes the gradients after backward and snaps the weights after each
// step). The trainer's masks keep pruned weights at zero.
struct LayerSharing {
    std::string name;
    int bits = 5;  // per weight (the paper: 8 for conv, 5 for fc)
    int indexBits = 5;  // per relative index in the file (the paper: 8 for conv, 5 for fc)
};

class CentroidFineTuning : public TrainingController {
public:
    // Clusters each listed layer of `model` (its mask in `masks`, if any; options.bits is
    // overridden per layer) and writes the shared weights into the model.
    CentroidFineTuning(ModelBase& model, const MaskSet& masks, const std::vector<LayerSharing>& layers,
                       const WeightSharingOptions& options);

    void afterBackward(TrainingStep& step) override;
    void afterStep(TrainingStep& step) override;

    const std::vector<SharedLayer>& layers() const { return m_layers; }
    // Parallel to layers(): the relative-index width each layer is stored with.
    const std::vector<int>& indexBits() const { return m_indexBits; }

private:
    struct Entry {
        torch::Tensor weight;  // the model's parameter (shares storage)
        torch::Tensor assignment;
    };
    std::vector<SharedLayer> m_layers;
    std::vector<Entry> m_entries;
    std::vector<int> m_indexBits;
};

}  // namespace prunescope
