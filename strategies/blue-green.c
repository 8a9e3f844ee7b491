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
 * Invariants kept: production traffic is never sent to green before it is
 * saturated and the pause and pre-promotion analysis are over; blue is
 * never scaled down while it is stable or the active Service points at it;
 * there is never a weighted split.
 */
#include <string.h>
#include "strategy.h"
#include "blue-green.h"
#include "analysis.h"
#include "argo-rollout.h"

typedef struct BlueGreen {
    const SimBlueGreenSettings *bs;
    gint replicas;    /* spec.replicas */
    gint preview;     /* previewReplicaCount; -1 = unset */
    gint blue, green; /* version indices */
    SimReplicaSet *blue_rs, *green_rs;

    gint active;         /* where the active Service points */
    gint stable;         /* status.stableRS */
    gboolean checkpoint; /* scaleUpPreviewCheckPoint (one way) */
    SimTime pause_at;    /* BlueGreenPause began; -1 never */
    gboolean pause_done;
    gboolean halted; /* InconclusiveAnalysis pause */
    gboolean aborted;
    SimTime blue_down_at;  /* scale-down deadline of the old stable */
    SimTime green_down_at; /* abort scale-down deadline of green */
    gboolean waiting_told; /* narrated "not saturated" already */

    SimAnalysisRun pre, post;

    SimArgoRollout status; /* progress and its deadline (A1.9) */
} BlueGreen;

/* --- Lifecycle -------------------------------------------------------------- */

static gpointer
bg_init (SimWorld *w, gconstpointer settings)
{
    const SimScenario *sc = sim_world_scenario (w);
    BlueGreen *bg = g_new0 (BlueGreen, 1);

    bg->bs = settings;
    bg->replicas = sc->replicas;
    bg->preview = bg->bs->preview_replicas;
    bg->blue = sc->version_index;
    bg->green = -1; /* until a rollout begins */
    bg->active = bg->stable = bg->blue;
    bg->pause_at = -1;
    bg->blue_down_at = bg->green_down_at = SIM_TIME_NEVER;
    bg->pre.probe = bg->post.probe = -1;
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

static SimReplicaSet *
rs_of (BlueGreen *bg, gint v)
{
    return v == bg->green ? bg->green_rs : bg->blue_rs;
}

/* NewRSNewReplicas for blue-green: previewReplicaCount until the
 * checkpoint trips, full size once green is active. */
static gint
green_desired (const BlueGreen *bg)
{
    if (bg->preview >= 0 && bg->active != bg->green && !bg->checkpoint)
        return bg->preview;
    return bg->replicas;
}

static gboolean
at_size (SimReplicaSet *rs, gint n)
{
    SimReplicaSetStatus st;

    sim_replica_set_status (rs, &st);
    return sim_replica_set_spec (rs) == n && st.available == n;
}

/* ReadyForPause: green at its desired count and fully available. */
static gboolean
ready_for_pause (const BlueGreen *bg)
{
    return at_size (bg->green_rs, green_desired (bg));
}

/* IsSaturated: spec = available = spec.replicas. */
static gboolean
saturated (const BlueGreen *bg)
{
    return at_size (bg->green_rs, bg->replicas);
}

static gboolean
pre_completed (const BlueGreen *bg)
{
    return !bg->bs->pre_promotion_analysis
           || bg->pre.phase == SIM_ANALYSIS_SUCCESSFUL;
}

/* needsBlueGreenControllerPause. */
static gboolean
needs_pause (const BlueGreen *bg)
{
    return !bg->bs->auto_promotion || bg->bs->auto_promotion_after > 0;
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
    bg->aborted = TRUE;
    sim_analysis_stop (&bg->pre, w);
    sim_analysis_stop (&bg->post, w);
    sim_world_rollout_aborted (w, why);
    requeue (w);
}

/* --- ReplicaSets (reconcileBlueGreenReplicaSets) -------------------------- */

/* shouldDelayScaleDownOnAbort and reconcileNewReplicaSet: after an abort
 * green keeps its size until a deadline written once blue is fully
 * available, then goes to 0; an abort delay of 0 keeps it for good. */
static void
reconcile_green (SimWorld *w, BlueGreen *bg)
{
    SimTime now = sim_world_now (w);
    gint want = green_desired (bg);

    if (bg->aborted && bg->bs->abort_scale_down_delay > 0) {
        if (bg->green_down_at == SIM_TIME_NEVER) {
            SimReplicaSetStatus st;

            sim_replica_set_status (bg->blue_rs, &st);
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
    sim_world_scale_replica_set (w, bg->green_rs, want);
}

/* scaleDownOldReplicaSetsForBlueGreen: blue, once neither active nor
 * stable, is held at full size until its deadline, then scaled to 0 -
 * but not while an inconclusive analysis holds everything. */
static void
reconcile_old (SimWorld *w, BlueGreen *bg)
{
    if (bg->active == bg->blue || bg->stable == bg->blue || bg->halted)
        return;
    sim_world_scale_replica_set (w, bg->blue_rs,
                                 sim_world_now (w) < bg->blue_down_at
                                     ? bg->replicas
                                     : 0);
}

static void
reconcile_replica_sets (SimWorld *w, BlueGreen *bg)
{
    /* reconcileStableReplicaSet: the active RS at full size. */
    sim_world_scale_replica_set (w, rs_of (bg, bg->active), bg->replicas);
    reconcile_green (w, bg);
    reconcile_old (w, bg);
}

/* --- Pause and the active Service ----------------------------------------- */

static void
reconcile_pause (SimWorld *w, BlueGreen *bg)
{
    SimTime now = sim_world_now (w);

    if (bg->aborted || !ready_for_pause (bg) || bg->active == bg->green
        || bg->checkpoint || !needs_pause (bg) || !pre_completed (bg)
        || bg->pause_done)
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
            detail = g_strdup ("BlueGreenPause: waiting for a promotion");
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
    } else if (!ready_for_pause (bg) || !saturated (bg)) {
        if (!bg->waiting_told && bg->active != bg->green) {
            SimReplicaSetStatus st;

            sim_replica_set_status (bg->green_rs, &st);
            sim_world_narrate (w,
                               "active stays on %s: %s not saturated "
                               "(%d/%d available, %d pending)",
                               vname (w, bg->active), vname (w, bg->green),
                               st.available, bg->replicas, st.pending);
            bg->waiting_told = TRUE;
        }
        return;
    } else if (pause_completed (bg) && pre_completed (bg)) {
        target = bg->green;
    }
    if (target == bg->active)
        return;
    bg->active = target;
    bg->waiting_told = FALSE;
    sim_world_set_service (w, SIM_SERVICE_ACTIVE, 1u << target);
}

/* --- Analysis runs -------------------------------------------------------- */

/* Poll @run and act on how it ended: success lets the next sync go on
 * (the switch, or the promotion), failure aborts, inconclusive halts. */
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
    gint preview_size = bg->preview >= 0 ? bg->preview : bg->replicas;

    if (bg->aborted || bg->halted)
        return;
    /* Pre-promotion: on the preview, once it is saturated at its preview
     * size, until the switch. */
    if (bg->bs->pre_promotion_analysis && bg->active != bg->green
        && bg->stable != bg->green) {
        if (bg->pre.phase == SIM_ANALYSIS_IDLE
            && at_size (bg->green_rs, preview_size))
            sim_analysis_start (&bg->pre, w, bg->green,
                                "pre-promotion analysis");
        poll_run (w, bg, &bg->pre);
        if (bg->aborted || bg->halted)
            return;
    }
    /* Post-promotion: on green's production traffic, from the switch
     * until green is stable. */
    if (bg->bs->post_promotion_analysis && bg->active == bg->green
        && bg->stable != bg->green) {
        if (bg->post.phase == SIM_ANALYSIS_IDLE && saturated (bg))
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

    if (bg->aborted || bg->stable == bg->green || bg->active != bg->green
        || (bg->bs->post_promotion_analysis
            && bg->post.phase != SIM_ANALYSIS_SUCCESSFUL))
        return;
    bg->stable = bg->green;
    bg->checkpoint = FALSE;
    bg->blue_down_at = now + bg->bs->scale_down_delay;
    sim_world_wake_at (w, bg->blue_down_at);
    detail = g_strdup_printf ("%s is stable; %s scales down in %gs",
                              vname (w, bg->green), vname (w, bg->blue),
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

    if (bg->preview < 0 || bg->checkpoint || bg->stable == bg->green
        || !pre_completed (bg) || !pause_completed (bg))
        return;
    sim_replica_set_status (bg->green_rs, &st);
    if (st.available != bg->preview)
        return;
    bg->checkpoint = TRUE;
    sim_world_narrate (w, "preview checkpoint: %s grows to %d",
                       vname (w, bg->green), bg->replicas);
    requeue (w);
}

/* What blue-green's progress compares: green's pods as the updated ones,
 * blue's as the old, the active ReplicaSet's ready and available pods,
 * and where the active Service and the stable point. */
static void
read_status (const BlueGreen *bg, SimArgoStatus *p)
{
    SimReplicaSetStatus g, b, a;

    sim_replica_set_status (bg->green_rs, &g);
    sim_replica_set_status (bg->blue_rs, &b);
    a = bg->active == bg->green ? g : b;
    p->updated = g.replicas;
    p->old = b.replicas;
    p->ready = a.ready;
    p->available = a.available;
    p->mark_a = bg->active;
    p->mark_b = bg->stable;
}

/* RolloutProgressing / RolloutTimedOut (section A1.9): a paused rollout
 * never times out, and a promoted or aborted one is no longer watched (so
 * blue waiting on its scale-down deadline never counts). */
static void
update_progress (SimWorld *w, BlueGreen *bg)
{
    SimArgoStatus p;
    SimArgoWatch watch = SIM_ARGO_WATCH;

    read_status (bg, &p);
    if (bg->stable == bg->green || bg->aborted)
        watch = SIM_ARGO_DONE;
    else if (bg->halted || (bg->pause_at >= 0 && !bg->pause_done))
        watch = SIM_ARGO_HOLD;
    sim_argo_rollout_progress (&bg->status, w, &p, watch);
}

/* --- The hooks ------------------------------------------------------------ */

static void bg_begin (SimWorld *w, BlueGreen *bg);

static void
bg_sync (SimWorld *w, gpointer data)
{
    BlueGreen *bg = data;

    if (bg->green < 0) {
        /* Nothing to roll out until the template changes. */
        if (sim_world_spec (w)->template.version == bg->blue)
            return;
        bg_begin (w, bg);
    }
    reconcile_replica_sets (w, bg);
    reconcile_pause (w, bg);
    reconcile_active (w, bg);
    reconcile_analysis (w, bg);
    update_stable (w, bg);
    update_checkpoint (w, bg);
    update_progress (w, bg);
}

/* The template changed: a rollout begins. */
static void
bg_begin (SimWorld *w, BlueGreen *bg)
{
    bg->green = sim_world_spec (w)->template.version;
    bg->blue_rs = sim_world_replica_set (w, 0);
    bg->green_rs = sim_world_create_replica_set (w, green_desired (bg));
    {
        SimArgoStatus first;

        read_status (bg, &first);
        sim_argo_rollout_init (&bg->status, w,
                               sim_world_scenario (w)->progress_deadline,
                               &first);
    }
    /* Production stays on the stable version; the preview Service follows
     * the newest ReplicaSet as soon as it exists. */
    sim_world_set_service (w, SIM_SERVICE_ACTIVE, 1u << bg->blue);
    sim_world_set_service (w, SIM_SERVICE_PREVIEW, 1u << bg->green);
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
};

const SimStrategyClass sim_strategy_blue_green = {
    .name = "bluegreen",
    .summary = "Argo Rollouts blue-green: a full second colour behind a "
               "preview Service, then one switch",
    .rollout = TRUE,
    .settings = &sim_blue_green_settings_group,
    .init = bg_init,
    .sync = bg_sync,
    .free_data = bg_free,
};
