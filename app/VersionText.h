#pragma once
// What `--version` prints, for both programs: the first line in the form help2man reads
// ("program (package) version"), then the libraries a run's numbers depend on.

#include <string>

namespace prunescope {

// "prunescope-cli (PruneScope) 0.1.0\nQt 6.4.2\nLibTorch 1.13.1\nSQLite 3.40.1\n"
std::string versionText(const std::string& program);

}  // namespace prunescope
