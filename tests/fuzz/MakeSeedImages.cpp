// Writes the JPEG seeds of fuzz_image_file with the encoder the data tests use (libjpeg-turbo):
// an 8×8 grey image and a 16×16 RGB one. Usage: fuzz_make_seed_images FOLDER

#include "SyntheticImages.h"

#include <cstdio>
#include <string>

using namespace prunescope::testsupport;

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FOLDER\n", argv[0]);
        return 2;
    }
    const std::string folder = argv[1];
    writeJpeg(folder + "/grey-8x8.jpg", syntheticImage(1, 1, 8, 8, 1), 75);
    writeJpeg(folder + "/rgb-16x16.jpg", syntheticImage(2, 3, 16, 16, 2), 75);
    return 0;
}
