/* engine.c - the event pool and the radix heap that orders it.
 *
 * An event's payload (handler, object, argument) lives in a slot of a
 * pool; the queue holds small entries (time, class|seq, slot,
 * generation).  Arrays grow by doubling, and after warm-up steady
 * traffic allocates nothing: the pools are as large as the most events
 * ever pending at once.  An array grown for a burst does not stay in
 * every bucket of levels 0 and 1 the burst went through: an idle one is
 * shrunk (trim_some()), so that memory follows the events pending, not
 * simulated time.  The buckets of higher levels borrow arrays from
 * spares kept by size, the smallest first, and give back the ones they
 * outgrow (bucket_full()); spares left unused for a while are freed.
 *
 * The queue is a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan, 1990)
 * with digits of 8 bits, which fits a simulation clock: times are
 * integers and the clock never goes back.  With `last` a time at or
 * before every pending entry (the time of the event that ran last, or
 * later), an entry of time t waits at the front if t == last, else in
 * bucket (level, d): level the highest of the eight 8-bit digits where t
 * and last differ, d the digit of t there.  Levels in order, and digits
 * in order within a level, are times in order, so the next event is at
 * the front, or else in the first non-empty bucket (two bitmap words
 * find it).  That bucket is emptied: `last` moves to where it starts,
 * and its entries go down to the front or a lower level; a bucket of
 * level 0 holds one time only and becomes the front as it is.  An entry
 * moves at most eight times, in practice two or three, whatever the
 * number pending: with microsecond times, level 1 spans 256 us and
 * level 2 65 ms.  Scheduling is an append, and every move walks arrays
 * in order, where a binary heap jumps through memory at every level -
 * what made the cost per request grow with the number of requests in
 * flight.  The front holds events of one time only, and is a small
 * binary heap ordered by (class, seq), which makes the order of the
 * whole queue exactly (time, class, seq).
 *
 * While an event runs, the next one's object (and argument, for the
 * classes sim_engine_prefetch_arg() names) is prefetched: with many
 * requests in flight those are cache misses otherwise (look_ahead()).
 *
 * Cancellation is lazy: it bumps the slot's generation and frees the slot
 * at once; the entry, whose generation no longer matches, moves like a
 * live one and is dropped when it comes to the front.  When dead entries
 * outnumber live ones (and COMPACT_MIN), every bucket is swept, so dead
 * entries never hold more memory than live ones.
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
/* Times are >= 0 and < 2^63: eight digits of eight bits.  Bucket
 * level * RADIX + d holds times whose highest digit different from
 * last's is at position `level` and is d there (so d is never 0). */
#define DIGIT_BITS 8
#define RADIX (1u << DIGIT_BITS)
#define N_LEVELS ((63 + DIGIT_BITS - 1) / DIGIT_BITS)
#define N_BUCKETS (N_LEVELS * RADIX)
/* The words of the bitmap of non-empty buckets, at most 32: a bit each
 * in `words`. */
#define N_WORDS ((N_BUCKETS + 63) / 64)
G_STATIC_ASSERT (N_WORDS <= 32);
/* bucket_of() for an entry of time last: it goes to the front. */
#define FRONT N_BUCKETS
/* Buckets with at most this many entries are scanned for their
 * earliest time (bucket_start). */
#define SCAN_MAX 8
/* A bucket's first array. */
#define BUCKET_MIN_CAP 8
/* The buckets of levels 0 and 1 have arrays from the start, from one
 * block: they are used again and again, within 65 ms (dense traffic) or
 * an hour (sparse), so a run would end with all of them anyway.  Higher
 * levels' buckets hold an array only while they have entries. */
#define N_BLOCK_BUCKETS (2 * RADIX)
#define N_BLOCK_ENTRIES (N_BLOCK_BUCKETS * BUCKET_MIN_CAP)
/* Idle buckets of levels 0 and 1 keep arrays of up to this many entries
 * (trim_some()). */
#define KEEP_MAX 256
/* The buckets of levels 0 and 1 trim_some() looks at each time, and
 * at most once per 2^TRIM_SHIFT us of simulated time. */
#define TRIM_STEP 8
#define TRIM_SHIFT 16
/* The bits of `words` for the buckets of level 0. */
#define LEVEL0_WORDS ((1u << (RADIX / 64)) - 1)
/* Array sizes, BUCKET_MIN_CAP << class entries: every array is one
 * (arrays start at BUCKET_MIN_CAP and double). */
#define N_CLASSES 29
/* Spares are trimmed at every this many trim_some() calls of
 * high_emptied(): about every simulated second in dense traffic. */
#define SPARE_TRIM_EVERY 16
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

/* Spare arrays of one size, BUCKET_MIN_CAP << class entries: a stack,
 * and the fewest it held since the last spare_trim(). */
typedef struct {
    Entry **e;
    guint32 n, cap, low;
} Spares;

struct SimEngine {
    Bucket front; /* the entries of time last: a heap by order */
    Bucket buckets[N_BUCKETS];
    guint64 nonempty[N_WORDS]; /* bit i: buckets[i] has entries */
    guint32 words;             /* bit w: nonempty[w] != 0 */
    Entry *block;              /* the first arrays of levels 0 and 1 */
    /* The arrays of emptied buckets of level 2 and up, for the next ones
     * to fill, by size.  Otherwise a long run would leave an array in
     * every bucket it ever used (a level-4 bucket is used for 72
     * simulated minutes, and its digit comes back 12 days later).  A
     * bucket takes the smallest, and a full one swaps its array for a
     * spare two to eight times as large: a bucket seconds ahead holds a few
     * entries, and would otherwise keep an array sized for the thousands a
     * bucket about to run holds.  Spares no bucket took for a while are freed
     * (spare_trim). */
    Spares spare[N_CLASSES];
    guint32 spare_classes; /* bit c: spare[c] has arrays */
    guint spare_trims;     /* trim_some() calls since spare_trim() */
    guint trim_next;       /* the bucket trim_some() looks at next */
    SimTime trim_at;       /* last >> TRIM_SHIFT at the last trim */
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
    guint64 arg_pointers; /* bit c: class c's argument is a pointer
                             (sim_engine_prefetch_arg) */
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

/* --- Arrays, and the front: a binary heap by order (one time) ---------- */

/* Whether @e is an array of the first levels' block. */
static inline gboolean
in_block (const SimEngine *engine, const Entry *e)
{
    guintptr p = (guintptr) e, b = (guintptr) engine->block;

    return p >= b && p < b + N_BLOCK_ENTRIES * sizeof (Entry);
}

static void
bucket_grow (SimEngine *engine, Bucket *b)
{
    guint32 cap = b->cap ? b->cap * 2 : BUCKET_MIN_CAP;

    if (in_block (engine, b->e)) {
        Entry *e = g_new (Entry, cap);

        memcpy (e, b->e, b->n * sizeof *e);
        b->e = e;
    } else {
        b->e = g_renew (Entry, b->e, cap);
    }
    b->cap = cap;
}

static inline void
now_push (SimEngine *engine, Bucket *b, Entry e)
{
    guint32 i;

    if (G_UNLIKELY (b->n == b->cap))
        bucket_grow (engine, b);
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

/* Put @e at @i of the heap @b (its first @b->n entries), sifting it down
 * below its smaller children. */
static inline void
sift_down (Bucket *b, guint32 i, Entry e)
{
    guint32 n = b->n;

    for (;;) {
        guint32 child = 2 * i + 1;

        if (child >= n)
            break;
        if (child + 1 < n && b->e[child + 1].order < b->e[child].order)
            child++;
        if (e.order < b->e[child].order)
            break;
        b->e[i] = b->e[child];
        i = child;
    }
    b->e[i] = e;
}

static inline void
now_pop (Bucket *b)
{
    guint32 n = --b->n;

    if (n > 0)
        sift_down (b, 0, b->e[n]);
}

/* Make the array @b a heap (Floyd: sift every parent down, last first). */
static void
now_heapify (Bucket *b)
{
    for (guint32 i = b->n / 2; i-- > 0;)
        sift_down (b, i, b->e[i]);
}

/* --- The radix heap ------------------------------------------------------ */

/* The size class of an array of @cap entries (a power of two, at least
 * BUCKET_MIN_CAP). */
static inline guint
class_of (guint32 cap)
{
    return (guint) __builtin_ctz (cap / BUCKET_MIN_CAP);
}

/* Keep @b's array (its entries no longer needed) for a bucket to fill. */
static void
lend (SimEngine *engine, Bucket b)
{
    Spares *sp;
    guint c;

    if (b.cap == 0)
        return;
    c = class_of (b.cap);
    sp = &engine->spare[c];
    if (G_UNLIKELY (sp->n == sp->cap)) {
        sp->cap = sp->cap ? sp->cap * 2 : 8;
        sp->e = g_renew (Entry *, sp->e, sp->cap);
    }
    sp->e[sp->n++] = b.e;
    engine->spare_classes |= 1u << c;
}

/* The smallest spare of a class in @classes (bits) into @b (empty);
 * FALSE when there is none. */
static gboolean
take_spare (SimEngine *engine, guint32 classes, Bucket *b)
{
    guint c;
    Spares *sp;

    classes &= engine->spare_classes;
    if (classes == 0)
        return FALSE;
    c = (guint) __builtin_ctz (classes);
    sp = &engine->spare[c];
    b->e = sp->e[--sp->n];
    b->n = 0;
    b->cap = (guint32) BUCKET_MIN_CAP << c;
    sp->low = MIN (sp->low, sp->n);
    if (sp->n == 0)
        engine->spare_classes &= ~(1u << c);
    return TRUE;
}

/* Free the spares that no bucket took since the last call: those below
 * each stack's low-water mark.  They were a burst's (10,000 pods started
 * at once, a rollout step); the ones steady traffic takes and lends are
 * at the tops, and stay. */
static void
spare_trim (SimEngine *engine)
{
    for (guint c = 0; c < N_CLASSES; c++) {
        Spares *sp = &engine->spare[c];
        guint32 idle = sp->low;

        if (idle > 0) {
            for (guint32 k = 0; k < idle; k++)
                g_free (sp->e[k]);
            sp->n -= idle;
            memmove (sp->e, sp->e + idle, sp->n * sizeof *sp->e);
        }
        sp->low = sp->n;
        if (sp->n == 0)
            engine->spare_classes &= ~(1u << c);
    }
}

/* Look at the next TRIM_STEP buckets of levels 0 and 1, in turn, and
 * shrink to BUCKET_MIN_CAP entries the array of any that is empty and
 * holds more than KEEP_MAX (a burst's, or one that came from the front);
 * TRIM_STEP more for each one found.  Otherwise every bucket a burst went
 * through would keep its array for good: a run with many bursts would
 * end with one in nearly every bucket.  This runs when the queue
 * empties, and when a bucket of a higher level is emptied with a new
 * level-2 digit: in dense traffic about every 65 ms of simulated time,
 * so a large array idles a few simulated seconds at most, and the
 * per-event path does nothing of it. */
static void
trim_some (SimEngine *engine)
{
    guint todo = TRIM_STEP;

    for (guint k = 0; k < todo && k < N_BLOCK_BUCKETS; k++) {
        Bucket *bk = &engine->buckets[engine->trim_next];

        engine->trim_next = (engine->trim_next + 1) % N_BLOCK_BUCKETS;
        if (bk->n == 0 && bk->cap > KEEP_MAX) {
            bk->e = g_renew (Entry, bk->e, BUCKET_MIN_CAP);
            bk->cap = BUCKET_MIN_CAP;
            todo += TRIM_STEP;
        }
    }
}

/* Bucket @i (level 2 or up) is empty: its array goes to the spares, and
 * with a new level-2 digit of `last` a few buckets of levels 0 and 1 are
 * trimmed (at most once per 65 ms of simulated time). */
static G_GNUC_NO_INLINE void
high_emptied (SimEngine *engine, guint i)
{
    Bucket *bk = &engine->buckets[i];

    lend (engine, *bk);
    *bk = (Bucket) { 0 };
    if ((engine->last >> TRIM_SHIFT) != engine->trim_at) {
        engine->trim_at = engine->last >> TRIM_SHIFT;
        trim_some (engine);
        if (++engine->spare_trims == SPARE_TRIM_EVERY) {
            engine->spare_trims = 0;
            spare_trim (engine);
        }
    }
}

/* Bucket @i is empty: from level 2 up, its array goes to the spares. */
static inline void
bucket_emptied (SimEngine *engine, guint i)
{
    engine->buckets[i].n = 0;
    if (i >= N_BLOCK_BUCKETS)
        high_emptied (engine, i);
}

/* The bucket of an entry of time @t, or FRONT when t == last. */
static inline guint
bucket_of (SimTime last, SimTime t)
{
    guint64 x = (guint64) (t ^ last);
    guint level;

    if (x == 0)
        return FRONT;
    level = (63u - (guint) __builtin_clzll (x)) / DIGIT_BITS;
    return level * RADIX
           + (guint) (((guint64) t >> (level * DIGIT_BITS)) & (RADIX - 1));
}

/* The earliest time bucket @i can hold: last's digits above its level,
 * its digit at its level, zeros below. */
static inline SimTime
bucket_floor (SimTime last, guint i)
{
    guint shift = i / RADIX * DIGIT_BITS;
    guint64 above = shift + DIGIT_BITS >= 64 ? 0
                                             : (guint64) last
                                                   & (~G_GUINT64_CONSTANT (0)
                                                      << (shift + DIGIT_BITS));

    return (SimTime) (above | ((guint64) (i % RADIX) << shift));
}

static inline void
mark (SimEngine *engine, guint i)
{
    engine->nonempty[i / 64] |= G_GUINT64_CONSTANT (1) << (i % 64);
    engine->words |= 1u << (i / 64);
}

static inline void
unmark (SimEngine *engine, guint i)
{
    engine->nonempty[i / 64] &= ~(G_GUINT64_CONSTANT (1) << (i % 64));
    if (engine->nonempty[i / 64] == 0)
        engine->words &= ~(1u << (i / 64));
}

/* Bucket @i is full, or (level 2 and up) empty without an array: from
 * level 2 up it takes the smallest spare, or swaps its array for the
 * smallest spare two to eight times as large; otherwise its array
 * doubles.  Never a larger spare than that: a bucket of 32 timers would
 * take the array of a burst of 50,000, and keep it going round. */
static G_GNUC_NO_INLINE void
bucket_full (SimEngine *engine, guint i)
{
    Bucket *bk = &engine->buckets[i];
    Bucket b;

    if (i >= N_BLOCK_BUCKETS) {
        if (bk->cap == 0) {
            if (take_spare (engine, ~0u, bk))
                return;
        } else if (take_spare (engine, 0xeu << class_of (bk->cap), &b)) {
            memcpy (b.e, bk->e, bk->n * sizeof *b.e);
            b.n = bk->n;
            lend (engine, *bk);
            *bk = b;
            return;
        }
    }
    bucket_grow (engine, bk);
}

/* Inline in every loop that moves entries: out of line, a call per move
 * cost a quarter more time per event. */
G_ALWAYS_INLINE static inline void
insert (SimEngine *engine, Entry e)
{
    guint i = bucket_of (engine->last, e.time);
    Bucket *bk;

    if (i == FRONT) {
        now_push (engine, &engine->front, e);
        return;
    }
    bk = &engine->buckets[i];
    if (G_UNLIKELY (bk->n == bk->cap))
        bucket_full (engine, i);
    bk->e[bk->n++] = e;
    mark (engine, i);
}

/* The first non-empty bucket (the earliest times) in *@i; FALSE when
 * all are empty. */
static inline gboolean
lowest (const SimEngine *engine, guint *i)
{
    guint w;

    if (engine->words == 0)
        return FALSE;
    w = (guint) __builtin_ctz (engine->words);
    *i = w * 64 + (guint) __builtin_ctzll (engine->nonempty[w]);
    return TRUE;
}

/* Where bucket @i starts: a time at or before its earliest entry, at or
 * after its floor.  A few entries are scanned for their earliest time,
 * which then goes straight to the front, and the others land lower, so
 * they move fewer times; many entries are not, they would cost more to
 * scan than to move. */
static inline SimTime
bucket_start (const SimEngine *engine, guint i)
{
    const Bucket *bk = &engine->buckets[i];
    SimTime m;

    if (i < RADIX || bk->n > SCAN_MAX)
        return bucket_floor (engine->last, i);
    m = bk->e[0].time;
    for (guint32 k = 1; k < bk->n; k++)
        m = MIN (m, bk->e[k].time);
    return m;
}

/* Make @m, where bucket @i starts (bucket_start), the new `last` and
 * move the bucket's entries down: each to the front or to a bucket of a
 * lower level (a level-0 bucket, one time, becomes the front).  Every
 * other bucket stays right: the new last has the old one's digits from
 * @i's level up, and no bucket before @i holds anything.  Dead entries move
 * too: telling them apart would look up every entry's slot, a cache miss each
 * with many pending, as long as one dead entry is anywhere; a dead entry is
 * dropped when it reaches the front (next_event) or in a sweep
 * (compact), and until then costs no more than it would have alive. */
static void
redistribute (SimEngine *engine, guint i, SimTime m)
{
    Bucket *bk = &engine->buckets[i];
    guint32 n = bk->n;

    engine->last = m;
    unmark (engine, i);
    if (i < RADIX) {
        /* Level 0 holds one time, which is now last's: the bucket's
         * array becomes the front, and the front's (empty, or
         * next_event would not be here) the bucket's. */
        Bucket empty = engine->front;

        engine->front = *bk;
        empty.n = 0;
        *bk = empty;
        if (engine->front.n > 1)
            now_heapify (&engine->front);
        return;
    }
    bk->n = 0;
    for (guint32 k = 0; k < n; k++) {
        /* From level 1 the entries go to level 0, to run within 256 us:
         * their slots are fetched for look_ahead(). */
        if (i < 2 * RADIX)
            __builtin_prefetch (&engine->slots[bk->e[k].slot]);
        insert (engine, bk->e[k]); /* to a lower level: i is untouched */
    }
    bucket_emptied (engine, i);
}

/* Drop every dead entry. */
static void
compact (SimEngine *engine)
{
    Bucket *front = &engine->front;
    guint32 n0 = front->n;

    for (guint w = 0; w < N_WORDS; w++) {
        guint64 bits = engine->nonempty[w];

        for (; bits != 0; bits &= bits - 1) {
            guint i = w * 64 + (guint) __builtin_ctzll (bits);
            Bucket *bk = &engine->buckets[i];
            guint32 n = 0;

            for (guint32 k = 0; k < bk->n; k++)
                if (entry_live (engine, &bk->e[k]))
                    bk->e[n++] = bk->e[k];
            bk->n = n;
            if (n == 0) {
                unmark (engine, i);
                bucket_emptied (engine, i);
            }
        }
    }
    /* The front: keep the live ones and build the heap again. */
    front->n = 0;
    for (guint32 k = 0; k < n0; k++) {
        Entry e = front->e[k];

        if (entry_live (engine, &e))
            now_push (engine, front, e);
    }
    engine->n_dead = 0;
}

/* Empty every bucket (only dead entries are left in them). */
static void
clear (SimEngine *engine)
{
    for (guint w = 0; w < N_WORDS; w++) {
        for (guint64 bits = engine->nonempty[w]; bits != 0; bits &= bits - 1)
            bucket_emptied (engine, w * 64 + (guint) __builtin_ctzll (bits));
        engine->nonempty[w] = 0;
    }
    engine->words = 0;
    engine->front.n = 0;
    engine->n_dead = 0;
    trim_some (engine);
}

/* Put the next live event with a time <= @until at the front of bucket
 * 0; FALSE if there is none (then `last` stays <= @until). */
static inline gboolean
next_event (SimEngine *engine, SimTime until)
{
    Bucket *front = &engine->front;

    for (;;) {
        SimTime m;
        guint i;

        while (front->n > 0) {
            if (G_LIKELY (engine->n_dead == 0
                          || entry_live (engine, &front->e[0])))
                return TRUE; /* its time is last, <= until */
            engine->n_dead--;
            now_pop (front);
        }
        if (!lowest (engine, &i) || (m = bucket_start (engine, i)) > until) {
            if (engine->n_pending == 0) {
                /* Only dead entries are left, and `last` may have gone
                 * past the clock towards one of them: start afresh at
                 * the clock, so that any time >= now can be scheduled. */
                clear (engine);
                engine->last = engine->now;
            }
            return FALSE;
        }
        redistribute (engine, i, m);
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
    engine->block = g_new (Entry, N_BLOCK_ENTRIES);
    for (guint i = 0; i < N_BLOCK_BUCKETS; i++) {
        engine->buckets[i].e = engine->block + i * BUCKET_MIN_CAP;
        engine->buckets[i].cap = BUCKET_MIN_CAP;
    }
    /* The front's first array: the one of bucket 0, which is never used
     * (a digit above last's is never 0). */
    engine->front = engine->buckets[0];
    engine->buckets[0] = (Bucket) { 0 };
    return engine;
}

void
sim_engine_free (SimEngine *engine)
{
    if (engine == NULL)
        return;
    for (guint i = 0; i < N_BUCKETS; i++)
        if (!in_block (engine, engine->buckets[i].e))
            g_free (engine->buckets[i].e);
    for (guint c = 0; c < N_CLASSES; c++) {
        for (guint32 k = 0; k < engine->spare[c].n; k++)
            g_free (engine->spare[c].e[k]);
        g_free (engine->spare[c].e);
    }
    if (!in_block (engine, engine->front.e))
        g_free (engine->front.e);
    g_free (engine->block);
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

/* Prefetch what the next event will read while this one runs: its
 * object, and its argument when its class carries a pointer there.  The
 * next event is one of the front's (e[1], a child of the running one),
 * or else the first of the first non-empty bucket of level 0; its slot
 * was prefetched when it moved down from level 1 (redistribute), so
 * reading it here seldom waits.  A hint only: a dead entry's slot points
 * anywhere, and a prefetch never faults. */
static inline void
look_ahead (SimEngine *engine)
{
    const Entry *e1;
    const Slot *s;

    if (engine->front.n > 1) {
        e1 = &engine->front.e[1];
    } else {
        guint32 words = engine->words & LEVEL0_WORDS;
        guint w;

        if (words == 0)
            return;
        w = (guint) __builtin_ctz (words);
        e1 = &engine
                  ->buckets[w * 64
                            + (guint) __builtin_ctzll (engine->nonempty[w])]
                  .e[0];
    }
    s = &engine->slots[e1->slot];
    __builtin_prefetch (s->obj, 1);
    if ((engine->arg_pointers >> ((e1->order >> CLASS_SHIFT) & 63)) & 1)
        __builtin_prefetch ((gconstpointer) (gintptr) s->arg, 1);
}

/* Take the event at the front of bucket 0 out and run it. */
static inline void
run_first (SimEngine *engine)
{
    Bucket *front = &engine->front;
    const Entry e = front->e[0];
    const Slot *s = &engine->slots[e.slot];
    SimEventFunc fn = s->fn;
    gpointer obj = s->obj;
    gint64 arg = s->arg;

    look_ahead (engine);
    now_pop (front);
    slot_free (engine, e.slot);
    engine->n_pending--;
    engine->now = e.time;
    engine->executed++;
    fn (engine, obj, arg);
}

void
sim_engine_prefetch_arg (SimEngine *engine, guint cls)
{
    if (cls < 64)
        engine->arg_pointers |= G_GUINT64_CONSTANT (1) << cls;
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
    gsize bytes = (gsize) engine->slot_cap * sizeof (Slot)
                  + N_BLOCK_ENTRIES * sizeof (Entry);

    if (!in_block (engine, engine->front.e))
        bytes += (gsize) engine->front.cap * sizeof (Entry);
    for (guint i = 0; i < N_BUCKETS; i++)
        if (!in_block (engine, engine->buckets[i].e))
            bytes += (gsize) engine->buckets[i].cap * sizeof (Entry);
    for (guint c = 0; c < N_CLASSES; c++)
        bytes += (gsize) engine->spare[c].n * ((gsize) BUCKET_MIN_CAP << c)
                     * sizeof (Entry)
                 + (gsize) engine->spare[c].cap * sizeof (Entry *);
    return bytes;
}
