#pragma once
// An in-memory ObservationStore for dispatcher and session tests.

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "storage/observation_store.hpp"

namespace optguard::test {

class MemoryStore final : public storage::ObservationStore {
public:
    void record(const storage::Observation& observation) override
    {
        if (fail_writes) {
            throw storage::StorageError("disk full");
        }
        if (throw_bug) {
            throw std::logic_error("secret detail of a bug");
        }
        rows.push_back(observation);
    }
    std::optional<storage::Observation> latest(std::string_view platform,
                                               std::string_view setting) override
    {
        std::optional<storage::Observation> best;
        for (const auto& row : rows) {
            if (row.platform == platform && row.setting == setting
                && (!best || row.observed_at >= best->observed_at)) {
                best = row;
            }
        }
        return best;
    }

    std::vector<storage::Observation> rows;
    bool fail_writes = false;
    bool throw_bug = false;
};

} // namespace optguard::test
