#pragma once
// A stored run as one JSON object (show --json, export): its row, config, epochs, pruning steps
// and, when finished, its summary. The engine types' serialisers are core's (core/ResultJson.h);
// this adds what only the store knows.

#include "RunStore.h"

#include <nlohmann/json.hpp>

namespace prunescope::cli {

nlohmann::json runJson(const RunStore& store, const StoredRun& run);

}  // namespace prunescope::cli
