/* outcome.h - what a run came to, as users and the rollout saw it: the
 * causes of failed requests (a contract: docs/design.md 4.2), counters
 * of request outcomes, how a rollout ended, and the record of its
 * milestones.  Public: the model records these, metrics and reports read
 * them.
 */
#ifndef SIM_OUTCOME_H
#define SIM_OUTCOME_H

#include <glib.h>
#include "units.h"

/* Request outcomes other than ok. */
#define SIM_CAUSES(X) \
    X (APP_ERROR, "app_error") \
    X (NO_ENDPOINT, "no_endpoint") \
    X (REFUSED, "refused") \
    X (REJECTED, "rejected") \
    X (KILLED, "killed") \
    X (TIMEOUT, "timeout")

typedef enum {
#define SIM_CAUSE_ENUM(id, name) SIM_CAUSE_##id,
    SIM_CAUSES (SIM_CAUSE_ENUM)
#undef SIM_CAUSE_ENUM
        SIM_N_CAUSES
} SimCause;

const char *sim_cause_name (SimCause cause);

/* Traffic counters, overall or per version, over a window or a run. */
typedef struct SimCounters {
    guint64 arrivals, ok, errors;
    guint64 cause[SIM_N_CAUSES];
} SimCounters;

/* Who sent a request.  Only users' requests make the user figures
 * (arrivals, availability, latency, the blast radius); the others are
 * counted apart, per version. */
typedef enum {
    SIM_TRAFFIC_USER,
    SIM_TRAFFIC_PREVIEW, /* a smoke test or load test: the preview Service
                            (blue-green) or the canary's (Flagger) */
    SIM_TRAFFIC_MIRROR,  /* a mesh's copy of a user's request, sent to the
                            canary; nobody reads its answer */
    SIM_TRAFFIC_N
} SimTraffic;

/* How a rollout ended (summary.csv `outcome`). */
#define SIM_OUTCOMES(X) \
    X (NONE, "none") \
    X (UNFINISHED, "unfinished") \
    X (COMPLETED, "completed") \
    X (ABORTED, "aborted") \
    X (STALLED, "stalled")

typedef enum {
#define SIM_OUTCOME_ENUM(id, name) SIM_OUTCOME_##id,
    SIM_OUTCOMES (SIM_OUTCOME_ENUM)
#undef SIM_OUTCOME_ENUM
} SimOutcome;

const char *sim_outcome_name (SimOutcome outcome);

/* The rollouts' milestones, as the world records them: a rollout
 * begins with each new template of the Deployment (the [rollout], a
 * set-image, an undo, a restart) and with a retry; the record spans the
 * first one's start to the last one's end, with the last one's outcome.
 * Times are -1 until they happen. */
typedef struct SimRolloutRecord {
    gboolean started;
    gint count;         /* rollouts started */
    SimTime start;      /* the first one's start */
    SimTime end;        /* the last one's end; -1 while one is under way */
    SimOutcome outcome; /* the last one's */
    gboolean stalled;   /* past its progress deadline now */
    SimTime aborted_at; /* the first abort */
    SimTime first_new_request; /* first user answered by a version
                                  other than the initial one */
} SimRolloutRecord;

/* A rollout under way: started and not ended (completed or aborted). */
static inline gboolean
sim_rollout_during (const SimRolloutRecord *r)
{
    return r->started && r->end < 0;
}

#endif /* SIM_OUTCOME_H */
