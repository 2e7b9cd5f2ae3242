#include "models/Models.h"

#include "core/ExperimentConfig.h"

#include "models/ModelDescription.h"
#include "models/ScriptedModel.h"

#include <functional>
#include <sstream>
#include <stdexcept>

namespace prunescope {

namespace nn = torch::nn;

Spatial ModelBase::declareConv(const std::string& name, const nn::Conv2d& conv, Spatial input)
{
    const auto& o = conv->options;
    const int64_t kernel = (*o.kernel_size())[0];
    const int64_t stride = (*o.stride())[0];
    // LibTorch 1.13 keeps padding in a c10::variant (explicit sizes, or "valid"/"same").
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    const int64_t pad = padding ? (**padding)[0] : 0;
    const Spatial output{(input.height + 2 * pad - kernel) / stride + 1, (input.width + 2 * pad - kernel) / stride + 1};
    const double macs = double(o.out_channels()) * double(output.height * output.width)
        * double(o.in_channels() / o.groups()) * double(kernel * kernel);
    m_layers.push_back({name, LayerKind::Conv, conv->weight, macs, false, kernel, stride, pad, o.groups()});
    return output;
}

void ModelBase::declareLinear(const std::string& name, const nn::Linear& linear)
{
    const double macs = double(linear->options.in_features()) * double(linear->options.out_features());
    m_layers.push_back({name, LayerKind::Linear, linear->weight, macs, false});
}

ModelWidths ModelBase::widths() const
{
    ModelWidths widths;
    for (const auto& layer : m_layers)
        widths[layer.name] = layer.weight.size(0);
    return widths;
}

void ModelBase::finishDeclarations()
{
    if (!m_layers.empty())
        m_layers.back().isClassifier = true;
}

namespace {

// The width asked for `layer`, or its standard width.
int64_t widthOf(const ModelWidths& widths, const std::string& layer, int64_t standard)
{
    const auto it = widths.find(layer);
    if (it == widths.end())
        return standard;
    if (it->second <= 0)
        throw std::invalid_argument("width of layer " + layer + ": " + std::to_string(it->second)
                                    + " (expected at least 1 channel)");
    return it->second;
}

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0, bool bias = true)
{
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

// The output size of a square conv (or pooling) window over `in`.
Spatial convOutput(Spatial in, int64_t kernel, int64_t stride = 1, int64_t padding = 0)
{
    return {(in.height + 2 * padding - kernel) / stride + 1, (in.width + 2 * padding - kernel) / stride + 1};
}
Spatial pooled(Spatial in)  // 2×2 max pooling, stride 2
{
    return {in.height / 2, in.width / 2};
}
Spatial imageSize(const DataShape& shape)
{
    return {shape.height, shape.width};
}

// Refuses images that are smaller, on either side, than the smallest the network takes (its
// pooling would run out of pixels).
void requireInput(const std::string& id, const DataShape& shape, int64_t minimumSide)
{
    if (shape.height < minimumSide || shape.width < minimumSide)
        throw std::invalid_argument(id + " needs images of at least " + std::to_string(minimumSide) + "×"
                                    + std::to_string(minimumSide) + " pixels; the data is " + describeShape(shape));
}

// LeNet-300-100 (LeCun et al. 1998; the fully connected net of Han et al. and the LTH paper).
class LeNet300100 : public ModelBase {
public:
    LeNet300100(const DataShape& shape, const ModelWidths& w) : ModelBase("lenet300100", shape)
    {
        const int64_t h1 = widthOf(w, "fc1", 300), h2 = widthOf(w, "fc2", 100);
        fc1 = register_module("fc1", nn::Linear(shape.pixelsPerImage(), h1));
        fc2 = register_module("fc2", nn::Linear(h1, h2));
        fc3 = register_module("fc3", nn::Linear(h2, shape.classes));
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        declareLinear("fc3", fc3);
        connect("fc1", "fc2");
        connect("fc2", "fc3");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        x = x.flatten(1);
        x = torch::relu(fc1(input("fc1", x)));
        x = torch::relu(fc2(input("fc2", x)));
        return fc3(input("fc3", x));
    }

private:
    nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
};

// LeNet-5 (6-16-120-84-10), padded first conv so a 28×28 input gives the classic 5×5×16 map
// (6×6×16 for 32×32).
class LeNet5 : public ModelBase {
public:
    LeNet5(const DataShape& shape, const ModelWidths& w) : ModelBase("lenet5", shape)
    {
        requireInput("lenet5", shape, 12);
        const int64_t c1 = widthOf(w, "conv1", 6), c2 = widthOf(w, "conv2", 16);
        const int64_t f1 = widthOf(w, "fc1", 120), f2 = widthOf(w, "fc2", 84);
        const Spatial map = pooled(convOutput(pooled(convOutput(imageSize(shape), 5, 1, 2)), 5));
        const int64_t mapArea = map.height * map.width;
        conv1 = register_module("conv1", conv(shape.channels, c1, 5, 1, 2));
        conv2 = register_module("conv2", conv(c1, c2, 5));
        fc1 = register_module("fc1", nn::Linear(c2 * mapArea, f1));
        fc2 = register_module("fc2", nn::Linear(f1, f2));
        fc3 = register_module("fc3", nn::Linear(f2, shape.classes));
        const Spatial conv1Output = declareConv("conv1", conv1, imageSize(shape));
        declareConv("conv2", conv2, pooled(conv1Output));
        declareGateable("conv1");
        declareGateable("conv2");
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        declareLinear("fc3", fc3);
        connect("conv1", "conv2");
        connect("conv2", "fc1", mapArea);
        connect("fc1", "fc2");
        connect("fc2", "fc3");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        torch::Tensor in = input("conv1", x);
        x = torch::max_pool2d(gate("conv1", in, torch::relu(conv1(in))), 2);
        in = input("conv2", x);
        x = torch::max_pool2d(gate("conv2", in, torch::relu(conv2(in))), 2);
        x = x.flatten(1);
        x = torch::relu(fc1(input("fc1", x)));
        x = torch::relu(fc2(input("fc2", x)));
        return fc3(input("fc3", x));
    }

private:
    nn::Conv2d conv1{nullptr}, conv2{nullptr};
    nn::Linear fc1{nullptr}, fc2{nullptr}, fc3{nullptr};
};

// LeNet-5-Caffe (20-50-500-10): the variant Han et al. (2015) and SNIP report.
class LeNet5Caffe : public ModelBase {
public:
    LeNet5Caffe(const DataShape& shape, const ModelWidths& w) : ModelBase("lenet5caffe", shape)
    {
        requireInput("lenet5caffe", shape, 16);
        const int64_t c1 = widthOf(w, "conv1", 20), c2 = widthOf(w, "conv2", 50), f1 = widthOf(w, "fc1", 500);
        const Spatial map = pooled(convOutput(pooled(convOutput(imageSize(shape), 5)), 5));
        const int64_t mapArea = map.height * map.width;
        conv1 = register_module("conv1", conv(shape.channels, c1, 5));
        conv2 = register_module("conv2", conv(c1, c2, 5));
        fc1 = register_module("fc1", nn::Linear(c2 * mapArea, f1));
        fc2 = register_module("fc2", nn::Linear(f1, shape.classes));
        const Spatial conv1Output = declareConv("conv1", conv1, imageSize(shape));
        declareConv("conv2", conv2, pooled(conv1Output));
        declareGateable("conv1");
        declareGateable("conv2");
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        connect("conv1", "conv2");
        connect("conv2", "fc1", mapArea);
        connect("fc1", "fc2");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        torch::Tensor in = input("conv1", x);
        x = torch::max_pool2d(gate("conv1", in, torch::relu(conv1(in))), 2);
        in = input("conv2", x);
        x = torch::max_pool2d(gate("conv2", in, torch::relu(conv2(in))), 2);
        x = x.flatten(1);
        x = torch::relu(fc1(input("fc1", x)));
        return fc2(input("fc2", x));
    }

private:
    nn::Conv2d conv1{nullptr}, conv2{nullptr};
    nn::Linear fc1{nullptr}, fc2{nullptr};
};

// A small VGG-style CNN with BatchNorm: 32-32-M-64-64-M-128-M, global average pool, fc 10.
class VggSmall : public ModelBase {
public:
    VggSmall(const DataShape& shape, const ModelWidths& w) : ModelBase("vgg_small", shape)
    {
        requireInput("vgg_small", shape, 8);
        const int64_t standardWidths[] = {32, 32, 64, 64, 128};
        int64_t in = shape.channels;
        Spatial size = imageSize(shape);
        for (int i = 0; i < 5; ++i) {
            const std::string name = "conv" + std::to_string(i + 1);
            const std::string norm = "bn" + std::to_string(i + 1);
            const int64_t width = widthOf(w, name, standardWidths[i]);
            m_convs.push_back(register_module(name, conv(in, width, 3, 1, 1, false)));
            m_norms.push_back(register_module(norm, nn::BatchNorm2d(width)));
            size = declareConv(name, m_convs.back(), size);
            if (i == 1 || i == 3 || i == 4)
                size = pooled(size);
            declareNorm(norm, name);
            declareGateable(name);
            if (i > 0)
                connect("conv" + std::to_string(i), name);
            in = width;
        }
        fc = register_module("fc", nn::Linear(in, shape.classes));
        declareLinear("fc", fc);
        connect("conv5", "fc");
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        for (size_t i = 0; i < m_convs.size(); ++i) {
            const std::string name = "conv" + std::to_string(i + 1);
            const torch::Tensor in = input(name, x);
            x = gate(name, in, torch::relu(m_norms[i](m_convs[i](in))));
            if (i == 1 || i == 3 || i == 4)
                x = torch::max_pool2d(x, 2);
        }
        x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
        return fc(input("fc", x));
    }

private:
    std::vector<nn::Conv2d> m_convs;
    std::vector<nn::BatchNorm2d> m_norms;
    nn::Linear fc{nullptr};
};

// A basic residual block (He et al. 2016); a 1×1 conv + BN shortcut when the shape changes.
class BasicBlockImpl : public nn::Module {
public:
    BasicBlockImpl(int64_t in, int64_t inner, int64_t out, int64_t stride, ModelBase* owner, const std::string& prefix)
        : m_owner(owner), m_conv1Name(prefix + ".conv1"), m_conv2Name(prefix + ".conv2"),
          m_shortcutName(prefix + ".shortcut")
    {
        conv1 = register_module("conv1", conv(in, inner, 3, stride, 1, false));
        bn1 = register_module("bn1", nn::BatchNorm2d(inner));
        conv2 = register_module("conv2", conv(inner, out, 3, 1, 1, false));
        bn2 = register_module("bn2", nn::BatchNorm2d(out));
        if (stride != 1 || in != out) {
            shortcut = register_module("shortcut", conv(in, out, 1, stride, 0, false));
            shortcutBn = register_module("shortcut_bn", nn::BatchNorm2d(out));
        }
    }
    torch::Tensor forward(torch::Tensor x)
    {
        const torch::Tensor in = m_owner->input(m_conv1Name, x);
        torch::Tensor y = m_owner->gate(m_conv1Name, in, torch::relu(bn1(conv1(in))));
        y = bn2(conv2(m_owner->input(m_conv2Name, y)));
        torch::Tensor identity = shortcut ? shortcutBn(shortcut(m_owner->input(m_shortcutName, x))) : x;
        return torch::relu(y + identity);
    }

    nn::Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
    nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, shortcutBn{nullptr};

private:
    ModelBase* m_owner;  // the model that owns this block: it records layer inputs
    std::string m_conv1Name, m_conv2Name, m_shortcutName;
};
TORCH_MODULE(BasicBlock);

// ResNet-20-style: a 3×3 stem, three stages of three blocks (16, 32, 64 channels; the 2nd and
// 3rd stage halve the resolution 28 → 14 → 7), global average pooling, fc 10.
class ResNet20 : public ModelBase {
public:
    // Widths: "conv1" (the stem, = stage 1's residual width), "stageS.0.shortcut" (stage S's
    // residual width, S = 2, 3) and "stageS.B.conv1" (a block's inner width).
    ResNet20(const DataShape& shape, const ModelWidths& w) : ModelBase("resnet20", shape)
    {
        const int64_t stemWidth = widthOf(w, "conv1", 16);
        stem = register_module("conv1", conv(shape.channels, stemWidth, 3, 1, 1, false));
        stemBn = register_module("bn1", nn::BatchNorm2d(stemWidth));
        Spatial size = declareConv("conv1", stem, imageSize(shape));
        declareNorm("bn1", "conv1");
        int64_t in = stemWidth;
        std::string residual = "conv1";  // a layer whose output is the current residual stream
        const int64_t standardWidths[] = {16, 32, 64};
        for (int s = 0; s < 3; ++s) {
            const std::string stageName = "stage" + std::to_string(s + 1);
            const int64_t stageWidth = s == 0 ? stemWidth : widthOf(w, stageName + ".0.shortcut", standardWidths[s]);
            // A ModuleList per stage gives the parameters PyTorch-style names: stage2.0.conv1.weight.
            auto stage = register_module(stageName, nn::ModuleList());
            for (int b = 0; b < 3; ++b) {
                const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
                const std::string name = stageName + "." + std::to_string(b);
                const int64_t inner = widthOf(w, name + ".conv1", standardWidths[s]);
                auto block = BasicBlock(in, inner, stageWidth, stride, this, name);
                stage->push_back(block);
                m_blocks.push_back(block);
                const Spatial outSize = declareConv(name + ".conv1", block->conv1, size);
                declareGateable(name + ".conv1");  // the block's inner width: not tied to the residual
                declareConv(name + ".conv2", block->conv2, outSize);
                declareNorm(name + ".bn1", name + ".conv1");
                declareNorm(name + ".bn2", name + ".conv2");
                connect(residual, name + ".conv1");
                connect(name + ".conv1", name + ".conv2");
                if (block->shortcut) {
                    declareConv(name + ".shortcut", block->shortcut, size);
                    declareNorm(name + ".shortcut_bn", name + ".shortcut");
                    connect(residual, name + ".shortcut");
                    tieOutputs(name + ".conv2", name + ".shortcut");
                } else {
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

}  // namespace

namespace {

// The zoo, listed once: its catalogue (for pickers and messages) and its constructors.
struct ZooEntry {
    ModelInfo info;
    std::function<std::shared_ptr<ModelBase>(const DataShape&, const ModelWidths&)> construct;
};

template <typename Model>
std::shared_ptr<ModelBase> makeModel(const DataShape& shape, const ModelWidths& widths)
{
    return std::make_shared<Model>(shape, widths);
}

const std::vector<ZooEntry>& zoo()
{
    static const std::vector<ZooEntry> entries = {
        {{"lenet300100", "LeNet-300-100: fully connected 784-300-100-10"}, makeModel<LeNet300100>},
        {{"lenet5", "LeNet-5: conv 6, conv 16, fc 120, fc 84, fc 10"}, makeModel<LeNet5>},
        {{"lenet5caffe", "LeNet-5-Caffe (Han et al., SNIP): conv 20, conv 50, fc 500, fc 10"}, makeModel<LeNet5Caffe>},
        {{"vgg_small", "Small VGG-style CNN with BatchNorm: 32-32-64-64-128, fc 10"}, makeModel<VggSmall>},
        {{"resnet20", "ResNet-20-style: 3 stages × 3 residual blocks (16, 32, 64 channels)"}, makeModel<ResNet20>},
    };
    return entries;
}

std::shared_ptr<ModelBase> constructModel(const std::string& id, const DataShape& shape, const ModelWidths& widths)
{
    for (const auto& entry : zoo()) {
        if (entry.info.id == id)
            return entry.construct(shape, widths);
    }
    return nullptr;
}

}  // namespace

const std::vector<ModelInfo>& modelCatalogue()
{
    static const std::vector<ModelInfo> models = [] {
        std::vector<ModelInfo> infos;
        for (const auto& entry : zoo())
            infos.push_back(entry.info);
        return infos;
    }();
    return models;
}

std::shared_ptr<ModelBase> createModel(const std::string& id, const DataShape& shape, const ModelWidths& widths)
{
    if (shape.channels < 1 || shape.height < 1 || shape.width < 1 || shape.classes < 1)
        throw std::invalid_argument("model " + id + ": the data shape " + describeShape(shape)
                                    + " has no pixels or no classes");
    if (isModelFile(id)) {
        if (!widths.empty())
            throw std::invalid_argument("TorchScript model " + id
                                        + ": its layer widths are the file's and cannot be changed");
        return ScriptedModel::load(id, shape);
    }
    if (auto model = constructModel(id, shape, widths)) {
        // Every width asked for must be one the model has (a tied residual width is honoured
        // through its group's first layer, so the others must agree with it).
        const ModelWidths built = model->widths();
        for (const auto& [layer, width] : widths) {
            const auto it = built.find(layer);
            if (it == built.end())
                throw std::invalid_argument("width given for '" + layer + "', which is not a layer of " + id);
            if (it->second != width)
                throw std::invalid_argument("width of layer " + layer + ": " + std::to_string(width)
                                            + " cannot be honoured (" + id + " gives it " + std::to_string(it->second)
                                            + ": fixed, or tied to another layer)");
        }
        return model;
    }
    std::string known;
    for (const auto& model : modelCatalogue())
        known += (known.empty() ? "" : ", ") + model.id;
    throw std::invalid_argument("unknown model '" + id + "' (known: " + known
                                + "; or the path of a TorchScript file, e.g. /home/me/model.pt)");
}

void copyModelState(ModelBase& target, const ModelBase& source)
{
    torch::NoGradGuard noGrad;
    auto sourceParams = source.named_parameters(true);
    for (auto& item : target.named_parameters(true))
        item.value().copy_(sourceParams[item.key()]);
    auto sourceBuffers = source.named_buffers(true);
    for (auto& item : target.named_buffers(true))
        item.value().copy_(sourceBuffers[item.key()]);
}

std::string describeModel(const std::string& id, const DataShape& shape)
{
    const std::shared_ptr<ModelBase> model = createModel(id, shape);
    int64_t parameters = 0, convs = 0;
    double macs = 0;
    for (const auto& parameter : model->parameters())
        parameters += parameter.numel();
    for (const auto& layer : model->prunableLayers()) {
        convs += layer.kind == LayerKind::Conv ? 1 : 0;
        macs += layer.macsPerSample;
    }
    std::ostringstream out;
    out.precision(3);
    out << modelDisplayName(id) << ": " << (model->declaresLayerGraph() ? "zoo model" : "TorchScript") << ", "
        << model->prunableLayers().size() << " prunable layers (" << convs << " conv, "
        << model->prunableLayers().size() - size_t(convs) << " linear), " << parameters << " parameters, " << macs / 1e6
        << " M MACs per image";
    return out.str();
}

}  // namespace prunescope
