// Every schedule has a driver, and each driver counts the training epochs the runner's progress
// bar counted before the drivers existed.
#include "core/ExperimentConfig.h"
#include "core/MethodInfo.h"
#include "experiment/ScheduleDriver.h"
#include "methods/PruningMethod.h"

#include <gtest/gtest.h>

#include <set>

using namespace prunescope;

namespace {

const PruningSchedule kEverySchedule[] = {PruningSchedule::AfterTraining,
                                          PruningSchedule::PostTraining,
                                          PruningSchedule::BeforeTraining,
                                          PruningSchedule::Iterative,
                                          PruningSchedule::DuringTraining,
                                          PruningSchedule::RunTime,
                                          PruningSchedule::PostTrainingQuantization,
                                          PruningSchedule::QuantizationAwareTraining};

ExperimentConfig configWithEpochs(int dense, int fineTuning)
{
    ExperimentConfig config = defaultExperiment();
    config.denseTraining.epochs = dense;
    config.fineTuning.epochs = fineTuning;
    return config;
}

double unitsOf(const std::string& method, const ParamMap& given, const ExperimentConfig& config)
{
    const std::unique_ptr<PruningMethod> pruner = createPruningMethod(method);
    const ParamMap params = resolveParams(methodInfo(method), given);
    return scheduleDriver(pruner->schedule()).trainingUnits(config, *pruner, params);
}

}  // namespace

TEST(ScheduleDrivers, EveryScheduleHasItsOwnDriver)
{
    std::set<const ScheduleDriver*> drivers;
    for (const PruningSchedule schedule : kEverySchedule) {
        SCOPED_TRACE(int(schedule));
        ASSERT_NO_THROW(scheduleDriver(schedule));
        drivers.insert(&scheduleDriver(schedule));
    }
    EXPECT_EQ(drivers.size(), std::size(kEverySchedule));
    EXPECT_THROW(scheduleDriver(PruningSchedule(99)), std::logic_error);
    for (const auto& method : methodCatalogue()) {
        SCOPED_TRACE(method.id);
        EXPECT_NO_THROW(scheduleDriver(createPruningMethod(method.id)->schedule()));
    }
}

// The expectations are the runner's former switch, written out:
//   after training: fine-tuning epochs       post-training: 0
//   before training: dense epochs            run-time: fine-tuning epochs
//   during training: (plan epochs, else the epochs of the recipe the plan starts from) + fine-tuning epochs
//   iterative: rounds × (dense or fine-tuning epochs) × (2 with the control) + (rewind epoch when rewinding)
TEST(ScheduleDrivers, TrainingUnitsAreThoseTheRunnerCountedBefore)
{
    for (const auto& [dense, fineTuning] : std::vector<std::pair<int, int>>{{7, 3}, {2, 0}, {1, 5}}) {
        SCOPED_TRACE(std::to_string(dense) + " dense, " + std::to_string(fineTuning) + " fine-tuning epochs");
        const ExperimentConfig config = configWithEpochs(dense, fineTuning);
        EXPECT_EQ(unitsOf("global_magnitude", {}, config), fineTuning);
        EXPECT_EQ(unitsOf("l1_filter", {}, config), fineTuning);
        EXPECT_EQ(unitsOf("wanda", {}, config), 0);
        EXPECT_EQ(unitsOf("layerwise_reconstruction", {}, config), 0);
        EXPECT_EQ(unitsOf("snip", {}, config), dense);
        EXPECT_EQ(unitsOf("fbs", {}, config), fineTuning);
        // Deep Compression: fine-tuning, then the centroid fine-tuning epochs.
        EXPECT_EQ(unitsOf("deep_compression", {}, config), fineTuning + 1);
        EXPECT_EQ(unitsOf("deep_compression", {{"centroid_epochs", int64_t(3)}}, config), fineTuning + 3);
        // During training from θ0 with the dense recipe (plan epochs 0), and GReg from the trained
        // network for reg_epochs.
        EXPECT_EQ(unitsOf("gmp", {}, config), dense + fineTuning);
        EXPECT_EQ(unitsOf("slimming", {}, config), dense + fineTuning);
        EXPECT_EQ(unitsOf("greg", {}, config), 2 + fineTuning);
        EXPECT_EQ(unitsOf("greg", {{"reg_epochs", int64_t(4)}}, config), 4 + fineTuning);
        // Lottery tickets train each round with the dense recipe, the control doubling it.
        EXPECT_EQ(unitsOf("lottery_ticket", {}, config), 3 * dense * 2);
        EXPECT_EQ(unitsOf("lottery_ticket",
                          {{"rounds", int64_t(2)},
                           {"control", false},
                           {"reset", std::string("rewind")},
                           {"rewind_epoch", int64_t(2)}},
                          config),
                  2 * dense * 1 + 2);
        EXPECT_EQ(unitsOf("ptq_int8", {}, config), 0);
        EXPECT_EQ(unitsOf("qat", {}, config), fineTuning);
        EXPECT_EQ(unitsOf("iterative_magnitude", {}, config), 3 * fineTuning);
        EXPECT_EQ(unitsOf("iterative_magnitude", {{"rounds", int64_t(5)}}, config), 5 * fineTuning);
    }
}
