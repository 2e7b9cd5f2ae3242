#pragma once
// What the commands of prunescope-cli share: exit-code mapping, the database option, number
// formatting, the run summary printout, and running the engine under SIGINT/SIGTERM.

#include "CliArguments.h"
#include "CliCommands.h"
#include "RunStore.h"
#include "core/ExperimentConfig.h"
#include "core/SafeFile.h"
#include "core/TextFormat.h"
#include "core/RunEvents.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <ostream>
#include <string>

namespace prunescope::cli {

// Runs a command body, mapping exceptions to messages and exit codes.
template <typename Body>
int guarded(const char* command, Body body)
{
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kUsage;
    } catch (const FileExistsError& e) {  // a user's choice of path, not a failure of the run
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kUsage;
    } catch (const StorageError& e) {
        std::cerr << "prunescope-cli " << command << ": " << e.what() << "\n";
        return kStorage;
    } catch (const std::exception& e) {
        std::cerr << "prunescope-cli " << command << ": " << withoutTorchBacktrace(e.what()) << "\n";
        return kRunFailed;
    }
}

// --db PATH, or RunStore::defaultPath().
std::string databasePath(const ParsedArgs& args);

// On stderr, when the store's quick check found damage: what it found, that the readable runs
// are shown, and the `recover` command that saves them.
void warnIfDamaged(const RunStore& store);

// "m:ss" or "h:mm:ss"; "--:--" when not known (negative).
std::string formatDuration(double seconds);
// `value` with `decimals` digits after the point.
std::string fixed(double value, int decimals);
// Left-aligned in `width` columns, counting code points (std::setw counts bytes).
std::string padded(const std::string& text, size_t width);

// The finished run's figures, as `run` and `show` print them.
void printSummary(std::ostream& out, int64_t runId, const RunSummary& s);

// The engine, as recordRun calls it.
RunSummary executeOnEngine(const ExperimentConfig& config, RunObserver& observer, const std::atomic<bool>& cancel,
                           const std::string& modelFile);

// The cancel flag of run and sweep. watchCancelSignals() clears it and has SIGINT and SIGTERM set
// it, so the run stops between batches and is stored as cancelled (with kSignalCancelMessage)
// instead of being killed. A run that cannot reach its next batch (a model stuck in its forward
// pass) is stopped at once by a second Ctrl+C, or kTermGraceSeconds after a SIGTERM: the run
// named by noteActiveRun is stored as cancelled from another connection and the process exits
// with kCancelled.
const std::atomic<bool>& signalCancelFlag();
void watchCancelSignals();
void noteActiveRun(const std::string& databasePath, int64_t runId);
inline constexpr const char* kSignalCancelMessage = "cancelled by a signal";
inline constexpr int kTermGraceSeconds = 3;

}  // namespace prunescope::cli
