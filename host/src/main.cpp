// argv -> mode. Browser-launched (native messaging) or a person at a terminal (CLI). Nothing else.

#include <span>
#include <string_view>
#include <vector>

#include "browser/browser_mode.hpp"
#include "cli/commands.hpp"
#include "os/heap.hpp"

namespace {

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Chromium passes the caller's origin as argv[1]; Firefox passes the host manifest's path and the
// add-on id. Everything else is a person typing a command.
bool launched_by_browser(std::span<const std::string_view> args)
{
    if (args.empty()) {
        return false;
    }
    return args[0].substr(0, 19) == "chrome-extension://"
        || (args.size() >= 2 && ends_with(args[0], ".json"));
}

} // namespace

int main(int argc, char** argv)
{
    optguard::os::keep_freed_heap();
    const std::vector<std::string_view> args(argv + 1, argv + argc);
    if (launched_by_browser(args)) {
        return optguard::run_browser_mode(args);
    }
    return optguard::cli::run(argc > 0 ? argv[0] : "", args);
}
