#include "app/policy_notices.hpp"

#include <algorithm>

#include "app/rejected.hpp"
#include "storage/storage_error.hpp"
#include "util/json_text.hpp"

namespace optguard::policy_notices {

using app::Refusal;
using app::Rejected;

using json = nlohmann::json;

namespace {

std::string kind_words(const std::string& kind)
{
    if (kind == "terms") {
        return "terms";
    }
    if (kind == "ai") {
        return "AI notice";
    }
    return "privacy policy";
}

} // namespace

void add_seen(std::vector<domain::SettingHistory>& histories, const catalog::Catalog& catalog,
              std::span<const storage::PolicyNotice> notices)
{
    for (const auto& notice : notices) {
        const catalog::Platform* platform = catalog.find_platform(notice.platform);
        if (platform == nullptr || platform->find_document(notice.document) == nullptr) {
            continue;
        }
        for (auto& history : histories) {
            if (history.platform != notice.platform) {
                continue;
            }
            const bool known = std::any_of(
                history.policy_events.begin(), history.policy_events.end(),
                [&](const domain::PolicyEvent& event) { return event.date == notice.effective_date; });
            if (!known) {
                history.policy_events.push_back({notice.effective_date, {}, notice.document});
            }
        }
    }
}

std::string add_recorded(std::vector<domain::SettingHistory>& histories,
                         const catalog::Catalog& catalog, const std::filesystem::path& state_dir)
{
    try {
        add_seen(histories, catalog, storage::read_policy_notices(state_dir));
    } catch (const storage::StorageError& error) {
        return error.what();
    }
    return {};
}

json record(const catalog::Catalog& catalog, const std::filesystem::path& state_dir,
            const std::string& platform, const std::string& document,
            const std::string& effective_date, domain::TimePoint now)
{
    const catalog::Platform* found = catalog.find_platform(platform);
    if (found == nullptr || found->find_document(document) == nullptr) {
        throw Rejected(Refusal::unknown_setting, "no policy document " + util::quote(document)
                                                            + " of platform " + util::quote(platform)
                                                            + " in the catalog");
    }
    if (!domain::date_start_utc(effective_date)) {
        throw Rejected(Refusal::bad_value,
                            "field 'effective_date' must be a calendar date YYYY-MM-DD, got "
                                + util::quote(effective_date));
    }
    // A page may be a time zone ahead; later than that is a misread, not a date to act on.
    const std::string latest = domain::format_date_utc(now + std::chrono::hours(24));
    if (effective_date > latest) {
        throw Rejected(Refusal::bad_value, "field 'effective_date' is in the future: "
                                                        + effective_date + " (today is "
                                                        + domain::format_date_utc(now) + ")");
    }
    const std::string recorded
        = storage::record_policy_notice(state_dir, {platform, document, effective_date, now});
    return {{"platform", platform},
            {"document", document},
            {"effective_date", recorded}};
}

std::string describe(const catalog::Catalog& catalog, const std::string& platform,
                     const domain::ReasonDetail& reason)
{
    const catalog::Platform* found = catalog.find_platform(platform);
    const catalog::PolicyDocument* document
        = found != nullptr ? found->find_document(reason.document) : nullptr;
    const std::string name = found != nullptr ? found->name : platform;
    const std::string what = document != nullptr ? kind_words(document->kind) : reason.document;
    std::string text = name + "'s " + what + " changed on " + reason.policy_date
        + " (seen when you opened it)";
    if (reason.reason == domain::Reason::form_predates_policy) {
        text += "; your filed objection is older: file it again";
    }
    return text;
}

} // namespace optguard::policy_notices
