#pragma once
// Image folders: one sub-folder per class (under train/ and test/, or one folder whose classes are
// split by a seeded fraction), PNG or JPEG files of any size, grey or RGB. Decoded on all cores
// (libpng, libjpeg-turbo) and cached as one file of pixels keyed by the folder's content, so the
// second load reads a file instead of decoding every image again.

#include "core/ExperimentConfig.h"
#include "data/DatasetReaders.h"

#include <cstdint>
#include <string>
#include <vector>

namespace prunescope {

// Where decoded image folders are cached: $XDG_CACHE_HOME/PruneScope/image-folders (default
// ~/.cache/PruneScope/image-folders).
std::string imageFolderCacheDirectory();

// One decoded image: channels × height × width bytes, channel by channel (as a tensor wants them).
struct DecodedImage {
    int64_t channels = 0, height = 0, width = 0;
    std::vector<uint8_t> pixels;
};
// Decodes a PNG or JPEG file (recognised by its first bytes, not its name) to grey (1 channel) or
// RGB (3); alpha is dropped. Throws DataError naming the file and what is wrong with it.
DecodedImage decodeImageFile(const std::string& path);

struct ImageFolderLoad {
    RawDataset data;  // limits applied
    bool fromCache = false;  // read from the cache file instead of decoding
    int64_t skippedFiles = 0;  // unreadable files skipped (config.unreadableImages == Skip)
    std::string cacheFile;  // "" when the cache could not be written
    std::string report;  // one line for the run log
};
// Loads config.directory as an image folder, through the cache in `cacheDirectory` (a cache file
// that does not read back exactly is ignored and rebuilt). Throws DataError naming the file.
ImageFolderLoad loadImageFolder(const DatasetConfig& config, const std::string& cacheDirectory);

}  // namespace prunescope
