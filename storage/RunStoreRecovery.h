#pragma once
// Salvage of a damaged run database: every run that can still be read, with its epochs, steps,
// masks, latency, tags and notes, is copied row for row (same ids, same timestamps) into a new
// database, and what could not be read is reported. The damaged file is opened read-only and
// never written.

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

struct RecoveryReport {
    std::vector<int64_t> recoveredRuns;  // copied whole (their row and every child row)
    std::vector<std::string> losses;  // "run 7: unreadable", "run 9: its rows in metrics are unreadable"
    bool complete() const { return losses.empty(); }
};

// Copies the readable runs of `damagedPath` into `newPath`, which must not exist yet (it is
// created with the current schema). Throws StorageError when either file cannot be opened, when
// `newPath` exists, or when the damaged file's schema is not this program's.
RecoveryReport recoverRuns(const QString& damagedPath, const QString& newPath);

}  // namespace prunescope
