#pragma once
// Statistics over repeated runs (one per seed), as the sweep table and the Compare chart show them.

#include <vector>

namespace prunescope {

struct MeanAndSd {
    double mean = 0;
    double sd = 0;  // sample standard deviation (n - 1); 0 for a single value
};

// Both 0 for no values. Summed as value / n in the given order, so a table printed before and
// after this function existed agrees to the last digit.
MeanAndSd meanAndSampleSd(const std::vector<double>& values);

}  // namespace prunescope
