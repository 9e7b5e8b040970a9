#pragma once
// What every storage operation throws when the disk, the database or a folder fails it. The
// browser mode turns it into a storage_error reply in one place (browser/dispatcher.cpp).

#include <stdexcept>

namespace optguard::storage {

class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace optguard::storage
