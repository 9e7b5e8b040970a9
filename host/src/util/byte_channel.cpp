#include "util/byte_channel.hpp"

#include <algorithm>
#include <cstring>

namespace optguard::util {

std::size_t StringSource::read(char* data, std::size_t count)
{
    const std::size_t n = std::min(count, bytes_.size() - position_);
    if (n > 0) {
        std::memcpy(data, bytes_.data() + position_, n);
        position_ += n;
    }
    return n;
}

bool StringSink::write(std::string_view bytes)
{
    text_.append(bytes);
    return true;
}

} // namespace optguard::util
