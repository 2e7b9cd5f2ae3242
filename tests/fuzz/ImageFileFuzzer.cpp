// libFuzzer target: the image decoder of image-folder datasets (pruning/data/ImageFolder's
// decodeImageFile: PNG through libpng, JPEG through libjpeg-turbo) on any bytes written as one
// image file. DataError is the decoder's answer to a bad file. Findings: a crash, a leak, UB, an
// allocation over -malloc_limit_mb (an image header claiming a size its file cannot hold), another
// exception type, or a decoded image whose pixels do not match its shape.
//
// PNG chunks carry a CRC that libpng checks first, so nearly every mutation of a PNG would only
// test the CRC check: the harness writes each complete chunk's CRC anew (as libpng's own fuzzer
// tells libpng to ignore it), and the mutated header and data reach the decoder.

#include "FuzzSupport.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace prunescope;

namespace {

uint32_t bigEndian(const uint8_t* p)
{
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

// The bytes with every complete PNG chunk's CRC recomputed; other bytes unchanged.
std::vector<uint8_t> withPngCrcsFixed(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> bytes(data, data + size);
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size < 8 || std::memcmp(data, signature, 8) != 0)
        return bytes;
    size_t at = 8;
    while (at + 12 <= size) {
        const uint32_t length = bigEndian(&bytes[at]);
        if (length > size - at - 12)
            break;
        const uLong crc = crc32(0, &bytes[at + 4], uInt(length + 4));
        for (int i = 0; i < 4; ++i)
            bytes[at + 8 + length + size_t(i)] = uint8_t(crc >> (24 - 8 * i));
        at += 12 + length;
    }
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto path = fuzz::scratchFolder("image") / "image";
    const std::vector<uint8_t> bytes = withPngCrcsFixed(data, size);
    fuzz::writeBytes(path, bytes.data(), bytes.size());
    try {
        const DecodedImage image = decodeImageFile(path.string());
        fuzz::fuzzCheck(image.channels == 1 || image.channels == 3, "an image is grey or RGB");
        fuzz::fuzzCheck(image.height >= 1 && image.width >= 1, "an image has pixels");
        fuzz::fuzzCheck(image.pixels.size() == size_t(image.channels * image.height * image.width),
                        "the pixels match the shape");
    } catch (const DataError&) {
    }
    return 0;
}
