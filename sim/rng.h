/* rng.h - independent, reproducible random streams.
 *
 * Each purpose (arrivals, service times, pod start-up, ...) has its own
 * stream, derived from the scenario seed and a stream id through
 * splitmix64, so two strategies run with one seed see the same arrivals
 * (common random numbers) and adding draws to one stream never shifts
 * another.  The generator is xoshiro256** (Blackman and Vigna): 32 bytes
 * of state, a few cycles a draw, no allocation.
 */
#ifndef SIM_RNG_H
#define SIM_RNG_H

#include <glib.h>

typedef struct SimRng {
    guint64 s[4];
} SimRng;

/* Stream ids: one per purpose.  Append new ones at the end only, so old
 * scenarios keep their numbers. */
typedef enum {
    SIM_STREAM_ARRIVALS = 1,
    SIM_STREAM_SERVICE,
    SIM_STREAM_STARTUP,
    SIM_STREAM_ERRORS,
    SIM_STREAM_BALANCER,
    SIM_STREAM_FAULTS,
    SIM_STREAM_PULL,
    SIM_STREAM_PREVIEW,
    SIM_STREAM_ANALYSIS,
    SIM_STREAM_ROUTING,
    SIM_STREAM_CHAOS,     /* which pods the timeline's delete-pods picks */
    SIM_STREAM_PROBES,    /* each pod's probe tick phases */
    SIM_STREAM_HANG,      /* when containers hang (hang_after) */
    SIM_STREAM_PROVISION, /* the cluster autoscaler's new nodes */
    SIM_STREAM_USERS,     /* which user sends each request */
    SIM_STREAM_TICKS,     /* a controller's ticker phase (Flagger) */
    SIM_STREAM_MIRROR,    /* which requests a mesh mirrors */
} SimStream;

/* Seed @rng for stream @stream of the scenario seed @seed. */
void sim_rng_init (SimRng *rng, guint64 seed, guint64 stream);

/* The scenario seed of replication @i of an experiment on the scenario
 * seed @seed (docs/experiments.md): @seed itself for replication 0 (what
 * `rollsim run` uses), else output i of a splitmix64 generator started
 * at @seed, mix64 (@seed + i * 0x9e3779b97f4a7c15).  The same for every
 * variant (common random numbers); the replications of two seeds never
 * share a seed unless i - j is the inverse of that constant modulo 2^64
 * (about 10^19), so `--vary scenario.seed=1,2` gives independent runs,
 * and nothing wraps. */
guint64 sim_rng_replication_seed (guint64 seed, guint64 i);

/* The next 64 bits.  Inline: requests draw several numbers each. */
static inline guint64
sim_rng_rotl (guint64 x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline guint64
sim_rng_next (SimRng *rng)
{
    guint64 *s = rng->s;
    const guint64 result = sim_rng_rotl (s[1] * 5, 7) * 9;
    const guint64 t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim_rng_rotl (s[3], 45);
    return result;
}

/* The value the next sim_rng_next() will return, without drawing it (a
 * hint for prefetching: the stream does not move). */
static inline guint64
sim_rng_peek (const SimRng *rng)
{
    return sim_rng_rotl (rng->s[1] * 5, 7) * 9;
}

/* The same for the @n-th draw from now (n >= 1). */
static inline guint64
sim_rng_peek_ahead (const SimRng *rng, gint n)
{
    SimRng ahead = *rng;

    while (--n > 0)
        sim_rng_next (&ahead);
    return sim_rng_peek (&ahead);
}

/* Uniform in [0, 1), 53 bits. */
double sim_rng_uniform (SimRng *rng);
/* Uniform in (0, 1]: safe for log(). */
double sim_rng_uniform_pos (SimRng *rng);
/* Uniform integer in [0, n), n > 0, unbiased. */
static inline guint32 sim_rng_below (SimRng *rng, guint32 n);
/* The rare rejection step of sim_rng_below (@m: the first product). */
guint32 sim_rng_below_slow (SimRng *rng, guint32 n, guint64 m);

/* Lemire's multiply-and-reject: the top 32 bits of a 32x32 product are
 * the answer; the few products whose low half falls under 2^32 mod n are
 * the biased ones and are drawn again.  Inline, with the modulo and the
 * redraw out of line: a request draws its user, its route and its pod
 * this way. */
static inline guint32
sim_rng_below (SimRng *rng, guint32 n)
{
    guint64 m = (sim_rng_next (rng) >> 32) * (guint64) n;

    if (G_UNLIKELY ((guint32) m < n))
        return sim_rng_below_slow (rng, n, m);
    return (guint32) (m >> 32);
}
/* Exponential with the given mean (a ziggurat: rng.c). */
double sim_rng_exp (SimRng *rng, double mean);
/* Standard normal (Marsaglia polar method; deterministic, no cached
 * spare so the stream position depends only on the number of calls). */
double sim_rng_normal (SimRng *rng);
/* TRUE with probability p. */
gboolean sim_rng_bernoulli (SimRng *rng, double p);

#endif /* SIM_RNG_H */
