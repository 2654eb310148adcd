#ifndef CONNVAULT_CTHREADS_H
#define CONNVAULT_CTHREADS_H
#include <pthread.h>

/* Starts `body(argument)` on a new thread that starts on another CPU than the caller's, when the process may use
   another; otherwise (one CPU, not Linux, or the system does not say) it is an ordinary pthread_create. Returns
   pthread_create's result.

   Linux may put a new thread on its creator's CPU, and under SCHED_BATCH it then waits there until the creator
   sleeps, while another CPU idles: a worker the caller needs right away, such as the thread loading libcurl, should
   start beside the caller instead. The thread is made with an affinity that leaves out the caller's CPU, and its
   first act is to take back every CPU the caller may use: only where it starts is chosen. */
int cv_thread_start_beside(pthread_t *thread, void *(*body)(void *), void *argument);

/* In a thread that cv_thread_start_beside started away from its caller's CPU: that CPU, and (through `started`) the
   CPU the thread started on. -1 for both in any other thread. */
int cv_thread_avoided_cpu(int *started);

/* The CPU the calling thread runs on now, or -1 when the system does not say. */
int cv_thread_current_cpu(void);

/* How many CPUs the calling thread may run on (its affinity mask), or -1 when the system does not say. */
int cv_thread_allowed_cpus(void);
#endif
