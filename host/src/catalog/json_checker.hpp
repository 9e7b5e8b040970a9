#pragma once
// Shape checks for the catalog and the user config. Every failure throws CatalogError with
// "FILE: KEY.PATH: what is wrong", e.g. `linkedin.json: settings[0].expected: must be "on" or "off"`.

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "catalog/catalog.hpp"
#include "domain/verdict.hpp"

namespace optguard::catalog {

class JsonChecker {
public:
    explicit JsonChecker(std::string file_name)
        : file_(std::move(file_name))
    {
    }

    [[noreturn]] void fail(const std::string& path, const std::string& what) const;

    // `path` of a key inside the object at `parent` ("settings[0]" + "id" -> "settings[0].id").
    [[nodiscard]] static std::string key_path(const std::string& parent, std::string_view key);

    // The value must be an object whose keys are all in `allowed` and include all of `required`.
    void object(const nlohmann::json& value, const std::string& path,
                std::initializer_list<std::string_view> required,
                std::initializer_list<std::string_view> allowed) const;
    void root_object(const nlohmann::json& value, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> allowed) const
    {
        object(value, "", required, allowed);
    }

    // A non-empty string.
    [[nodiscard]] std::string string(const nlohmann::json& value, const std::string& path) const;
    // An array of at least `min_size` elements.
    const nlohmann::json& array(const nlohmann::json& value, const std::string& path,
                                std::size_t min_size) const;
    // A string of [a-z0-9-]+.
    [[nodiscard]] std::string id(const nlohmann::json& value, const std::string& path) const;
    [[nodiscard]] domain::Expected expected(const nlohmann::json& value,
                                            const std::string& path) const;
    [[nodiscard]] int interval_days(const nlohmann::json& value, const std::string& path) const;
    [[nodiscard]] bool boolean(const nlohmann::json& value, const std::string& path) const;

private:
    std::string file_;
};

} // namespace optguard::catalog
