/* blue-green.c - the blue-green strategy: Argo Rollouts' BlueGreen
 * (docs/design.md A2), reconcile for reconcile.
 *
 * Two Services: the active one carries production traffic, the preview
 * one the smoke tests ([traffic] preview_rate).  When the rollout starts
 * the new ("green") ReplicaSet is created beside the stable ("blue") one,
 * at preview_replicas or full size, the preview Service points at it and
 * the active Service at blue.  Green is then brought up, measured
 * (pre-promotion analysis), possibly paused, grown to full size, and only
 * when it is saturated (spec = available = replicas) does the active
 * Service switch to it - all at once; the balancers follow endpoint_delay
 * later, so for that moment both versions answer.  Green becomes stable
 * at the switch, or when the post-promotion analysis passes; blue then
 * stays at full size for scale_down_delay and goes.  A failed analysis
 * aborts: the active Service goes back to blue (still at full size, since
 * it is stable until green is promoted) and green is scaled down after
 * abort_scale_down_delay (0: it stays).
 *
 * One sync follows rolloutBlueGreen's order: ReplicaSets (the active one
 * at full size, green at its desired size, the previous stable on its
 * deadline), pause, active Service, analysis runs, then status (stable,
 * the preview checkpoint, progress).  Every step is idempotent, so a
 * spurious wake-up changes nothing; a step whose effect the next one must
 * see (an abort, the checkpoint) requeues the controller instead of
 * looping, as Argo does by persisting status.
 *
 * A new template (set-image, undo) starts over with a new green: the
 * previous green, unless active or stable, becomes an "other" ReplicaSet,
 * held scale_down_delay like any ReplicaSet that stops being used, then
 * scaled to 0; the stable's own template is a fast rollback (no pause,
 * no analysis).  Users may pause (spec.paused: nothing moves), promote
 * (end the pause, or accept an inconclusive analysis), promote --full
 * (no pause, no pre-promotion analysis, green at full size at once),
 * abort and retry, and scale (spec.replicas, read every reconcile).
 *
 * Invariants kept: production traffic is never sent to green before it is
 * saturated and the pause and pre-promotion analysis are over (or skipped
 * by promote --full); the stable is never scaled down while it is stable
 * or the active Service points at it; there is never a weighted split.
 */
#include <string.h>
#include "strategy.h"
#include "blue-green.h"
#include "analysis.h"
#include "argo-rollout.h"

typedef struct BlueGreen {
    const SimBlueGreenSettings *bs;
    gint replicas;       /* spec.replicas, this reconcile */
    gboolean halt;       /* spec.paused, this reconcile */
    gint preview;        /* previewReplicaCount; -1 = unset */
    gint green;          /* the template's version (the newest ReplicaSet) */
    gint active;         /* where the active Service points */
    gint stable;         /* status.stableRS */
    gboolean checkpoint; /* scaleUpPreviewCheckPoint (one way) */
    SimTime pause_at;    /* BlueGreenPause began; -1 never */
    gboolean pause_done;
    gboolean halted; /* InconclusiveAnalysis pause */
    gboolean aborted;
    gboolean promote_full;
    SimTime green_down_at;             /* abort scale-down deadline */
    SimTime down_at[SIM_MAX_VERSIONS]; /* scale-down deadline of a
                                          ReplicaSet no longer used */
    gboolean waiting_told;             /* narrated "not saturated" */

    SimAnalysisRun pre, post;

    SimArgoRollout status;  /* progress and its deadline (A1.9) */
    SimArgoRestart restart; /* spec.restartAt */
} BlueGreen;

/* --- Lifecycle -------------------------------------------------------------- */

static gpointer
bg_init (SimWorld *w, gconstpointer settings)
{
    const SimScenario *sc = sim_world_scenario (w);
    BlueGreen *bg = g_new0 (BlueGreen, 1);

    bg->bs = settings;
    bg->replicas = sim_world_spec (w)->replicas;
    bg->preview = bg->bs->preview_replicas;
    /* Complete at t = 0: one version, active, stable and newest. */
    bg->green = bg->active = bg->stable = sc->version_index;
    bg->pause_at = -1;
    bg->green_down_at = SIM_TIME_NEVER;
    for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
        bg->down_at[v] = -1;
    bg->pre.probe = bg->post.probe = -1;
    sim_argo_restart_init (&bg->restart);
    return bg;
}

static void
bg_free (gpointer data)
{
    BlueGreen *bg = data;

    sim_analysis_clear (&bg->pre);
    sim_analysis_clear (&bg->post);
    g_free (bg);
}

/* --- What the controller reads -------------------------------------------- */

static const char *
vname (SimWorld *w, gint v)
{
    return sim_world_scenario (w)->versions[v].name;
}

/* The ReplicaSet of version @v (a Rollout has one per version). */
static SimReplicaSet *
rs_of (SimWorld *w, gint v)
{
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);

        if (sim_replica_set_version (rs) == v)
            return rs;
    }
    return NULL;
}

/* A rollout is under way: green is neither stable nor given up. */
static gboolean
updating (const BlueGreen *bg)
{
    return bg->green != bg->stable;
}

/* NewRSNewReplicas for blue-green: previewReplicaCount until the
 * checkpoint trips, full size once green is active or promote --full. */
static gint
green_desired (const BlueGreen *bg)
{
    if (bg->preview >= 0 && bg->active != bg->green && !bg->checkpoint
        && !bg->promote_full)
        return MIN (bg->preview, bg->replicas);
    return bg->replicas;
}

static gboolean
at_size (SimReplicaSet *rs, gint n)
{
    SimReplicaSetStatus st;

    if (rs == NULL)
        return FALSE;
    sim_replica_set_status (rs, &st);
    return sim_replica_set_spec (rs) == n && st.available == n;
}

/* ReadyForPause: green at its desired count and fully available. */
static gboolean
ready_for_pause (SimWorld *w, const BlueGreen *bg)
{
    return at_size (rs_of (w, bg->green), green_desired (bg));
}

/* IsSaturated: spec = available = spec.replicas. */
static gboolean
saturated (SimWorld *w, const BlueGreen *bg)
{
    return at_size (rs_of (w, bg->green), bg->replicas);
}

static gboolean
pre_completed (const BlueGreen *bg)
{
    return !bg->bs->pre_promotion_analysis || bg->promote_full
           || bg->pre.phase == SIM_ANALYSIS_SUCCESSFUL;
}

/* needsBlueGreenControllerPause. */
static gboolean
needs_pause (const BlueGreen *bg)
{
    return !bg->promote_full
           && (!bg->bs->auto_promotion || bg->bs->auto_promotion_after > 0);
}

static gboolean
pause_completed (const BlueGreen *bg)
{
    return !needs_pause (bg) || bg->pause_done;
}

/* Status changed: the controller looks again, as after any change of
 * state it watches. */
static void
requeue (SimWorld *w)
{
    sim_world_wake_at (w, sim_world_now (w)
                              + sim_world_scenario (w)->controller_delay);
}

static void
abort_rollout (SimWorld *w, BlueGreen *bg, const char *why)
{
    if (bg->aborted || !updating (bg))
        return;
    bg->aborted = TRUE;
    bg->promote_full = FALSE;
    sim_analysis_stop (&bg->pre, w);
    sim_analysis_stop (&bg->post, w);
    sim_world_rollout_aborted (w, why);
    requeue (w);
}

/* --- ReplicaSets (reconcileBlueGreenReplicaSets) -------------------------- */

/* shouldDelayScaleDownOnAbort and reconcileNewReplicaSet: after an abort
 * green keeps its size until a deadline written once the stable is fully
 * available, then goes to 0; an abort delay of 0 keeps it for good. */
static void
reconcile_green (SimWorld *w, BlueGreen *bg)
{
    SimReplicaSet *green_rs = rs_of (w, bg->green);
    SimTime now = sim_world_now (w);
    gint want = green_desired (bg);

    if (bg->aborted && bg->bs->abort_scale_down_delay > 0) {
        if (bg->green_down_at == SIM_TIME_NEVER) {
            SimReplicaSetStatus st;

            sim_replica_set_status (rs_of (w, bg->stable), &st);
            if (st.available >= bg->replicas) {
                bg->green_down_at = now + bg->bs->abort_scale_down_delay;
                sim_world_wake_at (w, bg->green_down_at);
            }
            return;
        }
        if (now < bg->green_down_at)
            return;
        want = 0;
    }
    if (sim_replica_set_spec (green_rs) != want) {
        if (want == 0)
            sim_world_narrate (w,
                               "scale %s down to 0: aborted, and its "
                               "abort_scale_down_delay is over",
                               sim_replica_set_name (green_rs));
        else if (want < bg->replicas)
            sim_world_narrate (w,
                               "scale %s to %d: previewReplicaCount %d of %d "
                               "replicas until promotion (blue-green: the "
                               "active Service still selects the blue pods)",
                               sim_replica_set_name (green_rs), want,
                               bg->preview, bg->replicas);
        else
            sim_world_narrate (w,
                               "scale %s to %d: the green ReplicaSet gets "
                               "all replicas beside the blue ones (blue-green: "
                               "twice the pods until the old ones go)",
                               sim_replica_set_name (green_rs), want);
    }
    sim_world_scale_replica_set (w, green_rs, want);
}

/* scaleDownOldReplicaSetsForBlueGreen: a ReplicaSet neither active,
 * stable nor green gets a deadline scale_down_delay after it stops being
 * used, keeps its size until then, then goes to 0 - but not while an
 * inconclusive analysis holds everything. */
static void
reconcile_old (SimWorld *w, BlueGreen *bg)
{
    SimTime now = sim_world_now (w);

    if (bg->halted)
        return;
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        gint v = sim_replica_set_version (rs);

        if (v == bg->active || v == bg->stable || v == bg->green
            || sim_replica_set_spec (rs) == 0)
            continue;
        if (bg->down_at[v] < 0) {
            bg->down_at[v] = now + bg->bs->scale_down_delay;
            sim_world_wake_at (w, bg->down_at[v]);
        }
        if (now >= bg->down_at[v]) {
            sim_world_narrate (w,
                               "scale %s down %d -> 0: no Service selects it "
                               "and scaleDownDelaySeconds (%.0fs) is over",
                               sim_replica_set_name (rs),
                               sim_replica_set_spec (rs),
                               SIM_TIME_TO_SEC (bg->bs->scale_down_delay));
            sim_world_scale_replica_set (w, rs, 0);
        }
    }
}

static void
reconcile_replica_sets (SimWorld *w, BlueGreen *bg)
{
    /* reconcileStableReplicaSet: the active RS at full size. */
    sim_world_scale_replica_set (w, rs_of (w, bg->active), bg->replicas);
    if (bg->active != bg->stable)
        sim_world_scale_replica_set (w, rs_of (w, bg->stable), bg->replicas);
    /* Green is sized here unless it is active (the active one is at R
     * above); aborted, it is held then scaled down even while the active
     * Service still points at it, until the switch back. */
    if (bg->green != bg->active || bg->aborted)
        reconcile_green (w, bg);
    reconcile_old (w, bg);
}

/* --- Pause and the active Service ----------------------------------------- */

static void
reconcile_pause (SimWorld *w, BlueGreen *bg)
{
    SimTime now = sim_world_now (w);

    if (!updating (bg) || bg->aborted || !ready_for_pause (w, bg)
        || bg->active == bg->green || bg->checkpoint || !needs_pause (bg)
        || !pre_completed (bg) || bg->pause_done)
        return;
    if (bg->pause_at < 0) {
        g_autofree char *detail = NULL;

        bg->pause_at = now;
        if (bg->bs->auto_promotion) {
            detail = g_strdup_printf (
                "BlueGreenPause: auto-promotion in "
                "%gs",
                SIM_TIME_TO_SEC (bg->bs->auto_promotion_after));
            sim_world_wake_at (w, now + bg->bs->auto_promotion_after);
        } else {
            detail = g_strdup ("BlueGreenPause: waiting for a promote");
        }
        sim_world_log (w, SIM_EVENT_PAUSED, "deployment", bg->green, FALSE, 0,
                       detail);
        return; /* added in this reconcile: not completed */
    }
    if (bg->bs->auto_promotion
        && now >= bg->pause_at + bg->bs->auto_promotion_after) {
        bg->pause_done = TRUE;
        sim_world_narrate (w, "pause over: %s may be promoted",
                           vname (w, bg->green));
    }
}

static void
reconcile_active (SimWorld *w, BlueGreen *bg)
{
    gint target = bg->active;

    if (bg->halted)
        return;
    if (bg->aborted) {
        /* The instant rollback: production goes back to the stable
         * version, whatever green's state. */
        target = bg->stable;
    } else if (bg->active == bg->green) {
        return;
    } else if (!ready_for_pause (w, bg) || !saturated (w, bg)) {
        if (!bg->waiting_told) {
            SimReplicaSetStatus st;

            sim_replica_set_status (rs_of (w, bg->green), &st);
            sim_world_narrate (w,
                               "active stays on %s: %s not saturated "
                               "(%d/%d available, %d pending)",
                               vname (w, bg->active), vname (w, bg->green),
                               st.available, bg->replicas, st.pending);
            bg->waiting_told = TRUE;
        }
        return;
    } else if (!updating (bg) || (pause_completed (bg) && pre_completed (bg))) {
        /* The fast rollback skips the pause and the analysis; saturation
         * is still required. */
        target = bg->green;
    }
    if (target == bg->active)
        return;
    /* The ReplicaSet the Service leaves waits scale_down_delay (unless it
     * is the stable, which stays at full size). */
    bg->down_at[bg->active] = -1;
    bg->active = target;
    bg->waiting_told = FALSE;
    sim_world_set_service (w, SIM_SERVICE_ACTIVE, 1u << target);
    /* The Rollout's status changed with the selector: the controller
     * syncs again (after an abort, that sync starts green's scale-down
     * delay). */
    requeue (w);
}

/* --- Analysis runs -------------------------------------------------------- */

/* Poll @run and act on how it ended: success lets the next sync go on
 * (the switch, or the promotion), failure or error aborts, inconclusive
 * halts. */
static void
poll_run (SimWorld *w, BlueGreen *bg, SimAnalysisRun *run)
{
    SimAnalysisPhase was = run->phase;
    SimAnalysisPhase phase = sim_analysis_poll (run, w);
    g_autofree char *why = NULL;

    if (phase == was)
        return;
    if (phase == SIM_ANALYSIS_SUCCESSFUL) {
        sim_world_narrate (w, "%s passed", run->label);
        requeue (w);
    } else if (phase == SIM_ANALYSIS_FAILED || phase == SIM_ANALYSIS_ERROR) {
        why = sim_analysis_why (run);
        abort_rollout (w, bg, why);
    } else if (phase == SIM_ANALYSIS_INCONCLUSIVE) {
        why = g_strdup_printf ("InconclusiveAnalysis: %s %s", run->label,
                               run->last);
        bg->halted = TRUE;
        sim_world_log (w, SIM_EVENT_PAUSED, "deployment", bg->green, FALSE, 0,
                       why);
    }
}

static void
reconcile_analysis (SimWorld *w, BlueGreen *bg)
{
    gint preview_size = bg->preview >= 0 ? MIN (bg->preview, bg->replicas)
                                         : bg->replicas;

    if (!updating (bg) || bg->aborted || bg->halted)
        return;
    /* Pre-promotion: on the preview, once it is saturated at its preview
     * size, until the switch. */
    if (bg->bs->pre_promotion_analysis && !bg->promote_full
        && bg->active != bg->green) {
        if (bg->pre.phase == SIM_ANALYSIS_IDLE
            && at_size (rs_of (w, bg->green), preview_size))
            sim_analysis_start (&bg->pre, w, bg->green,
                                "pre-promotion analysis");
        poll_run (w, bg, &bg->pre);
        if (bg->aborted || bg->halted)
            return;
    }
    /* Post-promotion: on green's production traffic, from the switch
     * until green is stable. */
    if (bg->bs->post_promotion_analysis && bg->active == bg->green) {
        if (bg->post.phase == SIM_ANALYSIS_IDLE && saturated (w, bg))
            sim_analysis_start (&bg->post, w, bg->green,
                                "post-promotion analysis");
        poll_run (w, bg, &bg->post);
    }
}

/* --- Status --------------------------------------------------------------- */

/* shouldUpdateBlueGreenStable: green is stable once the active Service
 * points at it and the post-promotion analysis (if any) passed.  The
 * previous stable then waits scale_down_delay. */
static void
update_stable (SimWorld *w, BlueGreen *bg)
{
    SimTime now = sim_world_now (w);
    g_autofree char *detail = NULL;
    gint old = bg->stable;

    if (!updating (bg) || bg->aborted || bg->active != bg->green
        || (bg->bs->post_promotion_analysis && !bg->promote_full
            && bg->post.phase != SIM_ANALYSIS_SUCCESSFUL))
        return;
    bg->stable = bg->green;
    bg->checkpoint = FALSE;
    bg->promote_full = FALSE;
    bg->down_at[old] = now + bg->bs->scale_down_delay;
    sim_world_wake_at (w, bg->down_at[old]);
    detail = g_strdup_printf ("%s is stable; %s scales down in %gs",
                              vname (w, bg->green), vname (w, old),
                              SIM_TIME_TO_SEC (bg->bs->scale_down_delay));
    sim_world_log (w, SIM_EVENT_PROMOTED, "deployment", bg->green, FALSE, 0,
                   detail);
    sim_world_rollout_completed (w);
}

/* calculateScaleUpPreviewCheckPoint: one way, tripped when the pause and
 * the pre-promotion analysis are over and the preview is available. */
static void
update_checkpoint (SimWorld *w, BlueGreen *bg)
{
    SimReplicaSetStatus st;

    if (bg->preview < 0 || bg->checkpoint || !updating (bg)
        || !pre_completed (bg) || !pause_completed (bg))
        return;
    sim_replica_set_status (rs_of (w, bg->green), &st);
    if (st.available != MIN (bg->preview, bg->replicas))
        return;
    bg->checkpoint = TRUE;
    sim_world_narrate (w, "preview checkpoint: %s grows to %d",
                       vname (w, bg->green), bg->replicas);
    requeue (w);
}

/* What blue-green's progress compares: green's pods as the updated ones,
 * the stable's as the old, the active ReplicaSet's ready and available
 * pods, and where the active Service and the stable point. */
static void
read_status (SimWorld *w, const BlueGreen *bg, SimArgoStatus *p)
{
    SimReplicaSetStatus g = { 0 }, b = { 0 }, a = { 0 };

    if (rs_of (w, bg->green) != NULL)
        sim_replica_set_status (rs_of (w, bg->green), &g);
    sim_replica_set_status (rs_of (w, bg->stable), &b);
    sim_replica_set_status (rs_of (w, bg->active), &a);
    p->updated = g.replicas;
    p->old = b.replicas;
    p->ready = a.ready;
    p->available = a.available;
    p->mark_a = bg->active;
    p->mark_b = bg->stable;
}

/* RolloutProgressing / RolloutTimedOut (section A1.9): a paused rollout
 * never times out, and a promoted or aborted one is no longer watched (so
 * the old stable waiting on its scale-down deadline never counts). */
static void
update_progress (SimWorld *w, BlueGreen *bg)
{
    SimArgoStatus p;
    SimArgoWatch watch = SIM_ARGO_WATCH;

    read_status (w, bg, &p);
    if (!updating (bg) || bg->aborted)
        watch = SIM_ARGO_DONE;
    else if (bg->halted || bg->halt || (bg->pause_at >= 0 && !bg->pause_done))
        watch = SIM_ARGO_HOLD;
    sim_argo_rollout_progress (&bg->status, w, &p, watch);
}

/* --- A new template ---------------------------------------------------------- */

static void
restart_run (BlueGreen *bg, SimWorld *w)
{
    bg->pause_at = -1;
    bg->pause_done = bg->halted = bg->aborted = bg->checkpoint = FALSE;
    bg->promote_full = FALSE;
    bg->green_down_at = SIM_TIME_NEVER;
    bg->waiting_told = FALSE;
    sim_analysis_stop (&bg->pre, w);
    sim_analysis_stop (&bg->post, w);
    sim_analysis_clear (&bg->pre);
    sim_analysis_clear (&bg->post);
    bg->pre.phase = bg->post.phase = SIM_ANALYSIS_IDLE;
    {
        SimArgoStatus first;

        read_status (w, bg, &first);
        sim_argo_rollout_init (&bg->status, w,
                               sim_world_scenario (w)->progress_deadline,
                               &first);
    }
}

/* The template changed: a rollout to it begins, green is its ReplicaSet
 * (created at its desired size, or reused), and the preview Service
 * follows it at once. */
static void
new_template (SimWorld *w, BlueGreen *bg)
{
    gint was = bg->green;

    bg->green = sim_world_spec (w)->template.version;
    /* The previous green, no longer newest, is an "other" from now on. */
    if (was != bg->active && was != bg->stable)
        bg->down_at[was] = -1;
    bg->down_at[bg->green] = -1;
    if (rs_of (w, bg->green) == NULL)
        sim_world_create_replica_set (w, green_desired (bg));
    restart_run (bg, w);
    if (!updating (bg))
        sim_world_narrate (w,
                           "fast rollback to the stable %s: no pause, no "
                           "analysis",
                           vname (w, bg->green));
    /* Production stays where it is; the preview Service follows the
     * newest ReplicaSet as soon as it exists. */
    if (bg->active == bg->green && updating (bg))
        return;
    sim_world_set_service (w, SIM_SERVICE_ACTIVE, 1u << bg->active);
    sim_world_set_service (w, SIM_SERVICE_PREVIEW, 1u << bg->green);
}

/* --- The hooks ------------------------------------------------------------ */

static void
bg_sync (SimWorld *w, gpointer data)
{
    BlueGreen *bg = data;
    const SimDeploymentSpec *spec = sim_world_spec (w);

    bg->replicas = spec->replicas;
    bg->halt = spec->paused;
    if (spec->template.version != bg->green)
        new_template (w, bg);
    {
        /* podRestarter.Reconcile: stable, new, then the others; a
         * blue-green's maxUnavailable is 25% (rounded down) in code. */
        SimReplicaSet *order[SIM_MAX_VERSIONS];
        guint n = 0;

        order[n++] = rs_of (w, bg->stable);
        if (bg->green != bg->stable)
            order[n++] = rs_of (w, bg->green);
        for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
            SimReplicaSet *rs = sim_world_replica_set (w, i);
            gint v = sim_replica_set_version (rs);

            if (v != bg->stable && v != bg->green)
                order[n++] = rs;
        }
        sim_argo_restart (&bg->restart, w, order, n, bg->replicas / 4);
    }
    if (!bg->halt) {
        reconcile_replica_sets (w, bg);
        reconcile_pause (w, bg);
        reconcile_active (w, bg);
    }
    reconcile_analysis (w, bg);
    update_stable (w, bg);
    update_checkpoint (w, bg);
    update_progress (w, bg);
}

static gboolean
bg_command (SimWorld *w, gpointer data, SimCommand cmd, char **refusal)
{
    BlueGreen *bg = data;

    if (!updating (bg)) {
        sim_world_narrate (w, "nothing to do: %s is fully promoted",
                           vname (w, bg->stable));
        return TRUE;
    }
    switch (cmd) {
    case SIM_COMMAND_ABORT:
        abort_rollout (w, bg, "user abort (kubectl argo rollouts abort)");
        break;
    case SIM_COMMAND_RETRY:
        if (!bg->aborted) {
            sim_world_narrate (w, "retry: not aborted, nothing to do");
            break;
        }
        restart_run (bg, w);
        sim_world_rollout_again (w);
        sim_world_narrate (w, "retry: %s comes up again behind the preview",
                           vname (w, bg->green));
        break;
    case SIM_COMMAND_PROMOTE:
        /* The pause conditions are cleared: the BlueGreenPause is over,
         * an inconclusive analysis is taken as passed. */
        if (bg->aborted) {
            sim_world_narrate (w, "promote: aborted, nothing moves until a "
                                  "retry");
            break;
        }
        if (bg->halted) {
            bg->halted = FALSE;
            if (bg->active != bg->green)
                bg->pre.phase = SIM_ANALYSIS_SUCCESSFUL;
            else
                bg->post.phase = SIM_ANALYSIS_SUCCESSFUL;
        }
        if (bg->pause_at >= 0)
            bg->pause_done = TRUE;
        sim_world_narrate (w,
                           "promote: %s may be switched to once "
                           "saturated",
                           vname (w, bg->green));
        break;
    case SIM_COMMAND_PROMOTE_FULL:
        if (bg->aborted) {
            restart_run (bg, w);
            sim_world_rollout_again (w);
        }
        bg->promote_full = TRUE;
        bg->halted = FALSE;
        sim_analysis_stop (&bg->pre, w);
        sim_world_narrate (w,
                           "promote --full: %s to full size, no pause, no "
                           "pre-promotion analysis",
                           vname (w, bg->green));
        break;
    }
    return TRUE;
}

/* --- [strategy.bluegreen] -------------------------------------------------- */

/* previewReplicaCount above replicas is refused, when blue-green runs. */
static gboolean
bg_validate (const SimPlaces *pl, gconstpointer settings, const SimScenario *s,
             GError **error)
{
    const SimBlueGreenSettings *bs = settings;

    if (bs->preview_replicas > s->replicas) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "strategy.bluegreen.preview_replicas: %d is more than "
                     "deployment.replicas (%d) (accepted: an integer from "
                     "0 to %d, or all)",
                     bs->preview_replicas, s->replicas, s->replicas);
        return FALSE;
    }
    return TRUE;
}

/* A pre-promotion analysis measures the preview Service's requests
 * (traffic.preview_rate): with none, every measurement has no data and
 * the rollout aborts after analysis.consecutive_error_limit of them. */
static void
bg_warn (const SimPlaces *pl, gconstpointer settings, const SimScenario *s,
         GPtrArray *out)
{
    const SimBlueGreenSettings *bs = settings;
    g_autofree char *where = NULL;

    if (!bs->pre_promotion_analysis || s->preview_rate > 0)
        return;
    where = sim_places_where (pl, "strategy.bluegreen",
                              "pre_promotion_analysis");
    g_ptr_array_add (
        out, g_strdup_printf ("%s: strategy.bluegreen.pre_promotion_analysis: "
                              "it measures the preview Service's requests, "
                              "but traffic.preview_rate is 0: it will find "
                              "no data and abort the rollout (set "
                              "traffic.preview_rate)",
                              where));
}

#define B SimBlueGreenSettings

static const SimKeyRow bg_rows[] = {
    SIM_KEY ("preview_replicas", "all", "pods", "an integer >= 0, or all",
             "previewReplicaCount: pods of the new version before "
             "promotion; all = replicas.",
             SIM_KEY_T_INT_OR (B, preview_replicas, 0, 100000, "all")),
    SIM_KEY ("auto_promotion", "true", "", SIM_KEY_ACCEPT_BOOL,
             "autoPromotionEnabled: switch the active Service by itself; "
             "false waits for a promotion that never comes.",
             SIM_KEY_T_BOOL (B, auto_promotion)),
    SIM_KEY ("auto_promotion_after", "0s", "", SIM_KEY_ACCEPT_DURATION,
             "autoPromotionSeconds: promote this long after the preview is "
             "ready (0s = at once).",
             SIM_KEY_T_DURATION (B, auto_promotion_after, 0)),
    SIM_KEY ("scale_down_delay", "30s", "", SIM_KEY_ACCEPT_DURATION,
             "scaleDownDelaySeconds: how long the old version keeps running "
             "after promotion (the switch, or a passed post-promotion "
             "analysis).",
             SIM_KEY_T_DURATION (B, scale_down_delay, 0)),
    SIM_KEY ("abort_scale_down_delay", "30s", "", SIM_KEY_ACCEPT_DURATION,
             "abortScaleDownDelaySeconds: how long the preview keeps "
             "running after an abort.",
             SIM_KEY_T_DURATION (B, abort_scale_down_delay, 0)),
    SIM_KEY ("pre_promotion_analysis", "false", "", SIM_KEY_ACCEPT_BOOL,
             "Run [analysis] against the preview before the switch; a "
             "failure aborts.",
             SIM_KEY_T_BOOL (B, pre_promotion_analysis)),
    SIM_KEY ("post_promotion_analysis", "false", "", SIM_KEY_ACCEPT_BOOL,
             "Run [analysis] after the switch; a failure switches back and "
             "aborts.",
             SIM_KEY_T_BOOL (B, post_promotion_analysis)),
    SIM_KEY_END,
};

#undef B

const SimKeyGroup sim_blue_green_settings_group = {
    .name = "strategy.bluegreen",
    .doc = "Argo Rollouts blue-green: the new version comes up behind a "
           "preview Service, then the active Service switches to it.",
    .rows = bg_rows,
    .size = sizeof (SimBlueGreenSettings),
    .validate = bg_validate,
    .warn = bg_warn,
};

/* The Rollout's scale (docs/design.md H3.1): status.selector carries
 * the active ReplicaSet's pod-template hash, so the HPA samples the
 * active pods alone, and HPAReplicas is the active ReplicaSet's. */
static gint
bg_scale_status (SimWorld *w, gpointer data, gboolean stable_only,
                 gboolean *selected)
{
    BlueGreen *bg = data;
    SimReplicaSet *active = rs_of (w, bg->active);
    SimReplicaSetStatus st;

    if (active == NULL)
        return sim_world_scale_status_all (w, selected);
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++)
        selected[i] = sim_world_replica_set (w, i) == active;
    sim_replica_set_status (active, &st);
    return st.replicas;
}

const SimStrategyClass sim_strategy_blue_green = {
    .name = "bluegreen",
    .summary = "Argo Rollouts blue-green: a full second colour behind a "
               "preview Service, then one switch",
    .rollout = TRUE,
    .settings = &sim_blue_green_settings_group,
    .init = bg_init,
    .sync = bg_sync,
    .command = bg_command,
    .free_data = bg_free,
    .scale_status = bg_scale_status,
};
