/* metrics.h - what a run measured: traffic counters and latency per
 * sample step (overall and per version), pod counts per version over
 * time, and the run's summary figures.
 *
 * Recording a request outcome is on the hot path: it touches fixed
 * counters and one histogram, allocates nothing and looks nothing up.
 * Rows of timeseries.csv and versions.csv are appended once per sample
 * step.  Percentiles come from log-bucketed histograms (histogram.h), so
 * their relative error is bounded and no sample is stored.
 */
#ifndef SIM_METRICS_H
#define SIM_METRICS_H

#include <glib.h>
#include "outcome.h"
#include "histogram.h"
#include "world.h"

typedef struct SimTimeseriesRow {
    SimTime time;
    SimCounters c;
    double p50_ms, p95_ms, p99_ms; /* NaN: no ok request */
    gint desired, pods, pending, starting, ready, terminating;
    gint64 in_flight;
    gint hpa_desired;       /* -1: no HPA, or no sync yet */
    gint nodes;             /* in the cluster */
    double cpu_utilization; /* the HPA's last CPU view, %; NaN none */
    double cpu_used;        /* cores, over the window; NaN: not modelled */
} SimTimeseriesRow;

/* What the cluster and the autoscalers show at a sample. */
typedef struct SimClusterSample {
    gint hpa_desired;
    gint nodes;
    double cpu_utilization;
    double cpu_used;
} SimClusterSample;

typedef struct SimVersionRow {
    SimTime time;
    gint version;
    gint desired, pods, pending, starting, ready, available, terminating,
        endpoints;
    SimCounters c;        /* user traffic */
    SimCounters preview;  /* preview (smoke-test, load-test) traffic */
    SimCounters mirrored; /* mirrored copies */
    double share;         /* NaN: no arrival in the step */
} SimVersionRow;

/* The one row of summary.csv (traffic and rollout figures). */
struct SimSummary {
    SimTime rollout_start, rollout_end; /* -1: none */
    SimOutcome outcome;
    SimCounters total;    /* user traffic */
    SimCounters preview;  /* smoke tests */
    SimCounters mirrored; /* mirrored copies */
    gint64 in_flight_end;
    double availability; /* NaN: no arrival */
    double mean_ms, wait_mean_ms, p50_ms, p95_ms, p99_ms;
    double wait_prob; /* share that queued */
    double p99_ms_before, p99_ms_during;
    double in_flight_mean; /* time average */
    gint min_ready;        /* -1: no rollout */
    gint peak_pods;        /* most pods at once, terminating included */
    double peak_pods_s;    /* how long there were that many, in all */
    gint peak_active_pods; /* most pods at once not terminating (what
                              maxSurge bounds) */
    double peak_cpu;       /* most CPU requested by existing pods at once,
                              in cores */
    gint64 peak_memory;    /* the same for memory, in bytes */
    double pod_seconds, extra_pod_seconds;
    guint64 bad_version_requests;
    double detection_s; /* NaN: not aborted */
    gint rollouts;      /* rollouts started */
    gint peak_replicas; /* the highest spec.replicas the HPA wrote; -1 */
    gint peak_nodes;
    double node_seconds;
    guint bad_version_users; /* distinct users answered by a version other
                                than the initial one */
};

/* Where the rows of a sample step go when they are not kept: the
 * timeseries row and its @n versions rows, in version order. */
typedef void (*SimRowSink) (gpointer data, const SimTimeseriesRow *row,
                            const SimVersionRow *versions, gint n);

struct SimMetrics {
    gint n_versions;
    gint replicas;              /* deployment.replicas, for the extra
                                   pod-seconds */
    gint64 pod_cpu, pod_memory; /* what each pod requests (millicores,
                                   bytes) */

    /* Current window. */
    SimCounters win;
    SimCounters win_v[SIM_MAX_VERSIONS];

    /* Whole run. */
    SimCounters total;
    SimCounters total_v[SIM_MAX_VERSIONS];

    /* Traffic other than users' (SimTraffic: preview, mirror; the user
     * entry is unused), counted apart so that no user figure
     * (availability, blast radius, latency) includes it. */
    struct {
        SimCounters win_v[SIM_MAX_VERSIONS];
        SimCounters total;
        SimCounters total_v[SIM_MAX_VERSIONS];
        gint64 in_flight;
    } side[SIM_TRAFFIC_N];
    gint seg_phase;  /* of seg_latency's answers */
    double wait_sum; /* seconds queued, requests served */
    guint64 wait_n;
    guint64 waited; /* of those, waited > 0 */
    guint64 bad_version_requests;
    guint32 bad_versions; /* mask: every version but the initial */

    /* Users answered by a version other than the initial one: one bit
     * per user, allocated once (traffic.users / 8 bytes). */
    gint initial_version;
    guint64 *users_hit;
    guint n_users;

    /* Integrals over time. */
    SimTime last_change;
    gint pods_now, active_now, ready_now;
    gint peak_pods, peak_active_pods, min_ready;
    double peak_pods_seconds; /* time spent at peak_pods, in all */
    double pod_seconds, extra_pod_seconds;
    gint64 in_flight_integral; /* request-microseconds, exact */
    SimTime last_in_flight_change;
    gint64 in_flight_now;

    /* Nodes and autoscalers. */
    SimClusterSample cluster; /* for the next row */
    gint nodes_now, peak_nodes;
    double node_seconds;
    SimTime nodes_changed;
    gint peak_replicas;

    /* Streaming (sim_metrics_stream): rows go here, not kept. */
    SimRowSink sink;
    gpointer sink_data;

    /* Memory kept when the metrics are renewed (sim_metrics_renew): the
     * members from here on.  Every member above is a plain value,
     * cleared at once. */
    GArray *timeseries;       /* SimTimeseriesRow; empty when streaming */
    GArray *versions;         /* SimVersionRow; empty when streaming */
    SimHistogram win_latency; /* the current window's */
    SimHistogram latency_all, latency_before, latency_during;
    /* Latencies of ok answers since the last flush, all in one phase of
     * the rollout (seg_phase): each answer is recorded here once, and
     * merged into the window and the run's histograms at the next
     * sample or change of phase (metrics.c). */
    SimHistogram seg_latency;
};

SimMetrics *sim_metrics_new (const SimScenario *sc);
/* The metrics sim_metrics_new (@sc) makes, in the memory of @m (a
 * finished run's, taken): its histograms are cleared over the buckets
 * they used and its rows' arrays keep their room.  A thread that runs
 * world after world (an experiment's replications) so saves allocating
 * and clearing five 16 kB histograms for each (1.5% of the instructions
 * of a small experiment, seed-rolling's 120 s) and growing the arrays. */
SimMetrics *sim_metrics_renew (SimMetrics *m, const SimScenario *sc);
void sim_metrics_free (SimMetrics *m); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimMetrics, sim_metrics_free)

/* --- Hot path -------------------------------------------------------------- */

/* @version: -1 when no pod was chosen; @kind: who sent it. */
static inline void
sim_metrics_arrival (SimMetrics *m, gint version, SimTraffic kind)
{
    if (G_UNLIKELY (kind != SIM_TRAFFIC_USER)) {
        m->side[kind].total.arrivals++;
        if (version >= 0) {
            m->side[kind].win_v[version].arrivals++;
            m->side[kind].total_v[version].arrivals++;
        }
        return;
    }
    m->win.arrivals++;
    m->total.arrivals++;
    if (version >= 0) {
        m->win_v[version].arrivals++;
        m->total_v[version].arrivals++;
    }
}

/* The number of unanswered requests changed at @now by @delta. */
static inline void
sim_metrics_in_flight (SimMetrics *m, SimTime now, gint delta, SimTraffic kind)
{
    if (G_UNLIKELY (kind != SIM_TRAFFIC_USER)) {
        m->side[kind].in_flight += delta;
        return;
    }
    m->in_flight_integral += m->in_flight_now
                             * (now - m->last_in_flight_change);
    m->last_in_flight_change = now;
    m->in_flight_now += delta;
}

/* A request was answered ok after @latency. */
void sim_metrics_ok (SimMetrics *m, gint version, SimTime latency,
                     gboolean during_rollout, gboolean before_rollout,
                     SimTraffic kind);
/* A request failed with @cause. */
void sim_metrics_error (SimMetrics *m, gint version, SimCause cause,
                        SimTraffic kind);
/* User @user got an answer (ok or an application error) from @version:
 * the count of users a new version reached (bad_version_users). */
static inline void
sim_metrics_user_answered (SimMetrics *m, guint32 user, gint version)
{
    if (version != m->initial_version)
        m->users_hit[user >> 6] |= G_GUINT64_CONSTANT (1) << (user & 63);
}
/* A request waited @wait in a pod's queue before service. */
static inline void
sim_metrics_wait (SimMetrics *m, SimTime wait)
{
    m->wait_sum += (double) wait / 1e6;
    m->wait_n++;
    m->waited += wait > 0;
}

/* --- Pods ------------------------------------------------------------------ */

/* The count of existing pods (@pods, terminating included; @active of
 * them not terminating) or of ready pods changed at @now; @track_min:
 * the rollout is under way (min_ready follows). */
void sim_metrics_pods (SimMetrics *m, SimTime now, gint pods, gint active,
                       gint ready, gint replicas, gboolean track_min);

/* The cluster has @nodes nodes from @now on (node-seconds, the peak). */
void sim_metrics_nodes (SimMetrics *m, SimTime now, gint nodes);
/* The HPA wrote spec.replicas = @replicas. */
void sim_metrics_hpa_scaled (SimMetrics *m, gint replicas);
/* The cluster's and autoscalers' figures for the next row. */
void sim_metrics_cluster (SimMetrics *m, const SimClusterSample *cs);

/* --- Sampling and results -------------------------------------------------- */

/* Streaming (`rollsim run`): from now on the rows of each sample step
 * go to @sink as it closes and are not kept, so memory stays flat
 * however long the run; the rows kept so far go first, then are freed. */
void sim_metrics_stream (SimMetrics *m, SimRowSink sink, gpointer data);
/* Close the window ending at @now: append the rows, with the pod counts
 * of each version in @vs (one per version). */
void sim_metrics_sample (SimMetrics *m, SimTime now,
                         const SimVersionStatus *vs);
/* Fill @out as of @now (the end of the run), with the rollout's
 * milestones @r.  Closes the time integrals at @now first. */
void sim_metrics_summary (SimMetrics *m, SimTime now, const SimRolloutRecord *r,
                          SimSummary *out);

/* The conservation laws, checked: over the run so far, arrivals = ok +
 * errors + unanswered, overall and for preview and mirrored traffic; the causes
 * add up to the errors; each version answered no more than it received, and
 * what versions still hold is what is unanswered; versions' arrivals plus
 * requests that found no endpoint are every arrival.  FALSE with *@why
 * (newly allocated) naming the first law broken. */
gboolean sim_metrics_conserved (const SimMetrics *m, char **why);

#endif /* SIM_METRICS_H */
