/* test-engine.c - the event engine: order, cancellation, clock, stop.
 *
 * The ordering tests compare the engine with a reference that needs no
 * heap: a sort of the surviving events, or a linear scan for the minimum
 * of a plain list, driven by a fixed-seed SimRng so a failure always
 * reproduces.
 */
#include <glib.h>

#include "engine.h"
#include "rng.h"

/* What a run did: one Fired per event, in order. */
typedef struct {
    SimTime time;
    gint64 id;
} Fired;

typedef struct {
    GArray *fired; /* of Fired */
} Log;

static void
log_init (Log *log)
{
    log->fired = g_array_new (FALSE, FALSE, sizeof (Fired));
}

static void
log_clear (Log *log)
{
    g_array_unref (log->fired);
}

static gint64
log_id (const Log *log, guint i)
{
    return g_array_index (log->fired, Fired, i).id;
}

/* The handler of most tests: record (now, arg) in the Log at @obj, and
 * check the clock never went backwards. */
static void
record (SimEngine *engine, gpointer obj, gint64 arg)
{
    Log *log = obj;
    Fired f = { sim_engine_now (engine), arg };

    if (log->fired->len > 0)
        g_assert_cmpint (
            f.time, >=,
            g_array_index (log->fired, Fired, log->fired->len - 1).time);
    g_array_append_val (log->fired, f);
}

/* One scheduled event of the reference model. */
typedef struct {
    SimTime time;
    guint cls;
    guint64 seq; /* insertion order */
    SimHandle handle;
    gboolean cancelled;
} RefEvent;

static gint
ref_compare (gconstpointer pa, gconstpointer pb)
{
    const RefEvent *a = *(const RefEvent *const *) pa;
    const RefEvent *b = *(const RefEvent *const *) pb;

    if (a->time != b->time)
        return a->time < b->time ? -1 : 1;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void
test_random_vs_sort (void)
{
    enum { N = 20000 };
    g_autofree RefEvent *ev = g_new0 (RefEvent, N);
    g_autoptr (GPtrArray) survivors = g_ptr_array_new ();
    SimEngine *engine = sim_engine_new ();
    SimRng rng;
    Log log;

    g_test_summary ("Many random events with many ties, a third of them "
                    "cancelled, run in exactly (time, class, insertion) "
                    "order; a class said to carry pointers that carries "
                    "plain numbers changes nothing (the engine only "
                    "prefetches them)");

    log_init (&log);
    sim_engine_prefetch_arg (engine, 1);
    sim_engine_prefetch_arg (engine, 200); /* past 63: ignored */
    sim_rng_init (&rng, 1, 100);
    for (guint i = 0; i < N; i++) {
        ev[i].time = sim_rng_below (&rng, 1000);
        ev[i].cls = sim_rng_below (&rng, 4);
        ev[i].seq = i;
        ev[i].handle = sim_engine_schedule (engine, ev[i].time, ev[i].cls,
                                            record, &log, i);
        g_assert_cmpuint (ev[i].handle, !=, SIM_HANDLE_NONE);
    }
    g_assert_cmpuint (sim_engine_pending (engine), ==, N);
    for (guint i = 0; i < N; i++) {
        if (sim_rng_below (&rng, 3) == 0) {
            g_assert_true (sim_engine_cancel (engine, ev[i].handle));
            g_assert_false (sim_engine_cancel (engine, ev[i].handle));
            g_assert_false (sim_engine_is_pending (engine, ev[i].handle));
            ev[i].cancelled = TRUE;
        } else {
            g_assert_true (sim_engine_is_pending (engine, ev[i].handle));
            g_ptr_array_add (survivors, &ev[i]);
        }
    }
    g_ptr_array_sort (survivors, ref_compare);

    sim_engine_run_until (engine, SIM_TIME_NEVER);
    g_assert_cmpuint (log.fired->len, ==, survivors->len);
    g_assert_cmpuint (sim_engine_executed (engine), ==, survivors->len);
    g_assert_cmpuint (sim_engine_pending (engine), ==, 0);
    for (guint i = 0; i < survivors->len; i++) {
        const RefEvent *want = g_ptr_array_index (survivors, i);
        const Fired *got = &g_array_index (log.fired, Fired, i);

        g_assert_cmpint (got->id, ==, (gint64) want->seq);
        g_assert_cmpint (got->time, ==, want->time);
    }
    for (guint i = 0; i < N; i++)
        g_assert_false (sim_engine_cancel (engine, ev[i].handle));

    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_interleaved (void)
{
    g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (RefEvent));
    g_autoptr (GArray) dead = g_array_new (FALSE, FALSE, sizeof (SimHandle));
    SimEngine *engine = sim_engine_new ();
    guint64 seq = 0;
    guint max_pending = 0;
    SimRng rng;
    Log log;

    g_test_summary ("Random interleavings of schedule, cancel and step "
                    "match a list scanned for its minimum, and dead handles "
                    "stay dead after their slots are reused");

    log_init (&log);
    sim_rng_init (&rng, 1, 101);
    for (int op = 0; op < 200000; op++) {
        guint r = sim_rng_below (&rng, 20);
        /* Drift the queue length up and down so the pool grows and its
         * slots are reused many times. */
        gboolean filling = (op / 20000) % 2 == 0;

        if (r < (filling ? 10u : 6u)) {
            RefEvent e = { 0 };

            e.time = sim_engine_now (engine) + sim_rng_below (&rng, 50);
            e.cls = sim_rng_below (&rng, 3);
            e.seq = seq++;
            e.handle = sim_engine_schedule (engine, e.time, e.cls, record, &log,
                                            (gint64) e.seq);
            g_array_append_val (pending, e);
        } else if (r < 13 && pending->len > 0) {
            guint k = sim_rng_below (&rng, pending->len);
            SimHandle h = g_array_index (pending, RefEvent, k).handle;

            g_assert_true (sim_engine_cancel (engine, h));
            g_array_append_val (dead, h);
            g_array_remove_index_fast (pending, k);
        } else if (r < 14 && dead->len > 0) {
            SimHandle h = g_array_index (dead, SimHandle,
                                         sim_rng_below (&rng, dead->len));

            g_assert_false (sim_engine_is_pending (engine, h));
            g_assert_false (sim_engine_cancel (engine, h));
        } else {
            guint best = 0;
            const RefEvent *e;

            if (pending->len == 0) {
                g_assert_false (sim_engine_step (engine));
                continue;
            }
            for (guint k = 1; k < pending->len; k++) {
                const RefEvent *a = &g_array_index (pending, RefEvent, k);
                const RefEvent *b = &g_array_index (pending, RefEvent, best);
                if (ref_compare (&a, &b) < 0)
                    best = k;
            }
            e = &g_array_index (pending, RefEvent, best);
            g_assert_true (sim_engine_step (engine));
            g_assert_cmpint (log_id (&log, log.fired->len - 1), ==,
                             (gint64) e->seq);
            g_assert_cmpint (sim_engine_now (engine), ==, e->time);
            g_array_append_val (dead, e->handle);
            g_array_remove_index_fast (pending, best);
        }
        g_assert_cmpuint (sim_engine_pending (engine), ==, pending->len);
        max_pending = MAX (max_pending, pending->len);
    }
    /* The drift really exercised growth. */
    g_assert_cmpuint (max_pending, >, 1000);

    log_clear (&log);
    sim_engine_free (engine);
}

/* The same with delays of every magnitude, from 0 to 2^50, and the
 * clock also moved by run_until to random times: entries start in every
 * level of the radix heap and move down through several, and `until`
 * falls inside buckets of every level. */
static void
test_interleaved_wide (void)
{
    g_autoptr (GArray) pending = g_array_new (FALSE, FALSE, sizeof (RefEvent));
    SimEngine *engine = sim_engine_new ();
    guint64 seq = 0;
    guint max_pending = 0;
    SimRng rng;
    Log log;

    g_test_summary ("Random schedule, cancel, step and run_until with "
                    "delays from 0 to 2^50 match a list scanned for its "
                    "minimum");

    log_init (&log);
    sim_rng_init (&rng, 1, 102);
    /* Start below 2^56, so that the clock's top digit changes too. */
    sim_engine_run_until (engine, ((SimTime) 1 << 56) - ((SimTime) 1 << 46));
    for (int op = 0; op < 100000; op++) {
        guint r = sim_rng_below (&rng, 20);

        if (r < 12) {
            RefEvent e = { 0 };
            guint bits = sim_rng_below (&rng, 51);
            SimTime delay = bits == 0 ? 0
                                      : (SimTime) (sim_rng_next (&rng)
                                                   >> (64 - bits));

            /* Far below 2^63 after 100,000 steps forward. */
            g_assert_cmpint (sim_engine_now (engine), <, (SimTime) 1 << 60);
            e.time = sim_engine_now (engine) + delay;
            e.cls = sim_rng_below (&rng, 3);
            e.seq = seq++;
            e.handle = sim_engine_schedule (engine, e.time, e.cls, record, &log,
                                            (gint64) e.seq);
            g_array_append_val (pending, e);
            max_pending = MAX (max_pending, pending->len);
        } else if (r < 13 && pending->len > 0) {
            guint k = sim_rng_below (&rng, pending->len);

            g_assert_true (sim_engine_cancel (
                engine, g_array_index (pending, RefEvent, k).handle));
            g_array_remove_index_fast (pending, k);
        } else {
            /* Run everything up to a time near the earliest pending one
             * (step: exactly the earliest), checking each event run. */
            guint fired = log.fired->len;
            SimTime until = G_MAXINT64;

            if (pending->len == 0) {
                g_assert_false (sim_engine_step (engine));
                continue;
            }
            for (guint k = 0; k < pending->len; k++)
                until = MIN (until, g_array_index (pending, RefEvent, k).time);
            if (r >= 19) {
                guint bits = sim_rng_below (&rng, 41);

                until += bits == 0
                             ? 0
                             : (SimTime) (sim_rng_next (&rng) >> (64 - bits));
                sim_engine_run_until (engine, until);
            } else {
                g_assert_true (sim_engine_step (engine));
            }
            for (;;) {
                guint best = G_MAXUINT;

                for (guint k = 0; k < pending->len; k++) {
                    const RefEvent *a = &g_array_index (pending, RefEvent, k);
                    const RefEvent *b;

                    if (a->time > until)
                        continue;
                    b = best == G_MAXUINT
                            ? NULL
                            : &g_array_index (pending, RefEvent, best);
                    if (b == NULL || ref_compare (&a, &b) < 0)
                        best = k;
                }
                if (best == G_MAXUINT)
                    break;
                if (r < 19 && fired == log.fired->len)
                    break; /* step ran one only */
                g_assert_cmpuint (fired, <, log.fired->len);
                g_assert_cmpint (
                    log_id (&log, fired), ==,
                    (gint64) g_array_index (pending, RefEvent, best).seq);
                g_assert_cmpint (g_array_index (log.fired, Fired, fired).time,
                                 ==,
                                 g_array_index (pending, RefEvent, best).time);
                fired++;
                g_array_remove_index_fast (pending, best);
            }
            g_assert_cmpuint (fired, ==, log.fired->len);
            if (r >= 19)
                g_assert_cmpint (sim_engine_now (engine), ==, until);
        }
        g_assert_cmpuint (sim_engine_pending (engine), ==, pending->len);
    }
    g_test_message (
        "%u events ran, %u pending at most, clock at %" G_GINT64_FORMAT,
        log.fired->len, max_pending, sim_engine_now (engine));
    g_assert_cmpuint (log.fired->len, >, 20000);

    log_clear (&log);
    sim_engine_free (engine);
}

/* Events that schedule events: each handler schedules 0 to 2 more at
 * random (some for "now", some far: entries move down the radix heap's
 * buckets while others arrive).  The reference is a sort of all events
 * by (time, class, insertion), checked after the run. */
typedef struct {
    SimEngine *engine;
    SimRng rng;
    GArray *ref; /* RefEvent, in insertion order */
    GArray *ran; /* seq, in run order */
} Chain;

static void chain_handler (SimEngine *engine, gpointer obj, gint64 arg);

static void
chain_schedule (Chain *c, SimTime delay)
{
    RefEvent e = { 0 };

    e.time = sim_engine_now (c->engine) + delay;
    /* For "now", the last class: an earlier class would run before
     * events already past in a sort of the whole run. */
    e.cls = delay == 0 ? 3 : sim_rng_below (&c->rng, 4);
    e.seq = c->ref->len;
    sim_engine_schedule (c->engine, e.time, e.cls, chain_handler, c,
                         (gint64) e.seq);
    g_array_append_val (c->ref, e);
}

static void
chain_handler (SimEngine *engine, gpointer obj, gint64 arg)
{
    Chain *c = obj;
    guint n = c->ref->len < 100000 ? sim_rng_below (&c->rng, 3) : 0;

    g_array_append_val (c->ran, arg);
    for (guint i = 0; i < n; i++)
        chain_schedule (c, sim_rng_below (&c->rng, 4) == 0
                               ? 0
                               : sim_rng_below (
                                   &c->rng, 1u << sim_rng_below (&c->rng, 30)));
}

static void
test_handlers_schedule (void)
{
    Chain c = { 0 };
    g_autoptr (GPtrArray) sorted = g_ptr_array_new ();

    g_test_summary ("Handlers that schedule events, now and later, keep "
                    "the exact (time, class, insertion) order");

    c.engine = sim_engine_new ();
    c.ref = g_array_new (FALSE, FALSE, sizeof (RefEvent));
    c.ran = g_array_new (FALSE, FALSE, sizeof (gint64));
    sim_rng_init (&c.rng, 1, 102);
    for (int i = 0; i < 500; i++)
        chain_schedule (&c, sim_rng_below (&c.rng, 1000));
    /* In steps of random length: the clock set to each end in between,
     * so `last` of the radix heap trails the clock at times. */
    for (SimTime until = 0; sim_engine_pending (c.engine) > 0;) {
        until += sim_rng_below (&c.rng, 1u << sim_rng_below (&c.rng, 22));
        sim_engine_run_until (c.engine, until);
        g_assert_cmpint (sim_engine_now (c.engine), ==, until);
    }
    g_assert_cmpuint (c.ran->len, ==, c.ref->len);
    for (guint i = 0; i < c.ref->len; i++)
        g_ptr_array_add (sorted, &g_array_index (c.ref, RefEvent, i));
    g_ptr_array_sort (sorted, ref_compare);
    for (guint i = 0; i < sorted->len; i++)
        g_assert_cmpint (g_array_index (c.ran, gint64, i), ==,
                         (gint64) ((RefEvent *) sorted->pdata[i])->seq);
    g_array_unref (c.ref);
    g_array_unref (c.ran);
    sim_engine_free (c.engine);
}

static void
test_fifo_ties (void)
{
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("Events with equal time and class run first in, first "
                    "out");

    log_init (&log);
    for (int i = 0; i < 1000; i++)
        sim_engine_schedule (engine, 7, 3, record, &log, i);
    sim_engine_run_until (engine, 7);
    g_assert_cmpuint (log.fired->len, ==, 1000);
    for (guint i = 0; i < 1000; i++)
        g_assert_cmpint (log_id (&log, i), ==, i);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_class_order (void)
{
    static const struct {
        SimTime time;
        guint cls;
    } sched[] = {
        { 5, 2 }, { 5, 0 },   { 4, 9 }, { 5, 1 },
        { 5, 0 }, { 5, 255 }, { 5, 2 }, { 6, 0 },
    };
    static const gint64 order[] = { 2, 1, 4, 3, 0, 6, 5, 7 };
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("At equal times lower classes run first; time still "
                    "comes before class");

    log_init (&log);
    for (gsize i = 0; i < G_N_ELEMENTS (sched); i++)
        sim_engine_schedule (engine, sched[i].time, sched[i].cls, record, &log,
                             (gint64) i);
    sim_engine_run_until (engine, 100);
    g_assert_cmpuint (log.fired->len, ==, G_N_ELEMENTS (order));
    for (guint i = 0; i < G_N_ELEMENTS (order); i++)
        g_assert_cmpint (log_id (&log, i), ==, order[i]);
    log_clear (&log);
    sim_engine_free (engine);
}

/* A handler that schedules "now" from inside: arg 0 schedules arg 100 in
 * class 0, arg 1 schedules arg 101 in class 1. */
static void
schedule_now (SimEngine *engine, gpointer obj, gint64 arg)
{
    record (engine, obj, arg);
    if (arg < 100)
        sim_engine_after (engine, 0, (guint) arg, schedule_now, obj, arg + 100);
}

static void
test_now_from_handler (void)
{
    static const gint64 order[] = { 0, 100, 1, 2, 101 };
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("An event scheduled for now from a handler runs after "
                    "it, and after what was already queued in its class");

    log_init (&log);
    sim_engine_schedule (engine, 10, 0, schedule_now, &log, 0);
    sim_engine_schedule (engine, 10, 1, schedule_now, &log, 1);
    sim_engine_schedule (engine, 10, 1, record, &log, 2);
    sim_engine_run_until (engine, 10);
    g_assert_cmpuint (log.fired->len, ==, G_N_ELEMENTS (order));
    for (guint i = 0; i < G_N_ELEMENTS (order); i++) {
        g_assert_cmpint (log_id (&log, i), ==, order[i]);
        g_assert_cmpint (g_array_index (log.fired, Fired, i).time, ==, 10);
    }
    log_clear (&log);
    sim_engine_free (engine);
}

/* Cancels the handle at obj (a SimHandle[2]: [0] someone else's, [1] its
 * own) from inside a handler. */
static void
cancel_from_handler (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimHandle *h = obj;

    (void) arg;
    g_assert_false (sim_engine_is_pending (engine, h[1]));
    g_assert_false (sim_engine_cancel (engine, h[1]));
    g_assert_true (sim_engine_cancel (engine, h[0]));
}

static void
test_cancel (void)
{
    SimEngine *engine = sim_engine_new ();
    SimHandle a, b, c, h[2];
    Log log;

    g_test_summary ("cancel() is FALSE for events that ran or were "
                    "cancelled, for stale handles after slot reuse and for "
                    "handles never issued");

    log_init (&log);
    g_assert_false (sim_engine_cancel (engine, SIM_HANDLE_NONE));
    g_assert_false (sim_engine_cancel (engine, G_MAXUINT64));
    g_assert_false (sim_engine_is_pending (engine, SIM_HANDLE_NONE));

    /* Ran. */
    a = sim_engine_schedule (engine, 1, 0, record, &log, 1);
    g_assert_true (sim_engine_step (engine));
    g_assert_false (sim_engine_cancel (engine, a));

    /* Cancelled, then the slot is reused: the old handle stays dead and
     * does not touch the new event. */
    b = sim_engine_schedule (engine, 5, 0, record, &log, 2);
    g_assert_true (sim_engine_cancel (engine, b));
    c = sim_engine_schedule (engine, 5, 0, record, &log, 3);
    g_assert_cmpuint (c, !=, b);
    g_assert_cmpuint (c & G_MAXUINT32, ==, b & G_MAXUINT32); /* reused */
    g_assert_false (sim_engine_cancel (engine, b));
    g_assert_false (sim_engine_cancel (engine, a));
    g_assert_true (sim_engine_is_pending (engine, c));
    sim_engine_run_until (engine, 10);
    g_assert_cmpuint (log.fired->len, ==, 2);
    g_assert_cmpint (log_id (&log, 1), ==, 3);

    /* From inside a handler: another event, and its own handle. */
    h[0] = sim_engine_schedule (engine, 20, 0, record, &log, 4);
    h[1] = sim_engine_schedule (engine, 15, 0, cancel_from_handler, h, 0);
    sim_engine_run_until (engine, 30);
    g_assert_cmpuint (log.fired->len, ==, 2);
    g_assert_cmpuint (sim_engine_pending (engine), ==, 0);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_cancel_all (void)
{
    SimEngine *engine = sim_engine_new ();
    SimHandle far;
    Log log;

    g_test_summary ("Cancelled events never hold the clock back: with only "
                    "cancelled events left, events scheduled before them "
                    "still run in order");

    log_init (&log);
    sim_engine_schedule (engine, 10, 0, record, &log, 10);
    far = sim_engine_schedule (engine, 1000, 0, record, &log, 1000);
    g_assert_true (sim_engine_step (engine));
    g_assert_true (sim_engine_cancel (engine, far));
    g_assert_false (sim_engine_step (engine));
    g_assert_cmpint (sim_engine_now (engine), ==, 10);
    sim_engine_schedule (engine, 20, 0, record, &log, 20);
    sim_engine_schedule (engine, 15, 0, record, &log, 15);
    sim_engine_run_until (engine, SIM_TIME_NEVER);
    g_assert_cmpuint (log.fired->len, ==, 3);
    g_assert_cmpint (log_id (&log, 1), ==, 15);
    g_assert_cmpint (log_id (&log, 2), ==, 20);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_run_until (void)
{
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("run_until() runs events up to and including the "
                    "horizon and leaves the clock there");

    log_init (&log);
    g_assert_cmpint (sim_engine_now (engine), ==, 0);
    sim_engine_schedule (engine, 5, 0, record, &log, 5);
    sim_engine_schedule (engine, 10, 0, record, &log, 10);
    sim_engine_schedule (engine, 11, 0, record, &log, 11);

    sim_engine_run_until (engine, 7);
    g_assert_cmpint (sim_engine_now (engine), ==, 7);
    g_assert_cmpuint (log.fired->len, ==, 1);

    sim_engine_run_until (engine, 10);
    g_assert_cmpint (sim_engine_now (engine), ==, 10);
    g_assert_cmpuint (log.fired->len, ==, 2);
    g_assert_cmpint (log_id (&log, 1), ==, 10);

    sim_engine_run_until (engine, 10);
    g_assert_cmpuint (log.fired->len, ==, 2);

    sim_engine_run_until (engine, 1000);
    g_assert_cmpint (sim_engine_now (engine), ==, 1000);
    g_assert_cmpuint (log.fired->len, ==, 3);
    g_assert_cmpuint (sim_engine_executed (engine), ==, 3);

    /* An empty queue still moves the clock. */
    sim_engine_run_until (engine, 2000);
    g_assert_cmpint (sim_engine_now (engine), ==, 2000);

    /* Until "never": everything runs, the clock stays at the last event. */
    sim_engine_after (engine, 5, 0, record, &log, 1);
    sim_engine_after (engine, 9, 0, record, &log, 2);
    sim_engine_run_until (engine, SIM_TIME_NEVER);
    g_assert_cmpint (sim_engine_now (engine), ==, 2009);
    g_assert_cmpuint (log.fired->len, ==, 5);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
stop_handler (SimEngine *engine, gpointer obj, gint64 arg)
{
    record (engine, obj, arg);
    sim_engine_stop (engine);
}

static void
test_stop (void)
{
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("stop() from a handler ends run_until() after that "
                    "handler, clock at its event; the next run goes on");

    log_init (&log);
    sim_engine_schedule (engine, 3, 0, record, &log, 3);
    sim_engine_schedule (engine, 5, 0, stop_handler, &log, 5);
    sim_engine_schedule (engine, 5, 0, record, &log, 6);
    sim_engine_schedule (engine, 8, 0, record, &log, 8);

    sim_engine_run_until (engine, 100);
    g_assert_cmpuint (log.fired->len, ==, 2);
    g_assert_cmpint (sim_engine_now (engine), ==, 5);
    g_assert_cmpuint (sim_engine_pending (engine), ==, 2);

    sim_engine_run_until (engine, 100);
    g_assert_cmpuint (log.fired->len, ==, 4);
    g_assert_cmpint (sim_engine_now (engine), ==, 100);

    /* A stop outside a run is honoured by the next run, once. */
    sim_engine_schedule (engine, 150, 0, record, &log, 150);
    sim_engine_stop (engine);
    sim_engine_run_until (engine, 200);
    g_assert_cmpuint (log.fired->len, ==, 4);
    g_assert_cmpint (sim_engine_now (engine), ==, 100);
    sim_engine_run_until (engine, 200);
    g_assert_cmpuint (log.fired->len, ==, 5);
    g_assert_cmpint (sim_engine_now (engine), ==, 200);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_step (void)
{
    SimEngine *engine = sim_engine_new ();
    Log log;

    g_test_summary ("step() runs exactly one event and sets the clock to "
                    "it; FALSE when nothing is pending");

    log_init (&log);
    g_assert_false (sim_engine_step (engine));
    sim_engine_schedule (engine, 9, 0, record, &log, 9);
    sim_engine_schedule (engine, 4, 0, record, &log, 4);
    g_assert_true (sim_engine_step (engine));
    g_assert_cmpint (sim_engine_now (engine), ==, 4);
    g_assert_cmpuint (sim_engine_pending (engine), ==, 1);
    g_assert_true (sim_engine_step (engine));
    g_assert_cmpint (sim_engine_now (engine), ==, 9);
    g_assert_false (sim_engine_step (engine));
    g_assert_cmpuint (sim_engine_executed (engine), ==, 2);
    log_clear (&log);
    sim_engine_free (engine);
}

static void
test_after_saturates (void)
{
    SimEngine *engine = sim_engine_new ();
    SimHandle h;
    Log log;

    g_test_summary ("after() is relative to now and saturates instead of "
                    "overflowing");

    log_init (&log);
    sim_engine_run_until (engine, 1000);
    sim_engine_after (engine, 5, 0, record, &log, 1);
    h = sim_engine_after (engine, G_MAXINT64, 0, record, &log, 2);
    sim_engine_run_until (engine, G_MAXINT64 - 1);
    g_assert_cmpuint (log.fired->len, ==, 1);
    g_assert_cmpint (g_array_index (log.fired, Fired, 0).time, ==, 1005);
    g_assert_true (sim_engine_is_pending (engine, h));
    log_clear (&log);
    sim_engine_free (engine);
}

static void
noop (SimEngine *engine, gpointer obj, gint64 arg)
{
}

/* Steady traffic: an event every 10 ms, for ever. */
static void
tick (SimEngine *engine, gpointer obj, gint64 arg)
{
    sim_engine_after (engine, 10000, 0, tick, NULL, 0);
}

/* @bursts bursts of N events at one time each, at ever different times,
 * with N more far ahead that are cancelled; with @steady, a tick every
 * 10 ms runs throughout and each burst is followed by 2 simulated seconds
 * of it.  The engine's memory at the end, against after WARM bursts. */
static void
run_bursts (gboolean steady, gint bursts)
{
    enum { N = 1024, WARM = 8 };
    SimEngine *engine = sim_engine_new ();
    SimHandle *far = g_new (SimHandle, N);
    gsize warm = 0;

    if (steady)
        sim_engine_schedule (engine, 0, 0, tick, NULL, 0);
    for (gint b = 0; b < bursts; b++) {
        /* Times whose digits differ from burst to burst: every level-0
         * and level-1 bucket, and many of level 2, get a burst. */
        SimTime at = sim_engine_now (engine) + 1 + (SimTime) (b * 7919) % 70001;

        for (gint k = 0; k < N; k++)
            sim_engine_schedule (engine, at, 0, noop, NULL, k);
        for (gint k = 0; k < N; k++)
            far[k] = sim_engine_schedule (
                engine, at + (SimTime) 3600000000 + (SimTime) k * 1000000, 0,
                noop, NULL, k);
        for (gint k = 0; k < N; k++)
            g_assert_true (sim_engine_cancel (engine, far[k]));
        sim_engine_run_until (engine, steady ? at + 2000000 : at);
        g_assert_cmpuint (sim_engine_pending (engine), ==, steady ? 1 : 0);
        if (b == WARM - 1)
            warm = sim_engine_bytes (engine);
    }
    g_test_message ("engine bytes after %d bursts: %zu, after %d: %zu", WARM,
                    warm, bursts, sim_engine_bytes (engine));
    /* Arrays of a burst's size: a few wait to be taken back, and the
     * spares keep as many as buckets were ever filled at once; an engine
     * that kept them in every bucket a burst went through would end with
     * hundreds (512 buckets of levels 0 and 1 alone). */
    g_assert_cmpuint (sim_engine_bytes (engine), <=,
                      warm + 64 * N * sim_engine_event_bytes ());
    g_free (far);
    sim_engine_free (engine);
}

static void
test_bursts_idle (void)
{
    g_test_summary ("Bursts of events at ever different times, the queue "
                    "empty between them, leave the engine's memory within "
                    "a few dozen bursts' worth of where the first ones left "
                    "it: arrays grown for a burst are given back, not kept "
                    "in every bucket a burst used");
    run_bursts (FALSE, 600);
}

static void
test_bursts_steady (void)
{
    g_test_summary ("The same with steady events between the bursts (the "
                    "queue is never empty): large arrays left idle in "
                    "buckets are taken back as simulated time passes");
    run_bursts (TRUE, 300);
}

/* Dense traffic for test_far_buckets: every 100 us a request whose
 * completion comes within 80 ms, and one in 50 also sets a timer 1 to 5
 * s ahead (a client's timeout, a probe). */
static void
request_tick (SimEngine *engine, gpointer obj, gint64 arg)
{
    SimRng *rng = obj;

    sim_engine_after (engine, 100, 0, request_tick, rng, 0);
    sim_engine_after (engine, 1 + sim_rng_below (rng, 80000), 1, noop, NULL, 0);
    if (sim_rng_below (rng, 50) == 0)
        sim_engine_after (engine, 1000000 + sim_rng_below (rng, 4000000), 2,
                          noop, NULL, 0);
}

static void
test_far_buckets (void)
{
    enum { BURST = 50000 };
    SimEngine *engine = sim_engine_new ();
    SimRng rng;
    gsize most = 0, bytes, after;
    guint most_pending = 0;

    g_test_summary ("Dense traffic with a few timers seconds ahead: the "
                    "engine's arrays stay within a few times what its "
                    "pending events need, however long it runs (a bucket "
                    "seconds ahead holding a few timers does not keep an "
                    "array sized for the hundreds a bucket about to run "
                    "holds), and the arrays a burst leaves in the spares are "
                    "freed once idle");
    sim_rng_init (&rng, 7, 0);
    sim_engine_schedule (engine, 0, 0, request_tick, &rng, 0);
    for (SimTime t = 1000000; t <= 60000000; t += 1000000) {
        sim_engine_run_until (engine, t);
        if (t < 10000000)
            continue; /* warm-up: the first timers are still ahead */
        most = MAX (most, sim_engine_bytes (engine));
        most_pending = MAX (most_pending, sim_engine_pending (engine));
    }
    bytes = sim_engine_bytes (engine);
    g_test_message ("engine bytes: at most %zu (%u pending at most), %zu at "
                    "the end",
                    most, most_pending, bytes);
    /* The fixed part (the first arrays of levels 0 and 1), then eight
     * times the pending events: slots and arrays at most twice full, as
     * much again in spares and in the smallest arrays of buckets holding
     * one timer or two.  One pool for all sizes took 1,246,464 bytes
     * here, 2.2 times this bound: dozens of buckets seconds ahead each
     * held an array of 1,024 entries for a few timers. */
    g_assert_cmpuint (most, <=,
                      2 * 256 * 8 * 24
                          + 8 * most_pending * sim_engine_event_bytes ());
    /* A burst 3 s ahead, then 10 s more of the same traffic.  Its slots
     * stay (the pool is as large as the most events ever pending), and
     * one array of its size may still wait in a bucket of level 1 for
     * trim_some(); the arrays it left in the spares are freed.  Without
     * spare_trim() 5,686,528 bytes stayed here; with a full bucket
     * swapping its array for any larger spare, 5,550,144 (a bucket of
     * 32 timers took the burst's). */
    for (gint k = 0; k < BURST; k++)
        sim_engine_after (engine, 3000000, 1, noop, NULL, k);
    sim_engine_run_until (engine, sim_engine_now (engine) + 13000000);
    after = sim_engine_bytes (engine);
    g_test_message ("after a burst of %d events and 10 s: %zu", BURST, after);
    g_assert_cmpuint (after, <=,
                      most + BURST * 3 / 2 * sim_engine_event_bytes ());
    sim_engine_free (engine);
}

static void
test_user_data (void)
{
    SimEngine *engine = sim_engine_new ();
    int world;

    g_test_summary ("The user pointer round-trips");

    g_assert_null (sim_engine_get_user_data (engine));
    sim_engine_set_user_data (engine, &world);
    g_assert_true (sim_engine_get_user_data (engine) == &world);
    sim_engine_free (engine);
    sim_engine_free (NULL);
}

static void
test_past_asserts (void)
{
    g_test_summary ("Scheduling in the past is a programming error and "
                    "aborts");

    if (g_test_subprocess ()) {
        SimEngine *engine = sim_engine_new ();
        Log log;

        log_init (&log);
        sim_engine_run_until (engine, 100);
        sim_engine_schedule (engine, 99, 0, record, &log, 0);
        return;
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed ();
    g_test_trap_assert_stderr ("*at >= engine->now*");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/engine/heap/random-vs-sort", test_random_vs_sort);
    g_test_add_func ("/engine/heap/interleaved", test_interleaved);
    g_test_add_func ("/engine/heap/interleaved-wide", test_interleaved_wide);
    g_test_add_func ("/engine/heap/handlers-schedule", test_handlers_schedule);
    g_test_add_func ("/engine/heap/fifo-ties", test_fifo_ties);
    g_test_add_func ("/engine/heap/class-order", test_class_order);
    g_test_add_func ("/engine/schedule/now-from-handler",
                     test_now_from_handler);
    g_test_add_func ("/engine/schedule/after-saturates", test_after_saturates);
    g_test_add_func ("/engine/schedule/past-asserts", test_past_asserts);
    g_test_add_func ("/engine/cancel/dead-handles", test_cancel);
    g_test_add_func ("/engine/cancel/all-then-schedule", test_cancel_all);
    g_test_add_func ("/engine/run/until", test_run_until);
    g_test_add_func ("/engine/run/stop", test_stop);
    g_test_add_func ("/engine/run/step", test_step);
    g_test_add_func ("/engine/memory/bursts-idle", test_bursts_idle);
    g_test_add_func ("/engine/memory/bursts-steady", test_bursts_steady);
    g_test_add_func ("/engine/memory/far-buckets", test_far_buckets);
    g_test_add_func ("/engine/user-data", test_user_data);

    return g_test_run ();
}
