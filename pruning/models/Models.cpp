#include "models/Models.h"

#include "methods/MethodInfo.h"

#include <stdexcept>

namespace prunescope {

namespace nn = torch::nn;

void ModelBase::declareConv(const std::string& name, const nn::Conv2d& conv, int64_t inputSize)
{
    const auto& o = conv->options;
    const int64_t kernel = (*o.kernel_size())[0];
    const int64_t stride = (*o.stride())[0];
    // LibTorch 1.13 keeps padding in a c10::variant (explicit sizes, or "valid"/"same").
    const auto* padding = c10::get_if<torch::ExpandingArray<2>>(&o.padding());
    const int64_t pad = padding ? (**padding)[0] : 0;
    const int64_t outputSize = (inputSize + 2 * pad - kernel) / stride + 1;
    const double macs = double(o.out_channels()) * double(outputSize * outputSize) *
                        double(o.in_channels() / o.groups()) * double(kernel * kernel);
    m_layers.push_back({name, LayerKind::Conv, conv->weight, macs, false, kernel, stride, pad});
}

void ModelBase::declareLinear(const std::string& name, const nn::Linear& linear)
{
    const double macs = double(linear->options.in_features()) * double(linear->options.out_features());
    m_layers.push_back({name, LayerKind::Linear, linear->weight, macs, false});
}

void ModelBase::finishDeclarations()
{
    if (!m_layers.empty())
        m_layers.back().isClassifier = true;
}

namespace {

nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1, int64_t padding = 0, bool bias = true)
{
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel).stride(stride).padding(padding).bias(bias));
}

// LeNet-300-100 (LeCun et al. 1998; the fully connected net of Han et al. and the LTH paper).
class LeNet300100 : public ModelBase {
public:
    LeNet300100() : ModelBase("lenet300100")
    {
        fc1 = register_module("fc1", nn::Linear(784, 300));
        fc2 = register_module("fc2", nn::Linear(300, 100));
        fc3 = register_module("fc3", nn::Linear(100, 10));
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        declareLinear("fc3", fc3);
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

// LeNet-5 (6-16-120-84-10), padded first conv so a 28×28 input gives the classic 5×5×16 map.
class LeNet5 : public ModelBase {
public:
    LeNet5() : ModelBase("lenet5")
    {
        conv1 = register_module("conv1", conv(1, 6, 5, 1, 2));
        conv2 = register_module("conv2", conv(6, 16, 5));
        fc1 = register_module("fc1", nn::Linear(16 * 5 * 5, 120));
        fc2 = register_module("fc2", nn::Linear(120, 84));
        fc3 = register_module("fc3", nn::Linear(84, 10));
        declareConv("conv1", conv1, 28);
        declareConv("conv2", conv2, 14);
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        declareLinear("fc3", fc3);
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        x = torch::max_pool2d(torch::relu(conv1(input("conv1", x))), 2);
        x = torch::max_pool2d(torch::relu(conv2(input("conv2", x))), 2);
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
    LeNet5Caffe() : ModelBase("lenet5caffe")
    {
        conv1 = register_module("conv1", conv(1, 20, 5));
        conv2 = register_module("conv2", conv(20, 50, 5));
        fc1 = register_module("fc1", nn::Linear(50 * 4 * 4, 500));
        fc2 = register_module("fc2", nn::Linear(500, 10));
        declareConv("conv1", conv1, 28);
        declareConv("conv2", conv2, 12);
        declareLinear("fc1", fc1);
        declareLinear("fc2", fc2);
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        x = torch::max_pool2d(torch::relu(conv1(input("conv1", x))), 2);
        x = torch::max_pool2d(torch::relu(conv2(input("conv2", x))), 2);
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
    VggSmall() : ModelBase("vgg_small")
    {
        const int64_t widths[] = {32, 32, 64, 64, 128};
        const int64_t inputSizes[] = {28, 28, 14, 14, 7};
        int64_t in = 1;
        for (int i = 0; i < 5; ++i) {
            const std::string name = "conv" + std::to_string(i + 1);
            m_convs.push_back(register_module(name, conv(in, widths[i], 3, 1, 1, false)));
            m_norms.push_back(register_module("bn" + std::to_string(i + 1), nn::BatchNorm2d(widths[i])));
            declareConv(name, m_convs.back(), inputSizes[i]);
            in = widths[i];
        }
        fc = register_module("fc", nn::Linear(128, 10));
        declareLinear("fc", fc);
        finishDeclarations();
    }
    torch::Tensor forward(torch::Tensor x) override
    {
        for (size_t i = 0; i < m_convs.size(); ++i) {
            x = torch::relu(m_norms[i](m_convs[i](input("conv" + std::to_string(i + 1), x))));
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
    BasicBlockImpl(int64_t in, int64_t out, int64_t stride, ModelBase* owner, const std::string& prefix)
        : m_owner(owner), m_conv1Name(prefix + ".conv1"), m_conv2Name(prefix + ".conv2"),
          m_shortcutName(prefix + ".shortcut")
    {
        conv1 = register_module("conv1", conv(in, out, 3, stride, 1, false));
        bn1 = register_module("bn1", nn::BatchNorm2d(out));
        conv2 = register_module("conv2", conv(out, out, 3, 1, 1, false));
        bn2 = register_module("bn2", nn::BatchNorm2d(out));
        if (stride != 1 || in != out) {
            shortcut = register_module("shortcut", conv(in, out, 1, stride, 0, false));
            shortcutBn = register_module("shortcut_bn", nn::BatchNorm2d(out));
        }
    }
    torch::Tensor forward(torch::Tensor x)
    {
        torch::Tensor y = torch::relu(bn1(conv1(m_owner->input(m_conv1Name, x))));
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
    ResNet20() : ModelBase("resnet20")
    {
        stem = register_module("conv1", conv(1, 16, 3, 1, 1, false));
        stemBn = register_module("bn1", nn::BatchNorm2d(16));
        declareConv("conv1", stem, 28);
        int64_t in = 16, size = 28;
        const int64_t widths[] = {16, 32, 64};
        for (int s = 0; s < 3; ++s) {
            // A ModuleList per stage gives the parameters PyTorch-style names: stage2.0.conv1.weight.
            auto stage = register_module("stage" + std::to_string(s + 1), nn::ModuleList());
            for (int b = 0; b < 3; ++b) {
                const int64_t stride = (s > 0 && b == 0) ? 2 : 1;
                const std::string name = "stage" + std::to_string(s + 1) + "." + std::to_string(b);
                auto block = BasicBlock(in, widths[s], stride, this, name);
                stage->push_back(block);
                m_blocks.push_back(block);
                declareConv(name + ".conv1", block->conv1, size);
                const int64_t outSize = (size + 2 - 3) / stride + 1;
                declareConv(name + ".conv2", block->conv2, outSize);
                if (block->shortcut)
                    declareConv(name + ".shortcut", block->shortcut, size);
                in = widths[s];
                size = outSize;
            }
        }
        fc = register_module("fc", nn::Linear(64, 10));
        declareLinear("fc", fc);
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

std::shared_ptr<ModelBase> createModel(const std::string& id)
{
    if (id == "lenet300100")
        return std::make_shared<LeNet300100>();
    if (id == "lenet5")
        return std::make_shared<LeNet5>();
    if (id == "lenet5caffe")
        return std::make_shared<LeNet5Caffe>();
    if (id == "vgg_small")
        return std::make_shared<VggSmall>();
    if (id == "resnet20")
        return std::make_shared<ResNet20>();
    std::string known;
    for (const auto& model : modelCatalogue())
        known += (known.empty() ? "" : ", ") + model.id;
    throw std::invalid_argument("unknown model '" + id + "' (known: " + known + ")");
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

}  // namespace prunescope
