/* hpa-math.h - the HorizontalPodAutoscaler's arithmetic, apart from any
 * world: how one sync turns pod metrics into a replica count, and how
 * that count is normalized (stabilization windows, rate limits, bounds).
 *
 * Everything here is a pure function of its arguments, or of a
 * SimHpaHistory the caller owns (the controller's memory of past
 * recommendations and scale events, which Kubernetes keeps per HPA in
 * the controller, never in the API).  The rules are those of
 * kubernetes/kubernetes v1.28 pkg/controller/podautoscaler
 * (replica_calculator.go, horizontal.go, metrics/utilization.go), with
 * the tolerance test of v1.32 and earlier: |1 - ratio| <= tolerance.
 * docs/design.md chapter H1 explains them; tests/test-hpa.c checks them
 * against the upstream tests they come from.
 *
 * Metric values and requests are in milli-units, as the HPA reads them
 * (Quantity.MilliValue): millicores, milli-bytes, milli-requests per
 * second.  Times are SimTime.
 */
#ifndef SIM_HPA_MATH_H
#define SIM_HPA_MATH_H

#include <glib.h>
#include "units.h"

/* --- One sync: a metric's replica proposal ------------------------------ */

/* A pod as the HPA lists it (groupPods' inputs). */
typedef struct SimHpaPod {
    gboolean ignored;      /* deletionTimestamp set, or phase Failed */
    gboolean pending;      /* phase Pending (not running a container yet) */
    gboolean has_metric;   /* the metrics API has a sample for it */
    gint64 value;          /* the sample, milli-units */
    SimTime timestamp;     /* of the sample (its window's end) */
    SimTime window;        /* the sample's window */
    gint64 request;        /* resource metrics: the pod's request, milli */
    gboolean has_ready;    /* a Ready condition and a startTime exist */
    gboolean ready;        /* the Ready condition's status */
    SimTime ready_changed; /* its lastTransitionTime */
    SimTime start_time;    /* status.startTime */
} SimHpaPod;

typedef enum {
    SIM_HPA_POD_READY,
    SIM_HPA_POD_UNREADY,
    SIM_HPA_POD_MISSING,
    SIM_HPA_POD_IGNORED,
} SimHpaPodClass;

/* The controller's flags that the classification reads. */
typedef struct SimHpaParams {
    double tolerance;        /* 0.1 */
    SimTime cpu_init_period; /* 300 s */
    SimTime readiness_delay; /* initial readiness delay, 30 s */
} SimHpaParams;

/* groupPods: first match wins - ignored, pending (unready), no sample
 * (missing), and for CPU only (@cpu) the readiness rules; else ready. */
SimHpaPodClass sim_hpa_classify (const SimHpaPod *pod, gboolean cpu,
                                 SimTime now, const SimHpaParams *p);

/* No change when |1 - ratio| <= tolerance (v1.32 and earlier; the float
 * edge of ratio 1.1 with tolerance 0.1 scales). */
gboolean sim_hpa_within_tolerance (double ratio, double tolerance);

/* What one metric proposes. */
typedef struct SimHpaProposal {
    gint replicas;    /* -1: the metric failed (no pod with a sample, a
                         pod without a request, no pod at all) */
    gint64 usage;     /* utilization % (resource), or the average value
                         in milli-units (pods, external per pod) */
    double ratio;     /* usage / target, before the slow path */
    gint ready;       /* readyPodCount */
    const char *rule; /* why that count (static text) */
} SimHpaProposal;

/* GetResourceReplicas: a Resource metric with a Utilization target of
 * @target_pct percent of the request; @cpu selects the CPU readiness
 * rules.  @current is the scale's spec.replicas. */
void sim_hpa_resource_replicas (const SimHpaPod *pods, gint n, gint current,
                                gint target_pct, gboolean cpu, SimTime now,
                                const SimHpaParams *p, SimHpaProposal *out);
/* calcPlainMetricReplicas: a Pods (or Resource) AverageValue target of
 * @target milli-units per pod; no CPU readiness rules. */
void sim_hpa_plain_replicas (const SimHpaPod *pods, gint n, gint current,
                             gint64 target, SimTime now, const SimHpaParams *p,
                             SimHpaProposal *out);
/* GetExternalPerPodMetricReplicas: an External (or Object) AverageValue
 * target: @total milli-units against @target per pod times the scale's
 * status.replicas @status_replicas; inside the tolerance the answer is
 * status.replicas itself. */
void sim_hpa_external_replicas (gint64 total, gint64 target,
                                gint status_replicas, double tolerance,
                                SimHpaProposal *out);

/* --- Normalization -------------------------------------------------------- */

typedef enum {
    SIM_HPA_POLICY_PODS,
    SIM_HPA_POLICY_PERCENT,
} SimHpaPolicyType;

typedef struct SimHpaPolicy {
    SimHpaPolicyType type;
    gint value;     /* pods, or percent */
    SimTime period; /* periodSeconds */
} SimHpaPolicy;

typedef enum {
    SIM_HPA_SELECT_MAX, /* the largest change (the default) */
    SIM_HPA_SELECT_MIN, /* the smallest change */
    SIM_HPA_SELECT_DISABLED,
} SimHpaSelect;

/* One direction of spec.behavior, defaults filled in. */
typedef struct SimHpaRules {
    SimTime window; /* stabilizationWindowSeconds */
    SimHpaSelect select;
    const SimHpaPolicy *policies;
    gint n_policies;
} SimHpaRules;

typedef struct SimHpaBehavior {
    SimHpaRules up, down;
} SimHpaBehavior;

/* A timestamped recommendation, or a scale event (|change| at a time). */
typedef struct SimHpaStamp {
    gint replicas;
    SimTime at;
    gboolean outdated; /* events: a slot free for reuse */
} SimHpaStamp;

/* The controller's memory of one HPA.  Its arrays reuse slots that fell
 * out of every window, as upstream does, so they stay as long as a
 * window holds syncs: they never grow with simulated time. */
typedef struct SimHpaHistory {
    GArray *recs; /* SimHpaStamp: raw recommendations */
    GArray *up;   /* SimHpaStamp: scale-up events */
    GArray *down; /* SimHpaStamp: scale-down events */
} SimHpaHistory;

void sim_hpa_history_init (SimHpaHistory *h);
void sim_hpa_history_clear (SimHpaHistory *h);
/* recordInitialRecommendation: (current, now) when nothing is recorded. */
void sim_hpa_history_start (SimHpaHistory *h, gint current, SimTime now);

/* Which rule had the last word, for hpa-scaled's detail. */
typedef enum {
    SIM_HPA_LIMIT_NONE,       /* the (stabilized) recommendation */
    SIM_HPA_LIMIT_STABILIZED, /* a window held it back */
    SIM_HPA_LIMIT_RATE,       /* the scale-up or scale-down rate */
    SIM_HPA_LIMIT_MAX,        /* maxReplicas */
    SIM_HPA_LIMIT_MIN,        /* minReplicas */
} SimHpaLimit;

/* normalizeDesiredReplicas (no behavior): the highest recommendation of
 * the last @window (a record exactly @window old still counts), recorded
 * with @raw, then bounded by min, max and max(2 x current, 4).
 * *@stabilized (may be NULL) gets the stabilized value. */
gint sim_hpa_normalize_legacy (SimHpaHistory *h, SimTime now, SimTime window,
                               gint current, gint raw, gint min, gint max,
                               gint *stabilized, SimHpaLimit *limit);
/* normalizeDesiredReplicasWithBehaviors: the stabilization of both
 * windows (strictly newer than the cutoff), then the rate limits of the
 * policies and the bounds. */
gint sim_hpa_normalize_behavior (SimHpaHistory *h, SimTime now,
                                 const SimHpaBehavior *b, gint current,
                                 gint raw, gint min, gint max, gint *stabilized,
                                 SimHpaLimit *limit);
/* calculateScaleUpLimitWithScalingRules and
 * calculateScaleDownLimitWithBehaviors over @h's events. */
gint sim_hpa_scale_up_limit (const SimHpaHistory *h, SimTime now, gint current,
                             const SimHpaRules *r);
gint sim_hpa_scale_down_limit (const SimHpaHistory *h, SimTime now,
                               gint current, const SimHpaRules *r);
/* storeScaleEvent: after a write from @prev to @next replicas. */
void sim_hpa_store_event (SimHpaHistory *h, SimTime now,
                          const SimHpaBehavior *b, gint prev, gint next);

#endif /* SIM_HPA_MATH_H */
