/* scenario.c - the scenario loader: the core groups' keys, the schema,
 * and the load pipeline.
 *
 * The core groups (scenario, cluster, deployment, version.NAME, traffic,
 * strategy, rollout) are the tables below; their fields are SimScenario's
 * own.  Every other group comes in a schema (sim_schema_add_strategy,
 * sim_schema_add_group), owned by the module that uses it; the loader
 * allocates its settings struct, fills it and runs its checks, and knows
 * nothing else of it.
 *
 * Loading is: read the text; scan it once for line numbers and syntax
 * problems (scenario-place.c); parse it with GKeyFile; apply the --set
 * overrides to the key file, remembering their origins; check every
 * group and key is known; fill a fresh SimScenario with the defaults,
 * then with every value present, in file order; then the checks that
 * involve several keys: the core ones, each group's, and the running
 * strategy's.  Every error names a place: FILE:LINE of the key (or of
 * its group header), or the override that wrote it.
 *
 * Invariants: a SimScenario handed out has passed every check, so its
 * version indices are valid and sim_scenario_to_ini() of it loads again
 * into an equal scenario whose to_ini is byte-identical.  Nothing here
 * keeps state between calls; the tables are const.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "scenario.h"
#include "scenario-place.h"
#include "memory.h"

#define BUILTIN_PATH "(built-in)"

/* scenarios/seed-rolling.ini, compiled in by tools/embed-text.sh, so the
 * file and the built-in scenario cannot differ. */
extern const char sim_seed_scenario_text[];

G_STATIC_ASSERT (sizeof (SimArrivals) == sizeof (int));
G_STATIC_ASSERT (sizeof (SimBalancer) == sizeof (int));

/* --- The core groups -------------------------------------------------------- */

static const char *const arrivals_names[] = {
    "poisson",
    "uniform",
    NULL,
};
static const char *const balancer_names[] = {
    "random",
    "round-robin",
    "least-request",
    NULL,
};

#define ACCEPT_DIST \
    "a distribution: const(5s), exp(20ms), " \
    "uniform(2s,8s), normal(1s,200ms), lognormal(1s,500ms), " \
    "erlang(3,1s), or a bare duration"

#define S SimScenario
#define V SimVersionSpec

static const SimKeyRow scenario_rows[] = {
    SIM_KEY ("name", "(file name)", "", "non-empty text without '/'",
             "Names the run; the default output directory is out/NAME/.  "
             "Defaults to the scenario file's name without .ini, with `_` "
             "for what a value cannot hold (bytes that are not UTF-8, "
             "control characters, a `#` after a blank).",
             SIM_KEY_T_NAME (S, name)),
    SIM_KEY ("description", "", "", "one line of text",
             "Free text for people; the simulation ignores it.",
             SIM_KEY_T_STRING (S, description)),
    SIM_KEY ("duration", "5m", "", SIM_KEY_ACCEPT_POSITIVE,
             "Simulated time the run covers.",
             SIM_KEY_T_DURATION (S, duration, 1)),
    SIM_KEY ("seed", "1", "", "an integer 0..18446744073709551615",
             "Seed of every random stream: the same scenario and seed give "
             "byte-identical output.",
             SIM_KEY_T_UINT64 (S, seed)),
    SIM_KEY ("sample", "1s", "",
             "a duration >= 1ms " SIM_KEY_DURATIONS
             ", at most 1000000 steps per run",
             "Step of the time series (timeseries.csv, versions.csv).",
             SIM_KEY_T_DURATION (S, sample, 1000)),
    SIM_KEY ("max_memory", SIM_MEMORY_DEFAULT, "bytes",
             "a memory quantity > 0: 512Mi, 4Gi, 16Gi",
             "Memory one run may hold: its pods and requests in flight, and "
             "in compare and sweep its event log and time series (rollsim "
             "run writes those as they come; check counts them for every "
             "command).  A fixed number, never read from the "
             "machine: `check` refuses a scenario expected to need more "
             "(exit 2, naming the key to change), and a run that outgrows "
             "it stops (exit 1, saying what grew).  compare and sweep hold "
             "--jobs runs at once.",
             SIM_KEY_T_MEMORY (S, max_memory, 1)),
    SIM_KEY_END,
};

static const SimKeyRow cluster_rows[] = {
    SIM_KEY ("nodes", "3", "nodes", "an integer 1..100000",
             "Number of worker nodes.", SIM_KEY_T_INT (S, nodes, 1, 100000)),
    SIM_KEY ("node_cpu", "4", "cores", "a CPU quantity > 0: 500m, 2, 0.5",
             "Allocatable CPU of each node.", SIM_KEY_T_CPU (S, node_cpu, 1)),
    SIM_KEY ("node_memory", "8Gi", "bytes",
             "a memory quantity > 0: 512Mi, 8Gi, 1G",
             "Allocatable memory of each node.",
             SIM_KEY_T_MEMORY (S, node_memory, 1)),
    SIM_KEY ("controller_delay", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "Delay between a change of state and the controller's "
             "reaction to it (its sync).",
             SIM_KEY_T_DURATION (S, controller_delay, 0)),
    SIM_KEY ("endpoint_delay", "1s", "", SIM_KEY_ACCEPT_DURATION,
             "Time for an endpoint change (a pod ready, or terminating) to "
             "reach the load balancers.",
             SIM_KEY_T_DURATION (S, endpoint_delay, 0)),
    SIM_KEY ("schedule_delay", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "Time the scheduler takes to place a pending pod on a node.",
             SIM_KEY_T_DURATION (S, schedule_delay, 0)),
    SIM_KEY ("node_monitor_period", "5s", "", SIM_KEY_ACCEPT_POSITIVE,
             "--node-monitor-period: how often the node lifecycle controller "
             "looks at heartbeats; its passes run from t = 0.",
             SIM_KEY_T_DURATION (S, node_monitor_period, 1)),
    SIM_KEY ("node_monitor_grace", "40s", "", SIM_KEY_ACCEPT_DURATION,
             "--node-monitor-grace-period: a failed node is NotReady at the "
             "first pass more than this after its last heartbeat (40s up to "
             "Kubernetes 1.31, 50s from 1.32).",
             SIM_KEY_T_DURATION (S, node_monitor_grace, 0)),
    SIM_KEY ("autoscaler", "false", "", SIM_KEY_ACCEPT_BOOL,
             "A cluster autoscaler: nodes added for unschedulable pods, "
             "removed when underused (docs/autoscaling.md).",
             SIM_KEY_T_BOOL (S, autoscaler)),
    SIM_KEY ("min_nodes", "1", "nodes", "an integer 0..100000",
             "The cluster autoscaler never removes nodes below this.",
             SIM_KEY_T_INT (S, min_nodes, 0, 100000)),
    SIM_KEY ("max_nodes", "none", "nodes", "an integer 1..100000, or none",
             "The cluster autoscaler never adds nodes above this (nodes "
             "being provisioned included); none: no limit.",
             SIM_KEY_T_INT_OR (S, max_nodes, 1, 100000, "none")),
    SIM_KEY ("node_provision", "uniform(3m,4m)", "", ACCEPT_DIST,
             "From the autoscaler's request to a Ready node (the cloud's "
             "VM, kubelet and network).",
             SIM_KEY_T_DIST (S, node_provision)),
    SIM_KEY ("autoscaler_scan", "10s", "", SIM_KEY_ACCEPT_POSITIVE,
             "--scan-interval: how often the cluster autoscaler looks, from "
             "t = 0.",
             SIM_KEY_T_DURATION (S, autoscaler_scan, 1)),
    SIM_KEY ("scale_down_unneeded", "10m", "", SIM_KEY_ACCEPT_DURATION,
             "--scale-down-unneeded-time: how long a node must stay "
             "unneeded before it is removed.",
             SIM_KEY_T_DURATION (S, scale_down_unneeded, 0)),
    SIM_KEY ("scale_down_utilization", "0.5", "", "a number 0..1",
             "--scale-down-utilization-threshold: a node whose CPU and "
             "memory requests are both below this share of its "
             "allocatable is unneeded, if its pods fit elsewhere.",
             SIM_KEY_T_NUMBER (S, scale_down_utilization, 0.0, 1.0)),
    SIM_KEY ("scale_down_delay_after_add", "10m", "", SIM_KEY_ACCEPT_DURATION,
             "--scale-down-delay-after-add: no scale-down this long after a "
             "scale-up.",
             SIM_KEY_T_DURATION (S, scale_down_delay_after_add, 0)),
    SIM_KEY ("unneeded_during_delay", "true", "", SIM_KEY_ACCEPT_BOOL,
             "Whether the unneeded time counts during the delay after a "
             "scale-up (it does in recent cluster autoscalers; false: it "
             "starts when the delay ends).",
             SIM_KEY_T_BOOL (S, unneeded_during_delay)),
    SIM_KEY_END,
};

static const SimKeyRow deployment_rows[] = {
    SIM_KEY ("name", "app", "",
             "a name of lowercase letters, digits, '-' and '.', at most 63, "
             "starting and ending with a letter or digit",
             "metadata.name of the Deployment (or Rollout): what kubectl's "
             "messages call it, `deployments.apps/NAME`.",
             SIM_KEY_T_STRING (S, deployment_name)),
    SIM_KEY ("replicas", "1", "pods", "an integer 0..100000",
             "Desired number of pods (spec.replicas).",
             SIM_KEY_T_INT (S, replicas, 0, SIM_MAX_REPLICAS)),
    SIM_KEY ("version", NULL, "", "the NAME of a [version.NAME] group",
             "The version running at t = 0, warm: placed, started and "
             "ready.",
             SIM_KEY_T_VERSION (S, version)),
    SIM_KEY ("cpu", "100m", "cores", "a CPU quantity >= 0: 100m, 0.5, 1",
             "CPU request of each pod; a pod is placed only on a node with "
             "that much left.",
             SIM_KEY_T_CPU (S, cpu, 0)),
    SIM_KEY ("memory", "128Mi", "bytes", "a memory quantity >= 0: 128Mi, 1Gi",
             "Memory request of each pod.", SIM_KEY_T_MEMORY (S, memory, 0)),
    SIM_KEY ("cpu_limit", "none", "cores",
             "a CPU quantity > 0: 500m, 2, or none",
             "CPU limit of each pod: a pod that wants more is throttled, as "
             "CFS quotas do, and serves its requests that much slower.",
             SIM_KEY_T_CPU_OR (S, cpu_limit, 1, "none")),
    SIM_KEY ("min_ready", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "minReadySeconds: how long a pod must be ready before it "
             "counts as available.",
             SIM_KEY_T_DURATION (S, min_ready, 0)),
    SIM_KEY ("progress_deadline", "600s", "",
             "a duration greater than min_ready " SIM_KEY_DURATIONS ", or none",
             "progressDeadlineSeconds: a rollout without progress for this "
             "long is reported stalled (nothing is rolled back).",
             SIM_KEY_T_DURATION_OR_NONE (S, progress_deadline)),
    SIM_KEY ("termination_grace", "30s", "", SIM_KEY_ACCEPT_DURATION,
             "terminationGracePeriodSeconds: the longest a terminating pod "
             "may take before it is killed.",
             SIM_KEY_T_DURATION (S, termination_grace, 0)),
    SIM_KEY ("pre_stop", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "preStop sleep: a terminating pod waits this long before it "
             "shuts down, so endpoint removal can reach the balancers "
             "first.",
             SIM_KEY_T_DURATION (S, pre_stop, 0)),
    SIM_KEY ("concurrency", "10", "requests", "an integer 1..100000",
             "Requests one pod serves at once.",
             SIM_KEY_T_INT (S, concurrency, 1, 100000)),
    SIM_KEY ("queue", "100", "requests",
             "an integer 0..100000000, or unlimited",
             "Requests one pod queues beyond concurrency; more are "
             "rejected.",
             SIM_KEY_T_INT_OR (S, queue, 0, 100000000, "unlimited")),
    SIM_KEY ("toleration_seconds", "300s", "",
             SIM_KEY_ACCEPT_DURATION ", or none",
             "tolerationSeconds of the pods for the not-ready and "
             "unreachable NoExecute taints: how long they stay on a failed "
             "node once it is tainted before they are evicted; none = for "
             "ever.",
             SIM_KEY_T_DURATION_OR_NONE (S, toleration_seconds)),
    SIM_KEY ("paused", "false", "", SIM_KEY_ACCEPT_BOOL,
             "spec.paused at t = 0: a paused Deployment or Rollout rolls "
             "nothing out (the [rollout] waits for a `resume` in "
             "[timeline]); scaling still applies.",
             SIM_KEY_T_BOOL (S, paused)),
    SIM_KEY_END,
};

/* The five keys of one probe, PREFIX_period and so on, with
 * Kubernetes' defaults (SetDefaults_Probe). */
#define PROBE_ROWS(prefix, kind, what, index) \
    SIM_KEY (prefix "_period", "none", "", \
             SIM_KEY_ACCEPT_POSITIVE ", or none", \
             "periodSeconds of the " what " probe; none: no " what " probe.", \
             SIM_KEY_T_DURATION_OR_NONE (V, probes[index].period)), \
        SIM_KEY (prefix "_initial_delay", "0s", "", SIM_KEY_ACCEPT_DURATION, \
                 "initialDelaySeconds: no " what " probe before the " \
                 "container has run this long (whole seconds).", \
                 SIM_KEY_T_DURATION (V, probes[index].initial_delay, 0)), \
        SIM_KEY (prefix "_failure_threshold", "3", "probes", \
                 "an integer 1..1000", \
                 "failureThreshold: consecutive failures that " kind ".", \
                 SIM_KEY_T_INT (V, probes[index].failure_threshold, 1, 1000)), \
        SIM_KEY (prefix "_success_threshold", "1", "probes", \
                 "an integer 1..1000 (1 for liveness and startup)", \
                 "successThreshold: consecutive successes that count.", \
                 SIM_KEY_T_INT (V, probes[index].success_threshold, 1, 1000)), \
        SIM_KEY (prefix "_timeout", "1s", "", \
                 "a duration >= 1s " SIM_KEY_DURATIONS, \
                 "timeoutSeconds: a probe unanswered this long fails.", \
                 SIM_KEY_T_DURATION (V, probes[index].timeout, SIM_SEC))

static const char *const probe_path_names[] = { "dedicated", "shared", NULL };

static const SimKeyRow version_rows[] = {
    SIM_KEY ("pull", "const(2s)", "",
             ACCEPT_DIST ", or fail (the image cannot be pulled)",
             "Image pull time, paid once per node and version; fail: every "
             "pull fails (ErrImagePull, then ImagePullBackOff, 10 s doubling "
             "to 300 s between attempts).",
             SIM_KEY_T_DIST_OR (V, pull, "fail")),
    SIM_KEY ("startup", "const(5s)", "", ACCEPT_DIST,
             "Time from container start to Ready.",
             SIM_KEY_T_DIST (V, startup)),
    SIM_KEY ("service", "exp(20ms)", "", ACCEPT_DIST,
             "Service time of one request.", SIM_KEY_T_DIST (V, service)),
    SIM_KEY ("error_rate", "0", "probability", "a number 0..1",
             "Probability that a served request fails with a 5xx "
             "(app_error).",
             SIM_KEY_T_NUMBER (V, error_rate, 0.0, 1.0)),
    SIM_KEY ("crash_rate", "0", "probability", "a number 0..1",
             "Probability that a container start crashes; the pod then "
             "restarts with CrashLoopBackOff (at once, then 10 s doubling "
             "to 300 s).",
             SIM_KEY_T_NUMBER (V, crash_rate, 0.0, 1.0)),
    SIM_KEY ("cpu_per_request", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "CPU time one request uses (5ms: 100 requests/s use half a "
             "core); what the HPA's cpu metric reads.",
             SIM_KEY_T_DURATION (V, cpu_per_request, 0)),
    SIM_KEY ("cpu_idle", "0", "cores", "a CPU quantity >= 0: 20m, 0.1",
             "CPU a running container uses with no request.",
             SIM_KEY_T_CPU (V, cpu_idle, 0)),
    SIM_KEY ("cpu_startup", "0", "cores", "a CPU quantity >= 0: 500m, 1",
             "Extra CPU a container uses for startup_cpu_duration after "
             "it starts (JIT, caches warming).",
             SIM_KEY_T_CPU (V, cpu_startup, 0)),
    SIM_KEY ("startup_cpu_duration", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "How long cpu_startup lasts after each container start.",
             SIM_KEY_T_DURATION (V, startup_cpu_duration, 0)),
    SIM_KEY ("memory_usage", "0", "bytes", "a memory quantity >= 0: 200Mi",
             "Working set of a running container (what the HPA's memory "
             "metric reads).",
             SIM_KEY_T_MEMORY (V, memory_usage, 0)),
    PROBE_ROWS ("readiness", "take the pod out of its Services", "readiness",
                SIM_HEALTH_READINESS),
    PROBE_ROWS ("liveness", "restart the container", "liveness",
                SIM_HEALTH_LIVENESS),
    PROBE_ROWS ("startup", "restart the container", "startup",
                SIM_HEALTH_STARTUP),
    SIM_KEY ("hang_after", "none", "", ACCEPT_DIST ", or none",
             "How long after it starts a container stops answering (a "
             "deadlock): requests and probes then go unanswered until a "
             "liveness probe restarts it; none: never.",
             SIM_KEY_T_DIST_OR (V, hang_after, "none")),
    SIM_KEY ("probe_path", "dedicated", "", "dedicated, shared",
             "How probes reach the app: dedicated (a port or thread of "
             "their own, answered at once) or shared (they wait in the "
             "pod's queue like requests, so an overloaded pod fails them).",
             SIM_KEY_T_ENUM (V, probe_path, probe_path_names)),
    SIM_KEY_END,
};

static const SimKeyRow traffic_rows[] = {
    SIM_KEY ("rate", "50", "requests/s", "a number 0..1000000",
             "Mean arrival rate of user requests.",
             SIM_KEY_T_NUMBER (S, rate, 0.0, 1e6)),
    SIM_KEY ("arrivals", "poisson", "", "poisson, uniform",
             "Arrival process: poisson (exponential gaps) or uniform "
             "(evenly spaced).",
             SIM_KEY_T_ENUM (S, arrivals, arrivals_names)),
    SIM_KEY ("profile", "none", "", "the path of an existing CSV file, or none",
             "Rate profile: a CSV file of time_s,rate rows that sets the "
             "arrival rate over time (traffic.rate holds before the first "
             "row); relative to the scenario file.",
             SIM_KEY_T_PATH (S, profile)),
    SIM_KEY ("timeout", "10s", "", SIM_KEY_ACCEPT_POSITIVE ", or none",
             "Client timeout: a request not answered by then is a timeout; "
             "none: the client waits for ever.  0 is refused: some clients "
             "read it as no timeout, others as one at once.",
             SIM_KEY_T_DURATION_OR_NONE (S, timeout), .min = 1),
    SIM_KEY ("balancer", "random", "", "random, round-robin, least-request",
             "How a request picks a ready endpoint: random (kube-proxy "
             "iptables), round-robin (IPVS), least-request (Envoy, power "
             "of two choices).",
             SIM_KEY_T_ENUM (S, balancer, balancer_names)),
    SIM_KEY ("preview_rate", "0", "requests/s", "a number 0..1000000",
             "Arrival rate of requests to the preview Service (blue-green "
             "smoke tests).",
             SIM_KEY_T_NUMBER (S, preview_rate, 0.0, 1e6)),
    SIM_KEY ("users", "10000", "users", "an integer 1..100000000",
             "How many users send the requests: each user request belongs "
             "to one, drawn uniformly.  What is sticky per user (Flagger's "
             "A/B cohort, session affinity) follows users, and "
             "summary.csv's bad_version_users counts them.",
             SIM_KEY_T_INT (S, users, 1, 100000000)),
    SIM_KEY_END,
};

static const SimKeyRow strategy_rows[] = {
    SIM_KEY ("type", "rolling", "", "a registered strategy",
             "Which strategy runs; its settings are in [strategy.TYPE].",
             SIM_KEY_T_CHOICE (S, strategy, "strategy")),
    SIM_KEY_END,
};

static const SimKeyRow rollout_rows[] = {
    SIM_KEY ("at", "30s", "", SIM_KEY_ACCEPT_DURATION,
             "When the new version is applied: the rollout starts.",
             SIM_KEY_T_DURATION (S, rollout_at, 0)),
    SIM_KEY ("to", NULL, "",
             "the NAME of a [version.NAME] group other than "
             "deployment.version",
             "The version rolled out.  Required when [rollout] is present.",
             SIM_KEY_T_VERSION (S, rollout_to)),
    SIM_KEY_END,
};

#undef S
#undef V

static gboolean check_deployment (const SimPlaces *pl, gconstpointer settings,
                                  const SimScenario *s, GError **error);

static const SimKeyGroup scenario_group = {
    .name = "scenario",
    .doc = "The run as a whole.",
    .rows = scenario_rows,
};
static const SimKeyGroup cluster_group = {
    .name = "cluster",
    .doc = "The nodes pods are placed on, and the delays of the control "
           "plane.",
    .rows = cluster_rows,
};
static const SimKeyGroup deployment_group = {
    .name = "deployment",
    .doc = "The application's Deployment (or Rollout): its size, the "
           "resources and lifecycle of its pods, and the version running "
           "at t = 0.",
    .rows = deployment_rows,
    .check = check_deployment,
};
static const SimKeyGroup version_group = {
    .name = "version.*",
    .doc = "One group per version of the application, `[version.NAME]`, "
           "in any number up to 16; NAME is made of letters, digits, `.`, "
           "`_` and `-`.  At least one is required.",
    .rows = version_rows,
};
static const SimKeyGroup traffic_group = {
    .name = "traffic",
    .doc = "The user traffic: open-loop arrivals through the Service to "
           "the ready pods.",
    .rows = traffic_rows,
};
static const SimKeyGroup strategy_group = {
    .name = "strategy",
    .doc = "Which strategy runs.  Each strategy keeps its own settings in "
           "its own group, so one scenario can hold the settings of "
           "several and `compare --strategy` can switch between them.",
    .rows = strategy_rows,
};
static const SimKeyGroup rollout_group = {
    .name = "rollout",
    .doc = "When and to which version the application is rolled.  "
           "Optional: without this group the run is the steady state, "
           "which is what a capacity check needs.",
    .rows = rollout_rows,
};

/* --- The schema ------------------------------------------------------------------ */

/* Settings only some strategies read (sim_schema_add_readers). */
typedef struct {
    const char *group, *key; /* key NULL: the whole group */
    const char *const *strategies;
} Readers;

/* Event-log rows a module expects (sim_schema_add_rows). */
typedef struct {
    const char *group, *key;
    SimRowsFunc rows;
} Rows;

struct SimSchema {
    GArray *rows;     /* Rows */
    GPtrArray *names; /* strategy names, NULL-terminated */
    GPtrArray *data;  /* what each strategy's scenarios record */
    GPtrArray *strategy_groups;
    GPtrArray *extra_groups;
    GPtrArray *all;  /* every group, NULL-terminated */
    char *list;      /* "a, b, c" */
    GArray *readers; /* Readers */
};

static void
schema_rebuild (SimSchema *sch)
{
    const SimKeyGroup *head[] = {
        &scenario_group, &cluster_group, &deployment_group,
        &version_group,  &traffic_group, &strategy_group,
    };

    g_ptr_array_set_size (sch->all, 0);
    for (guint i = 0; i < G_N_ELEMENTS (head); i++)
        g_ptr_array_add (sch->all, (gpointer) head[i]);
    for (guint i = 0; i < sch->strategy_groups->len; i++)
        g_ptr_array_add (sch->all, sch->strategy_groups->pdata[i]);
    for (guint i = 0; i < sch->extra_groups->len; i++)
        g_ptr_array_add (sch->all, sch->extra_groups->pdata[i]);
    g_ptr_array_add (sch->all, (gpointer) &rollout_group);
    g_ptr_array_add (sch->all, NULL);

    g_free (sch->list);
    sch->list = g_strjoinv (", ", (char **) sch->names->pdata);
}

SimSchema *
sim_schema_new (void)
{
    SimSchema *sch = g_new0 (SimSchema, 1);

    sch->names = g_ptr_array_new ();
    g_ptr_array_add (sch->names, NULL);
    sch->data = g_ptr_array_new ();
    sch->strategy_groups = g_ptr_array_new ();
    sch->extra_groups = g_ptr_array_new ();
    sch->all = g_ptr_array_new ();
    sch->readers = g_array_new (FALSE, FALSE, sizeof (Readers));
    sch->rows = g_array_new (FALSE, FALSE, sizeof (Rows));
    schema_rebuild (sch);
    return sch;
}

void
sim_schema_free (SimSchema *sch)
{
    if (sch == NULL)
        return;
    g_ptr_array_unref (sch->names);
    g_ptr_array_unref (sch->data);
    g_ptr_array_unref (sch->strategy_groups);
    g_ptr_array_unref (sch->extra_groups);
    g_ptr_array_unref (sch->all);
    g_array_unref (sch->readers);
    g_array_unref (sch->rows);
    g_free (sch->list);
    g_free (sch);
}

static void
schema_add (SimSchema *sch, GPtrArray *where, const SimKeyGroup *g)
{
    g_assert (g->rows != NULL);
    /* One owner per group name. */
    g_assert (sim_key_find_group (sim_schema_groups (sch), g->name) == NULL);
    g_ptr_array_add (where, (gpointer) g);
    schema_rebuild (sch);
}

void
sim_schema_add_strategy (SimSchema *sch, const char *name,
                         const SimKeyGroup *settings, gconstpointer data)
{
    g_return_if_fail (sch != NULL && name != NULL && settings != NULL);

    g_ptr_array_insert (sch->names, (gint) sch->names->len - 1,
                        (gpointer) name);
    g_ptr_array_add (sch->data, (gpointer) data);
    schema_add (sch, sch->strategy_groups, settings);
}

void
sim_schema_add_group (SimSchema *sch, const SimKeyGroup *group)
{
    g_return_if_fail (sch != NULL && group != NULL);

    schema_add (sch, sch->extra_groups, group);
}

void
sim_schema_add_readers (SimSchema *sch, const char *group, const char *key,
                        const char *const *strategies)
{
    Readers r = { group, key, strategies };

    g_return_if_fail (sch != NULL && group != NULL && strategies != NULL);
    g_return_if_fail (
        key == NULL
            ? sim_key_find_group (sim_schema_groups (sch), group) != NULL
            : sim_key_find_row (sim_schema_groups (sch), group, key) != NULL);
    g_array_append_val (sch->readers, r);
}

void
sim_schema_add_rows (SimSchema *sch, const char *group, const char *key,
                     SimRowsFunc rows)
{
    Rows r = { group, key, rows };

    g_return_if_fail (sch != NULL && rows != NULL);
    g_return_if_fail (sim_key_find_row (sim_schema_groups (sch), group, key)
                      != NULL);
    g_array_append_val (sch->rows, r);
}

gint64
sim_scenario_expected_rows (const SimScenario *s, const char **group,
                            const char **key)
{
    gint64 sum = 0, top = 0;

    *group = *key = NULL;
    for (guint i = 0; i < s->schema->rows->len; i++) {
        const Rows *r = &g_array_index (s->schema->rows, Rows, i);
        gint64 n = MAX (r->rows (s), 0);

        sum += MIN (n, G_MAXINT64 / 4 - sum);
        if (n > top) {
            top = n;
            *group = r->group;
            *key = r->key;
        }
    }
    return sum;
}

const SimKeyGroup *const *
sim_schema_groups (const SimSchema *sch)
{
    return (const SimKeyGroup *const *) sch->all->pdata;
}

const char *const *
sim_schema_strategies (const SimSchema *sch)
{
    return (const char *const *) sch->names->pdata;
}

const char *
sim_schema_strategy_list (const SimSchema *sch)
{
    return sch->list;
}

static gint
group_index (const SimSchema *sch, const SimKeyGroup *g)
{
    for (guint i = 0; i + 1 < sch->all->len; i++)
        if (sch->all->pdata[i] == g)
            return (gint) i;
    return -1;
}

/* What the loader passes to every parse. */
static void
parse_init (SimKeyParse *p, const SimSchema *sch, const char *dir)
{
    memset (p, 0, sizeof *p);
    p->dir = dir;
    p->choices = sim_schema_strategies (sch);
}

/* What a row accepts, for messages: choices are the schema's. */
static const char *
row_accepted (const SimSchema *sch, const SimKeyRow *row)
{
    return row->kind == &sim_key_choice ? sim_schema_strategy_list (sch)
                                        : row->accepted;
}

/* --- One load --------------------------------------------------------------------- */

typedef struct {
    const SimSchema *schema;
    const SimKeyGroup *const *groups;
    SimPlaces places;
} Load;

/* Set @error and return FALSE: for failures that name no key. */
static gboolean fail (GError **error, SimScenarioError code, const char *fmt,
                      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, SimScenarioError code, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    g_propagate_error (error,
                       g_error_new_valist (SIM_SCENARIO_ERROR, code, fmt, ap));
    va_end (ap);
    return FALSE;
}

/* One "GROUP.KEY=VALUE": the last dot before '=' separates group and
 * key.  The key must exist; the group may be new.  "GROUP.KEY+=ITEMS"
 * appends to a list (`--at` is timeline.actions+=...). */
static gboolean
apply_override (Load *ld, GKeyFile *kf, const char *assignment, GError **error)
{
    const char *eq = strchr (assignment, '=');
    g_autofree char *lhs = NULL;
    g_autofree char *group = NULL;
    g_autofree char *value = NULL;
    g_autoptr (SimOrigin) origin = NULL;
    const char *dot, *key;
    const SimKeyRow *row;
    gboolean append;

    if (eq == NULL)
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: expected GROUP.KEY=VALUE", assignment);
    append = eq > assignment && eq[-1] == '+';
    lhs = g_strstrip (g_strndup (assignment, eq - assignment - append));
    dot = strrchr (lhs, '.');
    if (dot == NULL || dot == lhs || dot[1] == '\0')
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: expected GROUP.KEY=VALUE (the last dot "
                     "separates group and key)",
                     assignment);
    group = g_strndup (lhs, dot - lhs);
    key = dot + 1;
    row = sim_key_find_row (ld->groups, group, key);
    if (row == NULL) {
        g_autofree char *hint = sim_key_hint_key (ld->groups, group, key);

        return fail (error, SIM_SCENARIO_ERROR_UNKNOWN,
                     "--set %s: %s.%s: unknown key%s", assignment, group, key,
                     hint);
    }
    if (append && row->kind != &sim_key_list)
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: %s.%s: += adds to a list, and this key is "
                     "not one (accepted: %s.%s=VALUE)",
                     assignment, group, key, group, key);
    /* A command line has no comments: a " #" is refused rather than
     * cut, since the resolved scenario.ini could not hold it either. */
    value = g_strstrip (g_strdup (eq + 1));
    if (strstr (value, " #") != NULL || strstr (value, "\t#") != NULL
        || value[0] == '#')
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: %s.%s: a value cannot hold \"#\" at its "
                     "start or after a blank (a scenario file reads the "
                     "rest as a comment)",
                     assignment, group, key);
    if (sim_key_has_control_chars (value))
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "--set %s: %s.%s: the value must be one line of "
                     "printable text",
                     assignment, group, key);
    if (append && g_key_file_has_key (kf, group, key, NULL)) {
        g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
        g_autofree char *had = sim_key_clean_value (raw != NULL ? raw : "");

        if (had[0] != '\0') {
            char *both = g_strconcat (had, "; ", value, NULL);

            g_free (value);
            value = both;
        }
    }
    origin = sim_origin_new_set (assignment);
    sim_places_record (&ld->places, group, key,
                       !g_key_file_has_group (kf, group), origin);
    g_key_file_set_value (kf, group, key, value);
    return TRUE;
}

/* An assignment from an imported file: as an override, with its
 * origin. */
static gboolean
apply_assignment (Load *ld, GKeyFile *kf, const SimAssignment *a,
                  GError **error)
{
    g_autofree char *where = sim_origin_format (a->origin);
    g_autofree char *value = NULL;
    gboolean is_new = !g_key_file_has_group (kf, a->group);

    if (a->key == NULL) {
        if (is_new) {
            /* GKeyFile has no call that adds an empty group. */
            g_key_file_set_value (kf, a->group, "-", "");
            g_key_file_remove_key (kf, a->group, "-", NULL);
            sim_places_record (&ld->places, a->group, NULL, TRUE, a->origin);
        }
        return TRUE;
    }
    if (sim_key_find_row (ld->groups, a->group, a->key) == NULL) {
        g_autofree char *hint = sim_key_hint_key (ld->groups, a->group, a->key);

        return fail (error, SIM_SCENARIO_ERROR_UNKNOWN,
                     "%s: %s.%s: unknown key%s", where, a->group, a->key, hint);
    }
    value = sim_key_clean_value (a->value);
    if (sim_key_has_control_chars (value))
        return fail (error, SIM_SCENARIO_ERROR_INVALID,
                     "%s: %s.%s: the value must be one line of printable "
                     "text",
                     where, a->group, a->key);
    sim_places_record (&ld->places, a->group, a->key, is_new, a->origin);
    g_key_file_set_value (kf, a->group, a->key, value);
    return TRUE;
}

/* Every group and key known; version groups well named and not too
 * many. */
static gboolean
check_names (Load *ld, GKeyFile *kf, GError **error)
{
    g_auto (GStrv) names = g_key_file_get_groups (kf, NULL);
    const SimPlaces *pl = &ld->places;
    gint n_versions = 0;

    for (guint i = 0; names[i] != NULL; i++) {
        const char *group = names[i];
        const SimKeyGroup *g = sim_key_find_group (ld->groups, group);

        if (g == &version_group) {
            if (!sim_key_valid_name (group + strlen ("version.")))
                return sim_places_group_error (
                    pl, error, SIM_SCENARIO_ERROR_INVALID, group,
                    "bad version name (accepted: [version.NAME], NAME of "
                    "at most %d letters, digits, '.', '_', '-')",
                    SIM_KEY_NAME_MAX);
            if (++n_versions > SIM_MAX_VERSIONS)
                return sim_places_group_error (
                    pl, error, SIM_SCENARIO_ERROR_INVALID, group,
                    "too many versions (accepted: at most %d "
                    "[version.NAME] groups)",
                    SIM_MAX_VERSIONS);
        } else if (strcmp (group, "version") == 0) {
            return sim_places_group_error (pl, error,
                                           SIM_SCENARIO_ERROR_UNKNOWN, group,
                                           "a version group needs a name "
                                           "(accepted: [version.NAME])");
        } else if (g == NULL) {
            g_autofree char *hint = sim_key_hint_group (ld->groups, group);

            return sim_places_group_error (pl, error,
                                           SIM_SCENARIO_ERROR_UNKNOWN, group,
                                           "unknown group%s", hint);
        }

        g_auto (GStrv) ks = g_key_file_get_keys (kf, group, NULL, NULL);
        for (guint j = 0; ks[j] != NULL; j++) {
            if (sim_key_group_row (g, ks[j]) == NULL) {
                g_autofree char *hint = sim_key_hint_key (ld->groups, group,
                                                          ks[j]);

                return sim_places_key_error (pl, error,
                                             SIM_SCENARIO_ERROR_UNKNOWN, group,
                                             ks[j], NULL, "unknown key%s",
                                             hint);
            }
        }
    }
    return TRUE;
}

/* --- Building and checking a scenario ------------------------------------- */

/* The settings struct group @g fills in @s, for version groups that of
 * version @group. */
static gpointer
group_base (SimScenario *s, const SimKeyGroup *g, const char *group)
{
    if (g == &version_group) {
        gint v = sim_scenario_find_version (s, group + strlen ("version."));

        g_assert (v >= 0);
        return &s->versions[v];
    }
    if (g->size == 0)
        return s;
    return s->groups[group_index (s->schema, g)];
}

static void
add_version (SimScenario *s, const char *name)
{
    SimVersionSpec *v = &s->versions[s->n_versions++];

    g_assert (s->n_versions <= SIM_MAX_VERSIONS);
    v->name = g_strdup (name);
    sim_key_rows_defaults (version_rows, v);
}

/* The file's base name without ".ini", for [scenario] name.  The name
 * is written into the resolved scenario, which must read back as the
 * same name, so what a value cannot hold becomes '_': a byte that is not
 * UTF-8 (a Latin-1 file name), a control character, and a '#' after a
 * blank (the start of a comment): "web #1.ini" and "web #2.ini" stay
 * two names. */
static char *
default_name (const char *path)
{
    g_autofree char *file = g_path_get_basename (path);
    GString *name = g_string_new (NULL);
    const char *p;

    if (g_str_has_suffix (file, ".ini") && strlen (file) > 4)
        file[strlen (file) - 4] = '\0';
    p = file;
    while (*p != '\0') {
        gunichar c = g_utf8_get_char_validated (p, -1);

        if (c == (gunichar) -1 || c == (gunichar) -2) {
            g_string_append_c (name, '_');
            p++;
            continue;
        }
        if (c < 0x20 || c == 0x7f
            || (c == '#' && name->len > 0
                && (name->str[name->len - 1] == ' '
                    || name->str[name->len - 1] == '\t')))
            g_string_append_c (name, '_');
        else
            g_string_append_unichar (name, c);
        p = g_utf8_next_char (p);
    }
    g_strstrip (name->str);
    if (name->str[0] == '\0' || name->str[0] == '#'
        || strcmp (name->str, ".") == 0 || strcmp (name->str, "/") == 0
        || strcmp (name->str, "..") == 0) {
        g_string_free (name, TRUE);
        return g_strdup ("scenario");
    }
    return g_string_free (name, FALSE);
}

static gboolean
parse_value (Load *ld, GKeyFile *kf, SimScenario *s, const char *group,
             const char *key, GError **error)
{
    const SimKeyGroup *g = sim_key_find_group (ld->groups, group);
    const SimKeyRow *row = sim_key_group_row (g, key);
    g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
    g_autofree char *value = sim_key_clean_value (raw != NULL ? raw : "");
    g_autofree char *dir = sim_places_dir (&ld->places, group, key);
    SimKeyParse p;
    gboolean ok;

    parse_init (&p, ld->schema, dir);
    ok = sim_key_parse (row, group_base (s, g, group), value, &p);
    if (!ok)
        sim_places_key_error (
            &ld->places, error, SIM_SCENARIO_ERROR_INVALID, group, key,
            p.explained ? NULL : row_accepted (ld->schema, row), "%s", p.why);
    g_free (p.why);
    return ok;
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
        g_string_append (out,
                         except != NULL
                             ? "another [version.NAME] group; there is none"
                             : "the NAME of a [version.NAME] group; there is "
                               "none");
    return g_string_free (out, FALSE);
}

/* progressDeadlineSeconds must exceed minReadySeconds (the API server's
 * validation); a strategy group with a deadline of its own checks it
 * with sim_scenario_check_deadline too. */
static gboolean
check_deployment (const SimPlaces *pl, gconstpointer settings,
                  const SimScenario *s, GError **error)
{
    const char *n = s->deployment_name;
    gsize len = strlen (n);
    gboolean ok = len >= 1 && len <= 63 && g_ascii_isalnum (n[0])
                  && g_ascii_isalnum (n[len - 1]);

    /* A DNS name, as the API server requires of metadata.name. */
    for (gsize i = 0; ok && i < len; i++)
        ok = g_ascii_islower (n[i]) || g_ascii_isdigit (n[i]) || n[i] == '-'
             || n[i] == '.';
    if (!ok)
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_INVALID, "deployment", "name",
            sim_key_group_row (&deployment_group, "name")->accepted,
            "\"%s\" is not a Deployment name", n);
    return sim_scenario_check_deadline (pl, "deployment", s->progress_deadline,
                                        s, error);
}

gboolean
sim_scenario_check_deadline (const SimPlaces *pl, const char *group,
                             SimTime deadline, const SimScenario *s,
                             GError **error)
{
    g_autofree char *mr = NULL;
    g_autofree char *pd = NULL;

    if (deadline == SIM_TIME_NEVER || deadline > s->min_ready)
        return TRUE;
    mr = sim_units_format_duration (s->min_ready);
    pd = sim_units_format_duration (deadline);
    if (sim_places_rank (pl, "deployment", "min_ready")
        > sim_places_rank (pl, group, "progress_deadline"))
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "deployment", "min_ready",
                                     SIM_KEY_ACCEPT_DURATION,
                                     "%s: must be less than "
                                     "%s.progress_deadline (%s)",
                                     mr, group, pd);
    return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT, group,
                                 "progress_deadline",
                                 "a duration greater than "
                                 "deployment.min_ready " SIM_KEY_DURATIONS
                                 ", or none",
                                 "%s: must be greater than "
                                 "deployment.min_ready (%s)",
                                 pd, mr);
}

gboolean
sim_scenario_check_surge (const SimPlaces *pl, const char *group,
                          SimIntOrPercent surge, SimIntOrPercent unavailable,
                          GError **error)
{
    if (surge.value != 0 || unavailable.value != 0)
        return TRUE;
    if (sim_places_rank (pl, group, "max_surge")
        > sim_places_rank (pl, group, "max_unavailable"))
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     group, "max_surge", SIM_KEY_ACCEPT_SURGE,
                                     "may not be 0 when max_unavailable is "
                                     "0");
    return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT, group,
                                 "max_unavailable", SIM_KEY_ACCEPT_UNAVAILABLE,
                                 "may not be 0 when max_surge is 0");
}

/* The checks of the core groups that involve more than one key. */
static gboolean
check_core (Load *ld, SimScenario *s, GError **error)
{
    const SimPlaces *pl = &ld->places;

    if (s->version == NULL) {
        g_autofree char *acc = version_list (s, NULL);

        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                     "deployment", "version", acc,
                                     "required key is missing");
    }
    s->version_index = sim_scenario_find_version (s, s->version);
    if (s->version_index < 0) {
        g_autofree char *acc = version_list (s, NULL);

        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                     "deployment", "version", acc,
                                     "no [version.%s] group", s->version);
    }
    s->rollout_to_index = -1;
    if (s->has_rollout) {
        g_autofree char *acc = version_list (s, s->version);

        if (s->rollout_to == NULL)
            return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                         "rollout", "to", acc,
                                         "required key is missing");
        s->rollout_to_index = sim_scenario_find_version (s, s->rollout_to);
        if (s->rollout_to_index < 0)
            return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                         "rollout", "to", acc,
                                         "no [version.%s] group",
                                         s->rollout_to);
        if (s->rollout_to_index == s->version_index)
            return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                         "rollout", "to", acc,
                                         "%s is already running "
                                         "(deployment.version)",
                                         s->rollout_to);
    }
    /* validateLivenessProbe, validateStartupProbe: successThreshold 1. */
    for (gint v = 0; v < s->n_versions; v++) {
        static const char *const keys[] = { NULL, "liveness_success_threshold",
                                            "startup_success_threshold" };

        for (gint k = SIM_HEALTH_LIVENESS; k < SIM_HEALTH_N; k++) {
            g_autofree char *group = NULL;

            if (s->versions[v].probes[k].success_threshold == 1)
                continue;
            group = g_strconcat ("version.", s->versions[v].name, NULL);
            return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                         group, keys[k], "1",
                                         "must be 1 (Kubernetes' validation)");
        }
    }
    /* The profile is read now, so `check` finds what `run` would. */
    g_clear_pointer (&s->profile_steps, g_free);
    s->n_profile_steps = 0;
    if (s->profile != NULL) {
        GError *err = NULL;

        s->profile_steps = sim_profile_load (s->profile, &s->n_profile_steps,
                                             &err);
        if (s->profile_steps == NULL && err != NULL) {
            /* A bad row's message says what rows are accepted; a file
             * that cannot be read is told what the key accepts. */
            gboolean ok = sim_places_key_error (
                pl, error, SIM_SCENARIO_ERROR_INVALID, "traffic", "profile",
                err->code != SIM_SCENARIO_ERROR_IO
                    ? NULL
                    : "a CSV file of time_s,rate rows",
                "%s", err->message);

            g_error_free (err);
            return ok;
        }
    }
    if (s->duration / s->sample > 1000000)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "scenario", "sample",
                                     "a step giving at most 1000000 steps "
                                     "per run",
                                     "%" G_GINT64_FORMAT " steps over the "
                                     "duration are too many",
                                     s->duration / s->sample);
    if (s->has_rollout && s->rollout_at >= s->duration) {
        g_autofree char *d = sim_units_format_duration (s->duration);

        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "rollout", "at",
                                     "a time before scenario.duration",
                                     "the rollout would start after the run "
                                     "ends (duration %s)",
                                     d);
    }
    /* A pod that fits no node can never run: the warm start at t = 0
     * promises running pods. */
    if (s->cpu > s->node_cpu)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "deployment", "cpu",
                                     "at most cluster.node_cpu",
                                     "a pod asks for more CPU than a node "
                                     "has");
    if (s->memory > s->node_memory)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "deployment", "memory",
                                     "at most cluster.node_memory",
                                     "a pod asks for more memory than a "
                                     "node has");
    /* Last: the estimate reads every value above. */
    return sim_memory_check (pl, s, error);
}

/* Each group's own checks, in schema order, then the running strategy's
 * validation, named at its group's header if it is written, else at the
 * strategy.type that chose it. */
static gboolean
check_scenario (Load *ld, SimScenario *s, GError **error)
{
    const SimPlaces *pl = &ld->places;
    g_autofree char *own = NULL;
    const SimKeyGroup *g;
    const SimKeyRow *row;
    GError *err = NULL;

    if (!check_core (ld, s, error))
        return FALSE;
    /* Group checks may ask which strategy runs. */
    for (guint i = 0; i < s->schema->names->len - 1; i++)
        if (strcmp (s->schema->names->pdata[i], s->strategy) == 0)
            s->strategy_class = s->schema->data->pdata[i];
    for (guint i = 0; ld->groups[i] != NULL; i++) {
        g = ld->groups[i];
        if (g->check != NULL
            && !g->check (pl, group_base (s, g, g->name), s, error))
            return FALSE;
    }
    own = g_strconcat ("strategy.", s->strategy, NULL);
    g = sim_key_find_group (ld->groups, own);
    g_assert (g != NULL);
    /* A strategy group's own progressDeadlineSeconds must exceed
     * minReadySeconds, as the API server says - only for the strategy
     * that runs: a rolling scenario is not refused for the deadline of
     * a canary it does not run (robustness review F24). */
    if ((row = sim_key_group_row (g, "progress_deadline")) != NULL
        && row->kind == &sim_key_duration
        && !sim_scenario_check_deadline (
            pl, own,
            *(const SimTime *) ((const char *) group_base (s, g, own)
                                + row->offset),
            s, error))
        return FALSE;
    if (g->validate == NULL
        || g->validate (pl, group_base (s, g, own), s, &err))
        return TRUE;
    g_autofree char *loc = sim_places_rank (pl, own, NULL) > 0
                               ? sim_places_where (pl, own, NULL)
                               : sim_places_where (pl, "strategy", "type");
    g_propagate_prefixed_error (error, err, "%s: ", loc);
    return FALSE;
}

static SimScenario *
scenario_new (const SimSchema *sch)
{
    SimScenario *s = g_new0 (SimScenario, 1);
    const SimKeyGroup *const *groups = sim_schema_groups (sch);

    s->schema = sch;
    s->groups = g_new0 (gpointer, sch->all->len);
    for (guint i = 0; groups[i] != NULL; i++) {
        if (groups[i]->size == 0) {
            if (groups[i] != &version_group)
                sim_key_rows_defaults (groups[i]->rows, s);
            continue;
        }
        s->groups[i] = g_malloc0 (groups[i]->size);
        sim_key_rows_defaults (groups[i]->rows, s->groups[i]);
    }
    return s;
}

/* --- Warnings ---------------------------------------------------------- */

/* The first key of @g (or @key alone) written with a value other than
 * its default, or NULL. */
static const char *
written_key (Load *ld, const SimScenario *s, const SimScenario *def,
             const SimKeyGroup *g, const char *key)
{
    for (const SimKeyRow *row = g->rows; row->key != NULL; row++) {
        g_autofree char *v = NULL;
        g_autofree char *d = NULL;

        if ((key != NULL && strcmp (row->key, key) != 0)
            || sim_places_rank (&ld->places, g->name, row->key) == 0)
            continue;
        v = sim_key_format (row, group_base ((SimScenario *) s, g, g->name));
        d = sim_key_format (row, group_base ((SimScenario *) def, g, g->name));
        if (strcmp (v, d) != 0)
            return row->key;
    }
    return NULL;
}

/* Whether an entry for all of @group leaves @strategy out. */
static gboolean
group_unread (Load *ld, const char *group, const char *strategy)
{
    for (guint i = 0; i < ld->schema->readers->len; i++) {
        const Readers *r = &g_array_index (ld->schema->readers, Readers, i);

        if (r->key == NULL && g_strcmp0 (r->group, group) == 0
            && !g_strv_contains (r->strategies, strategy))
            return TRUE;
    }
    return FALSE;
}

/* Settings the running strategy never reads (newcomer audit D14).  The
 * text does not name the strategy: compare reports the warnings all its
 * variants share. */
static void
unread_settings (Load *ld, const SimScenario *s, GPtrArray *out)
{
    g_autoptr (SimScenario) def = scenario_new (ld->schema);

    for (guint i = 0; i < ld->schema->readers->len; i++) {
        const Readers *r = &g_array_index (ld->schema->readers, Readers, i);
        const SimKeyGroup *g = sim_key_find_group (ld->groups, r->group);
        const char *key;
        g_autofree char *where = NULL;
        g_autofree char *who = NULL;

        if (g_strv_contains (r->strategies, s->strategy)
            || (key = written_key (ld, s, def, g, r->key)) == NULL)
            continue;
        /* A key of a group the strategy does not read at all: the
         * group's own entry says so, once. */
        if (r->key != NULL && group_unread (ld, r->group, s->strategy))
            continue;
        where = sim_places_where (&ld->places, g->name, key);
        who = g_strjoinv (", ", (char **) r->strategies);
        g_ptr_array_add (
            out,
            r->key != NULL
                ? g_strdup_printf ("%s: %s.%s: written, but only the %s "
                                   "strategy reads it",
                                   where, g->name, key, who)
                : g_strdup_printf ("%s: [%s]: written (%s.%s), but only the "
                                   "%s strategies read it",
                                   where, g->name, g->name, key, who));
    }
}

/* Initial pods the nodes cannot all hold (newcomer audit D12): they
 * start Pending.  Pods of one size on nodes of one size: each node holds
 * as many as both its CPU and its memory allow. */
static void
unplaced_pods (Load *ld, const SimScenario *s, GPtrArray *out)
{
    gint64 by_cpu = s->cpu > 0 ? s->node_cpu / s->cpu : G_MAXINT;
    gint64 by_mem = s->memory > 0 ? s->node_memory / s->memory : G_MAXINT;
    gint64 fit = MIN (by_cpu, by_mem) * s->nodes;
    g_autofree char *where = NULL;

    if (s->replicas <= fit)
        return;
    where = sim_places_where (&ld->places, "deployment", "replicas");
    g_ptr_array_add (
        out,
        g_strdup_printf ("%s: deployment.replicas: %d initial pods, but the "
                         "%d node(s) hold %" G_GINT64_FORMAT " (short of %s): "
                         "%" G_GINT64_FORMAT " start Pending",
                         where, s->replicas, s->nodes, fit,
                         by_cpu <= by_mem ? "cpu" : "memory",
                         s->replicas - fit));
}

/* A run that will take long (the robustness review's F16): the requests
 * it simulates, the rate integrated over the run (a profile's steps,
 * traffic.rate before the first), against about 5 million a second on
 * one core, what `make bench` measures on a small machine. */
#define LONG_RUN_REQUESTS 3e9
#define REQUESTS_PER_SECOND 5e6

static void
long_run (Load *ld, const SimScenario *s, GPtrArray *out)
{
    double requests = 0, rate = s->rate;
    SimTime from = 0;
    g_autofree char *where = NULL;

    for (gint i = 0; i <= s->n_profile_steps; i++) {
        SimTime to = i < s->n_profile_steps
                         ? MIN (s->profile_steps[i].time, s->duration)
                         : s->duration;

        if (to > from)
            requests += rate * SIM_TIME_TO_SEC (to - from);
        from = MAX (from, to);
        if (i < s->n_profile_steps)
            rate = s->profile_steps[i].rate;
    }
    if (requests < LONG_RUN_REQUESTS)
        return;
    where = sim_places_where (&ld->places, "traffic", "rate");
    g_ptr_array_add (
        out,
        g_strdup_printf ("%s: traffic.rate: about %.2g requests over "
                         "scenario.duration: roughly %.0f minutes at "
                         "5 million a second on one core (a shorter "
                         "duration or a lower rate runs sooner)",
                         where, requests, requests / REQUESTS_PER_SECOND / 60));
}

/* What the running strategy's own group says of its settings. */
static void
strategy_warnings (Load *ld, const SimScenario *s, GPtrArray *out)
{
    g_autofree char *own = g_strconcat ("strategy.", s->strategy, NULL);
    const SimKeyGroup *g = sim_key_find_group (ld->groups, own);

    if (g != NULL && g->warn != NULL)
        g->warn (&ld->places, group_base ((SimScenario *) s, g, own), s, out);
}

static char **
collect_warnings (Load *ld, const SimScenario *s)
{
    GPtrArray *out = g_ptr_array_new ();

    unread_settings (ld, s, out);
    unplaced_pods (ld, s, out);
    strategy_warnings (ld, s, out);
    long_run (ld, s, out);
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_free (out, FALSE);
}

static SimScenario *
build (Load *ld, GKeyFile *kf, GError **error)
{
    g_autoptr (SimScenario) s = scenario_new (ld->schema);
    g_auto (GStrv) names = g_key_file_get_groups (kf, NULL);

    s->path = g_strdup (ld->places.path);
    s->name = default_name (ld->places.path);
    for (guint i = 0; names[i] != NULL; i++)
        if (sim_key_find_group (ld->groups, names[i]) == &version_group)
            add_version (s, names[i] + strlen ("version."));
    s->has_rollout = g_key_file_has_group (kf, "rollout");

    for (guint i = 0; names[i] != NULL; i++) {
        g_auto (GStrv) ks = g_key_file_get_keys (kf, names[i], NULL, NULL);

        for (guint j = 0; ks[j] != NULL; j++)
            if (!parse_value (ld, kf, s, names[i], ks[j], error))
                return NULL;
    }
    if (!check_scenario (ld, s, error))
        return NULL;
    s->warnings = collect_warnings (ld, s);
    return g_steal_pointer (&s);
}

static SimScenario *
load_text (const SimSchema *sch, const char *data, const char *path,
           gboolean use_lines, const SimAssignment *assignments, gsize n,
           const char *const *overrides, GError **error)
{
    g_autoptr (GKeyFile) kf = NULL;
    SimScenario *s = NULL;
    Load ld = { .schema = sch, .groups = sim_schema_groups (sch) };

    sim_places_init (&ld.places, path, use_lines);
    kf = sim_places_read (&ld.places, data, error);
    if (kf == NULL || !check_names (&ld, kf, error))
        goto out;
    for (gsize i = 0; i < n; i++)
        if (!apply_assignment (&ld, kf, &assignments[i], error))
            goto out;
    for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
        if (!apply_override (&ld, kf, overrides[i], error))
            goto out;
    if (!check_names (&ld, kf, error))
        goto out;
    s = build (&ld, kf, error);
out:
    sim_places_clear (&ld.places);
    return s;
}

/* --- Public API ----------------------------------------------------------- */

SimScenario *
sim_scenario_load_data (const SimSchema *schema, const char *data,
                        const char *path, const char *const *overrides,
                        GError **error)
{
    g_return_val_if_fail (schema != NULL, NULL);
    g_return_val_if_fail (data != NULL, NULL);
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    return load_text (schema, data, path, TRUE, NULL, 0, overrides, error);
}

SimScenario *
sim_scenario_load_assignments (const SimSchema *schema, const char *data,
                               const char *path,
                               const SimAssignment *assignments,
                               gsize n_assignments,
                               const char *const *overrides, GError **error)
{
    g_return_val_if_fail (schema != NULL, NULL);
    g_return_val_if_fail (data != NULL, NULL);
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (assignments != NULL || n_assignments == 0, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    return load_text (schema, data, path, TRUE, assignments, n_assignments,
                      overrides, error);
}

SimScenario *
sim_scenario_load (const SimSchema *schema, const char *path,
                   const char *const *overrides, GError **error)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    g_return_val_if_fail (schema != NULL, NULL);
    g_return_val_if_fail (path != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    data = sim_key_read_file (path, "a scenario", SIM_KEY_FILE_MAX, &len,
                              error);
    if (data == NULL)
        return NULL;
    if (memchr (data, '\0', len) != NULL) {
        /* Notepad's "Unicode" is UTF-16: say so, not just "binary". */
        gboolean utf16 = len >= 2
                         && (((guchar) data[0] == 0xFF
                              && (guchar) data[1] == 0xFE)
                             || ((guchar) data[0] == 0xFE
                                 && (guchar) data[1] == 0xFF));

        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     utf16 ? "%s: UTF-16 text: save the scenario as UTF-8"
                           : "%s: not a text file (it holds a NUL byte)",
                     path);
        return NULL;
    }
    return load_text (schema, data, path, TRUE, NULL, 0, overrides, error);
}

SimScenario *
sim_scenario_load_builtin (const SimSchema *schema,
                           const char *const *overrides, GError **error)
{
    g_return_val_if_fail (schema != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    return load_text (schema, sim_seed_scenario_text, BUILTIN_PATH, TRUE, NULL,
                      0, overrides, error);
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
    const SimKeyGroup *const *groups = sim_schema_groups (s->schema);

    for (guint i = 0; groups[i] != NULL; i++) {
        if (groups[i] == &version_group) {
            for (gint v = 0; v < s->n_versions; v++)
                sim_key_rows_clear (version_rows, &s->versions[v]);
        } else if (groups[i]->size == 0) {
            sim_key_rows_clear (groups[i]->rows, s);
        } else if (s->groups[i] != NULL) {
            sim_key_rows_clear (groups[i]->rows, s->groups[i]);
            g_free (s->groups[i]);
        }
    }
    for (gint v = 0; v < s->n_versions; v++)
        g_free (s->versions[v].name);
    g_free (s->groups);
    g_free (s->profile_steps);
    g_free (s->path);
    g_strfreev (s->warnings);
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
    const SimKeyGroup *const *groups;
    SimScenario *c;

    g_return_val_if_fail (s != NULL, NULL);

    groups = sim_schema_groups (s->schema);
    c = g_memdup2 (s, sizeof *s);
    c->groups = g_new0 (gpointer, s->schema->all->len);
    for (guint i = 0; groups[i] != NULL; i++) {
        if (groups[i] == &version_group) {
            for (gint v = 0; v < s->n_versions; v++)
                sim_key_rows_dup (version_rows, &c->versions[v]);
        } else if (groups[i]->size == 0) {
            sim_key_rows_dup (groups[i]->rows, c);
        } else {
            c->groups[i] = g_memdup2 (s->groups[i], groups[i]->size);
            sim_key_rows_dup (groups[i]->rows, c->groups[i]);
        }
    }
    for (gint v = 0; v < s->n_versions; v++)
        c->versions[v].name = g_strdup (s->versions[v].name);
    c->profile_steps = s->n_profile_steps > 0
                           ? g_memdup2 (s->profile_steps,
                                        sizeof (SimRateStep)
                                            * (gsize) s->n_profile_steps)
                           : NULL;
    c->path = g_strdup (s->path);
    c->warnings = g_strdupv (s->warnings);
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
    n = load_text (s->schema, text, s->path, FALSE, NULL, 0, overrides, error);
    if (n == NULL)
        return FALSE;
    scenario_clear (s);
    *s = *n;
    g_free (n);
    return TRUE;
}

gconstpointer
sim_scenario_group (const SimScenario *s, const SimKeyGroup *g)
{
    gint i;

    g_return_val_if_fail (s != NULL && g != NULL, NULL);
    i = group_index (s->schema, g);
    g_return_val_if_fail (i >= 0, NULL);
    return s->groups[i];
}

gconstpointer
sim_scenario_group_if (const SimScenario *s, const SimKeyGroup *g)
{
    gint i;

    g_return_val_if_fail (s != NULL && g != NULL, NULL);
    i = group_index (s->schema, g);
    return i >= 0 ? s->groups[i] : NULL;
}

const SimSchema *
sim_scenario_schema (const SimScenario *s)
{
    return s->schema;
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
append_group (GString *out, const SimKeyRow *rows, const char *group,
              gconstpointer base)
{
    g_string_append_printf (out, "\n[%s]\n", group);
    for (const SimKeyRow *row = rows; row->key != NULL; row++) {
        g_autofree char *v = sim_key_format (row, base);

        /* No trailing blank after an empty value. */
        g_string_append_printf (out, "%s =%s%s\n", row->key,
                                v[0] != '\0' ? " " : "", v);
    }
}

char *
sim_scenario_to_ini (const SimScenario *s)
{
    const SimKeyGroup *const *groups;
    GString *out;

    g_return_val_if_fail (s != NULL, NULL);

    groups = sim_schema_groups (s->schema);
    out = g_string_new ("# The resolved scenario: every key with its value, "
                        "defaults filled in.\n"
                        "# Running it again reproduces the run.\n");
    for (guint i = 0; groups[i] != NULL; i++) {
        const SimKeyGroup *g = groups[i];

        if (g == &version_group) {
            for (gint v = 0; v < s->n_versions; v++) {
                g_autofree char *group = g_strconcat ("version.",
                                                      s->versions[v].name,
                                                      NULL);

                append_group (out, g->rows, group, &s->versions[v]);
            }
        } else if (g != &rollout_group || s->has_rollout) {
            append_group (out, g->rows, g->name,
                          g->size == 0 ? (gconstpointer) s : s->groups[i]);
        }
    }
    return g_string_free (out, FALSE);
}
