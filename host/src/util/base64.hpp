#pragma once
// Strict standard base64 (RFC 4648, alphabet + and /, '=' padding required): the encoding of
// minisign's key and signature lines, and of catalog bytes sent over the protocol.

#include <optional>
#include <string>
#include <string_view>

namespace optguard::util {

// The decoded bytes, or nullopt unless `text` is canonical base64: a multiple of 4 characters of
// the standard alphabet, padded with '=', no white space, and zero bits where padding leaves
// unused ones (so one text decodes to one byte string and back).
[[nodiscard]] std::optional<std::string> decode_base64(std::string_view text);

[[nodiscard]] std::string encode_base64(std::string_view bytes);

} // namespace optguard::util
