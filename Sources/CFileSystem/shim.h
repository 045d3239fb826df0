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

// O_TMPFILE (open(2)) is Linux's, behind _GNU_SOURCE too: a file with no name until it is linked
// in, so a reader never sees it half written and nothing is left behind when the process dies.
#include <stdio.h>
#include <unistd.h>
#ifndef O_TMPFILE
#define O_TMPFILE (020000000 | O_DIRECTORY)
#endif

/// An unnamed file in `folder`, open for writing; -1 and errno when the file system has none
/// (EOPNOTSUPP, EISDIR or EINVAL) or the folder cannot be written.
static inline int omnihub_open_unnamed(const char *folder) {
    return open(folder, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
}

/// Gives the unnamed file open at `fd` the name `path`; fails with EEXIST, replacing nothing,
/// when `path` is taken. 0 on success, -1 and errno.
static inline int omnihub_link_unnamed(int fd, const char *path) {
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

#endif
