/* output.c - claiming an output directory, putting a result in place,
 * and the clean-up on signals.  See output.h.
 *
 * The registry.  Everything a signal must undo (temporary directories,
 * locks, parent directories a claim made, running children) is listed
 * under one mutex.  The signal thread takes the mutex and never gives it
 * back: from then on no claim can be made or committed, and what it
 * removes stays removed (the writers make files only inside claimed
 * directories, never their parents, so a removed directory is not made
 * again).  A commit holds the mutex across its renames, so a signal sees
 * the result either wholly in place or not at all.
 */
#define _GNU_SOURCE /* renameat2, pthread_sigmask */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "output.h"
#include "report.h"

/* The longest name a directory entry may have, and what the temporary
 * name adds to the target's (".NAME.tmp-XXXXXX"). */
#define NAME_MAX_BYTES 255
#define TMP_EXTRA 12

struct SimOutput {
    char *dir;    /* as given */
    char *target; /* without trailing slashes */
    char *tmp;    /* NULL once committed */
    char *lock;   /* the lock file */
    int lock_fd;
    GPtrArray *made; /* parent directories the claim made, outer first */
    gboolean replaces;
};

/* --- The registry ------------------------------------------------------ */

static GMutex reg_mutex;
static GPtrArray *reg_trees; /* char*: directories to remove */
static GPtrArray *reg_files; /* char*: lock files to unlink */
static GPtrArray *reg_dirs;  /* char*: empty parents to remove */
static GArray *reg_children; /* GPid */

static void
reg_init (void)
{
    if (reg_trees == NULL) {
        reg_trees = g_ptr_array_new_with_free_func (g_free);
        reg_files = g_ptr_array_new_with_free_func (g_free);
        reg_dirs = g_ptr_array_new_with_free_func (g_free);
        reg_children = g_array_new (FALSE, FALSE, sizeof (GPid));
    }
}

static void
reg_add (GPtrArray **list, const char *path)
{
    g_mutex_lock (&reg_mutex);
    reg_init ();
    g_ptr_array_add (*list, g_strdup (path));
    g_mutex_unlock (&reg_mutex);
}

/* Call with the mutex held. */
static void
reg_drop_locked (GPtrArray *list, const char *path)
{
    for (guint i = 0; list != NULL && i < list->len; i++)
        if (strcmp (g_ptr_array_index (list, i), path) == 0) {
            g_ptr_array_remove_index (list, i);
            return;
        }
}

static void
reg_drop (GPtrArray **list, const char *path)
{
    g_mutex_lock (&reg_mutex);
    reg_drop_locked (*list, path);
    g_mutex_unlock (&reg_mutex);
}

void
sim_output_track_tmp (const char *path)
{
    reg_add (&reg_trees, path);
}

void
sim_output_untrack_tmp (const char *path)
{
    reg_drop (&reg_trees, path);
}

/* --- Removing ------------------------------------------------------------ */

void
sim_output_remove_tree (const char *path)
{
    GStatBuf st;
    GDir *d;
    const char *name;

    if (g_lstat (path, &st) != 0)
        return;
    if (!S_ISDIR (st.st_mode)) {
        g_remove (path);
        return;
    }
    d = g_dir_open (path, 0, NULL);
    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
        g_autofree char *child = g_build_filename (path, name, NULL);

        sim_output_remove_tree (child);
    }
    if (d != NULL)
        g_dir_close (d);
    g_rmdir (path);
}

/* --- Signals -------------------------------------------------------------- */

static sigset_t handled;

static gpointer
signal_thread (gpointer data)
{
    int sig = 0;

    for (;;) {
        if (sigwait (&handled, &sig) == 0)
            break;
    }
    /* Never released: no claim or commit may start after this. */
    g_mutex_lock (&reg_mutex);
    reg_init ();
    for (guint i = 0; i < reg_children->len; i++)
        kill (g_array_index (reg_children, GPid, i), SIGKILL);
    for (guint i = 0; i < reg_children->len; i++)
        waitpid (g_array_index (reg_children, GPid, i), NULL, 0);
    /* A writer may add a file while a tree is being removed: again,
     * until it is gone. */
    for (guint i = 0; i < reg_trees->len; i++) {
        const char *p = g_ptr_array_index (reg_trees, i);

        for (gint tries = 0; tries < 100; tries++) {
            sim_output_remove_tree (p);
            if (!g_file_test (p, G_FILE_TEST_EXISTS)
                && !g_file_test (p, G_FILE_TEST_IS_SYMLINK))
                break;
            g_usleep (1000);
        }
    }
    for (guint i = 0; i < reg_files->len; i++)
        g_unlink (g_ptr_array_index (reg_files, i));
    for (guint i = reg_dirs->len; i > 0; i--)
        g_rmdir (g_ptr_array_index (reg_dirs, i - 1));
    if (isatty (STDERR_FILENO))
        fputs ("\r\033[K", stderr);
    fprintf (stderr, "rollsim: interrupted (%s): nothing was written\n",
             sig == SIGINT    ? "SIGINT"
             : sig == SIGTERM ? "SIGTERM"
                              : "SIGHUP");
    fflush (stderr);
    _exit (128 + sig);
    return NULL;
}

void
sim_output_init_signals (void)
{
    static gsize done;

    if (!g_once_init_enter (&done))
        return;
    signal (SIGXFSZ, SIG_IGN);
    sigemptyset (&handled);
    sigaddset (&handled, SIGINT);
    sigaddset (&handled, SIGTERM);
    sigaddset (&handled, SIGHUP);
    /* Every thread made from now on inherits the mask: only the signal
     * thread takes these signals. */
    pthread_sigmask (SIG_BLOCK, &handled, NULL);
    g_thread_unref (g_thread_new ("rollsim-signals", signal_thread, NULL));
    g_once_init_leave (&done, 1);
}

/* In the child, before exec: the signals it should take as usual. */
static void
child_setup (gpointer data)
{
    sigset_t none;

    sigemptyset (&none);
    pthread_sigmask (SIG_SETMASK, &none, NULL);
}

gboolean
sim_output_spawn (const char *dir, const char *const *argv, char **err_text,
                  gint *status, GError **error)
{
    g_autoptr (GString) text = g_string_new (NULL);
    GPid pid;
    gint err_fd = -1;
    char buf[4096];
    ssize_t n;

    g_mutex_lock (&reg_mutex);
    reg_init ();
    if (!g_spawn_async_with_pipes (
            dir, (char **) argv, NULL,
            G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                | G_SPAWN_DO_NOT_REAP_CHILD,
            child_setup, NULL, &pid, NULL, NULL, &err_fd, error)) {
        g_mutex_unlock (&reg_mutex);
        return FALSE;
    }
    g_array_append_val (reg_children, pid);
    g_mutex_unlock (&reg_mutex);
    while ((n = read (err_fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        /* A chatty child cannot fill memory. */
        if (text->len < 65536)
            g_string_append_len (text, buf, n);
    }
    close (err_fd);
    while (waitpid (pid, status, 0) < 0 && errno == EINTR)
        ;
    g_mutex_lock (&reg_mutex);
    for (guint i = 0; i < reg_children->len; i++)
        if (g_array_index (reg_children, GPid, i) == pid) {
            g_array_remove_index (reg_children, i);
            break;
        }
    g_mutex_unlock (&reg_mutex);
    *err_text = g_string_free (g_steal_pointer (&text), FALSE);
    return TRUE;
}

/* --- Claiming ------------------------------------------------------------- */

static gboolean fail (GError **error, gint code, const char *fmt, ...)
    G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError **error, gint code, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    g_set_error_literal (error, SIM_REPORT_ERROR, code, "");
    g_free ((*error)->message);
    (*error)->message = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    return FALSE;
}

static gboolean
fail_errno (GError **error, int e, const char *what, const char *path)
{
    return fail (error, SIM_REPORT_ERROR_IO, "%s: %s: %s", path, what,
                 g_strerror (e));
}

/* "out/x/" and "out/x" name the same directory. */
static char *
canonical (const char *dir)
{
    char *d = g_strdup (dir);
    gsize n = strlen (d);

    while (n > 1 && G_IS_DIR_SEPARATOR (d[n - 1]))
        d[--n] = '\0';
    return d;
}

/* Only an empty directory, or one a run of ours wrote, may be replaced:
 * `-o ~/src` must never wipe a user's files.  *@ours: it holds the
 * mark (an earlier result). */
static gboolean
replaceable (const char *dir, gboolean *ours)
{
    g_autofree char *marker = g_build_filename (dir, SIM_REPORT_MARKER, NULL);
    GDir *d;
    gboolean empty;

    *ours = FALSE;
    if (g_file_test (marker, G_FILE_TEST_IS_REGULAR)
        && !g_file_test (marker, G_FILE_TEST_IS_SYMLINK)) {
        *ours = TRUE;
        return TRUE;
    }
    d = g_dir_open (dir, 0, NULL);
    if (d == NULL)
        return FALSE;
    empty = g_dir_read_name (d) == NULL;
    g_dir_close (d);
    return empty;
}

/* The parent directory, made (with its own parents) when missing; the
 * ones made are listed in @made, outer first. */
static gboolean
make_parents (const char *parent, GPtrArray *made, GError **error)
{
    g_autofree char *up = NULL;
    GStatBuf st;

    if (g_stat (parent, &st) == 0) {
        if (!S_ISDIR (st.st_mode))
            return fail (error, SIM_REPORT_ERROR_IO,
                         "%s: not a directory (the output must go in one)",
                         parent);
        return TRUE;
    }
    if (errno != ENOENT)
        return fail_errno (error, errno, "cannot use", parent);
    up = g_path_get_dirname (parent);
    if (strcmp (up, parent) != 0 && !make_parents (up, made, error))
        return FALSE;
    if (g_mkdir (parent, 0755) != 0)
        return fail_errno (error, errno, "cannot create directory", parent);
    g_ptr_array_add (made, g_strdup (parent));
    reg_add (&reg_dirs, parent);
    return TRUE;
}

/* @path resolved (links and "..", absolute), or NULL when it does not
 * exist: what does not exist cannot be deleted. */
static char *
resolve (const char *path)
{
    char *r = realpath (path, NULL);
    char *copy;

    if (r == NULL)
        return NULL;
    copy = g_strdup (r);
    free (r);
    return copy;
}

/* Does @inner lie inside (or at) the directory @outer?  Both resolved. */
static gboolean
inside (const char *inner, const char *outer)
{
    gsize n = strlen (outer);

    return strncmp (inner, outer, n) == 0
           && (inner[n] == '\0' || inner[n] == '/' || strcmp (outer, "/") == 0);
}

/* Take the lock file of the target: one rollsim at a time writes it. */
static gboolean
take_lock (SimOutput *o, GError **error)
{
    for (gint tries = 0; tries < 10; tries++) {
        struct stat a, b;
        int fd = open (o->lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                       0644);

        if (fd < 0)
            return fail_errno (error, errno, "cannot create the lock file",
                               o->lock);
        if (flock (fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;

            close (fd);
            if (e == EWOULDBLOCK)
                return fail (error, SIM_REPORT_ERROR_IO,
                             "%s is being written by another rollsim "
                             "(it holds %s): wait for it, or choose "
                             "another -o",
                             o->dir, o->lock);
            return fail_errno (error, e, "cannot lock", o->lock);
        }
        /* The holder before us may have removed the file it locked:
         * then our lock is on a file nobody else will see. */
        if (fstat (fd, &a) == 0 && lstat (o->lock, &b) == 0
            && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
            o->lock_fd = fd;
            reg_add (&reg_files, o->lock);
            return TRUE;
        }
        close (fd);
    }
    return fail (error, SIM_REPORT_ERROR_IO, "%s: cannot take the lock",
                 o->lock);
}

static void
release (SimOutput *o)
{
    g_mutex_lock (&reg_mutex);
    if (o->tmp != NULL) {
        reg_drop_locked (reg_trees, o->tmp);
        sim_output_remove_tree (o->tmp);
        g_clear_pointer (&o->tmp, g_free);
    }
    if (o->lock_fd >= 0) {
        /* Unlinked while held: a waiting rollsim sees it gone and makes
         * its own. */
        reg_drop_locked (reg_files, o->lock);
        g_unlink (o->lock);
        close (o->lock_fd);
        o->lock_fd = -1;
    }
    g_mutex_unlock (&reg_mutex);
}

SimOutput *
sim_output_claim (const char *dir, const char *const *inputs, GError **error)
{
    g_autoptr (SimOutput) o = g_new0 (SimOutput, 1);
    g_autofree char *parent = NULL;
    g_autofree char *base = NULL;
    g_autofree char *tmpl = NULL;
    g_autofree char *marker = NULL;
    GStatBuf st;

    o->lock_fd = -1;
    o->made = g_ptr_array_new_with_free_func (g_free);
    o->dir = g_strdup (dir);
    if (*dir == '\0') {
        fail (error, SIM_REPORT_ERROR_INPUT,
              "-o '': an empty name is no directory");
        return NULL;
    }
    o->target = canonical (dir);
    parent = g_path_get_dirname (o->target);
    base = g_path_get_basename (o->target);
    if (strcmp (base, ".") == 0 || strcmp (base, "..") == 0
        || strcmp (base, "/") == 0) {
        fail (error, SIM_REPORT_ERROR_INPUT,
              "-o %s: name the output directory itself (such as out/run)", dir);
        return NULL;
    }
    if (strlen (base) > NAME_MAX_BYTES - TMP_EXTRA) {
        fail (error, SIM_REPORT_ERROR_INPUT,
              "%s: the directory name is %zu bytes long, more than %d (a "
              "long scenario.name? give -o DIR)",
              dir, strlen (base), NAME_MAX_BYTES - TMP_EXTRA);
        return NULL;
    }
    if (!make_parents (parent, o->made, error))
        return NULL;
    o->lock = g_strdup_printf ("%s/.%s.lock", parent, base);
    if (!take_lock (o, error))
        return NULL;
    if (g_lstat (o->target, &st) == 0) {
        g_autofree char *real = NULL;

        if (S_ISLNK (st.st_mode)) {
            fail (error, SIM_REPORT_ERROR_IO,
                  "%s is a symbolic link: not replacing it (choose another "
                  "-o)",
                  o->target);
            return NULL;
        }
        if (!S_ISDIR (st.st_mode) || !replaceable (o->target, &o->replaces)) {
            fail (error, SIM_REPORT_ERROR_IO,
                  "%s exists and was not written by rollsim: not "
                  "replacing it (choose another -o)",
                  o->target);
            return NULL;
        }
        /* Replacing it deletes what it holds: never the inputs. */
        real = resolve (o->target);
        for (guint i = 0; inputs != NULL && inputs[i] != NULL; i++) {
            g_autofree char *in = resolve (inputs[i]);

            if (real != NULL && in != NULL && inside (in, real)) {
                fail (error, SIM_REPORT_ERROR_INPUT,
                      "%s lies inside %s, which this command would "
                      "replace (deleting it): choose another -o, or move "
                      "it out first",
                      inputs[i], o->target);
                return NULL;
            }
        }
    } else if (errno != ENOENT) {
        fail_errno (error, errno, "cannot use", o->target);
        return NULL;
    }
    tmpl = g_strdup_printf ("%s/.%s.tmp-XXXXXX", parent, base);
    g_mutex_lock (&reg_mutex);
    reg_init ();
    o->tmp = g_mkdtemp (tmpl);
    if (o->tmp != NULL) {
        tmpl = NULL; /* taken by o->tmp */
        g_ptr_array_add (reg_trees, g_strdup (o->tmp));
    }
    g_mutex_unlock (&reg_mutex);
    if (o->tmp == NULL) {
        fail_errno (error, errno, "cannot create a directory beside it",
                    o->target);
        return NULL;
    }
    g_chmod (o->tmp, 0755);
    /* The mark that lets a later run replace this directory. */
    marker = g_build_filename (o->tmp, SIM_REPORT_MARKER, NULL);
    if (!g_file_set_contents (marker,
                              "written by rollsim; a new run may "
                              "replace this directory\n",
                              -1, NULL)) {
        fail (error, SIM_REPORT_ERROR_IO, "%s: cannot write", marker);
        return NULL;
    }
    return g_steal_pointer (&o);
}

const char *
sim_output_tmp (const SimOutput *o)
{
    return o->tmp;
}

const char *
sim_output_dir (const SimOutput *o)
{
    return o->dir;
}

void
sim_output_restate_error (const SimOutput *o, GError *error)
{
    g_auto (GStrv) parts = NULL;

    if (error == NULL || o->tmp == NULL)
        return;
    parts = g_strsplit (error->message, o->tmp, -1);
    g_free (error->message);
    error->message = g_strjoinv (o->target, parts);
}

gboolean
sim_output_replaces (const SimOutput *o)
{
    return o->replaces;
}

/* Put @tmp at @target: exchanged with what is there (renameat2), or
 * renamed when nothing is; where the file system cannot exchange, the
 * old result is renamed aside first. */
static gboolean
put_in_place (const char *tmp, const char *target, gboolean exists,
              GError **error)
{
    g_autofree char *old = NULL;

    if (!exists) {
        if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
            return TRUE;
        if (errno != EINVAL && errno != ENOSYS)
            return fail_errno (error, errno, "cannot rename into place",
                               target);
        if (g_rename (tmp, target) == 0)
            return TRUE;
        return fail_errno (error, errno, "cannot rename into place", target);
    }
    if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
        /* tmp now holds the old result. */
        sim_output_remove_tree (tmp);
        return TRUE;
    }
    if (errno != EINVAL && errno != ENOSYS)
        return fail_errno (error, errno, "cannot replace", target);
    old = g_strconcat (tmp, ".old", NULL);
    if (g_rename (target, old) != 0)
        return fail_errno (error, errno, "cannot replace", target);
    if (g_rename (tmp, target) != 0) {
        int e = errno;

        g_rename (old, target);
        return fail_errno (error, e, "cannot rename into place", target);
    }
    sim_output_remove_tree (old);
    return TRUE;
}

gboolean
sim_output_commit (SimOutput *o, GError **error)
{
    GStatBuf st;
    gboolean exists, ok, ours;

    g_return_val_if_fail (o->tmp != NULL, FALSE);
    g_mutex_lock (&reg_mutex);
    /* Someone other than rollsim may have made something there since
     * the claim. */
    exists = g_lstat (o->target, &st) == 0;
    if (exists
        && (S_ISLNK (st.st_mode) || !S_ISDIR (st.st_mode)
            || !replaceable (o->target, &ours)))
        ok = fail (error, SIM_REPORT_ERROR_IO,
                   "%s exists and was not written by rollsim: not "
                   "replacing it (choose another -o)",
                   o->target);
    else
        ok = put_in_place (o->tmp, o->target, exists, error);
    if (ok) {
        reg_drop_locked (reg_trees, o->tmp);
        g_clear_pointer (&o->tmp, g_free);
        /* The parents hold the result now: they stay. */
        for (guint i = 0; i < o->made->len; i++)
            reg_drop_locked (reg_dirs, g_ptr_array_index (o->made, i));
        g_ptr_array_set_size (o->made, 0);
    }
    g_mutex_unlock (&reg_mutex);
    release (o);
    return ok;
}

void
sim_output_free (SimOutput *o)
{
    if (o == NULL)
        return;
    release (o);
    /* The parents this claim made, if nothing else went into them. */
    g_mutex_lock (&reg_mutex);
    for (guint i = o->made->len; i > 0; i--) {
        const char *d = g_ptr_array_index (o->made, i - 1);

        reg_drop_locked (reg_dirs, d);
        g_rmdir (d);
    }
    g_mutex_unlock (&reg_mutex);
    g_ptr_array_unref (o->made);
    g_free (o->dir);
    g_free (o->target);
    g_free (o->lock);
    g_free (o);
}
