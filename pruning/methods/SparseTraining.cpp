#include "methods/SparseTraining.h"

#include "criteria/Magnitude.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace prunescope {

double agpSparsity(double initialSparsity, double finalSparsity, int64_t step, int64_t start, int64_t end,
                   int64_t frequency)
{
    if (step < start)
        return 0.0;
    if (step >= end || end <= start)
        return finalSparsity;
    const int64_t lastUpdate
        = start + (step - start) / std::max<int64_t>(frequency, 1) * std::max<int64_t>(frequency, 1);
    const double progress = double(lastUpdate - start) / double(end - start);
    return finalSparsity + (initialSparsity - finalSparsity) * std::pow(1.0 - progress, 3);
}

std::map<std::string, double> sparseLayerDensities(const std::vector<PrunableLayer>& layers, double sparsity,
                                                   const std::string& distribution)
{
    std::map<std::string, double> densities;
    if (distribution == "uniform") {
        for (const auto& layer : layers)
            densities[layer.name] = 1.0 - sparsity;
        return densities;
    }
    if (distribution != "erk")
        throw std::invalid_argument("distribution: '" + distribution + "' is not one of erk, uniform");
    double total = 0;
    std::map<std::string, double> raw;
    for (const auto& layer : layers) {
        double sum = 0;
        for (const int64_t size : layer.shape())
            sum += double(size);
        raw[layer.name] = sum / double(layer.weight.numel());
        total += double(layer.weight.numel());
    }
    // Layers whose ERK density would exceed 1 are kept dense and the budget is spread over the
    // rest again, until every density fits.
    std::map<std::string, bool> dense;
    for (;;) {
        double budget = (1.0 - sparsity) * total, weighted = 0;
        for (const auto& layer : layers) {
            if (dense[layer.name])
                budget -= double(layer.weight.numel());
            else
                weighted += raw[layer.name] * double(layer.weight.numel());
        }
        const double scale = weighted > 0 ? budget / weighted : 0.0;
        bool changed = false;
        for (const auto& layer : layers) {
            if (!dense[layer.name] && scale * raw[layer.name] > 1.0) {
                dense[layer.name] = true;
                changed = true;
            }
        }
        if (changed)
            continue;
        for (const auto& layer : layers)
            densities[layer.name] = dense[layer.name] ? 1.0 : std::max(0.0, scale * raw[layer.name]);
        return densities;
    }
}

double cosineUpdateFraction(double alpha, int64_t step, int64_t end)
{
    if (step >= end || end <= 0)
        return 0.0;
    return alpha / 2.0 * (1.0 + std::cos(std::numbers::pi * double(step) / double(end)));
}

namespace {

// The sparsity schedule shared by GMP and movement pruning, in fractions of the phase.
struct GradualSchedule {
    double initial = 0, final = 0.9;
    double startFraction = 0.1, endFraction = 0.7;
    int64_t frequency = 50;
    int64_t start = 0, end = 0;  // in optimizer steps, fixed when training begins

    static GradualSchedule of(const GradualPruningOptions& options)
    {
        GradualSchedule s;
        s.final = options.sparsity;
        s.initial = options.initialSparsity;
        s.startFraction = options.start;
        s.endFraction = options.end;
        s.frequency = options.frequency;
        return s;
    }
    void begin(const TrainingStep& state)
    {
        start = std::llround(startFraction * double(state.totalSteps));
        end = std::max(start + 1, int64_t(std::llround(endFraction * double(state.totalSteps))));
    }
    double at(int64_t step) const { return agpSparsity(initial, final, step, start, end, frequency); }
};

// Masks keeping the highest scores: per layer at `sparsity`, or one global ranking.
MaskSet lowestMasked(const std::vector<PrunableLayer>& layers, const std::vector<torch::Tensor>& scores,
                     double sparsity, bool global)
{
    if (global) {
        std::vector<NamedScores> named;
        for (size_t i = 0; i < layers.size(); ++i)
            named.push_back({layers[i].name, scores[i]});
        return maskLowestGlobally(named, sparsity);
    }
    MaskSet masks;
    for (size_t i = 0; i < layers.size(); ++i)
        masks.set(layers[i].name, maskLowest(scores[i], pruneCount(sparsity, scores[i].numel())));
    return masks;
}

class GradualMagnitudeController : public TrainingController {
public:
    GradualMagnitudeController(std::vector<PrunableLayer> layers, GradualSchedule schedule, bool global)
        : m_layers(std::move(layers)), m_schedule(schedule), m_global(global)
    {
    }
    void begin(TrainingStep& state) override { m_schedule.begin(state); }
    void afterStep(TrainingStep& state) override
    {
        const double target = m_schedule.at(state.step + 1);
        if (target == m_current)
            return;
        torch::NoGradGuard noGrad;
        // Pruned weights are exactly zero, so they rank first and stay pruned as the target rises.
        std::vector<torch::Tensor> scores;
        for (const auto& layer : m_layers)
            scores.push_back(magnitudeScores(layer.weight));
        const MaskSet next = lowestMasked(m_layers, scores, target, m_global);
        for (const auto& [name, mask] : next.masks())
            state.masks.set(name, mask);
        m_current = target;
    }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        metrics.extra["target_sparsity"] = m_current;
        return true;
    }

private:
    std::vector<PrunableLayer> m_layers;
    GradualSchedule m_schedule;
    bool m_global;
    double m_current = 0;
};

class DynamicSparseController : public TrainingController {
public:
    DynamicSparseController(std::vector<PrunableLayer> layers, std::map<std::string, double> densities,
                            DynamicSparseTrainer::Growth growth, double alpha, int64_t interval, double endFraction,
                            uint64_t seed)
        : m_layers(std::move(layers)), m_densities(std::move(densities)), m_growth(growth), m_alpha(alpha),
          m_interval(interval), m_endFraction(endFraction), m_random(seededGenerator(seed ^ 0x5e7a11ull))
    {
    }

    void begin(TrainingStep& state) override
    {
        // A random sparse network at the target density per layer, from the first step.
        torch::NoGradGuard noGrad;
        for (const auto& layer : m_layers) {
            const int64_t n = layer.weight.numel();
            const int64_t keep = std::llround(m_densities.at(layer.name) * double(n));
            torch::Tensor mask = torch::zeros({n});
            mask.index_fill_(0, torch::randperm(n, m_random, torch::kInt64).narrow(0, 0, keep), 1.0);
            state.masks.set(layer.name, mask.reshape(layer.weight.sizes()));
        }
        // SET updates at the end of every epoch but the last; RigL every `interval` steps until
        // `end` of the phase, so the last stretch trains a fixed mask.
        m_end = m_growth == DynamicSparseTrainer::Growth::Random
            ? state.totalSteps - state.stepsPerEpoch + 1
            : int64_t(std::llround(m_endFraction * double(state.totalSteps)));
        if (m_growth == DynamicSparseTrainer::Growth::Random)
            m_interval = state.stepsPerEpoch;
    }

    void afterBackward(TrainingStep& state) override
    {
        if (m_growth != DynamicSparseTrainer::Growth::Gradient || !isUpdate(state.step + 1))
            return;
        // RigL grows where the dense gradient is largest: read it before the trainer masks it.
        m_gradients.clear();
        for (const auto& layer : m_layers)
            m_gradients[layer.name]
                = layer.weight.grad().defined() ? layer.weight.grad().abs().clone() : torch::zeros_like(layer.weight);
    }

    void afterStep(TrainingStep& state) override
    {
        const int64_t step = state.step + 1;
        if (!isUpdate(step))
            return;
        const double fraction
            = m_growth == DynamicSparseTrainer::Growth::Random ? m_alpha : cosineUpdateFraction(m_alpha, step, m_end);
        torch::NoGradGuard noGrad;
        int64_t moved = 0;
        for (const auto& layer : m_layers)
            moved += update(layer, fraction, state.masks);
        m_moved += moved;
    }

    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        metrics.extra["connections_moved"] = double(m_moved);
        m_moved = 0;
        return true;
    }

private:
    bool isUpdate(int64_t step) const { return step % m_interval == 0 && step < m_end; }

    // Drops `fraction` of the layer's active weights (smallest |w|) and grows as many new ones
    // (SET: at random among the inactive; RigL: largest dense gradient among all not kept), at
    // zero. Returns the number moved.
    int64_t update(const PrunableLayer& layer, double fraction, MaskSet& masks)
    {
        const torch::Tensor old = masks.mask(layer.name).reshape(-1);
        const int64_t active = old.sum().item<int64_t>(), n = old.numel();
        const torch::Tensor weight = layer.weight.reshape(-1);
        const torch::Tensor candidatesBefore = old == 0;
        const int64_t available = m_growth == DynamicSparseTrainer::Growth::Random
            ? candidatesBefore.sum().item<int64_t>()
            : n - active + std::llround(fraction * double(active));
        const int64_t count = std::min<int64_t>(std::llround(fraction * double(active)), available);
        if (count <= 0 || active == n)
            return 0;
        const double inf = std::numeric_limits<double>::infinity();
        // Drop: the `count` active weights of smallest magnitude.
        const torch::Tensor dropScores = torch::where(old > 0, weight.abs(), torch::full_like(weight, inf));
        const torch::Tensor dropped = std::get<1>(dropScores.topk(count, 0, /*largest=*/false, /*sorted=*/true));
        torch::Tensor next = old.clone();
        next.index_fill_(0, dropped, 0.0);
        // Grow: the `count` best candidates.
        const torch::Tensor candidates
            = m_growth == DynamicSparseTrainer::Growth::Random ? candidatesBefore : next == 0;
        const torch::Tensor growScores = m_growth == DynamicSparseTrainer::Growth::Random
            ? torch::rand({n}, m_random)
            : m_gradients.at(layer.name).reshape(-1).to(torch::kFloat64);
        const torch::Tensor ranked
            = torch::where(candidates, growScores.to(torch::kFloat64), torch::full({n}, -inf, torch::kFloat64));
        const torch::Tensor grown = std::get<1>(ranked.topk(count, 0, /*largest=*/true, /*sorted=*/true));
        next.index_fill_(0, grown, 1.0);
        // New connections start at zero (a just-dropped weight regrown by RigL included).
        layer.weight.reshape(-1).index_fill_(0, grown, 0.0);
        masks.set(layer.name, next.reshape(layer.weight.sizes()));
        return count;
    }

    std::vector<PrunableLayer> m_layers;
    std::map<std::string, double> m_densities;
    DynamicSparseTrainer::Growth m_growth;
    double m_alpha;
    int64_t m_interval;
    double m_endFraction;
    torch::Generator m_random;
    int64_t m_end = 0;
    int64_t m_moved = 0;
    std::map<std::string, torch::Tensor> m_gradients;
};

// Movement pruning keeps two tensors per layer: the dense weights W, which the optimizer trains,
// and scores S, which accumulate −lr·g·W (a weight moving away from zero gains). The forward pass
// sees W ⊙ TopK(S); the straight-through estimator passes the gradient to S as if TopK were the
// identity. The parameter holds W ⊙ M between steps, so validation sees the pruned network,
// and holds W during the optimizer step.
class MovementController : public TrainingController {
public:
    MovementController(std::vector<PrunableLayer> layers, GradualSchedule schedule, bool global)
        : m_layers(std::move(layers)), m_schedule(schedule), m_global(global)
    {
    }
    void begin(TrainingStep& state) override
    {
        m_schedule.begin(state);
        for (const auto& layer : m_layers) {
            m_dense.push_back(layer.weight.detach().clone());
            m_scores.push_back(torch::zeros_like(layer.weight));
        }
    }
    void afterBackward(TrainingStep& state) override
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < m_layers.size(); ++i) {
            const torch::Tensor& weight = m_layers[i].weight;
            if (weight.grad().defined())
                m_scores[i].sub_(weight.grad() * m_dense[i], state.learningRate);
            weight.copy_(m_dense[i]);
        }
    }
    void afterStep(TrainingStep& state) override
    {
        torch::NoGradGuard noGrad;
        for (size_t i = 0; i < m_layers.size(); ++i)
            m_dense[i].copy_(m_layers[i].weight);
        m_current = m_schedule.at(state.step + 1);
        if (m_current <= 0)
            return;
        const MaskSet next = lowestMasked(m_layers, m_scores, m_current, m_global);
        for (size_t i = 0; i < m_layers.size(); ++i) {
            const torch::Tensor& mask = next.mask(m_layers[i].name);
            state.masks.set(m_layers[i].name, mask);
            m_layers[i].weight.copy_(m_dense[i] * mask);
        }
    }
    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        metrics.extra["target_sparsity"] = m_current;
        return true;
    }

private:
    std::vector<PrunableLayer> m_layers;
    GradualSchedule m_schedule;
    bool m_global;
    std::vector<torch::Tensor> m_dense, m_scores;
    double m_current = 0;
};

}  // namespace

GradualPruningOptions GradualPruningOptions::from(const ParamMap& params)
{
    GradualPruningOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.initialSparsity = doubleParam(params, "initial_sparsity");
    options.start = doubleParam(params, "start");
    options.end = doubleParam(params, "end");
    options.frequency = intParam(params, "frequency");
    if (options.end <= options.start)
        throw std::invalid_argument("parameter 'end' (" + std::to_string(options.end) + ") must be after 'start' ("
                                    + std::to_string(options.start) + ")");
    if (options.initialSparsity > options.sparsity)
        throw std::invalid_argument("parameter 'initial_sparsity' must not exceed 'sparsity'");
    options.globalScope = stringParam(params, "scope") == "global";
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

DynamicSparseOptions DynamicSparseOptions::from(const ParamMap& params, SparseGrowth growth)
{
    DynamicSparseOptions options;
    options.sparsity = doubleParam(params, "sparsity");
    options.distribution = stringParam(params, "distribution");
    if (growth == SparseGrowth::Gradient) {
        options.updateFraction = doubleParam(params, "drop_fraction");
        options.updateInterval = intParam(params, "update_interval");
        options.end = doubleParam(params, "end");
    } else {
        options.updateFraction = doubleParam(params, "zeta");
    }
    options.includeClassifier = boolParam(params, "include_classifier");
    return options;
}

void GradualMagnitudePruner::checkApplicable(const ModelBase&, const ParamMap& params) const
{
    GradualPruningOptions::from(params);
}

void MovementPruner::checkApplicable(const ModelBase&, const ParamMap& params) const
{
    GradualPruningOptions::from(params);
}

std::unique_ptr<TrainingController> GradualMagnitudePruner::trainingController(const PruningContext& context)
{
    const GradualPruningOptions options = GradualPruningOptions::from(context.params);
    return std::make_unique<GradualMagnitudeController>(layersToPrune(context.model, options.includeClassifier),
                                                        GradualSchedule::of(options), options.globalScope);
}

std::unique_ptr<TrainingController> DynamicSparseTrainer::trainingController(const PruningContext& context)
{
    const DynamicSparseOptions options = DynamicSparseOptions::from(context.params, m_growth);
    const auto layers = layersToPrune(context.model, options.includeClassifier);
    auto densities = sparseLayerDensities(layers, options.sparsity, options.distribution);
    if (context.log) {
        std::string text;
        for (const auto& layer : layers)
            text += (text.empty() ? "" : ", ") + layer.name + " "
                + std::to_string(int(std::lround(densities[layer.name] * 100))) + " %";
        context.log->push_back("layer densities: " + text);
    }
    return std::make_unique<DynamicSparseController>(layers, std::move(densities), m_growth, options.updateFraction,
                                                     options.updateInterval, options.end, context.seed);
}

std::unique_ptr<TrainingController> MovementPruner::trainingController(const PruningContext& context)
{
    const GradualPruningOptions options = GradualPruningOptions::from(context.params);
    return std::make_unique<MovementController>(layersToPrune(context.model, options.includeClassifier),
                                                GradualSchedule::of(options), options.globalScope);
}

}  // namespace prunescope
