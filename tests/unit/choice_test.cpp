#include <doctest/doctest.h>

#include "catalog/choice.hpp"
#include "catalog/user_config.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using catalog::Choice;
using catalog::Edit;
using json = nlohmann::json;

namespace {

Choice choice(Edit watch_edit, bool watch, Edit expected_edit,
              domain::Expected expected = domain::Expected::off)
{
    Choice c;
    c.platform = "linkedin";
    c.setting = "generative-ai-training";
    c.watch_edit = watch_edit;
    c.watch = watch;
    c.expected_edit = expected_edit;
    c.expected = expected;
    return c;
}

} // namespace

TEST_CASE("apply_choice starts a missing config with format 1 and the one override")
{
    const json result = catalog::apply_choice(nullptr, choice(Edit::set, false, Edit::keep));
    CHECK(result
          == json::parse(
              R"({"format":1,"settings":{"linkedin/generative-ai-training":{"watch":false}}})"));
    CHECK_NOTHROW((void)catalog::parse_user_config(result, "config.json"));
}

TEST_CASE("apply_choice keeps every other key, setting and override field")
{
    const json before = json::parse(R"({
      "format": 1, "interval_days": 30, "future_key": {"a": [1, 2]},
      "settings": {
        "chatgpt/improve-the-model": {"expected": "on"},
        "linkedin/generative-ai-training": {"interval_days": 14, "note": "kept"}
      }})");
    const json after
        = catalog::apply_choice(before, choice(Edit::keep, true, Edit::set, domain::Expected::on));
    CHECK(after.at("interval_days") == 30);
    CHECK(after.at("future_key") == before.at("future_key"));
    CHECK(after.at("settings").at("chatgpt/improve-the-model") == json {{"expected", "on"}});
    CHECK(after.at("settings").at("linkedin/generative-ai-training")
          == json::parse(R"({"interval_days": 14, "note": "kept", "expected": "on"})"));
}

TEST_CASE("apply_choice with reset removes the field, then the empty override, then settings")
{
    const json before = json::parse(
        R"({"format":1,"settings":{"linkedin/generative-ai-training":{"watch":false,"expected":"on"}}})");
    SUBCASE("one field reset keeps the other")
    {
        const json after = catalog::apply_choice(before, choice(Edit::reset, true, Edit::keep));
        CHECK(after.at("settings").at("linkedin/generative-ai-training")
              == json {{"expected", "on"}});
    }
    SUBCASE("both reset leaves no settings key")
    {
        const json after = catalog::apply_choice(before, choice(Edit::reset, true, Edit::reset));
        CHECK(after == json {{"format", 1}});
    }
    SUBCASE("keep changes nothing")
    {
        CHECK(catalog::apply_choice(before, choice(Edit::keep, true, Edit::keep)) == before);
    }
}

TEST_CASE("apply_choice sets watch true explicitly, not by removing the field")
{
    const json after = catalog::apply_choice(nullptr, choice(Edit::set, true, Edit::keep));
    CHECK(after.at("settings").at("linkedin/generative-ai-training") == json {{"watch", true}});
}

} // namespace OPTGUARD_TEST_FILE
