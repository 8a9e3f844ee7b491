/* memory.h - the memory budget of one run, [scenario] max_memory.
 *
 * A run holds four things that grow with the scenario: its event log
 * (events.csv), its time series (timeseries.csv, versions.csv), its pods,
 * and the requests in flight (with the engine events that wait on them).
 * The budget is a number in the scenario, 4Gi unless written, never read
 * from the machine, so the same scenario is accepted or refused
 * everywhere.  It is enforced twice:
 *
 * - before the run: the loader estimates what the scenario will hold
 *   (sim_memory_check), and refuses one whose estimate is over the
 *   budget, naming the key that sets the largest part (exit 2);
 * - during the run: the world measures what it holds whenever one of the
 *   four grows (sim_world_memory), and a run that outgrows the budget
 *   stops with a message that says what grew and which key bounds it
 *   (exit 1), never killed by the kernel or by a GLib abort.
 *
 * Sizes are counted from the structures, not asked of the allocator: the
 * same run always stops at the same point.  The budget is per run;
 * compare and sweep hold --jobs runs at once.
 */
#ifndef SIM_MEMORY_H
#define SIM_MEMORY_H

#include <glib.h>
#include "scenario.h"
#include "scenario-place.h"

typedef enum {
    SIM_MEMORY_EVENTS,   /* the event log */
    SIM_MEMORY_SERIES,   /* timeseries and versions rows */
    SIM_MEMORY_PODS,     /* pods and their serving slots */
    SIM_MEMORY_REQUESTS, /* requests in flight and their events */
    SIM_MEMORY_N_PARTS,
} SimMemoryPart;

typedef struct SimMemoryUse {
    gint64 bytes[SIM_MEMORY_N_PARTS];
    gint64 count[SIM_MEMORY_N_PARTS]; /* rows, pods, requests */
} SimMemoryUse;

/* The budget's default, as the key's default text. */
#define SIM_MEMORY_DEFAULT "4Gi"

gint64 sim_memory_total (const SimMemoryUse *use);
/* The largest part. */
SimMemoryPart sim_memory_largest (const SimMemoryUse *use);
/* "1.5 GiB", "200 MiB".  Newly allocated. */
char *sim_memory_text (gint64 bytes);

/* What a run of @sc will hold at least, or expects to: series rows
 * exactly, the initial pods and those of the rollout, and the requests
 * that pile up when the arrival rate exceeds what the pods can serve and
 * the queue does not bound them. */
void sim_memory_estimate (const SimScenario *sc, SimMemoryUse *use);
/* Refuse @sc if its estimate is over scenario.max_memory: the error
 * names the key behind the largest part, at its place (@places).
 * SIM_SCENARIO_ERROR_CONFLICT. */
gboolean sim_memory_check (const SimPlaces *places, const SimScenario *sc,
                           GError **error);

/* Error domain of a run stopped by its budget (world.h). */
#define SIM_MEMORY_ERROR (sim_memory_error_quark ())
GQuark sim_memory_error_quark (void);
typedef enum {
    SIM_MEMORY_ERROR_BUDGET, /* the run outgrew scenario.max_memory */
} SimMemoryError;

#endif /* SIM_MEMORY_H */
