/* vfork: vfork and clone(CLONE_VM) share the address space (issue 15, item 7, "processes").
 *
 * vfork's child runs in its parent's memory while the parent is suspended, until the child
 * execs (then the parent goes on while the child runs its new program) or exits. A signal with
 * a handler waits with the parent; a fatal one (SIGKILL, or a default SIGTERM) ends the wait
 * and the parent. clone(CLONE_VM) without CLONE_VFORK is a process that shares memory and runs
 * beside its parent (old LinuxThreads): writes, new mappings and munmaps are seen by both,
 * CLONE_CHILD_CLEARTID's word is cleared at its exit (the mm is still shared), a fork from it
 * copies the shared memory, its execve gives it a memory of its own, and the parent's memory
 * outlives it.
 *
 * Everything runs in forked "case" processes (the program is PID 1 on Warden, not on Linux).
 * No pid or address is printed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define CLONE_VM 0x00000100
#define CLONE_VFORK 0x00004000
#define CLONE_CHILD_CLEARTID 0x00200000

static volatile long shared_word;
static volatile int handler_ran;
static char child_stack[65536] __attribute__((aligned(16)));

/* What the case process and the processes it signals share (MAP_SHARED: fork does not copy). */
struct box {
	volatile int vforker_pid;
	volatile int child_pid;
	volatile int child_ready;
	volatile int release_child;
};
static struct box *box;

static void on_usr1(int sig)
{
	(void)sig;
	handler_ran = 1;
}

/* A raw vfork: the child returns 0 here, on the parent's stack, and must not return further. */
static long raw_vfork(void)
{
	return sys0(SYS_vfork);
}

static void print_status(const char *what, int st)
{
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by signal %d\n", what, WTERMSIG(st));
	else
		printf("%s: status %#x\n", what, st);
}

/* The child writes the parent's memory and exits; the parent resumes only then. */
static void case_exit(void)
{
	int st;

	shared_word = 1;
	long pid = raw_vfork();
	if (pid == 0) {
		sleep_ms(100); /* the parent, if it ran, would see shared_word still 1 */
		shared_word = 2;
		sys1(SYS_exit, 3);
	}
	long seen = shared_word;
	printf("item 7: vfork: parent resumes after the child's exit, sees its write: %ld\n", seen);
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: vfork child", st);
}

/* The child execs: the parent goes on while the new program runs (it waits for the parent). */
static void case_exec(void)
{
	int st, p[2];

	if (pipe(p))
		return;
	shared_word = 1;
	long pid = raw_vfork();
	if (pid == 0) {
		shared_word = 2;
		char fd[16];
		snprintf(fd, sizeof(fd), "%d", p[0]);
		char *argv[] = { "/proc/self/exe", "wait-pipe", fd, NULL };
		sys3(SYS_execve, (long)"/proc/self/exe", (long)argv, (long)environ);
		sys1(SYS_exit, 99);
	}
	printf("item 7: vfork+execve: parent resumes at the exec, sees the child's write: %ld\n",
	       shared_word);
	close(p[0]);
	if (write(p[1], "x", 1) != 1)
		printf("item 7: write failed\n");
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: exec'd vfork child (waited for the parent's byte)", st);
}

/* A failed execve returns to the child, still in the parent's memory. */
static void case_exec_fails(void)
{
	int st;

	shared_word = 0;
	long pid = raw_vfork();
	if (pid == 0) {
		char *argv[] = { "/nonexistent", NULL };
		shared_word = sys3(SYS_execve, (long)"/nonexistent", (long)argv, 0);
		sys1(SYS_exit, 4);
	}
	printf("item 7: vfork, failed execve: the child wrote %s into the parent's memory\n",
	       is_err(shared_word) ? errname((int)-shared_word) : "?");
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: vfork child", st);
}

/* The vforking process of case_signals: a SIGUSR1 handler, a child that waits for a release. */
static void vforker(void)
{
	signal(SIGUSR1, on_usr1);
	box->vforker_pid = getpid();
	long pid = raw_vfork();
	if (pid == 0) {
		box->child_pid = (int)sys0(SYS_getpid);
		box->child_ready = 1;
		while (!box->release_child)
			sleep_ms(1);
		/* handler_ran is the parent's memory: the handler has not run while it waits */
		sys1(SYS_exit, 10 + handler_ran);
	}
	int st;
	waitpid((pid_t)pid, &st, 0);
	printf("item 7: vforker: handler ran after the vfork: %d, child status %#x\n", handler_ran,
	       st);
	fflush(stdout);
	_exit(0);
}

/* Signals to a vforking parent: a handled one waits, a fatal one ends it. */
static void case_signals(void)
{
	static const int sigs[] = { SIGUSR1, SIGKILL, SIGTERM };
	int st;

	prctl(PR_SET_CHILD_SUBREAPER, 1); /* the orphaned vfork children come to us */
	box = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		memset(box, 0, sizeof(*box));
		fflush(stdout);
		pid_t v = fork();
		if (v == 0)
			vforker();
		while (!box->child_ready)
			sleep_ms(1);
		sleep_ms(20);
		kill(v, sigs[i]);
		sleep_ms(100);
		long r = waitpid(v, &st, WNOHANG);
		printf("item 7: signal %d to the vforking parent: %s\n", sigs[i],
		       r == v ? "it ended" : "it still waits");
		box->release_child = 1;
		if (r != v)
			waitpid(v, &st, 0);
		print_status("item 7: vforking parent", st);
		if (sigs[i] != SIGUSR1) {
			waitpid(box->child_pid, &st, 0); /* reparented to us */
			print_status("item 7: its orphaned vfork child", st);
		}
	}
}

/* clone(CLONE_VM) with a stack of its own: the child runs fn there, then exits with its value. */
static long clone_vm(unsigned long flags, int (*fn)(void), int *ctid)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%%rbx\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(SYS_clone), "D"(flags), "S"(child_stack + sizeof(child_stack)),
			   "d"(0), "r"(r10), "r"(r8), "b"(fn)
			 : "rcx", "r11", "memory");
	return ret;
}

static volatile int step;
static volatile char *child_map;
static volatile long fork_seen;

/* The CLONE_VM child: a handshake with its running parent, a mapping, a fork. */
static int vm_child(void)
{
	step = 1;
	while (step != 2)
		; /* the parent runs meanwhile: it is not suspended */
	child_map = (char *)sys6(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	child_map[0] = 'm';
	step = 3;
	while (step != 4)
		;
	/* fork: the grandchild gets a copy of the shared memory */
	shared_word = 5;
	long g = sys0(SYS_fork);
	if (g == 0) {
		shared_word = 6;
		sys1(SYS_exit, (int)shared_word);
	}
	int st = 0;
	sys4(SYS_wait4, g, (long)&st, 0, 0);
	fork_seen = shared_word * 100 + (st >> 8);
	return 7;
}

static void case_clone_vm(void)
{
	int st;
	static int ctid = 12345;

	long pid = clone_vm(CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, vm_child, &ctid);
	printf("item 7: clone(CLONE_VM): %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	if (pid <= 0)
		return;
	while (step != 1)
		;
	step = 2;
	while (step != 3)
		;
	printf("item 7: CLONE_VM: the child's new mapping is ours: %c\n", child_map[0]);
	child_map[1] = 'p';
	munmap((void *)child_map, 4096);
	step = 4;
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: CLONE_VM child", st);
	printf("item 7: CLONE_VM: the fork from the child kept our word %ld, grandchild exited %ld\n",
	       fork_seen / 100, fork_seen % 100);
	printf("item 7: CLONE_VM|CLONE_CHILD_CLEARTID: tid word after its exit: %d\n", ctid);
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 'z';
	printf("item 7: CLONE_VM: our memory outlives the child: %c %ld\n", p[0], shared_word);
}

static int vm_exec_child(void)
{
	char *argv[] = { "/proc/self/exe", "exit", "8", NULL };
	shared_word = 42;
	sys3(SYS_execve, (long)"/proc/self/exe", (long)argv, (long)environ);
	return 99;
}

/* A CLONE_VM child that execs gets an address space of its own; ours goes on. */
static void case_clone_vm_exec(void)
{
	int st;

	shared_word = 0;
	long pid = clone_vm(CLONE_VM | SIGCHLD, vm_exec_child, NULL);
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: CLONE_VM child that exec'd", st);
	printf("item 7: CLONE_VM exec: its write before the exec is ours: %ld\n", shared_word);
	shared_word = 1;
	printf("item 7: CLONE_VM exec: our memory still works: %ld\n", shared_word);
}

/* CLONE_VM|CLONE_VFORK on a stack of its own (posix_spawn's way). */
static int spawn_child(void)
{
	shared_word = 77;
	return 9;
}

static void case_clone_vfork(void)
{
	int st;

	shared_word = 0;
	long pid = clone_vm(CLONE_VM | CLONE_VFORK | SIGCHLD, spawn_child, NULL);
	printf("item 7: clone(CLONE_VM|CLONE_VFORK): parent resumes after the exit, sees %ld\n",
	       shared_word);
	waitpid((pid_t)pid, &st, 0);
	print_status("item 7: its child", st);
}

static void run(const char *name, void (*fn)(void))
{
	int st = child_status(fn);

	print_status(name, st);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "wait-pipe")) {
		char c;
		return read(atoi(argv[2]), &c, 1) == 1 ? 5 : 6;
	}
	if (argc == 3 && !strcmp(argv[1], "exit"))
		return atoi(argv[2]);
	setvbuf(stdout, NULL, _IONBF, 0);
	run("exit", case_exit);
	run("exec", case_exec);
	run("exec_fails", case_exec_fails);
	run("signals", case_signals);
	run("clone_vm", case_clone_vm);
	run("clone_vm_exec", case_clone_vm_exec);
	run("clone_vfork", case_clone_vfork);
	return 0;
}
