#include "ekcert.h"

/* The length of the DER TLV at data (tag, length octets and contents), or 0 when it is not a definite-length
 * SEQUENCE that fits in data_len. Long-form lengths of up to 3 octets: a certificate in NV is a few KiB at most. */
static size_t der_sequence_length(const uint8_t *data, size_t data_len)
{
    if (data_len < 2 || data[0] != 0x30) {
        return 0;
    }
    size_t header = 2;
    size_t content = data[1];
    if (content & 0x80u) {
        size_t octets = content & 0x7Fu;
        if (octets == 0 || octets > 3 || data_len < 2 + octets) {
            return 0; /* indefinite length (not DER) or absurdly long */
        }
        content = 0;
        for (size_t i = 0; i < octets; i++) {
            content = (content << 8) | data[2 + i];
        }
        if (content < 0x80u) {
            return 0; /* DER uses the short form for these */
        }
        header += octets;
    }
    if (content > data_len - header) {
        return 0;
    }
    return header + content;
}

int lnk_ek_cert_locate(const uint8_t *data, size_t data_len, size_t *offset, size_t *length)
{
    if (data == NULL || offset == NULL || length == NULL) {
        return -1;
    }
    size_t start = 0;
    size_t limit = data_len;
    if (data_len >= 5 && data[0] == 0x10 && data[1] == 0x01 && data[2] == 0x00) {
        size_t declared = ((size_t)data[3] << 8) | data[4];
        if (declared > data_len - 5) {
            return -1;
        }
        start = 5;
        limit = 5 + declared;
    }
    size_t found = der_sequence_length(data + start, limit - start);
    if (found == 0) {
        return -1;
    }
    *offset = start;
    *length = found;
    return 0;
}
