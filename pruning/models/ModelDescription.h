#pragma once
// The model zoo and a model described before it runs, for the window and the CLI: no LibTorch in
// this header.

#include "core/DatasetCatalogue.h"

#include <string>
#include <vector>

namespace prunescope {

// The model zoo's ids and one-line descriptions, for pickers (the zoo's own table, in Models.cpp).
struct ModelInfo {
    std::string id;
    std::string description;
};
const std::vector<ModelInfo>& modelCatalogue();

// Loads the model (a zoo id or a TorchScript file, see isModelFile) for images and classes of
// `shape` and says what it is in one line, e.g. "net.pt: TorchScript, 4 prunable layers (2 conv,
// 2 linear), 23786 parameters, 0.132 M MACs per image". Throws std::invalid_argument naming the
// file (or model) and the problem.
std::string describeModel(const std::string& model, const DataShape& shape);

}  // namespace prunescope
