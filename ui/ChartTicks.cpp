// The ticks of every chart's value and log axes: 1-2-5 × 10^n steps with labels that print
// exactly those values, and log axes with at least three labelled powers (ChartStyle.h).
#include "ChartStyle.h"

#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace prunescope {
namespace {

double pow10(int exponent)
{
    double result = 1;
    for (int i = 0; i < std::abs(exponent); ++i)
        result *= 10;
    return result;
}

// mantissa × 10^exponent, divided rather than multiplied for negative exponents so 0.02 is the
// double nearest to 0.02.
double scaled(double mantissa, int exponent)
{
    return exponent >= 0 ? mantissa * pow10(exponent) : mantissa / pow10(-exponent);
}

}  // namespace

// ---- Ticks

bool isNiceStep(double step)
{
    if (!(step > 0) || !std::isfinite(step))
        return false;
    const int exponent = int(std::floor(std::log10(step) + 1e-9));
    const double mantissa = step / scaled(1, exponent);
    for (double nice : {1.0, 2.0, 5.0, 10.0})
        if (std::abs(mantissa - nice) < 1e-6 * nice)
            return true;
    return false;
}

double niceStep(double span, int maxIntervals)
{
    if (!(span > 0) || !std::isfinite(span))
        return 1;
    const double raw = span / std::max(1, maxIntervals);
    const int exponent = int(std::floor(std::log10(raw)));
    const double mantissa = raw / scaled(1, exponent);
    for (double nice : {1.0, 2.0, 5.0})
        if (mantissa <= nice * (1 + 1e-9))
            return scaled(nice, exponent);
    return scaled(1, exponent + 1);
}

int decimalsFor(double step)
{
    if (!(step > 0))
        return 0;
    return std::max(0, -int(std::floor(std::log10(step) + 1e-9)));
}

void setNiceRange(QValueAxis* axis, double lo, double hi, TickOptions options)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        lo = 0, hi = 1;
    if (hi < lo)
        std::swap(lo, hi);
    if (hi - lo <= 1e-12 * std::max(1.0, std::abs(hi))) {  // one value: a band around it
        const double pad = lo != 0 ? std::abs(lo) * 0.05 : 1;
        lo -= pad;
        hi += pad;
    }
    const double step = std::max(niceStep(hi - lo, options.maxIntervals), options.minimumStep);
    // Ticks at whole multiples of the step: k × step, computed from k, never accumulated.
    const double first = std::ceil(lo / step - 1e-6);
    if (options.snapToTicks) {
        // A float weight of -0.3 is -0.30000001: it snaps to -0.3, not to -0.4.
        lo = std::floor(lo / step + 1e-6) * step;
        hi = std::ceil(hi / step - 1e-6) * step;
    }
    // Qt places ticks from the anchor by adding the step: a hair past the multiple keeps sums
    // such as -0.3 + 3 × 0.1 from landing a hair below zero (printed "-0.0"), and the range ends
    // a hair past the last tick so that tick is not dropped by rounding.
    const double hair = step * 1e-7;
    axis->setRange(lo, hi + 2 * hair);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor((options.snapToTicks ? lo : first * step) + hair);
    axis->setTickInterval(step);
    axis->setMinorTickCount(0);
    axis->setLabelFormat(QStringLiteral("%.%1f").arg(decimalsFor(step)));
}

bool wantsLogAxis(double lo, double hi)
{
    return lo > 0 && hi > 0 && std::max(lo, hi) / std::min(lo, hi) >= 4;
}

void setLogRange(QLogValueAxis* axis, double lo, double hi)
{
    if (!(lo > 0) || !(hi > 0)) {
        lo = 1;
        hi = 64;
    }
    if (hi < lo)
        std::swap(lo, hi);
    // A little room around the data, never exactly on a power (Qt would have to decide whether a
    // power at the very end is labelled).
    lo /= 1.15;
    hi *= 1.15;
    auto powersWithin = [](double base, double from, double to) {
        const int first = int(std::ceil(std::log(from) / std::log(base) - 1e-9));
        const int last = int(std::floor(std::log(to) / std::log(base) + 1e-9));
        return std::max(0, last - first + 1);
    };
    double base = 10;
    if (powersWithin(10, lo, hi) < 3) {
        base = 2;
        // Widen towards the nearer power of 2 until three are inside.
        while (powersWithin(2, lo, hi) < 3) {
            const double below = std::pow(2.0, std::floor(std::log2(lo) - 1e-9));
            const double above = std::pow(2.0, std::ceil(std::log2(hi) + 1e-9));
            if (std::log2(lo) - std::log2(below) <= std::log2(above) - std::log2(hi))
                lo = below / 1.1;
            else
                hi = above * 1.1;
        }
    }
    axis->setBase(base);
    axis->setRange(lo, hi);
    axis->setMinorTickCount(0);
    // Powers of 2 and 10 print exactly with %g (0.25, 0.5, 1, 2 … 1024; 0.01 … 1000).
    axis->setLabelFormat(QStringLiteral("%g"));
}

std::vector<double> tickValues(const QAbstractAxis* axis)
{
    std::vector<double> ticks;
    if (const auto* log = qobject_cast<const QLogValueAxis*>(axis)) {
        const double base = log->base();
        const int first = int(std::ceil(std::log(log->min()) / std::log(base) - 1e-9));
        const int last = int(std::floor(std::log(log->max()) / std::log(base) + 1e-9));
        for (int k = first; k <= last; ++k)
            ticks.push_back(std::pow(base, k));
        return ticks;
    }
    if (const auto* value = qobject_cast<const QValueAxis*>(axis)) {
        const double min = value->min(), max = value->max();
        if (value->tickType() == QValueAxis::TicksFixed) {
            const int count = value->tickCount();
            for (int i = 0; i < count; ++i)
                ticks.push_back(min + (i * (max - min) / (count - 1)));
            return ticks;
        }
        // As Qt Charts places dynamic ticks.
        const double interval = value->tickInterval(), anchor = value->tickAnchor();
        double tick = anchor - std::floor((anchor - min) / interval) * interval;
        for (; tick <= max && ticks.size() < 1000; tick += interval)
            ticks.push_back(tick);
    }
    return ticks;
}

}  // namespace prunescope
