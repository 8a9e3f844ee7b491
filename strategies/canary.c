/* canary.c - the Argo Rollouts canary strategy, reconcile for reconcile
 * (docs/design.md A1.1-A1.9).
 *
 * One sync is one reconcile of rolloutCanary (A1.1): traffic routing
 * (router weights), analysis runs, then at most one ReplicaSet change -
 * stable first, then the new (canary) ReplicaSet, then the others - then
 * the pause logic, and finally the status: promotion, or the step index
 * moving forward by at most one, and the progress deadline.  The rollout
 * status this strategy keeps (step index, pause start, abort, router
 * weights, scale-down deadlines) is what Argo keeps in status and
 * annotations; a reconcile that changes it without scaling anything asks
 * for another one after controller_delay, as a status update does.
 *
 * Roles: the stable ReplicaSet is the initial version's until promotion,
 * the new one is the rollout target's; after promotion both are the
 * target's and the old stable is an "other" ReplicaSet.  Without a router
 * (traffic_routing = none) the active Service keeps selecting every
 * version, so traffic follows pod counts (A1.5); with one, the Service
 * splits by weight between the two versions (A1.6).
 *
 * Settings Argo distinguishes by "set or not" (abortScaleDownDelaySeconds,
 * scaleDownDelaySeconds) are read by value: the scenario default, 30 s,
 * counts as not set (docs/canary.md says why).
 *
 * This file also owns [strategy.canary]: its keys and the checks Argo's
 * validation makes of them (the step grammar is canary-steps.c).
 */
#include <string.h>
#include "strategy.h"
#include "canary.h"
#include "analysis.h"
#include "canary-math.h"
#include "argo-rollout.h"

#define MAX_WEIGHT 100

typedef struct {
    const SimScenario *sc;
    const SimCanarySettings *cs;
    const SimAnalysisSettings *as;
    const SimCanaryStep *steps;
    gint replicas, surge, max_unavailable; /* of the spec, this reconcile */
    gboolean routed, dss;
    gint stable_v; /* status.stableRS's version */
    gint new_v;    /* the template's (status.currentPodHash); the stable's
                      once promoted, and before any rollout */
    gboolean user_paused; /* spec.paused, this reconcile */
    gboolean promote_full;
    gint n_steps;
    gint index;        /* currentStepIndex; n_steps past the end */
    gint logged_index; /* the step whose `step` row is written */
    gint *set_weights; /* every set-weight value, in step order */
    gint n_set_weights;

    SimTime pause_start; /* CanaryPauseStep condition; -1 none */
    gboolean paused;     /* InconclusiveAnalysis: nothing moves */
    gboolean aborted, completed;
    gint announced; /* basic: last weight-set value; -1 */

    /* Router status (status.canary.weights): the new version's share;
     * and the same as this reconcile found it, which is what the replica
     * arithmetic reads, so that a stable shrinks only on a reconcile
     * after traffic has left it (A1.6). */
    gboolean weights_known, seen_known;
    gint router_new, seen_new;
    gint router_v; /* the version the canary share goes to */

    SimTime abort_deadline;                 /* canary scale-down deadline; -1 */
    SimTime old_deadline[SIM_MAX_VERSIONS]; /* per other ReplicaSet */

    SimAnalysisRun step_run, bg_run;
    gint step_run_index; /* the step step_run was started for */
    gboolean bg_started;

    SimArgoRollout status;  /* progress and its deadline (A1.9) */
    SimArgoRestart restart; /* spec.restartAt */
    SimTime requeued_for;
} Canary;

/* The ReplicaSets of one reconcile, in Argo's roles. */
typedef struct {
    SimReplicaSet *new_rs;
    SimReplicaSet *stable;                  /* NULL when it is the new one */
    SimReplicaSet *other[SIM_MAX_VERSIONS]; /* oldest first */
    guint n_other;
} Roles;

/* --- Small helpers -------------------------------------------------------- */

/* Fully promoted: the template is the stable's (after a promotion, a fast
 * rollback, or before any rollout). */
static gboolean
promoted (const Canary *c)
{
    return c->new_v == c->stable_v;
}

static const SimCanaryStep *
current_step (const Canary *c)
{
    return c->index < c->n_steps ? &c->steps[c->index] : NULL;
}

static const char *
vname (const Canary *c, gint v)
{
    return c->sc->versions[v].name;
}

/* A status write the controller sees again after controller_delay. */
static void
requeue (Canary *c, SimWorld *w)
{
    SimTime at = sim_world_now (w) + c->sc->controller_delay;

    if (at == c->requeued_for)
        return;
    c->requeued_for = at;
    sim_world_wake_at (w, at);
}

/* A ReplicaSet as the arithmetic sees it: spec and available pods. */
static void
status_of (SimReplicaSet *rs, SimK8sRs *k)
{
    SimReplicaSetStatus st;

    sim_replica_set_status (rs, &st);
    k->spec = sim_replica_set_spec (rs);
    k->available = st.available;
}

static void
split (const Canary *c, SimWorld *w, Roles *r)
{
    memset (r, 0, sizeof *r);
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        gint v = sim_replica_set_version (rs);

        if (v == c->new_v)
            r->new_rs = rs;
        else if (v == c->stable_v)
            r->stable = rs;
        else
            r->other[r->n_other++] = rs;
    }
}

/* --- Weights -------------------------------------------------------------- */

/* GetCurrentSetWeight (A1.2): the nearest set-weight at or before the
 * current step, 0 if none; 100 past the last step; 0 when aborted. */
static gint
current_set_weight (const Canary *c)
{
    if (c->aborted)
        return 0;
    if (c->index >= c->n_steps)
        return MAX_WEIGHT;
    for (gint i = c->index; i >= 0; i--)
        if (c->steps[i].kind == SIM_STEP_SET_WEIGHT)
            return c->steps[i].value;
    return 0;
}

/* The set-weight before the current step (the router keeps it while the
 * canary is not yet at its count). */
static gint
previous_set_weight (const Canary *c)
{
    for (gint i = MIN (c->index, c->n_steps) - 1; i >= 0; i--)
        if (c->steps[i].kind == SIM_STEP_SET_WEIGHT)
            return c->steps[i].value;
    return 0;
}

/* UseSetCanaryScale (A1.6): walking back from the current step, the
 * nearest set-canary-scale unless match-traffic-weight cancels it;
 * ignored past the last step, and when aborted unless
 * abort_scale_down_delay is 0. */
static const SimCanaryStep *
active_canary_scale (const Canary *c)
{
    if (!c->routed || c->index >= c->n_steps)
        return NULL;
    if (c->aborted && sim_canary_delay (c->cs->abort_scale_down_delay) != 0)
        return NULL;
    for (gint i = c->index; i >= 0; i--) {
        const SimCanaryStep *s = &c->steps[i];

        if (s->kind != SIM_STEP_SET_CANARY_SCALE)
            continue;
        return s->scale_kind == SIM_CANARY_SCALE_MATCH_TRAFFIC ? NULL : s;
    }
    return NULL;
}

/* GetDesiredCanaryWeight on abort with dynamic stable scale (A1.6). */
static gint
abort_walk_weight (const Canary *c, gint stable_available,
                   gint canary_available)
{
    return sim_canary_abort_weight (c->replicas, MAX_WEIGHT, c->set_weights,
                                    c->n_set_weights, stable_available,
                                    canary_available,
                                    c->cs->abort_scale_down_delay.set
                                        && c->cs->abort_scale_down_delay.value
                                               != 0);
}

/* The replica counts this reconcile aims at (1.5 for basic canary: the
 * budgeted counts; 1.6 with a router: the targets). */
static void
desired_counts (const Canary *c, const Roles *r, gint *want_new,
                gint *want_stable, gint *weight_used)
{
    gint weight_dummy;

    if (weight_used == NULL)
        weight_used = &weight_dummy;
    *weight_used = -1;
    SimK8sRs k_new = { 0, 0 }, k_stable = { 0, 0 };
    gint other_spec = 0;

    if (r->new_rs != NULL)
        status_of (r->new_rs, &k_new);
    if (r->stable != NULL)
        status_of (r->stable, &k_stable);
    for (guint i = 0; i < r->n_other; i++)
        other_spec += sim_replica_set_spec (r->other[i]);

    if (!c->routed) {
        gint weight = promoted (c) ? MAX_WEIGHT : current_set_weight (c);

        *weight_used = weight;
        sim_canary_basic_counts (c->replicas, c->surge, c->max_unavailable,
                                 weight, MAX_WEIGHT,
                                 r->new_rs != NULL ? &k_new : NULL,
                                 r->stable != NULL ? &k_stable : NULL,
                                 other_spec, want_new, want_stable);
    } else {
        SimCanaryRouted in = {
            .replicas = c->replicas,
            .max_weight = MAX_WEIGHT,
            .dynamic_stable_scale = c->dss,
            .min_pods = 0,
            .scale_replicas = -1,
            .aborted = c->aborted,
            .weights_known = c->seen_known,
            .router_canary = c->seen_new,
            .router_stable = MAX_WEIGHT - c->seen_new,
        };
        const SimCanaryStep *scs = active_canary_scale (c);

        if (promoted (c) || c->promote_full || r->stable == NULL) {
            in.weight = MAX_WEIGHT;
        } else if (scs != NULL) {
            if (scs->scale_kind == SIM_CANARY_SCALE_REPLICAS)
                in.scale_replicas = scs->value;
            else
                in.weight = scs->value;
        } else if (c->aborted && c->dss && r->new_rs != NULL) {
            /* Walk the weight back down the steps (A1.6, A1.7). */
            in.weight = abort_walk_weight (c, k_stable.available,
                                           k_new.available);
        } else {
            in.weight = current_set_weight (c);
        }
        *weight_used = in.scale_replicas >= 0 ? -1 : in.weight;
        sim_canary_routed_counts (&in, want_new, want_stable);
    }
}

/* AtDesiredReplicaCountsForCanary (A1.2): the new ReplicaSet at its count
 * and all available; stable with exactly its count created (not checked
 * with dynamic stable scale); basic canary: no other pod available. */
static gboolean
at_desired (const Canary *c, const Roles *r)
{
    SimReplicaSetStatus st;
    gint want_new, want_stable;

    if (r->new_rs == NULL)
        return FALSE;
    desired_counts (c, r, &want_new, &want_stable, NULL);
    sim_replica_set_status (r->new_rs, &st);
    if (sim_replica_set_spec (r->new_rs) != want_new
        || st.available != want_new)
        return FALSE;
    if (!c->routed || !c->dss) {
        if (r->stable == NULL)
            return FALSE;
        sim_replica_set_status (r->stable, &st);
        if (sim_replica_set_spec (r->stable) != want_stable
            || st.replicas != want_stable)
            return FALSE;
    }
    if (!c->routed)
        for (guint i = 0; i < r->n_other; i++) {
            sim_replica_set_status (r->other[i], &st);
            if (st.available > 0)
                return FALSE;
        }
    return TRUE;
}

/* Basic canary: say which weight the replica split now aims at. */
static void
announce_weight (Canary *c, SimWorld *w, gint weight, const char *why)
{
    gint cn, sn;
    g_autofree char *detail = NULL;

    if (c->routed || weight == c->announced)
        return;
    c->announced = weight;
    sim_canary_ideal_split (c->replicas, weight, MAX_WEIGHT, c->surge, &cn,
                            &sn);
    detail = g_strdup_printf ("%s: replica split %s %d / %s %d pods "
                              "(no router: traffic follows pods)",
                              why, vname (c, c->new_v), cn,
                              vname (c, c->stable_v), sn);
    sim_world_log (w, SIM_EVENT_WEIGHT_SET, "rollout", c->new_v, TRUE, weight,
                   detail);
}

/* Write the router weights: @share percent to the new version, the rest
 * to the initial one (all to the new one once it is the stable). */
static void
write_weights (Canary *c, SimWorld *w, gint share, const char *why)
{
    gint weights[SIM_MAX_VERSIONS] = { 0 };
    g_autofree char *detail = NULL;

    if (c->weights_known && share == c->router_new && c->router_v == c->new_v)
        return;
    c->weights_known = TRUE;
    c->router_new = share;
    c->router_v = c->new_v;
    weights[c->new_v] = share;
    weights[c->stable_v] += MAX_WEIGHT - share;
    sim_world_set_weights (w, SIM_SERVICE_ACTIVE, weights);
    detail = g_strdup_printf ("%s: router %s %d%%, %s %d%%", why,
                              vname (c, c->new_v), share,
                              vname (c, c->stable_v), MAX_WEIGHT - share);
    sim_world_log (w, SIM_EVENT_WEIGHT_SET, "router", c->new_v, TRUE, share,
                   detail);
    requeue (c, w);
}

/* reconcileTrafficRouting (A1.6). */
static void
reconcile_routing (Canary *c, SimWorld *w, const Roles *r)
{
    SimReplicaSetStatus st_new = { 0 }, st_stable = { 0 };
    gint share;
    const char *why;
    gboolean check_stable = TRUE;

    if (r->new_rs != NULL)
        sim_replica_set_status (r->new_rs, &st_new);
    if (r->stable != NULL)
        sim_replica_set_status (r->stable, &st_stable);

    if (promoted (c)) {
        /* Fully promoted: everything to the (new) stable - once a router
         * has been used at all. */
        if (c->weights_known)
            write_weights (c, w, MAX_WEIGHT, "promoted");
        return;
    }
    if (c->aborted) {
        if (!c->dss) {
            /* Static stable: it is fully scaled, trust it at once. */
            share = 0;
            check_stable = FALSE;
        } else {
            /* Argo v1.9+: hold the weight until the stable can carry the
             * step the walk-back reached, then step down, never up. */
            gint desired = abort_walk_weight (c, st_stable.available,
                                              st_new.available);

            share = sim_canary_abort_router_weight (
                c->replicas, MAX_WEIGHT, desired, st_stable.available,
                c->weights_known, c->router_new);
        }
        why = "abort";
    } else if (r->new_rs == NULL || st_new.available == 0) {
        /* Never route to an empty canary. */
        share = 0;
        why = "no canary pod available";
    } else if (c->promote_full) {
        /* promote --full: with dynamic stable scale the share follows the
         * canary's available pods, else the weight is kept. */
        share = c->dss ? MAX_WEIGHT * st_new.available / c->replicas
                       : (c->weights_known && c->router_v == c->new_v
                              ? c->router_new
                              : 0);
        why = "promote-full";
    } else if (!at_desired (c, r)) {
        share = previous_set_weight (c);
        why = "canary not at its count yet";
    } else if (c->index < c->n_steps) {
        share = current_set_weight (c);
        why = "canary pods available";
    } else {
        share = MAX_WEIGHT;
        why = "all steps done";
    }
    /* The stable must be able to carry the rest before it is sent. */
    if (check_stable
        && st_stable.available
               < (MAX_WEIGHT - share) * c->replicas / MAX_WEIGHT)
        return;
    write_weights (c, w, share, why);
}

/* --- Abort and pauses ----------------------------------------------------- */

static void
abort_rollout (Canary *c, SimWorld *w, const char *why)
{
    if (c->aborted || promoted (c))
        return;
    c->aborted = TRUE;
    c->index = 0; /* status.currentStepIndex reset */
    c->pause_start = -1;
    /* Argo drops every pause condition on abort (CalculatePauseStatus),
     * so an InconclusiveAnalysis pause cannot hold the rollback. */
    c->paused = FALSE;
    sim_analysis_stop (&c->step_run, w);
    sim_analysis_stop (&c->bg_run, w);
    sim_world_rollout_aborted (w, why);
    if (c->routed) {
        sim_world_narrate (w, "abort: traffic back to stable %s%s",
                           vname (c, c->stable_v),
                           c->dss ? " as its pods become available" : "");
    } else {
        sim_world_narrate (w,
                           "abort: %s rolled back to %s within "
                           "max_surge %d / max_unavailable %d",
                           vname (c, c->new_v), vname (c, c->stable_v),
                           c->surge, c->max_unavailable);
        announce_weight (c, w, 0, "abort");
    }
    requeue (c, w);
}

static void
pause_inconclusive (Canary *c, SimWorld *w, const char *label,
                    const SimAnalysisRun *run)
{
    g_autofree char *detail = NULL;

    if (c->paused)
        return;
    c->paused = TRUE;
    detail = g_strdup_printf ("InconclusiveAnalysis: %s %s; paused until a "
                              "promote ([timeline]); without one the run "
                              "ends unfinished",
                              label, run->last != NULL ? run->last : "");
    sim_world_log (w, SIM_EVENT_PAUSED, "rollout", c->new_v, FALSE, 0, detail);
}

/* reconcileAnalysisRuns (A1.2): the inline run of an analysis step and
 * the background run. */
static void
reconcile_analysis (Canary *c, SimWorld *w)
{
    const SimCanaryStep *s = current_step (c);
    SimAnalysisPhase p;

    if (c->aborted || promoted (c))
        return;
    if (s != NULL && s->kind == SIM_STEP_ANALYSIS) {
        if (c->step_run_index != c->index) {
            c->step_run_index = c->index;
            sim_analysis_start (&c->step_run, w, c->new_v, "analysis");
        }
        p = sim_analysis_poll (&c->step_run, w);
        if (p == SIM_ANALYSIS_FAILED || p == SIM_ANALYSIS_ERROR) {
            g_autofree char *why = sim_analysis_why (&c->step_run);

            abort_rollout (c, w, why);
            return;
        }
        if (p == SIM_ANALYSIS_INCONCLUSIVE)
            pause_inconclusive (c, w, "analysis", &c->step_run);
    }
    if (c->as->background && !c->bg_started && c->index >= c->as->start_step) {
        c->bg_started = TRUE;
        sim_analysis_start (&c->bg_run, w, c->new_v, "background analysis");
    }
    if (c->bg_started) {
        p = sim_analysis_poll (&c->bg_run, w);
        if (p == SIM_ANALYSIS_FAILED || p == SIM_ANALYSIS_ERROR) {
            g_autofree char *why = sim_analysis_why (&c->bg_run);

            abort_rollout (c, w, why);
        } else if (p == SIM_ANALYSIS_INCONCLUSIVE) {
            pause_inconclusive (c, w, "background analysis", &c->bg_run);
        }
    }
}

/* reconcileCanaryPause (A1.2): a pause step starts its clock when it is
 * reached with nothing left to scale. */
static void
reconcile_pause (Canary *c, SimWorld *w)
{
    const SimCanaryStep *s = current_step (c);
    g_autofree char *detail = NULL;
    g_autofree char *text = NULL;
    SimTime now = sim_world_now (w);

    if (c->aborted || promoted (c) || c->paused || s == NULL
        || s->kind != SIM_STEP_PAUSE || c->pause_start >= 0)
        return;
    c->pause_start = now;
    text = sim_canary_step_text (s);
    if (s->duration == SIM_TIME_NEVER) {
        detail = g_strdup_printf ("%s: no duration, waits for a promote "
                                  "([timeline]); without one the run "
                                  "ends unfinished",
                                  text);
    } else {
        detail = g_strdup_printf ("%s: until t=%.3fs", text,
                                  SIM_TIME_TO_SEC (now + s->duration));
        sim_world_wake_at (w, now + s->duration);
    }
    sim_world_log (w, SIM_EVENT_PAUSED, "rollout", c->new_v, TRUE, c->index + 1,
                   detail);
}

/* --- ReplicaSets ---------------------------------------------------------- */

/* The canary's count on abort with a router (A1.7): held until
 * abort_scale_down_delay has passed, the clock starting once the stable
 * is fully available.  FALSE: leave the new ReplicaSet alone this
 * reconcile. */
static gboolean
abort_hold (Canary *c, SimWorld *w, const Roles *r, gint *want_new)
{
    SimTime delay = sim_canary_delay (c->cs->abort_scale_down_delay);
    SimTime now = sim_world_now (w);
    SimReplicaSetStatus st;

    if (!c->routed || !c->aborted || delay == 0
        || (c->dss && !c->cs->abort_scale_down_delay.set))
        return TRUE;
    if (c->abort_deadline >= 0) {
        if (now < c->abort_deadline)
            *want_new = sim_replica_set_spec (r->new_rs);
        return TRUE;
    }
    if (r->stable == NULL)
        return FALSE;
    sim_replica_set_status (r->stable, &st);
    if (st.available < c->replicas)
        return FALSE;
    c->abort_deadline = now + delay;
    sim_world_wake_at (w, c->abort_deadline);
    sim_world_narrate (w,
                       "canary %s keeps its %d pod(s) until t=%.3fs "
                       "(abort_scale_down_delay)",
                       vname (c, c->new_v), sim_replica_set_spec (r->new_rs),
                       SIM_TIME_TO_SEC (c->abort_deadline));
    *want_new = sim_replica_set_spec (r->new_rs);
    return TRUE;
}

/* The router still sends @rs traffic: never scale it down (A1.8). */
static gboolean
referenced (const Canary *c, SimReplicaSet *rs)
{
    gint v = sim_replica_set_version (rs);

    if (!c->routed || !c->weights_known)
        return FALSE;
    if (v == c->router_v)
        return c->router_new > 0;
    return v == c->stable_v && c->router_new < MAX_WEIGHT;
}

/* scaleDownOldReplicaSetsForCanary (A1.5, A1.8): unhealthy pods first,
 * then within the unavailability budget, newest first; with a router an
 * old ReplicaSet waits for its scale-down deadline.  TRUE if any
 * changed. */
static gboolean
scale_down_others (Canary *c, SimWorld *w, const Roles *r)
{
    SimTime now = sim_world_now (w);
    gboolean changed = FALSE;
    gint available = 0, max_down;
    SimK8sRs k;

    if (r->n_other == 0)
        return FALSE;
    for (guint i = 0; i < r->n_other; i++) {
        status_of (r->other[i], &k);
        if (k.spec > k.available) {
            sim_world_narrate (w,
                               "scale %s down %d -> %d: an old ReplicaSet "
                               "loses its unavailable pods first (canary: "
                               "they serve nobody)",
                               sim_replica_set_name (r->other[i]), k.spec,
                               k.available);
            sim_world_scale_replica_set (w, r->other[i], k.available);
            changed = TRUE;
        }
    }
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSetStatus st;

        sim_replica_set_status (sim_world_replica_set (w, i), &st);
        available += st.available;
    }
    max_down = available - (c->replicas - c->max_unavailable);
    for (gint i = (gint) r->n_other - 1; i >= 0 && max_down > 0; i--) {
        SimReplicaSet *rs = r->other[i];
        gint v = sim_replica_set_version (rs);
        gint spec = sim_replica_set_spec (rs), want = 0;

        if (spec == 0 || referenced (c, rs))
            continue;
        if (!c->routed) {
            if (spec > max_down)
                want = spec - max_down;
        } else if (c->old_deadline[v] >= 0 && now < c->old_deadline[v]) {
            want = spec;
        }
        if (want == spec)
            continue;
        if (!c->routed)
            sim_world_narrate (
                w,
                "scale %s down %d -> %d: %d pods available, replicas %d - "
                "maxUnavailable %d = %d must stay, so %d may go (canary: old "
                "ReplicaSets shrink within the unavailability budget)",
                sim_replica_set_name (rs), spec, want, available, c->replicas,
                c->max_unavailable, c->replicas - c->max_unavailable, max_down);
        else
            sim_world_narrate (w,
                               "scale %s down %d -> 0: the router sends it "
                               "nothing and its scale-down delay is over",
                               sim_replica_set_name (rs), spec);
        sim_world_scale_replica_set (w, rs, want);
        max_down -= spec - want;
        changed = TRUE;
    }
    return changed;
}

/* The trace says why a ReplicaSet of the canary takes its count: the
 * weight's arithmetic and the rule (A1.5, A1.6). */
static void
narrate_counts (const Canary *c, SimWorld *w, SimReplicaSet *rs, gint to,
                gint weight, gint want_new, gint want_stable)
{
    const char *name = sim_replica_set_name (rs);
    gint from = sim_replica_set_spec (rs);

    if (weight < 0) {
        sim_world_narrate (w,
                           "scale %s %d -> %d: setCanaryScale asks for %d "
                           "canary pod(s); stable %d (the pod count is set "
                           "apart from the weight)",
                           name, from, to, want_new, want_stable);
    } else if (c->routed) {
        sim_world_narrate (
            w,
            "scale %s %d -> %d: weight %d%% of %d replicas needs "
            "ceil(%d x %d / 100) = %d canary pod(s); stable %d (traffic "
            "router: requests follow the weight, pods only carry it)",
            name, from, to, weight, c->replicas, c->replicas, weight,
            sim_canary_weight_to_replicas (c->replicas, weight, MAX_WEIGHT),
            want_stable);
    } else {
        gint ideal_new, ideal_stable;

        sim_canary_ideal_split (c->replicas, weight, MAX_WEIGHT, c->surge,
                                &ideal_new, &ideal_stable);
        sim_world_narrate (
            w,
            "scale %s %d -> %d: weight %d%% of %d replicas is canary %d / "
            "stable %d; this reconcile canary %d, stable %d within maxSurge "
            "%d and maxUnavailable %d (basic canary: the weight is the share "
            "of pods, so traffic follows the pod counts)",
            name, from, to, weight, c->replicas, ideal_new, ideal_stable,
            want_new, want_stable, c->surge, c->max_unavailable);
    }
}

/* reconcileCanaryReplicaSets (A1.1): at most one of stable, new, others.
 * TRUE if anything was scaled. */
static gboolean
reconcile_replica_sets (Canary *c, SimWorld *w, const Roles *r)
{
    gint want_new, want_stable, weight;

    /* haltProgress: a paused Rollout scales nothing (not even for a new
     * spec.replicas) until it is resumed. */
    if (c->user_paused)
        return FALSE;
    desired_counts (c, r, &want_new, &want_stable, &weight);
    if (r->stable != NULL && sim_replica_set_spec (r->stable) != want_stable) {
        narrate_counts (c, w, r->stable, want_stable, weight, want_new,
                        want_stable);
        sim_world_scale_replica_set (w, r->stable, want_stable);
        return TRUE;
    }
    if (!abort_hold (c, w, r, &want_new))
        return scale_down_others (c, w, r);
    if (sim_replica_set_spec (r->new_rs) != want_new) {
        narrate_counts (c, w, r->new_rs, want_new, weight, want_new,
                        want_stable);
        sim_world_scale_replica_set (w, r->new_rs, want_new);
        return TRUE;
    }
    return scale_down_others (c, w, r);
}

/* --- Status: steps, promotion, completion, progress deadline -------------- */

static void
log_step (Canary *c, SimWorld *w)
{
    const SimCanaryStep *s = current_step (c);
    g_autofree char *text = NULL;

    if (s == NULL || c->logged_index == c->index)
        return;
    c->logged_index = c->index;
    text = sim_canary_step_text (s);
    /* The row is not narrated by the log (it does not know the count of
     * steps): say "step 2/6 pause 2m" here. */
    sim_world_log (w, SIM_EVENT_STEP, "rollout", c->new_v, TRUE, c->index + 1,
                   text);
    sim_world_narrate (w, "step %d/%d %s", c->index + 1, c->n_steps, text);
    if (s->kind == SIM_STEP_SET_WEIGHT)
        announce_weight (c, w, s->value, text);
}

static gboolean
step_completed (const Canary *c, SimWorld *w, const Roles *r)
{
    const SimCanaryStep *s = current_step (c);

    if (s == NULL)
        return FALSE;
    switch (s->kind) {
    case SIM_STEP_PAUSE:
        return c->pause_start >= 0 && s->duration != SIM_TIME_NEVER
               && sim_world_now (w) >= c->pause_start + s->duration;
    case SIM_STEP_SET_WEIGHT:
    case SIM_STEP_SET_CANARY_SCALE:
        return at_desired (c, r);
    case SIM_STEP_ANALYSIS:
        return c->step_run_index == c->index
               && c->step_run.phase == SIM_ANALYSIS_SUCCESSFUL;
    }
    return FALSE;
}

static void
promote (Canary *c, SimWorld *w)
{
    g_autofree char *detail = NULL;
    SimTime delay = sim_canary_delay (c->cs->scale_down_delay);
    gboolean wait = c->routed && !c->dss && delay > 0;

    gint old = c->stable_v;

    c->stable_v = c->new_v;
    c->promote_full = FALSE;
    sim_analysis_stop (&c->bg_run, w);
    if (wait) {
        c->old_deadline[old] = sim_world_now (w) + delay;
        sim_world_wake_at (w, c->old_deadline[old]);
    }
    detail = g_strdup_printf ("%s is the stable; %s %s", vname (c, c->new_v),
                              vname (c, old),
                              wait ? "scales down after scale_down_delay"
                                   : "scales down now");
    sim_world_log (w, SIM_EVENT_PROMOTED, "rollout", c->new_v, FALSE, 0,
                   detail);
    announce_weight (c, w, MAX_WEIGHT, "promoted");
    requeue (c, w);
}

/* The progress deadline (A1.9): never while paused, aborted, promoted, in
 * a pause or analysis step, or while an old ReplicaSet waits out its
 * scale-down delay. */
static void
check_progress (Canary *c, SimWorld *w)
{
    const SimCanaryStep *s = current_step (c);
    SimArgoStatus p;
    SimArgoWatch watch = SIM_ARGO_WATCH;

    sim_argo_status_read (
        w, sim_world_replica_set_for (w, sim_world_spec (w)->template), &p);
    p.mark_a = c->index;
    p.mark_b = c->stable_v;
    /* Aborted: Degraded (RolloutAborted) until a retry, no more
     * progress. */
    if (c->aborted)
        watch = SIM_ARGO_DONE;
    else if (c->user_paused)
        watch = SIM_ARGO_HOLD; /* RolloutPaused: the clock restarts */
    else if (c->paused || promoted (c)
             || (s != NULL
                 && (s->kind == SIM_STEP_PAUSE
                     || s->kind == SIM_STEP_ANALYSIS)))
        watch = SIM_ARGO_SUSPEND;
    if (sim_argo_rollout_progress (&c->status, w, &p, watch)
        && c->cs->progress_deadline_abort)
        abort_rollout (c, w,
                       "progress deadline exceeded "
                       "(progress_deadline_abort)");
}

/* syncRolloutStatusCanary (A1.2, A1.7, A1.9). */
static void
sync_status (Canary *c, SimWorld *w, const Roles *r)
{
    SimReplicaSetStatus st;

    if (!promoted (c) && !c->aborted && r->new_rs != NULL) {
        sim_replica_set_status (r->new_rs, &st);
        /* shouldFullPromote: every step done, every new pod available. */
        if (c->index >= c->n_steps && st.available == c->replicas)
            promote (c, w);
    }
    if (promoted (c)) {
        /* Complete once the old ReplicaSets are at 0 (with a router,
         * after scale_down_delay). */
        for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
            SimReplicaSet *rs = sim_world_replica_set (w, i);

            if (sim_replica_set_version (rs) != c->new_v
                && sim_replica_set_spec (rs) > 0)
                return;
        }
        c->completed = TRUE;
        sim_world_rollout_completed (w);
        return;
    }
    if (!c->aborted && !c->paused && !c->user_paused
        && step_completed (c, w, r)) {
        c->index++;
        c->pause_start = -1;
        if (c->index < c->n_steps) {
            log_step (c, w);
        } else {
            sim_world_narrate (w, "all %d steps done: %s goes to 100%%",
                               c->n_steps, vname (c, c->new_v));
            announce_weight (c, w, MAX_WEIGHT, "all steps done");
        }
        requeue (c, w);
    }
    if (!c->completed)
        check_progress (c, w);
}

/* --- The strategy --------------------------------------------------------- */

static void new_template (Canary *c, SimWorld *w);

/* What this reconcile reads of the spec: R (and the surge and
 * unavailability resolved against it) and spec.paused. */
static void
read_spec (Canary *c, const SimDeploymentSpec *spec)
{
    gint unavailable;

    c->replicas = spec->replicas;
    sim_k8s_resolve_fenceposts (c->cs->max_surge, c->cs->max_unavailable,
                                c->replicas, &c->surge, &unavailable);
    c->max_unavailable = sim_k8s_max_unavailable (unavailable, c->replicas);
    c->user_paused = spec->paused;
}

static void
canary_sync (SimWorld *w, gpointer data)
{
    Canary *c = data;
    const SimDeploymentSpec *spec = sim_world_spec (w);
    Roles r;
    gboolean was_aborted;

    read_spec (c, spec);
    if (spec->template.version != c->new_v)
        new_template (c, w);
    if (sim_world_now (w) >= c->requeued_for)
        c->requeued_for = -1; /* that wake-up has come */
    c->seen_known = c->weights_known;
    c->seen_new = c->router_new;
    split (c, w, &r);
    if (r.new_rs != NULL) {
        /* podRestarter.Reconcile: stable, new, then the others. */
        SimReplicaSet *order[SIM_MAX_VERSIONS + 2];
        guint n = 0;

        if (r.stable != NULL)
            order[n++] = r.stable;
        order[n++] = r.new_rs;
        for (guint i = 0; i < r.n_other; i++)
            order[n++] = r.other[i];
        sim_argo_restart (&c->restart, w, order, n, c->max_unavailable);
    }
    if (r.new_rs == NULL) {
        /* The new ReplicaSet is created empty; the next reconcile scales
         * it (TestCanaryRolloutCreateNewReplicaWithCorrectWeight). */
        sim_world_create_replica_set (w, 0);
        split (c, w, &r);
        sync_status (c, w, &r);
        return;
    }
    /* A paused Rollout's traffic weights stay as they are. */
    if (c->routed && !c->user_paused)
        reconcile_routing (c, w, &r);
    was_aborted = c->aborted;
    reconcile_analysis (c, w);
    if (c->paused || c->aborted != was_aborted) {
        /* Argo reads the abort from the stored status: traffic and
         * replicas follow it from the next reconcile on, traffic first. */
        check_progress (c, w);
        return;
    }
    if (reconcile_replica_sets (c, w, &r)) {
        sync_status (c, w, &r);
        return;
    }
    reconcile_pause (c, w);
    sync_status (c, w, &r);
}

/* The template changed: a rollout begins (resetRolloutStatus: step 0,
 * no pause, no abort, no promote --full; a new canary ReplicaSet, the
 * one before it, if any, an "other" to scale down). */
static void
new_template (Canary *c, SimWorld *w)
{
    c->new_v = sim_world_spec (w)->template.version;
    c->index = 0;
    c->logged_index = -1;
    c->pause_start = -1;
    c->paused = c->aborted = c->promote_full = c->completed = FALSE;
    c->announced = -1;
    c->abort_deadline = -1;
    sim_analysis_stop (&c->step_run, w);
    sim_analysis_stop (&c->bg_run, w);
    c->step_run_index = -1;
    c->bg_started = FALSE;
    if (promoted (c)) {
        /* The stable's own template: a fast rollback, no steps. */
        c->index = c->n_steps;
        sim_world_narrate (w, "fast rollback to the stable %s: no steps",
                           vname (c, c->stable_v));
        return;
    }
    sim_world_narrate (w,
                       "canary of %s -> %s: %d step(s)%s%s, traffic %s, "
                       "max_surge %d, max_unavailable %d",
                       vname (c, c->stable_v), vname (c, c->new_v), c->n_steps,
                       c->n_steps > 0 ? ": " : "",
                       c->cs->steps.text != NULL ? c->cs->steps.text : "",
                       c->routed ? (c->dss ? "routed by weight, dynamic "
                                             "stable scale"
                                           : "routed by weight")
                                 : "follows pod counts",
                       c->surge, c->max_unavailable);
    {
        SimArgoStatus first = { .mark_a = -1 };

        sim_argo_rollout_init (&c->status, w, c->cs->progress_deadline, &first);
    }
    /* The first rollout sets the router up; later ones write what
     * reconcileTrafficRouting finds. */
    if (c->routed && !c->weights_known)
        write_weights (c, w, 0, "rollout started");
    log_step (c, w);
}

/* --- Commands (kubectl argo rollouts) --------------------------------------- */

/* A rollout begins again on the same template (retry, or promote --full
 * after an abort). */
static void
restart_after_abort (Canary *c, SimWorld *w)
{
    c->aborted = FALSE;
    c->index = 0;
    c->logged_index = -1;
    c->pause_start = -1;
    c->paused = FALSE;
    c->announced = -1;
    c->abort_deadline = -1;
    c->step_run_index = -1;
    c->bg_started = FALSE;
    sim_world_rollout_again (w);
    {
        SimArgoStatus first = { .mark_a = -1 };

        sim_argo_rollout_init (&c->status, w, c->cs->progress_deadline, &first);
    }
}

static gboolean
canary_command (SimWorld *w, gpointer data, SimCommand cmd, char **refusal)
{
    Canary *c = data;

    if (promoted (c)) {
        sim_world_narrate (w, "nothing to do: %s is fully promoted",
                           vname (c, c->stable_v));
        return TRUE;
    }
    switch (cmd) {
    case SIM_COMMAND_ABORT:
        abort_rollout (c, w, "user abort (kubectl argo rollouts abort)");
        break;
    case SIM_COMMAND_RETRY:
        if (!c->aborted) {
            sim_world_narrate (w, "retry: not aborted, nothing to do");
            break;
        }
        restart_after_abort (c, w);
        sim_world_narrate (w, "retry: from step 1 again");
        log_step (c, w);
        break;
    case SIM_COMMAND_PROMOTE:
        /* The CLI: an inconclusive analysis's pause cleared and the step
         * skipped; else a pause step's condition cleared (the step is
         * then complete); else the current step skipped. */
        if (c->aborted) {
            sim_world_narrate (w, "promote: aborted, nothing moves until a "
                                  "retry");
            break;
        }
        c->paused = FALSE;
        c->pause_start = -1;
        if (c->index < c->n_steps)
            c->index++;
        if (c->index < c->n_steps) {
            log_step (c, w);
        } else {
            sim_world_narrate (w,
                               "promote: all %d steps done: %s goes to "
                               "100%%",
                               c->n_steps, vname (c, c->new_v));
            announce_weight (c, w, MAX_WEIGHT, "promoted by hand");
        }
        break;
    case SIM_COMMAND_PROMOTE_FULL:
        if (c->aborted)
            restart_after_abort (c, w);
        c->promote_full = TRUE;
        c->paused = FALSE;
        c->pause_start = -1;
        c->index = c->n_steps;
        sim_analysis_stop (&c->step_run, w);
        sim_world_narrate (w,
                           "promote --full: %s to 100%%, steps and "
                           "pauses skipped",
                           vname (c, c->new_v));
        announce_weight (c, w, MAX_WEIGHT, "promote-full");
        break;
    }
    return TRUE;
}

static gpointer
canary_init (SimWorld *w, gconstpointer settings)
{
    const SimScenario *sc = sim_world_scenario (w);
    const SimCanarySettings *cs = settings;
    Canary *c = g_new0 (Canary, 1);

    c->sc = sc;
    c->cs = cs;
    c->as = sim_analysis_settings (sc);
    c->steps = sim_canary_steps (cs);
    c->routed = cs->traffic_routing == SIM_TRAFFIC_ROUTING_WEIGHTED;
    c->dss = c->routed && cs->dynamic_stable_scale;
    read_spec (c, sim_world_spec (w));
    /* Complete at t = 0: the template is the stable's. */
    c->stable_v = c->new_v = c->router_v = sc->version_index;
    c->n_steps = cs->steps.n;
    c->logged_index = -1;
    c->set_weights = g_new0 (gint, MAX (c->n_steps, 1));
    for (gint i = 0; i < c->n_steps; i++)
        if (c->steps[i].kind == SIM_STEP_SET_WEIGHT)
            c->set_weights[c->n_set_weights++] = c->steps[i].value;
    c->pause_start = -1;
    c->announced = -1;
    c->abort_deadline = -1;
    for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
        c->old_deadline[v] = -1;
    c->step_run_index = -1;
    c->step_run.probe = c->bg_run.probe = -1;
    c->requeued_for = -1;
    sim_argo_restart_init (&c->restart);
    return c;
}

static void
canary_free (gpointer data)
{
    Canary *c = data;

    if (c == NULL)
        return;
    sim_analysis_clear (&c->step_run);
    sim_analysis_clear (&c->bg_run);
    g_free (c->set_weights);
    g_free (c);
}

/* --- [strategy.canary] ----------------------------------------------------- */

/* Settings Argo's validation rejects (A1.3), when the canary runs. */
static gboolean
canary_validate (const SimPlaces *pl, gconstpointer settings,
                 const SimScenario *s, GError **error)
{
    const SimCanarySettings *cs = settings;
    const SimAnalysisSettings *as = sim_analysis_settings (s);
    const SimCanaryStep *steps = sim_canary_steps (cs);
    gboolean routed = cs->traffic_routing == SIM_TRAFFIC_ROUTING_WEIGHTED;

    if (!routed) {
        for (gint i = 0; i < cs->steps.n; i++) {
            g_autofree char *text = NULL;

            if (steps[i].kind != SIM_STEP_SET_CANARY_SCALE)
                continue;
            text = sim_canary_step_text (&steps[i]);
            g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                         "strategy.canary.steps: step %d \"%s\": "
                         "set-canary-scale needs traffic_routing = weighted "
                         "(accepted: set-weight N, pause, pause DURATION, "
                         "analysis)",
                         i + 1, text);
            return FALSE;
        }
        if (cs->dynamic_stable_scale) {
            g_set_error_literal (error, SIM_SCENARIO_ERROR,
                                 SIM_SCENARIO_ERROR_CONFLICT,
                                 "strategy.canary.dynamic_stable_scale: "
                                 "needs traffic_routing = weighted "
                                 "(accepted: false)");
            return FALSE;
        }
        /* Argo's validation rejects scaleDownDelaySeconds without a
         * router; abortScaleDownDelaySeconds it accepts and a basic canary
         * ignores (shouldDelayScaleDownOnAbort). */
        if (cs->scale_down_delay.set) {
            g_set_error_literal (error, SIM_SCENARIO_ERROR,
                                 SIM_SCENARIO_ERROR_CONFLICT,
                                 "strategy.canary.scale_down_delay: only used "
                                 "with traffic_routing = weighted (accepted: "
                                 "default)");
            return FALSE;
        }
    } else if (cs->dynamic_stable_scale && cs->scale_down_delay.set) {
        g_set_error_literal (error, SIM_SCENARIO_ERROR,
                             SIM_SCENARIO_ERROR_CONFLICT,
                             "strategy.canary.scale_down_delay: cannot be "
                             "used with dynamic_stable_scale, which scales "
                             "the old stable down at once (accepted: "
                             "default)");
        return FALSE;
    }
    if (!sim_canary_steps_check_scale (steps, cs->steps.n, s->replicas, error)
        || !sim_canary_steps_check_analysis (steps, cs->steps.n, as->count,
                                             error))
        return FALSE;
    /* Argo's startingStep counts from 0, the trace from 1: say both. */
    if (as->background && cs->steps.n > 0 && as->start_step >= cs->steps.n) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "analysis.start_step: %d is past the last canary step "
                     "(accepted: 0..%d, an index into strategy.canary.steps "
                     "counted from 0 as Argo's startingStep: start_step = N "
                     "starts at the step the trace calls N+1/%d)",
                     as->start_step, cs->steps.n - 1, cs->steps.n);
        return FALSE;
    }
    return TRUE;
}

/* What the API server refuses whatever strategy runs: surge and
 * unavailability both 0.  The group's progress_deadline is checked
 * against deployment.min_ready by the loader, only when the canary runs
 * (scenario.h). */
static gboolean
canary_check (const SimPlaces *pl, gconstpointer settings, const SimScenario *s,
              GError **error)
{
    const SimCanarySettings *cs = settings;

    return sim_scenario_check_surge (pl, "strategy.canary", cs->max_surge,
                                     cs->max_unavailable, error);
}

static const char *const routing_names[] = {
    "none",
    "weighted",
    NULL,
};

#define C SimCanarySettings

static const SimKeyRow canary_rows[] = {
    SIM_KEY ("steps", "", "", SIM_CANARY_ACCEPT_STEPS,
             "The canary steps, in order (see below); none = straight to "
             "full weight.",
             SIM_KEY_T_LIST (C, steps, "steps", &sim_canary_step_item)),
    SIM_KEY ("max_surge", "25%", "pods", SIM_KEY_ACCEPT_SURGE,
             "maxSurge of the canary's replica arithmetic.",
             SIM_KEY_T_PERCENT (C, max_surge, G_MAXINT)),
    SIM_KEY ("max_unavailable", "25%", "pods", SIM_KEY_ACCEPT_UNAVAILABLE,
             "maxUnavailable of the canary's replica arithmetic.",
             SIM_KEY_T_PERCENT (C, max_unavailable, 100)),
    SIM_KEY ("traffic_routing", "none", "", "none, weighted",
             "none: one Service, traffic follows pod counts; weighted: a "
             "router splits traffic by the set weight.",
             SIM_KEY_T_ENUM (C, traffic_routing, routing_names)),
    SIM_KEY ("dynamic_stable_scale", "false", "", SIM_KEY_ACCEPT_BOOL,
             "Scale the stable ReplicaSet down as the canary weight grows "
             "(with traffic routing).",
             SIM_KEY_T_BOOL (C, dynamic_stable_scale)),
    SIM_KEY ("scale_down_delay", "default", "",
             SIM_KEY_ACCEPT_DURATION ", or default (not set: 30s)",
             "scaleDownDelaySeconds: after promotion, how long the old "
             "ReplicaSet keeps running (with traffic routing).",
             SIM_KEY_T_OPT_DURATION (C, scale_down_delay, 0)),
    SIM_KEY ("abort_scale_down_delay", "default", "",
             SIM_KEY_ACCEPT_DURATION ", or default (not set: 30s)",
             "abortScaleDownDelaySeconds: after an abort, how long the "
             "canary ReplicaSet keeps running (with traffic routing; with "
             "dynamic_stable_scale only when set).",
             SIM_KEY_T_OPT_DURATION (C, abort_scale_down_delay, 0)),
    SIM_KEY ("progress_deadline", "600s", "",
             "a duration greater than deployment.min_ready " SIM_KEY_DURATIONS
             ", or none",
             "progressDeadlineSeconds of the Rollout.",
             SIM_KEY_T_DURATION_OR_NONE (C, progress_deadline)),
    SIM_KEY ("progress_deadline_abort", "false", "", SIM_KEY_ACCEPT_BOOL,
             "progressDeadlineAbort: abort the update when the progress "
             "deadline is exceeded.",
             SIM_KEY_T_BOOL (C, progress_deadline_abort)),
    SIM_KEY_END,
};

#undef C

const SimKeyGroup sim_canary_settings_group = {
    .name = "strategy.canary",
    .doc = "Argo Rollouts canary.  max_surge and max_unavailable may not "
           "both be 0.",
    .notes = "Steps are separated by `;` (whitespace is free) and run in "
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
             "analysis; set-weight 100`\n",
    .rows = canary_rows,
    .size = sizeof (SimCanarySettings),
    .check = canary_check,
    .validate = canary_validate,
};

/* The Rollout's scale (docs/design.md H3.1): the selector is
 * spec.selector, every pod; status.HPAReplicas every ReplicaSet's
 * replicas, or with PR #4868 (@stable_only) the stable's alone when a
 * router splits traffic without dynamicStableScale. */
static gint
canary_scale_status (SimWorld *w, gpointer data, gboolean stable_only,
                     gboolean *selected)
{
    Canary *c = data;
    gint total = 0, stable = -1;

    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        SimReplicaSetStatus st;

        sim_replica_set_status (rs, &st);
        selected[i] = TRUE;
        total += st.replicas;
        if (sim_replica_set_version (rs) == c->stable_v)
            stable = MAX (stable, 0) + st.replicas;
    }
    if (stable_only && c->routed && !c->dss && stable >= 0)
        return stable;
    return total;
}

const SimStrategyClass sim_strategy_canary = {
    .name = "canary",
    .summary = "Argo Rollouts canary: weight steps, pauses, analysis, abort",
    .rollout = TRUE,
    .settings = &sim_canary_settings_group,
    .init = canary_init,
    .sync = canary_sync,
    .command = canary_command,
    .free_data = canary_free,
    .scale_status = canary_scale_status,
};
