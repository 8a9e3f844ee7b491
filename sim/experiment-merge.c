/* experiment-merge.c - combining the partial results of compare or
 * sweep shards (experiment.h): each directory's experiment.ini,
 * variants/ and runs.csv read back, checked to be one slice of the same
 * experiment, and their runs put together.
 *
 * What merge trusts.  Two shards belong together when their
 * experiment.ini texts, without the shard line, are the same: the same
 * command, rollsim version, replications and variants with the same
 * scenario hashes and rate-profile contents.  Each variants/N.ini must
 * still have its recorded hash and load back to the same text in this
 * rollsim, and its rate profile must still have the recorded content.
 * Each row of runs.csv must be a run of the experiment, of its shard,
 * and there once, and must agree with itself: its sweep values, scenario
 * name, strategy, seed (the replication's), resolved scenario hash,
 * rollsim version and variant file are the ones its label implies, its
 * outcome is an outcome, and every measured column is empty or a plain
 * number.  runs.csv must end with its last line's newline (a file cut
 * short is not a result).  Anything else is refused with
 * SIM_EXPERIMENT_ERROR_INPUT, naming the file and row.
 */
#include <math.h>
#include <string.h>
#include "experiment.h"
#include "csv-table.h"
#include "outcome.h"
#include "report.h"
#include "rng.h"

/* --- Reading a result back ------------------------------------------------ */

/* runs.csv read back; a file that is not one is the user's input
 * (SIM_EXPERIMENT_ERROR_INPUT, exit 2). */
static SimCsvTable *
runs_load (const char *path, GError **error)
{
    g_autoptr (GError) local = NULL;
    SimCsvTable *t = sim_csv_table_load (path, &local);

    if (t == NULL)
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                     "%s", local->message);
    return t;
}

/* A value of experiment.ini; NULL with @error when it is missing or
 * not a valid value.  (GLib returns a string *and* sets an error for a
 * value with an invalid escape: that is an error here.) */
static char *
get_string (GKeyFile *kf, const char *group, const char *key, GError **error)
{
    GError *local = NULL;
    char *s = g_key_file_get_string (kf, group, key, &local);

    if (local != NULL) {
        g_free (s);
        g_propagate_error (error, local);
        return NULL;
    }
    return s;
}

static char **
get_list (GKeyFile *kf, const char *group, const char *key, GError **error)
{
    GError *local = NULL;
    char **l = g_key_file_get_string_list (kf, group, key, NULL, &local);

    if (local != NULL) {
        g_strfreev (l);
        g_propagate_error (error, local);
        return NULL;
    }
    return l;
}

/* Read what DIR holds: experiment.ini, variants/, and runs.csv (into
 * @runs).  SIM_EXPERIMENT_ERROR_INPUT for anything that is not a
 * result. */
static SimExperiment *
experiment_load (const char *dir, const SimSchema *schema, SimCsvTable **runs,
                 GError **error)
{
    g_autofree char *ini_path = g_build_filename (dir, "experiment.ini", NULL);
    g_autofree char *runs_path = g_build_filename (dir, "runs.csv", NULL);
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autoptr (SimExperiment) x = NULL;
    g_autofree char *command = NULL;
    GError *err = NULL;
    gint n;

    if (!g_file_test (ini_path, G_FILE_TEST_EXISTS)) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                     "%s: not a compare or sweep result (no "
                     "experiment.ini)",
                     dir);
        return NULL;
    }
    if (!g_key_file_load_from_file (kf, ini_path, G_KEY_FILE_NONE, &err))
        goto bad;
    command = get_string (kf, "experiment", "command", &err);
    if (command == NULL)
        goto bad;
    if (strcmp (command, "compare") != 0 && strcmp (command, "sweep") != 0) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "unknown command \"%s\"", command);
        goto bad;
    }
    x = sim_experiment_new (command, schema);
    g_free (x->version);
    if ((x->version = get_string (kf, "experiment", "rollsim_version", &err))
        == NULL)
        goto bad;
    n = g_key_file_get_integer (kf, "experiment", "replications", &err);
    if (err != NULL || n < 1 || n > SIM_EXPERIMENT_MAX_RUNS)
        goto bad_value;
    x->reps = (guint) n;
    g_strfreev (x->sets);
    g_strfreev (x->keys);
    g_strfreev (x->plot_metrics);
    g_strfreev (x->skipped);
    x->keys = x->plot_metrics = x->skipped = NULL;
    if ((x->sets = get_list (kf, "experiment", "sets", &err)) == NULL
        || (x->keys = get_list (kf, "experiment", "keys", &err)) == NULL
        || (x->plot_metrics = get_list (kf, "experiment", "metrics", &err))
               == NULL
        || (x->skipped = get_list (kf, "experiment", "skipped", &err)) == NULL)
        goto bad;
    for (guint k = 0; x->keys[k] != NULL; k++) {
        char **axis = get_list (kf, "values", x->keys[k], &err);

        if (axis == NULL)
            goto bad;
        g_ptr_array_add (x->axes, axis);
        if (axis[0] == NULL)
            goto bad_value;
    }
    if (g_key_file_has_key (kf, "experiment", "precision", NULL)) {
        g_autofree char *p = get_string (kf, "experiment", "precision", NULL);

        g_strfreev (x->precision_metrics);
        x->precision_metrics = get_list (kf, "experiment", "precision_metrics",
                                         &err);
        if (x->precision_metrics == NULL)
            goto bad;
        if (p == NULL
            || !sim_experiment_parse_precision (p, &x->precision, NULL))
            goto bad_value;
        n = g_key_file_get_integer (kf, "experiment", "max_replications", &err);
        if (err != NULL || n < 2 || n > SIM_EXPERIMENT_MAX_RUNS)
            goto bad_value;
        x->max_reps = (guint) n;
        x->precision_reached = g_key_file_get_boolean (kf, "experiment",
                                                       "precision_reached",
                                                       &err);
        if (err != NULL)
            goto bad;
    }
    if (g_key_file_has_key (kf, "experiment", "shard", NULL)) {
        g_autofree char *s = get_string (kf, "experiment", "shard", NULL);

        if (s == NULL
            || !sim_experiment_parse_shard (s, &x->shard_k, &x->shard_n, NULL))
            goto bad_value;
    }
    n = g_key_file_get_integer (kf, "experiment", "variants", &err);
    if (err != NULL || n < 1)
        goto bad_value;
    /* Merge sizes a table by it: a claim of more runs than any experiment
     * holds is not a result. */
    if ((guint64) n * x->reps > SIM_EXPERIMENT_MAX_RUNS) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "%d variants x %u replications is more than %d runs", n,
                     x->reps, SIM_EXPERIMENT_MAX_RUNS);
        goto bad;
    }
    for (gint i = 0; i < n; i++) {
        g_autofree char *group = g_strdup_printf ("variant.%d", i + 1);
        g_autofree char *file = sim_experiment_variant_file ((guint) i);
        g_autofree char *path = g_build_filename (dir, file, NULL);
        g_autofree char *recorded = NULL;
        g_autofree char *again = NULL;
        g_autofree char *profile_now = NULL;
        SimVariant *v = sim_variant_new ();
        char *text;

        g_ptr_array_add (x->variants, v);
        if ((v->label = get_string (kf, group, "label", &err)) == NULL
            || (v->settings = get_list (kf, group, "settings", &err)) == NULL
            || (v->values = get_list (kf, group, "values", &err)) == NULL
            || (recorded = get_string (kf, group, "scenario_sha256", &err))
                   == NULL)
            goto bad;
        if (!g_file_get_contents (path, &text, NULL, error))
            return NULL;
        sim_variant_set_ini (v, text);
        if (strcmp (v->sha256, recorded) != 0) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s: changed since the "
                         "run (its SHA-256 is not the one experiment.ini "
                         "records)",
                         path);
            return NULL;
        }
        v->sc = sim_scenario_load_data (x->schema, v->ini, path, NULL, error);
        if (v->sc == NULL)
            return NULL;
        /* The resolved scenario names its profile by path: its content
         * is recorded apart, and must still be what the runs read. */
        v->profile_sha256 = get_string (kf, group, "profile_sha256", NULL);
        profile_now = sim_experiment_profile_sha256 (v->sc);
        if (g_strcmp0 (profile_now, v->profile_sha256) != 0) {
            g_set_error (
                error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                "%s: variant %d, %s: %s%s", ini_path, i + 1, v->label,
                v->profile_sha256 == NULL
                    ? "experiment.ini records no rate profile, but its "
                      "scenario has one: "
                : profile_now == NULL
                    ? "experiment.ini records a rate profile its scenario "
                      "does not have"
                    : "its rate profile has changed since the runs (its "
                      "content's SHA-256 is not the one recorded): ",
                v->sc->profile != NULL ? v->sc->profile : "");
            return NULL;
        }
        again = sim_scenario_to_ini (v->sc);
        if (strcmp (again, v->ini) != 0) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s: not a resolved "
                         "scenario of this rollsim (%s); merge with the "
                         "rollsim that made it",
                         path, ROLLSIM_VERSION);
            return NULL;
        }
        if (g_strv_length (v->values) != g_strv_length (x->keys))
            goto bad_value;
    }
    if (runs != NULL && (*runs = runs_load (runs_path, error)) == NULL)
        return NULL;
    return g_steal_pointer (&x);

bad_value:
    if (err == NULL)
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                     "a value is out of range");
bad:
    g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                 "%s: not a valid experiment.ini: %s", ini_path, err->message);
    g_error_free (err);
    return NULL;
}

/* --- Checking the shards -------------------------------------------------- */

/* The first line where two experiment.ini texts differ, with its group:
 * what the user needs to see to know why merge refuses. */
static char *
first_difference (const char *a, const char *b)
{
    g_auto (GStrv) la = g_strsplit (a, "\n", -1);
    g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
    const char *group = "";

    for (guint i = 0;; i++) {
        if (la[i] == NULL || lb[i] == NULL)
            return g_strdup_printf ("one has more lines (%s)",
                                    la[i] != NULL ? la[i] : lb[i]);
        if (strcmp (la[i], lb[i]) != 0)
            return g_strdup_printf ("%s%s%s vs %s", group, *group ? ": " : "",
                                    la[i], lb[i]);
        if (la[i][0] == '[')
            group = la[i];
    }
}

/* When the same variant has another scenario in @b than in @a: which
 * line of it differs.  NULL when no variant's scenario differs. */
static char *
scenario_difference (const SimExperiment *a, const SimExperiment *b)
{
    for (guint v = 0; v < MIN (a->variants->len, b->variants->len); v++) {
        const SimVariant *va = sim_experiment_variant (a, v);
        const SimVariant *vb = sim_experiment_variant (b, v);
        g_autofree char *diff = NULL;

        if (g_strcmp0 (va->profile_sha256, vb->profile_sha256) != 0)
            return g_strdup_printf ("variant %u, %s, ran with another content "
                                    "of its rate profile %s",
                                    v + 1, va->label,
                                    va->sc->profile != NULL ? va->sc->profile
                                                            : "");
        if (strcmp (va->ini, vb->ini) == 0)
            continue;
        diff = first_difference (va->ini, vb->ini);
        return g_strdup_printf ("variant %u, %s, has another scenario: %s",
                                v + 1, va->label, diff);
    }
    return NULL;
}

/* A plain decimal number, as rollsim writes them: digits, a sign, a
 * point, an exponent; finite. */
static gboolean
plain_number (const char *text)
{
    char *end = NULL;
    double v;

    if (*text == '\0' || strspn (text, "0123456789+-.eE") != strlen (text))
        return FALSE;
    v = g_ascii_strtod (text, &end);
    return end != text && *end == '\0' && isfinite (v);
}

static gboolean
is_outcome (const char *text)
{
    for (gint o = SIM_OUTCOME_NONE; o <= SIM_OUTCOME_STALLED; o++)
        if (strcmp (text, sim_outcome_name ((SimOutcome) o)) == 0)
            return TRUE;
    return FALSE;
}

/* The first field of @row, a run of variant @v and replication @rep,
 * that is not what that run writes: its name and why (newly allocated),
 * or NULL when the row agrees with itself. */
static char *
row_mismatch (const SimExperiment *x, const GPtrArray *header,
              const GPtrArray *row, guint v, guint rep)
{
    const SimVariant *va = sim_experiment_variant (x, v);
    guint nk = g_strv_length (x->keys);
    guint at = 2 + nk, nh = g_strv_length (x->header);
    g_autofree char *seed = g_strdup_printf (
        "%" G_GUINT64_FORMAT, sim_rng_replication_seed (va->sc->seed, rep));
    g_autofree char *sha = NULL;
    g_autofree char *file = sim_experiment_variant_file (v);
    const char *want;

#define FIELD(i) ((const char *) g_ptr_array_index (row, (i)))
#define NAME(i) ((const char *) g_ptr_array_index (header, (i)))
    for (guint k = 0; k < nk; k++)
        if (strcmp (FIELD (2 + k), va->values[k]) != 0)
            return g_strdup_printf ("%s is %s, not the variant's %s",
                                    NAME (2 + k), FIELD (2 + k), va->values[k]);
    for (guint c = 0; c < nh; c++) {
        const char *name = x->header[c], *f = FIELD (at + c);

        if (strcmp (name, "scenario") == 0)
            want = va->sc->name;
        else if (strcmp (name, "strategy") == 0)
            want = va->sc->strategy;
        else if (strcmp (name, "seed") == 0)
            want = seed;
        else if (strcmp (name, "outcome") == 0) {
            if (!is_outcome (f))
                return g_strdup_printf ("outcome \"%.40s\" is not an outcome",
                                        f);
            continue;
        } else {
            if (*f == '\0' && sim_report_summary_always (name))
                return g_strdup_printf ("%s is empty", name);
            if (*f != '\0' && !plain_number (f))
                return g_strdup_printf ("%s \"%.40s\" is not a number", name,
                                        f);
            continue;
        }
        if (strcmp (f, want) != 0)
            return g_strdup_printf ("%s is %.40s, but replication %u of %s "
                                    "has %s",
                                    name, f, rep, va->label, want);
    }
    sha = sim_experiment_run_sha256 (va, rep);
    if (strcmp (FIELD (at + nh), sha) != 0)
        return g_strdup_printf ("scenario_sha256 is not the hash of the "
                                "scenario replication %u of %s runs",
                                rep, va->label);
    if (strcmp (FIELD (at + nh + 1), x->version) != 0)
        return g_strdup_printf ("rollsim_version is %.40s, not %s",
                                FIELD (at + nh + 1), x->version);
    if (strcmp (FIELD (at + nh + 2), file) != 0)
        return g_strdup_printf ("variant_file is %.40s, not %s",
                                FIELD (at + nh + 2), file);
#undef FIELD
#undef NAME
    return NULL;
}

/* Check that every row of @runs belongs to the experiment and to the
 * shard of @part, and agrees with itself, then store it. */
static gboolean
take_runs (SimExperiment *x, const SimExperiment *part, const char *dir,
           const SimCsvTable *runs, GHashTable *labels, GError **error)
{
    g_autoptr (GPtrArray) want = sim_experiment_runs_header (x);

    if (runs->header->len != want->len) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                     "%s/runs.csv: %u columns, expected %u", dir,
                     runs->header->len, want->len);
        return FALSE;
    }
    for (guint i = 0; i < want->len; i++)
        if (strcmp (g_ptr_array_index (want, i),
                    g_ptr_array_index (runs->header, i))
            != 0) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s/runs.csv: column "
                         "%u is %s, expected %s",
                         dir, i + 1,
                         (char *) g_ptr_array_index (runs->header, i),
                         (char *) g_ptr_array_index (want, i));
            return FALSE;
        }
    if (!runs->complete) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_INPUT,
                     "%s/runs.csv: its last line has no end: cut short?", dir);
        return FALSE;
    }
    for (guint r = 0; r < runs->rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (runs->rows, r);
        g_autofree char *why = NULL;
        gpointer vp;
        guint64 rep;
        guint v;
        SimVariant *va;

        if (row->len != want->len
            || !g_hash_table_lookup_extended (
                labels, g_ptr_array_index (row, 0), NULL, &vp)
            || !g_ascii_string_to_unsigned (g_ptr_array_index (row, 1), 10, 0,
                                            x->reps - 1, &rep, NULL)) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s/runs.csv:%u: not a run of this experiment", dir,
                         sim_csv_table_line (runs, r));
            return FALSE;
        }
        v = GPOINTER_TO_UINT (vp);
        va = sim_experiment_variant (x, v);
        if (part->shard_n > 0
            && ((guint64) v * x->reps + rep) % part->shard_n
                   != part->shard_k - 1) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s/runs.csv:%u: "
                         "(%s, replication %u) does not belong to shard "
                         "%u/%u",
                         dir, sim_csv_table_line (runs, r), va->label,
                         (guint) rep, part->shard_k, part->shard_n);
            return FALSE;
        }
        why = row_mismatch (x, runs->header, row, v, (guint) rep);
        if (why != NULL) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s/runs.csv:%u: not the run it says it is "
                         "(%s, replication %u): %s",
                         dir, sim_csv_table_line (runs, r), va->label,
                         (guint) rep, why);
            return FALSE;
        }
        if (g_ptr_array_index (va->runs, rep) != NULL) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s/runs.csv: %s, "
                         "replication %u is there twice",
                         dir, va->label, (guint) rep);
            return FALSE;
        }
        g_ptr_array_add (row, NULL);
        g_ptr_array_index (va->runs, rep) = sim_run_new_from_row (
            x, (char **) g_ptr_array_steal (row, NULL));
    }
    return TRUE;
}

/* --- Merging -------------------------------------------------------------- */

SimExperiment *
sim_experiment_merge (const char *const *dirs, guint n_dirs,
                      const SimSchema *schema, GError **error)
{
    g_autoptr (SimExperiment) x = NULL;
    g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (
        (GDestroyNotify) sim_experiment_free);
    g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
    g_autofree gboolean *have = NULL;
    g_autofree char *text0 = NULL;
    guint n = 0;

    for (guint i = 0; i < n_dirs; i++) {
        g_autoptr (SimCsvTable) runs = NULL;
        SimExperiment *part = experiment_load (dirs[i], schema, &runs, error);
        g_autofree char *text = NULL;
        gboolean ok = TRUE;

        if (part == NULL)
            return NULL;
        g_ptr_array_add (parts, part);
        text = sim_experiment_ini (part, FALSE);
        if (i == 0) {
            x = experiment_load (dirs[0], schema, NULL, error);
            g_assert (x != NULL);
            x->shard_k = x->shard_n = 0;
            text0 = g_steal_pointer (&text);
            n = MAX (part->shard_n, 1);
            have = g_new0 (gboolean, n);
            if (!sim_experiment_header_from_runs (x, runs->header)) {
                g_set_error (error, SIM_EXPERIMENT_ERROR,
                             SIM_EXPERIMENT_ERROR_INPUT,
                             "%s/runs.csv: too few columns", dirs[0]);
                return NULL;
            }
            for (guint v = 0; v < x->variants->len; v++) {
                g_ptr_array_set_size (sim_experiment_variant (x, v)->runs,
                                      (gint) x->reps);
                g_hash_table_insert (labels,
                                     sim_experiment_variant (x, v)->label,
                                     GUINT_TO_POINTER (v));
            }
        }
        if (strcmp (text != NULL ? text : text0, text0) != 0) {
            g_autofree char *diff = first_difference (text0, text);
            g_autofree char *why =
                strcmp (x->command, part->command) != 0
                    ? g_strdup_printf ("one is a %s result, the other a %s one",
                                       x->command, part->command)
                    : scenario_difference (x, part);

            ok = FALSE;
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s and %s are parts "
                         "of different experiments (%s)",
                         dirs[0], dirs[i], why != NULL ? why : diff);
        } else if (MAX (part->shard_n, 1) != n) {
            ok = FALSE;
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "%s is shard %u/%u but "
                         "%s is one of %u: give the shards of one split",
                         dirs[i], part->shard_k, part->shard_n, dirs[0], n);
        } else if (have[MAX (part->shard_k, 1) - 1]) {
            ok = FALSE;
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "shard %u/%u is given "
                         "twice (%s)",
                         MAX (part->shard_k, 1), n, dirs[i]);
        } else {
            ok = take_runs (x, part, dirs[i], runs, labels, error);
        }
        if (!ok)
            return NULL;
        have[MAX (part->shard_k, 1) - 1] = TRUE;
    }
    for (guint k = 0; k < n; k++)
        if (!have[k]) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_INPUT,
                         "shard %u/%u is "
                         "missing",
                         k + 1, n);
            return NULL;
        }
    for (guint v = 0; v < x->variants->len; v++)
        for (guint i = 0; i < x->reps; i++)
            if (g_ptr_array_index (sim_experiment_variant (x, v)->runs, i)
                == NULL) {
                g_set_error (error, SIM_EXPERIMENT_ERROR,
                             SIM_EXPERIMENT_ERROR_INPUT,
                             "%s, replication "
                             "%u is missing",
                             sim_experiment_variant (x, v)->label, i);
                return NULL;
            }
    return g_steal_pointer (&x);
}
