/*
 * pool.c — the ordered analysis pool (see pool.h).
 *
 * A ring of depth slots.  The caller fills slot tail and takes slot head;
 * workers take the next queued slot at index next (next <= tail).  One mutex
 * guards the indices and states; one condition variable wakes workers for
 * new work and the caller for a finished head slot.  Analysis itself runs
 * outside the lock.  Each worker owns an analyzer (token streams), a codec
 * context and an analysis scratch (the word runs the extractors share, kept
 * from article to article), made before the threads start; inline (jobs 0)
 * the caller's thread uses the first ones.  The body dictionary is read under the lock
 * when a worker takes a slot, so an article is compressed with whatever
 * dictionary was set before it was taken.  Token streams take about four
 * times the text they describe, so the streams of undelivered items share a
 * budget of STREAM_BUDGET bytes: a worker that would exceed it drops its
 * item's streams (the writer then tokenizes that article itself), and memory
 * stays bounded by the queue's depth times the article size, as without
 * streams, plus the budget.
 */
#include <pthread.h>
#include <string.h>

#include "newsindex/alloc.h"
#include "pool.h"

#define STREAM_BUDGET ((size_t)64 << 20)

enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

typedef struct {
    ni_pool_item item;
    int state;
    size_t stream_bytes; /* counted in the pool's stream_bytes */
} slot;

typedef struct {
    struct ni_pool *pool;
    ni_analyzer *tokenizer;     /* NULL: no token streams */
    ni_body_ctx *codec;         /* NULL: each article makes a temporary one */
    ni_analyse_scratch scratch; /* the extractors' word runs, kept between articles */
} worker_ctx;

struct ni_pool {
    slot *slots;
    size_t depth;
    size_t head, next, tail; /* head <= next <= tail, as counters */
    pthread_t *threads;
    worker_ctx *workers; /* n_workers = max(jobs, 1) */
    unsigned n_workers, n_threads;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    int stop;
    const ni_body_dict *dict; /* compress bodies with this; guarded by mu */
    size_t stream_bytes;      /* held by the streams of undelivered items */
};

static void analyse_item(ni_pool_item *it, worker_ctx *w, const ni_body_dict *dict)
{
    if (it->analyse)
        it->rc =
            ni_analyse(&it->art, it->path, w->tokenizer, w->codec, dict, &w->scratch, &it->result);
    else
        it->rc = NI_OK;
}

static void *worker(void *arg)
{
    worker_ctx *w = arg;
    ni_pool *p = w->pool;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->stop)
            break;
        slot *s = &p->slots[p->next % p->depth];
        p->next++;
        if (s->state != SLOT_QUEUED)
            continue;
        s->state = SLOT_BUSY;
        const ni_body_dict *dict = p->dict;
        pthread_mutex_unlock(&p->mu);
        analyse_item(&s->item, w, dict);
        size_t bytes = ni_analysed_stream_bytes(&s->item.result);
        pthread_mutex_lock(&p->mu);
        if (bytes > STREAM_BUDGET - p->stream_bytes) {
            ni_analysed_drop_streams(&s->item.result);
            bytes = 0;
        }
        p->stream_bytes += bytes;
        s->stream_bytes = bytes;
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

ni_status ni_pool_new(unsigned jobs, size_t depth, const char *lang, ni_pool **out)
{
    *out = NULL;
    ni_pool *p = ni_calloc(1, sizeof *p);
    if (!p)
        return NI_ENOMEM;
    p->depth = depth ? depth : 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->workers = ni_calloc(jobs ? jobs : 1, sizeof *p->workers);
    if (!p->workers) {
        ni_pool_free(p);
        return NI_ENOMEM;
    }
    p->n_workers = jobs ? jobs : 1;
    for (unsigned i = 0; i < p->n_workers; i++) {
        p->workers[i].pool = p;
        ni_error err;
        ni_status rc =
            lang ? ni_analyse_tokenizer_new(lang, &p->workers[i].tokenizer, &err) : NI_OK;
        if (!rc && ni_body_ctx_new(&p->workers[i].codec) != NI_OK)
            p->workers[i].codec = NULL; /* then each article makes a temporary one */
        if (rc) {
            ni_pool_free(p);
            return rc;
        }
    }
    if (jobs) {
        p->slots = ni_calloc(p->depth, sizeof *p->slots);
        p->threads = ni_calloc(jobs, sizeof *p->threads);
        if (!p->slots || !p->threads) {
            ni_pool_free(p);
            return NI_ENOMEM;
        }
        for (unsigned i = 0; i < jobs; i++) {
            if (pthread_create(&p->threads[i], NULL, worker, &p->workers[i]) != 0)
                break;
            p->n_threads++;
        }
        if (!p->n_threads) {
            ni_pool_free(p);
            return NI_ENOMEM;
        }
    }
    *out = p;
    return NI_OK;
}

/* Deliver the head slot once it is done.  Called with the mutex unlocked. */
static ni_status deliver_head(ni_pool *p, ni_pool_sink *sink, void *ctx)
{
    slot *s = &p->slots[p->head % p->depth];
    pthread_mutex_lock(&p->mu);
    while (s->state != SLOT_DONE)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    ni_status rc = sink(ctx, &s->item);
    ni_analysed_clear(&s->item.result);
    ni_article_clear(&s->item.art);
    memset(&s->item, 0, sizeof s->item);
    pthread_mutex_lock(&p->mu);
    p->stream_bytes -= s->stream_bytes;
    s->stream_bytes = 0;
    s->state = SLOT_FREE;
    p->head++;
    pthread_mutex_unlock(&p->mu);
    return rc;
}

ni_status ni_pool_push(ni_pool *p, ni_pool_item *item, ni_pool_sink *sink, void *ctx)
{
    if (!p->n_threads) {
        analyse_item(item, &p->workers[0], p->dict);
        ni_status rc = sink(ctx, item);
        ni_analysed_clear(&item->result);
        ni_article_clear(&item->art);
        return rc;
    }
    while (p->tail - p->head >= p->depth) {
        ni_status rc = deliver_head(p, sink, ctx);
        if (rc)
            return rc;
    }
    slot *s = &p->slots[p->tail % p->depth];
    s->item = *item;
    memset(item, 0, sizeof *item);
    pthread_mutex_lock(&p->mu);
    s->state = s->item.analyse ? SLOT_QUEUED : SLOT_DONE;
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return NI_OK;
}

ni_status ni_pool_drain(ni_pool *p, ni_pool_sink *sink, void *ctx)
{
    while (p->n_threads && p->head < p->tail) {
        ni_status rc = deliver_head(p, sink, ctx);
        if (rc)
            return rc;
    }
    return NI_OK;
}

void ni_pool_set_dict(ni_pool *p, const ni_body_dict *dict)
{
    pthread_mutex_lock(&p->mu);
    p->dict = dict;
    pthread_mutex_unlock(&p->mu);
}

void ni_pool_free(ni_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    for (size_t i = p->head; p->slots && i < p->tail; i++) {
        slot *s = &p->slots[i % p->depth];
        ni_analysed_clear(&s->item.result);
        ni_article_clear(&s->item.art);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    for (unsigned i = 0; i < p->n_workers; i++) {
        ni_analyzer_free(p->workers[i].tokenizer);
        ni_body_ctx_free(p->workers[i].codec);
        ni_analyse_scratch_free(&p->workers[i].scratch);
    }
    ni_free(p->workers);
    ni_free(p->slots);
    ni_free(p->threads);
    ni_free(p);
}
