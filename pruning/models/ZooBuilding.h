#pragma once
// What the files of the model zoo share to build their networks: widths asked for, conv layers,
// spatial sizes, the smallest input, and the constructors of the networks defined outside
// Models.cpp. Internal to the models module.

#include "models/Models.h"

#include <memory>
#include <string>

namespace prunescope::zoo {

// The width asked for `layer`, or its standard width. Throws std::invalid_argument for a width
// below 1.
int64_t widthOf(const ModelWidths& widths, const std::string& layer, int64_t standard);

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0,
                       bool bias = true, int64_t groups = 1);

// The output size of a square conv (or pooling) window over `in`.
Spatial convOutput(Spatial in, int64_t kernel, int64_t stride = 1, int64_t padding = 0);
// 2×2 max pooling, stride 2 (floor).
Spatial pooled(Spatial in);
Spatial imageSize(const DataShape& shape);

// Refuses images that are smaller, on either side, than the smallest the network takes (its
// pooling would run out of pixels): std::invalid_argument naming the model, the minimum and the
// data's shape.
void requireInput(const std::string& id, const DataShape& shape, int64_t minimumSide);

// The CIFAR benchmarks (CifarNetworks.cpp).
enum class ResNetShortcut {
    Projection,  // option B: a 1×1 conv + BN where the shape changes
    ZeroPadding,  // option A: stride-2 subsampling and zero-padded channels, no parameters
};
// He et al.'s CIFAR ResNet of depth 6n + 2 (n blocks per stage; 16, 32, 64 channels).
std::shared_ptr<ModelBase> makeCifarResNet(const std::string& id, int depth, ResNetShortcut shortcut,
                                           const DataShape& shape, const ModelWidths& widths);
std::shared_ptr<ModelBase> makeVgg16(const DataShape& shape, const ModelWidths& widths);
std::shared_ptr<ModelBase> makeMobileNetV2(const DataShape& shape, const ModelWidths& widths);

}  // namespace prunescope::zoo
