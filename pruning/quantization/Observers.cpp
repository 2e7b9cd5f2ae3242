#include "quantization/Observers.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace prunescope {

int64_t QuantScheme::quantMin() const
{
    return symmetric ? -((int64_t(1) << (bits - 1)) - 1) : 0;
}

int64_t QuantScheme::quantMax() const
{
    return symmetric ? (int64_t(1) << (bits - 1)) - 1 : (int64_t(1) << bits) - 1;
}

QuantParams quantParamsFor(const Range& range, const QuantScheme& scheme)
{
    if (scheme.bits < 2 || scheme.bits > 8)
        throw std::invalid_argument("quantization: bits must be between 2 and 8, not " + std::to_string(scheme.bits));
    QuantParams params;
    params.quantMin = scheme.quantMin();
    params.quantMax = scheme.quantMax();
    const double low = std::min(range.low, 0.0), high = std::max(range.high, 0.0);
    // An all-zero tensor still needs a positive scale; any will do, zero stays exact.
    constexpr double tiny = 1e-12;
    if (scheme.symmetric) {
        params.scale = std::max(std::max(-low, high) / double(params.quantMax), tiny);
        params.zeroPoint = 0;
    } else {
        params.scale = std::max((high - low) / double(params.quantMax - params.quantMin), tiny);
        params.zeroPoint = std::clamp<int64_t>(params.quantMin - int64_t(std::llround(low / params.scale)),
                                               params.quantMin, params.quantMax);
    }
    return params;
}

torch::Tensor fakeQuantize(const torch::Tensor& values, const QuantParams& params)
{
    return torch::fake_quantize_per_tensor_affine(values, params.scale, params.zeroPoint, params.quantMin,
                                                  params.quantMax);
}

const char* observerName(ObserverKind kind)
{
    switch (kind) {
    case ObserverKind::MinMax:
        return "minmax";
    case ObserverKind::MovingAverage:
        return "moving_average";
    case ObserverKind::Percentile:
        return "percentile";
    case ObserverKind::Mse:
        return "mse";
    }
    return "?";
}

ObserverKind observerFromName(const std::string& name)
{
    for (ObserverKind kind :
         {ObserverKind::MinMax, ObserverKind::MovingAverage, ObserverKind::Percentile, ObserverKind::Mse}) {
        if (name == observerName(kind))
            return kind;
    }
    throw std::invalid_argument("unknown observer '" + name + "' (known: minmax, moving_average, percentile, mse)");
}

namespace {

class MinMaxObserver final : public Observer {
public:
    void observe(const torch::Tensor& values) override
    {
        if (values.numel() == 0)
            return;
        const auto [low, high] = torch::aminmax(values.detach());
        m_range.low = std::min(m_range.low, low.item<double>());
        m_range.high = std::max(m_range.high, high.item<double>());
        m_seen = true;
    }
    Range range() const override { return m_seen ? m_range : Range{}; }

private:
    bool m_seen = false;
    Range m_range{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
};

// Each batch's min and max pull the range by a fixed fraction: one unusual batch moves it little
// (PyTorch's MovingAverageMinMaxObserver; the first batch sets it).
class MovingAverageObserver final : public Observer {
public:
    explicit MovingAverageObserver(double constant) : m_constant(constant) {}
    void observe(const torch::Tensor& values) override
    {
        if (values.numel() == 0)
            return;
        const auto [lowT, highT] = torch::aminmax(values.detach());
        const double low = lowT.item<double>(), high = highT.item<double>();
        if (!m_seen) {
            m_range = {low, high};
            m_seen = true;
            return;
        }
        m_range.low += m_constant * (low - m_range.low);
        m_range.high += m_constant * (high - m_range.high);
    }
    Range range() const override { return m_range; }

private:
    double m_constant;
    bool m_seen = false;
    Range m_range;
};

// Keeps an even sample of the stream (every k-th value of each batch) for the observers that
// need the distribution, not just its ends.
class SampledObserver : public Observer {
public:
    explicit SampledObserver(int64_t limit) : m_limit(std::max<int64_t>(limit, 1)) {}
    void observe(const torch::Tensor& values) override
    {
        if (values.numel() == 0)
            return;
        torch::Tensor flat = values.detach().reshape({-1}).to(torch::kFloat);
        const int64_t perBatch = std::max<int64_t>(m_limit / 16, 1);
        if (flat.numel() > perBatch)
            flat = flat.slice(0, 0, flat.numel(), (flat.numel() + perBatch - 1) / perBatch);
        m_samples.push_back(flat.clone());
        m_count += flat.numel();
        // Past the limit, halve what is kept (every other value): memory stays bounded.
        if (m_count > m_limit) {
            torch::Tensor all = torch::cat(m_samples);
            all = all.slice(0, 0, all.numel(), 2).clone();
            m_samples = {all};
            m_count = all.numel();
        }
    }

protected:
    torch::Tensor samples() const { return m_samples.empty() ? torch::Tensor() : torch::cat(m_samples); }

private:
    int64_t m_limit;
    int64_t m_count = 0;
    std::vector<torch::Tensor> m_samples;
};

// Drops the (100 − p) % most extreme values, split between both tails: a few outliers no
// longer stretch the grid.
class PercentileObserver final : public SampledObserver {
public:
    PercentileObserver(double percentile, int64_t limit) : SampledObserver(limit), m_percentile(percentile) {}
    Range range() const override
    {
        const torch::Tensor values = samples();
        if (!values.defined())
            return {};
        const double tail = (100.0 - m_percentile) / 200.0;
        const torch::Tensor q
            = torch::quantile(values.to(torch::kDouble), torch::tensor({tail, 1.0 - tail}, torch::kDouble));
        return {q[0].item<double>(), q[1].item<double>()};
    }

private:
    double m_percentile;
};

// Tries clipping ranges from narrow to the full one and keeps the one whose quantized values
// are closest to the originals (mean squared error): clipping error traded against rounding error.
class MseObserver final : public SampledObserver {
public:
    MseObserver(int candidates, const QuantScheme& scheme, int64_t limit)
        : SampledObserver(limit), m_candidates(std::max(candidates, 1)), m_scheme(scheme)
    {
    }
    Range range() const override
    {
        const torch::Tensor values = samples();
        if (!values.defined())
            return {};
        const auto [lowT, highT] = torch::aminmax(values);
        const Range full{lowT.item<double>(), highT.item<double>()};
        Range best = full;
        double bestError = std::numeric_limits<double>::infinity();
        for (int i = 1; i <= m_candidates; ++i) {
            const double fraction = double(i) / double(m_candidates);
            const Range candidate{full.low * fraction, full.high * fraction};
            const QuantParams params = quantParamsFor(candidate, m_scheme);
            const double error = (fakeQuantize(values, params) - values).pow(2).mean().item<double>();
            if (error < bestError) {
                bestError = error;
                best = candidate;
            }
        }
        return best;
    }

private:
    int m_candidates;
    QuantScheme m_scheme;
};

}  // namespace

std::unique_ptr<Observer> makeObserver(const ObserverOptions& options, const QuantScheme& scheme)
{
    switch (options.kind) {
    case ObserverKind::MinMax:
        return std::make_unique<MinMaxObserver>();
    case ObserverKind::MovingAverage:
        return std::make_unique<MovingAverageObserver>(options.averagingConstant);
    case ObserverKind::Percentile:
        return std::make_unique<PercentileObserver>(options.percentile, options.sampleLimit);
    case ObserverKind::Mse:
        return std::make_unique<MseObserver>(options.mseCandidates, scheme, options.sampleLimit);
    }
    throw std::logic_error("unknown observer kind");
}

}  // namespace prunescope
