/* experiment-cli.c - the commands `rollsim compare`, `sweep` and
 * `merge` (cli.h): their options, checked and copied into an experiment
 * (experiment.h), the variants of compare, and the exit status of each
 * failure: 2 for a bad command line or scenario, 1 for a failed run or
 * write.
 *
 * Every check that can fail on the command line runs before the first
 * run: an hour of runs does not end in a usage error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "experiment.h"
#include "report.h"
#include "strategy.h"
#include "canary.h"


/* Defaults of --reps and --max-reps. */
#define DEFAULT_REPS 10
#define DEFAULT_MAX_REPS 1000
/* What sweep prints and plots unless --metrics says otherwise. */
#define DEFAULT_SWEEP_METRICS "rollout_duration_s,errors"


/* --- Command-line options ------------------------------------------------- */

typedef struct {
    char *out;
    char *seed;
    char *shard;
    char *precision;
    char *metrics;
    char *precision_metrics;
    char **sets;
    char **ats; /* --at: appended to sets once parsed */
    char **strategies;
    char **vary;
    gint reps;
    gint jobs;
    gint max_reps;
    gboolean no_plots;
    gboolean no_report;
    gboolean quiet;
    SimCliInput in; /* manifests: --overlay, --workload, --to */
} Options;

/* What was imported, when the scenario is manifests. */
static void
print_import_summary (const Options *o)
{
    g_autofree char *summary = sim_cli_input_summary (&o->in);

    if (summary != NULL && !o->quiet)
        fprintf (stderr, "rollsim: %s\n", summary);
}

static void
options_clear (Options *o)
{
    g_free (o->out);
    g_free (o->seed);
    g_free (o->shard);
    g_free (o->precision);
    g_free (o->metrics);
    g_free (o->precision_metrics);
    g_strfreev (o->sets);
    g_strfreev (o->ats);
    g_strfreev (o->strategies);
    g_strfreev (o->vary);
    sim_cli_input_clear (&o->in);
}

/* The experiment's metrics, for "accepted:". */
static char *
metric_names (const SimExperiment *x)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < x->metrics->len; i++)
        g_string_append_printf (s, "%s%s", i > 0 ? ", " : "",
                                sim_experiment_metric (x, i)->name);
    return g_string_free (s, FALSE);
}

/* Comma-separated names, each one of the experiment's metrics. */
static char **
parse_metrics (const SimExperiment *x, const char *option, const char *text,
               GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, ",", -1);
    g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; parts[i] != NULL; i++) {
        char *p = g_strstrip (parts[i]);

        if (sim_experiment_find_metric (x, p) < 0) {
            g_autofree char *names = metric_names (x);

            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "%s %s: unknown metric \"%s\" (accepted: %s)", option,
                         text, p, names);
            return NULL;
        }
        g_ptr_array_add (out, g_strdup (p));
    }
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Options shared by compare and sweep, checked and copied into @x. */
static gboolean
apply_options (SimExperiment *x, const Options *o, GError **error)
{
    if (o->reps < 1 || o->reps > SIM_EXPERIMENT_MAX_RUNS) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "--reps %d: expected 1..%d", o->reps,
                     SIM_EXPERIMENT_MAX_RUNS);
        return FALSE;
    }
    /* Each job holds a run (up to its scenario.max_memory) and a
     * thread. */
    if (o->jobs < 1 || o->jobs > SIM_EXPERIMENT_MAX_JOBS) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "--jobs %d: expected 1..%d", o->jobs,
                     SIM_EXPERIMENT_MAX_JOBS);
        return FALSE;
    }
    x->reps = (guint) o->reps;
    if (o->shard != NULL
        && !sim_experiment_parse_shard (o->shard, &x->shard_k, &x->shard_n,
                                        error))
        return FALSE;
    if (o->precision != NULL) {
        if (!sim_experiment_parse_precision (o->precision, &x->precision,
                                             error))
            return FALSE;
        if (x->shard_n > 0) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "--precision and "
                         "--shard do not mix: how many replications are "
                         "needed is known only from all of them (give "
                         "shards a fixed --reps)");
            return FALSE;
        }
        if (o->max_reps < 2 || o->max_reps > SIM_EXPERIMENT_MAX_RUNS) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "--max-reps %d: expected 2..%d", o->max_reps,
                         SIM_EXPERIMENT_MAX_RUNS);
            return FALSE;
        }
        x->max_reps = (guint) o->max_reps;
        x->reps = MAX (MIN (x->reps, x->max_reps), 2);
    }
    g_strfreev (x->sets);
    x->sets = sim_cli_sets_with_at ((const char *const *) o->sets,
                                    (const char *const *) o->ats);
    return TRUE;
}

/* Metric options, once the header is known. */
static gboolean
apply_metric_options (SimExperiment *x, const Options *o, GError **error)
{
    if (o->precision_metrics != NULL) {
        char **list = parse_metrics (x, "--precision-metrics",
                                     o->precision_metrics, error);

        if (list == NULL)
            return FALSE;
        g_strfreev (x->precision_metrics);
        x->precision_metrics = list;
    }
    return TRUE;
}

/* Give duplicate labels a "#2", "#3", ... so each names one variant. */
static void
unique_labels (SimExperiment *x)
{
    for (guint i = 0; i < x->variants->len; i++) {
        SimVariant *v = sim_experiment_variant (x, i);
        guint same = 1;

        for (guint j = 0; j < i; j++) {
            const char *other = sim_experiment_variant (x, j)->label;

            if (g_str_has_prefix (other, v->label)) {
                const char *rest = other + strlen (v->label);

                same += rest[0] == '\0' || rest[0] == '#';
            }
        }
        if (same > 1) {
            char *l = g_strdup_printf ("%s#%u", v->label, same);

            g_free (v->label);
            v->label = l;
        }
    }
}

static guint
default_jobs (void)
{
    return (guint) CLAMP (g_get_num_processors (), 1, SIM_EXPERIMENT_MAX_JOBS);
}

/* Claim @out for the result of @x (output.h): its inputs are the
 * variants' scenario files and rate profiles, and the directories @dirs
 * (merge's shards).  @note: say when it replaces an earlier result. */
static SimOutput *
claim_output (const SimExperiment *x, const char *out, const char *const *dirs,
              gboolean note, GError **error)
{
    g_autoptr (GPtrArray) inputs = g_ptr_array_new ();
    SimOutput *output;

    for (guint v = 0; v < x->variants->len; v++) {
        const SimScenario *sc = sim_experiment_variant (x, v)->sc;

        if (sc->path != NULL)
            g_ptr_array_add (inputs, sc->path);
        if (sc->profile != NULL)
            g_ptr_array_add (inputs, sc->profile);
    }
    for (guint i = 0; dirs != NULL && dirs[i] != NULL; i++)
        g_ptr_array_add (inputs, (gpointer) dirs[i]);
    g_ptr_array_add (inputs, NULL);
    output = sim_output_claim (out, (const char *const *) inputs->pdata, error);
    if (output != NULL && note && sim_output_replaces (output))
        fprintf (stderr,
                 "rollsim: %s: %s holds an earlier result: replacing it "
                 "(give -o DIR to keep both)\n",
                 x->command, out);
    return output;
}

/* The warnings every variant shares (a setting one variant reads is not
 * reported for the others). */
static void
warn_variants (const SimExperiment *x)
{
    g_autofree const SimScenario **scs = g_new (const SimScenario *,
                                                MAX (x->variants->len, 1));

    for (guint i = 0; i < x->variants->len; i++)
        scs[i] = sim_experiment_variant (x, i)->sc;
    sim_cli_warn_common (scs, x->variants->len);
}

/* The shared ending of compare and sweep: run, refine, write, print. */
static int
finish (SimExperiment *x, const Options *o, const char *default_out,
        char **only)
{
    g_autoptr (GError) error = NULL;
    g_autofree char *out = g_strdup (o->out != NULL ? o->out : default_out);
    gboolean progress = !o->quiet && isatty (STDERR_FILENO);
    gboolean plots = !o->no_plots && x->shard_n == 0;
    g_autoptr (SimOutput) output = NULL;

    if ((guint64) x->variants->len * MAX (x->reps, x->max_reps)
        > SIM_EXPERIMENT_MAX_RUNS)
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "%s: %u variants x %u replications is more than "
                             "%d runs: fewer --reps, or fewer variants",
                             x->command, x->variants->len,
                             MAX (x->reps, x->max_reps),
                             SIM_EXPERIMENT_MAX_RUNS);
    /* Find out before an hour of runs that the output cannot be
     * written or the plots cannot be drawn. */
    if (plots && !sim_report_check_gnuplot (&error))
        return sim_cli_fail (SIM_EXIT_RUNTIME, "%s: %s", x->command,
                             error->message);
    output = claim_output (x, out, NULL, o->out == NULL && !o->quiet, &error);
    if (output == NULL)
        return sim_cli_fail (sim_cli_exit_status (error), "%s: %s", x->command,
                             error->message);
    x->no_report = o->no_report;
    if (!sim_experiment_run (x, 0, x->reps, (guint) o->jobs, progress, &error)
        || (x->precision > 0
            && !sim_experiment_refine (x, (guint) o->jobs, progress, &error))
        || !sim_experiment_write (x, output, plots, &error))
        return sim_cli_fail (SIM_EXIT_RUNTIME, "%s: %s", x->command,
                             error->message);
    if (!o->quiet && x->shard_n == 0) {
        g_autofree SimStats *st = sim_experiment_stats (x);

        if (strcmp (x->command, "compare") == 0)
            sim_experiment_print_compare (x, st, only);
        else
            sim_experiment_print_sweep (x, st);
    }
    if (!o->quiet)
        sim_experiment_print_outputs (x, out, plots);
    return SIM_EXIT_OK;
}

static void
common_entries (GOptionContext *ctx, Options *o)
{
    sim_cli_input_entries (ctx, &o->in);
    GOptionEntry entries[] = {
        { "reps", 0, 0, G_OPTION_ARG_INT, &o->reps,
          "Replications per variant (default 10)", "N" },
        { "seed", 0, 0, G_OPTION_ARG_STRING, &o->seed,
          "Seed of replication 0 (default: scenario.seed); replication i "
          "uses a seed mixed from it and i (docs/experiments.md)",
          "S" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &o->jobs,
          "Runs at once (default: the number of cores)", "N" },
        { "shard", 0, 0, G_OPTION_ARG_STRING, &o->shard,
          "Run only slice K of N of the runs (a partial result for "
          "rollsim merge)",
          "K/N" },
        { "precision", 0, 0, G_OPTION_ARG_STRING, &o->precision,
          "Add replications until every half-width is within P of its "
          "mean",
          "P%" },
        { "precision-metrics", 0, 0, G_OPTION_ARG_STRING, &o->precision_metrics,
          "The metrics --precision looks at (default: all)", "M,..." },
        { "max-reps", 0, 0, G_OPTION_ARG_INT, &o->max_reps,
          "Cap of --precision (default 1000)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->sets,
          "Override a key in every variant", "GROUP.KEY=VALUE" },
        { "at", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->ats,
          "Append an action to [timeline] in every variant, e.g. \"90s "
          "abort\"",
          "\"TIME ACTION\"" },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o->out, "Output directory",
          "DIR" },
        { "no-report", 0, 0, G_OPTION_ARG_NONE, &o->no_report,
          "Do not write report.html", NULL },
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o->no_plots,
          "Do not draw plots (no gnuplot needed)", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o->quiet,
          "Print nothing on success", NULL },
        { NULL }
    };

    o->reps = DEFAULT_REPS;
    o->jobs = (gint) default_jobs ();
    o->max_reps = DEFAULT_MAX_REPS;
    g_option_context_add_main_entries (ctx, entries, NULL);
}

/* --- compare -------------------------------------------------------------- */

int
sim_cli_compare (int argc, char **argv)
{
    Options o = { 0 };
    GOptionEntry entries[] = {
        { "strategy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.strategies,
          "Strategies to compare, e.g. rolling,recreate (default: the "
          "scenario's)",
          "NAME[,NAME...]" },
        { "metrics", 0, 0, G_OPTION_ARG_STRING, &o.metrics,
          "Metrics to print (default: all; the CSVs have all)", "M,..." },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "[SCENARIO...] - compare strategies or scenarios over many seeds");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimExperiment)
        x = sim_experiment_new ("compare", sim_cli_schema ());
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (SimScenario) first = NULL;
    g_auto (GStrv) only = NULL;
    g_autofree char *seed = NULL;
    g_autofree char *def = NULL;
    guint nfiles;
    int rc;

    common_entries (ctx, &o);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx,
        "Runs every variant (each SCENARIO with each --strategy; without\n"
        "SCENARIO, the built-in seed scenario) --reps times.  Replication i\n"
        "of every variant runs with seed S+i, so all see the same arrivals\n"
        "and service times and their differences are paired.  Writes\n"
        "compare.csv (mean and 95% half-width of each metric per variant),\n"
        "differences.csv (paired differences), runs.csv (every run),\n"
        "experiment.ini, variants/N.ini and plots/compare-*.png.\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "compare: %s (see rollsim compare --help)",
                             error->message);
    }
    if (!apply_options (x, &o, &error)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE, "compare: %s", error->message);
    }
    nfiles = (guint) argc - 1;
    /* CRN across scenario files: all take the first one's seed. */
    x->load = sim_cli_load_variant;
    x->load_data = &o.in;
    first = sim_cli_load (nfiles > 0 ? argv[1] : NULL, &o.in,
                          (const char *const *) x->sets, o.seed, &error);
    if (first == NULL) {
        options_clear (&o);
        return sim_cli_error (error);
    }
    print_import_summary (&o);
    seed = g_strdup_printf ("%" G_GUINT64_FORMAT, first->seed);
    for (guint i = 0; o.strategies != NULL && o.strategies[i] != NULL; i++) {
        g_auto (GStrv) parts = g_strsplit (o.strategies[i], ",", -1);

        for (guint j = 0; parts[j] != NULL; j++) {
            char *p = g_strstrip (parts[j]);

            if (*p == '\0' || sim_strategy_lookup (p) == NULL) {
                rc = sim_cli_fail (SIM_EXIT_USAGE,
                                   "compare: --strategy %s: unknown "
                                   "strategy \"%s\" (accepted: %s)",
                                   o.strategies[i], p, sim_strategy_names ());
                options_clear (&o);
                return rc;
            }
            g_ptr_array_add (names, g_strdup (p));
        }
    }
    for (guint f = 0; f < MAX (nfiles, 1); f++) {
        const char *path = nfiles > 0 ? argv[f + 1] : NULL;

        for (guint s = 0; s < MAX (names->len, 1); s++) {
            g_autofree char *set = names->len > 0 ? g_strconcat (
                                       "strategy.type=",
                                       (char *) g_ptr_array_index (names, s),
                                       NULL)
                                                  : NULL;
            char *settings[] = { set, NULL };
            SimVariant *v = sim_experiment_load_variant (x, path, settings,
                                                         seed, &error);

            if (v == NULL) {
                options_clear (&o);
                return sim_cli_error (error);
            }
            /* Newcomer audit D13: a canary chosen with --strategy on a
             * scenario written without its steps. */
            if (names->len > 0 && strcmp (v->sc->strategy, "canary") == 0
                && sim_canary_settings (v->sc)->steps.n == 0)
                fprintf (stderr,
                         "rollsim: compare: warning: %s: no "
                         "strategy.canary.steps: the canary goes straight "
                         "to full weight (set them with --set "
                         "strategy.canary.steps=...)\n",
                         v->sc->path);
            if (nfiles > 1 && names->len > 0)
                v->label = g_strdup_printf ("%s/%s", v->sc->name,
                                            v->sc->strategy);
            else if (names->len > 0 || nfiles <= 1)
                v->label = g_strdup (v->sc->strategy);
            else
                v->label = g_strdup (v->sc->name);
            g_ptr_array_add (x->variants, v);
        }
    }
    unique_labels (x);
    warn_variants (x);
    sim_experiment_set_header (
        x, g_strdupv ((char **) sim_report_summary_header ()));
    if (!apply_metric_options (x, &o, &error)
        || (o.metrics != NULL
            && (only = parse_metrics (x, "--metrics", o.metrics, &error))
                   == NULL)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE, "compare: %s", error->message);
    }
    def = x->shard_n > 0 ? g_strdup_printf ("out/%s-compare-%u-of-%u",
                                            first->name, x->shard_k, x->shard_n)
                         : g_strdup_printf ("out/%s-compare", first->name);
    rc = finish (x, &o, def, only);
    options_clear (&o);
    return rc;
}

/* --- sweep ---------------------------------------------------------------- */

int
sim_cli_sweep (int argc, char **argv)
{
    Options o = { 0 };
    GOptionEntry entries[] = {
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.vary,
          "A key and its values (commas inside parentheses and \\, do not "
          "split); repeat for a grid",
          "GROUP.KEY=V1,V2,..." },
        { "metrics", 0, 0, G_OPTION_ARG_STRING, &o.metrics,
          "Metrics to print and plot against the first --vary key "
          "(default " DEFAULT_SWEEP_METRICS ")",
          "M,..." },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "[SCENARIO] --vary GROUP.KEY=V1,V2,... - run a grid of settings "
        "over many seeds");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimExperiment)
        x = sim_experiment_new ("sweep", sim_cli_schema ());
    g_autoptr (SimScenario) base = NULL;
    g_autofree char *seed = NULL;
    g_autofree char *def = NULL;
    const char *path;
    int rc;

    common_entries (ctx, &o);
    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx,
        "Runs every combination of the --vary values (the last key varies\n"
        "fastest) --reps times; replication i of every combination runs\n"
        "with seed S+i.  A combination the scenario checks reject (such as\n"
        "max_surge and max_unavailable both 0) is skipped with a note.\n"
        "Writes sweep.csv (per combination: its settings, then mean and\n"
        "95% half-width of each metric), runs.csv, experiment.ini,\n"
        "variants/N.ini and plots/sweep-METRIC.png (each --metrics metric\n"
        "against the first key, one line per value of the others).\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "sweep: %s (see rollsim sweep --help)",
                             error->message);
    }
    if (argc > 2) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "sweep: one scenario at a time (got %d)",
                             argc - 1);
    }
    path = argc == 2 ? argv[1] : NULL;
    if (!apply_options (x, &o, &error)
        || !sim_experiment_vary (x, o.vary, &error)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE, "sweep: %s", error->message);
    }
    x->load = sim_cli_load_variant;
    x->load_data = &o.in;
    base = sim_cli_load (path, &o.in, (const char *const *) x->sets, o.seed,
                         &error);
    if (base == NULL) {
        options_clear (&o);
        return sim_cli_error (error);
    }
    print_import_summary (&o);
    seed = g_strdup_printf ("%" G_GUINT64_FORMAT, base->seed);
    if (!sim_experiment_build_grid (x, path, seed, &error)) {
        options_clear (&o);
        return sim_cli_fail (sim_cli_exit_status (error), "sweep: %s",
                             error->message);
    }
    warn_variants (x);
    sim_experiment_set_header (
        x, g_strdupv ((char **) sim_report_summary_header ()));
    g_strfreev (x->plot_metrics);
    x->plot_metrics = parse_metrics (x, "--metrics",
                                     o.metrics != NULL ? o.metrics
                                                       : DEFAULT_SWEEP_METRICS,
                                     &error);
    if (x->plot_metrics == NULL || !apply_metric_options (x, &o, &error)) {
        options_clear (&o);
        return sim_cli_fail (SIM_EXIT_USAGE, "sweep: %s", error->message);
    }
    /* Said even with --quiet: part of the grid will not be there. */
    for (guint i = 0; x->skipped[i] != NULL; i++)
        fprintf (stderr, "rollsim: sweep: skipping %s\n", x->skipped[i]);
    def = x->shard_n > 0 ? g_strdup_printf ("out/%s-sweep-%u-of-%u", base->name,
                                            x->shard_k, x->shard_n)
                         : g_strdup_printf ("out/%s-sweep", base->name);
    rc = finish (x, &o, def, NULL);
    options_clear (&o);
    return rc;
}

/* --- merge ---------------------------------------------------------------- */

int
sim_cli_merge (int argc, char **argv)
{
    g_autofree char *out = NULL;
    gboolean no_plots = FALSE, quiet = FALSE, no_report = FALSE;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Output directory (default out/<scenario name>-<command>)", "DIR" },
        { "no-report", 0, 0, G_OPTION_ARG_NONE, &no_report,
          "Do not write report.html", NULL },
        { "no-plots", 0, 0, G_OPTION_ARG_NONE, &no_plots,
          "Do not draw plots (no gnuplot needed)", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "Print nothing on success", NULL },
        { NULL }
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "DIR... - combine the partial results of compare or sweep shards");
    g_autoptr (GError) error = NULL;
    g_autoptr (SimExperiment) x = NULL;
    g_autoptr (SimOutput) output = NULL;
    gboolean default_out = FALSE;

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (
        ctx, "Each DIR is the output of one `compare` or `sweep` run with\n"
             "--shard K/N (all N slices, each once, of the same experiment).\n"
             "Writes the files the same command without --shard writes,\n"
             "identical byte for byte.\n");
    if (!g_option_context_parse (ctx, &argc, &argv, &error))
        return sim_cli_fail (SIM_EXIT_USAGE,
                             "merge: %s (see rollsim merge --help)",
                             error->message);
    if (argc < 2)
        return sim_cli_fail (SIM_EXIT_USAGE, "merge: name the shards' result "
                                             "directories");
    x = sim_experiment_merge ((const char *const *) argv + 1, (guint) argc - 1,
                              sim_cli_schema (), &error);
    if (x == NULL)
        return sim_cli_fail (sim_cli_exit_status (error), "merge: %s",
                             error->message);
    if (out == NULL) {
        out = g_strdup_printf ("out/%s-%s",
                               sim_experiment_variant (x, 0)->sc->name,
                               x->command);
        default_out = TRUE;
    }
    /* As sweep said it (once, on stderr, even with --quiet). */
    for (guint i = 0; x->skipped[i] != NULL; i++)
        fprintf (stderr, "rollsim: merge: the sweep skipped %s\n",
                 x->skipped[i]);
    if (!no_plots && !sim_report_check_gnuplot (&error))
        return sim_cli_fail (SIM_EXIT_RUNTIME, "merge: %s", error->message);
    output = claim_output (x, out, (const char *const *) argv + 1,
                           default_out && !quiet, &error);
    if (output == NULL)
        return sim_cli_fail (sim_cli_exit_status (error), "merge: %s",
                             error->message);
    x->no_report = no_report;
    if (!sim_experiment_write (x, output, !no_plots, &error))
        return sim_cli_fail (SIM_EXIT_RUNTIME, "merge: %s", error->message);
    if (!quiet) {
        g_autofree SimStats *st = sim_experiment_stats (x);

        if (strcmp (x->command, "compare") == 0)
            sim_experiment_print_compare (x, st, NULL);
        else
            sim_experiment_print_sweep (x, st);
        sim_experiment_print_outputs (x, out, !no_plots);
    }
    return SIM_EXIT_OK;
}
