#pragma once
// Writing a file the user named (exports, checkpoints) without harming what is already there:
// the content goes to a temporary file beside the target and is renamed into place in one step,
// so a reader never sees half a file, a failed write leaves the old file as it was, and a symlink
// at the destination is replaced, never followed (its target is not touched).

#include <functional>
#include <stdexcept>
#include <string>

namespace prunescope {

// Whether an existing file at the destination may be replaced.
enum class FileOverwrite { Refuse, Replace };

// The destination exists and FileOverwrite::Refuse was asked; what() names the path.
class FileExistsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Calls `write` with the path of a new, empty temporary file in the destination's folder (which
// is created if needed), then moves it to `path`. With Refuse, the move fails with
// FileExistsError when anything (a file, a symlink, a folder) is at `path`, checked by the
// rename itself (renameat2 RENAME_NOREPLACE), so there is no window between check and write.
// The file gets the permissions a plain create would (0666 less the umask). Throws
// std::runtime_error naming `path` when writing fails; the temporary file is removed then.
void writeFileSafely(const std::string& path, FileOverwrite overwrite,
                     const std::function<void(const std::string& temporaryPath)>& write);

// The same for text or bytes already in memory.
void writeFileSafely(const std::string& path, FileOverwrite overwrite, const std::string& content);

}  // namespace prunescope
