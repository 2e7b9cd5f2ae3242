#pragma once
// A network read from a TorchScript file (torch.jit.script(model).save(path), torch.jit.trace, or
// a PruneScope export) as a ModelBase, so every unstructured and semi-structured method prunes it.
// Its parameters are the script module's own tensors, registered under their PyTorch names
// ("features.0.weight"): masks applied in place, training and checkpoints all act on them.
// The prunable layers are its conv (4-d) and linear (2-d) weights, named by their path without
// ".weight" ("features.0", "fc1"), in the order forward() uses them; the last is the classifier.
// No layer graph is declared (links, norms, ties), so structured methods refuse it.

#include "models/Models.h"

#include <torch/script.h>

#include <memory>
#include <string>
#include <vector>

namespace torch::jit {
struct GraphFunction;
}

namespace prunescope {

class ScriptedModel : public ModelBase {
public:
    // Reads and checks a TorchScript file for images and classes of `shape`: forward() must take
    // [N, C, H, W] images, or the same flattened to [N, C·H·W] (then forward() flattens them),
    // and give [N, classes]. Throws std::invalid_argument naming the file and the problem:
    // missing, unreadable or not TorchScript, no forward(), an input or output shape other than
    // these (naming the expected and found shapes), no conv or linear weight. The model's id is
    // `path` as given.
    static std::shared_ptr<ScriptedModel> load(const std::string& path, const DataShape& shape);

    // A checkpoint written by saveCheckpoint (see isCheckpoint): the module with the run's final
    // weights, its original id, fingerprint and data shape (1×28×28, 10 classes for a checkpoint
    // written before shapes were stored). Throws std::invalid_argument naming the file.
    static std::shared_ptr<ScriptedModel> loadCheckpoint(const std::string& path);
    // Whether a file is a checkpoint of a TorchScript model (it holds the marker extra file).
    // Throws c10::Error when the file is not a zip archive.
    static bool isCheckpoint(const std::string& path);
    // Writes the module itself (not atomically: the caller renames) with the marker.
    void saveCheckpoint(const std::string& file) const;

    torch::Tensor forward(torch::Tensor input) override;
    // Whether the module reads flattened images ([N, C·H·W]); forward() then flattens its input.
    bool readsFlatInput() const { return m_flatInput; }
    // Reaches the script module too (its "training" attribute: dropout, BatchNorm).
    void train(bool on = true) override;
    bool declaresLayerGraph() const override { return false; }

    // A deep copy of the module in eval mode: export and latency work on it, never on the live one.
    torch::jit::Module inferenceModule() const;

    // FNV-1a of the file's bytes and its size, e.g. "3fa9c1e2d4b5a6f7-61706b": identifies the
    // content the run started from (also for checkpoints, whose bytes differ).
    const std::string& fingerprint() const { return m_fingerprint; }
    // One line for the run log: file, fingerprint, layers, parameters, and how MACs were found.
    std::string description() const;

    ~ScriptedModel() override;

private:
    struct LayerCall;
    ScriptedModel(torch::jit::Module module, const std::string& id, std::string fingerprint, const DataShape& shape);
    static std::shared_ptr<ScriptedModel> create(torch::jit::Module module, const std::string& id,
                                                 const std::string& file, std::string fingerprint,
                                                 const DataShape& shape);
    void checkShapes(const std::string& file);
    torch::Tensor moduleInput(torch::Tensor images) const;
    void registerTensor(const std::string& path, const torch::Tensor& tensor, bool buffer);
    void analyseForward();
    std::vector<torch::Tensor> forwardRecording(const torch::Tensor& input);
    void declareLayers(const std::string& file);

    torch::jit::Module m_module;
    std::string m_fingerprint;
    bool m_flatInput = false;
    std::map<std::string, std::shared_ptr<torch::nn::Module>> m_holders;  // "features.0" → its stand-in
    // forward() with each recognised layer call's input and output added to its result: for
    // MACs (shapes) and for the input recorder (post-training calibration).
    std::unique_ptr<torch::jit::GraphFunction> m_recording;
    std::vector<LayerCall> m_calls;
    std::vector<std::string> m_estimated;  // layers whose MACs could not be measured
};

// FNV-1a (64 bit) of a file's bytes and its size in hex. Throws std::invalid_argument naming the
// file when it cannot be read.
std::string fileFingerprint(const std::string& path);

}  // namespace prunescope
