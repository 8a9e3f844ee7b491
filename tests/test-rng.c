/* test-rng.c - random streams: reproducibility, independence, moments.
 *
 * Statistical checks use fixed seeds, so they are deterministic: a bound
 * of k standard errors either holds for these draws or never does.  The
 * bounds are wide enough (4 to 5 standard errors) that a correct
 * generator passes with any seed, and narrow enough that an off-by-one in
 * a transform (a wrong scale, a biased reduction) fails.
 */
#include <glib.h>
#include <math.h>

#include "rng.h"

#define N_DRAWS 1000000

/* The first outputs of seed 1, stream 1.  If these change, every
 * recorded result changes: that must be a deliberate decision. */
static const guint64 seed1_stream1[] = {
    G_GUINT64_CONSTANT (0x7290dcce7fb5868c),
    G_GUINT64_CONSTANT (0x1b3ed87de29dcc5c),
    G_GUINT64_CONSTANT (0xd2abb6d7c0571c92),
    G_GUINT64_CONSTANT (0xa8648253ef138413),
};

static void
test_known_answer (void)
{
    SimRng rng;

    g_test_summary ("Seed 1 stream 1 produces the pinned first outputs");

    sim_rng_init (&rng, 1, 1);
    for (gsize i = 0; i < G_N_ELEMENTS (seed1_stream1); i++)
        g_assert_cmphex (sim_rng_next (&rng), ==, seed1_stream1[i]);
}

static void
test_peek (void)
{
    /* The pinned outputs again, foreseen: the n-th draw from now without
     * drawing (the balancer's prefetch hints), the stream untouched. */
    const guint64 *expected = seed1_stream1;
    SimRng rng;

    g_test_summary ("sim_rng_peek and sim_rng_peek_ahead foresee the next "
                    "draws and leave the stream where it was");

    sim_rng_init (&rng, 1, 1);
    g_assert_cmphex (sim_rng_peek (&rng), ==, expected[0]);
    for (gint n = 1; n <= (gint) G_N_ELEMENTS (seed1_stream1); n++)
        g_assert_cmphex (sim_rng_peek_ahead (&rng, n), ==, expected[n - 1]);
    sim_rng_next (&rng);
    g_assert_cmphex (sim_rng_peek_ahead (&rng, 3), ==, expected[3]);
    g_assert_cmphex (sim_rng_next (&rng), ==, expected[1]);
}

static void
test_xoshiro_reference (void)
{
    /* xoshiro256** from the state {1, 2, 3, 4}, as computed by the
     * reference implementation (prng.di.unimi.it). */
    static const guint64 expected[] = {
        G_GUINT64_CONSTANT (11520),
        G_GUINT64_CONSTANT (0),
        G_GUINT64_CONSTANT (1509978240),
        G_GUINT64_CONSTANT (1215971899390074240),
        G_GUINT64_CONSTANT (1216172134540287360),
        G_GUINT64_CONSTANT (607988272756665600),
        G_GUINT64_CONSTANT (16172922978634559625),
    };
    SimRng rng = { { 1, 2, 3, 4 } };

    g_test_summary ("The core generator is exactly xoshiro256**");

    for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
        g_assert_cmpuint (sim_rng_next (&rng), ==, expected[i]);
}

static void
test_determinism (void)
{
    SimRng a, b, c, d;
    guint same_stream = 0, same_seed = 0;

    g_test_summary ("One seed and stream give one sequence; other streams "
                    "and seeds give unrelated ones");

    sim_rng_init (&a, 42, SIM_STREAM_ARRIVALS);
    sim_rng_init (&b, 42, SIM_STREAM_ARRIVALS);
    sim_rng_init (&c, 42, SIM_STREAM_SERVICE);
    sim_rng_init (&d, 43, SIM_STREAM_ARRIVALS);
    for (int i = 0; i < 10000; i++) {
        guint64 x = sim_rng_next (&a);

        g_assert_cmpuint (x, ==, sim_rng_next (&b));
        same_stream += x == sim_rng_next (&c);
        same_seed += x == sim_rng_next (&d);
    }
    g_assert_cmpuint (same_stream, ==, 0);
    g_assert_cmpuint (same_seed, ==, 0);

    /* Seed 0 and stream 0 are legal and not degenerate. */
    sim_rng_init (&a, 0, 0);
    g_assert_true (a.s[0] | a.s[1] | a.s[2] | a.s[3]);
    g_assert_cmpuint (sim_rng_next (&a), !=, sim_rng_next (&a));
}

static void
test_streams_uncorrelated (void)
{
    double sxy = 0;
    SimRng a, b;

    g_test_summary ("Neighbouring streams of one seed are uncorrelated");

    sim_rng_init (&a, 7, 1);
    sim_rng_init (&b, 7, 2);
    for (int i = 0; i < N_DRAWS; i++)
        sxy += (sim_rng_uniform (&a) - 0.5) * (sim_rng_uniform (&b) - 0.5);
    /* Correlation of two independent U(0,1): mean 0, sd 1/sqrt(n). */
    g_assert_cmpfloat (fabs (sxy / N_DRAWS * 12.0), <, 5.0 / sqrt (N_DRAWS));
}

static void
test_uniform (void)
{
    double sum = 0, sum2 = 0, lo = 1, hi = 0, mean, var;
    SimRng rng;

    g_test_summary ("uniform() lies in [0, 1) with mean 1/2 and variance "
                    "1/12; uniform_pos() in (0, 1]");

    sim_rng_init (&rng, 1, 2);
    for (int i = 0; i < N_DRAWS; i++) {
        double u = sim_rng_uniform (&rng);
        double p = sim_rng_uniform_pos (&rng);

        g_assert_cmpfloat (u, >=, 0.0);
        g_assert_cmpfloat (u, <, 1.0);
        g_assert_cmpfloat (p, >, 0.0);
        g_assert_cmpfloat (p, <=, 1.0);
        sum += u;
        sum2 += u * u;
        lo = MIN (lo, u);
        hi = MAX (hi, u);
    }
    mean = sum / N_DRAWS;
    var = sum2 / N_DRAWS - mean * mean;
    /* sd of the mean: sqrt(1/12/n); of the variance: sqrt(1/180/n). */
    g_assert_cmpfloat (fabs (mean - 0.5), <, 5 * sqrt (1.0 / 12 / N_DRAWS));
    g_assert_cmpfloat (fabs (var - 1.0 / 12), <,
                       5 * sqrt (1.0 / 180 / N_DRAWS));
    g_assert_cmpfloat (lo, <, 1e-4);
    g_assert_cmpfloat (hi, >, 1 - 1e-4);
}

static void
test_exp (void)
{
    double sum = 0, sum2 = 0, mean, sd;
    SimRng rng;

    g_test_summary ("exp(mean) has that mean and sd");

    sim_rng_init (&rng, 1, 3);
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_rng_exp (&rng, 20.0);

        g_assert_cmpfloat (x, >=, 0.0);
        sum += x;
        sum2 += x * x;
    }
    mean = sum / N_DRAWS;
    sd = sqrt (sum2 / N_DRAWS - mean * mean);
    g_assert_cmpfloat (fabs (mean - 20.0), <, 4 * 20.0 / sqrt (N_DRAWS));
    g_assert_cmpfloat (fabs (sd - 20.0), <, 0.01 * 20.0);
}

/* The ziggurat's layers, wedges and tail each carry part of the
 * distribution: a chi-square over 0.25-wide bins up to 10 and beyond, and
 * the mass past the ziggurat's base (R = 7.697) on its own. */
static void
test_exp_shape (void)
{
    enum { BINS = 41 };
    const double r = 7.69711747013104972;
    guint64 counts[BINS] = { 0 }, beyond_r = 0;
    double chi2 = 0;
    SimRng rng;

    g_test_summary ("exp() follows exp(-x) bin by bin, wedges and the tail "
                    "beyond the ziggurat's base included");

    sim_rng_init (&rng, 1, 7);
    for (int i = 0; i < 4 * N_DRAWS; i++) {
        double x = sim_rng_exp (&rng, 1.0);

        counts[MIN ((int) (x * 4), BINS - 1)]++;
        beyond_r += x > r;
    }
    for (int b = 0; b < BINS; b++) {
        double p = exp (-b / 4.0) - (b < BINS - 1 ? exp (-(b + 1) / 4.0) : 0);
        double expected = p * 4 * N_DRAWS;

        chi2 += (counts[b] - expected) * (counts[b] - expected) / expected;
    }
    /* 40 degrees of freedom: P(chi2 > 80) < 1e-4. */
    g_assert_cmpfloat (chi2, <, 80.0);
    /* About 1,800 of 4 million: 5 sd is 210. */
    g_assert_cmpfloat (fabs ((double) beyond_r - exp (-r) * 4 * N_DRAWS), <,
                       5 * sqrt (exp (-r) * 4 * N_DRAWS));
}

static void
test_normal (void)
{
    double sum = 0, sum2 = 0, sum4 = 0, mean, var;
    guint beyond_2sd = 0;
    SimRng rng;

    g_test_summary ("normal() has mean 0, sd 1, kurtosis 3 and normal "
                    "tails");

    sim_rng_init (&rng, 1, 4);
    for (int i = 0; i < N_DRAWS; i++) {
        double x = sim_rng_normal (&rng);

        sum += x;
        sum2 += x * x;
        sum4 += x * x * x * x;
        beyond_2sd += fabs (x) > 2.0;
    }
    mean = sum / N_DRAWS;
    var = sum2 / N_DRAWS - mean * mean;
    g_assert_cmpfloat (fabs (mean), <, 5.0 / sqrt (N_DRAWS));
    /* Var of the sample variance of N(0,1): 2/n. */
    g_assert_cmpfloat (fabs (var - 1.0), <, 5 * sqrt (2.0 / N_DRAWS));
    g_assert_cmpfloat (fabs (sum4 / N_DRAWS - 3.0), <, 0.05);
    /* P(|X| > 2) = 0.0455. */
    g_assert_cmpfloat (fabs ((double) beyond_2sd / N_DRAWS - 0.0455), <, 0.001);
}

static void
test_normal_no_spare (void)
{
    SimRng a, b;

    g_test_summary ("normal() keeps no spare: its draws depend only on the "
                    "stream position");

    sim_rng_init (&a, 9, 9);
    sim_rng_init (&b, 9, 9);
    (void) sim_rng_normal (&a);
    (void) sim_rng_normal (&b);
    /* If a spare were cached, a's next normal would come from it while
     * b, whose state is copied, would draw afresh. */
    {
        SimRng c = b;
        g_assert_cmpfloat (sim_rng_normal (&a), ==, sim_rng_normal (&c));
    }
}

static void
test_below (void)
{
    enum { BINS = 10 };
    guint counts[BINS] = { 0 };
    double chi2 = 0, expected = (double) N_DRAWS / BINS;
    guint low_third = 0, multiple_of_3 = 0;
    const guint32 big = 3u << 30;
    SimRng rng;

    g_test_summary ("below(n) is uniform on [0, n), even for n near 2^32 "
                    "where a plain modulo or a multiply without rejection is "
                    "badly biased");

    sim_rng_init (&rng, 1, 5);
    for (int i = 0; i < N_DRAWS; i++) {
        guint32 x = sim_rng_below (&rng, BINS);

        g_assert_cmpuint (x, <, BINS);
        counts[x]++;
    }
    for (int i = 0; i < BINS; i++)
        chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    /* 9 degrees of freedom: P(chi2 > 40) < 1e-5. */
    g_assert_cmpfloat (chi2, <, 40.0);

    /* n = 3 * 2^30: a 32-bit modulo would put half the draws below 2^30
     * instead of a third. */
    for (int i = 0; i < N_DRAWS; i++) {
        guint32 x = sim_rng_below (&rng, big);

        g_assert_cmpuint (x, <, big);
        low_third += x < (1u << 30);
        multiple_of_3 += x % 3 == 0;
    }
    g_assert_cmpfloat (fabs ((double) low_third / N_DRAWS - 1.0 / 3), <,
                       5 * sqrt (2.0 / 9 / N_DRAWS));
    /* A multiply-shift without the rejection step spreads its bias
     * instead: every third value would get two of four preimages. */
    g_assert_cmpfloat (fabs ((double) multiple_of_3 / N_DRAWS - 1.0 / 3), <,
                       5 * sqrt (2.0 / 9 / N_DRAWS));

    g_assert_cmpuint (sim_rng_below (&rng, 1), ==, 0);
}

static void
test_bernoulli (void)
{
    guint hits = 0;
    SimRng rng;

    g_test_summary ("bernoulli(p) is TRUE with probability p; 0 and 1 are "
                    "exact");

    sim_rng_init (&rng, 1, 6);
    for (int i = 0; i < N_DRAWS; i++) {
        hits += sim_rng_bernoulli (&rng, 0.1);
        g_assert_false (sim_rng_bernoulli (&rng, 0.0));
        g_assert_true (sim_rng_bernoulli (&rng, 1.0));
    }
    g_assert_cmpfloat (fabs ((double) hits / N_DRAWS - 0.1), <,
                       5 * sqrt (0.09 / N_DRAWS));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/rng/known-answer/seed-1-stream-1", test_known_answer);
    g_test_add_func ("/rng/known-answer/peek", test_peek);
    g_test_add_func ("/rng/known-answer/xoshiro256starstar",
                     test_xoshiro_reference);
    g_test_add_func ("/rng/streams/deterministic", test_determinism);
    g_test_add_func ("/rng/streams/uncorrelated", test_streams_uncorrelated);
    g_test_add_func ("/rng/uniform/moments", test_uniform);
    g_test_add_func ("/rng/exp/moments", test_exp);
    g_test_add_func ("/rng/exp/shape", test_exp_shape);
    g_test_add_func ("/rng/normal/moments", test_normal);
    g_test_add_func ("/rng/normal/no-spare", test_normal_no_spare);
    g_test_add_func ("/rng/below/unbiased", test_below);
    g_test_add_func ("/rng/bernoulli/rate", test_bernoulli);

    return g_test_run ();
}
