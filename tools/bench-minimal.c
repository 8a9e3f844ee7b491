/* bench-minimal.c - `make bench`'s yardstick: the model of
 * scenarios/bench.ini written as a modeller would by hand in plain C,
 * with nothing rollsim adds (no rollout, nodes, endpoints, time series,
 * analysis, output files, checks of its input).  What is left is the
 * least a simulator of this model must do per request, so that
 * rollsim's cost per request can be set against it.
 *
 * The model: Poisson arrivals at RATE per second for SECONDS; each
 * request goes to one of PODS pods chosen uniformly at random; a pod
 * serves CONC at a time, exponential service times of mean SERVICE_MS,
 * and queues up to QUEUE more in FIFO order (a request finding the
 * queue full is rejected); a client gives up after TIMEOUT_S, and the
 * pod still serves its request (counted as a timeout, not ok).
 *
 * One binary heap of events (arrivals and completions), a ring of
 * waiting arrival times per pod, xoshiro256** for random numbers.  It
 * prints one line: requests, outcomes, mean latency of the ok ones and
 * the probability of waiting, to compare with rollsim's summary.csv.
 *
 *   bench-minimal [PODS RATE SECONDS CONC QUEUE SERVICE_MS TIMEOUT_S]
 *   defaults: 100 2000 1800 4 50 40 5 (scenarios/bench.ini)
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    double t;
    double arrival; /* completion: when its request arrived */
    int pod;        /* -1: the next arrival */
} Event;

typedef struct {
    int busy, queued, head;
    double *waiting; /* a ring of QUEUE arrival times */
} Pod;

static Event *heap;
static int n_events;
static uint64_t s[4] = { 0x9e3779b97f4a7c15u, 0xbf58476d1ce4e5b9u,
                         0x94d049bb133111ebu, 0x2545f4914f6cdd1du };

static uint64_t
next (void)
{
    uint64_t r = s[1] * 5, t = s[1] << 17;

    r = ((r << 7) | (r >> 57)) * 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return r;
}

/* Uniform in (0, 1]. */
static double
uniform (void)
{
    return ((next () >> 11) + 1) * 0x1.0p-53;
}

static void
push (Event e)
{
    int i = n_events++;

    while (i > 0 && heap[(i - 1) / 2].t > e.t) {
        heap[i] = heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    heap[i] = e;
}

static Event
pop (void)
{
    Event top = heap[0], last = heap[--n_events];
    int i = 0;

    for (;;) {
        int c = 2 * i + 1;

        if (c >= n_events)
            break;
        if (c + 1 < n_events && heap[c + 1].t < heap[c].t)
            c++;
        if (last.t <= heap[c].t)
            break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = last;
    return top;
}

int
main (int argc, char **argv)
{
    int pods = argc > 1 ? atoi (argv[1]) : 100;
    double rate = argc > 2 ? atof (argv[2]) : 2000;
    double end = argc > 3 ? atof (argv[3]) : 1800;
    int conc = argc > 4 ? atoi (argv[4]) : 4;
    int queue = argc > 5 ? atoi (argv[5]) : 50;
    double service = (argc > 6 ? atof (argv[6]) : 40) / 1000;
    double timeout = argc > 7 ? atof (argv[7]) : 5;
    long arrivals = 0, ok = 0, rejected = 0, timeouts = 0, waited = 0;
    double latency = 0;
    Pod *pod;

    if (pods < 1 || rate <= 0 || end <= 0 || conc < 1 || queue < 0
        || service <= 0 || timeout <= 0) {
        fprintf (stderr, "usage: bench-minimal [PODS RATE SECONDS CONC "
                         "QUEUE SERVICE_MS TIMEOUT_S]\n");
        return 2;
    }
    pod = calloc ((size_t) pods, sizeof *pod);
    /* At most one arrival and every pod's servers pending at once. */
    heap = malloc (((size_t) pods * (size_t) conc + 1) * sizeof *heap);
    if (pod == NULL || heap == NULL)
        return 1;
    for (int i = 0; i < pods; i++)
        if ((pod[i].waiting = malloc ((size_t) (queue + 1) * sizeof (double)))
            == NULL)
            return 1;

    push ((Event) { -log (uniform ()) / rate, 0, -1 });
    while (n_events > 0) {
        Event e = pop ();

        if (e.t > end)
            break; /* what is in flight at the end stays unanswered */
        if (e.pod < 0) {
            Pod *p = &pod[(int) (((next () >> 32) * (uint64_t) pods) >> 32)];
            double t = e.t - log (uniform ()) / rate;

            arrivals++;
            if (p->busy < conc) {
                p->busy++;
                push ((Event) { e.t - log (uniform ()) * service, e.t,
                                (int) (p - pod) });
            } else if (p->queued < queue) {
                p->waiting[(p->head + p->queued++) % queue] = e.t;
                waited++;
            } else {
                rejected++;
            }
            if (t <= end)
                push ((Event) { t, 0, -1 });
            continue;
        }
        /* A completion: its answer, then the first waiting request takes
         * the server. */
        Pod *p = &pod[e.pod];

        if (e.t - e.arrival > timeout) {
            timeouts++;
        } else {
            ok++;
            latency += e.t - e.arrival;
        }
        if (p->queued > 0) {
            double arrival = p->waiting[p->head];

            p->head = (p->head + 1) % queue;
            p->queued--;
            push ((Event) { e.t - log (uniform ()) * service, arrival, e.pod });
        } else {
            p->busy--;
        }
    }
    printf ("requests %ld ok %ld rejected %ld timeout %ld mean_ms %.3f "
            "wait_prob %.6f\n",
            arrivals, ok, rejected, timeouts,
            ok > 0 ? 1000 * latency / (double) ok : 0,
            arrivals > 0 ? (double) waited / (double) arrivals : 0);
    return 0;
}
