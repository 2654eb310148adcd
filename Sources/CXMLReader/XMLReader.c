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
#include <pthread.h>
#include <stdatomic.h>

/* System headers first, so that only this package's declarations (and these definitions) are hidden. */
#pragma GCC visibility push(hidden)
#include "CDynamicLibrary.h"
#include "CXMLReader.h"

/* libxml2's xmlParserOption values used here (stable ABI). */
enum { XML_PARSE_NOERROR = 1 << 5, XML_PARSE_NOWARNING = 1 << 6, XML_PARSE_NONET = 1 << 11 };

static cv_dynamic_library cv_xml = {"libxml2.so.2", NULL};

/* Defines `name`, calling libxml2's function `symbol` with the same arguments. */
#define FORWARD(result, name, symbol, parameters, arguments) \
    CV_DYNAMIC_FORWARD(&cv_xml, result, name, symbol, parameters, arguments)

/* The handlers libxml2 calls for errors that no reader reports (encodings, buffers): per thread. */
typedef void (*cv_xml_generic_error_func)(void *, const char *, ...);
typedef void (*cv_xml_structured_error_func)(void *, void *);

static FORWARD(void, cv_xml_init_parser, xmlInitParser, (void), ())
static FORWARD(void, cv_xml_set_generic_error_func, xmlSetGenericErrorFunc,
        (void *context, cv_xml_generic_error_func handler), (context, handler))
static FORWARD(void, cv_xml_set_structured_error_func, xmlSetStructuredErrorFunc,
        (void *context, cv_xml_structured_error_func handler), (context, handler))

static FORWARD(cv_xml_reader *, cv_xml_reader_for_memory, xmlReaderForMemory,
        (const void *buffer, int size, const char *url, const char *encoding, int options),
        (buffer, size, url, encoding, options))
static FORWARD(void, cv_xml_set_structured_error_handler, xmlTextReaderSetStructuredErrorHandler,
        (cv_xml_reader *reader, cv_xml_structured_error_func handler, void *argument), (reader, handler, argument))
FORWARD(int, cv_xml_reader_read, xmlTextReaderRead, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_node_type, xmlTextReaderNodeType, (cv_xml_reader *reader), (reader))
FORWARD(const char *, cv_xml_reader_name, xmlTextReaderConstName, (cv_xml_reader *reader), (reader))
FORWARD(const char *, cv_xml_reader_value, xmlTextReaderConstValue, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_is_empty_element, xmlTextReaderIsEmptyElement, (cv_xml_reader *reader), (reader))
FORWARD(int, cv_xml_reader_next_attribute, xmlTextReaderMoveToNextAttribute, (cv_xml_reader *reader), (reader))
FORWARD(void, cv_xml_reader_close, xmlFreeTextReader, (cv_xml_reader *reader), (reader))

/*
 * Errors are never printed (a body may hold secrets, and libxml2 quotes the bytes it could not read): every
 * handler only notes that something failed on this thread, which fails the body. libxml2 reports some failures
 * only there: a value it could not expand (over 10 MB) comes back empty, an input it could not decode ends early.
 */
static _Thread_local int cv_xml_failed = 0;

static void cv_xml_note_generic(void *context, const char *message, ...) {
    (void)context, (void)message;
    cv_xml_failed = 1;
}

/* xmlError begins with its domain, code, message and level (stable since libxml2 2.6). */
struct cv_xml_error_head { int domain; int code; char *message; int level; };
enum { CV_XML_FROM_NAMESPACE = 3, CV_XML_ERR_ERROR = 2 };

/* Warnings pass, and so do namespace errors (an undeclared prefix): names are read as written, prefixes and all. */
static void cv_xml_note_structured(void *context, void *error) {
    (void)context;
    const struct cv_xml_error_head *head = error;
    if (!head || (head->level >= CV_XML_ERR_ERROR && head->domain != CV_XML_FROM_NAMESPACE)) cv_xml_failed = 1;
}

static pthread_once_t cv_xml_once = PTHREAD_ONCE_INIT;
static void cv_xml_initialize(void) { cv_xml_init_parser(); }  /* libxml2 asks for this before threads use it */

cv_xml_reader *cv_xml_reader_open(const void *bytes, int count) {
    pthread_once(&cv_xml_once, cv_xml_initialize);
    cv_xml_failed = 0;
    cv_xml_set_generic_error_func(NULL, cv_xml_note_generic);  /* this thread's, for what no reader reports */
    cv_xml_set_structured_error_func(NULL, cv_xml_note_structured);
    cv_xml_reader *reader =
        cv_xml_reader_for_memory(bytes, count, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!reader) return NULL;
    cv_xml_set_structured_error_handler(reader, cv_xml_note_structured, NULL);
    return reader;
}

int cv_xml_reader_failed(void) { return cv_xml_failed; }

#pragma GCC visibility pop
