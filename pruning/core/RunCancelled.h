#pragma once
// The one way a run ends early at the user's request. In core because every layer that trains,
// records or shows a run must recognise it, and none of them may depend on the orchestrator.

#include <stdexcept>

namespace prunescope {

// Thrown from inside a run when the cancel flag is seen (checked between batches).
class RunCancelled : public std::runtime_error {
public:
    RunCancelled() : std::runtime_error("run cancelled") {}
};

}  // namespace prunescope
