#include "masks/MaskSet.h"

#include <stdexcept>

namespace prunescope {

void MaskSet::compose(const std::string& layer, const torch::Tensor& mask)
{
    torch::NoGradGuard noGrad;
    torch::Tensor binary = (mask != 0).to(torch::kFloat32);
    auto it = m_masks.find(layer);
    if (it == m_masks.end()) {
        m_masks.emplace(layer, binary);
        return;
    }
    if (!it->second.sizes().equals(binary.sizes()))
        throw std::invalid_argument("mask for layer '" + layer + "' has shape " + c10::str(binary.sizes())
                                    + ", the existing mask has " + c10::str(it->second.sizes()));
    it->second = it->second * binary;
}

void MaskSet::set(const std::string& layer, const torch::Tensor& mask)
{
    torch::NoGradGuard noGrad;
    m_masks[layer] = (mask != 0).to(torch::kFloat32);
}

const torch::Tensor& MaskSet::mask(const std::string& layer) const
{
    auto it = m_masks.find(layer);
    if (it == m_masks.end())
        throw std::out_of_range("no mask for layer '" + layer + "'");
    return it->second;
}

void MaskSet::applyToWeights(const ModelBase& model) const
{
    torch::NoGradGuard noGrad;
    for (const auto& layer : model.prunableLayers()) {
        auto it = m_masks.find(layer.name);
        if (it != m_masks.end())
            layer.weight.mul_(it->second);
    }
}

void MaskSet::applyToGradients(const ModelBase& model) const
{
    torch::NoGradGuard noGrad;
    for (const auto& layer : model.prunableLayers()) {
        auto it = m_masks.find(layer.name);
        if (it != m_masks.end() && layer.weight.grad().defined())
            layer.weight.mutable_grad().mul_(it->second);
    }
}

int64_t MaskSet::kept(const std::string& layer) const
{
    return mask(layer).sum().item<double>();
}

MaskSnapshot MaskSet::snapshot(const std::string& layer) const
{
    return packMask(layer, mask(layer));
}

MaskSnapshot packMask(const std::string& layer, const torch::Tensor& mask)
{
    MaskSnapshot snapshot;
    snapshot.layer = layer;
    snapshot.shape = mask.sizes().vec();
    const torch::Tensor flat = (mask.reshape(-1) != 0).to(torch::kUInt8).contiguous();
    const int64_t n = flat.numel();
    const uint8_t* values = flat.data_ptr<uint8_t>();
    snapshot.bits.assign(size_t((n + 7) / 8), 0);
    for (int64_t i = 0; i < n; ++i)
        snapshot.bits[size_t(i >> 3)] |= uint8_t(values[i] << (i & 7));
    return snapshot;
}

torch::Tensor unpackMask(const MaskSnapshot& snapshot)
{
    const int64_t n = snapshot.numel();
    if (int64_t(snapshot.bits.size()) != (n + 7) / 8)
        throw std::invalid_argument("mask of layer '" + snapshot.layer + "' has " + std::to_string(snapshot.bits.size())
                                    + " bytes, expected " + std::to_string((n + 7) / 8));
    torch::Tensor flat = torch::empty({n}, torch::kFloat32);
    float* values = flat.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
        values[i] = snapshot.kept(i) ? 1.0f : 0.0f;
    return flat.reshape(snapshot.shape);
}

}  // namespace prunescope
