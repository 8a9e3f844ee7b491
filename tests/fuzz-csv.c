/* fuzz-csv.c - a libFuzzer harness for the CSV readers (`make fuzz`,
 * docs/fuzzing.md): the rate-profile reader (sim/profile.c), the plot
 * data reader that `rollsim plot DIR` runs on a directory it does not
 * trust (sim/plot.c, through csv-table.c), and merge's readers of
 * experiment.ini and runs.csv (sim/experiment-merge.c).
 *
 * The first byte of an input picks the reader (its value modulo 4); the
 * rest is the text:
 *
 *   0  a rate profile: written to a file, read with sim_profile_load().
 *      Read: the times increase, from 0, and every rate is finite and in
 *      0..10^6.  Refused: a SIM_SCENARIO_ERROR with a message.
 *   1  a run directory: up to three parts separated by a line "====",
 *      versions.csv, timeseries.csv and events.csv (a missing part is a
 *      small valid file), read with sim_plot_write_data().  Read: every
 *      file written is numbers only (meta.gp: "name = number" lines, or
 *      "name = 'words'" with no quote, backslash, '@' or backquote inside;
 *      the data files: numbers and NaN, headers of checked version names,
 *      labels of our own words), which is the promise that no cell
 *      reaches gnuplot as code.  Refused: a SIM_PLOT_ERROR with a message.
 *   2  a compare result: experiment.ini, a line "====", runs.csv, merged
 *      with sim_experiment_merge().  Placeholders stand for what a
 *      fuzzer cannot compute: @SHA1@ and @SHA2@ for the two variants'
 *      scenario hashes (their variants/N.ini files are written once, at
 *      start), @RUN1.3@ for the hash of variant 1's replication 3, @SEED3@
 *      for replication 3's seed, @VERSION@ for rollsim's version.
 *      Merged: every run of every variant is there and the result is
 *      written (without plots) and removed.  Refused: an error of the
 *      experiment or scenario domain, with a message.
 *   3  any CSV text, read with sim_csv_table_parse(): every row has the
 *      line it ends on, in order.
 *
 * Anything else (a refusal without a GError, a GLib critical, a
 * sanitizer report) aborts and libFuzzer keeps the input.  The files
 * live in one private temporary directory (under /dev/shm when there is
 * one), removed at exit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cli.h"
#include "csv-table.h"
#include "experiment.h"
#include "plot.h"
#include "profile.h"
#include "rng.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

#define SEPARATOR "\n====\n"
#define REPS 4

static char *work;           /* the private directory */
static char *exp_dir;        /* work/exp: a compare result */
static char *run_dir;        /* work/run: a run's CSV files */
static SimExperiment *model; /* the two variants the result is of */

static void die (const char *fmt, ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);

static void
die (const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    fputs ("fuzz-csv: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
    abort ();
}

static void
check_error (const GError *error, const char *what)
{
    if (error == NULL)
        die ("%s failed without a GError", what);
    if (error->message == NULL || error->message[0] == '\0')
        die ("%s failed with an empty message", what);
}

static void
write_or_die (const char *path, const char *text, gssize len)
{
    g_autoptr (GError) error = NULL;

    if (!g_file_set_contents (path, text, len, &error))
        die ("%s: %s", path, error->message);
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

        if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            g_remove (child);
        else
            remove_tree (child);
    }
    g_dir_close (d);
    g_rmdir (path);
}

static void
clean_up (void)
{
    if (work != NULL)
        remove_tree (work);
}

/* --- 0: rate profiles --------------------------------------------------- */

static void
fuzz_profile (const char *text, gsize len)
{
    g_autofree char *path = g_build_filename (work, "profile.csv", NULL);
    g_autoptr (GError) error = NULL;
    g_autofree SimRateStep *steps = NULL;
    gint n = -1;

    write_or_die (path, text, (gssize) len);
    steps = sim_profile_load (path, &n, &error);
    if (steps == NULL) {
        check_error (error, "sim_profile_load");
        if (error->domain != SIM_SCENARIO_ERROR)
            die ("sim_profile_load: foreign error: %s", error->message);
        return;
    }
    if (n < 1)
        die ("a profile read with %d steps", n);
    for (gint i = 0; i < n; i++) {
        if (steps[i].time < 0 || (i > 0 && steps[i].time <= steps[i - 1].time))
            die ("step %d: time %" G_GINT64_FORMAT " out of order", i,
                 steps[i].time);
        if (!(steps[i].rate >= 0 && steps[i].rate <= 1e6))
            die ("step %d: rate %g", i, steps[i].rate);
    }
}

/* --- 1: plot data ------------------------------------------------------- */

static const char default_versions[] =
    "time_s,version,desired,pods,pending,starting,ready,available,"
    "terminating,endpoints,arrivals,ok,errors,share,app_error,no_endpoint,"
    "refused,rejected,killed,timeout,preview_arrivals,preview_ok,"
    "preview_errors\n"
    "0.000,v1,2,2,0,0,2,2,0,2,0,0,0,,0,0,0,0,0,0,0,0,0\n"
    "0.000,v2,0,0,0,0,0,0,0,0,0,0,0,,0,0,0,0,0,0,0,0,0\n"
    "1.000,v1,1,1,0,0,1,1,1,1,10,10,0,0.500000,0,0,0,0,0,0,0,0,0\n"
    "1.000,v2,1,1,1,0,0,0,0,0,10,9,1,0.500000,1,0,0,0,0,0,0,0,0\n";
static const char default_series[] =
    "time_s,arrivals,ok,errors,app_error,no_endpoint,refused,rejected,"
    "killed,timeout,availability,p50_ms,p95_ms,p99_ms,pods,ready,"
    "in_flight,desired,pending,starting,terminating\n"
    "0.000,0,0,0,0,0,0,0,0,0,,,,,2,2,0,2,0,0,0\n"
    "1.000,20,19,1,1,0,0,0,0,0,0.950000,12.5,30.1,40.2,3,1,0,2,1,0,1\n";
static const char default_events[] =
    "time_s,kind,object,version,value,detail\n"
    "0.500,rollout-started,deployment,v2,,rolling\n"
    "0.500,service-switched,active,v2,,active\n"
    "0.700,weight-set,router,v2,20,x\n"
    "1.000,rollout-completed,deployment,v2,,\n";

/* Every character of @s is in @set. */
static gboolean
only (const char *s, const char *set)
{
    return strspn (s, set) == strlen (s);
}

#define NUMBER_CHARS "0123456789.-NaN"
#define NAME_CHARS \
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* A data file: a header line of tokens and quoted labels, then lines of
 * numbers (and, in marks.dat, one quoted label). */
static void
check_data_file (const char *name)
{
    g_autofree char *path = g_build_filename (run_dir, "plots", name, NULL);
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;

    if (!g_file_get_contents (path, &text, NULL, NULL))
        die ("%s was not written", name);
    lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        g_auto (GStrv) parts = g_strsplit (lines[i], "\"", -1);
        guint n = g_strv_length (parts);

        if (lines[i][0] == '\0')
            continue;
        if (n % 2 == 0)
            die ("%s:%u: an odd number of quotes: %s", name, i + 1, lines[i]);
        for (guint p = 0; p < n; p++) {
            /* Outside quotes: numbers, or the header's column names. */
            if (p % 2 == 0) {
                if (!only (parts[p],
                           i == 0 ? NAME_CHARS " " : NUMBER_CHARS " "))
                    die ("%s:%u: not a number: %s", name, i + 1, lines[i]);
            } else if (!only (parts[p], NAME_CHARS " ,>()'")) {
                die ("%s:%u: a label that is not ours: %s", name, i + 1,
                     lines[i]);
            }
        }
    }
}

static void
check_meta (void)
{
    g_autofree char *path = g_build_filename (run_dir, "plots", "meta.gp",
                                              NULL);
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;

    if (!g_file_get_contents (path, &text, NULL, NULL))
        die ("meta.gp was not written");
    lines = g_strsplit (text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        const char *l = lines[i];
        const char *eq = strstr (l, " = ");
        gsize name_len = strspn (l, "abcdefghijklmnopqrstuvwxyz_");
        const char *v = eq != NULL ? eq + 3 : NULL;
        gsize vlen = v != NULL ? strlen (v) : 0;

        if (l[0] == '\0' || l[0] == '#')
            continue;
        /* "array mark_l[N]": rollsim's declaration of its labels. */
        if (g_str_has_prefix (l, "array mark_l[")
            && only (l + 13, "0123456789]") && g_str_has_suffix (l, "]"))
            continue;
        /* "mark_l[N] = '...'": an element of it. */
        if (g_str_has_prefix (l, "mark_l[") && eq != NULL) {
            g_autofree char *index = g_strndup (l + 7, (gsize) (eq - l) - 7);

            if (only (index, "0123456789]"))
                name_len = (gsize) (eq - l);
        }
        if (eq == NULL || name_len != (gsize) (eq - l) || vlen == 0)
            die ("meta.gp:%u: not a setting: %s", i + 1, l);
        /* A number, or a single-quoted string that nothing can end early
         * or expand: no quote, backslash, '@' or backquote inside. */
        if (only (v + (v[0] == '-'), "0123456789."))
            continue;
        if (vlen >= 2 && v[0] == '\'' && v[vlen - 1] == '\''
            && strpbrk (v + 1, "'\\@`\"") == v + vlen - 1)
            continue;
        if (vlen == 2 && strcmp (v, "''") == 0)
            continue;
        die ("meta.gp:%u: neither a number nor a safe string: %s", i + 1, l);
    }
}

static void
fuzz_plot (const char *text)
{
    static const char *const names[] = { "versions.csv", "timeseries.csv",
                                         "events.csv" };
    const char *defaults[] = { default_versions, default_series,
                               default_events };
    g_auto (GStrv) parts = g_strsplit (text, SEPARATOR, 3);
    g_autofree char *plots = g_build_filename (run_dir, "plots", NULL);
    g_autoptr (GError) error = NULL;

    for (guint i = 0; i < 3; i++) {
        g_autofree char *path = g_build_filename (run_dir, names[i], NULL);
        guint n = g_strv_length (parts);
        /* The separator took the newline of the part before it. */
        g_autofree char *t = i + 1 < n ? g_strconcat (parts[i], "\n", NULL)
                             : i < n   ? g_strdup (parts[i])
                                       : g_strdup (defaults[i]);

        write_or_die (path, t, -1);
    }
    remove_tree (plots);
    g_mkdir (plots, 0700);
    if (g_getenv ("FUZZ_CSV_VERBOSE") != NULL)
        fprintf (stderr, "plot: %s\n",
                 sim_plot_write_data (run_dir, plots, &error) ? "read"
                                                              : error->message);
    g_clear_error (&error);
    if (!sim_plot_write_data (run_dir, plots, &error)) {
        check_error (error, "sim_plot_write_data");
        if (error->domain != SIM_PLOT_ERROR)
            die ("sim_plot_write_data: foreign error: %s", error->message);
        return;
    }
    check_meta ();
    check_data_file ("pods.dat");
    check_data_file ("share.dat");
    check_data_file ("errors.dat");
    check_data_file ("latency.dat");
    check_data_file ("marks.dat");
    check_data_file ("weight.dat");
    check_data_file ("rate.dat");
    {
        g_autofree char *zoom = g_build_filename (plots, "pods-rollout.dat",
                                                  NULL);

        if (g_file_test (zoom, G_FILE_TEST_EXISTS))
            check_data_file ("pods-rollout.dat");
    }
    {
        g_autofree char *scaling = g_build_filename (plots, "scaling.dat",
                                                     NULL);

        if (g_file_test (scaling, G_FILE_TEST_EXISTS))
            check_data_file ("scaling.dat");
    }
}

/* --- 2: merge ----------------------------------------------------------- */

/* @text with every placeholder replaced. */
static char *
fill_in (const char *text)
{
    GString *s = g_string_new (NULL);

    for (const char *p = text; *p != '\0'; p++) {
        guint v = 0, r = 0;
        char tail = 0;

        if (*p != '@') {
            g_string_append_c (s, *p);
            continue;
        }
        if (sscanf (p, "@SHA%1u%c", &v, &tail) == 2 && tail == '@' && v >= 1
            && v <= 2) {
            g_string_append (s, sim_experiment_variant (model, v - 1)->sha256);
            p += strlen ("@SHA1@") - 1;
        } else if (sscanf (p, "@RUN%1u.%1u%c", &v, &r, &tail) == 3
                   && tail == '@' && v >= 1 && v <= 2 && r < REPS) {
            g_autofree char *sha = sim_experiment_run_sha256 (
                sim_experiment_variant (model, v - 1), r);

            g_string_append (s, sha);
            p += strlen ("@RUN1.0@") - 1;
        } else if (sscanf (p, "@SEED%1u%c", &r, &tail) == 2 && tail == '@'
                   && r < REPS) {
            g_string_append_printf (s, "%" G_GUINT64_FORMAT,
                                    sim_rng_replication_seed (1, r));
            p += strlen ("@SEED0@") - 1;
        } else if (g_str_has_prefix (p, "@VERSION@")) {
            g_string_append (s, ROLLSIM_VERSION);
            p += strlen ("@VERSION@") - 1;
        } else {
            g_string_append_c (s, *p);
        }
    }
    return g_string_free (s, FALSE);
}

static void
fuzz_merge (const char *text)
{
    g_autofree char *filled = fill_in (text);
    g_auto (GStrv) parts = g_strsplit (filled, SEPARATOR, 2);
    g_autofree char *ini = g_build_filename (exp_dir, "experiment.ini", NULL);
    g_autofree char *runs = g_build_filename (exp_dir, "runs.csv", NULL);
    g_autofree char *out = g_build_filename (work, "merged", NULL);
    const char *dirs[] = { exp_dir, NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (SimExperiment) x = NULL;
    g_autoptr (SimOutput) output = NULL;

    /* The separator took experiment.ini's last newline. */
    if (parts[0] != NULL && parts[1] != NULL) {
        g_autofree char *text0 = g_strconcat (parts[0], "\n", NULL);

        write_or_die (ini, text0, -1);
    } else
        write_or_die (ini, parts[0] != NULL ? parts[0] : "", -1);
    write_or_die (runs, parts[0] != NULL && parts[1] != NULL ? parts[1] : "",
                  -1);
    x = sim_experiment_merge (dirs, 1, sim_cli_schema (), &error);
    if (g_getenv ("FUZZ_CSV_VERBOSE") != NULL)
        fprintf (stderr, "merge: %s\n", x != NULL ? "merged" : error->message);
    if (x == NULL) {
        check_error (error, "sim_experiment_merge");
        if (error->domain != SIM_EXPERIMENT_ERROR
            && error->domain != SIM_SCENARIO_ERROR)
            die ("sim_experiment_merge: foreign error: %s", error->message);
        return;
    }
    for (guint v = 0; v < x->variants->len; v++) {
        GPtrArray *r = sim_experiment_variant (x, v)->runs;

        if (r->len != x->reps)
            die ("variant %u has %u runs of %u", v, r->len, x->reps);
        for (guint i = 0; i < r->len; i++)
            if (g_ptr_array_index (r, i) == NULL)
                die ("variant %u: replication %u missing", v, i);
    }
    output = sim_output_claim (out, NULL, &error);
    if (output == NULL || !sim_experiment_write (x, output, FALSE, &error))
        die ("a merged result cannot be written: %s", error->message);
    remove_tree (out);
}

/* --- 3: any CSV --------------------------------------------------------- */

static void
fuzz_table (const char *text, gsize len)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (SimCsvTable)
        t = sim_csv_table_parse ("fuzz.csv", text, len, &error);
    guint newlines = 0;

    if (t == NULL) {
        check_error (error, "sim_csv_table_parse");
        if (error->domain != SIM_CSV_ERROR)
            die ("sim_csv_table_parse: foreign error: %s", error->message);
        return;
    }
    for (gsize i = 0; i < len; i++)
        newlines += text[i] == '\n';
    if (t->lines->len != t->rows->len)
        die ("%u rows, %u lines", t->rows->len, t->lines->len);
    for (guint r = 0; r < t->rows->len; r++) {
        guint line = sim_csv_table_line (t, r);

        if (line < 1 || line > newlines + 1
            || (r > 0 && line < sim_csv_table_line (t, r - 1)))
            die ("row %u ends on line %u (%u newlines)", r, line, newlines);
    }
    if (t->complete != (len > 0 && text[len - 1] == '\n'))
        die ("complete is wrong");
}

/* --- libFuzzer ------------------------------------------------------------ */

/* A GLib warning or critical is a bug: abort, which libFuzzer catches
 * and keeps the input of (GLib's own trap it does not). */
static void
log_abort (const gchar *domain, GLogLevelFlags level, const gchar *message,
           gpointer data)
{
    if (level
        & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
        die ("%s: %s", domain != NULL ? domain : "log", message);
}

int
LLVMFuzzerInitialize (int *argc G_GNUC_UNUSED, char ***argv G_GNUC_UNUSED)
{
    static const char *const sets[] = { "scenario.duration=20s",
                                        "rollout.at=2s", NULL };
    char *rolling[] = { "strategy.type=rolling", NULL };
    char *recreate[] = { "strategy.type=recreate", NULL };
    char **settings[] = { rolling, recreate };
    const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR)
                           ? "/dev/shm"
                           : g_get_tmp_dir ();
    g_autofree char *tmpl = g_build_filename (base, "rollsim-fuzz-csv-XXXXXX",
                                              NULL);
    g_autoptr (GError) error = NULL;

    /* A failed g_return_if_fail() is a bug: make it a crash. */
    g_log_set_default_handler (log_abort, NULL);
    work = g_mkdtemp (g_strdup (tmpl));
    if (work == NULL)
        die ("cannot make a directory in %s", base);
    atexit (clean_up);
    exp_dir = g_build_filename (work, "exp", NULL);
    run_dir = g_build_filename (work, "run", NULL);
    {
        g_autofree char *variants = g_build_filename (exp_dir, "variants",
                                                      NULL);

        g_mkdir_with_parents (variants, 0700);
        g_mkdir_with_parents (run_dir, 0700);
    }
    /* The variants of the compare result the inputs describe:
     * `rollsim compare --strategy rolling,recreate --set
     * scenario.duration=20s --set rollout.at=2s`. */
    model = sim_experiment_new ("compare", sim_cli_schema ());
    g_strfreev (model->sets);
    model->sets = g_strdupv ((char **) sets);
    for (guint v = 0; v < 2; v++) {
        SimVariant *va = sim_experiment_load_variant (model, NULL, settings[v],
                                                      "1", &error);
        g_autofree char *file = sim_experiment_variant_file (v);
        g_autofree char *path = g_build_filename (exp_dir, file, NULL);

        if (va == NULL)
            die ("variant %u: %s", v + 1, error->message);
        va->label = g_strdup (v == 0 ? "rolling" : "recreate");
        g_ptr_array_add (model->variants, va);
        write_or_die (path, va->ini, -1);
    }
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    g_autofree char *text = NULL;
    guint target;

    if (size == 0)
        return 0;
    target = data[0] % 4;
    data++;
    size--;
    switch (target) {
    case 0:
        fuzz_profile ((const char *) data, size);
        break;
    case 1:
        text = g_strndup ((const char *) data, size);
        fuzz_plot (text);
        break;
    case 2:
        text = g_strndup ((const char *) data, size);
        fuzz_merge (text);
        break;
    default:
        fuzz_table ((const char *) data, size);
        break;
    }
    return 0;
}
