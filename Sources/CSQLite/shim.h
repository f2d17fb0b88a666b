#ifndef HAMLET_CSQLITE_SHIM_H
#define HAMLET_CSQLITE_SHIM_H
#include <sqlite3.h>

/* sqlite3_db_config and sqlite3_file_control take variadic or untyped arguments Swift cannot pass directly. */
static inline int hamlet_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
static inline int hamlet_sqlite_persist_wal(sqlite3 *db) {
    int on = 1;
    return sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &on);
}
#endif
