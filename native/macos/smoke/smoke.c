/*
 * Calls liblauncher_native.dylib through launcher_native.h exactly as a C caller (and .NET's LibraryImport) does,
 * so a Swift signature that drifts from the header shows up as a failure here. Run by build.sh on a Mac.
 * The Enclave part runs only where SecureEnclave.isAvailable; the key it makes is never persisted.
 */
#include <stdio.h>
#include <string.h>

#include "launcher_native.h"

static int failures;

#define CHECK(condition, ...)                                          \
    do {                                                               \
        if (!(condition)) {                                            \
            failures++;                                                \
            fprintf(stderr, "FAIL line %d: ", __LINE__);               \
            fprintf(stderr, __VA_ARGS__);                              \
            fputc('\n', stderr);                                       \
        }                                                              \
    } while (0)

/* Creates a key with `access`, reads its public key and signs twice with it (the second signature comes from the
 * shim's cache of loaded keys). Returns the blob length, 0 on failure. */
static size_t create_and_sign(lnk_context *ctx, uint32_t access, const char *name, uint8_t *blob, size_t capacity)
{
    char detail[256];
    size_t blob_len = capacity;
    lnk_status status = lnk_create_key(ctx, access, blob, &blob_len, detail, sizeof detail);
    CHECK(status == LNK_OK, "%s: create: %d (%s)", name, status, detail);
    if (status != LNK_OK) {
        return 0;
    }

    uint8_t public_key[65];
    size_t public_len = sizeof public_key;
    status = lnk_public_key(ctx, blob, blob_len, public_key, &public_len, detail, sizeof detail);
    CHECK(status == LNK_OK && public_len == 65 && public_key[0] == 0x04, "%s: public key: %d, len %zu (%s)", name, status, public_len, detail);

    uint8_t digest[32];
    memset(digest, 0x5A, sizeof digest);
    for (int round = 0; round < 2; round++) {
        uint8_t signature[80];
        size_t signature_len = sizeof signature;
        status = lnk_sign_digest(ctx, blob, blob_len, digest, sizeof digest, signature, &signature_len, detail, sizeof detail);
        CHECK(status == LNK_OK && signature_len <= 72 && signature[0] == 0x30, "%s: sign %d: %d, len %zu (%s)", name, round, status, signature_len, detail);
        digest[0]++;
    }
    return blob_len;
}

static void enclave_checks(lnk_context *ctx)
{
    char detail[256];
    uint8_t blob[4096];
    size_t blob_len = 1;
    lnk_status status = lnk_create_key(ctx, LNK_ACCESS_AFTER_FIRST_UNLOCK, blob, &blob_len, detail, sizeof detail);
    CHECK(status == LNK_ERR_BUFFER_TOO_SMALL && blob_len > 1, "create with a 1-byte buffer: %d, len %zu", status, blob_len);

    /* The daemon's key class (kSecAttrAccessibleAlways): must work here, and before any login (see prelogin-check). */
    uint8_t always_blob[4096];
    size_t always_len = create_and_sign(ctx, LNK_ACCESS_ALWAYS, "always", always_blob, sizeof always_blob);

    /* The agent's key class. */
    blob_len = create_and_sign(ctx, LNK_ACCESS_AFTER_FIRST_UNLOCK, "after-first-unlock", blob, sizeof blob);
    if (blob_len == 0) {
        return;
    }

    /* Two cached keys side by side: each blob still signs as itself. */
    if (always_len > 0) {
        uint8_t digest[32] = {7};
        uint8_t signature[80];
        size_t signature_len = sizeof signature;
        status = lnk_sign_digest(ctx, always_blob, always_len, digest, sizeof digest, signature, &signature_len, detail, sizeof detail);
        CHECK(status == LNK_OK, "always key after another key was loaded: %d (%s)", status, detail);
    }

    uint8_t digest[32];
    memset(digest, 0x5A, sizeof digest);
    uint8_t signature[80];
    size_t signature_len = 8;
    status = lnk_sign_digest(ctx, blob, blob_len, digest, sizeof digest, signature, &signature_len, detail, sizeof detail);
    CHECK(status == LNK_ERR_BUFFER_TOO_SMALL && signature_len > 8, "sign into 8 bytes: %d, len %zu", status, signature_len);

    status = lnk_create_key(ctx, 99u, blob, &blob_len, detail, sizeof detail);
    CHECK(status == LNK_ERR_INVALID_ARGUMENT, "create with unknown access flags: %d", status);

    /* A damaged blob must never load as a key (the cache is keyed by the blob's bytes, so it is not consulted). Which
     * error the Enclave gives decides whether the daemon reports the identity lost or retries: print it, and record
     * it in docs/macos.md on the first Mac. */
    blob[blob_len / 2] ^= 0xFF;
    uint8_t public_key[65];
    size_t public_len = sizeof public_key;
    status = lnk_public_key(ctx, blob, blob_len, public_key, &public_len, detail, sizeof detail);
    CHECK(status != LNK_OK, "a damaged blob loaded");
    printf("damaged blob: status %d (%s)\n", status, detail);

    /* A truncated blob: the same question. */
    public_len = sizeof public_key;
    status = lnk_public_key(ctx, always_blob, always_len / 2, public_key, &public_len, detail, sizeof detail);
    CHECK(status != LNK_OK, "a truncated blob loaded");
    printf("truncated blob: status %d (%s)\n", status, detail);
}

int main(void)
{
    char detail[256];
    CHECK(lnk_abi_version() == LNK_ABI_VERSION, "ABI version %u", lnk_abi_version());

    lnk_context *ctx = NULL;
    lnk_status status = lnk_open(NULL, &ctx, detail, sizeof detail);
    CHECK(status == LNK_OK && ctx != NULL, "open: %d (%s)", status, detail);
    CHECK(lnk_open(NULL, NULL, detail, sizeof detail) == LNK_ERR_INVALID_ARGUMENT, "open with out = NULL");
    if (ctx == NULL) {
        return 1;
    }

    uint8_t junk[16] = {1};
    uint8_t digest[32] = {0};
    uint8_t signature[80];
    size_t signature_len = sizeof signature;
    status = lnk_sign_digest(ctx, junk, sizeof junk, digest, 31, signature, &signature_len, detail, sizeof detail);
    CHECK(status == LNK_ERR_INVALID_ARGUMENT, "31-byte digest: %d", status);

    /* A 1-byte detail buffer gets just the terminator. */
    char tiny[1] = {'x'};
    (void)lnk_available(ctx, tiny, sizeof tiny);
    CHECK(tiny[0] == '\0', "1-byte detail buffer not terminated");

    status = lnk_available(ctx, detail, sizeof detail);
    printf("lnk_available: %d (%s)\n", status, detail);
    if (status == LNK_OK) {
        enclave_checks(ctx);
    } else {
        CHECK(status == LNK_ERR_UNAVAILABLE, "available: unexpected %d", status);
    }

    lnk_close(ctx);
    lnk_close(NULL);
    printf("smoke: %s\n", failures == 0 ? "ok" : "FAILED");
    return failures == 0 ? 0 : 1;
}
