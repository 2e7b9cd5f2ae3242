#pragma once
// The LibTorch the engine was built against, for --version and Help > About (defined in Runner.cpp).

#include <string>

namespace prunescope {

std::string libtorchVersion();  // "1.13.1"

}  // namespace prunescope
