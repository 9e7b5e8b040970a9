#include "util/base64.hpp"

#include <array>
#include <cstdint>

namespace optguard::util {

namespace {

constexpr std::string_view alphabet
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<std::int8_t, 256> make_table()
{
    std::array<std::int8_t, 256> table {};
    for (auto& entry : table) {
        entry = -1;
    }
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}

constexpr std::array<std::int8_t, 256> table = make_table();

} // namespace

std::optional<std::string> decode_base64(std::string_view text)
{
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    std::size_t padding = 0;
    if (!text.empty() && text.back() == '=') {
        padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
    }
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::uint32_t group = 0;
        for (std::size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            if (last && j >= 4 - padding) {
                if (c != '=') {
                    return std::nullopt;
                }
                group <<= 6U;
                continue;
            }
            const std::int8_t value = table[static_cast<unsigned char>(c)];
            if (value < 0) {
                return std::nullopt; // includes '=' before the end
            }
            group = (group << 6U) | static_cast<std::uint32_t>(value);
        }
        const std::size_t bytes = last ? 3 - padding : 3;
        // Canonical: the bits the padding leaves unused must be zero.
        if (bytes == 2 && (group & 0xFFU) != 0) {
            return std::nullopt;
        }
        if (bytes == 1 && (group & 0xFFFFU) != 0) {
            return std::nullopt;
        }
        for (std::size_t j = 0; j < bytes; ++j) {
            out.push_back(static_cast<char>((group >> (16U - 8U * j)) & 0xFFU));
        }
    }
    return out;
}

std::string encode_base64(std::string_view bytes)
{
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
        std::uint32_t group = 0;
        for (std::size_t j = 0; j < 3; ++j) {
            group <<= 8U;
            if (j < n) {
                group |= static_cast<unsigned char>(bytes[i + j]);
            }
        }
        for (std::size_t j = 0; j < 4; ++j) {
            out.push_back(j <= n ? alphabet[(group >> (18U - 6U * j)) & 0x3FU] : '=');
        }
    }
    return out;
}

} // namespace optguard::util
