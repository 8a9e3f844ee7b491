/* test-dist.c - distributions: parsing, canonical text, sampling.
 *
 * Sample moments are checked on 200 000 draws from fixed seeds against
 * the exact moments, within 4 standard errors of the estimate.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "dist.h"

#define N_SAMPLES 200000
#define DIST_FORMS \
    "accepted: const(D), exp(MEAN), uniform(LOW,HIGH), normal(MEAN,SD), " \
    "lognormal(MEAN,SD), erlang(K,MEAN), or a duration"

/* Field by field: padding after kind need not match. */
static void
assert_dist_equal (const SimDist *x, const SimDist *y)
{
    g_assert_cmpint (x->kind, ==, y->kind);
    g_assert_cmpfloat (x->a, ==, y->a);
    g_assert_cmpfloat (x->b, ==, y->b);
    g_assert_cmpfloat (x->mu, ==, y->mu);
    g_assert_cmpfloat (x->sigma, ==, y->sigma);
}

static void
test_parse_format (void)
{
    static const struct {
        const char *text;
        SimDistKind kind;
        double a, b;
        const char *canonical;
    } cases[] = {
        { "const(5s)", SIM_DIST_CONST, 5e6, 0, NULL },
        { "5s", SIM_DIST_CONST, 5e6, 0, "const(5s)" },
        { "0", SIM_DIST_CONST, 0, 0, "const(0s)" },
        { "exp(20ms)", SIM_DIST_EXP, 2e4, 0, NULL },
        { "uniform(2s,8s)", SIM_DIST_UNIFORM, 2e6, 8e6, NULL },
        { "uniform(1s,1s)", SIM_DIST_UNIFORM, 1e6, 1e6, NULL },
        { "normal(1s,200ms)", SIM_DIST_NORMAL, 1e6, 2e5, NULL },
        { "normal(1s,0s)", SIM_DIST_NORMAL, 1e6, 0, NULL },
        { "lognormal(1s,500ms)", SIM_DIST_LOGNORMAL, 1e6, 5e5, NULL },
        { "erlang(3,1s)", SIM_DIST_ERLANG, 1e6, 3, NULL },
        { "erlang(1,250ms)", SIM_DIST_ERLANG, 2.5e5, 1, NULL },
        { "  uniform ( 2s , 8s )  ", SIM_DIST_UNIFORM, 2e6, 8e6,
          "uniform(2s,8s)" },
        { "\texp(1.5s)\n", SIM_DIST_EXP, 1.5e6, 0, "exp(1s500ms)" },
        { "normal(1m30s, 1s)", SIM_DIST_NORMAL, 9e7, 1e6, "normal(1m30s,1s)" },
        { "erlang( 2 , 10ms )", SIM_DIST_ERLANG, 1e4, 2, "erlang(2,10ms)" },
        { "1000000h", SIM_DIST_CONST, 3.6e15, 0, "const(1000000h)" },
    };

    g_test_summary ("Every form parses to its parameters and formats to "
                    "canonical text that parses back to the same value");

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        SimDist d, again;

        if (!sim_dist_parse (cases[i].text, &d, &error))
            g_error ("\"%s\": %s", cases[i].text, error->message);
        g_assert_cmpint (d.kind, ==, cases[i].kind);
        g_assert_cmpfloat (d.a, ==, cases[i].a);
        g_assert_cmpfloat (d.b, ==, cases[i].b);
        text = sim_dist_format (&d);
        g_assert_cmpstr (
            text, ==, cases[i].canonical ? cases[i].canonical : cases[i].text);
        g_assert_true (sim_dist_parse (text, &again, &error));
        assert_dist_equal (&again, &d);
    }
}

static void
test_const_helper (void)
{
    SimDist d = sim_dist_const (250 * SIM_MSEC), parsed;
    g_autofree char *text = sim_dist_format (&d);
    SimRng rng;

    g_test_summary ("sim_dist_const() equals the parsed constant");

    g_assert_cmpstr (text, ==, "const(250ms)");
    g_assert_true (sim_dist_parse ("250ms", &parsed, NULL));
    assert_dist_equal (&parsed, &d);
    sim_rng_init (&rng, 1, 1);
    g_assert_cmpint (sim_dist_sample (&d, &rng), ==, 250 * SIM_MSEC);
    g_assert_cmpfloat (sim_dist_mean (&d), ==, 250e3);
}

static void
test_lognormal_params (void)
{
    SimDist d;

    g_test_summary ("lognormal's mu and sigma come from the value's mean "
                    "and sd");

    g_assert_true (sim_dist_parse ("lognormal(1s,500ms)", &d, NULL));
    /* sigma^2 = ln(1 + 0.25), mu = ln(1e6) - sigma^2 / 2. */
    g_assert_cmpfloat_with_epsilon (d.sigma, sqrt (log (1.25)), 1e-12);
    g_assert_cmpfloat_with_epsilon (d.mu, log (1e6) - log (1.25) / 2, 1e-9);
}

static void
test_reject (void)
{
    static const struct {
        const char *text;
        const char *reason;
        gboolean duration_error; /* message lists duration forms */
    } cases[] = {
        { "", "empty", FALSE },
        { "fast", "not a distribution or a duration", FALSE },
        { "5", "not a distribution or a duration", FALSE },
        { "gamma(2,1s)", "unknown distribution", FALSE },
        { "Exp(1s)", "unknown distribution", FALSE },
        { "exp(1s", "expected NAME(ARGUMENTS)", FALSE },
        { "exp(1s) x", "expected NAME(ARGUMENTS)", FALSE },
        { "exp 1s)", "expected NAME(ARGUMENTS)", FALSE },
        { "exp(1s,2s)", "exp(MEAN) takes 1 argument", FALSE },
        { "uniform(1s)", "uniform(LOW,HIGH) takes 2 arguments", FALSE },
        { "uniform(8s,2s)", "LOW must not be greater than HIGH", FALSE },
        { "exp(0s)", "MEAN must be greater than 0", FALSE },
        { "lognormal(0,1s)", "MEAN must be greater than 0", FALSE },
        { "erlang(2,0s)", "MEAN must be greater than 0", FALSE },
        { "erlang(0,1s)", "K in erlang(K,MEAN) must be an integer", FALSE },
        { "erlang(1.5,1s)", "K in erlang(K,MEAN) must be an integer", FALSE },
        { "erlang(-2,1s)", "K in erlang(K,MEAN) must be an integer", FALSE },
        { "erlang(1001,1s)", "from 1 to 1000", FALSE },
        { "erlang(1s,3)", "K in erlang(K,MEAN) must be an integer", FALSE },
        { "exp(20)",
          "argument 1 of exp(MEAN): invalid duration \"20\": "
          "a number needs a unit",
          TRUE },
        { "exp()", "exp(MEAN) takes 1 argument", FALSE },
        { "exp( )", "argument 1 of exp(MEAN): invalid duration \"\": empty",
          TRUE },
        { "normal(1s,-200ms)",
          "argument 2 of normal(MEAN,SD): invalid "
          "duration \"-200ms\": negative",
          TRUE },
        { "uniform(1s,x)", "argument 2 of uniform(LOW,HIGH)", TRUE },
        { "erlang(2,1)", "argument 2 of erlang(K,MEAN)", TRUE },
        /* Found with tests/fuzz-scenario.c: near G_MAXINT64 us the double
         * rounded to 2^63 and the canonical text came out negative. */
        { "const(9223372036854775807us)",
          "argument 1 of const(D) is above "
          "1000000h",
          FALSE },
        { "9223372036854775807us", "above 1000000h", FALSE },
        { "uniform(1s,1000000h1us)",
          "argument 2 of uniform(LOW,HIGH) is "
          "above 1000000h",
          FALSE },
    };

    g_test_summary ("Bad distributions are rejected with the reason and "
                    "the accepted forms in the message");

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        SimDist d = sim_dist_const (42);
        const char
            *forms = cases[i].duration_error
                         ? "accepted: a number with a unit: 250ms, 30s, 5m, 1h"
                         : DIST_FORMS;

        g_assert_false (sim_dist_parse (cases[i].text, &d, &error));
        g_assert_error (error, SIM_UNITS_ERROR, SIM_UNITS_ERROR_INVALID);
        if (strstr (error->message, cases[i].reason) == NULL
            || strstr (error->message, forms) == NULL)
            g_error ("\"%s\": message \"%s\" lacks \"%s\" or \"%s\"",
                     cases[i].text, error->message, cases[i].reason, forms);
        g_assert_cmpfloat (d.a, ==, 42.0); /* untouched */
    }
}

typedef struct {
    const char *text;
    double mean;   /* exact, usec */
    double sd;     /* exact, usec */
    double sd_tol; /* relative tolerance on the sample sd */
} MomentCase;

static void
test_sample_moments (void)
{
    static const MomentCase cases[] = {
        { "const(5s)", 5e6, 0, 0 },
        { "exp(20ms)", 2e4, 2e4, 0.02 },
        { "uniform(2s,8s)", 5e6, 6e6 / 3.4641016151377544, 0.01 },
        { "normal(1s,200ms)", 1e6, 2e5, 0.01 },
        { "lognormal(1s,500ms)", 1e6, 5e5, 0.02 },
        /* Kurtosis about 12 000: the sample sd is only good to ~12 %. */
        { "lognormal(100ms,300ms)", 1e5, 3e5, 0.5 },
        { "erlang(4,1s)", 1e6, 5e5, 0.02 },
        { "erlang(1,50ms)", 5e4, 5e4, 0.02 },
        { "erlang(200,1s)", 1e6, 1e6 / 14.142135623730951, 0.02 },
    };

    g_test_summary ("Sample means and sds of every kind match the exact "
                    "moments (lognormal: of the value, not of its log)");

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        SimDist d;
        SimRng rng;
        double sum = 0, sum2 = 0, mean, sd, se;

        g_assert_true (sim_dist_parse (cases[i].text, &d, NULL));
        g_assert_cmpfloat (sim_dist_mean (&d), ==, cases[i].mean);
        sim_rng_init (&rng, 2024, i + 1);
        for (int k = 0; k < N_SAMPLES; k++) {
            double x = (double) sim_dist_sample (&d, &rng);

            sum += x;
            sum2 += x * x;
        }
        mean = sum / N_SAMPLES;
        sd = sqrt (MAX (sum2 / N_SAMPLES - mean * mean, 0.0));
        /* Rounding to whole usec adds at most 0.5 us of bias. */
        se = cases[i].sd / sqrt (N_SAMPLES);
        if (fabs (mean - cases[i].mean) > 4 * se + 0.5)
            g_error ("%s: mean %.1f, expected %.1f +- %.1f", cases[i].text,
                     mean, cases[i].mean, 4 * se + 0.5);
        if (fabs (sd - cases[i].sd) > cases[i].sd_tol * cases[i].sd + 0.5)
            g_error ("%s: sd %.1f, expected %.1f", cases[i].text, sd,
                     cases[i].sd);
    }
}

static void
test_uniform_range (void)
{
    SimTime lo = G_MAXINT64, hi = 0;
    SimDist d;
    SimRng rng;

    g_test_summary ("uniform samples stay within [LOW, HIGH] and reach "
                    "both ends");

    g_assert_true (sim_dist_parse ("uniform(10us,20us)", &d, NULL));
    sim_rng_init (&rng, 3, 3);
    for (int k = 0; k < N_SAMPLES; k++) {
        SimTime x = sim_dist_sample (&d, &rng);

        lo = MIN (lo, x);
        hi = MAX (hi, x);
    }
    g_assert_cmpint (lo, ==, 10);
    g_assert_cmpint (hi, ==, 20);
}

static void
test_non_negative (void)
{
    guint zeros = 0;
    SimDist d;
    SimRng rng;

    g_test_summary ("A normal with most of its mass below 0 is clamped at "
                    "0, never negative");

    g_assert_true (sim_dist_parse ("normal(10ms,100ms)", &d, NULL));
    sim_rng_init (&rng, 4, 4);
    for (int k = 0; k < N_SAMPLES; k++) {
        SimTime x = sim_dist_sample (&d, &rng);

        g_assert_cmpint (x, >=, 0);
        zeros += x == 0;
    }
    /* P(N(10, 100) <= 0) = Phi(-0.1) = 0.46. */
    g_assert_cmpfloat (fabs ((double) zeros / N_SAMPLES - 0.46), <, 0.01);
}

static void
test_reproducible (void)
{
    SimDist d;
    SimRng a, b;

    g_test_summary ("Sampling is a function of the stream alone");

    g_assert_true (sim_dist_parse ("lognormal(1s,2s)", &d, NULL));
    sim_rng_init (&a, 5, 5);
    sim_rng_init (&b, 5, 5);
    for (int k = 0; k < 1000; k++)
        g_assert_cmpint (sim_dist_sample (&d, &a), ==,
                         sim_dist_sample (&d, &b));
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/dist/parse/round-trip", test_parse_format);
    g_test_add_func ("/dist/parse/const-helper", test_const_helper);
    g_test_add_func ("/dist/parse/lognormal-params", test_lognormal_params);
    g_test_add_func ("/dist/parse/reject", test_reject);
    g_test_add_func ("/dist/sample/moments", test_sample_moments);
    g_test_add_func ("/dist/sample/uniform-range", test_uniform_range);
    g_test_add_func ("/dist/sample/non-negative", test_non_negative);
    g_test_add_func ("/dist/sample/reproducible", test_reproducible);

    return g_test_run ();
}
