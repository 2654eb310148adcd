#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "CThreads.h"

#ifdef __linux__
/* What the new thread needs before it runs the caller's body: the body, and the CPUs to take back. */
struct cv_beside_start {
    void *(*body)(void *);
    void *argument;
    cpu_set_t allowed;
    int avoided;
};

/* For cv_thread_avoided_cpu: set in the new thread before it takes back every CPU. */
static __thread int cv_avoided_cpu = -1;
static __thread int cv_start_cpu = -1;

static void *cv_beside_trampoline(void *context) {
    struct cv_beside_start start = *(struct cv_beside_start *)context;
    free(context);
    cv_avoided_cpu = start.avoided;
    cv_start_cpu = sched_getcpu();
    pthread_setaffinity_np(pthread_self(), sizeof start.allowed, &start.allowed);  /* best effort */
    return start.body(start.argument);
}

int cv_thread_start_beside(pthread_t *thread, void *(*body)(void *), void *argument) {
    struct cv_beside_start *start = malloc(sizeof *start);
    if (!start) return pthread_create(thread, NULL, body, argument);
    start->body = body;
    start->argument = argument;
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof start->allowed, &start->allowed) != 0
        || !CPU_ISSET(here, &start->allowed) || CPU_COUNT(&start->allowed) < 2) {
        free(start);
        return pthread_create(thread, NULL, body, argument);
    }
    start->avoided = here;
    cpu_set_t elsewhere = start->allowed;
    CPU_CLR(here, &elsewhere);
    pthread_attr_t attributes;
    int result = -1;
    if (pthread_attr_init(&attributes) == 0) {
        if (pthread_attr_setaffinity_np(&attributes, sizeof elsewhere, &elsewhere) == 0) {
            result = pthread_create(thread, &attributes, cv_beside_trampoline, start);
        }
        pthread_attr_destroy(&attributes);
    }
    if (result == 0) return 0;
    free(start);  /* the CPUs changed meanwhile, say: an ordinary thread */
    return pthread_create(thread, NULL, body, argument);
}

int cv_thread_avoided_cpu(int *started) {
    if (started) *started = cv_start_cpu;
    return cv_avoided_cpu;
}

int cv_thread_current_cpu(void) { return sched_getcpu(); }

int cv_thread_allowed_cpus(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    return CPU_COUNT(&allowed);
}
#else
int cv_thread_start_beside(pthread_t *thread, void *(*body)(void *), void *argument) {
    return pthread_create(thread, NULL, body, argument);
}

int cv_thread_avoided_cpu(int *started) {
    if (started) *started = -1;
    return -1;
}

int cv_thread_current_cpu(void) { return -1; }

int cv_thread_allowed_cpus(void) { return -1; }
#endif
