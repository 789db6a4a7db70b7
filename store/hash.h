/* store/hash.h — uthash as dynemu includes it. uthash's default answer to
 * an allocation that fails inside HASH_ADD is exit(-1); here it is a
 * failed add instead (HASH_NONFATAL_OOM): the element is not in the table,
 * and STORE_HASH_ADDED says so, so the caller can undo and answer
 * InternalServerError. Every file includes this, never <uthash.h>. */
#ifndef STORE_HASH_H
#define STORE_HASH_H

#define HASH_NONFATAL_OOM 1
#include <uthash.h>

/* Whether the HASH_ADD just made of elt (handle hh) took it in. */
#define STORE_HASH_ADDED(elt) ((elt)->hh.tbl != NULL)

#endif
