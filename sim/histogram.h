/* histogram.h - a fixed-size log-linear latency histogram.
 *
 * Values are microseconds.  Values below 128 us have a bucket each (exact);
 * above that every power of two is split into 64 equal buckets, so a
 * bucket is never wider than 1/64 of its lower bound.  A quantile is
 * reported as the middle of its bucket (clamped to the exact min and max),
 * which bounds its relative error, against the exact nearest-rank
 * quantile of the recorded values, by
 *
 *     |estimate - exact| / exact  <  1/128  (0.79 %)
 *
 * for values up to 2^36 - 1 us (19 h 5 min); larger values are counted in
 * the top bucket (their quantiles lose the bound; min, max and mean stay
 * exact).  The mean comes from an exact 128-bit running sum.
 *
 * The struct is embeddable and owns no memory (about 16 KB, all counts);
 * recording is a few instructions: the bucket comes from the highest set
 * bit and the six bits below it, no log().  Histograms merge by adding.
 */
#ifndef SIM_HISTOGRAM_H
#define SIM_HISTOGRAM_H

#include <glib.h>

/* Buckets per power of two: 2^SUB_BITS. */
#define SIM_HISTOGRAM_SUB_BITS 6
/* Values below 2^MAX_BITS us keep the error bound. */
#define SIM_HISTOGRAM_MAX_BITS 36
#define SIM_HISTOGRAM_BUCKETS \
    ((SIM_HISTOGRAM_MAX_BITS - SIM_HISTOGRAM_SUB_BITS + 1) \
     << SIM_HISTOGRAM_SUB_BITS)
/* The relative error bound on quantiles stated above. */
#define SIM_HISTOGRAM_MAX_REL_ERROR (1.0 / (2 << SIM_HISTOGRAM_SUB_BITS))

typedef struct SimHistogram SimHistogram;

/* Read the fields through the functions below; they are public only so
 * that the struct can be embedded. */
struct SimHistogram {
    guint64 count;
    guint64 sum_lo; /* the sum of all values, 128 bits */
    guint64 sum_hi;
    gint64 min; /* G_MAXINT64 while empty */
    gint64 max; /* 0 while empty */
    guint64 buckets[SIM_HISTOGRAM_BUCKETS];
};

/* An embedded histogram owns no memory: _init makes it empty, and
 * nothing needs doing before its memory is freed. */
void sim_histogram_init (SimHistogram *h);
/* _init for a histogram whose memory is all zero bytes already (from
 * g_new0): the same empty histogram, without clearing 16 KB again (a
 * world holds a dozen; an experiment makes a world per replication). */
void sim_histogram_init_zeroed (SimHistogram *h);
/* Forget every value. */
void sim_histogram_reset (SimHistogram *h);

/* Record one value, >= 0 (a negative value is a programming error). */
void sim_histogram_record (SimHistogram *h, gint64 value_us);
/* Add every value of @src to @dst (same as recording them into @dst). */
void sim_histogram_merge (SimHistogram *dst, const SimHistogram *src);

/* Take out of @h the values of @earlier, an earlier copy of @h (a
 * window's values: what came since).  Exact for the counts, the sum and
 * so the mean; min and max become the bounds of the outermost non-empty
 * buckets (kept within the old ones), so quantiles keep their bound. */
void sim_histogram_subtract (SimHistogram *h, const SimHistogram *earlier);

guint64 sim_histogram_count (const SimHistogram *h);
/* The exact mean (from the running sum), NaN when empty. */
double sim_histogram_mean (const SimHistogram *h);
/* The exact smallest and largest values, 0 when empty. */
gint64 sim_histogram_min (const SimHistogram *h);
gint64 sim_histogram_max (const SimHistogram *h);
/* The @q quantile (0 <= q <= 1) in usec: an estimate of the nearest-rank
 * value (the ceil(q * count)-th smallest), within the bound above; q = 0
 * and q = 1 give the exact min and max.  NaN when empty. */
double sim_histogram_quantile (const SimHistogram *h, double q);
/* The @n quantiles @q[] (ascending) into @out[], as _quantile() gives
 * each, in one walk over the buckets. */
void sim_histogram_quantiles (const SimHistogram *h, guint n, const double *q,
                              double *out);

#endif /* SIM_HISTOGRAM_H */
