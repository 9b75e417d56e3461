/* tlbshoot_mremap: mremap moving a page another thread (pinned to another CPU when there is
 * one) writes in a tight loop to a new address (issue 18 item 5; user/tlbshoot.h says how).
 * After the call returns at most the write in flight lands; the next faults with SEGV_MAPERR
 * at the old address, and the page at the new address holds exactly the last write that
 * landed (the frame moved with every write made through the old translation). */
#include "tlbshoot.h"

int main(void)
{
	struct verdict v = { 0 };
	int value_bad = 0;

	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		void *q = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED) {
			printf("mmap failed\n");
			return 1;
		}
		writer_start(p);
		void *r = mremap((void *)p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, q);
		if (r != q) {
			printf("mremap failed\n");
			return 1;
		}
		unsigned long at_return = sh->done;
		writer_wait_fault(at_return);
		verdict_fault(&v, SEGV_MAPERR, p, at_return);
		if (*(volatile unsigned long *)q != sh->end_done)
			value_bad++;
		munmap(q, PG);
	}
	tlbshoot_exit();
	verdict_print("mremap (move) under a writer", &v, SEGV_MAPERR);
	printf("  the moved page holds the last write that landed: %s\n", yes(!value_bad));
	return 0;
}
