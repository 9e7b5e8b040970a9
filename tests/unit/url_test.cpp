#include <doctest/doctest.h>

#include "domain/url.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::domain;

TEST_CASE("https URLs are split into host and path, dropping query and fragment")
{
    const auto url = parse_https_url("https://www.linkedin.com/mypreferences/d?x=1#top");
    REQUIRE(url.has_value());
    CHECK(url->host == "www.linkedin.com");
    CHECK(url->path == "/mypreferences/d");
    CHECK(url->without_query() == "https://www.linkedin.com/mypreferences/d");
    CHECK(parse_https_url("https://example.com")->without_query() == "https://example.com/");
    CHECK(parse_https_url("https://example.com?q")->without_query() == "https://example.com/");
    CHECK(parse_https_url("https://example.com#f")->path == "/");
}

TEST_CASE("URLs that are not plain https URLs are rejected")
{
    CHECK_FALSE(parse_https_url("http://www.linkedin.com/").has_value());
    CHECK_FALSE(parse_https_url("HTTPS://www.linkedin.com/").has_value());
    CHECK_FALSE(parse_https_url("https:///path").has_value());
    CHECK_FALSE(parse_https_url("https://user@www.linkedin.com/").has_value());
    CHECK_FALSE(parse_https_url("https://www.linkedin.com:8443/").has_value());
    CHECK_FALSE(parse_https_url("https://www.linkedin.com/a b").has_value());
    CHECK_FALSE(parse_https_url(std::string("https://www.linkedin.com/\0", 26)).has_value());
    CHECK_FALSE(parse_https_url("javascript:alert(1)").has_value());
    CHECK_FALSE(parse_https_url("https://" + std::string(2041, 'a')).has_value());
}

TEST_CASE("match patterns treat '*' as any run of characters")
{
    CHECK(matches_pattern("abc", "abc"));
    CHECK_FALSE(matches_pattern("abc", "abcd"));
    CHECK(matches_pattern("abc*", "abc"));
    CHECK(matches_pattern("abc*", "abcdef"));
    CHECK(matches_pattern("*", ""));
    CHECK(matches_pattern("a*c", "abbbc"));
    CHECK_FALSE(matches_pattern("a*c", "abbbd"));
    CHECK(matches_pattern("a*b*c", "axxbyyc"));
    CHECK(matches_pattern("*a*a*a*b", "aaaaaaaaaaab"));
    CHECK_FALSE(matches_pattern("*a*a*a*b", std::string(5000, 'a')));
    CHECK(matches_pattern("a.c", "a.c"));
    CHECK_FALSE(matches_pattern("a.c", "abc")); // no regex meaning
    CHECK_FALSE(matches_pattern("", "a"));
}

TEST_CASE("page patterns match the reported URL host by host and path by path")
{
    const char* linkedin =
        "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement*";
    CHECK(matches_page(linkedin,
                       "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"));
    CHECK(matches_page(
        linkedin, "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement?lang=de"));
    CHECK(matches_page(linkedin,
                       "https://WWW.LinkedIn.com/mypreferences/d/settings/data-for-ai-improvement"));
    CHECK_FALSE(matches_page(linkedin, "https://www.linkedin.com/feed/"));
    CHECK_FALSE(matches_page(
        linkedin, "http://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"));
    CHECK_FALSE(matches_page(
        linkedin, "https://www.linkedin.com.evil.example/mypreferences/d/settings/data-for-ai-improvement"));
}

TEST_CASE("a wildcard host covers the bare domain and subdomains but never reaches into the path")
{
    const char* pattern = "https://*.substack.com/publish/settings*";
    CHECK(matches_page(pattern, "https://alice.substack.com/publish/settings"));
    CHECK(matches_page(pattern, "https://substack.com/publish/settings?x"));
    CHECK_FALSE(matches_page(pattern, "https://evilsubstack.com/publish/settings"));
    CHECK_FALSE(matches_page(pattern, "https://evil.example/x.substack.com/publish/settings"));
}

TEST_CASE("page patterns are split into host and rest")
{
    const auto parts = split_page_pattern("https://*.example.org/a/*");
    REQUIRE(parts.has_value());
    CHECK(parts->host == "*.example.org");
    CHECK(parts->rest == "/a/*");
    CHECK_FALSE(split_page_pattern("https://example.org").has_value());
    CHECK_FALSE(split_page_pattern("http://example.org/").has_value());
    CHECK_FALSE(split_page_pattern("https://Example.org/").has_value());
}

TEST_CASE("ids and host names have their documented shapes")
{
    CHECK(is_id("generative-ai-training"));
    CHECK(is_id("x2"));
    CHECK_FALSE(is_id(""));
    CHECK_FALSE(is_id("Upper"));
    CHECK_FALSE(is_id("under_score"));
    CHECK_FALSE(is_id("a/b"));
    CHECK(is_host_name("www.linkedin.com"));
    CHECK_FALSE(is_host_name("www..linkedin.com"));
    CHECK_FALSE(is_host_name(".linkedin.com"));
    CHECK_FALSE(is_host_name("linkedin.com."));
    CHECK_FALSE(is_host_name("WWW.linkedin.com"));
    CHECK(is_host_pattern("*.substack.com"));
    CHECK_FALSE(is_host_pattern("*substack.com"));
    CHECK_FALSE(is_host_pattern("a.*.com"));
}

} // namespace OPTGUARD_TEST_FILE
