/* event-log.c - rows of events.csv, kept in order of time, and their
 * narration for --trace.  See event-log.h. */
#include <stdarg.h>
#include <string.h>
#include "event-log.h"

struct SimEventLog {
    GArray *rows;             /* SimEventRow */
    FILE   *trace;
};

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

SimEventLog *
sim_event_log_new (void)
{
    SimEventLog *log = g_new0 (SimEventLog, 1);

    log->rows = g_array_sized_new (FALSE, TRUE, sizeof (SimEventRow), 256);
    g_array_set_clear_func (log->rows, row_clear);
    return log;
}

void
sim_event_log_free (SimEventLog *log)
{
    if (log == NULL)
        return;
    g_array_unref (log->rows);
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
    const char *obj = row->object;
    const char *d = row->detail != NULL ? row->detail : "";

    fprintf (out, "t=%.3fs ", SIM_TIME_TO_SEC (row->time));
    switch (row->kind) {
    case SIM_EVENT_REPLICASET_CREATED:
        fprintf (out, "ReplicaSet %s created for %s with %" G_GINT64_FORMAT
                 " replicas\n", obj, row->version, row->value);
        break;
    case SIM_EVENT_REPLICASET_SCALED:
        fprintf (out, "ReplicaSet %s scaled %" G_GINT64_FORMAT " -> %"
                 G_GINT64_FORMAT "\n", obj, previous, row->value);
        break;
    case SIM_EVENT_SERVICE_SWITCHED:
        fprintf (out, "Service %s now points at %s\n", d, row->version);
        break;
    case SIM_EVENT_WEIGHT_SET:
        fprintf (out, "canary weight set to %" G_GINT64_FORMAT "%%%s%s\n",
                 row->value, *d ? " " : "", d);
        break;
    default:
        fprintf (out, "%s %s%s%s%s%s\n", sim_event_kind_name (row->kind),
                 obj, row->version ? " (" : "",
                 row->version ? row->version : "", row->version ? ")" : "",
                 "");
        if (*d)
            fprintf (out, "          %s\n", d);
        break;
    }
}

void
sim_event_log_add (SimEventLog *log, SimTime time, SimEventKind kind,
                   const char *object, const char *version,
                   gboolean has_value, gint64 value, const char *detail)
{
    SimEventRow row = {
        .time = time,
        .kind = kind,
        .object = g_strdup (object),
        .version = g_strdup (version),
        .value = value,
        .has_value = has_value,
        .detail = g_strdup (detail),
    };

    g_array_append_val (log->rows, row);
    if (log->trace != NULL) {
        gint64 previous = 0;

        /* "scaled A -> B" needs the previous size: the detail carries it. */
        if (kind == SIM_EVENT_REPLICASET_SCALED && detail != NULL)
            previous = g_ascii_strtoll (detail + strcspn (detail,
                                                          "0123456789"),
                                        NULL, 10);
        narrate_row (log->trace, &row, previous);
    }
}

void
sim_event_log_narrate (SimEventLog *log, SimTime time, const char *fmt, ...)
{
    va_list ap;

    if (log->trace == NULL)
        return;
    fprintf (log->trace, "t=%.3fs ", SIM_TIME_TO_SEC (time));
    va_start (ap, fmt);
    vfprintf (log->trace, fmt, ap);
    va_end (ap);
    fputc ('\n', log->trace);
}

guint
sim_event_log_len (const SimEventLog *log)
{
    return log->rows->len;
}

const SimEventRow *
sim_event_log_row (const SimEventLog *log, guint i)
{
    g_return_val_if_fail (i < log->rows->len, NULL);
    return &g_array_index (log->rows, SimEventRow, i);
}
