#ifndef CONNVAULT_CTHREADS_H
#define CONNVAULT_CTHREADS_H
#include <pthread.h>

/* Starts `body(argument)` on a new thread allowed on every CPU the process may use except the one the caller runs on,
   when there is another; otherwise (one CPU, or the system does not say) on a thread like pthread_create's. Returns
   pthread_create's result.

   Linux puts a new thread on its creator's CPU, and under SCHED_BATCH (or when the creator's time slice is long) it
   waits there until the creator sleeps, while another CPU idles: a short-lived worker the caller needs right away,
   such as the thread loading libcurl, should start beside the caller instead. The affinity stays with the thread:
   use it for threads that end soon and make no others. */
int cv_thread_start_beside(pthread_t *thread, void *(*body)(void *), void *argument);

/* How many CPUs the calling thread may run on (its affinity mask), or -1 when the system does not say. */
int cv_thread_allowed_cpus(void);
#endif
