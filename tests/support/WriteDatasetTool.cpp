// Writes an IDX dataset (Fashion-MNIST) out in the other formats PruneScope reads, for the
// real-data check of the loaders (docs/check-dataset-formats.sh):
//   write_dataset png-folder   IDX_DIR OUT  train/<class>/<n>.png and test/<class>/<n>.png, grey
//   write_dataset idx-by-class IDX_DIR OUT  the IDX files with each split's images in the order
//                                           an image folder lists them (by class, then by n)
//   write_dataset cifar10      IDX_DIR OUT  data_batch_1..5.bin + test_batch.bin: each image
//                                           zero-padded 28→32 and its grey in all 3 channels
//   write_dataset idx-padded   IDX_DIR OUT  the IDX files with each image zero-padded 28→32
// The image order of cifar10 and idx-padded is the IDX order.
#include "SyntheticImages.h"
#include "data/IdxReader.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>

using namespace prunescope;
using namespace prunescope::testsupport;
namespace fs = std::filesystem;

namespace {

struct Split {
    IdxArray images, labels;
};

Split readSplit(const std::string& directory, const std::string& prefix)
{
    return {readIdxFile(findIdxFile(directory, prefix + "-images-idx3-ubyte"), 3),
            readIdxFile(findIdxFile(directory, prefix + "-labels-idx1-ubyte"), 1)};
}

PlaneImage imageAt(const Split& split, int64_t i, int pad, int channels)
{
    const int height = int(split.images.dims[1]), width = int(split.images.dims[2]);
    PlaneImage image{channels, height + 2 * pad, width + 2 * pad,
                     std::vector<uint8_t>(size_t(channels * (height + 2 * pad) * (width + 2 * pad)), 0)};
    const uint8_t* source = split.images.bytes.data() + i * height * width;
    for (int c = 0; c < channels; ++c)
        for (int y = 0; y < height; ++y)
            std::copy(source + y * width, source + (y + 1) * width,
                      image.pixels.begin() + ((c * image.height + y + pad) * image.width + pad));
    return image;
}

// The order an image folder lists a split in: by class, then by file name (= IDX index).
std::vector<int64_t> byClass(const Split& split)
{
    std::vector<int64_t> order(size_t(split.labels.dims[0]));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        return split.labels.bytes[size_t(a)] < split.labels.bytes[size_t(b)];
    });
    return order;
}

void writeIdxSplit(const std::string& out, const std::string& prefix, const Split& split,
                   const std::vector<int64_t>& order, int pad)
{
    const int64_t n = int64_t(order.size());
    const int64_t side = split.images.dims[1] + 2 * pad;
    IdxArray images{{n, side, split.images.dims[2] + 2 * pad}, {}};
    IdxArray labels{{n}, {}};
    for (int64_t i : order) {
        const PlaneImage image = imageAt(split, i, pad, 1);
        images.bytes.insert(images.bytes.end(), image.pixels.begin(), image.pixels.end());
        labels.bytes.push_back(split.labels.bytes[size_t(i)]);
    }
    writeIdxFile(out + "/" + prefix + "-images-idx3-ubyte.gz", images);
    writeIdxFile(out + "/" + prefix + "-labels-idx1-ubyte.gz", labels);
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::cerr << "usage: write_dataset png-folder|idx-by-class|cifar10|idx-padded IDX_DIR OUT\n";
        return 2;
    }
    const std::string mode = argv[1], in = argv[2], out = argv[3];
    try {
        fs::create_directories(out);
        const Split train = readSplit(in, "train"), test = readSplit(in, "t10k");
        if (mode == "png-folder") {
            for (const auto& [name, split] : {std::pair{"train", &train}, std::pair{"test", &test}}) {
                for (int64_t i = 0; i < split->labels.dims[0]; ++i) {
                    const fs::path folder
                        = fs::path(out) / name / ("class_" + std::to_string(split->labels.bytes[size_t(i)]));
                    fs::create_directories(folder);
                    char file[32];
                    std::snprintf(file, sizeof file, "%05lld.png", static_cast<long long>(i));
                    writePng((folder / file).string(), imageAt(*split, i, 0, 1));
                }
            }
        } else if (mode == "idx-by-class") {
            writeIdxSplit(out, "train", train, byClass(train), 0);
            writeIdxSplit(out, "t10k", test, byClass(test), 0);
        } else if (mode == "idx-padded") {
            for (const auto& [prefix, split] : {std::pair{"train", &train}, std::pair{"t10k", &test}}) {
                std::vector<int64_t> order(size_t(split->labels.dims[0]));
                std::iota(order.begin(), order.end(), 0);
                writeIdxSplit(out, prefix, *split, order, 2);
            }
        } else if (mode == "cifar10") {
            auto write = [&](const Split& split, int64_t begin, int64_t end, const std::string& name) {
                std::vector<PlaneImage> images;
                std::vector<std::vector<uint8_t>> labels;
                for (int64_t i = begin; i < end; ++i) {
                    images.push_back(imageAt(split, i, 2, 3));
                    labels.push_back({split.labels.bytes[size_t(i)]});
                }
                writeCifarFile(out + "/" + name, images, labels);
            };
            const int64_t n = train.labels.dims[0];
            for (int batch = 0; batch < 5; ++batch)
                write(train, n * batch / 5, n * (batch + 1) / 5, "data_batch_" + std::to_string(batch + 1) + ".bin");
            write(test, 0, test.labels.dims[0], "test_batch.bin");
        } else {
            std::cerr << "write_dataset: unknown mode " << mode << "\n";
            return 2;
        }
    } catch (const std::exception& e) {
        std::cerr << "write_dataset: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
