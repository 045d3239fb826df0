#ifndef OMNIHUB_CSQLITETHREADING_SHIM_H
#define OMNIHUB_CSQLITETHREADING_SHIM_H

// sqlite3_config(3) is variadic, which Swift cannot call. Declared here rather than by including
// sqlite3.h, which GRDBSQLite's module already holds; the library is the one GRDBSQLite links.
extern int sqlite3_config(int option, ...);

/// SQLITE_CONFIG_MULTITHREAD (sqlite3.h: 2): connections and statements without mutexes of their
/// own, for a program that never uses one connection from two threads at once; then
/// SQLITE_CONFIG_MEMSTATUS (9) off: no process-wide memory statistics, whose mutex every
/// allocation of every connection takes. 0 when both are set, SQLite's error code otherwise.
static inline int omnihub_sqlite_without_mutexes(void) {
    int result = sqlite3_config(2);
    if (result != 0) return result;
    return sqlite3_config(9, 0);
}

#endif
