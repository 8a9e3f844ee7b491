/* hpa.c - [autoscaling]: the HorizontalPodAutoscaler's settings, their
 * checks, and its controller loop (hpa.h).  The arithmetic is
 * hpa-math.c's; this file gathers its inputs from the world and writes
 * the answer.
 *
 * One sync (reconcileAutoscaler, kubernetes v1.28 horizontal.go): read
 * the scale (spec.replicas, status.replicas, the selector's pods); 0
 * replicas turns the HPA off; outside [min, max] the bound is the
 * answer; else the metric's proposal, normalized.  A write differs from
 * spec.replicas, or there is none.  Syncs come every sync_period, the
 * first one sync_period after t = 0 (the HPA's work queue delays every
 * key, a new one included).  The metrics pipeline scrapes every
 * metrics_resolution from t = 0, before the HPA of the same instant.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "hpa.h"
#include "scenario-place.h"
#include "metrics.h"

/* --- Value kinds of this group ------------------------------------------------ */

static gboolean bad (SimKeyParse *p, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gboolean
bad (SimKeyParse *p, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    p->why = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    return FALSE;
}

/* target: "80%" or a number > 0. */
static gboolean
parse_target (const SimKeyRow *row, gpointer f, const char *text,
              SimKeyParse *p)
{
    SimHpaTarget t = { 0 };
    g_autofree char *num = g_strdup (text);
    gsize n = strlen (num);

    if (n > 0 && num[n - 1] == '%') {
        gint64 v;

        num[n - 1] = '\0';
        if (!sim_key_to_int64 (num, &v) || v < 1 || v > 100000)
            return bad (p, "%s: a percentage must be an integer 1%%..100000%%",
                        text);
        t.value = (double) v;
        t.percent = TRUE;
    } else if (!sim_key_to_double (num, &t.value) || !(t.value > 0)
               || t.value > 1e12) {
        return bad (p, "%s: not a percentage or a number > 0", text);
    }
    *(SimHpaTarget *) f = t;
    return TRUE;
}

static char *
format_target (const SimKeyRow *row, gconstpointer f)
{
    const SimHpaTarget *t = f;

    if (t->percent)
        return g_strdup_printf ("%.0f%%", t->value);
    return g_strdup_printf ("%.17g", t->value);
}

static const SimKeyKind target_kind = { parse_target, format_target, NULL,
                                        NULL };

/* external_total: a number >= 0, or `rate`. */
static gboolean
parse_total (const SimKeyRow *row, gpointer f, const char *text, SimKeyParse *p)
{
    SimHpaTotal t = { 0 };

    if (strcmp (text, "rate") == 0)
        t.rate = TRUE;
    else if (!sim_key_to_double (text, &t.value) || !(t.value >= 0)
             || t.value > 1e12)
        return bad (p, "%s: not a number >= 0 or rate", text);
    *(SimHpaTotal *) f = t;
    return TRUE;
}

static char *
format_total (const SimKeyRow *row, gconstpointer f)
{
    const SimHpaTotal *t = f;

    return t->rate ? g_strdup ("rate") : g_strdup_printf ("%.17g", t->value);
}

static const SimKeyKind total_kind = { parse_total, format_total, NULL, NULL };

/* A policy: "pods 4 per 15s", "percent 100 per 15s".  Kubernetes
 * validates value > 0 and 0 < periodSeconds <= 1800. */
static gboolean
parse_policy (const char *text, gpointer out, GString *canon, char **why)
{
    g_auto (GStrv) w = sim_key_words (text);
    SimHpaPolicy *pol = out;
    g_autoptr (GError) err = NULL;
    g_autofree char *period = NULL;
    gint64 v;

    if (g_strv_length (w) != 4 || strcmp (w[2], "per") != 0) {
        *why = g_strdup ("expected pods N per DURATION or percent N per "
                         "DURATION");
        return FALSE;
    }
    if (strcmp (w[0], "pods") == 0)
        pol->type = SIM_HPA_POLICY_PODS;
    else if (strcmp (w[0], "percent") == 0)
        pol->type = SIM_HPA_POLICY_PERCENT;
    else {
        *why = g_strdup_printf ("unknown policy type \"%s\" (pods, percent)",
                                w[0]);
        return FALSE;
    }
    if (!sim_key_to_int64 (w[1], &v) || v < 1 || v > 100000) {
        *why = g_strdup_printf ("%s: the value must be an integer 1..100000",
                                w[1]);
        return FALSE;
    }
    pol->value = (gint) v;
    if (!sim_units_parse_duration (w[3], &pol->period, &err)) {
        *why = g_strdup (err->message);
        return FALSE;
    }
    if (pol->period <= 0 || pol->period > 1800 * SIM_SEC
        || pol->period % SIM_SEC != 0) {
        *why = g_strdup_printf ("%s: the period must be whole seconds, "
                                "1s..30m (periodSeconds)",
                                w[3]);
        return FALSE;
    }
    period = sim_units_format_duration (pol->period);
    g_string_append_printf (canon, "%s %d per %s", w[0], pol->value, period);
    return TRUE;
}

static const SimKeyItem policy_item = {
    .what = "policy",
    .size = sizeof (SimHpaPolicy),
    .parse = parse_policy,
};

/* --- The table ------------------------------------------------------------------- */

static const char *const metric_names[] = { "cpu", "memory", "requests_per_pod",
                                            "external", NULL };
static const char *const select_names[] = { "default", "max", "min", "disabled",
                                            NULL };
static const char *const rollout_names[] = { "all-pods", "stable-only", NULL };

#define H SimHpaSettings
#define ACCEPT_POLICIES \
    "policies `pods N per DURATION` or `percent N per DURATION` separated " \
    "by ';' (N >= 1, DURATION whole seconds up to 30m); empty: " \
    "Kubernetes' default"
#define ACCEPT_WINDOW "a duration 0s..1h " SIM_KEY_DURATIONS ", or default"

static const SimKeyRow hpa_rows[] = {
    SIM_KEY ("min_replicas", "1", "pods", "an integer 1..100000",
             "minReplicas: the HPA never writes fewer.",
             SIM_KEY_T_INT (H, min_replicas, 1, SIM_MAX_REPLICAS)),
    SIM_KEY ("max_replicas", "none", "pods", "an integer 1..100000, or none",
             "maxReplicas; none: no HPA (the whole group is then unused).",
             SIM_KEY_T_INT_OR (H, max_replicas, 1, SIM_MAX_REPLICAS, "none")),
    SIM_KEY ("metric", "cpu", "", "cpu, memory, requests_per_pod, external",
             "What the HPA reads: cpu or memory (a Resource metric, "
             "utilization of the request), requests_per_pod (a Pods "
             "metric, average requests/s), external (an External "
             "AverageValue metric, external_total over the pods).",
             SIM_KEY_T_ENUM (H, metric, metric_names)),
    SIM_KEY ("target", "80%", "",
             "a percentage 1%..100000% for cpu and memory; a number > 0 "
             "for the others",
             "The target: a utilization of the request (cpu, memory), or "
             "the average value per pod (requests_per_pod, external).",
             .type = "percentage or number", .kind = &target_kind,
             SIM_KEY_OFF (H, target)),
    SIM_KEY ("external_total", "rate", "", "a number >= 0, or rate",
             "metric = external: the metric's total (a queue length, a "
             "cron's figure), or rate, the traffic's arrival rate.",
             .type = "number or rate", .kind = &total_kind,
             SIM_KEY_OFF (H, external_total)),
    SIM_KEY ("sync_period", "15s", "", SIM_KEY_ACCEPT_POSITIVE,
             "--horizontal-pod-autoscaler-sync-period: time between syncs, "
             "the first one that long after t = 0.",
             SIM_KEY_T_DURATION (H, sync_period, 1)),
    SIM_KEY ("tolerance", "0.1", "", "a number 0..1",
             "No change while |1 - ratio| <= tolerance (the rule of "
             "Kubernetes 1.32 and earlier).",
             SIM_KEY_T_NUMBER (H, tolerance, 0.0, 1.0)),
    SIM_KEY ("scale_up_window", "default", "", ACCEPT_WINDOW,
             "behavior.scaleUp.stabilizationWindowSeconds (default 0s).",
             SIM_KEY_T_OPT_DURATION (H, scale_up_window, 0)),
    SIM_KEY ("scale_down_window", "default", "", ACCEPT_WINDOW,
             "behavior.scaleDown.stabilizationWindowSeconds (default 5m, "
             "the controller's downscale stabilization).",
             SIM_KEY_T_OPT_DURATION (H, scale_down_window, 0)),
    SIM_KEY ("scale_up_policies", "", "", ACCEPT_POLICIES,
             "behavior.scaleUp.policies (default `pods 4 per 15s; percent "
             "100 per 15s`); a list replaces the default one.",
             SIM_KEY_T_LIST (H, scale_up_policies, "policies", &policy_item)),
    SIM_KEY ("scale_down_policies", "", "", ACCEPT_POLICIES,
             "behavior.scaleDown.policies (default `percent 100 per 15s`).",
             SIM_KEY_T_LIST (H, scale_down_policies, "policies", &policy_item)),
    SIM_KEY ("scale_up_select", "default", "", "default, max, min, disabled",
             "behavior.scaleUp.selectPolicy: max (the default) takes the "
             "policy allowing the largest change, min the smallest, "
             "disabled never scales up.",
             SIM_KEY_T_ENUM (H, scale_up_select, select_names)),
    SIM_KEY ("scale_down_select", "default", "", "default, max, min, disabled",
             "behavior.scaleDown.selectPolicy, as scale_up_select.",
             SIM_KEY_T_ENUM (H, scale_down_select, select_names)),
    SIM_KEY ("cpu_init_period", "5m", "", SIM_KEY_ACCEPT_DURATION,
             "--horizontal-pod-autoscaler-cpu-initialization-period: a pod "
             "this young counts for cpu only with a sample taken a whole "
             "window after it became ready.",
             SIM_KEY_T_DURATION (H, cpu_init_period, 0)),
    SIM_KEY ("initial_readiness_delay", "30s", "", SIM_KEY_ACCEPT_DURATION,
             "--horizontal-pod-autoscaler-initial-readiness-delay: after "
             "cpu_init_period, a not-ready pod counts as unready only if it "
             "never became ready this long after its start.",
             SIM_KEY_T_DURATION (H, initial_readiness_delay, 0)),
    SIM_KEY ("metrics_resolution", "15s", "",
             "a duration 10s..10m " SIM_KEY_DURATIONS,
             "metrics-server's --metric-resolution: how often it scrapes, "
             "and so the window of a CPU sample.",
             SIM_KEY_T_DURATION (H, metrics_resolution, 10 * SIM_SEC)),
    SIM_KEY ("rollout_hpa_replicas", "all-pods", "", "all-pods, stable-only",
             "Argo Rollouts canary: status.HPAReplicas counts every "
             "ReplicaSet's pods (all-pods, today's Argo) or the stable's "
             "alone (stable-only, argo-rollouts PR #4868).",
             SIM_KEY_T_ENUM (H, rollout_hpa_replicas, rollout_names)),
    SIM_KEY_END,
};

#undef H

/* --- Checks ---------------------------------------------------------------------- */

static gboolean
rows_differ_from_defaults (const SimHpaSettings *h, const char **key)
{
    g_autofree SimHpaSettings *def = g_new0 (SimHpaSettings, 1);
    gboolean differ = FALSE;

    sim_key_rows_defaults (hpa_rows, def);
    for (const SimKeyRow *r = hpa_rows; r->key != NULL && !differ; r++) {
        g_autofree char *a = sim_key_format (r, h);
        g_autofree char *b = sim_key_format (r, def);

        if (strcmp (r->key, "max_replicas") != 0 && strcmp (a, b) != 0) {
            differ = TRUE;
            *key = r->key;
        }
    }
    sim_key_rows_clear (hpa_rows, def);
    return differ;
}

static gboolean
hpa_check (const SimPlaces *pl, gconstpointer settings, const SimScenario *s,
           GError **error)
{
    const SimHpaSettings *h = settings;
    const char *key = NULL;
    gboolean resource = h->metric == SIM_HPA_METRIC_CPU
                        || h->metric == SIM_HPA_METRIC_MEMORY;

    if (h->max_replicas < 0) {
        if (rows_differ_from_defaults (h, &key))
            return sim_places_key_error (
                pl, error, SIM_SCENARIO_ERROR_CONFLICT, "autoscaling",
                "max_replicas", "an integer 1..100000",
                "required: autoscaling.%s is written, but without "
                "max_replicas there is no HPA",
                key);
        return TRUE;
    }
    if (h->min_replicas > h->max_replicas)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "autoscaling", "min_replicas",
                                     "an integer 1..max_replicas",
                                     "%d is more than max_replicas (%d)",
                                     h->min_replicas, h->max_replicas);
    if (resource != h->target.percent)
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, "autoscaling", "target",
            resource ? "a percentage 1%..100000%" : "a number > 0",
            resource ? "metric %s takes a utilization of the request"
                     : "metric %s takes an average value per pod, not a "
                       "percentage",
            metric_names[h->metric]);
    if (h->metric == SIM_HPA_METRIC_CPU && s->cpu == 0)
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, "autoscaling", "metric",
            NULL,
            "cpu: the pods request no CPU (deployment.cpu = 0), so the HPA "
            "can compute no utilization");
    if (h->metric == SIM_HPA_METRIC_MEMORY && s->memory == 0)
        return sim_places_key_error (
            pl, error, SIM_SCENARIO_ERROR_CONFLICT, "autoscaling", "metric",
            NULL, "memory: the pods request no memory (deployment.memory = 0)");
    if (h->scale_up_window.set && h->scale_up_window.value > SIM_HOUR)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                     "autoscaling", "scale_up_window",
                                     ACCEPT_WINDOW, "more than 1h");
    if (h->scale_down_window.set && h->scale_down_window.value > SIM_HOUR)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                     "autoscaling", "scale_down_window",
                                     ACCEPT_WINDOW, "more than 1h");
    if (h->metrics_resolution > 10 * SIM_MIN)
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_INVALID,
                                     "autoscaling", "metrics_resolution",
                                     "a duration 10s..10m", "more than 10m");
    return TRUE;
}

const SimKeyGroup sim_hpa_group = {
    .name = "autoscaling",
    .doc = "The application's HorizontalPodAutoscaler (autoscaling/v2): it "
           "rewrites deployment.replicas from a metric every sync_period.  "
           "See docs/autoscaling.md.",
    .notes =
        "Without `max_replicas` there is no HPA.  The HPA reads the pods its "
        "target's scale selects: every pod of the Deployment (surge pods "
        "included), every pod of a canary Rollout, the active ReplicaSet's "
        "of a blue-green one.  Their CPU comes from `[version.NAME]` "
        "`cpu_idle`, `cpu_startup` and `cpu_per_request`, measured over "
        "`metrics_resolution` windows as metrics-server does; memory is "
        "`memory_usage`.\n"
        "\n"
        "When none of the behavior keys (`scale_up_window`, "
        "`scale_down_window`, `*_policies`, `*_select`) is written the HPA "
        "has no spec.behavior: scale-down waits for the highest "
        "recommendation of the last 5 minutes and scale-up is at most "
        "max(2 x current, 4) per sync.  Writing any of them applies the "
        "behavior rules with Kubernetes' defaults for the rest: scale-up "
        "window 0s, `pods 4 per 15s; percent 100 per 15s`, select max; "
        "scale-down window 5m, `percent 100 per 15s`, select max.\n"
        "\n"
        "Each write is an `hpa-scaled` row of events.csv (value: the new "
        "replicas; detail: the metric, the ratio, the rule that decided).  "
        "Example: `max_replicas = 20`, `target = 60%`, `scale_down_window = "
        "1m`.\n",
    .rows = hpa_rows,
    .size = sizeof (SimHpaSettings),
    .check = hpa_check,
};

SimTime
sim_hpa_metrics_resolution (const SimScenario *s)
{
    const SimHpaSettings *h = sim_hpa_settings (s);

    return h != NULL ? h->metrics_resolution : 15 * SIM_SEC;
}

gboolean
sim_hpa_has_behavior (const SimHpaSettings *h)
{
    return h->scale_up_window.set || h->scale_down_window.set
           || h->scale_up_policies.n > 0 || h->scale_down_policies.n > 0
           || h->scale_up_select != 0 || h->scale_down_select != 0;
}

/* --- The controller ---------------------------------------------------------------- */

static const SimHpaPolicy default_up[] = {
    { SIM_HPA_POLICY_PODS, 4, 15 * SIM_SEC },
    { SIM_HPA_POLICY_PERCENT, 100, 15 * SIM_SEC },
};
static const SimHpaPolicy default_down[] = {
    { SIM_HPA_POLICY_PERCENT, 100, 15 * SIM_SEC },
};

/* The controller's flag --horizontal-pod-autoscaler-downscale-
 * stabilization, which also stands for an unset scale-down window. */
#define DOWNSCALE_STABILIZATION (300 * SIM_SEC)

struct SimHpa {
    const SimHpaSettings *s;
    gboolean behavior;
    SimHpaBehavior b;
    SimHpaHistory h;
    SimHpaParams params;
    GArray *pods;       /* SimHpaPod, reused each sync */
    gint desired;       /* status.desiredReplicas; -1 before the first sync */
    double utilization; /* the last cpu utilization %, NaN */
    gint peak;          /* the highest spec.replicas written */
};

static void
rules_of (SimHpaRules *r, SimKeyOptDuration window, SimTime def_window,
          const SimKeyList *policies, const SimHpaPolicy *def, gint n_def,
          gint select)
{
    r->window = window.set ? window.value : def_window;
    r->select = select == 0 ? SIM_HPA_SELECT_MAX : (SimHpaSelect) (select - 1);
    if (policies->n > 0) {
        r->policies = policies->items;
        r->n_policies = policies->n;
    } else {
        r->policies = def;
        r->n_policies = n_def;
    }
}

/* The scale's selected pods as the HPA lists them. */
static gint
gather (SimWorld *w, SimHpa *hpa, gboolean cpu, gboolean requests,
        gint *status_replicas)
{
    g_autofree gboolean *selected = NULL;
    guint n_rs = w->replica_sets->len;
    gint64 request = cpu ? w->sc->cpu : w->sc->memory;

    selected = g_new0 (gboolean, n_rs);
    *status_replicas = sim_strategy_scale_status (
        w->strategy, w, w->strategy_data,
        hpa->s->rollout_hpa_replicas == SIM_HPA_ROLLOUT_STABLE_ONLY, selected);
    g_array_set_size (hpa->pods, 0);
    for (guint i = 0; i < n_rs; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

        if (!selected[i])
            continue;
        for (guint k = 0; k < rs->pods->len; k++) {
            const SimPod *pod = g_ptr_array_index (rs->pods, k);
            SimHpaPod p = { 0 };

            if (pod->phase == SIM_POD_GONE)
                continue;
            p.ignored = pod->terminating;
            /* Pending until a container runs: unscheduled or pulling. */
            p.pending = pod->phase == SIM_POD_PENDING
                        || pod->phase == SIM_POD_PULLING;
            /* Milli-units: millicores, or bytes x 1000. */
            p.request = cpu ? request : request * 1000;
            if (requests) {
                p.has_metric = sim_usage_pod_metric (w, pod, TRUE, &p.value,
                                                     &p.timestamp, &p.window);
            } else if (cpu) {
                p.has_metric = sim_usage_pod_metric (w, pod, FALSE, &p.value,
                                                     &p.timestamp, &p.window);
            } else {
                /* Memory: the working set at the last scrape, reported
                 * with the pod's CPU (metrics-server returns a pod once
                 * it has a CPU rate). */
                p.has_metric = sim_usage_pod_metric (w, pod, FALSE, &p.value,
                                                     &p.timestamp, &p.window);
                p.value = w->sc->versions[pod->version].memory_usage * 1000;
            }
            /* A pod the kubelet took has both; the others are Pending. */
            p.has_ready = !p.pending;
            p.ready = pod->phase == SIM_POD_READY;
            p.ready_changed = pod->ready_changed;
            p.start_time = pod->start_time;
            g_array_append_val (hpa->pods, p);
        }
    }
    return (gint) hpa->pods->len;
}

static const char *
limit_text (SimHpaLimit l, gboolean up, gboolean held_up, gboolean behavior,
            char *buf, gsize n, const SimHpaBehavior *b)
{
    switch (l) {
    case SIM_HPA_LIMIT_NONE:
        return "the metric's proposal";
    case SIM_HPA_LIMIT_STABILIZED: {
        /* Below the proposal: the scale-up window held the lowest recent
         * one; above it: the scale-down window held the highest. */
        g_autofree char *win = sim_units_format_duration (held_up
                                                              ? b->up.window
                                                              : b->down.window);

        g_snprintf (buf, n, "%s held by %s window",
                    held_up ? "scale-up" : "scale-down", win);
        return buf;
    }
    case SIM_HPA_LIMIT_RATE:
        if (!behavior)
            return "scale-up limited to max(2 x current, 4)";
        return up ? "scale-up limited by policy"
                  : "scale-down limited by "
                    "policy";
    case SIM_HPA_LIMIT_MAX:
        return "max_replicas";
    case SIM_HPA_LIMIT_MIN:
        return "min_replicas";
    }
    return "";
}

static void
hpa_write (SimWorld *w, SimHpa *hpa, gint current, gint desired,
           const char *detail)
{
    SimTime now = sim_engine_now (w->engine);

    sim_world_log (w, SIM_EVENT_HPA_SCALED, "hpa", -1, TRUE, desired, detail);
    if (hpa->behavior)
        sim_hpa_store_event (&hpa->h, now, &hpa->b, current, desired);
    hpa->peak = MAX (hpa->peak, desired);
    sim_metrics_hpa_scaled (w->metrics, desired);
    sim_world_set_replicas (w, desired);
}

static void
hpa_sync (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    SimHpa *hpa = w->hpa;
    const SimHpaSettings *s = hpa->s;
    SimTime now = sim_engine_now (engine);
    gint current = w->app.spec.replicas, status = 0, raw, desired;
    SimHpaProposal prop = { 0 };
    char ratio[160], why[64];
    const char *rule;

    sim_engine_after (engine, s->sync_period, SIM_CLASS_CONTROLLER, hpa_sync, w,
                      0);
    sim_hpa_history_start (&hpa->h, current, now);
    if (current == 0 && s->min_replicas != 0) {
        hpa->desired = 0; /* ScalingDisabled */
        return;
    }
    if (current > s->max_replicas || current < s->min_replicas) {
        desired = current > s->max_replicas ? s->max_replicas : s->min_replicas;
        hpa->desired = desired;
        g_snprintf (ratio, sizeof ratio, "spec.replicas %d %s: %s", current,
                    current > s->max_replicas ? "above max_replicas"
                                              : "below min_replicas",
                    current > s->max_replicas ? "max_replicas"
                                              : "min_replicas");
        hpa_write (w, hpa, current, desired, ratio);
        return;
    }

    switch (s->metric) {
    case SIM_HPA_METRIC_CPU:
    case SIM_HPA_METRIC_MEMORY: {
        gboolean cpu = s->metric == SIM_HPA_METRIC_CPU;
        gint n = gather (w, hpa, cpu, FALSE, &status);

        sim_hpa_resource_replicas ((SimHpaPod *) (void *) hpa->pods->data, n,
                                   current, (gint) s->target.value, cpu, now,
                                   &hpa->params, &prop);
        if (cpu)
            hpa->utilization = prop.replicas >= 0 ? (double) prop.usage : NAN;
        g_snprintf (ratio, sizeof ratio, "%s %" G_GINT64_FORMAT "%% of %.0f%%",
                    metric_names[s->metric], prop.usage, s->target.value);
        break;
    }
    case SIM_HPA_METRIC_REQUESTS: {
        gint n = gather (w, hpa, FALSE, TRUE, &status);

        sim_hpa_plain_replicas ((SimHpaPod *) (void *) hpa->pods->data, n,
                                current,
                                (gint64) llround (s->target.value * 1000.0),
                                now, &hpa->params, &prop);
        g_snprintf (ratio, sizeof ratio, "requests_per_pod %.3g of %.3g",
                    (double) prop.usage / 1000.0, s->target.value);
        break;
    }
    case SIM_HPA_METRIC_EXTERNAL: {
        double total = s->external_total.rate ? w->profile_rate
                                              : s->external_total.value;

        gather (w, hpa, FALSE, TRUE, &status);
        sim_hpa_external_replicas ((gint64) llround (total * 1000.0),
                                   (gint64) llround (s->target.value * 1000.0),
                                   status, s->tolerance, &prop);
        g_snprintf (ratio, sizeof ratio,
                    "external %.3g over %d pods (status.replicas) against "
                    "%.3g",
                    total, status, s->target.value);
        break;
    }
    }
    if (prop.replicas < 0) {
        /* FailedGetResourceMetric: no recommendation, no write. */
        sim_world_narrate (w, "hpa: no scaling: %s", prop.rule);
        return;
    }
    raw = prop.replicas;
    {
        gint stabilized;
        SimHpaLimit limit;

        if (hpa->behavior)
            desired = sim_hpa_normalize_behavior (&hpa->h, now, &hpa->b,
                                                  current, raw, s->min_replicas,
                                                  s->max_replicas, &stabilized,
                                                  &limit);
        else
            desired = sim_hpa_normalize_legacy (
                &hpa->h, now, DOWNSCALE_STABILIZATION, current, raw,
                s->min_replicas, s->max_replicas, &stabilized, &limit);
        rule = limit_text (limit, raw > current, stabilized < raw,
                           hpa->behavior, why, sizeof why, &hpa->b);
    }
    hpa->desired = desired;
    if (desired != current) {
        g_autofree char *detail = g_strdup_printf (
            "%s, ratio %.3f; proposal %d (%s); %s", ratio, prop.ratio, raw,
            prop.rule, rule);

        hpa_write (w, hpa, current, desired, detail);
    }
}

static void
scrape (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    sim_usage_scrape (w);
    sim_engine_after (engine, w->hpa->s->metrics_resolution, SIM_CLASS_SAMPLE,
                      scrape, w, 0);
}

void
sim_hpa_start (SimWorld *w)
{
    const SimHpaSettings *s = sim_hpa_settings (w->sc);
    SimHpa *hpa;

    if (s == NULL)
        return;
    hpa = g_new0 (SimHpa, 1);
    hpa->s = s;
    hpa->behavior = sim_hpa_has_behavior (s);
    rules_of (&hpa->b.up, s->scale_up_window, 0, &s->scale_up_policies,
              default_up, G_N_ELEMENTS (default_up), s->scale_up_select);
    rules_of (&hpa->b.down, s->scale_down_window, DOWNSCALE_STABILIZATION,
              &s->scale_down_policies, default_down,
              G_N_ELEMENTS (default_down), s->scale_down_select);
    if (!hpa->behavior)
        hpa->b.down.window = DOWNSCALE_STABILIZATION;
    sim_hpa_history_init (&hpa->h);
    hpa->params.tolerance = s->tolerance;
    hpa->params.cpu_init_period = s->cpu_init_period;
    hpa->params.readiness_delay = s->initial_readiness_delay;
    hpa->pods = g_array_new (FALSE, TRUE, sizeof (SimHpaPod));
    hpa->desired = -1;
    hpa->utilization = NAN;
    hpa->peak = -1;
    w->hpa = hpa;
    sim_engine_schedule (w->engine, 0, SIM_CLASS_SAMPLE, scrape, w, 0);
    sim_engine_schedule (w->engine, s->sync_period, SIM_CLASS_CONTROLLER,
                         hpa_sync, w, 0);
}

void
sim_hpa_free (SimWorld *w)
{
    SimHpa *hpa = w->hpa;

    if (hpa == NULL)
        return;
    sim_hpa_history_clear (&hpa->h);
    g_array_unref (hpa->pods);
    g_free (hpa);
    w->hpa = NULL;
}

gint
sim_hpa_desired (const SimWorld *w)
{
    return w->hpa != NULL ? w->hpa->desired : -1;
}

double
sim_hpa_utilization (const SimWorld *w)
{
    return w->hpa != NULL ? w->hpa->utilization : NAN;
}

gint
sim_hpa_peak (const SimWorld *w)
{
    return w->hpa != NULL ? w->hpa->peak : -1;
}
