/* DER encoding of an ECDSA-Sig-Value (RFC 3279: SEQUENCE { INTEGER r, INTEGER s }). */
#ifndef LNK_DER_H
#define LNK_DER_H

#include <stddef.h>
#include <stdint.h>

/* The largest encoding for P-256: two 33-byte INTEGERs (a 0x00 pad before a high bit) plus headers. */
#define LNK_DER_ECDSA_P256_MAX 72u

/*
 * Encodes r and s (unsigned big-endian, any length up to 32 bytes each, leading zeros allowed) into out.
 * Returns the encoded length, or 0 when an input is longer than 32 bytes or out_cap is too small.
 */
size_t lnk_der_ecdsa_signature(const uint8_t *r, size_t r_len, const uint8_t *s, size_t s_len,
                               uint8_t *out, size_t out_cap);

#endif /* LNK_DER_H */
