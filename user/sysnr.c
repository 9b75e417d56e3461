/* sysnr: system-call numbers as Linux 6.1's do_syscall_64 reads them (issue 15 item 7, "system-call
 * entry": numbers with bits above 31 set). The entry code keeps all 64 bits of RAX as orig_rax but
 * dispatches on its low 32 bits taken as an int: 0x100000000 + 39 is getpid, a negative int is
 * -ENOSYS, and -1 (skipped by the dispatcher) leaves the -ENOSYS the entry code put in RAX.
 * Also what SYSENTER does from 64-bit mode (no kernel entry: a signal). Every line starts "15.7". */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"

static long raw(unsigned long nr)
{
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

/* Prints what a number with no arguments returns, naming getpid's and getppid's answers. */
static void try_nr(unsigned long nr)
{
	long r = raw(nr);

	if (r == getpid())
		printf("15.7 nr %#lx: the pid (getpid)\n", nr);
	else if (r == getppid())
		printf("15.7 nr %#lx: the parent's pid (getppid)\n", nr);
	else if (is_err(r))
		printf("15.7 nr %#lx: -1 %s\n", nr, errname((int)-r));
	else
		printf("15.7 nr %#lx: %ld\n", nr, r);
}

static unsigned long exit_nr;

/* exit with status 7 through a number whose high half is set. */
static void do_exit_nr(void)
{
	fflush(stdout);
	register long rdi __asm__("rdi") = 7;
	__asm__ volatile("syscall" ::"a"(exit_nr), "r"(rdi) : "rcx", "r11", "memory");
	_exit(99);
}

static void do_sysenter(void)
{
	__asm__ volatile("sysenter" ::: "memory");
	_exit(99);
}

static void show_status(const char *what, int st)
{
	if (WIFSIGNALED(st))
		printf("15.7 %s: killed by signal %d\n", what, WTERMSIG(st));
	else
		printf("15.7 %s: exit %d\n", what, WEXITSTATUS(st));
}

int main(void)
{
	static const unsigned long nrs[] = {
		39, 0x100000000UL + 39, 0xffffffff00000000UL + 39, 0x8000000000000000UL + 39,
		110, 0x100000000UL + 110, 0xffffffffffffffffUL, 0xffffffffUL, 0x1ffffffffUL,
		0x80000000UL, 0x7fffffffUL, 0xfffffffffffff000UL, 0x40000000UL + 39, 0x40000200UL,
		0x100000000UL + 0x40000000UL + 39, 335, 0x100000000UL + 335, 0x1000, 0x100001000UL,
	};
	for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
		try_nr(nrs[i]);
	exit_nr = 0x100000000UL + 60;
	show_status("exit via nr 0x10000003c", child_status(do_exit_nr));
	exit_nr = 0xdead00000000UL + 231;
	show_status("exit_group via nr 0xdead000000e7", child_status(do_exit_nr));
	show_status("sysenter from 64-bit mode", child_status(do_sysenter));
	return 0;
}
