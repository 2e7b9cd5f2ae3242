#include "export/InferenceModule.h"

#include "core/SafeFile.h"

#include "models/ScriptedModel.h"

#include <nlohmann/json.hpp>

#include <ATen/core/dispatch/Dispatcher.h>
#include <torch/csrc/jit/frontend/resolver.h>
#include <torch/csrc/jit/frontend/sugared_value.h>

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace prunescope {
namespace {

std::string attributeName(const std::string& layer, const char* field)
{
    std::string name = layer;
    std::replace(name.begin(), name.end(), '.', '_');
    return name + "_" + field;
}

// A LibTorch operator called through the dispatcher with boxed values: the quantized prepack
// operators return custom classes whose C++ types are not in the installed headers' public API.
c10::IValue callOperator(const char* name, std::vector<c10::IValue> stack)
{
    const c10::OperatorHandle op = c10::Dispatcher::singleton().findSchemaOrThrow(name, "");
    op.callBoxed(&stack);
    return stack.at(0);
}

// TorchScript compiled from C++ knows "torch." (aten) only; the int8 module also calls the
// "quantized." operators.
struct QuantizedResolver final : torch::jit::Resolver {
    std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name, torch::jit::GraphFunction& m,
                                                           const torch::jit::SourceRange& loc) override
    {
        if (name == "quantized")
            return std::make_shared<torch::jit::BuiltinModule>("quantized");
        return torch::jit::nativeResolver()->resolveValue(name, m, loc);
    }
};

std::string number(double value)
{
    std::ostringstream out;
    out << std::setprecision(17) << value;
    std::string text = out.str();
    if (text.find_first_of(".e") == std::string::npos)
        text += ".0";  // TorchScript reads "1" as an int
    return text;
}

// Builds forward()'s TorchScript source and the parameters it reads.
class ScriptBuilder {
public:
    explicit ScriptBuilder(const ModelBase& model, const Int8Plan* int8 = nullptr)
        : m_model(model), m_parameters(model.named_parameters(true)), m_buffers(model.named_buffers(true)), m_int8(int8)
    {
    }

    bool hasLayer(const std::string& name) const
    {
        return std::any_of(m_model.prunableLayers().begin(), m_model.prunableLayers().end(),
                           [&](const auto& layer) { return layer.name == name; });
    }

    // conv(x) with the BatchNorm `norm` (if any) folded in: w·γ/σ and (b − μ)·γ/σ + β.
    std::string conv(const std::string& x, const std::string& layerName, const std::string& norm = "")
    {
        const PrunableLayer& layer = find(layerName);
        torch::Tensor weight = layer.weight.detach().clone();
        torch::Tensor bias = m_parameters.contains(layerName + ".bias")
            ? m_parameters[layerName + ".bias"].detach().clone()
            : torch::zeros({weight.size(0)});
        if (!norm.empty()) {
            const double eps = normEps(norm);
            const torch::Tensor scale
                = m_parameters[norm + ".weight"].detach() / torch::sqrt(m_buffers[norm + ".running_var"] + eps);
            weight = weight * scale.view({-1, 1, 1, 1});
            bias = (bias - m_buffers[norm + ".running_mean"]) * scale + m_parameters[norm + ".bias"].detach();
        }
        if (m_int8) {
            const std::vector<int64_t> stride{layer.stride, layer.stride}, padding{layer.padding, layer.padding};
            const c10::IValue packed
                = callOperator("quantized::conv2d_prepack",
                               {int8Weight(layerName, weight), bias, c10::List<int64_t>(stride),
                                c10::List<int64_t>(padding), c10::List<int64_t>({1, 1}), layer.groups});
            return int8Call("conv2d", x, layerName, packed);
        }
        const std::string w = add(attributeName(layerName, "weight"), weight);
        const std::string b = add(attributeName(layerName, "bias"), bias);
        std::ostringstream call;
        call << "torch.conv2d(" << x << ", self." << w << ", self." << b << ", [" << layer.stride << ", "
             << layer.stride << "], [" << layer.padding << ", " << layer.padding << "], [1, 1], " << layer.groups
             << ")";
        return call.str();
    }

    // linear(x) with the BatchNorm1d `norm` (if any) folded in, as for conv().
    std::string linear(const std::string& x, const std::string& layerName, const std::string& norm = "")
    {
        const PrunableLayer& layer = find(layerName);
        torch::Tensor weight = layer.weight.detach().clone();
        torch::Tensor bias = m_parameters[layerName + ".bias"].detach().clone();
        if (!norm.empty()) {
            const torch::Tensor scale = m_parameters[norm + ".weight"].detach()
                / torch::sqrt(m_buffers[norm + ".running_var"] + normEps(norm));
            weight = weight * scale.view({-1, 1});
            bias = (bias - m_buffers[norm + ".running_mean"]) * scale + m_parameters[norm + ".bias"].detach();
        }
        if (m_int8) {
            const c10::IValue packed = callOperator("quantized::linear_prepack", {int8Weight(layerName, weight), bias});
            return int8Call("linear", x, layerName, packed);
        }
        const std::string w = add(attributeName(layerName, "weight"), weight);
        const std::string b = add(attributeName(layerName, "bias"), bias);
        return "torch.linear(" + x + ", self." + w + ", self." + b + ")";
    }

    const PrunableLayer& layer(const std::string& name) const { return find(name); }

    void line(const std::string& code) { m_body += "    " + code + "\n"; }

    torch::jit::Module build()
    {
        torch::jit::Module module("PruneScope_" + m_model.modelId());
        for (const auto& [name, tensor] : m_attributes)
            module.register_parameter(name, tensor.contiguous(), /*is_buffer=*/false);
        for (const auto& [name, packed] : m_packed)
            module.register_attribute(name, packed.type(), packed);
        module.define("def forward(self, x):\n" + m_body,
                      m_int8 ? std::make_shared<QuantizedResolver>() : torch::jit::ResolverPtr());
        module.eval();
        return module;
    }

private:
    const Int8LayerGrids& gridsOf(const std::string& layer) const
    {
        const auto it = m_int8->find(layer);
        if (it == m_int8->end())
            throw std::invalid_argument("int8 inference: no grids for layer '" + layer + "'");
        return it->second;
    }

    // The weight as int8 on its symmetric grids (one scale per output channel, or one).
    torch::Tensor int8Weight(const std::string& layer, const torch::Tensor& weight) const
    {
        const std::vector<double>& scales = gridsOf(layer).weightScales;
        if (scales.size() == 1)
            return torch::quantize_per_tensor(weight.contiguous(), scales[0], 0, torch::kQInt8);
        if (int64_t(scales.size()) != weight.size(0))
            throw std::invalid_argument("int8 inference: layer '" + layer + "' has " + std::to_string(weight.size(0))
                                        + " output channels but " + std::to_string(scales.size()) + " weight scales");
        return torch::quantize_per_channel(weight.contiguous(), torch::tensor(scales, torch::kDouble),
                                           torch::zeros({weight.size(0)}, torch::kLong), 0, torch::kQInt8);
    }

    // x quantized to uint8, the quantized operator, its uint8 output back to float.
    std::string int8Call(const char* op, const std::string& x, const std::string& layer, const c10::IValue& packed)
    {
        const Int8LayerGrids& grids = gridsOf(layer);
        const std::string name = attributeName(layer, "packed");
        m_packed.emplace_back(name, packed);
        // 13: torch.quint8 as TorchScript passes a dtype.
        return "quantized." + std::string(op) + "(torch.quantize_per_tensor(" + x + ", " + number(grids.inputScale)
            + ", " + std::to_string(grids.inputZeroPoint) + ", 13), self." + name + ", " + number(grids.outputScale)
            + ", " + std::to_string(grids.outputZeroPoint) + ").dequantize()";
    }

    const PrunableLayer& find(const std::string& name) const
    {
        for (const auto& layer : m_model.prunableLayers()) {
            if (layer.name == name)
                return layer;
        }
        throw std::logic_error("scripting " + m_model.modelId() + ": no layer " + name);
    }

    double normEps(const std::string& norm) const
    {
        for (const auto& item : m_model.named_modules("", false)) {
            if (item.key() == norm) {
                if (const auto* bn = item.value()->as<torch::nn::BatchNorm2dImpl>())
                    return bn->options.eps();
                if (const auto* bn = item.value()->as<torch::nn::BatchNorm1dImpl>())
                    return bn->options.eps();
            }
        }
        throw std::logic_error("scripting " + m_model.modelId() + ": no BatchNorm " + norm);
    }

    std::string add(const std::string& name, const torch::Tensor& tensor)
    {
        m_attributes.emplace_back(name, tensor);
        return name;
    }

    const ModelBase& m_model;
    torch::OrderedDict<std::string, torch::Tensor> m_parameters, m_buffers;
    std::vector<std::pair<std::string, torch::Tensor>> m_attributes;
    const Int8Plan* m_int8 = nullptr;
    std::vector<std::pair<std::string, c10::IValue>> m_packed;  // prepacked int8 weights
    std::string m_body;
};

bool tied(const ModelBase& model, const std::string& a, const std::string& b)
{
    const auto& ties = model.tiedOutputs();
    return std::find(ties.begin(), ties.end(), std::make_pair(a, b)) != ties.end();
}

// He et al.'s CIFAR ResNets, either shortcut option: a block without a shortcut layer whose shape
// changes (stride 2 or more channels) subsamples and zero-pads its input (option A).
void emitResNet(ScriptBuilder& b)
{
    b.line("x = torch.relu(" + b.conv("x", "conv1", "bn1") + ")");
    for (int s = 1; s <= 3; ++s) {
        for (int k = 0; b.hasLayer("stage" + std::to_string(s) + "." + std::to_string(k) + ".conv1"); ++k) {
            const std::string p = "stage" + std::to_string(s) + "." + std::to_string(k);
            b.line("y = torch.relu(" + b.conv("x", p + ".conv1", p + ".bn1") + ")");
            b.line("y = " + b.conv("y", p + ".conv2", p + ".bn2"));
            const PrunableLayer& conv1 = b.layer(p + ".conv1");
            const int64_t in = conv1.weight.size(1), out = b.layer(p + ".conv2").weight.size(0);
            if (b.hasLayer(p + ".shortcut")) {
                b.line("x = torch.relu(y + " + b.conv("x", p + ".shortcut", p + ".shortcut_bn") + ")");
            } else if (conv1.stride != 1 || in != out) {
                const std::string stride = std::to_string(conv1.stride);
                const int64_t before = (out - in) / 2, after = out - in - before;
                b.line("x = torch.constant_pad_nd(x[:, :, ::" + stride + ", ::" + stride + "], [0, 0, 0, 0, "
                       + std::to_string(before) + ", " + std::to_string(after) + "], 0.0)");
                b.line("x = torch.relu(y + x)");
            } else {
                b.line("x = torch.relu(y + x)");
            }
        }
    }
    b.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
    b.line("return " + b.linear("x", "fc"));
}

void emitMobileNetV2(ScriptBuilder& b, const ModelBase& model)
{
    b.line("x = torch.clamp(" + b.conv("x", "conv1", "bn1") + ", 0.0, 6.0)");
    std::string stream = "conv1";
    for (int n = 0; b.hasLayer("blocks." + std::to_string(n) + ".depthwise"); ++n) {
        const std::string p = "blocks." + std::to_string(n);
        std::string y = "x";
        if (b.hasLayer(p + ".expand")) {
            b.line("y = torch.clamp(" + b.conv("x", p + ".expand", p + ".expand_bn") + ", 0.0, 6.0)");
            y = "y";
        }
        b.line("y = torch.clamp(" + b.conv(y, p + ".depthwise", p + ".depthwise_bn") + ", 0.0, 6.0)");
        b.line("y = " + b.conv("y", p + ".project", p + ".project_bn"));
        // The model says which blocks add their input: tied outputs are residual additions.
        b.line(tied(model, p + ".project", stream) ? "x = x + y" : "x = y");
        stream = p + ".project";
    }
    b.line("x = torch.clamp(" + b.conv("x", "conv2", "bn2") + ", 0.0, 6.0)");
    b.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
    b.line("return " + b.linear("x", "fc"));
}

// One emitter per zoo architecture; a test checks each against the C++ model's outputs.
void emitForward(ScriptBuilder& b, const ModelBase& model)
{
    const std::string& id = model.modelId();
    if (id == "lenet300100") {
        b.line("x = torch.flatten(x, 1)");
        b.line("x = torch.relu(" + b.linear("x", "fc1") + ")");
        b.line("x = torch.relu(" + b.linear("x", "fc2") + ")");
        b.line("return " + b.linear("x", "fc3"));
    } else if (id == "lenet5" || id == "lenet5caffe") {
        b.line("x = torch.max_pool2d(torch.relu(" + b.conv("x", "conv1") + "), [2, 2])");
        b.line("x = torch.max_pool2d(torch.relu(" + b.conv("x", "conv2") + "), [2, 2])");
        b.line("x = torch.flatten(x, 1)");
        b.line("x = torch.relu(" + b.linear("x", "fc1") + ")");
        if (id == "lenet5") {
            b.line("x = torch.relu(" + b.linear("x", "fc2") + ")");
            b.line("return " + b.linear("x", "fc3"));
        } else {
            b.line("return " + b.linear("x", "fc2"));
        }
    } else if (id == "vgg_small") {
        for (int i = 1; i <= 5; ++i) {
            const std::string n = std::to_string(i);
            b.line("x = torch.relu(" + b.conv("x", "conv" + n, "bn" + n) + ")");
            if (i == 2 || i == 4 || i == 5)
                b.line("x = torch.max_pool2d(x, [2, 2])");
        }
        b.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        b.line("return " + b.linear("x", "fc"));
    } else if (id.rfind("resnet", 0) == 0) {
        emitResNet(b);
    } else if (id == "vgg16_bn") {
        for (int i = 1; i <= 13; ++i) {
            const std::string n = std::to_string(i);
            b.line("x = torch.relu(" + b.conv("x", "conv" + n, "bn" + n) + ")");
            if (i == 2 || i == 4 || i == 7 || i == 10 || i == 13)
                b.line("x = torch.max_pool2d(x, [2, 2], [2, 2], [0, 0], [1, 1], True)");
        }
        b.line("x = torch.flatten(torch.adaptive_avg_pool2d(x, [1, 1]), 1)");
        b.line("x = torch.relu(" + b.linear("x", "fc1", "fc1_bn") + ")");
        b.line("return " + b.linear("x", "fc2"));
    } else if (id == "mobilenetv2") {
        emitMobileNetV2(b, model);
    } else {
        throw std::invalid_argument("no TorchScript form for model '" + id + "'");
    }
}

}  // namespace

torch::jit::Module scriptedInferenceModule(const ModelBase& model)
{
    if (const auto* scripted = dynamic_cast<const ScriptedModel*>(&model))
        return scripted->inferenceModule();  // already TorchScript: a copy of it as it is now
    torch::NoGradGuard noGrad;
    ScriptBuilder builder(model);
    emitForward(builder, model);
    return builder.build();
}

std::vector<std::string> quantizedEngines()
{
    std::vector<std::string> names;
    for (const at::QEngine engine : at::globalContext().supportedQEngines()) {
        if (engine != at::QEngine::NoQEngine)
            names.push_back(c10::toString(engine));
    }
    return names;
}

std::string useBestQuantizedEngine()
{
    const auto& supported = at::globalContext().supportedQEngines();
    for (const at::QEngine engine :
         {at::QEngine::X86, at::QEngine::FBGEMM, at::QEngine::ONEDNN, at::QEngine::QNNPACK}) {
        if (std::find(supported.begin(), supported.end(), engine) != supported.end()) {
            at::globalContext().setQEngine(engine);
            return c10::toString(engine);
        }
    }
    throw std::runtime_error("this LibTorch has no quantized engine (x86, fbgemm, onednn or qnnpack)");
}

torch::jit::Module int8InferenceModule(const ModelBase& model, const Int8Plan& plan)
{
    if (dynamic_cast<const ScriptedModel*>(&model))
        throw std::invalid_argument("int8 inference is built for zoo models, not TorchScript files");
    torch::NoGradGuard noGrad;
    ScriptBuilder builder(model, &plan);
    emitForward(builder, model);
    return builder.build();
}

const char* deploymentPathName(DeploymentPath path)
{
    switch (path) {
    case DeploymentPath::Frozen:
        return "frozen";
    case DeploymentPath::FrozenChannelsLast:
        return "frozen, channels-last";
    case DeploymentPath::OptimizedForInference:
        return "optimize_for_inference";
    }
    return "?";
}

torch::jit::Module frozenInferenceModule(const ModelBase& model, DeploymentPath path)
{
    torch::jit::Module frozen = torch::jit::freeze(scriptedInferenceModule(model));
    if (path != DeploymentPath::OptimizedForInference)
        return frozen;
    try {
        return torch::jit::optimize_for_inference(frozen);
    } catch (const std::exception&) {
        return frozen;  // some builds lack the passes' back ends; the frozen graph is still fused
    }
}

void exportTorchScript(const ModelBase& model, const std::string& path, FileOverwrite overwrite)
{
    torch::jit::Module module = scriptedInferenceModule(model);
    writeFileSafely(path, overwrite, [&](const std::string& file) { module.save(file); });
}

void exportStateDict(const ModelBase& model, const std::string& path, FileOverwrite overwrite)
{
    c10::Dict<std::string, at::Tensor> state;
    for (const auto& item : model.named_parameters(true))
        state.insert(item.key(), item.value().detach().clone());
    for (const auto& item : model.named_buffers(true))
        state.insert(item.key(), item.value().detach().clone());
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(state));
    writeFileSafely(path, overwrite, [&](const std::string& file) {
        std::ofstream out(file, std::ios::binary);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.close();
        if (!out)
            throw std::runtime_error("write failed (disk full?)");
    });
}

void saveCheckpoint(const ModelBase& model, const std::string& path)
{
    if (const auto* scripted = dynamic_cast<const ScriptedModel*>(&model)) {
        // The script module itself (its architecture is code, not an id and widths), marked.
        writeFileSafely(path, FileOverwrite::Replace, [&](const std::string& file) { scripted->saveCheckpoint(file); });
        return;
    }
    torch::serialize::OutputArchive archive;
    archive.write("prunescope_model", c10::IValue(model.modelId()));
    archive.write("prunescope_widths", c10::IValue(nlohmann::json(model.widths()).dump()));
    const DataShape& shape = model.inputShape();
    const nlohmann::json shapeJson
        = {{"channels", shape.channels}, {"height", shape.height}, {"width", shape.width}, {"classes", shape.classes}};
    archive.write("prunescope_shape", c10::IValue(shapeJson.dump()));
    model.save(archive);
    writeFileSafely(path, FileOverwrite::Replace, [&](const std::string& file) { archive.save_to(file); });
}

std::shared_ptr<ModelBase> loadCheckpoint(const std::string& path)
{
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error("model checkpoint " + path + " does not exist");
    try {
        if (ScriptedModel::isCheckpoint(path)) {
            std::shared_ptr<ModelBase> model = ScriptedModel::loadCheckpoint(path);
            model->eval();
            return model;
        }
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        c10::IValue id, widthsJson;
        if (!archive.try_read("prunescope_model", id) || !archive.try_read("prunescope_widths", widthsJson))
            throw std::runtime_error("not a PruneScope checkpoint (no model id or widths)");
        const ModelWidths widths = nlohmann::json::parse(widthsJson.toStringRef()).get<ModelWidths>();
        // A checkpoint written before shapes were stored holds a network for the one shape there was.
        DataShape shape;
        c10::IValue shapeJson;
        if (archive.try_read("prunescope_shape", shapeJson)) {
            const auto stored = nlohmann::json::parse(shapeJson.toStringRef());
            shape = {stored.at("channels").get<int64_t>(), stored.at("height").get<int64_t>(),
                     stored.at("width").get<int64_t>(), stored.at("classes").get<int64_t>()};
        }
        std::shared_ptr<ModelBase> model = createModel(id.toStringRef(), shape, widths);
        model->load(archive);
        model->eval();
        return model;
    } catch (const c10::Error& e) {
        throw std::runtime_error("model checkpoint " + path + " cannot be read: " + e.what_without_backtrace());
    } catch (const std::exception& e) {
        throw std::runtime_error("model checkpoint " + path + " cannot be read: " + e.what());
    }
}

namespace {

// One network deployed on one path, with its input, and the times measured so far.
struct TimedModule {
    torch::jit::Module module;
    std::vector<torch::jit::IValue> inputs;
    std::vector<double> timesMs;

    void run() { module.forward(inputs); }
    void timeRuns(int count)
    {
        using Clock = std::chrono::steady_clock;
        for (int i = 0; i < count; ++i) {
            const auto start = Clock::now();
            run();
            timesMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
    }
    LatencyStats stats() const
    {
        std::vector<double> sorted = timesMs;
        std::sort(sorted.begin(), sorted.end());
        auto at = [&](double q) { return sorted[size_t(std::lround(q * double(sorted.size() - 1)))]; };
        return {at(0.5), at(0.1), at(0.9), int(sorted.size()), at(0.25), at(0.75), sorted.front(), sorted.back()};
    }
};

TimedModule deploy(const ModelBase& model, DeploymentPath path, int64_t batch)
{
    torch::manual_seed(1234);
    const DataShape& shape = model.inputShape();
    torch::Tensor input = torch::rand({batch, shape.channels, shape.height, shape.width});
    if (path == DeploymentPath::FrozenChannelsLast)  // convolutions follow their input's memory format
        input = input.contiguous(at::MemoryFormat::ChannelsLast);
    // A module per path and batch size: the profiling executor specialises a graph to the
    // shapes and strides it sees first.
    return {frozenInferenceModule(model, path), {input}, {}};
}

}  // namespace

std::vector<BestLatency> measureFastestInterleaved(const std::vector<const ModelBase*>& networks, int64_t batch,
                                                   int repeats, const std::function<void(double fraction)>& onProgress)
{
    using Clock = std::chrono::steady_clock;
    // Short enough that drift within a block is small, long enough that switching networks
    // (cold caches for the first run) is not what gets measured.
    constexpr int kBlock = 5;
    if (repeats < 1)
        throw std::invalid_argument("latency repeats must be at least 1, not " + std::to_string(repeats));
    torch::NoGradGuard noGrad;
    std::vector<BestLatency> best(networks.size());
    bool first = true;
    // Progress in steps: per path, each network's deployment and warm-up, then the timed blocks.
    const int blocks = (repeats + kBlock - 1) / kBlock;
    const double steps = double(std::size(kDeploymentPaths)) * double(networks.size()) * (1 + blocks);
    double stepsDone = 0;
    const auto step = [&] {
        stepsDone += 1;
        if (onProgress)
            onProgress(std::min(1.0, stepsDone / steps));
    };
    for (const DeploymentPath path : kDeploymentPaths) {
        std::vector<TimedModule> timed;
        // The profiling executor specialises the graph over the first runs, and caches and clocks
        // need time to settle: warm each up for at least 10 runs and a quarter of a second.
        for (const ModelBase* network : networks) {
            timed.push_back(deploy(*network, path, batch));
            TimedModule& module = timed.back();
            const auto warmUntil = Clock::now() + std::chrono::milliseconds(250);
            for (int i = 0; i < std::max(10, repeats / 4) || Clock::now() < warmUntil; ++i)
                module.run();
            step();
        }
        for (int done = 0; done < repeats; done += kBlock) {
            for (TimedModule& module : timed) {
                module.timeRuns(std::min(kBlock, repeats - done));
                step();
            }
        }
        for (size_t i = 0; i < timed.size(); ++i) {
            const LatencyStats stats = timed[i].stats();
            if (first || stats.medianMs < best[i].stats.medianMs)
                best[i] = {stats, path};
        }
        first = false;
    }
    return best;
}

std::vector<LatencyStats> measureModulesInterleaved(std::vector<torch::jit::Module> modules, const DataShape& shape,
                                                    int64_t batch, int repeats)
{
    constexpr int kBlock = 5;
    if (repeats < 1)
        throw std::invalid_argument("latency repeats must be at least 1, not " + std::to_string(repeats));
    torch::NoGradGuard noGrad;
    torch::manual_seed(1234);
    const torch::Tensor input = torch::rand({batch, shape.channels, shape.height, shape.width});
    std::vector<TimedModule> timed;
    for (auto& module : modules) {
        module.eval();
        timed.push_back({module, {input}, {}});
        for (int i = 0; i < std::max(10, repeats / 4); ++i)
            timed.back().run();
    }
    for (int done = 0; done < repeats; done += kBlock) {
        for (TimedModule& module : timed)
            module.timeRuns(std::min(kBlock, repeats - done));
    }
    std::vector<LatencyStats> stats;
    for (const TimedModule& module : timed)
        stats.push_back(module.stats());
    return stats;
}

}  // namespace prunescope
