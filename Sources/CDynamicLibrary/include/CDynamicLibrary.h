#ifndef CONNVAULT_CDYNAMICLIBRARY_H
#define CONNVAULT_CDYNAMICLIBRARY_H

/*
 * A shared library loaded with dlopen on first use, and its functions looked up once: what CCurlLoader,
 * CCryptoLoader and CXMLReader build on. When the library or a function is missing, the process ends with status 127 and the
 * loader's message, as the dynamic linker would have at startup.
 */

#include <stdatomic.h>

typedef struct cv_dynamic_library {
    const char *file;          /* e.g. "libcurl.so.4" */
    _Atomic(void *) handle;    /* NULL until loaded */
} cv_dynamic_library;

/* The address of `name` in `library` (loading it first, with RTLD_LAZY | RTLD_LOCAL), cached in `cache`. */
void *cv_dynamic_symbol(cv_dynamic_library *library, _Atomic(void *) *cache, const char *name);

/* Defines function `name`, calling `library`'s function `symbol` with the same arguments (its address looked up
   on the first call). */
#define CV_DYNAMIC_FORWARD(library, result, name, symbol, parameters, arguments)                            \
    result name parameters {                                                                                \
        static _Atomic(void *) cache = NULL;                                                                \
        return ((result(*) parameters)cv_dynamic_symbol(library, &cache, #symbol)) arguments;              \
    }

#endif
