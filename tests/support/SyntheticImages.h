#pragma once
// Writes small, learnable datasets in the CIFAR binary formats and as image folders (PNG or
// JPEG, with the libraries the loader decodes with), so tests exercise the real readers. Class c
// draws a bright square at a position that depends on c over seeded noise; in colour, the square
// also has a colour of its own.

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope::testsupport {

// One image as channel planes (channels × height × width bytes).
struct PlaneImage {
    int channels = 1, height = 28, width = 28;
    std::vector<uint8_t> pixels;
};

// A learnable image of class `label` (see the file comment); `variant` seeds its noise.
PlaneImage syntheticImage(int label, int channels, int height, int width, uint64_t variant);

// PNG (grey or RGB) and JPEG (quality 95, 4:4:4) files of a plane image.
void writePng(const std::string& path, const PlaneImage& image);
void writeJpeg(const std::string& path, const PlaneImage& image, int quality = 95);

// data_batch_1..5.bin (trainCount records spread over the five) and test_batch.bin, records of a
// label byte and a 3×32×32 image; labels i % 10.
void writeSyntheticCifar10(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed = 1);
// train.bin and test.bin, records of a coarse and a fine label byte and a 3×32×32 image; fine
// label i % 100, coarse label fine / 5.
void writeSyntheticCifar100(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed = 1);
// One CIFAR record file from images and labels (labelBytes 1: CIFAR-10; 2: coarse then fine).
void writeCifarFile(const std::string& path, const std::vector<PlaneImage>& images,
                    const std::vector<std::vector<uint8_t>>& labels);

enum class ImageFileType { Png, Jpeg };
struct ImageFolderSpec {
    int classes = 3;
    int trainPerClass = 10;
    int testPerClass = 4;  // 0: one folder per class, no train/ and test/
    int channels = 1;
    int side = 16;
    ImageFileType type = ImageFileType::Png;
    uint64_t seed = 1;
};
// class_0/, class_1/, ... under train/ and test/ (or directly under directory), files
// 0000.png, 0001.png, ...
void writeSyntheticImageFolder(const std::string& directory, const ImageFolderSpec& spec);

}  // namespace prunescope::testsupport
