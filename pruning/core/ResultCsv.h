#pragma once
// What a run recorded, as CSV for spreadsheets and plotting scripts: one row per epoch, and one
// row per layer and pruning step. Header line first; numbers with 10 significant digits.

#include "core/RunEvents.h"

#include <string>
#include <vector>

namespace prunescope {

// A during-training method's own curves become extra columns (empty where an epoch lacks one).
std::string epochsCsv(const std::vector<EpochMetrics>& epochs);
// Shapes as "300x784".
std::string layersCsv(const std::vector<PruningStep>& steps);

}  // namespace prunescope
