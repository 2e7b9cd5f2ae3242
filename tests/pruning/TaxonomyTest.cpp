// The taxonomy's tags are enums; the texts shown for them (CLI, JSON, the window's method tree,
// reports) are those the catalogue held as strings, and read back to their tags.
#include "core/MethodInfo.h"

#include <gtest/gtest.h>

using namespace prunescope;

TEST(Taxonomy, DisplayNamesAreTheTextsShownBefore)
{
    EXPECT_EQ(displayName(Speedup::Unstructured), "unstructured");
    EXPECT_EQ(displayName(Speedup::Structured), "structured");
    EXPECT_EQ(displayName(Speedup::SemiStructured), "semi-structured");
    EXPECT_EQ(displayName(WhenToPrune::BeforeTraining), "before training");
    EXPECT_EQ(displayName(WhenToPrune::DuringTraining), "during training");
    EXPECT_EQ(displayName(WhenToPrune::AfterTraining), "after training");
    EXPECT_EQ(displayName(WhenToPrune::RunTime), "run-time");
    EXPECT_EQ(displayName(PruningCriterion::LpNorm), "lp norm");
    EXPECT_EQ(displayName(PruningCriterion::Saliency), "sensitivity/saliency");
    EXPECT_EQ(displayName(LearnToPrune::None), "");
    EXPECT_EQ(displayName(LearnToPrune::SparsityRegularisationEarlyStop), "sparsity regularisation (early stop)");
    EXPECT_EQ(displayName(Fusion::None), "");

    const MethodInfo& fbs = methodInfo("fbs");
    EXPECT_EQ(fbs.taxonomy.speedup, Speedup::Structured);
    EXPECT_EQ(fbs.taxonomy.when, WhenToPrune::RunTime);
    EXPECT_EQ(displayName(fbs.taxonomy.learnToPrune), "saliency predictor");
}

TEST(Taxonomy, NamesReadBackToTheirTags)
{
    for (const auto& method : methodCatalogue()) {
        SCOPED_TRACE(method.id);
        const Taxonomy& t = method.taxonomy;
        EXPECT_EQ(tagFromName<Speedup>(displayName(t.speedup)), t.speedup);
        EXPECT_EQ(tagFromName<WhenToPrune>(displayName(t.when)), t.when);
        EXPECT_EQ(tagFromName<PruningCriterion>(displayName(t.criterion)), t.criterion);
        EXPECT_EQ(tagFromName<LearnToPrune>(displayName(t.learnToPrune)), t.learnToPrune);
        EXPECT_EQ(tagFromName<Fusion>(displayName(t.fusion)), t.fusion);
        EXPECT_EQ(tagFromName<Approach>(displayName(t.approach)), t.approach);
    }
    EXPECT_EQ(tagFromName<Speedup>("Structured"), std::nullopt);  // display names are exact
    EXPECT_EQ(tagFromName<WhenToPrune>("sometimes"), std::nullopt);
}
