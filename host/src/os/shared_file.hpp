#pragma once
// A small file that the processes of one machine map and share for as long as the machine runs:
// the layout behind a process-shared mutex or queue. Its header says what it holds (magic, body
// size) and in which boot it was made; a file of an earlier boot, or left half made by a process
// that died making it, is made again (every opener holds flock for that, so no one sees it half
// made), and any other file that is not one (another size or magic, another user's) is left as it
// is. Linux only; elsewhere opening says so.

#include <array>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace optguard::os {

class SharedFile {
public:
    struct Opened {
        std::unique_ptr<SharedFile> file; // null when there is none
        std::string problem;              // why not, naming the file; empty when unsupported
    };
    // Opens `path`, creating it (mode 0600, never following a symbolic link) if needed, with a body
    // of `body_size` bytes after the header. `make_body` lays out a new body (zeroed before) and
    // says whether it could; it runs while the opener holds the flock.
    [[nodiscard]] static Opened open(const std::filesystem::path& path,
                                     const std::array<char, 8>& magic, std::size_t body_size,
                                     const std::function<bool(void* body)>& make_body);

    [[nodiscard]] void* body() const noexcept { return body_; }
    // The open file, kept for locks on byte ranges of it (advisory; no data is read through it).
    [[nodiscard]] int descriptor() const noexcept { return fd_; }

    ~SharedFile();
    SharedFile(const SharedFile&) = delete;
    SharedFile& operator=(const SharedFile&) = delete;
    SharedFile(SharedFile&&) = delete;
    SharedFile& operator=(SharedFile&&) = delete;

private:
    SharedFile(void* mapping, std::size_t size, int fd) noexcept
        : mapping_(mapping)
        , size_(size)
        , fd_(fd)
        , body_(static_cast<char*>(mapping) + header_size)
    {
    }
    static constexpr std::size_t header_size = 48; // magic, body size, boot id; body 16-aligned
    void* mapping_;
    std::size_t size_;
    int fd_;
    void* body_;
};

} // namespace optguard::os
