/* downsample.c - min/max bins of a time series (downsample.h).
 *
 * Storage is fixed at creation: max_bins bins of a first and last time,
 * a count and the minimum and maximum of each column.  Nothing is
 * allocated per point.
 */
#include <math.h>
#include <string.h>
#include "downsample.h"

struct SimDownsample {
    guint ncols, max_bins, nbins;
    double t0;    /* the first point's time */
    double width; /* 0 while points are kept one by one */
    guint64 added;
    guint64 last_bin;     /* bin_of the last bin's first time; G_MAXUINT64:
                             not known */
    double *first, *last; /* per bin */
    guint64 *count;       /* per bin */
    double *min, *max;    /* per bin, ncols each */
};

SimDownsample *
sim_downsample_new (guint ncols, guint max_bins)
{
    SimDownsample *d = g_new0 (SimDownsample, 1);

    g_return_val_if_fail (max_bins >= 4, NULL);
    d->ncols = ncols;
    d->max_bins = max_bins;
    d->last_bin = G_MAXUINT64;
    d->first = g_new (double, max_bins);
    d->last = g_new (double, max_bins);
    d->count = g_new (guint64, max_bins);
    d->min = g_new (double, (gsize) max_bins *MAX (ncols, 1));
    d->max = g_new (double, (gsize) max_bins *MAX (ncols, 1));
    return d;
}

void
sim_downsample_free (SimDownsample *d)
{
    if (d == NULL)
        return;
    g_free (d->first);
    g_free (d->last);
    g_free (d->count);
    g_free (d->min);
    g_free (d->max);
    g_free (d);
}

guint64
sim_downsample_added (const SimDownsample *d)
{
    return d->added;
}

gboolean
sim_downsample_exact (const SimDownsample *d)
{
    return d->width == 0;
}

/* The bin index of time @t at the current width (whole part of a
 * positive quotient: floor), at most G_MAXUINT32, far beyond any
 * max_bins (a time 10^12 s on at a width of 10^-9 s would not fit an
 * integer). */
static inline guint64
bin_of (const SimDownsample *d, double t)
{
    double i = (t - d->t0) / d->width;

    return i <= 0 ? 0 : i < G_MAXUINT32 ? (guint64) i : G_MAXUINT32;
}

/* NaN is no value: the other side wins (when @a is NaN, a < b is false
 * and b is taken). */
static inline double
min_of (double a, double b)
{
    return isnan (b) ? a : a < b ? a : b;
}

static inline double
max_of (double a, double b)
{
    return isnan (b) ? a : a > b ? a : b;
}

/* Fold bin @from into bin @into (which comes before it). */
static void
merge_bin (SimDownsample *d, guint into, guint from)
{
    double *imin = d->min + (gsize) into * d->ncols;
    double *imax = d->max + (gsize) into * d->ncols;
    const double *fmin = d->min + (gsize) from * d->ncols;
    const double *fmax = d->max + (gsize) from * d->ncols;

    for (guint c = 0; c < d->ncols; c++) {
        imin[c] = min_of (imin[c], fmin[c]);
        imax[c] = max_of (imax[c], fmax[c]);
    }
    d->last[into] = d->last[from];
    d->count[into] += d->count[from];
}

static void
move_bin (SimDownsample *d, guint to, guint from)
{
    if (to == from)
        return;
    d->first[to] = d->first[from];
    d->last[to] = d->last[from];
    d->count[to] = d->count[from];
    memcpy (d->min + (gsize) to * d->ncols, d->min + (gsize) from * d->ncols,
            d->ncols * sizeof (double));
    memcpy (d->max + (gsize) to * d->ncols, d->max + (gsize) from * d->ncols,
            d->ncols * sizeof (double));
}

/* Gather the bins again at the current width: bins whose first times
 * fall in one bin of the new width merge, in order. */
static void
rebin (SimDownsample *d)
{
    guint out = 0;

    for (guint i = 1; i < d->nbins; i++) {
        if (bin_of (d, d->first[i]) == bin_of (d, d->first[out]))
            merge_bin (d, out, i);
        else
            move_bin (d, ++out, i);
    }
    d->nbins = d->nbins > 0 ? out + 1 : 0;
    d->last_bin = G_MAXUINT64;
}

void
sim_downsample_add (SimDownsample *d, double time, const double *values)
{
    guint b;

    if (d->added++ == 0)
        d->t0 = time;
    if (d->width == 0 && d->nbins == d->max_bins) {
        /* Too many to keep: bins of a width that puts the series so far
         * into half of them. */
        d->width = (time - d->t0) / (d->max_bins / 2);
        if (!(d->width > 0))
            d->width = 1e-9;
        rebin (d);
    }
    if (d->width > 0) {
        guint64 at = bin_of (d, time);

        while (at >= d->max_bins) {
            d->width *= 2;
            rebin (d);
            at = bin_of (d, time);
        }
        /* The last bin's index is kept: it changes only with a new bin
         * or a rebin. */
        if (d->last_bin == G_MAXUINT64 && d->nbins > 0)
            d->last_bin = bin_of (d, d->first[d->nbins - 1]);
        if (d->nbins > 0 && at == d->last_bin) {
            double *mn = d->min + (gsize) (d->nbins - 1) * d->ncols;
            double *mx = d->max + (gsize) (d->nbins - 1) * d->ncols;

            /* min_of and max_of, the NaN test made once for both. */
            for (guint c = 0; c < d->ncols; c++) {
                double v = values[c];

                if (!isnan (v)) {
                    mn[c] = mn[c] < v ? mn[c] : v;
                    mx[c] = mx[c] > v ? mx[c] : v;
                }
            }
            d->last[d->nbins - 1] = time;
            d->count[d->nbins - 1]++;
            return;
        }
    }
    b = d->nbins++;
    d->last_bin = G_MAXUINT64;
    d->first[b] = d->last[b] = time;
    d->count[b] = 1;
    memcpy (d->min + (gsize) b * d->ncols, values, d->ncols * sizeof (double));
    memcpy (d->max + (gsize) b * d->ncols, values, d->ncols * sizeof (double));
}

void
sim_downsample_foreach (const SimDownsample *d, SimDownsampleFunc fn,
                        gpointer user)
{
    for (guint b = 0; b < d->nbins; b++) {
        const double *mn = d->min + (gsize) b * d->ncols;
        const double *mx = d->max + (gsize) b * d->ncols;
        double mid;

        if (d->count[b] == 1) {
            fn (d->first[b], mn, user);
            continue;
        }
        /* Half a bin in, or the bin's last point if that is sooner. */
        mid = d->t0 + ((double) bin_of (d, d->first[b]) + 0.5) * d->width;
        mid = MAX (d->first[b], MIN (mid, d->last[b]));
        fn (d->first[b], mx, user);
        fn (mid, mn, user);
    }
}
