/* histogram.c - log-linear bucketing, merging and quantiles.
 *
 * Bucket layout, with M = SIM_HISTOGRAM_SUB_BITS: a value v < 2^(M+1) is
 * its own bucket; otherwise, with b the index of v's highest set bit and
 * shift = b - M, the bucket is (shift << M) + (v >> shift).  v >> shift
 * lies in [2^M, 2^(M+1)), so each power of two adds 2^M consecutive
 * buckets of width 2^shift, and a bucket's width over its lower bound is
 * at most 2^-M.  The two cases are one formula once b is taken as at
 * least M, which is how bucket_index() computes it without a branch.
 *
 * Invariant: count is the sum of buckets[], and min, max and the 128-bit
 * sum describe exactly the values counted.
 */
#include "histogram.h"

#include <math.h>
#include <string.h>

#define SUB_COUNT (G_GUINT64_CONSTANT (1) << SIM_HISTOGRAM_SUB_BITS)
#define TOP_VALUE ((G_GUINT64_CONSTANT (1) << SIM_HISTOGRAM_MAX_BITS) - 1)

static inline guint
highest_bit (guint64 v)
{
#if defined(__GNUC__) || defined(__clang__)
    return 63u - (guint) __builtin_clzll (v);
#else
    guint b = 0;

    while (v >>= 1)
        b++;
    return b;
#endif
}

static inline guint
bucket_index (guint64 v)
{
    guint shift;

    if (G_UNLIKELY (v > TOP_VALUE))
        v = TOP_VALUE;
    shift = highest_bit (v | SUB_COUNT) - SIM_HISTOGRAM_SUB_BITS;
    return (shift << SIM_HISTOGRAM_SUB_BITS) + (guint) (v >> shift);
}

/* The smallest value of bucket @i and its width. */
static void
bucket_range (guint i, guint64 *lower, guint64 *width)
{
    guint shift;

    if (i < 2 * SUB_COUNT) {
        *lower = i;
        *width = 1;
        return;
    }
    shift = (i >> SIM_HISTOGRAM_SUB_BITS) - 1;
    *lower = ((guint64) i - ((guint64) shift << SIM_HISTOGRAM_SUB_BITS))
             << shift;
    *width = G_GUINT64_CONSTANT (1) << shift;
}

void
sim_histogram_init (SimHistogram *h)
{
    g_return_if_fail (h != NULL);

    memset (h, 0, sizeof *h);
    h->min = G_MAXINT64;
}

void
sim_histogram_init_zeroed (SimHistogram *h)
{
    g_return_if_fail (h != NULL);

    h->min = G_MAXINT64;
}

/* Every counted value lies between min and max, so only the buckets
 * from min's to max's can be non-zero: merging and resetting touch those
 * alone, which makes merging a window's histogram per sample step cheap
 * (metrics.c records each request once and merges). */
void
sim_histogram_reset (SimHistogram *h)
{
    if (h->count > 0) {
        guint lo = bucket_index ((guint64) h->min);
        guint hi = bucket_index ((guint64) h->max);

        memset (&h->buckets[lo], 0, (hi - lo + 1) * sizeof h->buckets[0]);
    }
    h->count = 0;
    h->sum_lo = h->sum_hi = 0;
    h->min = G_MAXINT64;
    h->max = 0;
}

void
sim_histogram_record (SimHistogram *h, gint64 value_us)
{
    guint64 v;

    g_return_if_fail (value_us >= 0);

    v = (guint64) value_us;
    h->buckets[bucket_index (v)]++;
    h->count++;
    h->sum_lo += v;
    h->sum_hi += h->sum_lo < v;
    if (value_us < h->min)
        h->min = value_us;
    if (value_us > h->max)
        h->max = value_us;
}

void
sim_histogram_merge (SimHistogram *dst, const SimHistogram *src)
{
    g_return_if_fail (dst != NULL);
    g_return_if_fail (src != NULL);

    if (src->count == 0)
        return;
    for (guint i = bucket_index ((guint64) src->min),
               hi = bucket_index ((guint64) src->max);
         i <= hi; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    dst->sum_lo += src->sum_lo;
    dst->sum_hi += src->sum_hi + (dst->sum_lo < src->sum_lo);
    dst->min = MIN (dst->min, src->min);
    dst->max = MAX (dst->max, src->max);
}

void
sim_histogram_subtract (SimHistogram *h, const SimHistogram *earlier)
{
    gint first = -1, last = -1;
    guint64 lower, width;

    g_return_if_fail (h != NULL && earlier != NULL);
    g_return_if_fail (earlier->count <= h->count);
    for (guint i = 0; i < SIM_HISTOGRAM_BUCKETS; i++) {
        g_assert (earlier->buckets[i] <= h->buckets[i]);
        h->buckets[i] -= earlier->buckets[i];
        if (h->buckets[i] > 0) {
            if (first < 0)
                first = (gint) i;
            last = (gint) i;
        }
    }
    h->count -= earlier->count;
    h->sum_hi -= earlier->sum_hi + (h->sum_lo < earlier->sum_lo);
    h->sum_lo -= earlier->sum_lo;
    if (h->count == 0) {
        h->min = G_MAXINT64;
        h->max = 0;
        return;
    }
    bucket_range ((guint) first, &lower, &width);
    h->min = MAX (h->min, (gint64) lower);
    bucket_range ((guint) last, &lower, &width);
    h->max = MIN (h->max, (gint64) (lower + width - 1));
}

guint64
sim_histogram_count (const SimHistogram *h)
{
    return h->count;
}

double
sim_histogram_mean (const SimHistogram *h)
{
    if (h->count == 0)
        return NAN;
    return (ldexp ((double) h->sum_hi, 64) + (double) h->sum_lo)
           / (double) h->count;
}

gint64
sim_histogram_min (const SimHistogram *h)
{
    return h->count == 0 ? 0 : h->min;
}

gint64
sim_histogram_max (const SimHistogram *h)
{
    return h->max;
}

/* The rank of quantile @q (0 < q < 1) in @h, which is not empty. */
static guint64
quantile_rank (const SimHistogram *h, double q)
{
    guint64 rank = (guint64) ceil (q * (double) h->count);

    return CLAMP (rank, 1, h->count);
}

/* The estimate reported for a value in bucket @i of @h. */
static double
bucket_estimate (const SimHistogram *h, guint i)
{
    guint64 lower, width;
    double mid;

    bucket_range (i, &lower, &width);
    /* The middle of the integers lower .. lower + width - 1. */
    mid = (double) lower + (double) (width - 1) / 2.0;
    return CLAMP (mid, (double) h->min, (double) h->max);
}

void
sim_histogram_quantiles (const SimHistogram *h, guint n, const double *q,
                         double *out)
{
    guint64 seen = 0;
    guint i, k = 0;

    g_return_if_fail (h != NULL);

    /* Buckets below min's are empty: the walk starts there, and one
     * walk serves every quantile (@q ascending). */
    i = h->count > 0 ? bucket_index ((guint64) h->min) : 0;
    for (; k < n; k++) {
        guint64 rank;

        if (h->count == 0 || isnan (q[k])) {
            out[k] = NAN;
            continue;
        }
        if (q[k] <= 0.0) {
            out[k] = (double) h->min;
            continue;
        }
        if (q[k] >= 1.0) {
            out[k] = (double) h->max;
            continue;
        }
        rank = quantile_rank (h, q[k]);
        /* rank <= count, all of which the buckets hold: the walk ends
         * before the last bucket is passed; the bound only guards. */
        while (i + 1 < SIM_HISTOGRAM_BUCKETS && seen + h->buckets[i] < rank)
            seen += h->buckets[i++];
        out[k] = bucket_estimate (h, i);
    }
}

double
sim_histogram_quantile (const SimHistogram *h, double q)
{
    double out;

    g_return_val_if_fail (h != NULL, NAN);

    sim_histogram_quantiles (h, 1, &q, &out);
    return out;
}
