#include "os/standard_streams.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "os/fd_io.hpp"

#ifndef _WIN32
#include <unistd.h>
#endif // on Windows, os/win32/posix_compat.hpp (force-included) declares read

namespace optguard::os {

namespace {

class DescriptorSource final : public util::ByteSource {
public:
    explicit DescriptorSource(int fd)
        : fd_(fd)
    {
    }

    std::size_t read(char* data, std::size_t count) override
    {
        std::size_t done = 0;
        while (done < count) {
            if (begin_ == end_ && !refill()) {
                break;
            }
            const std::size_t n = std::min(count - done, end_ - begin_);
            std::memcpy(data + done, buffer_.get() + begin_, n);
            begin_ += n;
            done += n;
        }
        return done;
    }

private:
    bool refill()
    {
        if (!buffer_) {
            // Made on first use and never zeroed: a zeroed static buffer is 16 pages the process
            // would touch at every start.
            buffer_ = std::make_unique_for_overwrite<char[]>(capacity);
        }
        for (;;) {
            const auto n = ::read(fd_, buffer_.get(), capacity);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            begin_ = 0;
            end_ = n > 0 ? static_cast<std::size_t>(n) : 0;
            return n > 0;
        }
    }

    static constexpr std::size_t capacity = std::size_t {64} * 1024U;
    int fd_;
    std::unique_ptr<char[]> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
};

class DescriptorSink final : public util::ByteSink {
public:
    explicit DescriptorSink(int fd)
        : fd_(fd)
    {
    }

    bool write(std::string_view bytes) override { return write_all(fd_, bytes) == 0; }

private:
    int fd_;
};

} // namespace

util::ByteSource& standard_input()
{
    static DescriptorSource input(0);
    return input;
}

util::ByteSink& standard_output()
{
    static DescriptorSink output(1);
    return output;
}

util::ByteSink& standard_error()
{
    static DescriptorSink error(2);
    return error;
}

} // namespace optguard::os
