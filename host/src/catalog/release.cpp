#include "catalog/release.hpp"

#include <set>

#include "catalog/json_checker.hpp"
#include "domain/timestamp.hpp"
#include "util/json_text.hpp"

namespace optguard::catalog {

using json = nlohmann::json;

namespace {

constexpr const char* release_name = "release";

} // namespace

bool is_version(std::string_view text) noexcept
{
    return domain::is_calendar_date(text, '.');
}

int compare_versions(std::string_view a, std::string_view b) noexcept
{
    // Fixed-width YYYY.MM.DD: text order is date order.
    const int order = a.compare(b);
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

std::string version_date(std::string_view version)
{
    std::string date(version);
    for (char& c : date) {
        if (c == '.') {
            c = '-';
        }
    }
    return date;
}

Release parse_release(std::string_view text)
{
    if (text.size() > max_release_bytes) {
        throw CatalogError(std::string(release_name) + ": larger than "
                           + std::to_string(max_release_bytes / 1024U) + " KiB");
    }
    const json document = parse_json_document(text, release_name);
    const JsonChecker check(release_name);
    check.root_object(document, {"optguard_catalog_release", "version", "date", "index", "platforms"},
                      {"optguard_catalog_release", "version", "date", "index", "platforms"});
    const json& format = document.at("optguard_catalog_release");
    if (!format.is_number_integer() || format.get<std::int64_t>() != release_format) {
        check.fail("optguard_catalog_release",
                   "must be " + std::to_string(release_format)
                       + " (the release format this host reads), got " + util::describe_value(format));
    }
    Release release;
    release.version = check.string(document.at("version"), "version");
    if (!is_version(release.version)) {
        check.fail("version", "must be a date written YYYY.MM.DD, got " + util::quote(release.version));
    }
    release.date = check.string(document.at("date"), "date");
    if (!domain::is_calendar_date(release.date)) {
        check.fail("date", "must be a date written YYYY-MM-DD, got " + util::quote(release.date));
    }
    if (release.date < version_date(release.version)) {
        check.fail("date", "is before the version's date " + util::quote(release.version));
    }
    const Index index = parse_index(document.at("index"), "index.json");
    if (index.version != release.version) {
        check.fail("index.version", "is " + util::quote(index.version) + ", the release's version is "
                                        + util::quote(release.version));
    }
    const json& platforms = document.at("platforms");
    if (!platforms.is_object()) {
        check.fail("platforms", "must be an object of platform files by name, got "
                                    + util::describe_value(platforms));
    }
    const std::set<std::string> listed(index.platform_files.begin(), index.platform_files.end());
    for (const auto& [name, value] : platforms.items()) {
        (void)value;
        if (listed.count(name) == 0) {
            check.fail("platforms", "holds " + util::quote(name) + ", which index.json does not list");
        }
    }
    release.catalog = assemble_catalog(index, [&](const std::string& file) -> json {
        const auto found = platforms.find(file);
        if (found == platforms.end()) {
            check.fail("platforms", "has no " + util::quote(file) + ", which index.json lists");
        }
        return *found;
    });
    return release;
}

std::string_view to_string(RejectReason reason) noexcept
{
    switch (reason) {
    case RejectReason::too_large: return "too_large";
    case RejectReason::bad_signature_file: return "bad_signature_file";
    case RejectReason::untrusted_key: return "untrusted_key";
    case RejectReason::bad_signature: return "bad_signature";
    case RejectReason::invalid: return "invalid";
    case RejectReason::not_newer: return "not_newer";
    case RejectReason::unsupported: return "unsupported";
    }
    return "invalid";
}

} // namespace optguard::catalog
