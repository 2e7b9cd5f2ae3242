#include "CliSupport.h"

#include "core/TextFormat.h"

#include "experiment/Runner.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

namespace prunescope::cli {
namespace {

std::atomic<bool> g_cancelRequested{false};

// The signal handler only sets the flag and writes the signal's number into a pipe (both
// async-signal-safe); a watcher thread reads the pipe and decides what to do.
int g_signalPipe[2] = {-1, -1};

extern "C" void requestCancel(int signal)
{
    const int savedErrno = errno;
    g_cancelRequested.store(true);
    const unsigned char number = static_cast<unsigned char>(signal);
    if (g_signalPipe[1] >= 0) [[maybe_unused]]
        const ssize_t written = ::write(g_signalPipe[1], &number, 1);
    errno = savedErrno;
}

// The run the signals would end, so a forced stop can still store it as cancelled.
std::mutex g_activeRunMutex;
std::string g_activeDatabase;
int64_t g_activeRunId = 0;

// Waits up to `milliseconds` (-1: for ever) for a signal's number on the pipe; 0 when none came.
int nextSignal(int milliseconds)
{
    pollfd descriptor{g_signalPipe[0], POLLIN, 0};
    for (;;) {
        const int ready = ::poll(&descriptor, 1, milliseconds);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return 0;
        unsigned char number = 0;
        if (::read(g_signalPipe[0], &number, 1) == 1)
            return number;
        return 0;
    }
}

// A run that does not reach its next cancellation point (a model stuck in its forward pass, a
// blocking read) is stopped at once here: recorded as cancelled on a connection of this thread's
// own, then the process ends without unwinding the stuck thread.
[[noreturn]] void stopAtOnce(const std::string& why)
{
    std::string database;
    int64_t runId = 0;
    {
        std::lock_guard lock(g_activeRunMutex);
        database = g_activeDatabase;
        runId = g_activeRunId;
    }
    std::cerr << "\nprunescope-cli: " << why << "; stopping at once\n";
    if (runId > 0) {
        try {
            RunStore store(QString::fromStdString(database));
            store.endRun(runId, RunStatus::Cancelled, std::string(kSignalCancelMessage) + " (" + why + ")");
            std::cerr << "run " << runId << " stored as cancelled\n";
        } catch (const std::exception& e) {
            std::cerr << "run " << runId << " could not be stored as cancelled: " << e.what() << "\n";
        }
    }
    std::cerr.flush();
    std::cout.flush();
    std::_Exit(kCancelled);
}

void watchSignalPipe()
{
    for (;;) {
        const int first = nextSignal(-1);
        if (first == 0)
            continue;
        if (first == SIGTERM) {
            // A SIGTERM is a request to end: a run that has not stopped within the grace period
            // is stuck, and the process ends anyway.
            std::cerr << "\nprunescope-cli: terminating; the run stops after its current batch\n";
            const int second = nextSignal(kTermGraceSeconds * 1000);
            stopAtOnce(second ? "a second signal"
                              : "the run did not stop within " + std::to_string(kTermGraceSeconds) + " s of SIGTERM");
        }
        std::cerr << "\nprunescope-cli: cancelling after the current batch (Ctrl+C again to stop at once)\n";
        int second = 0;
        while ((second = nextSignal(-1)) == 0) {
        }
        stopAtOnce(second == SIGTERM ? "SIGTERM while cancelling" : "Ctrl+C pressed twice");
    }
}

}  // namespace

std::string databasePath(const ParsedArgs& args)
{
    return args.value("db", RunStore::defaultPath().toStdString());
}

void warnIfDamaged(const RunStore& store)
{
    if (store.damage().empty())
        return;
    const std::string path = terminalSafe(store.path().toStdString());
    std::cerr << "warning: " << path << " is damaged (" << terminalSafe(store.damage())
              << "); showing what can still be read. 'prunescope-cli recover " << path
              << " --out NEW.sqlite' copies every readable run into a new database.\n";
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
    static std::once_flag started;
    std::call_once(started, [] {
        if (::pipe2(g_signalPipe, O_CLOEXEC) != 0)
            return;  // without the pipe, a first signal still cancels between batches
        // Detached: it waits for signals for the life of the process and is never joined.
        std::thread(watchSignalPipe).detach();
    });
    std::signal(SIGINT, requestCancel);
    std::signal(SIGTERM, requestCancel);
}

void noteActiveRun(const std::string& databasePath, int64_t runId)
{
    std::lock_guard lock(g_activeRunMutex);
    g_activeDatabase = databasePath;
    g_activeRunId = runId;
}

}  // namespace prunescope::cli
