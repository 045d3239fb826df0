#ifndef OMNIHUB_CZSTD_SHIM_H
#define OMNIHUB_CZSTD_SHIM_H

// Zstandard's stable interface only: the store compresses each order's canonical document against
// a fixed dictionary (OmnihubStore's StoredOrderDocument).
#include <zstd.h>

#endif
