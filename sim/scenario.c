/* scenario.c - the scenario loader: one key table, and everything that
 * comes from it.
 *
 * KEY_TABLE below is the only list of scenario keys.  Each row says the
 * group, key, default (as text), unit, accepted values and meaning that
 * users see (the public SimScenarioKey rows), and how the value is parsed
 * and formatted (a parse and a format function, the offset of the field
 * it fills, its range).  Loading, default filling, --set, unknown-key
 * detection with "did you mean", the resolved scenario.ini and
 * docs/scenario-reference.md all walk that table, so adding a key is one
 * row.
 *
 * Loading is: read the text; scan it once for line numbers (GKeyFile
 * keeps none) and syntax problems; parse it with GKeyFile; apply the
 * --set overrides to the key file, remembering which keys they set; check
 * every group and key is known; fill a fresh SimScenario with the
 * defaults, then with every value present, in file order; then the checks
 * that involve several keys.  Every error names a place: FILE:LINE of the
 * key (or of its group header), or the --set assignment that wrote it.
 *
 * Invariants: a SimScenario handed out has passed every check, so its
 * version indices are valid and sim_scenario_to_ini() of it loads again
 * into an equal scenario whose to_ini is byte-identical.  Nothing here
 * keeps state between calls; the tables are const.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "strategy.h"

G_DEFINE_QUARK (sim-scenario-error-quark, sim_scenario_error)

/* Enum fields and gbooleans are read and written as int. */
G_STATIC_ASSERT (sizeof (SimArrivals) == sizeof (int));
G_STATIC_ASSERT (sizeof (SimBalancer) == sizeof (int));
G_STATIC_ASSERT (sizeof (SimTrafficRouting) == sizeof (int));
G_STATIC_ASSERT (sizeof (gboolean) == sizeof (int));

#define BUILTIN_PATH "(built-in)"
#define VERSION_GROUP "version.*"
#define VERSION_NAME_CHARS \
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* --- The built-in scenario ------------------------------------------------ */

/* scenarios/seed-rolling.ini, compiled in by tools/embed-text.sh, so the
 * file and the built-in scenario cannot differ. */
extern const char sim_seed_scenario_text[];

/* --- Row machinery -------------------------------------------------------- */

typedef struct Row Row;

/* Parse @text into the field of @base (a SimScenario, or a SimVersionSpec
 * for VERSION_GROUP rows) that @row names; relative paths are taken from
 * @dir (NULL: the current directory).  On failure set *@why to what is
 * wrong, without place or key, and leave the field as it was. */
typedef gboolean (*ParseFunc) (const Row *row, gpointer base,
                               const char *text, const char *dir,
                               char **why);
/* The canonical text of the field, parseable again.  Newly allocated. */
typedef char *(*FormatFunc) (const Row *row, gconstpointer base);

struct Row {
    ParseFunc          parse;
    FormatFunc         format;
    gsize              offset;
    gint64             min, max;    /* integers; durations and quantities
                                       use min only; int-or-percent uses
                                       max as the largest percentage */
    double             dmin, dmax;  /* numbers */
    const char        *word;        /* special value: "none" (never, or
                                       no file), "unlimited", "all" (-1) */
    const char *const *names;       /* enum values, index = value */
};

static gboolean parse_string   (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_name     (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_uint64   (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_int      (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_number   (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_duration (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_cpu      (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_memory   (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_dist     (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_bool     (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_enum     (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_percent  (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_path     (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_strategy (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_version  (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_steps    (const Row *, gpointer, const char *,
                                const char *, char **);
static gboolean parse_metrics  (const Row *, gpointer, const char *,
                                const char *, char **);

static char *format_string   (const Row *, gconstpointer);
static char *format_uint64   (const Row *, gconstpointer);
static char *format_int      (const Row *, gconstpointer);
static char *format_number   (const Row *, gconstpointer);
static char *format_duration (const Row *, gconstpointer);
static char *format_cpu      (const Row *, gconstpointer);
static char *format_memory   (const Row *, gconstpointer);
static char *format_dist     (const Row *, gconstpointer);
static char *format_bool     (const Row *, gconstpointer);
static char *format_enum     (const Row *, gconstpointer);
static char *format_percent  (const Row *, gconstpointer);

static const char *const arrivals_names[] = {
    "poisson", "uniform", NULL,
};
static const char *const balancer_names[] = {
    "random", "round-robin", "least-request", NULL,
};
static const char *const routing_names[] = {
    "none", "weighted", NULL,
};

#define S(field) offsetof (SimScenario, field)
#define V(field) offsetof (SimVersionSpec, field)

/* The kinds of value.  Each expands to the type shown to users, then the
 * Row initialisers. */
#define T_STRING(off) "text", \
    .parse = parse_string, .format = format_string, .offset = off
#define T_NAME(off) "text", \
    .parse = parse_name, .format = format_string, .offset = off
#define T_UINT64(off) "integer", \
    .parse = parse_uint64, .format = format_uint64, .offset = off
#define T_INT(off, lo, hi) "integer", \
    .parse = parse_int, .format = format_int, .offset = off, \
    .min = lo, .max = hi
#define T_INT_OR(off, lo, hi, w) "integer or " w, \
    .parse = parse_int, .format = format_int, .offset = off, \
    .min = lo, .max = hi, .word = w
#define T_NUMBER(off, lo, hi) "number", \
    .parse = parse_number, .format = format_number, .offset = off, \
    .dmin = lo, .dmax = hi
#define T_DURATION(off, lo) "duration", \
    .parse = parse_duration, .format = format_duration, .offset = off, \
    .min = lo
#define T_DURATION_OR_NONE(off) "duration or none", \
    .parse = parse_duration, .format = format_duration, .offset = off, \
    .word = "none"
#define T_CPU(off, lo) "cpu", \
    .parse = parse_cpu, .format = format_cpu, .offset = off, .min = lo
#define T_MEMORY(off, lo) "memory", \
    .parse = parse_memory, .format = format_memory, .offset = off, \
    .min = lo
#define T_DIST(off) "distribution", \
    .parse = parse_dist, .format = format_dist, .offset = off
#define T_BOOL(off) "boolean", \
    .parse = parse_bool, .format = format_bool, .offset = off
#define T_ENUM(off, list) "choice", \
    .parse = parse_enum, .format = format_enum, .offset = off, \
    .names = list
#define T_PERCENT(off, maxpct) "int-or-percent", \
    .parse = parse_percent, .format = format_percent, .offset = off, \
    .max = maxpct
#define T_PATH(off) "path or none", \
    .parse = parse_path, .format = format_string, .offset = off, \
    .word = "none"
#define T_STRATEGY(off) "strategy", \
    .parse = parse_strategy, .format = format_string, .offset = off
#define T_VERSION(off) "version", \
    .parse = parse_version, .format = format_string, .offset = off
#define T_STEPS(off) "steps", \
    .parse = parse_steps, .format = format_string, .offset = off
#define T_METRICS(off) "conditions", \
    .parse = parse_metrics, .format = format_string, .offset = off

#define DURATIONS "(250ms, 30s, 5m, 1h)"
#define ACCEPT_DURATION "a duration " DURATIONS
#define ACCEPT_POSITIVE "a duration > 0 " DURATIONS
#define ACCEPT_DIST "a distribution: const(5s), exp(20ms), " \
    "uniform(2s,8s), normal(1s,200ms), lognormal(1s,500ms), " \
    "erlang(3,1s), or a bare duration"
#define ACCEPT_SURGE "an integer >= 0 or a percentage of replicas " \
    "(rounded up): 1, 25%; not 0 when max_unavailable is 0"
#define ACCEPT_UNAVAILABLE "an integer >= 0 or a percentage 0%..100% " \
    "of replicas (rounded down): 0, 25%; not 0 when max_surge is 0"
#define ACCEPT_BOOL "true, false (also yes, no, 1, 0)"
#define ACCEPT_STEPS "items separated by ';': set-weight N, pause, " \
    "pause DURATION, set-canary-scale replicas N, " \
    "set-canary-scale weight N, set-canary-scale match-traffic-weight, " \
    "analysis"
#define ACCEPT_METRICS "conditions METRIC OP NUMBER separated by ';'; " \
    "METRIC: error_rate, success_rate, p50_ms, p95_ms, p99_ms, mean_ms; " \
    "OP: <, <=, >, >="

/* K (group, key, default, unit, accepted, meaning, KIND).  A NULL default
 * marks a required key.  Rows of one group stay together, groups in the
 * order of `groups` below. */
#define KEY_TABLE(K) \
    K ("scenario", "name", "(file name)", "", \
       "non-empty text without '/'", \
       "Names the run; the default output directory is out/NAME/.  " \
       "Defaults to the scenario file's name without .ini.", \
       T_NAME (S (name))) \
    K ("scenario", "description", "", "", "one line of text", \
       "Free text for people; the simulation ignores it.", \
       T_STRING (S (description))) \
    K ("scenario", "duration", "5m", "", ACCEPT_POSITIVE, \
       "Simulated time the run covers.", \
       T_DURATION (S (duration), 1)) \
    K ("scenario", "seed", "1", "", "an integer 0..18446744073709551615", \
       "Seed of every random stream: the same scenario and seed give " \
       "byte-identical output.", \
       T_UINT64 (S (seed))) \
    K ("scenario", "sample", "1s", "", \
       "a duration >= 1ms " DURATIONS ", at most 1000000 steps per run", \
       "Step of the time series (timeseries.csv, versions.csv).", \
       T_DURATION (S (sample), 1000)) \
    \
    K ("cluster", "nodes", "3", "nodes", "an integer 1..100000", \
       "Number of worker nodes.", \
       T_INT (S (nodes), 1, 100000)) \
    K ("cluster", "node_cpu", "4", "cores", \
       "a CPU quantity > 0: 500m, 2, 0.5", \
       "Allocatable CPU of each node.", \
       T_CPU (S (node_cpu), 1)) \
    K ("cluster", "node_memory", "8Gi", "bytes", \
       "a memory quantity > 0: 512Mi, 8Gi, 1G", \
       "Allocatable memory of each node.", \
       T_MEMORY (S (node_memory), 1)) \
    K ("cluster", "controller_delay", "0s", "", ACCEPT_DURATION, \
       "Delay between a change of state and the controller's reaction " \
       "to it (its sync).", \
       T_DURATION (S (controller_delay), 0)) \
    K ("cluster", "endpoint_delay", "1s", "", ACCEPT_DURATION, \
       "Time for an endpoint change (a pod ready, or terminating) to " \
       "reach the load balancers.", \
       T_DURATION (S (endpoint_delay), 0)) \
    K ("cluster", "schedule_delay", "0s", "", ACCEPT_DURATION, \
       "Time the scheduler takes to place a pending pod on a node.", \
       T_DURATION (S (schedule_delay), 0)) \
    \
    K ("deployment", "replicas", "1", "pods", "an integer 0..100000", \
       "Desired number of pods (spec.replicas).", \
       T_INT (S (replicas), 0, 100000)) \
    K ("deployment", "version", NULL, "", \
       "the NAME of a [version.NAME] group", \
       "The version running at t = 0, warm: placed, started and ready.", \
       T_VERSION (S (version))) \
    K ("deployment", "cpu", "100m", "cores", \
       "a CPU quantity >= 0: 100m, 0.5, 1", \
       "CPU request of each pod; a pod is placed only on a node with " \
       "that much left.", \
       T_CPU (S (cpu), 0)) \
    K ("deployment", "memory", "128Mi", "bytes", \
       "a memory quantity >= 0: 128Mi, 1Gi", \
       "Memory request of each pod.", \
       T_MEMORY (S (memory), 0)) \
    K ("deployment", "min_ready", "0s", "", ACCEPT_DURATION, \
       "minReadySeconds: how long a pod must be ready before it counts " \
       "as available.", \
       T_DURATION (S (min_ready), 0)) \
    K ("deployment", "progress_deadline", "600s", "", \
       "a duration greater than min_ready " DURATIONS ", or none", \
       "progressDeadlineSeconds: a rollout without progress for this " \
       "long is reported stalled (nothing is rolled back).", \
       T_DURATION_OR_NONE (S (progress_deadline))) \
    K ("deployment", "termination_grace", "30s", "", ACCEPT_DURATION, \
       "terminationGracePeriodSeconds: the longest a terminating pod " \
       "may take before it is killed.", \
       T_DURATION (S (termination_grace), 0)) \
    K ("deployment", "pre_stop", "0s", "", ACCEPT_DURATION, \
       "preStop sleep: a terminating pod waits this long before it " \
       "shuts down, so endpoint removal can reach the balancers first.", \
       T_DURATION (S (pre_stop), 0)) \
    K ("deployment", "concurrency", "10", "requests", \
       "an integer 1..100000", \
       "Requests one pod serves at once.", \
       T_INT (S (concurrency), 1, 100000)) \
    K ("deployment", "queue", "100", "requests", \
       "an integer 0..100000000, or unlimited", \
       "Requests one pod queues beyond concurrency; more are rejected.", \
       T_INT_OR (S (queue), 0, 100000000, "unlimited")) \
    \
    K (VERSION_GROUP, "pull", "const(2s)", "", ACCEPT_DIST, \
       "Image pull time, paid once per node and version.", \
       T_DIST (V (pull))) \
    K (VERSION_GROUP, "startup", "const(5s)", "", ACCEPT_DIST, \
       "Time from container start to Ready.", \
       T_DIST (V (startup))) \
    K (VERSION_GROUP, "service", "exp(20ms)", "", ACCEPT_DIST, \
       "Service time of one request.", \
       T_DIST (V (service))) \
    K (VERSION_GROUP, "error_rate", "0", "probability", "a number 0..1", \
       "Probability that a served request fails with a 5xx " \
       "(app_error).", \
       T_NUMBER (V (error_rate), 0.0, 1.0)) \
    K (VERSION_GROUP, "crash_rate", "0", "probability", "a number 0..1", \
       "Probability that a container start crashes; the pod then " \
       "restarts with CrashLoopBackOff (10 s doubling to 300 s).", \
       T_NUMBER (V (crash_rate), 0.0, 1.0)) \
    \
    K ("traffic", "rate", "50", "requests/s", "a number 0..1000000", \
       "Mean arrival rate of user requests.", \
       T_NUMBER (S (rate), 0.0, 1e6)) \
    K ("traffic", "arrivals", "poisson", "", "poisson, uniform", \
       "Arrival process: poisson (exponential gaps) or uniform (evenly " \
       "spaced).", \
       T_ENUM (S (arrivals), arrivals_names)) \
    K ("traffic", "profile", "none", "", \
       "the path of an existing CSV file, or none", \
       "Rate profile: a CSV file of time_s,rate rows that sets the " \
       "arrival rate over time; relative to the scenario file.", \
       T_PATH (S (profile))) \
    K ("traffic", "timeout", "10s", "", ACCEPT_DURATION " or none", \
       "Client timeout: a request not answered by then is a timeout.", \
       T_DURATION_OR_NONE (S (timeout))) \
    K ("traffic", "balancer", "random", "", \
       "random, round-robin, least-request", \
       "How a request picks a ready endpoint: random (kube-proxy " \
       "iptables), round-robin (IPVS), least-request (Envoy, power of " \
       "two choices).", \
       T_ENUM (S (balancer), balancer_names)) \
    K ("traffic", "preview_rate", "0", "requests/s", "a number 0..1000000", \
       "Arrival rate of requests to the preview Service (blue-green " \
       "smoke tests).", \
       T_NUMBER (S (preview_rate), 0.0, 1e6)) \
    \
    K ("strategy", "type", "rolling", "", "a registered strategy", \
       "Which strategy runs; its settings are in [strategy.TYPE].", \
       T_STRATEGY (S (strategy))) \
    \
    K ("strategy.rolling", "max_surge", "25%", "pods", ACCEPT_SURGE, \
       "maxSurge: how many pods above replicas may exist during the " \
       "update.", \
       T_PERCENT (S (rolling_max_surge), G_MAXINT)) \
    K ("strategy.rolling", "max_unavailable", "25%", "pods", \
       ACCEPT_UNAVAILABLE, \
       "maxUnavailable: how many pods below replicas may be unavailable " \
       "during the update.", \
       T_PERCENT (S (rolling_max_unavailable), 100)) \
    \
    K ("strategy.canary", "steps", "", "", ACCEPT_STEPS, \
       "The canary steps, in order (see below); none = straight to " \
       "full weight.", \
       T_STEPS (S (canary_steps_text))) \
    K ("strategy.canary", "max_surge", "25%", "pods", ACCEPT_SURGE, \
       "maxSurge of the canary's replica arithmetic.", \
       T_PERCENT (S (canary_max_surge), G_MAXINT)) \
    K ("strategy.canary", "max_unavailable", "25%", "pods", \
       ACCEPT_UNAVAILABLE, \
       "maxUnavailable of the canary's replica arithmetic.", \
       T_PERCENT (S (canary_max_unavailable), 100)) \
    K ("strategy.canary", "traffic_routing", "none", "", "none, weighted", \
       "none: one Service, traffic follows pod counts; weighted: a " \
       "router splits traffic by the set weight.", \
       T_ENUM (S (canary_traffic_routing), routing_names)) \
    K ("strategy.canary", "dynamic_stable_scale", "false", "", ACCEPT_BOOL, \
       "Scale the stable ReplicaSet down as the canary weight grows " \
       "(with traffic routing).", \
       T_BOOL (S (canary_dynamic_stable_scale))) \
    K ("strategy.canary", "scale_down_delay", "30s", "", ACCEPT_DURATION, \
       "After promotion, how long the old ReplicaSet keeps running " \
       "(with traffic routing).", \
       T_DURATION (S (canary_scale_down_delay), 0)) \
    K ("strategy.canary", "abort_scale_down_delay", "30s", "", \
       ACCEPT_DURATION, \
       "After an abort, how long the canary ReplicaSet keeps running " \
       "(with traffic routing).", \
       T_DURATION (S (canary_abort_scale_down_delay), 0)) \
    K ("strategy.canary", "progress_deadline", "600s", "", \
       "a duration greater than deployment.min_ready " DURATIONS \
       ", or none", \
       "progressDeadlineSeconds of the Rollout.", \
       T_DURATION_OR_NONE (S (canary_progress_deadline))) \
    K ("strategy.canary", "progress_deadline_abort", "false", "", \
       ACCEPT_BOOL, \
       "progressDeadlineAbort: abort the update when the progress " \
       "deadline is exceeded.", \
       T_BOOL (S (canary_progress_deadline_abort))) \
    \
    K ("strategy.bluegreen", "preview_replicas", "all", "pods", \
       "an integer >= 0, or all", \
       "previewReplicaCount: pods of the new version before promotion; " \
       "all = replicas.", \
       T_INT_OR (S (bg_preview_replicas), 0, 100000, "all")) \
    K ("strategy.bluegreen", "auto_promotion", "true", "", ACCEPT_BOOL, \
       "autoPromotionEnabled: switch the active Service by itself; " \
       "false waits for a promotion that never comes.", \
       T_BOOL (S (bg_auto_promotion))) \
    K ("strategy.bluegreen", "auto_promotion_after", "0s", "", \
       ACCEPT_DURATION, \
       "autoPromotionSeconds: promote this long after the preview is " \
       "ready (0s = at once).", \
       T_DURATION (S (bg_auto_promotion_after), 0)) \
    K ("strategy.bluegreen", "scale_down_delay", "30s", "", \
       ACCEPT_DURATION, \
       "scaleDownDelaySeconds: how long the old version keeps running " \
       "after promotion (the switch, or a passed post-promotion " \
       "analysis).", \
       T_DURATION (S (bg_scale_down_delay), 0)) \
    K ("strategy.bluegreen", "abort_scale_down_delay", "30s", "", \
       ACCEPT_DURATION, \
       "abortScaleDownDelaySeconds: how long the preview keeps running " \
       "after an abort.", \
       T_DURATION (S (bg_abort_scale_down_delay), 0)) \
    K ("strategy.bluegreen", "pre_promotion_analysis", "false", "", \
       ACCEPT_BOOL, \
       "Run [analysis] against the preview before the switch; a " \
       "failure aborts.", \
       T_BOOL (S (bg_pre_promotion_analysis))) \
    K ("strategy.bluegreen", "post_promotion_analysis", "false", "", \
       ACCEPT_BOOL, \
       "Run [analysis] after the switch; a failure switches back and " \
       "aborts.", \
       T_BOOL (S (bg_post_promotion_analysis))) \
    \
    K ("analysis", "metrics", "error_rate < 0.01", "", ACCEPT_METRICS, \
       "Conditions a measurement must meet to pass (see below).", \
       T_METRICS (S (analysis_metrics_text))) \
    K ("analysis", "interval", "30s", "", ACCEPT_POSITIVE, \
       "Time between measurements (each covers the requests since the " \
       "previous one).", \
       T_DURATION (S (analysis_interval), 1)) \
    K ("analysis", "count", "3", "measurements", "an integer >= 0", \
       "Number of measurements; 0 = until the rollout ends.", \
       T_INT (S (analysis_count), 0, G_MAXINT)) \
    K ("analysis", "initial_delay", "0s", "", ACCEPT_DURATION, \
       "Delay before the first measurement.", \
       T_DURATION (S (analysis_initial_delay), 0)) \
    K ("analysis", "failure_limit", "0", "measurements", \
       "an integer >= -1", \
       "failureLimit: the analysis fails when more measurements than " \
       "this fail; -1 = never.", \
       T_INT (S (analysis_failure_limit), -1, G_MAXINT)) \
    K ("analysis", "inconclusive_limit", "0", "measurements", \
       "an integer >= 0", \
       "inconclusiveLimit: the analysis is inconclusive when more " \
       "measurements than this are.", \
       T_INT (S (analysis_inconclusive_limit), 0, G_MAXINT)) \
    K ("analysis", "min_requests", "50", "requests", "an integer >= 0", \
       "A measurement over fewer requests than this is inconclusive.", \
       T_INT (S (analysis_min_requests), 0, G_MAXINT)) \
    K ("analysis", "background", "false", "", ACCEPT_BOOL, \
       "Also run the analysis in the background through the canary " \
       "steps, from start_step on.", \
       T_BOOL (S (analysis_background))) \
    K ("analysis", "start_step", "0", "", "an integer >= 0", \
       "Index of the canary step at which the background analysis " \
       "starts.", \
       T_INT (S (analysis_start_step), 0, G_MAXINT)) \
    \
    K ("rollout", "at", "30s", "", ACCEPT_DURATION, \
       "When the new version is applied: the rollout starts.", \
       T_DURATION (S (rollout_at), 0)) \
    K ("rollout", "to", NULL, "", \
       "the NAME of a [version.NAME] group other than deployment.version", \
       "The version rolled out.  Required when [rollout] is present.", \
       T_VERSION (S (rollout_to)))

/* The extra level of macro lets the KIND argument, once expanded, split
 * into the type and the Row initialisers. */
#define PUBLIC_ROW(g, k, d, u, a, doc, ...) \
    PUBLIC_ROW_ (g, k, d, u, a, doc, __VA_ARGS__)
#define PUBLIC_ROW_(g, k, d, u, a, doc, type, ...) \
    { g, k, type, d, u, a, doc },
#define IMPL_ROW(g, k, d, u, a, doc, ...) \
    IMPL_ROW_ (g, k, d, u, a, doc, __VA_ARGS__)
#define IMPL_ROW_(g, k, d, u, a, doc, type, ...) \
    { __VA_ARGS__ },

static const SimScenarioKey keys[] = {
    KEY_TABLE (PUBLIC_ROW)
    { NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const Row rows[] = {
    KEY_TABLE (IMPL_ROW)
};

#define N_ROWS G_N_ELEMENTS (rows)
G_STATIC_ASSERT (G_N_ELEMENTS (keys) == G_N_ELEMENTS (rows) + 1);

/* The groups, in the order of the resolved file and of the reference. */
typedef struct {
    const char *name;
    const char *doc;        /* for the reference */
    const char *notes;      /* more reference text after the table, or
                               NULL */
} Group;

static const Group groups[] = {
    { "scenario", "The run as a whole.", NULL },
    { "cluster",
      "The nodes pods are placed on, and the delays of the control "
      "plane.", NULL },
    { "deployment",
      "The application's Deployment (or Rollout): its size, the "
      "resources and lifecycle of its pods, and the version running at "
      "t = 0.", NULL },
    { VERSION_GROUP,
      "One group per version of the application, `[version.NAME]`, "
      "in any number up to 16; NAME is made of letters, digits, `.`, "
      "`_` and `-`.  At least one is required.", NULL },
    { "traffic", "The user traffic: open-loop arrivals through the "
      "Service to the ready pods.", NULL },
    { "strategy", "Which strategy runs.  Each strategy keeps its own "
      "settings in its own group, so one scenario can hold the settings "
      "of several and `compare --strategy` can switch between them.",
      NULL },
    { "strategy.rolling",
      "Kubernetes Deployment `RollingUpdate`.  As the API server does, "
      "max_surge and max_unavailable may not both be 0 as written.",
      NULL },
    { "strategy.recreate",
      "Kubernetes `Recreate`: every old pod is gone before new ones are "
      "created.  No keys; the group may be present and empty.", NULL },
    { "strategy.canary",
      "Argo Rollouts canary.  max_surge and max_unavailable may not "
      "both be 0.",
      "Steps are separated by `;` (whitespace is free) and run in "
      "order:\n"
      "\n"
      "| step | meaning |\n"
      "| --- | --- |\n"
      "| `set-weight N` | send N% (0..100) of the traffic to the new "
      "version |\n"
      "| `pause` | wait for ever (until the run ends) |\n"
      "| `pause DURATION` | wait that long, e.g. `pause 1m` |\n"
      "| `set-canary-scale replicas N` | run N canary pods whatever "
      "the weight (traffic routing) |\n"
      "| `set-canary-scale weight N` | run N% of replicas as canary "
      "pods (traffic routing) |\n"
      "| `set-canary-scale match-traffic-weight` | back to canary pods "
      "following the weight |\n"
      "| `analysis` | run [analysis] inline; the step ends when it "
      "passes, a failure aborts |\n"
      "\n"
      "Example: `steps = set-weight 20; pause 1m; set-weight 50; "
      "analysis; set-weight 100`\n" },
    { "strategy.bluegreen", "Argo Rollouts blue-green: the new version "
      "comes up behind a preview Service, then the active Service "
      "switches to it.", NULL },
    { "analysis",
      "The analysis used by canary `analysis` steps, the background "
      "analysis and blue-green pre- and post-promotion analysis.",
      "Conditions are separated by `;`; each is `METRIC OP NUMBER` and "
      "a measurement passes when every condition holds:\n"
      "\n"
      "| metric | meaning |\n"
      "| --- | --- |\n"
      "| `error_rate` | errors / requests of the version analysed, "
      "0..1 |\n"
      "| `success_rate` | ok / requests of the version analysed, 0..1 |\n"
      "| `p50_ms`, `p95_ms`, `p99_ms` | latency percentiles, ms |\n"
      "| `mean_ms` | mean latency, ms |\n"
      "\n"
      "OP is one of `<`, `<=`, `>`, `>=`.  Example: `metrics = "
      "error_rate < 0.01; p99_ms <= 500`\n" },
    { "rollout",
      "When and to which version the application is rolled.  Optional: "
      "without this group the run is the steady state, which is what a "
      "capacity check needs.", NULL },
};

/* The strategy groups a scenario may hold, whether or not the strategy
 * is registered in this build. */
static gboolean
is_fixed_group (const char *group)
{
    for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        if (strcmp (groups[i].name, VERSION_GROUP) != 0
            && strcmp (groups[i].name, group) == 0)
            return TRUE;
    return FALSE;
}

static gboolean
is_version_group (const char *group)
{
    return g_str_has_prefix (group, "version.");
}

static gboolean
row_in_group (guint i, const char *group)
{
    if (strcmp (keys[i].group, VERSION_GROUP) == 0)
        return is_version_group (group);
    return strcmp (keys[i].group, group) == 0;
}

/* The row of GROUP.KEY, or -1. */
static gint
find_row (const char *group, const char *key)
{
    for (guint i = 0; i < N_ROWS; i++)
        if (row_in_group (i, group) && strcmp (keys[i].key, key) == 0)
            return (gint) i;
    return -1;
}

static gpointer
field (gpointer base, const Row *row)
{
    return (guint8 *) base + row->offset;
}

static gconstpointer
cfield (gconstpointer base, const Row *row)
{
    return (const guint8 *) base + row->offset;
}

/* --- Small text helpers --------------------------------------------------- */

/* Version names become ReplicaSet and pod names ("v2-17"): short, and
 * of characters safe in any file or plot. */
#define VERSION_NAME_MAX 40

static gboolean
valid_version_name (const char *name)
{
    return name[0] != '\0' && strlen (name) <= VERSION_NAME_MAX
           && strspn (name, VERSION_NAME_CHARS) == strlen (name);
}

static gboolean
has_control_chars (const char *s)
{
    for (; *s != '\0'; s++)
        if ((guchar) *s < 0x20 || *s == 0x7f)
            return TRUE;
    return FALSE;
}

/* A value as GKeyFile hands it over, minus a trailing comment: GKeyFile
 * keeps "4   # comment" whole, so anything from a '#' that starts the
 * value or follows a blank goes.  The price: a value cannot hold " #". */
static char *
clean_value (const char *raw)
{
    char *v = g_strdup (raw);

    for (char *p = v; *p != '\0'; p++) {
        if (*p == '#' && (p == v || *(p - 1) == ' ' || *(p - 1) == '\t')) {
            *p = '\0';
            break;
        }
    }
    return g_strstrip (v);
}

/* Strict decimal integer: all of @s, nothing else. */
static gboolean
to_int64 (const char *s, gint64 *out)
{
    return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out,
                                     NULL);
}

/* Strict finite number: all of @s, nothing else. */
static gboolean
to_double (const char *s, double *out)
{
    char *end;

    if (*s == '\0' || g_ascii_isspace (*s))
        return FALSE;
    errno = 0;
    *out = g_ascii_strtod (s, &end);
    return *end == '\0' && errno == 0 && isfinite (*out);
}

/* The shortest text that reads back as exactly @v. */
static char *
number_text (double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    char fmt[8];

    /* 15 digits print every decimal a person writes as written, without
     * an exponent below 1e15; 17 always read back exactly. */
    for (int prec = 15; prec <= 17; prec++) {
        g_snprintf (fmt, sizeof fmt, "%%.%dg", prec);
        g_ascii_formatd (buf, sizeof buf, fmt, v);
        if (g_ascii_strtod (buf, NULL) == v)
            break;
    }
    return g_strdup (buf);
}

/* Optimal string alignment distance (Levenshtein plus transpositions),
 * ASCII case-insensitive.  Names are short, so the full matrix is fine. */
static guint
edit_distance (const char *a, const char *b)
{
    gsize n = strlen (a), m = strlen (b);
    g_autofree guint *d = g_new (guint, (n + 1) * (m + 1));

#define D(i, j) d[(i) * (m + 1) + (j)]
    for (gsize i = 0; i <= n; i++)
        D (i, 0) = (guint) i;
    for (gsize j = 0; j <= m; j++)
        D (0, j) = (guint) j;
    for (gsize i = 1; i <= n; i++) {
        for (gsize j = 1; j <= m; j++) {
            guint cost = g_ascii_tolower (a[i - 1])
                         != g_ascii_tolower (b[j - 1]);
            guint best = MIN (D (i - 1, j) + 1, D (i, j - 1) + 1);

            best = MIN (best, D (i - 1, j - 1) + cost);
            if (i > 1 && j > 1
                && g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 2])
                && g_ascii_tolower (a[i - 2]) == g_ascii_tolower (b[j - 1]))
                best = MIN (best, D (i - 2, j - 2) + 1);
            D (i, j) = best;
        }
    }
    guint result = D (n, m);
#undef D
    return result;
}

/* The candidate nearest to @word if it is near enough to be a typo:
 * within 2 edits, or a third of the word, or one is a prefix of the
 * other.  NULL if none is.  @candidates is NULL-terminated. */
static const char *
closest (const char *word, const char *const *candidates)
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    gsize len = strlen (word);

    for (guint i = 0; candidates[i] != NULL; i++) {
        const char *c = candidates[i];
        guint d = edit_distance (word, c);
        gboolean near = d <= 2 || d * 3 <= len
                        || (len >= 3 && (g_str_has_prefix (c, word)
                                         || g_str_has_prefix (word, c)));

        if (near && d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

/* "version.hello2" for the version rows when @group is a version group,
 * else the row's group. */
static const char *
row_group_name (guint i, const char *group)
{
    if (strcmp (keys[i].group, VERSION_GROUP) == 0)
        return group != NULL && is_version_group (group)
               ? group : "version.NAME";
    return keys[i].group;
}

/* A hint for the unknown key GROUP.KEY: " (did you mean G.K?)", or the
 * keys the group accepts, or "". */
static char *
key_hint (const char *group, const char *key)
{
    g_autoptr (GPtrArray) same = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *full = g_strconcat (group, ".", key, NULL);
    const char *best;

    /* A key written in the wrong group is the likeliest mistake. */
    for (guint i = 0; i < N_ROWS; i++)
        if (strcmp (keys[i].key, key) == 0 && !row_in_group (i, group))
            return g_strdup_printf (" (did you mean %s.%s?)",
                                    row_group_name (i, group), key);
    for (guint i = 0; i < N_ROWS; i++) {
        g_ptr_array_add (all, g_strconcat (row_group_name (i, group), ".",
                                           keys[i].key, NULL));
        if (row_in_group (i, group))
            g_ptr_array_add (same, g_strdup (keys[i].key));
    }
    g_ptr_array_add (same, NULL);
    g_ptr_array_add (all, NULL);
    best = closest (key, (const char *const *) same->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean %s.%s?)", group, best);
    best = closest (full, (const char *const *) all->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean %s?)", best);
    if (same->len > 1) {
        g_autofree char *list = g_strjoinv (", ", (char **) same->pdata);

        return g_strdup_printf (" (accepted: %s)", list);
    }
    if (is_fixed_group (group))
        return g_strdup_printf (" (accepted: no keys in [%s])", group);
    return g_strdup ("");
}

static char *
group_hint (const char *group)
{
    g_autoptr (GPtrArray) cands = g_ptr_array_new_with_free_func (g_free);
    const char *dot = strchr (group, '.');
    const char *best;

    for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        if (strcmp (groups[i].name, VERSION_GROUP) != 0)
            g_ptr_array_add (cands, g_strdup (groups[i].name));
    if (dot != NULL && valid_version_name (dot + 1))
        g_ptr_array_add (cands, g_strconcat ("version.", dot + 1, NULL));
    g_ptr_array_add (cands, NULL);
    best = closest (group, (const char *const *) cands->pdata);
    if (best != NULL)
        return g_strdup_printf (" (did you mean [%s]?)", best);
    GString *acc = g_string_new (" (accepted: ");
    for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
        g_string_append_printf (acc, "%s%s", i > 0 ? ", " : "",
                                strcmp (groups[i].name, VERSION_GROUP) == 0
                                ? "version.NAME" : groups[i].name);
    g_string_append_c (acc, ')');
    return g_string_free (acc, FALSE);
}

/* --- Parse and format functions ------------------------------------------- */

static void
replace_string (gpointer dst, const char *value)
{
    char **p = dst;

    g_free (*p);
    *p = g_strdup (value);
}

static gboolean
parse_string (const Row *row, gpointer base, const char *text,
              const char *dir G_GNUC_UNUSED, char **why)
{
    if (has_control_chars (text)) {
        *why = g_strdup ("must be one line of printable text");
        return FALSE;
    }
    replace_string (field (base, row), text);
    return TRUE;
}

static gboolean
parse_name (const Row *row, gpointer base, const char *text,
            const char *dir G_GNUC_UNUSED, char **why)
{
    if (text[0] == '\0' || strchr (text, '/') != NULL
        || strcmp (text, ".") == 0 || strcmp (text, "..") == 0
        || has_control_chars (text)) {
        *why = g_strdup_printf ("\"%s\" cannot name an output directory",
                                text);
        return FALSE;
    }
    replace_string (field (base, row), text);
    return TRUE;
}

static char *
format_string (const Row *row, gconstpointer base)
{
    const char *const *p = cfield (base, row);

    if (*p == NULL && row->word != NULL)
        return g_strdup (row->word);
    return g_strdup (*p != NULL ? *p : "");
}

static gboolean
parse_uint64 (const Row *row, gpointer base, const char *text,
              const char *dir G_GNUC_UNUSED, char **why)
{
    guint64 v;

    if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &v, NULL)) {
        *why = g_strdup_printf ("\"%s\" is not an integer", text);
        return FALSE;
    }
    *(guint64 *) field (base, row) = v;
    return TRUE;
}

static char *
format_uint64 (const Row *row, gconstpointer base)
{
    return g_strdup_printf ("%" G_GUINT64_FORMAT,
                            *(const guint64 *) cfield (base, row));
}

static gboolean
parse_int (const Row *row, gpointer base, const char *text,
           const char *dir G_GNUC_UNUSED, char **why)
{
    gint64 v;

    if (row->word != NULL && strcmp (text, row->word) == 0) {
        *(gint *) field (base, row) = -1;
        return TRUE;
    }
    if (!to_int64 (text, &v)) {
        *why = g_strdup_printf ("\"%s\" is not an integer", text);
        return FALSE;
    }
    if (v < row->min) {
        *why = g_strdup_printf ("%s is too small", text);
        return FALSE;
    }
    if (v > row->max) {
        *why = g_strdup_printf ("%s is too large", text);
        return FALSE;
    }
    *(gint *) field (base, row) = (gint) v;
    return TRUE;
}

static char *
format_int (const Row *row, gconstpointer base)
{
    gint v = *(const gint *) cfield (base, row);

    if (row->word != NULL && v == -1)
        return g_strdup (row->word);
    return g_strdup_printf ("%d", v);
}

static gboolean
parse_number (const Row *row, gpointer base, const char *text,
              const char *dir G_GNUC_UNUSED, char **why)
{
    double v;

    if (!to_double (text, &v)) {
        *why = g_strdup_printf ("\"%s\" is not a number", text);
        return FALSE;
    }
    if (v < row->dmin || v > row->dmax) {
        *why = g_strdup_printf ("%s is out of range", text);
        return FALSE;
    }
    *(double *) field (base, row) = v;
    return TRUE;
}

static char *
format_number (const Row *row, gconstpointer base)
{
    return number_text (*(const double *) cfield (base, row));
}

/* A units or dist error as the reason, naming the value written if the
 * message does not already. */
static gboolean
take_error (GError *err, const char *text, char **why)
{
    if (strstr (err->message, text) != NULL)
        *why = g_strdup (err->message);
    else
        *why = g_strdup_printf ("\"%s\": %s", text, err->message);
    g_error_free (err);
    return FALSE;
}

static gboolean
parse_duration (const Row *row, gpointer base, const char *text,
                const char *dir G_GNUC_UNUSED, char **why)
{
    GError *err = NULL;
    SimTime t;

    if (row->word != NULL && strcmp (text, row->word) == 0) {
        *(SimTime *) field (base, row) = SIM_TIME_NEVER;
        return TRUE;
    }
    if (!sim_units_parse_duration (text, &t, &err))
        return take_error (err, text, why);
    if (t < row->min) {
        g_autofree char *least = sim_units_format_duration (row->min);

        *why = row->min == 1
               ? g_strdup_printf ("%s: must be greater than 0", text)
               : g_strdup_printf ("%s: must be at least %s", text, least);
        return FALSE;
    }
    *(SimTime *) field (base, row) = t;
    return TRUE;
}

static char *
format_duration (const Row *row, gconstpointer base)
{
    SimTime t = *(const SimTime *) cfield (base, row);

    if (row->word != NULL && t == SIM_TIME_NEVER)
        return g_strdup (row->word);
    return sim_units_format_duration (t);
}

/* CPU and memory: a Kubernetes quantity, at least row->min. */
typedef gboolean (*QuantityParser) (const char *s, gint64 *out,
                                    GError **error);

static gboolean
parse_quantity (const Row *row, gpointer base, const char *text,
                QuantityParser parser, char **why)
{
    GError *err = NULL;
    gint64 v;

    if (!parser (text, &v, &err))
        return take_error (err, text, why);
    if (v < row->min) {
        *why = g_strdup_printf ("%s: must be greater than 0", text);
        return FALSE;
    }
    *(gint64 *) field (base, row) = v;
    return TRUE;
}

static gboolean
parse_cpu (const Row *row, gpointer base, const char *text,
           const char *dir G_GNUC_UNUSED, char **why)
{
    return parse_quantity (row, base, text, sim_units_parse_cpu, why);
}

static char *
format_cpu (const Row *row, gconstpointer base)
{
    return sim_units_format_cpu (*(const gint64 *) cfield (base, row));
}

static gboolean
parse_memory (const Row *row, gpointer base, const char *text,
              const char *dir G_GNUC_UNUSED, char **why)
{
    return parse_quantity (row, base, text, sim_units_parse_memory, why);
}

static char *
format_memory (const Row *row, gconstpointer base)
{
    return sim_units_format_memory (*(const gint64 *) cfield (base, row));
}

static gboolean
parse_dist (const Row *row, gpointer base, const char *text,
            const char *dir G_GNUC_UNUSED, char **why)
{
    GError *err = NULL;
    SimDist d;

    if (!sim_dist_parse (text, &d, &err))
        return take_error (err, text, why);
    /* dist.c should refuse these already; the loader promises it. */
    if (d.kind == SIM_DIST_UNIFORM && d.a > d.b) {
        *why = g_strdup_printf ("%s: low is above high", text);
        return FALSE;
    }
    *(SimDist *) field (base, row) = d;
    return TRUE;
}

static char *
format_dist (const Row *row, gconstpointer base)
{
    return sim_dist_format (cfield (base, row));
}

static gboolean
parse_bool (const Row *row, gpointer base, const char *text,
            const char *dir G_GNUC_UNUSED, char **why)
{
    static const char *const yes[] = { "true", "yes", "1" };
    static const char *const no[] = { "false", "no", "0" };

    for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
        if (g_ascii_strcasecmp (text, yes[i]) == 0) {
            *(gboolean *) field (base, row) = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp (text, no[i]) == 0) {
            *(gboolean *) field (base, row) = FALSE;
            return TRUE;
        }
    }
    *why = g_strdup_printf ("\"%s\" is not a boolean", text);
    return FALSE;
}

static char *
format_bool (const Row *row, gconstpointer base)
{
    return g_strdup (*(const gboolean *) cfield (base, row)
                     ? "true" : "false");
}

static gboolean
parse_enum (const Row *row, gpointer base, const char *text,
            const char *dir G_GNUC_UNUSED, char **why)
{
    const char *best;

    for (guint i = 0; row->names[i] != NULL; i++) {
        if (strcmp (text, row->names[i]) == 0) {
            *(int *) field (base, row) = (int) i;
            return TRUE;
        }
    }
    best = closest (text, row->names);
    if (best != NULL)
        *why = g_strdup_printf ("unknown value \"%s\" (did you mean %s?)",
                                text, best);
    else
        *why = g_strdup_printf ("unknown value \"%s\"", text);
    return FALSE;
}

static char *
format_enum (const Row *row, gconstpointer base)
{
    return g_strdup (row->names[*(const int *) cfield (base, row)]);
}

static gboolean
parse_percent (const Row *row, gpointer base, const char *text,
               const char *dir G_GNUC_UNUSED, char **why)
{
    GError *err = NULL;
    SimIntOrPercent v;

    if (!sim_units_parse_int_or_percent (text, &v, &err))
        return take_error (err, text, why);
    if (v.percent && v.value > row->max) {
        *why = g_strdup_printf ("%s: may not be more than %" G_GINT64_FORMAT
                                "%%", text, row->max);
        return FALSE;
    }
    *(SimIntOrPercent *) field (base, row) = v;
    return TRUE;
}

static char *
format_percent (const Row *row, gconstpointer base)
{
    return sim_units_format_int_or_percent (
        *(const SimIntOrPercent *) cfield (base, row));
}

/* The file is resolved to an absolute path, so the resolved scenario
 * finds it again wherever it is written. */
static gboolean
parse_path (const Row *row, gpointer base, const char *text,
            const char *dir, char **why)
{
    char **p = field (base, row);
    g_autofree char *path = NULL;

    if (strcmp (text, row->word) == 0 || text[0] == '\0') {
        g_clear_pointer (p, g_free);
        return TRUE;
    }
    path = g_canonicalize_filename (text, dir);
    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
        *why = g_strdup_printf ("cannot find the file \"%s\" (%s)", text,
                                path);
        return FALSE;
    }
    /* The resolved scenario writes the absolute path as a value, which
     * must read back as itself: a directory named "a #b" would lose its
     * tail to the comment rule. */
    {
        g_autofree char *back = clean_value (path);

        if (strcmp (back, path) != 0 || has_control_chars (path)
            || !g_utf8_validate (path, -1, NULL)) {
            *why = g_strdup_printf ("the file's path \"%s\" cannot be "
                                    "written in a scenario file (it holds "
                                    "\" #\", a control character or "
                                    "non-UTF-8 bytes)", path);
            return FALSE;
        }
    }
    g_free (*p);
    *p = g_steal_pointer (&path);
    return TRUE;
}

static gboolean
parse_strategy (const Row *row, gpointer base, const char *text,
                const char *dir G_GNUC_UNUSED, char **why)
{
    g_autofree const char **cands = NULL;
    guint n = 0;
    const char *best;

    if (sim_strategy_lookup (text) != NULL) {
        replace_string (field (base, row), text);
        return TRUE;
    }
    while (sim_strategies[n] != NULL)
        n++;
    cands = g_new0 (const char *, n + 1);
    for (guint i = 0; i < n; i++)
        cands[i] = sim_strategies[i]->name;
    best = closest (text, cands);
    *why = g_strdup_printf ("unknown strategy \"%s\"%s%s%s (accepted: %s)",
                            text, best ? " (did you mean " : "",
                            best ? best : "", best ? "?)" : "",
                            sim_strategy_names ());
    return FALSE;
}

/* Only the form is checked here; that the version exists is a check of
 * the whole scenario. */
static gboolean
parse_version (const Row *row, gpointer base, const char *text,
               const char *dir G_GNUC_UNUSED, char **why)
{
    if (!valid_version_name (text)) {
        *why = g_strdup_printf ("\"%s\" is not a version name", text);
        return FALSE;
    }
    replace_string (field (base, row), text);
    return TRUE;
}

/* The words of @item, split on blanks. */
static GStrv
words (const char *item)
{
    g_auto (GStrv) parts = g_strsplit_set (item, " \t", -1);
    GPtrArray *out = g_ptr_array_new ();

    for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
            g_ptr_array_add (out, g_strdup (parts[i]));
    g_ptr_array_add (out, NULL);
    return (GStrv) g_ptr_array_free (out, FALSE);
}

static gboolean
int_in (const char *s, gint lo, gint hi, gint *out)
{
    gint64 v;

    if (!to_int64 (s, &v) || v < lo || v > hi)
        return FALSE;
    *out = (gint) v;
    return TRUE;
}

/* One canary step; FALSE with *@why saying what is wrong with it. */
static gboolean
parse_step (const char *item, SimCanaryStep *step, GString *canon,
            char **why)
{
    g_auto (GStrv) w = words (item);
    guint n = g_strv_length (w);

    memset (step, 0, sizeof *step);
    if (n == 2 && strcmp (w[0], "set-weight") == 0) {
        step->kind = SIM_STEP_SET_WEIGHT;
        if (!int_in (w[1], 0, 100, &step->value)) {
            *why = g_strdup ("the weight must be an integer 0..100");
            return FALSE;
        }
        g_string_append_printf (canon, "set-weight %d", step->value);
        return TRUE;
    }
    if ((n == 1 || n == 2) && strcmp (w[0], "pause") == 0) {
        step->kind = SIM_STEP_PAUSE;
        step->duration = SIM_TIME_NEVER;
        if (n == 2) {
            GError *err = NULL;

            if (!sim_units_parse_duration (w[1], &step->duration, &err))
                return take_error (err, w[1], why);
            g_autofree char *d = sim_units_format_duration (step->duration);
            g_string_append_printf (canon, "pause %s", d);
        } else {
            g_string_append (canon, "pause");
        }
        return TRUE;
    }
    if (n >= 2 && strcmp (w[0], "set-canary-scale") == 0) {
        step->kind = SIM_STEP_SET_CANARY_SCALE;
        if (n == 2 && strcmp (w[1], "match-traffic-weight") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_MATCH_TRAFFIC;
            g_string_append (canon, "set-canary-scale match-traffic-weight");
            return TRUE;
        }
        if (n == 3 && strcmp (w[1], "replicas") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_REPLICAS;
            if (!int_in (w[2], 0, G_MAXINT, &step->value)) {
                *why = g_strdup ("the replicas must be an integer >= 0");
                return FALSE;
            }
            g_string_append_printf (canon, "set-canary-scale replicas %d",
                                    step->value);
            return TRUE;
        }
        if (n == 3 && strcmp (w[1], "weight") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_WEIGHT;
            /* A percentage of replicas, which may pass 100 (section
             * 1.6: 200% of 4 is 8 pods); only set-weight is bounded. */
            if (!int_in (w[2], 0, 100000, &step->value)) {
                *why = g_strdup ("the weight must be an integer 0..100000 "
                                 "(a percentage of replicas)");
                return FALSE;
            }
            g_string_append_printf (canon, "set-canary-scale weight %d",
                                    step->value);
            return TRUE;
        }
    }
    if (n == 1 && strcmp (w[0], "analysis") == 0) {
        step->kind = SIM_STEP_ANALYSIS;
        g_string_append (canon, "analysis");
        return TRUE;
    }
    *why = g_strdup ("not a step");
    return FALSE;
}

/* Empty items (";;", a trailing ';') are skipped; positions count the
 * steps only.  The stored text is the canonical form. */
static gboolean
parse_steps (const Row *row G_GNUC_UNUSED, gpointer base, const char *text,
             const char *dir G_GNUC_UNUSED, char **why)
{
    SimScenario *s = base;
    g_auto (GStrv) items = g_strsplit (text, ";", -1);
    g_autoptr (GArray) steps = g_array_new (FALSE, TRUE,
                                            sizeof (SimCanaryStep));
    g_autoptr (GString) canon = g_string_new (NULL);
    guint pos = 0;

    for (guint i = 0; items[i] != NULL; i++) {
        char *item = g_strstrip (items[i]);
        SimCanaryStep step;
        g_autofree char *what = NULL;

        if (item[0] == '\0')
            continue;
        pos++;
        if (pos > 1)
            g_string_append (canon, "; ");
        if (!parse_step (item, &step, canon, &what)) {
            *why = g_strdup_printf ("step %u \"%s\": %s (accepted: %s)",
                                    pos, item, what, ACCEPT_STEPS);
            return FALSE;
        }
        g_array_append_val (steps, step);
    }
    g_free (s->canary_steps);
    s->n_canary_steps = (gint) steps->len;
    s->canary_steps = steps->len > 0
        ? (SimCanaryStep *) g_array_free (g_steal_pointer (&steps), FALSE)
        : NULL;
    g_free (s->canary_steps_text);
    s->canary_steps_text = g_strdup (canon->str);
    return TRUE;
}

static const char *const metric_names[] = {
    [SIM_METRIC_ERROR_RATE] = "error_rate",
    [SIM_METRIC_SUCCESS_RATE] = "success_rate",
    [SIM_METRIC_P50_MS] = "p50_ms",
    [SIM_METRIC_P95_MS] = "p95_ms",
    [SIM_METRIC_P99_MS] = "p99_ms",
    [SIM_METRIC_MEAN_MS] = "mean_ms",
};

static const char *const op_names[] = {
    [SIM_OP_LT] = "<", [SIM_OP_LE] = "<=", [SIM_OP_GT] = ">",
    [SIM_OP_GE] = ">=",
};

const char *
sim_scenario_metric_name (SimMetricKind metric)
{
    g_return_val_if_fail (metric < G_N_ELEMENTS (metric_names), "?");
    return metric_names[metric];
}

const char *
sim_scenario_op_name (SimCompareOp op)
{
    g_return_val_if_fail (op < G_N_ELEMENTS (op_names), "?");
    return op_names[op];
}

/* "METRIC OP NUMBER", blanks optional around OP. */
static gboolean
parse_condition (const char *item, SimAnalysisCondition *c, GString *canon,
                 char **why)
{
    const char *p = item;
    gsize len = strspn (p, "abcdefghijklmnopqrstuvwxyz0123456789_");
    guint i;

    for (i = 0; i < G_N_ELEMENTS (metric_names); i++)
        if (len == strlen (metric_names[i])
            && strncmp (p, metric_names[i], len) == 0)
            break;
    if (i == G_N_ELEMENTS (metric_names)) {
        g_autofree char *m = g_strndup (p, len);

        *why = g_strdup_printf ("unknown metric \"%s\"", m);
        return FALSE;
    }
    c->metric = i;
    p += len;
    while (g_ascii_isspace (*p))
        p++;
    if (p[0] == '<' || p[0] == '>') {
        gboolean eq = p[1] == '=';

        c->op = p[0] == '<' ? (eq ? SIM_OP_LE : SIM_OP_LT)
                            : (eq ? SIM_OP_GE : SIM_OP_GT);
        p += eq ? 2 : 1;
    } else {
        *why = g_strdup ("expected an operator <, <=, >, >= after the "
                         "metric");
        return FALSE;
    }
    while (g_ascii_isspace (*p))
        p++;
    if (!to_double (p, &c->threshold)) {
        *why = g_strdup_printf ("\"%s\" is not a number", p);
        return FALSE;
    }
    g_autofree char *num = number_text (c->threshold);
    g_string_append_printf (canon, "%s %s %s", metric_names[c->metric],
                            op_names[c->op], num);
    return TRUE;
}

static gboolean
parse_metrics (const Row *row G_GNUC_UNUSED, gpointer base, const char *text,
               const char *dir G_GNUC_UNUSED, char **why)
{
    SimScenario *s = base;
    g_auto (GStrv) items = g_strsplit (text, ";", -1);
    g_autoptr (GArray) conds = g_array_new (FALSE, TRUE,
                                            sizeof (SimAnalysisCondition));
    g_autoptr (GString) canon = g_string_new (NULL);
    guint pos = 0;

    for (guint i = 0; items[i] != NULL; i++) {
        char *item = g_strstrip (items[i]);
        SimAnalysisCondition c;
        g_autofree char *what = NULL;

        if (item[0] == '\0')
            continue;
        pos++;
        if (pos > 1)
            g_string_append (canon, "; ");
        if (!parse_condition (item, &c, canon, &what)) {
            *why = g_strdup_printf ("condition %u \"%s\": %s (accepted: "
                                    "%s)", pos, item, what,
                                    ACCEPT_METRICS);
            return FALSE;
        }
        g_array_append_val (conds, c);
    }
    g_free (s->analysis_metrics);
    s->n_analysis_metrics = (gint) conds->len;
    s->analysis_metrics = conds->len > 0
        ? (SimAnalysisCondition *) g_array_free (g_steal_pointer (&conds),
                                                 FALSE)
        : NULL;
    g_free (s->analysis_metrics_text);
    s->analysis_metrics_text = g_strdup (canon->str);
    return TRUE;
}

/* --- Places and errors ---------------------------------------------------- */

/* What one load knows about where things were written. */
typedef struct {
    const char *path;       /* for messages */
    char       *dir;        /* the file's directory, absolute: the base
                               of relative paths in it */
    gboolean    use_lines;  /* FALSE: the text is not the user's file
                               (sim_scenario_set), name the path alone */
    GHashTable *lines;      /* "GROUP" and "GROUP\nKEY" -> line number */
    GHashTable *sets;       /* "GROUP" and "GROUP\nKEY" -> the --set
                               assignment that wrote it */
    guint       bad_line;   /* first line the scan could not read, or 0 */
    char       *bad_what;   /* and why */
} Ctx;

static void
ctx_init (Ctx *ctx, const char *path, gboolean use_lines)
{
    g_autofree char *dir = g_path_get_dirname (path);

    ctx->path = path;
    ctx->dir = g_canonicalize_filename (dir, NULL);     /* absolute */
    ctx->use_lines = use_lines;
    ctx->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        NULL);
    ctx->sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       g_free);
    ctx->bad_line = 0;
    ctx->bad_what = NULL;
}

static void
ctx_clear (Ctx *ctx)
{
    g_clear_pointer (&ctx->dir, g_free);
    g_clear_pointer (&ctx->lines, g_hash_table_unref);
    g_clear_pointer (&ctx->sets, g_hash_table_unref);
    g_clear_pointer (&ctx->bad_what, g_free);
}

static char *
place_key (const char *group, const char *key)
{
    return key != NULL ? g_strconcat (group, "\n", key, NULL)
                       : g_strdup (group);
}

/* 2: written by --set; 1: on a known line of the file; 0: neither. */
static int
place_rank (const Ctx *ctx, const char *group, const char *key)
{
    g_autofree char *k = place_key (group, key);

    if (g_hash_table_contains (ctx->sets, k))
        return 2;
    if (ctx->use_lines && g_hash_table_contains (ctx->lines, k))
        return 1;
    return 0;
}

/* "FILE:LINE" of GROUP.KEY (or of GROUP's header when the key is not
 * written), "--set G.K=V" when an override wrote it, else "FILE". */
static char *
where (const Ctx *ctx, const char *group, const char *key)
{
    g_autofree char *k = place_key (group, key);
    const char *set = g_hash_table_lookup (ctx->sets, k);
    guint line = 0;

    if (set == NULL && key != NULL && !g_hash_table_contains (ctx->lines, k))
        set = g_hash_table_lookup (ctx->sets, group);
    if (set != NULL)
        return g_strdup_printf ("--set %s", set);
    if (ctx->use_lines) {
        line = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->lines, k));
        if (line == 0)
            line = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->lines,
                                                          group));
    }
    if (line > 0)
        return g_strdup_printf ("%s:%u", ctx->path, line);
    return g_strdup (ctx->path);
}

/* Set @error and return FALSE: for failures that name no key. */
static gboolean
fail (GError **error, SimScenarioError code, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, SimScenarioError code, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    g_propagate_error (error, g_error_new_valist (SIM_SCENARIO_ERROR, code,
                                                  fmt, ap));
    va_end (ap);
    return FALSE;
}

/* "PLACE: GROUP.KEY: MESSAGE (accepted: ACCEPTED)"; the accepted part
 * only when the message has none. */
static gboolean
key_error (const Ctx *ctx, GError **error, SimScenarioError code,
           const char *group, const char *key, const char *accepted,
           const char *fmt, ...) G_GNUC_PRINTF (7, 8);

static gboolean
key_error (const Ctx *ctx, GError **error, SimScenarioError code,
           const char *group, const char *key, const char *accepted,
           const char *fmt, ...)
{
    g_autofree char *loc = where (ctx, group, key);
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    if (accepted != NULL && strstr (msg, "(accepted:") == NULL)
        g_set_error (error, SIM_SCENARIO_ERROR, code,
                     "%s: %s.%s: %s (accepted: %s)", loc, group, key, msg,
                     accepted);
    else
        g_set_error (error, SIM_SCENARIO_ERROR, code, "%s: %s.%s: %s", loc,
                     group, key, msg);
    return FALSE;
}

/* "PLACE: [GROUP]: MESSAGE". */
static gboolean
group_error (const Ctx *ctx, GError **error, SimScenarioError code,
             const char *group, const char *fmt, ...) G_GNUC_PRINTF (5, 6);

static gboolean
group_error (const Ctx *ctx, GError **error, SimScenarioError code,
             const char *group, const char *fmt, ...)
{
    g_autofree char *loc = where (ctx, group, NULL);
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (error, SIM_SCENARIO_ERROR, code, "%s: [%s]: %s", loc, group,
                 msg);
    return FALSE;
}

/* --- Reading the text ----------------------------------------------------- */

static void
scan_problem (Ctx *ctx, guint line, char *what)
{
    if (ctx->bad_line == 0) {
        ctx->bad_line = line;
        ctx->bad_what = what;
    } else {
        g_free (what);
    }
}

/* Record the line of every group header and key, and note the first line
 * that is not a comment, a group or a key, and the first group or key
 * written twice (GKeyFile would quietly merge or overwrite them).  Follows
 * GKeyFile's own reading of a line. */
static void
scan_lines (Ctx *ctx, const char *data)
{
    g_auto (GStrv) text_lines = g_strsplit (data, "\n", -1);
    g_autofree char *group = NULL;

    for (guint i = 0; text_lines[i] != NULL; i++) {
        guint lineno = i + 1;
        char *line = g_strstrip (text_lines[i]);
        char *eq;

        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (!g_utf8_validate (line, -1, NULL)) {
            scan_problem (ctx, lineno, g_strdup ("not UTF-8 text"));
            continue;
        }
        if (line[0] == '[') {
            char *end = strchr (line, ']');

            if (end == NULL || end[1] != '\0') {
                scan_problem (ctx, lineno, g_strdup_printf (
                    "\"%s\" is not a [group] header", line));
                continue;
            }
            g_free (group);
            group = g_strndup (line + 1, end - line - 1);
            gpointer first = g_hash_table_lookup (ctx->lines, group);
            if (first != NULL)
                scan_problem (ctx, lineno, g_strdup_printf (
                    "[%s]: group written twice (first at line %u)", group,
                    GPOINTER_TO_UINT (first)));
            else
                g_hash_table_insert (ctx->lines, g_strdup (group),
                                     GUINT_TO_POINTER (lineno));
            continue;
        }
        eq = strchr (line, '=');
        if (eq == NULL) {
            scan_problem (ctx, lineno, g_strdup_printf (
                "\"%s\" is not a key = value line, a [group] or a comment",
                line));
            continue;
        }
        if (group == NULL) {
            scan_problem (ctx, lineno, g_strdup (
                "a key = value line before the first [group]"));
            continue;
        }
        *eq = '\0';
        g_strchomp (line);
        if (line[0] == '\0') {
            scan_problem (ctx, lineno, g_strdup ("a value without a key"));
            continue;
        }
        char *k = place_key (group, line);
        gpointer first = g_hash_table_lookup (ctx->lines, k);
        if (first != NULL) {
            scan_problem (ctx, lineno, g_strdup_printf (
                "%s.%s: key written twice (first at line %u)", group, line,
                GPOINTER_TO_UINT (first)));
            g_free (k);
        } else {
            g_hash_table_insert (ctx->lines, k, GUINT_TO_POINTER (lineno));
        }
    }
}

static GKeyFile *
parse_key_file (Ctx *ctx, const char *data, GError **error)
{
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    GError *err = NULL;

    scan_lines (ctx, data);
    /* The scan is stricter than GKeyFile (it also refuses duplicates) and
     * knows the line, so its verdict comes first. */
    if (ctx->bad_line > 0) {
        fail (error, SIM_SCENARIO_ERROR_SYNTAX, "%s:%u: %s", ctx->path,
              ctx->bad_line, ctx->bad_what);
        return NULL;
    }
    if (!g_key_file_load_from_data (kf, data, (gsize) -1, G_KEY_FILE_NONE,
                                    &err)) {
        fail (error, SIM_SCENARIO_ERROR_SYNTAX, "%s: %s", ctx->path,
              err->message);
        g_error_free (err);
        return NULL;
    }
    return g_steal_pointer (&kf);
}

/* One "GROUP.KEY=VALUE": the last dot before '=' separates group and
 * key.  The key must exist; the group may be new. */
static gboolean
apply_override (Ctx *ctx, GKeyFile *kf, const char *assignment,
                GError **error)
{
    const char *eq = strchr (assignment, '=');
    g_autofree char *lhs = NULL;
    g_autofree char *group = NULL;
    g_autofree char *value = NULL;
    const char *dot, *key;

    if (eq == NULL)
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: expected GROUP.KEY=VALUE", assignment);
    lhs = g_strstrip (g_strndup (assignment, eq - assignment));
    dot = strrchr (lhs, '.');
    if (dot == NULL || dot == lhs || dot[1] == '\0')
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: expected GROUP.KEY=VALUE (the last dot "
                     "separates group and key)", assignment);
    group = g_strndup (lhs, dot - lhs);
    key = dot + 1;
    if (find_row (group, key) < 0) {
        g_autofree char *hint = key_hint (group, key);

        return fail (error, SIM_SCENARIO_ERROR_UNKNOWN,
                     "--set %s: %s.%s: unknown key%s", assignment, group,
                     key, hint);
    }
    value = clean_value (eq + 1);
    if (has_control_chars (value))
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: %s.%s: the value must be one line of "
                     "printable text", assignment, group, key);
    if (!g_key_file_has_group (kf, group))
        g_hash_table_replace (ctx->sets, g_strdup (group),
                              g_strdup (assignment));
    g_key_file_set_value (kf, group, key, value);
    g_hash_table_replace (ctx->sets, place_key (group, key),
                          g_strdup (assignment));
    return TRUE;
}

/* Every group and key known; version groups well named and not too
 * many. */
static gboolean
check_names (Ctx *ctx, GKeyFile *kf, GError **error)
{
    g_auto (GStrv) names = g_key_file_get_groups (kf, NULL);
    gint n_versions = 0;

    for (guint i = 0; names[i] != NULL; i++) {
        const char *group = names[i];

        if (is_version_group (group)) {
            if (!valid_version_name (group + strlen ("version.")))
                return group_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                                    group, "bad version name (accepted: "
                                    "[version.NAME], NAME of at most %d "
                                    "letters, digits, '.', '_', '-')",
                                    VERSION_NAME_MAX);
            if (++n_versions > SIM_MAX_VERSIONS)
                return group_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                                    group, "too many versions (accepted: "
                                    "at most %d [version.NAME] groups)",
                                    SIM_MAX_VERSIONS);
        } else if (strcmp (group, "version") == 0) {
            return group_error (ctx, error, SIM_SCENARIO_ERROR_UNKNOWN,
                                group, "a version group needs a name "
                                "(accepted: [version.NAME])");
        } else if (!is_fixed_group (group)) {
            g_autofree char *hint = group_hint (group);

            return group_error (ctx, error, SIM_SCENARIO_ERROR_UNKNOWN,
                                group, "unknown group%s", hint);
        }

        g_auto (GStrv) ks = g_key_file_get_keys (kf, group, NULL, NULL);
        for (guint j = 0; ks[j] != NULL; j++) {
            if (find_row (group, ks[j]) < 0) {
                g_autofree char *hint = key_hint (group, ks[j]);

                return key_error (ctx, error, SIM_SCENARIO_ERROR_UNKNOWN,
                                  group, ks[j], NULL, "unknown key%s",
                                  hint);
            }
        }
    }
    return TRUE;
}

/* --- Building and checking a scenario ------------------------------------- */

static void
fill_defaults (const Row *row, guint i, gpointer base)
{
    g_autofree char *why = NULL;

    if (keys[i].def == NULL || row->parse == parse_name)
        return;
    if (!row->parse (row, base, keys[i].def, NULL, &why))
        g_error ("scenario.c: the default of %s.%s does not parse: %s",
                 keys[i].group, keys[i].key, why);
}

static SimVersionSpec *
add_version (SimScenario *s, const char *name)
{
    SimVersionSpec *v = &s->versions[s->n_versions++];

    g_assert (s->n_versions <= SIM_MAX_VERSIONS);
    v->name = g_strdup (name);
    for (guint i = 0; i < N_ROWS; i++)
        if (strcmp (keys[i].group, VERSION_GROUP) == 0)
            fill_defaults (&rows[i], i, v);
    return v;
}

/* The file's base name without ".ini", for [scenario] name; read as a
 * value would be, so that writing it and reading it back changes
 * nothing. */
static char *
default_name (const char *path)
{
    g_autofree char *file = g_path_get_basename (path);
    g_autofree char *base = NULL;

    if (g_str_has_suffix (file, ".ini") && strlen (file) > 4)
        file[strlen (file) - 4] = '\0';
    base = clean_value (file);
    if (base[0] == '\0' || strcmp (base, ".") == 0 || strcmp (base, "/") == 0
        || strcmp (base, "..") == 0 || has_control_chars (base))
        return g_strdup ("scenario");
    return g_steal_pointer (&base);
}

static gboolean
parse_value (Ctx *ctx, GKeyFile *kf, SimScenario *s, const char *group,
             const char *key, GError **error)
{
    gint i = find_row (group, key);
    const Row *row = &rows[i];
    g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
    g_autofree char *value = clean_value (raw != NULL ? raw : "");
    g_autofree char *k = place_key (group, key);
    g_autofree char *why = NULL;
    gpointer base = s;
    /* Relative paths from --set are relative to the current directory. */
    const char *dir = g_hash_table_contains (ctx->sets, k) ? NULL
                                                           : ctx->dir;

    g_assert (i >= 0);
    if (is_version_group (group)) {
        gint v = sim_scenario_find_version (s, group + strlen ("version."));

        g_assert (v >= 0);
        base = &s->versions[v];
    }
    if (!row->parse (row, base, value, dir, &why))
        return key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID, group, key,
                          keys[i].accepted, "%s", why);
    return TRUE;
}

/* The versions other than @except, for "accepted:" lists. */
static char *
version_list (const SimScenario *s, const char *except)
{
    GString *out = g_string_new (NULL);

    for (gint i = 0; i < s->n_versions; i++) {
        if (g_strcmp0 (s->versions[i].name, except) == 0)
            continue;
        g_string_append_printf (out, "%s%s", out->len > 0 ? ", " : "",
                                s->versions[i].name);
    }
    if (out->len == 0)
        g_string_append (out, except != NULL
                         ? "another [version.NAME] group; there is none"
                         : "the NAME of a [version.NAME] group; there is "
                           "none");
    return g_string_free (out, FALSE);
}

/* "may not both be 0", as the API server says it. */
static gboolean
check_surge (Ctx *ctx, const char *group, SimIntOrPercent surge,
             SimIntOrPercent unavailable, GError **error)
{
    if (surge.value != 0 || unavailable.value != 0)
        return TRUE;
    if (place_rank (ctx, group, "max_surge")
        > place_rank (ctx, group, "max_unavailable"))
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT, group,
                          "max_surge", ACCEPT_SURGE,
                          "may not be 0 when max_unavailable is 0");
    return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT, group,
                      "max_unavailable", ACCEPT_UNAVAILABLE,
                      "may not be 0 when max_surge is 0");
}

static gboolean
check_deadline (Ctx *ctx, const char *group, SimTime deadline,
                SimTime min_ready, GError **error)
{
    g_autofree char *mr = NULL;
    g_autofree char *pd = NULL;

    if (deadline == SIM_TIME_NEVER || deadline > min_ready)
        return TRUE;
    mr = sim_units_format_duration (min_ready);
    pd = sim_units_format_duration (deadline);
    if (place_rank (ctx, "deployment", "min_ready")
        > place_rank (ctx, group, "progress_deadline"))
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                          "deployment", "min_ready", ACCEPT_DURATION,
                          "%s: must be less than %s.progress_deadline (%s)",
                          mr, group, pd);
    return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT, group,
                      "progress_deadline", "a duration greater than "
                      "deployment.min_ready " DURATIONS ", or none",
                      "%s: must be greater than deployment.min_ready (%s)",
                      pd, mr);
}

/* The checks that involve more than one key. */
static gboolean
check_scenario (Ctx *ctx, SimScenario *s, GError **error)
{
    const SimStrategyClass *cls;

    if (s->version == NULL) {
        g_autofree char *acc = version_list (s, NULL);

        return key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                          "deployment", "version", acc,
                          "required key is missing");
    }
    s->version_index = sim_scenario_find_version (s, s->version);
    if (s->version_index < 0) {
        g_autofree char *acc = version_list (s, NULL);

        return key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                          "deployment", "version", acc,
                          "no [version.%s] group", s->version);
    }
    s->rollout_to_index = -1;
    if (s->has_rollout) {
        g_autofree char *acc = version_list (s, s->version);

        if (s->rollout_to == NULL)
            return key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                              "rollout", "to", acc,
                              "required key is missing");
        s->rollout_to_index = sim_scenario_find_version (s, s->rollout_to);
        if (s->rollout_to_index < 0)
            return key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                              "rollout", "to", acc,
                              "no [version.%s] group", s->rollout_to);
        if (s->rollout_to_index == s->version_index)
            return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                              "rollout", "to", acc,
                              "%s is already running (deployment.version)",
                              s->rollout_to);
    }
    /* The profile is read now, so `check` finds what `run` would. */
    g_clear_pointer (&s->profile_steps, g_free);
    s->n_profile_steps = 0;
    if (s->profile != NULL) {
        GError *err = NULL;

        s->profile_steps = sim_profile_load (s->profile, &s->n_profile_steps,
                                             &err);
        if (s->profile_steps == NULL && err != NULL) {
            gboolean ok = key_error (ctx, error, SIM_SCENARIO_ERROR_INVALID,
                                     "traffic", "profile",
                                     "a CSV file of time_s,rate rows",
                                     "%s", err->message);

            g_error_free (err);
            return ok;
        }
    }
    if (s->duration / s->sample > 1000000)
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                          "scenario", "sample",
                          "a step giving at most 1000000 steps per run",
                          "%" G_GINT64_FORMAT " steps over the duration "
                          "are too many", s->duration / s->sample);
    if (s->has_rollout && s->rollout_at >= s->duration)
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                          "rollout", "at", "a time before scenario.duration",
                          "the rollout would start after the run ends "
                          "(duration %.3fs)", s->duration / 1e6);
    /* A pod that fits no node can never run: the warm start at t = 0
     * promises running pods. */
    if (s->cpu > s->node_cpu)
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                          "deployment", "cpu", "at most cluster.node_cpu",
                          "a pod asks for more CPU than a node has");
    if (s->memory > s->node_memory)
        return key_error (ctx, error, SIM_SCENARIO_ERROR_CONFLICT,
                          "deployment", "memory",
                          "at most cluster.node_memory",
                          "a pod asks for more memory than a node has");
    if (!check_deadline (ctx, "deployment", s->progress_deadline,
                         s->min_ready, error)
        || !check_deadline (ctx, "strategy.canary",
                            s->canary_progress_deadline, s->min_ready,
                            error)
        || !check_surge (ctx, "strategy.rolling", s->rolling_max_surge,
                         s->rolling_max_unavailable, error)
        || !check_surge (ctx, "strategy.canary", s->canary_max_surge,
                         s->canary_max_unavailable, error))
        return FALSE;

    cls = sim_strategy_lookup (s->strategy);
    g_assert (cls != NULL);
    if (cls->validate != NULL) {
        GError *err = NULL;
        g_autofree char *group = g_strconcat ("strategy.", s->strategy,
                                              NULL);
        /* The strategy's own group if it is written, else its choice. */
        g_autofree char *loc = place_rank (ctx, group, NULL) > 0
                               ? where (ctx, group, NULL)
                               : where (ctx, "strategy", "type");

        if (!cls->validate (s, &err)) {
            g_set_error (error, SIM_SCENARIO_ERROR,
                         SIM_SCENARIO_ERROR_CONFLICT, "%s: %s", loc,
                         err->message);
            g_error_free (err);
            return FALSE;
        }
    }
    return TRUE;
}

static SimScenario *
build (Ctx *ctx, GKeyFile *kf, GError **error)
{
    g_autoptr (SimScenario) s = g_new0 (SimScenario, 1);
    g_auto (GStrv) names = g_key_file_get_groups (kf, NULL);

    s->path = g_strdup (ctx->path);
    s->name = default_name (ctx->path);
    for (guint i = 0; i < N_ROWS; i++)
        if (strcmp (keys[i].group, VERSION_GROUP) != 0)
            fill_defaults (&rows[i], i, s);
    for (guint i = 0; names[i] != NULL; i++)
        if (is_version_group (names[i]))
            add_version (s, names[i] + strlen ("version."));
    s->has_rollout = g_key_file_has_group (kf, "rollout");

    for (guint i = 0; names[i] != NULL; i++) {
        g_auto (GStrv) ks = g_key_file_get_keys (kf, names[i], NULL, NULL);

        for (guint j = 0; ks[j] != NULL; j++)
            if (!parse_value (ctx, kf, s, names[i], ks[j], error))
                return NULL;
    }
    if (!check_scenario (ctx, s, error))
        return NULL;
    return g_steal_pointer (&s);
}

static SimScenario *
load_text (const char *data, const char *path, gboolean use_lines,
           const char *const *overrides, GError **error)
{
    g_autoptr (GKeyFile) kf = NULL;
    SimScenario *s = NULL;
    Ctx ctx;

    ctx_init (&ctx, path, use_lines);
    kf = parse_key_file (&ctx, data, error);
    if (kf == NULL || !check_names (&ctx, kf, error))
        goto out;
    for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
        if (!apply_override (&ctx, kf, overrides[i], error))
            goto out;
    if (!check_names (&ctx, kf, error))
        goto out;
    s = build (&ctx, kf, error);
out:
    ctx_clear (&ctx);
    return s;
}

/* --- Public API ----------------------------------------------------------- */

SimScenario *
sim_scenario_load_data (const char *data, const char *path,
                        const char *const *overrides, GError **error)
{
    g_return_val_if_fail (data != NULL, NULL);
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    return load_text (data, path, TRUE, overrides, error);
}

SimScenario *
sim_scenario_load (const char *path, const char *const *overrides,
                   GError **error)
{
    g_autoptr (GString) data = g_string_new (NULL);
    char buf[8192];
    FILE *f;
    size_t n;
    int saved;

    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    /* stdio rather than g_file_get_contents: its message repeats the
     * path, and ours leads with it. */
    f = fopen (path, "rb");
    if (f == NULL) {
        saved = errno;
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO,
                     "%s: cannot read: %s", path, g_strerror (saved));
        return NULL;
    }
    while ((n = fread (buf, 1, sizeof buf, f)) > 0)
        g_string_append_len (data, buf, (gssize) n);
    saved = errno;
    if (ferror (f)) {
        fclose (f);
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_IO,
                     "%s: cannot read: %s", path, g_strerror (saved));
        return NULL;
    }
    fclose (f);
    if (memchr (data->str, '\0', data->len) != NULL) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: not a text file (it holds a NUL byte)", path);
        return NULL;
    }
    return load_text (data->str, path, TRUE, overrides, error);
}

SimScenario *
sim_scenario_load_builtin (const char *const *overrides, GError **error)
{
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    return load_text (sim_seed_scenario_text, BUILTIN_PATH, TRUE, overrides, error);
}

const char *
sim_scenario_builtin_text (void)
{
    return sim_seed_scenario_text;
}

/* Release what @s owns, not @s. */
static void
scenario_clear (SimScenario *s)
{
    for (guint i = 0; i < N_ROWS; i++) {
        const Row *row = &rows[i];

        /* Every string field is parsed by one of these. */
        if (strcmp (keys[i].group, VERSION_GROUP) != 0
            && (row->format == format_string))
            g_free (*(char **) field (s, row));
    }
    for (gint i = 0; i < s->n_versions; i++)
        g_free (s->versions[i].name);
    g_free (s->canary_steps);
    g_free (s->analysis_metrics);
    g_free (s->profile_steps);
    g_free (s->path);
}

void
sim_scenario_free (SimScenario *s)
{
    if (s == NULL)
        return;
    scenario_clear (s);
    g_free (s);
}

SimScenario *
sim_scenario_copy (const SimScenario *s)
{
    SimScenario *c;

    g_return_val_if_fail (s != NULL, NULL);

    c = g_memdup2 (s, sizeof *s);
    for (guint i = 0; i < N_ROWS; i++) {
        const Row *row = &rows[i];

        if (strcmp (keys[i].group, VERSION_GROUP) != 0
            && row->format == format_string) {
            char **p = field (c, row);

            *p = g_strdup (*p);
        }
    }
    for (gint i = 0; i < s->n_versions; i++)
        c->versions[i].name = g_strdup (s->versions[i].name);
    c->canary_steps = s->n_canary_steps > 0
        ? g_memdup2 (s->canary_steps,
                     sizeof (SimCanaryStep) * (gsize) s->n_canary_steps)
        : NULL;
    c->analysis_metrics = s->n_analysis_metrics > 0
        ? g_memdup2 (s->analysis_metrics, sizeof (SimAnalysisCondition)
                     * (gsize) s->n_analysis_metrics)
        : NULL;
    c->profile_steps = s->n_profile_steps > 0
        ? g_memdup2 (s->profile_steps,
                     sizeof (SimRateStep) * (gsize) s->n_profile_steps)
        : NULL;
    c->path = g_strdup (s->path);
    return c;
}

gboolean
sim_scenario_set (SimScenario *s, const char *assignment, GError **error)
{
    g_autofree char *text = NULL;
    const char *overrides[2] = { assignment, NULL };
    SimScenario *n;

    g_return_val_if_fail (s != NULL, FALSE);
    g_return_val_if_fail (assignment != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    /* Reload the resolved text with one more override: one code path for
     * every check, and @s untouched on error.  Lines of the resolved text
     * mean nothing to the user, so messages name the path alone. */
    text = sim_scenario_to_ini (s);
    n = load_text (text, s->path, FALSE, overrides, error);
    if (n == NULL)
        return FALSE;
    scenario_clear (s);
    *s = *n;
    g_free (n);
    return TRUE;
}

gint
sim_scenario_find_version (const SimScenario *s, const char *name)
{
    g_return_val_if_fail (s != NULL, -1);

    for (gint i = 0; i < s->n_versions; i++)
        if (g_strcmp0 (s->versions[i].name, name) == 0)
            return i;
    return -1;
}

static void
append_group (GString *out, const char *table_group, const char *group,
              gconstpointer base)
{
    g_string_append_printf (out, "\n[%s]\n", group);
    for (guint i = 0; i < N_ROWS; i++) {
        if (strcmp (keys[i].group, table_group) != 0)
            continue;
        g_autofree char *v = rows[i].format (&rows[i], base);
        /* No trailing blank after an empty value. */
        g_string_append_printf (out, "%s =%s%s\n", keys[i].key,
                                v[0] != '\0' ? " " : "", v);
    }
}

char *
sim_scenario_to_ini (const SimScenario *s)
{
    GString *out;

    g_return_val_if_fail (s != NULL, NULL);

    out = g_string_new ("# The resolved scenario: every key with its value, "
                        "defaults filled in.\n"
                        "# Running it again reproduces the run.\n");
    for (guint g = 0; g < G_N_ELEMENTS (groups); g++) {
        const char *name = groups[g].name;

        if (strcmp (name, VERSION_GROUP) == 0) {
            for (gint v = 0; v < s->n_versions; v++) {
                g_autofree char *group =
                    g_strconcat ("version.", s->versions[v].name, NULL);

                append_group (out, name, group, &s->versions[v]);
            }
        } else if (strcmp (name, "rollout") != 0 || s->has_rollout) {
            append_group (out, name, name, s);
        }
    }
    return g_string_free (out, FALSE);
}

const SimScenarioKey *
sim_scenario_keys (void)
{
    return keys;
}

/* A table cell: '|' escaped, so text cannot break the table. */
static void
append_cell (GString *out, const char *text, gboolean code)
{
    g_string_append (out, " ");
    if (code && text[0] != '\0')
        g_string_append_c (out, '`');
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '|')
            g_string_append_c (out, '\\');
        g_string_append_c (out, *p);
    }
    if (code && text[0] != '\0')
        g_string_append_c (out, '`');
    g_string_append (out, " |");
}

char *
sim_scenario_reference_markdown (void)
{
    GString *out = g_string_new (NULL);

    g_string_append (out,
        "# Scenario file reference\n"
        "\n"
        "<!-- Generated from the key table of sim/scenario.c by `rollsim "
        "keys --markdown`\n"
        "     (`make docs`); edit the table, not this file. -->\n"
        "\n"
        "A scenario is a GKeyFile (`.ini`) file: `[group]` headers, each "
        "followed by\n"
        "`key = value` lines.  Every key has a default, so a scenario "
        "writes only what\n"
        "it changes; the only required keys are `deployment.version`, and "
        "`rollout.to`\n"
        "when `[rollout]` is present.  A run writes the fully resolved "
        "scenario (every\n"
        "key with its value, the seed included) to `scenario.ini` in its "
        "output\n"
        "directory; running that file again reproduces the run.\n"
        "\n"
        "## File format\n"
        "\n"
        "- A line starting with `#` is a comment, and so is the rest of a "
        "value line\n"
        "  from a `#` that follows a blank: `count = 4   # four "
        "measurements`.  A value\n"
        "  therefore cannot contain ` #`.\n"
        "- Unknown groups and keys are errors, with a \"did you mean\" "
        "hint; so is a\n"
        "  group or key written twice.\n"
        "- Booleans are `true` or `false` (also `yes`/`no`, `1`/`0`).\n"
        "- Numbers use a dot for decimals, whatever the locale.\n"
        "- `--set GROUP.KEY=VALUE` (on `run`, `check`, `compare`, `sweep`) "
        "overrides a\n"
        "  key after the file is read.  The last dot separates group and "
        "key:\n"
        "  `--set strategy.rolling.max_surge=25%`, `--set "
        "version.hello2.error_rate=0.05`.\n"
        "  An override may add a group the file lacks, e.g. `--set "
        "rollout.to=hello2`.\n"
        "- A relative `traffic.profile` path is taken from the scenario "
        "file's directory\n"
        "  (from the current directory in `--set`); the resolved scenario "
        "records the\n"
        "  absolute path.\n"
        "\n"
        "## Units\n"
        "\n"
        "| type | examples | meaning |\n"
        "| --- | --- | --- |\n"
        "| duration | `250ms`, `30s`, `5m`, `1h`, `100us`, `1.5s`, "
        "`1m30s`, `0` | simulated time, exact to the microsecond (units "
        "`us`, `ms`, `s`, `m`, `h`; a sum of terms is their total); "
        "`none`, where a key allows it, means never |\n"
        "| cpu | `500m`, `2`, `0.5` | Kubernetes CPU quantity: cores, or "
        "millicores with `m` |\n"
        "| memory | `128Mi`, `8Gi`, `1G`, `129M`, `1e3`, `128974848` | "
        "Kubernetes memory quantity: bytes, with a binary (`Ki`, `Mi`, "
        "`Gi`, `Ti`, `Pi`, `Ei`) or decimal (`k`, `M`, `G`, `T`, `P`, "
        "`E`) suffix |\n"
        "| int-or-percent | `1`, `25%` | a number of pods, or a "
        "percentage of `deployment.replicas` (max_surge rounds up, "
        "max_unavailable rounds down, as Kubernetes does) |\n"
        "| number | `50`, `0.05`, `1e-3` | a decimal number |\n"
        "\n"
        "## Distributions\n"
        "\n"
        "The times of `[version.NAME]` are distributions whose parameters "
        "are\n"
        "durations; samples are never negative.\n"
        "\n"
        "| syntax | meaning |\n"
        "| --- | --- |\n"
        "| `const(5s)` | always 5 s; a bare duration `5s` means the same |\n"
        "| `exp(20ms)` | exponential with mean 20 ms |\n"
        "| `uniform(2s,8s)` | uniform between 2 s and 8 s (low <= high) |\n"
        "| `normal(1s,200ms)` | normal with mean 1 s and standard deviation "
        "200 ms, truncated at 0 |\n"
        "| `lognormal(1s,500ms)` | lognormal whose value (not its log) has "
        "mean 1 s and standard deviation 500 ms |\n"
        "| `erlang(3,1s)` | sum of 3 exponentials with a total mean of 1 s "
        "|\n"
        "\n"
        "## Errors\n"
        "\n"
        "A bad scenario stops the program before it writes anything, with "
        "exit status 2\n"
        "and one line on stderr that names the place, the key, what is "
        "wrong and what\n"
        "is accepted:\n"
        "\n"
        "    rollsim: FILE:LINE: GROUP.KEY: what is wrong (accepted: ...)\n"
        "\n"
        "LINE is the line of the key, or of the group header when the key "
        "is missing.\n"
        "A value from an override names the override instead of "
        "FILE:LINE; a check\n"
        "across keys that a strategy makes (canary, bluegreen) names its "
        "[strategy.TYPE]\n"
        "group header.  Examples:\n"
        "\n"
        "    rollsim: web.ini:12: deployment.replicsa: unknown key (did you "
        "mean deployment.replicas?)\n"
        "    rollsim: web.ini:20: strategy.rolling.max_unavailable: may not "
        "be 0 when max_surge is 0 (accepted: ...)\n"
        "    rollsim: --set traffic.rate=fast: traffic.rate: \"fast\" is not "
        "a number (accepted: a number 0..1000000)\n"
        "    rollsim: web.ini: cannot read: No such file or directory\n");

    for (guint g = 0; g < G_N_ELEMENTS (groups); g++) {
        const char *name = groups[g].name;
        gboolean any = FALSE;

        g_string_append_printf (out, "\n## [%s]\n\n%s\n",
                                strcmp (name, VERSION_GROUP) == 0
                                ? "version.NAME" : name, groups[g].doc);
        for (guint i = 0; i < N_ROWS; i++) {
            const char *accepted = keys[i].accepted;

            if (strcmp (keys[i].group, name) != 0)
                continue;
            if (!any)
                g_string_append (out, "\n| key | type | unit | default | "
                                 "accepted | meaning |\n"
                                 "| --- | --- | --- | --- | --- | --- |\n");
            any = TRUE;
            if (rows[i].parse == parse_strategy)
                accepted = sim_strategy_names ();
            g_string_append (out, "|");
            append_cell (out, keys[i].key, TRUE);
            append_cell (out, keys[i].type, FALSE);
            append_cell (out, keys[i].unit, FALSE);
            append_cell (out, keys[i].def != NULL ? keys[i].def
                                                  : "(required)",
                         keys[i].def != NULL
                         && rows[i].parse != parse_name);
            append_cell (out, accepted, FALSE);
            append_cell (out, keys[i].doc, FALSE);
            g_string_append_c (out, '\n');
        }
        if (groups[g].notes != NULL)
            g_string_append_printf (out, "\n%s", groups[g].notes);
    }
    return g_string_free (out, FALSE);
}
