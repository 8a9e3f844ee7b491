/* experiment-grid.c - the variants of a sweep (experiment.h): the
 * --vary options parsed into keys and their values, and the grid of every
 * combination, the last key varying fastest.
 *
 * A combination of valid values that do not go together
 * (SIM_SCENARIO_ERROR_CONFLICT) is skipped with a note (in x->skipped,
 * said on stderr and in experiment.ini), so a sweep over max_surge and
 * max_unavailable runs without the both-zero corner, even when that
 * leaves a value with no combination at all.  A malformed value or an
 * unknown key is an error at once, and so is a grid with nothing left.
 */
#include <string.h>
#include "experiment.h"

/* Split @text at commas outside parentheses ("uniform(2s,8s)" is one
 * value); "\," is a literal comma. */
static char **
split_values (const char *text)
{
    g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GString) cur = g_string_new (NULL);
    gint depth = 0;

    for (const char *p = text;; p++) {
        if (*p == '\0' || (*p == ',' && depth == 0)) {
            g_ptr_array_add (out, g_strstrip (g_strdup (cur->str)));
            g_string_truncate (cur, 0);
            if (*p == '\0')
                break;
            continue;
        }
        if (*p == '\\' && p[1] == ',') {
            g_string_append_c (cur, ',');
            p++;
            continue;
        }
        depth += *p == '(';
        depth -= *p == ')' && depth > 0;
        g_string_append_c (cur, *p);
    }
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Drop the "--set ASSIGNMENT: " that the scenario loader puts before a
 * message about an override, when the assignment is one of @settings:
 * here the user wrote --vary. */
static const char *
strip_set_prefix (const char *message, char **settings)
{
    for (guint i = 0; settings[i] != NULL; i++) {
        g_autofree char *prefix = g_strdup_printf ("--set %s: ", settings[i]);

        if (g_str_has_prefix (message, prefix))
            return message + strlen (prefix);
    }
    return message;
}

typedef struct {
    char *key;
    GPtrArray *values; /* char* */
} Axis;

static void
axis_free (Axis *a)
{
    g_free (a->key);
    g_ptr_array_unref (a->values);
    g_free (a);
}

/* The --vary options as axes, in the order first given. */
static GPtrArray *
parse_vary (char **vary, GError **error)
{
    g_autoptr (GPtrArray)
        axes = g_ptr_array_new_with_free_func ((GDestroyNotify) axis_free);

    for (guint i = 0; vary != NULL && vary[i] != NULL; i++) {
        const char *eq = strchr (vary[i], '=');
        g_autofree char *key = NULL;
        g_auto (GStrv) values = NULL;
        Axis *axis = NULL;

        key = eq != NULL ? g_strstrip (g_strndup (vary[i], eq - vary[i]))
                         : NULL;
        if (key == NULL || strchr (key, '.') == NULL) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "--vary %s: expected "
                         "GROUP.KEY=V1,V2,... (e.g. --vary "
                         "strategy.rolling.max_surge=1,2,25%%)",
                         vary[i]);
            return NULL;
        }
        values = split_values (eq + 1);
        if (values[1] == NULL && values[0][0] == '\0') {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "--vary %s: empty "
                         "value list (give one or more values after '=', "
                         "separated by commas)",
                         vary[i]);
            return NULL;
        }
        for (guint a = 0; a < axes->len; a++)
            if (strcmp (((Axis *) g_ptr_array_index (axes, a))->key, key) == 0)
                axis = g_ptr_array_index (axes, a);
        if (axis == NULL) {
            axis = g_new0 (Axis, 1);
            axis->key = g_strdup (key);
            axis->values = g_ptr_array_new_with_free_func (g_free);
            g_ptr_array_add (axes, axis);
        }
        for (guint j = 0; values[j] != NULL; j++) {
            if (values[j][0] == '\0') {
                g_set_error (error, SIM_EXPERIMENT_ERROR,
                             SIM_EXPERIMENT_ERROR_USAGE,
                             "--vary %s: value "
                             "%u is empty",
                             vary[i], j + 1);
                return NULL;
            }
            for (guint k = 0; k < axis->values->len; k++)
                if (strcmp (g_ptr_array_index (axis->values, k), values[j])
                    == 0) {
                    g_set_error (error, SIM_EXPERIMENT_ERROR,
                                 SIM_EXPERIMENT_ERROR_USAGE,
                                 "--vary %s: "
                                 "%s is listed twice",
                                 vary[i], values[j]);
                    return NULL;
                }
            g_ptr_array_add (axis->values, g_strdup (values[j]));
        }
    }
    if (axes->len == 0) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "say what to vary: --vary GROUP.KEY=V1,V2,...");
        return NULL;
    }
    return g_steal_pointer (&axes);
}

gboolean
sim_experiment_vary (SimExperiment *x, char **vary, GError **error)
{
    g_autoptr (GPtrArray) axes = parse_vary (vary, error);

    if (axes == NULL)
        return FALSE;
    g_strfreev (x->keys);
    x->keys = g_new0 (char *, axes->len + 1);
    for (guint a = 0; a < axes->len; a++) {
        Axis *axis = g_ptr_array_index (axes, a);
        char **values = g_new0 (char *, axis->values->len + 1);

        x->keys[a] = g_strdup (axis->key);
        for (guint i = 0; i < axis->values->len; i++)
            values[i] = g_strdup (g_ptr_array_index (axis->values, i));
        g_ptr_array_add (x->axes, values);
    }
    return TRUE;
}

gboolean
sim_experiment_build_grid (SimExperiment *x, const char *path, const char *seed,
                           GError **error)
{
    guint na = x->axes->len;
    g_autofree guint *at = g_new0 (guint, na);
    g_autoptr (GPtrArray) skipped = g_ptr_array_new_with_free_func (g_free);
    guint64 combinations = 1;

    /* Each combination loads a scenario: count them before. */
    for (guint a = 0; a < na; a++) {
        combinations *= g_strv_length (g_ptr_array_index (x->axes, a));
        if (combinations * MAX (x->reps, 1) > SIM_EXPERIMENT_MAX_RUNS) {
            g_set_error (error, SIM_EXPERIMENT_ERROR,
                         SIM_EXPERIMENT_ERROR_USAGE,
                         "--vary: the combinations times --reps %u are more "
                         "than %d runs: fewer values, or fewer --reps",
                         x->reps, SIM_EXPERIMENT_MAX_RUNS);
            return FALSE;
        }
    }

    for (;;) {
        g_autoptr (GPtrArray)
            settings = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) values = g_ptr_array_new ();
        g_autoptr (GString) label = g_string_new (NULL);
        GError *err = NULL;
        SimVariant *v;
        guint a;

        for (a = 0; a < na; a++) {
            char **axis = g_ptr_array_index (x->axes, a);
            const char *value = axis[at[a]];
            g_autofree char *sk = sim_experiment_short_key (x, a);

            g_ptr_array_add (settings,
                             g_strdup_printf ("%s=%s", x->keys[a], value));
            g_ptr_array_add (values, (gpointer) value);
            g_string_append_printf (label, "%s%s=%s", a > 0 ? " " : "", sk,
                                    value);
        }
        g_ptr_array_add (settings, NULL);
        g_ptr_array_add (values, NULL);
        v = sim_experiment_load_variant (x, path, (char **) settings->pdata,
                                         seed, &err);
        if (v != NULL) {
            v->label = g_strdup (label->str);
            g_strfreev (v->values);
            v->values = g_strdupv ((char **) values->pdata);
            g_ptr_array_add (x->variants, v);
        } else if (err->domain != SIM_SCENARIO_ERROR) {
            g_propagate_error (error, err);
            return FALSE;
        } else if (err->code != SIM_SCENARIO_ERROR_CONFLICT) {
            /* Malformed in any combination: no point trying the rest. */
            g_set_error (error, SIM_SCENARIO_ERROR, err->code, "--vary: %s",
                         strip_set_prefix (err->message,
                                           (char **) settings->pdata));
            g_error_free (err);
            return FALSE;
        } else {
            const char *msg = strip_set_prefix (err->message,
                                                (char **) settings->pdata);

            g_ptr_array_add (skipped,
                             g_strdup_printf ("%s: %s", label->str, msg));
            g_error_free (err);
        }
        /* The next combination, last key fastest. */
        for (a = na; a > 0; a--) {
            char **axis = g_ptr_array_index (x->axes, a - 1);

            if (++at[a - 1] < g_strv_length (axis))
                break;
            at[a - 1] = 0;
        }
        if (a == 0)
            break;
    }
    if (x->variants->len == 0) {
        g_set_error (error, SIM_EXPERIMENT_ERROR, SIM_EXPERIMENT_ERROR_USAGE,
                     "--vary: nothing to run: every combination is "
                     "rejected (the first: %s)",
                     (char *) g_ptr_array_index (skipped, 0));
        return FALSE;
    }
    g_ptr_array_add (skipped, NULL);
    g_strfreev (x->skipped);
    x->skipped = (char **) g_ptr_array_free (g_steal_pointer (&skipped), FALSE);
    return TRUE;
}
