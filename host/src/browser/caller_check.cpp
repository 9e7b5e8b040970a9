#include "browser/caller_check.hpp"

#include <algorithm>

#include "app/extension_ids.hpp"

namespace optguard {

namespace {

constexpr std::string_view chrome_scheme = "chrome-extension://";

bool contains(const std::vector<std::string>& list, std::string_view value)
{
    return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

AllowList default_allow_list()
{
    AllowList allow;
    allow.chrome_origins = extension_ids::chromium_origins();
    allow.firefox_ids = extension_ids::firefox_ids();
    return allow;
}

bool is_allowed_caller(std::span<const std::string_view> args, const AllowList& allow)
{
    if (args.empty()) {
        return false;
    }
    if (args[0].substr(0, chrome_scheme.size()) == chrome_scheme) {
        return contains(allow.chrome_origins, args[0]);
    }
    return args.size() >= 2 && contains(allow.firefox_ids, args[1]);
}

std::string describe_caller(std::span<const std::string_view> args)
{
    if (args.empty()) {
        return "(none)";
    }
    if (args[0].substr(0, chrome_scheme.size()) == chrome_scheme || args.size() < 2) {
        return std::string(args[0]);
    }
    return std::string(args[1]);
}

} // namespace optguard
