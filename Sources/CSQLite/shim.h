#ifndef HAMLET_CSQLITE_SHIM_H
#define HAMLET_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
