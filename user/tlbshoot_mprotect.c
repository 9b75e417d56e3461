/* tlbshoot_mprotect: mprotect(PROT_READ) of a page another thread (pinned to another CPU when
 * there is one) writes in a tight loop (issue 18 item 5; user/tlbshoot.h says how). After the
 * call returns at most the write in flight lands; the next faults with SEGV_ACCERR at the page,
 * and the page holds exactly the last write that landed. */
#include "tlbshoot.h"

int main(void)
{
	struct verdict v = { 0 };
	int value_bad = 0;

	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		writer_start(p);
		if (mprotect((void *)p, PG, PROT_READ)) {
			printf("mprotect failed\n");
			return 1;
		}
		unsigned long at_return = sh->done, value_at_return = *p;
		writer_wait_fault(at_return);
		verdict_fault(&v, SEGV_ACCERR, p, at_return);
		if (*p != sh->end_done || *p > value_at_return + 1)
			value_bad++;
		munmap((void *)p, PG);
	}
	tlbshoot_exit();
	verdict_print("mprotect(PROT_READ) under a writer", &v, SEGV_ACCERR);
	printf("  the page holds the last write that landed: %s\n", yes(!value_bad));
	return 0;
}
