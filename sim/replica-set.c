/* replica-set.c - ReplicaSets and the ReplicaSet controller.
 *
 * A ReplicaSet's spec is set by the strategy; its status is read from
 * its pods as docs/design.md K5 says: `replicas` counts
 * pods that are not terminating, `available` those ready for min_ready.
 * The controller reconciles after controller_delay: it creates the
 * missing pods, or deletes the surplus, least valuable first:
 *   1. unscheduled before scheduled, 2. not running before running,
 *   3. not ready before ready, 4. on a node with more active pods of the
 *   Deployment (any ReplicaSet, pending and starting ones included)
 *   first, 5. among ready pods the most recently ready first,
 *   6. more restarts first, 7. newest first; then by id.
 * (Kubernetes' pod-deletion-cost and its log2 buckets of rule 5 are left
 * out: every pod here has the same cost and exact times are used.)
 */
#include <string.h>
#include "model.h"

SimReplicaSet *
sim_replica_set_new (SimWorld *w, SimDeployment *d, SimTemplate t,
                     gint revision, gint spec)
{
    SimReplicaSet *rs = g_new0 (SimReplicaSet, 1);
    const char *vname = w->sc->versions[t.version].name;
    gint k = ++d->n_of_version[t.version];

    rs->index = w->replica_sets->len;
    rs->owner = d;
    rs->version = t.version;
    rs->tmpl = t;
    rs->revision = revision;
    rs->ann_desired = rs->ann_max = -1;
    rs->spec = spec;
    rs->created = sim_engine_now (w->engine);
    rs->pods = g_ptr_array_new ();
    /* The first ReplicaSet of a version is named by it, later ones (a
     * restart's) "v1#2", "v1#3"; a strategy's own Deployment puts its
     * label first: "primary/v1". */
    g_snprintf (rs->name, sizeof rs->name, "%s%s%s", d->label ? d->label : "",
                d->label ? "/" : "", vname);
    if (k > 1) {
        gsize n = strlen (rs->name);

        g_snprintf (rs->name + n, sizeof rs->name - n, "#%d", k);
    }
    g_ptr_array_add (w->replica_sets, rs);
    return rs;
}

void
sim_replica_set_free (SimReplicaSet *rs)
{
    if (rs == NULL)
        return;
    g_ptr_array_unref (rs->pods);
    g_free (rs);
}

SimDeployment *
sim_replica_set_owner (const SimReplicaSet *rs)
{
    return rs->owner;
}

const char *
sim_replica_set_name (const SimReplicaSet *rs)
{
    return rs->name;
}

gint
sim_replica_set_version (const SimReplicaSet *rs)
{
    return rs->version;
}

SimTemplate
sim_replica_set_template (const SimReplicaSet *rs)
{
    return rs->tmpl;
}

gint
sim_replica_set_revision (const SimReplicaSet *rs)
{
    return rs->revision;
}

void
sim_replica_set_annotations (const SimReplicaSet *rs, gint *desired, gint *max)
{
    *desired = rs->ann_desired;
    *max = rs->ann_max;
}

void
sim_replica_set_annotate (SimReplicaSet *rs, gint desired, gint max)
{
    rs->ann_desired = desired;
    rs->ann_max = max;
}

gint
sim_replica_set_spec (const SimReplicaSet *rs)
{
    return rs->spec;
}

SimTime
sim_replica_set_created (const SimReplicaSet *rs)
{
    return rs->created;
}

/* The status counted pod by pod: what the counters kept by pod.c must
 * equal (checked when tests ask, sim_model_set_verify). */
static void
status_scan (const SimReplicaSet *rs, SimReplicaSetStatus *out)
{
    memset (out, 0, sizeof *out);
    for (guint i = 0; i < rs->pods->len; i++) {
        const SimPod *pod = g_ptr_array_index (rs->pods, i);

        if (pod->phase == SIM_POD_GONE)
            continue;
        if (pod->terminating) {
            out->terminating++;
            continue;
        }
        out->replicas++;
        if (pod->phase == SIM_POD_PENDING)
            out->pending++;
        else if (pod->phase == SIM_POD_READY)
            out->ready++;
        else
            out->starting++;
        if (pod->available)
            out->available++;
    }
}

guint
sim_replica_set_n_pods (const SimReplicaSet *rs)
{
    return rs->pods->len;
}

SimPod *
sim_replica_set_pod (const SimReplicaSet *rs, guint i)
{
    g_return_val_if_fail (i < rs->pods->len, NULL);
    return g_ptr_array_index (rs->pods, i);
}

void
sim_replica_set_status (const SimReplicaSet *rs, SimReplicaSetStatus *out)
{
    *out = rs->st;
    if (G_UNLIKELY (sim_model_verifying ())) {
        SimReplicaSetStatus scan;
        gint alive = 0;

        status_scan (rs, &scan);
        g_assert_true (memcmp (&scan, out, sizeof scan) == 0);
        for (guint i = 0; i < rs->pods->len; i++)
            alive += ((const SimPod *) rs->pods->pdata[i])->phase
                     != SIM_POD_GONE;
        g_assert_cmpint (alive, ==, rs->alive);
    }
}

gint
sim_replica_set_pods_alive (const SimReplicaSet *rs)
{
    return rs->alive;
}

/* --- Deletion ranking ------------------------------------------------------ */

typedef struct {
    SimPod *pod;
    gint node_active; /* active pods of the Deployment on its node */
} Candidate;

static gint
rank_phase (const SimPod *pod)
{
    if (pod->node < 0)
        return 0;
    if (pod->phase == SIM_POD_PULLING)
        return 1; /* Pending: no container yet */
    if (pod->node_lost)
        return 2; /* Unknown: its node stopped reporting */
    return 3;     /* Running */
}

/* Negative: @a is deleted before @b. */
static gint
compare_candidates (gconstpointer pa, gconstpointer pb)
{
    const Candidate *ca = pa, *cb = pb;
    const SimPod *a = ca->pod, *b = cb->pod;
    gboolean ra = a->phase == SIM_POD_READY, rb = b->phase == SIM_POD_READY;

    if (rank_phase (a) != rank_phase (b))
        return rank_phase (a) - rank_phase (b);
    if (ra != rb)
        return ra ? 1 : -1;
    if (ca->node_active != cb->node_active)
        return cb->node_active - ca->node_active;
    if (ra && a->ready_since != b->ready_since)
        return a->ready_since > b->ready_since ? -1 : 1;
    if (a->restarts != b->restarts)
        return b->restarts - a->restarts;
    if (a->created != b->created)
        return a->created > b->created ? -1 : 1;
    return a->id > b->id ? -1 : 1;
}

static void
delete_surplus (SimWorld *w, SimReplicaSet *rs, gint surplus)
{
    g_autofree Candidate *cand = g_new (Candidate, rs->pods->len);
    g_autofree gint *node_active = g_new0 (gint, w->n_nodes);
    guint n = 0;

    /* controller.IsPodActive: not terminating, not finished. */
    for (guint i = 0; i < w->pods->len; i++) {
        const SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->node >= 0 && sim_pod_is_active (pod))
            node_active[pod->node]++;
    }
    for (guint i = 0; i < rs->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (rs->pods, i);

        if (!sim_pod_is_active (pod))
            continue;
        cand[n].pod = pod;
        cand[n].node_active = pod->node >= 0 ? node_active[pod->node] : 0;
        n++;
    }
    qsort (cand, n, sizeof *cand, compare_candidates);
    for (guint i = 0; i < n && (gint) i < surplus; i++)
        sim_pod_delete (w, cand[i].pod);
}

static void
rs_sync (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimWorld *w = sim_engine_get_user_data (engine);
    SimReplicaSet *rs = obj;
    SimReplicaSetStatus st;

    rs->sync_pending = FALSE;
    sim_replica_set_status (rs, &st);
    if (st.replicas < rs->spec) {
        for (gint i = st.replicas; i < rs->spec; i++)
            sim_pod_create (w, rs, FALSE);
    } else if (st.replicas > rs->spec) {
        delete_surplus (w, rs, st.replicas - rs->spec);
    }
}

void
sim_replica_set_enqueue (SimWorld *w, SimReplicaSet *rs)
{
    if (rs->sync_pending)
        return;
    rs->sync_pending = TRUE;
    sim_engine_after (w->engine, w->sc->controller_delay,
                      SIM_CLASS_RS_CONTROLLER, rs_sync, rs, 0);
}
