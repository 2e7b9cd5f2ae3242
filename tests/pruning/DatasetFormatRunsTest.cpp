// Generated CIFAR-10, CIFAR-100 and image-folder datasets load, train and prune under every
// schedule: one small run per (dataset, schedule), through runExperiment as the CLI and the
// window run them.
#include "SyntheticImages.h"
#include "experiment/Runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

struct LogObserver : RunObserver {
    std::vector<std::string> logs;
    std::vector<EpochMetrics> epochs;
    void onLog(const std::string& message) override { logs.push_back(message); }
    void onEpoch(const EpochMetrics& epoch) override { epochs.push_back(epoch); }
};

struct Schedule {
    const char* name;
    const char* model;
    const char* method;
    ParamMap params;
    bool sparse;  // leaves zeros in the network (run-time gating does not)
};

const Schedule kSchedules[] = {
    {"after training", "lenet5", "global_magnitude", {{"sparsity", 0.7}}, true},
    {"post-training", "lenet5", "wanda", {{"sparsity", 0.5}}, true},
    {"before training", "lenet5", "snip", {{"sparsity", 0.7}}, true},
    {"iterative", "lenet5", "lottery_ticket", {{"rounds", int64_t(1)}, {"control", false}}, true},
    {"during training", "lenet5", "gmp", {{"sparsity", 0.6}}, true},
    {"run-time", "vgg_small", "fbs", {}, false},
};

class DatasetFormatRunsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_dir = fs::temp_directory_path() / ("prunescope-format-runs-" + std::to_string(::getpid()));
        fs::remove_all(s_dir);
        writeSyntheticCifar10((s_dir / "cifar10").string(), 120, 40);
        writeSyntheticCifar100((s_dir / "cifar100").string(), 120, 40);
        writeSyntheticImageFolder((s_dir / "folder").string(),
                                  {.classes = 4, .trainPerClass = 30, .testPerClass = 10, .channels = 3, .side = 24});
    }
    static void TearDownTestSuite() { fs::remove_all(s_dir); }

    // A small run of `schedule` on the dataset `name` in `folder`.
    static ExperimentConfig config(const std::string& name, const std::string& folder, const Schedule& schedule)
    {
        ExperimentConfig c = defaultExperiment();
        c.model = schedule.model;
        c.method = schedule.method;
        c.methodParams = schedule.params;
        c.dataset.name = name;
        c.dataset.directory = (s_dir / folder).string();
        c.denseTraining.epochs = 1;
        c.denseTraining.batchSize = 40;
        c.denseTraining.augment = true;
        c.fineTuning.epochs = 1;
        c.fineTuning.batchSize = 40;
        c.fineTuning.augment = true;
        c.latencyRepeats = 0;
        c.bnRecalibrationBatches = 2;
        c.threads = 2;
        c.useDenseCache = false;
        return c;
    }

    static void expectRuns(const ExperimentConfig& c, const std::string& shape)
    {
        for (const Schedule& schedule : kSchedules) {
            SCOPED_TRACE(std::string(schedule.name) + " (" + schedule.method + ")");
            ExperimentConfig run = c;
            run.model = schedule.model;
            run.method = schedule.method;
            run.methodParams = schedule.params;
            LogObserver observer;
            std::atomic<bool> cancel{false};
            RunSummary summary;
            ASSERT_NO_THROW(summary = runExperiment(run, observer, cancel));
            EXPECT_FALSE(observer.epochs.empty());
            EXPECT_TRUE(std::any_of(observer.logs.begin(), observer.logs.end(),
                                    [&](const std::string& log) { return log.find(shape) != std::string::npos; }))
                << "no log line names " << shape;
            EXPECT_GE(summary.testAccuracy, 0.0);
            EXPECT_LE(summary.testAccuracy, 1.0);
            if (schedule.sparse) {
                EXPECT_GT(summary.sparsity, 0.15);  // the lottery ticket's one round removes 20 %
            }
        }
    }

    static fs::path s_dir;
};

fs::path DatasetFormatRunsTest::s_dir;

}  // namespace

TEST_F(DatasetFormatRunsTest, Cifar10TrainsAndPrunesUnderEverySchedule)
{
    expectRuns(config("cifar10", "cifar10", kSchedules[0]), "3×32×32, 10 classes");
}

TEST_F(DatasetFormatRunsTest, Cifar100CoarseTrainsAndPrunesUnderEverySchedule)
{
    ExperimentConfig c = config("cifar100", "cifar100", kSchedules[0]);
    c.dataset.cifarLabels = CifarLabels::Coarse;
    expectRuns(c, "3×32×32, 20 classes");
}

TEST_F(DatasetFormatRunsTest, AnImageFolderTrainsAndPrunesUnderEverySchedule)
{
    const char* previous = std::getenv("XDG_CACHE_HOME");
    const std::string saved = previous ? previous : "";
    ::setenv("XDG_CACHE_HOME", (s_dir / "xdg").string().c_str(), 1);
    expectRuns(config("image-folder", "folder", kSchedules[0]), "3×24×24, 4 classes");
    if (previous)
        ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CACHE_HOME");
}
