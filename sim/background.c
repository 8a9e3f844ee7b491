/* background.c - the [background] group: its item grammar and key
 * (background.h).  cluster.c places the pods.
 */
#include <string.h>

#include "background.h"
#include "units.h"

#define ACCEPT_WORKLOADS \
    "workloads NAME REPLICAS CPU MEMORY separated by ';'; REPLICAS an " \
    "integer >= 0 or per-node; CPU and MEMORY quantities (100m, 256Mi)"

/* "NAME REPLICAS CPU MEMORY". */
static gboolean
parse_workload (const char *text, gpointer out, GString *canon, char **why)
{
    g_auto (GStrv) w = sim_key_words (text);
    SimBackgroundWorkload *b = out;
    g_autoptr (GError) err = NULL;
    g_autofree char *cpu = NULL;
    g_autofree char *mem = NULL;
    gint64 n;

    if (g_strv_length (w) != 4) {
        *why = g_strdup ("expected NAME REPLICAS CPU MEMORY");
        return FALSE;
    }
    if (strlen (w[0]) > SIM_BACKGROUND_NAME_MAX
        || strspn (w[0], "abcdefghijklmnopqrstuvwxyz"
                         "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
               != strlen (w[0])) {
        *why = g_strdup_printf ("bad name \"%s\" (at most %d letters, "
                                "digits, '.', '_', '-')",
                                w[0], SIM_BACKGROUND_NAME_MAX);
        return FALSE;
    }
    memset (b, 0, sizeof *b);
    strcpy (b->name, w[0]);
    if (strcmp (w[1], "per-node") == 0) {
        b->replicas = SIM_BACKGROUND_PER_NODE;
    } else if (sim_key_to_int64 (w[1], &n) && n >= 0 && n <= 100000) {
        b->replicas = (gint) n;
    } else {
        *why = g_strdup_printf ("%s: the replicas must be an integer "
                                "0..100000 or per-node",
                                w[0]);
        return FALSE;
    }
    if (!sim_units_parse_cpu (w[2], &b->cpu, &err)
        || !sim_units_parse_memory (w[3], &b->memory, &err)) {
        *why = g_strdup_printf ("%s: %s", w[0], err->message);
        return FALSE;
    }
    cpu = sim_units_format_cpu (b->cpu);
    mem = sim_units_format_memory (b->memory);
    g_string_append_printf (canon, "%s %s %s %s", b->name, w[1], cpu, mem);
    return TRUE;
}

static const SimKeyItem workload_item = {
    .what = "workload",
    .size = sizeof (SimBackgroundWorkload),
    .parse = parse_workload,
};

static const SimKeyRow background_rows[] = {
    SIM_KEY ("workloads", "", "", ACCEPT_WORKLOADS,
             "Other workloads whose pods take room on the nodes from t = 0 "
             "(see below).",
             SIM_KEY_T_LIST (SimBackgroundSettings, workloads, "workloads",
                             &workload_item)),
    SIM_KEY_END,
};

const SimKeyGroup sim_background_group = {
    .name = "background",
    .doc = "The cluster's other workloads: not simulated, but their pods "
           "take room on the nodes.",
    .notes = "Each workload is `NAME REPLICAS CPU MEMORY`, the CPU and memory "
             "a pod requests; REPLICAS `per-node` is a DaemonSet, one pod on "
             "every node.  The pods are placed at t = 0, in the order written "
             "and before the application's, each on the node with the most "
             "room left (the scheduler's rule); a pod that fits nowhere is a "
             "`pod-unschedulable` row of events.csv and takes no room.  They "
             "never start, serve or go.  `rollsim import` writes this group "
             "from the other Deployments, StatefulSets and DaemonSets of its "
             "input.  Example: `workloads = redis 1 250m 512Mi; node-agent "
             "per-node 50m 64Mi`\n",
    .rows = background_rows,
    .size = sizeof (SimBackgroundSettings),
};
