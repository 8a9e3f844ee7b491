/* experiment-print.c - what compare, sweep and merge print on the
 * terminal (experiment.h): a heading, a table of means with half-widths
 * (the best marked), compare's table of paired differences, and where the
 * outputs went.  Columns are aligned by characters, not bytes (the ±).
 *
 * Everything shown is also in the CSVs; the tables leave out what says
 * nothing (a metric 0 in every run, a difference 0 in every pair) and
 * name it below instead.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "experiment.h"

/* Decimals for showing metric @m's numbers of magnitude up to @big: four
 * significant digits, at most 6 decimals, and at most 2 more than its
 * values have (a count's mean shows 0.25, not 0.2500). */
static gint
show_decimals (const SimExperiment *x, guint m, double big)
{
    gint most = sim_experiment_metric (x, m)->places + 2;

    if (!(big > 0) || isinf (big))
        return 0;
    return MIN (CLAMP (3 - (gint) floor (log10 (big)), 0, 6), most);
}

static void
print_padded (const char *text, gint width)
{
    glong len = g_utf8_strlen (text, -1);

    fputs (text, stdout);
    for (glong i = len; i < width; i++)
        fputc (' ', stdout);
}

static gint
text_width (const char *text)
{
    return (gint) g_utf8_strlen (text, -1);
}

/* "mean ± hw" with @dec decimals (hw left out when undefined). */
static char *
show_stats (double mean, double hw, gint dec, gboolean sign)
{
    if (isnan (mean))
        return g_strdup ("-");
    if (isnan (hw))
        return g_strdup_printf (sign ? "%+.*f" : "%.*f", dec, mean);
    return g_strdup_printf (sign ? "%+.*f ± %.*f" : "%.*f ± %.*f", dec, mean,
                            dec, hw);
}

/* Which variants may be marked best: those whose every replication
 * completed (or had no rollout).  Newly allocated. */
static gboolean *
complete_variants (const SimExperiment *x)
{
    gboolean *c = g_new (gboolean, x->variants->len + 1);

    for (guint v = 0; v < x->variants->len; v++)
        c[v] = sim_experiment_variant_complete (x, v);
    return c;
}

/* Is variant @v's mean of @m the best of the variants that may be marked
 * (@complete; ties all best)?  A variant with an aborted, stalled or
 * unfinished replication is never marked, and is not compared: fewer
 * errors because the rollout never happened is not better. */
static gboolean
is_best (const SimExperiment *x, const SimStats *st, const gboolean *complete,
         guint v, guint m)
{
    guint nm = x->metrics->len;
    double mine = st[v * nm + m].mean;
    gint better = sim_experiment_metric (x, m)->better;

    gboolean all_tie = TRUE;

    if (better == 0 || isnan (mine) || x->variants->len < 2 || !complete[v])
        return FALSE;
    for (guint o = 0; o < x->variants->len; o++) {
        double other = st[o * nm + m].mean;

        if (!complete[o])
            continue;
        if (!isnan (other) && (better < 0 ? other < mine : other > mine))
            return FALSE;
        all_tie &= other == mine;
    }
    /* A mark on every variant says nothing. */
    return !all_tie;
}

static const char legend[] =
    "(* best of the variants whose every replication completed; - no "
    "value in any replication, e.g. a rollout that never ended)";

/* A table: rows of cells, printed with aligned columns. */
static void
print_table (GPtrArray *rows)
{
    g_autofree gint *width = NULL;
    guint ncol = 0;

    for (guint r = 0; r < rows->len; r++)
        ncol = MAX (ncol, ((GPtrArray *) g_ptr_array_index (rows, r))->len);
    width = g_new0 (gint, ncol + 1);
    for (guint r = 0; r < rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (rows, r);

        for (guint c = 0; c < row->len; c++)
            width[c] = MAX (width[c], text_width (g_ptr_array_index (row, c)));
    }
    for (guint r = 0; r < rows->len; r++) {
        GPtrArray *row = g_ptr_array_index (rows, r);

        for (guint c = 0; c < row->len; c++) {
            if (c + 1 == row->len)
                fputs (g_ptr_array_index (row, c), stdout);
            else
                print_padded (g_ptr_array_index (row, c), width[c] + 3);
        }
        fputc ('\n', stdout);
    }
}

static GPtrArray *
new_row (GPtrArray *rows)
{
    GPtrArray *row = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (rows, row);
    return row;
}

static gboolean
metric_shown (const SimExperiment *x, char **only, guint m)
{
    return only == NULL || only[0] == NULL
           || g_strv_contains ((const char *const *) only,
                               sim_experiment_metric (x, m)->name);
}

static void
print_heading (const SimExperiment *x)
{
    const SimVariant *v0 = sim_experiment_variant (x, 0);

    printf ("%s: %u variant%s x %u replication%s, seeds mixed from "
            "%" G_GUINT64_FORMAT
            " (common random numbers), %g%% confidence intervals\n",
            v0->sc->name, x->variants->len, x->variants->len == 1 ? "" : "s",
            x->reps, x->reps == 1 ? "" : "s", v0->sc->seed,
            100 * SIM_EXPERIMENT_LEVEL);
    if (x->precision > 0)
        printf ("precision %g%%: %s\n", 100 * x->precision,
                x->precision_reached ? "reached"
                                     : "NOT reached (capped by --max-reps)");
}

void
sim_experiment_print_compare (const SimExperiment *x, const SimStats *st,
                              char **only)
{
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    const SimVariant *base = sim_experiment_variant (x, 0);
    guint nm = x->metrics->len, nv = x->variants->len;
    g_autofree gboolean *complete = complete_variants (x);
    GPtrArray *row;

    g_autoptr (GString) zeros = g_string_new (NULL);
    g_autoptr (GString) same = g_string_new (NULL);

    print_heading (x);
    printf ("\n");
    row = new_row (rows);
    g_ptr_array_add (row, g_strdup ("metric"));
    for (guint v = 0; v < nv; v++)
        g_ptr_array_add (row, g_strdup (sim_experiment_variant (x, v)->label));
    row = new_row (rows);
    g_ptr_array_add (row, g_strdup ("outcomes"));
    for (guint v = 0; v < nv; v++)
        g_ptr_array_add (row, sim_experiment_outcome_text (x, v));
    for (guint m = 0; m < nm; m++) {
        double big = 0;
        gboolean any = FALSE;
        gint dec;

        gboolean zero = TRUE;

        for (guint v = 0; v < nv; v++) {
            const SimStats *s = &st[v * nm + m];

            any |= s->n > 0;
            zero &= s->n == 0 || (s->mean == 0 && !(s->hw > 0));
            if (s->n > 0)
                big = MAX (big, fabs (s->mean));
        }
        if (!any || !metric_shown (x, only, m))
            continue;
        if (zero) {
            g_string_append_printf (zeros, "%s%s", zeros->len ? ", " : "",
                                    sim_experiment_metric (x, m)->name);
            continue;
        }
        dec = show_decimals (x, m, big);
        row = new_row (rows);
        g_ptr_array_add (row, g_strdup (sim_experiment_metric (x, m)->name));
        for (guint v = 0; v < nv; v++) {
            const SimStats *s = &st[v * nm + m];
            g_autofree char *cell = show_stats (s->mean, s->hw, dec, FALSE);

            g_ptr_array_add (
                row,
                g_strconcat (cell, is_best (x, st, complete, v, m) ? " *" : "",
                             NULL));
        }
    }
    print_table (rows);
    if (zeros->len > 0)
        printf ("0 in every run: %s\n", zeros->str);
    if (nv < 2)
        return;
    printf ("%s\n\npaired differences from %s (variant minus %s, "
            "replication by replication; ! the interval excludes 0)\n\n",
            legend, base->label, base->label);
    g_ptr_array_set_size (rows, 0);
    row = new_row (rows);
    g_ptr_array_add (row, g_strdup ("metric"));
    for (guint v = 1; v < nv; v++)
        g_ptr_array_add (row, g_strdup (sim_experiment_variant (x, v)->label));
    for (guint m = 0; m < nm; m++) {
        double big = 0;
        gboolean any = FALSE;
        gint dec;

        for (guint v = 0; v < nv; v++)
            if (st[v * nm + m].n > 0)
                big = MAX (big, fabs (st[v * nm + m].mean));
        if (!metric_shown (x, only, m))
            continue;
        dec = show_decimals (x, m, big);
        row = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (row, g_strdup (sim_experiment_metric (x, m)->name));
        gboolean identical = TRUE;

        for (guint v = 1; v < nv; v++) {
            g_autofree double *ca = sim_experiment_column (x, 0, m);
            g_autofree double *cb = sim_experiment_column (x, v, m);
            g_autofree char *cell = NULL;
            SimStats d;

            sim_stats_paired (ca, cb, base->runs->len, SIM_EXPERIMENT_LEVEL,
                              &d);
            any |= d.n > 0;
            identical &= d.n == 0 || (d.mean == 0 && !(d.hw > 0));
            cell = show_stats (d.mean, d.hw, dec, TRUE);
            g_ptr_array_add (
                row,
                g_strconcat (cell,
                             !isnan (d.hw) && fabs (d.mean) > d.hw ? " !" : "",
                             NULL));
        }
        if (any && identical)
            g_string_append_printf (same, "%s%s", same->len ? ", " : "",
                                    sim_experiment_metric (x, m)->name);
        if (any && !identical)
            g_ptr_array_add (rows, row);
        else
            g_ptr_array_unref (row);
    }
    if (rows->len > 1)
        print_table (rows);
    if (same->len > 0)
        printf ("the same in every replication: %s\n", same->str);
}

void
sim_experiment_print_sweep (const SimExperiment *x, const SimStats *st)
{
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_ptr_array_unref);
    guint nm = x->metrics->len, nv = x->variants->len;
    g_autofree gboolean *complete = complete_variants (x);
    GPtrArray *row;

    print_heading (x);
    printf ("\n");
    row = new_row (rows);
    for (guint k = 0; x->keys[k] != NULL; k++)
        g_ptr_array_add (row, sim_experiment_short_key (x, k));
    for (guint p = 0; x->plot_metrics[p] != NULL; p++)
        g_ptr_array_add (row, g_strdup (x->plot_metrics[p]));
    g_ptr_array_add (row, g_strdup ("outcomes"));
    for (guint v = 0; v < nv; v++) {
        const SimVariant *va = sim_experiment_variant (x, v);

        row = new_row (rows);
        for (guint k = 0; va->values[k] != NULL; k++)
            g_ptr_array_add (row, g_strdup (va->values[k]));
        for (guint p = 0; x->plot_metrics[p] != NULL; p++) {
            guint m = (guint) sim_experiment_find_metric (x,
                                                          x->plot_metrics[p]);
            const SimStats *s = &st[v * nm + m];
            double big = 0;
            g_autofree char *cell = NULL;

            for (guint o = 0; o < nv; o++)
                if (st[o * nm + m].n > 0)
                    big = MAX (big, fabs (st[o * nm + m].mean));
            cell = show_stats (s->mean, s->hw, show_decimals (x, m, big),
                               FALSE);
            g_ptr_array_add (
                row,
                g_strconcat (cell, is_best (x, st, complete, v, m) ? " *" : "",
                             NULL));
        }
        g_ptr_array_add (row, sim_experiment_outcome_text (x, v));
    }
    print_table (rows);
    printf ("%s\nevery metric of every combination is in sweep.csv\n", legend);
}

void
sim_experiment_print_outputs (const SimExperiment *x, const char *dir,
                              gboolean plots)
{
    gboolean compare = strcmp (x->command, "compare") == 0;

    if (x->shard_n > 0) {
        guint n = 0;

        for (guint v = 0; v < x->variants->len; v++) {
            GPtrArray *runs = sim_experiment_variant (x, v)->runs;

            for (guint i = 0; i < runs->len; i++)
                n += g_ptr_array_index (runs, i) != NULL;
        }
        printf ("%s: shard %u/%u: %u of %u runs in %s/ (a partial result: "
                "combine the shards with rollsim merge)\n",
                x->command, x->shard_k, x->shard_n, n,
                x->variants->len * x->reps, dir);
        return;
    }
    printf ("outputs  %s/ (%s, runs.csv, experiment.ini, variants/%s)\n", dir,
            compare ? "compare.csv, differences.csv" : "sweep.csv",
            plots ? (compare ? ", plots/compare-*.png" : ", plots/sweep-*.png")
                  : "");
}
