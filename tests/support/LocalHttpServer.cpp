#include "LocalHttpServer.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

namespace prunescope::testsupport {
namespace {

const char* reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 500:
        return "Internal Server Error";
    default:
        return "Status";
    }
}

bool sendAll(int socket, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t sent = ::send(socket, data, size, MSG_NOSIGNAL);
        if (sent <= 0)
            return false;
        data += sent;
        size -= size_t(sent);
    }
    return true;
}

}  // namespace

LocalHttpServer::LocalHttpServer()
{
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    if (m_listener < 0 || ::pipe(m_wakePipe) != 0)
        throw std::runtime_error("LocalHttpServer: cannot create sockets");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;  // a free port
    socklen_t length = sizeof address;
    if (::bind(m_listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(m_listener, 8) != 0
        || ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error(std::string("LocalHttpServer: cannot listen: ") + std::strerror(errno));
    m_port = ntohs(address.sin_port);
    m_thread = std::thread([this] { acceptLoop(); });
}

LocalHttpServer::~LocalHttpServer()
{
    const char stop = 's';
    [[maybe_unused]] const ssize_t written = ::write(m_wakePipe[1], &stop, 1);
    m_thread.join();
    ::close(m_listener);
    ::close(m_wakePipe[0]);
    ::close(m_wakePipe[1]);
}

std::string LocalHttpServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

void LocalHttpServer::serve(const std::string& path, std::string body)
{
    std::lock_guard lock(m_mutex);
    m_routes[path] = Route{200, std::make_shared<const std::string>(std::move(body)), 0};
}

void LocalHttpServer::fail(const std::string& path, int status)
{
    std::lock_guard lock(m_mutex);
    m_routes[path]
        = Route{status, std::make_shared<const std::string>(std::to_string(status) + " " + reason(status) + "\n"), 0};
}

void LocalHttpServer::stallAfter(const std::string& path, std::string body, size_t firstChunk)
{
    std::lock_guard lock(m_mutex);
    m_routes[path] = Route{200, std::make_shared<const std::string>(std::move(body)), firstChunk};
}

void LocalHttpServer::acceptLoop()
{
    for (;;) {
        pollfd fds[2] = {{m_listener, POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0)
            continue;
        if (fds[1].revents)
            return;
        const int client = ::accept(m_listener, nullptr, nullptr);
        if (client < 0)
            continue;
        answer(client);
        ::close(client);
    }
}

void LocalHttpServer::answer(int client)
{
    // One request per connection ("Connection: close"); the request line and headers are all
    // that is read.
    std::string request;
    char buffer[4096];
    while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t got = ::recv(client, buffer, sizeof buffer, 0);
        if (got <= 0)
            return;
        request.append(buffer, size_t(got));
    }
    std::istringstream line(request.substr(0, request.find("\r\n")));
    std::string method, path;
    line >> method >> path;
    Route route;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_routes.find(path);
        route
            = it == m_routes.end() ? Route{404, std::make_shared<const std::string>("404 Not Found\n"), 0} : it->second;
    }
    const bool head = method == "HEAD";
    if (!head)
        ++m_getRequests;
    const std::string& body = *route.body;
    const std::string header = "HTTP/1.1 " + std::to_string(route.status) + " " + reason(route.status)
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(body.size())
        + "\r\nConnection: close\r\n\r\n";
    if (!sendAll(client, header.data(), header.size()) || head)
        return;
    if (route.stallAfter == 0 || route.stallAfter >= body.size()) {
        sendAll(client, body.data(), body.size());
        return;
    }
    if (!sendAll(client, body.data(), route.stallAfter))
        return;
    // Wait, sending nothing more, until the client closes its end (or the server stops).
    for (;;) {
        pollfd fds[2] = {{client, POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0)
            continue;
        if (fds[1].revents)
            return;
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (::recv(client, buffer, sizeof buffer, 0) <= 0) {
                m_stalledClientLeft = true;
                return;
            }
        }
    }
}

std::string makeTarGz(const std::vector<ArchiveEntry>& entries)
{
    std::unique_ptr<archive, int (*)(archive*)> writer(archive_write_new(), archive_write_free);
    archive_write_add_filter_gzip(writer.get());
    archive_write_set_format_pax_restricted(writer.get());
    std::vector<char> buffer(1 << 22);
    size_t used = 0;
    if (archive_write_open_memory(writer.get(), buffer.data(), buffer.size(), &used) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(writer.get()));
    for (const auto& item : entries) {
        std::unique_ptr<archive_entry, void (*)(archive_entry*)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), item.path.c_str());
        const bool folder = !item.path.empty() && item.path.back() == '/';
        if (!item.linkTarget.empty()) {
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_symlink(entry.get(), item.linkTarget.c_str());
            archive_entry_set_perm(entry.get(), 0777);
        } else if (folder) {
            archive_entry_set_filetype(entry.get(), AE_IFDIR);
            archive_entry_set_perm(entry.get(), 0755);
        } else {
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_perm(entry.get(), 0644);
            archive_entry_set_size(entry.get(), la_int64_t(item.bytes.size()));
        }
        if (archive_write_header(writer.get(), entry.get()) != ARCHIVE_OK)
            throw std::runtime_error(archive_error_string(writer.get()));
        if (!item.bytes.empty() && archive_write_data(writer.get(), item.bytes.data(), item.bytes.size()) < 0)
            throw std::runtime_error(archive_error_string(writer.get()));
    }
    if (archive_write_close(writer.get()) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(writer.get()));
    return std::string(buffer.data(), used);
}

std::string cifarRecords(int count, int labelBytes, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::string bytes;
    for (int i = 0; i < count; ++i) {
        if (labelBytes == 2)
            bytes += char(i % 20);  // coarse
        bytes += char(i % 10);
        for (int p = 0; p < 3 * 32 * 32; ++p)
            bytes += char(rng() & 0xFF);
    }
    return bytes;
}

std::string md5Hex(const std::string& bytes)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_md5(), nullptr);
    static const char* digits = "0123456789abcdef";
    std::string text;
    for (unsigned i = 0; i < size; ++i) {
        text += digits[digest[i] >> 4];
        text += digits[digest[i] & 15];
    }
    return text;
}

std::string readFileBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace prunescope::testsupport
