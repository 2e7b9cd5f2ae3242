#pragma once
// One mask per pruned weight tensor (torch.nn.utils.prune's design): a 0/1 float tensor beside
// the weight, composed by multiplication, applied to the weight after every optimizer step and
// to its gradient before, so pruned weights stay exactly zero while the rest fine-tune.

#include "core/RunEvents.h"
#include "models/Models.h"

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace prunescope {

class MaskSet {
public:
    // Sets (or composes with the existing) mask of a layer. Throws std::invalid_argument when
    // the mask's shape differs from an existing mask's.
    void compose(const std::string& layer, const torch::Tensor& mask);
    // Replaces a layer's mask (methods whose masks move during training: GMP, SET, RigL).
    void set(const std::string& layer, const torch::Tensor& mask);
    bool contains(const std::string& layer) const { return m_masks.count(layer) > 0; }
    const torch::Tensor& mask(const std::string& layer) const;
    const std::map<std::string, torch::Tensor>& masks() const { return m_masks; }
    bool empty() const { return m_masks.empty(); }

    // weight ⊙ mask for every masked layer of the model (under NoGradGuard).
    void applyToWeights(const ModelBase& model) const;
    // grad ⊙ mask, so momentum and Adam moments of pruned weights stay zero.
    void applyToGradients(const ModelBase& model) const;

    // Element count kept (mask = 1) in a layer.
    int64_t kept(const std::string& layer) const;

    // The bitset form used by storage and the UI.
    MaskSnapshot snapshot(const std::string& layer) const;

private:
    std::map<std::string, torch::Tensor> m_masks;
};

// Packs a 0/1 tensor into a bitset (bit i = element i, row-major, LSB first).
MaskSnapshot packMask(const std::string& layer, const torch::Tensor& mask);
torch::Tensor unpackMask(const MaskSnapshot& snapshot);

}  // namespace prunescope
