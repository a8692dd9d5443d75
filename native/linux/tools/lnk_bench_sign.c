/*
 * lnk-bench-sign: the native shim's own signing loop, the baseline that managed benchmarks compare against.
 *
 *   lnk-bench-sign [--tcti CONFIG] [--seconds N] [--pub FILE --priv FILE]
 *
 * Creates a key (or loads the marshalled TPM2B_PUBLIC and TPM2B_PRIVATE files a TpmKeyStore wrote), signs one
 * fixed digest through lnk_sign_digest for N seconds, and prints one JSON line: {"signsPerSec":...,...}.
 */
#include "launcher_native.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DETAIL_BYTES 512
#define MAX_FILE 4096

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, uint8_t *buffer, size_t capacity, size_t *length)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    size_t n = fread(buffer, 1, capacity, file);
    int too_big = !feof(file);
    fclose(file);
    if (too_big) {
        fprintf(stderr, "%s is larger than %d bytes\n", path, MAX_FILE);
        return -1;
    }
    *length = n;
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: lnk-bench-sign [--tcti CONFIG] [--seconds N] [--pub FILE --priv FILE]\n");
}

/* JSON string output for the TCTI text, which is user input: escape what JSON requires. */
static void print_json_string(const char *text)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if (*p < 0x20) {
            printf("\\u%04x", *p);
        } else {
            putchar(*p);
        }
    }
    putchar('"');
}

int main(int argc, char **argv)
{
    const char *tcti = NULL;
    const char *pub_path = NULL;
    const char *priv_path = NULL;
    double seconds = 5.0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tcti") == 0 && i + 1 < argc) {
            tcti = argv[++i];
        } else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (strcmp(argv[i], "--pub") == 0 && i + 1 < argc) {
            pub_path = argv[++i];
        } else if (strcmp(argv[i], "--priv") == 0 && i + 1 < argc) {
            priv_path = argv[++i];
        } else {
            usage();
            return 2;
        }
    }
    if (seconds <= 0 || (pub_path == NULL) != (priv_path == NULL)) {
        usage();
        return 2;
    }

    char detail[DETAIL_BYTES] = "";
    lnk_context *ctx = NULL;
    lnk_status status = lnk_open(tcti, &ctx, detail, sizeof(detail));
    if (status != LNK_OK) {
        fprintf(stderr, "lnk_open failed (%d): %s\n", status, detail);
        return 1;
    }

    uint8_t blob[2 * MAX_FILE];
    size_t blob_len = sizeof(blob);
    if (pub_path != NULL) {
        size_t pub_len = 0;
        size_t priv_len = 0;
        if (read_file(pub_path, blob, MAX_FILE, &pub_len) != 0 ||
            read_file(priv_path, blob + pub_len, MAX_FILE, &priv_len) != 0) {
            lnk_close(ctx);
            return 1;
        }
        blob_len = pub_len + priv_len;
    } else {
        status = lnk_create_key(ctx, LNK_ACCESS_ALWAYS, blob, &blob_len, detail, sizeof(detail));
        if (status != LNK_OK) {
            fprintf(stderr, "lnk_create_key failed (%d): %s\n", status, detail);
            lnk_close(ctx);
            return 1;
        }
    }

    uint8_t digest[32];
    for (size_t i = 0; i < sizeof(digest); i++) {
        digest[i] = (uint8_t)(i * 7 + 1);
    }

    /* One untimed signature loads the key, so the loop measures steady-state signing only. */
    uint8_t signature[80];
    size_t signature_len = sizeof(signature);
    status = lnk_sign_digest(ctx, blob, blob_len, digest, sizeof(digest), signature, &signature_len, detail,
                             sizeof(detail));
    if (status != LNK_OK) {
        fprintf(stderr, "lnk_sign_digest failed (%d): %s\n", status, detail);
        lnk_close(ctx);
        return 1;
    }

    unsigned long signs = 0;
    double start = now_seconds();
    double elapsed = 0;
    do {
        signature_len = sizeof(signature);
        status = lnk_sign_digest(ctx, blob, blob_len, digest, sizeof(digest), signature, &signature_len, detail,
                                 sizeof(detail));
        if (status != LNK_OK) {
            fprintf(stderr, "lnk_sign_digest failed (%d) after %lu signatures: %s\n", status, signs, detail);
            lnk_close(ctx);
            return 1;
        }
        signs++;
        elapsed = now_seconds() - start;
    } while (elapsed < seconds);

    lnk_close(ctx);
    printf("{\"signsPerSec\":%.1f,\"signs\":%lu,\"seconds\":%.3f,\"tcti\":", (double)signs / elapsed, signs, elapsed);
    print_json_string(tcti != NULL ? tcti : "device:/dev/tpmrm0");
    printf("}\n");
    return 0;
}
