#pragma once
// An observation as a row of the state database, and as the bytes of a write queued for another
// process to make (os/batch_queue.hpp). One definition for both, so a queued report is stored
// exactly as one written alone.

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "storage/observation_store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace optguard::storage {

inline constexpr const char* insert_observation_sql
    = "INSERT INTO observations (platform, setting, state, verdict, expected, url, observed_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

// Binds `observation` to a statement prepared from insert_observation_sql. Throws StorageError.
void bind_observation(sqlite3* db, sqlite3_stmt* statement, const Observation& observation);

// Length-prefixed fields, then the time; a version byte first, so a host never misreads another
// version's bytes (the queue's file also carries its layout's version).
[[nodiscard]] std::string encode_observation(const Observation& observation);
// nullopt for bytes that are not an encoded observation of this version.
[[nodiscard]] std::optional<Observation> decode_observation(std::span<const std::byte> bytes);

} // namespace optguard::storage
