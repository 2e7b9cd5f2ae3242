#include "SyntheticImages.h"

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <tuple>

namespace prunescope::testsupport {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> interleaved(const PlaneImage& image)
{
    const size_t plane = size_t(image.height) * size_t(image.width);
    std::vector<uint8_t> out(image.pixels.size());
    for (size_t p = 0; p < plane; ++p)
        for (int c = 0; c < image.channels; ++c)
            out[p * size_t(image.channels) + size_t(c)] = image.pixels[size_t(c) * plane + p];
    return out;
}

}  // namespace

PlaneImage syntheticImage(int label, int channels, int height, int width, uint64_t variant)
{
    std::mt19937_64 rng(variant * 7919 + uint64_t(label));
    std::uniform_int_distribution<int> noise(0, 60);
    std::uniform_int_distribution<int> jitter(-1, 1);
    PlaneImage image{channels, height, width, std::vector<uint8_t>(size_t(channels * height * width))};
    for (auto& pixel : image.pixels)
        pixel = uint8_t(noise(rng));
    const int side = std::max(2, std::min(height, width) / 5);
    const int cells = 5;
    const int top = std::clamp((label / cells % cells) * (height - side) / (cells - 1) + jitter(rng), 0, height - side);
    const int left = std::clamp((label % cells) * (width - side) / (cells - 1) + jitter(rng), 0, width - side);
    for (int c = 0; c < channels; ++c) {
        // In colour, classes 25 apart share a position but not a colour.
        const int value = channels == 1 ? 230 : 120 + 110 * (((label / 25) + c) % 2);
        for (int y = top; y < top + side; ++y)
            for (int x = left; x < left + side; ++x)
                image.pixels[size_t((c * height + y) * width + x)] = uint8_t(value);
    }
    return image;
}

void writePng(const std::string& path, const PlaneImage& image)
{
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = png_uint_32(image.width);
    png.height = png_uint_32(image.height);
    png.format = image.channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
    const std::vector<uint8_t> rows = interleaved(image);
    if (!png_image_write_to_file(&png, path.c_str(), 0, rows.data(), 0, nullptr))
        throw std::runtime_error(path + ": cannot write PNG (" + png.message + ")");
}

void writeJpeg(const std::string& path, const PlaneImage& image, int quality)
{
    struct Closer {
        void operator()(void* handle) const { tjDestroy(handle); }
    };
    std::unique_ptr<void, Closer> handle(tjInitCompress());
    const std::vector<uint8_t> rows = interleaved(image);
    unsigned char* jpeg = nullptr;
    unsigned long size = 0;
    const bool grey = image.channels == 1;
    if (tjCompress2(handle.get(), rows.data(), image.width, 0, image.height, grey ? TJPF_GRAY : TJPF_RGB, &jpeg, &size,
                    grey ? TJSAMP_GRAY : TJSAMP_444, quality, 0)
        != 0)
        throw std::runtime_error(path + ": cannot encode JPEG (" + tjGetErrorStr2(handle.get()) + ")");
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(jpeg), std::streamsize(size));
    tjFree(jpeg);
    if (!out)
        throw std::runtime_error(path + ": cannot write");
}

void writeCifarFile(const std::string& path, const std::vector<PlaneImage>& images,
                    const std::vector<std::vector<uint8_t>>& labels)
{
    std::ofstream out(path, std::ios::binary);
    for (size_t i = 0; i < images.size(); ++i) {
        out.write(reinterpret_cast<const char*>(labels[i].data()), std::streamsize(labels[i].size()));
        out.write(reinterpret_cast<const char*>(images[i].pixels.data()), std::streamsize(images[i].pixels.size()));
    }
    if (!out)
        throw std::runtime_error(path + ": cannot write");
}

void writeSyntheticCifar10(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed)
{
    fs::create_directories(directory);
    int64_t written = 0;
    for (int batch = 1; batch <= 5; ++batch) {
        const int64_t count = trainCount * batch / 5 - written;
        std::vector<PlaneImage> images;
        std::vector<std::vector<uint8_t>> labels;
        for (int64_t i = written; i < written + count; ++i) {
            images.push_back(syntheticImage(int(i % 10), 3, 32, 32, seed * 1000003 + uint64_t(i)));
            labels.push_back({uint8_t(i % 10)});
        }
        writeCifarFile(directory + "/data_batch_" + std::to_string(batch) + ".bin", images, labels);
        written += count;
    }
    std::vector<PlaneImage> images;
    std::vector<std::vector<uint8_t>> labels;
    for (int64_t i = 0; i < testCount; ++i) {
        images.push_back(syntheticImage(int(i % 10), 3, 32, 32, seed * 2000003 + uint64_t(i)));
        labels.push_back({uint8_t(i % 10)});
    }
    writeCifarFile(directory + "/test_batch.bin", images, labels);
}

void writeSyntheticCifar100(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed)
{
    fs::create_directories(directory);
    for (const auto& [name, count, offset] :
         {std::tuple{"train.bin", trainCount, 1000003ull}, std::tuple{"test.bin", testCount, 2000003ull}}) {
        std::vector<PlaneImage> images;
        std::vector<std::vector<uint8_t>> labels;
        for (int64_t i = 0; i < count; ++i) {
            const int fine = int(i % 100);
            images.push_back(syntheticImage(fine, 3, 32, 32, seed * offset + uint64_t(i)));
            labels.push_back({uint8_t(fine / 5), uint8_t(fine)});
        }
        writeCifarFile(directory + "/" + name, images, labels);
    }
}

void writeSyntheticImageFolder(const std::string& directory, const ImageFolderSpec& spec)
{
    const char* extension = spec.type == ImageFileType::Png ? ".png" : ".jpg";
    auto writeSplit = [&](const fs::path& root, int perClass, uint64_t offset) {
        for (int c = 0; c < spec.classes; ++c) {
            const fs::path folder = root / ("class_" + std::to_string(c));
            fs::create_directories(folder);
            for (int i = 0; i < perClass; ++i) {
                char name[16];
                std::snprintf(name, sizeof name, "%04d", i);
                const PlaneImage image
                    = syntheticImage(c, spec.channels, spec.side, spec.side, spec.seed * offset + uint64_t(i));
                const std::string path = (folder / (std::string(name) + extension)).string();
                if (spec.type == ImageFileType::Png)
                    writePng(path, image);
                else
                    writeJpeg(path, image);
            }
        }
    };
    if (spec.testPerClass > 0) {
        writeSplit(fs::path(directory) / "train", spec.trainPerClass, 1000003);
        writeSplit(fs::path(directory) / "test", spec.testPerClass, 2000003);
    } else {
        writeSplit(fs::path(directory), spec.trainPerClass, 1000003);
    }
}

}  // namespace prunescope::testsupport
