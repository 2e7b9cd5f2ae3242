#include "data/IdxReader.h"

#include <zlib.h>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace prunescope {
namespace {

// Deflate cannot expand more than 1032:1, so a .gz of n bytes never holds more than ~1033·n.
constexpr uint64_t kMaxGzipExpansion = 1033;
// The payload is read in pieces of this size and the buffer grows with what actually arrives, so
// a header that lies about its size costs at most twice the real data, never the claim.
constexpr size_t kReadChunkBytes = size_t(4) << 20;

// What stat says of the path, checked before it is opened: a FIFO or a device would block the
// open or the read forever, so only regular files are read.
struct FileFacts {
    uint64_t size = 0;
    bool gzip = false;
};

FileFacts inspectFile(const std::string& path)
{
    struct stat facts {};
    if (::stat(path.c_str(), &facts) != 0)
        throw DataError(path + ": cannot open (does the file exist and is it readable?)");
    if (!S_ISREG(facts.st_mode))
        throw DataError(path + ": is not a regular file (a folder, pipe or device cannot hold IDX data)");
    FileFacts result;
    result.size = uint64_t(facts.st_size);
    if (std::FILE* file = std::fopen(path.c_str(), "rb")) {
        unsigned char magic[2] = {};
        result.gzip = std::fread(magic, 1, 2, file) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        std::fclose(file);
    }
    return result;
}

struct GzCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// gzread also reads uncompressed files transparently, so one code path serves both.
void readExactly(gzFile file, const std::string& path, void* out, size_t size, const char* what)
{
    auto* cursor = static_cast<uint8_t*>(out);
    while (size > 0) {
        // gzread takes an unsigned int; read in chunks below that limit.
        const unsigned chunk = unsigned(std::min<size_t>(size, 1u << 30));
        const int got = gzread(file, cursor, chunk);
        if (got < 0) {
            int code = 0;
            throw DataError(path + ": damaged compressed data while reading " + what + " (" + gzerror(file, &code)
                            + ")");
        }
        if (got == 0)
            throw DataError(path + ": file ends early while reading " + what + " (truncated download?)");
        cursor += got;
        size -= size_t(got);
    }
}

// The magic number and the dimensions, checked; the file is left at the payload.
IdxHeader readHeader(gzFile file, const std::string& path, int expectedDims)
{
    uint8_t magic[4] = {};
    readExactly(file, path, magic, 4, "the magic number");
    if (magic[0] != 0 || magic[1] != 0)
        throw DataError(path + ": not an IDX file (magic number must start with two zero bytes)");
    if (magic[2] != 0x08)
        throw DataError(path + ": IDX element type 0x" + std::to_string(magic[2])
                        + " is not supported (expected 0x08, unsigned bytes)");
    if (magic[3] != expectedDims)
        throw DataError(path + ": has " + std::to_string(magic[3]) + " dimensions, expected "
                        + std::to_string(expectedDims));

    IdxHeader header;
    size_t total = 1;
    for (int d = 0; d < expectedDims; ++d) {
        uint8_t be[4];
        readExactly(file, path, be, 4, "the dimensions");
        const uint32_t size
            = (uint32_t(be[0]) << 24) | (uint32_t(be[1]) << 16) | (uint32_t(be[2]) << 8) | uint32_t(be[3]);
        if (size == 0 || size > (1u << 28))
            throw DataError(path + ": dimension " + std::to_string(d) + " is " + std::to_string(size)
                            + ", expected between 1 and 2^28");
        header.dims.push_back(int64_t(size));
        total *= size;
        if (total > (size_t(1) << 34))
            throw DataError(path + ": declared size is implausibly large");
    }
    return header;
}

}  // namespace

IdxHeader readIdxHeader(const std::string& path, int expectedDims)
{
    inspectFile(path);
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file)
        throw DataError(path + ": cannot open (does the file exist and is it readable?)");
    return readHeader(file.get(), path, expectedDims);
}

std::string findIdxFile(const std::string& directory, const std::string& stem)
{
    namespace fs = std::filesystem;
    for (const char* suffix : {".gz", ""}) {
        const fs::path candidate = fs::path(directory) / (stem + suffix);
        if (fs::exists(candidate))
            return candidate.string();
    }
    throw DataError(directory + ": no file " + stem + ".gz or " + stem
                    + " (expected an IDX dataset directory such as /usr/share/datasets/fashion-mnist;"
                      " on Debian install the package dataset-fashion-mnist)");
}

void checkIdxDataset(const std::string& directory)
{
    if (!std::filesystem::is_directory(directory))
        throw DataError("'" + directory
                        + "' is not a directory (on Debian, Fashion-MNIST comes with the package "
                          "dataset-fashion-mnist)");
    for (const char* split : {"train", "t10k"}) {
        const std::string imagesPath = findIdxFile(directory, std::string(split) + "-images-idx3-ubyte");
        const std::string labelsPath = findIdxFile(directory, std::string(split) + "-labels-idx1-ubyte");
        const IdxHeader images = readIdxHeader(imagesPath, 3);
        const IdxHeader labels = readIdxHeader(labelsPath, 1);
        if (images.dims[0] != labels.dims[0])
            throw DataError(labelsPath + ": has " + std::to_string(labels.dims[0]) + " labels but " + imagesPath
                            + " has " + std::to_string(images.dims[0]) + " images");
    }
}

IdxArray readIdxFile(const std::string& path, int expectedDims)
{
    const FileFacts facts = inspectFile(path);
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file)
        throw DataError(path + ": cannot open (does the file exist and is it readable?)");
    IdxArray array;
    array.dims = readHeader(file.get(), path, expectedDims).dims;
    size_t total = 1;
    for (const int64_t size : array.dims)
        total *= size_t(size);

    // The claim is checked against the file before anything is allocated for it.
    const uint64_t headerBytes = 4 + 4 * uint64_t(expectedDims);
    const uint64_t payloadOnDisk = facts.size > headerBytes ? facts.size - headerBytes : 0;
    if (!facts.gzip && total != payloadOnDisk)
        throw DataError(path + ": its header declares " + std::to_string(total) + " bytes of data but the file holds "
                        + std::to_string(payloadOnDisk) + (total > payloadOnDisk ? " (truncated download?)" : ""));
    if (facts.gzip && total > facts.size * kMaxGzipExpansion)
        throw DataError(path + ": its header declares " + std::to_string(total) + " bytes of data, more than a "
                        + std::to_string(facts.size) + "-byte gzip file can hold (damaged header?)");

    for (size_t done = 0; done < total;) {
        const size_t chunk = std::min(kReadChunkBytes, total - done);
        if (array.bytes.capacity() < done + chunk)
            array.bytes.reserve(std::min(total, std::max(done + chunk, 2 * array.bytes.capacity())));
        array.bytes.resize(done + chunk);
        readExactly(file.get(), path, array.bytes.data() + done, chunk, "the data");
        done += chunk;
    }

    uint8_t extra = 0;
    const int more = gzread(file.get(), &extra, 1);
    if (more > 0)
        throw DataError(path + ": has data after the " + std::to_string(total) + " bytes its header declares");
    if (more < 0) {
        int code = 0;
        throw DataError(path + ": damaged compressed data at the end (" + gzerror(file.get(), &code) + ")");
    }
    return array;
}

void writeIdxFile(const std::string& path, const IdxArray& array)
{
    const bool compress = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
    GzFile file(gzopen(path.c_str(), compress ? "wb6" : "wbT"));
    if (!file)
        throw DataError(path + ": cannot create");
    std::vector<uint8_t> header = {0, 0, 0x08, uint8_t(array.dims.size())};
    for (int64_t d : array.dims) {
        const auto v = uint32_t(d);
        header.insert(header.end(), {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)});
    }
    if (gzwrite(file.get(), header.data(), unsigned(header.size())) != int(header.size())
        || (!array.bytes.empty()
            && gzwrite(file.get(), array.bytes.data(), unsigned(array.bytes.size())) != int(array.bytes.size())))
        throw DataError(path + ": write failed (disk full?)");
    if (gzclose(file.release()) != Z_OK)
        throw DataError(path + ": write failed when closing (disk full?)");
}

}  // namespace prunescope
