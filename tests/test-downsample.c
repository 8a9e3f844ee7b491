/* test-downsample.c - a series reduced to what a plot can show
 * (downsample.h): short series kept exactly, every extreme of a long one
 * kept (a spike of one point survives), a bounded number of points out
 * whatever the length, NaN ignored, a jump of 10^12 s after points
 * at one time.
 */
#include <glib.h>
#include <math.h>

#include "downsample.h"

typedef struct {
    GArray *t;  /* double */
    GArray *x0; /* double: column 0 */
    GArray *x1; /* double: column 1 */
} Out;

static void
collect (double time, const double *x, gpointer user)
{
    Out *o = user;

    g_array_append_val (o->t, time);
    g_array_append_val (o->x0, x[0]);
    g_array_append_val (o->x1, x[1]);
}

static void
out_init (Out *o)
{
    o->t = g_array_new (FALSE, FALSE, sizeof (double));
    o->x0 = g_array_new (FALSE, FALSE, sizeof (double));
    o->x1 = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
out_clear (Out *o)
{
    g_array_unref (o->t);
    g_array_unref (o->x0);
    g_array_unref (o->x1);
}

static void
test_exact (void)
{
    g_autoptr (SimDownsample) d = sim_downsample_new (2, 100);
    Out o;

    g_test_summary ("A series of at most max_bins points comes out as it "
                    "went in, two points at one time included");
    out_init (&o);
    for (guint i = 0; i < 100; i++) {
        double x[2] = { i, -(double) i };

        sim_downsample_add (d, i == 1 ? 0 : i, x);
    }
    g_assert_true (sim_downsample_exact (d));
    sim_downsample_foreach (d, collect, &o);
    g_assert_cmpuint (o.t->len, ==, 100);
    for (guint i = 0; i < 100; i++) {
        g_assert_cmpfloat (g_array_index (o.t, double, i), ==, i == 1 ? 0 : i);
        g_assert_cmpfloat (g_array_index (o.x0, double, i), ==, i);
        g_assert_cmpfloat (g_array_index (o.x1, double, i), ==, -(double) i);
    }
    out_clear (&o);
}

/* A flat series of @n points with one spike up in column 0 and one dip
 * in column 1 at @at: both must survive, in at most 2 * max_bins points,
 * at the right place. */
static void
check_spike (guint64 n, guint64 at, guint max_bins)
{
    g_autoptr (SimDownsample) d = sim_downsample_new (2, max_bins);
    double sample = 1.0, up_time = NAN, down_time = NAN;
    Out o;

    out_init (&o);
    for (guint64 i = 0; i < n; i++) {
        double x[2] = { 3, 3 };

        if (i == at) {
            x[0] = 1000;
            x[1] = 0;
        }
        sim_downsample_add (d, (double) i * sample, x);
    }
    sim_downsample_foreach (d, collect, &o);
    g_assert_cmpuint (o.t->len, <=, 2 * max_bins);
    for (guint i = 0; i < o.t->len; i++) {
        if (g_array_index (o.x0, double, i) == 1000)
            up_time = g_array_index (o.t, double, i);
        if (g_array_index (o.x1, double, i) == 0)
            down_time = g_array_index (o.t, double, i);
        g_assert_cmpfloat (g_array_index (o.x0, double, i), >=, 3);
        g_assert_cmpfloat (g_array_index (o.x1, double, i), <=, 3);
    }
    if (isnan (up_time) || isnan (down_time))
        g_error ("n=%" G_GUINT64_FORMAT " at=%" G_GUINT64_FORMAT
                 ": the spike is lost",
                 n, at);
    /* Drawn within the bin that held it: a pixel column of a
     * 1000-pixel plot at most. */
    g_assert_cmpfloat (fabs (up_time - (double) at), <=,
                       2.0 * (double) n / max_bins + 1);
    g_assert_cmpfloat (fabs (down_time - (double) at), <=,
                       2.0 * (double) n / max_bins + 1);
    g_assert_true (n <= max_bins || !sim_downsample_exact (d));
    out_clear (&o);
}

static void
test_spike (void)
{
    g_test_summary ("A spike (and a dip) of one sample survives in the "
                    "plot data of a series of any length: 7 days at 1 s, "
                    "spikes first, last and anywhere between");
    check_spike (604800, 0, 2000);
    check_spike (604800, 604799, 2000);
    check_spike (604800, 302401, 2000);
    check_spike (3600, 1234, 2000);
    check_spike (2001, 2000, 2000);
    for (guint k = 0; k < 20; k++)
        check_spike (100000 + g_test_rand_int_range (0, 100000),
                     (guint64) g_test_rand_int_range (0, 100000), 500);
}

static void
test_bounded (void)
{
    g_autoptr (SimDownsample) d = sim_downsample_new (1, 64);
    guint rows = 0;

    g_test_summary ("However long the series, the points out stay within "
                    "2 x max_bins, in time order");
    for (guint64 i = 0; i < 5000000; i++) {
        double x = (double) (i % 7);

        sim_downsample_add (d, (double) i * 0.5, &x);
    }
    {
        Out o;

        out_init (&o);
        sim_downsample_foreach (d, collect, &o);
        rows = o.t->len;
        for (guint i = 1; i < o.t->len; i++)
            g_assert_cmpfloat (g_array_index (o.t, double, i), >=,
                               g_array_index (o.t, double, i - 1));
        out_clear (&o);
    }
    g_assert_cmpuint (rows, >=, 32);
    g_assert_cmpuint (rows, <=, 128);
    g_assert_cmpuint (sim_downsample_added (d), ==, 5000000);
}

static void
test_nan (void)
{
    g_autoptr (SimDownsample) d = sim_downsample_new (2, 8);
    Out o;
    gboolean seen = FALSE;

    g_test_summary ("NaN (no value) is ignored by min and max: a bin of "
                    "NaN and numbers keeps the numbers; a bin of NaN only "
                    "stays NaN");
    out_init (&o);
    for (guint i = 0; i < 100; i++) {
        double x[2] = { i == 50 ? 9 : NAN, NAN };

        sim_downsample_add (d, i, x);
    }
    sim_downsample_foreach (d, collect, &o);
    for (guint i = 0; i < o.t->len; i++) {
        seen |= g_array_index (o.x0, double, i) == 9;
        g_assert_true (isnan (g_array_index (o.x1, double, i)));
    }
    g_assert_true (seen);
    out_clear (&o);
}

static void
test_jump (void)
{
    g_autoptr (SimDownsample) d = sim_downsample_new (2, 8);
    Out o;

    g_test_summary ("Nine points at one time (bins of the narrowest "
                    "width, 10^-9 s), then one 10^12 s later: the last is "
                    "kept, at its time, after at most 8 bins");
    out_init (&o);
    for (guint i = 0; i < 10; i++) {
        double x[2] = { i, i == 9 ? 42 : 0 };

        sim_downsample_add (d, i == 9 ? 1e12 : 0, x);
    }
    sim_downsample_foreach (d, collect, &o);
    g_assert_cmpuint (o.t->len, <=, 16);
    g_assert_cmpfloat (g_array_index (o.t, double, o.t->len - 1), ==, 1e12);
    g_assert_cmpfloat (g_array_index (o.x1, double, o.t->len - 1), ==, 42);
    out_clear (&o);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/downsample/exact", test_exact);
    g_test_add_func ("/downsample/spike", test_spike);
    g_test_add_func ("/downsample/bounded", test_bounded);
    g_test_add_func ("/downsample/nan", test_nan);
    g_test_add_func ("/downsample/jump", test_jump);
    return g_test_run ();
}
