#include <string_view>
#include <vector>

#include <doctest/doctest.h>

#include "browser/caller_check.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;

namespace {

bool allowed(std::vector<std::string_view> args)
{
    return is_allowed_caller(args, default_allow_list());
}

} // namespace

TEST_CASE("a store build whose id is on the allow-list is let in like the unpacked one")
{
    const AllowList allow {{"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/",
                            "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"},
                           {"optguard@optguard.dev"}};
    const std::vector<std::string_view> store = {"chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/"};
    CHECK(is_allowed_caller(store, allow));
    const std::vector<std::string_view> other = {"chrome-extension://ppppoooonnnnmmmmllllkkkkjjjjiiii/"};
    CHECK_FALSE(is_allowed_caller(other, allow));
}

TEST_CASE("caller check accepts OptGuard's own extension in both browsers' argv forms")
{
    CHECK(allowed({"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/"}));
    CHECK(allowed({"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/", "--parent-window=0"}));
    CHECK(allowed({"/home/u/.mozilla/native-messaging-hosts/dev.optguard.host.json",
                   "optguard@optguard.dev"}));
}

TEST_CASE("caller check rejects every other caller")
{
    CHECK_FALSE(allowed({}));
    CHECK_FALSE(allowed({"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"}));
    CHECK_FALSE(allowed({"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie"}));
    CHECK_FALSE(allowed({"chrome-extension://cmijejphlnikkmemcggjhadjlmobjaie/x"}));
    CHECK_FALSE(allowed({"/path/dev.optguard.host.json", "evil@example.com"}));
    CHECK_FALSE(allowed({"/path/dev.optguard.host.json"}));
    // A Chrome origin cannot borrow the Firefox id through the second argument.
    CHECK_FALSE(allowed({"chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/",
                         "optguard@optguard.dev"}));
}

TEST_CASE("describe_caller names the origin or the add-on id")
{
    std::vector<std::string_view> chrome = {"chrome-extension://x/"};
    std::vector<std::string_view> firefox = {"/m.json", "evil@example.com"};
    CHECK(describe_caller(chrome) == "chrome-extension://x/");
    CHECK(describe_caller(firefox) == "evil@example.com");
}

} // namespace OPTGUARD_TEST_FILE
