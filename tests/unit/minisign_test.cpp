// minisign's key and signature files (catalog/minisign.hpp) on files made by the real minisign 0.11
// (tests/fixtures/minisign: a throwaway key pair's public halves, a message, its signature in the
// default prehashed "ED" form and in the legacy "Ed" form), and strict base64.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "catalog/minisign.hpp"
#include "util/base64.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace optguard::catalog::minisign;

namespace {

const std::filesystem::path fixtures = std::filesystem::path(OPTGUARD_TEST_FIXTURES) / "minisign";

std::string read(const std::string& name)
{
    std::ifstream in(fixtures / name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The text with line `n` (0-based) replaced.
std::string with_line(const std::string& text, std::size_t n, const std::string& line)
{
    std::istringstream in(text);
    std::string out;
    std::string current;
    for (std::size_t i = 0; std::getline(in, current); ++i) {
        out += (i == n ? line : current) + "\n";
    }
    return out;
}

std::string line_of(const std::string& text, std::size_t n)
{
    std::istringstream in(text);
    std::string current;
    for (std::size_t i = 0; std::getline(in, current); ++i) {
        if (i == n) {
            return current;
        }
    }
    return {};
}

} // namespace

TEST_CASE("base64: canonical standard base64 only")
{
    CHECK(util::decode_base64("") == std::string());
    CHECK(util::decode_base64("Zg==") == std::string("f"));
    CHECK(util::decode_base64("Zm8=") == std::string("fo"));
    CHECK(util::decode_base64("Zm9v") == std::string("foo"));
    CHECK(util::decode_base64("AP8A") == std::string("\0\xff\0", 3));
    CHECK_FALSE(util::decode_base64("Zg"));      // unpadded
    CHECK_FALSE(util::decode_base64("Zh=="));    // unused bits set: not canonical
    CHECK_FALSE(util::decode_base64("Zm9=v"));   // padding inside
    CHECK_FALSE(util::decode_base64("Zm 9v"));   // white space
    CHECK_FALSE(util::decode_base64("Zm9v\n"));
    CHECK_FALSE(util::decode_base64("Zm-_"));    // the URL alphabet
    CHECK_FALSE(util::decode_base64("===="));
    for (const std::string& bytes : {std::string(), std::string("a"), std::string("ab"),
                                    std::string("abc"), std::string("\0\1\2\3\xfe", 5)}) {
        CHECK(util::decode_base64(util::encode_base64(bytes)) == bytes);
    }
}

TEST_CASE("a public key file: the key id as minisign prints it")
{
    const std::string text = read("test.pub");
    const PublicKey key = parse_public_key(text);
    // minisign wrote "untrusted comment: minisign public key <ID>" on the first line.
    CHECK(text.find("minisign public key " + key_id_hex(key.id) + "\n") != std::string::npos);
    CHECK(key_id_hex(key.id).size() == 16);
    CHECK(key_id_hex(parse_public_key(read("other.pub")).id) != key_id_hex(key.id));
    // CRLF line ends and no final newline are the same key.
    std::string crlf = text;
    crlf.replace(crlf.find('\n'), 1, "\r\n"); // not insert(): GCC 12's -O3 -Wrestrict false positive
    CHECK(parse_public_key(crlf).key == key.key);
    CHECK(parse_public_key(text.substr(0, text.size() - 1)).key == key.key);
}

TEST_CASE("public key files that are not minisign keys are refused with the reason")
{
    const std::string text = read("test.pub");
    CHECK_THROWS_WITH_AS((void)parse_public_key(""),
                         "a public key file has 2 lines (a comment and the key), this one has 0",
                         FormatError);
    CHECK_THROWS_WITH_AS((void)parse_public_key(line_of(text, 1)),
                         "a public key file has 2 lines (a comment and the key), this one has 1",
                         FormatError);
    CHECK_THROWS_WITH_AS((void)parse_public_key(with_line(text, 0, "comment: x")),
                         "line 1 must start with \"untrusted comment: \"", FormatError);
    CHECK_THROWS_WITH_AS((void)parse_public_key(with_line(text, 1, "not base64!")),
                         "line 2 (the key) is not base64", FormatError);
    CHECK_THROWS_WITH_AS((void)parse_public_key(with_line(text, 1, "RWQdPYWF")),
                         "line 2 (the key) holds 6 bytes, not 42", FormatError);
    // A signature line where the key should be: 74 bytes.
    CHECK_THROWS_AS((void)parse_public_key(with_line(text, 1, line_of(read("message.txt.minisig"), 1))),
                    FormatError);
    std::string other_algorithm = *util::decode_base64(line_of(text, 1));
    other_algorithm[1] = 'X';
    CHECK_THROWS_WITH_AS((void)parse_public_key(with_line(text, 1, util::encode_base64(other_algorithm))),
                         "line 2 (the key): not a minisign Ed25519 key (it does not start with \"Ed\")",
                         FormatError);
    CHECK_THROWS_AS((void)parse_public_key(text + "more\n"), FormatError);
    CHECK_THROWS_AS((void)parse_public_key(std::string(max_public_key_file_bytes + 1, 'a')), FormatError);
}

TEST_CASE("a signature file: algorithm, key id and trusted comment")
{
    const PublicKey key = parse_public_key(read("test.pub"));
    const Signature hashed = parse_signature(read("message.txt.minisig"));
    CHECK(hashed.algorithm == Algorithm::hashed);
    CHECK(hashed.key_id == key.id);
    CHECK(hashed.trusted_comment == "a trusted comment");
    const Signature legacy = parse_signature(read("message.txt.legacy.minisig"));
    CHECK(legacy.algorithm == Algorithm::legacy);
    CHECK(legacy.key_id == key.id);
    CHECK(legacy.trusted_comment == "legacy signature");
}

TEST_CASE("signature files that are not minisign signatures are refused with the reason")
{
    const std::string text = read("message.txt.minisig");
    CHECK_THROWS_WITH_AS((void)parse_signature(""), "a signature file has 4 lines, this one has 0",
                         FormatError);
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 0, "untrusted: x")),
                         "line 1 must start with \"untrusted comment: \"", FormatError);
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 1, "AAAA")),
                         "line 2 (the signature) holds 3 bytes, not 74", FormatError);
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 2, "comment: x")),
                         "line 3 must start with \"trusted comment: \"", FormatError);
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 3, "AAAA")),
                         "line 4 (the comment's signature) holds 3 bytes, not 64", FormatError);
    std::string unknown = *util::decode_base64(line_of(text, 1));
    unknown[0] = 'X';
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 1, util::encode_base64(unknown))),
                         "line 2 (the signature): unknown algorithm (neither \"ED\" nor \"Ed\")",
                         FormatError);
    const std::string long_comment = "trusted comment: " + std::string(max_trusted_comment_line_bytes, 'x');
    CHECK_THROWS_WITH_AS((void)parse_signature(with_line(text, 2, long_comment)),
                         "line 3 is longer than 8192 bytes", FormatError);
    CHECK_THROWS_AS((void)parse_signature(text.substr(0, text.size() / 2)), FormatError);
}

TEST_CASE("verification: both algorithms, the wrong key, a changed file and a changed trusted comment")
{
    if (!verification_available()) {
        MESSAGE("this build has no Ed25519 (the Windows cross build): verify() is 'unavailable'");
        CHECK(verify(parse_public_key(read("test.pub")), parse_signature(read("message.txt.minisig")),
                     read("message.txt"))
              == Verification::unavailable);
        return;
    }
    const PublicKey key = parse_public_key(read("test.pub"));
    const PublicKey other = parse_public_key(read("other.pub"));
    const std::string message = read("message.txt");
    const Signature hashed = parse_signature(read("message.txt.minisig"));
    const Signature legacy = parse_signature(read("message.txt.legacy.minisig"));
    CHECK(verify(key, hashed, message) == Verification::valid);
    CHECK(verify(key, legacy, message) == Verification::valid);
    CHECK(verify(other, hashed, message) == Verification::wrong_key);

    // The other key under this key's id: the id matches, the signature does not.
    PublicKey impostor = other;
    impostor.id = key.id;
    CHECK(verify(impostor, hashed, message) == Verification::bad_signature);

    std::string changed = message;
    changed[0] = 'o';
    CHECK(verify(key, hashed, changed) == Verification::bad_signature);
    CHECK(verify(key, legacy, changed) == Verification::bad_signature);
    CHECK(verify(key, hashed, message.substr(0, message.size() - 1)) == Verification::bad_signature);
    CHECK(verify(key, hashed, message + "\n") == Verification::bad_signature);

    // A legacy signature presented as prehashed (and the reverse) does not verify.
    Signature relabelled = legacy;
    relabelled.algorithm = Algorithm::hashed;
    CHECK(verify(key, relabelled, message) == Verification::bad_signature);

    Signature comment = hashed;
    comment.trusted_comment = "a trusted comment, changed";
    CHECK(verify(key, comment, message) == Verification::bad_trusted_comment);
    Signature damaged = hashed;
    damaged.signature[10] ^= 0x01U;
    CHECK(verify(key, damaged, message) == Verification::bad_signature);
}

} // namespace OPTGUARD_TEST_FILE
