// Each method's typed options and its catalogue schema agree: the options parse the schema's
// defaults, and every parameter of the schema is read (without it, parsing names it).
#include "core/MethodInfo.h"
#include "methods/PruningMethod.h"
#include "methods/RunTimePruning.h"
#include "methods/SaliencyPruning.h"
#include "methods/SparseTraining.h"
#include "methods/StructuredPruning.h"

#include <gtest/gtest.h>

using namespace prunescope;

TEST(MethodOptions, EveryMethodParsesItsCatalogueDefaults)
{
    for (const auto& method : methodCatalogue()) {
        SCOPED_TRACE(method.id);
        const std::unique_ptr<PruningMethod> pruner = createPruningMethod(method.id);
        EXPECT_NO_THROW(pruner->parseOptions(resolveParams(method, {})));
    }
}

TEST(MethodOptions, EveryMethodReadsEveryParameterOfItsSchema)
{
    for (const auto& method : methodCatalogue()) {
        const std::unique_ptr<PruningMethod> pruner = createPruningMethod(method.id);
        for (const auto& spec : method.params) {
            SCOPED_TRACE(method.id + ": " + spec.name);
            ParamMap params = resolveParams(method, {});
            params.erase(spec.name);
            try {
                pruner->parseOptions(params);
                ADD_FAILURE() << "the options do not read '" << spec.name << "'";
            } catch (const std::invalid_argument& e) {
                EXPECT_NE(std::string(e.what()).find("'" + spec.name + "'"), std::string::npos) << e.what();
            }
        }
    }
}

TEST(MethodOptions, FieldsHoldTheResolvedValues)
{
    const SnipOptions snip
        = SnipOptions::from(resolveParams(methodInfo("snip"), {{"sparsity", 0.75}, {"include_classifier", true}}));
    EXPECT_EQ(snip.sparsity, 0.75);
    EXPECT_EQ(snip.batchSize, 256);  // the catalogue's default
    EXPECT_TRUE(snip.includeClassifier);

    const ChannelPruningOptions channels = ChannelPruningOptions::from(
        resolveParams(methodInfo("taylor_channel"), {{"scope", std::string("global")}, {"batches", int64_t(4)}}),
        ChannelCriterion::Taylor);
    EXPECT_TRUE(channels.globalScope);
    EXPECT_EQ(channels.batches, 4);
    EXPECT_EQ(channels.batchSize, 128);
    EXPECT_EQ(channels.channelRatio, 0.5);

    const DynamicSparseOptions rigl
        = DynamicSparseOptions::from(resolveParams(methodInfo("rigl"), {}), SparseGrowth::Gradient);
    EXPECT_EQ(rigl.updateFraction, 0.3);
    EXPECT_EQ(rigl.updateInterval, 100);
    EXPECT_EQ(rigl.end, 0.75);
    const DynamicSparseOptions set
        = DynamicSparseOptions::from(resolveParams(methodInfo("set"), {}), SparseGrowth::Random);
    EXPECT_EQ(set.updateInterval, 1);  // SET updates every epoch; the trainer sets the interval then
    EXPECT_EQ(set.end, 1.0);

    const FeatureBoostingOptions fbs = FeatureBoostingOptions::from(resolveParams(methodInfo("fbs"), {}));
    EXPECT_EQ(fbs.evalDensities, (std::vector<double>{0.25, 0.5, 0.75, 1.0}));
}

TEST(MethodOptions, ChecksThatSpanParametersStayWithTheOptions)
{
    EXPECT_THROW(GradualPruningOptions::from(resolveParams(methodInfo("gmp"), {{"start", 0.5}, {"end", 0.4}})),
                 std::invalid_argument);
    EXPECT_THROW(
        FeatureBoostingOptions::from(resolveParams(methodInfo("fbs"), {{"eval_densities", std::string("0.5, 2")}})),
        std::invalid_argument);
}
