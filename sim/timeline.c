/* timeline.c - the actions of [timeline]: their grammar, the checks
 * `rollsim check` makes of them, and their effects.  See timeline.h.
 *
 * Every action is one line of the table below.  Its refusals (what
 * kubectl, or the API server, would refuse) are one function of the
 * state they depend on (paused or not, how many revisions, how many
 * nodes), used twice: by the check, over the state the actions before it
 * certainly leave (an `if-unfinished` action makes what it changes
 * unknown from there on), and at run time over the world's state, where
 * a refusal is an `action-refused` row.  Effects go through the world's
 * own writes (sim_world_set_*), as a kubectl patch goes through the API
 * server: the controllers see them as they would see any change.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "timeline.h"
#include "scenario-place.h"

/* --- The state refusals depend on ------------------------------------------ */

typedef struct {
    const char *name; /* metadata.name */
    gboolean rollout; /* an Argo Rollout, not a Deployment */
    gboolean paused, paused_known;
    gint revisions; /* ReplicaSets in the history */
    gboolean revisions_known;
    gint nodes;
} State;

/* What kubectl calls the object: "deployments.apps/app". */
static char *
object (const State *st)
{
    return g_strdup_printf ("%s/%s",
                            st->rollout ? "rollouts.argoproj.io"
                                        : "deployments.apps",
                            st->name);
}

/* --- The table -------------------------------------------------------------- */

typedef enum {
    ARGS_NONE,
    ARGS_COUNT,         /* N */
    ARGS_VERSION,       /* VERSION */
    ARGS_RATE,          /* R */
    ARGS_VERSION_PROB,  /* VERSION P */
    ARGS_VERSION_COUNT, /* VERSION N */
    ARGS_NODE,          /* node-N or busiest */
} ArgsKind;

typedef struct {
    const char *name;
    ArgsKind args;
    gint64 min, max; /* of N */
    /* What upstream refuses in @st, or NULL (newly allocated). */
    char *(*refuse) (const SimAction *a, const State *st);
    /* The effect. */
    void (*apply) (SimWorld *w, const SimAction *a);
} ActionClass;

static char *
refuse_pause (const SimAction *a, const State *st)
{
    g_autofree char *o = object (st);

    if (!st->rollout && st->paused_known && st->paused)
        return g_strdup_printf ("%s is already paused", o);
    return NULL;
}

static char *
refuse_resume (const SimAction *a, const State *st)
{
    g_autofree char *o = object (st);

    if (!st->rollout && st->paused_known && !st->paused)
        return g_strdup_printf ("%s is not paused", o);
    return NULL;
}

static char *
refuse_undo (const SimAction *a, const State *st)
{
    if (!st->rollout && st->paused_known && st->paused)
        return g_strdup_printf ("you cannot rollback a paused deployment; "
                                "resume it first with 'kubectl rollout "
                                "resume deployment/%s' and try again",
                                st->name);
    if (st->revisions_known && st->revisions < 2)
        return g_strdup_printf ("no rollout history found for %s \"%s\"",
                                st->rollout ? "rollout" : "deployment",
                                st->name);
    return NULL;
}

static char *
refuse_restart (const SimAction *a, const State *st)
{
    g_autofree char *o = object (st);

    if (!st->rollout && st->paused_known && st->paused)
        return g_strdup_printf ("%s can't restart paused deployment (run "
                                "rollout resume first)",
                                o);
    return NULL;
}

/* kubectl argo rollouts on anything but a Rollout. */
static char *
refuse_argo (const SimAction *a, const State *st)
{
    if (!st->rollout)
        return g_strdup_printf ("rollouts.argoproj.io \"%s\" not found",
                                st->name);
    return NULL;
}

static gint
version_of (SimWorld *w, const SimAction *a)
{
    return sim_scenario_find_version (w->sc, a->name);
}

/* "node-N": N - 1; "busiest": -1; anything else -2. */
static gint
node_index (const char *name)
{
    gint64 n;

    if (strcmp (name, "busiest") == 0)
        return -1;
    if (!g_str_has_prefix (name, "node-")
        || !sim_key_to_int64 (name + strlen ("node-"), &n) || n < 1
        || n > G_MAXINT)
        return -2;
    return (gint) n - 1;
}

static gint
node_of (SimWorld *w, const SimAction *a)
{
    gint n = node_index (a->name);

    return n == -1 ? sim_cluster_busiest (w) : n;
}

/* A node that does not exist (yet). */
static char *
refuse_node (const SimAction *a, const State *st)
{
    if (node_index (a->name) >= st->nodes)
        return g_strdup_printf ("nodes \"%s\" not found", a->name);
    return NULL;
}

static void
apply_pause (SimWorld *w, const SimAction *a)
{
    sim_world_set_paused (w, TRUE);
}

static void
apply_resume (SimWorld *w, const SimAction *a)
{
    sim_world_set_paused (w, FALSE);
}

static void
apply_scale (SimWorld *w, const SimAction *a)
{
    sim_world_set_replicas (w, (gint) a->count);
}

static void
apply_set_image (SimWorld *w, const SimAction *a)
{
    SimTemplate t = w->app.spec.template;

    t.version = version_of (w, a);
    if (sim_template_equal (t, w->app.spec.template)) {
        sim_world_narrate (w,
                           "set-image %s: the template already runs it, "
                           "nothing changes",
                           a->name);
        return;
    }
    sim_world_set_template (w, t);
}

/* The ReplicaSet with the second-highest revision (kubectl rollout undo
 * without --to-revision). */
static SimReplicaSet *
previous_revision (SimWorld *w)
{
    SimReplicaSet *first = NULL, *second = NULL;
    SimDeployment *d = sim_world_history (w);

    for (guint i = 0; i < w->replica_sets->len; i++) {
        SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

        if (rs->owner != d)
            continue;
        if (first == NULL || rs->revision > first->revision) {
            second = first;
            first = rs;
        } else if (second == NULL || rs->revision > second->revision) {
            second = rs;
        }
    }
    return second;
}

static void
apply_undo (SimWorld *w, const SimAction *a)
{
    SimReplicaSet *rs = previous_revision (w);

    sim_world_narrate (w, "undo: back to revision %d (%s)", rs->revision,
                       rs->name);
    sim_world_set_template (w, rs->tmpl);
}

static void
apply_restart (SimWorld *w, const SimAction *a)
{
    SimTemplate t = w->app.spec.template;

    if (w->strategy->rollout) {
        /* Argo: spec.restartAt; the controller evicts the older pods. */
        sim_world_set_restart_at (w);
        return;
    }
    /* kubectl: a new restartedAt annotation, so a new template. */
    for (guint i = 0; i < w->replica_sets->len; i++) {
        const SimReplicaSet *rs = g_ptr_array_index (w->replica_sets, i);

        t.restart = MAX (t.restart, rs->tmpl.restart);
    }
    t.restart++;
    sim_world_set_template (w, t);
}

static void
apply_command (SimWorld *w, SimCommand cmd)
{
    g_autofree char *why = NULL;

    if (!sim_world_command (w, cmd, &why))
        sim_world_log (w, SIM_EVENT_ACTION_REFUSED, "deployment",
                       w->app.spec.template.version, FALSE, 0, why);
}

static void
apply_promote (SimWorld *w, const SimAction *a)
{
    apply_command (w, SIM_COMMAND_PROMOTE);
}

static void
apply_promote_full (SimWorld *w, const SimAction *a)
{
    apply_command (w, SIM_COMMAND_PROMOTE_FULL);
}

static void
apply_abort (SimWorld *w, const SimAction *a)
{
    apply_command (w, SIM_COMMAND_ABORT);
}

static void
apply_retry (SimWorld *w, const SimAction *a)
{
    apply_command (w, SIM_COMMAND_RETRY);
}

static void
apply_rate (SimWorld *w, const SimAction *a)
{
    sim_traffic_set_rate (w, a->number);
}

static void
apply_error_rate (SimWorld *w, const SimAction *a)
{
    w->error_rate[version_of (w, a)] = a->number;
}

/* As a chaos tool does: N of the version's pods, chosen at random (a
 * stream of its own), deleted as `kubectl delete pod` does - no
 * disruption budget asked. */
static void
apply_delete_pods (SimWorld *w, const SimAction *a)
{
    gint v = version_of (w, a);
    g_autoptr (GPtrArray) pods = g_ptr_array_new ();
    gint n;

    for (guint i = 0; i < w->pods->len; i++) {
        SimPod *pod = g_ptr_array_index (w->pods, i);

        if (pod->version == v && sim_pod_is_active (pod))
            g_ptr_array_add (pods, pod);
    }
    n = (gint) MIN ((gint64) pods->len, a->count);
    if (n < a->count)
        sim_world_narrate (w,
                           "delete-pods %s %" G_GINT64_FORMAT
                           ": only %d pod(s) of %s exist",
                           a->name, a->count, n, a->name);
    for (gint k = 0; k < n; k++) {
        guint j = k + sim_rng_below (&w->rng_chaos, pods->len - (guint) k);
        SimPod *pod = g_ptr_array_index (pods, j);

        pods->pdata[j] = pods->pdata[k];
        pods->pdata[k] = pod;
        sim_pod_delete (w, pod);
    }
}

static void
apply_node_fail (SimWorld *w, const SimAction *a)
{
    sim_cluster_node_fail (w, node_of (w, a));
}

static void
apply_node_recover (SimWorld *w, const SimAction *a)
{
    sim_cluster_node_recover (w, node_of (w, a));
}

static void
apply_node_cordon (SimWorld *w, const SimAction *a)
{
    sim_cluster_node_cordon (w, node_of (w, a), TRUE);
}

static void
apply_node_uncordon (SimWorld *w, const SimAction *a)
{
    sim_cluster_node_cordon (w, node_of (w, a), FALSE);
}

static void
apply_node_drain (SimWorld *w, const SimAction *a)
{
    sim_disruption_drain (w, node_of (w, a));
}

static void
apply_node_add (SimWorld *w, const SimAction *a)
{
    sim_cluster_nodes_add (w, (gint) a->count);
}

static const ActionClass actions[] = {
    { "pause", ARGS_NONE, 0, 0, refuse_pause, apply_pause },
    { "resume", ARGS_NONE, 0, 0, refuse_resume, apply_resume },
    { "scale", ARGS_COUNT, 0, 100000, NULL, apply_scale },
    { "set-image", ARGS_VERSION, 0, 0, NULL, apply_set_image },
    { "undo", ARGS_NONE, 0, 0, refuse_undo, apply_undo },
    { "restart", ARGS_NONE, 0, 0, refuse_restart, apply_restart },
    { "promote", ARGS_NONE, 0, 0, refuse_argo, apply_promote },
    { "promote-full", ARGS_NONE, 0, 0, refuse_argo, apply_promote_full },
    { "abort", ARGS_NONE, 0, 0, refuse_argo, apply_abort },
    { "retry", ARGS_NONE, 0, 0, refuse_argo, apply_retry },
    { "rate", ARGS_RATE, 0, 0, NULL, apply_rate },
    { "error-rate", ARGS_VERSION_PROB, 0, 0, NULL, apply_error_rate },
    { "delete-pods", ARGS_VERSION_COUNT, 1, 100000, NULL, apply_delete_pods },
    { "node-fail", ARGS_NODE, 0, 0, refuse_node, apply_node_fail },
    { "node-recover", ARGS_NODE, 0, 0, refuse_node, apply_node_recover },
    { "node-cordon", ARGS_NODE, 0, 0, refuse_node, apply_node_cordon },
    { "node-uncordon", ARGS_NODE, 0, 0, refuse_node, apply_node_uncordon },
    { "node-drain", ARGS_NODE, 0, 0, refuse_node, apply_node_drain },
    { "node-add", ARGS_COUNT, 1, 100000, NULL, apply_node_add },
};

enum {
    ACT_PAUSE,
    ACT_RESUME,
    ACT_SCALE,
    ACT_SET_IMAGE,
    ACT_UNDO,
    ACT_RESTART,
    ACT_PROMOTE,
    ACT_PROMOTE_FULL,
    ACT_ABORT,
    ACT_RETRY,
    ACT_RATE,
    ACT_ERROR_RATE,
    ACT_DELETE_PODS,
    ACT_NODE_FAIL,
    ACT_NODE_RECOVER,
    ACT_NODE_CORDON,
    ACT_NODE_UNCORDON,
    ACT_NODE_DRAIN,
    ACT_NODE_ADD,
};

const char *
sim_action_name (const SimAction *a)
{
    return actions[a->kind].name;
}

/* --- Grammar ----------------------------------------------------------------- */

#define ACCEPT_ACTIONS \
    "actions TIME ACTION [ARGS] [if-unfinished] separated by ';'; TIME: a " \
    "duration or rollout+DURATION; ACTION: pause, resume, scale N, " \
    "set-image VERSION, undo, restart, promote, promote-full, abort, " \
    "retry, rate R, error-rate VERSION P, delete-pods VERSION N, " \
    "node-fail NODE, node-recover NODE, node-cordon NODE, node-uncordon " \
    "NODE, node-drain NODE, node-add N; NODE: node-1, node-2, ... or busiest"

static char *
format_time (const SimAction *a)
{
    g_autofree char *d = sim_units_format_duration (a->at);

    return a->after_rollout ? g_strconcat ("rollout+", d, NULL)
                            : g_steal_pointer (&d);
}

char *
sim_action_text (const SimAction *a)
{
    const ActionClass *k = &actions[a->kind];
    g_autofree char *t = format_time (a);
    g_autofree char *num = NULL;
    GString *s = g_string_new (NULL);

    g_string_append_printf (s, "%s %s", t, k->name);
    switch (k->args) {
    case ARGS_NONE:
        break;
    case ARGS_COUNT:
        g_string_append_printf (s, " %" G_GINT64_FORMAT, a->count);
        break;
    case ARGS_VERSION:
        g_string_append_printf (s, " %s", a->name);
        break;
    case ARGS_RATE:
        num = sim_key_number_text (a->number);
        g_string_append_printf (s, " %s", num);
        break;
    case ARGS_VERSION_PROB:
        num = sim_key_number_text (a->number);
        g_string_append_printf (s, " %s %s", a->name, num);
        break;
    case ARGS_VERSION_COUNT:
        g_string_append_printf (s, " %s %" G_GINT64_FORMAT, a->name, a->count);
        break;
    case ARGS_NODE:
        g_string_append_printf (s, " %s", a->name);
        break;
    }
    if (a->if_unfinished)
        g_string_append (s, " if-unfinished");
    return g_string_free (s, FALSE);
}

static gboolean
read_time (const char *w, SimAction *a, char **why)
{
    const char *d = w;

    if (g_str_has_prefix (w, "rollout+")) {
        a->after_rollout = TRUE;
        d = w + strlen ("rollout+");
    }
    if (!sim_units_parse_duration (d, &a->at, NULL) || a->at < 0) {
        *why = g_strdup_printf ("\"%s\" is not a time (accepted: a duration "
                                "such as 90s or 2m, or rollout+DURATION)",
                                w);
        return FALSE;
    }
    return TRUE;
}

static gboolean
read_count (const ActionClass *k, const char *w, SimAction *a, char **why)
{
    if (!sim_key_to_int64 (w, &a->count) || a->count < k->min
        || a->count > k->max) {
        *why = g_strdup_printf ("%s: \"%s\" is not a count (accepted: an "
                                "integer %" G_GINT64_FORMAT
                                "..%" G_GINT64_FORMAT ")",
                                k->name, w, k->min, k->max);
        return FALSE;
    }
    return TRUE;
}

static gboolean
read_name (const ActionClass *k, const char *w, SimAction *a, char **why)
{
    if (!sim_key_valid_name (w) || strlen (w) >= sizeof a->name) {
        *why = g_strdup_printf ("%s: \"%s\" is not a version name", k->name, w);
        return FALSE;
    }
    g_strlcpy (a->name, w, sizeof a->name);
    return TRUE;
}

static gboolean
read_number (const ActionClass *k, const char *w, double lo, double hi,
             SimAction *a, char **why)
{
    if (!sim_key_to_double (w, &a->number) || a->number < lo
        || a->number > hi) {
        g_autofree char *l = sim_key_number_text (lo);
        g_autofree char *h = sim_key_number_text (hi);

        *why = g_strdup_printf ("%s: \"%s\" is out of range (accepted: a "
                                "number %s..%s)",
                                k->name, w, l, h);
        return FALSE;
    }
    return TRUE;
}

static const char *const arg_words[] = {
    [ARGS_NONE] = "",
    [ARGS_COUNT] = " N",
    [ARGS_VERSION] = " VERSION",
    [ARGS_RATE] = " R",
    [ARGS_VERSION_PROB] = " VERSION P",
    [ARGS_VERSION_COUNT] = " VERSION N",
    [ARGS_NODE] = " NODE",
};

static const guint arg_count[] = {
    [ARGS_NONE] = 0, [ARGS_COUNT] = 1,        [ARGS_VERSION] = 1,
    [ARGS_RATE] = 1, [ARGS_VERSION_PROB] = 2, [ARGS_VERSION_COUNT] = 2,
    [ARGS_NODE] = 1,
};

/* "TIME ACTION [ARGS] [if-unfinished]". */
static gboolean
parse_action (const char *item, gpointer out, GString *canon, char **why)
{
    SimAction *a = out;
    g_auto (GStrv) w = g_strsplit_set (item, " \t", -1);
    g_autoptr (GPtrArray) words = g_ptr_array_new ();
    g_autofree char *text = NULL;
    const ActionClass *k = NULL;
    guint n;

    for (guint i = 0; w[i] != NULL; i++)
        if (w[i][0] != '\0')
            g_ptr_array_add (words, w[i]);
    n = words->len;
    if (n >= 1 && strcmp (words->pdata[n - 1], "if-unfinished") == 0) {
        a->if_unfinished = TRUE;
        n--;
    }
    if (n < 2) {
        *why = g_strdup ("expected TIME ACTION [ARGS]");
        return FALSE;
    }
    if (!read_time (words->pdata[0], a, why))
        return FALSE;
    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
        if (strcmp (words->pdata[1], actions[i].name) == 0) {
            k = &actions[i];
            a->kind = (gint) i;
        }
    if (k == NULL) {
        const char *names[G_N_ELEMENTS (actions) + 1];
        const char *best;

        for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
            names[i] = actions[i].name;
        names[G_N_ELEMENTS (actions)] = NULL;
        best = sim_key_closest (words->pdata[1], names);
        *why = g_strdup_printf ("unknown action \"%s\"%s%s%s",
                                (char *) words->pdata[1],
                                best ? " (did you mean " : "", best ? best : "",
                                best ? "?)" : "");
        return FALSE;
    }
    if (n - 2 != arg_count[k->args]) {
        *why = arg_count[k->args] == 0
                   ? g_strdup_printf ("%s takes no arguments", k->name)
                   : g_strdup_printf ("expected %s%s", k->name,
                                      arg_words[k->args]);
        return FALSE;
    }
    switch (k->args) {
    case ARGS_NONE:
        break;
    case ARGS_COUNT:
        if (!read_count (k, words->pdata[2], a, why))
            return FALSE;
        break;
    case ARGS_VERSION:
        if (!read_name (k, words->pdata[2], a, why))
            return FALSE;
        break;
    case ARGS_RATE:
        if (!read_number (k, words->pdata[2], 0, 1e6, a, why))
            return FALSE;
        break;
    case ARGS_VERSION_PROB:
        if (!read_name (k, words->pdata[2], a, why)
            || !read_number (k, words->pdata[3], 0, 1, a, why))
            return FALSE;
        break;
    case ARGS_VERSION_COUNT:
        if (!read_name (k, words->pdata[2], a, why)
            || !read_count (k, words->pdata[3], a, why))
            return FALSE;
        break;
    case ARGS_NODE:
        if (strlen (words->pdata[2]) >= sizeof a->name
            || node_index (words->pdata[2]) < -1) {
            *why = g_strdup_printf ("%s: \"%s\" is not a node (accepted: "
                                    "node-1, node-2, ..., or busiest)",
                                    k->name, (char *) words->pdata[2]);
            return FALSE;
        }
        g_strlcpy (a->name, words->pdata[2], sizeof a->name);
        break;
    }
    text = sim_action_text (a);
    g_string_append (canon, text);
    return TRUE;
}

static const SimKeyItem action_item = {
    .what = "action",
    .size = sizeof (SimAction),
    .parse = parse_action,
};

SimTime
sim_action_time (const SimAction *a, const SimScenario *s)
{
    return a->after_rollout ? s->rollout_at + a->at : a->at;
}

/* --- The check ---------------------------------------------------------------- */

typedef struct {
    const SimAction *a;
    gint pos; /* 1-based, as written */
    SimTime t;
} Ordered;

static gint
by_time (gconstpointer pa, gconstpointer pb)
{
    const Ordered *a = pa, *b = pb;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->pos - b->pos;
}

static gboolean action_error (const SimPlaces *pl, GError **error,
                              const Ordered *o, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);

static gboolean
action_error (const SimPlaces *pl, GError **error, const Ordered *o,
              const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;
    g_autofree char *text = sim_action_text (o->a);

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    return sim_places_key_error (pl, error, SIM_SCENARIO_ERROR_CONFLICT,
                                 "timeline", "actions", NULL,
                                 "action %d \"%s\": %s", o->pos, text, msg);
}

/* Replay the spec writes the actions certainly make, in time order, and
 * refuse what upstream would refuse on the way. */
static gboolean
timeline_check (const SimPlaces *pl, gconstpointer settings,
                const SimScenario *s, GError **error)
{
    const SimTimelineSettings *ts = settings;
    const SimAction *list = sim_timeline_actions (ts);
    const SimStrategyClass *klass = s->strategy_class;
    g_autofree Ordered *ord = g_new (Ordered, MAX (ts->actions.n, 1));
    g_autoptr (GArray)
        templates = g_array_new (FALSE, FALSE, sizeof (SimTemplate));
    SimTemplate cur = { s->version_index, 0 };
    gboolean rolled = FALSE;
    State st = {
        .name = s->deployment_name,
        .rollout = klass != NULL && klass->rollout,
        .paused = s->paused,
        .paused_known = TRUE,
        .revisions = 1,
        .revisions_known = TRUE,
        .nodes = s->nodes,
    };

    g_array_append_val (templates, cur);
    for (gint i = 0; i < ts->actions.n; i++) {
        ord[i].a = &list[i];
        ord[i].pos = i + 1;
        ord[i].t = sim_action_time (&list[i], s);
        if (list[i].after_rollout && !s->has_rollout)
            return action_error (pl, error, &ord[i],
                                 "rollout+ needs a [rollout] group");
        if (ord[i].t >= s->duration) {
            g_autofree char *t = sim_units_format_duration (ord[i].t);
            g_autofree char *d = sim_units_format_duration (s->duration);

            return action_error (pl, error, &ord[i],
                                 "at %s, not before the end of the run "
                                 "(scenario.duration %s)",
                                 t, d);
        }
        if ((actions[list[i].kind].args == ARGS_VERSION
             || actions[list[i].kind].args == ARGS_VERSION_PROB
             || actions[list[i].kind].args == ARGS_VERSION_COUNT)
            && sim_scenario_find_version (s, list[i].name) < 0)
            return action_error (pl, error, &ord[i],
                                 "unknown version \"%s\" (accepted: the NAME "
                                 "of a [version.NAME] group)",
                                 list[i].name);
    }
    qsort (ord, ts->actions.n, sizeof *ord, by_time);
    for (gint i = 0; i < ts->actions.n; i++) {
        const SimAction *a = ord[i].a;
        const ActionClass *k = &actions[a->kind];
        g_autofree char *why = NULL;

        /* The [rollout] happens before any action of its instant. */
        if (!rolled && s->has_rollout && ord[i].t >= s->rollout_at) {
            SimTemplate t = { s->rollout_to_index, cur.restart };

            rolled = TRUE;
            cur = t;
            g_array_append_val (templates, cur);
            st.revisions = (gint) templates->len;
        }
        if (k->refuse != NULL) {
            /* A guarded action may not run, or run later than the actions
             * before it: the spec it would meet is known only then (which
             * nodes exist, and what the object is, are known already). */
            State seen = st;

            if (a->if_unfinished)
                seen.paused_known = seen.revisions_known = FALSE;
            why = k->refuse (a, &seen);
        }
        if (why != NULL)
            return action_error (pl, error, &ord[i], "%s", why);
        /* What this action leaves: known unless it may not run. */
        switch (a->kind) {
        case ACT_PAUSE:
        case ACT_RESUME:
            st.paused = a->kind == ACT_PAUSE;
            st.paused_known = st.paused_known && !a->if_unfinished;
            break;
        case ACT_SET_IMAGE:
        case ACT_UNDO:
        case ACT_RESTART:
            if (a->if_unfinished || a->kind == ACT_UNDO) {
                /* An undo adds no revision; guarded changes may not
                 * happen: the count only grows, so stay conservative. */
                st.revisions_known = st.revisions_known && !a->if_unfinished;
                break;
            }
            if (a->kind == ACT_SET_IMAGE)
                cur.version = sim_scenario_find_version (s, a->name);
            else if (!st.rollout)
                cur.restart++;
            {
                gboolean seen = FALSE;

                for (guint j = 0; j < templates->len; j++)
                    seen |= sim_template_equal (
                        g_array_index (templates, SimTemplate, j), cur);
                if (!seen)
                    g_array_append_val (templates, cur);
                st.revisions = (gint) templates->len;
            }
            break;
        case ACT_NODE_ADD:
            st.nodes += (gint) a->count;
            break;
        default:
            break;
        }
    }
    return TRUE;
}

static const SimKeyRow timeline_rows[] = {
    SIM_KEY ("actions", "", "", ACCEPT_ACTIONS,
             "What people and the cluster do during the run, in time order "
             "(see below); `--at` appends to it.",
             SIM_KEY_T_LIST (SimTimelineSettings, actions, "actions",
                             &action_item)),
    SIM_KEY_END,
};

const SimKeyGroup sim_timeline_settings_group = {
    .name = "timeline",
    .doc = "Actions at given times: what a person does to the Deployment "
           "or Rollout (kubectl, kubectl argo rollouts), and changes of "
           "load.  See docs/timeline.md.",
    .notes =
        "Actions are separated by `;`; each is `TIME ACTION [ARGS] "
        "[if-unfinished]`.  TIME is simulated time like `rollout.at`, or "
        "`rollout+D`, D after the rollout begins; `if-unfinished` runs the "
        "action only if the rollout under way has not completed by then.\n"
        "\n"
        "| action | what it does |\n"
        "| --- | --- |\n"
        "| `pause`, `resume` | spec.paused (kubectl rollout pause / resume; "
        "on a Rollout, `resume` clears spec.paused) |\n"
        "| `scale N` | spec.replicas = N (kubectl scale) |\n"
        "| `set-image VERSION` | a new template: a rollout to VERSION, a "
        "rollover when one is under way |\n"
        "| `undo` | back to the previous revision (kubectl rollout undo) |\n"
        "| `restart` | kubectl rollout restart (a new ReplicaSet); on a "
        "Rollout, Argo's restart (evictions) |\n"
        "| `promote`, `promote-full`, `abort`, `retry` | kubectl argo "
        "rollouts (canary and blue-green) |\n"
        "| `rate R` | the traffic rate from then on (a profile no longer "
        "applies) |\n"
        "| `error-rate VERSION P` | the version's error rate from then on |\n"
        "| `delete-pods VERSION N` | N of its pods deleted, chosen at "
        "random |\n"
        "\n"
        "Example: `actions = 2m pause; 4m resume; 5m scale 20; "
        "rollout+5m undo if-unfinished`\n",
    .rows = timeline_rows,
    .size = sizeof (SimTimelineSettings),
    .check = timeline_check,
};

/* --- The run ------------------------------------------------------------------ */

/* The state refusals read, as the world holds it. */
static void
world_state (SimWorld *w, State *st)
{
    st->name = w->app.spec.name;
    st->rollout = w->strategy->rollout;
    st->paused = w->app.spec.paused;
    st->paused_known = TRUE;
    st->revisions = (gint) w->replica_sets->len;
    st->revisions_known = TRUE;
    st->nodes = w->n_nodes;
}

/* Who an action is about, for the `object` and `version` columns. */
static void
target (SimWorld *w, const SimAction *a, const char **obj, gint *v)
{
    switch (actions[a->kind].args) {
    case ARGS_VERSION_PROB:
    case ARGS_VERSION_COUNT:
        *obj = a->name;
        *v = version_of (w, a);
        return;
    case ARGS_RATE:
        *obj = "traffic";
        *v = -1;
        return;
    case ARGS_NODE:
        *obj = a->name;
        *v = -1;
        return;
    default:
        *obj = "deployment";
        *v = a->kind == ACT_SET_IMAGE ? version_of (w, a)
                                      : w->app.spec.template.version;
        return;
    }
}

static void
on_action (SimEngine *engine, gpointer obj, gint64 i)
{
    SimWorld *w = obj;
    const SimAction *a = &sim_timeline_actions (
        sim_timeline_settings (w->sc))[i];
    const ActionClass *k = &actions[a->kind];
    g_autofree char *text = sim_action_text (a);
    g_autofree char *why = NULL;
    const char *who;
    gint v;
    State st;

    target (w, a, &who, &v);
    if (a->if_unfinished && w->rollout.started
        && w->rollout.outcome == SIM_OUTCOME_COMPLETED) {
        g_autofree char *skip = g_strdup_printf (
            "%s (skipped: the rollout completed at %.3fs)", text,
            SIM_TIME_TO_SEC (w->rollout.end));

        sim_world_log (w, SIM_EVENT_ACTION, who, v, FALSE, 0, skip);
        return;
    }
    sim_world_log (w, SIM_EVENT_ACTION, who, v,
                   k->args == ARGS_COUNT || k->args == ARGS_VERSION_COUNT,
                   a->count, text);
    world_state (w, &st);
    if (k->refuse != NULL)
        why = k->refuse (a, &st);
    if (why != NULL) {
        sim_world_log (w, SIM_EVENT_ACTION_REFUSED, who, v, FALSE, 0, why);
        return;
    }
    k->apply (w, a);
}

void
sim_timeline_schedule (SimWorld *w)
{
    const SimTimelineSettings *ts = sim_scenario_group_if (
        w->sc, &sim_timeline_settings_group);
    const SimAction *list;

    if (ts == NULL)
        return; /* a program without [timeline] */
    list = sim_timeline_actions (ts);

    /* Events of one instant and class run in the order they were
     * scheduled: the actions of one instant in list order. */
    for (gint i = 0; i < ts->actions.n; i++)
        sim_engine_schedule (w->engine, sim_action_time (&list[i], w->sc),
                             SIM_CLASS_CONTROLLER, on_action, w, i);
}
