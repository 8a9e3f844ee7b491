/* scenario.h - a scenario: every setting of one simulation, loaded from a
 * GKeyFile (.ini) and validated.
 *
 * One table of keys (sim_scenario_keys()) says, for each key, its group,
 * type, default, unit and meaning.  Loading, validation, --set overrides,
 * `rollsim check`, the resolved scenario.ini and
 * docs/scenario-reference.md all come from that table, so they cannot
 * drift apart.  A SimScenario is plain data: once loaded it is never
 * changed by a run, and several runs may share it read-only.
 *
 * Errors name the place: "FILE:LINE: GROUP.KEY: what is wrong (accepted:
 * ...)"; unknown groups and keys get a "did you mean" hint.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <glib.h>
#include "units.h"
#include "dist.h"
#include "profile.h"

#define SIM_SCENARIO_ERROR (sim_scenario_error_quark ())
GQuark sim_scenario_error_quark (void);
typedef enum {
    SIM_SCENARIO_ERROR_IO,          /* file cannot be read */
    SIM_SCENARIO_ERROR_SYNTAX,      /* not a key file */
    SIM_SCENARIO_ERROR_UNKNOWN,     /* unknown group or key */
    SIM_SCENARIO_ERROR_INVALID,     /* a value out of range or malformed */
    SIM_SCENARIO_ERROR_CONFLICT,    /* valid values that do not go together */
} SimScenarioError;

/* Most versions one scenario may declare. */
#define SIM_MAX_VERSIONS 16

typedef enum {
    SIM_ARRIVALS_POISSON,
    SIM_ARRIVALS_UNIFORM,
} SimArrivals;

typedef enum {
    SIM_BALANCER_RANDOM,            /* kube-proxy iptables */
    SIM_BALANCER_ROUND_ROBIN,       /* IPVS */
    SIM_BALANCER_LEAST_REQUEST,     /* Envoy: power of two choices */
} SimBalancer;

typedef enum {
    SIM_TRAFFIC_ROUTING_NONE,       /* split by pod counts, one Service */
    SIM_TRAFFIC_ROUTING_WEIGHTED,   /* a router splits by weight */
} SimTrafficRouting;

/* [version.NAME] */
typedef struct SimVersionSpec {
    char   *name;
    SimDist pull;           /* image pull, paid once per node and version */
    SimDist startup;        /* from container start to Ready */
    SimDist service;        /* service time of one request */
    double  error_rate;     /* probability a served request is a 5xx */
    double  crash_rate;     /* probability a start crashes (then restarts
                               with CrashLoopBackOff) */
} SimVersionSpec;

/* One canary step ([strategy.canary] steps). */
typedef enum {
    SIM_STEP_SET_WEIGHT,            /* value = weight 0..100 */
    SIM_STEP_PAUSE,                 /* duration; SIM_TIME_NEVER = for ever */
    SIM_STEP_SET_CANARY_SCALE,      /* scale_kind, value */
    SIM_STEP_ANALYSIS,              /* inline analysis run */
} SimStepKind;

typedef enum {
    SIM_CANARY_SCALE_REPLICAS,
    SIM_CANARY_SCALE_WEIGHT,
    SIM_CANARY_SCALE_MATCH_TRAFFIC,
} SimCanaryScaleKind;

typedef struct SimCanaryStep {
    SimStepKind        kind;
    gint               value;       /* weight or replicas */
    SimTime            duration;    /* pause */
    SimCanaryScaleKind scale_kind;
} SimCanaryStep;

/* One analysis condition: METRIC OP THRESHOLD. */
typedef enum {
    SIM_METRIC_ERROR_RATE,
    SIM_METRIC_SUCCESS_RATE,
    SIM_METRIC_P50_MS,
    SIM_METRIC_P95_MS,
    SIM_METRIC_P99_MS,
    SIM_METRIC_MEAN_MS,
} SimMetricKind;

typedef enum { SIM_OP_LT, SIM_OP_LE, SIM_OP_GT, SIM_OP_GE } SimCompareOp;

typedef struct SimAnalysisCondition {
    SimMetricKind metric;
    SimCompareOp  op;
    double        threshold;
} SimAnalysisCondition;

typedef struct SimScenario {
    /* Where it came from, for messages ("scenarios/x.ini", or
     * "(built-in)").  Owned. */
    char   *path;

    /* [scenario] */
    char   *name;
    char   *description;
    SimTime duration;
    guint64 seed;
    SimTime sample;

    /* [cluster] */
    gint    nodes;
    gint64  node_cpu;           /* millicores */
    gint64  node_memory;        /* bytes */
    SimTime controller_delay;
    SimTime endpoint_delay;
    SimTime schedule_delay;

    /* [deployment] */
    gint    replicas;
    char   *version;            /* running at t = 0; names a [version.X] */
    gint    version_index;      /* its index in versions[] */
    gint64  cpu;                /* millicores per pod */
    gint64  memory;             /* bytes per pod */
    SimTime min_ready;
    SimTime progress_deadline;  /* SIM_TIME_NEVER = none */
    SimTime termination_grace;
    SimTime pre_stop;
    gint    concurrency;
    gint    queue;              /* -1 = unlimited */

    /* [version.NAME], in file order */
    SimVersionSpec versions[SIM_MAX_VERSIONS];
    gint    n_versions;

    /* [traffic] */
    double      rate;           /* requests per second */
    SimArrivals arrivals;
    char       *profile;        /* CSV time_s,rate or NULL; owned */
    SimRateStep *profile_steps; /* its rows, read at load time; owned */
    gint        n_profile_steps;
    SimTime     timeout;        /* SIM_TIME_NEVER = none */
    SimBalancer balancer;
    double      preview_rate;   /* requests/s to the preview Service */

    /* [strategy] */
    char   *strategy;           /* "rolling", "recreate", "canary", ... */

    /* [strategy.rolling] */
    SimIntOrPercent rolling_max_surge;
    SimIntOrPercent rolling_max_unavailable;

    /* [strategy.canary] */
    SimCanaryStep  *canary_steps;       /* owned */
    gint            n_canary_steps;
    char           *canary_steps_text;  /* as written (resolved output) */
    SimIntOrPercent canary_max_surge;
    SimIntOrPercent canary_max_unavailable;
    SimTrafficRouting canary_traffic_routing;
    gboolean        canary_dynamic_stable_scale;
    SimTime         canary_scale_down_delay;
    SimTime         canary_abort_scale_down_delay;
    SimTime         canary_progress_deadline;   /* SIM_TIME_NEVER = none */
    gboolean        canary_progress_deadline_abort;

    /* [strategy.bluegreen] */
    gint     bg_preview_replicas;           /* -1 = all (replicas) */
    gboolean bg_auto_promotion;
    SimTime  bg_auto_promotion_after;
    SimTime  bg_scale_down_delay;
    SimTime  bg_abort_scale_down_delay;
    gboolean bg_pre_promotion_analysis;
    gboolean bg_post_promotion_analysis;

    /* [analysis] */
    SimAnalysisCondition *analysis_metrics;  /* owned */
    gint     n_analysis_metrics;
    char    *analysis_metrics_text;          /* as written */
    SimTime  analysis_interval;
    gint     analysis_count;                 /* 0 = until the end */
    SimTime  analysis_initial_delay;
    gint     analysis_failure_limit;         /* -1 = disabled */
    gint     analysis_inconclusive_limit;
    gint     analysis_min_requests;
    gboolean analysis_background;
    gint     analysis_start_step;

    /* [rollout] */
    gboolean has_rollout;
    SimTime  rollout_at;
    char    *rollout_to;
    gint     rollout_to_index;               /* index in versions[] */
} SimScenario;

/* --- Lifecycle ---------------------------------------------------------- */

/* Load and validate @path, then apply @overrides (NULL-terminated
 * "GROUP.KEY=VALUE" strings, may be NULL) in order.  NULL on error. */
SimScenario *sim_scenario_load (const char *path, const char *const *overrides,
                                GError **error);
/* The built-in seed scenario (scenarios/seed-rolling.ini). */
SimScenario *sim_scenario_load_builtin (const char *const *overrides,
                                        GError **error);
/* The text of the built-in scenario, as scenarios/seed-rolling.ini holds
 * it (static). */
const char  *sim_scenario_builtin_text (void);
/* Load from text; @path is used in messages, and its directory is where
 * relative file paths (traffic.profile) are looked for. */
SimScenario *sim_scenario_load_data (const char *data, const char *path,
                                     const char *const *overrides,
                                     GError **error);
SimScenario *sim_scenario_copy (const SimScenario *s);
void         sim_scenario_free (SimScenario *s);                /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimScenario, sim_scenario_free)

/* Apply one more "GROUP.KEY=VALUE" override to a loaded scenario (used by
 * compare and sweep); the result is validated again.  FALSE on error,
 * @s unchanged. */
gboolean sim_scenario_set (SimScenario *s, const char *assignment,
                           GError **error);

/* --- Output ------------------------------------------------------------- */

/* The fully resolved scenario as key-file text: every key with its value
 * (defaults filled in, seed recorded).  Loading it again gives an equal
 * scenario.  Newly allocated. */
char *sim_scenario_to_ini (const SimScenario *s);

/* The names analysis conditions are written with: "error_rate", "<=". */
const char *sim_scenario_metric_name (SimMetricKind metric);
const char *sim_scenario_op_name     (SimCompareOp op);

/* The index of version @name in s->versions, or -1. */
gint sim_scenario_find_version (const SimScenario *s, const char *name);

/* --- The key table ------------------------------------------------------- */

typedef struct SimScenarioKey {
    const char *group;      /* "deployment", "version.*", "strategy.rolling" */
    const char *key;
    const char *type;       /* human name of the type: "duration", ... */
    const char *def;        /* default as text; NULL = required */
    const char *unit;       /* "s", "requests/s", "" */
    const char *accepted;   /* accepted values, for messages and docs */
    const char *doc;        /* one sentence */
} SimScenarioKey;

/* The table, NULL-terminated (key == NULL). */
const SimScenarioKey *sim_scenario_keys (void);

/* docs/scenario-reference.md, generated from the table. */
char *sim_scenario_reference_markdown (void);

#endif /* SIM_SCENARIO_H */
