/* cluster.c - nodes, their lifecycle, and the scheduler.
 *
 * Each node has CPU and memory capacity; a pod requests the Deployment's
 * cpu and memory.  The scheduler places pods in the order they were
 * created, each on the node with the most room left (Kubernetes'
 * LeastAllocated score: the mean of the free CPU and memory fractions),
 * ties to the lowest node index.  A pod that fits nowhere stays Pending
 * (logged once as pod-unschedulable, naming the short resource) until a
 * pod is gone and frees room.  Invariant: a node's free resources are
 * never negative; they are taken at placement and given back when the pod
 * is gone.  The nodes open to an application pod (it fits, and the node
 * is neither cordoned, tainted nor being removed) wait in an index, a
 * binary heap by that score, ties to the lowest index: placing a pod is
 * O(log nodes), not a scan (100,000 replicas on 25,000 nodes took a
 * minute), and picks the node the scan would.  Every change of a node's
 * room or openness calls sim_cluster_node_changed().
 *
 * Node lifecycle (docs/design.md H5): a failed node's kubelet stops
 * at the failure instant, its last heartbeat; the node lifecycle
 * controller's passes run every node_monitor_period from t = 0, and the
 * first pass strictly more than node_monitor_grace after the heartbeat
 * marks the node Ready=Unknown and its pods not ready.  One pass later
 * the node is queued for the NoExecute (and NoSchedule) unreachable
 * taint, which the taint queue applies at 0.1 node/s (burst 1), or not
 * at all when the zone is disrupted (no node Ready; more than 2 nodes
 * and 55% NotReady with 50 nodes or fewer, 0.01 node/s above).  The taint
 * manager evicts the pods toleration_seconds after the taint; they stay
 * Terminating until the node is back.  Cordoned and tainted nodes take
 * no new pod; a node that failed but is not yet tainted still does.
 */
#include "model.h"
#include "background.h"
#include "metrics.h"

static gint best_node (SimWorld *w, gint64 cpu, gint64 mem);

/* --- The index of open nodes ------------------------------------------- */

static gboolean verify_index;

void
sim_model_set_verify (gboolean verify)
{
    verify_index = verify;
}

gboolean
sim_model_verifying (void)
{
    return verify_index;
}

/* The scan's score, computed as best_node() computes it, so that the
 * index orders nodes exactly as the scan compares them. */
static inline double
app_score (const SimWorld *w, const SimNode *n)
{
    const SimScenario *sc = w->sc;

    return ((double) (n->cpu_free - sc->cpu) / (double) sc->node_cpu
            + (double) (n->memory_free - sc->memory) / (double) sc->node_memory)
           / 2.0;
}

static inline gboolean
node_open (const SimWorld *w, const SimNode *n)
{
    return n->cpu_free >= w->sc->cpu && n->memory_free >= w->sc->memory
           && !n->cordoned && !n->tainted && !n->removed
           && n->removing_since < 0;
}

/* Node @a goes before node @b: a higher score, or the same and a lower
 * index (the scan keeps the first of equal scores). */
static inline gboolean
index_before (const SimWorld *w, gint a, gint b)
{
    double sa = w->nodes[a].score, sb = w->nodes[b].score;

    return sa > sb || (sa == sb && a < b);
}

static inline void
index_set (SimWorld *w, gint i, gint n)
{
    w->node_index[i] = n;
    w->nodes[n].index_pos = i;
}

static void
index_sift_up (SimWorld *w, gint i)
{
    gint n = w->node_index[i];

    while (i > 0) {
        gint parent = (i - 1) / 2;

        if (!index_before (w, n, w->node_index[parent]))
            break;
        index_set (w, i, w->node_index[parent]);
        i = parent;
    }
    index_set (w, i, n);
}

static void
index_sift_down (SimWorld *w, gint i)
{
    gint n = w->node_index[i], len = w->n_node_index;

    for (;;) {
        gint child = 2 * i + 1;

        if (child >= len)
            break;
        if (child + 1 < len
            && index_before (w, w->node_index[child + 1], w->node_index[child]))
            child++;
        if (!index_before (w, w->node_index[child], n))
            break;
        index_set (w, i, w->node_index[child]);
        i = child;
    }
    index_set (w, i, n);
}

void
sim_cluster_node_changed (SimWorld *w, gint n)
{
    SimNode *node = &w->nodes[n];
    gint i = node->index_pos;

    if (!node_open (w, node)) {
        gint last;

        if (i < 0)
            return;
        node->index_pos = -1;
        last = w->node_index[--w->n_node_index];
        if (last == n)
            return;
        index_set (w, i, last);
        index_sift_up (w, i);
        index_sift_down (w, w->nodes[last].index_pos);
        return;
    }
    node->score = app_score (w, node);
    if (i < 0) {
        if (w->n_node_index == w->node_index_cap) {
            w->node_index_cap = MAX (16, 2 * w->node_index_cap);
            w->node_index = g_renew (gint, w->node_index, w->node_index_cap);
        }
        i = w->n_node_index++;
        w->node_index[i] = n;
    }
    index_sift_up (w, i);
    index_sift_down (w, w->nodes[n].index_pos);
}

/* Take @b's room on node @node, if it has it. */
static gboolean
take (SimWorld *w, gint node, const SimBackgroundWorkload *b)
{
    SimNode *n;

    if (node < 0)
        return FALSE;
    n = &w->nodes[node];
    if (n->cpu_free < b->cpu || n->memory_free < b->memory)
        return FALSE;
    n->cpu_free -= b->cpu;
    n->memory_free -= b->memory;
    sim_cluster_node_changed (w, node);
    return TRUE;
}

/* A new node gets a pod of every DaemonSet ([background] per-node). */
static void
place_daemonsets (SimWorld *w, gint n)
{
    const SimBackgroundSettings *bs = sim_background_settings (w->sc);

    for (gint i = 0; bs != NULL && i < bs->workloads.n; i++) {
        const SimBackgroundWorkload *b = &sim_background_workloads (bs)[i];

        if (b->replicas == SIM_BACKGROUND_PER_NODE)
            take (w, n, b);
    }
}

/* [background] (background.h): placed once, before the application,
 * never released.  A pod that fits nowhere is one row. */
static void
place_background (SimWorld *w)
{
    const SimBackgroundSettings *bs = sim_background_settings (w->sc);

    for (gint i = 0; bs != NULL && i < bs->workloads.n; i++) {
        const SimBackgroundWorkload *b = &sim_background_workloads (bs)[i];
        gint want = b->replicas == SIM_BACKGROUND_PER_NODE ? w->n_nodes
                                                           : b->replicas;
        gint placed = 0;

        for (gint k = 0; k < want; k++) {
            gint node = b->replicas == SIM_BACKGROUND_PER_NODE
                            ? k
                            : best_node (w, b->cpu, b->memory);

            if (!take (w, node, b))
                continue;
            placed++;
            /* What the cluster autoscaler could not move off a node. */
            if (b->replicas != SIM_BACKGROUND_PER_NODE)
                w->nodes[node].background_pods++;
        }
        if (placed < want) {
            g_autofree char *object = g_strdup_printf ("background/%s",
                                                       b->name);
            g_autofree char *detail = g_strdup_printf (
                "%d of %d background pods fit on no node", want - placed, want);

            sim_world_log (w, SIM_EVENT_POD_UNSCHEDULABLE, object, -1, TRUE,
                           want - placed, detail);
        }
    }
}

void
sim_cluster_init (SimWorld *w)
{
    const SimScenario *sc = w->sc;

    w->n_nodes = w->nodes_live = sc->nodes;
    w->nodes = g_new0 (SimNode, sc->nodes);
    for (gint i = 0; i < sc->nodes; i++) {
        w->nodes[i].cpu_free = sc->node_cpu;
        w->nodes[i].memory_free = sc->node_memory;
        w->nodes[i].unneeded_since = w->nodes[i].removing_since = -1;
        w->nodes[i].index_pos = -1;
        for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
            w->nodes[i].image_ready[v] = -1;
    }
    g_queue_init (&w->unscheduled);
    for (gint i = 0; i < sc->nodes; i++)
        sim_cluster_node_changed (w, i);
    place_background (w);
}

void
sim_cluster_clear (SimWorld *w)
{
    g_clear_pointer (&w->nodes, g_free);
    g_clear_pointer (&w->node_index, g_free);
    w->n_node_index = w->node_index_cap = 0;
    g_queue_clear (&w->unscheduled);
}

static gint
best_node (SimWorld *w, gint64 cpu, gint64 mem)
{
    const SimScenario *sc = w->sc;
    gint best = -1;
    double best_score = -1.0;

    for (gint i = 0; i < w->n_nodes; i++) {
        const SimNode *n = &w->nodes[i];
        double score;

        if (n->cpu_free < cpu || n->memory_free < mem || n->cordoned
            || n->tainted || n->removed || n->removing_since >= 0)
            continue;
        score = ((double) (n->cpu_free - cpu) / (double) sc->node_cpu
                 + (double) (n->memory_free - mem) / (double) sc->node_memory)
                / 2.0;
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best;
}

gboolean
sim_cluster_place (SimWorld *w, SimPod *pod)
{
    const SimScenario *sc = w->sc;
    gint node = w->n_node_index > 0 ? w->node_index[0] : -1;

    if (G_UNLIKELY (verify_index))
        g_assert_cmpint (node, ==, best_node (w, sc->cpu, sc->memory));
    if (node < 0)
        return FALSE;
    w->nodes[node].cpu_free -= sc->cpu;
    w->nodes[node].memory_free -= sc->memory;
    sim_cluster_node_changed (w, node);
    pod->node = node;
    return TRUE;
}

/* Which resource keeps a pod off every node, for the message a capacity
 * planner reads. */
static const char *
short_resource (SimWorld *w)
{
    const SimScenario *sc = w->sc;
    gboolean cpu_fits = FALSE, mem_fits = FALSE;

    gboolean open = FALSE;

    for (gint i = 0; i < w->n_nodes; i++) {
        if (w->nodes[i].cordoned || w->nodes[i].tainted)
            continue;
        open = TRUE;
        cpu_fits |= w->nodes[i].cpu_free >= sc->cpu;
        mem_fits |= w->nodes[i].memory_free >= sc->memory;
    }
    if (!open)
        return "every node cordoned or tainted";
    if (!cpu_fits && !mem_fits)
        return "insufficient cpu and memory";
    if (!cpu_fits)
        return "insufficient cpu";
    if (!mem_fits)
        return "insufficient memory";
    return "no single node has both cpu and memory free";
}

static void
schedule_pending (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;
    GList *l = w->unscheduled.head;
    const char *why = NULL; /* once a pod fits nowhere, none does */

    w->schedule_pending = FALSE;
    while (l != NULL) {
        GList *next = l->next;
        SimPod *pod = l->data;

        if (pod->phase != SIM_POD_PENDING || pod->terminating) {
            g_queue_delete_link (&w->unscheduled, l);
        } else if (sim_cluster_place (w, pod)) {
            g_queue_delete_link (&w->unscheduled, l);
            sim_pod_scheduled (w, pod);
        } else {
            /* Kubernetes reports FailedScheduling once per attempt; one
             * row per pod is what a reader needs. */
            if (!pod->unschedulable_reported) {
                if (why == NULL)
                    why = short_resource (w);
                sim_world_log_pod (w, SIM_EVENT_POD_UNSCHEDULABLE, pod, why);
                pod->unschedulable_reported = TRUE;
            }
        }
        l = next;
    }
}

static void
kick (SimWorld *w, SimTime delay)
{
    if (w->schedule_pending)
        return;
    w->schedule_pending = TRUE;
    sim_engine_after (w->engine, delay, SIM_CLASS_POD, schedule_pending, w, 0);
}

void
sim_cluster_enqueue (SimWorld *w, SimPod *pod)
{
    g_queue_push_tail (&w->unscheduled, pod);
    kick (w, w->sc->schedule_delay);
}

void
sim_cluster_release (SimWorld *w, SimPod *pod)
{
    const SimScenario *sc = w->sc;

    if (pod->node < 0)
        return;
    w->nodes[pod->node].cpu_free += sc->cpu;
    w->nodes[pod->node].memory_free += sc->memory;
    g_assert (w->nodes[pod->node].cpu_free <= sc->node_cpu);
    sim_cluster_node_changed (w, pod->node);
    if (!g_queue_is_empty (&w->unscheduled))
        kick (w, w->sc->schedule_delay);
}

/* --- Node lifecycle ------------------------------------------------------ */

static const char *
node_name (gint n, char *buf, gsize len)
{
    g_snprintf (buf, len, "node-%d", n + 1);
    return buf;
}

static void
node_log (SimWorld *w, SimEventKind kind, gint n, const char *detail)
{
    char name[32];

    sim_world_log (w, kind, node_name (n, name, sizeof name), -1, FALSE, 0,
                   detail);
}

/* Each pod placed on node @n and not gone, in creation order. */
#define FOR_PODS_ON(w, n, pod) \
    for (guint _i = 0; _i < (w)->pods->len; _i++) \
        for (SimPod *pod = g_ptr_array_index ((w)->pods, _i); \
             pod != NULL && pod->node == (n) && pod->phase != SIM_POD_GONE; \
             pod = NULL)

gint
sim_cluster_busiest (const SimWorld *w)
{
    g_autofree gint *count = g_new0 (gint, w->n_nodes);
    gint best = 0;

    for (guint i = 0; i < w->pods->len; i++) {
        const SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->node >= 0 && sim_pod_is_active (pod))
            count[pod->node]++;
    }
    for (gint n = 1; n < w->n_nodes; n++)
        if (count[n] > count[best])
            best = n;
    return best;
}

/* The first monitor pass at or after @t (strictly after when @strict). */
static SimTime
pass_at (const SimWorld *w, SimTime t, gboolean strict)
{
    SimTime p = w->sc->node_monitor_period;
    SimTime k = t / p;

    if (k * p < t || (strict && k * p == t))
        k++;
    return k * p;
}

static void run_taint_queue (SimWorld *w);

static void
on_evictions (SimEngine *engine, gpointer obj, gint64 n)
{
    SimWorld *w = obj;
    g_autofree char *why = NULL;
    char name[32];

    w->nodes[n].evict = SIM_HANDLE_NONE;
    if (!w->nodes[n].tainted)
        return;
    why = g_strdup_printf ("taint manager: %s has "
                           "node.kubernetes.io/unreachable:NoExecute, "
                           "tolerated for %.0fs",
                           node_name ((gint) n, name, sizeof name),
                           SIM_TIME_TO_SEC (w->sc->toleration_seconds));
    FOR_PODS_ON (w, (gint) n, pod)
    {
        if (!pod->terminating)
            sim_pod_evict (w, pod, why);
    }
}

static void
taint (SimWorld *w, gint n)
{
    SimNode *node = &w->nodes[n];
    SimTime now = sim_engine_now (w->engine);
    SimTime tol = w->sc->toleration_seconds;

    node->taint_queued = FALSE;
    node->tainted = TRUE;
    sim_cluster_node_changed (w, n);
    node->tainted_at = now;
    w->last_taint = now;
    node_log (w, SIM_EVENT_NODE_TAINTED, n,
              "node.kubernetes.io/unreachable:NoExecute and :NoSchedule");
    /* The taint manager: each pod goes when its toleration runs out. */
    if (tol != SIM_TIME_NEVER)
        node->evict = sim_engine_schedule (w->engine, now + tol,
                                           SIM_CLASS_CONTROLLER, on_evictions,
                                           w, n);
}

static void
on_taint_run (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    w->taint_run = SIM_HANDLE_NONE;
    run_taint_queue (w);
}

/* doNoExecuteTaintingPass, tried every 100 ms: the queued nodes in turn,
 * as fast as the zone's state allows. */
static void
run_taint_queue (SimWorld *w)
{
    SimTime now = sim_engine_now (w->engine);
    gint ready = 0, queued = -1;
    double rate;
    SimTime gap, at;

    for (gint n = 0; n < w->n_nodes; n++) {
        ready += !w->nodes[n].not_ready;
        if (queued < 0 && w->nodes[n].taint_queued)
            queued = n;
    }
    if (queued < 0)
        return;
    if (ready == 0) {
        /* Full disruption: no tainting at all (and the NoExecute
         * taints lifted: master disruption mode). */
        sim_world_narrate (w, "every node NotReady: the zone is fully "
                              "disrupted, no node is tainted");
        for (gint n = 0; n < w->n_nodes; n++)
            if (w->nodes[n].tainted) {
                w->nodes[n].tainted = FALSE;
                sim_cluster_node_changed (w, n);
                sim_engine_cancel (w->engine, w->nodes[n].evict);
                w->nodes[n].evict = SIM_HANDLE_NONE;
            }
        return;
    }
    rate = 0.1;
    if (w->n_nodes > 2 && (w->n_nodes - ready) * 100 >= 55 * w->n_nodes)
        rate = w->n_nodes > 50 ? 0.01 : 0.0;
    if (rate == 0.0) {
        sim_world_narrate (w,
                           "%d of %d nodes NotReady: the zone is partly "
                           "disrupted, tainting stops",
                           w->n_nodes - ready, w->n_nodes);
        return;
    }
    gap = (SimTime) (SIM_SEC / rate);
    at = w->last_taint < 0 ? now : MAX (now, w->last_taint + gap);
    if (at <= now) {
        taint (w, queued);
        run_taint_queue (w);
        return;
    }
    /* The next try of the 100 ms loop once a token is back. */
    at = (at + 100 * SIM_MSEC - 1) / (100 * SIM_MSEC) * (100 * SIM_MSEC);
    if (w->taint_run == SIM_HANDLE_NONE)
        w->taint_run = sim_engine_schedule (w->engine, at, SIM_CLASS_CONTROLLER,
                                            on_taint_run, w, 0);
}

/* The pass after the NotReady one queues the taint (the pass reads the
 * Ready condition it started with). */
static void
on_taint_pass (SimEngine *engine, gpointer obj, gint64 n)
{
    SimWorld *w = obj;

    w->nodes[n].pass = SIM_HANDLE_NONE;
    if (!w->nodes[n].not_ready)
        return;
    w->nodes[n].taint_queued = TRUE;
    run_taint_queue (w);
}

static void
on_not_ready_pass (SimEngine *engine, gpointer obj, gint64 n)
{
    SimWorld *w = obj;
    SimNode *node = &w->nodes[n];
    SimTime now = sim_engine_now (engine);
    g_autofree char *detail = NULL;
    gint marked = 0;

    node->pass = SIM_HANDLE_NONE;
    if (!node->down)
        return;
    node->not_ready = TRUE;
    FOR_PODS_ON (w, (gint) n, pod)
    {
        marked += pod->phase == SIM_POD_READY && !pod->terminating;
    }
    detail = g_strdup_printf ("Ready=Unknown: kubelet stopped posting node "
                              "status (last heartbeat t=%.3fs); %d pod(s) "
                              "marked not ready",
                              SIM_TIME_TO_SEC (node->down_since), marked);
    node_log (w, SIM_EVENT_NODE_NOT_READY, (gint) n, detail);
    FOR_PODS_ON (w, (gint) n, pod)
    {
        sim_pod_mark_not_ready (w, pod);
    }
    node->pass = sim_engine_schedule (engine, now + w->sc->node_monitor_period,
                                      SIM_CLASS_CONTROLLER, on_taint_pass, w,
                                      n);
}

static void
on_ready_pass (SimEngine *engine, gpointer obj, gint64 n)
{
    SimWorld *w = obj;
    SimNode *node = &w->nodes[n];

    node->pass = SIM_HANDLE_NONE;
    if (node->down)
        return;
    node->not_ready = FALSE;
    node->taint_queued = FALSE;
    node->tainted = FALSE;
    sim_cluster_node_changed (w, n);
    sim_engine_cancel (engine, node->evict);
    node->evict = SIM_HANDLE_NONE;
    node_log (w, SIM_EVENT_NODE_READY, (gint) n,
              "Ready=True: the kubelet posts its status again; taints "
              "removed");
    if (!g_queue_is_empty (&w->unscheduled))
        kick (w, w->sc->schedule_delay);
    run_taint_queue (w); /* the zone may be less disrupted */
}

void
sim_cluster_node_fail (SimWorld *w, gint n)
{
    SimNode *node = &w->nodes[n];
    SimTime now = sim_engine_now (w->engine);
    char name[32];

    if (node->down) {
        sim_world_narrate (w, "%s is down already",
                           node_name (n, name, sizeof name));
        return;
    }
    node->down = TRUE;
    node->down_since = now;
    FOR_PODS_ON (w, n, pod)
    {
        sim_pod_node_down (w, pod);
    }
    sim_engine_cancel (w->engine, node->pass);
    node->pass = SIM_HANDLE_NONE;
    if (!node->not_ready)
        node->pass = sim_engine_schedule (
            w->engine, pass_at (w, now + w->sc->node_monitor_grace, TRUE),
            SIM_CLASS_CONTROLLER, on_not_ready_pass, w, n);
}

void
sim_cluster_node_recover (SimWorld *w, gint n)
{
    SimNode *node = &w->nodes[n];
    SimTime now = sim_engine_now (w->engine);
    char name[32];

    if (!node->down) {
        sim_world_narrate (w, "%s is up already",
                           node_name (n, name, sizeof name));
        return;
    }
    node->down = FALSE;
    /* Pulls cut short start over. */
    for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
        if (node->image_ready[v] > node->down_since)
            node->image_ready[v] = -1;
    FOR_PODS_ON (w, n, pod)
    {
        sim_pod_node_up (w, pod);
    }
    sim_engine_cancel (w->engine, node->pass);
    node->pass = SIM_HANDLE_NONE;
    /* The controller sees heartbeats again at its next pass. */
    if (node->not_ready || node->tainted || node->taint_queued)
        node->pass = sim_engine_schedule (w->engine, pass_at (w, now, FALSE),
                                          SIM_CLASS_CONTROLLER, on_ready_pass,
                                          w, n);
    if (!g_queue_is_empty (&w->unscheduled))
        kick (w, w->sc->schedule_delay);
}

void
sim_cluster_node_cordon (SimWorld *w, gint n, gboolean cordon)
{
    SimNode *node = &w->nodes[n];
    char name[32];

    if (node->cordoned == cordon) {
        sim_world_narrate (w, "node/%s already %s",
                           node_name (n, name, sizeof name),
                           cordon ? "cordoned" : "uncordoned");
        return;
    }
    node->cordoned = cordon;
    sim_cluster_node_changed (w, n);
    node_log (w, cordon ? SIM_EVENT_NODE_CORDONED : SIM_EVENT_NODE_UNCORDONED,
              n,
              cordon ? "spec.unschedulable = true"
                     : "spec.unschedulable = false");
    if (!cordon && !g_queue_is_empty (&w->unscheduled))
        kick (w, w->sc->schedule_delay);
}

void
sim_cluster_nodes_add (SimWorld *w, gint count)
{
    const SimScenario *sc = w->sc;
    gint first = w->n_nodes;

    w->nodes = g_renew (SimNode, w->nodes, w->n_nodes + count);
    memset (&w->nodes[first], 0, count * sizeof *w->nodes);
    w->n_nodes += count;
    for (gint n = first; n < w->n_nodes; n++) {
        w->nodes[n].cpu_free = sc->node_cpu;
        w->nodes[n].memory_free = sc->node_memory;
        w->nodes[n].unneeded_since = w->nodes[n].removing_since = -1;
        w->nodes[n].index_pos = -1;
        for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
            w->nodes[n].image_ready[v] = -1;
        sim_cluster_node_changed (w, n);
        place_daemonsets (w, n);
        node_log (w, SIM_EVENT_NODE_ADDED, n, "Ready, empty");
    }
    w->nodes_live += count;
    sim_metrics_nodes (w->metrics, sim_engine_now (w->engine), w->nodes_live);
    if (!g_queue_is_empty (&w->unscheduled))
        kick (w, sc->schedule_delay);
}

void
sim_cluster_node_remove (SimWorld *w, gint n)
{
    SimNode *node = &w->nodes[n];

    node->removed = TRUE;
    node->cordoned = TRUE;
    sim_cluster_node_changed (w, n);
    w->nodes_live--;
    sim_metrics_nodes (w->metrics, sim_engine_now (w->engine), w->nodes_live);
}
