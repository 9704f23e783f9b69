/*
 * pool.h — interface to code in pool.c: analysing articles on worker threads
 * while the caller's thread reads and writes, with results delivered in the
 * order the articles were queued.
 *
 * The caller pushes items; workers run ni_analyse on them; the caller's sink
 * receives each finished item on the caller's own thread, oldest first, when
 * the queue is full or at ni_pool_drain.  So the archive is only ever touched
 * from one thread, and the order of writes is the order of the dump.  Marker
 * items (analyse = 0) pass through in order untouched: the indexer uses them
 * to finish a file after its last article is written.  With jobs == 0 every
 * item is analysed and delivered at once on the caller's thread.
 */
#ifndef NEWSINDEX_POOL_H
#define NEWSINDEX_POOL_H

#include "analyse.h"

typedef struct {
    int analyse;        /* 1: an article to analyse; 0: a marker */
    ni_article art;     /* in (articles): moved into the pool by ni_pool_push */
    const char *path;   /* in: the article's file, alive until delivery */
    unsigned long line; /* in: where the record starts, for reports */
    void *tag;          /* the caller's, passed back untouched */
    ni_analysed result; /* out: for articles, when rc == NI_OK */
    ni_status rc;       /* out: ni_analyse's status */
} ni_pool_item;

/* Receives a finished item; must clear item->result.  Non-OK stops delivery. */
typedef ni_status ni_pool_sink(void *ctx, ni_pool_item *item);

typedef struct ni_pool ni_pool;

/*
 * jobs worker threads (0: analyse inline), depth items in flight at most.
 * lang: the archive's stemming language, for token streams (analyse.h);
 * NULL for none.
 */
ni_status ni_pool_new(unsigned jobs, size_t depth, const char *lang, ni_pool **out);

/* Queue *item (its article is moved in; *item is left empty). */
ni_status ni_pool_push(ni_pool *p, ni_pool_item *item, ni_pool_sink *sink, void *ctx);

/* Deliver every queued item. */
ni_status ni_pool_drain(ni_pool *p, ni_pool_sink *sink, void *ctx);

/*
 * Compress the bodies of articles not yet taken by a worker with dict
 * (NULL: none).  dict must outlive the pool.
 */
void ni_pool_set_dict(ni_pool *p, const ni_body_dict *dict);

/* Stop the workers and discard undelivered items (their tags are not freed). */
void ni_pool_free(ni_pool *p);

#endif
