#include "catalog/json_checker.hpp"

#include <algorithm>

#include "domain/url.hpp"
#include "util/json_text.hpp"

namespace optguard::catalog {

using json = nlohmann::json;

void JsonChecker::fail(const std::string& path, const std::string& what) const
{
    if (path.empty()) {
        throw CatalogError(file_ + ": " + what);
    }
    throw CatalogError(file_ + ": " + path + ": " + what);
}

std::string JsonChecker::key_path(const std::string& parent, std::string_view key)
{
    // Plain keys read as dotted paths; anything else (slashes in config keys, odd bytes) is quoted.
    const bool plain = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '_' || c == '-';
    });
    if (!plain) {
        return parent + "[" + util::quote(key) + "]";
    }
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

void JsonChecker::object(const json& value, const std::string& path,
                         std::initializer_list<std::string_view> required,
                         std::initializer_list<std::string_view> allowed) const
{
    if (!value.is_object()) {
        fail(path, "must be a JSON object, got " + util::describe_value(value));
    }
    // Unknown keys first: a typo ("expcted") is reported as the typo, not as a missing key.
    for (const auto& [key, item] : value.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            fail(key_path(path, key), "unknown key");
        }
    }
    for (const auto key : required) {
        if (!value.contains(key)) {
            fail(path, "missing required key " + util::quote(key));
        }
    }
}

std::string JsonChecker::string(const json& value, const std::string& path) const
{
    const auto blank = [](const std::string& text) {
        return std::all_of(text.begin(), text.end(), [](char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        });
    };
    if (!value.is_string() || blank(value.get_ref<const std::string&>())) {
        fail(path, "must be a non-empty string, got " + util::describe_value(value));
    }
    return value.get<std::string>();
}

const json& JsonChecker::array(const json& value, const std::string& path,
                               std::size_t min_size) const
{
    if (!value.is_array()) {
        fail(path, "must be an array, got " + util::describe_value(value));
    }
    if (value.size() < min_size) {
        fail(path, "must hold at least " + std::to_string(min_size)
                       + (min_size == 1 ? " element" : " elements"));
    }
    return value;
}

std::string JsonChecker::id(const json& value, const std::string& path) const
{
    std::string text = string(value, path);
    if (!domain::is_id(text)) {
        fail(path, "must match [a-z0-9-]+, got " + util::quote(text));
    }
    return text;
}

domain::Expected JsonChecker::expected(const json& value, const std::string& path) const
{
    if (value.is_string()) {
        if (const auto parsed = domain::expected_from_string(value.get_ref<const std::string&>())) {
            return *parsed;
        }
    }
    fail(path, R"(must be "on" or "off")");
}

int JsonChecker::interval_days(const json& value, const std::string& path) const
{
    if (value.is_number_integer()) {
        const auto days = value.get<std::int64_t>();
        if (days >= min_interval_days && days <= max_interval_days) {
            return static_cast<int>(days);
        }
    }
    fail(path, "must be an integer from " + std::to_string(min_interval_days) + " to "
                   + std::to_string(max_interval_days) + ", got " + util::describe_value(value));
}

bool JsonChecker::boolean(const json& value, const std::string& path) const
{
    if (!value.is_boolean()) {
        fail(path, "must be true or false, got " + util::describe_value(value));
    }
    return value.get<bool>();
}

} // namespace optguard::catalog
