#pragma once
// A per-test temporary directory holding a small synthetic IDX dataset.

#include "SyntheticIdx.h"
#include "core/ExperimentConfig.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace prunescope::testsupport {

class TinyDatasetTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = std::filesystem::temp_directory_path()
            / ("prunescope-" + std::to_string(::getpid()) + "-"
               + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        writeSyntheticIdxDataset((m_dir / "data").string(), 600, 200);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }

    // A quick experiment on the synthetic data with its own dense-checkpoint cache.
    ExperimentConfig tinyConfig() const
    {
        ExperimentConfig config = defaultExperiment();
        config.model = "lenet300100";
        config.dataset.name = "idx";
        config.dataset.directory = (m_dir / "data").string();
        config.denseTraining.epochs = 2;
        config.denseTraining.batchSize = 50;
        config.fineTuning.epochs = 1;
        config.fineTuning.batchSize = 50;
        config.methodParams["sparsity"] = 0.8;
        config.threads = 2;
        config.cacheDirectory = (m_dir / "cache").string();
        return config;
    }

    std::filesystem::path m_dir;
};

}  // namespace prunescope::testsupport
