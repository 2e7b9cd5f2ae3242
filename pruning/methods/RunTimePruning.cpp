#include "methods/RunTimePruning.h"

#include "core/TextFormat.h"

#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

namespace prunescope {
namespace {

class FeatureBoostingGate : public RunTimeGate {
public:
    FeatureBoostingGate(ModelBase& model, double density, double lambda, std::vector<double> densities)
        : m_model(model), m_density(density), m_lambda(lambda), m_densities(std::move(densities))
    {
        for (const auto& layer : model.prunableLayers()) {
            m_macs[layer.name] = layer.macsPerSample;
            m_channels[layer.name] = layer.weight.size(0);
        }
        for (const auto& link : model.links())
            m_producer[link.to] = link.from;
        for (const auto& name : model.gateableLayers()) {
            const auto* layer = find(name);
            const int64_t out = layer->weight.size(0), in = layer->weight.size(1);
            // W = 0, b = 1: every saliency is 1, so before training the gated network at
            // density 1 computes exactly the plain one.
            Predictor p{torch::zeros({out, in}).requires_grad_(true), torch::ones({out}).requires_grad_(true)};
            m_predictors.emplace(name, p);
            m_predictorMacs += double(out * in);
        }
        m_model.setOutputGate([this](const std::string& layer, const torch::Tensor& input,
                                     const torch::Tensor& output) { return gateOutput(layer, input, output); });
    }
    ~FeatureBoostingGate() override { m_model.setOutputGate({}); }

    void setDensity(double density) override { m_density = density; }
    std::vector<double> evaluationDensities() const override { return m_densities; }
    double targetDensity() const override { return m_density; }

    std::vector<double> lastExecutedMacs() const override
    {
        // Per prunable layer: its MACs × the fraction of its output channels computed × the
        // fraction of its input channels its (gated) producer computed.
        torch::Tensor total;
        for (const auto& [layer, macs] : m_macs) {
            torch::Tensor fraction = fractionOf(layer);
            if (const auto it = m_producer.find(layer); it != m_producer.end())
                fraction = fraction * fractionOf(it->second);
            total = total.defined() ? total + macs * fraction : macs * fraction;
        }
        if (!total.defined() || total.dim() == 0)
            return {};
        total = (total + m_predictorMacs).to(torch::kFloat64).contiguous();
        return {total.data_ptr<double>(), total.data_ptr<double>() + total.numel()};
    }

    torch::Tensor penalty(TrainingStep&) override
    {
        // λ · mean saliency (the saliencies are ≥ 0, so this is their L1 norm): fewer, stronger channels.
        if (m_saliencies.empty() || m_lambda <= 0)
            return {};
        torch::Tensor sum = torch::zeros({});
        for (const auto& s : m_saliencies)
            sum = sum + s.mean();
        m_saliencies.clear();
        return m_lambda * sum;
    }

    std::vector<torch::Tensor> parameters() override
    {
        std::vector<torch::Tensor> tensors;
        for (auto& [name, p] : m_predictors) {
            tensors.push_back(p.weight);
            tensors.push_back(p.bias);
        }
        return tensors;
    }

    void afterBackward(TrainingStep&) override { m_saliencies.clear(); }

    bool afterEpoch(TrainingStep&, EpochMetrics& metrics) override
    {
        const std::vector<double> macs = lastExecutedMacs();
        if (!macs.empty()) {
            double sum = 0;
            for (double m : macs)
                sum += m;
            metrics.extra["executed_macs"] = sum / double(macs.size());
        }
        return true;
    }

private:
    struct Predictor {
        torch::Tensor weight, bias;
    };

    const PrunableLayer* find(const std::string& name) const
    {
        for (const auto& layer : m_model.prunableLayers())
            if (layer.name == name)
                return &layer;
        throw std::logic_error("no layer " + name);
    }

    // Fraction of a layer's output channels computed for each input of the last forward; a
    // scalar 1 for layers without a gate.
    torch::Tensor fractionOf(const std::string& layer) const
    {
        const auto it = m_kept.find(layer);
        return it == m_kept.end() ? torch::ones({}, torch::kFloat64)
                                  : it->second.to(torch::kFloat64) / double(m_channels.at(layer));
    }

    torch::Tensor gateOutput(const std::string& layer, const torch::Tensor& input, const torch::Tensor& output)
    {
        const Predictor& p = m_predictors.at(layer);
        const torch::Tensor saliency = torch::relu(torch::nn::functional::linear(input.mean({2, 3}), p.weight, p.bias));
        const int64_t channels = saliency.size(1);
        const int64_t k = std::clamp<int64_t>(int64_t(std::ceil(m_density * double(channels) - 1e-9)), 1, channels);
        torch::Tensor gates = saliency;
        if (k < channels) {
            // Winner takes all: the k most salient channels per input keep their saliency.
            const torch::Tensor top = std::get<1>(saliency.detach().topk(k, 1));
            gates = saliency * torch::zeros_like(saliency).scatter_(1, top, 1.0);
        }
        m_kept[layer] = (gates.detach() > 0).sum(1);
        if (torch::GradMode::is_enabled())
            m_saliencies.push_back(saliency);
        return output * gates.unsqueeze(-1).unsqueeze(-1);
    }

    ModelBase& m_model;
    double m_density, m_lambda;
    std::vector<double> m_densities;
    std::map<std::string, Predictor> m_predictors;
    std::map<std::string, double> m_macs;
    std::map<std::string, int64_t> m_channels;
    std::map<std::string, std::string> m_producer;
    std::map<std::string, torch::Tensor> m_kept;  // per gated layer: channels computed per input
    std::vector<torch::Tensor> m_saliencies;
    double m_predictorMacs = 0;
};

}  // namespace

std::vector<double> parseDensities(const std::string& param, const std::string& text)
{
    std::vector<double> densities;
    for (const std::string& item : splitCommaList(text)) {
        char* end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (end == item.c_str() || *end != '\0' || !(value > 0 && value <= 1))
            throw std::invalid_argument(param + ": '" + item + "' must be a density in (0, 1], e.g. \"0.25, 0.5, 1\"");
        densities.push_back(value);
    }
    if (densities.empty())
        throw std::invalid_argument(param + ": give at least one density, e.g. \"0.25, 0.5, 1\"");
    return densities;
}

FeatureBoostingOptions FeatureBoostingOptions::from(const ParamMap& params)
{
    FeatureBoostingOptions options;
    options.density = doubleParam(params, "density");
    options.lambda = doubleParam(params, "lambda");
    options.evalDensities = parseDensities("eval_densities", stringParam(params, "eval_densities"));
    return options;
}

void FeatureBoostingPruner::checkApplicable(const ModelBase& model, const ParamMap& params) const
{
    if (model.gateableLayers().empty())
        throw std::invalid_argument("fbs gates convolution channels, and " + model.modelId()
                                    + " has no gateable convolution (use lenet5, lenet5caffe, vgg_small or resnet20)");
    FeatureBoostingOptions::from(params);
}

std::unique_ptr<RunTimeGate> FeatureBoostingPruner::runTimeGate(const PruningContext& context)
{
    FeatureBoostingOptions options = FeatureBoostingOptions::from(context.params);
    return std::make_unique<FeatureBoostingGate>(context.model, options.density, options.lambda,
                                                 std::move(options.evalDensities));
}

}  // namespace prunescope
