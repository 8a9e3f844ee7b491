/* engine.c - the event pool and the heap that orders it.
 *
 * An event's payload (handler, object, argument) lives in a slot of a
 * pool; the heap holds small entries (time, class|seq, slot index), so
 * sifting compares keys that sit next to each other in memory and never
 * chases a pointer.  The pool and the heap grow together by doubling
 * (the number of pending events can never exceed the number of slots),
 * and never shrink: after warm-up, scheduling, running and cancelling
 * allocate nothing.
 *
 * Invariants, for every pending event e in slot i:
 *   heap[slots[i].heap_pos].slot == i   (cancel finds e in O(1), removes
 *                                        it in O(log n));
 *   slots[i].gen is the generation in e's handle.
 * A slot's generation is bumped when its event runs or is cancelled, so
 * a handle is valid exactly while its event is pending.  A slot whose
 * generation reaches G_MAXUINT32 is retired rather than reused, so no
 * generation, and no handle, is ever issued twice.
 *
 * The running event is out of the heap and its slot freed before its
 * handler is called: the handler may reuse the slot, cancelling its own
 * handle returns FALSE, and anything it schedules for "now" sorts after
 * it because it has a larger seq.
 */
#include "engine.h"

/* The class takes the top 8 bits of the order word, seq the low 56. */
#define CLASS_SHIFT 56
#define NO_SLOT G_MAXUINT32
#define RETIRED_GEN G_MAXUINT32
#define INITIAL_CAPACITY 256

typedef struct {
    SimTime time;
    guint64 order; /* class << CLASS_SHIFT | seq */
    guint32 slot;
} HeapEntry;

typedef struct {
    SimEventFunc fn;
    gpointer obj;
    gint64 arg;
    guint32 heap_pos; /* pending: position in heap; free: next free
                         slot or NO_SLOT */
    guint32 gen;
} Slot;

struct SimEngine {
    HeapEntry *heap; /* heap[0, n_pending) */
    Slot *slots;     /* slots[0, n_used) have been handed out once */
    guint32 n_pending;
    guint32 n_used;
    guint32 capacity;  /* of both arrays */
    guint32 free_head; /* LIFO free list through heap_pos */
    SimTime now;
    guint64 seq;
    guint64 executed;
    gboolean stopped;
    gpointer user_data;
};

static inline gboolean
entry_less (const HeapEntry *a, const HeapEntry *b)
{
    return a->time < b->time || (a->time == b->time && a->order < b->order);
}

static inline SimHandle
make_handle (guint32 slot, guint32 gen)
{
    return ((guint64) gen << 32) | ((guint64) slot + 1);
}

/* The slot of a handle that is pending, or NO_SLOT. */
static inline guint32
handle_slot (const SimEngine *engine, SimHandle handle)
{
    guint32 slot = (guint32) (handle & G_MAXUINT32) - 1;

    if (slot >= engine->n_used
        || engine->slots[slot].gen != (guint32) (handle >> 32))
        return NO_SLOT;
    return slot;
}

static void
grow (SimEngine *engine)
{
    guint32 cap = engine->capacity * 2;

    g_assert (cap > engine->capacity && cap < NO_SLOT);
    engine->slots = g_renew (Slot, engine->slots, cap);
    engine->heap = g_renew (HeapEntry, engine->heap, cap);
    engine->capacity = cap;
}

static inline guint32
slot_alloc (SimEngine *engine)
{
    guint32 slot = engine->free_head;

    if (G_LIKELY (slot != NO_SLOT)) {
        engine->free_head = engine->slots[slot].heap_pos;
        return slot;
    }
    if (G_UNLIKELY (engine->n_used == engine->capacity))
        grow (engine);
    slot = engine->n_used++;
    engine->slots[slot].gen = 0;
    return slot;
}

static inline void
slot_free (SimEngine *engine, guint32 slot)
{
    Slot *s = &engine->slots[slot];

    if (G_UNLIKELY (++s->gen == RETIRED_GEN))
        return;
    s->heap_pos = engine->free_head;
    engine->free_head = slot;
}

/* Put @e at the hole @i and move it up to where it belongs. */
static inline void
sift_up (SimEngine *engine, guint32 i, HeapEntry e)
{
    HeapEntry *heap = engine->heap;
    Slot *slots = engine->slots;

    while (i > 0) {
        guint32 parent = (i - 1) / 2;
        if (!entry_less (&e, &heap[parent]))
            break;
        heap[i] = heap[parent];
        slots[heap[i].slot].heap_pos = i;
        i = parent;
    }
    heap[i] = e;
    slots[e.slot].heap_pos = i;
}

/* Remove the entry at @i.  Floyd's bottom-up deletion: the hole goes
 * down to a leaf along the smaller children (one comparison per level),
 * then the last entry, which usually belongs near the bottom, sifts up
 * from there.  The path from the root to the leaf is sorted, so this is
 * right wherever @i is, and it halves the comparisons of a textbook
 * sift-down on the pop path. */
static inline void
heap_remove (SimEngine *engine, guint32 i)
{
    HeapEntry *heap = engine->heap;
    Slot *slots = engine->slots;
    guint32 n = --engine->n_pending;

    if (i == n)
        return;
    for (;;) {
        guint32 child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && entry_less (&heap[child + 1], &heap[child]))
            child++;
        heap[i] = heap[child];
        slots[heap[i].slot].heap_pos = i;
        i = child;
    }
    sift_up (engine, i, heap[n]);
}

SimEngine *
sim_engine_new (void)
{
    SimEngine *engine = g_new0 (SimEngine, 1);

    engine->capacity = INITIAL_CAPACITY;
    engine->slots = g_new (Slot, engine->capacity);
    engine->heap = g_new (HeapEntry, engine->capacity);
    engine->free_head = NO_SLOT;
    return engine;
}

void
sim_engine_free (SimEngine *engine)
{
    if (engine == NULL)
        return;
    g_free (engine->slots);
    g_free (engine->heap);
    g_free (engine);
}

SimTime
sim_engine_now (const SimEngine *engine)
{
    return engine->now;
}

guint
sim_engine_pending (const SimEngine *engine)
{
    return engine->n_pending;
}

guint64
sim_engine_executed (const SimEngine *engine)
{
    return engine->executed;
}

gpointer
sim_engine_get_user_data (const SimEngine *engine)
{
    return engine->user_data;
}

void
sim_engine_set_user_data (SimEngine *engine, gpointer data)
{
    engine->user_data = data;
}

SimHandle
sim_engine_schedule (SimEngine *engine, SimTime at, guint cls, SimEventFunc fn,
                     gpointer obj, gint64 arg)
{
    guint32 slot;
    Slot *s;
    HeapEntry e;

    g_assert (at >= engine->now);
    g_assert (cls <= 255);
    g_assert (fn != NULL);

    slot = slot_alloc (engine);
    s = &engine->slots[slot];
    s->fn = fn;
    s->obj = obj;
    s->arg = arg;
    e.time = at;
    e.order = ((guint64) cls << CLASS_SHIFT) | engine->seq++;
    e.slot = slot;
    sift_up (engine, engine->n_pending++, e);
    return make_handle (slot, s->gen);
}

SimHandle
sim_engine_after (SimEngine *engine, SimTime delay, guint cls, SimEventFunc fn,
                  gpointer obj, gint64 arg)
{
    SimTime at;

    g_assert (delay >= 0);
    at = delay > G_MAXINT64 - engine->now ? G_MAXINT64 : engine->now + delay;
    return sim_engine_schedule (engine, at, cls, fn, obj, arg);
}

gboolean
sim_engine_cancel (SimEngine *engine, SimHandle handle)
{
    guint32 slot;

    g_return_val_if_fail (engine != NULL, FALSE);

    slot = handle_slot (engine, handle);
    if (slot == NO_SLOT)
        return FALSE;
    heap_remove (engine, engine->slots[slot].heap_pos);
    slot_free (engine, slot);
    return TRUE;
}

gboolean
sim_engine_is_pending (const SimEngine *engine, SimHandle handle)
{
    g_return_val_if_fail (engine != NULL, FALSE);

    return handle_slot (engine, handle) != NO_SLOT;
}

/* Pop the first event and run it. */
static inline void
run_first (SimEngine *engine)
{
    const HeapEntry first = engine->heap[0];
    const Slot *s = &engine->slots[first.slot];
    SimEventFunc fn = s->fn;
    gpointer obj = s->obj;
    gint64 arg = s->arg;

    heap_remove (engine, 0);
    slot_free (engine, first.slot);
    engine->now = first.time;
    engine->executed++;
    fn (engine, obj, arg);
}

void
sim_engine_run_until (SimEngine *engine, SimTime until)
{
    g_return_if_fail (engine != NULL);
    g_return_if_fail (until >= engine->now);

    while (engine->n_pending > 0 && engine->heap[0].time <= until) {
        if (engine->stopped)
            break;
        run_first (engine);
    }
    if (engine->stopped) {
        engine->stopped = FALSE;
        return;
    }
    if (until != SIM_TIME_NEVER)
        engine->now = until;
}

gboolean
sim_engine_step (SimEngine *engine)
{
    g_return_val_if_fail (engine != NULL, FALSE);

    if (engine->n_pending == 0)
        return FALSE;
    run_first (engine);
    return TRUE;
}

void
sim_engine_stop (SimEngine *engine)
{
    g_return_if_fail (engine != NULL);

    engine->stopped = TRUE;
}

gsize
sim_engine_event_bytes (void)
{
    return sizeof (Slot) + sizeof (HeapEntry);
}

gsize
sim_engine_bytes (const SimEngine *engine)
{
    return (gsize) engine->capacity * sim_engine_event_bytes ();
}
