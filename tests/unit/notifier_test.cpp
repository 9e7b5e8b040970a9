#include <doctest/doctest.h>

#include "os/notifier.hpp"
#include "test_support.hpp"

// This file's own names, apart from other test files' in a unity build (tests/CMakeLists.txt).
namespace OPTGUARD_TEST_FILE {

using namespace optguard::os;

TEST_CASE("notify-send gets the app name, the urgency and the texts after --")
{
    const NotifierCommand command
        = build_command(NotifierKind::notify_send, {"-title", "body \"x\"", true});
    CHECK(command.program == "notify-send");
    CHECK(command.args
          == std::vector<std::string> {"--app-name=OptGuard", "--urgency=critical", "--", "-title",
                                       "body \"x\""});
    CHECK(build_command(NotifierKind::notify_send, {"t", "b", false}).args[1] == "--urgency=normal");
}

TEST_CASE("osascript gets one AppleScript line with quotes and backslashes escaped")
{
    const NotifierCommand command
        = build_command(NotifierKind::osascript, {"Re-check \"LinkedIn\"", "a\\b", false});
    CHECK(command.program == "osascript");
    CHECK(command.args
          == std::vector<std::string> {
              "-e", R"(display notification "a\\b" with title "Re-check \"LinkedIn\"")"});
}

TEST_CASE("the PowerShell toast carries the texts as single-quoted literals, quotes doubled")
{
    const NotifierCommand command = build_command(NotifierKind::powershell, {"it's", "<b>", false});
    CHECK(command.program == "powershell");
    REQUIRE(command.args.size() == 4);
    CHECK(command.args[0] == "-NoProfile");
    CHECK(command.args[2] == "-Command");
    CHECK(command.args[3].rfind("$t = 'it''s'; $b = '<b>';", 0) == 0);
    CHECK(command.args[3].find("[Security.SecurityElement]::Escape($b)") != std::string::npos);
    CHECK(command.args[3].find("CreateToastNotifier('OptGuard')") != std::string::npos);
}

TEST_CASE("find_on_path finds the first executable of that name in absolute PATH entries only")
{
    const optguard::test::TempDir dir;
    const auto first = dir.write("a/notify-send", "#!/bin/sh\n");
    const auto second = dir.write("b/notify-send", "#!/bin/sh\n");
    std::filesystem::permissions(second, std::filesystem::perms::owner_all);
    const std::string path = "relative:" + (dir.path() / "a").string() + ":" + (dir.path() / "b").string();
    const EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
        return name == "PATH" ? std::optional<std::string>(path) : std::nullopt;
    };
    CHECK(find_on_path("notify-send", env) == second); // the first one is not executable
    std::filesystem::permissions(first, std::filesystem::perms::owner_all);
    CHECK(find_on_path("notify-send", env) == first);
    CHECK_FALSE(find_on_path("osascript", env));
    CHECK_FALSE(find_on_path("a/notify-send", env));
    const EnvLookup no_path = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    CHECK_FALSE(find_on_path("notify-send", no_path));
}

} // namespace OPTGUARD_TEST_FILE
