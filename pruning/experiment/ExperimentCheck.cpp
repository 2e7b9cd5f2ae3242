#include "experiment/ExperimentCheck.h"

#include "core/MethodInfo.h"
#include "core/TextFormat.h"
#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "experiment/ScheduleDriver.h"
#include "methods/PruningMethod.h"
#include "models/Models.h"
#include "train/Trainer.h"

#include <algorithm>
#include <exception>

namespace prunescope {
namespace {

// Runs one check; whatever it throws becomes an InvalidExperiment about `field`.
template <typename Check>
auto checkField(ConfigField field, Check check)
{
    try {
        return check();
    } catch (const InvalidExperiment&) {
        throw;
    } catch (const std::exception& e) {
        throw InvalidExperiment(field, withoutTorchBacktrace(e.what()));
    }
}

void fail(ConfigField field, const std::string& message)
{
    throw InvalidExperiment(field, message);
}

}  // namespace

void validateExperiment(const ExperimentConfig& config)
{
    // The headers only: a folder without the dataset, or with files that are not of its format, is
    // refused instead of failing a stored run a moment later. Read first, since the model is built
    // for the shape and classes the data holds; its problem is reported after the model's and the
    // method's, as the data field comes last in the setup.
    std::string dataProblem;
    DataShape shape;
    try {
        shape = inspectDataset(config.dataset).shape;
    } catch (const DataError& e) {
        dataProblem = std::string("dataset.directory: ") + e.what();
        const KnownDataset* known = findKnownDataset(config.dataset.name);
        shape = known ? known->shape : DataShape{};
    } catch (const std::invalid_argument& e) {  // an unknown dataset name
        dataProblem = e.what();
        const KnownDataset* known = findKnownDataset(config.dataset.name);
        shape = known ? known->shape : DataShape{};
    }
    // Throws for an unknown model, a TorchScript file that cannot be read or does not take the
    // data's images, or images too small for the network. Without readable data, a model that
    // does not fit the guessed shape is the data's problem.
    const std::shared_ptr<ModelBase> model = checkField(ConfigField::Model, [&] {
        try {
            return createModel(config.model, shape);
        } catch (const std::exception&) {
            const auto& zoo = modelCatalogue();
            const bool knownModel = isModelFile(config.model)
                || std::any_of(zoo.begin(), zoo.end(), [&](const ModelInfo& m) { return m.id == config.model; });
            if (!dataProblem.empty() && knownModel)
                throw InvalidExperiment(ConfigField::Data, dataProblem);
            throw;
        }
    });
    const MethodInfo& method
        = checkField(ConfigField::Method, [&]() -> const MethodInfo& { return methodInfo(config.method); });
    if (method.taxonomy.speedup == Speedup::Structured && !model->declaresLayerGraph())
        fail(ConfigField::Method,
             "method " + config.method + " on " + modelDisplayName(config.model) + ": " + kStructuredNeedsZooModel);
    const ParamMap params
        = checkField(ConfigField::MethodParameters, [&] { return resolveParams(method, config.methodParams); });
    // "Does this method apply to this model" (e.g. no gateable convolution) is about the method;
    // its parameters were read above.
    checkField(ConfigField::Method, [&] { createPruningMethod(config.method)->checkApplicable(*model, params); });
    checkField(ConfigField::DenseTraining,
               [&] { validateRecipe(config.denseTraining, "dense_training", /*allowZeroEpochs=*/false); });
    checkField(ConfigField::FineTuning,
               [&] { validateRecipe(config.fineTuning, "fine_tuning", /*allowZeroEpochs=*/true); });
    if (config.latencyRepeats < 0 || config.latencyRepeats > 10000)
        fail(ConfigField::Other,
             "latency_repeats: " + std::to_string(config.latencyRepeats) + " is outside [0, 10000]");
    if (config.bnRecalibrationBatches < 0 || config.bnRecalibrationBatches > 10000)
        fail(ConfigField::Other,
             "bn_recalibration_batches: " + std::to_string(config.bnRecalibrationBatches) + " is outside [0, 10000]");
    if (config.threads < 0 || config.threads > 256)
        fail(ConfigField::Other, "threads: " + std::to_string(config.threads) + " is outside [0, 256]");
    if (!(config.dataset.validationFraction >= 0 && config.dataset.validationFraction < 1))
        fail(ConfigField::Data,
             "dataset.validation_fraction: " + std::to_string(config.dataset.validationFraction)
                 + " must be in [0, 1) (the share of training images held out)");
    if (config.dataset.trainLimit < 0 || config.dataset.testLimit < 0)
        fail(ConfigField::Data, "dataset.train_limit and dataset.test_limit must be 0 (all) or positive");
    if (!(config.dataset.testFraction > 0 && config.dataset.testFraction < 1))
        fail(ConfigField::Data,
             "dataset.test_fraction: " + std::to_string(config.dataset.testFraction) + " must be in (0, 1)");
    if (config.dataset.resize < 0 || config.dataset.resize > 4096)
        fail(ConfigField::Data,
             "dataset.resize: " + std::to_string(config.dataset.resize) + " is outside [0, 4096] (0 keeps the size)");
    if (!dataProblem.empty())
        fail(ConfigField::Data, dataProblem);
}

DataShape expectedDataShape(const DatasetConfig& dataset)
{
    try {
        return inspectDataset(dataset).shape;
    } catch (const std::exception&) {
        const KnownDataset* known = findKnownDataset(dataset.name);
        return known ? known->shape : DataShape{};
    }
}

RecipeUse recipeUse(const ExperimentConfig& config)
{
    const MethodInfo& info = methodInfo(config.method);
    const ParamMap params = resolveParams(info, config.methodParams);
    const std::unique_ptr<PruningMethod> method = createPruningMethod(config.method);
    return scheduleDriver(method->schedule()).recipeUse(*method, params);
}

}  // namespace prunescope
