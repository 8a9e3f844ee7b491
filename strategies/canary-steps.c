/* canary-steps.c - reading and writing canary steps.  See canary-steps.h.
 *
 * One function writes a step's canonical text, and parsing produces a
 * step and then writes it with that function: the resolved scenario, the
 * trace and error messages cannot disagree on how a step reads.
 */
#include <string.h>

#include "canary-steps.h"
#include "scenario.h"

char *
sim_canary_step_text (const SimCanaryStep *s)
{
    switch (s->kind) {
    case SIM_STEP_SET_WEIGHT:
        return g_strdup_printf ("set-weight %d", s->value);
    case SIM_STEP_PAUSE:
        if (s->duration == SIM_TIME_NEVER)
            return g_strdup ("pause");
        else {
            g_autofree char *d = sim_units_format_duration (s->duration);

            return g_strdup_printf ("pause %s", d);
        }
    case SIM_STEP_SET_CANARY_SCALE:
        switch (s->scale_kind) {
        case SIM_CANARY_SCALE_REPLICAS:
            return g_strdup_printf ("set-canary-scale replicas %d", s->value);
        case SIM_CANARY_SCALE_WEIGHT:
            return g_strdup_printf ("set-canary-scale weight %d", s->value);
        case SIM_CANARY_SCALE_MATCH_TRAFFIC:
            return g_strdup ("set-canary-scale match-traffic-weight");
        }
        break;
    case SIM_STEP_ANALYSIS:
        return g_strdup ("analysis");
    }
    g_assert_not_reached ();
}

static gboolean
int_in (const char *s, gint lo, gint hi, gint *out)
{
    gint64 v;

    if (!sim_key_to_int64 (s, &v) || v < lo || v > hi)
        return FALSE;
    *out = (gint) v;
    return TRUE;
}

/* The step's fields from its words; FALSE with *@why. */
static gboolean
read_step (GStrv w, SimCanaryStep *step, char **why)
{
    guint n = g_strv_length (w);

    if (n == 2 && strcmp (w[0], "set-weight") == 0) {
        step->kind = SIM_STEP_SET_WEIGHT;
        if (!int_in (w[1], 0, 100, &step->value)) {
            *why = g_strdup ("the weight must be an integer 0..100");
            return FALSE;
        }
        return TRUE;
    }
    if ((n == 1 || n == 2) && strcmp (w[0], "pause") == 0) {
        GError *err = NULL;

        step->kind = SIM_STEP_PAUSE;
        step->duration = SIM_TIME_NEVER;
        if (n == 2 && !sim_units_parse_duration (w[1], &step->duration, &err)) {
            *why = g_strdup (err->message);
            g_error_free (err);
            return FALSE;
        }
        return TRUE;
    }
    if (n >= 2 && strcmp (w[0], "set-canary-scale") == 0) {
        step->kind = SIM_STEP_SET_CANARY_SCALE;
        if (n == 2 && strcmp (w[1], "match-traffic-weight") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_MATCH_TRAFFIC;
            return TRUE;
        }
        if (n == 3 && strcmp (w[1], "replicas") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_REPLICAS;
            /* Capped as deployment.replicas is: every pod is memory and
             * events. */
            if (!int_in (w[2], 0, SIM_MAX_REPLICAS, &step->value)) {
                *why = g_strdup_printf ("the replicas must be an integer "
                                        "0..%d (as deployment.replicas)",
                                        SIM_MAX_REPLICAS);
                return FALSE;
            }
            return TRUE;
        }
        if (n == 3 && strcmp (w[1], "weight") == 0) {
            step->scale_kind = SIM_CANARY_SCALE_WEIGHT;
            /* A percentage of replicas, which may pass 100 (design.md
             * A1.6: 200% of 4 is 8 pods); the pods it makes are capped
             * once replicas is known (sim_canary_steps_check_scale). */
            if (!int_in (w[2], 0, 100000, &step->value)) {
                *why = g_strdup ("the weight must be an integer 0..100000 "
                                 "(a percentage of replicas)");
                return FALSE;
            }
            return TRUE;
        }
    }
    if (n == 1 && strcmp (w[0], "analysis") == 0) {
        step->kind = SIM_STEP_ANALYSIS;
        return TRUE;
    }
    *why = g_strdup ("not a step");
    return FALSE;
}

static gboolean
parse_step (const char *text, gpointer item, GString *canon, char **why)
{
    g_auto (GStrv) w = sim_key_words (text);
    SimCanaryStep *step = item;
    g_autofree char *back = NULL;

    if (!read_step (w, step, why))
        return FALSE;
    back = sim_canary_step_text (step);
    g_string_append (canon, back);
    return TRUE;
}

const SimKeyItem sim_canary_step_item = {
    .what = "step",
    .size = sizeof (SimCanaryStep),
    .parse = parse_step,
};

gint64
sim_canary_scale_pods (const SimCanaryStep *s, gint replicas)
{
    if (s->kind != SIM_STEP_SET_CANARY_SCALE)
        return 0;
    if (s->scale_kind == SIM_CANARY_SCALE_REPLICAS)
        return s->value;
    if (s->scale_kind == SIM_CANARY_SCALE_WEIGHT)
        return ((gint64) replicas * s->value + 99) / 100;
    return 0;
}

gboolean
sim_canary_steps_check_scale (const SimCanaryStep *steps, gint n, gint replicas,
                              GError **error)
{
    for (gint i = 0; i < n; i++) {
        gint64 pods = sim_canary_scale_pods (&steps[i], replicas);
        g_autofree char *text = NULL;

        if (pods <= SIM_MAX_REPLICAS)
            continue;
        text = sim_canary_step_text (&steps[i]);
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "strategy.canary.steps: step %d \"%s\": %d%% of %d "
                     "replicas is %" G_GINT64_FORMAT " canary pods (accepted: "
                     "at most %d canary pods, as deployment.replicas)",
                     i + 1, text, steps[i].value, replicas, pods,
                     SIM_MAX_REPLICAS);
        return FALSE;
    }
    return TRUE;
}

gboolean
sim_canary_steps_check_analysis (const SimCanaryStep *steps, gint n, gint count,
                                 GError **error)
{
    if (count > 0)
        return TRUE;
    for (gint i = 0; i < n; i++) {
        if (steps[i].kind != SIM_STEP_ANALYSIS)
            continue;
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_CONFLICT,
                     "strategy.canary.steps: step %d \"analysis\": an inline "
                     "analysis with analysis.count = 0 measures until the "
                     "rollout ends, so the step never completes (accepted: "
                     "analysis.count >= 1 with an analysis step; count 0 "
                     "suits background = true)",
                     i + 1);
        return FALSE;
    }
    return TRUE;
}
