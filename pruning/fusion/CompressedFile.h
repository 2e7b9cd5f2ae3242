#pragma once
// The Deep Compression file (".psdc"): each shared layer as its codebook, its cluster indices and
// its sparse-index gaps, both Huffman coded; every other tensor (biases, BatchNorm) as fp32.
//
// Layout, little-endian:
//   magic "PSDC\r\n\x1a\n" · u32 version · u16 length + model id · u32 record count
//   records: u8 kind · u64 payload length · payload · u32 CRC-32 of kind and payload
//   kind 1, shared layer: name · u8 dims · i64 × dims · u8 bits · u8 index bits · u32 k · f32 × k
//           · u64 entries · cluster stream (alphabet k + 1, the last symbol a filler zero)
//           · gap stream (alphabet 2^index bits, symbol g = a gap of g + 1 elements)
//     stream: u32 alphabet · u8 code length × alphabet · u64 bit count · the bits, MSB first
//   kind 2, dense tensor: name · u8 dims · i64 × dims · f32 × elements
// Gaps longer than 2^index bits are bridged by filler entries (the paper's filler zeros), and
// fillers also carry the position to within one gap of the layer's end, so the decoder can check
// the declared shape against the entries it decoded before it allocates the layer.

#include "fusion/WeightSharing.h"
#include "models/Models.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope {

inline constexpr uint32_t kCompressedFileVersion = 1;

// A file that cannot be read as a compressed network; the message names the file and the problem.
class CompressedFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct CompressedLayer {
    SharedLayer shared;
    int indexBits = 5;  // width of a relative index (the paper: 8 for conv, 5 for fc)
};

struct DenseTensor {
    std::string name;
    std::vector<int64_t> shape;
    std::vector<float> values;
};

struct CompressedNetwork {
    std::string modelId;
    std::vector<CompressedLayer> layers;
    std::vector<DenseTensor> dense;
};

// `layers` as shared, and every other float parameter and buffer of `model` as fp32 (named as in
// named_parameters / named_buffers).
CompressedNetwork compressedNetworkOf(const ModelBase& model, const std::vector<SharedLayer>& layers,
                                      const std::vector<int>& indexBits);

std::vector<uint8_t> encodeCompressedNetwork(const CompressedNetwork& network);
// Throws CompressedFileError whose message starts with `source` (the file's path).
CompressedNetwork decodeCompressedNetwork(const std::vector<uint8_t>& bytes, const std::string& source);

// Writes the file; returns its size in bytes. Throws std::runtime_error naming the path on failure.
int64_t writeCompressedFile(const std::string& path, const CompressedNetwork& network);
// Throws CompressedFileError naming the path and what is wrong (missing, foreign, truncated,
// corrupt, newer version).
CompressedNetwork readCompressedFile(const std::string& path);

// The first tensor of `model` (shared layers and dense tensors, by name) that `network` does not
// reproduce bit for bit, described; nothing when all match.
std::optional<std::string> differenceFromModel(const CompressedNetwork& network, const ModelBase& model);

// Entries of a layer's sparse stream (kept weights plus filler zeros) at `indexBits`.
int64_t sparseEntries(const SharedLayer& layer, int indexBits);

// The steps of the paper's Table 1, in bytes.
struct CompressionSizes {
    int64_t fp32Bytes = 0;  // every stored tensor as fp32
    int64_t prunedBytes = 0;  // pruning only: fp32 kept weights + fixed-width relative indices
    int64_t sharedBytes = 0;  // + sharing: fixed-width cluster indices + codebooks
    int64_t fileBytes = 0;  // + Huffman: the file itself
};
CompressionSizes compressionSizes(const CompressedNetwork& network, int64_t fileBytes);

}  // namespace prunescope
