#ifndef CONNVAULT_CSQLITE_SHIM_H
#define CONNVAULT_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro built from a cast, which Swift cannot import.
static inline sqlite3_destructor_type cv_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/// sqlite3_db_config is variadic; this wrapper covers the (int, int*) options.
static inline int cv_sqlite_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}
/// sqlite3_config is variadic; this wrapper turns SQLite's memory statistics on or off (before initialisation).
static inline int cv_sqlite_config_memstatus(int on) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, on); }
#endif
