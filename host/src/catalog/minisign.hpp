#pragma once
// minisign's public key and signature files, and their verification (docs/catalog-format.md,
// "Signed catalog releases"). Parsing is pure; verification uses libsodium's Ed25519 and BLAKE2b.
//
//   public key file:  untrusted comment: <text>
//                     base64("Ed" || key id (8 bytes) || Ed25519 public key (32 bytes))
//   signature file:   untrusted comment: <text>
//                     base64(algorithm (2 bytes) || key id (8) || Ed25519 signature (64))
//                     trusted comment: <text>
//                     base64(Ed25519 signature (64) of the signature above || the trusted comment)
//
// The algorithm is "ED" (minisign 0.10+ default: the signature is of the file's BLAKE2b-512 hash)
// or "Ed" (legacy, `minisign -l`: of the file itself). The untrusted comment is never used.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace optguard::catalog::minisign {

inline constexpr std::size_t key_id_bytes = 8;
inline constexpr std::size_t public_key_bytes = 32;
inline constexpr std::size_t signature_bytes = 64;
// minisign's own limits: 1 KiB for the untrusted comment line, 8 KiB for the trusted one.
inline constexpr std::size_t max_comment_line_bytes = 1024;
inline constexpr std::size_t max_trusted_comment_line_bytes = 8192;
// A signature file is four such lines.
inline constexpr std::size_t max_signature_file_bytes = std::size_t {16} * 1024U;
inline constexpr std::size_t max_public_key_file_bytes = std::size_t {4} * 1024U;

using KeyId = std::array<unsigned char, key_id_bytes>;

// The key id as minisign prints it ("minisign public key FA9AD1315C12CA6F"): the 8 bytes read as a
// little-endian number, in upper-case hex.
[[nodiscard]] std::string key_id_hex(const KeyId& id);

struct PublicKey {
    KeyId id {};
    std::array<unsigned char, public_key_bytes> key {};
};

enum class Algorithm {
    hashed, // "ED": the signature is of BLAKE2b-512(file)
    legacy, // "Ed": the signature is of the file
};

struct Signature {
    Algorithm algorithm = Algorithm::hashed;
    KeyId key_id {};
    std::array<unsigned char, signature_bytes> signature {};
    std::string trusted_comment; // without "trusted comment: "
    std::array<unsigned char, signature_bytes> global_signature {};
};

// The text is not a minisign key or signature file; the message says which line and why.
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throw FormatError. Lines may end in "\n" or "\r\n"; the last newline is optional; nothing but
// empty lines may follow.
[[nodiscard]] PublicKey parse_public_key(std::string_view text);
[[nodiscard]] Signature parse_signature(std::string_view text);

enum class Verification {
    valid,
    wrong_key,             // the signature names another key id
    bad_signature,         // the file is not what was signed (or the signature is damaged)
    bad_trusted_comment,   // the file verifies but the trusted comment was changed
    unavailable,           // this build has no Ed25519 (the Windows cross build)
};

// Verifies `message` (the file's bytes) against `signature` made with `key`: the key ids match,
// the file's signature and the trusted comment's global signature are both valid.
[[nodiscard]] Verification verify(const PublicKey& key, const Signature& signature,
                                  std::string_view message);

// False where verify() always answers `unavailable`.
[[nodiscard]] bool verification_available() noexcept;

} // namespace optguard::catalog::minisign
