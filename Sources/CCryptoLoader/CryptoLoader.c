/*
 * OpenSSL's libcrypto, loaded on first use.
 *
 * Linking libcrypto the ordinary way makes every process load and relocate it at exec (1.6 ms on an empty C
 * program), although only hashing (IML's hash functions, HTTP Digest) and RSA signatures call it, and a command
 * that sends requests loads it anyway with libcurl. Instead, this file defines the libcrypto functions the package
 * calls, with OpenSSL's own declarations; the first call dlopens libcrypto.so.3 and each function's address is
 * looked up once (CDynamicLibrary). The definitions are hidden, so libcrypto's own calls, and those of libssl and
 * libcurl, never land here. A call to a libcrypto function not defined below fails to link: add it with FORWARD.
 */
#include <stddef.h>

/* System headers first, so that only libcrypto's declarations (and these definitions) are hidden. */
#pragma GCC visibility push(hidden)
#include "CDynamicLibrary.h"
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

static cv_dynamic_library cv_crypto = {"libcrypto.so.3", NULL};

/* Defines `name`, forwarding its arguments to libcrypto's function of that name. */
#define FORWARD(result, name, parameters, arguments) \
    CV_DYNAMIC_FORWARD(&cv_crypto, result, name, name, parameters, arguments)

FORWARD(const EVP_MD *, EVP_md5, (void), ())
FORWARD(const EVP_MD *, EVP_sha1, (void), ())
FORWARD(const EVP_MD *, EVP_sha256, (void), ())
FORWARD(const EVP_MD *, EVP_sha384, (void), ())
FORWARD(const EVP_MD *, EVP_sha512, (void), ())
FORWARD(const EVP_MD *, EVP_sha512_256, (void), ())
FORWARD(int, EVP_Digest,
        (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, ENGINE *impl),
        (data, count, md, size, type, impl))
FORWARD(unsigned char *, HMAC,
        (const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *data, size_t data_len,
         unsigned char *md, unsigned int *md_len),
        (evp_md, key, key_len, data, data_len, md, md_len))
FORWARD(void, ERR_clear_error, (void), ())
FORWARD(BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))
FORWARD(int, BIO_free, (BIO *a), (a))
FORWARD(EVP_PKEY *, PEM_read_bio_PrivateKey, (BIO *bp, EVP_PKEY **x, pem_password_cb *cb, void *u), (bp, x, cb, u))
FORWARD(void, EVP_PKEY_free, (EVP_PKEY *pkey), (pkey))
FORWARD(int, EVP_PKEY_get_base_id, (const EVP_PKEY *pkey), (pkey))
FORWARD(EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())
FORWARD(void, EVP_MD_CTX_free, (EVP_MD_CTX *ctx), (ctx))
FORWARD(int, EVP_DigestSignInit,
        (EVP_MD_CTX *ctx, EVP_PKEY_CTX **pctx, const EVP_MD *type, ENGINE *e, EVP_PKEY *pkey),
        (ctx, pctx, type, e, pkey))
FORWARD(int, EVP_DigestSign,
        (EVP_MD_CTX *ctx, unsigned char *sigret, size_t *siglen, const unsigned char *tbs, size_t tbslen),
        (ctx, sigret, siglen, tbs, tbslen))

#pragma GCC visibility pop
