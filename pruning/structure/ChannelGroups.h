#pragma once
// Structured pruning's unit is a channel group: every tensor slice that indexes the same channels
// and so must be removed together. A producer's output channels (weight rows, bias), the
// BatchNorm features that normalise them, and each consumer's input channels (weight dim 1;
// perChannel columns each where a conv map is flattened into a linear layer). A residual
// addition ties several producers into one group: pruned together or not at all. A depthwise
// convolution is a producer of the group it reads (its output channel c is its input channel c
// filtered), never a consumer.
// Groups are derived from the layer graph every zoo model declares (links, norms, ties).

#include "masks/MaskSet.h"
#include "models/Models.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace prunescope {

struct ChannelConsumer {
    std::string layer;
    int64_t perChannel = 1;
};

struct ChannelGroup {
    std::string name;  // its first producer in forward order, e.g. "conv1" or "stage2.0.conv2"
    int64_t channels = 0;
    std::vector<std::string> producers;  // forward order
    std::vector<std::string> norms;
    std::vector<ChannelConsumer> consumers;
    bool tiedByResidual = false;  // some of its producers' outputs are added together

    bool residual() const { return tiedByResidual; }
    // "conv1 + bn1 → conv2" style, for logs and the method's notes.
    std::string describe() const;
};

// The prunable groups of a model, in forward order of their first producer. The classifier's
// outputs are not a group (the output shape is fixed), and neither is the network input, nor a
// group holding a layer the model keeps whole (ModelBase::fixedWidthLayers).
std::vector<ChannelGroup> channelGroups(const ModelBase& model);

// Kept channel indices per group name, ascending. A group not listed keeps all its channels.
using ChannelSelection = std::map<std::string, std::vector<int64_t>>;

// Throws std::invalid_argument naming the group when a selection names no group, keeps no
// channel, or has indices that are unsorted, repeated or out of range.
void validateSelection(const std::vector<ChannelGroup>& groups, const ChannelSelection& selection);

// 0/1 masks that zero the removed channels in every producer (weight rows) and consumer (input
// columns). With these applied, the network computes exactly what the thinned one does.
MaskSet channelMasks(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                     const ChannelSelection& selection);

// The widths of the network after removing the unselected channels.
ModelWidths widthsAfterRemoval(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                               const ChannelSelection& selection);

// A thinner copy of the model with the unselected channels physically removed: weights, biases,
// BatchNorm parameters and running statistics are copied for the kept channels. Same input and
// output shapes; in eval mode the same outputs as the masked model.
std::shared_ptr<ModelBase> removeChannels(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                                          const ChannelSelection& selection);

}  // namespace prunescope
