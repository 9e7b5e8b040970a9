#pragma once
// A use case refused what it was asked, in the person's words. Not a protocol error: the browser
// mode answers it as unknown_setting / bad_request (browser/dispatcher.cpp), the CLI as a usage
// error (cli/reminder_commands.cpp).

#include <stdexcept>
#include <string>

namespace optguard::app {

enum class Refusal {
    unknown_setting, // the catalog has no such platform/setting
    bad_value,       // a field's value cannot be used (a date that is no date, or in the future)
};

class Rejected : public std::runtime_error {
public:
    Rejected(Refusal why, const std::string& message)
        : std::runtime_error(message)
        , why_(why)
    {
    }
    [[nodiscard]] Refusal why() const noexcept { return why_; }

private:
    Refusal why_;
};

} // namespace optguard::app
