/* scenario-doc.c - docs/scenario-reference.md, generated from the key
 * tables of a schema: the prose of sim/scenario-reference-head.md
 * (compiled in), then per group its text, a table of its keys and its
 * notes.  `rollsim keys --markdown` prints it; a test keeps the file in
 * docs/ equal to it.
 */
#include <string.h>

#include "scenario.h"

/* sim/scenario-reference-head.md, compiled in by tools/embed-text.sh. */
extern const char sim_reference_head_text[];

/* A table cell: '|' escaped, so text cannot break the table. */
static void
append_cell (GString *out, const char *text, gboolean code)
{
    g_string_append (out, " ");
    if (code && text[0] != '\0')
        g_string_append_c (out, '`');
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '|')
            g_string_append_c (out, '\\');
        g_string_append_c (out, *p);
    }
    if (code && text[0] != '\0')
        g_string_append_c (out, '`');
    g_string_append (out, " |");
}

static void
append_rows (GString *out, const SimSchema *schema, const SimKeyGroup *g)
{
    if (g->rows[0].key == NULL)
        return;
    g_string_append (out, "\n| key | type | unit | default | accepted | "
                          "meaning |\n"
                          "| --- | --- | --- | --- | --- | --- |\n");
    for (const SimKeyRow *row = g->rows; row->key != NULL; row++) {
        const char *accepted = row->kind == &sim_key_choice
                                   ? sim_schema_strategy_list (schema)
                                   : row->accepted;

        g_string_append (out, "|");
        append_cell (out, row->key, TRUE);
        append_cell (out, row->type, FALSE);
        append_cell (out, row->unit, FALSE);
        append_cell (out, row->def != NULL ? row->def : "(required)",
                     row->def != NULL && !row->def_is_prose);
        append_cell (out, accepted, FALSE);
        append_cell (out, row->doc, FALSE);
        g_string_append_c (out, '\n');
    }
}

char *
sim_scenario_reference_markdown (const SimSchema *schema)
{
    const SimKeyGroup *const *groups = sim_schema_groups (schema);
    GString *out = g_string_new (sim_reference_head_text);

    for (guint i = 0; groups[i] != NULL; i++) {
        g_string_append_printf (out, "\n## [%s]\n\n%s\n",
                                sim_key_group_display (groups[i]),
                                groups[i]->doc);
        append_rows (out, schema, groups[i]);
        if (groups[i]->notes != NULL)
            g_string_append_printf (out, "\n%s", groups[i]->notes);
    }
    return g_string_free (out, FALSE);
}
