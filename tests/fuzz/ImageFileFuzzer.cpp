// libFuzzer target: the image decoder of image-folder datasets (pruning/data/ImageFolder's
// decodeImageFile: PNG through libpng, JPEG through libjpeg-turbo) on any bytes written as one
// image file. DataError is the decoder's answer to a bad file. Findings: a crash, a leak, UB, an
// allocation over -malloc_limit_mb (an image header claiming a size its file cannot hold), another
// exception type, or a decoded image whose pixels do not match its shape.

#include "FuzzSupport.h"
#include "data/IdxReader.h"
#include "data/ImageFolder.h"

#include <cstddef>
#include <cstdint>

using namespace prunescope;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto path = fuzz::scratchFolder("image") / "image";
    fuzz::writeBytes(path, data, size);
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
