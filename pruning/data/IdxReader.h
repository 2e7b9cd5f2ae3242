#pragma once
// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or plain.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope {

// A problem with a data file; the message names the file and what was expected.
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct IdxArray {
    std::vector<int64_t> dims;  // e.g. {60000, 28, 28} or {60000}
    std::vector<uint8_t> bytes;  // unsigned-byte payload, row-major
};

// The start of an IDX file: its dimensions, e.g. {60000, 28, 28}.
struct IdxHeader {
    std::vector<int64_t> dims;
};

// Reads only the header of an IDX file of unsigned bytes with the expected number of
// dimensions (a few bytes, also from a .gz): the same checks as readIdxFile up to the payload.
IdxHeader readIdxHeader(const std::string& path, int expectedDims);

// The file `stem` (e.g. "train-images-idx3-ubyte") in `directory`, compressed (.gz) or plain;
// throws DataError naming the directory and what an IDX dataset directory holds.
std::string findIdxFile(const std::string& directory, const std::string& stem);

// Checks, without reading the images, that `directory` is an IDX dataset: its four files
// (train and t10k images and labels) exist, have readable IDX headers, and each split has as
// many labels as images. Throws DataError naming the file and the problem. Milliseconds: meant
// for refusing a bad data folder before a run is started and stored.
void checkIdxDataset(const std::string& directory);

// Reads an IDX file of unsigned bytes (type 0x08) with the expected number of dimensions.
// Validates the magic number, the dimensions and that the payload is complete (no truncation,
// no trailing data); throws DataError naming the file otherwise.
IdxArray readIdxFile(const std::string& path, int expectedDims);

// Writes an IDX unsigned-byte file, gzip-compressed when path ends in ".gz". For tests and tools.
void writeIdxFile(const std::string& path, const IdxArray& array);

}  // namespace prunescope
