#include "storage/observation_rows.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include <sqlite3.h>

#include "domain/timestamp.hpp"
#include "domain/verdict.hpp"
#include "storage/sqlite_util.hpp"

namespace optguard::storage {

namespace {

constexpr std::uint8_t encoding_version = 1;

void put_text(std::string& out, std::string_view text)
{
    if (text.size() > std::numeric_limits<std::uint16_t>::max()) {
        throw StorageError("state database: a report field is too long to queue");
    }
    const auto size = static_cast<std::uint16_t>(text.size());
    out.push_back(static_cast<char>(size & 0xFFU));
    out.push_back(static_cast<char>(size >> 8U));
    out.append(text);
}

// Reads the encoded fields in order; any read past the end leaves it failed.
class Reader {
public:
    explicit Reader(std::span<const std::byte> bytes)
        : bytes_(bytes)
    {
    }
    std::optional<std::uint8_t> byte()
    {
        if (at_ >= bytes_.size()) {
            return std::nullopt;
        }
        return static_cast<std::uint8_t>(bytes_[at_++]);
    }
    std::optional<std::string> text()
    {
        const auto low = byte();
        const auto high = byte();
        if (!low || !high) {
            return std::nullopt;
        }
        const std::size_t size = *low | (static_cast<std::size_t>(*high) << 8U);
        if (bytes_.size() - at_ < size) {
            return std::nullopt;
        }
        std::string text(reinterpret_cast<const char*>(bytes_.data() + at_), size);
        at_ += size;
        return text;
    }
    std::optional<std::int64_t> number()
    {
        std::uint64_t value = 0;
        for (unsigned shift = 0; shift < 64; shift += 8) {
            const auto next = byte();
            if (!next) {
                return std::nullopt;
            }
            value |= static_cast<std::uint64_t>(*next) << shift;
        }
        return static_cast<std::int64_t>(value);
    }
    [[nodiscard]] bool at_end() const noexcept { return at_ == bytes_.size(); }

private:
    std::span<const std::byte> bytes_;
    std::size_t at_ = 0;
};

} // namespace

void bind_observation(sqlite3* db, sqlite3_stmt* statement, const Observation& observation)
{
    bind_text(db, statement, 1, observation.platform);
    bind_text(db, statement, 2, observation.setting);
    bind_text(db, statement, 3, domain::to_string(observation.state));
    bind_text(db, statement, 4, domain::to_string(observation.verdict));
    bind_text(db, statement, 5, domain::to_string(observation.expected));
    bind_text(db, statement, 6, observation.url);
    if (sqlite3_bind_int64(statement, 7, domain::to_unix_ms(observation.observed_at))
        != SQLITE_OK) {
        fail(db, "state database: cannot bind a value");
    }
}

std::string encode_observation(const Observation& observation)
{
    std::string out;
    out.reserve(32 + observation.platform.size() + observation.setting.size()
                + observation.url.size());
    out.push_back(static_cast<char>(encoding_version));
    put_text(out, observation.platform);
    put_text(out, observation.setting);
    put_text(out, domain::to_string(observation.state));
    put_text(out, domain::to_string(observation.verdict));
    put_text(out, domain::to_string(observation.expected));
    put_text(out, observation.url);
    const auto time = static_cast<std::uint64_t>(domain::to_unix_ms(observation.observed_at));
    for (unsigned shift = 0; shift < 64; shift += 8) {
        out.push_back(static_cast<char>((time >> shift) & 0xFFU));
    }
    return out;
}

std::optional<Observation> decode_observation(std::span<const std::byte> bytes)
{
    Reader in(bytes);
    if (in.byte() != encoding_version) {
        return std::nullopt;
    }
    auto platform = in.text();
    auto setting = in.text();
    const auto state_text = in.text();
    const auto verdict_text = in.text();
    const auto expected_text = in.text();
    auto url = in.text();
    const auto time = in.number();
    if (!platform || !setting || !state_text || !verdict_text || !expected_text || !url || !time
        || !in.at_end()) {
        return std::nullopt;
    }
    const auto state = domain::state_from_string(*state_text);
    const auto verdict = domain::verdict_from_string(*verdict_text);
    const auto expected = domain::expected_from_string(*expected_text);
    if (!state || !verdict || !expected) {
        return std::nullopt;
    }
    Observation observation;
    observation.platform = std::move(*platform);
    observation.setting = std::move(*setting);
    observation.state = *state;
    observation.verdict = *verdict;
    observation.expected = *expected;
    observation.url = std::move(*url);
    observation.observed_at = domain::from_unix_ms(*time);
    return observation;
}

} // namespace optguard::storage
