/* flagger.c - Flagger's Canary (v1.44.0) tick by tick: the progressive
 * canary, A/B testing, blue/green and mirroring (docs/design.md chapter
 * F; docs/flagger.md for users).
 *
 * Flagger runs two Deployments, which the world creates for it (the
 * class's `deployments`): the primary, a copy of the workload that serves
 * users, and the canary, which is the user's own Deployment - its
 * template follows every write of the user at once - scaled from zero
 * when a run starts and to zero when it ends.  Both are rolled by the
 * Kubernetes Deployment controller (k8s-deployment.c), reconciled at
 * every sync; promotion copies the canary's spec into the primary, which
 * then rolls with primary_max_surge and primary_max_unavailable.  A
 * mesh's route (world.h SimRoute) splits users between them.
 *
 * Flagger itself acts only on its ticks: every `interval`, at a phase
 * fixed for the run (the ticker started before the revision came), each
 * tick one run of advanceCanary in the order of its code (F3).  Nothing
 * else triggers a tick.  Each tick that gets past "anything to do?" is a
 * `tick` row, detail "PHASE failed=N", value the canary weight the router
 * holds after it.
 *
 * Checks are the [analysis] metrics conditions (success_rate >=,
 * p99_ms <=), measured over what the canary's pods answered - users,
 * mirrored copies and load tests alike - in the metric_window before the
 * tick: a probe on the canary Deployment, read since a mark taken
 * metric_window before each tick.  An empty window fails ("no values
 * found").  Webhooks and their gates are not modelled: every hook passes
 * and every gate is open.
 */
#include <math.h>
#include "strategy.h"
#include "flagger.h"
#include "analysis.h"
#include "k8s-deployment.h"
#include "rng.h"

/* --- Flagger's arithmetic (scheduler.go, canary.go) ------------------------ */

#define TOTAL_WEIGHT 100

SimTime
sim_flagger_interval (const SimFlaggerSettings *fs)
{
    /* GetAnalysisInterval: at least 10 s. */
    return MAX (fs->interval, 10 * SIM_SEC);
}

gint
sim_flagger_threshold (const SimFlaggerSettings *fs)
{
    return fs->threshold > 0 ? fs->threshold : 1;
}

gint
sim_flagger_max_weight (const SimFlaggerSettings *fs)
{
    gint n = fs->step_weights.n;

    if (n > 0)
        return MIN (TOTAL_WEIGHT, sim_flagger_step_weights (fs)[n - 1]);
    return fs->max_weight > 0 ? fs->max_weight : TOTAL_WEIGHT;
}

gint
sim_flagger_next_step (const SimFlaggerSettings *fs, gint w)
{
    const gint *sw = sim_flagger_step_weights (fs);
    gint n = fs->step_weights.n;
    gint max_step = TOTAL_WEIGHT - w;

    /* stepWeight wins over stepWeights when both are set (F6.1). */
    if (fs->step_weight > 0 || n == 0)
        return fs->step_weight;
    if (max_step == 0)
        return 1;
    if (w == 0)
        return MIN (max_step, sw[0]);
    for (gint i = 0; i < n - 1; i++)
        if (sw[i] == w)
            return MIN (max_step, sw[i + 1] - w);
    return max_step;
}

/* --- The run ---------------------------------------------------------------- */

/* Canary.status.phase (Waiting and WaitingPromotion need gates, which
 * are always open here). */
#define PHASES(X) \
    X (INITIALIZED, "Initialized") \
    X (PROGRESSING, "Progressing") \
    X (PROMOTING, "Promoting") \
    X (FINALISING, "Finalising") \
    X (SUCCEEDED, "Succeeded") \
    X (FAILED, "Failed")

typedef enum {
#define PHASE_ENUM(id, name) PHASE_##id,
    PHASES (PHASE_ENUM)
#undef PHASE_ENUM
} Phase;

static const char *const phase_names[] = {
#define PHASE_NAME(id, name) name,
    PHASES (PHASE_NAME)
#undef PHASE_NAME
};

typedef struct {
    const SimFlaggerSettings *fs;
    const SimAnalysisSettings *as;
    SimDeployment *primary, *canary;
    SimK8sDeployment kp, kc; /* their Deployment controllers */

    /* Canary.status. */
    Phase phase;
    gint failed;     /* failedChecks */
    gint iterations; /* iterations */
    SimTemplate last_applied, last_promoted;

    /* The router as GetRoutes reads it back, and what the user's route
     * carries (matched users: the A/B header; G_MAXUINT32: every one). */
    gint route_canary;
    gboolean mirrored;
    guint32 matched;

    /* The ticker: tick k at phase_at + k * interval. */
    SimTime interval, phase_at;
    gint64 next_tick;
    SimTime tick_wake; /* the wake-up asked for, -1 none */

    /* The checks: a probe on the canary's pods and, per tick, a mark
     * taken metric_window before it (a ring, one slot per tick whose
     * window is open). */
    SimTime window;
    gint probe;
    SimProbeMark **marks;
    gint n_marks;
    gint64 next_mark; /* the tick whose mark comes next */
    SimTime mark_wake;
    gint analyses; /* metric analyses of this run, for the rows */
} Flagger;

static SimTime
tick_time (const Flagger *f, gint64 k)
{
    return f->phase_at + k * f->interval;
}

/* The canary weight a row reports: what GetRoutes reads back. */
static gint
routed_weight (const Flagger *f)
{
    if (f->fs->provider == SIM_FLAGGER_KUBERNETES)
        return 0; /* the apex Service never leaves the primary */
    return f->mirrored ? 0 : f->route_canary;
}

static void
log_tick (SimWorld *w, Flagger *f)
{
    char detail[64];

    g_snprintf (detail, sizeof detail, "%s failed=%d", phase_names[f->phase],
                f->failed);
    sim_world_log (w, SIM_EVENT_TICK, sim_world_spec (w)->name,
                   sim_deployment_spec (f->canary)->template.version, TRUE,
                   routed_weight (f), detail);
}

/* setStatusPhase: the phases other than Progressing and Promoting zero
 * the status weight and iterations; Succeeded records the promotion. */
static void
set_phase (Flagger *f, Phase p)
{
    f->phase = p;
    if (p != PHASE_PROGRESSING && p != PHASE_PROMOTING)
        f->iterations = 0;
    if (p == PHASE_SUCCEEDED)
        f->last_promoted = f->last_applied;
}

/* syncCanaryStatus: a phase with everything zeroed, and the spec seen. */
static void
sync_status (Flagger *f, Phase p)
{
    f->phase = p;
    f->failed = 0;
    f->iterations = 0;
    f->last_applied = sim_deployment_spec (f->canary)->template;
}

/* hasSpecChanged: a template other than the one last applied, unless it
 * is the one last promoted (putting the primary's spec back does
 * nothing). */
static gboolean
spec_changed (const Flagger *f, SimTemplate applied)
{
    SimTemplate t = sim_deployment_spec (f->canary)->template;

    return !sim_template_equal (t, applied)
           && !sim_template_equal (t, f->last_promoted);
}

/* --- The router ------------------------------------------------------------- */

/* SetRoutes: canary @canary percent (mirrored: 0, with a copy of the
 * primary's requests).  The kubernetes provider has no router (NopRouter):
 * nothing moves.  A change is a weight-set row whose value is the share
 * of users' requests the canary answers. */
static void
set_routes (SimWorld *w, Flagger *f, gint canary, gboolean mirrored)
{
    const SimFlaggerSettings *fs = f->fs;
    const SimScenario *sc = sim_world_scenario (w);
    SimRoute r = {
        .primary = f->primary,
        .canary = f->canary,
        .canary_weight = canary,
        .matched = f->matched,
        .sticky = fs->session_affinity,
        .mirror = mirrored ? (fs->mirror_weight > 0 ? fs->mirror_weight : 100)
                           : 0,
    };
    g_autoptr (GString) d = g_string_new (NULL);
    double share;

    if (canary == f->route_canary && mirrored == f->mirrored)
        return;
    f->route_canary = canary;
    f->mirrored = mirrored;
    if (fs->provider == SIM_FLAGGER_KUBERNETES)
        return;
    sim_world_set_route (w, SIM_SERVICE_ACTIVE, &r);
    share = canary;
    g_string_printf (d, "primary %d%%, canary %d%%", TOTAL_WEIGHT - canary,
                     canary);
    if (f->matched != G_MAXUINT32) {
        share = canary * (double) f->matched / sc->users;
        g_string_append_printf (d,
                                " for the %u matched users: %g%% of "
                                "users' requests",
                                f->matched, share);
    }
    if (mirrored)
        g_string_append_printf (d, "; mirror %d%%", r.mirror);
    sim_world_log (w, SIM_EVENT_WEIGHT_SET, "router",
                   sim_deployment_spec (f->canary)->template.version, TRUE,
                   (gint64) floor (share + 0.5), d->str);
}

/* The load tester (load_test_rate): requests to the canary's Service
 * while a run is analysed. */
static void
load_test (SimWorld *w, Flagger *f, gboolean on)
{
    if (f->fs->load_test_rate > 0)
        sim_world_set_preview_rate (w, on ? f->fs->load_test_rate : 0);
}

/* --- Readiness (deployment_ready.go) -------------------------------------- */

/* isDeploymentReady: every replica updated, no old one left, enough of
 * them available (@threshold percent, in 32-bit float, truncated).  The
 * Deployment controller runs within the same sync as every write, so its
 * observed generation has always caught up. */
static gboolean
deployment_ready (SimWorld *w, const SimK8sDeployment *k, gint threshold,
                  char **why)
{
    const SimDeploymentSpec *spec = sim_deployment_spec (k->obj);
    SimReplicaSet *rs = sim_world_deployment_replica_set (w, k->obj,
                                                          spec->template);
    SimReplicaSetStatus total, st = { 0 };
    gint need;

    sim_world_deployment_status (w, k->obj, &total);
    if (rs != NULL)
        sim_replica_set_status (rs, &st);
    need = (gint) ((float) st.replicas * (float) threshold / 100.0f);
    if (st.replicas < spec->replicas)
        *why = g_strdup_printf ("%s: waiting for rollout to finish: %d out "
                                "of %d new replicas have been updated",
                                spec->name, st.replicas, spec->replicas);
    else if (total.replicas > st.replicas)
        *why = g_strdup_printf ("%s: %d old replicas are pending termination",
                                spec->name, total.replicas - st.replicas);
    else if (total.available < need)
        *why = g_strdup_printf ("%s: %d of %d (readyThreshold %d%%) updated "
                                "replicas are available",
                                spec->name, total.available, st.replicas,
                                threshold);
    else
        return TRUE;
    return FALSE;
}

/* A Deployment that is not ready and will not be (non-retriable): past
 * Kubernetes' own deadline, or unavailable for longer than the Canary's
 * progress_deadline. */
static gboolean
deployment_stuck (SimWorld *w, const Flagger *f, const SimK8sDeployment *k)
{
    return k->reason == SIM_K8S_PROGRESS_DEADLINE_EXCEEDED
           || (!k->available_cond
               && k->available_changed + f->fs->progress_deadline
                      < sim_world_now (w));
}

/* --- The Deployments ---------------------------------------------------------- */

/* ScaleFromZero: the target's own replicas, or the primary's. */
static void
scale_from_zero (SimWorld *w, Flagger *f)
{
    gint n = sim_world_spec (w)->replicas;

    if (n <= 0)
        n = sim_deployment_spec (f->primary)->replicas;
    sim_world_deployment_set_replicas (w, f->canary, MAX (n, 1));
}

static void
scale_to_zero (SimWorld *w, Flagger *f)
{
    sim_world_deployment_set_replicas (w, f->canary, 0);
}

/* Promote: the canary's template and replicas into the primary, which
 * rolls by itself from here. */
static void
promote (SimWorld *w, Flagger *f)
{
    SimTemplate t = sim_deployment_spec (f->canary)->template;
    const SimScenario *sc = sim_world_scenario (w);
    char detail[128];

    sim_world_deployment_set_template (w, f->primary, t);
    sim_world_deployment_set_replicas (
        w, f->primary, sim_deployment_spec (f->canary)->replicas);
    g_snprintf (detail, sizeof detail,
                "canary's spec copied into the primary (%s)",
                sc->versions[t.version].name);
    sim_world_log (w, SIM_EVENT_PROMOTED, "primary", t.version, FALSE, 0,
                   detail);
    load_test (w, f, FALSE);
}

/* rollback: everything back to the primary, the canary to zero, Failed
 * (syncCanaryStatus: failedChecks shows 0 afterwards). */
static void
rollback (SimWorld *w, Flagger *f, const char *why)
{
    set_routes (w, f, 0, FALSE);
    scale_to_zero (w, f);
    sync_status (f, PHASE_FAILED);
    load_test (w, f, FALSE);
    sim_world_narrate (w, "Canary failed! Scaling down %s: %s",
                       sim_deployment_spec (f->canary)->name, why);
    sim_world_rollout_aborted (w, why);
}

/* handleFailedPromotion: the primary will not become ready; the canary,
 * the only healthy copy of the new version, takes all the traffic and
 * keeps running. */
static void
failed_promotion (SimWorld *w, Flagger *f, const char *why)
{
    set_routes (w, f, TOTAL_WEIGHT, FALSE);
    sync_status (f, PHASE_FAILED);
    load_test (w, f, FALSE);
    sim_world_rollout_aborted (w, why);
}

/* --- Checks ------------------------------------------------------------------- */

static void
take_marks (SimWorld *w, Flagger *f, SimTime now)
{
    SimTime next;

    while ((next = tick_time (f, f->next_mark) - f->window) <= now) {
        /* The mark of a tick still to come never overwrites one whose
         * tick has not run. */
        g_assert (f->next_mark - f->next_tick < f->n_marks);
        sim_world_probe_mark (w, f->probe, f->marks[f->next_mark % f->n_marks]);
        f->next_mark++;
    }
    if (next != f->mark_wake) {
        f->mark_wake = next;
        sim_world_wake_at (w, next);
    }
}

/* runAnalysis, the built-in metrics in list order: the first failure
 * ends it.  @k: this tick. */
static gboolean
run_analysis (SimWorld *w, Flagger *f, gint64 k)
{
    const SimAnalysisSettings *as = f->as;
    const SimAnalysisCondition *cs = sim_analysis_conditions (as);
    g_autoptr (GString) text = g_string_new (NULL);
    SimProbeReading r;
    gboolean ok = TRUE;

    sim_world_probe_read_since (w, f->probe, f->marks[k % f->n_marks], &r);
    f->analyses++;
    for (gint i = 0; i < as->metrics.n && ok; i++) {
        const SimAnalysisCondition *c = &cs[i];

        if (i > 0)
            g_string_append (text, ", ");
        if (c->metric == SIM_METRIC_SUCCESS_RATE && c->op == SIM_OP_GE) {
            /* request-success-rate: 0/0 is NaN, "no values found". */
            double v = r.requests > 0 ? (double) r.ok / (double) r.requests
                                      : NAN;

            if (isnan (v)) {
                g_string_append (text, "success_rate: no values found");
                ok = FALSE;
            } else {
                ok = v >= c->threshold;
                g_string_append_printf (text, "success_rate %.4f %s %g", v,
                                        ok ? ">=" : "<", c->threshold);
            }
        } else if (c->metric != SIM_METRIC_P99_MS || c->op != SIM_OP_LE) {
            /* Any other condition: a custom metric (a MetricTemplate's
             * query), judged as written; no value is no value found. */
            double v = NAN;
            gboolean holds;

            switch (c->metric) {
            case SIM_METRIC_ERROR_RATE:
                v = r.requests > 0 ? (double) r.errors / (double) r.requests
                                   : NAN;
                break;
            case SIM_METRIC_SUCCESS_RATE:
                v = r.requests > 0 ? (double) r.ok / (double) r.requests : NAN;
                break;
            case SIM_METRIC_P99_MS:
                v = r.p99_ms;
                break;
            case SIM_METRIC_P50_MS:
                v = r.p50_ms;
                break;
            case SIM_METRIC_P95_MS:
                v = r.p95_ms;
                break;
            case SIM_METRIC_MEAN_MS:
                v = r.mean_ms;
                break;
            default:
                break;
            }
            if (r.requests == 0 || isnan (v)) {
                g_string_append_printf (text, "%s: no values found",
                                        sim_analysis_metric_name (c->metric));
                ok = FALSE;
                continue;
            }
            switch (c->op) {
            case SIM_OP_LT:
                holds = v < c->threshold;
                break;
            case SIM_OP_LE:
                holds = v <= c->threshold;
                break;
            case SIM_OP_GT:
                holds = v > c->threshold;
                break;
            default:
                holds = v >= c->threshold;
                break;
            }
            ok = holds;
            g_string_append_printf (text, "%s %.4g %s%s %g",
                                    sim_analysis_metric_name (c->metric), v,
                                    holds ? "" : "not ",
                                    sim_analysis_op_name (c->op), c->threshold);
        } else {
            /* request-duration: the P99 and the bound in whole ms. */
            if (r.requests == 0 || isnan (r.p99_ms)) {
                g_string_append (text, "p99_ms: no values found");
                ok = FALSE;
            } else {
                gint64 v = (gint64) r.p99_ms;
                gint64 max = (gint64) c->threshold;

                ok = v <= max;
                g_string_append_printf (text,
                                        "p99_ms %" G_GINT64_FORMAT
                                        " %s %" G_GINT64_FORMAT,
                                        v, ok ? "<=" : ">", max);
            }
        }
    }
    g_string_prepend (text, ok ? "passed: " : "failed: ");
    g_string_append_printf (text, " (%" G_GUINT64_FORMAT " requests)",
                            r.requests);
    sim_world_log (w, SIM_EVENT_ANALYSIS, "canary analysis",
                   sim_deployment_spec (f->canary)->template.version, TRUE,
                   f->analyses, text->str);
    return ok;
}

/* --- The strategies (F6) -------------------------------------------------------- */

/* runCanary, with the confirm-traffic-increase and confirm-promotion
 * gates open. */
static void
run_canary (SimWorld *w, Flagger *f, gint c, gboolean mirrored)
{
    gint step = sim_flagger_next_step (f->fs, c);

    /* The primary's weight is always 100 - c: every router modelled
     * writes the pair as one. */
    if (c < sim_flagger_max_weight (f->fs)) {
        /* With mirror, one mirrored step before the first weight. */
        if (f->fs->mirror && c == 0) {
            if (!mirrored) {
                set_routes (w, f, 0, TRUE);
                return;
            }
            set_routes (w, f, step, FALSE);
            return;
        }
        set_routes (w, f, MIN (c + step, TOTAL_WEIGHT), mirrored);
        return;
    }
    promote (w, f);
    set_phase (f, PHASE_PROMOTING);
}

/* runAB: the matched users to the canary for @n iterations. */
static void
run_ab (SimWorld *w, Flagger *f, gint n)
{
    if (n > f->iterations) {
        set_routes (w, f, TOTAL_WEIGHT, FALSE);
        f->iterations++;
        return;
    }
    if (n == f->iterations) {
        promote (w, f);
        set_phase (f, PHASE_PROMOTING);
    }
}

/* runBlueGreen: @n iterations with no live traffic on the canary (or a
 * mirror of it), then one with all of it, then the promotion. */
static void
run_blue_green (SimWorld *w, Flagger *f, gint n, gboolean mirrored)
{
    gboolean mesh = f->fs->provider != SIM_FLAGGER_KUBERNETES;

    if (n > f->iterations) {
        if (mesh && f->fs->mirror && !mirrored)
            set_routes (w, f, 0, TRUE);
        f->iterations++;
        return;
    }
    if (n == f->iterations) {
        if (mesh)
            set_routes (w, f, TOTAL_WEIGHT, FALSE);
        f->iterations++;
        return;
    }
    promote (w, f);
    set_phase (f, PHASE_PROMOTING);
}

/* runPromotionTrafficShift: traffic back to the primary, at once or by
 * step_weight_promotion per tick. */
static void
promotion_shift (SimWorld *w, Flagger *f, gint c)
{
    gint s = f->fs->step_weight_promotion;

    if (f->fs->provider == SIM_FLAGGER_KUBERNETES) {
        set_phase (f, PHASE_FINALISING);
        return;
    }
    if (s == 0) {
        set_routes (w, f, 0, FALSE);
        set_phase (f, PHASE_FINALISING);
        return;
    }
    if (c > 0) {
        gint p = MIN (TOTAL_WEIGHT - c + s, TOTAL_WEIGHT);

        set_routes (w, f, MAX (c - s, 0), FALSE);
        if (p == TOTAL_WEIGHT)
            set_phase (f, PHASE_FINALISING);
    }
}

/* --- One tick: advanceCanary (F3) ------------------------------------------ */

static void
tick (SimWorld *w, Flagger *f, gint64 k)
{
    const SimFlaggerSettings *fs = f->fs;
    gboolean active = f->phase == PHASE_PROGRESSING
                      || f->phase == PHASE_PROMOTING
                      || f->phase == PHASE_FINALISING;
    g_autofree char *why = NULL;
    gint c, n;
    gboolean mirrored, match;

    /* 1. suspend. */
    if (sim_world_spec (w)->paused) {
        sim_world_narrate (w, "Flagger: skipping canary run as object is "
                              "suspended");
        return;
    }
    /* 3. shouldAdvance: in a run, or a new revision.  In Failed the spec
     * seen is synced first, so a tick that stops early forgets it. */
    if (!active) {
        SimTemplate seen = f->last_applied;

        if (f->phase == PHASE_FAILED)
            f->last_applied = sim_deployment_spec (f->canary)->template;
        if (!spec_changed (f, seen))
            return;
    }
    /* 4. The primary ready (not with skip_analysis). */
    if (!fs->skip_analysis
        && !deployment_ready (w, &f->kp, fs->primary_ready_threshold, &why)) {
        if (deployment_stuck (w, f, &f->kp)) {
            g_autofree char *d = g_strdup_printf ("primary not ready: %s", why);

            if (f->phase == PHASE_PROMOTING || f->phase == PHASE_FINALISING)
                failed_promotion (w, f, d);
            else
                rollback (w, f, d);
        } else {
            sim_world_narrate (w, "Flagger: halt: %s", why);
        }
        log_tick (w, f);
        return;
    }
    /* 5. GetRoutes (the NopRouter reports the canary's while it
     * iterates). */
    c = f->route_canary;
    mirrored = f->mirrored;
    if (fs->provider == SIM_FLAGGER_KUBERNETES) {
        c = f->iterations > 0 ? TOTAL_WEIGHT : 0;
        mirrored = FALSE;
    }
    /* 6. checkCanaryStatus: a new revision starts a run; no traffic moves
     * on this tick. */
    if (!active) {
        sim_world_narrate (w,
                           "Flagger: New revision detected! Scaling up "
                           "%s",
                           sim_deployment_spec (f->canary)->name);
        scale_from_zero (w, f);
        sync_status (f, PHASE_PROGRESSING);
        f->analyses = 0;
        load_test (w, f, TRUE);
        log_tick (w, f);
        return;
    }
    /* 7. A new revision during the analysis restarts it. */
    if (f->phase == PHASE_PROGRESSING && spec_changed (f, f->last_applied)) {
        set_routes (w, f, 0, FALSE);
        sync_status (f, PHASE_PROGRESSING);
        sim_world_narrate (w, "Flagger: New revision detected! Restarting "
                              "analysis");
        log_tick (w, f);
        return;
    }
    /* 8. The canary ready. */
    if (!deployment_ready (w, &f->kc, fs->canary_ready_threshold, &why)) {
        if (deployment_stuck (w, f, &f->kc)) {
            g_autofree char *d = g_strdup_printf ("canary not ready: %s "
                                                  "(progress deadline)",
                                                  why);

            rollback (w, f, d);
        } else {
            sim_world_narrate (w, "Flagger: halt: %s", why);
        }
        log_tick (w, f);
        return;
    }
    /* 9. skip_analysis: promoted and done in this one tick. */
    if (fs->skip_analysis) {
        set_routes (w, f, 0, FALSE);
        promote (w, f);
        scale_to_zero (w, f);
        set_phase (f, PHASE_SUCCEEDED);
        sim_world_rollout_completed (w);
        log_tick (w, f);
        return;
    }
    /* 11. Promoting: traffic back once the primary is ready (4 checked
     * that); Finalising: the canary to zero, done. */
    if (f->phase == PHASE_PROMOTING) {
        promotion_shift (w, f, c);
        log_tick (w, f);
        return;
    }
    if (f->phase == PHASE_FINALISING) {
        scale_to_zero (w, f);
        set_phase (f, PHASE_SUCCEEDED);
        sim_world_narrate (w,
                           "Flagger: Promotion completed! Scaling down "
                           "%s",
                           sim_deployment_spec (f->canary)->name);
        sim_world_rollout_completed (w);
        log_tick (w, f);
        return;
    }
    /* 12. The threshold, tested before this tick's checks: the rollback
     * comes one tick after the failure that reached it. */
    if (f->failed >= sim_flagger_threshold (fs)) {
        g_autofree char *d = g_strdup_printf ("failed checks threshold "
                                              "reached %d",
                                              f->failed);

        rollback (w, f, d);
        log_tick (w, f);
        return;
    }
    /* 13. Nothing routed to the canary yet: the pre-rollout hooks (which
     * pass); else the analysis. */
    if (!(c == 0 && f->iterations == 0 && !(fs->mirror && mirrored))
        && !run_analysis (w, f, k)) {
        f->failed++;
        log_tick (w, f);
        return;
    }
    /* 14. The strategy, as the spec decides it (the kubernetes provider
     * drops the match and iterates 10 times at least). */
    n = fs->iterations;
    match = f->matched != G_MAXUINT32;
    if (fs->provider == SIM_FLAGGER_KUBERNETES) {
        match = FALSE;
        if (n < 1)
            n = 10;
    }
    if (match && n > 0)
        run_ab (w, f, n);
    else if (n > 0)
        run_blue_green (w, f, n, mirrored);
    else if (sim_flagger_next_step (fs, c) > 0)
        run_canary (w, f, c, mirrored);
    log_tick (w, f);
}

/* --- The hooks ------------------------------------------------------------------ */

static gpointer
flagger_init (SimWorld *w, gconstpointer settings)
{
    const SimScenario *sc = sim_world_scenario (w);
    const SimFlaggerSettings *fs = settings;
    Flagger *f = g_new0 (Flagger, 1);
    SimTime delay, first;

    f->fs = fs;
    f->as = sim_analysis_settings (sc);
    f->primary = sim_world_deployment_at (w, 0);
    f->canary = sim_world_deployment_at (w, 1);
    /* Promote copies the target's strategy into the primary: both roll
     * with the same settings. */
    sim_k8s_deployment_init_for (&f->kp, w, f->primary, fs->primary_max_surge,
                                 fs->primary_max_unavailable);
    sim_k8s_deployment_init_for (&f->kc, w, f->canary, fs->primary_max_surge,
                                 fs->primary_max_unavailable);
    f->phase = PHASE_INITIALIZED;
    f->last_applied = f->last_promoted = sim_world_spec (w)->template;
    f->matched = G_MAXUINT32;
    if (fs->match.value > 0 && fs->provider != SIM_FLAGGER_KUBERNETES)
        f->matched = (guint32) MIN (
            sim_units_scaled_value (fs->match, sc->users, FALSE), sc->users);

    /* The ticker's phase: a revision applied at rollout.at is seen
     * detection_delay later (random: uniform in [0, interval), a stream
     * of its own). */
    f->interval = sim_flagger_interval (fs);
    if (fs->detection_delay.set) {
        delay = fs->detection_delay.value;
    } else {
        SimRng rng;

        sim_rng_init (&rng, sc->seed, SIM_STREAM_TICKS);
        delay = (SimTime) (sim_rng_uniform (&rng) * (double) f->interval);
    }
    first = sc->has_rollout ? sc->rollout_at + delay : delay;
    f->phase_at = first % f->interval;
    f->tick_wake = -1;

    f->window = fs->metric_window;
    f->n_marks = (gint) (f->window / f->interval) + 2;
    f->marks = g_new0 (SimProbeMark *, f->n_marks);
    for (gint i = 0; i < f->n_marks; i++)
        f->marks[i] = sim_probe_mark_new ();
    f->probe = sim_world_probe_open_deployment (w, f->canary);
    g_assert (f->probe >= 0);
    f->mark_wake = -1;

    /* The apex Service to the primary (whatever the provider); the load
     * tester (if any) targets the canary's Service. */
    {
        SimRoute r = {
            .primary = f->primary,
            .canary = f->canary,
            .canary_weight = 0,
            .matched = G_MAXUINT32,
        };

        sim_world_set_route (w, SIM_SERVICE_ACTIVE, &r);
        if (fs->load_test_rate > 0) {
            r.canary_weight = TOTAL_WEIGHT;
            sim_world_set_route (w, SIM_SERVICE_PREVIEW, &r);
            sim_world_set_preview_rate (w, 0);
        }
    }
    return f;
}

/* The ticker starts: a tick (or a mark) at the instant of a user's write
 * comes after the write, as the user's apply came first. */
static void
flagger_start (SimWorld *w, gpointer data)
{
    Flagger *f = data;

    f->tick_wake = tick_time (f, 0);
    sim_world_wake_at (w, f->tick_wake);
    take_marks (w, f, 0);
}

static void
flagger_sync (SimWorld *w, gpointer data)
{
    Flagger *f = data;
    SimTime now = sim_world_now (w);

    /* The user's writes are the canary Deployment's. */
    sim_world_deployment_set_template (w, f->canary,
                                       sim_world_spec (w)->template);
    take_marks (w, f, now);
    if (now >= tick_time (f, f->next_tick)) {
        gint64 k = f->next_tick;

        while (tick_time (f, f->next_tick) <= now)
            f->next_tick++;
        tick (w, f, k);
    }
    if (tick_time (f, f->next_tick) != f->tick_wake) {
        f->tick_wake = tick_time (f, f->next_tick);
        sim_world_wake_at (w, f->tick_wake);
    }
    /* Their Deployment controller, after Flagger's writes. */
    sim_k8s_rolling_sync (w, &f->kp);
    sim_k8s_rolling_sync (w, &f->kc);
}

static void
flagger_free (gpointer data)
{
    Flagger *f = data;

    if (f == NULL)
        return;
    for (gint i = 0; i < f->n_marks; i++)
        sim_probe_mark_free (f->marks[i]);
    g_free (f->marks);
    g_free (f);
}

/* --- [strategy.flagger] ---------------------------------------------------------- */

static gboolean
parse_weight (const char *text, gpointer item, GString *canon, char **why)
{
    gint64 v;

    if (!sim_key_to_int64 (text, &v) || v < 0 || v > 1000) {
        *why = g_strdup ("not an integer 0..1000");
        return FALSE;
    }
    *(gint *) item = (gint) v;
    g_string_append_printf (canon, "%d", (gint) v);
    return TRUE;
}

static const SimKeyItem weight_item = {
    .what = "weight",
    .size = sizeof (gint),
    .parse = parse_weight,
    .separator = ",",
};

/* Always: the primary's rolling update needs room to move, as the API
 * server says. */
static gboolean
flagger_check (const SimPlaces *pl, gconstpointer settings,
               const SimScenario *s, GError **error)
{
    const SimFlaggerSettings *fs = settings;

    if (fs->primary_max_surge.value != 0
        || fs->primary_max_unavailable.value != 0)
        return TRUE;
    if (sim_places_rank (pl, "strategy.flagger", "primary_max_surge")
        > sim_places_rank (pl, "strategy.flagger", "primary_max_unavailable"))
        return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                     "strategy.flagger", "primary_max_surge",
                                     SIM_KEY_ACCEPT_SURGE,
                                     "may not be 0 when "
                                     "primary_max_unavailable is 0");
    return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                 "strategy.flagger", "primary_max_unavailable",
                                 SIM_KEY_ACCEPT_UNAVAILABLE,
                                 "may not be 0 when primary_max_surge is 0");
}

/* The windows open at once, each holding a mark of about 16 KB. */
#define MAX_WINDOW_TICKS 1000

/* When Flagger runs: the ticker's phase lies within an interval; the
 * metric window spans a bounded number of ticks. */
static gboolean
flagger_validate (const SimPlaces *pl, gconstpointer settings,
                  const SimScenario *s, GError **error)
{
    const SimFlaggerSettings *fs = settings;

    (void) pl;
    if (fs->detection_delay.set
        && fs->detection_delay.value >= sim_flagger_interval (fs)) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "strategy.flagger.detection_delay: the ticker fires "
                     "every interval: a revision is seen within one "
                     "(interval %g s) (accepted: a duration below the "
                     "interval, or random)",
                     SIM_TIME_TO_SEC (sim_flagger_interval (fs)));
        return FALSE;
    }
    if (fs->metric_window / sim_flagger_interval (fs) > MAX_WINDOW_TICKS) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "strategy.flagger.metric_window: a window of %g s spans "
                     "more than %d ticks of %g s (accepted: a duration up to "
                     "%d intervals)",
                     SIM_TIME_TO_SEC (fs->metric_window), MAX_WINDOW_TICKS,
                     SIM_TIME_TO_SEC (sim_flagger_interval (fs)),
                     MAX_WINDOW_TICKS);
        return FALSE;
    }
    return TRUE;
}

static const char *const provider_names[] = { "istio", "kubernetes", NULL };

#define F SimFlaggerSettings

static const SimKeyRow flagger_rows[] = {
    SIM_KEY ("interval", "1m", "", SIM_KEY_ACCEPT_POSITIVE,
             "analysis.interval: the period of Flagger's ticks; below 10s it "
             "is raised to 10s, as Flagger does.",
             SIM_KEY_T_DURATION (F, interval, 1)),
    SIM_KEY ("threshold", "1", "checks", "an integer (0 or less: 1)",
             "analysis.threshold: failed checks, counted over the whole run, "
             "that roll it back (on the tick after the one that reached "
             "them).",
             SIM_KEY_T_INT (F, threshold, -1000000, 1000000)),
    SIM_KEY ("max_weight", "0", "%", "an integer >= 0 (0: 100)",
             "analysis.maxWeight: the canary weight at which the promotion "
             "starts.  Not capped: above 100 the run never promotes.",
             SIM_KEY_T_INT (F, max_weight, 0, 1000)),
    SIM_KEY ("step_weight", "0", "%", "an integer >= 0",
             "analysis.stepWeight: the weight added at each passing tick.  "
             "When step_weights is also set, this step wins and the maximum "
             "comes from step_weights (Flagger's code).",
             SIM_KEY_T_INT (F, step_weight, 0, 1000)),
    SIM_KEY ("step_weights", "", "%",
             "integers 0..1000 separated by ',', e.g. 1, 2, 10, 80",
             "analysis.stepWeights: the weights in turn; the maximum is the "
             "last, capped at 100.",
             SIM_KEY_T_LIST (F, step_weights, "list of weights", &weight_item)),
    SIM_KEY ("step_weight_promotion", "0", "%", "an integer >= 0",
             "analysis.stepWeightPromotion: after the promotion, the "
             "primary's weight grows by this much per tick; 0: all traffic "
             "back at once.",
             SIM_KEY_T_INT (F, step_weight_promotion, 0, 1000)),
    SIM_KEY ("iterations", "0", "ticks", "an integer >= 0",
             "analysis.iterations: with match, A/B testing; without, "
             "blue/green.",
             SIM_KEY_T_INT (F, iterations, 0, 1000000)),
    SIM_KEY ("match", "0", "users",
             "a count or a percentage of traffic.users, e.g. 10%; 0: none",
             "analysis.match: the users whose requests carry the header or "
             "cookie the match rule names (a fixed cohort: the same users "
             "always).  With iterations, A/B testing; without, the canary's "
             "weights apply to them only.",
             SIM_KEY_T_PERCENT (F, match, 100)),
    SIM_KEY ("mirror", "false", "", SIM_KEY_ACCEPT_BOOL,
             "analysis.mirror: copy users' requests to the canary (blue/green "
             "for all its iterations; a canary release for one tick before "
             "its first weight).",
             SIM_KEY_T_BOOL (F, mirror)),
    SIM_KEY ("mirror_weight", "0", "%", "an integer 0..100 (0: 100)",
             "analysis.mirrorWeight: the share of requests mirrored.",
             SIM_KEY_T_INT (F, mirror_weight, 0, 100)),
    SIM_KEY ("session_affinity", "false", "", SIM_KEY_ACCEPT_BOOL,
             "analysis.sessionAffinity: a user once sent to the canary stays "
             "on it while its weight is above 0.",
             SIM_KEY_T_BOOL (F, session_affinity)),
    SIM_KEY ("primary_ready_threshold", "100", "%", "an integer 0..100",
             "analysis.primaryReadyThreshold: the share of the primary's "
             "updated pods that must be available for a tick to go on.",
             SIM_KEY_T_INT (F, primary_ready_threshold, 0, 100)),
    SIM_KEY ("canary_ready_threshold", "100", "%", "an integer 0..100",
             "analysis.canaryReadyThreshold: the same for the canary.",
             SIM_KEY_T_INT (F, canary_ready_threshold, 0, 100)),
    SIM_KEY ("progress_deadline", "600s", "", SIM_KEY_ACCEPT_DURATION,
             "spec.progressDeadlineSeconds: how long the canary (or the "
             "primary) may stay unavailable before the run fails.",
             SIM_KEY_T_DURATION (F, progress_deadline, 0)),
    SIM_KEY ("skip_analysis", "false", "", SIM_KEY_ACCEPT_BOOL,
             "spec.skipAnalysis: promote on the first tick the canary is "
             "ready, without checks.",
             SIM_KEY_T_BOOL (F, skip_analysis)),
    SIM_KEY ("metric_window", "1m", "", SIM_KEY_ACCEPT_POSITIVE,
             "The metrics' interval: each check measures what the canary "
             "answered in this window before the tick.",
             SIM_KEY_T_DURATION (F, metric_window, 1)),
    SIM_KEY ("provider", "istio", "", "istio, kubernetes",
             "spec.provider: istio routes by weight; kubernetes has no "
             "router, which makes every run a blue/green of 10 iterations "
             "at least.",
             SIM_KEY_T_ENUM (F, provider, provider_names)),
    SIM_KEY ("load_test_rate", "0", "requests/s", "a number 0..1000000",
             "A load tester's requests to the canary while a run is "
             "analysed: they count in its checks, never as users' requests "
             "(versions.csv preview_*).",
             SIM_KEY_T_NUMBER (F, load_test_rate, 0.0, 1e6)),
    SIM_KEY ("detection_delay", "random", "",
             "a duration below the interval, or random",
             "From the revision to the tick that sees it (the ticker's "
             "phase); random: uniform in [0, interval) from the seed.",
             .type = "duration or random", .kind = &sim_key_opt_duration,
             SIM_KEY_OFF (F, detection_delay), .min = 0, .word = "random"),
    SIM_KEY ("primary_max_surge", "25%", "pods", SIM_KEY_ACCEPT_SURGE,
             "maxSurge of the primary's rolling update after the promotion "
             "(the canary Deployment rolls with it too).",
             SIM_KEY_T_PERCENT (F, primary_max_surge, G_MAXINT)),
    SIM_KEY ("primary_max_unavailable", "25%", "pods",
             SIM_KEY_ACCEPT_UNAVAILABLE,
             "maxUnavailable of the primary's rolling update.",
             SIM_KEY_T_PERCENT (F, primary_max_unavailable, 100)),
    SIM_KEY_END,
};

#undef F

const SimKeyGroup sim_flagger_settings_group = {
    .name = "strategy.flagger",
    .doc = "Flagger's Canary (v1.44.0): a primary Deployment serves users, "
           "the canary Deployment is scaled up for each run, and Flagger "
           "advances on its interval ticks only.  Checks are the [analysis] "
           "metrics conditions success_rate >= MIN and p99_ms <= MAX.",
    .notes = "The mode follows from the keys as Flagger decides it: "
             "`iterations` with `match` is A/B testing, `iterations` alone "
             "blue/green, anything else a progressive canary; `mirror` adds "
             "mirroring.  See docs/flagger.md.\n",
    .rows = flagger_rows,
    .size = sizeof (SimFlaggerSettings),
    .check = flagger_check,
    .validate = flagger_validate,
};

static const char *const flagger_deployments[] = { "primary", "canary", NULL };

const SimStrategyClass sim_strategy_flagger = {
    .name = "flagger",
    .summary = "Flagger: primary and canary Deployments, analysis on "
               "interval ticks (canary, A/B, blue/green, mirroring)",
    .settings = &sim_flagger_settings_group,
    .deployments = flagger_deployments,
    .init = flagger_init,
    .start = flagger_start,
    .sync = flagger_sync,
    .free_data = flagger_free,
};
