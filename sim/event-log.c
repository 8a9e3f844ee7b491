/* event-log.c - rows of events.csv, kept in order of time, and their
 * narration for --trace.  See event-log.h. */
#include <stdarg.h>
#include <string.h>
#include "event-log.h"

/* A free-form narration line, kept for trace.txt: it follows the first
 * @after rows. */
typedef struct {
    guint after;
    SimTime time;
    char *text;
} Narration;

struct SimEventLog {
    GArray *rows;       /* SimEventRow; empty when streaming */
    GArray *narrations; /* Narration; empty when streaming */
    FILE *trace;
    gsize text_bytes; /* the rows' strings, as allocated */

    /* Per kind: rows added, and the first and last of them (copies, so
     * that they outlive a streamed row). */
    guint count[SIM_EVENT_N_KINDS];
    SimEventRow first[SIM_EVENT_N_KINDS], last[SIM_EVENT_N_KINDS];
    guint last_at[SIM_EVENT_N_KINDS]; /* 1 + the last's position; 0: none */
    guint n_rows;

    /* Streaming (sim_event_log_stream). */
    SimEventSink sink;
    gpointer sink_data;
    FILE *trace_file;
};

/* A string's heap cost: rounded up to 16 bytes, plus 16 of the
 * allocator's bookkeeping. */
static gsize
text_cost (const char *s)
{
    return s != NULL ? ((strlen (s) + 1 + 15) & ~(gsize) 15) + 16 : 0;
}

static const char *const kind_names[] = {
#define SIM_EVENT_NAME(id, name) name,
    SIM_EVENT_KINDS (SIM_EVENT_NAME)
#undef SIM_EVENT_NAME
};

const char *
sim_event_kind_name (SimEventKind kind)
{
    g_return_val_if_fail (kind < SIM_EVENT_N_KINDS, "?");
    return kind_names[kind];
}

static void
row_clear (gpointer p)
{
    SimEventRow *row = p;

    g_free (row->object);
    g_free (row->version);
    g_free (row->detail);
}

static void
narration_clear (gpointer p)
{
    g_free (((Narration *) p)->text);
}

SimEventLog *
sim_event_log_new (void)
{
    SimEventLog *log = g_new0 (SimEventLog, 1);

    log->rows = g_array_sized_new (FALSE, TRUE, sizeof (SimEventRow), 256);
    g_array_set_clear_func (log->rows, row_clear);
    log->narrations = g_array_new (FALSE, FALSE, sizeof (Narration));
    g_array_set_clear_func (log->narrations, narration_clear);
    return log;
}

void
sim_event_log_free (SimEventLog *log)
{
    if (log == NULL)
        return;
    for (gint k = 0; k < SIM_EVENT_N_KINDS; k++) {
        row_clear (&log->first[k]);
        row_clear (&log->last[k]);
    }
    g_array_unref (log->rows);
    g_array_unref (log->narrations);
    g_free (log);
}

void
sim_event_log_set_trace (SimEventLog *log, FILE *stream)
{
    log->trace = stream;
}

/* The narration a student reads: one sentence per row, in the words of
 * the timeline ("ReplicaSet hello2 scaled 1 -> 2"). */
static void
narrate_row (FILE *out, const SimEventRow *row, gint64 previous)
{
    const char *o = row->object;
    const char *v = row->version != NULL ? row->version : "";
    const char *d = row->detail != NULL ? row->detail : "";
    gboolean has_d = *d != '\0';

    /* A strategy narrates its steps itself, with their count. */
    if (row->kind == SIM_EVENT_STEP)
        return;
    fprintf (out, "t=%.3fs ", SIM_TIME_TO_SEC (row->time));
    switch (row->kind) {
    case SIM_EVENT_POD_CREATED:
        fprintf (out, "pod %s created (%s)", o, v);
        break;
    case SIM_EVENT_POD_UNSCHEDULABLE:
        fprintf (out, "pod %s cannot be scheduled: %s; it stays Pending", o, d);
        has_d = FALSE;
        break;
    case SIM_EVENT_POD_SCHEDULED:
        fprintf (out, "pod %s scheduled on %s", o, d);
        has_d = FALSE;
        break;
    case SIM_EVENT_POD_STARTED:
        fprintf (out, "pod %s: container started", o);
        break;
    case SIM_EVENT_POD_CRASHED:
        fprintf (out, "pod %s crashed", o);
        break;
    case SIM_EVENT_POD_READY:
        fprintf (out, "pod %s is ready", o);
        break;
    case SIM_EVENT_POD_AVAILABLE:
        fprintf (out, "pod %s is available", o);
        break;
    case SIM_EVENT_POD_TERMINATING:
        fprintf (out, "pod %s is terminating", o);
        break;
    case SIM_EVENT_POD_DELETED:
        fprintf (out, "pod %s is gone", o);
        break;
    /* With a preview Service, the detail says which Services select
     * the pod's version (service.c). */
    case SIM_EVENT_ENDPOINT_ADDED:
        if (strcmp (d, "none") == 0)
            fprintf (out,
                     "load balancers know %s is ready; no Service "
                     "selects %s yet",
                     o, v);
        else if (has_d)
            fprintf (out, "%s load balancers now send requests to %s",
                     strcmp (d, "active,preview") == 0 ? "active and preview"
                                                       : d,
                     o);
        else
            fprintf (out, "load balancers now send requests to %s", o);
        has_d = FALSE;
        break;
    case SIM_EVENT_ENDPOINT_REMOVED:
        if (has_d && strcmp (d, "none") != 0)
            fprintf (out, "%s load balancers stop sending requests to %s",
                     strcmp (d, "active,preview") == 0 ? "active and preview"
                                                       : d,
                     o);
        else
            fprintf (out, "load balancers stop sending requests to %s", o);
        has_d = FALSE;
        break;
    case SIM_EVENT_BALANCERS_UPDATED:
        fprintf (out, "load balancers of Service %s now %s %s", o,
                 strchr (d, '%') != NULL ? "split requests:"
                                         : "send requests to",
                 d);
        has_d = FALSE;
        break;
    case SIM_EVENT_REPLICASET_CREATED:
        fprintf (out,
                 "ReplicaSet %s created with %" G_GINT64_FORMAT " replicas", o,
                 row->value);
        break;
    case SIM_EVENT_REPLICASET_SCALED:
        fprintf (out,
                 "ReplicaSet %s scaled %" G_GINT64_FORMAT
                 " -> %" G_GINT64_FORMAT,
                 o, previous, row->value);
        has_d = FALSE;
        break;
    case SIM_EVENT_SERVICE_SWITCHED:
        fprintf (out,
                 "Service %s now selects %s (load balancers follow "
                 "after endpoint_delay)",
                 o, v);
        has_d = FALSE;
        break;
    case SIM_EVENT_WEIGHT_SET:
        fprintf (out, "canary weight set to %" G_GINT64_FORMAT "%%",
                 row->value);
        break;
    case SIM_EVENT_ANALYSIS:
        /* "analysis 1 failed: error_rate 0.21 >= 0.01 (608 requests)" */
        fprintf (out, "%s %" G_GINT64_FORMAT " %s", o, row->value, d);
        has_d = FALSE;
        break;
    case SIM_EVENT_ROLLOUT_STARTED:
        fprintf (out, "rollout to %s started", v);
        break;
    case SIM_EVENT_ROLLOUT_COMPLETED:
        fprintf (out, "rollout to %s completed", v);
        break;
    case SIM_EVENT_ABORTED:
        fprintf (out, "rollout aborted");
        break;
    case SIM_EVENT_PROMOTED:
        fprintf (out, "promoted");
        break;
    case SIM_EVENT_TICK:
        /* "Flagger tick: Progressing failed=1, canary 20%" */
        fprintf (out, "%s tick: %s, canary %" G_GINT64_FORMAT "%%", o, d,
                 row->value);
        has_d = FALSE;
        break;
    case SIM_EVENT_PAUSED:
        fprintf (out, "paused");
        break;
    case SIM_EVENT_PROGRESS_DEADLINE:
        fprintf (out, "no progress within the deadline");
        break;
    case SIM_EVENT_ACTION:
        fprintf (out, "[timeline] %s", d);
        has_d = FALSE;
        break;
    case SIM_EVENT_ACTION_REFUSED:
        fprintf (out, "refused: error: %s", d);
        has_d = FALSE;
        break;
    case SIM_EVENT_REPLICAS_CHANGED:
        fprintf (out, "spec.replicas set to %" G_GINT64_FORMAT, row->value);
        if (has_d)
            fprintf (out, " (%s)", d);
        has_d = FALSE;
        break;
    case SIM_EVENT_RESUMED:
        fprintf (out, "resumed");
        break;
    case SIM_EVENT_ROLLOVER:
        fprintf (out,
                 "a new template while the rollout was under way: %s is "
                 "superseded (rollover)",
                 d);
        has_d = FALSE;
        break;
    case SIM_EVENT_POD_PULL_FAILED:
        fprintf (out, "pod %s: %s", o, d);
        has_d = FALSE;
        break;
    case SIM_EVENT_POD_EVICTED:
        fprintf (out, "pod %s evicted", o);
        break;
    case SIM_EVENT_EVICTION_REFUSED:
        fprintf (out, "eviction of %s refused (429)", o);
        break;
    case SIM_EVENT_NODE_NOT_READY:
        fprintf (out, "node %s is NotReady", o);
        break;
    case SIM_EVENT_NODE_READY:
        fprintf (out, "node %s is Ready", o);
        break;
    case SIM_EVENT_NODE_TAINTED:
        fprintf (out, "node %s tainted", o);
        break;
    case SIM_EVENT_NODE_CORDONED:
        fprintf (out, "node %s cordoned", o);
        has_d = FALSE;
        break;
    case SIM_EVENT_NODE_UNCORDONED:
        fprintf (out, "node %s uncordoned", o);
        has_d = FALSE;
        break;
    case SIM_EVENT_NODE_ADDED:
        fprintf (out, "node %s added", o);
        break;
    case SIM_EVENT_HPA_SCALED:
        /* The detail has the metric, the arithmetic and the rule. */
        fprintf (out, "HPA sets spec.replicas to %" G_GINT64_FORMAT,
                 row->value);
        break;
    default:
        fprintf (out, "%s %s", sim_event_kind_name (row->kind), o);
        break;
    }
    if (has_d)
        fprintf (out, ": %s", d);
    fputc ('\n', out);
}

/* "scaled A -> B" needs the previous size: the detail carries it. */
static gint64
previous_size (const SimEventRow *row)
{
    if (row->kind == SIM_EVENT_REPLICASET_SCALED && row->detail != NULL)
        return g_ascii_strtoll (
            row->detail + strcspn (row->detail, "0123456789"), NULL, 10);
    return 0;
}

static void
row_copy (SimEventRow *dst, const SimEventRow *src)
{
    row_clear (dst);
    *dst = *src;
    dst->object = g_strdup (src->object);
    dst->version = g_strdup (src->version);
    dst->detail = g_strdup (src->detail);
}

void
sim_event_log_add (SimEventLog *log, SimTime time, SimEventKind kind,
                   const char *object, const char *version, gboolean has_value,
                   gint64 value, const char *detail)
{
    SimEventRow row = {
        .time = time,
        .kind = kind,
        .object = (char *) object,
        .version = (char *) version,
        .value = value,
        .has_value = has_value,
        .detail = (char *) detail,
    };

    if (log->count[kind]++ == 0)
        row_copy (&log->first[kind], &row);
    row_copy (&log->last[kind], &row);
    log->last_at[kind] = ++log->n_rows;
    if (log->trace != NULL)
        narrate_row (log->trace, &row, previous_size (&row));
    if (log->sink != NULL) {
        log->sink (log->sink_data, &row);
        narrate_row (log->trace_file, &row, previous_size (&row));
        return;
    }
    row.object = g_strdup (object);
    row.version = g_strdup (version);
    row.detail = g_strdup (detail);
    g_array_append_val (log->rows, row);
    log->text_bytes += text_cost (row.object) + text_cost (row.version)
                       + text_cost (row.detail);
}

void
sim_event_log_narrate (SimEventLog *log, SimTime time, const char *fmt, ...)
{
    va_list ap;
    Narration n = { log->rows->len, time, NULL };

    va_start (ap, fmt);
    n.text = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    if (log->trace != NULL)
        fprintf (log->trace, "t=%.3fs %s\n", SIM_TIME_TO_SEC (time), n.text);
    if (log->sink != NULL) {
        fprintf (log->trace_file, "t=%.3fs %s\n", SIM_TIME_TO_SEC (time),
                 n.text);
        g_free (n.text);
        return;
    }
    /* Counted only when kept: a streamed line is not held. */
    log->text_bytes += text_cost (n.text) + sizeof n;
    g_array_append_val (log->narrations, n);
}

void
sim_event_log_write_trace (const SimEventLog *log, FILE *out)
{
    guint k = 0;

    for (guint i = 0; i <= log->rows->len; i++) {
        for (; k < log->narrations->len
               && g_array_index (log->narrations, Narration, k).after <= i;
             k++) {
            const Narration *n = &g_array_index (log->narrations, Narration, k);

            fprintf (out, "t=%.3fs %s\n", SIM_TIME_TO_SEC (n->time), n->text);
        }
        if (i < log->rows->len) {
            const SimEventRow *row = &g_array_index (log->rows, SimEventRow, i);

            narrate_row (out, row, previous_size (row));
        }
    }
}

void
sim_event_log_stream (SimEventLog *log, SimEventSink sink, gpointer data,
                      FILE *trace_file)
{
    g_return_if_fail (log->sink == NULL);

    for (guint i = 0; i < log->rows->len; i++)
        sink (data, &g_array_index (log->rows, SimEventRow, i));
    sim_event_log_write_trace (log, trace_file);
    g_array_set_size (log->rows, 0);
    g_array_set_size (log->narrations, 0);
    log->text_bytes = 0;
    log->sink = sink;
    log->sink_data = data;
    log->trace_file = trace_file;
}

guint
sim_event_log_len (const SimEventLog *log)
{
    return log->n_rows;
}

guint
sim_event_log_last_at (const SimEventLog *log, SimEventKind kind)
{
    return log->last_at[kind];
}

guint
sim_event_log_count (const SimEventLog *log, SimEventKind kind)
{
    return log->count[kind];
}

const SimEventRow *
sim_event_log_first (const SimEventLog *log, SimEventKind kind)
{
    return log->count[kind] > 0 ? &log->first[kind] : NULL;
}

const SimEventRow *
sim_event_log_last (const SimEventLog *log, SimEventKind kind)
{
    return log->count[kind] > 0 ? &log->last[kind] : NULL;
}

const SimEventRow *
sim_event_log_row (const SimEventLog *log, guint i)
{
    g_return_val_if_fail (log->sink == NULL, NULL);
    g_return_val_if_fail (i < log->rows->len, NULL);
    return &g_array_index (log->rows, SimEventRow, i);
}

gsize
sim_event_log_bytes (const SimEventLog *log)
{
    gsize rows = 256 * sizeof (SimEventRow);

    /* The array doubles from 256 rows. */
    while (rows < log->rows->len * sizeof (SimEventRow))
        rows *= 2;
    return rows + log->text_bytes;
}
