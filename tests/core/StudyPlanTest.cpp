// The presets follow the study plan: every one of its sessions has at least one, and
// each week's presets run methods whose taxonomy tags (from the method catalogue) are the week's.
#include "core/DatasetCatalogue.h"
#include "core/ExperimentPresets.h"
#include "core/MethodInfo.h"
#include "core/StudyPlan.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <set>

using namespace prunescope;

TEST(StudyPlan, FourteenWeeklySessionsFromMarchToJuneThenTheQuantizationSeason)
{
    const auto& weeks = studyPlan();
    ASSERT_EQ(weeks.size(), 15u);
    EXPECT_EQ(weeks.front().date, "2025-03-12");
    EXPECT_EQ(weeks.back().date, "2025-07-02");
    for (size_t i = 0; i < weeks.size(); ++i) {
        EXPECT_EQ(weeks[i].number, int(i) + 1);
        if (i > 0) {
            EXPECT_LT(weeks[i - 1].date, weeks[i].date);  // ISO dates sort as text
        }
    }
    // The plan's own order of topics: structured in week 2, semi-structured in 3, before training
    // in 4, the lottery ticket in 9, other score-based methods in 10, post-training in 13.
    EXPECT_EQ(studyWeek(2).speedup, Speedup::Structured);
    EXPECT_EQ(studyWeek(3).speedup, Speedup::SemiStructured);
    EXPECT_EQ(studyWeek(4).when, WhenToPrune::BeforeTraining);
    EXPECT_EQ(studyWeek(9).approach, Approach::LotteryTicket);
    EXPECT_EQ(studyWeek(10).approach, Approach::ScoreBased);
    EXPECT_EQ(studyWeek(10).when, WhenToPrune::AfterTraining);
    EXPECT_EQ(studyWeek(13).approach, Approach::PostTraining);
    EXPECT_EQ(studyWeek(14).when, WhenToPrune::RunTime);
    EXPECT_EQ(studyWeek(2).shortDate(), "03/19");
    EXPECT_EQ(studyWeek(15).fusion, Fusion::Quantization);  // the next season's first week
    EXPECT_THROW(studyWeek(16), std::out_of_range);
}

TEST(StudyPlan, EveryWeekHasAPresetOfItsTopic)
{
    for (const StudyWeek& week : studyPlan()) {
        SCOPED_TRACE("week " + std::to_string(week.number) + ": " + week.topic);
        const auto presets = presetsOfWeek(week.number);
        EXPECT_FALSE(presets.empty());
        for (const ExperimentPreset* preset : presets) {
            const MethodInfo& method = methodInfo(preset->config.method);
            const Taxonomy& t = method.taxonomy;
            // Each axis the week names, against the catalogue's tags, so a re-tagged method or a
            // preset moved to the wrong week fails here with the tags side by side.
            if (week.speedup) {
                EXPECT_EQ(displayName(t.speedup), displayName(*week.speedup)) << preset->id;
            }
            if (week.when) {
                EXPECT_EQ(displayName(t.when), displayName(*week.when)) << preset->id;
            }
            if (week.approach) {
                EXPECT_EQ(displayName(t.approach), displayName(*week.approach)) << preset->id;
            }
            EXPECT_TRUE(methodFitsWeek(method, week)) << preset->id;
        }
    }
}

TEST(StudyPlan, PresetsAreNamedByWeekDateAndTopic)
{
    std::set<std::string> ids;
    int lastWeek = 0;
    for (const ExperimentPreset& preset : experimentPresets()) {
        SCOPED_TRACE(preset.id);
        EXPECT_TRUE(ids.insert(preset.id).second);
        EXPECT_GE(preset.week, lastWeek);  // listed in week order
        lastWeek = preset.week;
        char prefix[16];
        std::snprintf(prefix, sizeof prefix, "week%02d-", preset.week);
        EXPECT_EQ(preset.id.rfind(prefix, 0), 0u);
        const StudyWeek& week = studyWeek(preset.week);
        EXPECT_EQ(preset.title.rfind(
                      "Week " + std::to_string(week.number) + " · " + week.shortDate() + " · " + week.topic + " · ", 0),
                  0u);
        EXPECT_EQ(preset.config.name, preset.title);
    }
    EXPECT_NE(findPreset("week02-structured-l1-filters"), nullptr);
    EXPECT_EQ(findPreset("week3-vgg-l1"), nullptr);  // the old numbering is gone
    // Week 1 starts with the experiment the window opens with.
    const ExperimentPreset& first = experimentPresets().front();
    EXPECT_EQ(first.config.method, defaultExperiment().method);
    EXPECT_EQ(first.config.model, defaultExperiment().model);
    EXPECT_EQ(first.config.methodParams, defaultExperiment().methodParams);
}

TEST(StudyPlan, EveryApproachOfTheCatalogueHasAWeek)
{
    // The approaches the catalogue tags methods with are all taught in some week.
    std::set<Approach> taught;
    for (const StudyWeek& week : studyPlan())
        if (week.approach)
            taught.insert(*week.approach);
    for (const MethodInfo& method : methodCatalogue())
        if (method.taxonomy.approach != Approach::None) {
            EXPECT_TRUE(taught.count(method.taxonomy.approach)) << method.id;
        }
}

TEST(StudyPlan, PaperPresetsCarryThePapersFiguresTheirBenchmarkAndTheBudget)
{
    struct Expected {
        const char* id;
        const char* dataset;
        const char* model;
        double prunedAccuracy;
    };
    const Expected papers[] = {
        {"week01-paper-han-lenet300100-mnist", "mnist", "lenet300100", 0.9841},
        {"week02-paper-li-vgg16-cifar10", "cifar10", "vgg16_bn", 0.9340},
        {"week02-paper-fpgm-resnet56-cifar10", "cifar10", "resnet56a", 0.9326},
        {"week02-paper-depgraph-resnet56-cifar10", "cifar10", "resnet56b", 0.9293},
        {"week10-paper-hrank-resnet56-cifar10", "cifar10", "resnet56a", 0.9317},
    };
    for (const Expected& expected : papers) {
        SCOPED_TRACE(expected.id);
        const ExperimentPreset* preset = findPreset(expected.id);
        ASSERT_NE(preset, nullptr);
        ASSERT_TRUE(preset->paper.has_value());
        EXPECT_EQ(preset->config.model, expected.model);
        EXPECT_DOUBLE_EQ(preset->paper->prunedAccuracy, expected.prunedAccuracy);
        EXPECT_GT(preset->paper->denseAccuracy, 0.9);
        EXPECT_FALSE(preset->paper->citation.empty());
        EXPECT_FALSE(preset->paper->fullRecipe.empty());
        // The known dataset, where it is installed; CIFAR trains with crops and flips, MNIST without.
        const KnownDataset* dataset = findKnownDataset(expected.dataset);
        ASSERT_NE(dataset, nullptr);
        EXPECT_EQ(preset->config.dataset.name, expected.dataset);
        EXPECT_EQ(preset->config.dataset.directory, defaultDatasetDirectory(*dataset));
        const bool cifar = std::string(expected.dataset) == "cifar10";
        EXPECT_EQ(preset->config.denseTraining.augment, cifar);
        EXPECT_EQ(preset->config.fineTuning.augment, cifar);
        // The card shows the paper's accuracy and the laptop budget beside the paper's recipe.
        const std::string card = presetCard(*preset);
        char accuracy[16];
        std::snprintf(accuracy, sizeof accuracy, "%.2f %%", expected.prunedAccuracy * 100);
        EXPECT_NE(card.find(accuracy), std::string::npos) << card;
        EXPECT_NE(card.find("Laptop budget: " + std::to_string(preset->config.denseTraining.epochs) + " dense epochs"),
                  std::string::npos)
            << card;
        EXPECT_NE(card.find(preset->paper->fullRecipe), std::string::npos) << card;
    }
    // The MAC targets of the ~50 % and 2.1× setups.
    EXPECT_EQ(
        std::get<double>(findPreset("week10-paper-hrank-resnet56-cifar10")->config.methodParams.at("target_macs")),
        0.5);
    EXPECT_NEAR(1
                    / std::get<double>(
                        findPreset("week02-paper-depgraph-resnet56-cifar10")->config.methodParams.at("target_macs")),
                2.12, 0.01);
    // A preset of the study plan's own is no paper's: its card is what it runs and its epochs.
    const ExperimentPreset& first = experimentPresets().front();
    EXPECT_FALSE(first.paper.has_value());
    EXPECT_EQ(presetCard(first).find("Paper"), std::string::npos);
}
