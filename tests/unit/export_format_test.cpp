#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli/export_format.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard;
using namespace optguard::cli;

namespace {

ExportRow row(const char* setting, domain::State state, domain::Verdict verdict, std::int64_t ms)
{
    ExportRow r;
    // Built whole: `r.observation.platform = "linkedin"` meets GCC 12's -O3 -Wrestrict false positive.
    r.observation = {"linkedin", setting, state, verdict, domain::Expected::off,
                     "https://www.linkedin.com/settings", domain::from_unix_ms(ms)};
    r.platform_name = "LinkedIn";
    r.title = "Use my data | for AI";
    r.policy_source = "https://www.linkedin.com/help";
    return r;
}

const ExportMeta meta {domain::from_unix_ms(1795432502123), "2026.11.23", "0.1.0"};

} // namespace

TEST_CASE("csv fields are quoted per RFC 4180 and cannot start a spreadsheet formula")
{
    CHECK(csv_field("plain") == "plain");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("=HYPERLINK(1)") == "'=HYPERLINK(1)");
    CHECK(csv_field("-1,2") == "\"'-1,2\"");
}

TEST_CASE("the markdown record opens with what was checked, summarises the latest state, then lists every reading")
{
    const std::vector rows {row("a", domain::State::off, domain::Verdict::compliant, 1000),
                            row("a", domain::State::on, domain::Verdict::violation, 2000)};
    const std::string text = format_export(ExportFormat::md, rows, meta);
    CHECK(text.rfind("# AI-training opt-out verification record\n\nGenerated 2026-11-23T11:15:02.123Z "
                     "by optguard-host 0.1.0 (catalog 2026.11.23).\n",
                     0)
          == 0);
    CHECK(text.find("no page content and no personal data") != std::string::npos);
    CHECK(text.find("1 setting(s) checked, 2 reading(s) in total; at the latest reading 1 setting(s) "
                    "allowed AI training")
          != std::string::npos);
    CHECK(text.find("| LinkedIn | Use my data \\| for AI | on | violation | 1970-01-01T00:00:02.000Z |")
          != std::string::npos);
    CHECK(text.find("| 1970-01-01T00:00:01.000Z | LinkedIn | Use my data \\| for AI | off | off | "
                    "compliant | https://www.linkedin.com/settings | https://www.linkedin.com/help |")
          != std::string::npos);
    SUBCASE("an empty history says so")
    {
        CHECK(format_export(ExportFormat::md, {}, meta).find("No verification has been recorded yet.")
              != std::string::npos);
    }
}

TEST_CASE("json and csv exports carry the same fields, oldest first")
{
    const std::vector rows {row("a", domain::State::off, domain::Verdict::compliant, 1000)};
    const auto doc = nlohmann::json::parse(format_export(ExportFormat::json, rows, meta));
    CHECK(doc.at("records")[0]
          == nlohmann::json::parse(R"({"platform":"linkedin","setting":"a","title":"Use my data | for AI",
             "state":"off","verdict":"compliant","expected":"off","verified_at":"1970-01-01T00:00:01.000Z",
             "url":"https://www.linkedin.com/settings","policy_source":"https://www.linkedin.com/help"})"));
    CHECK(format_export(ExportFormat::csv, rows, meta)
          == "platform,setting,title,state,verdict,expected,verified_at,url,policy_source\r\n"
             "linkedin,a,Use my data | for AI,off,compliant,off,1970-01-01T00:00:01.000Z,"
             "https://www.linkedin.com/settings,https://www.linkedin.com/help\r\n");
    CHECK(export_format_from_string("md") == ExportFormat::md);
    CHECK_FALSE(export_format_from_string("MD"));
}

} // namespace OPTGUARD_TEST_FILE
