#include "criteria/Magnitude.h"

#include <cmath>
#include <stdexcept>

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

torch::Tensor maskLowest(const torch::Tensor& scores, int64_t count)
{
    torch::NoGradGuard noGrad;
    torch::Tensor flat = scores.detach().reshape(-1).to(torch::kFloat32);
    torch::Tensor mask = torch::ones_like(flat);
    if (count <= 0)
        return mask.reshape(scores.sizes());  // k = 0: keep everything, no sort needed
    // A stable sort makes ties fall by position, so exactly `count` elements go.
    auto sorted = torch::sort(flat, /*stable=*/true, /*dim=*/0, /*descending=*/false);
    const torch::Tensor order = std::get<1>(sorted);
    mask.index_fill_(0, order.narrow(0, 0, std::min(count, flat.numel())), 0.0);
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
    std::vector<torch::Tensor> flats;
    for (const auto& layer : layers)
        flats.push_back(layer.scores.detach().reshape(-1).to(torch::kFloat32));
    MaskSet masks;
    if (flats.empty())
        return masks;
    const torch::Tensor all = torch::cat(flats);
    const torch::Tensor flatMask = maskLowest(all, count);
    int64_t offset = 0;
    for (const auto& layer : layers) {
        const int64_t n = layer.scores.numel();
        masks.compose(layer.layer, flatMask.narrow(0, offset, n).reshape(layer.scores.sizes()));
        offset += n;
    }
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
