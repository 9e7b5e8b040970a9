#pragma once
// What the dispatcher needs from storage. The SQLite implementation is StateStore; unit tests use an
// in-memory one.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "domain/timestamp.hpp"
#include "domain/verdict.hpp"
#include "storage/storage_error.hpp"

namespace optguard::storage {

// The state database could not be opened, read or written. Mapped to storage_error on the wire.
struct Observation {
    std::string platform;
    std::string setting;
    domain::State state = domain::State::unknown;
    domain::Verdict verdict = domain::Verdict::unknown;
    domain::Expected expected = domain::Expected::off;
    std::string url; // scheme + host + path
    domain::TimePoint observed_at;
};

class ObservationStore {
public:
    virtual ~ObservationStore() = default;
    ObservationStore() = default;
    ObservationStore(const ObservationStore&) = delete;
    ObservationStore& operator=(const ObservationStore&) = delete;
    ObservationStore(ObservationStore&&) = delete;
    ObservationStore& operator=(ObservationStore&&) = delete;

    // Durable when it returns: the observation survives a crash. Throws StorageError.
    virtual void record(const Observation& observation) = 0;
    // The newest observation of one setting, or nullopt. Throws StorageError.
    [[nodiscard]] virtual std::optional<Observation> latest(std::string_view platform,
                                                            std::string_view setting) = 0;

    // Reads between begin_reading() and end_reading() see one snapshot of the store and pay for one
    // read transaction instead of one per query (status reads one row per catalog setting). Not
    // nested. Default: nothing to do. begin_reading throws StorageError.
    virtual void begin_reading() {}
    virtual void end_reading() noexcept {}
};

// Calls begin_reading() and, when it leaves scope, end_reading(). `store` may be null.
template <typename Store>
class ReadingScope {
public:
    explicit ReadingScope(Store* store)
        : store_(store)
    {
        if (store_ != nullptr) {
            store_->begin_reading();
        }
    }
    ~ReadingScope()
    {
        if (store_ != nullptr) {
            store_->end_reading();
        }
    }
    ReadingScope(const ReadingScope&) = delete;
    ReadingScope& operator=(const ReadingScope&) = delete;
    ReadingScope(ReadingScope&&) = delete;
    ReadingScope& operator=(ReadingScope&&) = delete;

private:
    Store* store_;
};

} // namespace optguard::storage
