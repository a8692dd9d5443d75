/*
 * What the TPM shim's two halves share: the context, error mapping, the storage root key and blob handling
 * (lnk_tpm.c) used by the attestation primitives (lnk_attest.c). Not part of the ABI; every symbol here has hidden
 * visibility.
 */
#ifndef LNK_TPM_INTERNAL_H
#define LNK_TPM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <tss2/tss2_esys.h>

#include "launcher_native.h"

#define LNK_API __attribute__((visibility("default")))

#define LNK_P256_BYTES 32u

/* Upper bound of a marshalled blob: the in-memory structures are at least as large as their marshalled form. */
#define LNK_MAX_BLOB (sizeof(TPM2B_PUBLIC) + sizeof(TPM2B_PRIVATE))

/* Transient objects one operation may hold besides the cached SRK and machine key (an AK and an EK). */
#define LNK_MAX_OPERATION_OBJECTS 2

struct lnk_context {
    TSS2_TCTI_CONTEXT *tcti;
    ESYS_CONTEXT *esys;

    ESYS_TR srk;
    int srk_is_persistent;

    /* The cached machine key: its handle, a copy of the blob it came from, and its public area. */
    ESYS_TR key;
    uint8_t key_blob[LNK_MAX_BLOB];
    size_t key_blob_len;
    TPM2B_PUBLIC key_public;

    /* Transient objects the running attestation call loaded (AK, created EK): flush_stale_transients must spare
     * them, and the call flushes them before it returns, on every path. ESYS_TR_NONE when unused. */
    ESYS_TR operation[LNK_MAX_OPERATION_OBJECTS];
};

/* Which key a blob must hold: parse_blob refuses the other kind. */
typedef enum {
    LNK_BLOB_MACHINE_KEY = 1,     /* unrestricted ECDSA-SHA256 P-256 signing key */
    LNK_BLOB_ATTESTATION_KEY = 2, /* restricted ECDSA-SHA256 P-256 signing key */
} lnk_blob_kind;

void set_detail(char *detail, size_t detail_len, const char *format, ...) __attribute__((format(printf, 3, 4)));
lnk_status fail_rc(lnk_status status, TSS2_RC rc, const char *operation, char *detail, size_t detail_len);
TPM2_RC tpm_code(TSS2_RC rc);
TPM2_RC fmt1_error(TPM2_RC code);
int is_parameter_error(TPM2_RC code);
int is_handle_gone(TSS2_RC rc);
int is_auth_refusal(TPM2_RC code);
int is_blob_rejection(TSS2_RC rc);
int is_object_memory_full(TSS2_RC rc);
lnk_status device_status(TSS2_RC rc);

void release_transient(lnk_context *ctx, ESYS_TR *handle);
void release_key(lnk_context *ctx);
void release_srk(lnk_context *ctx);
int flush_stale_transients(lnk_context *ctx);
int is_operation_object(lnk_context *ctx, TPM2_HANDLE handle);
lnk_status ensure_srk(lnk_context *ctx, char *detail, size_t detail_len);
lnk_status ensure_key(lnk_context *ctx, const uint8_t *blob, size_t blob_len, char *detail, size_t detail_len);

/*
 * Creates an object from `template_area` under the storage root key and marshals its blob (TPM2B_PUBLIC then
 * TPM2B_PRIVATE) into `buffer` (LNK_MAX_BLOB bytes), `*written` its length. Retries once when the TPM is out of object
 * slots (stale transients flushed) or the SRK handle is gone (SRK re-acquired). TPM2_Create loads nothing: there is
 * no transient object to flush. `create_failed` and `marshal_failed` name the step in the detail of an error.
 */
lnk_status create_blob_under_srk(lnk_context *ctx, TPM2B_PUBLIC *template_area, uint8_t *buffer, size_t *written,
                                 const char *create_failed, const char *marshal_failed, char *detail, size_t detail_len);

uint16_t read_be16(const uint8_t *p);
lnk_status parse_blob(const uint8_t *blob, size_t blob_len, lnk_blob_kind kind, TPM2B_PUBLIC *pub,
                      TPM2B_PRIVATE *priv, char *detail, size_t detail_len);
void copy_left_padded(uint8_t *out, const TPM2B_ECC_PARAMETER *value);
int valid_context(const lnk_context *ctx);

#endif /* LNK_TPM_INTERNAL_H */
