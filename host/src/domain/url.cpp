#include "domain/url.hpp"

namespace optguard::domain {

namespace {

constexpr std::string_view https_prefix = "https://";

bool is_host_char(char c) noexcept
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '.';
}

} // namespace

std::optional<HttpsUrl> parse_https_url(std::string_view text)
{
    if (text.size() > max_url_length || text.substr(0, https_prefix.size()) != https_prefix) {
        return std::nullopt;
    }
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) {
            return std::nullopt;
        }
    }
    std::string_view rest = text.substr(https_prefix.size());
    const std::size_t authority_end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, authority_end);
    if (authority.empty()) {
        return std::nullopt;
    }
    for (const char c : authority) {
        if (!is_host_char(c)) {
            return std::nullopt; // user info, port, IPv6 literals: not on any catalog page
        }
    }
    std::string_view path = "/"; // no path, or only a query or fragment
    if (authority_end != std::string_view::npos) {
        rest.remove_prefix(authority_end);
        const std::string_view given = rest.substr(0, rest.find_first_of("?#"));
        path = given.empty() ? path : given;
    }
    HttpsUrl url;
    url.host = std::string(authority);
    // Built once, not `url.path = "/"`: that hits GCC 12's -O3 -Wrestrict false positive (PR 105329).
    url.path = std::string(path);
    return url;
}

bool matches_pattern(std::string_view pattern, std::string_view text) noexcept
{
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::optional<PagePattern> split_page_pattern(std::string_view pattern)
{
    if (pattern.substr(0, https_prefix.size()) != https_prefix) {
        return std::nullopt;
    }
    const std::string_view rest = pattern.substr(https_prefix.size());
    const std::size_t slash = rest.find('/');
    if (slash == std::string_view::npos || !is_host_pattern(rest.substr(0, slash))) {
        return std::nullopt;
    }
    return PagePattern {std::string(rest.substr(0, slash)), std::string(rest.substr(slash))};
}

bool matches_page(std::string_view pattern, std::string_view url)
{
    const auto page = split_page_pattern(pattern);
    const auto parsed = parse_https_url(url);
    if (!page || !parsed) {
        return false;
    }
    std::string host = parsed->host;
    for (char& c : host) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a'); // host names are case-insensitive
        }
    }
    if (page->host.rfind("*.", 0) == 0) {
        const std::string_view domain = std::string_view(page->host).substr(2);
        const bool subdomain = host.size() > domain.size() + 1
            && std::string_view(host).substr(host.size() - domain.size()) == domain
            && host[host.size() - domain.size() - 1] == '.';
        if (host != domain && !subdomain) {
            return false;
        }
    } else if (host != page->host) {
        return false;
    }
    // parse_https_url accepted the URL, so "https://" + host is its exact prefix. The rest of the
    // pattern meets the path ("/" when there is none) and the query, as the extension matches it
    // (tests/fixtures/rules/page-match.json): a fragment is a place in the page, never the page.
    std::string_view after_host = url.substr(https_prefix.size() + parsed->host.size());
    after_host = after_host.substr(0, after_host.find('#'));
    if (after_host.empty() || after_host.front() == '?') {
        // Appended, not "/" + string: GCC 12 -O3 -Wrestrict false positive (PR 105329).
        std::string rooted = "/";
        rooted.append(after_host);
        return matches_pattern(page->rest, rooted);
    }
    return matches_pattern(page->rest, after_host);
}

bool is_host_pattern(std::string_view text) noexcept
{
    if (text.substr(0, 2) == "*.") {
        text.remove_prefix(2);
    }
    return is_host_name(text);
}

bool is_id(std::string_view text) noexcept
{
    if (text.empty()) {
        return false;
    }
    for (const char c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return false;
        }
    }
    return true;
}

bool is_host_name(std::string_view text) noexcept
{
    if (text.empty() || text.size() > 253) {
        return false;
    }
    std::size_t label_length = 0;
    for (const char c : text) {
        if (c == '.') {
            if (label_length == 0) {
                return false;
            }
            label_length = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
            ++label_length;
        } else {
            return false;
        }
    }
    return label_length > 0;
}

} // namespace optguard::domain
