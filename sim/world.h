/* world.h - one simulation: the cluster, its ReplicaSets, pods, Services
 * and traffic, driven by one strategy.  This is the model's public face,
 * and all a strategy may use.
 *
 * A SimWorld is a value: it owns its engine, random streams, objects and
 * measurements, reads no global state and no wall clock, so several can
 * run on several threads at once.  Run one with sim_world_run(); read its
 * results with the metrics and event-log accessors; write them with
 * report.h.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdio.h>
#include <glib.h>
#include "units.h"
#include "scenario.h"
#include "event-log.h"
#include "outcome.h"
#include "memory.h"

typedef struct SimWorld SimWorld;
typedef struct SimReplicaSet SimReplicaSet;
typedef struct SimPod SimPod;
typedef struct SimMetrics SimMetrics;
typedef struct SimSummary SimSummary;

/* The two Services a rollout may use. */
typedef enum {
    SIM_SERVICE_ACTIVE,  /* production traffic */
    SIM_SERVICE_PREVIEW, /* blue-green preview (preview_rate) */
    SIM_SERVICE_N
} SimServiceId;

/* What a ReplicaSet's status says, as the controllers read it. */
typedef struct SimReplicaSetStatus {
    gint replicas; /* pods not terminating (what the RS counts) */
    gint pending;  /* not yet scheduled */
    gint starting; /* scheduled, not ready (pull, start, crash loop) */
    gint ready;
    gint available;   /* ready for at least min_ready */
    gint terminating; /* deleted, still shutting down */
} SimReplicaSetStatus;

/* A version's ReplicaSets summed, and its endpoints. */
typedef struct SimVersionStatus {
    gint desired;           /* sum of spec.replicas */
    SimReplicaSetStatus st; /* sum of the statuses */
    gint endpoints;         /* ready pods the balancers know */
} SimVersionStatus;

/* --- The application's Deployment (or Rollout) --------------------------
 *
 * The object the user writes to (the scenario at t = 0, then the actions
 * of the timeline) and the strategy reconciles: its spec.  A strategy
 * that runs Deployments of its own (Flagger's primary and canary) declares
 * them in its class (strategy.h); the world creates them beside the
 * application's, whose spec then stays the user's word only, and
 * ReplicaSets name their owner ("primary/v1"). */

typedef struct SimDeployment SimDeployment;

/* A pod template as the controllers compare them (FindNewReplicaSet):
 * the version's image and the restart generation (the restartedAt
 * annotation of `kubectl rollout restart`).  A ReplicaSet keeps the
 * template it was created from. */
typedef struct SimTemplate {
    gint version;
    gint restart;
} SimTemplate;

static inline gboolean
sim_template_equal (SimTemplate a, SimTemplate b)
{
    return a.version == b.version && a.restart == b.restart;
}

typedef struct SimDeploymentSpec {
    const char *name;     /* metadata.name (deployment.name) */
    gint replicas;        /* spec.replicas */
    gboolean paused;      /* spec.paused */
    SimTemplate template; /* spec.template */
    SimTime restart_at;   /* a Rollout's spec.restartAt; -1 none */
} SimDeploymentSpec;

/* The application's Deployment, and its spec as last written. */
SimDeployment *sim_world_deployment (const SimWorld *world);
const SimDeploymentSpec *sim_world_spec (const SimWorld *world);

/* The Deployments the strategy declared (SimStrategyClass.deployments),
 * in its order: each starts as a copy of the application's spec, the
 * first with the initial ReplicaSet and its ready pods, the others with
 * a ReplicaSet of the same template at 0.  None for other strategies. */
guint sim_world_n_deployments (const SimWorld *world);
SimDeployment *sim_world_deployment_at (const SimWorld *world, guint i);
const SimDeploymentSpec *sim_deployment_spec (const SimDeployment *d);
/* "primary", "canary"; NULL for the application's. */
const char *sim_deployment_label (const SimDeployment *d);

/* The strategy's writes to a Deployment of its own (Flagger's scale to
 * and from zero, its promotion's spec copy), logged as the user's are;
 * the strategy reconciles them itself, in the same sync. */
void sim_world_deployment_set_replicas (SimWorld *world, SimDeployment *d,
                                        gint replicas);
void sim_world_deployment_set_template (SimWorld *world, SimDeployment *d,
                                        SimTemplate t);

/* --- Lifecycle ---------------------------------------------------------- */

/* A world for @scenario (borrowed: it must outlive the world), with the
 * initial pods placed, running and ready.  @trace: narrate to this stream
 * (NULL: quiet).  The scenario comes from the loader, which ran every
 * check; NULL with @error if the world cannot be built even so. */
SimWorld *sim_world_new (const SimScenario *scenario, FILE *trace,
                         GError **error);
void sim_world_free (SimWorld *world); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimWorld, sim_world_free)

/* For a thread that runs world after world (an experiment's
 * replications): sim_world_free handing back the world's metrics, and
 * sim_world_new making its metrics in @spare (taken; NULL: new ones)
 * with sim_metrics_renew.  The world is the same as sim_world_new's. */
SimMetrics *sim_world_free_keeping_metrics (SimWorld *world);
SimWorld *sim_world_new_reusing (const SimScenario *scenario, FILE *trace,
                                 SimMetrics *spare, GError **error);

/* Run to the scenario's duration. */
void sim_world_run (SimWorld *world);
/* Run up to @until (at most the duration), for progress reports. */
void sim_world_run_until (SimWorld *world, SimTime until);
/* Why the run stopped before its end, or NULL: it outgrew its memory
 * budget, scenario.max_memory (SIM_MEMORY_ERROR, memory.h; a run-time
 * failure, exit 1).  A stopped run runs no further; its outputs are not
 * written. */
const GError *sim_world_error (const SimWorld *world);
/* What the run holds now, as the budget counts it (memory.c). */
void sim_world_memory (const SimWorld *world, SimMemoryUse *use);

/* --- Queries (anyone) ---------------------------------------------------- */

const SimScenario *sim_world_scenario (const SimWorld *world);
SimTime sim_world_now (const SimWorld *world);
SimEventLog *sim_world_events (const SimWorld *world);
SimMetrics *sim_world_metrics (const SimWorld *world);
guint64 sim_world_events_executed (const SimWorld *world);
/* The rollout's milestones so far. */
const SimRolloutRecord *sim_world_rollout (const SimWorld *world);
/* summary.csv's figures as of now (metrics.h); closes the time
 * integrals at now, so call it once the run is over. */
void sim_world_summary (SimWorld *world, SimSummary *out);

/* ReplicaSets in creation order (index 0 is the initial one). */
guint sim_world_n_replica_sets (const SimWorld *world);
SimReplicaSet *sim_world_replica_set (const SimWorld *world, guint i);

/* (replica-set.c) A ReplicaSet's name (its version's name for the
 * first of that version, then "v1#2", "v1#3"), version, template,
 * revision, spec, creation time and status. */
const char *sim_replica_set_name (const SimReplicaSet *rs);
gint sim_replica_set_version (const SimReplicaSet *rs);
SimTemplate sim_replica_set_template (const SimReplicaSet *rs);
/* The deployment.kubernetes.io/revision annotation: the highest so far
 * plus one each time the ReplicaSet's template becomes the Deployment's
 * (created, rolled over to, undone to). */
gint sim_replica_set_revision (const SimReplicaSet *rs);
gint sim_replica_set_spec (const SimReplicaSet *rs);
SimTime sim_replica_set_created (const SimReplicaSet *rs);
void sim_replica_set_status (const SimReplicaSet *rs, SimReplicaSetStatus *out);
/* Pods of @rs that still exist in any phase, terminating included (what
 * Recreate waits for). */
gint sim_replica_set_pods_alive (const SimReplicaSet *rs);
/* The Deployment controller's desired-replicas and max-replicas
 * annotations (-1: not written). */
void sim_replica_set_annotations (const SimReplicaSet *rs, gint *desired,
                                  gint *max);
void sim_replica_set_annotate (SimReplicaSet *rs, gint desired, gint max);

/* (replica-set.c, pod.c) A ReplicaSet's pods, every one it ever made,
 * in creation order; a pod's creation time, whether it still exists,
 * is being deleted, is available. */
guint sim_replica_set_n_pods (const SimReplicaSet *rs);
SimPod *sim_replica_set_pod (const SimReplicaSet *rs, guint i);
SimTime sim_pod_created (const SimPod *pod);
gboolean sim_pod_exists (const SimPod *pod);
gboolean sim_pod_deleted (const SimPod *pod);
gboolean sim_pod_ready_available (const SimPod *pod);

/* The application's ReplicaSet whose template is @t (FindNewReplicaSet),
 * or NULL. */
SimReplicaSet *sim_world_replica_set_for (const SimWorld *world, SimTemplate t);
/* (replica-set.c) The Deployment that owns @rs. */
SimDeployment *sim_replica_set_owner (const SimReplicaSet *rs);
/* @d's ReplicaSet of template @t, or NULL; and the statuses of all of
 * @d's ReplicaSets summed. */
SimReplicaSet *sim_world_deployment_replica_set (const SimWorld *world,
                                                 const SimDeployment *d,
                                                 SimTemplate t);
void sim_world_deployment_status (const SimWorld *world, const SimDeployment *d,
                                  SimReplicaSetStatus *total);

/* Version @v's ReplicaSets summed; and every ReplicaSet's status
 * summed. */
void sim_world_version_status (const SimWorld *world, gint v,
                               SimVersionStatus *out);
void sim_world_total_status (const SimWorld *world, SimReplicaSetStatus *total);

/* --- Actions (the strategy, as controller) ------------------------------- */

/* Create the ReplicaSet of the Deployment's template with @replicas
 * (there must be none yet); the same for Deployment @d. */
SimReplicaSet *sim_world_create_replica_set (SimWorld *world, gint replicas);
SimReplicaSet *sim_world_create_replica_set_of (SimWorld *world,
                                                SimDeployment *d,
                                                gint replicas);
/* Set @rs's spec (logged when it changes; the ReplicaSet controller
 * creates or deletes pods after controller_delay). */
void sim_world_scale_replica_set (SimWorld *world, SimReplicaSet *rs,
                                  gint replicas);
/* (service.c) Point Service @svc at the versions in @mask (bit v =
 * version v).  Load balancers follow after endpoint_delay.  Logged as
 * service-switched. */
void sim_world_set_service (SimWorld *world, SimServiceId svc, guint32 mask);
/* (service.c) Traffic routing by weight: @weights[v] in percent for each
 * version
 * (summing to 100), or NULL to go back to splitting by endpoints.  Load
 * balancers follow after endpoint_delay. */
void sim_world_set_weights (SimWorld *world, SimServiceId svc,
                            const gint *weights);
/* (disruption.c) Evict @pod through the Eviction API, which honours the
 * PodDisruptionBudget; @who asked ("Argo restart").  FALSE when the
 * budget refuses (429, logged as eviction-refused). */
gboolean sim_world_evict (SimWorld *world, SimPod *pod, const char *who);
/* A mesh's route between two Deployments (an Istio VirtualService): user
 * @u's request takes the weighted rule when u < @matched (the users whose
 * requests carry the A/B header: the first ones, a fixed cohort;
 * G_MAXUINT32 for every user), which sends @canary_weight percent to
 * @canary and the rest to @primary; other users go to @primary.  With
 * @sticky (session affinity), a user once sent to the canary by the
 * weighted rule stays there while the canary's weight is above 0.  With
 * @mirror above 0, that percent of the requests sent to @primary are
 * copied to @canary (SIM_TRAFFIC_MIRROR): the copy loads the canary and
 * counts in its analysis, the user only ever gets the primary's answer. */
typedef struct SimRoute {
    SimDeployment *primary, *canary;
    gint canary_weight;
    guint32 matched;
    gboolean sticky;
    gint mirror;
} SimRoute;

/* (service.c) Route Service @svc this way (balancers follow after
 * endpoint_delay; logged when they do).  Only for Deployments the
 * strategy declared.  Per request it costs a compare, a bit test, at
 * most two draws and nothing else. */
void sim_world_set_route (SimWorld *world, SimServiceId svc,
                          const SimRoute *route);
/* (traffic.c) The rate of requests to the preview Service from now on
 * (a Flagger load tester; traffic.preview_rate until changed). */
void sim_world_set_preview_rate (SimWorld *world, double rate);

/* Ask for a controller sync at @at (absolute; a time already past means
 * now).  Each call is one more wake-up: callers remember what they asked
 * for. */
void sim_world_wake_at (SimWorld *world, SimTime at);

/* The rollout's milestones, for the summary and events.csv: a rollout
 * begins again on the same template (an Argo retry), completes, is
 * aborted. */
void sim_world_rollout_again (SimWorld *world);
void sim_world_rollout_completed (SimWorld *world);
void sim_world_rollout_aborted (SimWorld *world, const char *why);
/* The progress deadline passed (TRUE) or progress resumed (FALSE). */
void sim_world_rollout_stalled (SimWorld *world, gboolean stalled);

/* Log a timeline row (events.csv; narrated with --trace). */
void sim_world_log (SimWorld *world, SimEventKind kind, const char *object,
                    gint version, gboolean has_value, gint64 value,
                    const char *detail);
void sim_world_narrate (SimWorld *world, const char *fmt, ...)
    G_GNUC_PRINTF (2, 3);

/* --- Measurements for analysis -------------------------------------------- */

/* A probe counts what one version answers (every request it was sent:
 * ok, app_error and the other errors it caused) from when it is opened or
 * last reset.  Several may be open at once (an inline and a background
 * analysis); at most SIM_MAX_PROBES. */
#define SIM_MAX_PROBES 8

typedef struct SimProbeReading {
    guint64 requests; /* answered: ok + errors */
    guint64 ok;
    guint64 errors;
    double p50_ms, p95_ms, p99_ms, mean_ms; /* of ok requests; NaN if none */
} SimProbeReading;

/* Open a probe on version @v; its id, or -1 when all are in use. */
gint sim_world_probe_open (SimWorld *world, gint v);
/* Open a probe on the pods of Deployment @d, whatever their version. */
gint sim_world_probe_open_deployment (SimWorld *world, SimDeployment *d);
void sim_world_probe_reset (SimWorld *world, gint id);
void sim_world_probe_read (const SimWorld *world, gint id,
                           SimProbeReading *out);
void sim_world_probe_close (SimWorld *world, gint id);

/* What a probe had counted at one instant: a window's reading is what it
 * counted since (Prometheus' rate over a range).  About 16 KB (a latency
 * histogram).  The window's latency percentiles keep the histogram's
 * bound; its min and max are the edges of its outer buckets. */
typedef struct SimProbeMark SimProbeMark;
SimProbeMark *sim_probe_mark_new (void);
void sim_probe_mark_free (SimProbeMark *mark); /* NULL ok */
void sim_world_probe_mark (const SimWorld *world, gint id, SimProbeMark *mark);
void sim_world_probe_read_since (const SimWorld *world, gint id,
                                 const SimProbeMark *mark,
                                 SimProbeReading *out);

#endif /* SIM_WORLD_H */
