/* canary-math.c - Argo Rollouts canary arithmetic.  See canary-math.h;
 * section numbers are those of docs/design.md chapter A. */
#include "canary-math.h"

gint
sim_canary_weight_to_replicas (gint replicas, gint weight, gint max_weight)
{
    gint64 n = (gint64) weight * replicas;

    g_return_val_if_fail (max_weight > 0, 0);
    if (n <= 0)
        return 0;
    return (gint) ((n + max_weight - 1) / max_weight);
}

/* frac(total * weight / max_weight) == 0.5: the floor and the ceiling
 * are equally far from the weight. */
static gboolean
tied (gint total, gint weight, gint max_weight)
{
    return 2 * (((gint64) total * weight) % max_weight) == max_weight;
}

/* |canary / total - weight / max_weight| scaled by max_weight, kept as
 * the fraction num / total so options compare exactly. */
typedef struct {
    gint canary, total;
} Option;

static gint64
delta_num (const Option *o, gint weight, gint max_weight)
{
    gint64 d = (gint64) o->canary * max_weight - (gint64) weight * o->total;

    return d < 0 ? -d : d;
}

static gboolean
closer (const Option *a, const Option *b, gint weight, gint max_weight)
{
    return delta_num (a, weight, max_weight) * b->total
           < delta_num (b, weight, max_weight) * a->total;
}

void
sim_canary_ideal_split (gint replicas, gint weight, gint max_weight, gint surge,
                        gint *canary, gint *stable)
{
    Option opts[4], best;
    guint n = 0;
    gint64 rw = (gint64) replicas * weight;
    gint c_ceil = (gint) ((rw + max_weight - 1) / max_weight);
    gint c_floor = (gint) (rw / max_weight);
    gboolean zero_ok = weight == max_weight || weight == 0
                       || (replicas == 1 && surge == 0);

    if (replicas <= 0) {
        *canary = *stable = 0;
        return;
    }
    if (c_ceil < replicas || zero_ok)
        opts[n++] = (Option) { c_ceil, replicas };
    if (!tied (replicas, weight, max_weight) && (c_floor != 0 || zero_ok))
        opts[n++] = (Option) { c_floor, replicas };
    if (surge > 0) {
        opts[n++] = (Option) { c_ceil, replicas + 1 };
        if (!tied (replicas + 1, weight, max_weight)
            && (c_floor != 0 || zero_ok))
            opts[n++] = (Option) { c_floor, replicas + 1 };
    }
    if (n == 0) {
        /* Upstream: "should not get here". */
        *canary = 0;
        *stable = replicas;
        return;
    }
    /* Strictly closer wins, so earlier options win ties. */
    best = opts[0];
    for (guint i = 1; i < n; i++)
        if (closer (&opts[i], &best, weight, max_weight))
            best = opts[i];
    *canary = best.canary;
    *stable = best.total - best.canary;
}

/* GetReplicasForScaleDown: a spec below the available count counts as
 * the spec (those extra pods are going away); otherwise the spec when
 * availability may be ignored, else the available count. */
static gint
counted (const SimK8sRs *rs, gboolean ignore_available)
{
    if (rs == NULL)
        return 0;
    if (rs->spec < rs->available || ignore_available)
        return rs->spec;
    return rs->available;
}

/* adjustReplicaWithinLimits (A1.5 c): trim the kept ReplicaSet back under
 * max_total, give back as much of the trim as min_available needs (never
 * more than the trimmed pods that were available), then trim the drained
 * one if the sum is still over. */
static void
adjust (const SimK8sRs *drain, const SimK8sRs *keep, gint *d_cnt, gint *k_cnt,
        gint max_total, gint min_available)
{
    gint over = MAX (0, *k_cnt + *d_cnt - max_total);
    gint avail = 0, extra;

    if (drain != NULL)
        avail += MIN (drain->available, *d_cnt);
    if (keep == NULL)
        return;
    *k_cnt -= over;
    avail += MIN (keep->available, *k_cnt);
    extra = MAX (0, keep->available - *k_cnt);
    *k_cnt += MIN (extra, MAX (0, min_available - avail));
    *d_cnt -= MAX (0, *k_cnt + *d_cnt - max_total);
}

void
sim_canary_basic_counts (gint replicas, gint surge, gint max_unavailable,
                         gint weight, gint max_weight, const SimK8sRs *new_rs,
                         const SimK8sRs *stable, gint other_spec, gint *new_out,
                         gint *stable_out)
{
    gint want_new, want_stable, new_cnt, stable_cnt;
    gint max_total = replicas + surge, scale_up, min_available, to_down;
    gint budget;
    gboolean increasing;

    if (stable != NULL) {
        sim_canary_ideal_split (replicas, weight, max_weight, surge, &want_new,
                                &want_stable);
    } else {
        /* (b') No distinct stable: the new ReplicaSet goes to 100%. */
        want_new = replicas;
        want_stable = 0;
    }
    new_cnt = new_rs != NULL ? new_rs->spec : 0;
    stable_cnt = stable != NULL ? stable->spec : 0;

    /* Surge room goes to stable first, then to the canary. */
    scale_up = max_total - (other_spec + new_cnt + stable_cnt);
    if (stable != NULL && stable->spec < want_stable && scale_up > 0) {
        stable_cnt = MIN (want_stable, stable->spec + scale_up);
        scale_up -= stable_cnt - stable->spec;
    }
    if (new_rs != NULL && new_rs->spec < want_new && scale_up > 0)
        new_cnt = MIN (want_new, new_rs->spec + scale_up);

    /* Older ReplicaSets drain first: no scale-down of these two yet. */
    if (other_spec > 0)
        goto out;

    min_available = replicas - max_unavailable;
    increasing = new_rs == NULL || want_new >= new_rs->spec;
    to_down = counted (new_rs, !increasing) + counted (stable, increasing);
    if (to_down <= min_available)
        goto out;
    budget = to_down - min_available;
    if (!increasing) {
        /* Weight going down (abort, a lower setWeight): shrink the
         * canary, counting stable availability. */
        if (new_rs != NULL && new_rs->spec > want_new)
            new_cnt = MAX (want_new, new_rs->spec - budget);
        adjust (new_rs, stable, &new_cnt, &stable_cnt, max_total,
                min_available);
    } else if (stable != NULL) {
        if (stable->spec > want_stable)
            stable_cnt = MAX (want_stable, stable->spec - budget);
        adjust (stable, new_rs, &stable_cnt, &new_cnt, max_total,
                min_available);
    }
out:
    *new_out = new_cnt;
    *stable_out = stable_cnt;
}

/* CheckMinPodsPerReplicaSet: a non-zero count is at least min_pods,
 * itself capped at R. */
static gint
min_pods (const SimCanaryRouted *in, gint n)
{
    if (n == 0 || in->min_pods <= 0)
        return n;
    return MAX (n, MIN (in->min_pods, in->replicas));
}

void
sim_canary_routed_counts (const SimCanaryRouted *in, gint *canary, gint *stable)
{
    gint r = in->replicas, w = in->weight, mw = in->max_weight;
    gint c, s;

    if (in->scale_replicas >= 0)
        c = in->scale_replicas;
    else
        c = min_pods (in, sim_canary_weight_to_replicas (r, w, mw));
    if (!in->dynamic_stable_scale) {
        /* The stable stays at 100% until the rollout completes. */
        *canary = c;
        *stable = r;
        return;
    }
    /* Stable follows the higher of the desired and the actual stable
     * weight: it shrinks only after traffic has left it, and grows
     * ahead of traffic coming back. */
    s = sim_canary_weight_to_replicas (r, mw - MIN (w, mw), mw);
    if (in->weights_known) {
        s = MAX (s, sim_canary_weight_to_replicas (r, in->router_stable, mw));
        /* Aborting, the canary keeps what the router still sends it. */
        if (in->aborted)
            c = MAX (c,
                     sim_canary_weight_to_replicas (r, in->router_canary, mw));
    }
    *canary = min_pods (in, c);
    *stable = min_pods (in, s);
}

gint
sim_canary_abort_weight (gint replicas, gint max_weight, const gint *weights,
                         gint n_weights, gint stable_available,
                         gint canary_available, gboolean explicit_delay)
{
    gint expected = replicas - stable_available;
    gint c = explicit_delay ? expected : MAX (expected, canary_available);

    for (gint i = n_weights - 1; i >= 0; i--)
        if (sim_canary_weight_to_replicas (replicas, weights[i], max_weight)
            < c)
            return weights[i];
    return 0;
}

gint
sim_canary_abort_router_weight (gint replicas, gint max_weight, gint desired,
                                gint stable_available, gboolean weights_known,
                                gint current)
{
    /* Integer division, as upstream's int32 arithmetic. */
    gint stable_share = replicas > 0 ? (gint) ((gint64) max_weight
                                               * stable_available / replicas)
                                     : max_weight;
    gint expected = MAX (max_weight - stable_share, 0);

    if (!weights_known)
        return expected;
    if (desired == 0)
        return MIN (expected, current);
    /* The stable cannot carry what the step below asks yet: hold. */
    if (stable_share < max_weight - desired)
        return current;
    return MIN (desired, current);
}
