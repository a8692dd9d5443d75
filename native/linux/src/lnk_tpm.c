/*
 * launcher_native.h over tpm2-tss ESAPI: a P-256 signing key in a TPM 2.0, kept outside the TPM as a
 * TPM2B_PUBLIC || TPM2B_PRIVATE blob wrapped by the storage root key (SRK).
 *
 * Objects a context may hold in the TPM (all released by lnk_close, because swtpm has no resource manager and a
 * leaked transient object there survives until the TPM is reset):
 *   - the SRK: the persistent key at 0x81000001 when present (never flushed, only its ESYS handle closed),
 *     otherwise a transient primary re-created from the fixed template below;
 *   - the most recently used machine key, so that repeated signing costs one TPM2_Sign, not a TPM2_Load each time.
 * The attestation primitives (EK, AK, ActivateCredential, Certify) are in lnk_attest.c; what the two halves share
 * is declared in tpm_internal.h.
 */
#include "launcher_native.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>

#include "der.h"
#include "tpm_internal.h"


#define LNK_DEFAULT_TCTI "device:/dev/tpmrm0"
#define LNK_SRK_PERSISTENT_HANDLE 0x81000001u

/* ---------------------------------------------------------------------------------------------------------------
 * Details and error mapping
 * ------------------------------------------------------------------------------------------------------------- */

void set_detail(char *detail, size_t detail_len, const char *format, ...)
{
    if (detail == NULL || detail_len == 0) {
        return;
    }
    va_list args;
    va_start(args, format);
    /* vsnprintf truncates and always NUL-terminates within detail_len. */
    (void)vsnprintf(detail, detail_len, format, args);
    va_end(args);
}

lnk_status fail_rc(lnk_status status, TSS2_RC rc, const char *operation, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s: %s (0x%x)", operation, Tss2_RC_Decode(rc), (unsigned)rc);
    return status;
}

/* The TPM's own response code, or 0 when rc came from a software layer (ESYS, TCTI, MU). */
TPM2_RC tpm_code(TSS2_RC rc)
{
    TSS2_RC layer = rc & TSS2_RC_LAYER_MASK;
    if (layer != TSS2_TPM_RC_LAYER && layer != TSS2_RESMGR_TPM_RC_LAYER) {
        return 0;
    }
    return (TPM2_RC)(rc & 0xFFFFu);
}

/* Format-one codes carry the failing handle, session or parameter number; strip it to compare the error. */
TPM2_RC fmt1_error(TPM2_RC code)
{
    return (code & TPM2_RC_FMT1) ? (TPM2_RC)(code & (TPM2_RC_FMT1 | 0x3Fu)) : 0;
}

int is_parameter_error(TPM2_RC code)
{
    return (code & TPM2_RC_FMT1) && (code & TPM2_RC_P);
}

/* True when a handle we hold no longer names a loaded object: the TPM was reset or something flushed it. */
int is_handle_gone(TSS2_RC rc)
{
    TPM2_RC code = tpm_code(rc);
    if (code == 0) {
        return 0;
    }
    if (code >= TPM2_RC_REFERENCE_H0 && code <= TPM2_RC_REFERENCE_H6) {
        return 1;
    }
    return fmt1_error(code) == TPM2_RC_HANDLE && !is_parameter_error(code);
}

int is_auth_refusal(TPM2_RC code)
{
    TPM2_RC fmt1 = fmt1_error(code);
    return fmt1 == TPM2_RC_BAD_AUTH || fmt1 == TPM2_RC_AUTH_FAIL || code == TPM2_RC_LOCKOUT;
}

/* Whether a TPM2_Load failure says the blob itself is unusable here (corrupt, foreign, wrong parent). */
int is_blob_rejection(TSS2_RC rc)
{
    TPM2_RC code = tpm_code(rc);
    if (code == 0) {
        return 0;
    }
    /* Every parameter error of TPM2_Load is about inPrivate or inPublic: integrity, binding, size, attributes,
     * scheme, curve, point... TPM2_RC_SENSITIVE is the format-zero code a TPM uses for a sensitive area that
     * decrypted to garbage, which is what a blob wrapped by another parent looks like. */
    return is_parameter_error(code) || code == TPM2_RC_SENSITIVE;
}

lnk_status device_status(TSS2_RC rc)
{
    TPM2_RC code = tpm_code(rc);
    return (code != 0 && is_auth_refusal(code)) ? LNK_ERR_NOT_PERMITTED : LNK_ERR_DEVICE;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Templates
 * ------------------------------------------------------------------------------------------------------------- */

/*
 * The SRK template. It must stay byte-identical to
 *   tpm2_createprimary -C o -g sha256 -G ecc256:aes128cfb \
 *     -a 'restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda' -u <64 zero bytes>
 * (the TCG provisioning guidance's ECC SRK plus noDA): a primary key is a pure function of the owner seed and
 * this template, so any difference means a different SRK and blobs that no longer load.
 */
static void srk_template(TPM2B_PUBLIC *out)
{
    memset(out, 0, sizeof(*out));
    TPMT_PUBLIC *area = &out->publicArea;
    area->type = TPM2_ALG_ECC;
    area->nameAlg = TPM2_ALG_SHA256;
    area->objectAttributes = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT | TPMA_OBJECT_FIXEDTPM |
                             TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                             TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA;
    area->authPolicy.size = 0;
    area->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_AES;
    area->parameters.eccDetail.symmetric.keyBits.aes = 128;
    area->parameters.eccDetail.symmetric.mode.aes = TPM2_ALG_CFB;
    area->parameters.eccDetail.scheme.scheme = TPM2_ALG_NULL;
    area->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
    area->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
    area->unique.ecc.x.size = LNK_P256_BYTES; /* 32 zero bytes, left zero by memset */
    area->unique.ecc.y.size = LNK_P256_BYTES;
}

/*
 * The machine key. noDA on purpose, beyond the attributes first specified: the key's auth value is empty, so
 * dictionary-attack protection guards nothing, yet it would let anyone who can send a wrong password to the TPM
 * lock the machine identity out, and every unorderly TPM shutdown (power loss) while the key was in use counts
 * as a failure (swtpm's default: 3 strikes, then 1000 s lockout; seen in the tests as TPM2_RC_LOCKOUT).
 */
static void machine_key_template(TPM2B_PUBLIC *out)
{
    memset(out, 0, sizeof(*out));
    TPMT_PUBLIC *area = &out->publicArea;
    area->type = TPM2_ALG_ECC;
    area->nameAlg = TPM2_ALG_SHA256;
    area->objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                             TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | TPMA_OBJECT_SIGN_ENCRYPT;
    area->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
    area->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
    area->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
    area->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
    area->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Object lifetime
 * ------------------------------------------------------------------------------------------------------------- */

/* Releases a transient object: flushed from the TPM, or when the TPM no longer knows it, only forgotten by ESYS. */
void release_transient(lnk_context *ctx, ESYS_TR *handle)
{
    if (*handle == ESYS_TR_NONE) {
        return;
    }
    if (Esys_FlushContext(ctx->esys, *handle) != TSS2_RC_SUCCESS) {
        (void)Esys_TR_Close(ctx->esys, handle);
    }
    *handle = ESYS_TR_NONE;
}

void release_key(lnk_context *ctx)
{
    release_transient(ctx, &ctx->key);
    ctx->key_blob_len = 0;
}

void release_srk(lnk_context *ctx)
{
    if (ctx->srk == ESYS_TR_NONE) {
        return;
    }
    if (ctx->srk_is_persistent) {
        /* A persistent SRK belongs to the machine's owner: close our reference, never evict it. */
        (void)Esys_TR_Close(ctx->esys, &ctx->srk);
    } else {
        release_transient(ctx, &ctx->srk);
    }
    ctx->srk = ESYS_TR_NONE;
    ctx->srk_is_persistent = 0;
}

/* Whether a TPM handle belongs to the attestation call in progress (its AK or the EK it created). */
int is_operation_object(lnk_context *ctx, TPM2_HANDLE handle)
{
    for (int i = 0; i < LNK_MAX_OPERATION_OBJECTS; i++) {
        TPM2_HANDLE own = 0;
        if (ctx->operation[i] != ESYS_TR_NONE && Esys_TR_GetTpmHandle(ctx->esys, ctx->operation[i], &own) ==
                                                     TSS2_RC_SUCCESS && own == handle) {
            return 1;
        }
    }
    return 0;
}

/* True when the TPM has no free slot for another transient object. */
int is_object_memory_full(TSS2_RC rc)
{
    return tpm_code(rc) == TPM2_RC_OBJECT_MEMORY;
}

/*
 * A TPM without a resource manager (swtpm, /dev/tpm0) keeps the transient objects of a process that died without
 * flushing them (kill -9), and it has only a few slots. When they are full, flush the transient objects that are
 * not ours and let the caller try once more. Behind /dev/tpmrm0 the kernel flushes a dead client's objects and
 * each client sees only its own, so this never touches another process's work there.
 */
int flush_stale_transients(lnk_context *ctx)
{
    TPM2_HANDLE own_srk = 0;
    TPM2_HANDLE own_key = 0;
    if (ctx->srk != ESYS_TR_NONE && !ctx->srk_is_persistent) {
        (void)Esys_TR_GetTpmHandle(ctx->esys, ctx->srk, &own_srk);
    }
    if (ctx->key != ESYS_TR_NONE) {
        (void)Esys_TR_GetTpmHandle(ctx->esys, ctx->key, &own_key);
    }

    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *handles = NULL;
    if (Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, TPM2_TRANSIENT_FIRST,
                           TPM2_MAX_CAP_HANDLES, &more, &handles) != TSS2_RC_SUCCESS) {
        return 0;
    }
    int flushed = 0;
    for (UINT32 i = 0; i < handles->data.handles.count; i++) {
        TPM2_HANDLE handle = handles->data.handles.handle[i];
        if (handle == own_srk || handle == own_key || is_operation_object(ctx, handle)) {
            continue;
        }
        ESYS_TR stale = ESYS_TR_NONE;
        if (Esys_TR_FromTPMPublic(ctx->esys, handle, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &stale) !=
            TSS2_RC_SUCCESS) {
            continue;
        }
        if (Esys_FlushContext(ctx->esys, stale) == TSS2_RC_SUCCESS) {
            flushed++;
        } else {
            (void)Esys_TR_Close(ctx->esys, &stale);
        }
    }
    Esys_Free(handles);
    return flushed;
}

lnk_status ensure_srk(lnk_context *ctx, char *detail, size_t detail_len)
{
    if (ctx->srk != ESYS_TR_NONE) {
        return LNK_OK;
    }

    /* Ask whether 0x81000001 exists before reading it: a failed TPM2_ReadPublic would make ESYS log an error to
     * stderr on every machine that simply has no persistent SRK. */
    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *handles = NULL;
    TSS2_RC rc = Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES,
                                    LNK_SRK_PERSISTENT_HANDLE, 1, &more, &handles);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(device_status(rc), rc, "listing persistent handles", detail, detail_len);
    }
    int has_persistent = handles->data.handles.count >= 1 &&
                         handles->data.handles.handle[0] == LNK_SRK_PERSISTENT_HANDLE;
    Esys_Free(handles);

    if (has_persistent) {
        ESYS_TR persistent = ESYS_TR_NONE;
        rc = Esys_TR_FromTPMPublic(ctx->esys, LNK_SRK_PERSISTENT_HANDLE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
                                   &persistent);
        if (rc != TSS2_RC_SUCCESS) {
            return fail_rc(device_status(rc), rc, "reading the persistent storage key 0x81000001", detail,
                           detail_len);
        }
        ctx->srk = persistent;
        ctx->srk_is_persistent = 1;
        return LNK_OK;
    }

    TPM2B_SENSITIVE_CREATE sensitive;
    memset(&sensitive, 0, sizeof(sensitive));
    TPM2B_PUBLIC template;
    srk_template(&template);
    TPM2B_DATA outside_info;
    memset(&outside_info, 0, sizeof(outside_info));
    TPML_PCR_SELECTION no_pcrs;
    memset(&no_pcrs, 0, sizeof(no_pcrs));

    ESYS_TR primary = ESYS_TR_NONE;
    rc = Esys_CreatePrimary(ctx->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive,
                            &template, &outside_info, &no_pcrs, &primary, NULL, NULL, NULL, NULL);
    if (is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
        rc = Esys_CreatePrimary(ctx->esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                &sensitive, &template, &outside_info, &no_pcrs, &primary, NULL, NULL, NULL, NULL);
    }
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(device_status(rc), rc, "creating the storage root key", detail, detail_len);
    }
    ctx->srk = primary;
    ctx->srk_is_persistent = 0;
    return LNK_OK;
}

uint16_t read_be16(const uint8_t *p)
{
    return (uint16_t)(((uint16_t)p[0] << 8) | p[1]);
}

/*
 * Splits a blob into its public and private parts. Strict: each part's size prefix must match its contents
 * exactly and nothing may follow the private part, so a truncated or padded file never half-loads.
 */
lnk_status parse_blob(const uint8_t *blob, size_t blob_len, lnk_blob_kind kind, TPM2B_PUBLIC *pub,
                      TPM2B_PRIVATE *priv, char *detail, size_t detail_len)
{
    if (blob_len < 4 || blob_len > LNK_MAX_BLOB) {
        set_detail(detail, detail_len, "key blob has an impossible length (%zu bytes)", blob_len);
        return LNK_ERR_KEY_INVALID;
    }

    size_t pub_size = read_be16(blob);
    if (pub_size == 0 || 2 + pub_size + 2 > blob_len) {
        set_detail(detail, detail_len, "key blob is truncated: public part of %zu bytes in %zu", pub_size, blob_len);
        return LNK_ERR_KEY_INVALID;
    }

    memset(pub, 0, sizeof(*pub));
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPMT_PUBLIC_Unmarshal(blob + 2, pub_size, &offset, &pub->publicArea);
    if (rc != TSS2_RC_SUCCESS || offset != pub_size) {
        set_detail(detail, detail_len, "key blob's public part does not unmarshal (%s)",
                   rc != TSS2_RC_SUCCESS ? Tss2_RC_Decode(rc) : "size mismatch");
        return LNK_ERR_KEY_INVALID;
    }
    pub->size = (UINT16)pub_size;

    size_t priv_at = 2 + pub_size;
    size_t priv_size = read_be16(blob + priv_at);
    if (priv_size == 0 || priv_size > sizeof(priv->buffer) || priv_at + 2 + priv_size != blob_len) {
        set_detail(detail, detail_len, "key blob's private part has a wrong length (%zu bytes declared, %zu present)",
                   priv_size, blob_len - priv_at - 2);
        return LNK_ERR_KEY_INVALID;
    }
    memset(priv, 0, sizeof(*priv));
    priv->size = (UINT16)priv_size;
    memcpy(priv->buffer, blob + priv_at + 2, priv_size);

    /* Refuse anything but what lnk_create_key (or lnk_create_ak) makes: a blob for a decryption key must not become
     * the machine identity because a file was swapped, and the machine key and the attestation key must never
     * stand in for each other (only a restricted key's signature says "the TPM made this structure"). */
    const TPMT_PUBLIC *area = &pub->publicArea;
    TPMA_OBJECT attributes = area->objectAttributes;
    int restricted = (attributes & TPMA_OBJECT_RESTRICTED) != 0;
    const char *what = kind == LNK_BLOB_ATTESTATION_KEY ? "attestation key blob is not a restricted"
                                                        : "key blob is not an unrestricted";
    if (area->type != TPM2_ALG_ECC || area->nameAlg != TPM2_ALG_SHA256 ||
        area->parameters.eccDetail.curveID != TPM2_ECC_NIST_P256 ||
        area->parameters.eccDetail.scheme.scheme != TPM2_ALG_ECDSA ||
        area->parameters.eccDetail.scheme.details.ecdsa.hashAlg != TPM2_ALG_SHA256 ||
        (attributes & TPMA_OBJECT_SIGN_ENCRYPT) == 0 || (attributes & TPMA_OBJECT_DECRYPT) != 0 ||
        restricted != (kind == LNK_BLOB_ATTESTATION_KEY) || area->unique.ecc.x.size == 0 ||
        area->unique.ecc.x.size > LNK_P256_BYTES || area->unique.ecc.y.size == 0 ||
        area->unique.ecc.y.size > LNK_P256_BYTES) {
        set_detail(detail, detail_len, "%s ECDSA-SHA256 P-256 signing key", what);
        return LNK_ERR_KEY_INVALID;
    }
    return LNK_OK;
}

/* Makes the blob's key the loaded one, reusing the cached handle when the blob is the same. */
lnk_status ensure_key(lnk_context *ctx, const uint8_t *blob, size_t blob_len, char *detail, size_t detail_len)
{
    if (ctx->key != ESYS_TR_NONE && ctx->key_blob_len == blob_len && memcmp(ctx->key_blob, blob, blob_len) == 0) {
        return LNK_OK;
    }

    TPM2B_PUBLIC pub;
    TPM2B_PRIVATE priv;
    lnk_status status = parse_blob(blob, blob_len, LNK_BLOB_MACHINE_KEY, &pub, &priv, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    release_key(ctx);
    for (int attempt = 0;; attempt++) {
        status = ensure_srk(ctx, detail, detail_len);
        if (status != LNK_OK) {
            return status;
        }

        ESYS_TR loaded = ESYS_TR_NONE;
        TSS2_RC rc = Esys_Load(ctx->esys, ctx->srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &priv, &pub,
                               &loaded);
        if (rc == TSS2_RC_SUCCESS) {
            ctx->key = loaded;
            memcpy(ctx->key_blob, blob, blob_len);
            ctx->key_blob_len = blob_len;
            ctx->key_public = pub;
            return LNK_OK;
        }
        if (attempt == 0 && is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
            continue;
        }
        if (attempt == 0 && is_handle_gone(rc)) {
            /* The transient SRK vanished (TPM reset): re-create it from the template and try once more. */
            release_srk(ctx);
            continue;
        }
        if (is_blob_rejection(rc)) {
            return fail_rc(LNK_ERR_KEY_INVALID, rc, "the TPM rejected the key blob", detail, detail_len);
        }
        return fail_rc(device_status(rc), rc, "loading the key", detail, detail_len);
    }
}

void copy_left_padded(uint8_t *out, const TPM2B_ECC_PARAMETER *value)
{
    size_t pad = LNK_P256_BYTES - value->size;
    memset(out, 0, pad);
    memcpy(out + pad, value->buffer, value->size);
}

int valid_context(const lnk_context *ctx)
{
    return ctx != NULL && ctx->esys != NULL;
}

/* ---------------------------------------------------------------------------------------------------------------
 * ABI
 * ------------------------------------------------------------------------------------------------------------- */

LNK_API uint32_t lnk_abi_version(void)
{
    return LNK_ABI_VERSION;
}

LNK_API lnk_status lnk_open(const char *config, lnk_context **out, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (out == NULL) {
        set_detail(detail, detail_len, "out is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    *out = NULL;

    const char *tcti_config = (config != NULL && config[0] != '\0') ? config : LNK_DEFAULT_TCTI;
    lnk_context *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        set_detail(detail, detail_len, "out of memory");
        return LNK_ERR_INTERNAL;
    }
    ctx->srk = ESYS_TR_NONE;
    ctx->key = ESYS_TR_NONE;
    for (int i = 0; i < LNK_MAX_OPERATION_OBJECTS; i++) {
        ctx->operation[i] = ESYS_TR_NONE;
    }

    TSS2_RC rc = Tss2_TctiLdr_Initialize(tcti_config, &ctx->tcti);
    if (rc != TSS2_RC_SUCCESS) {
        /* No device node, nothing listening, or no such TCTI module: there is no TPM for us here. */
        set_detail(detail, detail_len, "cannot open TCTI \"%s\": %s (0x%x)", tcti_config, Tss2_RC_Decode(rc),
                   (unsigned)rc);
        free(ctx);
        return LNK_ERR_UNAVAILABLE;
    }

    rc = Esys_Initialize(&ctx->esys, ctx->tcti, NULL);
    if (rc != TSS2_RC_SUCCESS) {
        set_detail(detail, detail_len, "Esys_Initialize: %s (0x%x)", Tss2_RC_Decode(rc), (unsigned)rc);
        Tss2_TctiLdr_Finalize(&ctx->tcti);
        free(ctx);
        return LNK_ERR_UNAVAILABLE;
    }

    *out = ctx;
    return LNK_OK;
}

LNK_API void lnk_close(lnk_context *ctx)
{
    if (ctx == NULL) {
        return;
    }
    if (ctx->esys != NULL) {
        for (int i = 0; i < LNK_MAX_OPERATION_OBJECTS; i++) {
            release_transient(ctx, &ctx->operation[i]);
        }
        release_key(ctx);
        release_srk(ctx);
        Esys_Finalize(&ctx->esys);
    }
    if (ctx->tcti != NULL) {
        Tss2_TctiLdr_Finalize(&ctx->tcti);
    }
    free(ctx);
}

LNK_API lnk_status lnk_available(lnk_context *ctx, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx)) {
        set_detail(detail, detail_len, "context is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *curves = NULL;
    TSS2_RC rc = Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_ECC_CURVES,
                                    TPM2_ECC_NIST_P256, 1, &more, &curves);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(LNK_ERR_UNAVAILABLE, rc, "the TPM does not answer", detail, detail_len);
    }

    int has_p256 = curves->data.eccCurves.count >= 1 && curves->data.eccCurves.eccCurves[0] == TPM2_ECC_NIST_P256;
    Esys_Free(curves);
    if (!has_p256) {
        set_detail(detail, detail_len, "the TPM does not support ECC NIST P-256");
        return LNK_ERR_UNAVAILABLE;
    }

    set_detail(detail, detail_len, "TPM 2.0 answers and supports ECC P-256");
    return LNK_OK;
}

LNK_API lnk_status lnk_tpm_properties(lnk_context *ctx, uint32_t *manufacturer, uint32_t *firmware_version_1,
                                      uint32_t *firmware_version_2, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || manufacturer == NULL || firmware_version_1 == NULL || firmware_version_2 == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    *manufacturer = 0;
    *firmware_version_1 = 0;
    *firmware_version_2 = 0;
    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *properties = NULL;
    /* PT_MANUFACTURER .. PT_FIRMWARE_VERSION_2 are consecutive fixed properties. */
    UINT32 count = TPM2_PT_FIRMWARE_VERSION_2 - TPM2_PT_MANUFACTURER + 1;
    TSS2_RC rc = Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_TPM_PROPERTIES,
                                    TPM2_PT_MANUFACTURER, count, &more, &properties);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(LNK_ERR_UNAVAILABLE, rc, "reading the TPM's fixed properties", detail, detail_len);
    }

    int found = 0;
    for (UINT32 i = 0; i < properties->data.tpmProperties.count; i++) {
        TPMS_TAGGED_PROPERTY *property = &properties->data.tpmProperties.tpmProperty[i];
        switch (property->property) {
        case TPM2_PT_MANUFACTURER:
            *manufacturer = property->value;
            found = 1;
            break;
        case TPM2_PT_FIRMWARE_VERSION_1:
            *firmware_version_1 = property->value;
            break;
        case TPM2_PT_FIRMWARE_VERSION_2:
            *firmware_version_2 = property->value;
            break;
        default:
            break;
        }
    }

    Esys_Free(properties);
    if (!found) {
        set_detail(detail, detail_len, "the TPM did not report TPM2_PT_MANUFACTURER");
        return LNK_ERR_DEVICE;
    }

    set_detail(detail, detail_len, "read");
    return LNK_OK;
}

LNK_API lnk_status lnk_create_key(lnk_context *ctx, uint32_t access_flags, uint8_t *blob, size_t *blob_len,
                                  char *detail, size_t detail_len)
{
    (void)access_flags; /* a TPM key has no notion of login state */
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || blob == NULL || blob_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPM2B_PUBLIC template;
    machine_key_template(&template);
    uint8_t buffer[LNK_MAX_BLOB];
    size_t offset = 0;
    lnk_status status = create_blob_under_srk(ctx, &template, buffer, &offset, "creating the key", "marshalling the key blob",
                                              detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    if (*blob_len < offset) {
        *blob_len = offset;
        set_detail(detail, detail_len, "the key blob needs %zu bytes", offset);
        return LNK_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(blob, buffer, offset);
    *blob_len = offset;
    return LNK_OK;
}

lnk_status create_blob_under_srk(lnk_context *ctx, TPM2B_PUBLIC *template_area, uint8_t *buffer, size_t *written,
                                 const char *create_failed, const char *marshal_failed, char *detail, size_t detail_len)
{
    TPM2B_SENSITIVE_CREATE sensitive;
    memset(&sensitive, 0, sizeof(sensitive));
    TPM2B_DATA outside_info;
    memset(&outside_info, 0, sizeof(outside_info));
    TPML_PCR_SELECTION no_pcrs;
    memset(&no_pcrs, 0, sizeof(no_pcrs));

    for (int attempt = 0;; attempt++) {
        lnk_status status = ensure_srk(ctx, detail, detail_len);
        if (status != LNK_OK) {
            return status;
        }

        TPM2B_PRIVATE *out_private = NULL;
        TPM2B_PUBLIC *out_public = NULL;
        TSS2_RC rc = Esys_Create(ctx->esys, ctx->srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &sensitive,
                                 template_area, &outside_info, &no_pcrs, &out_private, &out_public, NULL, NULL, NULL);
        if (rc != TSS2_RC_SUCCESS) {
            if (attempt == 0 && is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
                continue;
            }
            if (attempt == 0 && is_handle_gone(rc)) {
                release_srk(ctx);
                continue;
            }
            return fail_rc(device_status(rc), rc, create_failed, detail, detail_len);
        }

        size_t offset = 0;
        rc = Tss2_MU_TPM2B_PUBLIC_Marshal(out_public, buffer, LNK_MAX_BLOB, &offset);
        if (rc == TSS2_RC_SUCCESS) {
            rc = Tss2_MU_TPM2B_PRIVATE_Marshal(out_private, buffer, LNK_MAX_BLOB, &offset);
        }
        Esys_Free(out_private);
        Esys_Free(out_public);
        if (rc != TSS2_RC_SUCCESS) {
            return fail_rc(LNK_ERR_INTERNAL, rc, marshal_failed, detail, detail_len);
        }
        *written = offset;
        return LNK_OK;
    }
}

LNK_API lnk_status lnk_public_key(lnk_context *ctx, const uint8_t *blob, size_t blob_len, uint8_t *public_key,
                                  size_t *public_key_len, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || blob == NULL || public_key == NULL || public_key_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    const size_t needed = 1 + 2 * LNK_P256_BYTES;
    if (*public_key_len < needed) {
        *public_key_len = needed;
        set_detail(detail, detail_len, "the public key needs %zu bytes", needed);
        return LNK_ERR_BUFFER_TOO_SMALL;
    }

    /* Loading (not just parsing) is the point: the TPM proves the blob is ours before we vouch for its key. */
    lnk_status status = ensure_key(ctx, blob, blob_len, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    const TPMS_ECC_POINT *point = &ctx->key_public.publicArea.unique.ecc;
    public_key[0] = 0x04;
    copy_left_padded(public_key + 1, &point->x);
    copy_left_padded(public_key + 1 + LNK_P256_BYTES, &point->y);
    *public_key_len = needed;
    return LNK_OK;
}

LNK_API lnk_status lnk_sign_digest(lnk_context *ctx, const uint8_t *blob, size_t blob_len, const uint8_t *digest,
                                   size_t digest_len, uint8_t *signature, size_t *signature_len, char *detail,
                                   size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || blob == NULL || signature == NULL || signature_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    if (digest == NULL || digest_len != TPM2_SHA256_DIGEST_SIZE) {
        set_detail(detail, detail_len, "the digest must be %u bytes of SHA-256, got %zu", TPM2_SHA256_DIGEST_SIZE,
                   digest == NULL ? (size_t)0 : digest_len);
        return LNK_ERR_INVALID_ARGUMENT;
    }
    /* Checked before signing so a too-small buffer never costs a TPM operation; 72 bytes always suffice. */
    if (*signature_len < LNK_DER_ECDSA_P256_MAX) {
        *signature_len = LNK_DER_ECDSA_P256_MAX;
        set_detail(detail, detail_len, "the signature needs up to %u bytes", LNK_DER_ECDSA_P256_MAX);
        return LNK_ERR_BUFFER_TOO_SMALL;
    }

    TPM2B_DIGEST in_digest;
    memset(&in_digest, 0, sizeof(in_digest));
    in_digest.size = TPM2_SHA256_DIGEST_SIZE;
    memcpy(in_digest.buffer, digest, TPM2_SHA256_DIGEST_SIZE);

    TPMT_SIG_SCHEME scheme;
    memset(&scheme, 0, sizeof(scheme));
    scheme.scheme = TPM2_ALG_ECDSA;
    scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;

    /* A NULL ticket: the key is unrestricted, so the TPM need not have computed the digest itself. */
    TPMT_TK_HASHCHECK validation;
    memset(&validation, 0, sizeof(validation));
    validation.tag = TPM2_ST_HASHCHECK;
    validation.hierarchy = TPM2_RH_NULL;
    validation.digest.size = 0;

    for (int attempt = 0;; attempt++) {
        lnk_status status = ensure_key(ctx, blob, blob_len, detail, detail_len);
        if (status != LNK_OK) {
            return status;
        }

        TPMT_SIGNATURE *out = NULL;
        TSS2_RC rc = Esys_Sign(ctx->esys, ctx->key, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &in_digest,
                               &scheme, &validation, &out);
        if (rc != TSS2_RC_SUCCESS) {
            if (attempt == 0 && is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
            continue;
        }
        if (attempt == 0 && is_handle_gone(rc)) {
                /* TPM reset since the key was loaded: forget both handles and load from the blob again. */
                release_key(ctx);
                release_srk(ctx);
                continue;
            }
            return fail_rc(device_status(rc), rc, "signing", detail, detail_len);
        }

        size_t written = 0;
        if (out->sigAlg == TPM2_ALG_ECDSA && out->signature.ecdsa.signatureR.size <= LNK_P256_BYTES &&
            out->signature.ecdsa.signatureS.size <= LNK_P256_BYTES) {
            written = lnk_der_ecdsa_signature(out->signature.ecdsa.signatureR.buffer,
                                              out->signature.ecdsa.signatureR.size,
                                              out->signature.ecdsa.signatureS.buffer,
                                              out->signature.ecdsa.signatureS.size, signature, *signature_len);
        }
        Esys_Free(out);
        if (written == 0) {
            set_detail(detail, detail_len, "the TPM returned a signature that is not P-256 ECDSA");
            return LNK_ERR_DEVICE;
        }
        *signature_len = written;
        return LNK_OK;
    }
}
