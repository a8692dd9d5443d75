#include "der.h"

#include <string.h>

/* Writes one DER INTEGER for an unsigned big-endian value; returns the bytes written. The caller sized out. */
static size_t put_unsigned_integer(const uint8_t *value, size_t len, uint8_t *out)
{
    /* DER wants the minimal two's-complement form: no redundant leading zeros, but a 0x00 in front of a
     * set high bit so the number stays positive. Zero is one 0x00 byte. */
    while (len > 0 && value[0] == 0) {
        value++;
        len--;
    }

    size_t pad = (len == 0 || (value[0] & 0x80u) != 0) ? 1u : 0u;
    out[0] = 0x02;
    out[1] = (uint8_t)(len + pad);
    if (pad) {
        out[2] = 0x00;
    }
    if (len > 0) {
        memcpy(out + 2 + pad, value, len);
    }
    return 2 + pad + len;
}

static size_t integer_length(const uint8_t *value, size_t len)
{
    while (len > 0 && value[0] == 0) {
        value++;
        len--;
    }
    size_t pad = (len == 0 || (value[0] & 0x80u) != 0) ? 1u : 0u;
    return 2 + pad + len;
}

size_t lnk_der_ecdsa_signature(const uint8_t *r, size_t r_len, const uint8_t *s, size_t s_len,
                               uint8_t *out, size_t out_cap)
{
    if (r == NULL || s == NULL || out == NULL || r_len > 32 || s_len > 32) {
        return 0;
    }

    size_t body = integer_length(r, r_len) + integer_length(s, s_len);
    size_t total = 2 + body; /* body is at most 70: the short length form always suffices */
    if (total > out_cap) {
        return 0;
    }

    out[0] = 0x30;
    out[1] = (uint8_t)body;
    size_t offset = 2;
    offset += put_unsigned_integer(r, r_len, out + offset);
    offset += put_unsigned_integer(s, s_len, out + offset);
    return offset;
}
