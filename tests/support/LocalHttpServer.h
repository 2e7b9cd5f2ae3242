#pragma once
// A small HTTP/1.1 server on 127.0.0.1 (a free port) on its own thread, for testing downloads
// against real sockets: GET and HEAD of the files it was given, any status for a path, and a file
// that stalls after its first chunk until the client goes away (for cancelling mid-transfer).

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace prunescope::testsupport {

class LocalHttpServer {
public:
    LocalHttpServer();  // listening once constructed
    ~LocalHttpServer();  // stops the thread (also a connection it is stalling on)
    LocalHttpServer(const LocalHttpServer&) = delete;
    LocalHttpServer& operator=(const LocalHttpServer&) = delete;

    // "http://127.0.0.1:PORT" (no trailing slash).
    std::string baseUrl() const;
    // Serves `body` at `path` ("/cifar/cifar-10-binary.tar.gz") with status 200.
    void serve(const std::string& path, std::string body);
    // Answers `path` with `status` (404, 500, ...) and a short text body.
    void fail(const std::string& path, int status);
    // Serves `body` at `path` but sends only its first `firstChunk` bytes (with the whole
    // Content-Length), then waits until the client closes the connection.
    void stallAfter(const std::string& path, std::string body, size_t firstChunk);

    // How many GET requests were answered, and whether a stalled transfer saw its client go.
    int getRequests() const { return m_getRequests.load(); }
    bool stalledClientLeft() const { return m_stalledClientLeft.load(); }

private:
    struct Route {
        int status = 200;
        std::shared_ptr<const std::string> body;  // shared: a large file is not copied per request
        size_t stallAfter = 0;  // 0: send it all
    };
    void acceptLoop();
    void answer(int client);

    int m_listener = -1;
    int m_wakePipe[2] = {-1, -1};
    uint16_t m_port = 0;
    std::mutex m_mutex;
    std::map<std::string, Route> m_routes;
    std::atomic<int> m_getRequests{0};
    std::atomic<bool> m_stalledClientLeft{false};
    std::thread m_thread;
};

// A gzip-compressed tar archive made with libarchive: each entry a path and its bytes (a path
// ending in '/' is a folder, an entry with a link target a symbolic link).
struct ArchiveEntry {
    std::string path;
    std::string bytes;
    std::string linkTarget;  // not empty: a symbolic link to this
};
std::string makeTarGz(const std::vector<ArchiveEntry>& entries);

// `count` CIFAR-10 records (1 label byte + 3072 pixel bytes each), labels 0..9 in turn, seeded
// pixels; with two label bytes per record (coarse, fine) for CIFAR-100.
std::string cifarRecords(int count, int labelBytes, uint32_t seed);

// The lowercase hex MD5 of `bytes`.
std::string md5Hex(const std::string& bytes);

std::string readFileBytes(const std::string& path);

}  // namespace prunescope::testsupport
