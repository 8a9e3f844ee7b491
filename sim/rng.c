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

void
sim_rng_init (SimRng *rng, guint64 seed, guint64 stream)
{
    guint64 sm;

    g_return_if_fail (rng != NULL);

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

double
sim_rng_exp (SimRng *rng, double mean)
{
    return -mean * log (sim_rng_uniform_pos (rng));
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
