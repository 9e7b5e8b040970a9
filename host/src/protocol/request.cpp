#include "protocol/request.hpp"

#include "domain/duration.hpp"
#include "domain/timestamp.hpp"
#include "domain/url.hpp"
#include "protocol/error_code.hpp"
#include "util/base64.hpp"
#include "util/json_text.hpp"

namespace optguard::protocol {

using json = nlohmann::json;

namespace {

std::size_t utf8_code_points(std::string_view text) noexcept
{
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) {
            ++count; // count every byte that does not continue a sequence
        }
    }
    return count;
}

const std::string& string_field(const json& message, const char* name)
{
    const auto found = message.find(name);
    if (found == message.end()) {
        throw ProtocolError(ErrorCode::bad_request, std::string("field '") + name + "' is missing");
    }
    if (!found->is_string()) {
        throw ProtocolError(ErrorCode::bad_request, std::string("field '") + name
                                + "' must be a string, got " + util::describe_value(*found));
    }
    return found->get_ref<const std::string&>();
}

ReportRequest parse_report(const json& message)
{
    ReportRequest report;
    report.platform = string_field(message, "platform");
    report.setting = string_field(message, "setting");
    const std::string& state = string_field(message, "state");
    const auto parsed_state = domain::state_from_string(state);
    if (!parsed_state) {
        throw ProtocolError(ErrorCode::bad_request,
                            R"(field 'state' must be "on", "off" or "unknown", got )"
                                + util::quote(state));
    }
    report.state = *parsed_state;
    report.url = string_field(message, "url");
    if (report.url.size() > domain::max_url_length) {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'url' is " + std::to_string(report.url.size())
                                + " bytes long; the limit is "
                                + std::to_string(domain::max_url_length));
    }
    return report;
}

SnoozeRequest parse_snooze(const json& message)
{
    SnoozeRequest snooze;
    snooze.platform = string_field(message, "platform");
    snooze.setting = string_field(message, "setting");
    const std::string& duration = string_field(message, "duration");
    const auto parsed = domain::parse_duration(duration);
    if (!parsed) {
        throw ProtocolError(ErrorCode::bad_request, "field 'duration' must be "
                                + std::string(domain::duration_syntax) + ", got "
                                + util::quote(duration));
    }
    snooze.duration = *parsed;
    return snooze;
}

FiledRequest parse_filed(const json& message)
{
    FiledRequest filed;
    filed.platform = string_field(message, "platform");
    filed.setting = string_field(message, "setting");
    filed.date = string_field(message, "date");
    if (!domain::is_calendar_date(filed.date)) {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'date' must be a calendar date YYYY-MM-DD, got "
                                + util::quote(filed.date));
    }
    return filed;
}

// `watch`: absent = keep, null = back to the catalog's, true/false = set.
void parse_watch(const json& message, domain::Choice& choice)
{
    const auto found = message.find("watch");
    if (found == message.end()) {
        return;
    }
    if (found->is_null()) {
        choice.watch_edit = domain::Edit::reset;
    } else if (found->is_boolean()) {
        choice.watch_edit = domain::Edit::set;
        choice.watch = found->get<bool>();
    } else {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'watch' must be true, false or null, got "
                                + util::describe_value(*found));
    }
}

// `expected`: absent = keep, null = back to the catalog's, "on"/"off" = set.
void parse_expected(const json& message, domain::Choice& choice)
{
    const auto found = message.find("expected");
    if (found == message.end()) {
        return;
    }
    if (found->is_null()) {
        choice.expected_edit = domain::Edit::reset;
        return;
    }
    const auto parsed = found->is_string()
        ? domain::expected_from_string(found->get_ref<const std::string&>())
        : std::nullopt;
    if (!parsed) {
        throw ProtocolError(ErrorCode::bad_request,
                            R"(field 'expected' must be "on", "off" or null, got )"
                                + util::describe_value(*found));
    }
    choice.expected_edit = domain::Edit::set;
    choice.expected = *parsed;
}

// `interval_days`: absent = keep, null = back to the catalog's (or the config's global), an
// integer in the catalog's range = set.
void parse_interval(const json& message, domain::Choice& choice)
{
    const auto found = message.find("interval_days");
    if (found == message.end()) {
        return;
    }
    if (found->is_null()) {
        choice.interval_edit = domain::Edit::reset;
        return;
    }
    const json& value = *found;
    const std::int64_t days = value.is_number_integer() ? value.get<std::int64_t>() : 0;
    if (days < domain::min_interval_days || days > domain::max_interval_days) {
        throw ProtocolError(ErrorCode::bad_request,
                            "field 'interval_days' must be an integer from "
                                + std::to_string(domain::min_interval_days) + " to "
                                + std::to_string(domain::max_interval_days) + " or null, got "
                                + util::describe_value(value));
    }
    choice.interval_edit = domain::Edit::set;
    choice.interval_days = static_cast<int>(days);
}

SetChoiceRequest parse_set_choice(const json& message)
{
    SetChoiceRequest request;
    request.choice.platform = string_field(message, "platform");
    request.choice.setting = string_field(message, "setting");
    parse_watch(message, request.choice);
    parse_expected(message, request.choice);
    parse_interval(message, request.choice);
    if (request.choice.watch_edit == domain::Edit::keep
        && request.choice.expected_edit == domain::Edit::keep
        && request.choice.interval_edit == domain::Edit::keep) {
        throw ProtocolError(ErrorCode::bad_request,
                            "set_choice needs field 'watch', 'expected' or 'interval_days'");
    }
    return request;
}

} // namespace

json parse_message(std::string_view body)
{
    if (body.empty()) {
        throw ProtocolError(ErrorCode::bad_json, "empty message");
    }
    util::JsonParseResult parsed = util::parse_json_text(body);
    if (parsed.failure) {
        const auto& failure = *parsed.failure;
        std::string message = "message is not valid JSON: " + failure.description;
        if (failure.byte != 0) {
            message += " (at byte " + std::to_string(failure.byte) + ")";
        }
        throw ProtocolError(ErrorCode::bad_json, message);
    }
    if (!parsed.value.is_object()) {
        throw ProtocolError(ErrorCode::bad_json,
                            std::string("message must be a JSON object, got ")
                                + parsed.value.type_name());
    }
    return std::move(parsed.value);
}

json parse_id(const json& message)
{
    const auto found = message.find("id");
    if (found == message.end()) {
        throw ProtocolError(ErrorCode::bad_request, "field 'id' is missing");
    }
    if (found->is_number_integer()) {
        return *found;
    }
    if (found->is_string()) {
        const auto& text = found->get_ref<const std::string&>();
        if (utf8_code_points(text) > max_id_chars) {
            throw ProtocolError(ErrorCode::bad_request,
                                "field 'id' is longer than " + std::to_string(max_id_chars)
                                    + " characters");
        }
        return *found;
    }
    throw ProtocolError(ErrorCode::bad_request,
                        "field 'id' must be a string or an integer, got "
                            + util::describe_value(*found));
}

namespace {

InstallCatalogRequest parse_install_catalog(const json& message)
{
    InstallCatalogRequest install;
    const bool text = message.contains("catalog");
    const bool base64 = message.contains("catalog_base64");
    if (text == base64) {
        throw ProtocolError(ErrorCode::bad_request,
                            "exactly one of the fields 'catalog' (the file as text) and "
                            "'catalog_base64' (its bytes in base64) is needed");
    }
    if (text) {
        install.catalog = string_field(message, "catalog");
    } else {
        auto bytes = util::decode_base64(string_field(message, "catalog_base64"));
        if (!bytes) {
            throw ProtocolError(ErrorCode::bad_request,
                                "field 'catalog_base64' is not base64 (standard alphabet, padded, "
                                "no white space)");
        }
        install.catalog = std::move(*bytes);
    }
    install.signature = string_field(message, "signature");
    return install;
}

} // namespace

std::string parse_type(const json& message)
{
    return string_field(message, "type");
}

Request parse_request(std::string_view type, const json& message)
{
    if (type == "hello") {
        return HelloRequest {};
    }
    if (type == "catalog") {
        return CatalogRequest {};
    }
    if (type == "status") {
        return StatusRequest {};
    }
    if (type == "report") {
        return parse_report(message);
    }
    if (type == "set_choice") {
        return parse_set_choice(message);
    }
    if (type == "due") {
        return DueRequest {};
    }
    if (type == "snooze") {
        return parse_snooze(message);
    }
    if (type == "ack") {
        return AckRequest {string_field(message, "platform"), string_field(message, "setting")};
    }
    if (type == "filed") {
        return parse_filed(message);
    }
    if (type == "install_catalog") {
        return parse_install_catalog(message);
    }
    // --- policy_seen ---
    if (type == "policy_seen") {
        PolicySeenRequest seen {string_field(message, "platform"), string_field(message, "document"),
                                string_field(message, "effective_date")};
        if (!domain::is_calendar_date(seen.effective_date)) {
            throw ProtocolError(ErrorCode::bad_request,
                                "field 'effective_date' must be a calendar date YYYY-MM-DD, got "
                                    + util::quote(seen.effective_date));
        }
        return seen;
    }
    // --- end policy_seen ---
    throw ProtocolError(ErrorCode::unknown_type, "unknown message type " + util::quote(type));
}

} // namespace optguard::protocol
