/* cluster-autoscaler.c - the cluster autoscaler ([cluster] autoscaler):
 * nodes added when pods cannot be scheduled, removed when underused
 * (docs/design.md H8, after kubernetes/autoscaler cluster-autoscaler's
 * FAQ: "How does scale-up work?", "How does scale-down work?").
 *
 * Every autoscaler_scan from t = 0 it looks at the cluster once:
 *
 * Scale-up: the pods the scheduler found no room for (a pod-unschedulable
 * row, still Pending) are packed onto template nodes (a node of
 * node_cpu and node_memory, less the DaemonSets of [background]); the
 * nodes already coming count first; the rest is requested at once, up
 * to max_nodes (requested ones included): a node-provisioning row, then
 * each node Ready node_provision later (a node-added row) and the
 * scheduler tries again.  A pod that would not fit an empty node never
 * triggers one.
 *
 * Scale-down, not within scale_down_delay_after_add of a scale-up: a
 * node whose CPU and memory requests are both below
 * scale_down_utilization of its allocatable, that holds no pod it cannot
 * move (other workloads' pods; a DaemonSet's do not count), whose
 * application pods fit on the other nodes and whose PodDisruptionBudget
 * allows evicting them all, is unneeded from that scan on.  Unneeded for
 * scale_down_unneeded, it goes: empty nodes up to 10 at once, a node
 * with pods one at a time - tainted (nothing new lands on it), its pods
 * evicted through the Eviction API (a refusal is tried again at the next
 * scans, for at most 2 minutes, then the node is kept), removed once
 * they are gone (node-removed).  Never below min_nodes.
 *
 * The state is a handful of counters and, per node, two times: nothing
 * grows with simulated time.
 */
#include <math.h>
#include "model.h"
#include "background.h"

/* --max-empty-bulk-delete and --max-pod-eviction-time. */
#define EMPTY_BULK 10
#define EVICTION_GIVE_UP (2 * SIM_MIN)

struct SimAutoscaler {
    gint provisioning;     /* nodes requested, not Ready yet */
    SimTime last_scale_up; /* -1: none */
    gint removing;         /* the node being drained; -1 none */
    gboolean full_logged;  /* max_nodes reached, said once per episode */
};

static void
node_log (SimWorld *w, SimEventKind kind, gint n, gboolean has_value,
          gint64 value, const char *detail)
{
    char name[32];

    g_snprintf (name, sizeof name, "node-%d", n + 1);
    sim_world_log (w, kind, name, -1, has_value, value, detail);
}

/* How many application pods an empty node takes (G_MAXINT: any). */
static gint
pods_per_node (const SimWorld *w)
{
    const SimScenario *sc = w->sc;
    gint64 cpu = sc->node_cpu, mem = sc->node_memory;
    const SimBackgroundSettings *bs = sim_background_settings (sc);
    gint64 by_cpu, by_mem;

    for (gint i = 0; bs != NULL && i < bs->workloads.n; i++) {
        const SimBackgroundWorkload *b = &sim_background_workloads (bs)[i];

        if (b->replicas == SIM_BACKGROUND_PER_NODE) {
            cpu -= b->cpu;
            mem -= b->memory;
        }
    }
    if (cpu < 0 || mem < 0)
        return 0;
    by_cpu = sc->cpu > 0 ? cpu / sc->cpu : G_MAXINT;
    by_mem = sc->memory > 0 ? mem / sc->memory : G_MAXINT;
    return (gint) MIN (MIN (by_cpu, by_mem), G_MAXINT);
}

/* --- Scale-up ------------------------------------------------------------------ */

static void
node_ready (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    w->ca->provisioning--;
    sim_cluster_nodes_add (w, 1);
}

static void
scale_up (SimWorld *w, SimAutoscaler *ca)
{
    const SimScenario *sc = w->sc;
    SimTime now = sim_engine_now (w->engine);
    gint pending = 0, per_node = pods_per_node (w), want, room;
    char detail[160];

    for (GList *l = w->unscheduled.head; l != NULL; l = l->next) {
        const SimPod *pod = l->data;

        pending += pod->phase == SIM_POD_PENDING && !pod->terminating
                   && pod->unschedulable_reported;
    }
    if (pending == 0 || per_node == 0) {
        ca->full_logged = FALSE;
        return;
    }
    /* Pods the nodes on their way will take need nothing more. */
    if (per_node != G_MAXINT)
        pending -= MIN (pending, ca->provisioning * per_node);
    if (pending == 0)
        return;
    want = per_node == G_MAXINT ? 1 : (pending + per_node - 1) / per_node;
    room = sc->max_nodes < 0 ? G_MAXINT
                             : sc->max_nodes - w->nodes_live - ca->provisioning;
    if (room <= 0) {
        if (!ca->full_logged)
            sim_world_narrate (w,
                               "cluster-autoscaler: %d pods unschedulable, "
                               "max_nodes (%d) reached",
                               pending, sc->max_nodes);
        ca->full_logged = TRUE;
        return;
    }
    want = MIN (want, room);
    g_snprintf (detail, sizeof detail,
                "%d unschedulable pods: %d more nodes (%d pods fit a node)",
                pending, want, per_node);
    sim_world_log (w, SIM_EVENT_NODE_PROVISIONING, "cluster-autoscaler", -1,
                   TRUE, want, detail);
    for (gint i = 0; i < want; i++)
        sim_engine_schedule (
            w->engine,
            now + sim_dist_sample (&sc->node_provision, &w->rng_provision),
            SIM_CLASS_CONTROLLER, node_ready, w, 0);
    ca->provisioning += want;
    ca->last_scale_up = now;
}

/* --- Scale-down ---------------------------------------------------------------- */

static gboolean
usable (const SimNode *node)
{
    return !node->removed && !node->down && !node->cordoned && !node->tainted
           && node->removing_since < 0;
}

/* The application pods on node @n (not gone) and of those the ready
 * ones not being deleted. */
static gint
pods_on (SimWorld *w, gint n, gint *ready)
{
    gint count = 0;

    *ready = 0;
    for (guint i = 0; i < w->pods->len; i++) {
        const SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->node != n || pod->phase == SIM_POD_GONE)
            continue;
        count++;
        *ready += pod->phase == SIM_POD_READY && !pod->terminating;
    }
    return count;
}

/* Would @count pods of the application fit on the other usable nodes
 * (first fit, as the autoscaler's scheduling simulation)? */
static gboolean
fits_elsewhere (SimWorld *w, gint n, gint count)
{
    const SimScenario *sc = w->sc;

    for (gint k = 0; k < w->n_nodes && count > 0; k++) {
        const SimNode *node = &w->nodes[k];
        gint64 by_cpu, by_mem;

        if (k == n || !usable (node))
            continue;
        by_cpu = sc->cpu > 0 ? node->cpu_free / sc->cpu : G_MAXINT;
        by_mem = sc->memory > 0 ? node->memory_free / sc->memory : G_MAXINT;
        count -= (gint) MIN (MIN (by_cpu, by_mem), (gint64) count);
    }
    return count <= 0;
}

static gboolean
unneeded (SimWorld *w, gint n, gint allowed)
{
    const SimScenario *sc = w->sc;
    const SimNode *node = &w->nodes[n];
    double cpu = (double) (sc->node_cpu - node->cpu_free) / sc->node_cpu;
    double mem = (double) (sc->node_memory - node->memory_free)
                 / sc->node_memory;
    gint ready, count;

    if (!usable (node) || node->background_pods > 0
        || MAX (cpu, mem) >= sc->scale_down_utilization)
        return FALSE;
    count = pods_on (w, n, &ready);
    return count == 0 || (fits_elsewhere (w, n, count) && ready <= allowed);
}

/* Evict what is left on the node being removed; remove it when empty,
 * give up after EVICTION_GIVE_UP. */
static void
continue_removal (SimWorld *w, SimAutoscaler *ca)
{
    gint n = ca->removing, ready, left;
    SimNode *node = &w->nodes[n];
    SimTime now = sim_engine_now (w->engine);
    gboolean refused = FALSE;

    for (guint i = 0; i < w->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->node == n && pod->phase != SIM_POD_GONE && !pod->terminating
            && !sim_disruption_evict (w, pod, "cluster-autoscaler"))
            refused = TRUE;
    }
    left = pods_on (w, n, &ready);
    if (left == 0) {
        node_log (w, SIM_EVENT_NODE_REMOVED, n, FALSE, 0,
                  "scale-down: drained and deleted");
        sim_cluster_node_remove (w, n);
        ca->removing = -1;
        return;
    }
    if (refused && now - node->removing_since >= EVICTION_GIVE_UP) {
        sim_world_narrate (w,
                           "cluster-autoscaler: node-%d kept, its pods could "
                           "not all be evicted in 2 minutes",
                           n + 1);
        node->removing_since = -1;
        sim_cluster_node_changed (w, n);
        node->unneeded_since = -1;
        ca->removing = -1;
    }
}

static void
scale_down (SimWorld *w, SimAutoscaler *ca)
{
    const SimScenario *sc = w->sc;
    SimTime now = sim_engine_now (w->engine);
    gboolean cooling = ca->last_scale_up >= 0
                       && now - ca->last_scale_up
                              < sc->scale_down_delay_after_add;
    gint allowed = sim_disruption_allowed (w), empty_removed = 0;

    if (ca->removing >= 0)
        continue_removal (w, ca);
    for (gint n = 0; n < w->n_nodes; n++) {
        SimNode *node = &w->nodes[n];

        if (node->removed || node->removing_since >= 0)
            continue;
        if (!unneeded (w, n, allowed)
            || (cooling && !sc->unneeded_during_delay)) {
            node->unneeded_since = -1;
            continue;
        }
        if (node->unneeded_since < 0)
            node->unneeded_since = now;
    }
    if (cooling)
        return;
    for (gint n = 0; n < w->n_nodes; n++) {
        SimNode *node = &w->nodes[n];
        gint ready;

        if (w->nodes_live - (ca->removing >= 0) <= sc->min_nodes)
            return;
        if (node->removed || node->removing_since >= 0
            || node->unneeded_since < 0
            || now - node->unneeded_since < sc->scale_down_unneeded)
            continue;
        if (pods_on (w, n, &ready) == 0) {
            if (empty_removed == EMPTY_BULK)
                continue;
            node_log (w, SIM_EVENT_NODE_REMOVED, n, FALSE, 0,
                      "scale-down: empty and unneeded");
            sim_cluster_node_remove (w, n);
            empty_removed++;
        } else if (ca->removing < 0) {
            /* Tainted ToBeDeletedByClusterAutoscaler, then drained. */
            node->removing_since = now;
            sim_cluster_node_changed (w, n);
            ca->removing = n;
            sim_world_narrate (
                w,
                "cluster-autoscaler: node-%d unneeded for %.0fs: "
                "draining it",
                n + 1, SIM_TIME_TO_SEC (now - node->unneeded_since));
            continue_removal (w, ca);
        }
    }
}

static void
scan (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = obj;

    sim_engine_after (engine, w->sc->autoscaler_scan, SIM_CLASS_CONTROLLER,
                      scan, w, 0);
    scale_up (w, w->ca);
    scale_down (w, w->ca);
}

void
sim_autoscaler_start (SimWorld *w)
{
    if (!w->sc->autoscaler)
        return;
    w->ca = g_new0 (SimAutoscaler, 1);
    w->ca->last_scale_up = -1;
    w->ca->removing = -1;
    sim_engine_schedule (w->engine, 0, SIM_CLASS_CONTROLLER, scan, w, 0);
}

void
sim_autoscaler_free (SimWorld *w)
{
    g_clear_pointer (&w->ca, g_free);
}
