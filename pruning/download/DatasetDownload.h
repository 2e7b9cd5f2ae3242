#pragma once
// Getting a known dataset onto the machine: every file fetched over HTTP(S) with libcurl, checked
// against its published MD5, archives unpacked with libarchive, and the finished folder moved into
// place in one rename. Whatever goes wrong (network, HTTP error, checksum, cancel, disk full), the
// temporary folder is removed and the data folder is left exactly as it was.

#include "core/DatasetCatalogue.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace prunescope {

// Why a download did not install anything; what() says what happened (and names the file).
class DownloadError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The cancel flag was seen: the transfer stopped and nothing was installed.
class DownloadCancelled : public DownloadError {
public:
    DownloadCancelled() : DownloadError("download cancelled: nothing was installed") {}
};

struct DownloadProgress {
    int64_t bytesDone = 0;  // of all the dataset's files
    int64_t bytesTotal = -1;  // -1 until the sizes of all files are known
    std::string currentFile;  // the file being fetched ("cifar-10-binary.tar.gz"), or being unpacked
    int fileIndex = 0;  // 0-based, of fileCount
    int fileCount = 0;
    bool unpacking = false;  // the files are in; the archives are being unpacked
    double etaSeconds = -1;  // -1 while not known
    double fraction() const { return bytesTotal > 0 ? double(bytesDone) / double(bytesTotal) : 0.0; }
};

struct DownloadOptions {
    // Replaces everything before each file's name in its official URL (a mirror, or a local test
    // server): "http://127.0.0.1:8080/cifar" fetches http://127.0.0.1:8080/cifar/cifar-10-binary.tar.gz.
    // Empty: the official locations. http, https and file URLs are accepted.
    std::string mirror;
    // Called on the downloading thread, at most every ~100 ms while bytes come in, and at each
    // file's start and end.
    std::function<void(const DownloadProgress&)> onProgress;
    // Checked at least every 100 ms, whether or not bytes come in: once set, the transfer stops
    // and installDataset throws DownloadCancelled.
    const std::atomic<bool>* cancel = nullptr;
};

// Downloads `dataset` into `targetDirectory` (created; its parents too). Throws DownloadError
// (DownloadCancelled on cancel) saying what happened; then neither the target nor a temporary
// folder exists afterwards unless they did before. Refuses a target that exists and is not empty.
void installDataset(const KnownDataset& dataset, const std::string& targetDirectory,
                    const DownloadOptions& options = {});

// The URL a file is fetched from: `url` itself, or the mirror followed by the file's name.
std::string downloadUrl(const DownloadFile& file, const std::string& mirror);
// The last path component of a URL: the name the file is stored under.
std::string downloadFileName(const std::string& url);

}  // namespace prunescope
