#pragma once
// How the process's heap gives memory back to the system.

namespace optguard::os {

// Keeps freed heap memory for the next allocation instead of returning it to the system at once.
// With several hosts writing, SQLite's page cache is emptied and refilled on nearly every write
// (another process changed the database), and glibc's default then shrinks and regrows the heap
// every time: two system calls and fresh page faults inside the turn every writer waits for. The
// heap is bounded by what the host itself uses at its peak. Call once, first thing in main.
void keep_freed_heap() noexcept;

} // namespace optguard::os
