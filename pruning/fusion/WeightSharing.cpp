#include "fusion/WeightSharing.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace prunescope {
namespace {

std::vector<float> sortedUnique(std::vector<float> values)
{
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

// Each value's nearest centroid; `centroids` ascending. A value exactly between two goes to the lower.
std::vector<uint32_t> assign(const std::vector<float>& values, const std::vector<float>& centroids)
{
    std::vector<float> midpoints;
    for (size_t i = 0; i + 1 < centroids.size(); ++i)
        midpoints.push_back(float((double(centroids[i]) + double(centroids[i + 1])) / 2));
    std::vector<uint32_t> assignment(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        assignment[i] = uint32_t(std::lower_bound(midpoints.begin(), midpoints.end(), values[i]) - midpoints.begin());
    return assignment;
}

}  // namespace

CentroidInit centroidInitFromName(const std::string& name)
{
    if (name == "linear")
        return CentroidInit::Linear;
    if (name == "density")
        return CentroidInit::Density;
    if (name == "random")
        return CentroidInit::Random;
    throw std::invalid_argument("centroid initialisation '" + name + "' is not one of linear, density, random");
}

const char* centroidInitName(CentroidInit init)
{
    switch (init) {
    case CentroidInit::Linear:
        return "linear";
    case CentroidInit::Density:
        return "density";
    case CentroidInit::Random:
        return "random";
    }
    return "?";
}

std::vector<float> initialCentroids(const std::vector<float>& values, int k, CentroidInit init, uint64_t seed)
{
    if (values.empty() || k <= 0)
        return {};
    std::vector<float> centroids;
    switch (init) {
    case CentroidInit::Linear: {
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        if (k == 1 || *low == *high)
            return {*low};
        for (int i = 0; i < k; ++i)
            centroids.push_back(float(double(*low) + (double(*high) - double(*low)) * i / (k - 1)));
        break;
    }
    case CentroidInit::Density: {
        // Evenly spaced on the CDF's axis, read back on the weights' axis: the centroid of the
        // i-th of k equal shares of the weights is its middle element.
        std::vector<float> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        const size_t n = sorted.size();
        for (int i = 0; i < k; ++i) {
            const size_t index = std::min(n - 1, size_t((double(i) + 0.5) / k * double(n)));
            centroids.push_back(sorted[index]);
        }
        break;
    }
    case CentroidInit::Random: {
        // Distinct weights drawn without replacement. The engine's output is fixed by the
        // standard; the draw avoids std::uniform_int_distribution, whose algorithm is not.
        std::vector<float> distinct = sortedUnique(values);
        std::mt19937_64 engine(seed);
        const size_t take = std::min(distinct.size(), size_t(k));
        for (size_t i = 0; i < take; ++i) {
            const size_t j = i + size_t(engine() % (distinct.size() - i));
            std::swap(distinct[i], distinct[j]);
        }
        centroids.assign(distinct.begin(), distinct.begin() + std::ptrdiff_t(take));
        break;
    }
    }
    // Equal starting centroids would leave all but one cluster empty for good.
    return sortedUnique(centroids);
}

KMeansResult kMeans1d(const std::vector<float>& values, const std::vector<float>& initial, int iterations)
{
    KMeansResult result;
    result.centroids = initial;
    std::sort(result.centroids.begin(), result.centroids.end());
    if (result.centroids.empty()) {
        if (!values.empty())
            throw std::invalid_argument("k-means needs at least one centroid for " + std::to_string(values.size())
                                        + " values");
        return result;
    }
    result.assignment = assign(values, result.centroids);
    const size_t k = result.centroids.size();
    for (int iteration = 1; iteration <= iterations; ++iteration) {
        std::vector<double> sums(k, 0.0);
        std::vector<int64_t> counts(k, 0);
        for (size_t i = 0; i < values.size(); ++i) {
            sums[result.assignment[i]] += values[i];
            ++counts[result.assignment[i]];
        }
        for (size_t c = 0; c < k; ++c) {
            if (counts[c] > 0)
                result.centroids[c] = float(sums[c] / double(counts[c]));
        }
        // An empty cluster kept its centroid, which may now sit out of order.
        std::sort(result.centroids.begin(), result.centroids.end());
        std::vector<uint32_t> next = assign(values, result.centroids);
        result.iterations = iteration;
        const bool settled = next == result.assignment;
        result.assignment = std::move(next);
        if (settled)
            break;
    }
    return result;
}

int64_t SharedLayer::numel() const
{
    int64_t n = 1;
    for (const int64_t d : shape)
        n *= d;
    return n;
}

torch::Tensor SharedLayer::weights() const
{
    torch::Tensor flat = torch::zeros({numel()}, torch::kFloat32);
    float* data = flat.data_ptr<float>();
    for (size_t i = 0; i < positions.size(); ++i)
        data[positions[i]] = centroids.at(clusters[i]);
    return flat.view(shape);
}

SharedLayer shareWeights(const std::string& name, const torch::Tensor& weight, const torch::Tensor& mask,
                         const WeightSharingOptions& options)
{
    if (options.bits < 1 || options.bits > 16)
        throw std::invalid_argument("weight sharing of " + name + ": " + std::to_string(options.bits)
                                    + " bits per weight, expected 1 to 16");
    torch::NoGradGuard noGrad;
    const torch::Tensor flat = weight.detach().to(torch::kFloat32).contiguous().view(-1);
    const torch::Tensor kept
        = mask.defined() ? mask.detach().contiguous().view(-1).gt(0.5) : torch::ones({flat.numel()}, torch::kBool);
    SharedLayer layer;
    layer.name = name;
    layer.shape = weight.sizes().vec();
    layer.bits = options.bits;
    const float* data = flat.data_ptr<float>();
    const bool* keep = kept.data_ptr<bool>();
    std::vector<float> values;
    for (int64_t i = 0; i < flat.numel(); ++i) {
        if (keep[i]) {
            layer.positions.push_back(i);
            values.push_back(data[i]);
        }
    }
    const std::vector<float> initial = initialCentroids(values, 1 << options.bits, options.init, options.seed);
    KMeansResult clustered = kMeans1d(values, initial, options.iterations);
    layer.centroids = std::move(clustered.centroids);
    layer.clusters = std::move(clustered.assignment);
    return layer;
}

void shareGradients(torch::Tensor& grad, const torch::Tensor& assignment, int64_t clusters)
{
    torch::NoGradGuard noGrad;
    const torch::Tensor index = assignment.reshape(-1);
    torch::Tensor sums = torch::zeros({clusters + 1}, grad.options());
    sums.index_add_(0, index, grad.reshape(-1));
    sums[clusters] = 0;  // pruned elements: no gradient
    grad.copy_(sums.index_select(0, index).view_as(grad));
}

torch::Tensor clusterAssignment(const SharedLayer& layer)
{
    torch::Tensor assignment = torch::full({layer.numel()}, int64_t(layer.centroids.size()), torch::kInt64);
    int64_t* data = assignment.data_ptr<int64_t>();
    for (size_t i = 0; i < layer.positions.size(); ++i)
        data[layer.positions[i]] = int64_t(layer.clusters[i]);
    return assignment.view(layer.shape);
}

void snapToCentroids(torch::Tensor& weight, const torch::Tensor& assignment, SharedLayer& layer)
{
    torch::NoGradGuard noGrad;
    const int64_t k = int64_t(layer.centroids.size());
    const torch::Tensor index = assignment.reshape(-1);
    const torch::Tensor values = weight.detach().reshape(-1).to(torch::kFloat64);
    const torch::Tensor sums = torch::zeros({k + 1}, torch::kFloat64).index_add_(0, index, values);
    const torch::Tensor counts = torch::bincount(index, {}, k + 1);
    const double* sum = sums.data_ptr<double>();
    const int64_t* count = counts.data_ptr<int64_t>();
    for (int64_t c = 0; c < k; ++c) {
        if (count[c] > 0)
            layer.centroids[size_t(c)] = float(sum[c] / double(count[c]));
    }
    std::vector<float> table = layer.centroids;
    table.push_back(0.0f);  // pruned elements
    const torch::Tensor lookup = torch::tensor(table, torch::kFloat32);
    weight.copy_(lookup.index_select(0, index).view_as(weight));
}

CentroidFineTuning::CentroidFineTuning(ModelBase& model, const MaskSet& masks, const std::vector<LayerSharing>& sharing,
                                       const WeightSharingOptions& options)
{
    torch::NoGradGuard noGrad;
    uint64_t layerSeed = options.seed;
    for (const LayerSharing& entry : sharing) {
        const std::string& name = entry.name;
        const auto& layers = model.prunableLayers();
        const auto it = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l.name == name; });
        if (it == layers.end())
            throw std::invalid_argument("weight sharing: the model has no prunable layer '" + name + "'");
        WeightSharingOptions layerOptions = options;
        layerOptions.bits = entry.bits;
        layerOptions.seed = layerSeed++;  // each layer its own draw
        const torch::Tensor mask = masks.contains(name) ? masks.mask(name) : torch::Tensor();
        SharedLayer shared = shareWeights(name, it->weight, mask, layerOptions);
        torch::Tensor weight = it->weight;
        weight.copy_(shared.weights().to(weight.dtype()));
        m_entries.push_back({weight, clusterAssignment(shared)});
        m_indexBits.push_back(entry.indexBits);
        m_layers.push_back(std::move(shared));
    }
}

void CentroidFineTuning::afterBackward(TrainingStep&)
{
    for (size_t i = 0; i < m_entries.size(); ++i) {
        torch::Tensor grad = m_entries[i].weight.grad();
        if (grad.defined())
            shareGradients(grad, m_entries[i].assignment, int64_t(m_layers[i].centroids.size()));
    }
}

void CentroidFineTuning::afterStep(TrainingStep&)
{
    for (size_t i = 0; i < m_entries.size(); ++i)
        snapToCentroids(m_entries[i].weight, m_entries[i].assignment, m_layers[i]);
}

}  // namespace prunescope
