#pragma once
// Pure URL helpers for reported page URLs and catalog match patterns.

#include <optional>
#include <string>
#include <string_view>

namespace optguard::domain {

inline constexpr std::size_t max_url_length = 2048;

struct HttpsUrl {
    std::string host; // as written (the catalog lists hosts in lower case)
    std::string path; // starts with '/'; "/" when the URL has none

    // scheme + host + path: what the host stores (query and fragment dropped).
    [[nodiscard]] std::string without_query() const { return "https://" + host + path; }
};

// Accepts "https://HOST[/PATH][?QUERY][#FRAGMENT]" with a non-empty host of [A-Za-z0-9.-] and no
// user info, port, white space or control characters. Anything else is nullopt.
[[nodiscard]] std::optional<HttpsUrl> parse_https_url(std::string_view text);

// Match patterns as in docs/catalog-format.md: '*' matches any run of characters (including none),
// every other character matches itself. Iterative matching that backtracks only to the last star:
// at worst pattern length x text length steps, no recursion.
[[nodiscard]] bool matches_pattern(std::string_view pattern, std::string_view text) noexcept;

struct PagePattern {
    std::string host; // "www.linkedin.com" or "*.substack.com"
    std::string rest; // from the first '/' after the host: path, query, '*' wildcards
};

// Splits "https://HOST/REST" (a catalog `pages` entry). nullopt if it does not have that shape or
// HOST is not a host pattern.
[[nodiscard]] std::optional<PagePattern> split_page_pattern(std::string_view pattern);

// Does a reported URL fall under a catalog `pages` pattern? The host is compared on its own
// ("*.example.com" matches example.com and any subdomain, and a '*' can never reach across into the
// path); the rest of the pattern is matched with matches_pattern against the path ("/" when none)
// and the query, never the fragment, so "https://h/p*" also covers "https://h/p?tab=1".
[[nodiscard]] bool matches_page(std::string_view pattern, std::string_view url);

// True if `text` is a non-empty run of [a-z0-9-] (platform and setting ids).
[[nodiscard]] bool is_id(std::string_view text) noexcept;

// True if `text` looks like a lower-case host name: labels of [a-z0-9-] separated by single dots.
[[nodiscard]] bool is_host_name(std::string_view text) noexcept;

// A host name, or "*." followed by one (a catalog `hosts` entry).
[[nodiscard]] bool is_host_pattern(std::string_view text) noexcept;

} // namespace optguard::domain
