/* The baseline "host" for the OptGuard benchmarks: the least a native messaging host can do.
 *
 * Reads one frame (32-bit native-endian length + body) from stdin, writes the same frame back to
 * stdout, and repeats until end of input, then exits 0. No JSON parsing, no allocation per message,
 * no stdio buffering: it is started exactly like optguard-host (argv[1] = the caller's origin, which
 * it ignores), so every ratio against it isolates what the real host adds. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_io.h"


int main(void) {
  enum { max_frame = 1024 * 1024 };
  static char frame[4 + max_frame];
  for (;;) {
    uint32_t len;
    if (read_all(0, &len, sizeof len) != 0) return 0; /* end of input: the browser closed the port */
    if (len > max_frame) return 0;
    if (read_all(0, frame + 4, len) != 0) return 0;
    memcpy(frame, &len, sizeof len);
    if (write_all(1, frame, 4 + (size_t)len) != 0) return 1;
  }
}
