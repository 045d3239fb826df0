#ifndef OMNIHUB_CFILESYSTEM_SHIM_H
#define OMNIHUB_CFILESYSTEM_SHIM_H

// syncfs(2) is a GNU extension that Swift's Glibc module does not show: it flushes the whole
// file system holding a descriptor at once, which commits a part's outbox files together.
extern int syncfs(int fd);

/// Flushes every written file on the file system that holds `fd`; 0 on success, -1 and errno.
static inline int omnihub_syncfs(int fd) {
    return syncfs(fd);
}

#endif
