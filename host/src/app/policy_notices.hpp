#pragma once
// Policy dates the member saw on a platform's policy pages (docs/protocol.md, `policy_seen`): the
// content script reads a document's effective date locally and the extension reports only
// {platform, document, effective_date}. A recorded date counts as one more policy event of every
// setting of that platform, so the reminder rules (domain/reminders.hpp) make them due when it is
// newer than their last verification, with a reason that names the document.

#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "domain/reminders.hpp"
#include "storage/policy_notice_file.hpp"

namespace optguard::policy_notices {

// Adds each notice, as a policy event with its document, to the histories of its platform's
// settings. A notice whose platform or document the catalog no longer lists is left out, and so is
// a date the catalog already carries as a policy event of that setting (one change, one reason).
void add_seen(std::vector<domain::SettingHistory>& histories, const catalog::Catalog& catalog,
              std::span<const storage::PolicyNotice> notices);

// The notices in `state_dir` added to `histories`; a file that cannot be read adds nothing (the
// reminders stand without it) and its error is returned, else an empty string.
std::string add_recorded(std::vector<domain::SettingHistory>& histories,
                         const catalog::Catalog& catalog, const std::filesystem::path& state_dir);

// Validates a report against the catalog (platform and document exist; the date is a calendar
// date no later than tomorrow, UTC) and records it. Returns the `policy_seen` reply's fields,
// whose effective_date is the date now on record (an older one reported changes nothing).
// Throws app::Rejected (unknown_setting, bad_value) or storage::StorageError.
[[nodiscard]] nlohmann::json record(const catalog::Catalog& catalog,
                                    const std::filesystem::path& state_dir,
                                    const std::string& platform, const std::string& document,
                                    const std::string& effective_date, domain::TimePoint now);

// "LinkedIn's privacy policy changed on 2025-11-03 (seen when you opened it)".
[[nodiscard]] std::string describe(const catalog::Catalog& catalog, const std::string& platform,
                                   const domain::ReasonDetail& reason);

} // namespace optguard::policy_notices
