/* dist.h - probability distributions of durations, as written in
 * scenario files.
 *
 *   const(5s)          always 5 s
 *   exp(20ms)          exponential with mean 20 ms
 *   uniform(2s,8s)     uniform between 2 s and 8 s
 *   normal(1s,200ms)   normal with that mean and sd, truncated at 0
 *   lognormal(1s,500ms)  lognormal whose *value* has that mean and sd
 *   erlang(k,mean)     sum of k exponentials with total mean (k integer)
 *
 * A bare duration ("5s") means const(5s).  Parameters are durations (at
 * most 1000000h), so a SimDist samples SimTime values (microseconds,
 * rounded to the nearest, never negative).  Sampling allocates nothing.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <glib.h>
#include "units.h"
#include "rng.h"

typedef enum {
    SIM_DIST_CONST,
    SIM_DIST_EXP,
    SIM_DIST_UNIFORM,
    SIM_DIST_NORMAL,
    SIM_DIST_LOGNORMAL,
    SIM_DIST_ERLANG,
    SIM_DIST_NEVER, /* never ends (a key's word, like pull = fail):
                       never sampled */
} SimDistKind;

typedef struct SimDist {
    SimDistKind kind;
    double a;     /* const: value; exp: mean; uniform: low; normal and
                     lognormal: mean; erlang: total mean (all in usec) */
    double b;     /* uniform: high; normal and lognormal: sd; erlang: k */
    double mu;    /* lognormal: mean of log, precomputed */
    double sigma; /* lognormal: sd of log, precomputed */
} SimDist;

/* Parse @s into @out.  FALSE with @error naming the accepted forms. */
gboolean sim_dist_parse (const char *s, SimDist *out, GError **error);
/* The canonical text (parseable again).  Newly allocated. */
char *sim_dist_format (const SimDist *d);
/* One sample, >= 0. */
SimTime sim_dist_sample (const SimDist *d, SimRng *rng);
/* The mean of the distribution (before truncation at 0), usec. */
double sim_dist_mean (const SimDist *d);
/* A constant distribution of @t. */
SimDist sim_dist_const (SimTime t);

#endif /* SIM_DIST_H */
