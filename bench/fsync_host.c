/* The durable-storage baseline for the OptGuard benchmarks: the physical limit of "stored before the
 * reply is written" on this disk.
 *
 * Speaks the same framing as echo_host.c, but for every frame it appends a small fixed-size record
 * (~100 bytes, the size of an observation) to one file with write(2) + fsync(2) and only then
 * answers with a short frame. The file is $OPTGUARD_BENCH_FSYNC_FILE, which the benchmark puts in the
 * folder of the host's SQLite database, so both measure the same file system and device. Several
 * copies may append to the same file at once (O_APPEND), as several host processes share one DB. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_io.h"


int main(void) {
  const char *path = getenv("OPTGUARD_BENCH_FSYNC_FILE");
  if (path == NULL || *path == '\0') {
    fprintf(stderr, "fsync_host: set OPTGUARD_BENCH_FSYNC_FILE\n");
    return 2;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    perror("fsync_host: open");
    return 2;
  }
  enum { max_frame = 1024 * 1024 };
  static char frame[max_frame];
  static const char reply[] = "{\"ok\":true}";
  char record[100];
  memset(record, 'x', sizeof record);
  record[sizeof record - 1] = '\n';
  for (;;) {
    uint32_t len;
    if (read_all(0, &len, sizeof len) != 0) return 0;
    if (len > max_frame) return 0;
    if (read_all(0, frame, len) != 0) return 0;
    if (write_all(fd, record, sizeof record) != 0 || fsync(fd) != 0) {
      perror("fsync_host: write/fsync");
      return 1;
    }
    uint32_t out = (uint32_t)(sizeof reply - 1);
    char buf[4 + sizeof reply];
    memcpy(buf, &out, 4);
    memcpy(buf + 4, reply, out);
    if (write_all(1, buf, 4 + (size_t)out) != 0) return 1;
  }
}
