#ifndef HAMLET_CZLIB_SHIM_H
#define HAMLET_CZLIB_SHIM_H
#include <zlib.h>
#endif
