#pragma once
// The report for the weekly session: one self-contained HTML file (inline style, charts as
// embedded PNG, no scripts, nothing fetched) with the comparison charts of a selection of runs,
// a summary table, each run's per-layer table and config, and the cards of the methods used.
// Every stored or typed string is escaped, so a run named "<script>" stays text.

#include "RunStore.h"

#include <QString>

#include <vector>

namespace prunescope {

// The report's HTML for runs in the given order; reads their layers from the store.
QString htmlReport(const RunStore& store, const std::vector<StoredRun>& runs, const QString& title);

// Loads the runs, writes the report atomically (QSaveFile). False with a message naming the
// file or the missing run.
bool writeHtmlReport(const RunStore& store, const std::vector<int64_t>& runIds, const QString& path, QString* error);

}  // namespace prunescope
