// SHA-256 block compression with the x86 SHA extensions (SHA256RNDS2, SHA256MSG1, SHA256MSG2), used by
// MailParser's SHA256 when the processor has them; the portable Swift code is the reference and the fallback.
#include "csha256.h"

// FIPS 180-4's 64 round constants, for both this code and MailParser's portable Swift.
static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t *hamlet_sha256_round_constants(void) { return round_constants; }

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

int hamlet_sha256_hardware_available(void) {
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    int sha = (ebx >> 29) & 1;
    return ssse3 && sse41 && sha;
}


// The instructions keep the state in two registers: lanes 3..0 hold (A, B, E, F) and (C, D, G, H).
// SHA256RNDS2 runs two rounds with the low two lanes of its third operand (message word + round constant).
__attribute__((target("sha,sse4.1,ssse3")))
void hamlet_sha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t count) {
    const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i abcd = _mm_loadu_si128((const __m128i *)&state[0]);  // lanes 0..3: A B C D
    __m128i efgh = _mm_loadu_si128((const __m128i *)&state[4]);  // lanes 0..3: E F G H
    __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);                // B A D C
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);                // H G F E
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);               // F E B A
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0);            // H G D C

    for (size_t block = 0; block < count; block++, data += 64) {
        const __m128i saved_abef = abef, saved_cdgh = cdgh;
        __m128i words[4];  // the message schedule, four words a group, group g in words[g % 4]
        for (int group = 0; group < 16; group++) {
            __m128i current;
            if (group < 4) {
                current = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * group)), byte_swap);
            } else {
                // W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time.
                __m128i partial = _mm_sha256msg1_epu32(words[group % 4], words[(group + 1) % 4]);
                partial = _mm_add_epi32(partial, _mm_alignr_epi8(words[(group + 3) % 4], words[(group + 2) % 4], 4));
                current = _mm_sha256msg2_epu32(partial, words[(group + 3) % 4]);
            }
            words[group % 4] = current;
            __m128i sum = _mm_add_epi32(current, _mm_loadu_si128((const __m128i *)&round_constants[4 * group]));
            // Two rounds: the new (A, B, E, F) goes to cdgh, whose old contents are spent, and the old (A, B, E, F)
            // in abef is now (C, D, G, H). Two more with the upper lanes put the roles back.
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, sum);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(sum, 0x0E));
        }
        abef = _mm_add_epi32(abef, saved_abef);
        cdgh = _mm_add_epi32(cdgh, saved_cdgh);
    }

    __m128i abef_in_order = _mm_shuffle_epi32(abef, 0x1B);      // A B E F
    __m128i ghcd = _mm_shuffle_epi32(cdgh, 0xB1);                // G H C D
    abcd = _mm_blend_epi16(abef_in_order, ghcd, 0xF0);           // A B C D
    efgh = _mm_alignr_epi8(ghcd, abef_in_order, 8);              // E F G H
    _mm_storeu_si128((__m128i *)&state[0], abcd);
    _mm_storeu_si128((__m128i *)&state[4], efgh);
}

#else

int hamlet_sha256_hardware_available(void) { return 0; }
void hamlet_sha256_hardware_blocks(uint32_t state[8], const uint8_t *data, size_t count) {
    (void)state; (void)data; (void)count;
}

#endif
