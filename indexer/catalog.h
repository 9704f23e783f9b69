/*
 * catalog.h — interface to code in catalog.c: what the archive remembers of
 * its inputs (the root and file tables) and the bookkeeping of one run that
 * lets a re-run do only the work that changed.
 *
 * During a run, temporary tables record which files were seen and which
 * articles each re-read file produced; at the end of a file its articles that
 * were not produced again are deleted, and at the end of the run the files of
 * the scanned roots that were not seen are removed with their articles.  A
 * file's size and mtime are recorded only when it has been read completely,
 * in the same transaction as its last articles, so a crash mid-file makes the
 * next run read it again.
 */
#ifndef NEWSINDEX_CATALOG_H
#define NEWSINDEX_CATALOG_H

#include <stdint.h>
#include <sqlite3.h>
#include "newsindex/status.h"

typedef struct ni_catalog ni_catalog;

typedef struct {
    int64_t id;
    char *path; /* as the user typed it */
    char *cwd;  /* the folder it was typed in */
} ni_root;

typedef struct {
    int64_t id; /* 0 when the archive does not know the file */
    int64_t size, mtime;
    int complete; /* size and mtime are those of a complete read */
    uint64_t read_offset;
    uint32_t read_crc;
} ni_file_row;

ni_status ni_catalog_open(sqlite3 *db, ni_catalog **out, ni_error *err);
void ni_catalog_close(ni_catalog *c);

/* Record a root (no-op when known); *id is its id. */
ni_status ni_catalog_add_root(ni_catalog *c, const char *path, const char *cwd, int64_t *id,
                              ni_error *err);
/* Every recorded root; free with ni_catalog_free_roots. */
ni_status ni_catalog_roots(ni_catalog *c, ni_root **roots, size_t *n, ni_error *err);
void ni_catalog_free_roots(ni_root *roots, size_t n);
/* Drop a root, its files and their articles.  NI_ENOTFOUND for an unknown root. */
ni_status ni_catalog_forget_root(ni_catalog *c, const char *path, unsigned long *articles,
                                 ni_error *err);

/* Mark a root as scanned in this run: its unseen files count as vanished. */
ni_status ni_catalog_scanning(ni_catalog *c, int64_t root_id, ni_error *err);

/* What the archive knows of path (row->id 0: nothing). */
ni_status ni_catalog_file(ni_catalog *c, const char *path, ni_file_row *row, ni_error *err);
/* Record that path was seen in this run (creating its row if needed). */
ni_status ni_catalog_seen(ni_catalog *c, const char *path, int64_t root_id, int64_t *id,
                          ni_error *err);
/* Article id was (re)produced by the file being read. */
ni_status ni_catalog_touched(ni_catalog *c, int64_t article_id, ni_error *err);
/*
 * The file has been read to the end: delete its articles that were not
 * touched (unless appended: a resumed read keeps what it did not re-read),
 * record size, mtime and read position, and forget the touched set.
 */
ni_status ni_catalog_file_done(ni_catalog *c, int64_t file_id, int appended, int64_t size,
                               int64_t mtime, uint64_t read_offset, uint32_t read_crc,
                               unsigned long *deleted, ni_error *err);
/* Remove the unseen files of the scanned roots and their articles. */
ni_status ni_catalog_drop_missing(ni_catalog *c, unsigned long *files, unsigned long *articles,
                                  ni_error *err);
/* Delete people no quote refers to any more. */
ni_status ni_catalog_prune_people(ni_catalog *c, ni_error *err);

/*
 * CRC-32 of the len bytes at offset from of the file at fs_path.  NI_EIO
 * when they cannot all be read.
 */
ni_status ni_catalog_range_crc(const char *fs_path, uint64_t from, uint64_t len, uint32_t *crc);

/* The CRC-32 of head's bytes followed by tail_len bytes whose CRC is tail. */
uint32_t ni_catalog_crc_combine(uint32_t head, uint32_t tail, uint64_t tail_len);

#endif
