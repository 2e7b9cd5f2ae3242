#include "fusion/CompressedFile.h"

#include "fusion/Huffman.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <fstream>
#include <iterator>
#include <sstream>

namespace prunescope {
namespace {

constexpr uint8_t kMagic[8] = {'P', 'S', 'D', 'C', '\r', '\n', 0x1a, '\n'};
constexpr uint8_t kSharedRecord = 1;
constexpr uint8_t kDenseRecord = 2;
constexpr int kMaxDims = 8;
// Far above any zoo network's layer; a declared shape beyond it is corrupt, not large.
constexpr int64_t kMaxElements = int64_t(1) << 32;

class ByteWriter {
public:
    template <typename T>
    void put(T value)
    {
        uint8_t raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));  // the engine's targets are little-endian
        bytes.insert(bytes.end(), raw, raw + sizeof(T));
    }
    void putBytes(const std::vector<uint8_t>& data) { bytes.insert(bytes.end(), data.begin(), data.end()); }
    void putName(const std::string& name)
    {
        put(uint16_t(name.size()));
        bytes.insert(bytes.end(), name.begin(), name.end());
    }
    void putShape(const std::vector<int64_t>& shape)
    {
        put(uint8_t(shape.size()));
        for (const int64_t d : shape)
            put(d);
    }
    void putFloats(const std::vector<float>& values)
    {
        for (const float v : values)
            put(v);
    }
    std::vector<uint8_t> bytes;
};

// Reads within a bounded span; every read checks the bytes are there first, so no count from the
// file is trusted before it is held against what the file really holds.
class ByteReader {
public:
    ByteReader(const uint8_t* data, size_t size, std::string where) : m_data(data), m_size(size), m_where(where) {}

    size_t remaining() const { return m_size - m_at; }
    const uint8_t* here() const { return m_data + m_at; }

    void need(uint64_t n, const std::string& what) const
    {
        if (n > remaining())
            throw CompressedFileError(m_where + ": " + what + " needs " + std::to_string(n) + " bytes but only "
                                      + std::to_string(remaining()) + " remain (truncated or corrupt)");
    }
    template <typename T>
    T get(const std::string& what)
    {
        need(sizeof(T), what);
        T value;
        std::memcpy(&value, m_data + m_at, sizeof(T));
        m_at += sizeof(T);
        return value;
    }
    std::vector<uint8_t> getBytes(uint64_t n, const std::string& what)
    {
        need(n, what);
        std::vector<uint8_t> out(m_data + m_at, m_data + m_at + n);
        m_at += n;
        return out;
    }
    std::string getName()
    {
        const uint16_t length = get<uint16_t>("a name's length");
        need(length, "a name");
        std::string name(reinterpret_cast<const char*>(m_data + m_at), length);
        m_at += length;
        return name;
    }
    std::vector<int64_t> getShape(int64_t& elements)
    {
        const int dims = get<uint8_t>("a shape's rank");
        if (dims > kMaxDims)
            fail("a tensor of rank " + std::to_string(dims) + " (at most " + std::to_string(kMaxDims) + ")");
        std::vector<int64_t> shape;
        elements = 1;
        for (int i = 0; i < dims; ++i) {
            const int64_t d = get<int64_t>("a dimension");
            if (d < 0 || (d > 0 && elements > kMaxElements / d))
                fail("a dimension of " + std::to_string(d) + " (the tensor would exceed 2^32 elements)");
            elements *= d;
            shape.push_back(d);
        }
        return shape;
    }
    std::vector<float> getFloats(uint64_t n, const std::string& what)
    {
        need(n * 4, what);  // n ≤ 2^32 here, so no overflow
        std::vector<float> out(n);
        std::memcpy(out.data(), m_data + m_at, n * 4);
        m_at += n * 4;
        return out;
    }
    [[noreturn]] void fail(const std::string& problem) const { throw CompressedFileError(m_where + ": " + problem); }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_at = 0;
    std::string m_where;
};

uint32_t crcOf(const uint8_t* data, size_t size)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes at most 4 GiB per call.
    while (size > 0) {
        const uInt chunk = uInt(std::min<size_t>(size, 1u << 30));
        crc = crc32(crc, data, chunk);
        data += chunk;
        size -= chunk;
    }
    return uint32_t(crc);
}

struct SparseStreams {
    std::vector<uint32_t> clusters, gaps;
};

// Relative indices (the paper's Figure 2): each entry stores its distance from the previous one;
// a distance beyond 2^indexBits is bridged by filler entries of the widest gap whose cluster
// symbol (k) means "zero". Fillers also run on to within one gap of the layer's end.
SparseStreams sparseStreams(const SharedLayer& layer, int indexBits)
{
    SparseStreams streams;
    const int64_t widest = int64_t(1) << indexBits;
    const uint32_t filler = uint32_t(layer.centroids.size());
    int64_t previous = -1;
    auto bridge = [&](int64_t to) {
        while (to - previous > widest) {
            streams.gaps.push_back(uint32_t(widest - 1));
            streams.clusters.push_back(filler);
            previous += widest;
        }
    };
    for (size_t i = 0; i < layer.positions.size(); ++i) {
        bridge(layer.positions[i]);
        streams.gaps.push_back(uint32_t(layer.positions[i] - previous - 1));
        streams.clusters.push_back(layer.clusters[i]);
        previous = layer.positions[i];
    }
    // The end: the last element (numel - 1) lies within one gap of `previous`.
    bridge(layer.numel() - 1);
    return streams;
}

void putStream(ByteWriter& out, const HuffmanStream& stream)
{
    out.put(uint32_t(stream.lengths.size()));
    out.putBytes(stream.lengths);
    out.put(stream.bitCount);
    out.putBytes(stream.bytes);
}

HuffmanStream getStream(ByteReader& in, uint32_t expectedAlphabet, uint64_t symbols, const std::string& what)
{
    HuffmanStream stream;
    const uint32_t alphabet = in.get<uint32_t>(what + " alphabet");
    if (alphabet != expectedAlphabet)
        in.fail(what + " has an alphabet of " + std::to_string(alphabet) + " symbols, expected "
                + std::to_string(expectedAlphabet));
    stream.lengths = in.getBytes(alphabet, what + " code lengths");
    stream.bitCount = in.get<uint64_t>(what + " bit count");
    stream.bytes = in.getBytes((stream.bitCount + 7) / 8, what + " bits");
    stream.symbolCount = symbols;
    return stream;
}

std::vector<uint8_t> sharedRecord(const CompressedLayer& layer)
{
    const SharedLayer& shared = layer.shared;
    ByteWriter out;
    out.putName(shared.name);
    out.putShape(shared.shape);
    out.put(uint8_t(shared.bits));
    out.put(uint8_t(layer.indexBits));
    out.put(uint32_t(shared.centroids.size()));
    out.putFloats(shared.centroids);
    const SparseStreams streams = sparseStreams(shared, layer.indexBits);
    out.put(uint64_t(streams.clusters.size()));
    putStream(out, huffmanEncode(streams.clusters, uint32_t(shared.centroids.size() + 1)));
    putStream(out, huffmanEncode(streams.gaps, uint32_t(1) << layer.indexBits));
    return out.bytes;
}

CompressedLayer readShared(ByteReader& in)
{
    CompressedLayer layer;
    SharedLayer& shared = layer.shared;
    shared.name = in.getName();
    int64_t elements = 0;
    shared.shape = in.getShape(elements);
    shared.bits = in.get<uint8_t>("bits per weight");
    layer.indexBits = in.get<uint8_t>("bits per relative index");
    const std::string where = "layer '" + shared.name + "'";
    if (shared.bits < 1 || shared.bits > 16 || layer.indexBits < 1 || layer.indexBits > 16)
        in.fail(where + " declares " + std::to_string(shared.bits) + " bits per weight and "
                + std::to_string(layer.indexBits) + " per index (1 to 16 allowed)");
    const uint32_t k = in.get<uint32_t>("the codebook size");
    if (k > (uint32_t(1) << shared.bits))
        in.fail(where + " has " + std::to_string(k) + " centroids for " + std::to_string(shared.bits) + " bits");
    shared.centroids = in.getFloats(k, where + "'s codebook");
    const uint64_t entries = in.get<uint64_t>("the entry count");
    // Each entry costs at least one bit in each stream.
    if (entries > uint64_t(in.remaining()) * 8)
        in.fail(where + " declares " + std::to_string(entries) + " entries in " + std::to_string(in.remaining())
                + " bytes");
    std::vector<uint32_t> clusters, gaps;
    try {
        clusters = huffmanDecode(getStream(in, k + 1, entries, where + "'s cluster stream"));
        gaps = huffmanDecode(getStream(in, uint32_t(1) << layer.indexBits, entries, where + "'s gap stream"));
    } catch (const HuffmanError& e) {
        in.fail(where + ": " + e.what());
    }
    // The fillers carry the position to within one gap of the end, so the layer's size is held
    // against what was decoded before it is allocated.
    int64_t position = -1;
    for (uint64_t i = 0; i < entries; ++i) {
        position += int64_t(gaps[i]) + 1;
        if (position >= elements)
            in.fail(where + ": entry " + std::to_string(i + 1) + " lies beyond the layer's " + std::to_string(elements)
                    + " elements");
        if (clusters[i] == k)
            continue;  // a filler zero
        shared.positions.push_back(position);
        shared.clusters.push_back(clusters[i]);
    }
    if (elements - 1 - position > (int64_t(1) << layer.indexBits))
        in.fail(where + ": its entries end at element " + std::to_string(position + 1) + " of "
                + std::to_string(elements) + " (corrupt shape or entries)");
    return layer;
}

std::vector<uint8_t> denseRecord(const DenseTensor& tensor)
{
    ByteWriter out;
    out.putName(tensor.name);
    out.putShape(tensor.shape);
    out.putFloats(tensor.values);
    return out.bytes;
}

DenseTensor readDense(ByteReader& in)
{
    DenseTensor tensor;
    tensor.name = in.getName();
    int64_t elements = 0;
    tensor.shape = in.getShape(elements);
    if (uint64_t(elements) * 4 != in.remaining())
        in.fail("tensor '" + tensor.name + "' declares " + std::to_string(elements) + " elements but its record holds "
                + std::to_string(in.remaining()) + " bytes");
    tensor.values = in.getFloats(uint64_t(elements), "tensor '" + tensor.name + "'");
    return tensor;
}

bool bitEqual(const torch::Tensor& a, const torch::Tensor& b)
{
    if (a.sizes() != b.sizes() || a.scalar_type() != b.scalar_type())
        return false;
    const torch::Tensor ca = a.contiguous(), cb = b.contiguous();
    return std::memcmp(ca.data_ptr(), cb.data_ptr(), size_t(ca.numel()) * ca.element_size()) == 0;
}

}  // namespace

int64_t sparseEntries(const SharedLayer& layer, int indexBits)
{
    return int64_t(sparseStreams(layer, indexBits).gaps.size());
}

CompressedNetwork compressedNetworkOf(const ModelBase& model, const std::vector<SharedLayer>& layers,
                                      const std::vector<int>& indexBits)
{
    if (indexBits.size() != layers.size())
        throw std::invalid_argument("compressedNetworkOf: one index width per shared layer");
    CompressedNetwork network;
    network.modelId = model.modelId();
    std::vector<torch::Tensor> sharedWeights;
    for (size_t i = 0; i < layers.size(); ++i) {
        network.layers.push_back({layers[i], indexBits[i]});
        for (const auto& prunable : model.prunableLayers()) {
            if (prunable.name == layers[i].name)
                sharedWeights.push_back(prunable.weight);
        }
    }
    auto addDense = [&](const std::string& name, const torch::Tensor& tensor) {
        for (const auto& shared : sharedWeights) {
            if (shared.is_same(tensor))
                return;
        }
        // Integer buffers (BatchNorm's batch counter) play no part in inference.
        if (tensor.scalar_type() != torch::kFloat32)
            return;
        const torch::Tensor flat = tensor.detach().contiguous().view(-1);
        network.dense.push_back({name, tensor.sizes().vec(),
                                 std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel())});
    };
    for (const auto& item : model.named_parameters())
        addDense(item.key(), item.value());
    for (const auto& item : model.named_buffers())
        addDense(item.key(), item.value());
    return network;
}

std::vector<uint8_t> encodeCompressedNetwork(const CompressedNetwork& network)
{
    ByteWriter out;
    out.bytes.assign(std::begin(kMagic), std::end(kMagic));
    out.put(kCompressedFileVersion);
    out.putName(network.modelId);
    out.put(uint32_t(network.layers.size() + network.dense.size()));
    auto record = [&](uint8_t kind, const std::vector<uint8_t>& payload) {
        std::vector<uint8_t> checked{kind};
        checked.insert(checked.end(), payload.begin(), payload.end());
        out.put(kind);
        out.put(uint64_t(payload.size()));
        out.putBytes(payload);
        out.put(crcOf(checked.data(), checked.size()));
    };
    for (const auto& layer : network.layers)
        record(kSharedRecord, sharedRecord(layer));
    for (const auto& tensor : network.dense)
        record(kDenseRecord, denseRecord(tensor));
    return out.bytes;
}

CompressedNetwork decodeCompressedNetwork(const std::vector<uint8_t>& bytes, const std::string& source)
{
    if (bytes.size() < sizeof kMagic + 4 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw CompressedFileError(source + ": not a PruneScope Deep Compression file (it does not start with PSDC)");
    ByteReader in(bytes.data() + sizeof kMagic, bytes.size() - sizeof kMagic, source);
    const uint32_t version = in.get<uint32_t>("the format version");
    if (version != kCompressedFileVersion)
        in.fail("format version " + std::to_string(version) + "; this build reads version "
                + std::to_string(kCompressedFileVersion));
    CompressedNetwork network;
    network.modelId = in.getName();
    const uint32_t records = in.get<uint32_t>("the record count");
    constexpr size_t kRecordOverhead = 1 + 8 + 4;
    if (records > in.remaining() / kRecordOverhead)
        in.fail("it declares " + std::to_string(records) + " records in " + std::to_string(in.remaining())
                + " bytes (truncated or corrupt)");
    for (uint32_t r = 0; r < records; ++r) {
        const std::string which = "record " + std::to_string(r + 1) + " of " + std::to_string(records);
        const uint8_t kind = in.get<uint8_t>(which);
        const uint64_t length = in.get<uint64_t>(which + "'s length");
        if (length > in.remaining() || in.remaining() - length < 4)
            in.fail(which + " is cut off: it declares " + std::to_string(length) + " bytes, the file holds "
                    + std::to_string(in.remaining()) + " more (truncated file)");
        const uint8_t* payload = in.here();
        in.getBytes(length, which);
        const uint32_t stored = in.get<uint32_t>(which + "'s checksum");
        std::vector<uint8_t> checked{kind};
        checked.insert(checked.end(), payload, payload + length);
        if (crcOf(checked.data(), checked.size()) != stored)
            in.fail(which + " fails its CRC-32 check (the file is corrupt)");
        ByteReader body(payload, size_t(length), source + ", " + which);
        if (kind == kSharedRecord) {
            network.layers.push_back(readShared(body));
            if (body.remaining() != 0)
                body.fail(std::to_string(body.remaining()) + " unexpected bytes at the end of the layer");
        } else if (kind == kDenseRecord) {
            network.dense.push_back(readDense(body));
        } else {
            body.fail("unknown record kind " + std::to_string(kind));
        }
    }
    if (in.remaining() != 0)
        in.fail(std::to_string(in.remaining()) + " unexpected bytes after the last record");
    return network;
}

int64_t writeCompressedFile(const std::string& path, const CompressedNetwork& network)
{
    const std::vector<uint8_t> bytes = encodeCompressedNetwork(network);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out)
        throw std::runtime_error("could not write the compressed network to " + path);
    return int64_t(bytes.size());
}

CompressedNetwork readCompressedFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CompressedFileError(path + ": cannot be opened");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw CompressedFileError(path + ": read error");
    return decodeCompressedNetwork(bytes, path);
}

std::optional<std::string> differenceFromModel(const CompressedNetwork& network, const ModelBase& model)
{
    for (const auto& layer : network.layers) {
        const auto& layers = model.prunableLayers();
        const auto it
            = std::find_if(layers.begin(), layers.end(), [&](const auto& l) { return l.name == layer.shared.name; });
        if (it == layers.end())
            return "the model has no layer '" + layer.shared.name + "'";
        if (!bitEqual(layer.shared.weights(), it->weight.detach()))
            return "layer '" + layer.shared.name + "' decodes to other weights";
    }
    std::map<std::string, torch::Tensor> tensors;
    for (const auto& item : model.named_parameters())
        tensors[item.key()] = item.value();
    for (const auto& item : model.named_buffers())
        tensors[item.key()] = item.value();
    for (const auto& tensor : network.dense) {
        const auto it = tensors.find(tensor.name);
        if (it == tensors.end())
            return "the model has no tensor '" + tensor.name + "'";
        const torch::Tensor decoded = torch::tensor(tensor.values, torch::kFloat32).view(tensor.shape);
        if (!bitEqual(decoded, it->second.detach()))
            return "tensor '" + tensor.name + "' decodes to other values";
    }
    return std::nullopt;
}

CompressionSizes compressionSizes(const CompressedNetwork& network, int64_t fileBytes)
{
    CompressionSizes sizes;
    int64_t prunedBits = 0, sharedBits = 0, denseBytes = 0;
    for (const auto& layer : network.layers) {
        const int64_t entries = sparseEntries(layer.shared, layer.indexBits);
        sizes.fp32Bytes += 4 * layer.shared.numel();
        prunedBits += entries * (32 + layer.indexBits);
        sharedBits += entries * (layer.shared.bits + layer.indexBits) + 32 * int64_t(layer.shared.centroids.size());
    }
    for (const auto& tensor : network.dense)
        denseBytes += 4 * int64_t(tensor.values.size());
    sizes.fp32Bytes += denseBytes;
    sizes.prunedBytes = (prunedBits + 7) / 8 + denseBytes;
    sizes.sharedBytes = (sharedBits + 7) / 8 + denseBytes;
    sizes.fileBytes = fileBytes;
    return sizes;
}

}  // namespace prunescope
