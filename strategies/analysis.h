/* analysis.h - an automated analysis run, as Argo Rollouts' AnalysisRun
 * (docs/design.md A1.2), measured on the
 * traffic one version answers.
 *
 * The [analysis] group says what to measure: conditions such as
 * "error_rate < 0.01; p99_ms < 500", every `interval`, `count` times (0:
 * until stopped), after `initial_delay`.  A measurement at time t judges
 * the version's answers in the interval before t, condition by condition
 * (each condition is one Argo metric with a success condition only): it
 * holds -> successful; it does not -> failed (a latency that has no
 * value, every request having failed, does not hold either).  A window
 * without a single answer is no data: an error, as Argo's provider
 * returns one; the next measurement comes 10 s later
 * (DefaultErrorRetryInterval) and errors do not count toward `count`.
 * `min_requests` (0: off, Argo has no such setting) makes a measurement
 * over fewer answers inconclusive.  As in Argo, each metric keeps its own
 * counts: the run fails when one metric's failed measurements exceed
 * `failure_limit` (-1: never), errs when its consecutive errors exceed
 * `consecutive_error_limit`, is inconclusive when its inconclusive ones
 * exceed `inconclusive_limit` (failed, then error, win over
 * inconclusive), and succeeds when `count` measurements were judged
 * without tripping any.  Each measurement is an `analysis` row in
 * events.csv with the figures it measured.
 *
 * A run is driven by its owner's syncs: sim_analysis_poll() takes the
 * measurements that are due and asks the world to wake the controller
 * for the next one.
 */
#ifndef SIM_ANALYSIS_H
#define SIM_ANALYSIS_H

#include "world.h"
#include "scenario-place.h"

/* One condition: METRIC OP THRESHOLD. */
#define SIM_METRICS(X) \
    X (ERROR_RATE, "error_rate") \
    X (SUCCESS_RATE, "success_rate") \
    X (P50_MS, "p50_ms") \
    X (P95_MS, "p95_ms") \
    X (P99_MS, "p99_ms") \
    X (MEAN_MS, "mean_ms")

typedef enum {
#define SIM_METRIC_ENUM(id, name) SIM_METRIC_##id,
    SIM_METRICS (SIM_METRIC_ENUM)
#undef SIM_METRIC_ENUM
} SimMetricKind;

#define SIM_COMPARE_OPS(X) X (LT, "<") X (LE, "<=") X (GT, ">") X (GE, ">=")

typedef enum {
#define SIM_OP_ENUM(id, name) SIM_OP_##id,
    SIM_COMPARE_OPS (SIM_OP_ENUM)
#undef SIM_OP_ENUM
} SimCompareOp;

typedef struct SimAnalysisCondition {
    SimMetricKind metric;
    SimCompareOp op;
    double threshold;
} SimAnalysisCondition;

/* [analysis], owned by analysis.c. */
typedef struct SimAnalysisSettings {
    SimKeyList metrics; /* SimAnalysisCondition items */
    SimTime interval;
    gint count; /* 0 = until the end */
    SimTime initial_delay;
    gint failure_limit; /* -1 = disabled */
    gint inconclusive_limit;
    gint consecutive_error_limit;
    gint min_requests; /* 0 = off */
    gboolean background;
    gint start_step;
} SimAnalysisSettings;

extern const SimKeyGroup sim_analysis_settings_group;

static inline const SimAnalysisSettings *
sim_analysis_settings (const SimScenario *s)
{
    return sim_scenario_group (s, &sim_analysis_settings_group);
}

static inline const SimAnalysisCondition *
sim_analysis_conditions (const SimAnalysisSettings *as)
{
    return as->metrics.items;
}

/* The names conditions are written with: "error_rate", "<=". */
const char *sim_analysis_metric_name (SimMetricKind metric);
const char *sim_analysis_op_name (SimCompareOp op);

typedef enum {
    SIM_ANALYSIS_IDLE, /* not started */
    SIM_ANALYSIS_RUNNING,
    SIM_ANALYSIS_SUCCESSFUL,
    SIM_ANALYSIS_FAILED,
    SIM_ANALYSIS_INCONCLUSIVE,
    SIM_ANALYSIS_ERROR, /* consecutive errors (no data) past the limit */
} SimAnalysisPhase;

/* Argo's DefaultErrorRetryInterval: the next measurement after an
 * error. */
#define SIM_ANALYSIS_ERROR_RETRY (10 * SIM_SEC)

typedef struct SimAnalysisRun {
    SimAnalysisPhase phase;
    const char *label; /* "analysis", "background analysis" */
    gint version;
    gint probe;         /* world probe id, -1 when closed */
    SimTime next_at;    /* the next measurement */
    SimTime woken_for;  /* the wake-up already asked for */
    gint taken;         /* measurements, errors included */
    gint counted;       /* judged: what `count` counts */
    gint errors;        /* consecutive errors (the same for every
                           condition: no data is no data for all) */
    gint *failed;       /* per condition */
    gint *inconclusive; /* per condition */
    char *last;         /* the last measurement, as narrated */
} SimAnalysisRun;

/* Start measuring version @v now (a run in a terminal phase may be
 * started again). */
void sim_analysis_start (SimAnalysisRun *run, SimWorld *w, gint v,
                         const char *label);
/* Take the measurements due by now; returns the phase. */
SimAnalysisPhase sim_analysis_poll (SimAnalysisRun *run, SimWorld *w);
/* Terminate a running analysis (Argo counts it as successful) and
 * release its probe. */
void sim_analysis_stop (SimAnalysisRun *run, SimWorld *w);
void sim_analysis_clear (SimAnalysisRun *run);
/* Why a FAILED or ERROR run aborts its rollout, for the `aborted` row:
 * "analysis 2 failed: error_rate 0.2 >= 0.05 (120 requests)", or
 * "analysis errored: 5 measurements in a row without data >
 * consecutive_error_limit 4".  Newly allocated. */
char *sim_analysis_why (const SimAnalysisRun *run);

/* Judge one reading against the conditions of @as: the phase of each
 * condition in @per_condition (one entry per condition; may be NULL),
 * the measurement's phase (ERROR without a single answer; else FAILED if
 * one failed, else INCONCLUSIVE if one was, else SUCCESSFUL) and its
 * text. */
SimAnalysisPhase sim_analysis_judge (const SimAnalysisSettings *as,
                                     const SimProbeReading *reading,
                                     SimAnalysisPhase *per_condition,
                                     char **text);

/* The run's phase from each metric's counts so far (@n = conditions):
 * FAILED when one metric's failures exceed failure_limit, else ERROR
 * when the @errors in a row exceed consecutive_error_limit, else
 * INCONCLUSIVE when one's inconclusive measurements exceed
 * inconclusive_limit, else SUCCESSFUL once @counted (judged
 * measurements) reaches a non-zero count, else RUNNING. */
SimAnalysisPhase sim_analysis_limits (const SimAnalysisSettings *as,
                                      gint counted, gint errors,
                                      const gint *failed,
                                      const gint *inconclusive, gint n);

#endif /* SIM_ANALYSIS_H */
