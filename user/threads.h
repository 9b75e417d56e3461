/* threads.h: raw threads for the thread tests (threadclone, threadexit, threadsig, threadexec,
 * threadproc), made with the clone system call itself, no pthreads: what the kernel does is
 * what the test sees. A thread runs fn(arg) on its own stack and then ends with exit(2)
 * (SYS_exit: this thread only) with fn's result.
 *
 * A thread made here must not call stdio or anything else in libc that keeps state (musl does
 * not know it is threaded): it uses the raw calls of common.h and plain memory, and the main
 * thread prints.
 */
#ifndef USER_THREADS_H
#define USER_THREADS_H

#include <sys/mman.h>
#include "common.h"

#ifndef CLONE_VM
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#endif

/* What a pthread-style thread shares: everything. */
#define THREAD_FLAGS                                                                    \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

#define THREAD_STACK_SIZE (64 * 1024)

/*
 * clone(flags, stack_top, ptid, ctid, tls); in the child, fn(arg) on stack_top and then exit(2)
 * with its result. Returns the child's tid, or -errno.
 */
static inline long clone_run(unsigned long flags, void *stack_top, int *ptid, int *ctid,
		      unsigned long tls, int (*fn)(void *), void *arg)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = (long)tls;
	register long r9 __asm__("r9") = (long)fn;
	register long r12 __asm__("r12") = (long)arg;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "mov %%r12, %%rdi\n\t"
			 "call *%%r9\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(stack_top), "d"(ptid), "r"(r10),
			   "r"(r8), "r"(r9), "r"(r12)
			 : "rcx", "r11", "memory");
	return ret;
}

/* A fresh stack for a thread (mmap'd, never freed: the tests are short): its top. */
static inline void *thread_stack(void)
{
	char *s = mmap(NULL, THREAD_STACK_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return s == MAP_FAILED ? NULL : s + THREAD_STACK_SIZE;
}

/* A thread sharing everything, fn(arg); *ctid is cleared when it ends. Its tid or -errno. */
static inline long thread_start(int (*fn)(void *), void *arg, int *ctid)
{
	return clone_run(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
			 thread_stack(), ctid, ctid, 0, fn, arg);
}

/* Sleeps ms milliseconds (raw nanosleep: safe in a thread made here). */
static inline void thread_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	sys2(SYS_nanosleep, (long)&ts, 0);
}

/* Waits until *word is 0 (a CLONE_CHILD_CLEARTID word: the thread is gone), at most ~10 s. */
static inline int wait_cleared(volatile int *word)
{
	for (int i = 0; i < 10000 && *word; i++)
		thread_sleep_ms(1);
	return *word == 0;
}

/* Waits until *word is nonzero (another thread's progress), at most ~10 s. */
static inline int wait_set(volatile int *word)
{
	for (int i = 0; i < 10000 && !*word; i++)
		thread_sleep_ms(1);
	return *word != 0;
}

#endif
