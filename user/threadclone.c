/* threadclone: clone with what a thread shares (issue 17 item 1), made with the raw call.
 * A CLONE_THREAD child has the caller's pid and parent, a tid of its own, which
 * CLONE_PARENT_SETTID writes to the caller's word and CLONE_CHILD_CLEARTID clears when it ends;
 * it shares memory, the file table (CLONE_FILES), the working directory (CLONE_FS) and the signal
 * handlers (CLONE_SIGHAND), starts with the caller's signal mask, on the given stack with
 * CLONE_SETTLS's FS base, and is never a child for wait4. Then Linux's EINVAL combinations of
 * clone flags, and CLONE_VM | CLONE_SIGHAND without CLONE_THREAD: a child process that shares
 * the handlers and reports its exit. No pid or address is printed, only comparisons.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

static volatile int seen_pid, seen_tid, seen_ppid, seen_fd, shared_word;
static volatile unsigned long seen_fs0, seen_mask, seen_rsp_ok;
static char *stack_lo;

/* The thread's view of itself, all through raw calls. */
static int report(void *arg)
{
	unsigned long mask = 0, rsp;

	(void)arg;
	seen_pid = (int)sys0(SYS_getpid);
	seen_tid = (int)sys0(SYS_gettid);
	seen_ppid = (int)sys0(SYS_getppid);
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&mask, 8);
	seen_mask = mask;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	seen_rsp_ok = rsp > (unsigned long)stack_lo && rsp <= (unsigned long)stack_lo + THREAD_STACK_SIZE;
	shared_word = 42;
	return 0;
}

/* Reads %fs:0: with CLONE_SETTLS, the word at the TLS pointer given. */
static int read_tls(void *arg)
{
	unsigned long v;

	(void)arg;
	__asm__ volatile("mov %%fs:0, %0" : "=r"(v));
	seen_fs0 = v;
	return 0;
}

/* Opens a file and changes directory: what the caller then sees of both. */
static int open_and_chdir(void *arg)
{
	(void)arg;
	seen_fd = (int)sys3(SYS_open, (long)"/tmp/threadclone.f", O_CREAT | O_WRONLY, 0644);
	sys1(SYS_chdir, (long)"/tmp");
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* Installs a handler for SIGUSR1 with the raw rt_sigaction (the kernel's struct sigaction). */
static int install_handler(void *arg)
{
	struct {
		void (*handler)(int);
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} ksa = { on_usr1, 0, NULL, 0 };

	(void)arg;
	return (int)sys4(SYS_rt_sigaction, SIGUSR1, (long)&ksa, 0, 8);
}

static int exit_seven(void *arg)
{
	(void)arg;
	return 7;
}

static void check_flags(const char *what, unsigned long flags)
{
	long r = clone_run(flags, thread_stack(), NULL, NULL, 0, exit_seven, NULL);

	if (r > 0) {
		int st;
		long w = sys4(SYS_wait4, r, (long)&st, __WALL, 0);
		printf("%s: created (wait4 %s)\n", what, w == r ? "reaped it" : "found nothing");
		return;
	}
	show(what, r);
}

int main(void)
{
	static int ptid = -1, ctid = -1;
	static unsigned long tls_block[4];
	sigset_t set;
	char cwd[64];
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	ensure_tmp();

	printf("-- a thread: pid, tid, parent, mask, stack, memory, CHILD_CLEARTID\n");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	stack_lo = (char *)thread_stack() - THREAD_STACK_SIZE;
	ctid = -1;
	long tid = clone_run(THREAD_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
			     stack_lo + THREAD_STACK_SIZE, &ptid, &ctid, 0, report, NULL);
	printf("clone: %s\n", tid > 0 ? "a tid" : errname((int)-tid));
	printf("PARENT_SETTID word holds the tid: %s\n", ptid == tid ? "yes" : "no");
	printf("thread gone (CLEARTID word cleared): %s\n", wait_cleared(&ctid) ? "yes" : "no");
	printf("thread's getpid is ours: %s\n", seen_pid == getpid() ? "yes" : "no");
	printf("thread's gettid is the tid clone returned: %s\n", seen_tid == tid ? "yes" : "no");
	printf("tid differs from pid: %s\n", seen_tid != seen_pid ? "yes" : "no");
	printf("thread's getppid is ours: %s\n", seen_ppid == getppid() ? "yes" : "no");
	printf("thread's mask is ours (SIGUSR2 blocked): %s\n",
	       seen_mask == (1UL << (SIGUSR2 - 1)) ? "yes" : "no");
	printf("thread ran on the given stack: %s\n", seen_rsp_ok ? "yes" : "no");
	printf("thread's write seen: %d\n", shared_word);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	printf("a thread is no child: wait4(tid, __WALL): %s\n",
	       errname((int)-sys4(SYS_wait4, tid, (long)&st, __WALL | WNOHANG, 0)));
	printf("wait4(-1, __WALL|WNOHANG): %s\n",
	       errname((int)-sys4(SYS_wait4, -1, (long)&st, __WALL | WNOHANG, 0)));

	printf("-- CLONE_SETTLS\n");
	tls_block[0] = (unsigned long)tls_block;
	ctid = -1;
	tid = clone_run(THREAD_FLAGS | CLONE_SETTLS | CLONE_CHILD_CLEARTID, thread_stack(), NULL,
			&ctid, (unsigned long)tls_block, read_tls, NULL);
	printf("clone: %s; gone: %s\n", tid > 0 ? "a tid" : errname((int)-tid),
	       wait_cleared(&ctid) ? "yes" : "no");
	printf("%%fs:0 in the thread is the TLS pointer given: %s\n",
	       seen_fs0 == (unsigned long)tls_block ? "yes" : "no");
	printf("CLONE_SETTLS with a non-canonical pointer: %s\n",
	       errname((int)-clone_run(THREAD_FLAGS | CLONE_SETTLS, thread_stack(), NULL, NULL,
				       0x800000000000UL, read_tls, NULL)));

	printf("-- CLONE_FILES and CLONE_FS: the thread's open and chdir are ours\n");
	ctid = -1;
	tid = thread_start(open_and_chdir, NULL, &ctid);
	printf("gone: %s\n", wait_cleared(&ctid) ? "yes" : "no");
	printf("the thread's fd is open here: %s\n",
	       seen_fd > 2 && fcntl(seen_fd, F_GETFD) == 0 ? "yes" : "no");
	printf("cwd now: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	close(seen_fd);
	chdir("/");

	printf("-- CLONE_SIGHAND: the thread's handler is ours\n");
	ctid = -1;
	tid = thread_start(install_handler, NULL, &ctid);
	printf("gone: %s\n", wait_cleared(&ctid) ? "yes" : "no");
	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	printf("SIGUSR1 handler here: %s\n", old.sa_handler == on_usr1 ? "the thread's" : "other");
	signal(SIGUSR1, SIG_DFL);

	printf("-- a thread's exit signal is none: no SIGCHLD\n");
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGCHLD, on_usr1);
	ctid = -1;
	tid = clone_run(THREAD_FLAGS | CLONE_CHILD_CLEARTID | SIGCHLD, thread_stack(), NULL, &ctid,
			0, exit_seven, NULL);
	printf("gone: %s\n", wait_cleared(&ctid) ? "yes" : "no");
	thread_sleep_ms(20);
	sigpending(&set);
	printf("SIGCHLD pending: %s\n", sigismember(&set, SIGCHLD) ? "yes" : "no");
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	printf("-- CLONE_VM | CLONE_SIGHAND, no CLONE_THREAD: a child process\n");
	long pid = clone_run(CLONE_VM | CLONE_SIGHAND | SIGCHLD, thread_stack(), NULL, NULL, 0,
			     exit_seven, NULL);
	printf("clone: %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	long w = waitpid((pid_t)pid, &st, 0);
	printf("waitpid: %s, status %#x\n", w == pid ? "it" : "other", st);

	printf("-- CLONE_PARENT from a child: a sibling of the child, our child\n");
	static volatile int *sib;
	sib = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid = fork();
	if (pid == 0) {
		long s = clone_run(CLONE_PARENT | SIGCHLD, thread_stack(), NULL, NULL, 0,
				   exit_seven, NULL);
		sib[0] = (int)s;
		sib[1] = (int)sys4(SYS_wait4, s, (long)&st, WNOHANG | __WALL, 0);
		_exit(0);
	}
	waitpid((pid_t)pid, &st, 0);
	printf("clone in the child: %s\n", sib[0] > 0 ? "a pid" : errname(-sib[0]));
	printf("the child's wait4(sibling): %s\n", errname(-sib[1]));
	w = waitpid(sib[0], &st, 0);
	printf("our waitpid(sibling): %s, status %#x\n", w == sib[0] ? "it" : "other", st);

	printf("-- flag combinations\n");
	check_flags("CLONE_THREAD without CLONE_SIGHAND", CLONE_VM | CLONE_THREAD);
	check_flags("CLONE_SIGHAND without CLONE_VM", CLONE_SIGHAND);
	check_flags("CLONE_THREAD|CLONE_SIGHAND without CLONE_VM", CLONE_SIGHAND | CLONE_THREAD);
	check_flags("CLONE_FS|CLONE_NEWNS", CLONE_FS | CLONE_NEWNS);
	check_flags("CLONE_FS|CLONE_NEWUSER", CLONE_FS | CLONE_NEWUSER);
	check_flags("CLONE_THREAD|CLONE_NEWPID", THREAD_FLAGS | CLONE_NEWPID);
	check_flags("CLONE_THREAD|CLONE_NEWUSER", THREAD_FLAGS | CLONE_NEWUSER);
	check_flags("CLONE_PIDFD|CLONE_THREAD", THREAD_FLAGS | CLONE_PIDFD);
	check_flags("CLONE_PIDFD|CLONE_DETACHED", CLONE_PIDFD | CLONE_DETACHED);
	check_flags("CLONE_PIDFD|CLONE_PARENT_SETTID", CLONE_PIDFD | CLONE_PARENT_SETTID);
	check_flags("CLONE_VM|CLONE_FILES|CLONE_FS, no exit signal",
		    CLONE_VM | CLONE_FILES | CLONE_FS);
	check_flags("CLONE_THREAD|CLONE_DETACHED", THREAD_FLAGS | CLONE_DETACHED);
	thread_sleep_ms(50);
	printf("done\n");
	return 0;
}
