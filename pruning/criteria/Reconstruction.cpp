#include "criteria/Reconstruction.h"

#include "criteria/Magnitude.h"

namespace prunescope {

torch::Tensor inputMatrix(const PrunableLayer& layer, const torch::Tensor& input)
{
    if (layer.kind == LayerKind::Linear)
        return input.reshape({-1, input.size(-1)});
    // [N, C, H, W] → [N, C·k·k, L] → [N·L, C·k·k]: one row per output position.
    const torch::Tensor columns
        = torch::nn::functional::unfold(input,
                                        torch::nn::functional::UnfoldFuncOptions({layer.kernel, layer.kernel})
                                            .stride(layer.stride)
                                            .padding(layer.padding));
    return columns.transpose(1, 2).reshape({-1, columns.size(1)});
}

torch::Tensor wandaMask(const torch::Tensor& weight2d, const torch::Tensor& inputs, double sparsity)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor norms = inputs.to(torch::kFloat64).pow(2).sum(0).sqrt().to(torch::kFloat32);
    const torch::Tensor scores = weight2d.detach().abs() * norms.unsqueeze(0);
    const int64_t prune = pruneCount(sparsity, weight2d.size(1));
    torch::Tensor mask = torch::ones_like(scores);
    if (prune == 0)
        return mask;
    const torch::Tensor order = std::get<1>(torch::sort(scores, /*stable=*/true, /*dim=*/1, /*descending=*/false));
    mask.scatter_(1, order.narrow(1, 0, prune), 0.0);
    return mask;
}

torch::Tensor reconstructWeights(const torch::Tensor& weight2d, const torch::Tensor& mask2d,
                                 const torch::Tensor& inputs, double damping)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor x = inputs.to(torch::kFloat64);
    const torch::Tensor hessian = x.t().matmul(x);  // XᵀX, shared by every row
    const double lambda = damping * hessian.diagonal().mean().item<double>() + 1e-10;
    const torch::Tensor w = weight2d.detach().to(torch::kFloat64);
    torch::Tensor result = torch::zeros_like(w);
    for (int64_t row = 0; row < w.size(0); ++row) {
        const torch::Tensor kept = mask2d[row].nonzero().squeeze(1);
        if (kept.numel() == 0)
            continue;
        // Normal equations restricted to the kept columns: (H_SS + λI) w_S = H_S: w.
        const torch::Tensor hSS = hessian.index_select(0, kept).index_select(1, kept);
        const torch::Tensor rhs = hessian.index_select(0, kept).matmul(w[row]);
        const torch::Tensor system = hSS + lambda * torch::eye(kept.numel(), hSS.options());
        const torch::Tensor solution = at::linalg_solve(system, rhs.unsqueeze(1)).squeeze(1);
        result[row].index_copy_(0, kept, solution);
    }
    return result.to(weight2d.scalar_type());
}

}  // namespace prunescope
