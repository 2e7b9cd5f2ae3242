#include "download/DatasetDownload.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

namespace prunescope {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// The user's progress callback, throttled ("don't spam the progress bar"), with the ETA from the
// average rate since the first byte.
class ProgressReporter {
public:
    ProgressReporter(const DownloadOptions& options, int fileCount) : m_options(options)
    {
        m_progress.fileCount = fileCount;
    }

    void setTotal(int64_t total) { m_progress.bytesTotal = total; }
    void startFile(int index, const std::string& name)
    {
        m_progress.fileIndex = index;
        m_progress.currentFile = name;
        m_bytesBeforeFile = m_progress.bytesDone;
        report(true);
    }
    // Bytes of the current file received so far.
    void received(int64_t bytesOfFile)
    {
        m_progress.bytesDone = m_bytesBeforeFile + bytesOfFile;
        if (m_firstByte == Clock::time_point{} && bytesOfFile > 0)
            m_firstByte = Clock::now();
        report(false);
    }
    void endFile() { report(true); }
    void unpacking(const std::string& name)
    {
        m_progress.unpacking = true;
        m_progress.currentFile = name;
        m_progress.etaSeconds = -1;
        report(true);
    }

private:
    void report(bool always)
    {
        if (!m_options.onProgress)
            return;
        const auto now = Clock::now();
        if (!always && now - m_lastReport < std::chrono::milliseconds(100))
            return;
        m_lastReport = now;
        if (!m_progress.unpacking) {
            const double elapsed = std::chrono::duration<double>(now - m_firstByte).count();
            const bool known = m_firstByte != Clock::time_point{} && m_progress.bytesTotal > 0
                && m_progress.bytesDone > 0 && elapsed >= 0.5;
            m_progress.etaSeconds = known
                ? elapsed * double(m_progress.bytesTotal - m_progress.bytesDone) / double(m_progress.bytesDone)
                : -1;
        }
        m_options.onProgress(m_progress);
    }

    const DownloadOptions& m_options;
    DownloadProgress m_progress;
    int64_t m_bytesBeforeFile = 0;
    Clock::time_point m_firstByte{};
    Clock::time_point m_lastReport{};
};

bool cancelRequested(const DownloadOptions& options)
{
    return options.cancel && options.cancel->load();
}

void initialiseCurl()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw DownloadError("cannot initialise libcurl");
    });
}

struct CurlDeleter {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct MultiDeleter {
    void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct Md5Deleter {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct FileCloser {
    void operator()(FILE* file) const { std::fclose(file); }
};
struct ArchiveDeleter {
    void operator()(archive* a) const { archive_read_free(a); }
};

// What the curl callbacks share with the transfer.
struct Transfer {
    FILE* out = nullptr;
    EVP_MD_CTX* md5 = nullptr;
    int64_t received = 0;
    int writeErrno = 0;
    bool cancelled = false;
    ProgressReporter* reporter = nullptr;
    const DownloadOptions* options = nullptr;
};

size_t writeToFile(char* data, size_t size, size_t count, void* user)
{
    auto* transfer = static_cast<Transfer*>(user);
    const size_t bytes = size * count;
    if (std::fwrite(data, 1, bytes, transfer->out) != bytes) {
        transfer->writeErrno = errno ? errno : EIO;
        return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    EVP_DigestUpdate(transfer->md5, data, bytes);
    transfer->received += int64_t(bytes);
    return bytes;
}

// Called by curl while bytes come in, and about once a second when none do: a non-zero return
// aborts the transfer (a cancel asked for from the progress callback itself ends it here).
int onTransferProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto* transfer = static_cast<Transfer*>(user);
    if (!cancelRequested(*transfer->options) && transfer->reporter)
        transfer->reporter->received(transfer->received);
    // Checked after reporting too: the progress callback may have asked to cancel.
    if (cancelRequested(*transfer->options)) {
        transfer->cancelled = true;
        return 1;
    }
    return 0;
}

// curl_easy_perform, but waiting for the socket at most 100 ms at a time and checking the cancel
// flag in between: a cancel set from another thread stops a transfer the server holds open within
// a tenth of a second (curl's progress callback alone runs only about once a second then).
CURLcode perform(CURL* curl, Transfer& transfer)
{
    std::unique_ptr<CURLM, MultiDeleter> multi(curl_multi_init());
    if (!multi || curl_multi_add_handle(multi.get(), curl) != CURLM_OK)
        return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    int running = 1;
    while (running > 0) {
        if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        if (cancelRequested(*transfer.options)) {
            transfer.cancelled = true;
            break;
        }
        if (running > 0 && curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
    }
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
        if (message->msg == CURLMSG_DONE)
            result = message->data.result;
    }
    curl_multi_remove_handle(multi.get(), curl);
    return result;
}

std::unique_ptr<CURL, CurlDeleter> newRequest(const std::string& url, char* errorBuffer)
{
    initialiseCurl();
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl)
        throw DownloadError("cannot start a transfer (libcurl)");
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    // A connection that delivers nothing for a minute is given up rather than waited on forever.
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "PruneScope");
    return curl;
}

std::string transferFailure(const std::string& name, const std::string& url, CURL* curl, CURLcode code,
                            const char* errorBuffer)
{
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (code == CURLE_HTTP_RETURNED_ERROR || status >= 400)
        return "download of " + name + " failed: the server answered HTTP " + std::to_string(status) + " for " + url;
    const std::string detail = errorBuffer && *errorBuffer ? errorBuffer : curl_easy_strerror(code);
    return "download of " + name + " failed: " + detail + " (" + url + ")";
}

// The file's size from a HEAD request; -1 when the server does not say. Throws on an HTTP error
// or an unreachable server, so a wrong mirror fails before anything is fetched.
int64_t remoteSize(const std::string& name, const std::string& url, const DownloadOptions& options)
{
    char errorBuffer[CURL_ERROR_SIZE] = {};
    auto curl = newRequest(url, errorBuffer);
    Transfer transfer;
    transfer.options = &options;
    curl_easy_setopt(curl.get(), CURLOPT_NOBODY, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, onTransferProgress);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &transfer);
    const CURLcode code = perform(curl.get(), transfer);
    if (transfer.cancelled)
        throw DownloadCancelled();
    if (code != CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        if (status == 405 || status == 501)  // the server does not answer HEAD: size unknown
            return -1;
        throw DownloadError(transferFailure(name, url, curl.get(), code, errorBuffer));
    }
    curl_off_t length = -1;
    curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    return int64_t(length);
}

std::string hex(const unsigned char* bytes, unsigned size)
{
    static const char* digits = "0123456789abcdef";
    std::string text;
    for (unsigned i = 0; i < size; ++i) {
        text += digits[bytes[i] >> 4];
        text += digits[bytes[i] & 15];
    }
    return text;
}

// Fetches url into `path` and returns the MD5 of what arrived.
std::string fetch(const std::string& name, const std::string& url, const fs::path& path, ProgressReporter& reporter,
                  const DownloadOptions& options)
{
    std::unique_ptr<FILE, FileCloser> out(std::fopen(path.c_str(), "wb"));
    if (!out)
        throw DownloadError("cannot write " + path.string() + ": " + std::strerror(errno));
    std::unique_ptr<EVP_MD_CTX, Md5Deleter> md5(EVP_MD_CTX_new());
    if (!md5 || EVP_DigestInit_ex(md5.get(), EVP_md5(), nullptr) != 1)
        throw DownloadError("cannot compute MD5 sums (OpenSSL)");
    char errorBuffer[CURL_ERROR_SIZE] = {};
    auto curl = newRequest(url, errorBuffer);
    Transfer transfer{out.get(), md5.get(), 0, 0, false, &reporter, &options};
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, writeToFile);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, onTransferProgress);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &transfer);
    const CURLcode code = perform(curl.get(), transfer);
    if (transfer.cancelled)
        throw DownloadCancelled();
    if (transfer.writeErrno)
        throw DownloadError("cannot write " + path.string() + ": " + std::strerror(transfer.writeErrno));
    if (code != CURLE_OK)
        throw DownloadError(transferFailure(name, url, curl.get(), code, errorBuffer));
    if (std::fflush(out.get()) != 0 || std::fclose(out.release()) != 0)
        throw DownloadError("cannot write " + path.string() + ": " + std::strerror(errno));
    reporter.received(transfer.received);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_DigestFinal_ex(md5.get(), digest, &size);
    return hex(digest, size);
}

std::string archiveError(archive* a)
{
    const char* message = archive_error_string(a);
    return message ? message : "unknown error";
}

// An archive member's path, split into its parts ("." and empty parts dropped). Refuses what
// could write outside the folder it is unpacked into.
std::vector<std::string> safeMemberPath(const std::string& archiveName, const char* rawPath)
{
    const std::string path = rawPath ? rawPath : "";
    if (path.empty() || path[0] == '/')
        throw DownloadError("archive " + archiveName + " holds an absolute path '" + path + "': refusing to unpack it");
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string part = path.substr(start, end - start);
        if (part == "..")
            throw DownloadError("archive " + archiveName + " holds a path leaving its folder ('" + path
                                + "'): refusing to unpack it");
        if (!part.empty() && part != ".")
            parts.push_back(part);
        start = end + 1;
    }
    return parts;
}

// Unpacks regular files and folders; refuses links, devices and paths leaving `into`.
void unpack(const fs::path& archivePath, const std::string& archiveName, const fs::path& into,
            const DownloadOptions& options)
{
    std::unique_ptr<archive, ArchiveDeleter> reader(archive_read_new());
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_all(reader.get());
    if (archive_read_open_filename(reader.get(), archivePath.c_str(), 1 << 16) != ARCHIVE_OK)
        throw DownloadError("cannot open archive " + archiveName + ": " + archiveError(reader.get()));
    archive_entry* entry = nullptr;
    int status;
    while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
        if (cancelRequested(options))
            throw DownloadCancelled();
        const std::string memberName = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        const std::vector<std::string> parts = safeMemberPath(archiveName, archive_entry_pathname(entry));
        const auto type = archive_entry_filetype(entry);
        if (archive_entry_hardlink(entry) || type == AE_IFLNK)
            throw DownloadError("archive " + archiveName + " holds a link ('" + memberName
                                + "'): refusing to unpack it");
        if (type != AE_IFREG && type != AE_IFDIR)
            throw DownloadError("archive " + archiveName + " holds a device or special file ('" + memberName
                                + "'): refusing to unpack it");
        fs::path target = into;
        for (const auto& part : parts)
            target /= part;
        if (type == AE_IFDIR) {
            fs::create_directories(target);
            continue;
        }
        if (parts.empty())
            continue;
        fs::create_directories(target.parent_path());
        std::unique_ptr<FILE, FileCloser> out(std::fopen(target.c_str(), "wb"));
        if (!out)
            throw DownloadError("cannot write " + target.string() + ": " + std::strerror(errno));
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int read;
        while ((read = archive_read_data_block(reader.get(), &block, &size, &offset)) == ARCHIVE_OK) {
            if (std::fseek(out.get(), long(offset), SEEK_SET) != 0 || std::fwrite(block, 1, size, out.get()) != size)
                throw DownloadError("cannot write " + target.string() + ": " + std::strerror(errno));
            if (cancelRequested(options))
                throw DownloadCancelled();
        }
        if (read != ARCHIVE_EOF)
            throw DownloadError("archive " + archiveName + " is damaged at '" + memberName
                                + "': " + archiveError(reader.get()));
        if (std::fflush(out.get()) != 0 || std::fclose(out.release()) != 0)
            throw DownloadError("cannot write " + target.string() + ": " + std::strerror(errno));
    }
    if (status != ARCHIVE_EOF)
        throw DownloadError("archive " + archiveName + " is damaged: " + archiveError(reader.get()));
}

// Moves what `from` holds into `into`: the contents of its one top-level folder when it has
// exactly one (the archive's "cifar-10-batches-bin/"), else everything.
void moveUnpacked(const fs::path& from, const fs::path& into, const std::string& archiveName)
{
    std::vector<fs::path> entries(fs::directory_iterator(from), fs::directory_iterator{});
    fs::path source = from;
    if (entries.size() == 1 && fs::is_directory(entries[0]))
        source = entries[0];
    for (const auto& entry : fs::directory_iterator(source)) {
        const fs::path destination = into / entry.path().filename();
        if (fs::exists(destination))
            throw DownloadError("archive " + archiveName + " holds " + entry.path().filename().string()
                                + ", which another of the dataset's files already holds");
        fs::rename(entry.path(), destination);
    }
}

// The folders missing on the way to `directory`, outermost first.
std::vector<fs::path> missingFolders(const fs::path& directory)
{
    std::vector<fs::path> missing;
    for (fs::path p = directory; !p.empty() && !fs::exists(p); p = p.parent_path()) {
        missing.insert(missing.begin(), p);
        if (p == p.parent_path())
            break;
    }
    return missing;
}

void removeQuietly(const fs::path& path)
{
    std::error_code ignored;
    fs::remove_all(path, ignored);
}

}  // namespace

std::string downloadFileName(const std::string& url)
{
    const std::string withoutQuery = url.substr(0, url.find_first_of("?#"));
    const size_t slash = withoutQuery.find_last_of('/');
    return slash == std::string::npos ? withoutQuery : withoutQuery.substr(slash + 1);
}

std::string downloadUrl(const DownloadFile& file, const std::string& mirror)
{
    if (mirror.empty())
        return file.url;
    std::string base = mirror;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + "/" + downloadFileName(file.url);
}

void installDataset(const KnownDataset& dataset, const std::string& targetDirectory, const DownloadOptions& options)
{
    if (dataset.downloads.empty())
        throw DownloadError(dataset.title + " cannot be downloaded: install it yourself and choose its folder");
    if (targetDirectory.empty())
        throw DownloadError("no folder to install " + dataset.title + " into");
    const fs::path target = fs::absolute(fs::path(targetDirectory)).lexically_normal();
    const fs::path targetPath = target.filename().empty() ? target.parent_path() : target;
    std::error_code error;
    if (fs::exists(targetPath, error) && !fs::is_directory(targetPath, error))
        throw DownloadError(targetPath.string() + " exists and is not a folder: PruneScope will not overwrite it");
    if (fs::is_directory(targetPath, error) && !fs::is_empty(targetPath, error))
        throw DownloadError(targetPath.string()
                            + " already exists and is not empty: PruneScope never overwrites a folder; remove it or "
                              "choose another one");

    // Everything happens in a hidden folder beside the target (same file system, so the last
    // step is one rename); the folders created on the way are removed again on failure.
    const std::vector<fs::path> createdFolders = missingFolders(targetPath.parent_path());
    fs::path temporary;
    try {
        fs::create_directories(targetPath.parent_path());
        std::string pattern
            = (targetPath.parent_path() / ("." + targetPath.filename().string() + ".download-XXXXXX")).string();
        if (!::mkdtemp(pattern.data()))
            throw DownloadError("cannot create a temporary folder in " + targetPath.parent_path().string() + ": "
                                + std::strerror(errno));
        temporary = pattern;
        const fs::path files = temporary / "files";
        const fs::path contents = temporary / "dataset";
        fs::create_directory(files);
        fs::create_directory(contents);

        const int fileCount = int(dataset.downloads.size());
        ProgressReporter reporter(options, fileCount);
        int64_t total = 0;
        for (const auto& file : dataset.downloads) {
            const int64_t size = remoteSize(downloadFileName(file.url), downloadUrl(file, options.mirror), options);
            total = size < 0 || total < 0 ? -1 : total + size;
        }
        reporter.setTotal(total);

        for (int i = 0; i < fileCount; ++i) {
            const DownloadFile& file = dataset.downloads[size_t(i)];
            const std::string name = downloadFileName(file.url);
            reporter.startFile(i, name);
            const std::string md5 = fetch(name, downloadUrl(file, options.mirror), files / name, reporter, options);
            reporter.endFile();  // every byte is in, whether or not it is the published file
            if (md5 != file.md5)
                throw DownloadError("checksum mismatch for " + name + ": expected MD5 " + file.md5 + ", found " + md5
                                    + " (a damaged download, or the server sends another file)");
        }
        for (const auto& file : dataset.downloads) {
            const std::string name = downloadFileName(file.url);
            if (!file.isArchive) {
                fs::rename(files / name, contents / name);
                continue;
            }
            reporter.unpacking(name);
            const fs::path unpacked = temporary / ("unpacked-" + name);
            fs::create_directory(unpacked);
            unpack(files / name, name, unpacked, options);
            fs::remove(files / name);  // the archive's room is needed no more
            moveUnpacked(unpacked, contents, name);
        }
        if (cancelRequested(options))
            throw DownloadCancelled();
        if (fs::is_directory(targetPath))
            fs::remove(targetPath);  // empty (checked above): the rename takes its place
        fs::rename(contents, targetPath);
        removeQuietly(temporary);
    } catch (...) {
        if (!temporary.empty())
            removeQuietly(temporary);
        for (auto it = createdFolders.rbegin(); it != createdFolders.rend(); ++it) {
            std::error_code ignored;
            fs::remove(*it, ignored);  // only when still empty
        }
        try {
            throw;
        } catch (const DownloadCancelled&) {
            throw;
        } catch (const DownloadError& e) {
            throw DownloadError(std::string(e.what()) + "; nothing was installed");
        } catch (const fs::filesystem_error& e) {
            const std::string where = e.path1().empty() ? targetPath.parent_path().string() : e.path1().string();
            throw DownloadError("cannot install " + dataset.title + " in " + targetPath.string() + ": "
                                + e.code().message() + " (" + where + "); nothing was installed");
        } catch (const std::exception& e) {
            throw DownloadError("cannot install " + dataset.title + ": " + e.what() + "; nothing was installed");
        }
    }
}

}  // namespace prunescope
