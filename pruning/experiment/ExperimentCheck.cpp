#include "experiment/ExperimentCheck.h"

#include "core/MethodInfo.h"
#include "data/Dataset.h"
#include "data/IdxReader.h"
#include "experiment/ScheduleDriver.h"
#include "methods/PruningMethod.h"
#include "models/Models.h"
#include "train/Trainer.h"

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
        throw InvalidExperiment(field, e.what());
    }
}

void fail(ConfigField field, const std::string& message)
{
    throw InvalidExperiment(field, message);
}

}  // namespace

void validateExperiment(const ExperimentConfig& config)
{
    // Throws for an unknown model, or a TorchScript file that cannot be read.
    const std::shared_ptr<ModelBase> model = checkField(ConfigField::Model, [&] { return createModel(config.model); });
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
    if (config.dataset.trainLimit < 0 || config.dataset.testLimit < 0)
        fail(ConfigField::Data, "dataset.train_limit and dataset.test_limit must be 0 (all) or positive");
    if (!(config.dataset.testFraction > 0 && config.dataset.testFraction < 1))
        fail(ConfigField::Data,
             "dataset.test_fraction: " + std::to_string(config.dataset.testFraction) + " must be in (0, 1)");
    if (config.dataset.resize < 0 || config.dataset.resize > 4096)
        fail(ConfigField::Data,
             "dataset.resize: " + std::to_string(config.dataset.resize) + " is outside [0, 4096] (0 keeps the size)");
    // What the folder holds, from headers, file sizes and a listing: a folder without the dataset,
    // or with files of the wrong format or size, is refused now instead of failing a stored run a
    // moment later.
    checkField(ConfigField::Data, [&] {
        try {
            inspectDataset(config.dataset);
        } catch (const DataError& e) {
            throw std::invalid_argument(std::string("dataset.directory: ") + e.what());
        }
    });
}

RecipeUse recipeUse(const ExperimentConfig& config)
{
    const MethodInfo& info = methodInfo(config.method);
    const ParamMap params = resolveParams(info, config.methodParams);
    const std::unique_ptr<PruningMethod> method = createPruningMethod(config.method);
    return scheduleDriver(method->schedule()).recipeUse(*method, params);
}

}  // namespace prunescope
