/* stats.h - what replications say about a mean: the sample mean and the
 * half-width of its confidence interval from Student's t distribution
 * (GSL's gsl_cdf_tdist_Pinv), for plain samples and for paired
 * differences (common random numbers).
 *
 * Missing values are NaN and are skipped; the result says how many values
 * were used.  Sums run in the order given, so the same values in the same
 * order give the same bits: compare, sweep and merge rely on that for
 * byte-identical outputs.
 */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <glib.h>

typedef struct SimStats {
    guint n;     /* values used (NaN skipped) */
    double mean; /* NaN when n == 0 */
    double sd;   /* sample standard deviation; NaN when n < 2 */
    double hw;   /* half-width of the interval; NaN when n < 2 */
} SimStats;

/* The mean of the @n values @x and the half-width of its two-sided
 * confidence interval at @level (0.95 for 95 %): t(1 - (1 - level) / 2,
 * n - 1) * sd / sqrt(n). */
void sim_stats_compute (const double *x, guint n, double level, SimStats *out);

/* The same for the differences b[i] - a[i] over the indices where both
 * are present: the paired interval, which common random numbers make
 * narrow. */
void sim_stats_paired (const double *a, const double *b, guint n, double level,
                       SimStats *out);

/* The t quantile that sim_stats_compute multiplies by: two-sided @level,
 * @df degrees of freedom (>= 1). */
double sim_stats_t (double level, guint df);

#endif /* SIM_STATS_H */
