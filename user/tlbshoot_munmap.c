/* tlbshoot_munmap: munmap of a page another thread (pinned to another CPU when there is one)
 * writes in a tight loop (issue 18 item 5; user/tlbshoot.h says how). After the call returns at
 * most the write in flight lands; the next faults with SEGV_MAPERR at the page. The page's
 * frame is freed by munmap: a write landing later would land in someone else's memory. */
#include "tlbshoot.h"

int main(void)
{
	struct verdict v = { 0 };

	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		writer_start(p);
		if (munmap((void *)p, PG)) {
			printf("munmap failed\n");
			return 1;
		}
		unsigned long at_return = sh->done;
		writer_wait_fault(at_return);
		verdict_fault(&v, SEGV_MAPERR, p, at_return);
	}
	tlbshoot_exit();
	verdict_print("munmap under a writer", &v, SEGV_MAPERR);
	return 0;
}
