#ifndef HAMLET_CSHA256_H
#define HAMLET_CSHA256_H
#include <stddef.h>
#include <stdint.h>

/// SHA-256's 64 round constants (FIPS 180-4, 4.2.2).
const uint32_t *hamlet_sha256_round_constants(void);

/// 1 when this processor has the SHA extensions (and the SSSE3 and SSE4.1 they are used with), else 0.
int hamlet_sha256_hardware_available(void);

/// Runs SHA-256's compression function over `count` whole 64-byte blocks at `data`, updating the eight state
/// words (a..h, as in FIPS 180-4) in place, with the SHA extensions. Call only when
/// hamlet_sha256_hardware_available() returned 1.
void hamlet_sha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t count);

#endif
