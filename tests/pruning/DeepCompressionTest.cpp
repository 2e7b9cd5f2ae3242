// Deep Compression's parts on tiny layers checked by hand (k-means, the gradient-sum centroid
// update, Huffman coding, the compressed file) and one small real run on Fashion-MNIST.
#include "experiment/Runner.h"
#include "experiment/StoredRun.h"
#include "export/InferenceModule.h"
#include "fusion/CompressedFile.h"
#include "fusion/Huffman.h"
#include "fusion/WeightSharing.h"
#include "models/Models.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

using namespace prunescope;
namespace fs = std::filesystem;

namespace {

fs::path scratchDir()
{
    const fs::path dir = fs::temp_directory_path()
        / ("prunescope-dc-" + std::to_string(::getpid()) + "-"
           + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::vector<uint8_t> readBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

// The message of the CompressedFileError that reading `path` throws; "" when it reads.
std::string refusal(const fs::path& path)
{
    try {
        readCompressedFile(path.string());
    } catch (const CompressedFileError& e) {
        return e.what();
    }
    return "";
}

bool bitEqual(const torch::Tensor& a, const torch::Tensor& b)
{
    return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type()
        && std::memcmp(a.contiguous().data_ptr(), b.contiguous().data_ptr(), size_t(a.numel()) * a.element_size()) == 0;
}

// A layer with ~90 % of its elements pruned in long runs, so gaps overflow small index widths.
SharedLayer sparseLayer(const std::string& name, std::vector<int64_t> shape, int bits, uint64_t seed)
{
    torch::manual_seed(int64_t(seed));
    const torch::Tensor weight = torch::randn(shape);
    torch::Tensor mask = torch::rand(shape).gt(0.9).to(torch::kFloat32);
    mask.view(-1).narrow(0, 0, std::min<int64_t>(300, mask.numel())).zero_();  // a gap of 300 at the start
    WeightSharingOptions options;
    options.bits = bits;
    return shareWeights(name, weight, mask, options);
}

}  // namespace

TEST(WeightSharing, InitialCentroidsOfEachInitialisationOnAKnownLayer)
{
    const std::vector<float> even{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_EQ(initialCentroids(even, 3, CentroidInit::Linear, 0), (std::vector<float>{0, 5, 10}));
    // Most of the mass at 0 and one large outlier: linear spans the range, density follows the mass.
    const std::vector<float> skewed{0, 0, 0, 0, 0, 0, 1, 2, 3, 100};
    EXPECT_EQ(initialCentroids(skewed, 2, CentroidInit::Linear, 0), (std::vector<float>{0, 100}));
    EXPECT_EQ(initialCentroids(skewed, 2, CentroidInit::Density, 0), (std::vector<float>{0, 2}));
    // Random: distinct members of the layer, ascending, the same for the same seed.
    const std::vector<float> drawn = initialCentroids(even, 4, CentroidInit::Random, 7);
    ASSERT_EQ(drawn.size(), 4u);
    EXPECT_TRUE(std::is_sorted(drawn.begin(), drawn.end()));
    EXPECT_EQ(std::adjacent_find(drawn.begin(), drawn.end()), drawn.end());
    for (const float c : drawn)
        EXPECT_NE(std::find(even.begin(), even.end(), c), even.end()) << c;
    EXPECT_EQ(initialCentroids(even, 4, CentroidInit::Random, 7), drawn);
    // More centroids than distinct weights: one per distinct weight.
    EXPECT_EQ(initialCentroids({2, 2, 5}, 8, CentroidInit::Random, 1), (std::vector<float>{2, 5}));
    EXPECT_TRUE(initialCentroids({}, 4, CentroidInit::Linear, 0).empty());
}

TEST(WeightSharing, KMeansFindsTheTwoGroupsFromEveryInitialisation)
{
    const std::vector<float> values{1, 11, 2, 12, 3, 10};
    for (const CentroidInit init : {CentroidInit::Linear, CentroidInit::Density, CentroidInit::Random}) {
        SCOPED_TRACE(centroidInitName(init));
        const KMeansResult result = kMeans1d(values, initialCentroids(values, 2, init, 3), 20);
        EXPECT_EQ(result.centroids, (std::vector<float>{2, 11}));
        EXPECT_EQ(result.assignment, (std::vector<uint32_t>{0, 1, 0, 1, 0, 1}));
    }
}

TEST(WeightSharing, OnlyTheKeptWeightsAreClusteredAndPrunedOnesStayZero)
{
    const torch::Tensor weight = torch::tensor({1.0f, 5.0f, 2.0f, 100.0f, 11.0f, 12.0f}).view({2, 3});
    const torch::Tensor mask = torch::tensor({1.0f, 0.0f, 1.0f, 0.0f, 1.0f, 1.0f}).view({2, 3});
    WeightSharingOptions options;
    options.bits = 1;
    const SharedLayer layer = shareWeights("fc", weight, mask, options);
    EXPECT_EQ(layer.positions, (std::vector<int64_t>{0, 2, 4, 5}));
    EXPECT_EQ(layer.centroids, (std::vector<float>{1.5f, 11.5f}));
    EXPECT_EQ(layer.clusters, (std::vector<uint32_t>{0, 0, 1, 1}));
    EXPECT_TRUE(torch::equal(layer.weights(), torch::tensor({1.5f, 0.0f, 1.5f, 0.0f, 11.5f, 11.5f}).view({2, 3})));
}

TEST(WeightSharing, EachCentroidMovesByTheSumOfItsClustersGradients)
{
    // Clusters {-1, 2}; elements 3 and 5 pruned.
    SharedLayer layer;
    layer.name = "fc";
    layer.shape = {2, 3};
    layer.bits = 1;
    layer.centroids = {-1.0f, 2.0f};
    layer.positions = {0, 1, 2, 4};
    layer.clusters = {0, 1, 0, 1};
    const torch::Tensor assignment = clusterAssignment(layer);
    torch::Tensor weight = layer.weights().clone().requires_grad_(true);
    torch::optim::SGD sgd({weight}, torch::optim::SGDOptions(0.5));
    weight.mutable_grad() = torch::tensor({0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}).view({2, 3});
    torch::Tensor grad = weight.grad();
    shareGradients(grad, assignment, 2);
    // Cluster 0 holds elements 0 and 2: 0.1 + 0.3 = 0.4; cluster 1 elements 1 and 4: 0.2 + 0.5 = 0.7.
    EXPECT_TRUE(torch::allclose(weight.grad(), torch::tensor({0.4f, 0.7f, 0.4f, 0.0f, 0.7f, 0.0f}).view({2, 3})));
    sgd.step();
    torch::Tensor data = weight.detach();
    snapToCentroids(data, assignment, layer);
    // By hand: -1 - 0.5 · 0.4 = -1.2; 2 - 0.5 · 0.7 = 1.65.
    EXPECT_NEAR(layer.centroids[0], -1.2f, 1e-6);
    EXPECT_NEAR(layer.centroids[1], 1.65f, 1e-6);
    EXPECT_TRUE(bitEqual(weight.detach(), layer.weights()));
    EXPECT_EQ(weight.detach().view(-1)[3].item<float>(), 0.0f);
    EXPECT_EQ(weight.detach().view(-1)[5].item<float>(), 0.0f);
}

TEST(Huffman, RandomSymbolsRoundTripAndBeatFixedWidthOnASkewedSource)
{
    std::mt19937_64 engine(11);
    std::vector<uint32_t> symbols;
    for (int i = 0; i < 20000; ++i) {
        // Geometric-like: small symbols frequent, as cluster indices near zero are.
        uint32_t s = 0;
        while (s < 32 && (engine() & 3u) == 0)
            ++s;
        symbols.push_back(engine() % 7 == 0 ? uint32_t(engine() % 33) : s);
    }
    const HuffmanStream stream = huffmanEncode(symbols, 33);
    EXPECT_EQ(huffmanDecode(stream), symbols);
    EXPECT_LT(stream.bitCount, symbols.size() * 6);  // 6 bits would be the fixed width for 33 symbols
    EXPECT_EQ(stream.bytes.size(), (stream.bitCount + 7) / 8);

    // Uniform over a full alphabet: every code as long as the fixed width.
    std::vector<uint32_t> uniform;
    for (int i = 0; i < 4096; ++i)
        uniform.push_back(uint32_t(i % 256));
    const HuffmanStream flat = huffmanEncode(uniform, 256);
    EXPECT_EQ(flat.bitCount, 4096u * 8);
    EXPECT_EQ(huffmanDecode(flat), uniform);
}

TEST(Huffman, DegenerateInputsRoundTrip)
{
    const std::vector<uint32_t> single(1000, 7);
    const HuffmanStream one = huffmanEncode(single, 32);
    EXPECT_EQ(one.bitCount, 1000u);  // one bit per symbol
    EXPECT_EQ(huffmanDecode(one), single);

    const HuffmanStream empty = huffmanEncode({}, 32);
    EXPECT_EQ(empty.bitCount, 0u);
    EXPECT_TRUE(empty.bytes.empty());
    EXPECT_TRUE(huffmanDecode(empty).empty());

    const HuffmanStream lone = huffmanEncode({0}, 1);
    EXPECT_EQ(huffmanDecode(lone), (std::vector<uint32_t>{0}));
}

TEST(Huffman, DamagedStreamsAreRefused)
{
    const std::vector<uint32_t> symbols{0, 1, 2, 3, 0, 0, 1};
    HuffmanStream stream = huffmanEncode(symbols, 4);
    HuffmanStream tooMany = stream;
    tooMany.symbolCount = 1000;
    EXPECT_THROW(huffmanDecode(tooMany), HuffmanError);
    HuffmanStream badLengths = stream;
    badLengths.lengths = {1, 1, 1, 1};  // not a prefix code
    EXPECT_THROW(huffmanDecode(badLengths), HuffmanError);
    HuffmanStream shortBits = stream;
    shortBits.bitCount -= 1;
    EXPECT_THROW(huffmanDecode(shortBits), HuffmanError);
}

TEST(CompressedFile, WrittenFileReadsBackToTheSharedWeightsBitForBit)
{
    const fs::path dir = scratchDir();
    CompressedNetwork network;
    network.modelId = "handmade";
    // Index widths of 3 bits: the start gap of 300 and the ~10-element gaps need filler zeros.
    network.layers.push_back({sparseLayer("conv", {16, 8, 3, 3}, 8, 1), 3});
    network.layers.push_back({sparseLayer("fc", {50, 40}, 5, 2), 5});
    SharedLayer empty;  // a layer pruned to nothing
    empty.name = "empty";
    empty.shape = {10, 10};
    empty.bits = 5;
    network.layers.push_back({empty, 4});
    // 100 elements, none kept, gaps of at most 16: fillers at 15, 31, 47, 63, 79, 95 reach the end.
    EXPECT_EQ(sparseEntries(empty, 4), 6);
    network.dense.push_back({"fc.bias", {3}, {0.5f, -1.25f, 3.0f}});
    const fs::path path = dir / "network.psdc";
    const int64_t bytes = writeCompressedFile(path.string(), network);
    EXPECT_EQ(bytes, int64_t(fs::file_size(path)));
    EXPECT_GT(sparseEntries(network.layers[0].shared, 3), int64_t(network.layers[0].shared.positions.size()));

    const CompressedNetwork read = readCompressedFile(path.string());
    EXPECT_EQ(read.modelId, "handmade");
    ASSERT_EQ(read.layers.size(), network.layers.size());
    for (size_t i = 0; i < read.layers.size(); ++i) {
        SCOPED_TRACE(network.layers[i].shared.name);
        EXPECT_EQ(read.layers[i].shared.positions, network.layers[i].shared.positions);
        EXPECT_EQ(read.layers[i].shared.centroids, network.layers[i].shared.centroids);
        EXPECT_EQ(read.layers[i].indexBits, network.layers[i].indexBits);
        EXPECT_TRUE(bitEqual(read.layers[i].shared.weights(), network.layers[i].shared.weights()));
    }
    ASSERT_EQ(read.dense.size(), 1u);
    EXPECT_EQ(read.dense[0].values, network.dense[0].values);
    EXPECT_EQ(read.dense[0].shape, (std::vector<int64_t>{3}));

    const CompressionSizes sizes = compressionSizes(read, bytes);
    EXPECT_EQ(sizes.fp32Bytes, 4 * (16 * 8 * 3 * 3 + 50 * 40 + 10 * 10 + 3));
    int64_t prunedBits = 0, sharedBits = 0;
    for (const auto& layer : read.layers) {
        const int64_t entries = sparseEntries(layer.shared, layer.indexBits);
        prunedBits += entries * (32 + layer.indexBits);
        sharedBits += entries * (layer.shared.bits + layer.indexBits) + 32 * int64_t(layer.shared.centroids.size());
    }
    EXPECT_EQ(sizes.prunedBytes, (prunedBits + 7) / 8 + 12);
    EXPECT_EQ(sizes.sharedBytes, (sharedBits + 7) / 8 + 12);
    EXPECT_EQ(sizes.fileBytes, bytes);
    fs::remove_all(dir);
}

TEST(CompressedFile, AModelsSharedNetworkDecodesToTheModel)
{
    torch::manual_seed(3);
    const DataShape shape{1, 28, 28, 10};
    std::shared_ptr<ModelBase> model = createModel("lenet5", shape);
    MaskSet masks;
    for (const auto& layer : model->prunableLayers())
        masks.compose(layer.name, torch::rand(layer.weight.sizes()).gt(0.8).to(torch::kFloat32));
    masks.applyToWeights(*model);
    std::vector<LayerSharing> sharing;
    for (const auto& layer : model->prunableLayers())
        sharing.push_back({layer.name, layer.kind == LayerKind::Conv ? 8 : 5, layer.kind == LayerKind::Conv ? 8 : 5});
    const CentroidFineTuning shared(*model, masks, sharing, {});
    for (const auto& layer : shared.layers())
        EXPECT_LE(std::get<0>(torch::_unique(layer.weights())).numel(), (int64_t(1) << layer.bits) + 1) << layer.name;
    const CompressedNetwork network = compressedNetworkOf(*model, shared.layers(), shared.indexBits());
    EXPECT_EQ(network.dense.size(), model->prunableLayers().size());  // the biases
    const CompressedNetwork decoded = decodeCompressedNetwork(encodeCompressedNetwork(network), "memory");
    EXPECT_EQ(differenceFromModel(decoded, *model), std::nullopt);
    // A changed weight is noticed.
    {
        torch::NoGradGuard noGrad;
        torch::Tensor weight = model->prunableLayers()[1].weight;
        weight.view(-1).select(0, 5).add_(1.0);
    }
    EXPECT_NE(differenceFromModel(decoded, *model), std::nullopt);
}

TEST(CompressedFile, CorruptTruncatedForeignAndNewerFilesAreRefusedByName)
{
    const fs::path dir = scratchDir();
    CompressedNetwork network;
    network.modelId = "handmade";
    network.layers.push_back({sparseLayer("fc", {60, 50}, 5, 4), 5});
    network.dense.push_back({"fc.bias", {2}, {1.0f, 2.0f}});
    const fs::path good = dir / "good.psdc";
    writeCompressedFile(good.string(), network);
    const std::vector<uint8_t> bytes = readBytes(good);
    ASSERT_EQ(refusal(good), "");

    std::vector<uint8_t> flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x10;
    writeBytes(dir / "corrupt.psdc", flipped);
    const std::string corrupt = refusal(dir / "corrupt.psdc");
    EXPECT_NE(corrupt.find((dir / "corrupt.psdc").string()), std::string::npos) << corrupt;
    EXPECT_NE(corrupt.find("CRC-32"), std::string::npos) << corrupt;

    for (const size_t keep : {bytes.size() - 1, bytes.size() / 2, size_t(20), size_t(3)}) {
        writeBytes(dir / "cut.psdc", std::vector<uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(keep)));
        const std::string cut = refusal(dir / "cut.psdc");
        SCOPED_TRACE(cut);
        EXPECT_NE(cut.find((dir / "cut.psdc").string()), std::string::npos);
        EXPECT_TRUE(cut.find("truncated") != std::string::npos || cut.find("not a PruneScope") != std::string::npos);
    }

    std::vector<uint8_t> longer = bytes;
    longer.push_back(0);
    writeBytes(dir / "longer.psdc", longer);
    EXPECT_NE(refusal(dir / "longer.psdc").find("unexpected bytes after the last record"), std::string::npos);

    writeBytes(dir / "foreign.psdc", {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    EXPECT_NE(refusal(dir / "foreign.psdc").find("not a PruneScope Deep Compression file"), std::string::npos);

    std::vector<uint8_t> newer = bytes;
    newer[8] = 2;  // the version follows the 8-byte magic
    writeBytes(dir / "newer.psdc", newer);
    EXPECT_NE(refusal(dir / "newer.psdc").find("format version 2"), std::string::npos);

    // A record count far beyond what the file can hold is refused before anything is allocated.
    std::vector<uint8_t> counted = bytes;
    const size_t countAt = 8 + 4 + 2 + network.modelId.size();
    counted[countAt + 3] = 0x7f;
    writeBytes(dir / "counted.psdc", counted);
    EXPECT_NE(refusal(dir / "counted.psdc").find("records in"), std::string::npos);

    EXPECT_NE(refusal(dir / "missing.psdc").find("cannot be opened"), std::string::npos);
    fs::remove_all(dir);
}

TEST(DeepCompressionRun, FashionMnistThroughTheRunnerWritesTheFileItsSizeIsStoredAs)
{
    const fs::path dir = scratchDir();
    ExperimentConfig config = defaultExperiment();
    config.model = "lenet300100";
    config.method = "deep_compression";
    config.methodParams = {{"sparsity", 0.9}, {"centroid_epochs", int64_t(1)}};
    config.dataset.trainLimit = 3000;
    config.dataset.testLimit = 1000;
    config.denseTraining.epochs = 1;
    config.fineTuning.epochs = 1;
    config.latencyRepeats = 0;
    config.threads = 2;
    config.cacheDirectory = (dir / "cache").string();
    struct : RunObserver {
        std::vector<std::string> log;
        std::vector<PruningStep> steps;
        std::vector<EpochMetrics> epochs;
        void onLog(const std::string& line) override { log.push_back(line); }
        void onPruningStep(const PruningStep& step) override { steps.push_back(step); }
        void onEpoch(const EpochMetrics& e) override { epochs.push_back(e); }
    } observer;
    std::atomic<bool> cancel{false};
    RunOutputs outputs;
    outputs.modelFile = (dir / "run" / "final.pt").string();
    const RunSummary summary = runExperiment(config, observer, cancel, outputs);

    const fs::path file = compressedNetworkBeside(outputs.modelFile);
    ASSERT_TRUE(fs::exists(file));
    EXPECT_EQ(summary.sparseBytes, int64_t(fs::file_size(file)));
    // 90 % pruned and 5-bit shared: far below the fp32 size.
    EXPECT_GT(double(summary.denseBytes) / double(summary.sparseBytes), 15.0);
    EXPECT_GT(summary.testAccuracy, 0.5);
    bool centroids = false;
    for (const auto& e : observer.epochs)
        centroids = centroids || e.phase == "centroids";
    EXPECT_TRUE(centroids);
    bool sizesLogged = false;
    for (const auto& line : observer.log)
        sizesLogged = sizesLogged
            || (line.find("deep compression: fp32") != std::string::npos
                && line.find("+ Huffman") != std::string::npos);
    EXPECT_TRUE(sizesLogged);

    // The file decodes to the saved network bit for bit, and every layer holds at most 2^bits values.
    const CompressedNetwork decoded = readCompressedFile(file.string());
    const std::shared_ptr<ModelBase> saved = loadCheckpoint(outputs.modelFile);
    EXPECT_EQ(differenceFromModel(decoded, *saved), std::nullopt);
    ASSERT_EQ(decoded.layers.size(), 3u);
    for (const auto& layer : decoded.layers) {
        EXPECT_EQ(layer.shared.bits, 5);
        EXPECT_LE(layer.shared.centroids.size(), 32u);
    }
    // Pruned weights stayed zero through centroid fine-tuning: the kept fraction is the target's.
    EXPECT_NEAR(double(decoded.layers[0].shared.positions.size()) / double(decoded.layers[0].shared.numel()), 0.1,
                0.002);
    fs::remove_all(dir);
}
