#pragma once
// What every fuzz target shares: a private scratch folder for the files a reader is given (the
// readers take paths, not bytes), removed when the process ends, and strict file helpers. A fuzz
// target aborts (a finding) only through fuzzCheck: a reader's documented error is an answer,
// not a finding.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace prunescope::fuzz {

// The scratch folder of this process: $TMPDIR/prunescope-fuzz-<name>-<pid>, emptied on exit.
inline const std::filesystem::path& scratchFolder(const char* name)
{
    static const std::filesystem::path folder = [name] {
        const std::filesystem::path path = std::filesystem::temp_directory_path()
            / ("prunescope-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
        std::atexit([] {
            std::error_code ignored;
            std::filesystem::remove_all(scratchFolder(""), ignored);
        });
        return path;
    }();
    return folder;
}

inline void writeBytes(const std::filesystem::path& path, const uint8_t* data, size_t size)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    if (!out.flush()) {
        std::fprintf(stderr, "fuzz harness: cannot write %s\n", path.c_str());
        std::abort();
    }
}

inline std::vector<uint8_t> readBytes(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A property the code under test must keep; its failure is a finding (libFuzzer saves the input).
inline void fuzzCheck(bool condition, const char* what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz property violated: %s\n", what);
        std::abort();
    }
}

}  // namespace prunescope::fuzz
