/*
 * helper.c — the helper thread and its connection (see helper.h).
 *
 * State, under mu: job is the function to run (NULL: none pending), done
 * says the last job started has finished with status rc, quit asks the
 * thread to close its connection and end.  The thread alone touches store
 * (opened on the first job, closed when it ends); the caller's thread
 * touches only the fields under mu, so the two connections never meet.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "newsindex/alloc.h"
#include "newsindex/store.h"
#include "quotematch.h"

struct nq_helper {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* job handed over, job done, quit */
    char *path;
    ni_store *store; /* the thread's own */
    void (*job)(sqlite3 *db, void *arg);
    void *arg;
    int done, quit;
    ni_status rc;
};

/* Open the archive on the helper's thread, with the quote matcher; nq_idset()
 * is registered by each job that needs it (registering frees the sets of
 * earlier ones, idset.h). */
static ni_status open_store(nq_helper *h)
{
    ni_error err = {{0}};
    ni_store_options o = {.readonly = 1};
    ni_status rc = ni_store_open(h->path, &o, &h->store, &err);
    if (!rc)
        rc = nq_quote_match_register(ni_store_db(h->store), &err);
    if (rc) {
        ni_store_close(h->store);
        h->store = NULL;
    }
    return rc;
}

static void *helper_main(void *p)
{
    nq_helper *h = p;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->job && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->job)
            break;
        void (*fn)(sqlite3 *, void *) = h->job;
        void *arg = h->arg;
        pthread_mutex_unlock(&h->mu);
        ni_status rc = h->store ? NI_OK : open_store(h);
        if (!rc)
            fn(ni_store_db(h->store), arg);
        pthread_mutex_lock(&h->mu);
        h->job = NULL;
        h->rc = rc;
        h->done = 1;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    ni_store_close(h->store);
    return NULL;
}

int nq_helper_core_idle(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 1;
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 1;
    buf[n] = '\0';
    /* "0.52 0.58 0.59 2/311 12345": the runnable count follows the third space */
    const char *p = buf;
    for (int field = 0; field < 3 && p; field++)
        if ((p = strchr(p, ' ')) != NULL)
            p++;
    if (!p)
        return 1;
    long running = strtol(p, NULL, 10);
    return running <= 0 || cpus <= 0 || running < cpus;
}

ni_status nq_helper_new(const char *path, nq_helper **out)
{
    *out = NULL;
    nq_helper *h = ni_calloc(1, sizeof *h);
    if (!h)
        return NI_ENOMEM;
    h->path = ni_strdup(path);
    if (!h->path) {
        ni_free(h);
        return NI_ENOMEM;
    }
    if (pthread_mutex_init(&h->mu, NULL))
        goto no_mutex;
    if (pthread_cond_init(&h->cv, NULL))
        goto no_cond;
    if (pthread_create(&h->thread, NULL, helper_main, h))
        goto no_thread;
    *out = h;
    return NI_OK;
no_thread:
    pthread_cond_destroy(&h->cv);
no_cond:
    pthread_mutex_destroy(&h->mu);
no_mutex:
    ni_free(h->path);
    ni_free(h);
    return NI_EIO;
}

void nq_helper_start(nq_helper *h, void (*fn)(sqlite3 *db, void *arg), void *arg)
{
    pthread_mutex_lock(&h->mu);
    h->job = fn;
    h->arg = arg;
    h->done = 0;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

ni_status nq_helper_wait(nq_helper *h)
{
    pthread_mutex_lock(&h->mu);
    while (!h->done)
        pthread_cond_wait(&h->cv, &h->mu);
    ni_status rc = h->rc;
    pthread_mutex_unlock(&h->mu);
    return rc;
}

void nq_helper_free(nq_helper *h)
{
    if (!h)
        return;
    pthread_mutex_lock(&h->mu);
    h->quit = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
    pthread_join(h->thread, NULL);
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    ni_free(h->path);
    ni_free(h);
}
