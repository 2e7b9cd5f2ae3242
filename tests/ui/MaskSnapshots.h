#pragma once
// Small masks for the mask views' tests, as bitsets the way the runner stores them.

#include "core/RunEvents.h"

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope::testsupport {

inline MaskSnapshot maskOf(const std::string& layer, std::vector<int64_t> shape, const std::vector<bool>& kept)
{
    MaskSnapshot mask{layer, std::move(shape), {}};
    mask.bits.assign((kept.size() + 7) / 8, 0);
    for (size_t i = 0; i < kept.size(); ++i)
        if (kept[i])
            mask.bits[i / 8] |= uint8_t(1u << (i % 8));
    return mask;
}

// fc: 3 × 4, kept where (o + i) is even.
inline const std::vector<bool> kFcKept = {true, false, true, false, false, true, false, true, true, false, true, false};

}  // namespace prunescope::testsupport
