/* test-units.c - durations, CPU and memory quantities, int-or-percent.
 *
 * Table-driven: each table row is a text and what it must parse to, or
 * the fragment its error message must contain.  Every accepted value is
 * also formatted and parsed again, which pins the canonical forms.
 */
#include <glib.h>
#include <math.h>
#include <string.h>

#include "units.h"

typedef struct {
    const char *text;
    gint64 value;
    const char *canonical; /* NULL: same as text */
} GoodCase;

typedef struct {
    const char *text;
    const char *reason; /* a fragment of the message */
} BadCase;

static void
check_error (GError *error, const char *text, const char *reason,
             const char *forms)
{
    g_assert_error (error, SIM_UNITS_ERROR, SIM_UNITS_ERROR_INVALID);
    if (strstr (error->message, reason) == NULL
        || strstr (error->message, forms) == NULL)
        g_error ("\"%s\": message \"%s\" lacks \"%s\" or \"%s\"", text,
                 error->message, reason, forms);
}

static void
test_duration_parse (void)
{
    static const GoodCase good[] = {
        { "250ms", 250 * SIM_MSEC, NULL },
        { "30s", 30 * SIM_SEC, NULL },
        { "5m", 5 * SIM_MIN, NULL },
        { "1h", SIM_HOUR, NULL },
        { "100us", 100, NULL },
        { "100\xc2\xb5s", 100, "100us" },
        { "1.5s", 1500 * SIM_MSEC, "1s500ms" },
        { "1m30s", 90 * SIM_SEC, NULL },
        { "1h2m3s4ms5us",
          SIM_HOUR + 2 * SIM_MIN + 3 * SIM_SEC + 4 * SIM_MSEC + 5, NULL },
        { "0", 0, "0s" },
        { "0s", 0, NULL },
        { "0.0", 0, "0s" },
        { "  20ms\t", 20 * SIM_MSEC, "20ms" },
        { "90s", 90 * SIM_SEC, "1m30s" },
        { "1500ms", 1500 * SIM_MSEC, "1s500ms" },
        { "0.25s", 250 * SIM_MSEC, "250ms" },
        { ".5s", 500 * SIM_MSEC, "500ms" },
        { "1.000000s", SIM_SEC, "1s" },
        { "0.000001s", 1, "1us" },
        { "2.5h", 150 * SIM_MIN, "2h30m" },
        { "1.1s", 1100 * SIM_MSEC, "1s100ms" },
        { "30s1m", 90 * SIM_SEC, "1m30s" },
        { "9223372036854775807us", G_MAXINT64, "2562047788h54s775ms807us" },
    };
    static const BadCase bad[] = {
        { "", "empty" },
        { "   ", "empty" },
        { "5", "needs a unit" },
        { "1m30", "needs a unit" },
        { "-5s", "negative" },
        { "5 s", "unknown unit" },
        { "5sec", "unknown unit" },
        { "5min", "unknown unit" },
        { "5d", "unknown unit" },
        { "s", "expected a number" },
        { "1.5us", "finer than a microsecond" },
        { "0.0000001s", "finer than a microsecond" },
        { "9223372036854775808us", "too large" },
        { "99999999999999999999s", "too large" },
        { "3000000000h", "too large" },
        { "2562047788h1m", "too large" },
        { "+5s", "expected a number" },
        { "1e3s", "unknown unit" },
    };

    g_test_summary ("Durations parse exactly, in every documented form, and "
                    "formatting gives the canonical text back");

    for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        SimTime t = -1, again = -1;

        if (!sim_units_parse_duration (good[i].text, &t, &error))
            g_error ("\"%s\": %s", good[i].text, error->message);
        g_assert_cmpint (t, ==, good[i].value);
        text = sim_units_format_duration (t);
        g_assert_cmpstr (text, ==,
                         good[i].canonical ? good[i].canonical : good[i].text);
        g_assert_true (sim_units_parse_duration (text, &again, &error));
        g_assert_cmpint (again, ==, t);
    }
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        SimTime t = 42;

        g_assert_false (sim_units_parse_duration (bad[i].text, &t, &error));
        check_error (error, bad[i].text, bad[i].reason,
                     "accepted: a number with a unit: 250ms, 30s, 5m, 1h");
        g_assert_cmpint (t, ==, 42);
    }
}

static void
test_duration_format (void)
{
    static const struct {
        SimTime t;
        const char *text;
    } cases[] = {
        { 0, "0s" },
        { 1, "1us" },
        { 999, "999us" },
        { 1000, "1ms" },
        { 1001, "1ms1us" },
        { 250 * SIM_MSEC, "250ms" },
        { SIM_SEC, "1s" },
        { 61 * SIM_SEC, "1m1s" },
        { SIM_HOUR, "1h" },
        { 25 * SIM_HOUR, "25h" },
        { SIM_HOUR + 1, "1h1us" },
        { -1500 * SIM_MSEC, "-1s500ms" },
    };

    g_test_summary ("Formatting a duration uses the largest exact units, "
                    "largest first");

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *text = sim_units_format_duration (cases[i].t);
        g_assert_cmpstr (text, ==, cases[i].text);
    }
    /* The extreme values format without overflow. */
    {
        g_autofree char *max = sim_units_format_duration (G_MAXINT64);
        g_autofree char *min = sim_units_format_duration (G_MININT64);
        g_assert_cmpstr (max, ==, "2562047788h54s775ms807us");
        g_assert_cmpstr (min, ==, "-2562047788h54s775ms808us");
    }
}

static void
test_cpu (void)
{
    static const GoodCase good[] = {
        { "500m", 500, NULL },     { "2", 2000, NULL },
        { "0.5", 500, "500m" },    { "1.5", 1500, "1500m" },
        { "0", 0, NULL },          { "0m", 0, "0" },
        { "2000m", 2000, "2" },    { "0.001", 1, "1m" },
        { " 250m ", 250, "250m" }, { "100", 100000, NULL },
    };
    static const BadCase bad[] = {
        { "", "empty" },
        { "-1", "negative" },
        { "0.0005", "finer than a millicore" },
        { "1.5m", "finer than a millicore" },
        { "2 cores", "unknown suffix" },
        { "2k", "unknown suffix" },
        { "1mm", "unknown suffix" },
        { "m", "expected a number" },
        { "99999999999999999", "too large" },
    };

    g_test_summary ("CPU quantities are exact millicores; finer values are "
                    "rejected, not rounded");

    for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        gint64 m = -1, again = -1;

        if (!sim_units_parse_cpu (good[i].text, &m, &error))
            g_error ("\"%s\": %s", good[i].text, error->message);
        g_assert_cmpint (m, ==, good[i].value);
        text = sim_units_format_cpu (m);
        g_assert_cmpstr (text, ==,
                         good[i].canonical ? good[i].canonical : good[i].text);
        g_assert_true (sim_units_parse_cpu (text, &again, &error));
        g_assert_cmpint (again, ==, m);
    }
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        gint64 m = 42;

        g_assert_false (sim_units_parse_cpu (bad[i].text, &m, &error));
        check_error (error, bad[i].text, bad[i].reason,
                     "accepted: cores: 2, 0.5; or millicores: 500m");
        g_assert_cmpint (m, ==, 42);
    }
}

static void
test_memory (void)
{
    static const GoodCase good[] = {
        { "256Mi", 256 * G_GINT64_CONSTANT (1048576), NULL },
        { "8Gi", 8 * G_GINT64_CONSTANT (1073741824), NULL },
        { "1G", 1000000000, "1000000000" },
        { "129M", 129000000, "129000000" },
        { "1k", 1000, "1000" },
        { "123", 123, NULL },
        { "1e3", 1000, "1000" },
        { "1E3", 1000, "1000" },
        { "129e6", 129000000, "129000000" },
        { "128974848", 128974848, "123Mi" },
        { "1Ki", 1024, NULL },
        { "1024", 1024, "1Ki" },
        { "1.5Gi", 1536 * G_GINT64_CONSTANT (1048576), "1536Mi" },
        { "0.5k", 500, "500" },
        { "1000e-3", 1, "1" },
        { "1e+3", 1000, "1000" },
        { "1Ti", G_GINT64_CONSTANT (1) << 40, NULL },
        { "1Pi", G_GINT64_CONSTANT (1) << 50, NULL },
        { "1Ei", G_GINT64_CONSTANT (1) << 60, NULL },
        { "2T", 2000000000000, "2000000000000" },
        { "3P", 3000000000000000, "3000000000000000" },
        { "1E", 1000000000000000000, "1000000000000000000" },
        { "0", 0, NULL },
        { "0Gi", 0, "0" },
        { "1536", 1536, NULL },
        { "999999Ki", 999999 * G_GINT64_CONSTANT (1024), NULL },
        { "1000000Ki", 1024000000, "1024000000" },
    };
    static const BadCase bad[] = {
        { "", "empty" },
        { "-1Mi", "negative" },
        { "1.5", "not a whole number of bytes" },
        { "1500e-3", "not a whole number of bytes" },
        { "0.1Ki", "not a whole number of bytes" },
        { "1m", "unknown suffix" },
        { "1MB", "unknown suffix" },
        { "1mi", "unknown suffix" },
        { "1Ki2", "unknown suffix" },
        { "1e", "unknown suffix" },
        { "1e3Mi", "unknown suffix" },
        { "8Ei", "too large" },
        { "10E", "too large" },
        { "1e19", "too large" },
        { "Mi", "expected a number" },
    };

    g_test_summary ("Memory quantities take Kubernetes' binary and decimal "
                    "suffixes and exponents, exactly");

    for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        gint64 b = -1, again = -1;

        if (!sim_units_parse_memory (good[i].text, &b, &error))
            g_error ("\"%s\": %s", good[i].text, error->message);
        g_assert_cmpint (b, ==, good[i].value);
        text = sim_units_format_memory (b);
        g_assert_cmpstr (text, ==,
                         good[i].canonical ? good[i].canonical : good[i].text);
        g_assert_true (sim_units_parse_memory (text, &again, &error));
        g_assert_cmpint (again, ==, b);
    }
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        gint64 b = 42;

        g_assert_false (sim_units_parse_memory (bad[i].text, &b, &error));
        check_error (error, bad[i].text, bad[i].reason,
                     "accepted: bytes: 123, 1e3; or a number with a suffix");
        g_assert_cmpint (b, ==, 42);
    }
}

static void
test_int_or_percent (void)
{
    static const struct {
        const char *text;
        gboolean percent;
        gint value;
        const char *canonical;
    } good[] = {
        { "3", FALSE, 3, NULL },
        { "0", FALSE, 0, NULL },
        { "25%", TRUE, 25, NULL },
        { "0%", TRUE, 0, NULL },
        { "100%", TRUE, 100, NULL },
        { "250%", TRUE, 250, NULL },
        { " 7 ", FALSE, 7, "7" },
        { "007", FALSE, 7, "7" },
        { "2147483647", FALSE, G_MAXINT, NULL },
    };
    static const BadCase bad[] = {
        { "", "empty" },
        { "-1", "negative" },
        { "-25%", "negative" },
        { "25%%", "unexpected text" },
        { "2.5", "not an integer" },
        { "2.5%", "not an integer" },
        { "%", "expected a number" },
        { "25 %", "unexpected text" },
        { "abc", "expected a number" },
        { "2147483648", "too large" },
    };

    g_test_summary ("Int-or-percent values are non-negative integers with "
                    "an optional single %");

    for (gsize i = 0; i < G_N_ELEMENTS (good); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        SimIntOrPercent v = { TRUE, -1 };

        if (!sim_units_parse_int_or_percent (good[i].text, &v, &error))
            g_error ("\"%s\": %s", good[i].text, error->message);
        g_assert_cmpint (v.percent, ==, good[i].percent);
        g_assert_cmpint (v.value, ==, good[i].value);
        text = sim_units_format_int_or_percent (v);
        g_assert_cmpstr (text, ==,
                         good[i].canonical ? good[i].canonical : good[i].text);
    }
    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++) {
        g_autoptr (GError) error = NULL;
        SimIntOrPercent v = { TRUE, 42 };

        g_assert_false (sim_units_parse_int_or_percent (bad[i].text, &v,
                                                        &error));
        check_error (error, bad[i].text, bad[i].reason,
                     "accepted: a non-negative integer like 3, or a "
                     "percentage like 25%");
        g_assert_cmpint (v.value, ==, 42);
    }
}

static void
test_scaled_value (void)
{
    /* docs/design.md K2.1, K2.2 and K11.6: surge rounds up,
     * unavailable rounds down. */
    static const struct {
        const char *text;
        gint total;
        gint up;
        gint down;
    } cases[] = {
        { "25%", 10, 3, 2 },
        { "30%", 5, 2, 1 },
        { "39%", 10, 4, 3 },
        { "0%", 2, 0, 0 },
        { "1%", 2, 1, 0 },
        { "0%", 0, 0, 0 },
        { "100%", 7, 7, 7 },
        { "50%", 3, 2, 1 },
        { "25%", 4, 1, 1 },
        { "200%", 3, 6, 6 },
        { "3", 10, 3, 3 },
        { "3", 0, 3, 3 },
        { "0", 10, 0, 0 },
        { "100%", G_MAXINT, G_MAXINT, G_MAXINT },
        { "2147483647%", 2, 42949673, 42949672 },
        { "2147483647%", 200, G_MAXINT, G_MAXINT },
    };

    g_test_summary ("Percentages scale with the exact rounding of "
                    "Kubernetes' GetScaledValueFromIntOrPercent");

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        SimIntOrPercent v;

        g_assert_true (sim_units_parse_int_or_percent (cases[i].text, &v,
                                                       NULL));
        g_assert_cmpint (sim_units_scaled_value (v, cases[i].total, TRUE), ==,
                         cases[i].up);
        g_assert_cmpint (sim_units_scaled_value (v, cases[i].total, FALSE), ==,
                         cases[i].down);
    }
}

static void
test_scaled_value_vs_float (void)
{
    g_test_summary ("The integer rounding equals ceil/floor of p*total/100 "
                    "for every small percentage and total");

    for (gint p = 0; p <= 300; p++) {
        for (gint n = 0; n <= 200; n++) {
            SimIntOrPercent v = { TRUE, p };
            /* p*n is exact in a double and /100 is correctly rounded;
             * this is Kubernetes' float64 arithmetic. */
            double x = (double) p * (double) n / 100.0;

            g_assert_cmpint (sim_units_scaled_value (v, n, TRUE), ==,
                             (gint) ceil (x));
            g_assert_cmpint (sim_units_scaled_value (v, n, FALSE), ==,
                             (gint) floor (x));
        }
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/units/duration/parse", test_duration_parse);
    g_test_add_func ("/units/duration/format", test_duration_format);
    g_test_add_func ("/units/cpu/parse-format", test_cpu);
    g_test_add_func ("/units/memory/parse-format", test_memory);
    g_test_add_func ("/units/int-or-percent/parse-format", test_int_or_percent);
    g_test_add_func ("/units/scaled-value/k8s-cases", test_scaled_value);
    g_test_add_func ("/units/scaled-value/matches-float",
                     test_scaled_value_vs_float);

    return g_test_run ();
}
