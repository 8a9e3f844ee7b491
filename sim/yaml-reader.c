/* yaml-reader.c - libyaml's event stream built into trees of positioned
 * nodes, within limits (yaml-reader.h).
 *
 * The builder keeps a stack of open collections; a node is finished (its
 * mapping checked, its merge keys applied, its weight summed, its anchor
 * registered) at its end event, and only then may an alias name it, so a
 * document cannot refer to itself.  Every node of a stream is in one
 * array and freed from there: aliases share nodes, and nothing recurses.
 * Work and memory are bounded by the input's size and the weight limits:
 * applying a merge key copies pointers to pairs whose weight counts
 * against the document's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "yaml-reader.h"

G_DEFINE_QUARK (sim - yaml - error - quark, sim_yaml_error)

const SimYamlLimits sim_yaml_default_limits = {
    .file_bytes = 256 << 20,
    .doc_bytes = 8 << 20,
    .doc_weight = 1000000,
    .total_weight = 16000000,
    .depth = 200,
};

struct SimYamlStream {
    SimYamlLimits limits;
    GPtrArray *nodes; /* SimYamlNode*, every node, owned */
    GPtrArray *docs;  /* SimYamlDoc*, owned */
    GPtrArray *names; /* char*, the file names docs point to */
    guint64 total_weight;
};

static void
node_free (gpointer p)
{
    SimYamlNode *n = p;

    g_free (n->text);
    g_free (n->items);
    g_free (n);
}

SimYamlStream *
sim_yaml_stream_new (const SimYamlLimits *limits)
{
    SimYamlStream *st = g_new0 (SimYamlStream, 1);

    st->limits = limits != NULL ? *limits : sim_yaml_default_limits;
    st->nodes = g_ptr_array_new_with_free_func (node_free);
    st->docs = g_ptr_array_new_with_free_func (g_free);
    st->names = g_ptr_array_new_with_free_func (g_free);
    return st;
}

void
sim_yaml_stream_free (SimYamlStream *st)
{
    if (st == NULL)
        return;
    g_ptr_array_unref (st->docs);
    g_ptr_array_unref (st->nodes);
    g_ptr_array_unref (st->names);
    g_free (st);
}

guint
sim_yaml_stream_n_docs (const SimYamlStream *st)
{
    return st->docs->len;
}

const SimYamlDoc *
sim_yaml_stream_doc (const SimYamlStream *st, guint i)
{
    g_return_val_if_fail (i < st->docs->len, NULL);
    return st->docs->pdata[i];
}

/* --- Building one input ------------------------------------------------------ */

typedef struct {
    SimYamlNode *node;
    GPtrArray *items; /* children so far */
    char *anchor;     /* registered when the node is finished */
} Frame;

typedef struct {
    SimYamlStream *st;
    const char *file;
    GHashTable *anchors; /* name -> finished node, this document's */
    GArray *stack;       /* Frame */
    SimYamlNode *root;
    gsize doc_start;
    guint first_node; /* index in st->nodes of the document's first */
} Build;

static gboolean fail_at (Build *b, GError **error, SimYamlError code,
                         guint line, guint col, const char *fmt, ...)
    G_GNUC_PRINTF (6, 7);

static gboolean
fail_at (Build *b, GError **error, SimYamlError code, guint line, guint col,
         const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start (ap, fmt);
    msg = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (error, SIM_YAML_ERROR, code, "%s:%u:%u: %s", b->file, line,
                 col, msg);
    return FALSE;
}

static SimYamlNode *
node_new (Build *b, SimYamlKind kind, const yaml_mark_t *mark)
{
    SimYamlNode *n = g_new0 (SimYamlNode, 1);

    n->kind = kind;
    n->line = (guint) MIN (mark->line + 1, G_MAXUINT);
    n->column = (guint) MIN (mark->column + 1, G_MAXUINT);
    n->weight = 1;
    g_ptr_array_add (b->st->nodes, n);
    return n;
}

static guint64
add_weight (guint64 a, guint64 b)
{
    return a > G_MAXUINT64 - b ? G_MAXUINT64 : a + b;
}

/* Hand a finished node to its parent, or make it the root. */
static void
attach (Build *b, SimYamlNode *n)
{
    if (b->stack->len == 0) {
        b->root = n;
        return;
    }
    g_ptr_array_add (g_array_index (b->stack, Frame, b->stack->len - 1).items,
                     n);
}

static gboolean
check_weight (Build *b, const SimYamlNode *n, GError **error)
{
    if (n->weight <= b->st->limits.doc_weight)
        return TRUE;
    return fail_at (b, error, SIM_YAML_ERROR_LIMIT, n->line, n->column,
                    "the document grows past %" G_GUINT64_FORMAT
                    " nodes when its aliases are expanded (refused: an "
                    "alias bomb?)",
                    b->st->limits.doc_weight);
}

static gboolean
is_merge_key (const SimYamlNode *k)
{
    return k->kind == SIM_YAML_SCALAR && k->plain
           && strcmp (k->text, "<<") == 0;
}

/* Add the pairs of mapping @src that @seen does not hold yet. */
static void
merge_from (GPtrArray *out, GHashTable *seen, const SimYamlNode *src)
{
    for (guint i = 0; i < src->n; i++) {
        SimYamlNode *k = src->items[2 * i];

        if (g_hash_table_contains (seen, k->text))
            continue;
        g_hash_table_add (seen, k->text);
        g_ptr_array_add (out, k);
        g_ptr_array_add (out, src->items[2 * i + 1]);
    }
}

/* A mapping's end: scalar keys, each once; merge keys applied. */
static gboolean
finish_mapping (Build *b, SimYamlNode *n, GPtrArray *items, GError **error)
{
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr (GPtrArray) out = g_ptr_array_new ();
    g_autoptr (GPtrArray) merges = g_ptr_array_new ();

    for (guint i = 0; i + 1 < items->len; i += 2) {
        SimYamlNode *k = items->pdata[i];
        SimYamlNode *v = items->pdata[i + 1];

        if (k->kind != SIM_YAML_SCALAR)
            return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, k->line, k->column,
                            "a mapping key must be a scalar (Kubernetes "
                            "reads YAML as JSON)");
        if (is_merge_key (k)) {
            g_ptr_array_add (merges, v);
            continue;
        }
        if (g_hash_table_contains (seen, k->text)) {
            guint first = 0;

            for (guint j = 0; j < out->len; j += 2)
                if (strcmp (((SimYamlNode *) out->pdata[j])->text, k->text)
                    == 0)
                    first = ((SimYamlNode *) out->pdata[j])->line;
            return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, k->line, k->column,
                            "key \"%s\" is repeated (first at line %u)",
                            k->text, first);
        }
        g_hash_table_add (seen, k->text);
        g_ptr_array_add (out, k);
        g_ptr_array_add (out, v);
    }
    /* <<: a mapping or a sequence of mappings, the first one winning. */
    for (guint m = 0; m < merges->len; m++) {
        const SimYamlNode *v = merges->pdata[m];

        if (v->kind == SIM_YAML_MAPPING) {
            merge_from (out, seen, v);
            continue;
        }
        gboolean maps = v->kind == SIM_YAML_SEQUENCE;

        for (guint i = 0; maps && i < v->n; i++)
            maps = v->items[i]->kind == SIM_YAML_MAPPING;
        if (!maps)
            return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, v->line, v->column,
                            "a merge key (<<) takes a mapping or a list of "
                            "mappings");
        for (guint i = 0; i < v->n; i++)
            merge_from (out, seen, v->items[i]);
    }
    n->n = out->len / 2;
    n->items = (SimYamlNode **) g_ptr_array_free (g_steal_pointer (&out),
                                                  FALSE);
    return TRUE;
}

static gboolean
finish_node (Build *b, GError **error)
{
    Frame f = g_array_index (b->stack, Frame, b->stack->len - 1);
    gboolean ok = TRUE;

    g_array_set_size (b->stack, b->stack->len - 1);
    if (f.node->kind == SIM_YAML_MAPPING) {
        ok = finish_mapping (b, f.node, f.items, error);
    } else {
        f.node->n = f.items->len;
        f.node->items = g_memdup2 (f.items->pdata,
                                   sizeof (gpointer) * f.items->len);
    }
    g_ptr_array_unref (f.items);
    if (ok) {
        guint per = f.node->kind == SIM_YAML_MAPPING ? 2 : 1;

        for (guint i = 0; i < f.node->n * per; i++)
            f.node->weight = add_weight (f.node->weight,
                                         f.node->items[i]->weight);
        ok = check_weight (b, f.node, error);
    }
    if (ok && f.anchor != NULL)
        g_hash_table_replace (b->anchors, g_steal_pointer (&f.anchor), f.node);
    g_free (f.anchor);
    if (ok)
        attach (b, f.node);
    return ok;
}

static void
drop_stack (Build *b)
{
    for (guint i = 0; i < b->stack->len; i++) {
        Frame *f = &g_array_index (b->stack, Frame, i);

        g_ptr_array_unref (f->items);
        g_free (f->anchor);
    }
    g_array_set_size (b->stack, 0);
}

static gboolean
is_str_tag (const yaml_char_t *tag)
{
    return tag != NULL
           && (strcmp ((const char *) tag, "tag:yaml.org,2002:str") == 0
               || strcmp ((const char *) tag, "!!str") == 0);
}

/* One event into the tree. */
static gboolean
on_event (Build *b, const yaml_event_t *ev, GError **error)
{
    const yaml_mark_t *mk = &ev->start_mark;
    SimYamlNode *n;
    Frame f;

    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        b->doc_start = ev->start_mark.index;
        b->root = NULL;
        b->first_node = b->st->nodes->len;
        g_hash_table_remove_all (b->anchors);
        return TRUE;
    case YAML_DOCUMENT_END_EVENT:
        return TRUE;
    case YAML_SCALAR_EVENT:
        if (memchr (ev->data.scalar.value, '\0', ev->data.scalar.length)
            != NULL)
            return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, mk->line + 1,
                            mk->column + 1,
                            "a NUL character in a string (refused)");
        n = node_new (b, SIM_YAML_SCALAR, mk);
        n->text = g_strndup ((const char *) ev->data.scalar.value,
                             ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                   && !is_str_tag (ev->data.scalar.tag);
        if (ev->data.scalar.anchor != NULL)
            g_hash_table_replace (
                b->anchors, g_strdup ((const char *) ev->data.scalar.anchor),
                n);
        attach (b, n);
        return TRUE;
    case YAML_ALIAS_EVENT:
        n = g_hash_table_lookup (b->anchors,
                                 (const char *) ev->data.alias.anchor);
        if (n == NULL)
            return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, mk->line + 1,
                            mk->column + 1,
                            "alias *%s names no anchor before it (or the "
                            "node it is inside)",
                            (const char *) ev->data.alias.anchor);
        attach (b, n);
        return TRUE;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (b->stack->len >= b->st->limits.depth)
            return fail_at (b, error, SIM_YAML_ERROR_LIMIT, mk->line + 1,
                            mk->column + 1,
                            "nested more than %u deep (refused)",
                            b->st->limits.depth);
        f.node = node_new (b,
                           ev->type == YAML_SEQUENCE_START_EVENT
                               ? SIM_YAML_SEQUENCE
                               : SIM_YAML_MAPPING,
                           mk);
        f.items = g_ptr_array_new ();
        f.anchor = NULL;
        if (ev->type == YAML_SEQUENCE_START_EVENT
            && ev->data.sequence_start.anchor != NULL)
            f.anchor = g_strdup ((const char *) ev->data.sequence_start.anchor);
        if (ev->type == YAML_MAPPING_START_EVENT
            && ev->data.mapping_start.anchor != NULL)
            f.anchor = g_strdup ((const char *) ev->data.mapping_start.anchor);
        g_array_append_val (b->stack, f);
        return TRUE;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return finish_node (b, error);
    default:
        return TRUE;
    }
}

/* Line and column of byte @offset of @data, for libyaml's reader errors
 * (they give an offset only). */
static void
locate (const char *data, gsize len, gsize offset, guint *line, guint *col)
{
    *line = 1;
    *col = 1;
    for (gsize i = 0; i < offset && i < len; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static gboolean
parse_error (Build *b, const yaml_parser_t *p, const char *data, gsize len,
             GError **error)
{
    const char *problem = p->problem != NULL ? p->problem : "not YAML";
    guint line, col;

    if (p->error == YAML_READER_ERROR) {
        locate (data, len, p->problem_offset, &line, &col);
        return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, line, col, "%s",
                        problem);
    }
    if (p->error == YAML_MEMORY_ERROR)
        return fail_at (b, error, SIM_YAML_ERROR_LIMIT, 1, 1,
                        "out of memory reading YAML");
    line = (guint) p->problem_mark.line + 1;
    col = (guint) p->problem_mark.column + 1;
    if (p->context != NULL)
        return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, line, col,
                        "%s %s (at line %u, column %u)", problem, p->context,
                        (guint) p->context_mark.line + 1,
                        (guint) p->context_mark.column + 1);
    return fail_at (b, error, SIM_YAML_ERROR_SYNTAX, line, col, "%s", problem);
}

/* The document just ended: keep it unless it is empty. */
static gboolean
keep_document (Build *b, guint index, GError **error)
{
    SimYamlDoc *d;

    if (b->root == NULL
        || (b->root->kind == SIM_YAML_SCALAR && sim_yaml_is_null (b->root)))
        return TRUE;
    b->st->total_weight = add_weight (b->st->total_weight, b->root->weight);
    if (b->st->total_weight > b->st->limits.total_weight)
        return fail_at (b, error, SIM_YAML_ERROR_LIMIT, b->root->line,
                        b->root->column,
                        "the input grows past %" G_GUINT64_FORMAT
                        " nodes in all when its aliases are expanded "
                        "(refused)",
                        b->st->limits.total_weight);
    d = g_new0 (SimYamlDoc, 1);
    d->file = b->file;
    d->index = index;
    d->root = b->root;
    g_ptr_array_add (b->st->docs, d);
    return TRUE;
}

gboolean
sim_yaml_stream_add_data (SimYamlStream *st, const char *name, const char *data,
                          gsize len, GError **error)
{
    Build b = { .st = st };
    yaml_parser_t p;
    yaml_event_t ev;
    guint ndocs = st->docs->len, nnodes = st->nodes->len;
    guint64 weight = st->total_weight;
    guint index = 0;
    gboolean ok = TRUE, done = FALSE;

    g_return_val_if_fail (st != NULL && name != NULL, FALSE);
    g_return_val_if_fail (data != NULL || len == 0, FALSE);

    g_ptr_array_add (st->names, g_strdup (name));
    b.file = g_ptr_array_index (st->names, st->names->len - 1);
    if (len > st->limits.file_bytes) {
        return fail_at (&b, error, SIM_YAML_ERROR_LIMIT, 1, 1,
                        "larger than %zu bytes (refused)",
                        st->limits.file_bytes);
    }
    b.anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    b.stack = g_array_new (FALSE, FALSE, sizeof (Frame));
    yaml_parser_initialize (&p);
    yaml_parser_set_input_string (&p,
                                  (const unsigned char *) (data ? data : ""),
                                  len);
    while (ok && !done) {
        if (!yaml_parser_parse (&p, &ev)) {
            ok = parse_error (&b, &p, data, len, error);
            break;
        }
        if (ev.type != YAML_DOCUMENT_START_EVENT
            && ev.end_mark.index - b.doc_start > st->limits.doc_bytes)
            ok = fail_at (&b, error, SIM_YAML_ERROR_LIMIT,
                          (guint) ev.start_mark.line + 1,
                          (guint) ev.start_mark.column + 1,
                          "document %u is larger than %zu bytes (refused)",
                          index + 1, st->limits.doc_bytes);
        if (ok)
            ok = on_event (&b, &ev, error);
        if (ok && ev.type == YAML_DOCUMENT_END_EVENT)
            ok = keep_document (&b, ++index, error);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete (&ev);
    }
    yaml_parser_delete (&p);
    drop_stack (&b);
    g_array_unref (b.stack);
    g_hash_table_unref (b.anchors);
    if (!ok) {
        g_ptr_array_set_size (st->docs, ndocs);
        g_ptr_array_set_size (st->nodes, nnodes);
        st->total_weight = weight;
    }
    return ok;
}

/* --- Files, directories, standard input ------------------------------------ */

static gboolean
read_stream (SimYamlStream *st, FILE *f, const char *name, GError **error)
{
    g_autoptr (GString) data = g_string_new (NULL);
    char buf[65536];
    size_t n;

    while ((n = fread (buf, 1, sizeof buf, f)) > 0) {
        /* /dev/zero ends here, not at the size limit. */
        if (memchr (buf, '\0', n) != NULL) {
            g_set_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_SYNTAX,
                         "%s:1:1: not a text file (it holds a NUL byte)", name);
            return FALSE;
        }
        g_string_append_len (data, buf, (gssize) n);
        if (data->len > st->limits.file_bytes) {
            g_set_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_LIMIT,
                         "%s:1:1: larger than %zu bytes (refused)", name,
                         st->limits.file_bytes);
            return FALSE;
        }
    }
    if (ferror (f)) {
        g_set_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_IO,
                     "%s: cannot read: %s", name, g_strerror (errno));
        return FALSE;
    }
    return sim_yaml_stream_add_data (st, name, data->str, data->len, error);
}

static gboolean
read_file (SimYamlStream *st, const char *path, GError **error)
{
    FILE *f = fopen (path, "rb");
    gboolean ok;

    if (f == NULL) {
        int saved = errno;

        g_set_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_IO,
                     "%s: cannot read: %s", path, g_strerror (saved));
        return FALSE;
    }
    ok = read_stream (st, f, path, error);
    fclose (f);
    return ok;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

gboolean
sim_yaml_stream_add_path (SimYamlStream *st, const char *path, GError **error)
{
    g_autoptr (GDir) dir = NULL;
    g_autoptr (GPtrArray) names = NULL;
    g_autoptr (GError) err = NULL;
    const char *name;

    g_return_val_if_fail (st != NULL && path != NULL, FALSE);

    if (strcmp (path, "-") == 0)
        return read_stream (st, stdin, "(stdin)", error);
    if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        return read_file (st, path, error);
    dir = g_dir_open (path, 0, &err);
    if (dir == NULL) {
        g_set_error (error, SIM_YAML_ERROR, SIM_YAML_ERROR_IO,
                     "%s: cannot read: %s", path, err->message);
        return FALSE;
    }
    names = g_ptr_array_new_with_free_func (g_free);
    while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".yaml") || g_str_has_suffix (name, ".yml"))
            g_ptr_array_add (names, g_build_filename (path, name, NULL));
    g_ptr_array_sort (names, compare_names);
    for (guint i = 0; i < names->len; i++)
        if (!g_file_test (names->pdata[i], G_FILE_TEST_IS_DIR)
            && !read_file (st, names->pdata[i], error))
            return FALSE;
    return TRUE;
}

/* --- Reading nodes ------------------------------------------------------------ */

const SimYamlNode *
sim_yaml_get (const SimYamlNode *map, const char *key)
{
    if (map == NULL || map->kind != SIM_YAML_MAPPING)
        return NULL;
    for (guint i = 0; i < map->n; i++)
        if (strcmp (map->items[2 * i]->text, key) == 0)
            return map->items[2 * i + 1];
    return NULL;
}

const SimYamlNode *
sim_yaml_path (const SimYamlNode *node, const char *path)
{
    const char *p = path;

    while (node != NULL && *p != '\0') {
        const char *dot = strchr (p, '.');
        g_autofree char *key = g_strndup (p,
                                          dot ? (gsize) (dot - p) : strlen (p));

        node = sim_yaml_get (node, key);
        p = dot ? dot + 1 : p + strlen (p);
    }
    return node;
}

gboolean
sim_yaml_is_null (const SimYamlNode *n)
{
    if (n == NULL)
        return TRUE;
    if (n->kind != SIM_YAML_SCALAR || !n->plain)
        return FALSE;
    return n->text[0] == '\0' || strcmp (n->text, "~") == 0
           || g_ascii_strcasecmp (n->text, "null") == 0;
}

const char *
sim_yaml_text (const SimYamlNode *n)
{
    if (n == NULL || n->kind != SIM_YAML_SCALAR || sim_yaml_is_null (n))
        return NULL;
    return n->text;
}

gboolean
sim_yaml_int (const SimYamlNode *n, gint64 *out)
{
    const char *t;
    char *end;
    guint base = 10;
    gboolean neg = FALSE;
    guint64 v;

    if (n == NULL || n->kind != SIM_YAML_SCALAR || !n->plain)
        return FALSE;
    t = n->text;
    if (*t == '-' || *t == '+')
        neg = *t++ == '-';
    if (t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) {
        base = t[1] == 'x' ? 16 : 8;
        t += 2;
    }
    if (!g_ascii_isxdigit (*t))
        return FALSE;
    errno = 0;
    v = g_ascii_strtoull (t, &end, base);
    if (errno != 0 || *end != '\0' || v > (guint64) G_MAXINT64)
        return FALSE;
    *out = neg ? -(gint64) v : (gint64) v;
    return TRUE;
}

gboolean
sim_yaml_bool (const SimYamlNode *n, gboolean *out)
{
    static const char *const yes[] = { "true", "yes", "on", NULL };
    static const char *const no[] = { "false", "no", "off", NULL };

    if (n == NULL || n->kind != SIM_YAML_SCALAR || !n->plain)
        return FALSE;
    for (guint i = 0; yes[i] != NULL; i++) {
        if (g_ascii_strcasecmp (n->text, yes[i]) == 0) {
            *out = TRUE;
            return TRUE;
        }
        if (g_ascii_strcasecmp (n->text, no[i]) == 0) {
            *out = FALSE;
            return TRUE;
        }
    }
    return FALSE;
}

const char *
sim_yaml_describe (const SimYamlNode *n)
{
    gint64 i;
    gboolean b;

    if (n == NULL)
        return "nothing";
    switch (n->kind) {
    case SIM_YAML_MAPPING:
        return "a mapping";
    case SIM_YAML_SEQUENCE:
        return "a list";
    case SIM_YAML_SCALAR:
        break;
    }
    if (sim_yaml_is_null (n))
        return "null";
    if (sim_yaml_int (n, &i))
        return "an integer";
    if (sim_yaml_bool (n, &b))
        return "a boolean";
    return "a string";
}
