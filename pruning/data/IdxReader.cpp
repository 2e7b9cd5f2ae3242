#include "data/IdxReader.h"

#include <zlib.h>

#include <filesystem>
#include <memory>

namespace prunescope {
namespace {

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
    GzFile file(gzopen(path.c_str(), "rb"));
    if (!file)
        throw DataError(path + ": cannot open (does the file exist and is it readable?)");
    IdxArray array;
    array.dims = readHeader(file.get(), path, expectedDims).dims;
    size_t total = 1;
    for (const int64_t size : array.dims)
        total *= size_t(size);
    array.bytes.resize(total);
    readExactly(file.get(), path, array.bytes.data(), total, "the data");

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
