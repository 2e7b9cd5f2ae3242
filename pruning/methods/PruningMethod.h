#pragma once
// A pruning method plugs into the experiment's lifecycle instead of owning a training loop:
// it says when it prunes (its schedule) and computes masks; the runner trains, resets and
// evaluates. Families that act during training add hooks here.

#include "data/Dataset.h"
#include "core/ExperimentConfig.h"
#include "fusion/WeightSharing.h"
#include "masks/MaskSet.h"
#include "models/Models.h"
#include "structure/ChannelGroups.h"
#include "train/TrainingController.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace prunescope {

struct PruningContext {
    ModelBase& model;
    const ParamMap& params;  // resolved against the method's schema
    const DataSplits& data;
    uint64_t seed = 0;
    const MaskSet* current = nullptr;  // masks already in force (iterative rounds); may be null
    int round = 1;  // 1-based round of an iterative method
    std::vector<std::string>* log = nullptr;  // notes for the user (e.g. a layer left dense)
};

enum class PruningSchedule {
    AfterTraining,  // train dense, prune once, fine-tune
    PostTraining,  // train dense, prune once from calibration data, no retraining
    BeforeTraining,  // prune the initialised network, then train the sparse one from θ0
    Iterative,  // train, then rounds of prune → (reset) → train
    DuringTraining,  // a training phase driven by the method's TrainingController, then fine-tuning
    RunTime,  // from the trained network, gates chosen per input are trained, then evaluated at several densities
    PostTrainingQuantization,  // train dense, fold BatchNorm, quantize from calibration batches, no retraining
    QuantizationAwareTraining,  // train dense, fold BatchNorm, fine-tune with fake-quantized weights and activations
};

// Run-time pruning: gates on the model's gateable layers that pick channels per input. Trained as
// a TrainingController (with the fine-tuning recipe), then evaluated at several densities while
// it counts the MACs each input really executes. Removes its gates when destroyed.
class RunTimeGate : public TrainingController {
public:
    virtual void setDensity(double density) = 0;
    // Executed MACs of each input of the last forward pass (gates, the layers they thin, and the
    // gate's own predictor).
    virtual std::vector<double> lastExecutedMacs() const = 0;
    virtual std::vector<double> evaluationDensities() const = 0;
    virtual double targetDensity() const = 0;
};

// How the runner drives a during-training method.
struct DuringTrainingPlan {
    // false: train from θ0 with the dense recipe (sparse training, regularised training).
    // true: start from the trained dense network with the fine-tuning recipe (GReg).
    bool fromTrained = false;
    int epochs = 0;  // 0 = the recipe's epochs
    std::string phase = "sparse";  // the epochs' phase name in curves and storage
};

// How the runner drives an iterative method.
struct IterativePlan {
    int rounds = 1;
    enum class Reset { None, Init, Rewind } reset = Reset::None;
    int rewindEpoch = 0;
    bool randomReinitControl = false;  // also train each round's mask from a fresh initialisation
    bool trainWithDenseRecipe = false;  // each round trains with the dense recipe (else fine-tuning's)
};

// How the after-training driver continues a fusion method once the pruned network is fine-tuned
// (Deep Compression: share the weights, fine-tune the centroids, Huffman-code into a file).
struct CompressionPlan {
    int centroidEpochs = 1;  // epochs of centroid fine-tuning (fine-tuning recipe otherwise)
};

class PruningMethod {
public:
    virtual ~PruningMethod() = default;
    virtual PruningSchedule schedule() const { return PruningSchedule::AfterTraining; }
    // Parses `params` (resolved against the method's schema) into the method's typed options, as
    // its hooks do; throws std::invalid_argument naming a parameter that is missing or of another
    // type. Lets a test hold every method's options against its catalogue schema.
    virtual void parseOptions(const ParamMap& params) const = 0;
    // Checks, before anything trains, that the method can work on this model with these
    // (resolved) parameters; throws std::invalid_argument naming the problem. By default the
    // options are parsed, so what their parsing refuses (N:M with N >= M) is refused before a run
    // row is stored, not when the method starts.
    virtual void checkApplicable(const ModelBase&, const ParamMap& params) const { parseOptions(params); }
    virtual IterativePlan iterativePlan(const ParamMap&) const { return {}; }
    virtual DuringTrainingPlan duringTrainingPlan(const ParamMap&) const { return {}; }
    // Methods that fuse pruning with weight sharing; nothing for pure pruning methods.
    virtual std::optional<CompressionPlan> compressionPlan(const ParamMap&) const { return std::nullopt; }
    // The masks to compose with context.current (for the trained model, the initialised one
    // before training, or the model at the end of the previous round). During-training methods
    // have no one-shot masks: the default throws std::logic_error.
    virtual MaskSet computeMasks(const PruningContext& context);
    // For PruningSchedule::DuringTraining: the hooks of the training phase. After that phase the
    // runner calls selectChannels() (structured methods remove channels then) or keeps the
    // controller's masks.
    virtual std::unique_ptr<TrainingController> trainingController(const PruningContext&) { return nullptr; }
    // For PruningSchedule::RunTime: the gates, installed on context.model.
    virtual std::unique_ptr<RunTimeGate> runTimeGate(const PruningContext&) { return nullptr; }
    // Structured methods choose whole channels; the runner then removes them physically and
    // fine-tunes the thinner network. Others return nothing.
    virtual std::optional<ChannelSelection> selectChannels(const PruningContext&) { return std::nullopt; }
    // For a compression plan: shares the weights of context.model (the masks in force are
    // context.current) and returns the controller that fine-tunes the centroids.
    virtual std::unique_ptr<CentroidFineTuning> shareWeights(const PruningContext&) { return nullptr; }
};

// Throws std::invalid_argument for an unknown id.
std::unique_ptr<PruningMethod> createPruningMethod(const std::string& id);

// The layers a method may prune: all prunable layers, minus the classifier unless included.
std::vector<PrunableLayer> layersToPrune(const ModelBase& model, bool includeClassifier);

// Each layer's target: `sparsity`, overridden by the "layer_sparsity" list ("fc1=0.9, conv1=0.5").
// Throws std::invalid_argument naming an unknown layer or a value outside [0, 1].
std::map<std::string, double> layerSparsities(const std::vector<PrunableLayer>& layers, double sparsity,
                                              const std::string& layerSparsity);

// Parses "name=fraction, name=fraction" into targets, whose keys are the allowed names (their
// values the defaults). Throws std::invalid_argument naming `param`, the item and the known names.
std::map<std::string, double> parseLayerTargets(const std::string& param, const std::string& text,
                                                std::map<std::string, double> targets);

// Readers for the options structs' from(): each method reads its parameters once, there. They
// throw std::invalid_argument naming a parameter that is missing or of another type.
double doubleParam(const ParamMap& params, const std::string& name);
int64_t intParam(const ParamMap& params, const std::string& name);
bool boolParam(const ParamMap& params, const std::string& name);
std::string stringParam(const ParamMap& params, const std::string& name);

// A seeded random batch of the training set, for scoring criteria.
std::pair<torch::Tensor, torch::Tensor> scoringBatch(const DataSplits& data, int64_t size, uint64_t seed);

}  // namespace prunescope
