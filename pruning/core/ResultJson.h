#pragma once
// What a run measured, as JSON: the one serialisation the CLI prints and exports, and that any
// other consumer (reports, scripts) should reuse so the field names stay the same everywhere.

#include "core/RunEvents.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace prunescope {

nlohmann::json latencyJson(const std::vector<LatencyMeasurement>& latency);
nlohmann::json summaryJson(const RunSummary& summary);
nlohmann::json epochJson(const EpochMetrics& metrics);
nlohmann::json layerJson(const LayerStats& layer);
// A pruning step without its masks: its measurements and its layers.
nlohmann::json pruningStepJson(const PruningStep& step);

}  // namespace prunescope
