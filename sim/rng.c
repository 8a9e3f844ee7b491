/* rng.c - xoshiro256** streams seeded through splitmix64.
 *
 * A stream is a SimRng value the caller owns; this file keeps no state of
 * its own.  Seeding hashes the scenario seed and the stream id separately
 * through the splitmix64 finaliser and feeds their combination to a
 * splitmix64 generator that fills the four state words, as the xoshiro
 * authors recommend: nearby seeds and stream ids give unrelated streams,
 * and the state is never all zero.  Every function consumes a fixed or
 * a data-independent number of draws per call except the rejection loops
 * (below, normal), whose retries depend only on the stream itself, so
 * a run is reproducible bit for bit.
 */
#include "rng.h"

#include <math.h>

#define GOLDEN_GAMMA G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)

/* The splitmix64 output function (Steele, Lea and Flood): a bijection
 * with good avalanche. */
static inline guint64
mix64 (guint64 z)
{
    z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static inline guint64
splitmix64_next (guint64 *state)
{
    *state += GOLDEN_GAMMA;
    return mix64 (*state);
}

static void zig_init (void);
static gsize tables_ready;

void
sim_rng_init (SimRng *rng, guint64 seed, guint64 stream)
{
    guint64 sm;

    g_return_if_fail (rng != NULL);

    if (g_once_init_enter (&tables_ready)) {
        zig_init ();
        g_once_init_leave (&tables_ready, 1);
    }

    /* Hash the stream id before combining, so (seed, stream) and
     * (seed + 1, stream - 1) land far apart. */
    sm = mix64 (seed + GOLDEN_GAMMA) ^ mix64 (~stream * GOLDEN_GAMMA);
    /* Four consecutive outputs of a bijection on distinct inputs: at most
     * one can be zero, so the state is never all zero. */
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64_next (&sm);
}

guint64
sim_rng_replication_seed (guint64 seed, guint64 i)
{
    return i == 0 ? seed : mix64 (seed + i * GOLDEN_GAMMA);
}

double
sim_rng_uniform (SimRng *rng)
{
    return (double) (sim_rng_next (rng) >> 11) * 0x1.0p-53;
}

double
sim_rng_uniform_pos (SimRng *rng)
{
    return (double) ((sim_rng_next (rng) >> 11) + 1) * 0x1.0p-53;
}

guint32
sim_rng_below_slow (SimRng *rng, guint32 n, guint64 m)
{
    const guint32 threshold = (guint32) -n % n;
    guint32 low = (guint32) m;

    g_return_val_if_fail (n > 0, 0);
    while (low < threshold) {
        m = (sim_rng_next (rng) >> 32) * (guint64) n;
        low = (guint32) m;
    }
    return (guint32) (m >> 32);
}

/* --- Exponential variates: the ziggurat -----------------------------------
 *
 * Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) for
 * exp(-x), 256 layers of equal area V, here drawn from one 64-bit output:
 * the low 8 bits pick a layer, the top 53 a point across it.  Layer 0 is
 * the base, of width x[0] = V / f(R), whose part beyond R stands for the
 * tail; layer i > 0 spans heights f(x[i]) to f(x[i + 1]) and widths 0 to
 * x[i], with x[i + 1] < x[i] and x[256] = 0.  A point left of x[i + 1]
 * lies under the curve whatever its height: that is 99 % of draws, a
 * multiply and a compare, no log().  Otherwise the point is in the
 * wedge (accepted under the curve, else drawn again) or, for layer 0,
 * in the tail, which is R plus an exponential (memoryless).  Exact up to
 * the 2^-53 grain of the uniform.
 *
 * The tables are computed once, before the first stream is seeded, so
 * any thread that holds a SimRng may draw. */

#define ZIG_LAYERS 256
#define ZIG_R 7.69711747013104972
#define ZIG_V 3.949659822581572e-3

static double zig_x[ZIG_LAYERS + 1]; /* layer widths, x[256] = 0 */
static double zig_f[ZIG_LAYERS + 1]; /* exp(-x[i]) */
static double zig_w[ZIG_LAYERS];     /* x[i] / 2^53 */
static guint64 zig_k[ZIG_LAYERS];    /* 2^53 x[i + 1] / x[i] */

static void
zig_init (void)
{
    zig_x[0] = ZIG_V / exp (-ZIG_R);
    zig_x[1] = ZIG_R;
    for (int i = 1; i < ZIG_LAYERS - 1; i++)
        zig_x[i + 1] = -log (ZIG_V / zig_x[i] + exp (-zig_x[i]));
    zig_x[ZIG_LAYERS] = 0.0;
    for (int i = 0; i <= ZIG_LAYERS; i++)
        zig_f[i] = exp (-zig_x[i]);
    for (int i = 0; i < ZIG_LAYERS; i++) {
        zig_w[i] = zig_x[i] * 0x1.0p-53;
        zig_k[i] = (guint64) (zig_x[i + 1] / zig_x[i] * 0x1.0p53);
    }
}

static double
zig_exp (SimRng *rng)
{
    for (;;) {
        guint64 u = sim_rng_next (rng);
        guint i = (guint) (u & (ZIG_LAYERS - 1));
        guint64 j = u >> 11;
        double x = (double) j * zig_w[i];

        if (G_LIKELY (j < zig_k[i]))
            return x;
        if (i == 0)
            return ZIG_R - log (sim_rng_uniform_pos (rng));
        if (zig_f[i] + sim_rng_uniform (rng) * (zig_f[i + 1] - zig_f[i])
            < exp (-x))
            return x;
    }
}

double
sim_rng_exp (SimRng *rng, double mean)
{
    return mean * zig_exp (rng);
}

double
sim_rng_normal (SimRng *rng)
{
    double u, v, s;

    /* Marsaglia's polar method; the second normal of each pair is thrown
     * away so no hidden spare shifts the stream. */
    do {
        u = 2.0 * sim_rng_uniform (rng) - 1.0;
        v = 2.0 * sim_rng_uniform (rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt (-2.0 * log (s) / s);
}

gboolean
sim_rng_bernoulli (SimRng *rng, double p)
{
    /* Always one draw, even for p = 0 or 1, so the stream position does
     * not depend on the probability. */
    return sim_rng_uniform (rng) < p;
}
