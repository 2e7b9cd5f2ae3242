#include "core/ResultJson.h"

namespace prunescope {

using nlohmann::json;

json latencyJson(const std::vector<LatencyMeasurement>& latency)
{
    json list = json::array();
    for (const auto& l : latency)
        list.push_back({{"network", l.network},
                        {"batch", l.batch},
                        {"median_ms", l.medianMs},
                        {"p10_ms", l.p10Ms},
                        {"p90_ms", l.p90Ms},
                        {"repeats", l.repeats},
                        {"path", l.path},
                        {"p25_ms", l.p25Ms},
                        {"p75_ms", l.p75Ms},
                        {"min_ms", l.minMs},
                        {"max_ms", l.maxMs},
                        {"busy_machine", l.measuredOnBusyMachine()}});
    return list;
}

json summaryJson(const RunSummary& s)
{
    return {{"dense_test_accuracy", s.denseTestAccuracy},
            {"dense_test_loss", s.denseTestLoss},
            {"pruned_test_accuracy", s.prunedTestAccuracy},
            {"test_accuracy", s.testAccuracy},
            {"test_loss", s.testLoss},
            {"parameters", s.parameters},
            {"nonzeros", s.nonzeros},
            {"prunable_parameters", s.prunableParameters},
            {"prunable_nonzeros", s.prunableNonzeros},
            {"sparsity", s.sparsity},
            {"compression_ratio", s.compressionRatio},
            {"dense_macs", s.denseMacs},
            {"effective_macs", s.effectiveMacs},
            {"theoretical_speedup", s.theoreticalSpeedup},
            {"dense_bytes", s.denseBytes},
            {"sparse_bytes", s.sparseBytes},
            {"duration_seconds", s.durationSeconds},
            {"dense_from_cache", s.denseFromCache},
            {"structured", s.structured},
            {"measured_speedup_batch1", s.measuredSpeedup(1)},
            {"measured_speedup_batch64", s.measuredSpeedup(64)},
            {"latency", latencyJson(s.latency)},
            {"model_file", s.modelFile}};
}

json epochJson(const EpochMetrics& m)
{
    return {{"phase", m.phase},
            {"epoch", m.epoch},
            {"learning_rate", m.learningRate},
            {"train_loss", m.trainLoss},
            {"train_accuracy", m.trainAccuracy},
            {"validation_loss", m.validationLoss},
            {"validation_accuracy", m.validationAccuracy},
            {"method_curves", m.extra}};
}

json layerJson(const LayerStats& l)
{
    return {{"name", l.name},
            {"kind", l.kind},
            {"shape", l.shape},
            {"parameters", l.parameters},
            {"nonzeros", l.nonzeros},
            {"density", l.density()},
            {"dense_macs", l.denseMacs},
            {"effective_macs", l.effectiveMacs},
            {"pruned", l.pruned},
            {"channels", l.channels},
            {"channels_kept", l.channelsKept}};
}

json pruningStepJson(const PruningStep& step)
{
    json layers = json::array();
    for (const auto& layer : step.layers)
        layers.push_back(layerJson(layer));
    // What the step measured: accuracy per round, the control, densities and executed MACs.
    return {{"step", step.step}, {"metrics", step.metrics}, {"layers", layers}};
}

}  // namespace prunescope
