#pragma once
// Writes a small, learnable IDX dataset (the Fashion-MNIST file layout) into a directory, so tests
// exercise the real loading code without the network or the full dataset.

#include <cstdint>
#include <string>

namespace prunescope::testsupport {

// Class c draws a bright 6×6 square at a position that depends on c, plus seeded noise.
// Writes train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-... into directory.
void writeSyntheticIdxDataset(const std::string& directory, int64_t trainCount, int64_t testCount, uint64_t seed = 1);

}  // namespace prunescope::testsupport
