#include "core/DatasetCatalogue.h"
#include "core/ExperimentConfig.h"
#include "experiment/Runner.h"
#include "core/ExperimentPresets.h"
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "models/Models.h"

#include <gtest/gtest.h>

#include <limits>

#include <algorithm>
#include <filesystem>
#include <set>

using namespace prunescope;

TEST(Config, RoundTripsThroughJson)
{
    ExperimentConfig config = defaultExperiment();
    config.name = "a \"quoted\" name — ünïcode";
    config.model = "resnet20";
    config.method = "layerwise_magnitude";
    config.methodParams
        = {{"sparsity", 0.75}, {"include_classifier", true}, {"note", std::string("x")}, {"rounds", int64_t(3)}};
    config.denseTraining.optimizer = "adam";
    config.denseTraining.schedule = "step";
    config.fineTuning.epochs = 0;
    config.dataset.trainLimit = 1234;
    config.seed = 18446744073709551615ull;
    config.threads = 3;
    config.useDenseCache = false;
    config.bnRecalibrationBatches = 7;
    const ExperimentConfig back = experimentFromJson(toJson(config));
    EXPECT_EQ(back, config);
    EXPECT_EQ(experimentFromJson(toJson(defaultExperiment())), defaultExperiment());
}

TEST(Config, MissingFieldsTakeDefaults)
{
    const ExperimentConfig config = experimentFromJson(R"({"model": "lenet5caffe"})");
    EXPECT_EQ(config.model, "lenet5caffe");
    EXPECT_EQ(config.denseTraining, TrainRecipe{});
    EXPECT_EQ(config.fineTuning, ExperimentConfig{}.fineTuning);
    // Except one: a stored config from before BatchNorm re-estimation existed re-runs as it ran.
    EXPECT_EQ(config.bnRecalibrationBatches, 0);
    EXPECT_EQ(ExperimentConfig{}.bnRecalibrationBatches, 20);
}

TEST(Config, ErrorsNameTheField)
{
    auto expectMessage = [](const std::string& json, const std::string& needle) {
        try {
            experimentFromJson(json);
            FAIL() << json;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectMessage(R"({"seed": "forty-two"})", "'seed'");
    expectMessage(R"({"dense_training": {"epochs": 2.5}})", "dense_training.epochs");
    expectMessage(R"({"modle": "lenet5"})", "unknown field 'modle'");
    expectMessage(R"({"model": )", "not valid JSON");
    expectMessage(R"([1, 2])", "JSON object");
}

// Values that do not fit their field are refused, not narrowed: 4294967297 epochs once ran 1
// epoch, a batch of 4294967424 ran 128, and seed -1 became 2^64-1.
TEST(Config, IntegersOutOfRangeAreRefusedNotNarrowed)
{
    auto expectMessage = [](const std::string& json, const std::string& needle) {
        try {
            const ExperimentConfig config = experimentFromJson(json);
            FAIL() << json << " was accepted as epochs " << config.denseTraining.epochs << ", seed " << config.seed;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectMessage(R"({"dense_training": {"epochs": 4294967297}})",
                  "'dense_training.epochs': expected an integer from -2147483648 to 2147483647, got 4294967297");
    expectMessage(R"({"fine_tuning": {"batch_size": 4294967424}})", "'fine_tuning.batch_size'");
    expectMessage(R"({"seed": -1})", "'seed': expected an integer from 0 to 18446744073709551615, got -1");
    expectMessage(R"({"latency_repeats": 2147483648})", "'latency_repeats'");
    expectMessage(R"({"threads": -2147483649})", "'threads'");
    // A number too large for a double is a JSON error named as such, not a library message.
    expectMessage(R"({"seed": 1e400})", "config is not valid JSON: number overflow");

    // The extremes that do fit are kept exactly.
    const ExperimentConfig config
        = experimentFromJson(R"({"seed": 18446744073709551615, "dense_training": {"epochs": 2147483647}})");
    EXPECT_EQ(config.seed, std::numeric_limits<uint64_t>::max());
    EXPECT_EQ(config.denseTraining.epochs, std::numeric_limits<int>::max());
}

// A misspelt nested key was ignored while a misspelt top-level key was refused.
TEST(Config, UnknownKeysAreRefusedAtEveryLevel)
{
    auto expectMessage = [](const std::string& json, const std::string& needle) {
        try {
            experimentFromJson(json);
            FAIL() << json;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expectMessage(R"({"dense_training": {"learnign_rate": 0.1}})", "unknown field 'dense_training.learnign_rate'");
    expectMessage(R"({"fine_tuning": {"epoch": 3}})", "unknown field 'fine_tuning.epoch'");
    expectMessage(R"({"dataset": {"directroy": "/tmp"}})", "unknown field 'dataset.directroy'");
    // The message lists what is known at that level.
    expectMessage(R"({"dense_training": {"learnign_rate": 0.1}})", "learning_rate");
    // Every field the config writes is read back: a serialised config is always accepted.
    ExperimentConfig full = defaultExperiment();
    full.denseTraining.learningRate = 0.05;
    full.dataset.trainLimit = 123;
    EXPECT_EQ(experimentFromJson(toJson(full)).dataset.trainLimit, 123);
    EXPECT_EQ(experimentFromJson(toJson(full)).denseTraining.learningRate, 0.05);
}

TEST(Config, ParametersResolveAgainstTheSchema)
{
    const MethodInfo& method = methodInfo("global_magnitude");
    const ParamMap resolved = resolveParams(method, {{"sparsity", int64_t(0)}});
    EXPECT_EQ(std::get<double>(resolved.at("sparsity")), 0.0);
    EXPECT_EQ(std::get<bool>(resolved.at("include_classifier")), false);
    EXPECT_THROW(resolveParams(method, {{"sparsity", 1.0}}), std::invalid_argument);
    EXPECT_THROW(resolveParams(method, {{"sparsty", 0.5}}), std::invalid_argument);
    EXPECT_THROW(resolveParams(method, {{"include_classifier", 1.0}}), std::invalid_argument);
    EXPECT_THROW(methodInfo("obd"), std::invalid_argument);
}

TEST(Config, EveryPresetIsAValidExperimentWithAUniqueId)
{
    std::set<std::string> ids;
    ASSERT_FALSE(experimentPresets().empty());
    for (const auto& preset : experimentPresets()) {
        EXPECT_TRUE(ids.insert(preset.id).second) << preset.id;
        if (std::filesystem::exists(preset.config.dataset.directory)) {
            EXPECT_NO_THROW(validateExperiment(preset.config)) << preset.id;
        } else {
            // A paper's benchmark that is not installed here: only the data is missing. The model
            // is built for the dataset's published shape and the method applies to it.
            ASSERT_TRUE(preset.paper.has_value()) << preset.id;
            try {
                validateExperiment(preset.config);
                ADD_FAILURE() << preset.id << ": no data, yet valid";
            } catch (const InvalidExperiment& e) {
                EXPECT_EQ(e.field(), ConfigField::Data) << preset.id << ": " << e.what();
            }
            const KnownDataset* dataset = findKnownDataset(preset.config.dataset.name);
            ASSERT_NE(dataset, nullptr) << preset.id;
            const auto model = createModel(preset.config.model, dataset->shape);
            const MethodInfo& info = methodInfo(preset.config.method);
            EXPECT_NO_THROW(
                createPruningMethod(info.id)->checkApplicable(*model, resolveParams(info, preset.config.methodParams)))
                << preset.id;
        }
        // The parameters are the method's own: nothing the schema would reject or ignore.
        const MethodInfo& method = methodInfo(preset.config.method);
        for (const auto& [name, value] : preset.config.methodParams)
            EXPECT_TRUE(std::any_of(method.params.begin(), method.params.end(),
                                    [&](const ParamSpec& p) { return p.name == name; }))
                << preset.id << ": " << name;
        EXPECT_EQ(findPreset(preset.id), &preset);
    }
    EXPECT_EQ(findPreset("no-such-preset"), nullptr);
}

TEST(Config, EveryMethodCardSaysWhatTheMethodIsGoodAndBadAt)
{
    for (const auto& method : methodCatalogue()) {
        EXPECT_FALSE(method.card.goodAt.empty()) << method.id;
        EXPECT_FALSE(method.card.badAt.empty()) << method.id;
        EXPECT_NE(method.card.goodAt, method.card.badAt) << method.id;
    }
}
