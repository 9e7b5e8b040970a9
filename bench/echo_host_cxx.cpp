// Diagnostic baseline for the cold-start figure: echo_host.c's loop, but a C++ program linked like
// optguard-host (bench/CMakeLists.txt: libstdc++ and SQLite as the host links them). It does no more
// work than the C echo host, so "cold C++ echo / cold C echo" is what the C++ runtime and the
// libraries cost at start-up on this machine, a floor for any host built this way.
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

bool read_all(int fd, char* p, std::size_t n)
{
    while (n > 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

bool write_all(int fd, const char* p, std::size_t n)
{
    while (n > 0) {
        const ssize_t w = ::write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

} // namespace

int main()
{
    // Keeps libsqlite3 a real dependency (the linker may drop an unused one) without doing any work.
    const std::string version = sqlite3_libversion();
    if (version.empty()) {
        return 1;
    }
    constexpr std::uint32_t max_frame = 1024 * 1024;
    std::vector<char> frame;
    for (;;) {
        std::uint32_t len = 0;
        if (!read_all(0, reinterpret_cast<char*>(&len), sizeof len) || len > max_frame) {
            return 0;
        }
        frame.resize(4 + std::size_t{len});
        if (!read_all(0, frame.data() + 4, len)) {
            return 0;
        }
        std::memcpy(frame.data(), &len, sizeof len);
        if (!write_all(1, frame.data(), frame.size())) {
            return 1;
        }
    }
}
