#pragma once
// The protocol version this host speaks (docs/protocol.md): `hello` answers it, `optguard doctor`
// and `--version` compare and print it.

namespace optguard {

inline constexpr int protocol_version = 1;

} // namespace optguard
