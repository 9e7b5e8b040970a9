#include "catalog/catalog.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <set>
#include <utility>
#include <sstream>

#include "catalog/json_checker.hpp"
#include "domain/timestamp.hpp"
#include "domain/url.hpp"
#include "util/json_text.hpp"

namespace optguard::catalog {

using json = nlohmann::json;

namespace {

constexpr std::uintmax_t max_file_bytes = std::uintmax_t {4} * 1024U * 1024U;

Kind parse_kind(const JsonChecker& check, const json& value, const std::string& path)
{
    const std::string text = check.string(value, path);
    if (text == "toggle") {
        return Kind::toggle;
    }
    if (text == "checkbox") {
        return Kind::checkbox;
    }
    if (text == "form") {
        return Kind::form;
    }
    if (text == "info") {
        return Kind::info;
    }
    check.fail(path, R"(must be "toggle", "checkbox", "form" or "info")");
}

void check_https_url(const JsonChecker& check, const json& value, const std::string& path)
{
    const std::string text = check.string(value, path);
    if (!domain::parse_https_url(text)) {
        check.fail(path, "must be an https URL, got " + util::quote(text));
    }
}

void check_date(const JsonChecker& check, const json& value, const std::string& path)
{
    const std::string text = check.string(value, path);
    if (!domain::is_calendar_date(text)) {
        check.fail(path, "must be a date written YYYY-MM-DD, got " + util::quote(text));
    }
}

void check_page_pattern(const JsonChecker& check, const json& value, const std::string& path,
                        const std::vector<std::string>& hosts)
{
    const std::string text = check.string(value, path);
    const auto parts = domain::split_page_pattern(text);
    if (!parts) {
        check.fail(path, "must look like https://HOST/PATH, got " + util::quote(text));
    }
    if (std::find(hosts.begin(), hosts.end(), parts->host) == hosts.end()) {
        check.fail(path, "host " + util::quote(parts->host) + " is not listed in hosts");
    }
}

// Every element a distinct non-empty string.
std::vector<std::string> check_string_list(const JsonChecker& check, const json& value,
                                           const std::string& path, std::size_t min_size)
{
    const json& items = check.array(value, path, min_size);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string item_path = path + "[" + std::to_string(i) + "]";
        std::string item = check.string(items[i], item_path);
        if (std::find(out.begin(), out.end(), item) != out.end()) {
            check.fail(item_path, "repeats " + util::quote(item));
        }
        out.push_back(std::move(item));
    }
    return out;
}

/** A language tag as the catalog writes it: "en", "de", "pt-BR", "zh-Hant" (BCP 47, simplified). */
bool is_language_tag(std::string_view tag) noexcept
{
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    const auto alnum = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    if (tag.size() < 2 || !lower(tag[0]) || !lower(tag[1])) {
        return false;
    }
    std::size_t i = 2;
    if (i < tag.size() && lower(tag[i])) {
        ++i; // three-letter primary subtags (e.g. "fil")
    }
    while (i < tag.size()) {
        if (tag[i] != '-') {
            return false;
        }
        const std::size_t start = ++i;
        while (i < tag.size() && alnum(tag[i])) {
            ++i;
        }
        if (i - start < 2 || i - start > 8) {
            return false;
        }
    }
    return true;
}

// One label of a control as it has been seen: its exact text, language, when and where.
void check_label(const JsonChecker& check, const json& value, const std::string& path)
{
    check.object(value, path, {"text", "lang", "source", "checked"},
                 {"text", "lang", "since", "until", "source", "checked", "unconfirmed"});
    (void)check.string(value.at("text"), path + ".text");
    const std::string lang = check.string(value.at("lang"), path + ".lang");
    if (!is_language_tag(lang)) {
        check.fail(path + ".lang", "must be a language tag such as \"en\" or \"pt-BR\", got "
                                       + util::quote(lang));
    }
    for (const char* key : {"since", "until", "checked"}) {
        if (value.contains(key)) {
            check_date(check, value.at(key), path + "." + key);
        }
    }
    if (value.contains("since") && value.contains("until")
        && value.at("until").get<std::string>() < value.at("since").get<std::string>()) {
        check.fail(path + ".until", "is before since");
    }
    check_https_url(check, value.at("source"), path + ".source");
    if (value.contains("unconfirmed")) {
        (void)check.string(value.at("unconfirmed"), path + ".unconfirmed");
    }
}

// A list of labels; the same text in the same language only once.
void check_labels(const JsonChecker& check, const json& value, const std::string& path)
{
    const json& labels = check.array(value, path, 1);
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const std::string label_path = path + "[" + std::to_string(i) + "]";
        check_label(check, labels[i], label_path);
        const auto key = std::make_pair(labels[i].at("text").get<std::string>(),
                                        labels[i].at("lang").get<std::string>());
        if (!seen.insert(key).second) {
            check.fail(label_path, "repeats " + util::quote(key.first));
        }
    }
}

void check_detect(const JsonChecker& check, const json& value, const std::string& path)
{
    check.object(value, path, {"roles", "labels"},
                 {"roles", "labels", "sole_control", "dialog", "state_text"});
    const std::string roles_path = path + ".roles";
    const auto roles = check_string_list(check, value.at("roles"), roles_path, 1);
    for (std::size_t i = 0; i < roles.size(); ++i) {
        if (roles[i] != "switch" && roles[i] != "checkbox") {
            check.fail(roles_path + "[" + std::to_string(i) + "]",
                       R"(must be "switch" or "checkbox")");
        }
    }
    check_labels(check, value.at("labels"), path + ".labels");
    if (value.contains("sole_control")) {
        (void)check.boolean(value.at("sole_control"), path + ".sole_control");
    }
    if (value.contains("dialog")) {
        const std::string dialog_path = path + ".dialog";
        check.object(value.at("dialog"), dialog_path, {"titles"}, {"titles"});
        check_labels(check, value.at("dialog").at("titles"), dialog_path + ".titles");
    }
    if (value.contains("state_text")) {
        const std::string state_path = path + ".state_text";
        const json& state_text = value.at("state_text");
        check.object(state_text, state_path, {"on", "off"}, {"on", "off"});
        const auto on = check_string_list(check, state_text.at("on"), state_path + ".on", 1);
        const auto off = check_string_list(check, state_text.at("off"), state_path + ".off", 1);
        for (const auto& word : on) {
            if (std::find(off.begin(), off.end(), word) != off.end()) {
                check.fail(state_path, "names " + util::quote(word) + " both on and off");
            }
        }
    }
}

/** A region of policy_events[].regions: two upper-case letters (ISO 3166-1 alpha-2), or a group. */
bool is_region_code(std::string_view code) noexcept
{
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (code.size() == 2 && upper(code[0]) && upper(code[1])) {
        return true;  // UK, not ISO (GB), is two letters as well
    }
    return code == "EU" || code == "EEA" || code == "GLOBAL";
}

void check_regions(const JsonChecker& check, const json& value, const std::string& path)
{
    const auto regions = check_string_list(check, value, path, 1);
    for (std::size_t r = 0; r < regions.size(); ++r) {
        if (!is_region_code(regions[r])) {
            check.fail(path + "[" + std::to_string(r) + "]",
                       "must be an ISO 3166-1 alpha-2 code such as \"CH\", or \"EU\", \"EEA\", "
                       "\"UK\" or \"GLOBAL\", got " + json(regions[r]).dump());
        }
    }
}

std::vector<domain::PolicyEvent> check_policy_events(const JsonChecker& check, const json& value,
                                                     const std::string& path)
{
    std::vector<domain::PolicyEvent> typed;
    const json& events = check.array(value, path, 0);
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string event_path = path + "[" + std::to_string(i) + "]";
        const json& event = events[i];
        check.object(event, event_path, {"date", "regions", "summary", "source"},
                     {"date", "regions", "summary", "source"});
        check_date(check, event.at("date"), event_path + ".date");
        check_regions(check, event.at("regions"), event_path + ".regions");
        std::string summary = check.string(event.at("summary"), event_path + ".summary");
        check_https_url(check, event.at("source"), event_path + ".source");
        typed.push_back({event.at("date").get<std::string>(), std::move(summary), {}});
    }
    return typed;
}

// Who the setting is offered to: where, and from which age.
void check_applies(const JsonChecker& check, const json& value, const std::string& path)
{
    check.object(value, path, {}, {"regions", "min_age"});
    if (value.contains("regions")) {
        check_regions(check, value.at("regions"), path + ".regions");
    }
    if (value.contains("min_age")) {
        const json& age = value.at("min_age");
        if (!age.is_number_integer() || age.get<std::int64_t>() < 1 || age.get<std::int64_t>() > 99) {
            check.fail(path + ".min_age", "must be a whole number of years from 1 to 99, got "
                                              + util::describe_value(age));
        }
    }
}

// Further sources, each naming the facts it supports.
void check_sources(const JsonChecker& check, const json& value, const std::string& path)
{
    const json& sources = check.array(value, path, 1);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const std::string source_path = path + "[" + std::to_string(i) + "]";
        check.object(sources[i], source_path, {"url", "checked", "about"},
                     {"url", "checked", "about", "note"});
        check_https_url(check, sources[i].at("url"), source_path + ".url");
        check_date(check, sources[i].at("checked"), source_path + ".checked");
        (void)check_string_list(check, sources[i].at("about"), source_path + ".about", 1);
        if (sources[i].contains("note")) {
            (void)check.string(sources[i].at("note"), source_path + ".note");
        }
    }
}

/** A field `unconfirmed` may name: a setting key, or one policy event ("policy_events[2]"). */
bool is_fact_name(std::string_view name) noexcept
{
    static constexpr std::string_view fields[] = {"title",   "why",      "pages",   "opt_out_url",
                                                  "path",    "expected", "default", "regions",
                                                  "applies", "interval_days", "policy_events"};
    constexpr std::string_view events = "policy_events[";
    if (name.size() > events.size() + 1 && name.substr(0, events.size()) == events
        && name.back() == ']') {
        const std::string_view digits = name.substr(events.size(), name.size() - events.size() - 1);
        return std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    return std::find(std::begin(fields), std::end(fields), name) != std::end(fields);
}

// Facts no source confirms: field name -> why. The options page shows them.
void check_unconfirmed(const JsonChecker& check, const json& value, const std::string& path)
{
    if (!value.is_object()) {
        check.fail(path, "must be a JSON object, got " + util::describe_value(value));
    }
    if (value.empty()) {
        check.fail(path, "must name at least one field");
    }
    for (const auto& [key, reason] : value.items()) {
        if (!is_fact_name(key)) {
            check.fail(JsonChecker::key_path(path, key), "unknown key");
        }
        (void)check.string(reason, JsonChecker::key_path(path, key));
    }
}

Setting parse_setting(const JsonChecker& check, const json& value, const std::string& path,
                      const std::vector<std::string>& hosts)
{
    static const std::initializer_list<std::string_view> required = {
        "id",       "title",         "why",           "kind",   "pages",  "opt_out_url", "path",
        "expected", "interval_days", "policy_events", "source", "checked"};
    static const std::initializer_list<std::string_view> allowed = {
        "id",     "title",         "why",    "kind",          "pages",  "opt_out_url", "path",
        "detect", "expected",      "interval_days", "policy_events", "source", "checked",
        "applies", "sources", "unconfirmed"};
    check.object(value, path, required, allowed);

    Setting setting;
    setting.entry = value;
    setting.id = check.id(value.at("id"), path + ".id");
    setting.title = check.string(value.at("title"), path + ".title");
    (void)check.string(value.at("why"), path + ".why");
    setting.kind = parse_kind(check, value.at("kind"), path + ".kind");

    // Readable controls need a page to be read on; forms and guidance may have none.
    const bool readable = setting.kind == Kind::toggle || setting.kind == Kind::checkbox;
    setting.pages = check_string_list(check, value.at("pages"), path + ".pages", readable ? 1 : 0);
    for (std::size_t i = 0; i < setting.pages.size(); ++i) {
        check_page_pattern(check, value.at("pages")[i], path + ".pages[" + std::to_string(i) + "]",
                           hosts);
    }

    check_https_url(check, value.at("opt_out_url"), path + ".opt_out_url");
    setting.opt_out_url = value.at("opt_out_url").get<std::string>();

    const json& steps = check.array(value.at("path"), path + ".path", 1);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        (void)check.string(steps[i], path + ".path[" + std::to_string(i) + "]");
    }

    if (value.contains("detect")) {
        if (!readable) {
            check.fail(path + ".detect", "only toggles and checkboxes can be detected");
        }
        check_detect(check, value.at("detect"), path + ".detect");
    } else if (readable) {
        check.fail(path, "missing required key \"detect\" (toggles and checkboxes need it)");
    }

    setting.expected = check.expected(value.at("expected"), path + ".expected");
    setting.interval_days = check.interval_days(value.at("interval_days"), path + ".interval_days");
    setting.policy_events
        = check_policy_events(check, value.at("policy_events"), path + ".policy_events");
    check_https_url(check, value.at("source"), path + ".source");
    check_date(check, value.at("checked"), path + ".checked");
    if (value.contains("applies")) {
        check_applies(check, value.at("applies"), path + ".applies");
    }
    if (value.contains("sources")) {
        check_sources(check, value.at("sources"), path + ".sources");
    }
    if (value.contains("unconfirmed")) {
        check_unconfirmed(check, value.at("unconfirmed"), path + ".unconfirmed");
    }
    return setting;
}

std::string read_file_bytes(const std::filesystem::path& path, const std::string& display_name)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        throw CatalogError(display_name + ": cannot read " + path.string() + ": " + ec.message());
    }
    if (size > max_file_bytes) {
        throw CatalogError(display_name + ": file is larger than 4 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw CatalogError(display_name + ": cannot open " + path.string() + ": "
                           + std::strerror(errno));
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    bytes.resize(static_cast<std::size_t>(in.gcount())); // the file may have shrunk meanwhile
    if (in.bad()) {
        throw CatalogError(display_name + ": error while reading " + path.string());
    }
    return bytes;
}

} // namespace

std::string_view to_string(Kind kind) noexcept
{
    switch (kind) {
    case Kind::toggle:
        return "toggle";
    case Kind::checkbox:
        return "checkbox";
    case Kind::form:
        return "form";
    case Kind::info:
        return "info";
    }
    return "info";
}

const Platform* Catalog::find_platform(std::string_view platform) const noexcept
{
    for (const auto& entry : platforms) {
        if (entry.id == platform) {
            return &entry;
        }
    }
    return nullptr;
}

const Setting* Catalog::find_setting(std::string_view platform,
                                     std::string_view setting) const noexcept
{
    const Platform* found = find_platform(platform);
    if (found == nullptr) {
        return nullptr;
    }
    for (const auto& entry : found->settings) {
        if (entry.id == setting) {
            return &entry;
        }
    }
    return nullptr;
}

const PolicyDocument* Platform::find_document(std::string_view document) const noexcept
{
    for (const auto& entry : documents) {
        if (entry.id == document) {
            return &entry;
        }
    }
    return nullptr;
}

namespace {

// One entry of `policy_documents` (docs/catalog-format.md, "Policy documents").
PolicyDocument parse_policy_document(const JsonChecker& check, const json& value,
                                     const std::string& path, const std::vector<std::string>& hosts)
{
    check.object(value, path, {"id", "kind", "title", "pages", "source", "checked"},
                 {"id", "kind", "title", "pages", "source", "checked", "date_line", "unconfirmed"});
    PolicyDocument document;
    document.id = check.id(value.at("id"), path + ".id");
    document.kind = check.string(value.at("kind"), path + ".kind");
    if (document.kind != "privacy" && document.kind != "terms" && document.kind != "ai") {
        check.fail(path + ".kind", R"(must be "privacy", "terms" or "ai")");
    }
    document.title = check.string(value.at("title"), path + ".title");
    document.pages = check_string_list(check, value.at("pages"), path + ".pages", 1);
    for (std::size_t i = 0; i < document.pages.size(); ++i) {
        check_page_pattern(check, value.at("pages")[i], path + ".pages[" + std::to_string(i) + "]",
                           hosts);
    }
    check_https_url(check, value.at("source"), path + ".source");
    check_date(check, value.at("checked"), path + ".checked");
    if (value.contains("date_line")) {
        (void)check.string(value.at("date_line"), path + ".date_line");
    }
    if (value.contains("unconfirmed")) {
        const json& unconfirmed = value.at("unconfirmed");
        const std::string unconfirmed_path = path + ".unconfirmed";
        check.object(unconfirmed, unconfirmed_path, {}, {"pages", "title", "date_line"});
        if (unconfirmed.empty()) {
            check.fail(unconfirmed_path, "must name at least one field");
        }
        for (const auto& [key, reason] : unconfirmed.items()) {
            (void)check.string(reason, JsonChecker::key_path(unconfirmed_path, key));
        }
    }
    return document;
}

} // namespace

Platform parse_platform(const json& document, const std::string& file_name)
{
    const JsonChecker check(file_name);
    check.root_object(document, {"platform", "name", "hosts", "settings"},
                      {"platform", "name", "hosts", "settings", "policy_documents"});
    Platform platform;
    platform.id = check.id(document.at("platform"), "platform");
    platform.name = check.string(document.at("name"), "name");

    // May be empty: a platform with only form/info entries needs no host permission.
    platform.hosts = check_string_list(check, document.at("hosts"), "hosts", 0);
    for (std::size_t i = 0; i < platform.hosts.size(); ++i) {
        if (!domain::is_host_pattern(platform.hosts[i])) {
            check.fail("hosts[" + std::to_string(i) + "]",
                       "must be a lower-case host name, optionally starting with \"*.\", got "
                           + util::quote(platform.hosts[i]));
        }
    }

    const json& settings = check.array(document.at("settings"), "settings", 1);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < settings.size(); ++i) {
        const std::string path = "settings[" + std::to_string(i) + "]";
        Setting setting = parse_setting(check, settings[i], path, platform.hosts);
        if (!ids.insert(setting.id).second) {
            check.fail(path + ".id", "duplicate setting id " + util::quote(setting.id));
        }
        platform.settings.push_back(std::move(setting));
    }

    if (document.contains("policy_documents")) {
        const json& documents = check.array(document.at("policy_documents"), "policy_documents", 0);
        for (std::size_t i = 0; i < documents.size(); ++i) {
            const std::string path = "policy_documents[" + std::to_string(i) + "]";
            PolicyDocument parsed = parse_policy_document(check, documents[i], path, platform.hosts);
            if (platform.find_document(parsed.id) != nullptr) {
                check.fail(path + ".id", "duplicate document id " + util::quote(parsed.id));
            }
            platform.documents.push_back(std::move(parsed));
        }
        platform.documents_entry = documents;
    }
    return platform;
}

Index parse_index(const json& document, const std::string& file_name)
{
    const JsonChecker check(file_name);
    check.root_object(document, {"format", "version", "platforms"},
                      {"format", "version", "platforms"});
    const json& format = document.at("format");
    if (!format.is_number_integer() || format.get<std::int64_t>() != supported_format) {
        check.fail("format", "must be " + std::to_string(supported_format)
                                 + " (the catalog format this host reads), got "
                                 + util::describe_value(format));
    }
    Index index;
    index.version = check.string(document.at("version"), "version");
    if (!domain::is_calendar_date(index.version, '.')) {
        check.fail("version", "must be a date written YYYY.MM.DD, got " + util::quote(index.version));
    }
    const json& files = check.array(document.at("platforms"), "platforms", 1);
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string path = "platforms[" + std::to_string(i) + "]";
        const std::string name = check.string(files[i], path);
        const bool plain = name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0
            && domain::is_id(std::string_view(name).substr(0, name.size() - 5))
            && name != "index.json";
        if (!plain) {
            check.fail(path, "must be a file name of [a-z0-9-] ending in .json, got "
                                 + util::quote(name));
        }
        if (std::find(index.platform_files.begin(), index.platform_files.end(), name)
            != index.platform_files.end()) {
            check.fail(path, "lists " + util::quote(name) + " twice");
        }
        index.platform_files.push_back(name);
    }
    return index;
}

json read_json_file(const std::filesystem::path& path, const std::string& display_name)
{
    return parse_json_document(read_file_bytes(path, display_name), display_name);
}

json parse_json_document(std::string_view text, const std::string& display_name)
{
    util::JsonParseResult parsed = util::parse_json_text(text);
    if (parsed.failure) {
        const auto& failure = *parsed.failure;
        if (failure.byte == 0) {
            throw CatalogError(display_name + ": " + failure.description);
        }
        throw CatalogError(display_name + ":" + std::to_string(failure.position.line) + ":"
                           + std::to_string(failure.position.column) + ": " + failure.description);
    }
    return std::move(parsed.value);
}

Catalog load_catalog(const std::filesystem::path& dir)
{
    const Index index = parse_index(read_json_file(dir / "index.json", "index.json"), "index.json");
    return assemble_catalog(index, [&dir](const std::string& file) {
        return read_json_file(dir / file, file);
    });
}

Catalog assemble_catalog(const Index& index,
                         const std::function<json(const std::string&)>& platform_document)
{
    Catalog catalog;
    catalog.version = index.version;
    catalog.files.reserve(index.platform_files.size() + 1);
    catalog.files.emplace_back("index.json");
    catalog.files.insert(catalog.files.end(), index.platform_files.begin(),
                         index.platform_files.end());
    for (const auto& file : index.platform_files) {
        Platform platform = parse_platform(platform_document(file), file);
        if (catalog.find_platform(platform.id) != nullptr) {
            throw CatalogError(file + ": platform: id " + util::quote(platform.id)
                               + " is already used by another platform file");
        }
        catalog.platforms.push_back(std::move(platform));
    }
    return catalog;
}

CatalogLoad try_load_catalog(const std::filesystem::path& dir)
{
    CatalogLoad result;
    try {
        result.catalog = load_catalog(dir);
    } catch (const CatalogError& error) {
        result.error = error.what();
    } catch (const std::exception& error) {
        // e.g. bad_alloc or a filesystem error we did not anticipate: still a broken catalog.
        result.error = "catalog folder " + dir.string() + ": " + error.what();
    }
    return result;
}

json to_json(const Setting& setting)
{
    json out = setting.entry;
    out["expected"] = domain::to_string(setting.expected);
    out["interval_days"] = setting.interval_days;
    out["watch"] = setting.watch;
    return out;
}

json to_json(const Catalog& catalog)
{
    json platforms = json::array();
    for (const auto& platform : catalog.platforms) {
        json settings = json::array();
        for (const auto& setting : platform.settings) {
            settings.push_back(to_json(setting));
        }
        json entry = {{"platform", platform.id},
                      {"name", platform.name},
                      {"hosts", platform.hosts},
                      {"settings", std::move(settings)}};
        if (!platform.documents_entry.is_null()) {
            entry["policy_documents"] = platform.documents_entry;
        }
        platforms.push_back(std::move(entry));
    }
    return {{"version", catalog.version}, {"platforms", std::move(platforms)}};
}

} // namespace optguard::catalog
