/* test-histogram.c - the latency histogram: quantile error bound,
 * merging, exact mean, empty and out-of-range values.
 *
 * Quantiles are compared with the exact nearest-rank quantiles of the
 * same values, sorted; the bound checked is the one the header states.
 */
#include <glib.h>
#include <math.h>

#include "histogram.h"
#include "rng.h"

static const double quantiles[] = {
    0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999,
};

static gint
cmp_gint64 (gconstpointer pa, gconstpointer pb)
{
    gint64 a = *(const gint64 *) pa, b = *(const gint64 *) pb;

    return a < b ? -1 : a > b;
}

/* Check every quantile of @h against the sorted @values. */
static void
check_quantiles (const SimHistogram *h, gint64 *values, gsize n)
{
    qsort (values, n, sizeof *values, cmp_gint64);
    for (gsize i = 0; i < G_N_ELEMENTS (quantiles); i++) {
        double q = quantiles[i];
        gsize rank = (gsize) ceil (q * (double) n);
        double exact = (double) values[MAX (rank, 1) - 1];
        double got = sim_histogram_quantile (h, q);

        if (fabs (got - exact) > SIM_HISTOGRAM_MAX_REL_ERROR * exact)
            g_error ("q=%g: %.1f, exact %.1f, error %.4f%% > %.4f%%", q, got,
                     exact, 100 * fabs (got - exact) / exact,
                     100 * SIM_HISTOGRAM_MAX_REL_ERROR);
    }
    g_assert_cmpfloat (sim_histogram_quantile (h, 0.0), ==, (double) values[0]);
    g_assert_cmpfloat (sim_histogram_quantile (h, 1.0), ==,
                       (double) values[n - 1]);
}

static void
test_bound (void)
{
    g_test_summary ("The stated error bound is at most 1 % and the struct "
                    "stays small");

    g_assert_cmpfloat (SIM_HISTOGRAM_MAX_REL_ERROR, <=, 0.01);
    g_assert_cmpuint (sizeof (SimHistogram), <=, 32 * 1024);
    /* One hour is in the precise range. */
    g_assert_cmpint (G_GINT64_CONSTANT (1) << SIM_HISTOGRAM_MAX_BITS, >,
                     G_GINT64_CONSTANT (3600000000));
}

static void
test_uniform_values (void)
{
    enum { N = 100000 };
    g_autofree gint64 *values = g_new (gint64, N);
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);

    g_test_summary ("Quantiles of 1 .. 100000 are within the stated "
                    "relative error");

    sim_histogram_init (h);
    for (gint64 i = 0; i < N; i++) {
        values[i] = N - i; /* order must not matter */
        sim_histogram_record (h, values[i]);
    }
    g_assert_cmpuint (sim_histogram_count (h), ==, N);
    check_quantiles (h, values, N);
}

static void
test_exponential_values (void)
{
    enum { N = 1000000 };
    g_autofree gint64 *values = g_new (gint64, N);
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);
    SimRng rng;

    g_test_summary ("Quantiles of exponential latencies (mean 20 ms, tail "
                    "to seconds) are within the stated relative error");

    sim_histogram_init (h);
    sim_rng_init (&rng, 1, 7);
    for (gsize i = 0; i < N; i++) {
        values[i] = 1 + (gint64) sim_rng_exp (&rng, 20000.0);
        sim_histogram_record (h, values[i]);
    }
    check_quantiles (h, values, N);
}

static void
test_wide_range (void)
{
    enum { N = 200000 };
    g_autofree gint64 *values = g_new (gint64, N);
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);
    SimRng rng;

    g_test_summary ("Log-uniform values from 1 us to an hour keep the "
                    "bound in every octave");

    sim_histogram_init (h);
    sim_rng_init (&rng, 2, 7);
    for (gsize i = 0; i < N; i++) {
        values[i] = (gint64) exp (sim_rng_uniform (&rng) * log (3.6e9));
        sim_histogram_record (h, values[i]);
    }
    check_quantiles (h, values, N);

    /* Every single value is its own quantile within the bound. */
    for (gint64 v = 1; v < G_GINT64_CONSTANT (1) << 36; v = v * 3 / 2 + 1) {
        double got;

        sim_histogram_reset (h);
        sim_histogram_record (h, 0);
        sim_histogram_record (h, v);
        sim_histogram_record (h, G_GINT64_CONSTANT (1) << 40);
        got = sim_histogram_quantile (h, 0.5);
        g_assert_cmpfloat (fabs (got - (double) v), <=,
                           SIM_HISTOGRAM_MAX_REL_ERROR * (double) v);
    }
}

static void
test_small_exact (void)
{
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);

    g_test_summary ("Values below 128 us are counted exactly");

    sim_histogram_init (h);
    for (gint64 v = 0; v < 128; v++)
        sim_histogram_record (h, v);
    for (gint64 v = 1; v <= 128; v++)
        g_assert_cmpfloat (sim_histogram_quantile (h, (double) v / 128), ==,
                           (double) (v - 1));
}

/* What a probe mark does: the values since an earlier copy. */
static void
test_subtract (void)
{
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);
    g_autofree SimHistogram *mark = g_new (SimHistogram, 1);
    g_autofree SimHistogram *window = g_new (SimHistogram, 1);
    SimRng rng;

    g_test_summary ("A histogram minus an earlier copy of itself holds "
                    "exactly the counts, sum and quantiles of the values "
                    "recorded since; min and max stay within the window's "
                    "outer buckets");
    sim_histogram_init (h);
    sim_histogram_init (window);
    sim_rng_init (&rng, 5, 9);
    for (int i = 0; i < 50000; i++)
        sim_histogram_record (h, (gint64) sim_rng_exp (&rng, 2e6));
    *mark = *h;
    for (int i = 0; i < 30000; i++) {
        gint64 v = 1000 + (gint64) sim_rng_exp (&rng, 20000.0);

        sim_histogram_record (h, v);
        sim_histogram_record (window, v);
    }
    sim_histogram_subtract (h, mark);
    g_assert_cmpuint (sim_histogram_count (h), ==, 30000);
    g_assert_cmpmem (h->buckets, sizeof h->buckets, window->buckets,
                     sizeof window->buckets);
    g_assert_cmpfloat (sim_histogram_mean (h), ==, sim_histogram_mean (window));
    for (gsize i = 0; i < G_N_ELEMENTS (quantiles); i++) {
        double q = sim_histogram_quantile (h, quantiles[i]);
        double exact = sim_histogram_quantile (window, quantiles[i]);

        g_assert_cmpfloat (fabs (q - exact), <=,
                           exact * SIM_HISTOGRAM_MAX_REL_ERROR + 1);
    }
    g_assert_cmpint (sim_histogram_min (h), <=, sim_histogram_min (window));
    g_assert_cmpint (sim_histogram_max (h), >=, sim_histogram_max (window));

    /* Nothing since: empty. */
    *mark = *window;
    sim_histogram_subtract (window, mark);
    g_assert_cmpuint (sim_histogram_count (window), ==, 0);
    g_assert_true (isnan (sim_histogram_quantile (window, 0.99)));
}

static void
test_quantiles_one_walk (void)
{
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);
    static const double q[] = { -1,  0,    0.001, 0.25,  0.5, 0.5,
                                0.9, 0.95, 0.99,  0.999, 1,   2 };
    double many[G_N_ELEMENTS (q)];
    g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
    SimRng rng;

    g_test_summary ("quantiles() of ascending q in one walk give what "
                    "quantile() gives for each, empty histograms included");

    sim_histogram_init (h);
    sim_histogram_quantiles (h, G_N_ELEMENTS (q), q, many);
    for (gsize i = 0; i < G_N_ELEMENTS (q); i++)
        g_assert_true (isnan (many[i]));
    sim_rng_init (&rng, 5, 9);
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 1000 * (round + 1); i++) {
            gint64 v = 500
                       + (gint64) sim_rng_exp (&rng, round % 2 ? 800.0 : 9e4);

            sim_histogram_record (h, v);
            g_array_append_val (values, v);
        }
        /* quantile() against the values themselves, sorted (not a walk
         * of the histogram), then quantiles() against quantile(). */
        check_quantiles (h, (gint64 *) (gpointer) values->data, values->len);
        sim_histogram_quantiles (h, G_N_ELEMENTS (q), q, many);
        for (gsize i = 0; i < G_N_ELEMENTS (q); i++)
            g_assert_cmpfloat (many[i], ==, sim_histogram_quantile (h, q[i]));
    }
}

static void
test_merge (void)
{
    g_autofree SimHistogram *a = g_new (SimHistogram, 1);
    g_autofree SimHistogram *b = g_new (SimHistogram, 1);
    g_autofree SimHistogram *all = g_new (SimHistogram, 1);
    g_autofree SimHistogram *empty = g_new (SimHistogram, 1);
    SimRng rng;

    g_test_summary ("Merging two histograms equals recording everything "
                    "into one");

    sim_histogram_init (a);
    sim_histogram_init (b);
    sim_histogram_init (all);
    sim_histogram_init (empty);
    sim_rng_init (&rng, 3, 7);
    for (int i = 0; i < 100000; i++) {
        gint64 v = (gint64) sim_rng_exp (&rng, i % 2 ? 5000.0 : 300000.0);

        sim_histogram_record (i % 3 ? a : b, v);
        sim_histogram_record (all, v);
    }
    sim_histogram_merge (a, b);
    sim_histogram_merge (a, empty);
    sim_histogram_merge (empty, empty);
    g_assert_cmpuint (sim_histogram_count (empty), ==, 0);
    g_assert_cmpmem (a, sizeof *a, all, sizeof *all);
    g_assert_cmpuint (sim_histogram_count (a), ==, 100000);
    for (gsize i = 0; i < G_N_ELEMENTS (quantiles); i++)
        g_assert_cmpfloat (sim_histogram_quantile (a, quantiles[i]), ==,
                           sim_histogram_quantile (all, quantiles[i]));

    /* Into an empty one: min and max come from the source. */
    sim_histogram_merge (empty, all);
    g_assert_cmpmem (empty, sizeof *empty, all, sizeof *all);

    /* Sums that pass 2^64 carry across the merge. */
    sim_histogram_reset (a);
    sim_histogram_reset (b);
    sim_histogram_reset (all);
    for (int i = 0; i < 12; i++) {
        gint64 v = G_MAXINT64 - i;

        sim_histogram_record (i % 2 ? a : b, v);
        sim_histogram_record (all, v);
    }
    sim_histogram_merge (a, b);
    g_assert_cmpmem (a, sizeof *a, all, sizeof *all);
    g_assert_cmpfloat (sim_histogram_mean (a), ==, (double) G_MAXINT64);
}

static void
test_mean_exact (void)
{
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);
    const gint64 big = G_GINT64_CONSTANT (1) << 62;

    g_test_summary ("The mean is exact, even when the sum passes 2^64");

    sim_histogram_init (h);
    sim_histogram_record (h, 1);
    sim_histogram_record (h, 2);
    sim_histogram_record (h, 1000000);
    g_assert_cmpfloat (sim_histogram_mean (h), ==, 1000003.0 / 3);
    g_assert_cmpint (sim_histogram_min (h), ==, 1);
    g_assert_cmpint (sim_histogram_max (h), ==, 1000000);

    sim_histogram_reset (h);
    for (int i = 0; i < 8; i++)
        sim_histogram_record (h, big + i); /* sum ~ 2^65 */
    g_assert_cmpfloat (sim_histogram_mean (h), ==, (double) big + 3.5);
    g_assert_cmpfloat (sim_histogram_quantile (h, 1.0), ==, (double) (big + 7));
    g_assert_cmpfloat (sim_histogram_quantile (h, 0.5), >=, (double) big);
    g_assert_cmpfloat (sim_histogram_quantile (h, 0.5), <=, (double) (big + 7));
}

static void
test_empty (void)
{
    g_autofree SimHistogram *h = g_new (SimHistogram, 1);

    g_test_summary ("An empty histogram has no mean and no quantiles");

    sim_histogram_init (h);
    g_assert_cmpuint (sim_histogram_count (h), ==, 0);
    g_assert_true (isnan (sim_histogram_mean (h)));
    g_assert_true (isnan (sim_histogram_quantile (h, 0.5)));
    g_assert_true (isnan (sim_histogram_quantile (h, 0.0)));
    g_assert_true (isnan (sim_histogram_quantile (h, 1.0)));
    g_assert_cmpint (sim_histogram_min (h), ==, 0);
    g_assert_cmpint (sim_histogram_max (h), ==, 0);

    sim_histogram_record (h, 42);
    g_assert_cmpfloat (sim_histogram_quantile (h, 0.5), ==, 42.0);
    sim_histogram_reset (h);
    g_assert_true (isnan (sim_histogram_quantile (h, 0.5)));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/histogram/bound", test_bound);
    g_test_add_func ("/histogram/quantile/uniform", test_uniform_values);
    g_test_add_func ("/histogram/quantile/exponential",
                     test_exponential_values);
    g_test_add_func ("/histogram/quantile/wide-range", test_wide_range);
    g_test_add_func ("/histogram/quantile/small-exact", test_small_exact);
    g_test_add_func ("/histogram/quantile/one-walk", test_quantiles_one_walk);
    g_test_add_func ("/histogram/merge", test_merge);
    g_test_add_func ("/histogram/subtract", test_subtract);
    g_test_add_func ("/histogram/mean-exact", test_mean_exact);
    g_test_add_func ("/histogram/empty", test_empty);

    return g_test_run ();
}
