#ifndef CONNVAULT_CSYSTEM_SHIM_H
#define CONNVAULT_CSYSTEM_SHIM_H
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* prctl is variadic: typed wrappers for the two calls the vault makes. */
static inline int cv_set_dumpable(int dumpable) { return prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0); }
static inline int cv_get_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }
static inline int cv_disable_core_dumps(void) {
    struct rlimit limit = {0, 0};
    return setrlimit(RLIMIT_CORE, &limit);
}
static inline int cv_core_dumps_disabled(void) {
    struct rlimit limit;
    return getrlimit(RLIMIT_CORE, &limit) == 0 && limit.rlim_cur == 0;
}

/* mallopt(M_TOP_PAD, bytes): 1 on success. */
static inline int cv_set_malloc_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
#endif
