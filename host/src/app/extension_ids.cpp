#include "app/extension_ids.hpp"

namespace optguard::extension_ids {

namespace {

std::vector<std::string> known(Rows rows, std::string_view family, std::string_view prefix,
                               std::string_view suffix)
{
    std::vector<std::string> ids;
    for (const auto& row : rows) {
        if (row.family == family && !row.id.empty()) {
            ids.push_back(std::string(prefix) + std::string(row.id) + std::string(suffix));
        }
    }
    return ids;
}

std::string first(const std::vector<std::string>& ids)
{
    return ids.empty() ? std::string() : ids.front();
}

} // namespace

std::vector<std::string> chromium_origins(Rows rows)
{
    return known(rows, "chromium", "chrome-extension://", "/");
}

std::vector<std::string> firefox_ids(Rows rows)
{
    return known(rows, "firefox", "", "");
}

std::vector<std::string> unknown(Rows rows)
{
    std::vector<std::string> names;
    for (const auto& row : rows) {
        if (row.id.empty()) {
            names.emplace_back(row.name);
        }
    }
    return names;
}

std::string unpacked_origin(Rows rows)
{
    return first(chromium_origins(rows));
}

std::string firefox_id(Rows rows)
{
    return first(firefox_ids(rows));
}

} // namespace optguard::extension_ids
