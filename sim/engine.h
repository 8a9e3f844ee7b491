/* engine.h - the discrete-event engine: simulated clock, event heap,
 * cancellation by handle.
 *
 * Events live in a slot pool that grows by doubling and never shrinks, so
 * after warm-up scheduling allocates nothing.  Events run in (time,
 * class, seq) order: seq is an insertion counter, so events with equal
 * time and class run first in, first out, and a run is reproducible bit
 * for bit.  They wait in a radix heap (engine.c): scheduling is O(1),
 * running amortized O(1) in practice, cancellation O(1) (lazy).
 *
 * Invariants: the clock never goes backwards (scheduling in the past is a
 * programming error and asserts); an event scheduled for "now" from inside
 * a handler runs after the current one; a handle is never valid twice
 * (slot index + generation).
 */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <glib.h>
#include "units.h"

typedef struct SimEngine SimEngine;

/* An event handler.  @obj and @arg are what was passed to schedule. */
typedef void (*SimEventFunc) (SimEngine *engine, gpointer obj, gint64 arg);

/* 0 is never a valid handle. */
typedef guint64 SimHandle;
#define SIM_HANDLE_NONE ((SimHandle) 0)

/* Lifecycle. */
SimEngine *sim_engine_new (void);
void sim_engine_free (SimEngine *engine); /* NULL ok */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimEngine, sim_engine_free)

/* Queries. */
SimTime sim_engine_now (const SimEngine *engine);
guint sim_engine_pending (const SimEngine *engine);
guint64 sim_engine_executed (const SimEngine *engine); /* events run */
/* Opaque user pointer, for handlers that need their world. */
gpointer sim_engine_get_user_data (const SimEngine *engine);
void sim_engine_set_user_data (SimEngine *engine, gpointer data);

/* Schedule @fn(@obj, @arg) at absolute time @at (>= now) in ordering
 * class @cls (lower runs first at equal times; 0..255). */
SimHandle sim_engine_schedule (SimEngine *engine, SimTime at, guint cls,
                               SimEventFunc fn, gpointer obj, gint64 arg);
/* Same, @delay after now (saturates instead of overflowing). */
SimHandle sim_engine_after (SimEngine *engine, SimTime delay, guint cls,
                            SimEventFunc fn, gpointer obj, gint64 arg);
/* Cancel a pending event.  FALSE if it already ran or was cancelled
 * (then nothing happens).  Safe inside handlers. */
gboolean sim_engine_cancel (SimEngine *engine, SimHandle handle);
/* TRUE while @handle is pending. */
gboolean sim_engine_is_pending (const SimEngine *engine, SimHandle handle);

/* Run every event with time <= @until in order, then set the clock to
 * @until.  Returns early (clock at the last event) if sim_engine_stop()
 * was called.  @until = SIM_TIME_NEVER runs until no event is pending
 * and leaves the clock at the last event.  @until < now is a programming
 * error. */
void sim_engine_run_until (SimEngine *engine, SimTime until);
/* Run the single next event; FALSE if none is pending. */
gboolean sim_engine_step (SimEngine *engine);
/* Events of class @cls carry a pointer as their argument: the engine
 * may fetch what it points to (a hint, never a load) just before it runs
 * them.  Classes 64 and up are ignored. */
void sim_engine_prefetch_arg (SimEngine *engine, guint cls);
/* Make the current (or else the next) sim_engine_run_until() return once
 * the running handler is done; that run consumes the request. */
void sim_engine_stop (SimEngine *engine);
/* The bytes one pending event costs, and those the engine holds now
 * (for the memory budget). */
gsize sim_engine_event_bytes (void);
gsize sim_engine_bytes (const SimEngine *engine);

#endif /* SIM_ENGINE_H */
