/* cluster.c - nodes and the scheduler.
 *
 * Each node has CPU and memory capacity; a pod requests the Deployment's
 * cpu and memory.  The scheduler places pods in the order they were
 * created, each on the node with the most room left (Kubernetes'
 * LeastAllocated score: the mean of the free CPU and memory fractions),
 * ties to the lowest node index.  A pod that fits nowhere stays Pending
 * (logged once as pod-unschedulable, naming the short resource) until a
 * pod is gone and frees room.  Invariant: a node's free resources are
 * never negative; they are taken at placement and given back when the pod
 * is gone.
 */
#include "model.h"
#include "background.h"

static gint best_node (SimWorld *w, gint64 cpu, gint64 mem);

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
    return TRUE;
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

        for (gint k = 0; k < want; k++)
            placed += b->replicas == SIM_BACKGROUND_PER_NODE
                          ? take (w, k, b)
                          : take (w, best_node (w, b->cpu, b->memory), b);
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

    w->n_nodes = sc->nodes;
    w->nodes = g_new0 (SimNode, sc->nodes);
    for (gint i = 0; i < sc->nodes; i++) {
        w->nodes[i].cpu_free = sc->node_cpu;
        w->nodes[i].memory_free = sc->node_memory;
        for (gint v = 0; v < SIM_MAX_VERSIONS; v++)
            w->nodes[i].image_ready[v] = -1;
    }
    g_queue_init (&w->unscheduled);
    place_background (w);
}

void
sim_cluster_clear (SimWorld *w)
{
    g_clear_pointer (&w->nodes, g_free);
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

        if (n->cpu_free < cpu || n->memory_free < mem)
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
    gint node = best_node (w, sc->cpu, sc->memory);

    if (node < 0)
        return FALSE;
    w->nodes[node].cpu_free -= sc->cpu;
    w->nodes[node].memory_free -= sc->memory;
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

    for (gint i = 0; i < w->n_nodes; i++) {
        cpu_fits |= w->nodes[i].cpu_free >= sc->cpu;
        mem_fits |= w->nodes[i].memory_free >= sc->memory;
    }
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
                sim_world_log_pod (w, SIM_EVENT_POD_UNSCHEDULABLE, pod,
                                   short_resource (w));
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
    if (!g_queue_is_empty (&w->unscheduled))
        kick (w, w->sc->schedule_delay);
}
