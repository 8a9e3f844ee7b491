/* event-log.h - the timeline of a run: the rows of events.csv and the
 * narrated --trace.
 *
 * Kinds come from one X-macro list, so the enum and the CSV names cannot
 * drift apart.  Rows are kept in memory (a run has thousands, not
 * millions: pods and controllers, never requests) and written by report.c
 * at the end.  With tracing on, each row is also narrated to a stream as
 * it happens.
 */
#ifndef SIM_EVENT_LOG_H
#define SIM_EVENT_LOG_H

#include <stdio.h>
#include <glib.h>
#include "units.h"

#define SIM_EVENT_KINDS(X) \
    X (POD_CREATED, "pod-created") \
    X (POD_UNSCHEDULABLE, "pod-unschedulable") \
    X (POD_SCHEDULED, "pod-scheduled") \
    X (POD_STARTED, "pod-started") \
    X (POD_CRASHED, "pod-crashed") \
    X (POD_READY, "pod-ready") \
    X (POD_AVAILABLE, "pod-available") \
    X (POD_TERMINATING, "pod-terminating") \
    X (POD_DELETED, "pod-deleted") \
    X (ENDPOINT_ADDED, "endpoint-added") \
    X (ENDPOINT_REMOVED, "endpoint-removed") \
    X (REPLICASET_CREATED, "replicaset-created") \
    X (REPLICASET_SCALED, "replicaset-scaled") \
    X (SERVICE_SWITCHED, "service-switched") \
    X (WEIGHT_SET, "weight-set") \
    X (STEP, "step") \
    X (ANALYSIS, "analysis") \
    X (PAUSED, "paused") \
    X (PROMOTED, "promoted") \
    X (ABORTED, "aborted") \
    X (ROLLOUT_STARTED, "rollout-started") \
    X (ROLLOUT_COMPLETED, "rollout-completed") \
    X (PROGRESS_DEADLINE, "progress-deadline-exceeded") \
    X (CONDITION, "condition") \
    X (ACTION, "action") \
    X (ACTION_REFUSED, "action-refused") \
    X (REPLICAS_CHANGED, "replicas-changed") \
    X (RESUMED, "resumed") \
    X (ROLLOVER, "rollover") \
    X (POD_PULL_FAILED, "pod-pull-failed") \
    X (POD_EVICTED, "pod-evicted") \
    X (EVICTION_REFUSED, "eviction-refused") \
    X (NODE_NOT_READY, "node-not-ready") \
    X (NODE_READY, "node-ready") \
    X (NODE_TAINTED, "node-tainted") \
    X (NODE_CORDONED, "node-cordoned") \
    X (NODE_UNCORDONED, "node-uncordoned") \
    X (NODE_ADDED, "node-added") \
    X (BALANCERS_UPDATED, "balancers-updated") \
    X (HPA_SCALED, "hpa-scaled") \
    X (PROBE_FAILED, "probe-failed") \
    X (CONTAINER_RESTARTED, "container-restarted") \
    X (CONTAINER_HUNG, "container-hung") \
    X (NODE_PROVISIONING, "node-provisioning") \
    X (NODE_REMOVED, "node-removed") \
    X (TICK, "tick")

typedef enum {
#define SIM_EVENT_ENUM(id, name) SIM_EVENT_##id,
    SIM_EVENT_KINDS (SIM_EVENT_ENUM)
#undef SIM_EVENT_ENUM
        SIM_EVENT_N_KINDS
} SimEventKind;

const char *sim_event_kind_name (SimEventKind kind);

typedef struct SimEventRow {
    SimTime time;
    SimEventKind kind;
    char *object;  /* owned */
    char *version; /* owned, may be NULL */
    gint64 value;
    gboolean has_value;
    char *detail; /* owned, may be NULL */
} SimEventRow;

typedef struct SimEventLog SimEventLog;

SimEventLog *sim_event_log_new (void);
void sim_event_log_free (SimEventLog *log); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimEventLog, sim_event_log_free)
/* Narrate each row to @stream as it is added (NULL: off). */
void sim_event_log_set_trace (SimEventLog *log, FILE *stream);

/* Append a row.  @version and @detail may be NULL; @has_value says
 * whether @value is written (an empty CSV field otherwise). */
void sim_event_log_add (SimEventLog *log, SimTime time, SimEventKind kind,
                        const char *object, const char *version,
                        gboolean has_value, gint64 value, const char *detail);
/* A free-form narration line (not a CSV row): printed with --trace,
 * and kept for trace.txt (sim_event_log_write_trace). */
void sim_event_log_narrate (SimEventLog *log, SimTime time, const char *fmt,
                            ...) G_GNUC_PRINTF (3, 4);
/* The whole narration, as --trace printed it: each row's sentence and
 * the free-form lines in the order they came (trace.txt). */
void sim_event_log_write_trace (const SimEventLog *log, FILE *out);

/* Streaming (`rollsim run`): from now on each row goes to @sink as it
 * is added and every narration line to @trace_file (what
 * sim_event_log_write_trace would write), and neither is kept, so the
 * log's memory stays flat however long the run.  The rows and lines
 * kept so far go first, then are freed.  sim_event_log_row() has no row
 * to give any more; _len, _count, _first and _last still answer. */
typedef void (*SimEventSink) (gpointer data, const SimEventRow *row);
void sim_event_log_stream (SimEventLog *log, SimEventSink sink, gpointer data,
                           FILE *trace_file);

/* Rows added so far (kept or streamed). */
guint sim_event_log_len (const SimEventLog *log);
/* Rows of @kind added so far, and the first and the last of them (NULL:
 * none), streaming or not. */
guint sim_event_log_count (const SimEventLog *log, SimEventKind kind);
const SimEventRow *sim_event_log_first (const SimEventLog *log,
                                        SimEventKind kind);
const SimEventRow *sim_event_log_last (const SimEventLog *log,
                                       SimEventKind kind);
/* Where the last row of @kind came among all rows: 1 for the first row
 * added, 0 when there is none; rows of one instant keep their order. */
guint sim_event_log_last_at (const SimEventLog *log, SimEventKind kind);
/* The heap the log holds: its rows and their strings (for the memory
 * budget). */
gsize sim_event_log_bytes (const SimEventLog *log);
/* Row @i (< len) of a log that keeps its rows (not streaming). */
const SimEventRow *sim_event_log_row (const SimEventLog *log, guint i);

#endif /* SIM_EVENT_LOG_H */
