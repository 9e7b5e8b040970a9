#include "storage/policy_notice_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "storage/atomic_file.hpp"
#include "storage/file_lock.hpp"
#include "storage/observation_store.hpp"

namespace optguard::storage {

using json = nlohmann::json;

namespace {

constexpr int file_format = 1;

std::filesystem::path file_in(const std::filesystem::path& dir)
{
    return dir / policy_notice_file_name;
}

// Only what this host writes is accepted: a file changed by hand into something else is an error
// to fix, not a reason to forget every notice.
std::vector<PolicyNotice> parse(const std::string& text, const std::filesystem::path& path)
{
    const auto fail = [&](const std::string& why) {
        return StorageError(path.string() + ": " + why + "; move it away and OptGuard starts a new one");
    };
    const json document = json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        throw fail("not a JSON object");
    }
    if (document.value("format", 0) != file_format || !document.contains("notices")
        || !document.at("notices").is_array()) {
        throw fail("needs \"format\": 1 and an array \"notices\"");
    }
    std::vector<PolicyNotice> notices;
    for (const auto& item : document.at("notices")) {
        if (!item.is_object() || !item.contains("platform") || !item.at("platform").is_string()
            || !item.contains("document") || !item.at("document").is_string()
            || !item.contains("effective_date") || !item.at("effective_date").is_string()
            || !domain::is_calendar_date(item.at("effective_date").get<std::string>())
            || !item.contains("seen_at") || !item.at("seen_at").is_number_integer()) {
            throw fail("a notice needs platform, document, effective_date (YYYY-MM-DD) and seen_at");
        }
        notices.push_back({item.at("platform").get<std::string>(),
                           item.at("document").get<std::string>(),
                           item.at("effective_date").get<std::string>(),
                           domain::from_unix_ms(item.at("seen_at").get<std::int64_t>())});
    }
    return notices;
}

std::vector<PolicyNotice> read_file(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        if (ec) {
            throw StorageError("cannot read " + path.string() + ": " + ec.message());
        }
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw StorageError("cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

} // namespace

std::vector<PolicyNotice> read_policy_notices(const std::filesystem::path& dir)
{
    return read_file(file_in(dir));
}

std::string record_policy_notice(const std::filesystem::path& dir, const PolicyNotice& notice)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        throw StorageError("cannot create " + dir.string() + ": " + ec.message());
    }
    const std::filesystem::path path = file_in(dir);
    const FileLock lock(dir / (std::string(policy_notice_file_name) + ".lock"));
    std::vector<PolicyNotice> notices = read_file(path);
    auto found = std::find_if(notices.begin(), notices.end(), [&](const PolicyNotice& n) {
        return n.platform == notice.platform && n.document == notice.document;
    });
    if (found != notices.end() && found->effective_date >= notice.effective_date) {
        return found->effective_date; // YYYY-MM-DD orders as text
    }
    if (found != notices.end()) {
        *found = notice;
    } else {
        notices.push_back(notice);
    }
    json items = json::array();
    for (const auto& n : notices) {
        items.push_back({{"platform", n.platform},
                         {"document", n.document},
                         {"effective_date", n.effective_date},
                         {"seen_at", domain::to_unix_ms(n.seen_at)}});
    }
    write_file_atomically(path, json({{"format", file_format}, {"notices", std::move(items)}}).dump(1) + "\n");
    return notice.effective_date;
}

} // namespace optguard::storage
