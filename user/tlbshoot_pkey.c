/* tlbshoot_pkey: pkey_mprotect giving a page a key whose rights deny the writer's writes, while
 * that thread (pinned to another CPU when there is one) writes the page in a tight loop (issue
 * 18 item 5; user/tlbshoot.h says how). The key is allocated write-disabled before the writer
 * starts, so the writer's PKRU denies writes under it (after a fault's handler, whose PKRU is
 * the default one, the key is denied altogether). After the call returns at most the write in
 * flight lands; the next faults with SEGV_PKUERR at the page. Without protection keys (qemu64)
 * it says so: tests/user/tlbshoot_pkey.percpu. */
#include "tlbshoot.h"

#ifndef PKEY_DISABLE_WRITE
#define PKEY_DISABLE_WRITE 2
#endif

int main(void)
{
	struct verdict v = { 0 };

	long key = syscall(SYS_pkey_alloc, 0, PKEY_DISABLE_WRITE);
	if (key < 0) {
		printf("no protection keys on this CPU\n");
		return 0;
	}
	tlbshoot_init();
	for (int i = 0; i < ITERATIONS; i++) {
		volatile unsigned long *p = fresh_page();
		writer_start(p);
		if (syscall(SYS_pkey_mprotect, p, PG, PROT_READ | PROT_WRITE, key)) {
			printf("pkey_mprotect failed\n");
			return 1;
		}
		unsigned long at_return = sh->done;
		writer_wait_fault(at_return);
		verdict_fault(&v, 4 /* SEGV_PKUERR */, p, at_return);
		munmap((void *)p, PG);
	}
	tlbshoot_exit();
	verdict_print("pkey_mprotect (write-denying key) under a writer", &v, 4);
	return 0;
}
