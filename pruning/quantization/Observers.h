#pragma once
// Observers: they watch a tensor (or a stream of activation batches) and pick the real range
// [low, high] that a quantization grid will cover. The range is the whole trade-off of uniform
// quantization: a wide one keeps outliers and wastes levels on them, a narrow one clips them.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace prunescope {

// The integer grid: `bits` levels per value; symmetric grids are centred on zero (zero point 0,
// levels −(2^(b−1)−1) … 2^(b−1)−1, so 2 bits give the ternary −1, 0, 1), affine grids span
// [low, high] with 2^b levels and a zero point that makes 0.0 exact.
struct QuantScheme {
    int bits = 8;
    bool symmetric = true;
    int64_t quantMin() const;
    int64_t quantMax() const;
};

// Scale and zero point of one grid, real = (q − zeroPoint) · scale.
struct QuantParams {
    double scale = 1;
    int64_t zeroPoint = 0;
    int64_t quantMin = 0, quantMax = 0;
    // The real values the grid represents exactly at its ends: what the STE lets gradients through.
    double lowest() const { return double(quantMin - zeroPoint) * scale; }
    double highest() const { return double(quantMax - zeroPoint) * scale; }
};

struct Range {
    double low = 0, high = 0;
};

// The grid that covers `range` under `scheme` (the range is widened to include 0, as every
// quantized tensor must represent an exact zero: padding, pruned weights, ReLU outputs).
QuantParams quantParamsFor(const Range& range, const QuantScheme& scheme);

// Simulated quantization: round to the grid and back (torch::fake_quantize_per_tensor_affine;
// its gradient is the straight-through estimator: 1 inside the grid's range, 0 outside).
torch::Tensor fakeQuantize(const torch::Tensor& values, const QuantParams& params);

enum class ObserverKind { MinMax, MovingAverage, Percentile, Mse };
const char* observerName(ObserverKind kind);  // "minmax", "moving_average", "percentile", "mse"
// Throws std::invalid_argument listing the known names.
ObserverKind observerFromName(const std::string& name);

struct ObserverOptions {
    ObserverKind kind = ObserverKind::MinMax;
    double averagingConstant = 0.01;  // moving average: weight of each new batch's min and max
    double percentile = 99.99;  // percentile: the share of values the range keeps (both tails)
    int mseCandidates = 100;  // MSE: clipping ranges tried, from 1/N of the full range to all of it
    // Values kept from a stream for the percentile and MSE observers (taken evenly from each batch).
    int64_t sampleLimit = 1 << 20;
};

class Observer {
public:
    virtual ~Observer() = default;
    virtual void observe(const torch::Tensor& values) = 0;
    // The range to quantize over; {0, 0} before anything was observed.
    virtual Range range() const = 0;
};

// `scheme` is the grid the range is for: the MSE observer measures the error on that grid.
std::unique_ptr<Observer> makeObserver(const ObserverOptions& options, const QuantScheme& scheme);

}  // namespace prunescope
