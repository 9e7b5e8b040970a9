#include "catalog/minisign.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#if defined(OPTGUARD_HAVE_SODIUM)
#include <sodium.h>
#endif

#include "util/base64.hpp"

namespace optguard::catalog::minisign {

namespace {

constexpr std::string_view untrusted_prefix = "untrusted comment: ";
constexpr std::string_view trusted_prefix = "trusted comment: ";

// The file's lines without their "\n" / "\r\n"; trailing empty lines dropped.
std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty()) {
        lines.pop_back();
    }
    return lines;
}

void check_comment_line(std::string_view line, std::string_view prefix, std::size_t max_bytes,
                        const std::string& what)
{
    if (line.substr(0, prefix.size()) != prefix) {
        throw FormatError(what + " must start with \"" + std::string(prefix) + "\"");
    }
    if (line.size() > max_bytes) {
        throw FormatError(what + " is longer than " + std::to_string(max_bytes) + " bytes");
    }
    for (const char c : line) {
        if (c == '\0' || c == '\r') {
            throw FormatError(what + " holds a control character");
        }
    }
}

std::string decode_line(std::string_view line, std::size_t expected_bytes, const std::string& what)
{
    auto bytes = util::decode_base64(line);
    if (!bytes) {
        throw FormatError(what + " is not base64");
    }
    if (bytes->size() != expected_bytes) {
        throw FormatError(what + " holds " + std::to_string(bytes->size()) + " bytes, not "
                          + std::to_string(expected_bytes));
    }
    return std::move(*bytes);
}

template <std::size_t N>
void copy_bytes(std::array<unsigned char, N>& to, std::string_view from)
{
    std::memcpy(to.data(), from.data(), N);
}

} // namespace

std::string key_id_hex(const KeyId& id)
{
    constexpr std::string_view digits = "0123456789ABCDEF";
    std::string text;
    for (std::size_t i = id.size(); i-- > 0;) {
        text.push_back(digits[id[i] >> 4U]);
        text.push_back(digits[id[i] & 0x0FU]);
    }
    return text;
}

PublicKey parse_public_key(std::string_view text)
{
    if (text.size() > max_public_key_file_bytes) {
        throw FormatError("a public key file is at most " + std::to_string(max_public_key_file_bytes)
                          + " bytes");
    }
    const auto lines = split_lines(text);
    if (lines.size() != 2) {
        throw FormatError("a public key file has 2 lines (a comment and the key), this one has "
                          + std::to_string(lines.size()));
    }
    check_comment_line(lines[0], untrusted_prefix, max_comment_line_bytes, "line 1");
    const std::string bytes
        = decode_line(lines[1], 2 + key_id_bytes + public_key_bytes, "line 2 (the key)");
    if (bytes.substr(0, 2) != "Ed") {
        throw FormatError("line 2 (the key): not a minisign Ed25519 key (it does not start with \"Ed\")");
    }
    PublicKey key;
    copy_bytes(key.id, std::string_view(bytes).substr(2, key_id_bytes));
    copy_bytes(key.key, std::string_view(bytes).substr(2 + key_id_bytes));
    return key;
}

Signature parse_signature(std::string_view text)
{
    if (text.size() > max_signature_file_bytes) {
        throw FormatError("a signature file is at most " + std::to_string(max_signature_file_bytes)
                          + " bytes");
    }
    const auto lines = split_lines(text);
    if (lines.size() != 4) {
        throw FormatError("a signature file has 4 lines, this one has "
                          + std::to_string(lines.size()));
    }
    check_comment_line(lines[0], untrusted_prefix, max_comment_line_bytes, "line 1");
    const std::string bytes
        = decode_line(lines[1], 2 + key_id_bytes + signature_bytes, "line 2 (the signature)");
    Signature signature;
    const std::string_view algorithm = std::string_view(bytes).substr(0, 2);
    if (algorithm == "ED") {
        signature.algorithm = Algorithm::hashed;
    } else if (algorithm == "Ed") {
        signature.algorithm = Algorithm::legacy;
    } else {
        throw FormatError("line 2 (the signature): unknown algorithm (neither \"ED\" nor \"Ed\")");
    }
    copy_bytes(signature.key_id, std::string_view(bytes).substr(2, key_id_bytes));
    copy_bytes(signature.signature, std::string_view(bytes).substr(2 + key_id_bytes));
    check_comment_line(lines[2], trusted_prefix, max_trusted_comment_line_bytes, "line 3");
    signature.trusted_comment = std::string(lines[2].substr(trusted_prefix.size()));
    const std::string global = decode_line(lines[3], signature_bytes, "line 4 (the comment's signature)");
    copy_bytes(signature.global_signature, global);
    return signature;
}

bool verification_available() noexcept
{
#if defined(OPTGUARD_HAVE_SODIUM)
    return true;
#else
    return false;
#endif
}

Verification verify(const PublicKey& key, const Signature& signature, std::string_view message)
{
    if (key.id != signature.key_id) {
        return Verification::wrong_key;
    }
#if defined(OPTGUARD_HAVE_SODIUM)
    if (sodium_init() < 0) {
        return Verification::unavailable;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
    int verified = -1;
    if (signature.algorithm == Algorithm::hashed) {
        std::array<unsigned char, crypto_generichash_BYTES_MAX> hash {};
        if (crypto_generichash(hash.data(), hash.size(), bytes, message.size(), nullptr, 0) != 0) {
            return Verification::bad_signature;
        }
        verified = crypto_sign_verify_detached(signature.signature.data(), hash.data(), hash.size(),
                                               key.key.data());
    } else {
        verified = crypto_sign_verify_detached(signature.signature.data(), bytes, message.size(),
                                               key.key.data());
    }
    if (verified != 0) {
        return Verification::bad_signature;
    }
    std::string signed_comment(reinterpret_cast<const char*>(signature.signature.data()),
                               signature.signature.size());
    signed_comment += signature.trusted_comment;
    if (crypto_sign_verify_detached(signature.global_signature.data(),
                                    reinterpret_cast<const unsigned char*>(signed_comment.data()),
                                    signed_comment.size(), key.key.data())
        != 0) {
        return Verification::bad_trusted_comment;
    }
    return Verification::valid;
#else
    (void)message;
    return Verification::unavailable;
#endif
}

} // namespace optguard::catalog::minisign
