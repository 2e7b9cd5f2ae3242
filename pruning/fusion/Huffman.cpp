#include "fusion/Huffman.h"

#include <algorithm>
#include <numeric>
#include <queue>

namespace prunescope {
namespace {

// Plain Huffman lengths by merging the two lightest nodes; ties broken by node id so the result is
// deterministic.
std::vector<uint8_t> unlimitedLengths(const std::vector<uint64_t>& frequencies, int& longest)
{
    const size_t n = frequencies.size();
    std::vector<uint8_t> lengths(n, 0);
    longest = 0;
    std::vector<size_t> used;
    for (size_t s = 0; s < n; ++s) {
        if (frequencies[s] > 0)
            used.push_back(s);
    }
    if (used.empty())
        return lengths;
    if (used.size() == 1) {
        lengths[used[0]] = 1;
        longest = 1;
        return lengths;
    }
    // Nodes: leaves first, then internal ones; parent links give each leaf's depth.
    std::vector<size_t> parent(2 * used.size() - 1, 0);
    using Node = std::pair<uint64_t, size_t>;  // weight, id
    std::priority_queue<Node, std::vector<Node>, std::greater<Node>> queue;
    for (size_t i = 0; i < used.size(); ++i)
        queue.push({frequencies[used[i]], i});
    size_t next = used.size();
    while (queue.size() > 1) {
        const Node a = queue.top();
        queue.pop();
        const Node b = queue.top();
        queue.pop();
        parent[a.second] = parent[b.second] = next;
        queue.push({a.first + b.first, next});
        ++next;
    }
    const size_t root = next - 1;
    for (size_t i = 0; i < used.size(); ++i) {
        int depth = 0;
        for (size_t node = i; node != root; node = parent[node])
            ++depth;
        lengths[used[i]] = uint8_t(std::min(depth, 255));
        longest = std::max(longest, depth);
    }
    return lengths;
}

struct CanonicalTable {
    // For each length L: the first canonical code of that length, how many codes have it, and
    // where its symbols start in `symbols` (sorted by length, then symbol).
    std::vector<uint64_t> firstCode, count, offset;
    std::vector<uint32_t> symbols;
    std::vector<uint64_t> codeOf;  // per symbol
};

CanonicalTable canonicalTable(const std::vector<uint8_t>& lengths)
{
    CanonicalTable table;
    table.firstCode.assign(kMaxHuffmanCodeLength + 2, 0);
    table.count.assign(kMaxHuffmanCodeLength + 2, 0);
    table.offset.assign(kMaxHuffmanCodeLength + 2, 0);
    table.codeOf.assign(lengths.size(), 0);
    for (size_t s = 0; s < lengths.size(); ++s) {
        if (lengths[s] > kMaxHuffmanCodeLength)
            throw HuffmanError("a code length of " + std::to_string(lengths[s]) + " bits exceeds the limit of "
                               + std::to_string(kMaxHuffmanCodeLength));
        if (lengths[s] > 0)
            ++table.count[lengths[s]];
    }
    // Kraft sum in units of 2^-max: a prefix code needs it ≤ 1 (= 1 unless a single code).
    uint64_t kraft = 0;
    for (int length = 1; length <= kMaxHuffmanCodeLength; ++length)
        kraft += table.count[length] << (kMaxHuffmanCodeLength - length);
    const uint64_t full = uint64_t(1) << kMaxHuffmanCodeLength;
    const uint64_t used = std::accumulate(table.count.begin(), table.count.end(), uint64_t(0));
    if (kraft > full || (used > 1 && kraft != full))
        throw HuffmanError("the code lengths do not form a complete prefix code");
    uint64_t code = 0, position = 0;
    for (int length = 1; length <= kMaxHuffmanCodeLength; ++length) {
        code = (code + table.count[length - 1]) << 1;
        table.firstCode[length] = code;
        table.offset[length] = position;
        position += table.count[length];
    }
    table.symbols.resize(position);
    std::vector<uint64_t> filled(kMaxHuffmanCodeLength + 2, 0);
    for (int length = 1; length <= kMaxHuffmanCodeLength; ++length) {
        for (size_t s = 0; s < lengths.size(); ++s) {
            if (lengths[s] != length)
                continue;
            table.symbols[table.offset[length] + filled[length]] = uint32_t(s);
            table.codeOf[s] = table.firstCode[length] + filled[length];
            ++filled[length];
        }
    }
    return table;
}

}  // namespace

std::vector<uint8_t> huffmanCodeLengths(const std::vector<uint64_t>& frequencies)
{
    std::vector<uint64_t> flattened = frequencies;
    for (;;) {
        int longest = 0;
        std::vector<uint8_t> lengths = unlimitedLengths(flattened, longest);
        if (longest <= kMaxHuffmanCodeLength)
            return lengths;
        // Too deep (only for Fibonacci-like counts over billions of symbols): halve the counts,
        // keeping every used symbol used, until the tree fits. Slightly longer output, same code.
        for (auto& f : flattened) {
            if (f > 0)
                f = f / 2 + 1;
        }
    }
}

HuffmanStream huffmanEncode(const std::vector<uint32_t>& symbols, uint32_t alphabetSize)
{
    std::vector<uint64_t> frequencies(alphabetSize, 0);
    for (const uint32_t s : symbols) {
        if (s >= alphabetSize)
            throw std::invalid_argument("Huffman: symbol " + std::to_string(s) + " outside an alphabet of "
                                        + std::to_string(alphabetSize));
        ++frequencies[s];
    }
    HuffmanStream stream;
    stream.lengths = huffmanCodeLengths(frequencies);
    stream.symbolCount = symbols.size();
    const CanonicalTable table = canonicalTable(stream.lengths);
    uint64_t bits = 0;
    for (const uint32_t s : symbols)
        bits += stream.lengths[s];
    stream.bitCount = bits;
    stream.bytes.assign((bits + 7) / 8, 0);
    uint64_t at = 0;
    for (const uint32_t s : symbols) {
        const int length = stream.lengths[s];
        const uint64_t code = table.codeOf[s];
        for (int b = length - 1; b >= 0; --b, ++at) {
            if ((code >> b) & 1u)
                stream.bytes[at >> 3] |= uint8_t(0x80u >> (at & 7));
        }
    }
    return stream;
}

std::vector<uint32_t> huffmanDecode(const HuffmanStream& stream)
{
    const CanonicalTable table = canonicalTable(stream.lengths);
    if (stream.bitCount > uint64_t(stream.bytes.size()) * 8)
        throw HuffmanError("the stream declares " + std::to_string(stream.bitCount) + " bits but holds "
                           + std::to_string(stream.bytes.size() * 8));
    // Every symbol takes at least one bit, so a count beyond the bits is corrupt; checked before
    // anything is allocated from it.
    if (stream.symbolCount > stream.bitCount)
        throw HuffmanError("the stream declares " + std::to_string(stream.symbolCount) + " symbols in only "
                           + std::to_string(stream.bitCount) + " bits");
    std::vector<uint32_t> symbols;
    symbols.reserve(stream.symbolCount);
    uint64_t at = 0;
    while (symbols.size() < stream.symbolCount) {
        uint64_t code = 0;
        bool found = false;
        for (int length = 1; length <= kMaxHuffmanCodeLength; ++length) {
            if (at >= stream.bitCount)
                throw HuffmanError("the bits end inside symbol " + std::to_string(symbols.size() + 1) + " of "
                                   + std::to_string(stream.symbolCount));
            code = (code << 1) | ((stream.bytes[at >> 3] >> (7 - (at & 7))) & 1u);
            ++at;
            if (table.count[length] > 0 && code >= table.firstCode[length]
                && code - table.firstCode[length] < table.count[length]) {
                symbols.push_back(table.symbols[table.offset[length] + (code - table.firstCode[length])]);
                found = true;
                break;
            }
        }
        if (!found)
            throw HuffmanError("bits that match no code at bit " + std::to_string(at));
    }
    if (at != stream.bitCount)
        throw HuffmanError(std::to_string(stream.bitCount - at) + " bits left over after the last symbol");
    return symbols;
}

}  // namespace prunescope
