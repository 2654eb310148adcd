#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>

#include "CThreads.h"

int cv_thread_start_beside(pthread_t *thread, void *(*body)(void *), void *argument) {
    cpu_set_t allowed;
    int here = sched_getcpu();
    if (here < 0 || sched_getaffinity(0, sizeof allowed, &allowed) != 0 || !CPU_ISSET(here, &allowed)
        || CPU_COUNT(&allowed) < 2) {
        return pthread_create(thread, NULL, body, argument);
    }
    CPU_CLR(here, &allowed);
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return pthread_create(thread, NULL, body, argument);
    int result = pthread_attr_setaffinity_np(&attributes, sizeof allowed, &allowed) == 0
        ? pthread_create(thread, &attributes, body, argument)
        : pthread_create(thread, NULL, body, argument);
    pthread_attr_destroy(&attributes);
    return result;
}

int cv_thread_allowed_cpus(void) {
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return -1;
    return CPU_COUNT(&allowed);
}
