#pragma once
// Where Debian's dataset packages put the known datasets, apart from DatasetCatalogue.h (which most
// of the engine includes) so the window's first-start guidance can name them.

#include "core/DatasetCatalogue.h"

#include <string>

namespace prunescope {

// The Debian package that installs the dataset in its system directory ("" when none does).
std::string debianDatasetPackage(const KnownDataset& dataset);
// Where that package installs it ("" when none does). $PRUNESCOPE_SYSTEM_DATASETS, when set,
// replaces /usr/share/datasets (tests use it to start as on a machine without the package).
std::string systemDatasetDirectory(const KnownDataset& dataset);

}  // namespace prunescope
