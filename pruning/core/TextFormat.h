#pragma once
// Small text conventions shared by the engine, the store, the CLI and the window.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prunescope {

// A tensor shape as its sizes joined by `separator`: "64×32×3×3" for people, "64x32x3x3" in CSV
// files and in the database (ASCII, and what the store parses back).
std::string shapeText(const std::vector<int64_t>& shape, std::string_view separator);

struct LatencyMeasurement;

// A measured latency with its spread: "1.230 ms ± 0.050" (± half the interquartile range: the
// middle half of the repeats lies within it), then " (busy machine: spread 35 %)" when the
// relative IQR is above kBusyMachineRelativeIqr. A figure stored before quartiles were kept shows
// its median and "p10–p90 a–b" instead.
std::string latencyText(const LatencyMeasurement& latency);

// One CSV cell: quoted when it holds a comma, a quote, a line break or a tab; and, when a
// spreadsheet would read it as a formula (it starts with =, +, -, @, a tab or a carriage return and
// is not a number), prefixed with ' so it stays text. Numbers such as -0.5 stay numbers.
std::string csvCell(std::string_view text);

// Text from a stored run (a name, notes, a path, a config) as it may be printed on a terminal:
// control characters (ESC, BEL, CR, backspace, DEL, C1 controls) and invalid UTF-8 bytes are
// shown as \xNN, so a name cannot move the cursor, recolour or rewrite the screen. Line breaks
// are kept when `keepNewlines` (a multi-line config), tabs always; valid UTF-8 passes unchanged.
std::string terminalSafe(std::string_view text, bool keepNewlines = false);

// Whether `text` is well-formed UTF-8 (no stray continuation bytes, no cut or overlong sequences,
// no surrogates, nothing above U+10FFFF). Names, notes and paths are stored as UTF-8 JSON.
bool isValidUtf8(std::string_view text);

// An error message without LibTorch's C++ backtrace: the "Exception raised from ..." line and
// the "frame #N: ..." lines c10::Error appends (~3.5 KB that no user can act on, once printed
// and stored with every failed run) are removed wherever they occur in the text, also inside a
// message that quotes another; what remains is trimmed of trailing blank lines.
std::string withoutTorchBacktrace(const std::string& message);

// The items of a comma-separated list, trimmed of spaces and tabs; empty items dropped.
std::vector<std::string> splitCommaList(const std::string& text);

}  // namespace prunescope
