/* scenario-place.c - origins, the line scan, and errors with places.
 *
 * Keys of the place tables are "GROUP" for a group header and
 * "GROUP\nKEY" for a key ('\n' cannot occur in either).  A key written
 * by an override names the override; a key that is missing names its
 * group's header, so "required key is missing" points at the group.
 */
#include <stdarg.h>
#include <string.h>

#include "scenario-place.h"

/* --- Origins ------------------------------------------------------------------- */

SimOrigin *
sim_origin_new_set (const char *assignment)
{
    SimOrigin *o = g_new0 (SimOrigin, 1);

    o->kind = SIM_ORIGIN_SET;
    o->what = g_strdup (assignment);
    return o;
}

SimOrigin *
sim_origin_new_import (const char *file, guint line, const char *path)
{
    SimOrigin *o = g_new0 (SimOrigin, 1);

    o->kind = SIM_ORIGIN_IMPORT;
    o->file = g_strdup (file);
    o->line = line;
    o->what = g_strdup (path);
    return o;
}

SimOrigin *
sim_origin_copy (const SimOrigin *o)
{
    SimOrigin *c = g_memdup2 (o, sizeof *o);

    c->file = g_strdup (o->file);
    c->what = g_strdup (o->what);
    return c;
}

void
sim_origin_free (SimOrigin *o)
{
    if (o == NULL)
        return;
    g_free (o->file);
    g_free (o->what);
    g_free (o);
}

char *
sim_origin_format (const SimOrigin *o)
{
    if (o->kind == SIM_ORIGIN_SET)
        return g_strdup_printf ("--set %s", o->what);
    if (o->line > 0)
        return g_strdup_printf ("%s:%u (%s)", o->file, o->line, o->what);
    return g_strdup_printf ("%s (%s)", o->file, o->what);
}

/* --- Places --------------------------------------------------------------------- */

static char *
place_key (const char *group, const char *key)
{
    return key != NULL ? g_strconcat (group, "\n", key, NULL)
                       : g_strdup (group);
}

void
sim_places_init (SimPlaces *pl, const char *path, gboolean use_lines)
{
    g_autofree char *dir = g_path_get_dirname (path);

    pl->path = path;
    pl->dir = g_canonicalize_filename (dir, NULL); /* absolute */
    pl->use_lines = use_lines;
    pl->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    pl->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) sim_origin_free);
    pl->bad_line = 0;
    pl->bad_what = NULL;
}

void
sim_places_clear (SimPlaces *pl)
{
    g_clear_pointer (&pl->dir, g_free);
    g_clear_pointer (&pl->lines, g_hash_table_unref);
    g_clear_pointer (&pl->origins, g_hash_table_unref);
    g_clear_pointer (&pl->bad_what, g_free);
}

void
sim_places_record (SimPlaces *pl, const char *group, const char *key,
                   gboolean group_is_new, const SimOrigin *origin)
{
    if (group_is_new)
        g_hash_table_replace (pl->origins, g_strdup (group),
                              sim_origin_copy (origin));
    g_hash_table_replace (pl->origins, place_key (group, key),
                          sim_origin_copy (origin));
}

const SimOrigin *
sim_places_origin (const SimPlaces *pl, const char *group, const char *key)
{
    g_autofree char *k = place_key (group, key);

    return g_hash_table_lookup (pl->origins, k);
}

int
sim_places_rank (const SimPlaces *pl, const char *group, const char *key)
{
    g_autofree char *k = place_key (group, key);

    if (g_hash_table_contains (pl->origins, k))
        return 2;
    if (pl->use_lines && g_hash_table_contains (pl->lines, k))
        return 1;
    return 0;
}

char *
sim_places_dir (const SimPlaces *pl, const char *group, const char *key)
{
    const SimOrigin *o = sim_places_origin (pl, group, key);

    if (o == NULL)
        return g_strdup (pl->dir);
    if (o->kind == SIM_ORIGIN_IMPORT) {
        g_autofree char *dir = g_path_get_dirname (o->file);

        return g_canonicalize_filename (dir, NULL);
    }
    return NULL;
}

char *
sim_places_where (const SimPlaces *pl, const char *group, const char *key)
{
    g_autofree char *k = place_key (group, key);
    const SimOrigin *o = g_hash_table_lookup (pl->origins, k);
    guint line = 0;

    /* A key an override did not write, in a group an override created,
     * was filled by default there. */
    if (o == NULL && key != NULL && !g_hash_table_contains (pl->lines, k))
        o = g_hash_table_lookup (pl->origins, group);
    if (o != NULL)
        return sim_origin_format (o);
    if (pl->use_lines) {
        line = GPOINTER_TO_UINT (g_hash_table_lookup (pl->lines, k));
        if (line == 0)
            line = GPOINTER_TO_UINT (g_hash_table_lookup (pl->lines, group));
    }
    if (line > 0)
        return g_strdup_printf ("%s:%u", pl->path, line);
    return g_strdup (pl->path);
}

/* @line as it may be quoted in a message: a character that shows
 * nothing (a byte-order mark or zero-width space inside the text, a
 * no-break space) is written <U+XXXX>, a byte that is not UTF-8 \xNN,
 * so the culprit is seen.  Newly allocated. */
static char *
visible (const char *line)
{
    GString *out = g_string_new (NULL);

    const char *p = line;

    while (*p != '\0') {
        gunichar c = g_utf8_get_char_validated (p, -1);

        if (c == (gunichar) -1 || c == (gunichar) -2) {
            /* Not UTF-8 (a --set from a Latin-1 terminal): the byte. */
            g_string_append_printf (out, "\\x%02X", (guchar) *p++);
            continue;
        }
        if (c != ' '
            && (!g_unichar_isprint (c)
                || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR
                || g_unichar_type (c) == G_UNICODE_FORMAT))
            g_string_append_printf (out, "<U+%04X>", c);
        else
            g_string_append_unichar (out, c);
        p = g_utf8_next_char (p);
    }
    return g_string_free (out, FALSE);
}

gboolean
sim_places_key_error (const SimPlaces *pl, GError **error,
                      SimScenarioError code, const char *group, const char *key,
                      const char *accepted, const char *fmt, ...)
{
    g_autofree char *loc = sim_places_where (pl, group, key);
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_autofree char *g = visible (group);
    g_autofree char *k = visible (key);

    if (accepted != NULL)
        g_set_error (error, SIM_SCENARIO_ERROR, code,
                     "%s: %s.%s: %s (accepted: %s)", loc, g, k, msg, accepted);
    else
        g_set_error (error, SIM_SCENARIO_ERROR, code, "%s: %s.%s: %s", loc, g,
                     k, msg);
    return FALSE;
}

gboolean
sim_places_group_error (const SimPlaces *pl, GError **error,
                        SimScenarioError code, const char *group,
                        const char *fmt, ...)
{
    g_autofree char *loc = sim_places_where (pl, group, NULL);
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_autofree char *g = visible (group);

    g_set_error (error, SIM_SCENARIO_ERROR, code, "%s: [%s]: %s", loc, g, msg);
    return FALSE;
}

/* --- Reading the text ----------------------------------------------------------- */

static void
scan_problem (SimPlaces *pl, guint line, char *what)
{
    if (pl->bad_line == 0) {
        pl->bad_line = line;
        pl->bad_what = what;
    } else {
        g_free (what);
    }
}

/* Record the line of every group header and key, and note the first line
 * that is not a comment, a group or a key, and the first group or key
 * written twice (GKeyFile would quietly merge or overwrite them).  Follows
 * GKeyFile's own reading of a line. */
static void
scan_lines (SimPlaces *pl, const char *data)
{
    g_auto (GStrv) text_lines = g_strsplit (data, "\n", -1);
    g_autofree char *group = NULL;

    for (guint i = 0; text_lines[i] != NULL; i++) {
        guint lineno = i + 1;
        char *line = g_strstrip (text_lines[i]);
        char *eq, *k;
        gpointer first;

        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (!g_utf8_validate (line, -1, NULL)) {
            scan_problem (pl, lineno, g_strdup ("not UTF-8 text"));
            continue;
        }
        if (line[0] == '[') {
            char *end = strchr (line, ']');

            if (end == NULL || end[1] != '\0') {
                g_autofree char *shown = visible (line);

                scan_problem (pl, lineno,
                              g_strdup_printf ("\"%s\" is not a [group] header",
                                               shown));
                continue;
            }
            g_free (group);
            group = g_strndup (line + 1, end - line - 1);
            first = g_hash_table_lookup (pl->lines, group);
            if (first != NULL)
                scan_problem (
                    pl, lineno,
                    g_strdup_printf (
                        "[%s]: group written twice (first at line %u)", group,
                        GPOINTER_TO_UINT (first)));
            else
                g_hash_table_insert (pl->lines, g_strdup (group),
                                     GUINT_TO_POINTER (lineno));
            continue;
        }
        eq = strchr (line, '=');
        if (eq == NULL) {
            g_autofree char *shown = visible (line);

            scan_problem (
                pl, lineno,
                g_strdup_printf (
                    "\"%s\" is not a key = value line, a [group] or a comment",
                    shown));
            continue;
        }
        if (group == NULL) {
            scan_problem (
                pl, lineno,
                g_strdup ("a key = value line before the first [group]"));
            continue;
        }
        *eq = '\0';
        g_strchomp (line);
        if (line[0] == '\0') {
            scan_problem (pl, lineno, g_strdup ("a value without a key"));
            continue;
        }
        /* GKeyFile reads KEY[LOCALE] as a translation of KEY and hands
         * it out only when KEY itself is written: a key nobody would
         * read. */
        if (strchr (line, '[') != NULL || strchr (line, ']') != NULL) {
            g_autofree char *shown = visible (line);

            scan_problem (pl, lineno,
                          g_strdup_printf ("%s.%s: unknown key (a key is "
                                           "letters, digits and '_'; "
                                           "locale keys such as key[de] are "
                                           "not read)",
                                           group, shown));
            continue;
        }
        k = place_key (group, line);
        first = g_hash_table_lookup (pl->lines, k);
        if (first != NULL) {
            scan_problem (
                pl, lineno,
                g_strdup_printf ("%s.%s: key written twice (first at line %u)",
                                 group, line, GPOINTER_TO_UINT (first)));
            g_free (k);
        } else {
            g_hash_table_insert (pl->lines, k, GUINT_TO_POINTER (lineno));
        }
    }
}

GKeyFile *
sim_places_read (SimPlaces *pl, const char *data, GError **error)
{
    g_autoptr (GKeyFile) kf = g_key_file_new ();
    GError *err = NULL;

    /* A UTF-8 byte-order mark, as some Windows editors write, is not
     * text. */
    if (g_str_has_prefix (data, "\xEF\xBB\xBF"))
        data += 3;
    scan_lines (pl, data);
    /* The scan is stricter than GKeyFile (it also refuses duplicates) and
     * knows the line, so its verdict comes first. */
    if (pl->bad_line > 0) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s:%u: %s", pl->path, pl->bad_line, pl->bad_what);
        return NULL;
    }
    if (!g_key_file_load_from_data (kf, data, (gsize) -1, G_KEY_FILE_NONE,
                                    &err)) {
        g_set_error (error, SIM_SCENARIO_ERROR, SIM_SCENARIO_ERROR_SYNTAX,
                     "%s: %s", pl->path, err->message);
        g_error_free (err);
        return NULL;
    }
    return g_steal_pointer (&kf);
}
