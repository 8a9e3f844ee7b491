/* test-experiment.c - compare, sweep and merge (issue 6), through the
 * rollsim binary as a user runs them: outputs identical whatever --jobs
 * is and for shards merged; common random numbers (identical variants
 * differ by exactly zero, and every strategy sees the same arrivals);
 * t intervals that cover a known mean (M/M/1) about 95 % of the time;
 * --precision; any run of runs.csv re-run alone with `rollsim run`; and
 * the errors that must exit 2.  Plus the statistics module itself. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "testutil.h"
#include "stats.h"

/* Small and quick: 4 replicas rolled v1 -> v2 in 40 s at 20 requests/s
 * (a run takes about a millisecond). */
static const char small_ini[] = "[scenario]\n"
                                "name = exp-test\n"
                                "duration = 40s\n"
                                "seed = 1\n"
                                "[cluster]\n"
                                "nodes = 6\n"
                                "[deployment]\n"
                                "replicas = 4\n"
                                "version = v1\n"
                                "[version.v1]\n"
                                "pull = const(1s)\n"
                                "startup = uniform(2s,4s)\n"
                                "service = exp(20ms)\n"
                                "[version.v2]\n"
                                "pull = const(1s)\n"
                                "startup = uniform(2s,4s)\n"
                                "service = exp(20ms)\n"
                                "[traffic]\n"
                                "rate = 20\n"
                                "[strategy]\n"
                                "type = rolling\n"
                                "[strategy.rolling]\n"
                                "max_surge = 1\n"
                                "max_unavailable = 0\n"
                                "[rollout]\n"
                                "at = 5s\n"
                                "to = v2\n";

/* M/M/1: one pod serving one request at a time, Poisson arrivals at 50/s,
 * exponential service with mean 10 ms, no rollout: the mean time in the
 * system is 1 / (mu - lambda) = 1 / (100 - 50) s = 20 ms. */
static const char mm1_ini[] = "[scenario]\n"
                              "name = mm1\n"
                              "duration = 200s\n"
                              "[cluster]\n"
                              "nodes = 1\n"
                              "[deployment]\n"
                              "replicas = 1\n"
                              "version = v1\n"
                              "concurrency = 1\n"
                              "queue = unlimited\n"
                              "[version.v1]\n"
                              "service = exp(10ms)\n"
                              "[traffic]\n"
                              "rate = 50\n"
                              "timeout = none\n"
                              "[strategy]\n"
                              "type = rolling\n";

typedef struct {
    char *dir;   /* a fresh temporary directory */
    char *small; /* small_ini written there */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
    g_autoptr (GError) error = NULL;

    f->dir = g_dir_make_tmp ("rollsim-experiment-XXXXXX", &error);
    g_assert_no_error (error);
    f->small = g_build_filename (f->dir, "small.ini", NULL);
    g_assert_true (g_file_set_contents (f->small, small_ini, -1, NULL));
}

static void
remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;

    if (d == NULL) {
        g_remove (path);
        return;
    }
    while ((name = g_dir_read_name (d)) != NULL) {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
    }
    g_dir_close (d);
    g_rmdir (path);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
    if (!g_test_failed ())
        remove_tree (f->dir);
    else
        g_test_message ("outputs kept in %s", f->dir);
    g_free (f->dir);
    g_free (f->small);
}

static char *
path_in (const Fixture *f, const char *name)
{
    return g_build_filename (f->dir, name, NULL);
}

/* Run rollsim; assert its exit status; return stderr (owned). */
static char *
rollsim (gint want, const char *const *argv)
{
    g_autofree char *out = NULL;
    char *err = NULL;
    gint rc = sim_test_rollsim (argv, &out, &err);

    if (rc != want)
        g_test_message ("stdout: %s\nstderr: %s", out, err);
    g_assert_cmpint (rc, ==, want);
    return err;
}

static gboolean
have_gnuplot (void)
{
    g_autofree char *p = g_find_program_in_path ("gnuplot");

    return p != NULL;
}

/* Every file under @dir, relative, sorted. */
static void
list_files (const char *root, const char *rel, GPtrArray *out)
{
    g_autofree char *path = g_build_filename (root, rel, NULL);
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;

    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL) {
        g_autofree char *r = *rel ? g_build_filename (rel, name, NULL)
                                  : g_strdup (name);
        g_autofree char *full = g_build_filename (root, r, NULL);

        if (g_file_test (full, G_FILE_TEST_IS_DIR))
            list_files (root, r, out);
        else
            g_ptr_array_add (out, g_steal_pointer (&r));
    }
    g_dir_close (d);
}

static gint
cmp_str (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The two directories hold the same files, byte for byte. */
static void
assert_same_tree (const char *a, const char *b)
{
    g_autoptr (GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

    list_files (a, "", fa);
    list_files (b, "", fb);
    g_ptr_array_sort (fa, cmp_str);
    g_ptr_array_sort (fb, cmp_str);
    g_assert_cmpuint (fa->len, >, 0);
    for (guint i = 0; i < MAX (fa->len, fb->len); i++) {
        const char *na = i < fa->len ? g_ptr_array_index (fa, i) : "(none)";
        const char *nb = i < fb->len ? g_ptr_array_index (fb, i) : "(none)";
        g_autofree char *pa = g_build_filename (a, na, NULL);
        g_autofree char *pb = g_build_filename (b, nb, NULL);
        g_autofree char *ca = NULL;
        g_autofree char *cb = NULL;
        gsize la, lb;

        g_assert_cmpstr (na, ==, nb);
        g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
        g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
        if (la != lb || memcmp (ca, cb, la) != 0)
            g_error ("%s differs between %s and %s", na, a, b);
    }
}

static double
num (const char *s)
{
    return *s ? g_ascii_strtod (s, NULL) : NAN;
}

static guint
csv_rows (const char *dir, const char *name)
{
    g_autofree char *p = g_build_filename (dir, name, NULL);
    g_autoptr (SimTestCsv) csv = sim_test_csv_load (p);

    return csv->rows->len;
}

/* --- stats ------------------------------------------------------------------ */

static void
test_stats (void)
{
    const double x[] = { 1, 2, NAN, 3, 4, 5 };
    const double a[] = { 10, 11, 12, NAN };
    const double b[] = { 11, 13, 15, 7 };
    SimStats s;

    g_test_summary ("mean and t half-width: 2.776 (t 0.975 with 4 "
                    "degrees of freedom) * sd / sqrt(n), missing values "
                    "skipped, pairs by index");
    sim_stats_compute (x, G_N_ELEMENTS (x), 0.95, &s);
    g_assert_cmpuint (s.n, ==, 5);
    g_assert_cmpfloat_with_epsilon (s.mean, 3.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (s.sd, sqrt (2.5), 1e-12);
    g_assert_cmpfloat_with_epsilon (s.hw, 2.7764451 * sqrt (2.5) / sqrt (5),
                                    1e-6);
    sim_stats_compute (x, 1, 0.95, &s);
    g_assert_cmpuint (s.n, ==, 1);
    g_assert_cmpfloat (s.mean, ==, 1.0);
    g_assert_true (isnan (s.hw));
    sim_stats_paired (a, b, 4, 0.95, &s);
    g_assert_cmpuint (s.n, ==, 3);
    g_assert_cmpfloat_with_epsilon (s.mean, 2.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (s.hw, 4.3026527 * 1.0 / sqrt (3), 1e-6);
}

/* --- determinism -------------------------------------------------------------- */

static void
test_compare_jobs (Fixture *f, gconstpointer data)
{
    g_autofree char *o1 = path_in (f, "j1");
    g_autofree char *o4 = path_in (f, "j4");
    const char *a1[] = {
        "compare", f->small, "--strategy", "rolling,recreate", "--reps",
        "6",       "--jobs", "1",          "--no-plots",       "-q",
        "-o",      o1,       NULL
    };
    const char *a4[] = {
        "compare", f->small, "--strategy", "rolling,recreate", "--reps",
        "6",       "--jobs", "4",          "--no-plots",       "-q",
        "-o",      o4,       NULL
    };

    g_test_summary ("compare writes the same bytes with --jobs 1 and 4");
    g_free (rollsim (0, a1));
    g_free (rollsim (0, a4));
    g_assert_cmpuint (csv_rows (o1, "runs.csv"), ==, 12);
    g_assert_cmpuint (csv_rows (o1, "compare.csv"), ==, 2);
    assert_same_tree (o1, o4);
}

static void
test_sweep_jobs (Fixture *f, gconstpointer data)
{
    g_autofree char *o1 = path_in (f, "j1");
    g_autofree char *o4 = path_in (f, "j4");
    const char *a1[] = { "sweep",      f->small,
                         "--vary",     "strategy.rolling.max_surge=1,2,25%",
                         "--vary",     "strategy.rolling.max_unavailable=0,1",
                         "--reps",     "4",
                         "--jobs",     "1",
                         "--no-plots", "-q",
                         "-o",         o1,
                         NULL };
    const char *a4[] = { "sweep",      f->small,
                         "--vary",     "strategy.rolling.max_surge=1,2,25%",
                         "--vary",     "strategy.rolling.max_unavailable=0,1",
                         "--reps",     "4",
                         "--jobs",     "4",
                         "--no-plots", "-q",
                         "-o",         o4,
                         NULL };

    g_test_summary ("sweep writes the same bytes with --jobs 1 and 4");
    g_free (rollsim (0, a1));
    g_free (rollsim (0, a4));
    g_assert_cmpuint (csv_rows (o1, "sweep.csv"), ==, 6);
    g_assert_cmpuint (csv_rows (o1, "runs.csv"), ==, 24);
    assert_same_tree (o1, o4);
}

/* Run @command's @args whole and as shards 1/3, 2/3, 3/3, merge those
 * (in another order), and compare.  With plots when gnuplot is here. */
static void
check_shards (Fixture *f, const char *command, const char *const *args)
{
    g_autofree char *whole = path_in (f, "whole");
    g_autofree char *merged = path_in (f, "merged");
    g_autoptr (GPtrArray) shard_dirs = g_ptr_array_new_with_free_func (g_free);
    gboolean plots = have_gnuplot ();
    guint total = 0;

    for (gint k = 0; k <= 3; k++) {
        g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *spec = g_strdup_printf ("%d/3", k);
        g_autofree char *name = g_strdup_printf ("shard%d", k);

        g_ptr_array_add (argv, g_strdup (command));
        g_ptr_array_add (argv, g_strdup (f->small));
        for (guint i = 0; args[i] != NULL; i++)
            g_ptr_array_add (argv, g_strdup (args[i]));
        g_ptr_array_add (argv, g_strdup ("-q"));
        g_ptr_array_add (argv, g_strdup ("-o"));
        if (k == 0) {
            g_ptr_array_add (argv, g_strdup (whole));
            if (!plots)
                g_ptr_array_add (argv, g_strdup ("--no-plots"));
        } else {
            g_ptr_array_add (argv, path_in (f, name));
            g_ptr_array_add (argv, g_strdup ("--shard"));
            g_ptr_array_add (argv, g_strdup (spec));
            g_ptr_array_add (shard_dirs, path_in (f, name));
        }
        g_ptr_array_add (argv, NULL);
        g_free (rollsim (0, (const char *const *) argv->pdata));
        if (k > 0) {
            g_autofree char *partial = path_in (f, name);
            g_autofree char *agg = g_build_filename (
                partial,
                strcmp (command, "compare") == 0 ? "compare.csv" : "sweep.csv",
                NULL);

            /* A partial result: its runs, no aggregate. */
            g_assert_false (g_file_test (agg, G_FILE_TEST_EXISTS));
            total += csv_rows (partial, "runs.csv");
        }
    }
    g_assert_cmpuint (total, ==, csv_rows (whole, "runs.csv"));
    {
        const char *argv[] = { "merge",
                               g_ptr_array_index (shard_dirs, 2),
                               g_ptr_array_index (shard_dirs, 0),
                               g_ptr_array_index (shard_dirs, 1),
                               "-o",
                               merged,
                               "-q",
                               plots ? NULL : "--no-plots",
                               NULL };

        g_free (rollsim (0, argv));
    }
    assert_same_tree (whole, merged);
}

static void
test_sweep_shards (Fixture *f, gconstpointer data)
{
    const char *args[] = { "--vary", "strategy.rolling.max_surge=0,1,2",
                           "--vary", "strategy.rolling.max_unavailable=0,1",
                           "--reps", "5",
                           NULL };

    g_test_summary ("a sweep run whole equals its shards 1/3, 2/3, 3/3 "
                    "merged, byte for byte (plots included when gnuplot "
                    "is installed)");
    check_shards (f, "sweep", args);
}

static void
test_compare_shards (Fixture *f, gconstpointer data)
{
    const char *args[] = { "--strategy", "rolling,recreate", "--reps", "7",
                           NULL };

    g_test_summary ("a compare run whole equals its shards merged, byte "
                    "for byte");
    check_shards (f, "compare", args);
}

/* --- common random numbers ------------------------------------------------------ */

static void
test_crn (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "crn");
    g_autofree char *diffs = g_build_filename (out, "differences.csv", NULL);
    g_autofree char *cmp = g_build_filename (out, "compare.csv", NULL);
    const char *argv[] = { "compare",    f->small,
                           "--strategy", "rolling,rolling,recreate",
                           "--reps",     "8",
                           "--no-plots", "-o",
                           out,          NULL };
    g_autoptr (SimTestCsv) d = NULL;
    g_autoptr (SimTestCsv) c = NULL;
    g_autofree char *err = NULL;
    guint same = 0, arrivals = 0, latency = 0;

    g_test_summary ("common random numbers: two identical variants differ "
                    "by exactly 0 in every metric; every strategy sees the "
                    "same arrivals; pairing narrows the interval");
    err = rollsim (0, argv);
    /* No progress line when stderr is not a terminal. */
    g_assert_cmpstr (err, ==, "");
    d = sim_test_csv_load (diffs);
    c = sim_test_csv_load (cmp);
    g_assert_cmpstr (sim_test_csv_get (c, 1, "variant"), ==, "rolling#2");
    for (guint r = 0; r < d->rows->len; r++) {
        const char *v = sim_test_csv_get (d, r, "variant");
        const char *base = sim_test_csv_get (d, r, "baseline");
        const char *metric = sim_test_csv_get (d, r, "metric");
        double mean = num (sim_test_csv_get (d, r, "difference_mean"));
        double hw = num (sim_test_csv_get (d, r, "difference_hw"));

        if (strcmp (v, "rolling#2") == 0 && strcmp (base, "rolling") == 0) {
            g_assert_cmpfloat (mean, ==, 0);
            g_assert_cmpfloat (hw, ==, 0);
            same++;
        }
        if (strcmp (v, "recreate") == 0 && strcmp (base, "rolling") == 0
            && strcmp (metric, "arrivals") == 0) {
            g_assert_cmpfloat (mean, ==, 0);
            g_assert_cmpfloat (hw, ==, 0);
            arrivals++;
        }
        if (strcmp (v, "recreate") == 0 && strcmp (base, "rolling") == 0
            && strcmp (metric, "mean_ms") == 0) {
            /* Paired against unpaired: sqrt(hw_a^2 + hw_b^2). */
            double ha = num (sim_test_csv_get (c, 0, "mean_ms_hw"));
            double hb = num (sim_test_csv_get (c, 2, "mean_ms_hw"));

            g_assert_cmpfloat (hw, <, 0.5 * sqrt (ha * ha + hb * hb));
            latency++;
        }
    }
    g_assert_cmpuint (same, >=, 20);
    g_assert_cmpuint (arrivals, ==, 1);
    g_assert_cmpuint (latency, ==, 1);
}

/* --- confidence intervals ---------------------------------------------------------- */

static void
test_mm1_coverage (Fixture *f, gconstpointer data)
{
    g_autofree char *ini = path_in (f, "mm1.ini");
    g_autofree char *out = path_in (f, "mm1");
    g_autofree char *sweep = g_build_filename (out, "sweep.csv", NULL);
    g_autoptr (GString) seeds = g_string_new ("scenario.seed=");
    g_autoptr (SimTestCsv) csv = NULL;
    guint covered = 0;

    g_test_summary ("the 95% interval of mean latency covers the M/M/1 "
                    "value 1/(mu - lambda) = 20 ms for about 95 of 100 "
                    "independent experiments of 10 replications");
    g_assert_true (g_file_set_contents (ini, mm1_ini, -1, NULL));
    /* Seeds 1000 apart: the experiments share no replication seed. */
    for (guint i = 1; i <= 100; i++)
        g_string_append_printf (seeds, "%s%u", i > 1 ? "," : "", i * 1000);
    {
        const char *argv[] = { "sweep",      ini,  "--vary",    seeds->str,
                               "--reps",     "10", "--metrics", "mean_ms",
                               "--no-plots", "-q", "-o",        out,
                               NULL };

        g_free (rollsim (0, argv));
    }
    csv = sim_test_csv_load (sweep);
    g_assert_cmpuint (csv->rows->len, ==, 100);
    for (guint r = 0; r < csv->rows->len; r++) {
        double mean = num (sim_test_csv_get (csv, r, "mean_ms_mean"));
        double hw = num (sim_test_csv_get (csv, r, "mean_ms_hw"));

        g_assert_cmpstr (sim_test_csv_get (csv, r, "mean_ms_n"), ==, "10");
        covered += fabs (mean - 20.0) <= hw;
    }
    g_test_message ("%u of 100 intervals cover 20 ms", covered);
    /* Binomial(100, 0.95): 88..99 holds with probability 0.99; a z
     * interval, a missing sqrt(n) or a shared seed falls outside. */
    g_assert_cmpuint (covered, >=, 88);
    g_assert_cmpuint (covered, <=, 99);
}

static void
test_precision (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "prec");
    g_autofree char *cap = path_in (f, "cap");
    g_autofree char *ini = g_build_filename (out, "experiment.ini", NULL);
    g_autofree char *cmp = g_build_filename (out, "compare.csv", NULL);
    g_autofree char *cap_ini = g_build_filename (cap, "experiment.ini", NULL);
    const char *argv[] = { "compare",
                           f->small,
                           "--strategy",
                           "rolling,recreate",
                           "--reps",
                           "3",
                           "--precision",
                           "5%",
                           "--precision-metrics",
                           "mean_ms,pod_seconds",
                           "--no-plots",
                           "-q",
                           "-o",
                           out,
                           NULL };
    const char *capped[] = { "compare",     f->small, "--reps",     "3",
                             "--precision", "0.1%",   "--max-reps", "6",
                             "--no-plots",  "-q",     "-o",         cap,
                             NULL };
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autoptr (SimTestCsv) csv = NULL;
    g_autofree char *err = NULL;
    gint reps;

    g_test_summary ("--precision adds replications until every half-width "
                    "is within 5% of its mean; a cap is said plainly");
    g_free (rollsim (0, argv));
    g_assert_true (g_key_file_load_from_file (kf, ini, 0, NULL));
    g_assert_true (g_key_file_get_boolean (kf, "experiment",
                                           "precision_reached", NULL));
    reps = g_key_file_get_integer (kf, "experiment", "replications", NULL);
    g_assert_cmpint (reps, >, 3);
    csv = sim_test_csv_load (cmp);
    for (guint r = 0; r < csv->rows->len; r++) {
        g_assert_cmpint (atoi (sim_test_csv_get (csv, r, "replications")), ==,
                         reps);
        g_assert_cmpfloat (
            num (sim_test_csv_get (csv, r, "mean_ms_hw")), <=,
            0.05 * num (sim_test_csv_get (csv, r, "mean_ms_mean")));
    }

    err = rollsim (0, capped);
    g_assert_nonnull (strstr (err, "not reached after 6 replications"));
    g_assert_true (g_key_file_load_from_file (kf, cap_ini, 0, NULL));
    g_assert_false (g_key_file_get_boolean (kf, "experiment",
                                            "precision_reached", NULL));
    g_assert_cmpint (
        g_key_file_get_integer (kf, "experiment", "replications", NULL), ==, 6);
}

/* --- reproducing one run ------------------------------------------------------------ */

static void
test_rerun (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "sweep");
    g_autofree char *one = path_in (f, "one");
    g_autofree char *two = path_in (f, "two");
    g_autofree char *runs_path = g_build_filename (out, "runs.csv", NULL);
    g_autofree char *summary = g_build_filename (one, "summary.csv", NULL);
    g_autofree char *scenario = g_build_filename (one, "scenario.ini", NULL);
    g_autofree char *summary2 = g_build_filename (two, "summary.csv", NULL);
    const char *argv[] = { "sweep",      f->small,
                           "--vary",     "strategy.rolling.max_surge=1,3",
                           "--vary",     "traffic.rate=10,30",
                           "--reps",     "5",
                           "--seed",     "40",
                           "--no-plots", "-q",
                           "-o",         out,
                           NULL };
    g_autoptr (SimTestCsv) runs = NULL;
    g_autoptr (SimTestCsv) s1 = NULL;
    g_autoptr (SimTestCsv) s2 = NULL;
    g_autofree char *text = NULL;
    g_autofree char *hash = NULL;
    g_autofree char *seed = NULL;
    g_autofree char *surge = NULL;
    g_autofree char *rate = NULL;
    g_autofree char *file = NULL;
    guint row = 0;

    g_test_summary ("any row of runs.csv is reproduced by rollsim run with "
                    "its settings and seed (same summary, same scenario "
                    "SHA-256), or with variants/N.ini and the seed");
    g_free (rollsim (0, argv));
    runs = sim_test_csv_load (runs_path);
    g_assert_cmpuint (runs->rows->len, ==, 20);
    /* max_surge=3 traffic.rate=10, replication 3. */
    for (row = 0; row < runs->rows->len; row++)
        if (strcmp (sim_test_csv_get (runs, row, "variant"),
                    "max_surge=3 rate=10")
                == 0
            && strcmp (sim_test_csv_get (runs, row, "replication"), "3") == 0)
            break;
    g_assert_cmpuint (row, <, runs->rows->len);
    seed = g_strdup (sim_test_csv_get (runs, row, "seed"));
    /* splitmix64 output 3 from 40 (docs/experiments.md), computed apart
     * with Python's integers. */
    g_assert_cmpstr (seed, ==, "12082950346204438460");
    surge = g_strdup_printf ("strategy.rolling.max_surge=%s",
                             sim_test_csv_get (runs, row,
                                               "strategy.rolling.max_surge"));
    rate = g_strdup_printf ("traffic.rate=%s",
                            sim_test_csv_get (runs, row, "traffic.rate"));
    {
        const char *run[] = { "run", f->small, "--set", surge,        "--set",
                              rate,  "--seed", seed,    "--no-plots", "-q",
                              "-o",  one,      NULL };

        g_free (rollsim (0, run));
    }
    s1 = sim_test_csv_load (summary);
    for (guint c = 0; c < s1->header->len; c++) {
        const char *name = g_ptr_array_index (s1->header, c);

        g_assert_cmpstr (sim_test_csv_get (s1, 0, name), ==,
                         sim_test_csv_get (runs, row, name));
    }
    g_assert_true (g_file_get_contents (scenario, &text, NULL, NULL));
    hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
    g_assert_cmpstr (hash, ==, sim_test_csv_get (runs, row, "scenario_sha256"));

    file = g_build_filename (out, sim_test_csv_get (runs, row, "variant_file"),
                             NULL);
    {
        const char *run[] = { "run", file, "--seed", seed, "--no-plots",
                              "-q",  "-o", two,      NULL };

        g_free (rollsim (0, run));
    }
    s2 = sim_test_csv_load (summary2);
    for (guint c = 0; c < s2->header->len; c++) {
        const char *name = g_ptr_array_index (s2->header, c);

        g_assert_cmpstr (sim_test_csv_get (s2, 0, name), ==,
                         sim_test_csv_get (runs, row, name));
    }
}

/* --- invalid combinations, errors ------------------------------------------------------ */

static void
test_sweep_skip (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "skip");
    g_autofree char *ini = g_build_filename (out, "experiment.ini", NULL);
    const char *argv[] = { "sweep",      f->small,
                           "--vary",     "strategy.rolling.max_surge=0,1",
                           "--vary",     "strategy.rolling.max_unavailable=0,1",
                           "--reps",     "2",
                           "--no-plots", "-o",
                           out,          NULL };
    g_autofree char *err = NULL;
    g_autofree char *text = NULL;

    g_test_summary ("a combination Kubernetes rejects (max_surge and "
                    "max_unavailable both 0) is skipped with a note naming "
                    "it, and not run");
    err = rollsim (0, argv);
    g_assert_nonnull (strstr (err, "skipping max_surge=0 "
                                   "max_unavailable=0: "));
    g_assert_cmpuint (csv_rows (out, "sweep.csv"), ==, 3);
    g_assert_cmpuint (csv_rows (out, "runs.csv"), ==, 6);
    g_assert_true (g_file_get_contents (ini, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "skipped=max_surge=0 "
                                    "max_unavailable=0: "));
}

/* The scenario's max_unavailable is 0: max_surge 0 conflicts with it (a
 * valid value, skipped), "x" is no value at all (an error at once, before
 * anything runs). */
static void
test_sweep_conflict_malformed (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "conflict");
    g_autofree char *bad = path_in (f, "malformed");
    const char *conflict[] = { "sweep",      f->small,
                               "--vary",     "strategy.rolling.max_surge=0,1",
                               "--reps",     "2",
                               "--no-plots", "-o",
                               out,          NULL };
    const char *malformed[] = { "sweep",      f->small,
                                "--vary",     "strategy.rolling.max_surge=0,x",
                                "--reps",     "2",
                                "--no-plots", "-o",
                                bad,          NULL };
    g_autoptr (SimTestCsv) csv = NULL;
    g_autofree char *sweep = g_build_filename (out, "sweep.csv", NULL);
    g_autofree char *err = NULL;

    g_test_summary ("a value that conflicts with the scenario (max_surge 0 "
                    "when max_unavailable is 0) is skipped with a note and "
                    "the rest runs; a malformed value exits 2 at once, "
                    "naming it");
    err = rollsim (0, conflict);
    g_assert_nonnull (strstr (err, "rollsim: sweep: skipping max_surge=0: "
                                   "strategy.rolling.max_surge: may not be 0 "
                                   "when max_unavailable is 0"));
    csv = sim_test_csv_load (sweep);
    g_assert_cmpuint (csv->rows->len, ==, 1);
    g_assert_cmpstr (sim_test_csv_get (csv, 0, "strategy.rolling.max_surge"),
                     ==, "1");
    g_assert_cmpuint (csv_rows (out, "runs.csv"), ==, 2);

    g_free (err);
    err = rollsim (2, malformed);
    g_assert_nonnull (strstr (err, "rollsim: sweep: --vary: "
                                   "strategy.rolling.max_surge: invalid "
                                   "integer or percentage \"x\""));
    g_assert_null (strstr (err, "skipping"));
    g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

typedef struct {
    const char *name;
    const char *argv[16];
    const char *message;
} BadCase;

static const BadCase bad_cases[] = {
    { "vary-unknown-key",
      { "sweep", "@", "--vary", "strategy.rolling.max_surg=1,2", NULL },
      "rollsim: sweep: --vary: strategy.rolling.max_surg: unknown key (did "
      "you mean strategy.rolling.max_surge?)" },
    { "vary-empty-list",
      { "sweep", "@", "--vary", "strategy.rolling.max_surge=", NULL },
      "rollsim: sweep: --vary strategy.rolling.max_surge=: empty value "
      "list" },
    { "vary-empty-value",
      { "sweep", "@", "--vary", "strategy.rolling.max_surge=1,,2", NULL },
      "value 2 is empty" },
    { "vary-no-key",
      { "sweep", "@", "--vary", "=1,2", NULL },
      "expected GROUP.KEY=" },
    { "vary-missing", { "sweep", "@", NULL }, "--vary GROUP.KEY=" },
    { "vary-bad-value",
      { "sweep", "@", "--vary", "strategy.rolling.max_surge=1,x", NULL },
      "rollsim: sweep: --vary: strategy.rolling.max_surge: invalid integer "
      "or percentage \"x\"" },
    { "vary-every-combination-conflicts",
      { "sweep", "@", "--vary", "strategy.rolling.max_surge=0", NULL },
      "rollsim: sweep: --vary: nothing to run: every combination is "
      "rejected (the first: max_surge=0: strategy.rolling.max_surge: may "
      "not be 0 when max_unavailable is 0" },
    { "shard-zero",
      { "sweep", "@", "--vary", "traffic.rate=1,2", "--shard", "0/3", NULL },
      "rollsim: sweep: --shard 0/3: expected K/N" },
    { "shard-beyond",
      { "sweep", "@", "--vary", "traffic.rate=1,2", "--shard", "4/3", NULL },
      "--shard 4/3: expected K/N" },
    { "shard-no-slash",
      { "compare", "@", "--shard", "2", NULL },
      "--shard 2: expected K/N" },
    { "shard-words",
      { "compare", "@", "--shard", "one/two", NULL },
      "--shard one/two: expected K/N" },
    { "shard-precision",
      { "compare", "@", "--shard", "1/2", "--precision", "5%", NULL },
      "--precision and --shard do not mix" },
    { "unknown-strategy",
      { "compare", "@", "--strategy", "rolling,nosuch", NULL },
      "unknown strategy \"nosuch\" (accepted: " },
    { "bad-precision",
      { "compare", "@", "--precision", "0%", NULL },
      "--precision 0%:" },
    { "bad-reps", { "compare", "@", "--reps", "0", NULL }, "--reps 0:" },
    { "unknown-metric",
      { "sweep", "@", "--vary", "traffic.rate=1,2", "--metrics", "nope", NULL },
      "unknown metric \"nope\" (accepted: " },
};

static void
test_bad (Fixture *f, gconstpointer data)
{
    const BadCase *c = data;
    g_autofree char *out = path_in (f, "out");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *err = NULL;

    g_test_summary ("bad command lines exit 2 with a message naming the "
                    "problem, and write nothing");
    for (guint i = 0; c->argv[i] != NULL; i++)
        g_ptr_array_add (argv, (gpointer) (strcmp (c->argv[i], "@") == 0
                                               ? f->small
                                               : c->argv[i]));
    g_ptr_array_add (argv, "-o");
    g_ptr_array_add (argv, out);
    g_ptr_array_add (argv, "--no-plots");
    g_ptr_array_add (argv, NULL);
    err = rollsim (2, (const char *const *) argv->pdata);
    if (strstr (err, c->message) == NULL)
        g_error ("expected \"%s\" in: %s", c->message, err);
    g_assert_true (g_str_has_prefix (err, "rollsim: "));
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* Shards of two experiments, and other misuse of merge. */
static void
test_merge_errors (Fixture *f, gconstpointer data)
{
    g_autofree char *a1 = path_in (f, "a1");
    g_autofree char *a2 = path_in (f, "a2");
    g_autofree char *b2 = path_in (f, "b2");
    g_autofree char *c2 = path_in (f, "c2");
    g_autofree char *out = path_in (f, "merged");
    const char *sweep_a1[] = {
        "sweep",  f->small, "--vary",  "strategy.rolling.max_surge=1,2",
        "--reps", "3",      "--shard", "1/2",
        "-q",     "-o",     a1,        NULL
    };
    const char *sweep_a2[] = {
        "sweep",  f->small, "--vary",  "strategy.rolling.max_surge=1,2",
        "--reps", "3",      "--shard", "2/2",
        "-q",     "-o",     a2,        NULL
    };
    /* The same command line on another scenario (replicas 5). */
    const char *sweep_b2[] = { "sweep",   f->small,
                               "--vary",  "strategy.rolling.max_surge=1,2",
                               "--reps",  "3",
                               "--shard", "2/2",
                               "--set",   "deployment.replicas=5",
                               "-q",      "-o",
                               b2,        NULL };
    const char *sweep_c2[] = {
        "sweep",  f->small, "--vary",  "strategy.rolling.max_surge=1,2",
        "--reps", "3",      "--shard", "2/3",
        "-q",     "-o",     c2,        NULL
    };
    static const struct {
        const char *dirs; /* a1, a2, b2, c2, nowhere */
        const char *message;
    } cases[] = {
        { "a1 b2", "are parts of different experiments (variant 1, "
                   "max_surge=1, has another scenario: [deployment]: "
                   "replicas = 4 vs replicas = 5)" },
        { "a1", "shard 2/2 is missing" },
        { "a1 a1 a2", "shard 1/2 is given twice" },
        { "a1 c2", "is shard 2/3 but" },
        { "a1 nowhere", "not a compare or sweep result" },
    };

    g_test_summary ("merge refuses, with exit 2 and a clear message, "
                    "shards of different scenarios, missing or repeated "
                    "shards, shards of different splits, and directories "
                    "that are not results");
    g_free (rollsim (0, sweep_a1));
    g_free (rollsim (0, sweep_a2));
    g_free (rollsim (0, sweep_b2));
    g_free (rollsim (0, sweep_c2));
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_auto (GStrv) names = g_strsplit (cases[i].dirs, " ", -1);
        g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *err = NULL;

        g_ptr_array_add (argv, g_strdup ("merge"));
        for (guint j = 0; names[j] != NULL; j++)
            g_ptr_array_add (argv, path_in (f, names[j]));
        g_ptr_array_add (argv, g_strdup ("-o"));
        g_ptr_array_add (argv, g_strdup (out));
        g_ptr_array_add (argv, g_strdup ("--no-plots"));
        g_ptr_array_add (argv, NULL);
        err = rollsim (2, (const char *const *) argv->pdata);
        if (strstr (err, cases[i].message) == NULL)
            g_error ("merge %s: expected \"%s\" in: %s", cases[i].dirs,
                     cases[i].message, err);
        g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    }
    {
        const char *ok[] = { "merge", a2,           a1,   "-o",
                             out,     "--no-plots", "-q", NULL };

        g_free (rollsim (0, ok));
        g_assert_cmpuint (csv_rows (out, "sweep.csv"), ==, 2);
    }
}

/* --- outcomes ------------------------------------------------------------------------ */

/* The line of @text that starts with @prefix (owned), or NULL. */
static char *
line_starting (const char *text, const char *prefix)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], prefix))
            return g_strdup (lines[i]);
    return NULL;
}

static void
test_outcomes (Fixture *f, gconstpointer data)
{
    g_autofree char *sw = path_in (f, "sw");
    g_autofree char *cmp = path_in (f, "cmp");
    g_autofree char *sweep_csv = g_build_filename (sw, "sweep.csv", NULL);
    g_autofree char *compare_csv = g_build_filename (cmp, "compare.csv", NULL);
    /* In 14 s, max_surge 1 cannot replace 4 pods; max_surge 4 can. */
    const char *sweep[] = { "sweep",      f->small,
                            "--vary",     "strategy.rolling.max_surge=1,4",
                            "--set",      "scenario.duration=14s",
                            "--reps",     "3",
                            "--metrics",  "errors,peak_pods,rollout_duration_s",
                            "--no-plots", "-o",
                            sw,           NULL };
    const char *compare[] = { "compare",    f->small,
                              "--strategy", "rolling,recreate",
                              "--set",      "scenario.duration=14s",
                              "--reps",     "3",
                              "--no-plots", "-o",
                              cmp,          NULL };
    static const char *const tail[] = { "completed", "aborted", "stalled",
                                        "unfinished" };
    g_autoptr (SimTestCsv) s = NULL;
    g_autoptr (SimTestCsv) c = NULL;
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autofree char *row1 = NULL;
    g_autofree char *outcomes = NULL;
    gint rc;

    g_test_summary ("compare.csv and sweep.csv end with the counts of "
                    "replications completed, aborted, stalled and "
                    "unfinished; a variant that did not complete is never "
                    "marked best, and the tables say how each ended");
    rc = sim_test_rollsim (sweep, &out, &err);
    g_assert_cmpint (rc, ==, 0);
    s = sim_test_csv_load (sweep_csv);
    for (guint k = 0; k < 4; k++)
        g_assert_cmpstr (g_ptr_array_index (s->header, s->header->len - 4 + k),
                         ==, tail[k]);
    g_assert_cmpstr (sim_test_csv_get (s, 0, "strategy.rolling.max_surge"), ==,
                     "1");
    g_assert_cmpstr (sim_test_csv_get (s, 0, "unfinished"), ==, "3");
    g_assert_cmpstr (sim_test_csv_get (s, 0, "completed"), ==, "0");
    g_assert_cmpstr (sim_test_csv_get (s, 1, "completed"), ==, "3");
    g_assert_cmpstr (sim_test_csv_get (s, 1, "unfinished"), ==, "0");
    /* Fewer errors and pods than max_surge 4, because it never finished:
     * no star. */
    row1 = line_starting (out, "1 ");
    g_assert_nonnull (row1);
    g_assert_null (strchr (row1, '*'));
    g_assert_nonnull (strstr (row1, "unfinished 3/3"));

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    rc = sim_test_rollsim (compare, &out, &err);
    g_assert_cmpint (rc, ==, 0);
    c = sim_test_csv_load (compare_csv);
    g_assert_cmpstr (g_ptr_array_index (c->header, c->header->len - 1), ==,
                     "unfinished");
    g_assert_cmpstr (sim_test_csv_get (c, 0, "variant"), ==, "rolling");
    g_assert_cmpstr (sim_test_csv_get (c, 0, "unfinished"), ==, "3");
    g_assert_cmpstr (sim_test_csv_get (c, 1, "completed"), ==, "3");
    outcomes = line_starting (out, "outcomes ");
    g_assert_nonnull (outcomes);
    g_assert_nonnull (strstr (outcomes, "unfinished 3/3"));
    g_assert_nonnull (strstr (outcomes, "3/3 completed"));

    /* The sweep plot marks the point that did not complete (sweep.dat's
     * third column is 0). */
    if (have_gnuplot ()) {
        g_autofree char *dat = g_build_filename (sw, "plots", "sweep.dat",
                                                 NULL);
        g_autofree char *text = NULL;

        sweep[10] = "-q"; /* plots this time */
        g_free (rollsim (0, sweep));
        g_assert_true (g_file_get_contents (dat, &text, NULL, NULL));
        g_assert_nonnull (strstr (text, "\n\"1\" 1 0 "));
        g_assert_nonnull (strstr (text, "\n\"4\" 4 1 "));
    }
}

/* --- seeds --------------------------------------------------------------------------- */

/* The values of the formula of docs/experiments.md, computed apart (with
 * Python's integers): mix64 (seed + i * 0x9e3779b97f4a7c15). */
static const char *const seeds_1[] = { "1", "10451216379200822465",
                                       "13757245211066428519",
                                       "17911839290282890590" };
static const char *const seeds_2[] = { "2", "10905525725756348110",
                                       "13819372491320860226",
                                       "10987583248141275951" };

static void
test_seed_sweep (Fixture *f, gconstpointer data)
{
    g_autofree char *out = path_in (f, "seeds");
    g_autofree char *top = path_in (f, "top");
    g_autofree char *runs_path = g_build_filename (out, "runs.csv", NULL);
    g_autofree char *top_runs = g_build_filename (top, "runs.csv", NULL);
    const char *argv[] = {
        "sweep", f->small, "--vary", "scenario.seed=1,2", "--reps", "4",
        "-q",    "-o",     out,      "--no-plots",        NULL
    };
    const char *argv_top[] = {
        "compare", f->small, "--seed", "18446744073709551615",
        "--reps",  "2",      "-q",     "--no-plots",
        "-o",      top,      NULL
    };
    g_autoptr (SimTestCsv) runs = NULL;
    g_autoptr (SimTestCsv) top_csv = NULL;
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GHashTable)
        arrivals = g_hash_table_new (g_str_hash, g_str_equal);

    g_test_summary ("sweeping scenario.seed gives independent runs: "
                    "replication i of seed s runs the seed mixed from "
                    "(s, i) (docs/experiments.md), written in runs.csv; "
                    "seeds 1 and 2 share no run; nothing wraps at 2^64");
    g_free (rollsim (0, argv));
    runs = sim_test_csv_load (runs_path);
    g_assert_cmpuint (runs->rows->len, ==, 8);
    for (guint r = 0; r < runs->rows->len; r++) {
        const char *variant = sim_test_csv_get (runs, r, "variant");
        guint rep = (guint) g_ascii_strtoull (
            sim_test_csv_get (runs, r, "replication"), NULL, 10);
        const char *seed = sim_test_csv_get (runs, r, "seed");

        g_assert_cmpuint (rep, <, 4);
        g_assert_cmpstr (seed, ==,
                         strcmp (variant, "seed=1") == 0 ? seeds_1[rep]
                                                         : seeds_2[rep]);
        g_assert_false (g_hash_table_contains (seen, seed));
        g_hash_table_add (seen, (gpointer) seed);
        g_hash_table_add (arrivals,
                          (gpointer) sim_test_csv_get (runs, r, "arrivals"));
    }
    /* Eight different streams: their arrival counts are not the same four
     * numbers twice. */
    g_assert_cmpuint (g_hash_table_size (arrivals), >, 4);

    g_free (rollsim (0, argv_top));
    top_csv = sim_test_csv_load (top_runs);
    g_assert_cmpstr (sim_test_csv_get (top_csv, 0, "seed"), ==,
                     "18446744073709551615");
    g_assert_cmpstr (sim_test_csv_get (top_csv, 1, "seed"), ==,
                     "16490336266968443936");
}

/* --- plots --------------------------------------------------------------------------- */

static void
test_plots (Fixture *f, gconstpointer data)
{
    g_autofree char *c = path_in (f, "c");
    g_autofree char *s = path_in (f, "s");
    const char *compare[] = {
        "compare", f->small, "--strategy", "rolling,recreate",
        "--reps",  "3",      "-q",         "-o",
        c,         NULL
    };
    const char *sweep[] = { "sweep",  f->small,
                            "--vary", "strategy.rolling.max_surge=1,25%",
                            "--vary", "strategy.rolling.max_unavailable=0,1",
                            "--reps", "3",
                            "-q",     "-o",
                            s,        NULL };
    const char *files[] = { "c/plots/compare-pods.png",
                            "c/plots/compare-errors.png",
                            "s/plots/sweep-rollout_duration_s.png",
                            "s/plots/sweep-errors.png", NULL };

    g_test_summary ("compare draws pods and errors over time per variant; "
                    "sweep draws each metric against the first key");
    if (!have_gnuplot ()) {
        g_test_skip ("gnuplot is not installed");
        return;
    }
    g_free (rollsim (0, compare));
    g_free (rollsim (0, sweep));
    for (guint i = 0; files[i] != NULL; i++) {
        g_autofree char *p = path_in (f, files[i]);
        GStatBuf st;

        g_assert_cmpint (g_stat (p, &st), ==, 0);
        g_assert_cmpint (st.st_size, >, 1000);
    }
    /* The rollout starts at 5 s: the first surge pod is drawn there, not
     * a sample step later. */
    {
        g_autofree char *dat = path_in (f, "c/plots/compare.dat");
        g_autofree char *text = NULL;
        g_auto (GStrv) lines = NULL;
        double first = -1;

        g_assert_true (g_file_get_contents (dat, &text, NULL, NULL));
        lines = g_strsplit (text, "\n", -1);
        for (guint i = 0; lines[i] != NULL && first < 0; i++) {
            double t, pods;

            if (sscanf (lines[i], "%lf %lf", &t, &pods) == 2 && pods > 4)
                first = t;
        }
        g_assert_cmpfloat (first, ==, 5.0);
    }
}

#define ADD(path, fn) \
    g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/experiment/stats/t-interval", test_stats);
    ADD ("/experiment/compare/jobs-identical", test_compare_jobs);
    ADD ("/experiment/sweep/jobs-identical", test_sweep_jobs);
    ADD ("/experiment/sweep/shards-merged-identical", test_sweep_shards);
    ADD ("/experiment/compare/shards-merged-identical", test_compare_shards);
    ADD ("/experiment/compare/crn-paired-zero", test_crn);
    ADD ("/experiment/ci/mm1-coverage", test_mm1_coverage);
    ADD ("/experiment/precision", test_precision);
    ADD ("/experiment/rerun-one-row", test_rerun);
    ADD ("/experiment/seeds/sweep-seed-independent", test_seed_sweep);
    ADD ("/experiment/outcomes/counted-never-best", test_outcomes);
    ADD ("/experiment/sweep/skip-rejected-combination", test_sweep_skip);
    ADD ("/experiment/sweep/conflict-skipped-malformed-rejected",
         test_sweep_conflict_malformed);
    for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++) {
        g_autofree char *path = g_strdup_printf ("/experiment/errors/%s",
                                                 bad_cases[i].name);

        g_test_add (path, Fixture, &bad_cases[i], fixture_set_up, test_bad,
                    fixture_tear_down);
    }
    ADD ("/experiment/errors/merge", test_merge_errors);
    ADD ("/experiment/plots", test_plots);
    return g_test_run ();
}
