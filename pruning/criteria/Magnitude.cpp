#include "criteria/Magnitude.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <cstdint>
#include <vector>

namespace prunescope {

torch::Tensor magnitudeScores(const torch::Tensor& weight)
{
    torch::NoGradGuard noGrad;
    return weight.detach().abs();
}

int64_t pruneCount(double sparsity, int64_t count)
{
    if (!(sparsity >= 0.0 && sparsity <= 1.0))
        throw std::invalid_argument("sparsity must be in [0, 1], got " + std::to_string(sparsity));
    return std::min<int64_t>(count, std::llround(sparsity * double(count)));
}

namespace {

// A score's place in torch::sort's ascending order as an unsigned key: -0 and +0 are equal, and
// every NaN is one value after +inf. Equal keys are ties, broken by position.
uint32_t orderKey(float value)
{
    if (std::isnan(value))
        return 0xFFFFFFFFu;
    if (value == 0.0f)
        value = 0.0f;  // -0 → +0
    uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

// Scores of several layers taken as one sequence in order, each with the mask it fills.
struct ScoreChunk {
    const float* scores = nullptr;
    float* mask = nullptr;
    int64_t size = 0;
};

// Zeroes exactly `count` mask entries at the lowest scores across the chunks (ties by position,
// as a stable sort orders them). A radix selection on the keys' upper then lower 16 bits finds
// the count-th key in two counting passes, and a third writes the mask: no sort and no copy of
// the scores. A stable sort of 15 M scores took ~2.3 s.
void zeroLowest(const std::vector<ScoreChunk>& chunks, int64_t count)
{
    for (const ScoreChunk& chunk : chunks)
        std::fill(chunk.mask, chunk.mask + chunk.size, 1.0f);
    if (count <= 0)
        return;
    std::vector<int64_t> histogram(65536, 0);
    for (const ScoreChunk& chunk : chunks)
        for (int64_t i = 0; i < chunk.size; ++i)
            ++histogram[orderKey(chunk.scores[i]) >> 16];
    // The bucket holding the count-th key, and how many keys lie below it.
    int64_t below = 0;
    uint32_t high = 0;
    while (below + histogram[high] < count)
        below += histogram[high++];
    std::fill(histogram.begin(), histogram.end(), 0);
    for (const ScoreChunk& chunk : chunks)
        for (int64_t i = 0; i < chunk.size; ++i) {
            const uint32_t key = orderKey(chunk.scores[i]);
            if ((key >> 16) == high)
                ++histogram[key & 0xFFFFu];
        }
    uint32_t low = 0;
    while (below + histogram[low] < count)
        below += histogram[low++];
    const uint32_t threshold = (high << 16) | low;
    int64_t tiesToPrune = count - below;
    for (const ScoreChunk& chunk : chunks)
        for (int64_t i = 0; i < chunk.size; ++i) {
            const uint32_t key = orderKey(chunk.scores[i]);
            if (key < threshold) {
                chunk.mask[i] = 0.0f;
            } else if (key == threshold && tiesToPrune > 0) {
                chunk.mask[i] = 0.0f;
                --tiesToPrune;
            }
        }
}

}  // namespace

torch::Tensor maskLowest(const torch::Tensor& scores, int64_t count)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor flat = scores.detach().reshape(-1).to(torch::kFloat32).contiguous();
    torch::Tensor mask = torch::empty({flat.numel()}, torch::kFloat32);
    zeroLowest({{flat.data_ptr<float>(), mask.data_ptr<float>(), flat.numel()}}, std::min(count, flat.numel()));
    return mask.reshape(scores.sizes());
}

MaskSet maskLowestGlobally(const std::vector<NamedScores>& layers, double sparsity)
{
    int64_t total = 0;
    for (const auto& layer : layers)
        total += layer.scores.numel();
    return maskLowestGloballyCount(layers, pruneCount(sparsity, total));
}

MaskSet maskLowestGloballyCount(const std::vector<NamedScores>& layers, int64_t count)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flats, flatMasks;
    std::vector<ScoreChunk> chunks;
    int64_t total = 0;
    for (const auto& layer : layers) {
        flats.push_back(layer.scores.detach().reshape(-1).to(torch::kFloat32).contiguous());
        flatMasks.push_back(torch::empty({flats.back().numel()}, torch::kFloat32));
        chunks.push_back({flats.back().data_ptr<float>(), flatMasks.back().data_ptr<float>(), flats.back().numel()});
        total += flats.back().numel();
    }
    zeroLowest(chunks, std::min(count, total));
    MaskSet masks;
    for (size_t i = 0; i < layers.size(); ++i)
        masks.compose(layers[i].layer, flatMasks[i].reshape(layers[i].scores.sizes()));
    return masks;
}

torch::Tensor nmMask(const std::string& layer, const torch::Tensor& scores, int64_t n, int64_t m)
{
    torch::NoGradGuard noGrad;
    if (m < 2 || n < 1 || n >= m)
        throw std::invalid_argument("N:M pruning needs 1 ≤ N < M, got " + std::to_string(n) + ":" + std::to_string(m));
    const int64_t rows = scores.size(0);
    const int64_t columns = scores.numel() / rows;
    if (columns % m != 0)
        throw std::invalid_argument("layer " + layer + ": " + std::to_string(columns)
                                    + " input elements per output (in × kernel) is not a multiple of M = "
                                    + std::to_string(m) + ", so it cannot be cut into " + std::to_string(n) + ":"
                                    + std::to_string(m) + " groups");
    const torch::Tensor groups = scores.detach().reshape({rows, columns / m, m}).to(torch::kFloat32);
    // Stable: among equal scores the earlier element wins, so every group keeps exactly N.
    const torch::Tensor order = std::get<1>(torch::sort(groups, /*stable=*/true, /*dim=*/2, /*descending=*/true));
    torch::Tensor mask = torch::zeros_like(groups);
    mask.scatter_(2, order.narrow(2, 0, n), 1.0);
    return mask.reshape(scores.sizes());
}

const std::vector<std::array<uint8_t, 9>>& fourEntryPatterns()
{
    // Row-major 3×3: index 4 is the centre; 1, 3, 5, 7 its neighbours.
    static const std::vector<std::array<uint8_t, 9>> patterns = {
        {0, 1, 0, 1, 1, 1, 0, 0, 0}, {0, 1, 0, 1, 1, 0, 0, 1, 0}, {0, 1, 0, 0, 1, 1, 0, 1, 0},
        {0, 0, 0, 1, 1, 1, 0, 1, 0}, {1, 1, 0, 1, 1, 0, 0, 0, 0}, {0, 1, 1, 0, 1, 1, 0, 0, 0},
        {0, 0, 0, 1, 1, 0, 1, 1, 0}, {0, 0, 0, 0, 1, 1, 0, 1, 1},
    };
    return patterns;
}

torch::Tensor kernelPatternMask(const std::string& layer, const torch::Tensor& weight,
                                const std::vector<std::array<uint8_t, 9>>& patterns)
{
    torch::NoGradGuard noGrad;
    if (weight.dim() != 4 || weight.size(2) != 3 || weight.size(3) != 3)
        throw std::invalid_argument("layer " + layer
                                    + ": kernel-pattern pruning needs 3×3 convolution kernels, got shape "
                                    + c10::str(weight.sizes()));
    if (patterns.empty())
        throw std::invalid_argument("kernel-pattern pruning needs at least one pattern");
    std::vector<float> flat;
    for (const auto& pattern : patterns)
        flat.insert(flat.end(), pattern.begin(), pattern.end());
    const torch::Tensor bank = torch::from_blob(flat.data(), {int64_t(patterns.size()), 9}, torch::kFloat32).clone();
    const torch::Tensor kernels = weight.detach().abs().reshape({-1, 9}).to(torch::kFloat32);  // [kernels, 9]
    // Σ|w| inside each pattern, for every kernel; the first best pattern wins ties.
    const torch::Tensor kept = kernels.matmul(bank.t());  // [kernels, patterns]
    const torch::Tensor best = kept.argmax(1);
    return bank.index_select(0, best).reshape(weight.sizes());
}

}  // namespace prunescope
