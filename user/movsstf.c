// SPDX-License-Identifier: MIT
/*
 * CVE-2018-8897's shape without a watchpoint: a single-step trap (TF) left pending by MOV SS
 * across INT3, INT 0x80 and SYSCALL. The kernel must survive; each child's end is printed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void variant(int n)
{
	unsigned short ss;

	__asm__ __volatile__("mov %%ss, %0" : "=r"(ss));
	__asm__ __volatile__("pushfq; orq $0x100, (%rsp); popfq");
	if (n == 0)
		__asm__ __volatile__("mov %0, %%ss; int3" : : "r"(ss));
	else if (n == 1)
		__asm__ __volatile__("mov %0, %%ss; syscall" : : "r"(ss), "a"(39L) : "rcx", "r11", "memory");
	else
		__asm__ __volatile__("mov %0, %%ss; int $0x80" : : "r"(ss), "a"(20L) : "memory");
	_exit(0);
}

int main(void)
{
	for (int n = 0; n < 3; n++) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			variant(n);
		waitpid(pid, &status, 0);
		if (WIFSIGNALED(status))
			printf("variant %d: signal %d\n", n, WTERMSIG(status));
		else
			printf("variant %d: exit %d\n", n, WEXITSTATUS(status));
	}
	printf("survived\n");
	return 0;
}
