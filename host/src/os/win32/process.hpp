#pragma once
// Windows only: UTF-8 <-> UTF-16 and starting a program with CreateProcessW, for os/win32/host_probe.cpp
// and os/notifier.cpp (Boost.Process does this on Linux and macOS).

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace optguard::os::win32 {

[[nodiscard]] std::wstring widen(std::string_view utf8);
[[nodiscard]] std::string narrow(std::wstring_view utf16);

// One argument quoted so that CommandLineToArgvW and the C runtime read it back unchanged.
[[nodiscard]] std::wstring quote_argument(std::wstring_view argument);

// "program" arg1 arg2 ..., each quoted.
[[nodiscard]] std::wstring command_line(const std::filesystem::path& program,
                                        const std::vector<std::string>& args);

// FormatMessage of a GetLastError() code, without the trailing newline.
[[nodiscard]] std::string error_message(unsigned long code);

} // namespace optguard::os::win32
