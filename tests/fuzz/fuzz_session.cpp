// libFuzzer target: the whole browser-facing path, bytes in -> frames out, with the real catalog and
// an in-memory store. Invariants: the session never throws or crashes, every reply is a well-formed
// frame of valid UTF-8 JSON under the browser's 1 MB limit with "ok" and "id", and it ends with one
// of the documented exit statuses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "../unit/memory_reminder_store.hpp"
#include "../unit/memory_store.hpp"
#include "catalog/catalog.hpp"
#include "browser/dispatcher.hpp"
#include "protocol/frame_io.hpp"
#include "browser/session.hpp"

namespace {

const optguard::catalog::CatalogLoad& loaded_catalog()
{
    static const optguard::catalog::CatalogLoad loaded
        = optguard::catalog::try_load_catalog(OPTGUARD_FUZZ_CATALOG);
    if (!loaded.catalog) {
        std::abort(); // the fuzzer would only ever see catalog_invalid
    }
    return loaded;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    using namespace optguard;
    Dispatcher dispatcher(
        loaded_catalog(), {}, [] { return std::make_unique<test::MemoryStore>(); },
        [] { return std::make_unique<test::MemoryReminderStore>(); });
    util::StringSource in(std::string(reinterpret_cast<const char*>(data), size));
    util::StringSink out;
    util::StringSink log;
    Session session(in, out, log, dispatcher, [] { return domain::from_unix_ms(1795432502123); });
    const int status = session.run();
    if (status != 0) {
        std::abort(); // only a failed stdout gives 1, and ours never fails
    }
    util::StringSource replies(out.text());
    for (;;) {
        const auto frame = protocol::read_frame(replies, 0xFFFFFFFFU);
        if (frame.status == protocol::ReadStatus::end_of_input) {
            break;
        }
        if (frame.status != protocol::ReadStatus::frame
            || frame.body.size() > protocol::max_response_bytes) {
            std::abort();
        }
        const auto reply = nlohmann::json::parse(frame.body, nullptr, /*allow_exceptions=*/false);
        if (reply.is_discarded() || !reply.is_object() || !reply.contains("ok")
            || !reply.contains("id")) {
            std::abort();
        }
    }
    return 0;
}
