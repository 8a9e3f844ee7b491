/* sha256.c - SHA-256 as FIPS 180-4 defines it (see sha256.h).
 *
 * Where the instructions go: the 64 rounds of a block, unrolled so that
 * the working variables stay in registers and the message schedule in a
 * 16-word ring with constant indices.  Each sigma is written as nested
 * rotations, ROR (ROR (ROR (x, 9) ^ x, 11) ^ x, 2) for ROR (x, 2) ^
 * ROR (x, 13) ^ ROR (x, 22), which x86 does without copies of x; Maj as
 * b ^ ((a ^ b) & (b ^ c)), whose b ^ c is the previous round's a ^ b.
 * About 2,800 instructions a block, GChecksum's 3,400.
 *
 * Invariant: block holds the first length % 64 bytes of a block.
 */
#include "sha256.h"

#include <string.h>

static const guint32 k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
/* ROR (x, 2) ^ ROR (x, 13) ^ ROR (x, 22) */
#define SIGMA0(x) ROR (ROR (ROR (x, 9) ^ (x), 11) ^ (x), 2)
/* ROR (x, 6) ^ ROR (x, 11) ^ ROR (x, 25) */
#define SIGMA1(x) ROR (ROR (ROR (x, 14) ^ (x), 5) ^ (x), 6)
/* ROR (x, 7) ^ ROR (x, 18) ^ (x >> 3) */
#define SMALL0(x) (ROR (ROR (x, 11) ^ (x), 7) ^ ((x) >> 3))
/* ROR (x, 17) ^ ROR (x, 19) ^ (x >> 10) */
#define SMALL1(x) (ROR (ROR (x, 2) ^ (x), 17) ^ ((x) >> 10))
#define CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define MAJ(a, b, c) ((b) ^ (((a) ^ (b)) & ((b) ^ (c))))

/* Message word i: the block's own for i < 16, then the schedule's. */
#define W_LOAD(i) w[i]
#define W_NEXT(i) \
    (w[(i) &15] += SMALL1 (w[((i) -2) & 15]) + w[((i) -7) & 15] \
                   + SMALL0 (w[((i) -15) & 15]))

/* Round i; the caller rotates the variables' names instead of their
 * values. */
#define ROUND(a, b, c, d, e, f, g, h, i, W) \
    do { \
        guint32 t1 = (h) + SIGMA1 (e) + CH (e, f, g) + k[i] + W (i); \
        (d) += t1; \
        (h) = t1 + SIGMA0 (a) + MAJ (a, b, c); \
    } while (0)

#define ROUNDS8(i, W) \
    do { \
        ROUND (a, b, c, d, e, f, g, h, (i) + 0, W); \
        ROUND (h, a, b, c, d, e, f, g, (i) + 1, W); \
        ROUND (g, h, a, b, c, d, e, f, (i) + 2, W); \
        ROUND (f, g, h, a, b, c, d, e, (i) + 3, W); \
        ROUND (e, f, g, h, a, b, c, d, (i) + 4, W); \
        ROUND (d, e, f, g, h, a, b, c, (i) + 5, W); \
        ROUND (c, d, e, f, g, h, a, b, (i) + 6, W); \
        ROUND (b, c, d, e, f, g, h, a, (i) + 7, W); \
    } while (0)

/* Hash @n whole blocks at @p into @st. */
static void
transform (guint32 st[8], const guint8 *p, gsize n)
{
    for (; n > 0; n--, p += 64) {
        guint32 w[16];
        guint32 a = st[0], b = st[1], c = st[2], d = st[3];
        guint32 e = st[4], f = st[5], g = st[6], h = st[7];

        for (gint i = 0; i < 16; i++) {
            guint32 be;

            memcpy (&be, p + 4 * i, 4);
            w[i] = GUINT32_FROM_BE (be);
        }
        ROUNDS8 (0, W_LOAD);
        ROUNDS8 (8, W_LOAD);
        ROUNDS8 (16, W_NEXT);
        ROUNDS8 (24, W_NEXT);
        ROUNDS8 (32, W_NEXT);
        ROUNDS8 (40, W_NEXT);
        ROUNDS8 (48, W_NEXT);
        ROUNDS8 (56, W_NEXT);
        st[0] += a;
        st[1] += b;
        st[2] += c;
        st[3] += d;
        st[4] += e;
        st[5] += f;
        st[6] += g;
        st[7] += h;
    }
}

void
sim_sha256_init (SimSha256 *s)
{
    static const guint32 initial[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                        0xa54ff53a, 0x510e527f, 0x9b05688c,
                                        0x1f83d9ab, 0x5be0cd19 };

    memcpy (s->h, initial, sizeof initial);
    s->length = 0;
}

void
sim_sha256_update (SimSha256 *s, const void *data, gsize len)
{
    const guint8 *p = data;
    gsize fill = s->length % 64;

    s->length += len;
    if (fill > 0) {
        gsize n = MIN (len, 64 - fill);

        memcpy (s->block + fill, p, n);
        if (fill + n < 64)
            return;
        transform (s->h, s->block, 1);
        p += n;
        len -= n;
    }
    /* Whole blocks straight from the data, no copy. */
    transform (s->h, p, len / 64);
    memcpy (s->block, p + (len & ~(gsize) 63), len % 64);
}

void
sim_sha256_hex (SimSha256 *s, char hex[SIM_SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    guint64 bits = s->length * 8;
    guint8 pad[64 + 8] = { 0x80 };
    /* 0x80, zeros up to 56 mod 64, then the length in bits. */
    gsize n = (s->length % 64 < 56 ? 56 : 120) - s->length % 64;

    for (gint i = 0; i < 8; i++)
        pad[n + (gsize) i] = (guint8) (bits >> (56 - 8 * i));
    sim_sha256_update (s, pad, n + 8);
    for (gint i = 0; i < 32; i++) {
        guint8 byte = (guint8) (s->h[i / 4] >> (24 - 8 * (i % 4)));

        hex[2 * i] = digits[byte >> 4];
        hex[2 * i + 1] = digits[byte & 15];
    }
    hex[SIM_SHA256_HEX_LEN] = '\0';
}

char *
sim_sha256_string (const char *text)
{
    SimSha256 s;
    char hex[SIM_SHA256_HEX_LEN + 1];

    sim_sha256_init (&s);
    sim_sha256_update (&s, text, strlen (text));
    sim_sha256_hex (&s, hex);
    return g_strdup (hex);
}
