#include "TestData.h"
#include "experiment/Runner.h"
#include "masks/MaskSet.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

using namespace prunescope;
using prunescope::testsupport::TinyDatasetTest;

namespace {

struct RecordingObserver : RunObserver {
    std::vector<ProgressEvent> progress;
    std::vector<EpochMetrics> epochs;
    std::vector<PruningStep> steps;
    std::vector<std::string> logs;
    void onProgress(const ProgressEvent& e) override { progress.push_back(e); }
    void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
    void onPruningStep(const PruningStep& s) override { steps.push_back(s); }
    void onLog(const std::string& m) override { logs.push_back(m); }
};

}  // namespace

class RunnerTest : public TinyDatasetTest {};

TEST_F(RunnerTest, RunsTheWholeLifecycleAndReportsIt)
{
    RecordingObserver observer;
    std::atomic<bool> cancel{false};
    const RunSummary summary = runExperiment(tinyConfig(), observer, cancel);

    EXPECT_FALSE(summary.denseFromCache);
    EXPECT_GT(summary.denseTestAccuracy, 0.5);
    EXPECT_GT(summary.testAccuracy, 0.5);
    // 80 % of fc1 and fc2 (784×300 + 300×100 weights); the classifier stays dense but counts.
    EXPECT_EQ(summary.prunableParameters - summary.prunableNonzeros, 212160);
    EXPECT_EQ(summary.prunableParameters, 784 * 300 + 300 * 100);
    EXPECT_NEAR(summary.sparsity, 212160.0 / summary.prunableParameters, 1e-12);
    EXPECT_GT(summary.compressionRatio, 3.0);
    EXPECT_LT(summary.effectiveMacs, summary.denseMacs);
    EXPECT_LT(summary.sparseBytes, summary.denseBytes);

    ASSERT_EQ(observer.epochs.size(), 3u);  // 2 dense + 1 fine-tuning
    EXPECT_EQ(observer.epochs[0].phase, "dense");
    EXPECT_EQ(observer.epochs[2].phase, "finetune");
    ASSERT_EQ(observer.steps.size(), 2u);
    EXPECT_EQ(observer.steps[0].step, 0);
    EXPECT_EQ(observer.steps[1].step, 1);
    ASSERT_EQ(observer.steps[1].masks.size(), 2u);  // fc1, fc2; the classifier is not pruned
    EXPECT_FALSE(observer.steps[1].layers.back().pruned);
    EXPECT_EQ(observer.steps[1].layers.back().nonzeros, observer.steps[1].layers.back().parameters);

    // Fine-tuning goes on from the pruned network: the dense curve's segment.
    for (const auto& epoch : observer.epochs)
        EXPECT_EQ(epoch.segment, 0) << epoch.phase;

    ASSERT_FALSE(observer.progress.empty());
    // The latency measurement reports its own progress, so the bar moves while it runs.
    EXPECT_TRUE(std::any_of(observer.progress.begin(), observer.progress.end(), [](const ProgressEvent& e) {
        return e.stage == RunStage::Measuring && e.stageFraction > 0 && e.stageFraction < 1;
    }));
    EXPECT_EQ(observer.progress.back().stage, RunStage::Done);
    EXPECT_DOUBLE_EQ(observer.progress.back().overallFraction, 1.0);
    double last = 0;
    for (const auto& event : observer.progress) {
        EXPECT_GE(event.overallFraction, last - 1e-12);
        last = event.overallFraction;
    }
}

TEST_F(RunnerTest, MoreThreadsThanCoresAreSaidBeforeTheRunStarts)
{
    // Cancelled at the first progress event: the warning comes before any work.
    struct CancellingObserver : RecordingObserver {
        std::atomic<bool>* cancel = nullptr;
        void onProgress(const ProgressEvent&) override { *cancel = true; }
    };
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    for (const int threads : {cores + 3, cores}) {
        ExperimentConfig config = tinyConfig();
        config.threads = threads;
        std::atomic<bool> cancel{false};
        CancellingObserver observer;
        observer.cancel = &cancel;
        EXPECT_THROW(runExperiment(config, observer, cancel), RunCancelled);
        const bool warned = std::any_of(observer.logs.begin(), observer.logs.end(), [&](const std::string& line) {
            return line.find(std::to_string(threads) + " threads asked for on a machine with " + std::to_string(cores))
                != std::string::npos;
        });
        EXPECT_EQ(warned, threads > cores) << threads << " threads on " << cores << " cores";
    }
    torch::set_num_threads(cores);
}

TEST_F(RunnerTest, TrainingThatRestartsFromTheInitialisationStartsANewCurve)
{
    std::atomic<bool> cancel{false};
    ExperimentConfig config = tinyConfig();
    config.latencyRepeats = 0;
    config.denseTraining.epochs = 1;
    // SNIP trains the sparse network from θ0: one new segment after the dense one.
    config.method = "snip";
    RecordingObserver snip;
    runExperiment(config, snip, cancel);
    ASSERT_EQ(snip.epochs.size(), 2u);
    EXPECT_EQ(snip.epochs[0].phase, "dense");
    EXPECT_EQ(snip.epochs[0].segment, 0);
    EXPECT_EQ(snip.epochs[1].phase, "sparse");
    EXPECT_EQ(snip.epochs[1].segment, 1);
    // Each lottery-ticket round resets to θ0: a segment per round.
    config.method = "lottery_ticket";
    config.methodParams = {{"rounds", int64_t(2)}, {"control", false}};
    RecordingObserver lottery;
    runExperiment(config, lottery, cancel);
    ASSERT_EQ(lottery.epochs.size(), 3u);
    EXPECT_EQ(lottery.epochs[1].segment, 1);
    EXPECT_EQ(lottery.epochs[2].segment, 2);
    // Iterative magnitude pruning fine-tunes what it pruned: it continues the dense curve.
    config.method = "iterative_magnitude";
    config.methodParams = {{"rounds", int64_t(2)}};
    RecordingObserver iterative;
    runExperiment(config, iterative, cancel);
    for (const auto& epoch : iterative.epochs)
        EXPECT_EQ(epoch.segment, 0) << epoch.phase;
}

TEST_F(RunnerTest, SameConfigAndSeedGiveIdenticalResultsAndTheCacheChangesNothing)
{
    ExperimentConfig config = tinyConfig();
    config.useDenseCache = true;
    std::atomic<bool> cancel{false};
    RecordingObserver first, second, third;
    const RunSummary a = runExperiment(config, first, cancel);
    const RunSummary b = runExperiment(config, second, cancel);  // dense model from the cache
    config.useDenseCache = false;
    const RunSummary c = runExperiment(config, third, cancel);  // trained again from scratch
    EXPECT_FALSE(a.denseFromCache);
    EXPECT_TRUE(b.denseFromCache);
    EXPECT_EQ(a.testAccuracy, b.testAccuracy);
    EXPECT_EQ(a.testLoss, b.testLoss);
    EXPECT_EQ(a.testLoss, c.testLoss);
    EXPECT_EQ(a.denseTestLoss, c.denseTestLoss);
    ASSERT_EQ(first.epochs.size(), second.epochs.size());
    EXPECT_EQ(first.epochs[0].trainLoss, second.epochs[0].trainLoss);  // the cached curve is replayed
    EXPECT_EQ(first.steps[1].masks[0].bits, third.steps[1].masks[0].bits);

    config.seed = 43;
    RecordingObserver other;
    const RunSummary d = runExperiment(config, other, cancel);
    EXPECT_NE(a.testLoss, d.testLoss);
}

TEST_F(RunnerTest, ADamagedCacheFileIsReportedAndRetrained)
{
    ExperimentConfig config = tinyConfig();
    std::atomic<bool> cancel{false};
    RecordingObserver first;
    const RunSummary a = runExperiment(config, first, cancel);
    for (const auto& entry : std::filesystem::directory_iterator(m_dir / "cache")) {
        if (entry.path().extension() == ".pt")
            std::ofstream(entry.path(), std::ios::trunc) << "not a checkpoint";
    }
    RecordingObserver second;
    const RunSummary b = runExperiment(config, second, cancel);
    EXPECT_FALSE(b.denseFromCache);
    EXPECT_EQ(a.testLoss, b.testLoss);
    bool reported = false;
    for (const auto& line : second.logs)
        reported = reported || line.find("damaged dense checkpoint") != std::string::npos;
    EXPECT_TRUE(reported);
}

TEST_F(RunnerTest, CancelDuringTrainingThrowsRunCancelled)
{
    struct CancellingObserver : RunObserver {
        std::atomic<bool>* cancel = nullptr;
        void onProgress(const ProgressEvent& e) override
        {
            if (e.stage == RunStage::DenseTraining && e.stageFraction > 0.3)
                *cancel = true;
        }
    } observer;
    std::atomic<bool> cancel{false};
    observer.cancel = &cancel;
    EXPECT_THROW(runExperiment(tinyConfig(), observer, cancel), RunCancelled);
}

TEST_F(RunnerTest, BadInputFailsWithAMessageNamingTheProblem)
{
    std::atomic<bool> cancel{false};
    RecordingObserver observer;
    auto expectMessage = [&](ExperimentConfig config, const std::string& needle) {
        try {
            runExperiment(config, observer, cancel);
            FAIL() << needle;
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    ExperimentConfig config = tinyConfig();
    config.methodParams["sparsity"] = 1.5;
    expectMessage(config, "parameter 'sparsity'");
    config = tinyConfig();
    config.methodParams["sparsity"] = std::string("lots");
    expectMessage(config, "expected a number");
    config = tinyConfig();
    config.model = "nope";
    expectMessage(config, "unknown model 'nope'");
    config = tinyConfig();
    config.dataset.directory = (m_dir / "absent").string();
    expectMessage(config, "is not a directory");
    config = tinyConfig();
    std::filesystem::remove(m_dir / "data" / "t10k-images-idx3-ubyte.gz");
    expectMessage(config, "t10k-images-idx3-ubyte");
}

// These once passed the check and failed only after a run row was stored (issue 17).
TEST_F(RunnerTest, RangesAndLayerNamesAreCheckedBeforeARunIsStored)
{
    auto problemOf = [](const ExperimentConfig& config) -> std::pair<ConfigField, std::string> {
        try {
            validateExperiment(config);
        } catch (const InvalidExperiment& e) {
            return {e.field(), e.what()};
        }
        return {ConfigField::Other, "accepted"};
    };
    for (const double fraction : {1.0, -0.5}) {
        ExperimentConfig config = tinyConfig();
        config.dataset.validationFraction = fraction;
        const auto [field, message] = problemOf(config);
        EXPECT_EQ(field, ConfigField::Data) << message;
        EXPECT_NE(message.find("dataset.validation_fraction"), std::string::npos) << message;
    }
    ExperimentConfig config = tinyConfig();
    config.method = "layerwise_magnitude";
    config.methodParams = {{"sparsity", 0.5}, {"layer_sparsity", std::string("fc9=0.5")}};
    auto [field, message] = problemOf(config);
    EXPECT_EQ(field, ConfigField::Method) << message;
    EXPECT_NE(message.find("'fc9=0.5' must be NAME=FRACTION with NAME one of fc1, fc2"), std::string::npos) << message;
    config.methodParams["layer_sparsity"] = std::string("fc1=1.5");
    std::tie(field, message) = problemOf(config);
    EXPECT_NE(message.find("the fraction must be a number in [0, 1]"), std::string::npos) << message;
    config.method = "deep_compression";
    config.methodParams = {{"layer_sparsity", std::string("conv1=0.5")}};
    std::tie(field, message) = problemOf(config);
    EXPECT_NE(message.find("'conv1=0.5'"), std::string::npos) << message;

    config = tinyConfig();
    config.method = "nm_sparsity";
    config.methodParams = {{"n", int64_t(4)}, {"m", int64_t(4)}};
    std::tie(field, message) = problemOf(config);
    EXPECT_NE(message.find("N must be smaller than M; got 4:4"), std::string::npos) << message;
    config.methodParams = {{"n", int64_t(2)}, {"m", int64_t(4)}};
    std::tie(field, message) = problemOf(config);
    EXPECT_EQ(message, "accepted");
}

TEST_F(RunnerTest, ValidationNamesTheFieldAtFaultAndChecksTheDataFilesBeforeAnythingRuns)
{
    auto fieldOf = [](const ExperimentConfig& config) {
        try {
            validateExperiment(config);
        } catch (const InvalidExperiment& e) {
            return e.field();
        }
        ADD_FAILURE() << "the config was accepted";
        return ConfigField::Other;
    };
    EXPECT_NO_THROW(validateExperiment(tinyConfig()));
    ExperimentConfig config = tinyConfig();
    config.model = "nope";
    EXPECT_EQ(fieldOf(config), ConfigField::Model);
    config = tinyConfig();
    config.method = "obd";
    EXPECT_EQ(fieldOf(config), ConfigField::Method);
    config = tinyConfig();
    config.method = "fbs";  // run-time gates need convolutions; LeNet-300-100 has none
    config.methodParams.clear();
    EXPECT_EQ(fieldOf(config), ConfigField::Method);
    config = tinyConfig();
    config.methodParams["sparsity"] = 1.5;
    EXPECT_EQ(fieldOf(config), ConfigField::MethodParameters);
    config = tinyConfig();
    config.fineTuning.learningRate = -1;
    EXPECT_EQ(fieldOf(config), ConfigField::FineTuning);

    // A data folder without the test split's images is refused now, not by a failed run later.
    config = tinyConfig();
    std::filesystem::remove(m_dir / "data" / "t10k-images-idx3-ubyte.gz");
    EXPECT_EQ(fieldOf(config), ConfigField::Data);
    try {
        validateExperiment(config);
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("dataset.directory:"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("t10k-images-idx3-ubyte"), std::string::npos) << e.what();
    }
}

TEST(RecipeUse, FollowsTheMethodsSchedule)
{
    ExperimentConfig config = defaultExperiment();
    auto use = [&](const char* method) {
        config.method = method;
        config.methodParams.clear();
        return recipeUse(config);
    };
    EXPECT_TRUE(use("global_magnitude").fineTuning);  // after training: prune once, fine-tune
    EXPECT_TRUE(use("global_magnitude").batchNormRecalibration);
    EXPECT_FALSE(use("snip").fineTuning);  // before training: the sparse network trains from θ0
    EXPECT_FALSE(use("snip").batchNormRecalibration);
    EXPECT_FALSE(use("wanda").fineTuning);  // post-training: no retraining at all
    EXPECT_TRUE(use("wanda").batchNormRecalibration);
    EXPECT_FALSE(use("lottery_ticket").fineTuning);  // each round trains with the dense recipe
    EXPECT_TRUE(use("iterative_magnitude").fineTuning);  // each round fine-tunes
    EXPECT_TRUE(use("gmp").fineTuning);
    EXPECT_THROW(use("obd"), std::invalid_argument);
}
