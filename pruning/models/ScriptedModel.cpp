#include "models/ScriptedModel.h"

#include <caffe2/serialize/inline_container.h>
#include <nlohmann/json.hpp>
#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace prunescope {

// One use of a prunable weight by a conv or linear op in forward()'s top-level graph.
struct ScriptedModel::LayerCall {
    std::string layer;
    torch::jit::Value* input = nullptr;  // values of the inlined graph (valid while it lives)
    torch::jit::Value* output = nullptr;
    bool conv = false;
    bool transposed = false;
    // A square kernel, one stride and padding for both axes, dilation 1, one group: inputs can be
    // unfolded into rows (post-training methods) with the layer's kernel, stride and padding.
    bool unfoldable = false;
    int64_t stride = 1, padding = 0;
};

namespace {

namespace fs = std::filesystem;
using torch::jit::Node;
using torch::jit::Value;

// The extra file that marks a checkpoint holding a TorchScript model, with its id and fingerprint.
constexpr const char* kCheckpointMarker = "prunescope_model.json";

// c10 errors carry a C++ backtrace, and the TorchScript interpreter a script traceback before the
// message that matters: keep the last line of the message.
std::string shortError(const std::exception& e)
{
    const auto* c10Error = dynamic_cast<const c10::Error*>(&e);
    std::string text = c10Error ? c10Error->what_without_backtrace() : e.what();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    const size_t newline = text.find_last_of('\n');
    return newline == std::string::npos ? text : text.substr(newline + 1);
}

std::string shapeText(at::IntArrayRef sizes)
{
    std::string text = "[";
    for (size_t i = 0; i < sizes.size(); ++i)
        text += (i ? ", " : "") + std::to_string(sizes[i]);
    return text + "]";
}

std::string readFile(const std::string& path)
{
    if (!fs::is_regular_file(path))
        throw std::invalid_argument("TorchScript model " + path + " does not exist (or is not a file)");
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
        throw std::invalid_argument("TorchScript model " + path + " cannot be read");
    return bytes;
}

std::string fingerprintOf(const std::string& bytes)
{
    uint64_t hash = 1469598103934665603ull;
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    std::ostringstream out;
    out << std::hex << hash << "-" << bytes.size();
    return out.str();
}

// "features.0.weight" for a value read as self.features.0.weight; nothing when it is not an
// attribute chain from the module itself.
std::optional<std::string> attributePath(Value* value, const Value* self)
{
    std::vector<std::string> parts;
    while (value != self) {
        const Node* node = value->node();
        if (node->kind() != c10::prim::GetAttr)
            return std::nullopt;
        parts.push_back(node->s(c10::attr::name));
        value = node->input(0);
    }
    std::string path;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
        path += (path.empty() ? "" : ".") + *it;
    return path;
}

// A constant int or int list (an int[] literal is a ListConstruct of constants).
std::optional<std::vector<int64_t>> constantInts(Value* value)
{
    if (const auto constant = torch::jit::toIValue(value)) {
        if (constant->isInt())
            return std::vector<int64_t>{constant->toInt()};
        if (constant->isIntList())
            return constant->toIntVector();
        return std::nullopt;
    }
    if (value->node()->kind() != c10::prim::ListConstruct)
        return std::nullopt;
    std::vector<int64_t> ints;
    for (Value* item : value->node()->inputs()) {
        const auto constant = torch::jit::toIValue(item);
        if (!constant || !constant->isInt())
            return std::nullopt;
        ints.push_back(constant->toInt());
    }
    return ints;
}

// The one value of a list that repeats it for both axes ([2, 2] or [2]); nothing otherwise.
std::optional<int64_t> squareValue(Value* value)
{
    const auto ints = constantInts(value);
    if (!ints || ints->empty() || ints->size() > 2 || ints->front() != ints->back())
        return std::nullopt;
    return ints->front();
}

// A prunable layer is named by its weight's path without ".weight" ("features.0"), or by the
// whole path for a bare 2-d or 4-d parameter.
std::string layerName(const std::string& parameter)
{
    constexpr std::string_view suffix = ".weight";
    const bool weight = parameter.size() > suffix.size()
        && parameter.compare(parameter.size() - suffix.size(), suffix.size(), suffix) == 0;
    return weight ? parameter.substr(0, parameter.size() - suffix.size()) : parameter;
}

}  // namespace

std::string fileFingerprint(const std::string& path)
{
    return fingerprintOf(readFile(path));
}

ScriptedModel::ScriptedModel(torch::jit::Module module, const std::string& id, std::string fingerprint,
                             const DataShape& shape)
    : ModelBase(id, shape), m_module(std::move(module)), m_fingerprint(std::move(fingerprint))
{
}

ScriptedModel::~ScriptedModel() = default;

std::shared_ptr<ScriptedModel> ScriptedModel::load(const std::string& path, const DataShape& shape)
{
    const std::string bytes = readFile(path);
    torch::jit::Module module;
    try {
        // From the bytes just fingerprinted, so the fingerprint is that of what runs.
        std::istringstream in(bytes);
        module = torch::jit::load(in, torch::kCPU);
    } catch (const std::exception& e) {
        throw std::invalid_argument("TorchScript model " + path
                                    + " is not a TorchScript file that torch.jit.load can read (" + shortError(e)
                                    + "); save one with torch.jit.script(model).save(path) or torch.jit.trace");
    }
    return create(std::move(module), path, path, fingerprintOf(bytes), shape);
}

bool ScriptedModel::isCheckpoint(const std::string& path)
{
    caffe2::serialize::PyTorchStreamReader reader(path);
    return reader.hasRecord(std::string("extra/") + kCheckpointMarker);
}

std::shared_ptr<ScriptedModel> ScriptedModel::loadCheckpoint(const std::string& path)
{
    torch::jit::ExtraFilesMap extra{{kCheckpointMarker, ""}};
    torch::jit::Module module;
    std::string id, fingerprint;
    DataShape shape;  // a checkpoint from before shapes were stored: the one shape there was
    try {
        module = torch::jit::load(path, torch::kCPU, extra);
        const auto marker = nlohmann::json::parse(extra[kCheckpointMarker]);
        id = marker.at("model").get<std::string>();
        fingerprint = marker.at("fingerprint").get<std::string>();
        if (marker.contains("shape")) {
            const auto& stored = marker.at("shape");
            shape = {stored.at("channels").get<int64_t>(), stored.at("height").get<int64_t>(),
                     stored.at("width").get<int64_t>(), stored.at("classes").get<int64_t>()};
        }
    } catch (const std::exception& e) {
        throw std::invalid_argument("TorchScript checkpoint " + path + " cannot be read: " + shortError(e));
    }
    return create(std::move(module), id, path, fingerprint, shape);
}

void ScriptedModel::saveCheckpoint(const std::string& file) const
{
    const DataShape& shape = inputShape();
    const nlohmann::json marker = {
        {"kind", "torchscript"},
        {"model", modelId()},
        {"fingerprint", m_fingerprint},
        {"shape",
         {{"channels", shape.channels}, {"height", shape.height}, {"width", shape.width}, {"classes", shape.classes}}}};
    m_module.save(file, {{kCheckpointMarker, marker.dump()}});
}

std::shared_ptr<ScriptedModel> ScriptedModel::create(torch::jit::Module module, const std::string& id,
                                                     const std::string& file, std::string fingerprint,
                                                     const DataShape& shape)
{
    if (!module.find_method("forward"))
        throw std::invalid_argument("TorchScript model " + file + ": it has no forward() method");
    std::shared_ptr<ScriptedModel> model(new ScriptedModel(std::move(module), id, std::move(fingerprint), shape));
    for (const auto& parameter : model->m_module.named_parameters(/*recurse=*/true))
        model->registerTensor(parameter.name, parameter.value, /*buffer=*/false);
    for (const auto& buffer : model->m_module.named_buffers(/*recurse=*/true))
        model->registerTensor(buffer.name, buffer.value, /*buffer=*/true);

    model->checkShapes(file);
    try {
        model->analyseForward();
    } catch (const std::exception&) {
        // A graph this reading does not expect: the model still runs; MACs are estimated.
        model->m_calls.clear();
        model->m_recording.reset();
    }
    model->declareLayers(file);
    model->train(true);  // as a freshly built zoo model
    return model;
}

void ScriptedModel::checkShapes(const std::string& file)
{
    auto fail = [&](const std::string& problem) {
        throw std::invalid_argument("TorchScript model " + file + ": " + problem);
    };
    // The contract every zoo model keeps: [N, C, H, W] images in (or the same flattened),
    // [N, classes] logits out. Batch 2, so a trace that baked in batch 1 is caught here rather than
    // in the middle of a run.
    const DataShape& shape = inputShape();
    const std::vector<int64_t> images = {2, shape.channels, shape.height, shape.width};
    const std::vector<int64_t> flat = {2, shape.pixelsPerImage()};
    torch::NoGradGuard noGrad;
    m_module.eval();
    std::string imageError, flatError;
    c10::IValue output;
    bool ran = false;
    for (const bool flatInput : {false, true}) {
        try {
            output = m_module.forward({torch::zeros(flatInput ? flat : images)});
            m_flatInput = flatInput;
            ran = true;
            break;
        } catch (const std::exception& e) {
            (flatInput ? flatError : imageError) = shortError(e);
        }
    }
    if (!ran) {
        // What the network itself reads, from its first weight, to name the shape it expects.
        std::string reads;
        for (const auto& parameter : m_module.named_parameters(true)) {
            const at::Tensor& weight = parameter.value;
            if (weight.dim() == 4)
                reads = "; its first convolution (" + parameter.name + ", " + shapeText(weight.sizes()) + ") reads "
                    + std::to_string(weight.size(1)) + " channels";
            else if (weight.dim() == 2)
                reads = "; its first linear layer (" + parameter.name + ", " + shapeText(weight.sizes()) + ") reads "
                    + std::to_string(weight.size(1)) + " features";
            if (!reads.empty())
                break;
        }
        fail("forward() fails on the data's images, " + shapeText(images) + " (" + imageError + "), and flattened, "
             + shapeText(flat) + " (" + flatError + "); expected a network for " + describeShape(shape) + reads);
    }
    if (!output.isTensor())
        fail("forward() returns " + output.tagKind() + ", expected a tensor of logits");
    const at::Tensor logits = output.toTensor();
    if (logits.sizes() != at::IntArrayRef{2, shape.classes})
        fail("forward() gives " + shapeText(logits.sizes()) + " for a " + shapeText(m_flatInput ? flat : images)
             + " input, expected [2, " + std::to_string(shape.classes) + "] (" + std::to_string(shape.classes)
             + " classes)");
}

torch::Tensor ScriptedModel::moduleInput(torch::Tensor images) const
{
    return m_flatInput ? images.flatten(1) : images;
}

void ScriptedModel::registerTensor(const std::string& path, const torch::Tensor& tensor, bool buffer)
{
    // torch::nn::Module names cannot hold dots: one stand-in module per level keeps PyTorch's
    // names ("features.0.weight") for the state dict, copies and the dense cache.
    torch::nn::Module* holder = this;
    size_t start = 0;
    for (size_t dot = path.find('.'); dot != std::string::npos; start = dot + 1, dot = path.find('.', start)) {
        const std::string prefix = path.substr(0, dot);
        auto& child = m_holders[prefix];
        if (!child)
            child = holder->register_module(path.substr(start, dot - start), std::make_shared<torch::nn::Module>());
        holder = child.get();
    }
    // The same tensor, not a copy: what changes here changes in the script module.
    if (buffer)
        holder->register_buffer(path.substr(start), tensor);
    else
        holder->register_parameter(path.substr(start), tensor, /*requires_grad=*/true);
}

void ScriptedModel::analyseForward()
{
    // forward() with the calls inlined, so every conv and linear appears with the attribute
    // chain of its weight (self.features.0.weight). Only the top-level block is read: a layer
    // called inside an if or a loop cannot hand its values out.
    auto graph = m_module.get_method("forward").graph()->copy();
    torch::jit::Inline(*graph);
    const Value* self = graph->inputs().at(0);
    std::map<std::string, std::string> layerOfWeight;
    std::map<std::string, torch::Tensor> weightOf;
    for (const auto& parameter : m_module.named_parameters(true)) {
        if (parameter.value.dim() == 4 || parameter.value.dim() == 2) {
            layerOfWeight[parameter.name] = layerName(parameter.name);
            weightOf[parameter.name] = parameter.value;
        }
    }
    std::vector<Value*> recorded{graph->outputs().at(0)};
    for (Node* node : graph->nodes()) {
        const auto kind = node->kind();
        const bool conv = kind == c10::aten::conv2d || kind == c10::aten::_convolution;
        if (!conv && kind != c10::aten::linear)
            continue;
        const auto path = attributePath(node->input(1), self);
        if (!path || !layerOfWeight.count(*path))
            continue;
        LayerCall call;
        call.layer = layerOfWeight.at(*path);
        call.input = node->input(0);
        call.output = node->output();
        call.conv = conv;
        if (conv) {
            // conv2d(input, weight, bias, stride, padding, dilation, groups);
            // _convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, ...)
            const bool full = kind == c10::aten::_convolution;
            const auto transposed = full ? torch::jit::toIValue(node->input(6)) : c10::nullopt;
            call.transposed = transposed && transposed->isBool() && transposed->toBool();
            const auto stride = squareValue(node->input(3));
            const auto padding = squareValue(node->input(4));
            const auto dilation = squareValue(node->input(5));
            const auto groups = constantInts(node->input(full ? 8 : 6));
            const torch::Tensor& weight = weightOf.at(*path);
            call.unfoldable = weight.dim() == 4 && weight.size(2) == weight.size(3) && !call.transposed && stride
                && padding && dilation == int64_t(1) && groups && *groups == std::vector<int64_t>{1};
            call.stride = stride.value_or(1);
            call.padding = padding.value_or(0);
        } else {
            call.unfoldable = weightOf.at(*path).dim() == 2;
        }
        recorded.push_back(call.input);
        recorded.push_back(call.output);
        m_calls.push_back(std::move(call));
    }
    if (m_calls.empty())
        return;
    torch::jit::WithInsertPoint insertAtEnd(graph->return_node());
    Value* tuple = graph->insertNode(graph->createTuple(recorded))->output();
    graph->eraseOutput(0);
    graph->registerOutput(tuple);
    m_recording = std::make_unique<torch::jit::GraphFunction>("prunescope_recording_forward", graph, nullptr);
}

std::vector<torch::Tensor> ScriptedModel::forwardRecording(const torch::Tensor& input)
{
    torch::jit::Stack stack{c10::IValue(m_module._ivalue()), c10::IValue(moduleInput(input))};
    m_recording->run(stack);
    std::vector<torch::Tensor> values;
    for (const auto& element : stack.back().toTuple()->elements())
        values.push_back(element.toTensor());
    return values;
}

void ScriptedModel::declareLayers(const std::string& file)
{
    // MACs per sample from the shapes one forward pass of a single zero image sees: each call
    // costs weight elements × output positions (input positions for a transposed conv).
    std::map<std::string, double> macs;
    std::map<std::string, const LayerCall*> firstCall;
    if (m_recording) {
        std::vector<torch::Tensor> values;
        try {
            torch::NoGradGuard noGrad;
            m_module.eval();
            const DataShape& shape = inputShape();
            values = forwardRecording(torch::zeros({1, shape.channels, shape.height, shape.width}));
        } catch (const std::exception&) {
            // Should not happen (forward() itself ran); MACs are then estimated as below.
            m_recording.reset();
            m_calls.clear();
        }
        for (size_t i = 0; i < m_calls.size(); ++i) {
            const LayerCall& call = m_calls[i];
            const torch::Tensor& in = values[1 + 2 * i];
            const torch::Tensor& out = values[2 + 2 * i];
            firstCall.try_emplace(call.layer, &call);
            // Output positions: [1, C, H, W] → H·W for a conv; [1, ..., F] → the leading dims for a linear.
            const torch::Tensor& positions = call.transposed ? in : out;
            const int64_t featureDim = call.conv ? 1 : positions.dim() - 1;
            macs[call.layer] += double(positions.numel() / std::max<int64_t>(positions.size(featureDim), 1));
        }
    }

    // Forward order of first use; layers forward() does not show at its top level follow in
    // parameter order.
    std::vector<std::string> order;
    for (const auto& call : m_calls)
        if (std::find(order.begin(), order.end(), call.layer) == order.end())
            order.push_back(call.layer);
    std::map<std::string, torch::Tensor> weights;
    std::vector<std::string> parameterOrder;
    for (const auto& parameter : named_parameters(true)) {
        const torch::Tensor& value = parameter.value();
        if (value.dim() != 4 && value.dim() != 2)
            continue;
        const std::string layer = layerName(parameter.key());
        weights[layer] = value;
        parameterOrder.push_back(layer);
    }
    for (const auto& layer : parameterOrder)
        if (std::find(order.begin(), order.end(), layer) == order.end())
            order.push_back(layer);
    if (order.empty())
        throw std::invalid_argument("TorchScript model " + file
                                    + ": it has no convolution (4-d) or linear (2-d) weight to prune (a module "
                                      "frozen with torch.jit.freeze keeps its weights as constants: save it unfrozen)");

    for (const auto& name : order) {
        const torch::Tensor& weight = weights.at(name);
        PrunableLayer layer;
        layer.name = name;
        layer.kind = weight.dim() == 4 ? LayerKind::Conv : LayerKind::Linear;
        layer.weight = weight;
        const auto call = firstCall.find(name);
        if (call != firstCall.end()) {
            // weight elements = MACs per output position (out × in/groups × kernel area, or out × in).
            layer.macsPerSample = double(weight.numel()) * macs.at(name);
            if (layer.kind == LayerKind::Conv) {
                layer.kernel = weight.size(2) == weight.size(3) ? weight.size(2) : 0;  // 0: not square
                layer.stride = call->second->stride;
                layer.padding = call->second->padding;
            }
        } else {
            // Not seen in forward()'s top level (inside an if or loop, or used by another op):
            // counted for a single output position, and said so in the run log.
            layer.macsPerSample = double(weight.numel());
            m_estimated.push_back(name);
            if (layer.kind == LayerKind::Conv)
                layer.kernel = weight.size(2) == weight.size(3) ? weight.size(2) : 0;
        }
        declareLayer(std::move(layer));
    }
    finishDeclarations();
}

torch::Tensor ScriptedModel::forward(torch::Tensor input)
{
    if (!recordsInputs() || !m_recording)
        return m_module.forward({moduleInput(std::move(input))}).toTensor();
    const std::vector<torch::Tensor> values = forwardRecording(input);
    // Calibration (post-training methods) sees the inputs of layers whose rows it can unfold;
    // the others are missing from what it records, and it says so.
    for (size_t i = 0; i < m_calls.size(); ++i)
        if (m_calls[i].unfoldable)
            this->input(m_calls[i].layer, values[1 + 2 * i]);
    return values[0];
}

void ScriptedModel::train(bool on)
{
    ModelBase::train(on);
    m_module.train(on);
}

torch::jit::Module ScriptedModel::inferenceModule() const
{
    torch::jit::Module copy = m_module.deepcopy();
    copy.eval();
    return copy;
}

std::string ScriptedModel::description() const
{
    int64_t parameters = 0;
    for (const auto& parameter : this->parameters())
        parameters += parameter.numel();
    std::ostringstream out;
    out << "model: TorchScript file " << modelId() << " (fingerprint " << m_fingerprint << "), "
        << prunableLayers().size() << " prunable layers, " << parameters
        << " parameters; its weights are the initialisation (methods that re-initialise start from them)";
    if (!m_estimated.empty()) {
        out << "; MACs of ";
        for (size_t i = 0; i < m_estimated.size(); ++i)
            out << (i ? ", " : "") << m_estimated[i];
        out << " counted for one output position (not called at forward()'s top level)";
    }
    return out.str();
}

}  // namespace prunescope
