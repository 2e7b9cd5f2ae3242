#pragma once
// Importance scores and the rules that turn scores into masks. A lower score means "prune first".

#include "masks/MaskSet.h"

#include <torch/torch.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace prunescope {

// |w|, the criterion of Han et al. (2015).
torch::Tensor magnitudeScores(const torch::Tensor& weight);

// Number of elements to prune for a sparsity in [0, 1]: round(sparsity × count).
int64_t pruneCount(double sparsity, int64_t count);

// A 0/1 mask (shape of scores) with exactly `count` zeros at the lowest scores. Ties are broken
// by position (earlier elements first), so the count is exact and the result deterministic.
torch::Tensor maskLowest(const torch::Tensor& scores, int64_t count);

struct NamedScores {
    std::string layer;
    torch::Tensor scores;
};

// One threshold over all layers: exactly round(sparsity × total) zeros across them.
MaskSet maskLowestGlobally(const std::vector<NamedScores>& layers, double sparsity);

}  // namespace prunescope

namespace prunescope {

// N:M semi-structured mask (NVIDIA ASP): the weight seen as [out, in × kh × kw] (row-major), cut
// into groups of M consecutive elements along the input dimension; each group keeps its N
// largest scores. Throws std::invalid_argument naming `layer` when in × kh × kw is not a
// multiple of M, or N is not in [1, M).
torch::Tensor nmMask(const std::string& layer, const torch::Tensor& scores, int64_t n, int64_t m);

// Exactly `count` zeros at the lowest scores across all layers (one global ranking).
MaskSet maskLowestGloballyCount(const std::vector<NamedScores>& layers, int64_t count);

}  // namespace prunescope

namespace prunescope {

// Kernel-pattern pruning (PatDNN, Niu et al., ASPLOS 2020): every 3×3 kernel keeps exactly the
// entries of one pattern from `patterns` (each a 9-element 0/1 mask, row-major), the one whose
// entries carry the largest Σ|w|. weight is [out, in, 3, 3]. Throws for other kernel sizes.
torch::Tensor kernelPatternMask(const std::string& layer, const torch::Tensor& weight,
                                const std::vector<std::array<uint8_t, 9>>& patterns);

// PatDNN's four-entry patterns: the centre plus three of its four neighbours, and the centre
// plus an L of two neighbours and a corner (8 patterns in all).
const std::vector<std::array<uint8_t, 9>>& fourEntryPatterns();

}  // namespace prunescope
