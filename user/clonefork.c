/* clonefork: glibc's fork, clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
 * SIGCHLD, child_tidptr), made by hand with the raw syscall. The child finds
 * its tid at child_tidptr when it starts; the parent's copy of that word is
 * not written. With the word in a MAP_SHARED page the parent sees the child's
 * write, and after the child exits the word still holds the tid: Linux clears
 * it (and wakes a futex) only when the address space is shared with another
 * task (mm_release), and a forked child has its own. CLONE_PARENT_SETTID
 * writes the parent's memory only. No tid is printed, only comparisons.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000

/* clone with no new stack: the child returns here like fork's. */
static long clone_fork(long flags, int *ptid, int *ctid)
{
	return sys6(SYS_clone, flags, 0, (long)ptid, (long)ctid, 0, 0);
}

int main(void)
{
	static int priv_tid = -1, ptid = -1;
	int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int st;
	long pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("-- private word\n");
	pid = clone_fork(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, &priv_tid);
	if (pid == 0)
		_exit(priv_tid == sys0(SYS_gettid) ? 0 : 1); /* set before the child runs */
	printf("clone: %s\n", pid > 0 ? "a pid" : errname((int)-pid));
	waitpid((pid_t)pid, &st, 0);
	printf("child saw its tid in the word: %s\n", st == 0 ? "yes" : "no");
	printf("parent's word untouched: %s\n", priv_tid == -1 ? "yes" : "no");

	printf("-- word in a MAP_SHARED page\n");
	shared[0] = -1;
	pid = clone_fork(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, shared);
	if (pid == 0)
		_exit(shared[0] == sys0(SYS_gettid) ? 0 : 1);
	waitpid((pid_t)pid, &st, 0);
	printf("child status: %#x\n", st);
	printf("word holds the child's tid after its exit: %s\n", shared[0] == pid ? "yes" : "no");

	printf("-- CLONE_PARENT_SETTID\n");
	shared[1] = -1;
	pid = clone_fork(CLONE_PARENT_SETTID | SIGCHLD, &ptid, NULL);
	if (pid == 0)
		_exit(ptid == -1 ? 0 : 1); /* the child's copy was made before the write */
	waitpid((pid_t)pid, &st, 0);
	printf("parent's word holds the pid: %s; child's copy untouched: %s\n",
	       ptid == pid ? "yes" : "no", st == 0 ? "yes" : "no");

	printf("-- set_tid_address in a forked child, word in a MAP_SHARED page\n");
	shared[2] = 77;
	pid = fork();
	if (pid == 0) {
		sys1(SYS_set_tid_address, (long)&shared[2]);
		_exit(3);
	}
	waitpid((pid_t)pid, &st, 0);
	printf("child status: %#x, word after exit: %d\n", st, shared[2]);

	printf("-- bad child_tidptr: the clone still works\n");
	pid = clone_fork(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, NULL, (int *)8);
	if (pid == 0)
		_exit(4);
	waitpid((pid_t)pid, &st, 0);
	printf("child status: %#x\n", st);
	return 0;
}
