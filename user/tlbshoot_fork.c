/* tlbshoot_fork: fork while another thread (pinned to another CPU when there is one) writes a
 * private page in a tight loop (issue 18 item 5; user/tlbshoot.h says how). fork makes the page
 * copy-on-write in the parent and must flush the writer's writable translation before it
 * returns: the child's copy is then a snapshot that none of the parent's later writes reaches.
 * The child reads its copy, waits until the parent's writer wrote 2000 more times (the count
 * lives in shared memory), and reads it again: the same value. The parent's own page keeps
 * every write of the writer. */
#include "tlbshoot.h"
#include <sys/wait.h>

int main(void)
{
	int child_changed = 0, child_bad = 0, parent_bad = 0;

	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		writer_start(p);
		pid_t pid = fork();
		if (pid < 0) {
			printf("fork failed\n");
			return 1;
		}
		if (pid == 0) {
			unsigned long c0 = *p, from = sh->done;
			while (sh->done < from + 2000 && sh->ack != sh->go)
				sched_yield();
			_exit(*p == c0 ? 0 : 1);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			printf("waitpid failed\n");
			return 1;
		}
		if (!WIFEXITED(status))
			child_bad++;
		else if (WEXITSTATUS(status))
			child_changed++;
		writer_run_then_stop(sh->done, 100);
		if (sh->fault_code || *p != sh->end_done)
			parent_bad++;
		munmap((void *)p, PG);
	}
	tlbshoot_exit();
	printf("fork under a writer: %d runs\n", ITERATIONS);
	printf("  the child's copy never changed after fork: %s\n",
	       yes(!child_changed && !child_bad));
	printf("  the parent's page holds the writer's last write: %s\n", yes(!parent_bad));
	return 0;
}
