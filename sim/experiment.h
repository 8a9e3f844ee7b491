/* experiment.h - what the modules of compare, sweep and merge
 * (docs/design.md 6.1) share: the experiment, its variants, runs and
 * metrics, and the functions one module offers the others.
 *
 * Words.  A *variant* is one scenario with its settings: a scenario file
 * and strategy in compare, one combination of --vary values in sweep.  A
 * *replication* is one run of a variant.  Replication i of every variant
 * runs with the seed sim_rng_replication_seed (scenario.seed, i) (rng.h:
 * splitmix64 of the pair), so all variants see the same arrival and
 * service streams (common random numbers, docs/design.md 3) and their
 * differences are paired, while two scenario seeds never share a
 * replication's seed.  Replication 0 is the scenario's own seed:
 * `rollsim run` of the variant.
 *
 * Determinism.  A run's result depends only on its variant and
 * replication, never on the thread that ran it or on timing.  Results are
 * stored by (variant, replication); every statistic is computed from the
 * runs' CSV text, in replication order (the same text merge reads back
 * from runs.csv), and every file is written from those in variant order.
 * So --jobs 1, --jobs 8 and --shard K/N + merge give byte-identical files.
 * Nothing written depends on the wall clock; the progress line goes to a
 * terminal only.
 *
 * Outputs, one directory written atomically (report.h):
 *   experiment.ini   what was run: command, replications, the variants
 *                    with their settings and scenario hashes; what merge
 *                    checks before it combines anything
 *   variants/N.ini   variant N's resolved scenario (seed = replication 0)
 *   runs.csv         every run: variant, replication, the summary.csv
 *                    row, its scenario's SHA-256, the rollsim version
 *   compare.csv, differences.csv   (compare)   or   sweep.csv (sweep):
 *                    only in a whole result, not in a shard's partial one
 *   plots/           compare-*.png or sweep-*.png (unless --no-plots)
 *
 * The modules, one job each:
 *   experiment.c          the experiment value: variants, runs (the layout
 *                         of a runs.csv row), metrics, statistics
 *   experiment-run.c      running it: one run, the thread pool, shards,
 *                         the --precision loop
 *   experiment-grid.c     sweep's variants: the --vary grid
 *   experiment-report.c   the files: experiment.ini, variants/, runs.csv,
 *                         compare.csv, differences.csv, sweep.csv
 *   experiment-plot.c     the plots
 *   experiment-print.c    the tables on the terminal
 *   experiment-merge.c    reading shards' results back and combining them
 *   experiment-cli.c      the options and the compare, sweep and merge
 *                         commands (cli.h)
 */
#ifndef SIM_EXPERIMENT_H
#define SIM_EXPERIMENT_H

#include <stdio.h>
#include <glib.h>
#include "output.h"
#include "scenario.h"
#include "stats.h"

#ifndef ROLLSIM_VERSION
#define ROLLSIM_VERSION "0.0.0"
#endif

/* Errors of the experiment commands' own input.  Scenario errors keep
 * their domain (scenario.h); writing the result is SIM_REPORT_ERROR. */
#define SIM_EXPERIMENT_ERROR (sim_experiment_error_quark ())
GQuark sim_experiment_error_quark (void);
typedef enum {
    SIM_EXPERIMENT_ERROR_USAGE,  /* bad options: --vary, --shard, ... */
    SIM_EXPERIMENT_ERROR_INPUT,  /* a directory given to merge is not a
                                    result, or not one of the same
                                    experiment */
    SIM_EXPERIMENT_ERROR_FAILED, /* anything else */
} SimExperimentError;

/* Confidence level of every interval. */
#define SIM_EXPERIMENT_LEVEL 0.95

/* Most runs one experiment makes (variants x replications, --reps and
 * --max-reps included): each run keeps a row of about 2 kB, so a million
 * is already gigabytes, and days of simulation.  merge refuses an
 * experiment.ini that claims more (it would size its tables by it). */
#define SIM_EXPERIMENT_MAX_RUNS 1000000
/* Most runs at once (--jobs): each holds a thread and its memory. */
#define SIM_EXPERIMENT_MAX_JOBS 256

/* One run: a row of runs.csv and the numbers read from it. */
typedef struct SimRun {
    char **row; /* the runs.csv fields; owned */
    double *x;  /* each metric's value; NaN = missing; owned */
} SimRun;

typedef struct SimVariant {
    char *label;          /* unique: "rolling", "max_surge=1 ..." */
    char **settings;      /* GROUP.KEY=VALUE the variant adds */
    char **values;        /* sweep: the value of each varied key */
    char *ini;            /* the resolved scenario, replication 0 */
    char *sha256;         /* of ini */
    char *profile_sha256; /* of the rate profile's rows as they were read
                             (sim_experiment_profile_sha256), or NULL: the
                             resolved scenario names the file only by its
                             path, so its content is recorded apart */
    SimScenario *sc;      /* loaded from ini */
    GPtrArray *runs;      /* SimRun* by replication; NULL: not run here */
} SimVariant;             /* every field owned */

typedef struct SimExperimentMetric {
    char *name;          /* owned */
    gint col;            /* the summary column it reads */
    const char *outcome; /* not NULL: 1 when the outcome is this */
    gint better;         /* -1 lower is better, +1 higher, 0 neither */
    gint decimals;       /* of its mean and half-width in the CSVs */
    gint places;         /* the most decimals of a value in runs.csv (0:
                            a count): the terminal shows at most 2 more */
} SimExperimentMetric;

/* Every pointer is owned by the experiment. */
typedef struct SimExperiment {
    const SimSchema *schema; /* what variants are loaded with; borrowed */
    char *command;           /* "compare" or "sweep" */
    char *version;           /* rollsim's, when the runs were made */
    char **sets;             /* --set, shared by every variant */
    char **keys;             /* sweep: the varied keys */
    GPtrArray *axes;         /* sweep: char** values of each key */
    char **plot_metrics;     /* sweep: printed and plotted */
    char **skipped;          /* sweep: combinations not run, why */
    guint reps;
    double precision;         /* --precision as a fraction; 0 = off */
    char **precision_metrics; /* empty: every metric */
    guint max_reps;
    gboolean precision_reached;
    guint shard_k, shard_n; /* 0: the whole experiment */
    gboolean no_report;     /* no report.html (--no-report) */
    GPtrArray *variants;    /* SimVariant* */
    char **header;          /* the summary columns */
    GArray *metrics;        /* SimExperimentMetric */
    /* How a variant is loaded from a path (the command line's loader,
     * which also reads manifests), with @load_data; NULL: as a scenario
     * file.  Borrowed. */
    SimScenario *(*load) (gpointer load_data, const char *path,
                          const char *const *sets, GError **error);
    gpointer load_data;
} SimExperiment;

/* --- experiment.c: the experiment ----------------------------------------- */

/* An empty experiment of @command ("compare" or "sweep"), made by this
 * rollsim; the lists are empty, not NULL.  Free with
 * sim_experiment_free (NULL is fine). */
SimExperiment *sim_experiment_new (const char *command,
                                   const SimSchema *schema);
void sim_experiment_free (SimExperiment *x);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimExperiment, sim_experiment_free)

static inline SimVariant *
sim_experiment_variant (const SimExperiment *x, guint i)
{
    return g_ptr_array_index (x->variants, i);
}

static inline SimExperimentMetric *
sim_experiment_metric (const SimExperiment *x, guint i)
{
    return &g_array_index (x->metrics, SimExperimentMetric, i);
}

/* A variant with no fields but an empty runs array. */
SimVariant *sim_variant_new (void);
void sim_variant_free (SimVariant *v);
/* Take @ini, the variant's resolved scenario text, and hash it. */
void sim_variant_set_ini (SimVariant *v, char *ini);

/* The scenario of one variant: @path (NULL: the built-in one) with the
 * shared --set, the variant's @settings, and the seed @seed.  Then the
 * resolved text, loaded again, is what runs: variants/N.ini reproduces
 * the runs exactly.  The label is left NULL. */
SimVariant *sim_experiment_load_variant (const SimExperiment *x,
                                         const char *path, char **settings,
                                         const char *seed, GError **error);

/* The SHA-256 of @sc's rate profile as loaded (its rows, one
 * "MICROSECONDS,RATE" line each), or NULL without a profile.  Newly
 * allocated. */
char *sim_experiment_profile_sha256 (const SimScenario *sc);

/* The SHA-256 of the resolved scenario replication @rep of variant @v
 * runs (runs.csv's scenario_sha256).  Newly allocated. */
char *sim_experiment_run_sha256 (const SimVariant *v, guint rep);

/* "variants/N.ini", the file of variant @i (from 0).  Newly allocated. */
char *sim_experiment_variant_file (guint i);

/* The short name of varied key @k: its last part, unless another varied
 * key ends the same way.  Newly allocated. */
char *sim_experiment_short_key (const SimExperiment *x, guint k);

/* Take @header (the summary columns, NULL-terminated) and build the
 * metric list: every column that is a measurement, then the outcome
 * fractions. */
void sim_experiment_set_header (SimExperiment *x, char **header);
/* The index of metric @name, or -1. */
gint sim_experiment_find_metric (const SimExperiment *x, const char *name);

/* The rollout outcomes compare.csv and sweep.csv count per variant, in
 * their column order (NULL-terminated): a replication without a rollout
 * (outcome none) is in none of them. */
#define SIM_EXPERIMENT_N_OUTCOMES 4
extern const char *const sim_experiment_outcomes[];
/* How many replications of variant @v had each outcome. */
void sim_experiment_count_outcomes (const SimExperiment *x, guint v,
                                    guint counts[SIM_EXPERIMENT_N_OUTCOMES]);
/* Variant @v's outcomes in words: "10/10 completed", "completed 3/10,
 * unfinished 7/10", "no rollout".  Newly allocated. */
char *sim_experiment_outcome_text (const SimExperiment *x, guint v);
/* No replication of variant @v was aborted, stalled or unfinished: only
 * such a variant may be marked best (a run that did not complete is not
 * comparable with one that did). */
gboolean sim_experiment_variant_complete (const SimExperiment *x, guint v);

/* A CSV number, or NaN for an empty or non-numeric field. */
double sim_experiment_parse_number (const char *text);

/* runs.csv.  Its header (free with g_ptr_array_unref). */
GPtrArray *sim_experiment_runs_header (const SimExperiment *x);
/* Take the header of runs.csv written by shards of @x: its summary
 * columns become x's (sim_experiment_set_header).  FALSE if too short. */
gboolean sim_experiment_header_from_runs (SimExperiment *x,
                                          GPtrArray *runs_header);
/* Replication @rep of variant @v: its summary fields @values (as from
 * sim_report_summary_values; taken) and @sha256, the hash of its
 * scenario's text (sim_experiment_run_sha256). */
SimRun *sim_run_new (const SimExperiment *x, guint v, guint rep,
                     GPtrArray *values, const char *sha256);
/* A run from a runs.csv row, taken (NULL-terminated). */
SimRun *sim_run_new_from_row (const SimExperiment *x, char **row);
void sim_run_free (SimRun *r);

/* Metric @m of every replication of variant @v, NaN where missing.
 * Newly allocated, at least one element. */
double *sim_experiment_column (const SimExperiment *x, guint v, guint m);
/* Mean and half-width of every metric of every variant:
 * stats[v * n_metrics + m].  Newly allocated. */
SimStats *sim_experiment_stats (const SimExperiment *x);
/* Set each metric's decimals from the runs (report: the CSVs). */
void sim_experiment_set_decimals (SimExperiment *x);

/* "K/N" with 1 <= K <= N. */
gboolean sim_experiment_parse_shard (const char *text, guint *k, guint *n,
                                     GError **error);
/* "5%" or "0.05": a fraction in (0, 1). */
gboolean sim_experiment_parse_precision (const char *text, double *out,
                                         GError **error);

/* --- experiment-run.c: running -------------------------------------------- */

/* Run replications [@from, @to) of every variant that this shard owns,
 * on @jobs threads, with a progress line on stderr if @progress.  Each
 * run lands in its variant's runs, at its replication. */
gboolean sim_experiment_run (SimExperiment *x, guint from, guint to, guint jobs,
                             gboolean progress, GError **error);
/* With --precision: add replications until every counted half-width is
 * within the precision or max_reps is reached (said on stderr). */
gboolean sim_experiment_refine (SimExperiment *x, guint jobs, gboolean progress,
                                GError **error);

/* --- experiment-grid.c: sweep's variants ---------------------------------- */

/* Parse the --vary options @vary into x->keys and x->axes (a key given
 * twice gets the values of both). */
gboolean sim_experiment_vary (SimExperiment *x, char **vary, GError **error);
/* Add the variants of the grid of x->axes on the scenario @path (NULL:
 * built-in) with seed @seed, the last key fastest.  A combination of
 * valid values that do not go together (SIM_SCENARIO_ERROR_CONFLICT:
 * max_surge and max_unavailable both 0, ...) is skipped with a note in
 * x->skipped; a malformed value or an unknown key is an error at once,
 * with the loader's code; so is a grid where every combination is
 * skipped (CONFLICT). */
gboolean sim_experiment_build_grid (SimExperiment *x, const char *path,
                                    const char *seed, GError **error);

/* --- experiment-report.c: the files --------------------------------------- */
/* Everything of a finished experiment into the claimed @out, committed
 * (output.h): the partial result of a shard, or the whole one (with plots
 * if @plots). */
gboolean sim_experiment_write (SimExperiment *x, SimOutput *out, gboolean plots,
                               GError **error);

/* The text of experiment.ini; @shard: with the shard line (a partial
 * result).  Newly allocated. */
char *sim_experiment_ini (const SimExperiment *x, gboolean shard);

/* --- experiment-plot.c: the plots ----------------------------------------- */

/* Into @dir/plots: compare-*.png, or sweep-*.png from the stats @st. */
gboolean sim_experiment_draw_compare (const SimExperiment *x, const char *dir,
                                      GError **error);
gboolean sim_experiment_draw_sweep (const SimExperiment *x, const SimStats *st,
                                    const char *dir, GError **error);

/* --- experiment-print.c: the terminal ------------------------------------- */

/* The tables of a whole result from its stats @st; compare shows the
 * metrics @only (NULL or empty: all). */
void sim_experiment_print_compare (const SimExperiment *x, const SimStats *st,
                                   char **only);
void sim_experiment_print_sweep (const SimExperiment *x, const SimStats *st);
/* Where the outputs went (or the shard's share). */
void sim_experiment_print_outputs (const SimExperiment *x, const char *dir,
                                   gboolean plots);

/* --- experiment-merge.c: combining shards --------------------------------- */

/* The whole experiment from the @n result directories @dirs of its
 * shards (all N, each once), every run checked, the variants loaded with
 * @schema.  SIM_EXPERIMENT_ERROR_INPUT when a directory is not a result
 * or not one of them (SIM_SCENARIO_ERROR when a variant's scenario does
 * not load). */
SimExperiment *sim_experiment_merge (const char *const *dirs, guint n,
                                     const SimSchema *schema, GError **error);

#endif /* SIM_EXPERIMENT_H */
