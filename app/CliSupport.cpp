#include "CliSupport.h"

#include "core/TextFormat.h"

#include "experiment/Runner.h"

#include <csignal>
#include <iomanip>
#include <sstream>

namespace prunescope::cli {
namespace {

std::atomic<bool> g_cancelRequested{false};

extern "C" void requestCancel(int)
{
    g_cancelRequested.store(true);
}

}  // namespace

std::string databasePath(const ParsedArgs& args)
{
    return args.value("db", RunStore::defaultPath().toStdString());
}

std::string formatDuration(double seconds)
{
    if (seconds < 0)
        return "--:--";
    const auto total = int64_t(seconds + 0.5);
    std::ostringstream out;
    if (total >= 3600)
        out << total / 3600 << ":" << std::setw(2) << std::setfill('0') << (total / 60) % 60;
    else
        out << total / 60;
    out << ":" << std::setw(2) << std::setfill('0') << total % 60;
    return out.str();
}

std::string padded(const std::string& text, size_t width)
{
    size_t columns = 0;
    for (unsigned char c : text)
        columns += (c & 0xC0) != 0x80;  // count code points, not continuation bytes
    return text + std::string(columns < width ? width - columns : 1, ' ');
}

std::string fixed(double value, int decimals)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

void printSummary(std::ostream& out, int64_t runId, const RunSummary& s)
{
    out << "run " << runId << " finished in " << formatDuration(s.durationSeconds)
        << (s.denseFromCache ? " (dense model from cache)" : "") << "\n"
        << "  dense test accuracy      " << fixed(s.denseTestAccuracy * 100, 2) << " %\n"
        << "  after pruning            " << fixed(s.prunedTestAccuracy * 100, 2) << " %\n"
        << "  final                    " << fixed(s.testAccuracy * 100, 2) << " %  (loss " << fixed(s.testLoss, 4)
        << ")\n"
        << "  sparsity (pruned layers) " << fixed(s.sparsity * 100, 2) << " %\n"
        << "  parameters / non-zeros   " << s.parameters << " / " << s.nonzeros << "  (compression "
        << fixed(s.compressionRatio, 2) << "×)\n"
        << "  MACs dense / effective   " << fixed(s.denseMacs, 0) << " / " << fixed(s.effectiveMacs, 0)
        << "  (theoretical speedup " << fixed(s.theoreticalSpeedup, 2) << "×)\n"
        << "  bytes dense / " << (s.structured ? "thinned " : "sparse  ") << "  " << s.denseBytes << " / "
        << s.sparseBytes << "\n";
    if (s.structured)
        out << "  channels removed for real: the pruned network is a smaller dense one\n";
    for (int batch : {1, 64}) {
        const LatencyMeasurement* dense = s.latencyOf("dense", batch);
        const LatencyMeasurement* pruned = s.latencyOf("pruned", batch);
        if (!dense || !pruned)
            continue;
        out << "  latency, batch " << std::left << std::setw(9) << std::to_string(batch) + ":" << std::right
            << latencyText(*dense) << " → " << latencyText(*pruned) << " (median ± half the IQR)  measured speedup "
            << fixed(s.measuredSpeedup(batch), 2) << "× vs theoretical " << fixed(s.theoreticalSpeedup, 2) << "×\n";
        if (!dense->path.empty())
            out << "    latency on the fastest deployment: dense " << dense->path << ", pruned " << pruned->path
                << "\n";
    }
}

RunSummary executeOnEngine(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                           const std::string& modelFile)
{
    return runExperiment(config, observer, cancel, RunOutputs{modelFile});
}

const std::atomic<bool>& signalCancelFlag()
{
    return g_cancelRequested;
}

void watchCancelSignals()
{
    g_cancelRequested.store(false);
    std::signal(SIGINT, requestCancel);
    std::signal(SIGTERM, requestCancel);
}

}  // namespace prunescope::cli
