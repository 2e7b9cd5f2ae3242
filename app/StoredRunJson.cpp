#include "StoredRunJson.h"

#include "core/ResultJson.h"

namespace prunescope::cli {

using nlohmann::json;

json runJson(const RunStore& store, const StoredRun& run)
{
    json steps = json::array();
    for (const auto& step : store.pruningSteps(run.id, /*withMasks=*/false))
        steps.push_back(pruningStepJson(step));
    json epochs = json::array();
    for (const auto& m : store.epochs(run.id))
        epochs.push_back(epochJson(m));
    json j = {{"id", run.id},
              {"name", run.name},
              {"status", statusName(run.status)},
              {"started_at", run.startedAt},
              {"finished_at", run.finishedAt},
              {"error", run.errorMessage},
              {"versions", run.versions},
              {"host", run.host},
              {"tags", run.tags},
              {"notes", run.notes},
              {"config", json::parse(run.configJson)},
              {"epochs", epochs},
              {"pruning_steps", steps}};
    if (run.status == RunStatus::Finished)
        j["summary"] = summaryJson(run.summary);
    return j;
}

}  // namespace prunescope::cli
