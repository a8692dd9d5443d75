/* Checks lnk_der_ecdsa_signature against hand-made encodings: minimal INTEGERs, sign padding, zero. */
#include "der.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;

static void expect(const char *name, const uint8_t *r, size_t r_len, const uint8_t *s, size_t s_len,
                   const uint8_t *expected, size_t expected_len)
{
    uint8_t out[LNK_DER_ECDSA_P256_MAX];
    size_t n = lnk_der_ecdsa_signature(r, r_len, s, s_len, out, sizeof(out));
    if (n != expected_len || memcmp(out, expected, n) != 0) {
        fprintf(stderr, "FAIL %s: got %zu bytes, expected %zu\n", name, n, expected_len);
        failures++;
    }
}

int main(void)
{
    uint8_t one[1] = {0x01};
    uint8_t high[1] = {0x80};
    uint8_t zeros[3] = {0x00, 0x00, 0x7f};
    uint8_t zero[2] = {0x00, 0x00};

    const uint8_t e1[] = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};
    expect("small", one, 1, one, 1, e1, sizeof(e1));

    const uint8_t e2[] = {0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x01};
    expect("high bit padded", high, 1, one, 1, e2, sizeof(e2));

    const uint8_t e3[] = {0x30, 0x06, 0x02, 0x01, 0x7f, 0x02, 0x01, 0x00};
    expect("leading zeros stripped, zero", zeros, 3, zero, 2, e3, sizeof(e3));

    uint8_t full[32];
    memset(full, 0xff, sizeof(full));
    uint8_t out[LNK_DER_ECDSA_P256_MAX];
    size_t n = lnk_der_ecdsa_signature(full, 32, full, 32, out, sizeof(out));
    if (n != 72 || out[1] != 70 || out[3] != 33 || out[4] != 0x00) {
        fprintf(stderr, "FAIL maximum size: %zu\n", n);
        failures++;
    }
    if (lnk_der_ecdsa_signature(full, 32, full, 32, out, 71) != 0) {
        fprintf(stderr, "FAIL small buffer accepted\n");
        failures++;
    }
    uint8_t too_long[33] = {0};
    if (lnk_der_ecdsa_signature(too_long, 33, one, 1, out, sizeof(out)) != 0) {
        fprintf(stderr, "FAIL 33-byte input accepted\n");
        failures++;
    }

    if (failures == 0) {
        printf("der: all passed\n");
    }
    return failures == 0 ? 0 : 1;
}
