/* scenario.h - a scenario: every setting of one simulation, loaded from a
 * GKeyFile (.ini) and validated.
 *
 * The settings come in groups ([deployment], [strategy.canary], ...), each
 * a table of keys (keytab.h).  The loader owns the core groups - scenario,
 * cluster, deployment, version.NAME, traffic, strategy, rollout - whose
 * values are the fields of SimScenario below.  Every other group is owned
 * by the module that uses it (a strategy's by the strategy, [analysis] by
 * analysis.c), which reads its settings with sim_scenario_group(); the
 * loader is handed those groups in a schema by whoever assembles the
 * program (cli.c), and never reaches for them itself.
 *
 * Loading, validation, --set overrides, `rollsim check`, the resolved
 * scenario.ini and docs/scenario-reference.md all come from the tables,
 * so they cannot drift apart.  A SimScenario is plain data: once loaded
 * it is never changed by a run, and several runs may share it read-only.
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
#include "keytab.h"

typedef struct SimSchema SimSchema;
typedef struct SimOrigin SimOrigin; /* scenario-place.h */

/* Most versions one scenario may declare. */
#define SIM_MAX_VERSIONS 16
/* Most pods deployment.replicas may ask for; a strategy's own counts
 * (a canary scale, a preview) are capped the same. */
#define SIM_MAX_REPLICAS 100000

typedef enum {
    SIM_ARRIVALS_POISSON,
    SIM_ARRIVALS_UNIFORM,
} SimArrivals;

typedef enum {
    SIM_BALANCER_RANDOM,        /* kube-proxy iptables */
    SIM_BALANCER_ROUND_ROBIN,   /* IPVS */
    SIM_BALANCER_LEAST_REQUEST, /* Envoy: power of two choices */
} SimBalancer;

/* The kubelet's probes of a container (docs/design.md H4). */
typedef enum {
    SIM_HEALTH_READINESS,
    SIM_HEALTH_LIVENESS,
    SIM_HEALTH_STARTUP,
    SIM_HEALTH_N
} SimHealthProbeType;

typedef struct SimHealthProbeSpec {
    SimTime period; /* periodSeconds; SIM_TIME_NEVER: no probe */
    SimTime initial_delay;
    gint failure_threshold, success_threshold;
    SimTime timeout;
} SimHealthProbeSpec;

typedef enum {
    SIM_PROBE_PATH_DEDICATED, /* answered apart from the requests */
    SIM_PROBE_PATH_SHARED,    /* waits in the pod's queue like one */
} SimProbePath;

/* [version.NAME] */
typedef struct SimVersionSpec {
    char *name;
    SimDist pull;      /* image pull, paid once per node and version */
    SimDist startup;   /* from container start to Ready */
    SimDist service;   /* service time of one request */
    double error_rate; /* probability a served request is a 5xx */
    double crash_rate; /* probability a start crashes (then restarts
                          with CrashLoopBackOff) */
    /* Resource use (resource-use.c). */
    SimTime cpu_per_request;      /* CPU time of one request */
    gint64 cpu_idle, cpu_startup; /* millicores */
    SimTime startup_cpu_duration;
    gint64 memory_usage; /* bytes, per running container */
    /* Probes (probes.c). */
    SimHealthProbeSpec probes[SIM_HEALTH_N];
    SimDist hang_after; /* NEVER: none */
    gint probe_path;    /* SimProbePath */
} SimVersionSpec;

struct SimScenario {
    /* Where it came from, for messages ("scenarios/x.ini", or
     * "(built-in)").  Owned. */
    char *path;
    const SimSchema *schema; /* borrowed: it outlives the scenario */
    gpointer *groups;        /* per schema group: its settings, or NULL
                                for core groups; owned */

    /* [scenario] */
    char *name;
    char *description;
    SimTime duration;
    guint64 seed;
    SimTime sample;
    gint64 max_memory; /* bytes a run may hold (memory.h) */

    /* [cluster] */
    gint nodes;
    gint64 node_cpu;    /* millicores */
    gint64 node_memory; /* bytes */
    SimTime controller_delay;
    SimTime endpoint_delay;
    SimTime schedule_delay;
    SimTime node_monitor_period;
    SimTime node_monitor_grace;
    /* The cluster autoscaler (cluster-autoscaler.c). */
    gboolean autoscaler;
    gint min_nodes, max_nodes; /* max -1: no limit */
    SimDist node_provision;
    SimTime autoscaler_scan;
    SimTime scale_down_unneeded;
    double scale_down_utilization;
    SimTime scale_down_delay_after_add;
    gboolean unneeded_during_delay;

    /* [deployment] */
    char *deployment_name; /* metadata.name */
    gint replicas;
    char *version;      /* running at t = 0; names a [version.X] */
    gint version_index; /* its index in versions[] */
    gint64 cpu;         /* millicores per pod */
    gint64 memory;      /* bytes per pod */
    gint64 cpu_limit;   /* millicores per pod; -1 = none */
    SimTime min_ready;
    SimTime progress_deadline; /* SIM_TIME_NEVER = none */
    SimTime termination_grace;
    SimTime pre_stop;
    gint concurrency;
    gint queue;                 /* -1 = unlimited */
    gboolean paused;            /* spec.paused at t = 0 */
    SimTime toleration_seconds; /* SIM_TIME_NEVER = for ever */

    /* [version.NAME], in file order */
    SimVersionSpec versions[SIM_MAX_VERSIONS];
    gint n_versions;

    /* [traffic] */
    double rate; /* requests per second */
    SimArrivals arrivals;
    char *profile;              /* CSV time_s,rate or NULL; owned */
    SimRateStep *profile_steps; /* its rows, read at load time; owned */
    gint n_profile_steps;
    SimTime timeout; /* SIM_TIME_NEVER = none */
    SimBalancer balancer;
    double preview_rate; /* requests/s to the preview Service */
    gint users;          /* each user request belongs to one of them */

    /* [strategy] */
    char *strategy;               /* "rolling", "recreate", "canary", ... */
    gconstpointer strategy_class; /* what the schema gave for that name */

    /* [rollout] */
    gboolean has_rollout;
    SimTime rollout_at;
    char *rollout_to;
    gint rollout_to_index; /* index in versions[] */

    /* What the user should hear although the scenario is valid: settings
     * written (with a value other than the default) that the strategy
     * never reads, initial pods that cannot all be placed.  Each "PLACE:
     * GROUP.KEY: what"; NULL-terminated, owned, never NULL. */
    char **warnings;
};

/* --- The schema: what groups and strategies a program knows --------------- */

/* A new empty schema: the core groups only, and no strategy. */
SimSchema *sim_schema_new (void);
void sim_schema_free (SimSchema *schema); /* NULL ok */
/* A strategy the [strategy] type may name, its settings group (placed
 * after the core groups, in the order added) and what the scenario
 * records for it (strategy_class).  The group may have no row. */
void sim_schema_add_strategy (SimSchema *schema, const char *name,
                              const SimKeyGroup *settings, gconstpointer data);
/* Another group, placed after the strategies' groups, in the order
 * added. */
void sim_schema_add_group (SimSchema *schema, const SimKeyGroup *group);
/* Group @group (every key of it, @key NULL) or its key @key is read only
 * by @strategies (NULL-terminated, static): written with a value other
 * than its default under any other strategy, the loaded scenario warns
 * (SimScenario.warnings) instead of ignoring it without a word.  The
 * [strategy.TYPE] groups need no entry: compare --strategy switches
 * between them, so they never warn. */
void sim_schema_add_readers (SimSchema *schema, const char *group,
                             const char *key, const char *const *strategies);
/* Event-log rows a run of @s will write for a module's settings, over
 * what the model itself writes (memory.h estimates them before a run). */
typedef gint64 (*SimRowsFunc) (const SimScenario *s);
/* @rows estimates the rows that GROUP.KEY bounds (analysis.interval: a
 * measurement a row); the budget's refusal names that key. */
void sim_schema_add_rows (SimSchema *schema, const char *group, const char *key,
                          SimRowsFunc rows);
/* The estimators' rows for @s, and the group and key of the largest
 * (NULL when no estimator expects any). */
gint64 sim_scenario_expected_rows (const SimScenario *s, const char **group,
                                   const char **key);
/* Every group, in the order of the resolved file and of the reference:
 * the core groups, the strategies' groups, the added groups, [rollout].
 * NULL-terminated (static while the schema lives). */
const SimKeyGroup *const *sim_schema_groups (const SimSchema *schema);
/* The strategy names, NULL-terminated, and as "a, b, c". */
const char *const *sim_schema_strategies (const SimSchema *schema);
const char *sim_schema_strategy_list (const SimSchema *schema);

/* --- Lifecycle ---------------------------------------------------------- */

/* Load and validate @path, then apply @overrides (NULL-terminated
 * "GROUP.KEY=VALUE" strings, may be NULL) in order.  The schema must
 * outlive the scenario.  NULL on error. */
SimScenario *sim_scenario_load (const SimSchema *schema, const char *path,
                                const char *const *overrides, GError **error);
/* One value from elsewhere than the text (an imported manifest's
 * field): applied as a --set override is, and named by @origin in every
 * message about it.  @key NULL creates the group (empty) with that
 * origin, for a [version.NAME] whose keys all keep their defaults. */
typedef struct SimAssignment {
    const char *group;
    const char *key;
    const char *value;
    const SimOrigin *origin;
} SimAssignment;

/* Load @data (named @path in messages, as sim_scenario_load_data), then
 * apply the @n_assignments, then the @overrides. */
SimScenario *sim_scenario_load_assignments (
    const SimSchema *schema, const char *data, const char *path,
    const SimAssignment *assignments, gsize n_assignments,
    const char *const *overrides, GError **error);
/* The built-in seed scenario (scenarios/seed-rolling.ini). */
SimScenario *sim_scenario_load_builtin (const SimSchema *schema,
                                        const char *const *overrides,
                                        GError **error);
/* The text of the built-in scenario, as scenarios/seed-rolling.ini holds
 * it (static). */
const char *sim_scenario_builtin_text (void);
/* Load from text; @path is used in messages, and its directory is where
 * relative file paths (traffic.profile) are looked for. */
SimScenario *sim_scenario_load_data (const SimSchema *schema, const char *data,
                                     const char *path,
                                     const char *const *overrides,
                                     GError **error);
SimScenario *sim_scenario_copy (const SimScenario *s);
void sim_scenario_free (SimScenario *s); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimScenario, sim_scenario_free)

/* Apply one more "GROUP.KEY=VALUE" override to a loaded scenario (used by
 * compare and sweep); the result is validated again.  FALSE on error,
 * @s unchanged. */
gboolean sim_scenario_set (SimScenario *s, const char *assignment,
                           GError **error);

/* The settings of group @g (one the schema was given), as loaded; NULL
 * for a group without a settings struct (size 0). */
gconstpointer sim_scenario_group (const SimScenario *s, const SimKeyGroup *g);
/* The same, or NULL when the schema lacks group @g: for a model module a
 * program may leave out. */
gconstpointer sim_scenario_group_if (const SimScenario *s,
                                     const SimKeyGroup *g);
const SimSchema *sim_scenario_schema (const SimScenario *s);

/* --- Output ------------------------------------------------------------- */

/* The fully resolved scenario as key-file text: every key with its value
 * (defaults filled in, seed recorded).  Loading it again gives an equal
 * scenario.  Newly allocated. */
char *sim_scenario_to_ini (const SimScenario *s);

/* The index of version @name in s->versions, or -1. */
gint sim_scenario_find_version (const SimScenario *s, const char *name);

/* --- Checks that several groups make --------------------------------------- */

/* The API server's rules: progressDeadlineSeconds (GROUP.progress_deadline,
 * @deadline) above deployment.min_ready, and GROUP.max_surge and
 * max_unavailable not both 0.  The key written last is the one named.
 * The loader checks the deadline of the running strategy's group itself
 * when it has a progress_deadline row (a duration or none): a strategy
 * that does not run is never refused for its deadline. */
gboolean sim_scenario_check_deadline (const SimPlaces *places,
                                      const char *group, SimTime deadline,
                                      const SimScenario *s, GError **error);
gboolean sim_scenario_check_surge (const SimPlaces *places, const char *group,
                                   SimIntOrPercent surge,
                                   SimIntOrPercent unavailable, GError **error);

/* docs/scenario-reference.md for @schema (scenario-doc.c).  Newly
 * allocated. */
char *sim_scenario_reference_markdown (const SimSchema *schema);

#endif /* SIM_SCENARIO_H */
