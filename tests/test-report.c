/* test-report.c - the numbers of the CSV files (report.h): every value
 * sim_report_number writes is printf's "%.*f" of it, byte for byte.
 *
 * sim_report_number writes most numbers from integer digits and leaves
 * near-ties to printf (report.c); these tests hunt for a value where the
 * two would differ: random values over many magnitudes, and the values
 * within a few ulps of a half, where the rounding is decided.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "report.h"

/* printf's text, the reference. */
static char *
printf_text (double value, gint decimals)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    char fmt[8];

    g_snprintf (fmt, sizeof fmt, "%%.%df", decimals);
    return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, value));
}

static void
check (double value, gint decimals)
{
    g_autofree char *want = printf_text (value, decimals);
    g_autofree char *got = sim_report_number (value, decimals);

    if (strcmp (want, got) != 0)
        g_error ("%.17g with %d decimals: \"%s\", printf writes \"%s\"", value,
                 decimals, got, want);
}

/* A value and its neighbours up to 3 ulps away, both signs. */
static void
check_around (double value, gint decimals)
{
    double down = value, up = value;

    check (value, decimals);
    check (-value, decimals);
    for (gint i = 0; i < 3; i++) {
        down = nextafter (down, -INFINITY);
        up = nextafter (up, INFINITY);
        check (down, decimals);
        check (up, decimals);
        check (-down, decimals);
        check (-up, decimals);
    }
}

static void
test_random (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (16);

    g_test_summary ("Random values from 1e-12 to 1e18, and random integers, "
                    "with 0 to 12 decimals, are written as printf writes "
                    "them");
    for (gint i = 0; i < 200000; i++) {
        double mantissa = g_rand_double (rand);
        gint exponent = g_rand_int_range (rand, -12, 19);
        gint decimals = g_rand_int_range (rand, 0, 13);
        double value = mantissa * pow (10, exponent);

        check (g_rand_boolean (rand) ? value : -value, decimals);
        check ((double) g_rand_int (rand), decimals);
    }
}

static void
test_halves (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (61);

    g_test_summary ("Values within 3 ulps of a half at the last place, "
                    "which decide the rounding, and exact binary ties "
                    "(0.5, 2.5, 0.125, ..., rounded to even) are written as "
                    "printf writes them");
    for (gint d = 0; d <= 9; d++) {
        double scale = pow (10, d);

        for (gint k = 0; k < 2000; k++)
            check_around ((k + 0.5) / scale, d);
        for (gint i = 0; i < 5000; i++) {
            double k = floor (g_rand_double (rand) * 1e12 / scale);

            check_around ((k + 0.5) / scale, d);
        }
        check_around (0.0005, d);
        /* Exact binary ties at d places: odd multiples of 2^-j. */
        for (gint j = 1; j <= 10; j++)
            for (gint m = 1; m < 1000; m += 2)
                check_around (ldexp (m, -j), d);
    }
}

static void
test_edges (void)
{
    static const double values[] = {
        0.0,    1e-300, 0.0004999, 0.9995, 9.9995,      99999.9995, 1e15,
        4.5e15, 0x1p52, 0x1p53,    1e300,  G_MAXDOUBLE, INFINITY,
    };

    g_test_summary ("Zero and negative zero (\"-0.000\"), values that round "
                    "up to a new digit, values too large for integer digits "
                    "and infinities are written as printf writes them; NaN "
                    "is empty");
    for (gint d = 0; d <= 12; d++)
        for (guint i = 0; i < G_N_ELEMENTS (values); i++)
            check_around (values[i], d);
    for (gint d = 0; d <= 12; d++) {
        g_autofree char *nan_text = sim_report_number (NAN, d);

        check (-0.0, d);
        g_assert_cmpstr (nan_text, ==, "");
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/report/number/random", test_random);
    g_test_add_func ("/report/number/halves", test_halves);
    g_test_add_func ("/report/number/edges", test_edges);

    return g_test_run ();
}
