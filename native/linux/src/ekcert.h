/* Finding the DER certificate in the contents of an EK certificate NV index (pure, no TPM: unit-tested). */
#ifndef LNK_EKCERT_H
#define LNK_EKCERT_H

#include <stddef.h>
#include <stdint.h>

/*
 * `data` is what an EK certificate NV index holds: a DER certificate, possibly behind the TCG NV header
 * 10 01 00 || BE16 length (the PC Client platform's "compressed" certificate header), possibly followed by padding
 * up to the index size. On success returns 0 and sets *offset and *length to the certificate's DER bytes (its
 * outer SEQUENCE, header to end). Returns -1 when the header's length disagrees with the data, when no DER SEQUENCE
 * with a definite length starts there, or when the SEQUENCE runs past the data.
 */
int lnk_ek_cert_locate(const uint8_t *data, size_t data_len, size_t *offset, size_t *length);

#endif /* LNK_EKCERT_H */
