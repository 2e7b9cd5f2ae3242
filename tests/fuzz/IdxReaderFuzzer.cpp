// libFuzzer target: the IDX reader (pruning/data/IdxReader) on any bytes, read as the file itself
// (plain, or gzip when the bytes start like one) and gzip-compressed, through readIdxHeader and
// readIdxFile with both dimension counts the datasets use. DataError is the reader's answer to a bad
// file; anything else escaping, a crash, a leak or an allocation over libFuzzer's -malloc_limit_mb
// (a header that lies about its size) is a finding.

#include "FuzzSupport.h"
#include "data/IdxReader.h"

#include <zlib.h>

#include <cstddef>
#include <cstdint>

using namespace prunescope;

namespace {

void readAsIdx(const std::string& path)
{
    for (const int dims : {1, 3}) {
        try {
            const IdxHeader header = readIdxHeader(path, dims);
            fuzz::fuzzCheck(header.dims.size() == size_t(dims), "readIdxHeader returned the asked number of dims");
        } catch (const DataError&) {
        }
        try {
            const IdxArray array = readIdxFile(path, dims);
            fuzz::fuzzCheck(array.dims.size() == size_t(dims), "readIdxFile returned the asked number of dims");
            size_t total = 1;
            for (const int64_t d : array.dims) {
                fuzz::fuzzCheck(d >= 1, "every dimension is at least 1");
                total *= size_t(d);
            }
            fuzz::fuzzCheck(array.bytes.size() == total, "the payload holds exactly the declared bytes");
        } catch (const DataError&) {
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto& folder = fuzz::scratchFolder("idx");
    // The bytes as the file: plain, or (first bytes 1f 8b) taken for gzip by the reader.
    const std::string plain = (folder / "data-idx-ubyte").string();
    fuzz::writeBytes(plain, data, size);
    readAsIdx(plain);

    // The same bytes gzip-compressed, so the decompressed path sees every input too.
    const std::string packed = (folder / "data-idx-ubyte.gz").string();
    gzFile file = gzopen(packed.c_str(), "wb1");
    fuzz::fuzzCheck(file != nullptr, "the harness can create its .gz file");
    if (size > 0)
        fuzz::fuzzCheck(gzwrite(file, data, unsigned(size)) == int(size), "the harness can write its .gz file");
    fuzz::fuzzCheck(gzclose(file) == Z_OK, "the harness can close its .gz file");
    readAsIdx(packed);
    return 0;
}
