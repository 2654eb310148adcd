/*
 * measure REPORT_FILE PROGRAM [ARGUMENT...]
 *
 * Runs PROGRAM (searched in $PATH when it has no slash) with the standard streams and environment it is given, waits
 * for it, and writes one line to REPORT_FILE: wall nanoseconds (spawn to exit), peak resident set in KiB (ru_maxrss),
 * exit status (the signal number negated when it was killed) and CPU nanoseconds (user + system, every thread).
 * Exits 0, or 125 when PROGRAM cannot be started.
 *
 * Why a helper: a process spawned by Python (vfork, then exec) starts its ru_maxrss at the *Python process's* peak
 * resident set (Linux carries the old address space's high-water mark across exec), so every child of bench.py
 * reported at least bench.py's own peak — 32 MB once it had read a 10,000-connection listing. This helper is small,
 * so what its child reports is the child's own peak.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: measure REPORT_FILE PROGRAM [ARGUMENT...]\n");
        return 64;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid;
    int code = posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2, environ);
    if (code != 0) {
        fprintf(stderr, "measure: cannot start %s (error %d)\n", argv[2], code);
        return 125;
    }
    int status = 0;
    struct rusage usage;
    if (wait4(pid, &status, 0, &usage) < 0) {
        perror("measure: wait4");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    long long nanoseconds = (end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
    int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    FILE *report = fopen(argv[1], "w");
    if (!report) {
        perror("measure: report file");
        return 125;
    }
    long long cpu = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    fprintf(report, "%lld %ld %d %lld\n", nanoseconds, usage.ru_maxrss, exit_code, cpu);
    return fclose(report) == 0 ? 0 : 125;
}
