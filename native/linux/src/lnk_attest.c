/*
 * The attestation half of the TPM shim (launcher_native.h, ABI 2): the endorsement key (EK) and its certificate,
 * the attestation key (AK), TPM2_ActivateCredential and TPM2_Certify.
 *
 * Where the AK lives: under the storage root key, beside the machine key, persisted as a blob by the caller. Not
 * under the EK: a child of the RSA EK could only be loaded through a PolicySecret(endorsement) session on every
 * load, it would tie the AK to one of the TPM's several EKs (the server may pick RSA or P-384), and a TPM with no
 * persistent EK would have to re-derive the EK (an RSA key generation: seconds on some chips) just to load the AK.
 * Credential activation does not need the AK to be the EK's child: the TPM only decrypts the credential when the
 * AK whose name it was made for is loaded beside that EK, which is exactly the binding the server checks.
 *
 * Transient objects: an attestation call may load the AK and create the EK (when it is not persistent); both are
 * recorded in ctx->operation so that flush_stale_transients spares them, and end_operation flushes them before the
 * call returns, on every path. Policy sessions are flushed the same way. The SRK and the cached machine key stay
 * as lnk_tpm.c keeps them (released by lnk_close). swtpm holds three transient objects, so
 * lnk_activate_credential releases the cached machine key first (SRK + AK + EK), and lnk_certify loads the machine
 * key before the AK (SRK + key + AK).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>

#include "der.h"
#include "ekcert.h"
#include "tpm_internal.h"

#define LNK_AK_SLOT 0
#define LNK_EK_SLOT 1

/* NV indices and persistent handles of the TCG EK Credential Profile 2.x; 0 where the range has none. */
typedef struct {
    uint32_t kind;
    const char *name;
    TPM2_HANDLE certificate_index;
    TPM2_HANDLE nonce_index;
    TPM2_HANDLE template_index;
    TPM2_HANDLE persistent;
} ek_spec;

static const ek_spec s_ek_specs[] = {
    {LNK_EK_RSA_2048, "RSA-2048", 0x01c00002u, 0x01c00003u, 0x01c00004u, 0x81010001u},
    {LNK_EK_ECC_P256, "ECC P-256", 0x01c0000au, 0x01c0000bu, 0x01c0000cu, 0x81010002u},
    /* The profile recommends no persistent handle for the high range; 0x81010016 is where swtpm_setup puts it. */
    {LNK_EK_ECC_P384, "ECC P-384", 0x01c00016u, 0, 0, 0x81010016u},
};

/* PolicyA: PolicySecret(TPM_RH_ENDORSEMENT) with an empty policyRef, the authPolicy of the low-range templates. */
static const uint8_t s_policy_a_sha256[32] = {
    0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xB3, 0xF8, 0x1A, 0x90, 0xCC, 0x8D, 0x46, 0xA5, 0xD7, 0x24,
    0xFD, 0x52, 0xD7, 0x6E, 0x06, 0x52, 0x0B, 0x64, 0xF2, 0xA1, 0xDA, 0x1B, 0x33, 0x14, 0x69, 0xAA};
static const uint8_t s_policy_a_sha384[48] = {
    0x8B, 0xBF, 0x22, 0x66, 0x53, 0x7C, 0x17, 0x1C, 0xB5, 0x6E, 0x40, 0x3C, 0x4D, 0xC1, 0xD4, 0xB6,
    0x4F, 0x43, 0x26, 0x11, 0xDC, 0x38, 0x6E, 0x6F, 0x53, 0x20, 0x50, 0xC3, 0x27, 0x8C, 0x93, 0x0E,
    0x14, 0x3E, 0x8B, 0xB1, 0x13, 0x38, 0x24, 0xCC, 0xB4, 0x31, 0x05, 0x38, 0x71, 0xC6, 0xDB, 0x53};
/* PolicyB (SHA-384): PolicyOR(PolicyA, PolicyC), the authPolicy of the high-range templates, which also set
 * userWithAuth so that the empty auth value alone authorises the EK's USER role. */
static const uint8_t s_policy_b_sha384[48] = {
    0xB2, 0x6E, 0x7D, 0x28, 0xD1, 0x1A, 0x50, 0xBC, 0x53, 0xD8, 0x82, 0xBC, 0xF5, 0xFD, 0x3A, 0x1A,
    0x07, 0x41, 0x48, 0xBB, 0x35, 0xD3, 0xB4, 0xE4, 0xCB, 0x1C, 0x0A, 0xD9, 0xBD, 0xE4, 0x19, 0xCA,
    0xCB, 0x47, 0xBA, 0x09, 0x69, 0x96, 0x46, 0x15, 0x0F, 0x9F, 0xC0, 0x00, 0xF3, 0xF8, 0x0E, 0x12};

static const ek_spec *find_spec(uint32_t kind)
{
    for (size_t i = 0; i < sizeof(s_ek_specs) / sizeof(s_ek_specs[0]); i++) {
        if (s_ek_specs[i].kind == kind) {
            return &s_ek_specs[i];
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Templates
 * ------------------------------------------------------------------------------------------------------------- */

#define EK_LOW_RANGE_ATTRIBUTES                                                                                       \
    (TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_ADMINWITHPOLICY | \
     TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT)

/* The profile's default templates L-1 (RSA 2048), L-2 (ECC P-256) and H-3 (ECC P-384). A primary key is a pure
 * function of the endorsement seed and the template, so these must stay byte-identical to the profile's: any
 * difference gives a key that no EK certificate names. */
static void ek_default_template(const ek_spec *spec, TPM2B_PUBLIC *out)
{
    memset(out, 0, sizeof(*out));
    TPMT_PUBLIC *area = &out->publicArea;
    switch (spec->kind) {
    case LNK_EK_RSA_2048:
        area->type = TPM2_ALG_RSA;
        area->nameAlg = TPM2_ALG_SHA256;
        area->objectAttributes = EK_LOW_RANGE_ATTRIBUTES;
        area->authPolicy.size = sizeof(s_policy_a_sha256);
        memcpy(area->authPolicy.buffer, s_policy_a_sha256, sizeof(s_policy_a_sha256));
        area->parameters.rsaDetail.symmetric.algorithm = TPM2_ALG_AES;
        area->parameters.rsaDetail.symmetric.keyBits.aes = 128;
        area->parameters.rsaDetail.symmetric.mode.aes = TPM2_ALG_CFB;
        area->parameters.rsaDetail.scheme.scheme = TPM2_ALG_NULL;
        area->parameters.rsaDetail.keyBits = 2048;
        area->parameters.rsaDetail.exponent = 0;
        area->unique.rsa.size = 256; /* 256 zero bytes */
        break;
    case LNK_EK_ECC_P256:
        area->type = TPM2_ALG_ECC;
        area->nameAlg = TPM2_ALG_SHA256;
        area->objectAttributes = EK_LOW_RANGE_ATTRIBUTES;
        area->authPolicy.size = sizeof(s_policy_a_sha256);
        memcpy(area->authPolicy.buffer, s_policy_a_sha256, sizeof(s_policy_a_sha256));
        area->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_AES;
        area->parameters.eccDetail.symmetric.keyBits.aes = 128;
        area->parameters.eccDetail.symmetric.mode.aes = TPM2_ALG_CFB;
        area->parameters.eccDetail.scheme.scheme = TPM2_ALG_NULL;
        area->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
        area->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
        area->unique.ecc.x.size = 32;
        area->unique.ecc.y.size = 32;
        break;
    default: /* LNK_EK_ECC_P384 */
        area->type = TPM2_ALG_ECC;
        area->nameAlg = TPM2_ALG_SHA384;
        area->objectAttributes = EK_LOW_RANGE_ATTRIBUTES | TPMA_OBJECT_USERWITHAUTH;
        area->authPolicy.size = sizeof(s_policy_b_sha384);
        memcpy(area->authPolicy.buffer, s_policy_b_sha384, sizeof(s_policy_b_sha384));
        area->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_AES;
        area->parameters.eccDetail.symmetric.keyBits.aes = 256;
        area->parameters.eccDetail.symmetric.mode.aes = TPM2_ALG_CFB;
        area->parameters.eccDetail.scheme.scheme = TPM2_ALG_NULL;
        area->parameters.eccDetail.curveID = TPM2_ECC_NIST_P384;
        area->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
        /* The high range differs from the low range here: its unique field is the empty buffer, not zeros of
         * the key size (checked against swtpm_setup's EK and its certificate). */
        area->unique.ecc.x.size = 0;
        area->unique.ecc.y.size = 0;
        break;
    }
}

/* The attestation key: restricted, so it signs only structures the TPM made itself (a TPM2_Certify result), never a
 * digest a caller chose that could imitate one. noDA for the machine key's reason (empty auth; see lnk_tpm.c). */
static void ak_template(TPM2B_PUBLIC *out)
{
    memset(out, 0, sizeof(*out));
    TPMT_PUBLIC *area = &out->publicArea;
    area->type = TPM2_ALG_ECC;
    area->nameAlg = TPM2_ALG_SHA256;
    area->objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN |
                             TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | TPMA_OBJECT_RESTRICTED |
                             TPMA_OBJECT_SIGN_ENCRYPT;
    area->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
    area->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
    area->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
    area->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
    area->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
}

/* ---------------------------------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------------------------------- */

/* Flushes what the current call loaded (AK, created EK). Every attestation entry point calls it before returning. */
static void end_operation(lnk_context *ctx)
{
    for (int i = 0; i < LNK_MAX_OPERATION_OBJECTS; i++) {
        release_transient(ctx, &ctx->operation[i]);
    }
}

/* A session is flushed like an object; when the TPM already dropped it (continueSession clear after a failure),
 * ESYS only forgets it. */
static void release_session(lnk_context *ctx, ESYS_TR *session)
{
    release_transient(ctx, session);
}

/* Whether `handle` (persistent or NV) exists. Asked before TR_FromTPMPublic so that an absent handle, the normal
 * case for most of them, does not make ESYS log an error to stderr. */
static lnk_status handle_exists(lnk_context *ctx, TPM2_HANDLE handle, int *exists, char *detail, size_t detail_len)
{
    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *handles = NULL;
    TSS2_RC rc = Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES, handle, 1,
                                    &more, &handles);
    if (rc != TSS2_RC_SUCCESS) {
        char operation[64];
        (void)snprintf(operation, sizeof(operation), "listing handles at 0x%08x", (unsigned)handle);
        return fail_rc(device_status(rc), rc, operation, detail, detail_len);
    }
    *exists = handles->data.handles.count >= 1 && handles->data.handles.handle[0] == handle;
    Esys_Free(handles);
    return LNK_OK;
}

static uint32_t nv_buffer_max(lnk_context *ctx)
{
    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *data = NULL;
    uint32_t result = 512; /* the PC Client minimum, when the TPM does not say */
    if (Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_TPM_PROPERTIES,
                           TPM2_PT_NV_BUFFER_MAX, 1, &more, &data) == TSS2_RC_SUCCESS) {
        if (data->data.tpmProperties.count >= 1 &&
            data->data.tpmProperties.tpmProperty[0].property == TPM2_PT_NV_BUFFER_MAX &&
            data->data.tpmProperties.tpmProperty[0].value > 0) {
            result = data->data.tpmProperties.tpmProperty[0].value;
        }
        Esys_Free(data);
    }
    return result > TPM2_MAX_NV_BUFFER_SIZE ? TPM2_MAX_NV_BUFFER_SIZE : result;
}

/*
 * Reads a whole NV index into out. LNK_ERR_NOT_FOUND when it is not defined or not written. Authorised with the
 * index's own (empty) auth value when it allows that (TPMA_NV_AUTHREAD, as EK certificate indices do), otherwise
 * with the owner's (empty) one.
 */
static lnk_status read_nv(lnk_context *ctx, TPM2_HANDLE index, uint8_t *out, size_t capacity, size_t *length,
                          char *detail, size_t detail_len)
{
    int exists = 0;
    lnk_status status = handle_exists(ctx, index, &exists, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }
    if (!exists) {
        set_detail(detail, detail_len, "NV index 0x%08x is not defined", (unsigned)index);
        return LNK_ERR_NOT_FOUND;
    }

    ESYS_TR nv = ESYS_TR_NONE;
    TSS2_RC rc = Esys_TR_FromTPMPublic(ctx->esys, index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &nv);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(device_status(rc), rc, "reading an NV index's public area", detail, detail_len);
    }

    TPM2B_NV_PUBLIC *nv_public = NULL;
    rc = Esys_NV_ReadPublic(ctx->esys, nv, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &nv_public, NULL);
    if (rc != TSS2_RC_SUCCESS) {
        (void)Esys_TR_Close(ctx->esys, &nv);
        return fail_rc(device_status(rc), rc, "reading an NV index's public area", detail, detail_len);
    }
    TPMA_NV attributes = nv_public->nvPublic.attributes;
    size_t size = nv_public->nvPublic.dataSize;
    Esys_Free(nv_public);

    if ((attributes & TPMA_NV_WRITTEN) == 0 || size == 0) {
        (void)Esys_TR_Close(ctx->esys, &nv);
        set_detail(detail, detail_len, "NV index 0x%08x is defined but was never written", (unsigned)index);
        return LNK_ERR_NOT_FOUND;
    }
    if (size > capacity) {
        (void)Esys_TR_Close(ctx->esys, &nv);
        set_detail(detail, detail_len, "NV index 0x%08x holds %zu bytes, more than the %zu expected", (unsigned)index,
                   size, capacity);
        return LNK_ERR_DEVICE;
    }

    ESYS_TR auth = (attributes & TPMA_NV_AUTHREAD) ? nv : ESYS_TR_RH_OWNER;
    uint32_t chunk_max = nv_buffer_max(ctx);
    size_t done = 0;
    while (done < size) {
        UINT16 chunk = (UINT16)((size - done) < chunk_max ? (size - done) : chunk_max);
        TPM2B_MAX_NV_BUFFER *data = NULL;
        rc = Esys_NV_Read(ctx->esys, auth, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, chunk, (UINT16)done,
                          &data);
        if (rc != TSS2_RC_SUCCESS) {
            (void)Esys_TR_Close(ctx->esys, &nv);
            if (fmt1_error(tpm_code(rc)) == 0 && tpm_code(rc) == TPM2_RC_NV_UNINITIALIZED) {
                set_detail(detail, detail_len, "NV index 0x%08x was never written", (unsigned)index);
                return LNK_ERR_NOT_FOUND;
            }
            char operation[64];
            (void)snprintf(operation, sizeof(operation), "reading NV index 0x%08x", (unsigned)index);
            return fail_rc(device_status(rc), rc, operation, detail, detail_len);
        }
        if (data->size != chunk) {
            Esys_Free(data);
            (void)Esys_TR_Close(ctx->esys, &nv);
            set_detail(detail, detail_len, "NV index 0x%08x returned %u bytes for a read of %u", (unsigned)index,
                       (unsigned)data->size, (unsigned)chunk);
            return LNK_ERR_DEVICE;
        }
        memcpy(out + done, data->buffer, chunk);
        done += chunk;
        Esys_Free(data);
    }
    (void)Esys_TR_Close(ctx->esys, &nv);
    *length = size;
    return LNK_OK;
}

static int ek_matches_kind(const TPMT_PUBLIC *area, const ek_spec *spec)
{
    TPMA_OBJECT needed = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT;
    if ((area->objectAttributes & needed) != needed || (area->objectAttributes & TPMA_OBJECT_SIGN_ENCRYPT) != 0) {
        return 0;
    }
    switch (spec->kind) {
    case LNK_EK_RSA_2048:
        return area->type == TPM2_ALG_RSA && area->parameters.rsaDetail.keyBits == 2048;
    case LNK_EK_ECC_P256:
        return area->type == TPM2_ALG_ECC && area->parameters.eccDetail.curveID == TPM2_ECC_NIST_P256;
    default:
        return area->type == TPM2_ALG_ECC && area->parameters.eccDetail.curveID == TPM2_ECC_NIST_P384;
    }
}

/*
 * The low-range template the manufacturer may have stored in NV (a marshalled TPMT_PUBLIC), with the nonce from
 * its nonce index in the unique field: RSA the nonce zero-padded to 256 bytes, ECC x = the nonce zero-padded to
 * 32 bytes and y = 32 zero bytes. *found is 0 when there is no NV template (the default template applies).
 */
static lnk_status ek_nv_template(lnk_context *ctx, const ek_spec *spec, TPM2B_PUBLIC *out, int *found, char *detail,
                                 size_t detail_len)
{
    *found = 0;
    if (spec->template_index == 0) {
        return LNK_OK;
    }
    uint8_t buffer[sizeof(TPMT_PUBLIC)];
    size_t length = 0;
    lnk_status status = read_nv(ctx, spec->template_index, buffer, sizeof(buffer), &length, detail, detail_len);
    if (status == LNK_ERR_NOT_FOUND) {
        return LNK_OK;
    }
    if (status != LNK_OK) {
        return status;
    }
    memset(out, 0, sizeof(*out));
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPMT_PUBLIC_Unmarshal(buffer, length, &offset, &out->publicArea);
    if (rc != TSS2_RC_SUCCESS || offset != length || !ek_matches_kind(&out->publicArea, spec)) {
        set_detail(detail, detail_len, "the EK template in NV 0x%08x is not a %s EK template",
                   (unsigned)spec->template_index, spec->name);
        return LNK_ERR_DEVICE;
    }

    uint8_t nonce[256];
    size_t nonce_length = 0;
    status = read_nv(ctx, spec->nonce_index, nonce, sizeof(nonce), &nonce_length, detail, detail_len);
    if (status == LNK_OK) {
        if (out->publicArea.type == TPM2_ALG_RSA) {
            memset(&out->publicArea.unique.rsa, 0, sizeof(out->publicArea.unique.rsa));
            out->publicArea.unique.rsa.size = 256;
            memcpy(out->publicArea.unique.rsa.buffer, nonce, nonce_length);
        } else {
            if (nonce_length > 32) {
                set_detail(detail, detail_len, "the EK nonce in NV 0x%08x has %zu bytes, more than 32",
                           (unsigned)spec->nonce_index, nonce_length);
                return LNK_ERR_DEVICE;
            }
            memset(&out->publicArea.unique.ecc, 0, sizeof(out->publicArea.unique.ecc));
            out->publicArea.unique.ecc.x.size = 32;
            out->publicArea.unique.ecc.y.size = 32;
            memcpy(out->publicArea.unique.ecc.x.buffer, nonce, nonce_length);
        }
    } else if (status != LNK_ERR_NOT_FOUND) {
        return status;
    }
    *found = 1;
    set_detail(detail, detail_len, "%s", "");
    return LNK_OK;
}

/*
 * Makes the EK of `spec` usable: the persistent one when its handle holds a key of this kind (never flushed),
 * otherwise a transient primary created from the NV or default template and recorded in ctx->operation[EK slot].
 * Writes its public area and source.
 */
static lnk_status acquire_ek(lnk_context *ctx, const ek_spec *spec, ESYS_TR *ek, TPM2B_PUBLIC *ek_public,
                             uint32_t *source, char *detail, size_t detail_len)
{
    *ek = ESYS_TR_NONE;
    int exists = 0;
    lnk_status status = handle_exists(ctx, spec->persistent, &exists, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }
    if (exists) {
        ESYS_TR persistent = ESYS_TR_NONE;
        TSS2_RC rc = Esys_TR_FromTPMPublic(ctx->esys, spec->persistent, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
                                           &persistent);
        if (rc != TSS2_RC_SUCCESS) {
            return fail_rc(device_status(rc), rc, "reading the persistent EK", detail, detail_len);
        }
        TPM2B_PUBLIC *read = NULL;
        rc = Esys_ReadPublic(ctx->esys, persistent, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &read, NULL, NULL);
        if (rc != TSS2_RC_SUCCESS) {
            (void)Esys_TR_Close(ctx->esys, &persistent);
            return fail_rc(device_status(rc), rc, "reading the persistent EK's public area", detail, detail_len);
        }
        int matches = ek_matches_kind(&read->publicArea, spec);
        if (matches) {
            *ek_public = *read;
            *ek = persistent;
            *source = LNK_EK_SOURCE_PERSISTENT;
            Esys_Free(read);
            return LNK_OK;
        }
        /* Something else lives at the recommended handle: ignore it and derive the EK from its template. */
        Esys_Free(read);
        (void)Esys_TR_Close(ctx->esys, &persistent);
    }

    TPM2B_PUBLIC template;
    int from_nv = 0;
    status = ek_nv_template(ctx, spec, &template, &from_nv, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }
    if (!from_nv) {
        ek_default_template(spec, &template);
    }

    TPM2B_SENSITIVE_CREATE sensitive;
    memset(&sensitive, 0, sizeof(sensitive));
    TPM2B_DATA outside_info;
    memset(&outside_info, 0, sizeof(outside_info));
    TPML_PCR_SELECTION no_pcrs;
    memset(&no_pcrs, 0, sizeof(no_pcrs));

    TPM2B_PUBLIC *created_public = NULL;
    ESYS_TR created = ESYS_TR_NONE;
    TSS2_RC rc = Esys_CreatePrimary(ctx->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                    &sensitive, &template, &outside_info, &no_pcrs, &created, &created_public, NULL,
                                    NULL, NULL);
    if (is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
        rc = Esys_CreatePrimary(ctx->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                &sensitive, &template, &outside_info, &no_pcrs, &created, &created_public, NULL, NULL,
                                NULL);
    }
    if (rc != TSS2_RC_SUCCESS) {
        TPM2_RC code = tpm_code(rc);
        char operation[96];
        (void)snprintf(operation, sizeof(operation), "creating the %s EK in the endorsement hierarchy", spec->name);
        if (code != 0 && is_parameter_error(code)) {
            /* A parameter the TPM cannot do: the curve, key size or symmetric algorithm of this template. */
            return fail_rc(LNK_ERR_NOT_SUPPORTED, rc, operation, detail, detail_len);
        }
        return fail_rc(device_status(rc), rc, operation, detail, detail_len);
    }
    ctx->operation[LNK_EK_SLOT] = created;
    *ek = created;
    *ek_public = *created_public;
    Esys_Free(created_public);
    *source = from_nv ? LNK_EK_SOURCE_NV_TEMPLATE : LNK_EK_SOURCE_TEMPLATE;
    return LNK_OK;
}

/* Loads a blob's key under the SRK into ctx->operation[slot]; retries once after flushing stale objects or after
 * re-creating an SRK that vanished (TPM reset). */
static lnk_status load_operation_key(lnk_context *ctx, int slot, const TPM2B_PUBLIC *pub, const TPM2B_PRIVATE *priv,
                                     const char *what, char *detail, size_t detail_len)
{
    for (int attempt = 0;; attempt++) {
        lnk_status status = ensure_srk(ctx, detail, detail_len);
        if (status != LNK_OK) {
            return status;
        }
        ESYS_TR loaded = ESYS_TR_NONE;
        TSS2_RC rc =
            Esys_Load(ctx->esys, ctx->srk, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, priv, pub, &loaded);
        if (rc == TSS2_RC_SUCCESS) {
            ctx->operation[slot] = loaded;
            return LNK_OK;
        }
        if (attempt == 0 && is_object_memory_full(rc) && flush_stale_transients(ctx) > 0) {
            continue;
        }
        if (attempt == 0 && is_handle_gone(rc)) {
            /* The SRK vanished: the TPM was reset, so the cached machine key is gone too. Forget it now, before new
             * objects take its old handle number and a stale ESYS handle would name one of them. */
            release_key(ctx);
            release_srk(ctx);
            continue;
        }
        char operation[96];
        if (is_blob_rejection(rc)) {
            (void)snprintf(operation, sizeof(operation), "the TPM rejected the %s blob", what);
            return fail_rc(LNK_ERR_KEY_INVALID, rc, operation, detail, detail_len);
        }
        (void)snprintf(operation, sizeof(operation), "loading the %s", what);
        return fail_rc(device_status(rc), rc, operation, detail, detail_len);
    }
}

static lnk_status marshal_public_area(const TPMT_PUBLIC *area, uint8_t *out, size_t capacity, size_t *length,
                                      char *detail, size_t detail_len)
{
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPMT_PUBLIC_Marshal(area, out, capacity, &offset);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(LNK_ERR_INTERNAL, rc, "marshalling a public area", detail, detail_len);
    }
    *length = offset;
    return LNK_OK;
}

static void write_left_padded(uint8_t *out, size_t width, const uint8_t *value, size_t value_len)
{
    memset(out, 0, width - value_len);
    memcpy(out + (width - value_len), value, value_len);
}

/* One output of a multi-output call: where it goes and what it holds. */
typedef struct {
    uint8_t *buffer;
    size_t *length;
    const uint8_t *data;
    size_t data_len;
} output;

/* The header's rule for several outputs: all fit, or nothing is written and every length says what it needs. */
static lnk_status write_outputs(output *outputs, size_t count, char *detail, size_t detail_len)
{
    int fits = 1;
    for (size_t i = 0; i < count; i++) {
        if (*outputs[i].length < outputs[i].data_len) {
            fits = 0;
        }
    }
    if (!fits) {
        for (size_t i = 0; i < count; i++) {
            *outputs[i].length = outputs[i].data_len;
        }
        set_detail(detail, detail_len, "an output buffer is too small; each length now holds the size needed");
        return LNK_ERR_BUFFER_TOO_SMALL;
    }
    for (size_t i = 0; i < count; i++) {
        memcpy(outputs[i].buffer, outputs[i].data, outputs[i].data_len);
        *outputs[i].length = outputs[i].data_len;
    }
    return LNK_OK;
}

static lnk_status check_ek_kind(uint32_t ek_kind, const ek_spec **spec, char *detail, size_t detail_len)
{
    *spec = find_spec(ek_kind);
    if (*spec == NULL) {
        set_detail(detail, detail_len, "unknown EK kind %u (expected LNK_EK_RSA_2048, _ECC_P256 or _ECC_P384)",
                   (unsigned)ek_kind);
        return LNK_ERR_INVALID_ARGUMENT;
    }
    return LNK_OK;
}

/* ---------------------------------------------------------------------------------------------------------------
 * ABI
 * ------------------------------------------------------------------------------------------------------------- */

LNK_API lnk_status lnk_ek_public(lnk_context *ctx, uint32_t ek_kind, uint8_t *public_area, size_t *public_area_len,
                                 uint8_t *public_key, size_t *public_key_len, uint32_t *rsa_exponent,
                                 uint32_t *source, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || public_area == NULL || public_area_len == NULL || public_key == NULL ||
        public_key_len == NULL || rsa_exponent == NULL || source == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    const ek_spec *spec = NULL;
    lnk_status status = check_ek_kind(ek_kind, &spec, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    ESYS_TR ek = ESYS_TR_NONE;
    TPM2B_PUBLIC ek_public;
    uint32_t found_source = 0;
    status = acquire_ek(ctx, spec, &ek, &ek_public, &found_source, detail, detail_len);
    if (status == LNK_OK && ctx->operation[LNK_EK_SLOT] == ESYS_TR_NONE) {
        /* A persistent EK: only our ESYS reference to it is closed. */
        (void)Esys_TR_Close(ctx->esys, &ek);
    }
    end_operation(ctx);
    if (status != LNK_OK) {
        return status;
    }

    uint8_t area_bytes[sizeof(TPMT_PUBLIC)];
    size_t area_len = 0;
    status = marshal_public_area(&ek_public.publicArea, area_bytes, sizeof(area_bytes), &area_len, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    uint8_t key_bytes[1 + 2 * TPM2_MAX_ECC_KEY_BYTES + TPM2_MAX_RSA_KEY_BYTES];
    size_t key_len = 0;
    uint32_t exponent = 0;
    const TPMT_PUBLIC *area = &ek_public.publicArea;
    if (area->type == TPM2_ALG_RSA) {
        size_t width = area->parameters.rsaDetail.keyBits / 8u;
        if (area->unique.rsa.size == 0 || area->unique.rsa.size > width || width > TPM2_MAX_RSA_KEY_BYTES) {
            set_detail(detail, detail_len, "the TPM returned an RSA EK whose modulus has %u bytes",
                       (unsigned)area->unique.rsa.size);
            return LNK_ERR_DEVICE;
        }
        write_left_padded(key_bytes, width, area->unique.rsa.buffer, area->unique.rsa.size);
        key_len = width;
        exponent = area->parameters.rsaDetail.exponent == 0 ? 65537u : area->parameters.rsaDetail.exponent;
    } else {
        size_t width = spec->kind == LNK_EK_ECC_P384 ? 48u : 32u;
        const TPMS_ECC_POINT *point = &area->unique.ecc;
        if (point->x.size == 0 || point->x.size > width || point->y.size == 0 || point->y.size > width) {
            set_detail(detail, detail_len, "the TPM returned an ECC EK whose point does not fit %s", spec->name);
            return LNK_ERR_DEVICE;
        }
        key_bytes[0] = 0x04;
        write_left_padded(key_bytes + 1, width, point->x.buffer, point->x.size);
        write_left_padded(key_bytes + 1 + width, width, point->y.buffer, point->y.size);
        key_len = 1 + 2 * width;
    }

    output outputs[] = {
        {public_area, public_area_len, area_bytes, area_len},
        {public_key, public_key_len, key_bytes, key_len},
    };
    status = write_outputs(outputs, 2, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }
    *rsa_exponent = exponent;
    *source = found_source;
    set_detail(detail, detail_len, "%s EK from %s", spec->name,
               found_source == LNK_EK_SOURCE_PERSISTENT ? "its persistent handle"
               : found_source == LNK_EK_SOURCE_NV_TEMPLATE ? "the NV template" : "the default template");
    return LNK_OK;
}

LNK_API lnk_status lnk_ek_certificate(lnk_context *ctx, uint32_t ek_kind, uint8_t *certificate,
                                      size_t *certificate_len, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || certificate == NULL || certificate_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    const ek_spec *spec = NULL;
    lnk_status status = check_ek_kind(ek_kind, &spec, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    uint8_t contents[LNK_EK_CERTIFICATE_MAX + 5];
    size_t length = 0;
    status = read_nv(ctx, spec->certificate_index, contents, sizeof(contents), &length, detail, detail_len);
    if (status == LNK_ERR_NOT_FOUND) {
        set_detail(detail, detail_len, "no %s EK certificate: NV index 0x%08x is not defined or not written",
                   spec->name, (unsigned)spec->certificate_index);
        return status;
    }
    if (status != LNK_OK) {
        return status;
    }

    size_t offset = 0;
    size_t cert_len = 0;
    if (lnk_ek_cert_locate(contents, length, &offset, &cert_len) != 0) {
        set_detail(detail, detail_len, "NV index 0x%08x holds %zu bytes that are not a DER certificate",
                   (unsigned)spec->certificate_index, length);
        return LNK_ERR_DEVICE;
    }
    output outputs[] = {{certificate, certificate_len, contents + offset, cert_len}};
    status = write_outputs(outputs, 1, detail, detail_len);
    if (status == LNK_OK) {
        set_detail(detail, detail_len, "%s EK certificate from NV 0x%08x%s", spec->name,
                   (unsigned)spec->certificate_index, offset != 0 ? " (TCG header stripped)" : "");
    }
    return status;
}

#define LNK_EK_CHAIN_FIRST 0x01c00100u
#define LNK_EK_CHAIN_LAST 0x01c001ffu

LNK_API lnk_status lnk_ek_chain(lnk_context *ctx, uint8_t *certificates, size_t *certificates_len, char *detail,
                                size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || certificates == NULL || certificates_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPMI_YES_NO more = TPM2_NO;
    TPMS_CAPABILITY_DATA *handles = NULL;
    TSS2_RC rc = Esys_GetCapability(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, TPM2_CAP_HANDLES,
                                    LNK_EK_CHAIN_FIRST, LNK_EK_CHAIN_LAST - LNK_EK_CHAIN_FIRST + 1, &more, &handles);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(device_status(rc), rc, "listing the EK chain's NV indices", detail, detail_len);
    }

    uint8_t *chain = malloc(LNK_EK_CHAIN_MAX);
    if (chain == NULL) {
        Esys_Free(handles);
        set_detail(detail, detail_len, "out of memory");
        return LNK_ERR_INTERNAL;
    }
    size_t chain_len = 0;
    size_t needed = 0;
    int count = 0;
    lnk_status status = LNK_OK;
    for (UINT32 i = 0; i < handles->data.handles.count; i++) {
        TPM2_HANDLE index = handles->data.handles.handle[i];
        if (index < LNK_EK_CHAIN_FIRST || index > LNK_EK_CHAIN_LAST) {
            break; /* the list is sorted and continues past our range */
        }
        uint8_t contents[LNK_EK_CERTIFICATE_MAX + 5];
        size_t length = 0;
        status = read_nv(ctx, index, contents, sizeof(contents), &length, detail, detail_len);
        if (status == LNK_ERR_NOT_FOUND) {
            status = LNK_OK; /* defined but never written: not part of the chain */
            continue;
        }
        if (status != LNK_OK) {
            break;
        }
        size_t offset = 0;
        size_t cert_len = 0;
        if (lnk_ek_cert_locate(contents, length, &offset, &cert_len) != 0) {
            set_detail(detail, detail_len, "EK chain NV index 0x%08x holds %zu bytes that are not a DER certificate",
                       (unsigned)index, length);
            status = LNK_ERR_DEVICE;
            break;
        }
        needed += cert_len;
        if (chain_len + cert_len <= LNK_EK_CHAIN_MAX) {
            memcpy(chain + chain_len, contents + offset, cert_len);
            chain_len += cert_len;
        }
        count++;
    }
    Esys_Free(handles);
    if (status == LNK_OK && needed > LNK_EK_CHAIN_MAX) {
        set_detail(detail, detail_len, "the EK chain in NV has %zu bytes, more than the %u this shim reads", needed,
                   LNK_EK_CHAIN_MAX);
        status = LNK_ERR_DEVICE;
    }
    if (status == LNK_OK) {
        output outputs[] = {{certificates, certificates_len, chain, chain_len}};
        status = write_outputs(outputs, 1, detail, detail_len);
        if (status == LNK_OK) {
            set_detail(detail, detail_len, "%d EK chain certificate(s) in NV", count);
        }
    }
    free(chain);
    return status;
}

LNK_API lnk_status lnk_create_ak(lnk_context *ctx, uint8_t *blob, size_t *blob_len, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || blob == NULL || blob_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPM2B_PUBLIC template;
    ak_template(&template);
    uint8_t buffer[LNK_MAX_BLOB];
    size_t offset = 0;
    lnk_status status = create_blob_under_srk(ctx, &template, buffer, &offset, "creating the attestation key",
                                              "marshalling the attestation key blob", detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    output outputs[] = {{blob, blob_len, buffer, offset}};
    status = write_outputs(outputs, 1, detail, detail_len);
    if (status == LNK_OK) {
        set_detail(detail, detail_len, "attestation key created under the storage root key");
    }
    return status;
}

LNK_API lnk_status lnk_ak_public(lnk_context *ctx, const uint8_t *ak_blob, size_t ak_blob_len, uint8_t *public_area,
                                 size_t *public_area_len, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || ak_blob == NULL || public_area == NULL || public_area_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    TPM2B_PUBLIC pub;
    TPM2B_PRIVATE priv;
    lnk_status status = parse_blob(ak_blob, ak_blob_len, LNK_BLOB_ATTESTATION_KEY, &pub, &priv, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    /* Loading is the point: the TPM proves the blob is its own before we publish the AK. */
    status = load_operation_key(ctx, LNK_AK_SLOT, &pub, &priv, "attestation key", detail, detail_len);
    end_operation(ctx);
    if (status != LNK_OK) {
        return status;
    }

    uint8_t area_bytes[sizeof(TPMT_PUBLIC)];
    size_t area_len = 0;
    status = marshal_public_area(&pub.publicArea, area_bytes, sizeof(area_bytes), &area_len, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }
    output outputs[] = {{public_area, public_area_len, area_bytes, area_len}};
    status = write_outputs(outputs, 1, detail, detail_len);
    if (status == LNK_OK) {
        set_detail(detail, detail_len, "attestation key loaded");
    }
    return status;
}

/* Starts a policy session and satisfies PolicySecret(TPM_RH_ENDORSEMENT) in it with the endorsement hierarchy's
 * (empty) auth value. */
static lnk_status start_endorsement_policy(lnk_context *ctx, TPMI_ALG_HASH hash, ESYS_TR *session, char *detail,
                                           size_t detail_len)
{
    TPMT_SYM_DEF symmetric;
    memset(&symmetric, 0, sizeof(symmetric));
    symmetric.algorithm = TPM2_ALG_NULL;
    TSS2_RC rc = Esys_StartAuthSession(ctx->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
                                       ESYS_TR_NONE, NULL, TPM2_SE_POLICY, &symmetric, hash, session);
    if (rc != TSS2_RC_SUCCESS) {
        *session = ESYS_TR_NONE;
        return fail_rc(device_status(rc), rc, "starting the EK's policy session", detail, detail_len);
    }
    rc = Esys_PolicySecret(ctx->esys, ESYS_TR_RH_ENDORSEMENT, *session, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                           NULL, NULL, NULL, 0, NULL, NULL);
    if (rc != TSS2_RC_SUCCESS) {
        return fail_rc(device_status(rc), rc, "PolicySecret(TPM_RH_ENDORSEMENT) for the EK", detail, detail_len);
    }
    return LNK_OK;
}

/* Whether the EK's authPolicy is PolicySecret(TPM_RH_ENDORSEMENT), the one policy this shim satisfies. */
static int is_policy_a(const TPMT_PUBLIC *area)
{
    if (area->nameAlg == TPM2_ALG_SHA256) {
        return area->authPolicy.size == sizeof(s_policy_a_sha256) &&
               memcmp(area->authPolicy.buffer, s_policy_a_sha256, sizeof(s_policy_a_sha256)) == 0;
    }
    if (area->nameAlg == TPM2_ALG_SHA384) {
        return area->authPolicy.size == sizeof(s_policy_a_sha384) &&
               memcmp(area->authPolicy.buffer, s_policy_a_sha384, sizeof(s_policy_a_sha384)) == 0;
    }
    return 0;
}

LNK_API lnk_status lnk_activate_credential(lnk_context *ctx, uint32_t ek_kind, const uint8_t *ak_blob,
                                           size_t ak_blob_len, const uint8_t *credential_blob,
                                           size_t credential_blob_len, const uint8_t *encrypted_secret,
                                           size_t encrypted_secret_len, uint8_t *credential, size_t *credential_len,
                                           char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || ak_blob == NULL || credential_blob == NULL || encrypted_secret == NULL ||
        credential == NULL || credential_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    const ek_spec *spec = NULL;
    lnk_status status = check_ek_kind(ek_kind, &spec, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    TPM2B_ID_OBJECT id_object;
    memset(&id_object, 0, sizeof(id_object));
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPM2B_ID_OBJECT_Unmarshal(credential_blob, credential_blob_len, &offset, &id_object);
    if (rc != TSS2_RC_SUCCESS || offset != credential_blob_len) {
        set_detail(detail, detail_len,
                   "the credential blob is not one marshalled TPM2B_ID_OBJECT (%zu bytes, %zu used: %s)",
                   credential_blob_len, offset, rc != TSS2_RC_SUCCESS ? Tss2_RC_Decode(rc) : "bytes left over");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    TPM2B_ENCRYPTED_SECRET secret;
    memset(&secret, 0, sizeof(secret));
    offset = 0;
    rc = Tss2_MU_TPM2B_ENCRYPTED_SECRET_Unmarshal(encrypted_secret, encrypted_secret_len, &offset, &secret);
    if (rc != TSS2_RC_SUCCESS || offset != encrypted_secret_len) {
        set_detail(detail, detail_len,
                   "the encrypted secret is not one marshalled TPM2B_ENCRYPTED_SECRET (%zu bytes, %zu used: %s)",
                   encrypted_secret_len, offset, rc != TSS2_RC_SUCCESS ? Tss2_RC_Decode(rc) : "bytes left over");
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPM2B_PUBLIC ak_pub;
    TPM2B_PRIVATE ak_priv;
    status = parse_blob(ak_blob, ak_blob_len, LNK_BLOB_ATTESTATION_KEY, &ak_pub, &ak_priv, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    /* swtpm has three object slots: the SRK, the AK and a created EK need all of them. The machine key is loaded
     * again on its next use. */
    release_key(ctx);

    ESYS_TR session = ESYS_TR_NONE;
    ESYS_TR ek = ESYS_TR_NONE;
    int ek_persistent = 0;
    TPM2B_DIGEST *activated = NULL;

    status = load_operation_key(ctx, LNK_AK_SLOT, &ak_pub, &ak_priv, "attestation key", detail, detail_len);
    if (status != LNK_OK) {
        goto done;
    }
    TPM2B_PUBLIC ek_public;
    uint32_t source = 0;
    status = acquire_ek(ctx, spec, &ek, &ek_public, &source, detail, detail_len);
    if (status != LNK_OK) {
        goto done;
    }
    ek_persistent = source == LNK_EK_SOURCE_PERSISTENT;

    /* keyHandle is authorised in the USER role. With userWithAuth set (high range) the empty auth value does it;
     * with it clear (low range) only the authPolicy can, and that must be the one policy we know how to satisfy. */
    ESYS_TR ek_auth = ESYS_TR_PASSWORD;
    if ((ek_public.publicArea.objectAttributes & TPMA_OBJECT_USERWITHAUTH) == 0) {
        if (!is_policy_a(&ek_public.publicArea)) {
            set_detail(detail, detail_len,
                       "the %s EK needs a policy session, and its authPolicy is not PolicySecret(TPM_RH_ENDORSEMENT)",
                       spec->name);
            status = LNK_ERR_NOT_SUPPORTED;
            goto done;
        }
        status = start_endorsement_policy(ctx, ek_public.publicArea.nameAlg, &session, detail, detail_len);
        if (status != LNK_OK) {
            goto done;
        }
        ek_auth = session;
    }

    rc = Esys_ActivateCredential(ctx->esys, ctx->operation[LNK_AK_SLOT], ek, ESYS_TR_PASSWORD, ek_auth, ESYS_TR_NONE,
                                 &id_object, &secret, &activated);
    if (rc != TSS2_RC_SUCCESS) {
        TPM2_RC code = tpm_code(rc);
        if (code != 0 && is_parameter_error(code)) {
            /* Both parameters are the caller's credential: an integrity failure, a secret that does not decrypt
             * (another EK), a point off the curve, a size that does not fit. */
            status = fail_rc(LNK_ERR_CREDENTIAL_REJECTED, rc,
                             "the TPM refused the credential (made for another EK or AK, or altered)", detail,
                             detail_len);
        } else {
            status = fail_rc(device_status(rc), rc, "TPM2_ActivateCredential", detail, detail_len);
        }
        goto done;
    }
    output outputs[] = {{credential, credential_len, activated->buffer, activated->size}};
    status = write_outputs(outputs, 1, detail, detail_len);
    if (status == LNK_OK) {
        set_detail(detail, detail_len, "credential activated with the %s EK", spec->name);
    }

done:
    if (activated != NULL) {
        /* The credential is a secret of the server's: do not leave it in freed memory. */
        memset(activated->buffer, 0, sizeof(activated->buffer));
        Esys_Free(activated);
    }
    release_session(ctx, &session);
    if (ek_persistent) {
        (void)Esys_TR_Close(ctx->esys, &ek);
    }
    end_operation(ctx);
    return status;
}

LNK_API lnk_status lnk_certify(lnk_context *ctx, const uint8_t *ak_blob, size_t ak_blob_len, const uint8_t *key_blob,
                               size_t key_blob_len, const uint8_t *nonce, size_t nonce_len, uint8_t *attest,
                               size_t *attest_len, uint8_t *signature, size_t *signature_len,
                               uint8_t *key_public_area, size_t *key_public_area_len, char *detail, size_t detail_len)
{
    set_detail(detail, detail_len, "%s", "");
    if (!valid_context(ctx) || ak_blob == NULL || key_blob == NULL || attest == NULL || attest_len == NULL ||
        signature == NULL || signature_len == NULL || key_public_area == NULL || key_public_area_len == NULL) {
        set_detail(detail, detail_len, "a required argument is NULL");
        return LNK_ERR_INVALID_ARGUMENT;
    }
    if (nonce == NULL || nonce_len < LNK_NONCE_MIN || nonce_len > LNK_NONCE_MAX) {
        set_detail(detail, detail_len, "the nonce must have %u to %u bytes, got %zu", LNK_NONCE_MIN, LNK_NONCE_MAX,
                   nonce == NULL ? (size_t)0 : nonce_len);
        return LNK_ERR_INVALID_ARGUMENT;
    }

    TPM2B_PUBLIC ak_pub;
    TPM2B_PRIVATE ak_priv;
    lnk_status status =
        parse_blob(ak_blob, ak_blob_len, LNK_BLOB_ATTESTATION_KEY, &ak_pub, &ak_priv, detail, detail_len);
    if (status != LNK_OK) {
        return status;
    }

    TPM2B_DATA qualifying;
    memset(&qualifying, 0, sizeof(qualifying));
    qualifying.size = (UINT16)nonce_len;
    memcpy(qualifying.buffer, nonce, nonce_len);
    TPMT_SIG_SCHEME scheme;
    memset(&scheme, 0, sizeof(scheme));
    scheme.scheme = TPM2_ALG_NULL; /* the AK's own scheme: ECDSA with SHA-256 */

    TPM2B_ATTEST *certify_info = NULL;
    TPMT_SIGNATURE *tpm_signature = NULL;
    for (int attempt = 0;; attempt++) {
        /* The machine key first (it may already be the cached one), then the AK: flush_stale_transients spares
         * both, and the SRK, the key and the AK fit swtpm's three slots. */
        status = ensure_key(ctx, key_blob, key_blob_len, detail, detail_len);
        if (status != LNK_OK) {
            goto done;
        }
        status = load_operation_key(ctx, LNK_AK_SLOT, &ak_pub, &ak_priv, "attestation key", detail, detail_len);
        if (status == LNK_OK && ctx->key == ESYS_TR_NONE) {
            /* Loading the AK found the TPM reset and dropped the stale machine key: load it again. */
            status = ensure_key(ctx, key_blob, key_blob_len, detail, detail_len);
        }
        if (status != LNK_OK) {
            goto done;
        }
        TSS2_RC rc = Esys_Certify(ctx->esys, ctx->key, ctx->operation[LNK_AK_SLOT], ESYS_TR_PASSWORD,
                                  ESYS_TR_PASSWORD, ESYS_TR_NONE, &qualifying, &scheme, &certify_info,
                                  &tpm_signature);
        if (rc == TSS2_RC_SUCCESS) {
            break;
        }
        end_operation(ctx);
        if (attempt == 0 && is_handle_gone(rc)) {
            /* The cached machine key predates a TPM reset: load everything again once. */
            release_key(ctx);
            release_srk(ctx);
            continue;
        }
        status = fail_rc(device_status(rc), rc, "TPM2_Certify of the machine key by the attestation key", detail,
                         detail_len);
        goto done;
    }

    if (tpm_signature->sigAlg != TPM2_ALG_ECDSA || tpm_signature->signature.ecdsa.signatureR.size > LNK_P256_BYTES ||
        tpm_signature->signature.ecdsa.signatureS.size > LNK_P256_BYTES) {
        set_detail(detail, detail_len, "the TPM returned a certify signature that is not P-256 ECDSA");
        status = LNK_ERR_DEVICE;
        goto done;
    }
    uint8_t der[LNK_DER_ECDSA_P256_MAX];
    size_t der_len = lnk_der_ecdsa_signature(
        tpm_signature->signature.ecdsa.signatureR.buffer, tpm_signature->signature.ecdsa.signatureR.size,
        tpm_signature->signature.ecdsa.signatureS.buffer, tpm_signature->signature.ecdsa.signatureS.size, der,
        sizeof(der));
    if (der_len == 0) {
        set_detail(detail, detail_len, "the certify signature does not encode as DER");
        status = LNK_ERR_INTERNAL;
        goto done;
    }

    uint8_t area_bytes[sizeof(TPMT_PUBLIC)];
    size_t area_len = 0;
    status = marshal_public_area(&ctx->key_public.publicArea, area_bytes, sizeof(area_bytes), &area_len, detail,
                                 detail_len);
    if (status != LNK_OK) {
        goto done;
    }

    output outputs[] = {
        {attest, attest_len, certify_info->attestationData, certify_info->size},
        {signature, signature_len, der, der_len},
        {key_public_area, key_public_area_len, area_bytes, area_len},
    };
    status = write_outputs(outputs, 3, detail, detail_len);
    if (status == LNK_OK) {
        set_detail(detail, detail_len, "machine key certified by the attestation key");
    }

done:
    Esys_Free(certify_info);
    Esys_Free(tpm_signature);
    end_operation(ctx);
    return status;
}
