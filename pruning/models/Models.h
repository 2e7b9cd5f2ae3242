#pragma once
// The model zoo and the Network view that pruning methods work on: the named prunable layers
// (conv / linear), their live weight tensors and MACs per sample. Every network is built for a
// DataShape (channels × height × width and classes): the data it will see.

#include "core/DatasetCatalogue.h"
#include "models/ModelDescription.h"

#include <torch/torch.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace prunescope {

enum class LayerKind { Conv, Linear };

struct PrunableLayer {
    std::string name;  // parameter prefix, e.g. "conv1" or "stage2.0.conv1"
    LayerKind kind = LayerKind::Linear;
    torch::Tensor weight;  // the parameter itself (shares storage): edits are live
    double macsPerSample = 0;
    bool isClassifier = false;  // the network's last layer
    int64_t kernel = 1, stride = 1, padding = 0;  // conv geometry (square), to unfold inputs
    int64_t groups = 1;  // conv groups: equal to the channels for a depthwise convolution

    std::vector<int64_t> shape() const { return weight.sizes().vec(); }
    const char* kindName() const { return kind == LayerKind::Conv ? "conv" : "linear"; }
};

// Output channels (features) per layer, for building a thinner copy of a zoo model: structured
// pruning removes channels for real. Missing entries keep the standard width. Layers whose
// outputs are added together (residual blocks) share one width; set it for any of them.
using ModelWidths = std::map<std::string, int64_t>;

// The layer graph as far as channels go. `from` feeds `to`: channel c of from's output is read
// by `to` as its input channels [c·perChannel, (c+1)·perChannel) (perChannel > 1 where a conv
// map is flattened into a linear layer). A layer that no link feeds reads the network's input.
struct LayerLink {
    std::string from, to;
    int64_t perChannel = 1;
};
// A BatchNorm module normalising a layer's output channels.
struct NormLink {
    std::string norm, producer;
};
// A feature map's height and width.
struct Spatial {
    int64_t height = 0, width = 0;
};

// Base of every zoo model: a module with forward() that declares its prunable layers in
// forward order, with the input size each conv sees so MACs follow from the geometry.
class ModelBase : public torch::nn::Module {
public:
    virtual torch::Tensor forward(torch::Tensor input) = 0;
    const std::vector<PrunableLayer>& prunableLayers() const { return m_layers; }
    const std::string& modelId() const { return m_id; }
    // The images (channels × height × width) and classes the network was built for.
    const DataShape& inputShape() const { return m_shape; }
    // Each prunable layer's output channels (conv) or features (linear): what createModel needs
    // to rebuild this exact architecture.
    ModelWidths widths() const;

    const std::vector<LayerLink>& links() const { return m_links; }
    const std::vector<NormLink>& norms() const { return m_norms; }
    // Pairs of layers whose outputs are summed (residual additions): their channels are one.
    const std::vector<std::pair<std::string, std::string>>& tiedOutputs() const { return m_ties; }
    // Depthwise convolutions and the layer whose output they read: a depthwise conv's output
    // channel c is computed from input channel c alone, so both are one channel group.
    const std::vector<std::pair<std::string, std::string>>& depthwiseReaders() const { return m_depthwise; }
    // Layers whose output channels structured pruning must keep whole (e.g. residual streams whose
    // shortcut pads channels with zeros: removing one would shift the padding's mapping).
    const std::vector<std::string>& fixedWidthLayers() const { return m_fixed; }
    // Whether links, norms and ties describe the whole channel graph, as structured methods
    // need. Zoo models declare it; a TorchScript model read from a file does not.
    virtual bool declaresLayerGraph() const { return true; }

    // Sees the input of every prunable layer during forward (calibration for post-training
    // methods such as Wanda). Empty function = off, the normal case, at the cost of one branch.
    using InputRecorder = std::function<void(const std::string& layer, const torch::Tensor& input)>;
    void setInputRecorder(InputRecorder recorder) { m_recorder = std::move(recorder); }
    // Replaces the input of every prunable layer during forward (simulated quantization of the
    // activations). Empty function = off. TorchScript models only record their inputs: their
    // graph computes on without the replacement.
    using InputTransform = std::function<torch::Tensor(const std::string& layer, const torch::Tensor& input)>;
    void setInputTransform(InputTransform transform) { m_transform = std::move(transform); }
    // Called by forward() with each prunable layer's input; returns it unchanged unless an input
    // transform is set.
    torch::Tensor input(const std::string& layer, const torch::Tensor& x) const
    {
        if (m_recorder)
            m_recorder(layer, x);
        return m_transform ? m_transform(layer, x) : x;
    }
    bool recordsInputs() const { return bool(m_recorder); }

    // Run-time pruning (FBS): a gate on a conv layer's activated output (after its BatchNorm and
    // ReLU), given the layer's input, that may scale or zero channels per input. Empty = off, and
    // forward() is then exactly the plain network. Only layers whose channels are whole feature
    // maps not tied by residual additions are gateable.
    using OutputGate = std::function<torch::Tensor(const std::string& layer, const torch::Tensor& input,
                                                   const torch::Tensor& output)>;
    void setOutputGate(OutputGate gate) { m_gate = std::move(gate); }
    const std::vector<std::string>& gateableLayers() const { return m_gateable; }
    torch::Tensor gate(const std::string& layer, const torch::Tensor& input, const torch::Tensor& output) const
    {
        return m_gate ? m_gate(layer, input, output) : output;
    }

protected:
    void declareGateable(const std::string& layer) { m_gateable.push_back(layer); }
    ModelBase(std::string id, const DataShape& shape) : m_id(std::move(id)), m_shape(shape) {}
    // Declares a conv layer that sees inputs of `input` height × width; returns its output's.
    Spatial declareConv(const std::string& name, const torch::nn::Conv2d& conv, Spatial input);
    void declareLinear(const std::string& name, const torch::nn::Linear& linear);
    // A layer whose weight and MACs the subclass worked out itself (TorchScript models).
    void declareLayer(PrunableLayer layer) { m_layers.push_back(std::move(layer)); }
    // Marks the last declared layer as the classifier. Call once, after all declarations.
    void finishDeclarations();
    void connect(const std::string& from, const std::string& to, int64_t perChannel = 1)
    {
        m_links.push_back({from, to, perChannel});
    }
    void declareNorm(const std::string& norm, const std::string& producer) { m_norms.push_back({norm, producer}); }
    void tieOutputs(const std::string& a, const std::string& b) { m_ties.emplace_back(a, b); }
    void declareDepthwise(const std::string& depthwise, const std::string& producer)
    {
        m_depthwise.emplace_back(depthwise, producer);
    }
    void fixWidth(const std::string& layer) { m_fixed.push_back(layer); }

private:
    std::string m_id;
    DataShape m_shape;
    std::vector<PrunableLayer> m_layers;
    std::vector<LayerLink> m_links;
    std::vector<NormLink> m_norms;
    std::vector<std::pair<std::string, std::string>> m_ties;
    std::vector<std::pair<std::string, std::string>> m_depthwise;
    std::vector<std::string> m_fixed;
    InputRecorder m_recorder;
    InputTransform m_transform;
    OutputGate m_gate;
    std::vector<std::string> m_gateable;
};

// Creates a freshly initialised model for images and classes of `shape` (uses the global torch
// RNG: seed it first), at its standard widths or thinner ones. Throws std::invalid_argument
// listing the known ids when id is unknown, naming a width that is not positive or not a layer of
// the model, or naming the model, the shape and the smallest input it takes when the images are
// too small for it. An id naming a TorchScript file (isModelFile) loads that file instead and
// checks that it takes `shape`'s images and gives its classes: its weights are its
// "initialisation", the same on every call whatever the seed; widths must then be empty.
// Throws std::invalid_argument naming the file and what is wrong with it.
std::shared_ptr<ModelBase> createModel(const std::string& id, const DataShape& shape, const ModelWidths& widths = {});

// Copies every parameter and buffer of source into target (same architecture).
void copyModelState(ModelBase& target, const ModelBase& source);

}  // namespace prunescope
