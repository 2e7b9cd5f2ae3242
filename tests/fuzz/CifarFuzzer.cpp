// libFuzzer target: the CIFAR binary readers (pruning/data/CifarReader) on any bytes, written as
// both files of a CIFAR-100 folder (train.bin, test.bin) and read with fine and coarse labels, and
// as CIFAR-10's six batches, through readCifarDataset and inspectCifarDataset (what the CLI's
// `datasets` check and a run use). DataError is the reader's answer to a bad file. Findings: a
// crash, a leak, UB, an allocation over -malloc_limit_mb, another exception type, or labels
// outside the classes.

#include "FuzzSupport.h"
#include "data/DatasetReaders.h"
#include "data/IdxReader.h"

#include <cstddef>
#include <cstdint>

using namespace prunescope;

namespace {

void readFolder(const DatasetConfig& config)
{
    try {
        (void)inspectCifarDataset(config);
    } catch (const DataError&) {
    }
    try {
        const RawDataset raw = readCifarDataset(config);
        for (const RawSplit* split : {&raw.train, &raw.test}) {
            fuzz::fuzzCheck(split->images.size(0) == split->labels.size(0), "as many labels as images");
            if (split->labels.numel() > 0)
                fuzz::fuzzCheck(split->labels.min().item<int64_t>() >= 0
                                    && split->labels.max().item<int64_t>() < raw.classes,
                                "every label is one of the classes");
        }
    } catch (const DataError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const auto& folder = fuzz::scratchFolder("cifar");
    const auto cifar100 = folder / "cifar100";
    const auto cifar10 = folder / "cifar10";
    std::filesystem::create_directories(cifar100);
    std::filesystem::create_directories(cifar10);
    for (const char* name : {"train.bin", "test.bin"})
        fuzz::writeBytes(cifar100 / name, data, size);
    for (const char* name : {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                             "data_batch_5.bin", "test_batch.bin"})
        fuzz::writeBytes(cifar10 / name, data, size);

    DatasetConfig config;
    config.name = "cifar100";
    config.directory = cifar100.string();
    config.cifarLabels = CifarLabels::Fine;
    readFolder(config);
    config.cifarLabels = CifarLabels::Coarse;
    config.trainLimit = 1;  // the limits stop reading early
    readFolder(config);
    config = DatasetConfig{};
    config.name = "cifar10";
    config.directory = cifar10.string();
    readFolder(config);
    return 0;
}
