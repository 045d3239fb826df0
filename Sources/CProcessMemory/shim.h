#ifndef OMNIHUB_CPROCESSMEMORY_SHIM_H
#define OMNIHUB_CPROCESSMEMORY_SHIM_H

// mallopt(3) and M_ARENA_MAX are glibc's, in <malloc.h>, which Swift's Glibc module does not show.
#include <malloc.h>

/// Lets glibc's allocator keep at most `arenas` arenas (it keeps up to eight per core otherwise);
/// 1 on success, 0 when the allocator refused.
static inline int omnihub_limit_malloc_arenas(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}

#endif
