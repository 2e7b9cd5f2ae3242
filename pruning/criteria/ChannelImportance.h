#pragma once
// Importance of each channel of a channel group (higher = keep), for the structured criteria of
// the survey. Each returns a [channels] float tensor; residual groups sum over their producers.

#include "data/Dataset.h"
#include "structure/ChannelGroups.h"

#include <map>
#include <string>
#include <vector>

namespace prunescope {

// Li et al. (ICLR 2017): the Lp norm (p = 1 or 2) of each filter, i.e. of each producer's
// weight row (conv: out-channel slice, linear: output row).
torch::Tensor filterNormScores(const ModelBase& model, const ChannelGroup& group, int p);

// He et al. (CVPR 2019, FPGM): a filter's total Euclidean distance to the layer's other filters.
// Filters near the geometric median are the most replaceable by the rest, so they score lowest.
torch::Tensor geometricMedianScores(const ModelBase& model, const ChannelGroup& group);

// Liu et al. (ICCV 2017, Network Slimming's selection): |γ| of the BatchNorm scale of each
// channel. Throws std::invalid_argument when the group has no BatchNorm.
torch::Tensor batchNormScaleScores(const ModelBase& model, const ChannelGroup& group);

// Molchanov et al. (CVPR 2019), per group: (Σ over the channel's parameters of g·w)² averaged
// over batches, where the sum runs over its filters, biases and BatchNorm γ and β. One entry per
// group of `groups`, in order. The model's gradients are cleared afterwards.
std::vector<torch::Tensor> taylorGroupScores(ModelBase& model, const std::vector<ChannelGroup>& groups,
                                             const std::vector<std::pair<torch::Tensor, torch::Tensor>>& batches);

// Lin et al. (CVPR 2020, HRank): the average rank of each channel's feature map as the group's
// consumers see it (a conv consumer's input, or a flattened map read by a linear layer), over
// `images` in eval mode. A group whose channels are plain features (linear → linear) has no
// feature maps: its entry is an undefined tensor.
std::vector<torch::Tensor> featureMapRankScores(ModelBase& model, const std::vector<ChannelGroup>& groups,
                                                const torch::Tensor& images);

}  // namespace prunescope
