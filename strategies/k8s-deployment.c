/* k8s-deployment.c - Kubernetes Deployment arithmetic and status, shared
 * by rolling.c and recreate.c.  See k8s-deployment.h. */
#include "k8s-deployment.h"

/* What events call the Deployment: "deployment" for the application's,
 * the label of a strategy's own ("primary"). */
static const char *
object (const SimK8sDeployment *d)
{
    const char *label = sim_deployment_label (d->obj);

    return label != NULL ? label : "deployment";
}

/* Whether @rs is one of @d's. */
static gboolean
owned (const SimK8sDeployment *d, const SimReplicaSet *rs)
{
    return sim_replica_set_owner (rs) == d->obj;
}

/* Whether @d is the application's own (its milestones are the run's). */
static gboolean
is_app (SimWorld *w, const SimK8sDeployment *d)
{
    return d->obj == sim_world_deployment (w);
}

void
sim_k8s_resolve_fenceposts (SimIntOrPercent max_surge,
                            SimIntOrPercent max_unavailable, gint replicas,
                            gint *surge, gint *unavailable)
{
    *surge = sim_units_scaled_value (max_surge, replicas, TRUE);
    /* replicas + surge, the most pods allowed, must not wrap (Go's
     * int32 does: a huge maxSurge would then block every scale-up).
     * All ReplicaSets together never hold G_MAXINT pods, so saturating
     * there changes no count; with one rollout any surge above replicas
     * acts as a surge of replicas. */
    *surge = MIN (*surge, G_MAXINT - replicas);
    *unavailable = sim_units_scaled_value (max_unavailable, replicas, FALSE);
    /* Surge may be blocked by quota: allow one unavailable instead. */
    if (*surge == 0 && *unavailable == 0)
        *unavailable = 1;
}

gint
sim_k8s_max_unavailable (gint unavailable, gint replicas)
{
    if (replicas == 0)
        return 0;
    return MIN (unavailable, replicas);
}

gint
sim_k8s_new_rs_new_replicas (gint replicas, gint surge, gint all_spec,
                             gint new_spec)
{
    gint max_total = replicas + surge;

    if (all_spec >= max_total)
        return new_spec;
    return new_spec + MIN (max_total - all_spec, replicas - new_spec);
}

gint
sim_k8s_cleanup_unhealthy (SimK8sRs *old, guint n_old, gint max_cleanup)
{
    gint total = 0;

    for (guint i = 0; i < n_old && total < max_cleanup; i++) {
        gint k;

        if (old[i].spec == 0 || old[i].spec == old[i].available)
            continue;
        k = MIN (max_cleanup - total, old[i].spec - old[i].available);
        /* A stale status shows more available pods than the spec:
         * Kubernetes refuses to scale "down" by a negative count. */
        if (k < 0)
            return -1;
        old[i].spec -= k;
        total += k;
    }
    return total;
}

gint
sim_k8s_scale_down_old (SimK8sRs *old, guint n_old, gint available,
                        gint min_available)
{
    gint want, removed = 0;

    if (available <= min_available)
        return 0;
    want = available - min_available;
    for (guint i = 0; i < n_old && removed < want; i++) {
        gint k;

        if (old[i].spec == 0)
            continue;
        k = MIN (old[i].spec, want - removed);
        old[i].spec -= k;
        removed += k;
    }
    return removed;
}

gint
sim_k8s_reconcile_old (SimK8sRs *old, guint n_old, const SimK8sRs *new_rs,
                       gint replicas, gint max_unavailable)
{
    gint old_total = 0, available = new_rs->available;
    gint min_available = replicas - max_unavailable;
    gint max_scaled_down, c, s;

    for (guint i = 0; i < n_old; i++) {
        old_total += old[i].spec;
        available += old[i].available; /* read before any change */
    }
    if (old_total == 0)
        return 0;
    max_scaled_down = old_total + new_rs->spec - min_available
                      - (new_rs->spec - new_rs->available);
    if (max_scaled_down <= 0)
        return 0;
    /* On the stale-status error the ReplicaSets cleaned up before it
     * stay scaled (their API updates went through), and v1.28 reports
     * "no change". */
    c = sim_k8s_cleanup_unhealthy (old, n_old, max_scaled_down);
    if (c < 0)
        return 0;
    s = sim_k8s_scale_down_old (old, n_old, available, min_available);
    return c + s;
}

void
sim_k8s_read_spec (SimK8sDeployment *d, SimWorld *w)
{
    const SimDeploymentSpec *spec = sim_deployment_spec (d->obj);

    d->replicas = spec->replicas;
    d->target = spec->template;
    if (d->recreate) {
        d->surge = d->max_unavailable = 0;
    } else {
        gint surge, unavailable;

        sim_k8s_resolve_fenceposts (d->max_surge_set, d->max_unavailable_set,
                                    d->replicas, &surge, &unavailable);
        d->surge = surge;
        d->max_unavailable = sim_k8s_max_unavailable (unavailable, d->replicas);
    }
}

void
sim_k8s_scale (SimWorld *w, const SimK8sDeployment *d, SimReplicaSet *rs,
               gint replicas)
{
    sim_replica_set_annotate (rs, d->replicas, d->replicas + d->surge);
    sim_world_scale_replica_set (w, rs, replicas);
}

/* --- Scaling events (K6) ------------------------------------------------- */

/* integer.RoundToInt32: halves away from zero. */
static gint
round_half_away (double x)
{
    return (gint) (x < 0 ? x - 0.5 : x + 0.5);
}

/* getReplicaSetFraction (K2.9). */
static gint
rs_fraction (const SimK8sScaleRs *rs, gint replicas, gint surge,
             gint status_replicas)
{
    gint annotated = rs->ann_max;

    if (replicas == 0)
        return -rs->spec;
    /* A missing (or, in newer releases, 0) annotation falls back to the
     * status; 0 there too gives no share. */
    if (annotated <= 0)
        annotated = status_replicas;
    if (annotated <= 0)
        return 0;
    return round_half_away ((double) rs->spec * (replicas + surge) / annotated)
           - rs->spec;
}

typedef struct {
    SimK8sScaleRs *rs;
    guint age; /* creation order */
} Sized;

/* ReplicaSetsBySizeNewer and BySizeOlder (K2.10): larger first, then by
 * age (creation order stands in for the names of ties). */
static gint
by_size_newer (gconstpointer pa, gconstpointer pb)
{
    const Sized *a = pa, *b = pb;

    if (a->rs->spec != b->rs->spec)
        return b->rs->spec - a->rs->spec;
    return (gint) b->age - (gint) a->age;
}

static gint
by_size_older (gconstpointer pa, gconstpointer pb)
{
    const Sized *a = pa, *b = pb;

    if (a->rs->spec != b->rs->spec)
        return b->rs->spec - a->rs->spec;
    return (gint) a->age - (gint) b->age;
}

void
sim_k8s_scale_event (SimK8sScaleRs *rs, guint n, gint new_index, gint replicas,
                     gint surge, gboolean rolling, gint status_replicas)
{
    g_autofree Sized *all = g_new (Sized, MAX (n, 1));
    guint n_active = 0;
    gint total = 0, to_add, added = 0;

    for (guint i = 0; i < n; i++) {
        rs[i].write = FALSE;
        if (rs[i].spec > 0) {
            all[n_active].rs = &rs[i];
            all[n_active].age = i;
            n_active++;
            total += rs[i].spec;
        }
    }
    /* FindActiveOrLatest: one active ReplicaSet, or none and the newest
     * (the new one if it exists). */
    if (n > 0 && n_active <= 1) {
        SimK8sScaleRs *one = n_active == 1    ? all[0].rs
                             : new_index >= 0 ? &rs[new_index]
                                              : &rs[n - 1];

        if (one->spec != replicas) {
            one->spec = replicas;
            one->write = TRUE;
        }
        return;
    }
    /* IsSaturated (K2.5): the new ReplicaSet carries everything. */
    if (new_index >= 0 && rs[new_index].spec == replicas
        && rs[new_index].ann_desired == replicas
        && rs[new_index].available == replicas) {
        for (guint i = 0; i < n; i++)
            if ((gint) i != new_index && rs[i].spec > 0) {
                rs[i].spec = 0;
                rs[i].write = TRUE;
            }
        return;
    }
    if (!rolling || n_active == 0)
        return;
    to_add = (replicas > 0 ? replicas + surge : 0) - total;
    if (to_add > 0)
        qsort (all, n_active, sizeof *all, by_size_newer);
    else if (to_add < 0)
        qsort (all, n_active, sizeof *all, by_size_older);
    for (guint i = 0; i < n_active; i++) {
        SimK8sScaleRs *r = all[i].rs;
        gint p = 0;

        /* GetProportion (K2.9). */
        if (to_add != 0 && to_add != added) {
            gint f = rs_fraction (r, replicas, surge, status_replicas);

            p = to_add > 0 ? MIN (f, to_add - added) : MAX (f, to_add - added);
        }
        added += p;
        r->spec += p;
        r->write = TRUE;
    }
    /* The leftover goes to the largest, never below 0. */
    all[0].rs->spec = MAX (all[0].rs->spec + to_add - added, 0);
}

/* isScalingEvent (K3 step 9): an active ReplicaSet annotated with
 * another R. */
static gboolean
is_scaling_event (const SimK8sDeployment *d, SimReplicaSet *new_rs,
                  SimReplicaSet **old, guint n_old)
{
    for (guint i = 0; i <= n_old; i++) {
        SimReplicaSet *rs = i < n_old ? old[i] : new_rs;
        gint desired, max;

        if (rs == NULL || sim_replica_set_spec (rs) == 0)
            continue;
        sim_replica_set_annotations (rs, &desired, &max);
        if (desired >= 0 && desired != d->replicas)
            return TRUE;
    }
    return FALSE;
}

/* checkPausedConditions (K7), only with a deadline and never over
 * ProgressDeadlineExceeded. */
static void
check_paused (SimWorld *w, SimK8sDeployment *d, gboolean paused)
{
    if (d->deadline == SIM_TIME_NEVER
        || d->reason == SIM_K8S_PROGRESS_DEADLINE_EXCEEDED)
        return;
    if (paused && d->reason != SIM_K8S_PROGRESS_PAUSED) {
        d->reason = SIM_K8S_PROGRESS_PAUSED;
        d->last_update = sim_world_now (w);
        sim_world_log (w, SIM_EVENT_CONDITION, object (d), -1, FALSE, 0,
                       "Progressing=Unknown DeploymentPaused");
    } else if (!paused && d->reason == SIM_K8S_PROGRESS_PAUSED) {
        d->reason = SIM_K8S_PROGRESS_RESUMED;
        d->last_update = sim_world_now (w);
        sim_world_log (w, SIM_EVENT_CONDITION, object (d), -1, FALSE, 0,
                       "Progressing=Unknown DeploymentResumed");
    }
}

static void calculate_status (SimWorld *w, const SimK8sDeployment *d,
                              SimK8sStatus *out);
static void update_available (SimWorld *w, SimK8sDeployment *d,
                              const SimK8sStatus *s);

gboolean
sim_k8s_sync_paused_or_scaled (SimWorld *w, SimK8sDeployment *d,
                               SimReplicaSet *new_rs, SimReplicaSet **old,
                               guint n_old)
{
    gboolean paused = sim_deployment_spec (d->obj)->paused;
    g_autofree SimK8sScaleRs *k = NULL;
    g_autofree SimReplicaSet **all = NULL;
    gint new_index = -1;
    guint n = 0;
    SimK8sStatus s;

    check_paused (w, d, paused);
    if (!paused && !is_scaling_event (d, new_rs, old, n_old))
        return FALSE;
    /* sync(d): scale(), in creation order (old are oldest first, and the
     * new one may sit anywhere among them). */
    k = g_new0 (SimK8sScaleRs, n_old + 1);
    all = g_new0 (SimReplicaSet *, n_old + 1);
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);
        SimReplicaSetStatus st;

        if (!owned (d, rs))
            continue;
        sim_replica_set_status (rs, &st);
        if (rs == new_rs)
            new_index = (gint) n;
        all[n] = rs;
        k[n].spec = sim_replica_set_spec (rs);
        sim_replica_set_annotations (rs, &k[n].ann_desired, &k[n].ann_max);
        k[n].available = st.available;
        n++;
    }
    sim_k8s_scale_event (k, n, new_index, d->replicas, d->surge, !d->recreate,
                         d->written.replicas);
    for (guint i = 0; i < n; i++)
        if (k[i].write)
            sim_k8s_scale (w, d, all[i], k[i].spec);
    /* syncDeploymentStatus: the status, without progress estimation. */
    calculate_status (w, d, &s);
    update_available (w, d, &s);
    d->written = s;
    return TRUE;
}

static void
deployment_init (SimK8sDeployment *d, SimWorld *w)
{
    const SimScenario *sc = sim_world_scenario (w);

    d->deadline = sc->progress_deadline;
    d->requeue_at = -1;
    d->available_cond = TRUE;
    d->available_changed = 0;
    sim_k8s_read_spec (d, w);
    /* Complete at t = 0: the initial ReplicaSet is the new one, fully
     * available, annotated by the sync that scaled it. */
    d->reason = SIM_K8S_PROGRESS_NEW_RS_AVAILABLE;
    d->last_update = 0;
    d->written.replicas = d->written.ready = d->written.available =
        d->written.updated = d->replicas;
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++)
        if (owned (d, sim_world_replica_set (w, i)))
            sim_replica_set_annotate (sim_world_replica_set (w, i), d->replicas,
                                      d->replicas + d->surge);
}

void
sim_k8s_deployment_init (SimK8sDeployment *d, SimWorld *w,
                         SimIntOrPercent max_surge,
                         SimIntOrPercent max_unavailable)
{
    sim_k8s_deployment_init_for (d, w, sim_world_deployment (w), max_surge,
                                 max_unavailable);
}

void
sim_k8s_deployment_init_for (SimK8sDeployment *d, SimWorld *w,
                             SimDeployment *obj, SimIntOrPercent max_surge,
                             SimIntOrPercent max_unavailable)
{
    memset (d, 0, sizeof *d);
    d->obj = obj;
    d->max_surge_set = max_surge;
    d->max_unavailable_set = max_unavailable;
    deployment_init (d, w);
}

void
sim_k8s_deployment_init_recreate (SimK8sDeployment *d, SimWorld *w)
{
    memset (d, 0, sizeof *d);
    d->obj = sim_world_deployment (w);
    d->recreate = TRUE;
    deployment_init (d, w);
}

SimReplicaSet *
sim_k8s_split (SimWorld *w, const SimK8sDeployment *d, SimReplicaSet **old,
               guint *n_old)
{
    SimReplicaSet *new_rs = NULL;

    *n_old = 0;
    /* Creation order is oldest first, the order cleanup and scale-down
     * walk (K2.10). */
    for (guint i = 0; i < sim_world_n_replica_sets (w); i++) {
        SimReplicaSet *rs = sim_world_replica_set (w, i);

        if (!owned (d, rs))
            continue;
        if (sim_template_equal (sim_replica_set_template (rs), d->target))
            new_rs = rs;
        else
            old[(*n_old)++] = rs;
    }
    return new_rs;
}

SimReplicaSet *
sim_k8s_create_new_rs (SimWorld *w, SimK8sDeployment *d, gint replicas)
{
    SimReplicaSet *rs = sim_world_create_replica_set_of (w, d->obj, replicas);

    sim_replica_set_annotate (rs, d->replicas, d->replicas + d->surge);

    d->reason = SIM_K8S_PROGRESS_NEW_RS_CREATED;
    d->last_update = sim_world_now (w);
    return rs;
}

static void
update_available (SimWorld *w, SimK8sDeployment *d, const SimK8sStatus *s)
{
    gboolean available = s->available >= d->replicas - d->max_unavailable;

    if (available == d->available_cond)
        return;
    d->available_cond = available;
    d->available_changed = sim_world_now (w);
    sim_world_log (w, SIM_EVENT_CONDITION, object (d), -1, FALSE, 0,
                   available ? "Available=True MinimumReplicasAvailable"
                             : "Available=False MinimumReplicasUnavailable");
}

static void
calculate_status (SimWorld *w, const SimK8sDeployment *d, SimK8sStatus *out)
{
    SimReplicaSet *new_rs = sim_world_deployment_replica_set (w, d->obj,
                                                              d->target);
    SimReplicaSetStatus total, updated = { 0 };

    sim_world_deployment_status (w, d->obj, &total);
    if (new_rs != NULL)
        sim_replica_set_status (new_rs, &updated);
    out->replicas = total.replicas;
    out->ready = total.ready;
    out->available = total.available;
    out->updated = updated.replicas;
}

/* DeploymentComplete (K2.6). */
static gboolean
is_complete (const SimK8sDeployment *d, const SimK8sStatus *s)
{
    return s->updated == d->replicas && s->replicas == d->replicas
           && s->available == d->replicas;
}

/* DeploymentProgressing (K2.7), against the last written status. */
static gboolean
is_progressing (const SimK8sDeployment *d, const SimK8sStatus *s)
{
    const SimK8sStatus *o = &d->written;

    return s->updated > o->updated
           || (s->replicas - s->updated) < (o->replicas - o->updated)
           || s->ready > o->ready || s->available > o->available;
}

/* DeploymentTimedOut (K2.8). */
static gboolean
timed_out (const SimK8sDeployment *d, SimTime now)
{
    if (d->deadline == SIM_TIME_NEVER
        || d->reason == SIM_K8S_PROGRESS_NEW_RS_AVAILABLE)
        return FALSE;
    if (d->reason == SIM_K8S_PROGRESS_DEADLINE_EXCEEDED)
        return TRUE;
    return d->last_update + d->deadline < now;
}

void
sim_k8s_sync_status (SimWorld *w, SimK8sDeployment *d)
{
    SimTime now = sim_world_now (w);
    SimK8sStatus s;
    gboolean complete;

    calculate_status (w, d, &s);
    update_available (w, d, &s);

    /* rollsim's milestone: the rollout under way (if any) is done (a
     * strategy's own Deployments leave milestones to the strategy). */
    complete = is_complete (d, &s);
    if (complete && is_app (w, d))
        sim_world_rollout_completed (w);
    /* Conditions, unless complete already (K8). */
    if (!(s.replicas == s.updated
          && d->reason == SIM_K8S_PROGRESS_NEW_RS_AVAILABLE)) {
        if (complete) {
            if (d->reason != SIM_K8S_PROGRESS_NEW_RS_AVAILABLE)
                d->last_update = now;
            d->reason = SIM_K8S_PROGRESS_NEW_RS_AVAILABLE;
        } else if (is_progressing (d, &s)) {
            d->reason = SIM_K8S_PROGRESS_RS_UPDATED;
            d->last_update = now;
            if (is_app (w, d))
                sim_world_rollout_stalled (w, FALSE);
        } else if (timed_out (d, now)) {
            d->reason = SIM_K8S_PROGRESS_DEADLINE_EXCEEDED;
            if (is_app (w, d))
                sim_world_rollout_stalled (w, TRUE);
            else
                sim_world_log (w, SIM_EVENT_CONDITION, object (d), -1, FALSE, 0,
                               "Progressing=False ProgressDeadlineExceeded");
        }
    }
    d->written = s;

    /* requeueStuckDeployment: look again just after the deadline. */
    if (d->deadline != SIM_TIME_NEVER
        && d->reason != SIM_K8S_PROGRESS_NEW_RS_AVAILABLE
        && d->reason != SIM_K8S_PROGRESS_DEADLINE_EXCEEDED) {
        SimTime at = d->last_update + d->deadline + SIM_SEC;

        if (at <= now)
            at = now + SIM_SEC;
        if (at != d->requeue_at) {
            d->requeue_at = at;
            sim_world_wake_at (w, at);
        }
    }
}

/* --- One RollingUpdate sync (K4) ----------------------------------------- */

static gint
sum_spec (SimReplicaSet **rs, guint n)
{
    gint total = 0;

    for (guint i = 0; i < n; i++)
        total += sim_replica_set_spec (rs[i]);
    return total;
}

/* The trace says why the new ReplicaSet grows (K4.1, NewRSNewReplicas):
 * "scale v2 up 1 -> 2: maxSurge 1 allows 3 + 1 = 4 pods, 3 exist". */
static void
narrate_new (SimWorld *w, const SimK8sDeployment *d, const char *name,
             gint from, gint to, gint all_spec)
{
    if (from == to)
        return;
    if (to < from) {
        sim_world_narrate (w,
                           "scale %s down %d -> %d: it has more than the %d "
                           "replicas wanted (RollingUpdate: the new "
                           "ReplicaSet never exceeds replicas)",
                           name, from, to, d->replicas);
        return;
    }
    sim_world_narrate (
        w,
        "scale %s up %d -> %d: maxSurge %d allows %d + %d = %d pods, %d "
        "exist in all ReplicaSets (RollingUpdate: the new ReplicaSet may "
        "grow by replicas + maxSurge - total, up to replicas)",
        name, from, to, d->surge, d->replicas, d->surge, d->replicas + d->surge,
        all_spec);
}

/* 4.1: TRUE when the new ReplicaSet was scaled. */
static gboolean
reconcile_new (SimWorld *w, SimK8sDeployment *d, SimReplicaSet *new_rs,
               gint all_spec)
{
    gint spec = sim_replica_set_spec (new_rs);
    gint want;

    if (spec == d->replicas)
        return FALSE;
    if (spec > d->replicas)
        want = d->replicas;
    else
        want = sim_k8s_new_rs_new_replicas (d->replicas, d->surge, all_spec,
                                            spec);
    if (want == spec)
        return FALSE;
    narrate_new (w, d, sim_replica_set_name (new_rs), spec, want, all_spec);
    sim_k8s_scale (w, d, new_rs, want);
    return TRUE;
}

/* K4.2-K4.4, on the world: read specs and statuses, run the arithmetic,
 * apply the new specs.  TRUE when any old ReplicaSet was scaled. */
static gboolean
reconcile_old (SimWorld *w, SimK8sDeployment *d, SimReplicaSet *new_rs,
               SimReplicaSet **old, guint n_old)
{
    g_autofree SimK8sRs *k_old = g_new (SimK8sRs, MAX (n_old, 1));
    SimK8sRs k_new;
    SimReplicaSetStatus st;
    gint removed;

    for (guint i = 0; i < n_old; i++) {
        sim_replica_set_status (old[i], &st);
        k_old[i].spec = sim_replica_set_spec (old[i]);
        k_old[i].available = st.available;
    }
    sim_replica_set_status (new_rs, &st);
    k_new.spec = sim_replica_set_spec (new_rs);
    k_new.available = st.available;
    {
        gint available = k_new.available;

        for (guint i = 0; i < n_old; i++)
            available += k_old[i].available;
        removed = sim_k8s_reconcile_old (k_old, n_old, &k_new, d->replicas,
                                         d->max_unavailable);
        for (guint i = 0; i < n_old; i++) {
            gint was = sim_replica_set_spec (old[i]);

            if (k_old[i].spec == was)
                continue;
            sim_replica_set_status (old[i], &st);
            /* K4.2-K4.4: why this one may shrink now. */
            sim_world_narrate (
                w,
                "scale %s down %d -> %d: %d pods available, minAvailable = "
                "replicas %d - maxUnavailable %d = %d, so %d may go%s "
                "(RollingUpdate: old ReplicaSets shrink while available "
                "pods stay >= replicas - maxUnavailable)",
                sim_replica_set_name (old[i]), was, k_old[i].spec, available,
                d->replicas, d->max_unavailable,
                d->replicas - d->max_unavailable,
                MAX (0, available - (d->replicas - d->max_unavailable)),
                st.available < was ? "; its unavailable pods go first" : "");
            sim_k8s_scale (w, d, old[i], k_old[i].spec);
        }
    }
    return removed > 0;
}

void
sim_k8s_rolling_sync (SimWorld *w, SimK8sDeployment *d)
{
    g_autofree SimReplicaSet **old = g_new (SimReplicaSet *,
                                            sim_world_n_replica_sets (w));
    SimReplicaSet *new_rs;
    guint n_old;

    sim_k8s_read_spec (d, w);
    new_rs = sim_k8s_split (w, d, old, &n_old);
    /* Paused, or R changed: only scaling this time (K3, K6, K7). */
    if (sim_k8s_sync_paused_or_scaled (w, d, new_rs, old, n_old))
        return;
    if (new_rs == NULL) {
        /* getAllReplicaSetsAndSyncRevision creates it at
         * NewRSNewReplicas; the creation does not count as a scale-up,
         * so old ReplicaSets may shrink in this same sync. */
        gint want = sim_k8s_new_rs_new_replicas (d->replicas, d->surge,
                                                 sum_spec (old, n_old), 0);

        new_rs = sim_k8s_create_new_rs (w, d, want);
        sim_world_narrate (
            w,
            "new ReplicaSet %s starts with %d: maxSurge %d allows %d + %d = "
            "%d pods, %d exist (RollingUpdate: the new ReplicaSet may grow "
            "by replicas + maxSurge - total, up to replicas)",
            sim_replica_set_name (new_rs), want, d->surge, d->replicas,
            d->surge, d->replicas + d->surge, sum_spec (old, n_old));
    } else if (reconcile_new (w, d, new_rs,
                              sum_spec (old, n_old)
                                  + sim_replica_set_spec (new_rs))) {
        sim_k8s_sync_status (w, d);
        return;
    }
    reconcile_old (w, d, new_rs, old, n_old);
    sim_k8s_sync_status (w, d);
}
