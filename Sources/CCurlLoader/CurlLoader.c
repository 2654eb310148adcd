/*
 * libcurl, loaded on first use.
 *
 * Linking libcurl the ordinary way makes every process load it and the 30 libraries it needs (GnuTLS, Kerberos,
 * LDAP, SSH, RTMP…) and run their initialisers before main: about 3 ms, a third of `connvault show`, paid by every
 * command although only the HTTP layer (ConnectionVault/HTTP: requests, URL checks) calls libcurl. Instead, this
 * file defines the libcurl functions the package may call; the first call dlopens libcurl.so.4 (the ABI libcurl has
 * kept since 2006) and each function's address is looked up once and cached. Swift code keeps calling the CCurl
 * module's declarations.
 *
 * The definitions are hidden (not exported), so libcurl's own calls to its public functions never land here. A call
 * to a libcurl function not defined below fails to link ("undefined reference to curl_…"): add it with FORWARD.
 * When libcurl cannot be loaded, the process ends with status 127 and the loader's message, as the dynamic linker
 * would have at startup.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* System headers first, so that only libcurl's declarations (and these definitions) are hidden. */
#define CURL_DISABLE_TYPECHECK 1
#pragma GCC visibility push(hidden)
#include "CDynamicLibrary.h"
#include <curl/curl.h>
#include <curl/multi.h>
#include <curl/urlapi.h>

static cv_dynamic_library cv_curl = {"libcurl.so.4", NULL};

static void *cv_curl_symbol(_Atomic(void *) *cache, const char *name) { return cv_dynamic_symbol(&cv_curl, cache, name); }

/* Defines `name`, forwarding its arguments to libcurl's function of that name. */
#define FORWARD(result, name, parameters, arguments) \
    CV_DYNAMIC_FORWARD(&cv_curl, result, name, name, parameters, arguments)

/* curl.h */
FORWARD(CURLcode, curl_global_init, (long flags), (flags))
FORWARD(void, curl_global_cleanup, (void), ())
FORWARD(char *, curl_version, (void), ())
FORWARD(curl_version_info_data *, curl_version_info, (CURLversion version), (version))
FORWARD(void, curl_free, (void *p), (p))
FORWARD(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data), (list, data))
FORWARD(void, curl_slist_free_all, (struct curl_slist *list), (list))
FORWARD(const char *, curl_easy_strerror, (CURLcode code), (code))
FORWARD(const char *, curl_share_strerror, (CURLSHcode code), (code))
FORWARD(CURLcode, curl_easy_pause, (CURL *handle, int bitmask), (handle, bitmask))
FORWARD(char *, curl_easy_escape, (CURL *handle, const char *string, int length), (handle, string, length))
FORWARD(char *, curl_easy_unescape, (CURL *handle, const char *string, int length, int *outlength),
        (handle, string, length, outlength))
FORWARD(time_t, curl_getdate, (const char *p, const time_t *unused), (p, unused))
FORWARD(CURLSH *, curl_share_init, (void), ())
FORWARD(CURLSHcode, curl_share_cleanup, (CURLSH *share), (share))

/* easy.h */
FORWARD(CURL *, curl_easy_init, (void), ())
FORWARD(CURLcode, curl_easy_perform, (CURL *curl), (curl))
FORWARD(void, curl_easy_cleanup, (CURL *curl), (curl))
FORWARD(CURL *, curl_easy_duphandle, (CURL *curl), (curl))
FORWARD(void, curl_easy_reset, (CURL *curl), (curl))
FORWARD(CURLcode, curl_easy_recv, (CURL *curl, void *buffer, size_t buflen, size_t *n), (curl, buffer, buflen, n))
FORWARD(CURLcode, curl_easy_send, (CURL *curl, const void *buffer, size_t buflen, size_t *n),
        (curl, buffer, buflen, n))
FORWARD(CURLcode, curl_easy_upkeep, (CURL *curl), (curl))

/* multi.h */
FORWARD(CURLM *, curl_multi_init, (void), ())
FORWARD(CURLMcode, curl_multi_add_handle, (CURLM *multi, CURL *easy), (multi, easy))
FORWARD(CURLMcode, curl_multi_remove_handle, (CURLM *multi, CURL *easy), (multi, easy))
FORWARD(CURLMcode, curl_multi_wait,
        (CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *numfds),
        (multi, extra_fds, extra_nfds, timeout_ms, numfds))
FORWARD(CURLMcode, curl_multi_poll,
        (CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int *numfds),
        (multi, extra_fds, extra_nfds, timeout_ms, numfds))
FORWARD(CURLMcode, curl_multi_wakeup, (CURLM *multi), (multi))
FORWARD(CURLMcode, curl_multi_perform, (CURLM *multi, int *running_handles), (multi, running_handles))
FORWARD(CURLMcode, curl_multi_cleanup, (CURLM *multi), (multi))
FORWARD(CURLMsg *, curl_multi_info_read, (CURLM *multi, int *msgs_in_queue), (multi, msgs_in_queue))
FORWARD(const char *, curl_multi_strerror, (CURLMcode code), (code))
FORWARD(CURLMcode, curl_multi_socket_action, (CURLM *multi, curl_socket_t s, int ev_bitmask, int *running_handles),
        (multi, s, ev_bitmask, running_handles))
FORWARD(CURLMcode, curl_multi_timeout, (CURLM *multi, long *milliseconds), (multi, milliseconds))
FORWARD(CURLMcode, curl_multi_assign, (CURLM *multi, curl_socket_t sockfd, void *sockp), (multi, sockfd, sockp))

/* urlapi.h */
FORWARD(CURLU *, curl_url, (void), ())
FORWARD(void, curl_url_cleanup, (CURLU *handle), (handle))
FORWARD(CURLU *, curl_url_dup, (CURLU *in), (in))
FORWARD(CURLUcode, curl_url_get, (CURLU *handle, CURLUPart what, char **part, unsigned int flags),
        (handle, what, part, flags))
FORWARD(CURLUcode, curl_url_set, (CURLU *handle, CURLUPart what, const char *part, unsigned int flags),
        (handle, what, part, flags))
FORWARD(const char *, curl_url_strerror, (CURLUcode code), (code))

/*
 * The variadic setters take one argument whose type the option's number range gives (CURLOPTTYPE_*), exactly as
 * libcurl reads it back (lib/setopt.c): long, then object pointers, function pointers, curl_off_t, blob pointers.
 */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...) {
    static _Atomic(void *) cache = NULL;
    CURLcode (*setopt)(CURL *, CURLoption, ...) = cv_curl_symbol(&cache, "curl_easy_setopt");
    va_list arguments;
    va_start(arguments, option);
    CURLcode code;
    if (option < CURLOPTTYPE_OBJECTPOINT) code = setopt(curl, option, va_arg(arguments, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT) code = setopt(curl, option, va_arg(arguments, void *));
    else if (option < CURLOPTTYPE_OFF_T) code = setopt(curl, option, va_arg(arguments, void (*)(void)));
    else if (option < CURLOPTTYPE_BLOB) code = setopt(curl, option, va_arg(arguments, curl_off_t));
    else code = setopt(curl, option, va_arg(arguments, void *));
    va_end(arguments);
    return code;
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...) {
    static _Atomic(void *) cache = NULL;
    CURLMcode (*setopt)(CURLM *, CURLMoption, ...) = cv_curl_symbol(&cache, "curl_multi_setopt");
    va_list arguments;
    va_start(arguments, option);
    CURLMcode code;
    if (option < CURLOPTTYPE_OBJECTPOINT) code = setopt(multi, option, va_arg(arguments, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT) code = setopt(multi, option, va_arg(arguments, void *));
    else if (option < CURLOPTTYPE_OFF_T) code = setopt(multi, option, va_arg(arguments, void (*)(void)));
    else code = setopt(multi, option, va_arg(arguments, curl_off_t));
    va_end(arguments);
    return code;
}

/* Every CURLINFO_* result is written through one pointer. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...) {
    static _Atomic(void *) cache = NULL;
    CURLcode (*getinfo)(CURL *, CURLINFO, ...) = cv_curl_symbol(&cache, "curl_easy_getinfo");
    va_list arguments;
    va_start(arguments, info);
    CURLcode code = getinfo(curl, info, va_arg(arguments, void *));
    va_end(arguments);
    return code;
}

#pragma GCC visibility pop
