#include "core/SeedStatistics.h"

#include <cmath>
#include <cstddef>

namespace prunescope {

MeanAndSd meanAndSampleSd(const std::vector<double>& values)
{
    if (values.empty())
        return {};
    const double count = double(values.size());
    const double degreesOfFreedom = double(values.size() > 1 ? values.size() - 1 : 1);
    double mean = 0, variance = 0;
    for (double value : values)
        mean += value / count;
    for (double value : values)
        variance += (value - mean) * (value - mean) / degreesOfFreedom;
    return {mean, std::sqrt(variance)};
}

}  // namespace prunescope
