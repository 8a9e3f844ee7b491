/* engine.c - the event pool and the radix heap that orders it.
 *
 * An event's payload (handler, object, argument) lives in a slot of a
 * pool; the queue holds small entries (time, class|seq, slot,
 * generation).  Every array grows by doubling and never shrinks: after
 * warm-up, scheduling, running and cancelling allocate nothing.
 *
 * The queue is a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990),
 * which fits a simulation clock: times are integers and the clock never
 * goes back.  With `last` the time of the event that ran last, an entry
 * of time t waits in bucket 0 if t == last, else in bucket b, the
 * position of the highest bit where t and last differ, plus one.  Every
 * entry of bucket b is earlier than every entry of a higher bucket, so
 * the next event is in the lowest non-empty bucket: when bucket 0 is
 * empty, that bucket's earliest time becomes `last` and its entries move
 * down (to bucket 0 or below b).  An entry moves a few times in its life,
 * scheduling is an append, and both walk arrays in order, where a binary
 * heap jumps through memory at every level - what made the cost per
 * request grow with the number of requests in flight.  Bucket 0 holds
 * events of one time only, and is a small binary heap ordered by
 * (class, seq), which makes the order of the whole queue exactly (time,
 * class, seq).
 *
 * Cancellation is lazy: it bumps the slot's generation and frees the slot
 * at once; the entry, whose generation no longer matches, is dropped when
 * it is next moved or comes to the front.  When dead entries outnumber
 * live ones (and COMPACT_MIN), every bucket is swept, so dead entries
 * never hold more memory than live ones.
 *
 * Invariants: every entry's time is >= last, and last <= now whenever
 * a live event is pending (a dead entry can take `last` past the clock;
 * when no live one is left the buckets are emptied and last = now, so
 * any time >= now can be scheduled); a handle
 * is (slot + 1, generation); a slot's generation is bumped when its event
 * runs or is cancelled, so a handle is valid exactly while its event is
 * pending, and an entry is live exactly while its generation is its
 * slot's.  A slot whose generation reaches G_MAXUINT32 is retired rather
 * than reused, so no generation, and no handle, is ever issued twice.
 * The running event's slot is freed before its handler is called: the
 * handler may reuse the slot, cancelling its own handle returns FALSE,
 * and anything it schedules for "now" sorts after it because it has a
 * larger seq.
 */
#include "engine.h"

/* The class takes the top 8 bits of the order word, seq the low 56. */
#define CLASS_SHIFT 56
#define NO_SLOT G_MAXUINT32
#define RETIRED_GEN G_MAXUINT32
#define INITIAL_CAPACITY 256
/* Times are >= 0 and < 2^63: bucket 0, or 1 to 63. */
#define N_BUCKETS 64
/* Fewer dead entries than this are never swept. */
#define COMPACT_MIN 1024

typedef struct {
    SimTime time;
    guint64 order; /* class << CLASS_SHIFT | seq */
    guint32 slot;
    guint32 gen; /* the slot's generation when scheduled */
} Entry;

typedef struct {
    SimEventFunc fn;
    gpointer obj;
    gint64 arg;
    guint32 next_free; /* free: next free slot or NO_SLOT */
    guint32 gen;
} Slot;

typedef struct {
    Entry *e;
    guint32 n, cap;
} Bucket;

struct SimEngine {
    Bucket buckets[N_BUCKETS]; /* [0] is a heap by order */
    guint64 nonempty;          /* bit b: buckets[b] (b >= 1) has entries */
    SimTime last;
    guint32 n_dead; /* cancelled entries still in buckets */

    Slot *slots; /* slots[0, n_used) have been handed out once */
    guint32 n_used, slot_cap;
    guint32 free_head; /* LIFO free list through next_free */
    guint32 n_pending;

    SimTime now;
    guint64 seq;
    guint64 executed;
    gboolean stopped;
    gpointer user_data;
};

static inline gboolean
entry_live (const SimEngine *engine, const Entry *e)
{
    return engine->slots[e->slot].gen == e->gen;
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

/* --- Slots ------------------------------------------------------------- */

static inline guint32
slot_alloc (SimEngine *engine)
{
    guint32 slot = engine->free_head;

    if (G_LIKELY (slot != NO_SLOT)) {
        engine->free_head = engine->slots[slot].next_free;
        return slot;
    }
    if (G_UNLIKELY (engine->n_used == engine->slot_cap)) {
        guint32 cap = engine->slot_cap * 2;

        g_assert (cap > engine->slot_cap && cap < NO_SLOT);
        engine->slots = g_renew (Slot, engine->slots, cap);
        engine->slot_cap = cap;
    }
    slot = engine->n_used++;
    engine->slots[slot].gen = 0;
    return slot;
}

/* The event in @slot ran or was cancelled: its handle and its entry die,
 * and the slot is free for the next event. */
static inline void
slot_free (SimEngine *engine, guint32 slot)
{
    Slot *s = &engine->slots[slot];

    if (G_UNLIKELY (++s->gen == RETIRED_GEN))
        return;
    s->next_free = engine->free_head;
    engine->free_head = slot;
}

/* --- Bucket 0: a binary heap by order (all its times are equal) -------- */

static void
bucket_grow (Bucket *b)
{
    b->cap = b->cap ? b->cap * 2 : 64;
    b->e = g_renew (Entry, b->e, b->cap);
}

static inline void
now_push (Bucket *b, Entry e)
{
    guint32 i;

    if (G_UNLIKELY (b->n == b->cap))
        bucket_grow (b);
    i = b->n++;
    while (i > 0) {
        guint32 parent = (i - 1) / 2;

        if (b->e[parent].order < e.order)
            break;
        b->e[i] = b->e[parent];
        i = parent;
    }
    b->e[i] = e;
}

static inline void
now_pop (Bucket *b)
{
    guint32 n = --b->n, i = 0;
    Entry last;

    if (n == 0)
        return;
    last = b->e[n];
    for (;;) {
        guint32 child = 2 * i + 1;

        if (child >= n)
            break;
        if (child + 1 < n && b->e[child + 1].order < b->e[child].order)
            child++;
        if (last.order < b->e[child].order)
            break;
        b->e[i] = b->e[child];
        i = child;
    }
    b->e[i] = last;
}

/* --- The radix heap ------------------------------------------------------ */

static inline guint
bucket_of (SimTime last, SimTime t)
{
    return t == last ? 0 : 64u - (guint) __builtin_clzll ((guint64) (t ^ last));
}

static inline void
insert (SimEngine *engine, Entry e)
{
    guint b = bucket_of (engine->last, e.time);
    Bucket *bk = &engine->buckets[b];

    if (b == 0) {
        now_push (bk, e);
        return;
    }
    if (G_UNLIKELY (bk->n == bk->cap))
        bucket_grow (bk);
    bk->e[bk->n++] = e;
    engine->nonempty |= G_GUINT64_CONSTANT (1) << b;
}

/* The earliest time in the lowest non-empty bucket above 0 (the earliest
 * pending time when bucket 0 is empty, dead entries included), in *@b
 * that bucket; FALSE when all are empty. */
static inline gboolean
lowest (const SimEngine *engine, guint *b, SimTime *min)
{
    const Bucket *bk;
    SimTime m;

    if (engine->nonempty == 0)
        return FALSE;
    *b = (guint) __builtin_ctzll (engine->nonempty);
    bk = &engine->buckets[*b];
    m = bk->e[0].time;
    for (guint32 i = 1; i < bk->n; i++)
        m = MIN (m, bk->e[i].time);
    *min = m;
    return TRUE;
}

/* Make @m, the earliest time of bucket @b, the new `last` and move that
 * bucket's entries down.  Dead ones move too: telling them apart would
 * look up every entry's slot, a cache miss each with many pending, as
 * long as one dead entry is anywhere; a dead entry is dropped when it
 * reaches the front (next_event) or in a sweep (compact), and until
 * then costs no more than it would have alive. */
static void
redistribute (SimEngine *engine, guint b, SimTime m)
{
    Bucket *bk = &engine->buckets[b];
    guint32 n = bk->n;

    engine->last = m;
    bk->n = 0;
    engine->nonempty &= ~(G_GUINT64_CONSTANT (1) << b);
    for (guint32 i = 0; i < n; i++)
        insert (engine, bk->e[i]); /* into a lower bucket: b is untouched */
}

/* Drop every dead entry. */
static void
compact (SimEngine *engine)
{
    Bucket *b0 = &engine->buckets[0];
    guint32 n0 = b0->n;

    for (guint b = 1; b < N_BUCKETS; b++) {
        Bucket *bk = &engine->buckets[b];
        guint32 n = 0;

        for (guint32 i = 0; i < bk->n; i++)
            if (entry_live (engine, &bk->e[i]))
                bk->e[n++] = bk->e[i];
        bk->n = n;
        if (n == 0)
            engine->nonempty &= ~(G_GUINT64_CONSTANT (1) << b);
    }
    /* Bucket 0: keep the live ones and build the heap again. */
    b0->n = 0;
    for (guint32 i = 0; i < n0; i++) {
        Entry e = b0->e[i];

        if (entry_live (engine, &e))
            now_push (b0, e);
    }
    engine->n_dead = 0;
}

/* Put the next live event with a time <= @until at the front of bucket
 * 0; FALSE if there is none (then `last` stays <= @until). */
static inline gboolean
next_event (SimEngine *engine, SimTime until)
{
    Bucket *b0 = &engine->buckets[0];

    for (;;) {
        guint b;
        SimTime m;

        while (b0->n > 0) {
            if (G_LIKELY (engine->n_dead == 0
                          || entry_live (engine, &b0->e[0])))
                return TRUE; /* its time is last, <= until */
            engine->n_dead--;
            now_pop (b0);
        }
        if (!lowest (engine, &b, &m) || m > until) {
            if (engine->n_pending == 0) {
                /* Only dead entries are left, and `last` may have gone
                 * past the clock to one of them: start afresh at the
                 * clock, so that any time >= now can be scheduled. */
                for (guint i = 0; i < N_BUCKETS; i++)
                    engine->buckets[i].n = 0;
                engine->nonempty = 0;
                engine->n_dead = 0;
                engine->last = engine->now;
            }
            return FALSE;
        }
        redistribute (engine, b, m);
    }
}

/* --- Scheduling ------------------------------------------------------------ */

SimEngine *
sim_engine_new (void)
{
    SimEngine *engine = g_new0 (SimEngine, 1);

    engine->slot_cap = INITIAL_CAPACITY;
    engine->slots = g_new (Slot, engine->slot_cap);
    engine->free_head = NO_SLOT;
    return engine;
}

void
sim_engine_free (SimEngine *engine)
{
    if (engine == NULL)
        return;
    for (guint b = 0; b < N_BUCKETS; b++)
        g_free (engine->buckets[b].e);
    g_free (engine->slots);
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
    Entry e;

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
    e.gen = s->gen;
    engine->n_pending++;
    insert (engine, e);
    return make_handle (slot, e.gen);
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
    slot_free (engine, slot);
    engine->n_pending--;
    engine->n_dead++;
    if (G_UNLIKELY (engine->n_dead > COMPACT_MIN
                    && engine->n_dead > engine->n_pending))
        compact (engine);
    return TRUE;
}

gboolean
sim_engine_is_pending (const SimEngine *engine, SimHandle handle)
{
    g_return_val_if_fail (engine != NULL, FALSE);

    return handle_slot (engine, handle) != NO_SLOT;
}

/* --- Running ---------------------------------------------------------------- */

/* Take the event at the front of bucket 0 out and run it. */
static inline void
run_first (SimEngine *engine)
{
    Bucket *b0 = &engine->buckets[0];
    const Entry e = b0->e[0];
    const Slot *s = &engine->slots[e.slot];
    SimEventFunc fn = s->fn;
    gpointer obj = s->obj;
    gint64 arg = s->arg;

    now_pop (b0);
    slot_free (engine, e.slot);
    engine->n_pending--;
    engine->now = e.time;
    engine->executed++;
    fn (engine, obj, arg);
}

void
sim_engine_run_until (SimEngine *engine, SimTime until)
{
    g_return_if_fail (engine != NULL);
    g_return_if_fail (until >= engine->now);

    while (!engine->stopped && next_event (engine, until))
        run_first (engine);
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

    if (!next_event (engine, SIM_TIME_NEVER))
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
    return sizeof (Slot) + sizeof (Entry);
}

gsize
sim_engine_bytes (const SimEngine *engine)
{
    gsize bytes = (gsize) engine->slot_cap * sizeof (Slot);

    for (guint b = 0; b < N_BUCKETS; b++)
        bytes += (gsize) engine->buckets[b].cap * sizeof (Entry);
    return bytes;
}
