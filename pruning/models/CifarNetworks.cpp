// The CIFAR benchmarks of the pruning papers, built for any input shape: He et al.'s ResNets with
// either shortcut option, the VGG-16-BN of Li et al. and MobileNetV2 with CIFAR strides.
#include "models/ZooBuilding.h"

#include <stdexcept>

namespace prunescope::zoo {
namespace {

namespace nn = torch::nn;

// A basic residual block (He et al. 2016). Where the shape changes, the shortcut is a 1×1 conv +
// BN (option B) or the input subsampled by the stride and padded with zero channels (option A).
class BasicBlockImpl : public nn::Module {
public:
    BasicBlockImpl(int64_t in, int64_t inner, int64_t out, int64_t stride, ResNetShortcut kind, ModelBase* owner,
                   const std::string& prefix)
        : m_owner(owner), m_conv1Name(prefix + ".conv1"), m_conv2Name(prefix + ".conv2"),
          m_shortcutName(prefix + ".shortcut")
    {
        conv1 = register_module("conv1", conv(in, inner, 3, stride, 1, false));
        bn1 = register_module("bn1", nn::BatchNorm2d(inner));
        conv2 = register_module("conv2", conv(inner, out, 3, 1, 1, false));
        bn2 = register_module("bn2", nn::BatchNorm2d(out));
        if (stride != 1 || in != out) {
            if (kind == ResNetShortcut::Projection) {
                shortcut = register_module("shortcut", conv(in, out, 1, stride, 0, false));
                shortcutBn = register_module("shortcut_bn", nn::BatchNorm2d(out));
            } else {
                if (out < in)
                    throw std::logic_error(prefix + ": a zero-padding shortcut cannot drop channels");
                m_padStride = stride;
                m_padBefore = (out - in) / 2;  // as the reference code: planes/4 on each side
                m_padAfter = out - in - m_padBefore;
            }
        }
    }
    torch::Tensor forward(torch::Tensor x)
    {
        const torch::Tensor in = m_owner->input(m_conv1Name, x);
        torch::Tensor y = m_owner->gate(m_conv1Name, in, torch::relu(bn1(conv1(in))));
        y = bn2(conv2(m_owner->input(m_conv2Name, y)));
        return torch::relu(y + shortcutOf(x));
    }
    bool padsShortcut() const { return m_padStride > 0; }

    nn::Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
    nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, shortcutBn{nullptr};

private:
    torch::Tensor shortcutOf(const torch::Tensor& x)
    {
        if (shortcut)
            return shortcutBn(shortcut(m_owner->input(m_shortcutName, x)));
        if (!padsShortcut())
            return x;
        using torch::indexing::None;
        using torch::indexing::Slice;
        const torch::Tensor subsampled
            = x.index({Slice(), Slice(), Slice(None, None, m_padStride), Slice(None, None, m_padStride)});
        return torch::constant_pad_nd(subsampled, {0, 0, 0, 0, m_padBefore, m_padAfter}, 0);
    }

    ModelBase* m_owner;  // the model that owns this block: it records layer inputs
    std::string m_conv1Name, m_conv2Name, m_shortcutName;
    int64_t m_padStride = 0, m_padBefore = 0, m_padAfter = 0;
};
TORCH_MODULE(BasicBlock);

// He et al.'s CIFAR ResNet: a 3×3 stem, three stages of n blocks (16, 32, 64 channels; the 2nd and
// 3rd stage halve the resolution, 32 → 16 → 8), global average pooling, fc.
class CifarResNet : public ModelBase {
public:
    // Widths: "stageS.B.conv1" (a block's inner width). With option B also "conv1" (the stem, =
    // stage 1's residual width) and "stageS.0.shortcut" (stage S's residual width, S = 2, 3). With
    // option A the residual streams keep their standard widths: the zero padding maps a stage's
    // channels into the middle of the next stage's, so removing one would need that mapping
    // re-drawn (the pruning papers that use option A prune the blocks' inner convs only).
    CifarResNet(const std::string& id, int blocksPerStage, ResNetShortcut kind, const DataShape& shape,
                const ModelWidths& w)
        : ModelBase(id, shape)
    {
        const bool padded = kind == ResNetShortcut::ZeroPadding;
        const int64_t standardWidths[] = {16, 32, 64};
        const int64_t stemWidth = padded ? standardWidths[0] : widthOf(w, "conv1", standardWidths[0]);
        stem = register_module("conv1", conv(shape.channels, stemWidth, 3, 1, 1, false));
        stemBn = register_module("bn1", nn::BatchNorm2d(stemWidth));
        Spatial size = declareConv("conv1", stem, imageSize(shape));
        declareNorm("bn1", "conv1");
        if (padded)
            fixWidth("conv1");
        int64_t in = stemWidth;
        std::string residual = "conv1";  // a layer whose output is the current residual stream
        for (int s = 0; s < 3; ++s) {
            const std::string stageName = "stage" + std::to_string(s + 1);
            const int64_t stageWidth = s == 0 || padded ? (s == 0 ? stemWidth : standardWidths[s])
                                                        : widthOf(w, stageName + ".0.shortcut", standardWidths[s]);
            // A ModuleList per stage gives the parameters PyTorch-style names: stage2.0.conv1.weight.
            auto stage = register_module(stageName, nn::ModuleList());
            for (int b = 0; b < blocksPerStage; ++b) {
                const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
                const std::string name = stageName + "." + std::to_string(b);
                const int64_t inner = widthOf(w, name + ".conv1", standardWidths[s]);
                auto block = BasicBlock(in, inner, stageWidth, stride, kind, this, name);
                stage->push_back(block);
                m_blocks.push_back(block);
                const Spatial outSize = declareConv(name + ".conv1", block->conv1, size);
                declareGateable(name + ".conv1");  // the block's inner width: not tied to the residual
                declareConv(name + ".conv2", block->conv2, outSize);
                declareNorm(name + ".bn1", name + ".conv1");
                declareNorm(name + ".bn2", name + ".conv2");
                connect(residual, name + ".conv1");
                connect(name + ".conv1", name + ".conv2");
                if (padded)
                    fixWidth(name + ".conv2");
                if (block->shortcut) {
                    declareConv(name + ".shortcut", block->shortcut, size);
                    declareNorm(name + ".shortcut_bn", name + ".shortcut");
                    connect(residual, name + ".shortcut");
                    tieOutputs(name + ".conv2", name + ".shortcut");
                } else if (!block->padsShortcut()) {
                    tieOutputs(name + ".conv2", residual);
                }
                residual = name + ".conv2";
                in = stageWidth;
                size = outSize;
            }
        }
        fc = register_module("fc", nn::Linear(in, shape.classes));
        declareLinear("fc", fc);
        connect(residual, "fc");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        x = torch::relu(stemBn(stem(input("conv1", x))));
        for (auto& block : m_blocks)
            x = block(x);
        x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        return fc(input("fc", x));
    }

private:
    nn::Conv2d stem{nullptr};
    nn::BatchNorm2d stemBn{nullptr};
    std::vector<BasicBlock> m_blocks;
    nn::Linear fc{nullptr};
};

// VGG-16 with BatchNorm, the CIFAR variant of Li et al. (2017), after Zagoruyko's cifar.torch:
// 13 3×3 convs with BN and ReLU (64, 64, M, 128, 128, M, 256 ×3, M, 512 ×3, M, 512 ×3, M), then
// fc 512 with BN and ReLU, fc classes; no dropout. The max pools round up (ceil mode), which
// changes nothing for 32×32 (every map is even) and lets 28×28 reach a 1×1 map too (28 → 14 → 7
// → 4 → 2 → 1); a global average pool before the classifier takes larger images.
class Vgg16 : public ModelBase {
public:
    // Widths: "convN" (N = 1..13) and "fc1".
    Vgg16(const DataShape& shape, const ModelWidths& w) : ModelBase("vgg16_bn", shape)
    {
        const int64_t standardWidths[] = {64, 64, 128, 128, 256, 256, 256, 512, 512, 512, 512, 512, 512};
        int64_t in = shape.channels;
        Spatial size = imageSize(shape);
        for (int i = 0; i < 13; ++i) {
            const std::string name = "conv" + std::to_string(i + 1);
            const std::string norm = "bn" + std::to_string(i + 1);
            const int64_t width = widthOf(w, name, standardWidths[i]);
            m_convs.push_back(register_module(name, conv(in, width, 3, 1, 1, false)));
            m_norms.push_back(register_module(norm, nn::BatchNorm2d(width)));
            size = declareConv(name, m_convs.back(), size);
            if (poolsAfter(i))
                size = {(size.height + 1) / 2, (size.width + 1) / 2};
            declareNorm(norm, name);
            declareGateable(name);
            if (i > 0)
                connect("conv" + std::to_string(i), name);
            in = width;
        }
        const int64_t hidden = widthOf(w, "fc1", 512);
        fc1 = register_module("fc1", nn::Linear(in, hidden));
        fc1Bn = register_module("fc1_bn", nn::BatchNorm1d(hidden));
        fc2 = register_module("fc2", nn::Linear(hidden, shape.classes));
        declareLinear("fc1", fc1);
        declareNorm("fc1_bn", "fc1");
        declareLinear("fc2", fc2);
        connect("conv13", "fc1");
        connect("fc1", "fc2");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        for (size_t i = 0; i < m_convs.size(); ++i) {
            const std::string name = "conv" + std::to_string(i + 1);
            const torch::Tensor in = input(name, x);
            x = gate(name, in, torch::relu(m_norms[i](m_convs[i](in))));
            if (poolsAfter(int(i)))
                x = torch::max_pool2d(x, {2, 2}, {2, 2}, {0, 0}, {1, 1}, /*ceil_mode=*/true);
        }
        x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        x = torch::relu(fc1Bn(fc1(input("fc1", x))));
        return fc2(input("fc2", x));
    }
    static bool poolsAfter(int conv) { return conv == 1 || conv == 3 || conv == 6 || conv == 9 || conv == 12; }

private:
    std::vector<nn::Conv2d> m_convs;
    std::vector<nn::BatchNorm2d> m_norms;
    nn::Linear fc1{nullptr}, fc2{nullptr};
    nn::BatchNorm1d fc1Bn{nullptr};
};

// ReLU6, as MobileNetV2 uses it (min(max(x, 0), 6)).
torch::Tensor clippedRelu(const torch::Tensor& x)
{
    return torch::clamp(x, 0, 6);
}

// An inverted residual block (Sandler et al. 2018): 1×1 expansion (absent when the expansion
// factor is 1), 3×3 depthwise conv, 1×1 linear projection; a residual addition when the block
// keeps the shape.
class InvertedResidualImpl : public nn::Module {
public:
    InvertedResidualImpl(int64_t in, int64_t hidden, int64_t out, int64_t stride, bool expands, bool residual,
                         ModelBase* owner, const std::string& prefix)
        : m_owner(owner), m_prefix(prefix), m_residual(residual)
    {
        if (expands) {
            expand = register_module("expand", conv(in, hidden, 1, 1, 0, false));
            expandBn = register_module("expand_bn", nn::BatchNorm2d(hidden));
        }
        depthwise = register_module("depthwise", conv(hidden, hidden, 3, stride, 1, false, hidden));
        depthwiseBn = register_module("depthwise_bn", nn::BatchNorm2d(hidden));
        project = register_module("project", conv(hidden, out, 1, 1, 0, false));
        projectBn = register_module("project_bn", nn::BatchNorm2d(out));
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        torch::Tensor y = x;
        if (expand)
            y = clippedRelu(expandBn(expand(m_owner->input(m_prefix + ".expand", y))));
        y = clippedRelu(depthwiseBn(depthwise(m_owner->input(m_prefix + ".depthwise", y))));
        y = projectBn(project(m_owner->input(m_prefix + ".project", y)));
        return m_residual ? x + y : y;
    }

    nn::Conv2d expand{nullptr}, depthwise{nullptr}, project{nullptr};
    nn::BatchNorm2d expandBn{nullptr}, depthwiseBn{nullptr}, projectBn{nullptr};

private:
    ModelBase* m_owner;
    std::string m_prefix;
    bool m_residual;
};
TORCH_MODULE(InvertedResidual);

// MobileNetV2 (Sandler et al. 2018) with the usual CIFAR strides: a stride-1 stem and a stride-1
// second stage (32 → 32 → 32 → 16 → 8 → 8 → 4 → 4 for 32×32 images), the standard widths (t, c, n,
// s) = (1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
// (6, 320, 1, 1), a 1×1 conv to 1280, global average pooling, fc; ReLU6; no dropout.
class MobileNetV2 : public ModelBase {
public:
    // Widths: "conv1" (stem), "blocks.N.expand" (a block's expanded width; its depthwise conv
    // follows it), "blocks.N.project" (a block's output; blocks joined by residual additions share
    // one), "conv2".
    MobileNetV2(const DataShape& shape, const ModelWidths& w) : ModelBase("mobilenetv2", shape)
    {
        struct Stage {
            int64_t expansion, width, blocks, stride;
        };
        const Stage stages[] = {{1, 16, 1, 1}, {6, 24, 2, 1},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
        const int64_t stemWidth = widthOf(w, "conv1", 32);
        stem = register_module("conv1", conv(shape.channels, stemWidth, 3, 1, 1, false));
        stemBn = register_module("bn1", nn::BatchNorm2d(stemWidth));
        Spatial size = declareConv("conv1", stem, imageSize(shape));
        declareNorm("bn1", "conv1");
        auto blocks = register_module("blocks", nn::ModuleList());
        int64_t in = stemWidth;
        std::string stream = "conv1";  // the layer whose output the next block reads
        int index = 0;
        for (const Stage& stage : stages) {
            for (int64_t b = 0; b < stage.blocks; ++b, ++index) {
                const std::string name = "blocks." + std::to_string(index);
                const int64_t stride = b == 0 ? stage.stride : 1;
                const bool expands = stage.expansion != 1;
                // Within a stage every block after the first keeps the shape: a residual addition.
                const bool residual = b > 0;
                const int64_t hidden = expands ? widthOf(w, name + ".expand", in * stage.expansion) : in;
                const int64_t out = residual ? in : widthOf(w, name + ".project", stage.width);
                auto block = InvertedResidual(in, hidden, out, stride, expands, residual, this, name);
                blocks->push_back(block);
                m_blocks.push_back(block);
                const std::string hiddenProducer = expands ? name + ".expand" : stream;
                if (expands) {
                    declareConv(name + ".expand", block->expand, size);
                    declareNorm(name + ".expand_bn", name + ".expand");
                    connect(stream, name + ".expand");
                }
                size = declareConv(name + ".depthwise", block->depthwise, size);
                declareNorm(name + ".depthwise_bn", name + ".depthwise");
                declareDepthwise(name + ".depthwise", hiddenProducer);
                declareConv(name + ".project", block->project, size);
                declareNorm(name + ".project_bn", name + ".project");
                connect(name + ".depthwise", name + ".project");
                if (residual)
                    tieOutputs(name + ".project", stream);
                stream = name + ".project";
                in = out;
            }
        }
        const int64_t headWidth = widthOf(w, "conv2", 1280);
        head = register_module("conv2", conv(in, headWidth, 1, 1, 0, false));
        headBn = register_module("bn2", nn::BatchNorm2d(headWidth));
        declareConv("conv2", head, size);
        declareNorm("bn2", "conv2");
        connect(stream, "conv2");
        fc = register_module("fc", nn::Linear(headWidth, shape.classes));
        declareLinear("fc", fc);
        connect("conv2", "fc");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        x = clippedRelu(stemBn(stem(input("conv1", x))));
        for (auto& block : m_blocks)
            x = block(x);
        x = clippedRelu(headBn(head(input("conv2", x))));
        x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        return fc(input("fc", x));
    }

private:
    nn::Conv2d stem{nullptr}, head{nullptr};
    nn::BatchNorm2d stemBn{nullptr}, headBn{nullptr};
    std::vector<InvertedResidual> m_blocks;
    nn::Linear fc{nullptr};
};

}  // namespace

std::shared_ptr<ModelBase> makeCifarResNet(const std::string& id, int depth, ResNetShortcut shortcut,
                                           const DataShape& shape, const ModelWidths& widths)
{
    if ((depth - 2) % 6 != 0 || depth < 8)
        throw std::logic_error("a CIFAR ResNet has depth 6n + 2, not " + std::to_string(depth));
    return std::make_shared<CifarResNet>(id, (depth - 2) / 6, shortcut, shape, widths);
}

std::shared_ptr<ModelBase> makeVgg16(const DataShape& shape, const ModelWidths& widths)
{
    return std::make_shared<Vgg16>(shape, widths);
}

std::shared_ptr<ModelBase> makeMobileNetV2(const DataShape& shape, const ModelWidths& widths)
{
    return std::make_shared<MobileNetV2>(shape, widths);
}

}  // namespace prunescope::zoo
