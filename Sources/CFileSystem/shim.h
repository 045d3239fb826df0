#ifndef OMNIHUB_CFILESYSTEM_SHIM_H
#define OMNIHUB_CFILESYSTEM_SHIM_H

// syncfs(2) is a GNU extension that Swift's Glibc module does not show: it flushes the whole
// file system holding a descriptor at once, which commits a part's outbox files together.
extern int syncfs(int fd);

/// Flushes every written file on the file system that holds `fd`; 0 on success, -1 and errno.
static inline int omnihub_syncfs(int fd) {
    return syncfs(fd);
}

// F_SETLEASE (fcntl(2)) is Linux's, behind _GNU_SOURCE, which Swift's Glibc module does not set.
#include <errno.h>
#include <fcntl.h>
#ifndef F_SETLEASE
#define F_SETLEASE 1024
#endif

/// Whether a process has the open file `fd` open for writing, as far as the kernel can tell: a
/// read lease is granted only on a file nobody writes. 1 when someone writes it, 0 when nobody
/// does, -1 when it cannot be told (not the file's owner, no leases on this file system).
static inline int omnihub_is_open_for_writing(int fd) {
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
        return 0;
    }
    return errno == EAGAIN ? 1 : -1;
}

#endif
