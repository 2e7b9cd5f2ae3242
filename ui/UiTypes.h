#pragma once
// The engine's value structs as Qt meta-types, so queued signals can carry them across threads.

#include "core/ExperimentConfig.h"
#include "core/RunEvents.h"

#include <QMetaType>

Q_DECLARE_METATYPE(prunescope::ExperimentConfig)
Q_DECLARE_METATYPE(prunescope::ProgressEvent)
Q_DECLARE_METATYPE(prunescope::EpochMetrics)
Q_DECLARE_METATYPE(prunescope::PruningStep)
Q_DECLARE_METATYPE(prunescope::RunSummary)

namespace prunescope {
void registerUiMetaTypes();
QString formatEta(double seconds);
QString shapeText(const std::vector<int64_t>& shape);  // "64 × 32 × 3 × 3"
QString runsText(qsizetype count);  // "1 run", "3 runs"
}  // namespace prunescope
