#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

#pragma GCC visibility push(hidden)
#include "CDynamicLibrary.h"

static void *cv_dynamic_handle(cv_dynamic_library *library) {
    void *handle = atomic_load_explicit(&library->handle, memory_order_acquire);
    if (handle) return handle;
    /* RTLD_LAZY: the functions the library and its own dependencies call among themselves are bound on first call,
       as the dynamic linker does for a program linked the ordinary way (libraries built with BIND_NOW are still bound
       at once, which is most of them). For libcurl, dlopen went from 14.0 to 10.6 million instructions. The functions
       the loaders call are looked up by dlsym, so a missing one still ends the process at first use. */
    handle = dlopen(library->file, RTLD_LAZY | RTLD_LOCAL);  /* dlopen is thread-safe; a race loads it once */
    if (!handle) {
        const char *reason = dlerror();
        fprintf(stderr, "error while loading shared libraries: %s: %s\n", library->file, reason ? reason : "not found");
        _exit(127);
    }
    atomic_store_explicit(&library->handle, handle, memory_order_release);
    return handle;
}

void *cv_dynamic_symbol(cv_dynamic_library *library, _Atomic(void *) *cache, const char *name) {
    void *function = atomic_load_explicit(cache, memory_order_acquire);
    if (function) return function;
    function = dlsym(cv_dynamic_handle(library), name);
    if (!function) {
        fprintf(stderr, "error: %s has no function %s\n", library->file, name);
        _exit(127);
    }
    atomic_store_explicit(cache, function, memory_order_release);
    return function;
}

#pragma GCC visibility pop
