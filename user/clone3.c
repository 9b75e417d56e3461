/* clone3: the extensible clone (issue 17 item 6), with Linux 6.1's checks of struct clone_args
 * in their order: the size (below 64 EINVAL, above a page E2BIG, bytes past the known struct
 * must be zero: E2BIG), a bad pointer (EFAULT), the exit signal, set_tid and set_tid_size, the
 * flags clone3 refuses (CLONE_DETACHED, the CSIGNAL byte, unknown bits, CLONE_SIGHAND with
 * CLONE_CLEAR_SIGHAND, an exit signal with CLONE_THREAD or CLONE_PARENT), the stack (both or
 * neither of stack and stack_size), CLONE_INTO_CGROUP without a cgroup. Then clone3 working: a
 * fork with an exit signal, a child on its own stack (stack + stack_size is its top), a thread,
 * CLONE_CLEAR_SIGHAND. Runs in a forked child (on Warden the program is PID 1). No pid printed.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"
#include "threads.h"

#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#define CLONE_INTO_CGROUP 0x200000000ULL

struct clone_args {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};

static char page[8192] __attribute__((aligned(4096)));
static volatile int child_rsp_ok, handler_kept;
static char *stack_lo;

/* clone3 with a child that exits 7 at once (its own stack or the caller's copy). */
static long clone3_exit7(void *args, unsigned long size)
{
	register long r10 __asm__("r10") = 0;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $7, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_clone3), "D"(args), "S"(size), "r"(r10)
			 : "rcx", "r11", "memory");
	return ret;
}

/* clone3 whose child runs fn on its stack and exits with its result (threads.h's trampoline). */
static long clone3_run(struct clone_args *args, int (*fn)(void *))
{
	register long r9 __asm__("r9") = (long)fn;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%r9\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_clone3), "D"(args), "S"(sizeof(*args)), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static int check_stack(void *arg)
{
	unsigned long rsp;

	(void)arg;
	__asm__ volatile("mov %%rsp, %0" : "=r"(rsp));
	child_rsp_ok = rsp > (unsigned long)stack_lo && rsp < (unsigned long)stack_lo + 65536;
	return 3;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static int check_handlers(void *arg)
{
	struct {
		unsigned long handler, flags, restorer, mask;
	} old;

	(void)arg;
	sys4(SYS_rt_sigaction, SIGUSR1, 0, (long)&old, 8);
	int usr1_default = old.handler == 0;
	sys4(SYS_rt_sigaction, SIGUSR2, 0, (long)&old, 8);
	int usr2_ignored = old.handler == 1;
	return usr1_default * 2 + usr2_ignored;
}

static void try(const char *what, void *a, unsigned long size)
{
	long r = clone3_exit7(a, size);
	int st;

	if (r > 0) {
		waitpid((pid_t)r, &st, __WALL);
		printf("%s: a child, status %#x\n", what, st);
		return;
	}
	show(what, r);
}

static void cases(void)
{
	struct clone_args a;
	struct clone_args *big = (struct clone_args *)page;
	int tid_word = -1, st;

	printf("-- sizes\n");
	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	try("size 0", &a, 0);
	try("size 63", &a, 63);
	try("size 64 (VER0)", &a, 64);
	try("size 80 (VER1)", &a, 80);
	try("size 88 (VER2)", &a, 88);
	memset(page, 0, sizeof(page));
	big->exit_signal = SIGCHLD;
	try("size 4096, zeros past the struct", big, 4096);
	try("size 4097", big, 4097);
	page[100] = 1;
	try("size 4096, a nonzero byte at 100", big, 4096);
	try("size 100, a nonzero byte at 99", big, 100 - 0); /* byte 99 is zero: page[100] is not in it */
	try("size 101, a nonzero byte at 100", big, 101);
	page[100] = 0;
	try("bad pointer", (void *)8, 88);
	try("pointer to unmapped tail", page + sizeof(page) - 40, 88);

	printf("-- exit_signal\n");
	a.exit_signal = 65;
	try("exit_signal 65", &a, sizeof(a));
	a.exit_signal = 0x100 | SIGCHLD;
	try("exit_signal with bit 8", &a, sizeof(a));
	a.exit_signal = (1ULL << 32) | SIGCHLD;
	try("exit_signal with bit 32", &a, sizeof(a));
	a.exit_signal = 0;
	try("exit_signal 0", &a, sizeof(a));
	a.exit_signal = SIGCHLD;

	printf("-- set_tid\n");
	int tids[2] = { getpid(), 0 };
	a.set_tid = 0;
	a.set_tid_size = 1;
	try("set_tid NULL, size 1", &a, sizeof(a));
	a.set_tid = (unsigned long)tids;
	a.set_tid_size = 0;
	try("set_tid, size 0", &a, sizeof(a));
	a.set_tid_size = 33;
	try("set_tid_size 33", &a, sizeof(a));
	a.set_tid_size = 2;
	try("set_tid_size 2 (one pid namespace)", &a, sizeof(a));
	a.set_tid_size = 1;
	try("set_tid our own pid", &a, sizeof(a));
	tids[0] = 0;
	try("set_tid 0", &a, sizeof(a));
	tids[0] = -5;
	try("set_tid -5", &a, sizeof(a));
	tids[0] = 32768;
	try("set_tid 32768 (pid_max: one past the last pid)", &a, sizeof(a));
	tids[0] = 32769;
	try("set_tid 32769", &a, sizeof(a));
	a.set_tid = 8;
	try("set_tid bad pointer", &a, sizeof(a));
	try("set_tid bad pointer, size 64 (not read)", &a, 64);
	a.set_tid = 0;
	a.set_tid_size = 0;

	printf("-- flags\n");
	a.flags = 0x400000; /* CLONE_DETACHED */
	try("CLONE_DETACHED", &a, sizeof(a));
	a.flags = SIGCHLD;
	try("a signal in the flags", &a, sizeof(a));
	a.flags = 1ULL << 40;
	try("unknown bit 40", &a, sizeof(a));
	a.flags = CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND;
	try("CLONE_SIGHAND|CLONE_CLEAR_SIGHAND", &a, sizeof(a));
	a.flags = THREAD_FLAGS;
	try("CLONE_THREAD with exit_signal", &a, sizeof(a));
	a.flags = CLONE_PARENT;
	try("CLONE_PARENT with exit_signal", &a, sizeof(a));
	a.flags = CLONE_THREAD;
	a.exit_signal = 0;
	try("CLONE_THREAD without CLONE_SIGHAND", &a, sizeof(a));
	a.exit_signal = SIGCHLD;
	a.flags = CLONE_INTO_CGROUP;
	a.cgroup = 1ULL << 31;
	try("CLONE_INTO_CGROUP, cgroup 2^31", &a, sizeof(a));
	a.cgroup = 0;
	try("CLONE_INTO_CGROUP, size 80", &a, 80);
	a.cgroup = 99;
	try("CLONE_INTO_CGROUP, fd 99 (not open)", &a, sizeof(a));
	a.cgroup = 1;
	try("CLONE_INTO_CGROUP, fd 1 (not a cgroup)", &a, sizeof(a));
	a.cgroup = 0;
	a.flags = 0;

	printf("-- stack\n");
	a.stack = 0;
	a.stack_size = 4096;
	try("stack 0, size 4096", &a, sizeof(a));
	a.stack = (unsigned long)page;
	a.stack_size = 0;
	try("stack, size 0", &a, sizeof(a));
	a.stack = 0x7ffffffff000ULL;
	a.stack_size = 0x2000;
	try("stack past the user range", &a, sizeof(a));
	a.stack = ~0ULL - 100;
	a.stack_size = 200;
	try("stack wrapping around", &a, sizeof(a));

	printf("-- working\n");
	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	a.flags = CLONE_PARENT_SETTID;
	a.parent_tid = (unsigned long)&tid_word;
	long pid = clone3_exit7(&a, sizeof(a));
	waitpid((pid_t)pid, &st, 0);
	printf("fork-like: status %#x, parent_tid holds the pid: %s\n", st,
	       tid_word == pid ? "yes" : "no");

	stack_lo = (char *)thread_stack() - THREAD_STACK_SIZE;
	memset(&a, 0, sizeof(a));
	a.flags = CLONE_VM;
	a.exit_signal = SIGCHLD;
	a.stack = (unsigned long)stack_lo;
	a.stack_size = THREAD_STACK_SIZE;
	pid = clone3_run(&a, check_stack);
	waitpid((pid_t)pid, &st, 0);
	printf("CLONE_VM child on stack + stack_size: status %#x, rsp in the stack: %s\n", st,
	       child_rsp_ok ? "yes" : "no");

	memset(&a, 0, sizeof(a));
	tid_word = -1;
	a.flags = THREAD_FLAGS | CLONE_CHILD_CLEARTID;
	a.child_tid = (unsigned long)&tid_word;
	a.stack = (unsigned long)thread_stack() - THREAD_STACK_SIZE;
	a.stack_size = THREAD_STACK_SIZE;
	long tid = clone3_run(&a, check_stack);
	printf("a thread: %s, gone: %s, wait4: %s\n", tid > 0 ? "a tid" : errname((int)-tid),
	       wait_cleared(&tid_word) ? "yes" : "no",
	       errname((int)-sys4(SYS_wait4, tid, (long)&st, __WALL | WNOHANG, 0)));

	signal(SIGUSR1, on_usr1);
	signal(SIGUSR2, SIG_IGN);
	memset(&a, 0, sizeof(a));
	a.flags = CLONE_CLEAR_SIGHAND;
	a.exit_signal = SIGCHLD;
	pid = clone3_run(&a, check_handlers);
	waitpid((pid_t)pid, &st, 0);
	printf("CLONE_CLEAR_SIGHAND: handler reset: %s, SIG_IGN kept: %s\n",
	       (WEXITSTATUS(st) & 2) ? "yes" : "no", (WEXITSTATUS(st) & 1) ? "yes" : "no");
	(void)handler_kept;
}

int main(void)
{
	int st;

	setvbuf(stdout, NULL, _IONBF, 0);
	pid_t pid = fork();
	if (pid == 0) {
		cases();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("child status %#x\n", st);
	return 0;
}
