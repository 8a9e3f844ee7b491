/* pod.c - the life of a pod.
 *
 *   Pending -> (scheduled) pull -> Starting -> Ready -> Available
 *                                     |  ^
 *                              crash  v  |  restart after back-off
 *                                   BackOff (10 s doubling to 300 s)
 *   any phase -> Terminating (preStop, then drain, killed at the end of
 *                the grace period) -> Gone
 *
 * Pods created at t = 0 are warm: placed, image cached, ready and
 * available.  The image is pulled once per node and version; a second
 * pod on the node waits for the pull in progress.  Availability follows
 * docs/design.md K5: with min_ready m > 0 the ReplicaSet notices a pod
 * available m + 1 s after it turned ready (the pod handler's requeue), or
 * m after the moment every pod of its ReplicaSet is ready
 * (syncReplicaSet's own requeue), whichever comes first; with m = 0 at
 * once.  A pod that never ran a container (not
 * scheduled, pulling, or in back-off) is gone as soon as it is deleted.
 *
 * Invariant: exactly one lifecycle event (pod->timer) is pending for a
 * pod at a time; w->pods_existing, w->pods_terminating and w->pods_ready
 * always match the pods' phases.
 */
#define _DEFAULT_SOURCE /* madvise */
#include <string.h>
#include <sys/mman.h>
#include "model.h"

/* When the pods running at t = 0 started. */
#define WARM_START (-10 * SIM_MIN)

static void pod_start (SimEngine *engine, gpointer obj, gint64 arg);
static void pod_gone (SimWorld *w, SimPod *pod);

static SimWorld *
world_of (SimEngine *engine)
{
    return sim_engine_get_user_data (engine);
}

static void
set_timer (SimWorld *w, SimPod *pod, SimTime at, SimEventFunc fn)
{
    g_assert (!sim_engine_is_pending (w->engine, pod->timer));
    pod->timer = sim_engine_schedule (w->engine, at, SIM_CLASS_POD, fn, pod, 0);
}

static void
cancel_timer (SimWorld *w, SimPod *pod)
{
    sim_engine_cancel (w->engine, pod->timer);
    pod->timer = SIM_HANDLE_NONE;
}

SimTime
sim_pod_created (const SimPod *pod)
{
    return pod->created;
}

gboolean
sim_pod_exists (const SimPod *pod)
{
    return pod->phase != SIM_POD_GONE;
}

gboolean
sim_pod_deleted (const SimPod *pod)
{
    return pod->terminating;
}

gboolean
sim_pod_ready_available (const SimPod *pod)
{
    return pod->available && !pod->terminating;
}

gboolean
sim_pod_is_active (const SimPod *pod)
{
    return !pod->terminating && pod->phase != SIM_POD_GONE;
}

/* --- Its ReplicaSet's status ------------------------------------------
 *
 * A ReplicaSet keeps its status as running counts (replica-set.c), so
 * that reading it costs nothing per pod.  Every change of a pod's phase,
 * availability or deletion goes through the three setters below, which
 * take the pod's share out of the counts and put the new one in. */

static void
rs_share (const SimPod *pod, gint sign)
{
    SimReplicaSetStatus *st = &pod->rs->st;

    if (pod->phase == SIM_POD_GONE)
        return;
    pod->rs->alive += sign;
    if (pod->terminating) {
        st->terminating += sign;
        return;
    }
    st->replicas += sign;
    if (pod->phase == SIM_POD_PENDING)
        st->pending += sign;
    else if (pod->phase == SIM_POD_READY)
        st->ready += sign;
    else
        st->starting += sign;
    if (pod->available)
        st->available += sign;
}

static void
set_phase (SimPod *pod, SimPodPhase phase)
{
    rs_share (pod, -1);
    pod->phase = phase;
    rs_share (pod, +1);
}

static void
set_available (SimPod *pod, gboolean available)
{
    rs_share (pod, -1);
    pod->available = available;
    rs_share (pod, +1);
}

static void
set_terminating (SimPod *pod)
{
    rs_share (pod, -1);
    pod->terminating = TRUE;
    rs_share (pod, +1);
}

/* A pod's room in a block: whole cache lines, so that each pod starts
 * on one (see SimPod's serving fields). */
#define POD_ROOM ((sizeof (SimPod) + 63) & ~(gsize) 63)
#define POD_BLOCK_MAX ((gsize) 2 << 20)

/* Pods live as long as their world, so they come from blocks that are
 * freed with it (w->pod_blocks): 64 pods' room first, then twice the
 * last block up to 2 MiB, aligned to 2 MiB and offered to the kernel
 * for a huge page.  With 10,000 pods (6 MB) the pods a request touches
 * then share a few TLB entries instead of missing one in three
 * (bench-scale: about 5% of its time). */
static SimPod *
pod_alloc (SimWorld *w)
{
    SimPod *pod;

    if (G_UNLIKELY (w->pod_room < POD_ROOM)) {
        gsize size = w->pod_blocks->len == 0
                         ? 64 * POD_ROOM
                         : MIN (2 * w->pod_block_size, POD_BLOCK_MAX);
        char *block = g_aligned_alloc (
            1, size, size == POD_BLOCK_MAX ? POD_BLOCK_MAX : 64);

#ifdef MADV_HUGEPAGE
        /* Advice only: without huge pages the block works the same. */
        if (size == POD_BLOCK_MAX)
            (void) madvise (block, size, MADV_HUGEPAGE);
#endif
        g_ptr_array_add (w->pod_blocks, block);
        w->pod_block_size = size;
        w->pod_next = block;
        w->pod_room = size;
    }
    pod = (SimPod *) w->pod_next;
    w->pod_next += POD_ROOM;
    w->pod_room -= POD_ROOM;
    memset (pod, 0, sizeof *pod);
    return pod;
}

SimPod *
sim_pod_create (SimWorld *w, SimReplicaSet *rs, gboolean warm)
{
    SimPod *pod = pod_alloc (w);

    pod->id = w->next_pod_id++;
    g_snprintf (pod->name, sizeof pod->name, "%s-%u", rs->name, ++rs->next_pod);
    pod->rs = rs;
    pod->version = rs->version;
    pod->node = -1;
    pod->lb_index = -1;
    pod->fb_index = -1;
    pod->dep_lb_index = -1;
    pod->dep_fb_index = -1;
    pod->ready_since = -1;
    pod->start_time = pod->ready_changed = -1;
    pod->slowdown = 1.0;
    pod->created = sim_engine_now (w->engine);
    pod->accepting = SIM_ACCEPT_YES;
    pod->inline_free = (guint8) ((1u << MIN (w->sc->concurrency,
                                             SIM_POD_INLINE_SLOTS))
                                 - 1);
    if (w->sc->concurrency > SIM_POD_INLINE_SLOTS) {
        gint more = w->sc->concurrency - SIM_POD_INLINE_SLOTS;

        pod->more_slots = g_new0 (SimRequest *, more);
        pod->more_free = g_new (gint32, more);
        /* Popped from the end: the lowest slot first. */
        for (gint i = 0; i < more; i++)
            pod->more_free[i] = w->sc->concurrency - 1 - i;
        pod->n_more_free = more;
    }
    g_ptr_array_add (rs->pods, pod);
    g_ptr_array_add (w->pods, pod);
    w->pods_existing++;
    rs_share (pod, +1); /* Pending, not available, not deleted */

    sim_world_log_pod (w, SIM_EVENT_POD_CREATED, pod, NULL);
    if (warm && sim_cluster_place (w, pod)) {
        char node[64];

        /* A warm cluster: the initial version already runs, on the node
         * it was placed on (said, so a reader can place it too). */
        g_snprintf (node, sizeof node, "node-%d", pod->node + 1);
        sim_world_log_pod (w, SIM_EVENT_POD_SCHEDULED, pod, node);
        w->nodes[pod->node].image_ready[pod->version] = 0;
        set_phase (pod, SIM_POD_READY);
        pod->ready_since = 0;
        /* Running for a while already: older than the HPA's CPU
         * initialization period, and accounted from t = 0. */
        pod->container_up = TRUE;
        sim_usage_container_started (w, pod);
        pod->start_time = pod->container_start = WARM_START;
        pod->ready_changed = WARM_START;
        sim_probes_warm (w, pod);
        pod->ever_ready = TRUE;
        set_available (pod, TRUE);
        w->pods_ready++;
        sim_service_add_now (w, pod);
        sim_world_log_pod (w, SIM_EVENT_POD_READY, pod, "warm start");
        sim_world_log_pod (w, SIM_EVENT_POD_AVAILABLE, pod, NULL);
    } else {
        set_phase (pod, SIM_POD_PENDING);
        sim_cluster_enqueue (w, pod);
    }
    sim_world_pods_changed (w);
    return pod;
}

void
sim_pod_free (SimPod *pod)
{
    g_free (pod->more_slots);
    g_free (pod->more_free);
    /* The pod itself is in one of its world's pod blocks. */
}

static void pull_retry (SimEngine *engine, gpointer obj, gint64 arg);

/* pull = fail: ErrImagePull, then ImagePullBackOff, 10 s doubling to
 * 300 s between attempts (the kubelet's image back-off, per pod). */
static void
pull_failed (SimWorld *w, SimPod *pod)
{
    SimTime backoff = 10 * SIM_SEC;
    char detail[160];

    for (gint i = 0; i < pod->pull_failures && backoff < 300 * SIM_SEC; i++)
        backoff *= 2;
    backoff = MIN (backoff, 300 * SIM_SEC);
    pod->pull_failures++;
    g_snprintf (detail, sizeof detail,
                "ErrImagePull: %s cannot be pulled (attempt %d); "
                "ImagePullBackOff, next attempt in %.0fs",
                w->sc->versions[pod->version].name, pod->pull_failures,
                SIM_TIME_TO_SEC (backoff));
    sim_world_log_pod (w, SIM_EVENT_POD_PULL_FAILED, pod, detail);
    set_timer (w, pod, sim_engine_now (w->engine) + backoff, pull_retry);
}

static void
pull_retry (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    pull_failed (world_of (engine), pod);
}

/* The kubelet pulls the image (once per node and version; a second pod
 * waits for the pull in progress) and starts the container. */
static void
begin_pull (SimWorld *w, SimPod *pod)
{
    SimTime now = sim_engine_now (w->engine);
    SimNode *node = &w->nodes[pod->node];
    const SimDist *pull = &w->sc->versions[pod->version].pull;

    set_phase (pod, SIM_POD_PULLING);
    if (node->down) {
        /* Placed on a node whose kubelet is gone: nothing happens. */
        pod->stalled = TRUE;
        pod->accepting = SIM_ACCEPT_BLACKHOLE;
        return;
    }
    if (pull->kind == SIM_DIST_NEVER) {
        pull_failed (w, pod);
        return;
    }
    if (node->image_ready[pod->version] < 0)
        node->image_ready[pod->version] = now
                                          + sim_dist_sample (pull,
                                                             &w->rng_pull);
    set_timer (w, pod, MAX (now, node->image_ready[pod->version]), pod_start);
}

void
sim_pod_scheduled (SimWorld *w, SimPod *pod)
{
    char detail[64];

    g_snprintf (detail, sizeof detail, "node-%d", pod->node + 1);
    sim_world_log_pod (w, SIM_EVENT_POD_SCHEDULED, pod, detail);
    /* The kubelet takes the pod: status.startTime, and a Ready
     * condition that is False. */
    pod->start_time = pod->ready_changed = sim_engine_now (w->engine);
    sim_probes_pod_added (w, pod);
    begin_pull (w, pod);
    sim_world_status_changed (w);
}

void
sim_pod_node_down (SimWorld *w, SimPod *pod)
{
    if (pod->phase == SIM_POD_GONE || pod->stalled)
        return;
    cancel_timer (w, pod);
    pod->stalled = TRUE;
    pod->accepting = SIM_ACCEPT_BLACKHOLE;
    /* Nothing reaches the metrics pipeline from a dead kubelet, and
     * nothing is probed. */
    sim_usage_container_stopped (w, pod);
    sim_probes_stop (w, pod);
    pod->container_up = FALSE;
    sim_traffic_pod_stalled (w, pod);
}

void
sim_pod_node_up (SimWorld *w, SimPod *pod)
{
    if (!pod->stalled)
        return;
    pod->stalled = FALSE;
    /* What it held never gets an answer now. */
    sim_traffic_pod_killed (w, pod);
    if (pod->terminating) {
        /* The kubelet finds it deleted: nothing left to stop. */
        pod_gone (w, pod);
        return;
    }
    /* The kubelet starts its containers again. */
    if (pod->phase == SIM_POD_READY) {
        w->pods_ready--;
        sim_service_pod_not_ready (w, pod);
        pod->ready_changed = sim_engine_now (w->engine);
    }
    set_available (pod, FALSE);
    pod->ready_since = -1;
    pod->node_lost = FALSE;
    pod->accepting = SIM_ACCEPT_YES;
    begin_pull (w, pod);
    sim_world_pods_changed (w);
    sim_world_status_changed (w);
}

void
sim_pod_mark_not_ready (SimWorld *w, SimPod *pod)
{
    if (pod->phase == SIM_POD_GONE || pod->terminating)
        return;
    pod->node_lost = TRUE;
    if (pod->phase != SIM_POD_READY)
        return;
    /* Ready=False: out of the endpoints and of the availability the
     * controllers count; still running as far as the API knows. */
    set_phase (pod, SIM_POD_STARTING);
    w->pods_ready--;
    set_available (pod, FALSE);
    pod->ready_since = -1;
    pod->ready_changed = sim_engine_now (w->engine);
    sim_service_pod_not_ready (w, pod);
    sim_world_pods_changed (w);
    sim_world_status_changed (w);
}

void
sim_pod_evict (SimWorld *w, SimPod *pod, const char *why)
{
    sim_world_log_pod (w, SIM_EVENT_POD_EVICTED, pod, why);
    sim_pod_delete (w, pod);
}

static void
pod_available (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    set_available (pod, TRUE);
    sim_world_log_pod (w, SIM_EVENT_POD_AVAILABLE, pod, NULL);
    sim_world_status_changed (w);
}

/* ReadyReplicas == spec.replicas: what makes syncReplicaSet requeue
 * the ReplicaSet after exactly minReadySeconds. */
static gboolean
rs_all_ready (const SimReplicaSet *rs)
{
    gint ready = 0;

    for (guint i = 0; i < rs->pods->len; i++) {
        const SimPod *p = g_ptr_array_index (rs->pods, i);

        ready += p->phase == SIM_POD_READY && !p->terminating;
    }
    return ready == rs->spec;
}

/* That requeue at @at sees every pod ready since at least min_ready
 * available: those whose own m + 1 s requeue comes later move up. */
static void
resync_after_min_ready (SimWorld *w, SimReplicaSet *rs, SimTime at)
{
    SimTime m = w->sc->min_ready;

    for (guint i = 0; i < rs->pods->len; i++) {
        SimPod *p = g_ptr_array_index (rs->pods, i);

        if (p->phase != SIM_POD_READY || p->terminating || p->available
            || p->ready_since + m + SIM_SEC <= at)
            continue;
        cancel_timer (w, p);
        set_timer (w, p, at, pod_available);
    }
}

static void
become_ready (SimWorld *w, SimPod *pod)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime m = w->sc->min_ready;

    set_phase (pod, SIM_POD_READY);
    pod->ready_since = now;
    pod->ready_changed = now;
    pod->ever_ready = TRUE;
    w->pods_ready++;
    sim_world_log_pod (w, SIM_EVENT_POD_READY, pod, NULL);
    sim_service_pod_ready (w, pod);
    sim_world_pods_changed (w);
    if (m == 0) {
        set_available (pod, TRUE);
        sim_world_log_pod (w, SIM_EVENT_POD_AVAILABLE, pod, NULL);
    } else {
        set_timer (w, pod, now + m + SIM_SEC, pod_available);
        if (rs_all_ready (pod->rs))
            resync_after_min_ready (w, pod->rs, now + m);
    }
    sim_world_status_changed (w);
}

static void
pod_ready (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    become_ready (world_of (engine), pod);
}

void
sim_pod_set_ready (SimWorld *w, SimPod *pod, gboolean ready)
{
    if (pod->terminating || pod->dying || pod->stalled)
        return;
    if (ready && pod->phase == SIM_POD_STARTING) {
        become_ready (w, pod);
    } else if (!ready && pod->phase == SIM_POD_READY) {
        /* Ready=False: out of the endpoints and of availability; the
         * only lifecycle event a ready pod can hold is availability. */
        cancel_timer (w, pod);
        set_phase (pod, SIM_POD_STARTING);
        w->pods_ready--;
        set_available (pod, FALSE);
        pod->ready_since = -1;
        pod->ready_changed = sim_engine_now (w->engine);
        sim_service_pod_not_ready (w, pod);
        sim_world_pods_changed (w);
        sim_world_status_changed (w);
    }
}

/* The app's startup is over: the probes decide when it is ready. */
static void
pod_app_up (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    sim_probes_app_up (world_of (engine), pod);
}

/* The container is gone (crashed, or killed for a failed probe): what
 * it held is lost, the pod is not ready, and the kubelet starts it
 * again after the back-off. */
static SimTime
container_exited (SimWorld *w, SimPod *pod, const char *why)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime delay = sim_probes_restart_delay (&pod->backoff, &pod->backoff_at,
                                              now);

    if (pod->phase == SIM_POD_READY) {
        pod->dying = FALSE;
        sim_pod_set_ready (w, pod, FALSE);
    }
    sim_traffic_pod_killed (w, pod);
    sim_usage_container_stopped (w, pod);
    pod->container_up = FALSE;
    pod->restarts++;
    set_phase (pod, SIM_POD_BACKOFF);
    pod->exit_reason = why;
    if (sim_probes_enabled (w->sc, pod->version)) {
        pod->accepting = SIM_ACCEPT_NO;
        pod->app_up = pod->hung = pod->dying = FALSE;
    }
    set_timer (w, pod, now + delay, pod_start);
    return delay;
}

static void
pod_exited (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    container_exited (w, pod, pod->exit_reason);
}

void
sim_pod_kill_container (SimWorld *w, SimPod *pod, const char *why)
{
    SimTime now = sim_engine_now (w->engine);
    SimTime grace = w->sc->termination_grace;

    if (pod->terminating || pod->dying || pod->stalled
        || (pod->phase != SIM_POD_STARTING && pod->phase != SIM_POD_READY))
        return;
    /* preStop, then SIGTERM: the app stops accepting and exits; a hung
     * one ignores it until SIGKILL at the grace period's end. */
    cancel_timer (w, pod);
    pod->dying = TRUE;
    pod->exit_reason = why;
    if (!pod->hung)
        pod->accepting = SIM_ACCEPT_NO;
    set_timer (w, pod, now + (pod->hung ? grace : MIN (w->sc->pre_stop, grace)),
               pod_exited);
}

static void
pod_crash (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;
    SimTime delay;
    char detail[80];

    pod->timer = SIM_HANDLE_NONE;
    delay = container_exited (w, pod, "crashed");
    g_snprintf (detail, sizeof detail, "restart %d after back-off %.0fs",
                pod->restarts, SIM_TIME_TO_SEC (delay));
    sim_world_log_pod (w, SIM_EVENT_POD_CRASHED, pod, detail);
}

static void
pod_start (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;
    const SimVersionSpec *ver = &w->sc->versions[pod->version];
    SimTime startup = sim_dist_sample (&ver->startup, &w->rng_startup);
    gboolean crash = sim_rng_bernoulli (&w->rng_faults, ver->crash_rate);

    gboolean probed = sim_probes_enabled (w->sc, pod->version);

    pod->timer = SIM_HANDLE_NONE;
    set_phase (pod, SIM_POD_STARTING);
    pod->container_up = TRUE;
    sim_usage_container_started (w, pod);
    sim_world_log_pod (w, SIM_EVENT_POD_STARTED, pod, NULL);
    if (pod->restarts > 0) {
        char detail[96];

        g_snprintf (detail, sizeof detail, "restart %d (%s)", pod->restarts,
                    pod->exit_reason != NULL ? pod->exit_reason : "exited");
        sim_world_log (w, SIM_EVENT_CONTAINER_RESTARTED, pod->name,
                       pod->version, TRUE, pod->restarts, detail);
    }
    if (probed)
        sim_probes_container_started (w, pod);
    set_timer (w, pod, sim_engine_now (engine) + startup,
               crash    ? pod_crash
               : probed ? pod_app_up
                        : pod_ready);
}

static void
pod_kill (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    sim_traffic_pod_killed (w, pod);
    pod_gone (w, pod);
}

static void
pod_prestop_done (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = world_of (engine);
    SimPod *pod = obj;

    pod->timer = SIM_HANDLE_NONE;
    /* TERM: the server stops accepting and drains what it holds; what is
     * left at the end of the grace period is killed. */
    pod->accepting = SIM_ACCEPT_NO;
    if (pod->busy + pod->queued == 0) {
        pod_gone (w, pod);
        return;
    }
    set_timer (w, pod, MAX (pod->kill_at, sim_engine_now (engine)), pod_kill);
}

void
sim_pod_drained (SimWorld *w, SimPod *pod)
{
    if (pod->phase == SIM_POD_TERMINATING && pod->accepting == SIM_ACCEPT_NO) {
        cancel_timer (w, pod);
        pod_gone (w, pod);
    }
}

void
sim_pod_delete (SimWorld *w, SimPod *pod)
{
    SimTime now = sim_engine_now (w->engine);
    SimPodPhase was = pod->phase;

    g_return_if_fail (!pod->terminating);
    set_terminating (pod);
    w->pods_terminating++;
    cancel_timer (w, pod);
    sim_probes_stop (w, pod);
    sim_world_log_pod (w, SIM_EVENT_POD_TERMINATING, pod, NULL);
    /* Its ReplicaSet sees one pod fewer and replaces it if the spec
     * still wants it (a pod deleted by hand, evicted, or lost). */
    sim_replica_set_enqueue (w, pod->rs);
    if (was == SIM_POD_READY) {
        w->pods_ready--;
        sim_service_pod_not_ready (w, pod);
        pod->ready_changed = now;
    }
    set_available (pod, FALSE);
    pod->ready_since = -1;
    sim_world_status_changed (w);
    if (pod->stalled) {
        /* The kubelet is gone: the deletion waits for the node. */
        set_phase (pod, SIM_POD_TERMINATING);
        sim_world_pods_changed (w);
        return;
    }
    if (was != SIM_POD_STARTING && was != SIM_POD_READY) {
        /* No container running: nothing to stop. */
        pod_gone (w, pod);
        return;
    }
    set_phase (pod, SIM_POD_TERMINATING);
    pod->kill_at = now + w->sc->termination_grace;
    sim_world_pods_changed (w);
    set_timer (w, pod, now + MIN (w->sc->pre_stop, w->sc->termination_grace),
               pod_prestop_done);
}

static void
pod_gone (SimWorld *w, SimPod *pod)
{
    if (pod->phase == SIM_POD_READY)
        w->pods_ready--;
    sim_usage_container_stopped (w, pod);
    sim_probes_stop (w, pod);
    pod->container_up = FALSE;
    set_phase (pod, SIM_POD_GONE);
    pod->accepting = SIM_ACCEPT_NO;
    w->pods_existing--;
    if (pod->terminating)
        w->pods_terminating--;
    sim_world_log_pod (w, SIM_EVENT_POD_DELETED, pod, NULL);
    if (pod->ever_ready)
        sim_service_pod_gone (w, pod);
    sim_cluster_release (w, pod);
    sim_world_pods_changed (w);
    sim_world_status_changed (w);
}
