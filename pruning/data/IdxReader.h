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

// Reads an IDX file of unsigned bytes (type 0x08) with the expected number of dimensions.
// Validates the magic number, the dimensions and that the payload is complete (no truncation,
// no trailing data); throws DataError naming the file otherwise.
IdxArray readIdxFile(const std::string& path, int expectedDims);

// Writes an IDX unsigned-byte file, gzip-compressed when path ends in ".gz". For tests and tools.
void writeIdxFile(const std::string& path, const IdxArray& array);

}  // namespace prunescope
