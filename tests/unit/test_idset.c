/*
 * test_idset.c — nq_idset() and nq_has() (query/idset.h) against what
 * "IN (SELECT ...)" answers: empty sets, NULL and negative ids, ids around
 * byte and doubling boundaries, many sets on one connection, and the
 * out-of-range error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "idset.h"

static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK || nq_idset_register(db, NULL) != NI_OK)
        return -1;
    return sqlite3_exec(db,
                        "CREATE TABLE s(id INTEGER);"
                        "INSERT INTO s VALUES (0), (7), (8), (1023), (8191), (8192), (NULL), (-3);"
                        "CREATE TABLE probe(id INTEGER);"
                        "WITH RECURSIVE n(i) AS (SELECT -5 UNION ALL SELECT i + 1 FROM n"
                        " WHERE i < 9000) INSERT INTO probe SELECT i FROM n;"
                        "INSERT INTO probe VALUES (NULL), (1 << 40);",
                        NULL, NULL, NULL) == SQLITE_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

static sqlite3_int64 one(const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_int64 v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/*
 * Every probe answers as IN over the set's ids that are not NULL or negative (with a
 * NULL in its list IN answers NULL for non-members; the compiler's
 * subqueries select NOT NULL columns).  A NULL probe: IN NULL, nq_has 0.
 */
static void test_same_as_in(void **state)
{
    (void)state;
    assert_int_equal(one("SELECT count(*) FROM probe WHERE"
                         " (id IN (SELECT id FROM s WHERE id >= 0)) IS NOT"
                         " nq_has((SELECT nq_idset(id) FROM s), id) AND id IS NOT NULL"),
                     0);
    assert_int_equal(one("SELECT count(*) FROM probe WHERE nq_has((SELECT nq_idset(id) FROM s),"
                         " id)"),
                     6);
    assert_int_equal(one("SELECT count(*) FROM probe WHERE NOT nq_has((SELECT nq_idset(id) FROM"
                         " s), id)"),
                     9008 - 6);
}

static void test_empty_set(void **state)
{
    (void)state;
    assert_int_equal(one("SELECT count(*) FROM probe WHERE nq_has((SELECT nq_idset(id) FROM s"
                         " WHERE 0), id)"),
                     0);
    assert_int_equal(one("SELECT count(*) FROM probe WHERE NOT nq_has((SELECT nq_idset(id) FROM s"
                         " WHERE 0), id)"),
                     9008);
}

static void test_many_sets(void **state)
{
    (void)state;
    for (int i = 0; i < 50; i++)
        assert_int_equal(one("SELECT nq_has((SELECT nq_idset(id) FROM s), 8192)"), 1);
}

static void test_errors(void **state)
{
    (void)state;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT nq_idset(1 << 40)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_finalize(st);
    assert_string_equal(sqlite3_errmsg(db), "nq_idset: article id out of range");
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT nq_has(999999, 1)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
    sqlite3_finalize(st);
    assert_string_equal(sqlite3_errmsg(db), "nq_has: no such set");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_in),
        cmocka_unit_test(test_empty_set),
        cmocka_unit_test(test_many_sets),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
