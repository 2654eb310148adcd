/*
 * Baseline for the runner's hot path: what SQLite and libsodium cost by themselves.
 *
 * Opens a vault file, unwraps its newest data key with the master key from $CONNVAULT_KEY, then for each
 * id of IDS_FILE (one per line), ITERATIONS times over: SELECT sealed FROM connections WHERE id = ?, and
 * decrypts it with XChaCha20-Poly1305 and the vault's additional data. Prints one JSON line with the
 * nanoseconds per read. Build: cc -O2 hotpath.c -lsqlite3 -lsodium
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEADER (1 + 4 + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES

static void die(const char *what) { fprintf(stderr, "hotpath: %s\n", what); exit(1); }

static void put_part(unsigned char *ad, size_t *n, const char *part) {
    uint32_t len = (uint32_t)strlen(part);
    ad[(*n)++] = len >> 24; ad[(*n)++] = len >> 16; ad[(*n)++] = len >> 8; ad[(*n)++] = len;
    memcpy(ad + *n, part, len); *n += len;
}

/* The additional data of SealedBox.additionalData: tag, format, length-prefixed parts, key version. */
static size_t additional_data(unsigned char *ad, const char *vault, const char *table, const char *row,
                              const char *field, uint32_t version) {
    size_t n = 0;
    memcpy(ad, "connvault-seal", 14); n = 14;
    ad[n++] = 1;
    put_part(ad, &n, vault); put_part(ad, &n, table); put_part(ad, &n, row); put_part(ad, &n, field);
    ad[n++] = version >> 24; ad[n++] = version >> 16; ad[n++] = version >> 8; ad[n++] = version;
    return n;
}

static int open_sealed(const unsigned char *sealed, size_t count, const unsigned char *key, const char *vault,
                       const char *table, const char *row, const char *field, unsigned char *out) {
    if (count < HEADER + TAG || sealed[0] != 1) return -1;
    uint32_t version = (uint32_t)sealed[1] << 24 | sealed[2] << 16 | sealed[3] << 8 | sealed[4];
    unsigned char ad[512];
    size_t adlen = additional_data(ad, vault, table, row, field, version);
    unsigned long long written;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &written, NULL, sealed + HEADER, count - HEADER, ad, adlen,
                                                      sealed + 5, key);
}

int main(int argc, char **argv) {
    if (argc != 4) die("usage: hotpath VAULT IDS_FILE ITERATIONS");
    if (sodium_init() < 0) die("sodium_init");
    const char *b64 = getenv("CONNVAULT_KEY");
    if (!b64) die("CONNVAULT_KEY is not set");
    unsigned char master[32]; size_t mlen;
    if (sodium_base642bin(master, 32, b64, strlen(b64), "\n", &mlen, NULL, sodium_base64_VARIANT_ORIGINAL) || mlen != 32)
        die("bad key");

    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) die("open");
    sqlite3_busy_timeout(db, 30000);
    sqlite3_stmt *st;
    char vault_id[64];
    if (sqlite3_prepare_v2(db, "SELECT id FROM vault", -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        die("vault row");
    snprintf(vault_id, sizeof vault_id, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT version, wrapped_key FROM data_keys ORDER BY version DESC LIMIT 1", -1, &st, NULL)
            != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
        die("data key");
    char version_text[16];
    snprintf(version_text, sizeof version_text, "%lld", (long long)sqlite3_column_int64(st, 0));
    unsigned char data_key[64];
    if (open_sealed(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1), master, vault_id, "data_keys",
                    version_text, "wrapped_key", data_key))
        die("cannot unwrap the data key (wrong key?)");
    sqlite3_finalize(st);

    FILE *f = fopen(argv[2], "r");
    if (!f) die("ids file");
    char (*ids)[40] = malloc(sizeof *ids * 200000);
    int n = 0;
    while (n < 200000 && fscanf(f, "%39s", ids[n]) == 1) n++;
    fclose(f);
    long iterations = atol(argv[3]);

    if (sqlite3_prepare_v3(db, "SELECT sealed FROM connections WHERE id = ?", -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)
            != SQLITE_OK)
        die("prepare");
    unsigned char *plain = malloc(1 << 20);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long reads = 0, bytes = 0;
    for (long i = 0; i < iterations; i++) {
        for (int k = 0; k < n; k++) {
            sqlite3_bind_text(st, 1, ids[k], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_ROW) die("missing row");
            int count = sqlite3_column_bytes(st, 0);
            if (open_sealed(sqlite3_column_blob(st, 0), count, data_key, vault_id, "connections", ids[k], "sealed", plain))
                die("decrypt");
            bytes += count - HEADER - TAG;
            sqlite3_reset(st);
            reads++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    printf("{\"reads\":%ld,\"nsPerRead\":%.1f,\"plaintextBytes\":%ld}\n", reads, ns / reads, bytes);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}
