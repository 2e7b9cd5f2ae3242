#pragma once
// What the stages of one run share (config, observer, cancel flag, progress, data, the method),
// and the steps the schedule drivers have in common: training with progress, evaluation, asking
// the method for masks or channels, removing channels, and the fine-tune-then-evaluate end.

#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"
#include "data/Dataset.h"
#include "experiment/ProgressTracker.h"
#include "methods/PruningMethod.h"
#include "train/Trainer.h"

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace prunescope {

// "12.34 %": how the run's log lines show fractions.
std::string percent(double fraction);

// The step's layer statistics and mask snapshots; its metrics are the caller's.
PruningStep stepOf(int number, const ModelBase& model, const MaskSet& masks);

void warnAboutCollapse(const PruningStep& step, RunObserver& observer);

struct RunContext {
    const ExperimentConfig& config;
    RunObserver& observer;
    const std::atomic<bool>& cancel;
    ProgressTracker& progress;
    const DataSplits& data;
    PruningMethod& method;
    const ParamMap& params;  // resolved against the method's schema
    // The training curve the next epochs belong to (EpochMetrics::segment); 0 = the dense one.
    mutable int segment = 0;

    // The next training restarts from θ0 (or rewinds to θk): its epochs start a new curve.
    void startNewSegment() const { ++segment; }

    // Throws RunCancelled once the cancel flag is set.
    void checkCancel() const;

    // After a one-shot pruning step: the statistics the config asks for, and a line saying so.
    void recalibrateBatchNorm(ModelBase& model) const;

    // Trains with progress reported as `stage`; epoch metrics go to the observer unless quiet.
    std::vector<EpochMetrics> train(ModelBase& model, const TrainRecipe& recipe, const std::string& phase,
                                    RunStage stage, const MaskSet* masks, bool quiet = false,
                                    int stopAfterEpochs = 0) const;

    // Trains under a method's controller, which moves `masks`; reports each epoch's masks as a
    // pruning step (numbered from firstStep) so the mask inspector can replay them.
    std::vector<EpochMetrics> trainControlled(ModelBase& model, const TrainRecipe& recipe, const std::string& phase,
                                              TrainingController& controller, MaskSet& masks, int firstStep) const;

    Evaluation test(ModelBase& model) const;

    // Calls one of the method's hooks on `model` and passes the notes it leaves on to the user.
    template <typename Hook>
    auto askMethod(ModelBase& model, Hook&& hook, const MaskSet* current = nullptr, int round = 1) const
    {
        std::vector<std::string> notes;
        const PruningContext context{model, params, data, config.seed, current, round, &notes};
        auto answer = hook(method, context);
        for (const auto& note : notes)
            observer.onLog(note);
        return answer;
    }

    // The method's masks composed with `current` (the masks already in force, may be null).
    MaskSet computeMasks(ModelBase& model, const MaskSet* current, int round) const;

    // The channels a structured method keeps; nothing for other methods.
    std::optional<ChannelSelection> selectChannels(ModelBase& model) const;

    // The thinner network that computes what the channel-masked `model` does, and a line saying
    // which widths changed.
    std::shared_ptr<ModelBase> removeChannels(const ModelBase& model, const std::vector<ChannelGroup>& groups,
                                              const ChannelSelection& selection) const;

    // Fine-tunes `network` (with `masks` held, if any) when the config asks for it, then
    // reportFinal().
    Evaluation fineTuneAndReport(ModelBase& network, const MaskSet* masks, PruningStep& step) const;

    // Evaluates the final network and reports `step` with its test metrics.
    Evaluation reportFinal(ModelBase& network, PruningStep& step) const;
};

}  // namespace prunescope
