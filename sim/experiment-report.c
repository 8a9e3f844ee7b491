/* experiment-report.c - the files of an experiment (experiment.h):
 * experiment.ini, variants/N.ini, runs.csv, and for a whole result
 * compare.csv and differences.csv or sweep.csv, all into one directory
 * written atomically (report.h).
 *
 * Invariant.  Every byte comes from the runs' text in variant and
 * replication order, never from timing: --jobs 1, --jobs 8 and shards
 * merged write the same files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include "experiment.h"
#include "html-report.h"
#include "report.h"

/* --- experiment.ini ------------------------------------------------------- */

static void
set_list (GKeyFile *kf, const char *group, const char *key, char **list)
{
    g_key_file_set_string_list (kf, group, key, (const char *const *) list,
                                g_strv_length (list));
}

static char *
format_fraction (double f)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strconcat (g_ascii_formatd (buf, sizeof buf, "%g", 100 * f), "%",
                        NULL);
}

/* Merge compares these texts without the shard line. */
char *
sim_experiment_ini (const SimExperiment *x, gboolean shard)
{
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    g_autofree char *body = NULL;

    g_key_file_set_string (kf, "experiment", "command", x->command);
    g_key_file_set_string (kf, "experiment", "rollsim_version", x->version);
    g_key_file_set_integer (kf, "experiment", "replications", (gint) x->reps);
    set_list (kf, "experiment", "sets", x->sets);
    set_list (kf, "experiment", "keys", x->keys);
    set_list (kf, "experiment", "metrics", x->plot_metrics);
    if (x->precision > 0) {
        g_autofree char *p = format_fraction (x->precision);

        g_key_file_set_string (kf, "experiment", "precision", p);
        set_list (kf, "experiment", "precision_metrics", x->precision_metrics);
        g_key_file_set_integer (kf, "experiment", "max_replications",
                                (gint) x->max_reps);
        g_key_file_set_boolean (kf, "experiment", "precision_reached",
                                x->precision_reached);
    }
    set_list (kf, "experiment", "skipped", x->skipped);
    g_key_file_set_integer (kf, "experiment", "variants",
                            (gint) x->variants->len);
    if (shard && x->shard_n > 0) {
        g_autofree char *s = g_strdup_printf ("%u/%u", x->shard_k, x->shard_n);

        g_key_file_set_string (kf, "experiment", "shard", s);
    }
    for (guint k = 0; x->keys[k] != NULL; k++)
        set_list (kf, "values", x->keys[k], g_ptr_array_index (x->axes, k));
    for (guint i = 0; i < x->variants->len; i++) {
        const SimVariant *v = sim_experiment_variant (x, i);
        g_autofree char *group = g_strdup_printf ("variant.%u", i + 1);
        g_autofree char *file = sim_experiment_variant_file (i);

        g_key_file_set_string (kf, group, "label", v->label);
        set_list (kf, group, "settings", v->settings);
        set_list (kf, group, "values", v->values);
        g_key_file_set_string (kf, group, "scenario", file);
        g_key_file_set_string (kf, group, "scenario_sha256", v->sha256);
        if (v->profile_sha256 != NULL)
            g_key_file_set_string (kf, group, "profile_sha256",
                                   v->profile_sha256);
    }
    body = g_key_file_to_data (kf, NULL, NULL);
    return g_strconcat ("# What rollsim compare or sweep ran.  Replication "
                        "i of every variant ran with\n# the seed mixed from "
                        "scenario.seed and i (runs.csv, column seed);\n"
                        "# variants/N.ini holds variant N's scenario.\n",
                        body, NULL);
}

/* --- Writing the outputs -------------------------------------------------- */

static void
write_ptr_row (FILE *fp, GPtrArray *f)
{
    sim_report_write_row (fp, (const char *const *) f->pdata, f->len);
    g_ptr_array_set_size (f, 0);
}

static gboolean
write_runs (const SimExperiment *x, const char *dir, GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr (GPtrArray) h = sim_experiment_runs_header (x);
    FILE *fp = sim_report_open_file (dir, "runs.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    write_ptr_row (fp, h);
    for (guint v = 0; v < x->variants->len; v++) {
        GPtrArray *runs = sim_experiment_variant (x, v)->runs;

        for (guint i = 0; i < runs->len; i++) {
            SimRun *r = g_ptr_array_index (runs, i);

            if (r != NULL)
                sim_report_write_row (fp, (const char *const *) r->row,
                                      g_strv_length (r->row));
        }
    }
    return sim_report_close_file (fp, path, error);
}

static gboolean
write_variants (const SimExperiment *x, const char *dir, gboolean shard,
                GError **error)
{
    g_autofree char *vdir = g_build_filename (dir, "variants", NULL);
    g_autofree char *ini = sim_experiment_ini (x, shard);
    g_autofree char *ini_path = g_build_filename (dir, "experiment.ini", NULL);

    if (!sim_report_make_dir (vdir, error))
        return FALSE;
    if (!g_file_set_contents (ini_path, ini, -1, error))
        return FALSE;
    for (guint i = 0; i < x->variants->len; i++) {
        g_autofree char *name = sim_experiment_variant_file (i);
        g_autofree char *path = g_build_filename (dir, name, NULL);

        if (!g_file_set_contents (path, sim_experiment_variant (x, i)->ini, -1,
                                  error))
            return FALSE;
    }
    return TRUE;
}

/* Append mean, half-width and n of @s. */
static void
stats_fields (GPtrArray *f, const SimStats *s, gint decimals)
{
    g_ptr_array_add (f, sim_report_number (s->mean, decimals));
    g_ptr_array_add (f, sim_report_number (s->hw, decimals));
    g_ptr_array_add (f, g_strdup_printf ("%u", s->n));
}

/* The metrics' columns, then the outcome counts (appended last, so
 * the columns before them keep their places). */
static void
stats_header (GPtrArray *f, const SimExperiment *x)
{
    for (guint m = 0; m < x->metrics->len; m++) {
        const char *name = sim_experiment_metric (x, m)->name;

        g_ptr_array_add (f, g_strconcat (name, "_mean", NULL));
        g_ptr_array_add (f, g_strconcat (name, "_hw", NULL));
        g_ptr_array_add (f, g_strconcat (name, "_n", NULL));
    }
    for (guint k = 0; sim_experiment_outcomes[k] != NULL; k++)
        g_ptr_array_add (f, g_strdup (sim_experiment_outcomes[k]));
}

/* How many replications of variant @v completed, aborted, stalled or
 * were unfinished. */
static void
outcome_fields (GPtrArray *f, const SimExperiment *x, guint v)
{
    guint counts[SIM_EXPERIMENT_N_OUTCOMES];

    sim_experiment_count_outcomes (x, v, counts);
    for (guint k = 0; k < SIM_EXPERIMENT_N_OUTCOMES; k++)
        g_ptr_array_add (f, g_strdup_printf ("%u", counts[k]));
}

/* compare.csv: one row per variant; differences.csv: every pair of
 * variants (b minus a, a listed first), metric by metric, paired by
 * replication. */
static gboolean
write_compare (const SimExperiment *x, const SimStats *st, const char *dir,
               GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *dpath = NULL;
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
    guint nm = x->metrics->len;
    FILE *fp = sim_report_open_file (dir, "compare.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    for (const char *const *h =
             (const char *const[]) { "variant", "scenario", "strategy",
                                     "replications", NULL };
         *h != NULL; h++)
        g_ptr_array_add (f, g_strdup (*h));
    stats_header (f, x);
    write_ptr_row (fp, f);
    for (guint v = 0; v < x->variants->len; v++) {
        const SimVariant *va = sim_experiment_variant (x, v);

        g_ptr_array_add (f, g_strdup (va->label));
        g_ptr_array_add (f, g_strdup (va->sc->name));
        g_ptr_array_add (f, g_strdup (va->sc->strategy));
        g_ptr_array_add (f, g_strdup_printf ("%u", va->runs->len));
        for (guint m = 0; m < nm; m++)
            stats_fields (f, &st[v * nm + m],
                          sim_experiment_metric (x, m)->decimals);
        outcome_fields (f, x, v);
        write_ptr_row (fp, f);
    }
    if (!sim_report_close_file (fp, path, error))
        return FALSE;

    fp = sim_report_open_file (dir, "differences.csv", &dpath, error);
    if (fp == NULL)
        return FALSE;
    for (const char *const *h =
             (const char *const[]) { "variant", "baseline", "metric", "n",
                                     "difference_mean", "difference_hw", NULL };
         *h != NULL; h++)
        g_ptr_array_add (f, g_strdup (*h));
    write_ptr_row (fp, f);
    for (guint a = 0; a < x->variants->len; a++)
        for (guint b = a + 1; b < x->variants->len; b++)
            for (guint m = 0; m < nm; m++) {
                const SimVariant *va = sim_experiment_variant (x, a);
                const SimVariant *vb = sim_experiment_variant (x, b);
                const SimExperimentMetric *me = sim_experiment_metric (x, m);
                g_autofree double *ca = sim_experiment_column (x, a, m);
                g_autofree double *cb = sim_experiment_column (x, b, m);
                SimStats d;

                sim_stats_paired (ca, cb, va->runs->len, SIM_EXPERIMENT_LEVEL,
                                  &d);
                if (d.n == 0)
                    continue;
                g_ptr_array_add (f, g_strdup (vb->label));
                g_ptr_array_add (f, g_strdup (va->label));
                g_ptr_array_add (f, g_strdup (me->name));
                g_ptr_array_add (f, g_strdup_printf ("%u", d.n));
                g_ptr_array_add (f, sim_report_number (d.mean, me->decimals));
                g_ptr_array_add (f, sim_report_number (d.hw, me->decimals));
                write_ptr_row (fp, f);
            }
    return sim_report_close_file (fp, dpath, error);
}

/* sweep.csv: one row per combination that ran. */
static gboolean
write_sweep (const SimExperiment *x, const SimStats *st, const char *dir,
             GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr (GPtrArray) f = g_ptr_array_new_with_free_func (g_free);
    guint nm = x->metrics->len;
    FILE *fp = sim_report_open_file (dir, "sweep.csv", &path, error);

    if (fp == NULL)
        return FALSE;
    for (guint k = 0; x->keys[k] != NULL; k++)
        g_ptr_array_add (f, g_strdup (x->keys[k]));
    g_ptr_array_add (f, g_strdup ("replications"));
    stats_header (f, x);
    write_ptr_row (fp, f);
    for (guint v = 0; v < x->variants->len; v++) {
        const SimVariant *va = sim_experiment_variant (x, v);

        for (guint k = 0; va->values[k] != NULL; k++)
            g_ptr_array_add (f, g_strdup (va->values[k]));
        g_ptr_array_add (f, g_strdup_printf ("%u", va->runs->len));
        for (guint m = 0; m < nm; m++)
            stats_fields (f, &st[v * nm + m],
                          sim_experiment_metric (x, m)->decimals);
        outcome_fields (f, x, v);
        write_ptr_row (fp, f);
    }
    return sim_report_close_file (fp, path, error);
}

/* --- All of them ---------------------------------------------------------- */

gboolean
sim_experiment_write (SimExperiment *x, SimOutput *out, gboolean plots,
                      GError **error)
{
    const char *tmp = sim_output_tmp (out);
    g_autofree SimStats *st = NULL;
    gboolean whole = x->shard_n == 0;
    gboolean compare = strcmp (x->command, "compare") == 0;

    sim_experiment_set_decimals (x);
    if (whole)
        st = sim_experiment_stats (x);
    if (!write_variants (x, tmp, TRUE, error) || !write_runs (x, tmp, error)
        || (whole && compare && !write_compare (x, st, tmp, error))
        || (whole && !compare && !write_sweep (x, st, tmp, error))
        || (whole && plots && compare
            && !sim_experiment_draw_compare (x, tmp, error))
        || (whole && plots && !compare
            && !sim_experiment_draw_sweep (x, st, tmp, error))
        || (whole && !x->no_report && !sim_html_report_write (tmp, error))) {
        sim_output_restate_error (out, error != NULL ? *error : NULL);
        return FALSE;
    }
    return sim_output_commit (out, error);
}
