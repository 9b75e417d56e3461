/* tlbshoot_madvise: MADV_DONTNEED of a private page another thread (pinned to another CPU when
 * there is one) writes in a tight loop (issue 18 item 5; user/tlbshoot.h says how). The call
 * drops the page; the writer does not fault for good: its next write after the call takes a
 * fresh zero-filled page, and every later write lands there, so the page the main thread sees
 * at the end holds the writer's last write. A write through a stale translation would land in
 * the dropped frame instead (and be lost, or corrupt whoever got the frame next). */
#include "tlbshoot.h"

int main(void)
{
	int faulted = 0, lost = 0;

	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		writer_start(p);
		if (madvise((void *)p, PG, MADV_DONTNEED)) {
			printf("madvise failed\n");
			return 1;
		}
		unsigned long at_return = sh->done;
		writer_run_then_stop(at_return, 1000);
		if (sh->fault_code)
			faulted++;
		if (*p != sh->end_done)
			lost++;
		munmap((void *)p, PG);
	}
	tlbshoot_exit();
	printf("madvise(MADV_DONTNEED) under a writer: %d runs\n", ITERATIONS);
	printf("  the writer never faulted: %s\n", yes(!faulted));
	printf("  the page holds the writer's last write every time: %s", yes(!lost));
	if (lost)
		printf(" (%d runs lost writes)", lost);
	printf("\n");
	return 0;
}
