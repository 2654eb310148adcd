/*
 * libxml2, loaded on first use.
 *
 * Linking libxml2 the ordinary way (as Foundation's XMLParser does) makes every process load it at exec, and with
 * it ICU (libicuuc and its 30 MB of data), liblzma and libz: 2-3 ms of every command's start, although only XML
 * response bodies need it. Instead, the first XML body dlopens libxml2.so.2 (the ABI libxml2 has kept since 2001)
 * and each function's address is looked up once and cached, as CCurlLoader does for libcurl. Only the reader
 * interface is used: every call takes and returns opaque pointers and plain values, so no libxml2 header is needed.
 *
 * When libxml2 cannot be loaded, the process ends with status 127 and the loader's message, as the dynamic linker
 * would have at startup.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

/* System headers first, so that only this package's declarations (and these definitions) are hidden. */
#pragma GCC visibility push(hidden)
#include "CXMLReader.h"

/* libxml2's xmlParserOption values used here (stable ABI). */
enum { XML_PARSE_NOERROR = 1 << 5, XML_PARSE_NOWARNING = 1 << 6, XML_PARSE_NONET = 1 << 11 };

static void *cv_xml_library(void) {
    static _Atomic(void *) library = NULL;
    void *handle = atomic_load_explicit(&library, memory_order_acquire);
    if (handle) return handle;
    handle = dlopen("libxml2.so.2", RTLD_LAZY | RTLD_LOCAL);  /* thread-safe; a race loads it once */
    if (!handle) {
        const char *reason = dlerror();
        fprintf(stderr, "error while loading shared libraries: libxml2.so.2: %s\n", reason ? reason : "not found");
        _exit(127);
    }
    atomic_store_explicit(&library, handle, memory_order_release);
    return handle;
}

static void *cv_xml_symbol(_Atomic(void *) *cache, const char *name) {
    void *function = atomic_load_explicit(cache, memory_order_acquire);
    if (function) return function;
    function = dlsym(cv_xml_library(), name);
    if (!function) {
        fprintf(stderr, "error: libxml2.so.2 has no function %s\n", name);
        _exit(127);
    }
    atomic_store_explicit(cache, function, memory_order_release);
    return function;
}

/* Defines `name`, calling libxml2's function `symbol` with the same arguments. */
#define FORWARD(result, name, symbol, parameters, arguments)                                                \
    result name parameters {                                                                                \
        static _Atomic(void *) cache = NULL;                                                                \
        return ((result(*) parameters)cv_xml_symbol(&cache, #symbol)) arguments;                           \
    }

FORWARD(void, cv_xml_init_parser, xmlInitParser, (void), ())
FORWARD(cv_xml_reader *, cv_xml_reader_for_memory, xmlReaderForMemory,
        (const void *buffer, int size, const char *url, const char *encoding, int options),
        (buffer, size, url, encoding, options))
FORWARD(void, cv_xml_set_error_handler, xmlTextReaderSetErrorHandler,
        (cv_xml_reader *reader, void (*handler)(void *, const char *, int, void *), void *argument),
        (reader, handler, argument))
FORWARD(void, cv_xml_set_structured_error_handler, xmlTextReaderSetStructuredErrorHandler,
        (cv_xml_reader *reader, void (*handler)(void *, void *), void *argument), (reader, handler, argument))
FORWARD(int, cv_xml_reader_read, xmlTextReaderRead, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_node_type, xmlTextReaderNodeType, (cv_xml_reader *reader), (reader))
FORWARD(const char *, cv_xml_reader_name, xmlTextReaderConstName, (cv_xml_reader *reader), (reader))
FORWARD(const char *, cv_xml_reader_value, xmlTextReaderConstValue, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_is_empty_element, xmlTextReaderIsEmptyElement, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_next_attribute, xmlTextReaderMoveToNextAttribute, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_move_to_element, xmlTextReaderMoveToElement, (cv_xml_reader *reader), (reader))
FORWARD(void, cv_xml_reader_close, xmlFreeTextReader, (cv_xml_reader *reader), (reader))

/* Errors are reported by the reader's result, never printed: a body may hold secrets. */
static void cv_xml_silent(void *argument, const char *message, int severity, void *locator) {
    (void)argument, (void)message, (void)severity, (void)locator;
}
static void cv_xml_silent_structured(void *argument, void *error) { (void)argument, (void)error; }

static pthread_once_t cv_xml_once = PTHREAD_ONCE_INIT;
static void cv_xml_initialize(void) { cv_xml_init_parser(); }  /* libxml2 asks for this before threads use it */

cv_xml_reader *cv_xml_reader_open(const void *bytes, int count) {
    pthread_once(&cv_xml_once, cv_xml_initialize);
    cv_xml_reader *reader =
        cv_xml_reader_for_memory(bytes, count, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!reader) return NULL;
    cv_xml_set_error_handler(reader, cv_xml_silent, NULL);
    cv_xml_set_structured_error_handler(reader, cv_xml_silent_structured, NULL);
    return reader;
}

#pragma GCC visibility pop
