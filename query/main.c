/*
 * main.c — the newsquery command line (work in progress: argument parsing).
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("usage: newsquery --db FILE QUERY\n", stderr);
    return 2;
}
