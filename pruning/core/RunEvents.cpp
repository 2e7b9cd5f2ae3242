#include "core/RunEvents.h"

#include <array>
#include <stdexcept>

namespace prunescope {
namespace {
constexpr std::array kStatusNames{"running", "finished", "failed", "cancelled", "interrupted"};
}

const char* stageName(RunStage stage)
{
    switch (stage) {
    case RunStage::Loading:
        return "loading";
    case RunStage::DenseTraining:
        return "dense training";
    case RunStage::Pruning:
        return "pruning";
    case RunStage::FineTuning:
        return "fine-tuning";
    case RunStage::Evaluating:
        return "evaluating";
    case RunStage::Measuring:
        return "measuring";
    case RunStage::Done:
        return "done";
    }
    return "unknown";
}

const char* statusName(RunStatus status)
{
    return kStatusNames[static_cast<size_t>(status)];
}

RunStatus statusFromName(const std::string& name)
{
    for (size_t i = 0; i < kStatusNames.size(); ++i) {
        if (name == kStatusNames[i])
            return static_cast<RunStatus>(i);
    }
    throw std::invalid_argument("unknown run status '" + name + "'");
}

int64_t MaskSnapshot::numel() const
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

const LatencyMeasurement* RunSummary::latencyOf(const std::string& network, int batch) const
{
    for (const auto& measurement : latency) {
        if (measurement.network == network && measurement.batch == batch)
            return &measurement;
    }
    return nullptr;
}

double RunSummary::measuredSpeedup(int batch) const
{
    const LatencyMeasurement* dense = latencyOf("dense", batch);
    const LatencyMeasurement* pruned = latencyOf("pruned", batch);
    if (!dense || !pruned || pruned->medianMs <= 0)
        return 0;
    return dense->medianMs / pruned->medianMs;
}

}  // namespace prunescope
