#include "SyntheticIdx.h"

#include "data/IdxReader.h"

#include <filesystem>
#include <random>

namespace prunescope::testsupport {
namespace {

void writeSplit(const std::string& directory, const std::string& prefix, int64_t count, std::mt19937_64& rng)
{
    IdxArray images{{count, 28, 28}, std::vector<uint8_t>(size_t(count * 28 * 28))};
    IdxArray labels{{count}, std::vector<uint8_t>(size_t(count))};
    std::uniform_int_distribution<int> noise(0, 60);
    std::uniform_int_distribution<int> jitter(-1, 1);
    for (int64_t i = 0; i < count; ++i) {
        const int label = int(i % 10);
        labels.bytes[size_t(i)] = uint8_t(label);
        uint8_t* image = images.bytes.data() + i * 28 * 28;
        for (int p = 0; p < 28 * 28; ++p)
            image[p] = uint8_t(noise(rng));
        const int top = 2 + (label / 5) * 12 + jitter(rng) + 1;
        const int left = 2 + (label % 5) * 5 + jitter(rng) + 1;
        for (int y = top; y < top + 6 && y < 28; ++y)
            for (int x = left; x < left + 6 && x < 28; ++x)
                image[y * 28 + x] = 230;
    }
    writeIdxFile(directory + "/" + prefix + "-images-idx3-ubyte.gz", images);
    writeIdxFile(directory + "/" + prefix + "-labels-idx1-ubyte.gz", labels);
}

}  // namespace

void writeSyntheticIdxDataset(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed)
{
    std::filesystem::create_directories(directory);
    std::mt19937_64 rng(seed);
    writeSplit(directory, "train", trainCount, rng);
    writeSplit(directory, "t10k", testCount, rng);
}

}  // namespace prunescope::testsupport
