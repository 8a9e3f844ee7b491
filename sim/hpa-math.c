/* hpa-math.c - the HorizontalPodAutoscaler's arithmetic (hpa-math.h).
 *
 * Read from kubernetes/kubernetes v1.28 pkg/controller/podautoscaler:
 * groupPods, GetResourceReplicas and calcPlainMetricReplicas
 * (replica_calculator.go), GetResourceUtilizationRatio
 * (metrics/utilization.go), GetExternalPerPodMetricReplicas, and the
 * normalization of horizontal.go.  Written again here; the order of
 * operations and the integer roundings are upstream's, because the
 * answers differ at the edges (a utilization floored before the ratio, a
 * ceil of a float product, a recommendation exactly a window old).
 */
#include <math.h>
#include "hpa-math.h"

/* Go's int32(math.Ceil(x)) for the values a sane run produces; beyond
 * that, a bound instead of undefined behaviour. */
static gint
ceil_count (double x)
{
    double c = ceil (x);

    if (!(c < (double) (G_MAXINT / 2)))
        return isnan (c) ? 0 : G_MAXINT / 2;
    if (c < (double) (G_MININT / 2))
        return G_MININT / 2;
    return (gint) c;
}

static gint
trunc_count (double x)
{
    if (!(x < (double) (G_MAXINT / 2)))
        return isnan (x) ? 0 : G_MAXINT / 2;
    if (x < (double) (G_MININT / 2))
        return G_MININT / 2;
    return (gint) x;
}

gboolean
sim_hpa_within_tolerance (double ratio, double tolerance)
{
    return fabs (1.0 - ratio) <= tolerance;
}

SimHpaPodClass
sim_hpa_classify (const SimHpaPod *pod, gboolean cpu, SimTime now,
                  const SimHpaParams *p)
{
    if (pod->ignored)
        return SIM_HPA_POD_IGNORED;
    if (pod->pending)
        return SIM_HPA_POD_UNREADY;
    if (!pod->has_metric)
        return SIM_HPA_POD_MISSING;
    if (cpu) {
        gboolean unready;

        if (!pod->has_ready)
            unready = TRUE;
        else if (pod->start_time + p->cpu_init_period > now)
            /* Still initializing: the sample must cover a whole window
             * after the last readiness change. */
            unready = !pod->ready
                      || pod->timestamp < pod->ready_changed + pod->window;
        else
            /* Unready only if it never became ready. */
            unready = !pod->ready
                      && pod->start_time + p->readiness_delay
                             > pod->ready_changed;
        if (unready)
            return SIM_HPA_POD_UNREADY;
    }
    return SIM_HPA_POD_READY;
}

/* --- Proposals ---------------------------------------------------------- */

/* The working set of one sync: each pod's class and the value it
 * counts with (its sample, or the value assumed in the slow path). */
typedef struct {
    SimHpaPodClass cls;
    gboolean counted; /* in the metrics map */
    gint64 value;
} Slot;

/* GetResourceUtilizationRatio: floor(100 * sum(usage) / sum(request)),
 * over the counted pods; FALSE when the requests sum to 0. */
static gboolean
utilization (const SimHpaPod *pods, const Slot *s, gint n, gint64 *util)
{
    gint64 usage = 0, request = 0;

    for (gint i = 0; i < n; i++) {
        if (!s[i].counted)
            continue;
        usage += s[i].value;
        request += pods[i].request;
    }
    if (request == 0)
        return FALSE;
    *util = usage * 100 / request;
    return TRUE;
}

/* GetMetricUsageRatio's average: integer division. */
static gint64
average (const Slot *s, gint n, gint *count)
{
    gint64 total = 0;

    *count = 0;
    for (gint i = 0; i < n; i++) {
        if (!s[i].counted)
            continue;
        total += s[i].value;
        (*count)++;
    }
    return *count > 0 ? total / *count : 0;
}

/* Classify, and count the ready pods' samples.  FALSE: no pod at all or
 * none with a usable sample (the metric fails). */
static gboolean
group (const SimHpaPod *pods, Slot *s, gint n, gboolean cpu, SimTime now,
       const SimHpaParams *p, gint *ready, gint *unready, gint *missing)
{
    *ready = *unready = *missing = 0;
    for (gint i = 0; i < n; i++) {
        s[i].cls = sim_hpa_classify (&pods[i], cpu, now, p);
        s[i].counted = s[i].cls == SIM_HPA_POD_READY;
        s[i].value = pods[i].value;
        *ready += s[i].cls == SIM_HPA_POD_READY;
        *unready += s[i].cls == SIM_HPA_POD_UNREADY;
        *missing += s[i].cls == SIM_HPA_POD_MISSING;
    }
    return n > 0 && *ready > 0;
}

/* The end of both calculators once the first ratio is known: the fast
 * path, or the slow path with missing pods at @fallback on scale-down
 * (0 on scale-up) and unready pods at 0 on scale-up.  @ratio_of
 * recomputes the ratio over the counted pods. */
typedef double (*RatioFunc) (const SimHpaPod *pods, const Slot *s, gint n,
                             gint64 target, gboolean *ok);

static void
finish (const SimHpaPod *pods, Slot *s, gint n, gint current, gint64 target,
        gint64 fallback_pct, gboolean resource, gint ready, gint unready,
        gint missing, double tolerance, RatioFunc ratio_of, SimHpaProposal *out)
{
    double ratio = out->ratio, again;
    gboolean up_with_unready = unready > 0 && ratio > 1.0;
    gint counted = 0, next;
    gboolean ok = TRUE;

    if (!up_with_unready && missing == 0) {
        if (sim_hpa_within_tolerance (ratio, tolerance)) {
            out->replicas = current;
            out->rule = "within tolerance";
        } else {
            out->replicas = ceil_count (ratio * (double) ready);
            out->rule = "ratio x ready pods";
        }
        return;
    }
    for (gint i = 0; i < n; i++) {
        if (s[i].cls == SIM_HPA_POD_MISSING && ratio != 1.0) {
            s[i].counted = TRUE;
            if (ratio > 1.0)
                s[i].value = 0;
            else if (resource)
                s[i].value = pods[i].request * fallback_pct / 100;
            else
                s[i].value = target;
        }
        if (s[i].cls == SIM_HPA_POD_UNREADY && up_with_unready) {
            s[i].counted = TRUE;
            s[i].value = 0;
        }
        counted += s[i].counted;
    }
    again = ratio_of (pods, s, n, target, &ok);
    if (!ok || sim_hpa_within_tolerance (again, tolerance)
        || (ratio < 1.0 && again > 1.0) || (ratio > 1.0 && again < 1.0)) {
        out->replicas = current;
        out->rule = missing > 0 ? "held: pods without metrics"
                                : "held: unready pods counted at 0";
        return;
    }
    next = ceil_count (again * (double) counted);
    if ((again < 1.0 && next > current) || (again > 1.0 && next < current)) {
        out->replicas = current;
        out->rule = "held: rolling-update guard";
        return;
    }
    out->replicas = next;
    out->rule = missing > 0 ? "pods without metrics assumed"
                            : "unready pods counted at 0";
}

static double
resource_ratio (const SimHpaPod *pods, const Slot *s, gint n, gint64 target,
                gboolean *ok)
{
    gint64 util = 0;

    *ok = utilization (pods, s, n, &util);
    return (double) util / (double) target;
}

static double
plain_ratio (const SimHpaPod *pods, const Slot *s, gint n, gint64 target,
             gboolean *ok)
{
    gint count;
    gint64 avg = average (s, n, &count);

    *ok = count > 0;
    return (double) avg / (double) target;
}

static void
failed (SimHpaProposal *out, const char *why)
{
    out->replicas = -1;
    out->usage = 0;
    out->ratio = NAN;
    out->rule = why;
}

void
sim_hpa_resource_replicas (const SimHpaPod *pods, gint n, gint current,
                           gint target_pct, gboolean cpu, SimTime now,
                           const SimHpaParams *p, SimHpaProposal *out)
{
    g_autofree Slot *s = g_new0 (Slot, MAX (n, 1));
    gint ready, unready, missing;
    gint64 util;

    out->ready = 0;
    for (gint i = 0; i < n; i++)
        if (!pods[i].ignored && pods[i].request <= 0) {
            failed (out, "a pod without a request");
            return;
        }
    if (!group (pods, s, n, cpu, now, p, &ready, &unready, &missing)) {
        failed (out, n == 0 ? "no pods" : "no pod with a metric");
        return;
    }
    out->ready = ready;
    if (!utilization (pods, s, n, &util) || target_pct <= 0) {
        failed (out, "no request");
        return;
    }
    out->usage = util;
    out->ratio = (double) util / (double) target_pct;
    finish (pods, s, n, current, target_pct, MAX (100, target_pct), TRUE, ready,
            unready, missing, p->tolerance, resource_ratio, out);
}

void
sim_hpa_plain_replicas (const SimHpaPod *pods, gint n, gint current,
                        gint64 target, SimTime now, const SimHpaParams *p,
                        SimHpaProposal *out)
{
    g_autofree Slot *s = g_new0 (Slot, MAX (n, 1));
    gint ready, unready, missing, count;

    out->ready = 0;
    if (!group (pods, s, n, FALSE, now, p, &ready, &unready, &missing)
        || target <= 0) {
        failed (out, n == 0 ? "no pods" : "no pod with a metric");
        return;
    }
    out->ready = ready;
    out->usage = average (s, n, &count);
    out->ratio = (double) out->usage / (double) target;
    finish (pods, s, n, current, target, 0, FALSE, ready, unready, missing,
            p->tolerance, plain_ratio, out);
}

void
sim_hpa_external_replicas (gint64 total, gint64 target, gint status_replicas,
                           double tolerance, SimHpaProposal *out)
{
    double ratio = (double) total
                   / ((double) target * (double) status_replicas);

    out->ready = status_replicas;
    out->ratio = ratio;
    out->replicas = status_replicas;
    out->rule = "within tolerance of status.replicas";
    if (fabs (1.0 - ratio) > tolerance) {
        out->replicas = ceil_count ((double) total / (double) target);
        out->rule = "total / target";
    }
    out->usage = status_replicas > 0
                     ? (gint64) ceil ((double) total / status_replicas)
                     : 0;
}

/* --- History ------------------------------------------------------------- */

void
sim_hpa_history_init (SimHpaHistory *h)
{
    h->recs = g_array_new (FALSE, FALSE, sizeof (SimHpaStamp));
    h->up = g_array_new (FALSE, FALSE, sizeof (SimHpaStamp));
    h->down = g_array_new (FALSE, FALSE, sizeof (SimHpaStamp));
}

void
sim_hpa_history_clear (SimHpaHistory *h)
{
    g_clear_pointer (&h->recs, g_array_unref);
    g_clear_pointer (&h->up, g_array_unref);
    g_clear_pointer (&h->down, g_array_unref);
}

void
sim_hpa_history_start (SimHpaHistory *h, gint current, SimTime now)
{
    SimHpaStamp s = { current, now, FALSE };

    if (h->recs->len == 0)
        g_array_append_val (h->recs, s);
}

/* Record @raw at @now in slot @old (one that fell out of every window),
 * or append when there is none. */
static void
record (SimHpaHistory *h, gint old, gint raw, SimTime now)
{
    SimHpaStamp s = { raw, now, FALSE };

    if (old >= 0)
        g_array_index (h->recs, SimHpaStamp, old) = s;
    else
        g_array_append_val (h->recs, s);
}

static gint
bound (gint desired, gint lo, gint hi, SimHpaLimit *limit, SimHpaLimit lo_why,
       SimHpaLimit hi_why)
{
    if (desired < lo) {
        *limit = lo_why;
        return lo;
    }
    if (desired > hi) {
        *limit = hi_why;
        return hi;
    }
    return desired;
}

gint
sim_hpa_normalize_legacy (SimHpaHistory *h, SimTime now, SimTime window,
                          gint current, gint raw, gint min, gint max,
                          gint *stabilized, SimHpaLimit *limit)
{
    SimTime cutoff = now - window;
    gint best = raw, old = -1, up_limit, hi;
    SimHpaLimit why = SIM_HPA_LIMIT_NONE;

    /* stabilizeRecommendation: records before the cutoff are stale (the
     * last stale slot is reused); the others hold scale-down back. */
    for (guint i = 0; i < h->recs->len; i++) {
        const SimHpaStamp *r = &g_array_index (h->recs, SimHpaStamp, i);

        if (r->at < cutoff)
            old = (gint) i;
        else if (r->replicas > best)
            best = r->replicas;
    }
    record (h, old, raw, now);
    if (stabilized != NULL)
        *stabilized = best;
    if (best != raw)
        why = SIM_HPA_LIMIT_STABILIZED;
    /* convertDesiredReplicasWithRules. */
    up_limit = MAX (2 * current, 4);
    hi = MIN (max, up_limit);
    best = bound (best, min, hi, &why, SIM_HPA_LIMIT_MIN,
                  max > up_limit ? SIM_HPA_LIMIT_RATE : SIM_HPA_LIMIT_MAX);
    if (limit != NULL)
        *limit = why;
    return best;
}

/* getReplicasChangePerPeriod: the changes strictly newer than the
 * period's start. */
static gint
changed_in (const GArray *events, SimTime now, SimTime period)
{
    gint sum = 0;

    for (guint i = 0; i < events->len; i++) {
        const SimHpaStamp *e = &g_array_index (events, SimHpaStamp, i);

        if (e->at > now - period)
            sum += e->replicas;
    }
    return sum;
}

gint
sim_hpa_scale_up_limit (const SimHpaHistory *h, SimTime now, gint current,
                        const SimHpaRules *r)
{
    gint result;

    if (r->select == SIM_HPA_SELECT_DISABLED)
        return current;
    result = r->select == SIM_HPA_SELECT_MIN ? G_MAXINT : G_MININT;
    for (gint i = 0; i < r->n_policies; i++) {
        const SimHpaPolicy *p = &r->policies[i];
        gint base = current - changed_in (h->up, now, p->period)
                    + changed_in (h->down, now, p->period);
        gint proposed = p->type == SIM_HPA_POLICY_PODS
                            ? base + p->value
                            : ceil_count ((double) base
                                          * (1.0 + (double) p->value / 100.0));

        result = r->select == SIM_HPA_SELECT_MIN ? MIN (result, proposed)
                                                 : MAX (result, proposed);
    }
    return result;
}

gint
sim_hpa_scale_down_limit (const SimHpaHistory *h, SimTime now, gint current,
                          const SimHpaRules *r)
{
    gint result;

    if (r->select == SIM_HPA_SELECT_DISABLED)
        return current;
    result = r->select == SIM_HPA_SELECT_MIN ? G_MININT : G_MAXINT;
    for (gint i = 0; i < r->n_policies; i++) {
        const SimHpaPolicy *p = &r->policies[i];
        gint base = current - changed_in (h->up, now, p->period)
                    + changed_in (h->down, now, p->period);
        gint proposed = p->type == SIM_HPA_POLICY_PODS
                            ? base - p->value
                            : trunc_count ((double) base
                                           * (1.0 - (double) p->value / 100.0));

        result = r->select == SIM_HPA_SELECT_MIN ? MAX (result, proposed)
                                                 : MIN (result, proposed);
    }
    return result;
}

gint
sim_hpa_normalize_behavior (SimHpaHistory *h, SimTime now,
                            const SimHpaBehavior *b, gint current, gint raw,
                            gint min, gint max, gint *stabilized,
                            SimHpaLimit *limit)
{
    SimTime up_cut = now - b->up.window, down_cut = now - b->down.window;
    gint up_rec = raw, down_rec = raw, old = -1, rec, lim;
    SimHpaLimit why = SIM_HPA_LIMIT_NONE;

    /* stabilizeRecommendationWithBehaviors: strictly newer than each
     * cutoff counts; a slot older than both is reused. */
    for (guint i = 0; i < h->recs->len; i++) {
        const SimHpaStamp *r = &g_array_index (h->recs, SimHpaStamp, i);

        if (r->at > up_cut)
            up_rec = MIN (up_rec, r->replicas);
        if (r->at > down_cut)
            down_rec = MAX (down_rec, r->replicas);
        if (r->at < up_cut && r->at < down_cut)
            old = (gint) i;
    }
    rec = current;
    if (rec < up_rec)
        rec = up_rec;
    if (rec > down_rec)
        rec = down_rec;
    record (h, old, raw, now);
    if (stabilized != NULL)
        *stabilized = rec;
    if (rec != raw)
        why = SIM_HPA_LIMIT_STABILIZED;

    /* convertDesiredReplicasWithBehaviorRate. */
    if (rec > current) {
        gint hi;

        lim = MAX (sim_hpa_scale_up_limit (h, now, current, &b->up), current);
        hi = MIN (max, lim);
        if (rec > hi) {
            why = max > lim ? SIM_HPA_LIMIT_RATE : SIM_HPA_LIMIT_MAX;
            rec = hi;
        }
    } else if (rec < current) {
        gint lo;

        lim = MIN (sim_hpa_scale_down_limit (h, now, current, &b->down),
                   current);
        lo = MAX (min, lim);
        if (rec < lo) {
            why = min < lim ? SIM_HPA_LIMIT_RATE : SIM_HPA_LIMIT_MIN;
            rec = lo;
        }
    }
    if (limit != NULL)
        *limit = why;
    return rec;
}

static SimTime
longest_period (const SimHpaRules *r)
{
    SimTime longest = 0;

    for (gint i = 0; i < r->n_policies; i++)
        longest = MAX (longest, r->policies[i].period);
    return longest;
}

void
sim_hpa_store_event (SimHpaHistory *h, SimTime now, const SimHpaBehavior *b,
                     gint prev, gint next)
{
    gboolean up = next > prev;
    GArray *events = up ? h->up : h->down;
    SimTime longest = longest_period (up ? &b->up : &b->down);
    SimHpaStamp e = { up ? next - prev : prev - next, now, FALSE };

    if (next == prev)
        return;
    /* markScaleEventsOutdated, then the first outdated slot is reused. */
    for (guint i = 0; i < events->len; i++) {
        SimHpaStamp *s = &g_array_index (events, SimHpaStamp, i);

        if (s->at < now - longest)
            s->outdated = TRUE;
    }
    for (guint i = 0; i < events->len; i++) {
        SimHpaStamp *s = &g_array_index (events, SimHpaStamp, i);

        if (s->outdated) {
            *s = e;
            return;
        }
    }
    g_array_append_val (events, e);
}
