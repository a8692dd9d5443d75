/*
 * launcher_native.h: the one C ABI that every key-hardware shim implements.
 *
 *   macOS  native/macos  Swift over CryptoKit (Secure Enclave), exported with @_cdecl
 *   Linux  native/linux  C over tpm2-tss ESAPI (TPM 2.0)
 *
 * Rules of the boundary:
 *   - Every function returns an lnk_status. No exception, Swift error or longjmp crosses it.
 *   - Every output buffer is owned by the caller. On input *len holds the buffer's capacity; on LNK_OK it holds
 *     the bytes written; on LNK_ERR_BUFFER_TOO_SMALL it holds the size needed and nothing was written.
 *   - A context is used by one thread at a time (the C# side holds a lock around every call).
 *   - Text written to `detail` buffers is NUL-terminated UTF-8, truncated to fit, and never contains secrets.
 *
 * Key blobs (opaque to the caller, persisted by it, useless on another machine):
 *   Secure Enclave: CryptoKit's dataRepresentation of SecureEnclave.P256.Signing.PrivateKey.
 *   TPM: a marshalled TPM2B_PUBLIC immediately followed by a marshalled TPM2B_PRIVATE (each starts with its own
 *        big-endian uint16 size), loadable (tpm2_load) under the storage root key: persistent handle 0x81000001 when present, otherwise
 *        the primary re-created from the fixed ECC P-256 template documented in docs/identity.md.
 *
 * Public keys are uncompressed SEC1 points (0x04 || X || Y, 65 bytes) on P-256.
 * Signatures are ECDSA over the given SHA-256 digest, DER-encoded (SEQUENCE { INTEGER r, INTEGER s }).
 *
 * Attestation (ABI 2, TPM only; the Secure Enclave shim answers every lnk_ek_*, lnk_*_ak, lnk_activate_credential
 * and lnk_certify call with LNK_ERR_NOT_SUPPORTED): the primitives a fleet server needs to learn that the machine
 * key lives in this very TPM. The endorsement key (EK) and its certificate name the TPM and its maker; an
 * attestation key (AK) is bound to the EK by credential activation; the AK certifies the machine key
 * (TPM2_Certify). Every transient object and session such a call loads or starts is flushed before it returns, on
 * every path. docs/identity.md, "Attestation", has the templates, handles and the reasons.
 */
#ifndef LAUNCHER_NATIVE_H
#define LAUNCHER_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LNK_ABI_VERSION 2u

typedef int32_t lnk_status;

#define LNK_OK                    0
#define LNK_ERR_INVALID_ARGUMENT  1  /* a null pointer, a wrong digest length, an unknown flag */
#define LNK_ERR_BUFFER_TOO_SMALL  2  /* *len now holds the size needed */
#define LNK_ERR_UNAVAILABLE       3  /* no hardware here (no Secure Enclave, no TPM reachable) */
#define LNK_ERR_KEY_INVALID       4  /* the blob is corrupt, truncated, or belongs to another device or a reset TPM */
#define LNK_ERR_NOT_PERMITTED     5  /* the hardware refused: e.g. errSecInteractionNotAllowed before first unlock */
#define LNK_ERR_DEVICE            6  /* the hardware answered with an error not covered above */
#define LNK_ERR_INTERNAL          7  /* a bug or an allocation failure inside the shim */
#define LNK_ERR_NOT_FOUND         8  /* the object asked for does not exist: e.g. no EK certificate in NV */
#define LNK_ERR_NOT_SUPPORTED     9  /* this shim or this hardware cannot do it: the Secure Enclave has no EK, a TPM
                                        without the EK's curve, an EK whose authPolicy the shim cannot satisfy */
#define LNK_ERR_CREDENTIAL_REJECTED 10 /* TPM2_ActivateCredential refused the credential: it was made for another
                                          EK or another AK name, or it was altered (TPM_RC_INTEGRITY and kin) */

/* Accessibility of a created key. Only the Secure Enclave shim distinguishes them; the TPM ignores the flag. */
#define LNK_ACCESS_ALWAYS                  1u  /* kSecAttrAccessibleAlways: usable before any login (daemon key) */
#define LNK_ACCESS_AFTER_FIRST_UNLOCK      2u  /* kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly (user key) */

/*
 * Endorsement key kinds (TCG EK Credential Profile 2.x). For each the shim uses the persistent EK when the handle
 * holds a key of that kind, otherwise it creates the EK as a transient primary in the endorsement hierarchy from the
 * profile's template (for the low range: the template in NV and the nonce in NV when the manufacturer stored them)
 * and flushes it after the call.
 */
#define LNK_EK_RSA_2048  1u  /* low range, template L-1: certificate NV 0x01c00002, persistent 0x81010001 */
#define LNK_EK_ECC_P256  2u  /* low range, template L-2: certificate NV 0x01c0000a, persistent 0x81010002 */
#define LNK_EK_ECC_P384  3u  /* high range, template H-3: certificate NV 0x01c00016, persistent 0x81010016 */

/* Where lnk_ek_public found the EK. */
#define LNK_EK_SOURCE_PERSISTENT   1u  /* the persistent handle of its kind */
#define LNK_EK_SOURCE_TEMPLATE     2u  /* created from the profile's default template */
#define LNK_EK_SOURCE_NV_TEMPLATE  3u  /* created from the template (and nonce) the manufacturer stored in NV */

/* Size limits of the attestation outputs: a buffer of this size always suffices. */
#define LNK_PUBLIC_AREA_MAX        640u   /* a marshalled TPMT_PUBLIC (an RSA-2048 EK is about 310 bytes) */
#define LNK_EK_PUBLIC_KEY_MAX      512u   /* an RSA modulus or an uncompressed ECC point */
#define LNK_EK_CERTIFICATE_MAX     4096u  /* a DER EK certificate */
#define LNK_EK_CHAIN_MAX           16384u /* the certificates of the EK chain in NV, together */
#define LNK_ATTEST_MAX             1024u  /* a marshalled TPMS_ATTEST */
#define LNK_CREDENTIAL_MAX         64u    /* an activated credential (a TPM2B_DIGEST's contents) */
#define LNK_NONCE_MIN              16u    /* TPM2_Certify's qualifying data: at least 16 bytes ... */
#define LNK_NONCE_MAX              64u    /* ... and at most sizeof(TPMU_HA) */

typedef struct lnk_context lnk_context;

/* The ABI version the library implements; the caller refuses a library whose version differs from its own. */
uint32_t lnk_abi_version(void);

/*
 * Opens a context. `config` is shim specific and may be NULL for the default:
 *   TPM: a TCTI configuration string, e.g. "device:/dev/tpmrm0" (default) or "swtpm:host=127.0.0.1,port=2321".
 *   Secure Enclave: ignored.
 * On failure *out is NULL and `detail` says why.
 */
lnk_status lnk_open(const char *config, lnk_context **out, char *detail, size_t detail_len);

/* Closes a context and releases everything it holds. NULL is accepted. */
void lnk_close(lnk_context *ctx);

/* LNK_OK when the hardware can create and use keys now; otherwise the reason in `detail`. */
lnk_status lnk_available(lnk_context *ctx, char *detail, size_t detail_len);

/* Creates a new P-256 signing key in the hardware and writes its blob. */
lnk_status lnk_create_key(lnk_context *ctx, uint32_t access_flags,
                          uint8_t *blob, size_t *blob_len,
                          char *detail, size_t detail_len);

/* Loads the blob and writes its public key (65 bytes). LNK_ERR_KEY_INVALID when the hardware rejects the blob. */
lnk_status lnk_public_key(lnk_context *ctx, const uint8_t *blob, size_t blob_len,
                          uint8_t *public_key, size_t *public_key_len,
                          char *detail, size_t detail_len);

/* Signs a 32-byte SHA-256 digest with the key in the blob; writes a DER signature (at most 72 bytes). */
lnk_status lnk_sign_digest(lnk_context *ctx, const uint8_t *blob, size_t blob_len,
                           const uint8_t *digest, size_t digest_len,
                           uint8_t *signature, size_t *signature_len,
                           char *detail, size_t detail_len);

/* ---------------------------------------------------------------------------------------------------------------
 * Attestation (ABI 2). On LNK_ERR_BUFFER_TOO_SMALL every length argument of the call holds the size its output
 * needs (the LNK_*_MAX constants above always suffice) and nothing was written.
 * ------------------------------------------------------------------------------------------------------------- */

/*
 * Reads the EK of `ek_kind` (LNK_EK_*). Writes:
 *   public_area  the EK's TPMT_PUBLIC as the TPM marshals it (no TPM2B size prefix); its name is
 *                nameAlg || H_nameAlg(public_area), the name a credential must be made for;
 *   public_key   the key, ready for a SubjectPublicKeyInfo: RSA the big-endian modulus (256 bytes), ECC the
 *                uncompressed point 0x04 || X || Y with X and Y left-padded to the curve size (65 or 97 bytes);
 *   *rsa_exponent  RSA: the public exponent (65537 where the area says 0); ECC: 0;
 *   *source      LNK_EK_SOURCE_*.
 * LNK_ERR_NOT_SUPPORTED when the TPM lacks the algorithm or curve; LNK_ERR_NOT_PERMITTED when the endorsement
 * hierarchy has an auth value (the shim uses the empty one).
 */
lnk_status lnk_ek_public(lnk_context *ctx, uint32_t ek_kind,
                         uint8_t *public_area, size_t *public_area_len,
                         uint8_t *public_key, size_t *public_key_len,
                         uint32_t *rsa_exponent, uint32_t *source,
                         char *detail, size_t detail_len);

/*
 * Reads the EK certificate of `ek_kind` from its NV index and writes the DER certificate: a TCG NV header
 * (10 01 00 || BE16 length) is stripped when present, and bytes after the certificate's outer DER SEQUENCE (NV
 * padding) are cut. LNK_ERR_NOT_FOUND when the index is not defined or was never written; LNK_ERR_DEVICE when its
 * contents are not a DER SEQUENCE.
 */
lnk_status lnk_ek_certificate(lnk_context *ctx, uint32_t ek_kind,
                              uint8_t *certificate, size_t *certificate_len,
                              char *detail, size_t detail_len);

/*
 * Reads the EK certificate chain the TPM maker stored in NV (EK Credential Profile: NV indices 0x01c00100 to
 * 0x01c001ff, one DER certificate each, a TCG NV header stripped and NV padding cut as for the EK certificate) and
 * writes the certificates concatenated in index order; each is a self-delimiting DER SEQUENCE. LNK_OK with
 * *certificates_len = 0 when there are none (the usual case: most makers publish their intermediates instead).
 * LNK_ERR_DEVICE when an index holds something that is not a DER certificate.
 */
lnk_status lnk_ek_chain(lnk_context *ctx, uint8_t *certificates, size_t *certificates_len,
                        char *detail, size_t detail_len);

/*
 * Creates an attestation key under the storage root key, beside the machine key, and writes its blob (the machine
 * key's blob format): a restricted ECDSA P-256 / SHA-256 signing key with fixedTPM | fixedParent |
 * sensitiveDataOrigin | userWithAuth | noDA | restricted | sign (0x00050472), empty auth value and policy.
 */
lnk_status lnk_create_ak(lnk_context *ctx, uint8_t *blob, size_t *blob_len, char *detail, size_t detail_len);

/*
 * Loads an AK blob (LNK_ERR_KEY_INVALID when the TPM rejects it or it is not a restricted signing key) and writes
 * its TPMT_PUBLIC as marshalled by the TPM; the AK's name is 0x000B || SHA-256(public_area).
 */
lnk_status lnk_ak_public(lnk_context *ctx, const uint8_t *ak_blob, size_t ak_blob_len,
                         uint8_t *public_area, size_t *public_area_len,
                         char *detail, size_t detail_len);

/*
 * TPM2_ActivateCredential: the AK (activateHandle, empty password) and the EK of `ek_kind` (keyHandle, authorised
 * as its template requires: a policy session with PolicySecret(TPM_RH_ENDORSEMENT) when userWithAuth is clear, as
 * in the low-range templates; the empty password when it is set, as in the high range). `credential_blob` is a
 * marshalled TPM2B_ID_OBJECT and `encrypted_secret` a marshalled TPM2B_ENCRYPTED_SECRET, each with its BE16 size
 * prefix (what TPM2_MakeCredential returns, and what `tpm2_makecredential -o` writes after its 8-byte header).
 * Writes the decrypted credential (at most 64 bytes). LNK_ERR_CREDENTIAL_REJECTED when the TPM refuses it.
 */
lnk_status lnk_activate_credential(lnk_context *ctx, uint32_t ek_kind,
                                   const uint8_t *ak_blob, size_t ak_blob_len,
                                   const uint8_t *credential_blob, size_t credential_blob_len,
                                   const uint8_t *encrypted_secret, size_t encrypted_secret_len,
                                   uint8_t *credential, size_t *credential_len,
                                   char *detail, size_t detail_len);

/*
 * TPM2_Certify of the machine key (`key_blob`, as lnk_create_key made it) by the AK (`ak_blob`) over `nonce`
 * (qualifyingData, LNK_NONCE_MIN to LNK_NONCE_MAX bytes). Writes:
 *   attest           the TPMS_ATTEST the TPM signed (the contents of TPM2B_ATTEST: magic 0xff544347, type 0x8017,
 *                    qualifiedSigner, extraData = nonce, clockInfo, firmwareVersion, certified name and qualified
 *                    name);
 *   signature        the AK's ECDSA P-256 signature over SHA-256(attest), DER (SEQUENCE { INTEGER r, INTEGER s });
 *   key_public_area  the machine key's TPMT_PUBLIC as marshalled by the TPM: the certified name is
 *                    0x000B || SHA-256(key_public_area).
 */
lnk_status lnk_certify(lnk_context *ctx, const uint8_t *ak_blob, size_t ak_blob_len,
                       const uint8_t *key_blob, size_t key_blob_len,
                       const uint8_t *nonce, size_t nonce_len,
                       uint8_t *attest, size_t *attest_len,
                       uint8_t *signature, size_t *signature_len,
                       uint8_t *key_public_area, size_t *key_public_area_len,
                       char *detail, size_t detail_len);


/*
 * TPM only (the Secure Enclave shim does not export it): the fixed properties an admin asks about, read with
 * TPM2_GetCapability(TPM2_CAP_TPM_PROPERTIES): TPM2_PT_MANUFACTURER (four ASCII bytes, big-endian, e.g. "IBM\0",
 * "INTC", "IFX\0") and TPM2_PT_FIRMWARE_VERSION_1 and _2. Added without an ABI version change: callers look it up
 * only on Linux.
 */
lnk_status lnk_tpm_properties(lnk_context *ctx, uint32_t *manufacturer,
                              uint32_t *firmware_version_1, uint32_t *firmware_version_2,
                              char *detail, size_t detail_len);

#ifdef __cplusplus
}
#endif

#endif /* LAUNCHER_NATIVE_H */
