#pragma once
// The policy dates the member saw (docs/protocol.md, `policy_seen`): for each platform document,
// the newest effective date read on its page and when. One small JSON file beside the state
// database, policy-notices.json, changed under a lock and replaced atomically; no page text is ever
// stored, only the catalog's ids and a date.
//
// A file that cannot be read or does not parse is never overwritten: reading it throws
// StorageError naming it, and the person (or `optguard doctor`) sees why.

#include <filesystem>
#include <string>
#include <vector>

#include "domain/timestamp.hpp"

namespace optguard::storage {

inline constexpr const char* policy_notice_file_name = "policy-notices.json";

struct PolicyNotice {
    std::string platform;
    std::string document;
    std::string effective_date; // YYYY-MM-DD
    domain::TimePoint seen_at;  // when it was last reported

    friend bool operator==(const PolicyNotice&, const PolicyNotice&) = default;
};

// Every notice in `dir`/policy-notices.json; none when the file does not exist. Throws StorageError.
[[nodiscard]] std::vector<PolicyNotice> read_policy_notices(const std::filesystem::path& dir);

// Records `notice` unless an equal or newer date is already recorded for its platform/document
// (a cached copy of an older version never moves it back). Returns the date now recorded. Durable
// when it returns. Throws StorageError.
std::string record_policy_notice(const std::filesystem::path& dir, const PolicyNotice& notice);

} // namespace optguard::storage
