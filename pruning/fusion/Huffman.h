#pragma once
// Canonical Huffman coding of small alphabets (Deep Compression's cluster indices and sparse-index
// gaps). Only the code lengths are stored: the canonical code follows from them, so a decoder
// needs one byte per symbol of the alphabet, not the tree.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace prunescope {

// Codes longer than this are never built (frequencies are flattened until they fit), so a decoder
// can refuse longer ones as corrupt.
inline constexpr int kMaxHuffmanCodeLength = 32;

// A decoding failure: a length table that is no prefix code, or bits that run out or match no code.
class HuffmanError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Code length of each symbol (0 = the symbol does not occur). One used symbol gets length 1 (a
// stream of n such symbols is n bits); no used symbol: every length 0.
std::vector<uint8_t> huffmanCodeLengths(const std::vector<uint64_t>& frequencies);

struct HuffmanStream {
    std::vector<uint8_t> lengths;  // per symbol of the alphabet
    uint64_t symbolCount = 0;
    uint64_t bitCount = 0;
    std::vector<uint8_t> bytes;  // bitCount bits, most significant bit first, zero-padded
};

// Throws std::invalid_argument for a symbol outside [0, alphabetSize).
HuffmanStream huffmanEncode(const std::vector<uint32_t>& symbols, uint32_t alphabetSize);

// Throws HuffmanError when the lengths are not a complete or single-code prefix code, when a
// length exceeds kMaxHuffmanCodeLength, or when the bits do not decode to exactly symbolCount symbols.
std::vector<uint32_t> huffmanDecode(const HuffmanStream& stream);

}  // namespace prunescope
