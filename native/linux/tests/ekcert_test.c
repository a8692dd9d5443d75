/* Checks lnk_ek_cert_locate: plain DER, the TCG NV header, NV padding, and everything that must be refused. */
#include "ekcert.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;

static void expect_found(const char *name, const uint8_t *data, size_t len, size_t want_offset, size_t want_length)
{
    size_t offset = 99;
    size_t length = 99;
    int rc = lnk_ek_cert_locate(data, len, &offset, &length);
    if (rc != 0 || offset != want_offset || length != want_length) {
        fprintf(stderr, "FAIL %s: rc %d offset %zu length %zu, expected offset %zu length %zu\n", name, rc, offset,
                length, want_offset, want_length);
        failures++;
    }
}

static void expect_refused(const char *name, const uint8_t *data, size_t len)
{
    size_t offset = 0;
    size_t length = 0;
    if (lnk_ek_cert_locate(data, len, &offset, &length) != -1) {
        fprintf(stderr, "FAIL %s: accepted (offset %zu length %zu)\n", name, offset, length);
        failures++;
    }
}

int main(void)
{
    /* A short-form SEQUENCE of 3 content bytes. */
    const uint8_t plain[] = {0x30, 0x03, 0x02, 0x01, 0x05};
    expect_found("plain", plain, sizeof(plain), 0, 5);

    /* NV padding after the certificate is cut off. */
    const uint8_t padded[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0xFF, 0xFF, 0x00};
    expect_found("padded", padded, sizeof(padded), 0, 5);

    /* The TCG header 10 01 00 || BE16 length, itself followed by padding. */
    const uint8_t header[] = {0x10, 0x01, 0x00, 0x00, 0x05, 0x30, 0x03, 0x02, 0x01, 0x05, 0xFF};
    expect_found("tcg header", header, sizeof(header), 5, 5);

    /* A long-form length, as every real certificate has: 30 82 01 00 + 256 bytes. */
    static uint8_t big[4 + 256 + 7];
    memset(big, 0xAB, sizeof(big));
    big[0] = 0x30;
    big[1] = 0x82;
    big[2] = 0x01;
    big[3] = 0x00;
    expect_found("long form", big, sizeof(big), 0, 260);
    expect_refused("long form truncated", big, 259);

    /* The header declares more bytes than there are. */
    const uint8_t short_header[] = {0x10, 0x01, 0x00, 0x00, 0x09, 0x30, 0x03, 0x02, 0x01, 0x05};
    expect_refused("header longer than data", short_header, sizeof(short_header));

    /* The header's length cuts the certificate short. */
    const uint8_t cut_header[] = {0x10, 0x01, 0x00, 0x00, 0x03, 0x30, 0x03, 0x02, 0x01, 0x05};
    expect_refused("header shorter than certificate", cut_header, sizeof(cut_header));

    const uint8_t not_sequence[] = {0x31, 0x03, 0x02, 0x01, 0x05};
    expect_refused("not a SEQUENCE", not_sequence, sizeof(not_sequence));

    const uint8_t indefinite[] = {0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00};
    expect_refused("indefinite length", indefinite, sizeof(indefinite));

    const uint8_t non_minimal[] = {0x30, 0x81, 0x03, 0x02, 0x01, 0x05};
    expect_refused("non-minimal long form", non_minimal, sizeof(non_minimal));

    const uint8_t erased[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    expect_refused("erased NV", erased, sizeof(erased));

    expect_refused("empty", plain, 0);
    expect_refused("one byte", plain, 1);

    size_t offset = 0;
    size_t length = 0;
    if (lnk_ek_cert_locate(NULL, 5, &offset, &length) != -1) {
        fprintf(stderr, "FAIL NULL data accepted\n");
        failures++;
    }

    if (failures == 0) {
        printf("ekcert: all passed\n");
    }
    return failures == 0 ? 0 : 1;
}
