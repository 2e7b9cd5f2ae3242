#include "train/Trainer.h"

#include "core/RunCancelled.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace prunescope {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(std::vector<torch::Tensor> parameters, const TrainRecipe& r)
{
    if (r.optimizer == "sgd")
        return std::make_unique<torch::optim::SGD>(parameters,
                                                   torch::optim::SGDOptions(r.learningRate)
                                                       .momentum(r.momentum)
                                                       .nesterov(r.nesterov)
                                                       .weight_decay(r.weightDecay));
    return std::make_unique<torch::optim::Adam>(parameters,
                                                torch::optim::AdamOptions(r.learningRate).weight_decay(r.weightDecay));
}

void throwIfCancelled(const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load(std::memory_order_relaxed))
        throw RunCancelled();
}

}  // namespace

void validateRecipe(const TrainRecipe& r, const std::string& prefix, bool allowZeroEpochs)
{
    auto fail = [&](const std::string& field, const std::string& problem) {
        throw std::invalid_argument(prefix + "." + field + ": " + problem);
    };
    if (r.epochs < (allowZeroEpochs ? 0 : 1) || r.epochs > 1000)
        fail("epochs", std::to_string(r.epochs) + " is outside [" + (allowZeroEpochs ? "0" : "1") + ", 1000]");
    if (r.batchSize < 1 || r.batchSize > 65536)
        fail("batch_size", std::to_string(r.batchSize) + " is outside [1, 65536]");
    if (r.optimizer != "sgd" && r.optimizer != "adam")
        fail("optimizer", "'" + r.optimizer + "' is not one of sgd, adam");
    if (!(r.learningRate > 0 && r.learningRate <= 10))
        fail("learning_rate", std::to_string(r.learningRate) + " must be in (0, 10]");
    if (!(r.momentum >= 0 && r.momentum < 1))
        fail("momentum", std::to_string(r.momentum) + " must be in [0, 1)");
    if (r.optimizer == "sgd" && r.nesterov && r.momentum <= 0)
        fail("nesterov", "Nesterov momentum needs momentum > 0");
    if (!(r.weightDecay >= 0 && r.weightDecay < 1))
        fail("weight_decay", std::to_string(r.weightDecay) + " must be in [0, 1)");
    if (r.schedule != "constant" && r.schedule != "step" && r.schedule != "cosine")
        fail("schedule", "'" + r.schedule + "' is not one of constant, step, cosine");
    if (r.schedule == "step" && r.stepEpochs < 1)
        fail("step_epochs", "must be at least 1");
    if (r.schedule == "step" && !(r.stepGamma > 0 && r.stepGamma <= 1))
        fail("step_gamma", "must be in (0, 1]");
}

double learningRateAt(const TrainRecipe& r, int epoch)
{
    if (r.schedule == "step")
        return r.learningRate * std::pow(r.stepGamma, epoch / r.stepEpochs);
    if (r.schedule == "cosine" && r.epochs > 0)
        return 0.5 * r.learningRate * (1.0 + std::cos(std::numbers::pi * epoch / r.epochs));
    return r.learningRate;
}

std::vector<EpochMetrics> trainModel(ModelBase& model, const DataSplits& data, const TrainRecipe& recipe,
                                     const std::string& phase, uint64_t seed, const TrainHooks& hooks)
{
    std::vector<EpochMetrics> history;
    if (recipe.epochs == 0)
        return history;
    std::vector<torch::Tensor> parameters = model.parameters();
    if (hooks.controller) {
        for (const torch::Tensor& extra : hooks.controller->parameters())
            parameters.push_back(extra);
    }
    auto optimizer = makeOptimizer(std::move(parameters), recipe);
    // Each phase shuffles with its own stream so fine-tuning does not replay the dense order.
    torch::Generator shuffler = seededGenerator(seed * 1000003ull + (phase == "dense" ? 1 : 2));
    // Augmentation draws from a stream of its own, so switching it on leaves the shuffles alone.
    c10::optional<torch::Generator> augmentation;
    if (recipe.augment)
        augmentation = seededGenerator((seed * 1000003ull + (phase == "dense" ? 1 : 2)) ^ 0xa06e47a7e5ull);
    const int64_t batchesPerEpoch = (data.train.size() + recipe.batchSize - 1) / recipe.batchSize;
    const int epochs = hooks.stopAfterEpochs > 0 ? std::min(hooks.stopAfterEpochs, recipe.epochs) : recipe.epochs;
    const double totalBatches = double(batchesPerEpoch) * epochs;
    int64_t batchesDone = 0;

    if ((hooks.controller == nullptr) != (hooks.controlledMasks == nullptr))
        throw std::logic_error("trainModel: a training controller needs its masks, and masks need a controller");
    MaskSet noMasks;
    TrainingStep state{model, hooks.controlledMasks ? *hooks.controlledMasks : noMasks};
    state.stepsPerEpoch = batchesPerEpoch;
    state.totalSteps = batchesPerEpoch * epochs;
    const MaskSet* masks = hooks.controller ? hooks.controlledMasks : hooks.masks;
    if (hooks.controller)
        hooks.controller->begin(state);
    if (masks)
        masks->applyToWeights(model);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        const double lr = learningRateAt(recipe, epoch);
        for (auto& group : optimizer->param_groups())
            group.options().set_lr(lr);
        state.epoch = epoch;
        state.learningRate = lr;

        model.train();
        BatchIterator batches(data.train, recipe.batchSize, /*shuffle=*/true, shuffler, augmentation);
        torch::Tensor images, labels;
        double lossSum = 0;
        int64_t correct = 0, seen = 0;
        while (batches.next(images, labels)) {
            throwIfCancelled(hooks.cancel);
            state.step = batchesDone;
            optimizer->zero_grad();
            if (hooks.controller)
                hooks.controller->beforeForward(state);
            const torch::Tensor logits = model.forward(images);
            const torch::Tensor loss = torch::nn::functional::cross_entropy(logits, labels);
            if (!std::isfinite(loss.item<double>()))
                throw std::runtime_error(phase + " training diverged at epoch " + std::to_string(epoch + 1)
                                         + " (loss is not finite); lower the learning rate");
            torch::Tensor objective = loss;
            if (hooks.controller) {
                if (const torch::Tensor penalty = hooks.controller->penalty(state); penalty.defined())
                    objective = loss + penalty;
            }
            objective.backward();
            if (hooks.controller)
                hooks.controller->afterBackward(state);
            if (masks)
                masks->applyToGradients(model);
            optimizer->step();
            if (hooks.controller)
                hooks.controller->afterStep(state);
            if (masks)
                masks->applyToWeights(model);  // weight decay and momentum must not revive pruned weights

            lossSum += loss.item<double>() * double(labels.size(0));
            correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
            seen += labels.size(0);
            ++batchesDone;
            if (hooks.onBatch)
                hooks.onBatch(double(batchesDone) / totalBatches);
        }
        EpochMetrics metrics;
        metrics.phase = phase;
        metrics.epoch = epoch + 1;
        metrics.learningRate = lr;
        metrics.trainLoss = lossSum / double(std::max<int64_t>(seen, 1));
        metrics.trainAccuracy = double(correct) / double(std::max<int64_t>(seen, 1));
        if (data.validation.size() > 0) {
            const Evaluation validation = evaluateModel(model, data.validation, 1000, hooks.cancel);
            metrics.validationLoss = validation.loss;
            metrics.validationAccuracy = validation.accuracy;
        }
        const bool goOn = hooks.controller ? hooks.controller->afterEpoch(state, metrics) : true;
        history.push_back(metrics);
        if (hooks.onEpoch)
            hooks.onEpoch(metrics);
        if (!goOn)
            break;
    }
    if (hooks.controller)
        hooks.controller->end(state);
    return history;
}

int recalibrateBatchNorm(ModelBase& model, const TensorDataset& data, int batches, int64_t batchSize, uint64_t seed,
                         const std::atomic<bool>* cancel)
{
    std::vector<torch::nn::BatchNorm2dImpl*> norms;  // the zoo's only normalisation
    for (const auto& module : model.modules(/*include_self=*/false)) {
        if (auto* bn = module->as<torch::nn::BatchNorm2dImpl>(); bn && bn->options.track_running_stats())
            norms.push_back(bn);
    }
    if (norms.empty() || batches <= 0 || data.size() == 0)
        return 0;
    // Without a momentum, BatchNorm keeps the cumulative average of the batches' statistics.
    std::vector<c10::optional<double>> momenta;
    for (auto* bn : norms) {
        momenta.push_back(bn->options.momentum());
        bn->options.momentum(c10::nullopt);
        bn->reset_running_stats();
    }
    {
        torch::NoGradGuard noGrad;
        model.train();
        BatchIterator iterator(data, batchSize, /*shuffle=*/true, seededGenerator(seed));
        torch::Tensor images, labels;
        for (int i = 0; i < batches && iterator.next(images, labels); ++i) {
            throwIfCancelled(cancel);
            model.forward(images);
        }
    }
    model.eval();
    for (size_t i = 0; i < norms.size(); ++i)
        norms[i]->options.momentum(momenta[i]);
    return int(norms.size());
}

Evaluation evaluateModel(ModelBase& model, const TensorDataset& data, int64_t batchSize,
                         const std::atomic<bool>* cancel)
{
    torch::NoGradGuard noGrad;
    model.eval();
    BatchIterator batches(data, batchSize, /*shuffle=*/false, seededGenerator(0));
    torch::Tensor images, labels;
    double lossSum = 0;
    int64_t correct = 0;
    while (batches.next(images, labels)) {
        throwIfCancelled(cancel);
        const torch::Tensor logits = model.forward(images);
        lossSum += torch::nn::functional::cross_entropy(
                       logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        correct += logits.argmax(1).eq(labels).sum().item<int64_t>();
    }
    const double n = double(std::max<int64_t>(data.size(), 1));
    return {lossSum / n, double(correct) / n};
}

}  // namespace prunescope
