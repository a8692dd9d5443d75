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
 */
#ifndef LAUNCHER_NATIVE_H
#define LAUNCHER_NATIVE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LNK_ABI_VERSION 1u

typedef int32_t lnk_status;

#define LNK_OK                    0
#define LNK_ERR_INVALID_ARGUMENT  1  /* a null pointer, a wrong digest length, an unknown flag */
#define LNK_ERR_BUFFER_TOO_SMALL  2  /* *len now holds the size needed */
#define LNK_ERR_UNAVAILABLE       3  /* no hardware here (no Secure Enclave, no TPM reachable) */
#define LNK_ERR_KEY_INVALID       4  /* the blob is corrupt, truncated, or belongs to another device or a reset TPM */
#define LNK_ERR_NOT_PERMITTED     5  /* the hardware refused: e.g. errSecInteractionNotAllowed before first unlock */
#define LNK_ERR_DEVICE            6  /* the hardware answered with an error not covered above */
#define LNK_ERR_INTERNAL          7  /* a bug or an allocation failure inside the shim */

/* Accessibility of a created key. Only the Secure Enclave shim distinguishes them; the TPM ignores the flag. */
#define LNK_ACCESS_ALWAYS                  1u  /* kSecAttrAccessibleAlways: usable before any login (daemon key) */
#define LNK_ACCESS_AFTER_FIRST_UNLOCK      2u  /* kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly (user key) */

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
