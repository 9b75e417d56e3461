/* SPDX-License-Identifier: MIT */
/*
 * Signals, for now with Linux's default actions only (terminate, core, ignore, stop): a pending
 * signal is acted on when the task returns to user mode. Handlers are recorded by rt_sigaction;
 * delivering them with a Linux signal frame is the signals issue's work.
 */
#ifndef WARDEN_SIGNAL_H
#define WARDEN_SIGNAL_H

#include "kernel/types.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28
#define SIGSYS 31
#define _NSIG 64

#define sigmask(sig) (1ULL << ((sig)-1))

struct task_struct;
struct pt_regs;

/* struct sigaction as the x86-64 kernel sees it. */
struct k_sigaction {
	u64 handler;
	u64 flags;
	u64 restorer;
	u64 mask;
};

/* A task's signal handlers; reference-counted so CLONE_SIGHAND threads can share them later. */
struct sighand_struct {
	int count;
	struct k_sigaction action[_NSIG]; /* action[sig - 1] */
};

/* New handlers for a task: all SIG_DFL, or a copy of parent's (fork). NULL without memory. */
struct sighand_struct *sighand_alloc(const struct sighand_struct *parent);
void sighand_put(struct sighand_struct *sh);

/* At execve: handlers go back to SIG_DFL, SIG_IGN stays (as Linux). */
void flush_signal_handlers(struct task_struct *t);

/* Makes sig pending for t and wakes t if it sleeps, so it notices. */
void send_signal(struct task_struct *t, int sig);

/* Kills the current task with sig as a synchronous fault would (cannot be blocked or ignored). */
void force_sig(int sig);

/* Work before returning to user mode: reschedule, act on pending signals. */
void exit_to_user_mode(struct pt_regs *regs);

long sys_kill(int pid, int sig);
long sys_tkill(int tid, int sig);
long sys_tgkill(int tgid, int tid, int sig);
long sys_rt_sigaction(int sig, const void *act, void *oact, u64 sigsetsize);
long sys_rt_sigprocmask(int how, const u64 *set, u64 *oset, u64 sigsetsize);

/* Called when a write finds a pipe with no readers. */
void send_sig_pipe(void);

#endif
