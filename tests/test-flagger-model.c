/* test-flagger-model.c - Flagger's Canary against a small model of its
 * scheduler on random configurations: the strategy (stepWeight,
 * stepWeights, A/B, blue/green), interval, threshold, the weights,
 * stepWeightPromotion, mirroring, skipAnalysis, the kubernetes provider,
 * the canary's readiness delay, a new revision during or after the run
 * and the health of the new version, drawn from a fixed seed.
 *
 * The model below is written from Flagger v1.44.0's scheduler
 * (pkg/controller/scheduler.go: advanceCanary, runCanary, runAB,
 * runBlueGreen, runPromotionTrafficShift, maxWeight, nextStepWeight,
 * rollback, handleFailedPromotion; docs/design.md chapter F) and shares
 * no code with strategies/flagger.c.  It is fed only what a tick can
 * observe: whether the canary and the primary were ready (replayed from
 * the event log's pod rows) and whether that tick's metric checks passed
 * (the log's analysis rows; the model never looks at requests).  The
 * weights, failedChecks, the threshold, iterations, promotion, the
 * traffic shift back and Finalising it decides by itself.
 *
 * Each tick from detection (K = 0) is one line, as in test-flagger.c:
 * "K PHASE failedChecks WEIGHT", then "mirror" while the route mirrors,
 * "promoted" on the tick that copies the spec, and "pass" or "fail"
 * when the tick ran a metric analysis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "event-log.h"

#define N_CONFIGS 150
#define SEED 15
#define ROLLOUT_AT 60 /* s */
#define DEADLINE 600  /* s: progressDeadlineSeconds, Canary's and K8s' */
/* Pods start this much past a whole second: no pod becomes available at
 * a tick's instant (ticks fall on whole seconds), so "ready at the tick"
 * never depends on the order of two events at one instant. */
#define OFFSET_MS 137

static const char base_ini[] = "[scenario]\n"
                               "name = flagger-model\n"
                               "[cluster]\n"
                               "nodes = 10\n"
                               "controller_delay = 0s\n"
                               "endpoint_delay = 0s\n"
                               "schedule_delay = 0s\n"
                               "[deployment]\n"
                               "version = v1\n"
                               "[version.v1]\n"
                               "pull = const(0s)\n"
                               "startup = const(0s)\n"
                               "service = exp(20ms)\n"
                               "[version.v2]\n"
                               "pull = const(0s)\n"
                               "service = exp(20ms)\n"
                               "[traffic]\n"
                               "rate = 20\n"
                               "users = 1000\n"
                               "[strategy]\n"
                               "type = flagger\n"
                               "[analysis]\n"
                               "metrics = success_rate >= 0.99; p99_ms <= 500\n"
                               "[rollout]\n"
                               "at = 1m\n"
                               "to = v2\n";

/* --- A configuration ------------------------------------------------------ */

typedef enum { KIND_STEP, KIND_LIST, KIND_AB, KIND_BG } Kind;

static const char *const kind_names[] = { "canary stepWeight",
                                          "canary stepWeights", "A/B",
                                          "blue/green" };

typedef struct {
    Kind kind;
    gint interval, delay; /* s: analysis.interval, detection delay */
    gint threshold, max_weight, step_weight, promotion_step;
    gint steps[6], n_steps; /* stepWeights */
    gint iterations, match;
    gboolean mirror, skip, load_test;
    gint replicas;
    gboolean cramped;      /* no room for the primary's surge pod */
    gboolean k8s;          /* provider kubernetes: no router */
    gint image_at_ms;      /* v3 applied then (0: never) */
    gint startup_ms;       /* the new version's pods, from creation to ready */
    double error0, error1; /* its error rate before and after switch_at */
    gint switch_at;        /* s, 0: none */
    gint ticks;            /* ticks simulated from detection */
} Config;

static gint
pick (GRand *r, gint lo, gint hi)
{
    return g_rand_int_range (r, lo, hi + 1);
}

static void
draw (GRand *r, Config *c)
{
    gint p, ready_ticks;

    memset (c, 0, sizeof *c);
    p = pick (r, 0, 99);
    c->kind = p < 35   ? KIND_STEP
              : p < 60 ? KIND_LIST
              : p < 80 ? KIND_AB
                       : KIND_BG;
    c->interval = pick (r, 10, 120);
    c->delay = pick (r, 0, c->interval - 1);
    c->threshold = pick (r, 1, 6);
    c->replicas = pick (r, 1, 4);
    c->promotion_step = pick (r, 0, 9) < 6 ? 0 : pick (r, 5, 60);
    switch (c->kind) {
    case KIND_STEP:
        c->step_weight = pick (r, 0, 9) < 8 ? pick (r, 5, 50)
                                            : pick (r, 1, 100);
        p = pick (r, 0, 99);
        c->max_weight = p < 20 ? 0 : p < 97 ? pick (r, 10, 100) : 150;
        c->mirror = pick (r, 0, 99) < 15;
        break;
    case KIND_LIST:
        c->n_steps = pick (r, 1, 5);
        for (gint i = 0, w = 0; i < c->n_steps; i++) {
            w += pick (r, 1, 40);
            c->steps[i] = w;
        }
        p = pick (r, 0, 99);
        if (p < 10) /* the last above 100: the maximum is 100 */
            c->steps[c->n_steps - 1] += 100;
        else if (p < 15 && c->n_steps > 1) /* a list that goes down */
            c->steps[c->n_steps - 2] = c->steps[c->n_steps - 1] + 5;
        else if (p < 25) /* stepWeight set too: it wins */
            c->step_weight = pick (r, 5, 40);
        c->max_weight = pick (r, 0, 1) ? 0 : pick (r, 10, 100); /* unused */
        c->mirror = pick (r, 0, 99) < 15;
        break;
    case KIND_AB:
        c->iterations = pick (r, 1, 8);
        c->match = pick (r, 5, 30);
        break;
    case KIND_BG:
        c->iterations = pick (r, 1, 8);
        c->mirror = pick (r, 0, 99) < 30;
        c->load_test = pick (r, 0, 99) < 70;
        break;
    }
    c->skip = pick (r, 0, 99) < 4;
    c->cramped = pick (r, 0, 99) < 6;
    c->k8s = pick (r, 0, 99) < 8;
    c->image_at_ms = pick (r, 0, 99) < 15 ? 1 : 0; /* drawn below */
    if (c->k8s)
        c->load_test = pick (r, 0, 99) < 70;

    /* The new version's readiness: mostly within an interval or two,
     * sometimes minutes, sometimes about the progress deadline (one
     * replica: the primary then rolls in one wave, as long), sometimes
     * never. */
    p = pick (r, 0, 99);
    if (p < 60) {
        c->startup_ms = pick (r, 0, c->interval * 3 / 2) * 1000;
    } else if (p < 82) {
        c->startup_ms = pick (r, 30, 300) * 1000;
    } else if (p < 93) {
        c->startup_ms = pick (r, 540, 720) * 1000;
        c->replicas = 1;
    } else {
        c->startup_ms = 3600 * 1000;
    }
    c->startup_ms += OFFSET_MS;

    /* Its health: good, bad, turning bad or good at some point, or
     * about the success-rate bound (checks pass and fail at random). */
    p = pick (r, 0, 99);
    if (p < 40) {
        c->error0 = c->error1 = 0;
    } else if (p < 55) {
        c->error0 = c->error1 = 0.5;
    } else if (p < 70) {
        c->error0 = 0, c->error1 = 0.5;
    } else if (p < 80) {
        c->error0 = 0.5, c->error1 = 0;
    } else {
        c->error0 = c->error1 = 0.01;
    }
    ready_ticks = (MIN (c->startup_ms / 1000, DEADLINE + 120)) / c->interval
                  + 1;
    if (c->cramped)
        ready_ticks += DEADLINE / c->interval + 1;
    /* Enough ticks for the longest run these settings allow: the wait
     * for the canary, the steps or iterations, every failure the
     * threshold allows, the traffic shift back, the primary's rolling
     * update (up to replicas waves), and the ends. */
    c->ticks = 8 + ready_ticks * (c->replicas + 1) + c->threshold
               + 2 * (c->k8s ? MAX (c->iterations, 10) : c->iterations)
               + 2 * c->n_steps
               + (c->promotion_step > 0 ? 100 / c->promotion_step + 1 : 1)
               + (c->step_weight > 0 ? 100 / c->step_weight + 1 : 0);
    if (c->image_at_ms > 0) {
        /* A new revision at some point: a restart, or a second run. */
        c->image_at_ms = (ROLLOUT_AT + c->delay) * 1000
                         + pick (r, 0, c->ticks / 2) * c->interval * 1000
                         + pick (r, 1, c->interval - 1) * 1000 + 500;
        c->ticks += c->ticks / 2 + 4;
    }
    if (c->error0 != c->error1)
        c->switch_at = ROLLOUT_AT + c->delay
                       + pick (r, 1, c->ticks / 2) * c->interval
                       + pick (r, 1, c->interval - 1);
}

static char *
describe (const Config *c)
{
    GString *s = g_string_new (NULL);

    g_string_append_printf (s,
                            "%s: interval %ds, detection delay %ds, "
                            "threshold %d, replicas %d, startup %.3fs",
                            kind_names[c->kind], c->interval, c->delay,
                            c->threshold, c->replicas, c->startup_ms / 1000.0);
    if (c->step_weight > 0)
        g_string_append_printf (s, ", stepWeight %d", c->step_weight);
    if (c->kind == KIND_STEP || c->kind == KIND_LIST)
        g_string_append_printf (s, ", maxWeight %d", c->max_weight);
    if (c->n_steps > 0) {
        g_string_append (s, ", stepWeights [");
        for (gint i = 0; i < c->n_steps; i++)
            g_string_append_printf (s, "%s%d", i ? ", " : "", c->steps[i]);
        g_string_append (s, "]");
    }
    if (c->iterations > 0)
        g_string_append_printf (s, ", iterations %d", c->iterations);
    if (c->match > 0)
        g_string_append_printf (s, ", match %d%%", c->match);
    g_string_append_printf (s, ", stepWeightPromotion %d", c->promotion_step);
    if (c->mirror)
        g_string_append (s, ", mirror");
    if (c->load_test)
        g_string_append (s, ", load test");
    if (c->skip)
        g_string_append (s, ", skipAnalysis");
    if (c->cramped)
        g_string_append (s, ", no room for the primary's surge");
    if (c->k8s)
        g_string_append (s, ", provider kubernetes");
    if (c->image_at_ms > 0)
        g_string_append_printf (s, ", v3 applied at %.3fs",
                                c->image_at_ms / 1000.0);
    g_string_append_printf (s, ", error rate %g", c->error0);
    if (c->switch_at > 0)
        g_string_append_printf (s, " then %g at %ds", c->error1, c->switch_at);
    g_string_append_printf (s, ", %d ticks", c->ticks);
    return g_string_free (s, FALSE);
}

/* The settings as --set overrides (a NULL-terminated array). */
static GPtrArray *
overrides (const Config *c)
{
    GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
    gint end = ROLLOUT_AT + c->delay + c->ticks * c->interval - c->interval / 2;

#define SET(...) g_ptr_array_add (a, g_strdup_printf (__VA_ARGS__))
    SET ("scenario.duration=%ds", end);
    SET ("deployment.replicas=%d", c->replicas);
    SET ("version.v2.startup=const(%dms)", c->startup_ms);
    SET ("version.v2.error_rate=%g", c->error0);
    /* v3 as v2, with v2's health as it was drawn. */
    SET ("version.v3.startup=const(%dms)", c->startup_ms);
    SET ("version.v3.error_rate=%g", c->error0);
    if (c->switch_at > 0 && c->image_at_ms > 0)
        SET ("timeline.actions=%ds error-rate v2 %g; %ds error-rate v3 %g; "
             "%dms set-image v3",
             c->switch_at, c->error1, c->switch_at, c->error1, c->image_at_ms);
    else if (c->switch_at > 0)
        SET ("timeline.actions=%ds error-rate v2 %g", c->switch_at, c->error1);
    else if (c->image_at_ms > 0)
        SET ("timeline.actions=%dms set-image v3", c->image_at_ms);
    SET ("strategy.flagger.interval=%ds", c->interval);
    SET ("strategy.flagger.detection_delay=%ds", c->delay);
    SET ("strategy.flagger.threshold=%d", c->threshold);
    SET ("strategy.flagger.max_weight=%d", c->max_weight);
    SET ("strategy.flagger.step_weight=%d", c->step_weight);
    SET ("strategy.flagger.step_weight_promotion=%d", c->promotion_step);
    SET ("strategy.flagger.iterations=%d", c->iterations);
    if (c->match > 0)
        SET ("strategy.flagger.match=%d%%", c->match);
    if (c->n_steps > 0) {
        GString *s = g_string_new ("strategy.flagger.step_weights=");

        for (gint i = 0; i < c->n_steps; i++)
            g_string_append_printf (s, "%s%d", i ? ", " : "", c->steps[i]);
        g_ptr_array_add (a, g_string_free (s, FALSE));
    }
    SET ("strategy.flagger.mirror=%s", c->mirror ? "true" : "false");
    SET ("strategy.flagger.skip_analysis=%s", c->skip ? "true" : "false");
    if (c->load_test)
        SET ("strategy.flagger.load_test_rate=10");
    if (c->k8s)
        SET ("strategy.flagger.provider=kubernetes");
    if (c->cramped) {
        /* One node just big enough for the primary and the canary: the
         * promoted primary's surge pod never schedules (F9.18). */
        SET ("cluster.nodes=1");
        SET ("cluster.node_cpu=%dm", 200 * c->replicas);
        SET ("deployment.cpu=100m");
        SET ("strategy.flagger.primary_max_surge=1");
        SET ("strategy.flagger.primary_max_unavailable=0");
    }
#undef SET
    g_ptr_array_add (a, NULL);
    return a;
}

/* --- What a tick observes -------------------------------------------------- */

/* Whether the pods of one Deployment ("primary/" or "canary/" rows) make
 * it ready at @t for a template of @version and @replicas replicas
 * (isDeploymentReady, readiness threshold 100%): at least that many
 * updated pods, none of another version (terminating ones aside), all
 * of them available.  Replayed from the rows before @t. */
static gboolean
observed_ready (SimEventLog *log, const char *prefix, const char *version,
                gint replicas, SimTime t)
{
    g_autoptr (GHashTable) pods = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter it;
    gpointer key, value;
    gint updated = 0, other = 0, available = 0;
    enum { ALIVE = 1, AVAILABLE = 2, OLD = 4 };

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);
        gint s;

        if (r->time >= t)
            break;
        if (!g_str_has_prefix (r->object, prefix))
            continue;
        s = GPOINTER_TO_INT (g_hash_table_lookup (pods, r->object));
        switch (r->kind) {
        case SIM_EVENT_POD_CREATED:
            s = ALIVE | (g_strcmp0 (r->version, version) != 0 ? OLD : 0);
            break;
        case SIM_EVENT_POD_AVAILABLE:
            s |= AVAILABLE;
            break;
        case SIM_EVENT_POD_TERMINATING:
        case SIM_EVENT_POD_DELETED:
            s = 0;
            break;
        default:
            continue;
        }
        g_hash_table_insert (pods, r->object, GINT_TO_POINTER (s));
    }
    g_hash_table_iter_init (&it, pods);
    while (g_hash_table_iter_next (&it, &key, &value)) {
        gint s = GPOINTER_TO_INT (value);

        if (!(s & ALIVE))
            continue;
        if (s & OLD) {
            other++;
            continue;
        }
        updated++;
        available += (s & AVAILABLE) != 0;
    }
    return updated >= replicas && other == 0 && available >= updated;
}

/* The last time before @t that the pods of one Deployment made progress
 * (a pod created, available or terminating; Kubernetes' Progressing
 * condition), at least @since. */
static SimTime
observed_progress (SimEventLog *log, const char *prefix, SimTime since,
                   SimTime t)
{
    SimTime last = since;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time >= t)
            break;
        if ((r->kind == SIM_EVENT_POD_CREATED
             || r->kind == SIM_EVENT_POD_AVAILABLE
             || r->kind == SIM_EVENT_POD_TERMINATING)
            && g_str_has_prefix (r->object, prefix))
            last = MAX (last, r->time);
    }
    return last;
}

/* Whether the Deployment @object's Available condition was False before
 * @t, and since when (its condition rows). */
static gboolean
observed_unavailable (SimEventLog *log, const char *object, SimTime t,
                      SimTime *since)
{
    gboolean unavailable = FALSE;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time >= t)
            break;
        if (r->kind != SIM_EVENT_CONDITION || strcmp (r->object, object) != 0
            || !g_str_has_prefix (r->detail, "Available="))
            continue;
        if (g_str_has_prefix (r->detail, "Available=False") != unavailable) {
            unavailable = !unavailable;
            *since = r->time;
        }
    }
    return unavailable;
}

/* Not ready and not going to be (deployment_ready.go): Kubernetes'
 * progress deadline passed (no progress since), or unavailable for
 * longer than the Canary's deadline. */
static gboolean
observed_stuck (SimEventLog *log, const char *name, SimTime since, SimTime t)
{
    g_autofree char *prefix = g_strconcat (name, "/", NULL);
    SimTime unavailable_since = 0;

    return t > observed_progress (log, prefix, since, t) + DEADLINE * SIM_SEC
           || (observed_unavailable (log, name, t, &unavailable_since)
               && t > unavailable_since + DEADLINE * SIM_SEC);
}

/* The result of the analysis the log shows at @t: 1 passed, 0 failed,
 * -1 none. */
static gint
observed_check (SimEventLog *log, SimTime t)
{
    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->time > t)
            break;
        if (r->time == t && r->kind == SIM_EVENT_ANALYSIS)
            return g_str_has_prefix (r->detail, "passed") ? 1 : 0;
    }
    return -1;
}

/* --- The model -------------------------------------------------------------- */

typedef enum {
    M_PROGRESSING,
    M_PROMOTING,
    M_FINALISING,
    M_SUCCEEDED,
    M_FAILED
} MPhase;

static const char *const m_phase_names[] = { "Progressing", "Promoting",
                                             "Finalising", "Succeeded",
                                             "Failed" };

/* maxWeight: the last stepWeights entry (at most 100), else maxWeight,
 * else 100. */
static gint
m_max_weight (const Config *c)
{
    if (c->n_steps > 0)
        return MIN (100, c->steps[c->n_steps - 1]);
    return c->max_weight > 0 ? c->max_weight : 100;
}

/* nextStepWeight at canary weight @w. */
static gint
m_next_step (const Config *c, gint w)
{
    if (c->step_weight > 0 || c->n_steps == 0)
        return c->step_weight;
    if (w == 100)
        return 1;
    if (w == 0)
        return MIN (100, c->steps[0]);
    for (gint i = 0; i + 1 < c->n_steps; i++)
        if (c->steps[i] == w)
            return MIN (100 - w, c->steps[i + 1] - w);
    return 100 - w;
}

/* The expected tick lines of @c's run in @log, up to @end. */
static char *
model (const Config *c, SimEventLog *log, SimTime end)
{
    GString *out = g_string_new (NULL);
    SimTime interval = c->interval * SIM_SEC;
    SimTime t0 = (ROLLOUT_AT + c->delay) * SIM_SEC, promoted_at = 0;
    MPhase phase = M_PROGRESSING;
    gint failed = 0, iterations = 0, weight = 0;
    /* The kubernetes provider drops the match and iterates 10 times
     * when iterations is below 1: a blue/green run, always.  Its router
     * (NopRouter) writes nothing; GetRoutes reads the canary at 100
     * once iterating, 0 before. */
    gboolean k8s = c->k8s;
    gboolean ab = !k8s && c->kind == KIND_AB;
    gboolean bg = k8s || c->kind == KIND_BG;
    gint n = k8s && c->iterations < 1 ? 10 : c->iterations;
    gboolean mirrored = FALSE;
    /* The pod templates: the target's (the user's), the one last
     * applied, the one last promoted, the primary's. */
    const char *applied = "v2", *promoted_spec = "v1";
    const char *primary_version = "v1";
    SimTime scaled_up = t0;

    for (gint k = 0;; k++) {
        SimTime t = t0 + k * interval;
        gboolean promote = FALSE, idle;
        gint check = -2; /* -2: no analysis this tick */
        const char *target = c->image_at_ms > 0 && t > c->image_at_ms * SIM_MSEC
                                 ? "v3"
                                 : "v2";

        if (t >= end)
            break;
        if (k == 0) {
            /* checkCanaryStatus: the canary scaled up, the status zeroed;
             * nothing else on the detection tick. */
            goto line;
        }
        /* shouldAdvance: outside a run, only a template other than the
         * one applied (and than the one promoted); in Failed the applied
         * one is synced first. */
        idle = phase == M_SUCCEEDED || phase == M_FAILED;
        if (idle) {
            const char *seen = applied;

            if (phase == M_FAILED)
                applied = target;
            if (strcmp (target, seen) == 0
                || strcmp (target, promoted_spec) == 0)
                continue;
        }
        /* The primary ready (not with skipAnalysis); stuck, in Promoting
         * or Finalising handleFailedPromotion sends everything to the
         * canary, else rollback. */
        if (!c->skip
            && !observed_ready (log, "primary/", primary_version, c->replicas,
                                t)) {
            if (!observed_stuck (log, "primary", promoted_at, t))
                goto line;
            if (phase != M_PROMOTING && phase != M_FINALISING)
                goto rollback;
            weight = k8s ? 0 : 100;
            mirrored = FALSE;
            failed = 0;
            applied = target; /* syncCanaryStatus */
            phase = M_FAILED;
            goto line;
        }
        /* A new revision: the canary scaled up, the status zeroed. */
        if (idle) {
            phase = M_PROGRESSING;
            failed = iterations = 0;
            applied = target;
            scaled_up = t;
            goto line;
        }
        /* A new revision during the analysis: restart from 0/100. */
        if (phase == M_PROGRESSING && strcmp (target, applied) != 0
            && strcmp (target, promoted_spec) != 0) {
            weight = 0;
            mirrored = FALSE;
            failed = iterations = 0;
            applied = target;
            goto line;
        }
        /* The canary ready; stuck (no progress within the deadline: from
         * its scale-up, or from its last pod's progress), rollback. */
        if (!observed_ready (log, "canary/", target, c->replicas, t)) {
            if (observed_stuck (log, "canary", scaled_up, t))
                goto rollback;
            goto line;
        }
        if (c->skip) {
            weight = 0;
            promote = TRUE;
            primary_version = applied;
            phase = M_SUCCEEDED;
            promoted_spec = applied;
            goto line;
        }
        if (phase == M_PROMOTING) {
            /* runPromotionTrafficShift, the primary being ready. */
            if (k8s) {
                phase = M_FINALISING;
            } else if (c->promotion_step == 0) {
                weight = 0;
                phase = M_FINALISING;
            } else if (weight > 0) {
                gint primary = MIN (100 - weight + c->promotion_step, 100);

                weight = MAX (weight - c->promotion_step, 0);
                if (primary == 100)
                    phase = M_FINALISING;
            }
            goto line;
        }
        if (phase == M_FINALISING) {
            phase = M_SUCCEEDED;
            promoted_spec = applied;
            goto line;
        }
        if (failed >= c->threshold)
            goto rollback;
        /* Pre-rollout hooks (which pass) while nothing was routed yet;
         * else the analysis, as the log says it went. */
        if (!((k8s ? (iterations > 0 ? 100 : 0) : weight) == 0
              && iterations == 0 && !(c->mirror && mirrored))) {
            check = observed_check (log, t);
            if (check != 1) {
                failed++;
                goto line;
            }
        }
        if (ab) {
            if (iterations < n) {
                weight = 100;
                iterations++;
            } else if (iterations == n) {
                promote = TRUE;
            }
        } else if (bg) {
            if (iterations < n) {
                if (c->mirror && !mirrored && !k8s)
                    mirrored = TRUE;
                iterations++;
            } else if (iterations == n) {
                if (!k8s) {
                    weight = 100;
                    mirrored = FALSE;
                }
                iterations++;
            } else {
                promote = TRUE;
            }
        } else if (m_next_step (c, weight) > 0) {
            gint step = m_next_step (c, weight);

            if (weight >= m_max_weight (c)) {
                promote = TRUE;
            } else if (c->mirror && weight == 0) {
                /* One mirrored step before the first weight. */
                if (!mirrored) {
                    mirrored = TRUE;
                } else {
                    mirrored = FALSE;
                    weight = step;
                }
            } else {
                weight = MIN (weight + step, 100);
            }
        }
        if (promote) {
            phase = M_PROMOTING;
            promoted_at = t;
            primary_version = applied;
        }
        goto line;
    rollback:
        weight = 0;
        mirrored = FALSE;
        failed = 0;
        applied = target; /* syncCanaryStatus */
        phase = M_FAILED;
    line:
        g_string_append_printf (out, "%d %s %d %d%s%s%s\n", k,
                                m_phase_names[phase], failed,
                                mirrored || k8s ? 0 : weight,
                                mirrored ? " mirror" : "",
                                promote ? " promoted" : "",
                                check == -2  ? ""
                                : check == 1 ? " pass"
                                : check == 0 ? " fail"
                                             : " (no analysis in the log)");
        if (c->image_at_ms == 0 && (phase == M_SUCCEEDED || phase == M_FAILED))
            break;
    }
    return g_string_free (out, FALSE);
}

/* --- What rollsim did --------------------------------------------------------- */

/* The tick rows of @log as lines (the top of the file). */
static char *
actual (const Config *c, SimEventLog *log)
{
    GString *out = g_string_new (NULL);
    SimTime t0 = (ROLLOUT_AT + c->delay) * SIM_SEC;
    SimTime interval = c->interval * SIM_SEC;
    gboolean mirror = FALSE, promoted = FALSE;
    gint check = -2;

    for (guint i = 0; i < sim_event_log_len (log); i++) {
        const SimEventRow *r = sim_event_log_row (log, i);

        if (r->kind == SIM_EVENT_WEIGHT_SET)
            mirror = strstr (r->detail, "mirror") != NULL;
        if (r->kind == SIM_EVENT_PROMOTED)
            promoted = TRUE;
        if (r->kind == SIM_EVENT_ANALYSIS)
            check = g_str_has_prefix (r->detail, "passed");
        if (r->kind != SIM_EVENT_TICK)
            continue;
        if (r->time < t0 || (r->time - t0) % interval != 0)
            g_string_append_printf (out, "tick at %.3f s, off the ticker\n",
                                    SIM_TIME_TO_SEC (r->time));
        /* "Progressing failed=2" -> "Progressing 2" */
        g_string_append_printf (
            out, "%" G_GINT64_FORMAT " %.*s %s %" G_GINT64_FORMAT "%s%s%s\n",
            (gint64) ((r->time - t0) / interval),
            (int) strcspn (r->detail, " "), r->detail,
            strchr (r->detail, '=') + 1, r->value, mirror ? " mirror" : "",
            promoted ? " promoted" : "",
            check == 1   ? " pass"
            : check == 0 ? " fail"
                         : "");
        promoted = FALSE;
        check = -2;
    }
    return g_string_free (out, FALSE);
}

/* --- The test ------------------------------------------------------------------- */

static gint
first_difference (char **a, char **b)
{
    gint i;

    for (i = 0; a[i] != NULL && b[i] != NULL; i++)
        if (strcmp (a[i], b[i]) != 0)
            return i;
    return a[i] == NULL && b[i] == NULL ? -1 : i;
}

static void
test_random (void)
{
    /* FLAGGER_MODEL_SEED and FLAGGER_MODEL_N explore further. */
    const char *seed = g_getenv ("FLAGGER_MODEL_SEED");
    const char *n = g_getenv ("FLAGGER_MODEL_N");
    g_autoptr (GRand) r = g_rand_new_with_seed (
        seed != NULL ? (guint32) g_ascii_strtoull (seed, NULL, 10) : SEED);
    gint n_configs = n != NULL ? atoi (n) : N_CONFIGS;
    gint ticks = 0, mismatches = 0;
    /* How the runs ended, to show what was covered. */
    gint succeeded = 0, rolled_back = 0, failed_promotion = 0, open = 0;
    gint failures = 0, halts = 0, mirrored = 0;

    g_test_summary ("Flagger's tick sequence (phase, failedChecks, weight, "
                    "mirror, promotion, analysis) on random Canary "
                    "configurations equals the one a model of Flagger's "
                    "scheduler decides from what each tick observes");
    for (gint i = 0; i < n_configs; i++) {
        Config c;
        g_autofree char *what = NULL, *want = NULL, *got = NULL;
        g_autoptr (GPtrArray) sets = NULL;
        g_autoptr (SimScenario) sc = NULL;
        g_auto (GStrv) wl = NULL, gl = NULL;
        SimWorld *w;
        gint d;

        draw (r, &c);
        what = describe (&c);
        sets = overrides (&c);
        sc = sim_test_scenario (base_ini, (const char *const *) sets->pdata);
        w = sim_test_run (sc);
        want = model (&c, sim_world_events (w), sc->duration);
        got = actual (&c, sim_world_events (w));
        wl = g_strsplit (want, "\n", -1);
        gl = g_strsplit (got, "\n", -1);
        ticks += (gint) g_strv_length (wl) - 1;
        for (gint j = 0; wl[j] != NULL && wl[j][0] != '\0'; j++) {
            failures += strstr (wl[j], " fail") != NULL;
            mirrored += strstr (wl[j], " mirror") != NULL;
            /* A tick that changed nothing: the same line as the one
             * before but for K (readiness halts, mostly). */
            if (j > 0
                && strcmp (strchr (wl[j], ' '), strchr (wl[j - 1], ' ')) == 0)
                halts++;
        }
        if (strstr (want, "Succeeded") != NULL)
            succeeded++;
        else if (strstr (want, "Failed 0 100") != NULL)
            failed_promotion++;
        else if (strstr (want, "Failed") != NULL)
            rolled_back++;
        else
            open++;
        d = first_difference (wl, gl);
        if (d >= 0) {
            mismatches++;
            g_test_message ("configuration %d: %s\n"
                            "  first difference at line %d\n"
                            "  model:   %s\n"
                            "  rollsim: %s\n"
                            "model:\n%srollsim:\n%s",
                            i, what, d, wl[d] ? wl[d] : "(end)",
                            gl[d] ? gl[d] : "(end)", want, got);
            g_test_fail ();
        }
        sim_world_free (w);
    }
    g_test_message ("%d configurations, %d ticks compared, %d differ; "
                    "%d succeeded, %d rolled back, %d failed promotions, "
                    "%d still running at the end; %d failed analyses, "
                    "%d mirrored ticks, %d ticks that changed nothing",
                    n_configs, ticks, mismatches, succeeded, rolled_back,
                    failed_promotion, open, failures, mirrored, halts);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/flagger-model/random", test_random);
    return g_test_run ();
}
