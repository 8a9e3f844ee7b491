/* stats.c - sample mean and t-based confidence half-width.  See stats.h.
 *
 * Two passes (mean, then squared deviations) rather than one running
 * update: replications are few (tens to thousands), and the two-pass sum
 * is both accurate and trivially the same from run to run.
 */
#include <math.h>
#include <gsl/gsl_cdf.h>
#include "stats.h"

double
sim_stats_t (double level, guint df)
{
    g_return_val_if_fail (level > 0 && level < 1, NAN);
    g_return_val_if_fail (df >= 1, NAN);

    return gsl_cdf_tdist_Pinv (1.0 - (1.0 - level) / 2.0, (double) df);
}

void
sim_stats_compute (const double *x, guint n, double level, SimStats *out)
{
    double sum = 0, ss = 0;
    guint used = 0;

    g_return_if_fail (out != NULL);
    g_return_if_fail (n == 0 || x != NULL);

    for (guint i = 0; i < n; i++) {
        if (isnan (x[i]))
            continue;
        sum += x[i];
        used++;
    }
    out->n = used;
    out->mean = used > 0 ? sum / used : NAN;
    out->sd = NAN;
    out->hw = NAN;
    if (used < 2)
        return;
    for (guint i = 0; i < n; i++) {
        if (isnan (x[i]))
            continue;
        ss += (x[i] - out->mean) * (x[i] - out->mean);
    }
    out->sd = sqrt (ss / (used - 1));
    out->hw = sim_stats_t (level, used - 1) * out->sd / sqrt ((double) used);
}

void
sim_stats_paired (const double *a, const double *b, guint n, double level,
                  SimStats *out)
{
    g_autofree double *d = g_new (double, n > 0 ? n : 1);

    g_return_if_fail (out != NULL);

    for (guint i = 0; i < n; i++)
        d[i] = isnan (a[i]) || isnan (b[i]) ? NAN : b[i] - a[i];
    sim_stats_compute (d, n, level, out);
}
