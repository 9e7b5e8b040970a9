#pragma once
// Byte channels without iostreams. The host's frames and log lines travel through these, not
// std::cin/std::cout/std::cerr: any C++ stream sets up the standard locale (two dozen facets) when
// it is first made, which cost a cold `hello` a fifth of its time (bench figure 1).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace optguard::util {

class ByteSource {
public:
    ByteSource() = default;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;
    virtual ~ByteSource() = default;

    // Reads up to `count` bytes into `data`, waiting until there are that many; fewer only at the
    // end of the input (or when it cannot be read).
    [[nodiscard]] virtual std::size_t read(char* data, std::size_t count) = 0;
};

class ByteSink {
public:
    ByteSink() = default;
    ByteSink(const ByteSink&) = delete;
    ByteSink& operator=(const ByteSink&) = delete;
    virtual ~ByteSink() = default;

    // Writes all of `bytes`. False if they could not all be written (the reader is gone).
    [[nodiscard]] virtual bool write(std::string_view bytes) = 0;
};

// Reads from a string held in memory (tests, fuzz targets).
class StringSource final : public ByteSource {
public:
    explicit StringSource(std::string bytes)
        : bytes_(std::move(bytes))
    {
    }
    [[nodiscard]] std::size_t read(char* data, std::size_t count) override;

private:
    std::string bytes_;
    std::size_t position_ = 0;
};

// Collects what is written in memory (tests, fuzz targets).
class StringSink final : public ByteSink {
public:
    [[nodiscard]] bool write(std::string_view bytes) override;
    [[nodiscard]] const std::string& text() const noexcept { return text_; }

private:
    std::string text_;
};

} // namespace optguard::util
