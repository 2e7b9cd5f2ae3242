#include "core/SafeFile.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace prunescope {
namespace {

mode_t currentUmask()
{
    // umask can only be read by setting it; set it back at once (the program is not changing it
    // concurrently: it is set once at start-up, if ever).
    const mode_t mask = ::umask(0022);
    ::umask(mask);
    return mask;
}

}  // namespace

void writeFileSafely(const std::string& path, FileOverwrite overwrite,
                     const std::function<void(const std::string& temporaryPath)>& write)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw std::runtime_error("could not write " + path + ": cannot create the folder " + folder.string() + " ("
                                 + error.message() + ")");
    if (overwrite == FileOverwrite::Refuse && fs::exists(fs::symlink_status(target)))
        throw FileExistsError(path + " already exists; pass --force to replace it");

    std::string pattern = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int descriptor = ::mkstemp(name.data());
    if (descriptor < 0)
        throw std::runtime_error("could not write " + path + ": cannot create a temporary file in " + folder.string()
                                 + " (" + std::strerror(errno) + ")");
    ::fchmod(descriptor, 0666 & ~currentUmask());
    ::close(descriptor);
    const std::string temporary(name.data());
    try {
        write(temporary);
        int renamed = 0;
        if (overwrite == FileOverwrite::Refuse)
            renamed = ::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
        else
            renamed = ::rename(temporary.c_str(), path.c_str());
        if (renamed != 0 && overwrite == FileOverwrite::Refuse && (errno == EINVAL || errno == ENOSYS)) {
            // A file system without RENAME_NOREPLACE: link() also refuses an existing name.
            renamed = ::link(temporary.c_str(), path.c_str());
            if (renamed == 0)
                ::unlink(temporary.c_str());
        }
        if (renamed != 0) {
            const int cause = errno;
            if (cause == EEXIST)
                throw FileExistsError(path + " already exists; pass --force to replace it");
            throw std::runtime_error(std::strerror(cause));
        }
    } catch (const FileExistsError&) {
        ::unlink(temporary.c_str());
        throw;
    } catch (const std::exception& e) {
        ::unlink(temporary.c_str());
        throw std::runtime_error("could not write " + path + ": " + e.what());
    }
}

void writeFileSafely(const std::string& path, FileOverwrite overwrite, const std::string& content)
{
    writeFileSafely(path, overwrite, [&](const std::string& temporary) {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(content.data(), std::streamsize(content.size()));
        out.close();
        if (!out)
            throw std::runtime_error("write failed (disk full?)");
    });
}

}  // namespace prunescope
