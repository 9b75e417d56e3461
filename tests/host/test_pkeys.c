// SPDX-License-Identifier: MIT
/*
 * Protection keys, the mm side (mm/pkeys.c, the key path of do_mprotect_pkey and do_mmap, the
 * fault path's key check), on the host with a simulated PKRU (tests/host/mm_shim.c): with keys
 * on, as Linux on a PKU CPU (spec §3.2-3.5, cases 61, 63-68, 78), and with keys off, as Linux
 * without PKU (§3.6, case 62).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/test_fs.h"
#include "mm/mm.h"
#include "mm/pkeys.h"
#include "mm/vma.h"
#include "arch/x86_64/pkru.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

extern u32 host_pkru;

#define P ((u64)PAGE_SIZE)
#define ARENA 0x200000000000UL
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

static struct mm_struct *mm;

/* A fresh process: keys on or off, PKRU at its exec value, an empty address space. */
static void setup(bool keys)
{
	if (mm) {
		current->mm = NULL;
		mmput(mm);
	}
	fs_test_boot(NULL, 0);
	pku_enabled = keys;
	host_pkru = INIT_PKRU_VALUE;
	mm = mm_alloc();
	if (!mm)
		panic("mm_alloc");
	current->mm = mm;
	current->personality = 0;
}

static void teardown(void)
{
	current->mm = NULL;
	mmput(mm);
	mm = NULL;
	pku_enabled = false;
}

static long pkey_mprotect(u64 page, u64 pages, int prot, int pkey)
{
	return do_mprotect_pkey(ARENA + page * P, pages * P, (u64)prot, pkey);
}

static int key_at(u64 page)
{
	return vma_pkey(find_vma(mm, ARENA + page * P));
}

/* The PKRU bits of key k: 0, AD (1), WD (2) or both. */
static unsigned pkru_bits(int k)
{
	return (host_pkru >> (2 * k)) & 3;
}

/*
 * Case 62 and §3.6 as Linux does it without PKU (recorded natively: user/pkeys.qemu64):
 * EINVAL from the first pkey_alloc, ENOSPC after, only key -1 for pkey_mprotect, pkey_free
 * always EINVAL.
 */
HOST_TEST(pkeys_off_behave_as_linux_without_pku)
{
	setup(false);
	CHECK_EQ(do_mmap(mm, NULL, ARENA, P, RW, ANON, 0), (long)ARENA);
	CHECK_EQ(sys_pkey_alloc(1, 0), -EINVAL);
	CHECK_EQ(sys_pkey_alloc(0, 4), -EINVAL);
	CHECK_EQ(sys_pkey_alloc(0, 0), -EINVAL);
	CHECK_EQ(sys_pkey_alloc(0, 0), -ENOSPC);
	CHECK_EQ(sys_pkey_alloc(0, PKEY_DISABLE_WRITE), -ENOSPC);
	CHECK_EQ(pkey_mprotect(0, 1, PROT_READ, 0), -EINVAL);
	CHECK_EQ(pkey_mprotect(0, 1, PROT_READ, 1), -EINVAL);
	CHECK_EQ(pkey_mprotect(0, 1, PROT_READ, -1), 0);
	CHECK_EQ(sys_pkey_free(0), -EINVAL);
	CHECK_EQ(sys_pkey_free(1), -EINVAL);
	CHECK_EQ(sys_pkey_free((u64)-1), -EINVAL);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 4 * P, P, PROT_EXEC, ANON, 0), (long)(ARENA + 4 * P));
	CHECK_EQ(key_at(4), 0); /* no execute-only key */
	CHECK_EQ(host_pkru, INIT_PKRU_VALUE);
	teardown();
}

/* Cases 61, 63-66, 69: allocation order, rights in PKRU, ENOSPC after 15 keys, free rules. */
HOST_TEST(pkeys_alloc_free)
{
	setup(true);
	CHECK_EQ(sys_pkey_alloc(1, 0), -EINVAL);
	CHECK_EQ(sys_pkey_alloc(0, 4), -EINVAL); /* PKEY_DISABLE_EXECUTE is not x86's */
	CHECK_EQ(sys_pkey_alloc(0, 0), 1);
	CHECK_EQ(pkru_bits(1), 0u);
	CHECK_EQ(sys_pkey_alloc(0, PKEY_DISABLE_WRITE), 2);
	CHECK_EQ(pkru_bits(2), 2u); /* WD set, AD cleared */
	CHECK_EQ(sys_pkey_alloc(0, PKEY_DISABLE_ACCESS | PKEY_DISABLE_WRITE), 3);
	CHECK_EQ(pkru_bits(3), 3u);
	for (int k = 4; k < 16; k++)
		CHECK_EQ(sys_pkey_alloc(0, 0), k);
	CHECK_EQ(sys_pkey_alloc(0, 0), -ENOSPC);
	CHECK_EQ(pkru_bits(0), 0u);
	CHECK_EQ(sys_pkey_free(5), 0);
	CHECK_EQ(sys_pkey_free(5), -EINVAL); /* not allocated any more */
	CHECK_EQ(pkru_bits(5), 0u); /* pkey_free leaves PKRU alone */
	CHECK_EQ(sys_pkey_free(16), -EINVAL);
	CHECK_EQ(sys_pkey_free((u64)-1), -EINVAL);
	CHECK_EQ(sys_pkey_alloc(0, PKEY_DISABLE_ACCESS), 5); /* the lowest free one again */
	CHECK_EQ(pkru_bits(5), 1u);
	/* 63-65: a key that is not allocated, or out of range, is EINVAL before the range is seen
	 */
	CHECK_EQ(sys_pkey_free(5), 0);
	CHECK_EQ(pkey_mprotect(100, 1, PROT_READ, 5), -EINVAL);
	CHECK_EQ(pkey_mprotect(100, 1, PROT_READ, -2), -EINVAL);
	CHECK_EQ(pkey_mprotect(100, 1, PROT_READ, 16 + 99), -EINVAL);
	CHECK_EQ(pkey_mprotect(100, 1, PROT_READ, 1), -ENOMEM); /* allocated: now the range */
	/* fork copies the allocation map */
	struct mm_struct *child = dup_mm(mm);
	CHECK(child);
	CHECK_EQ(child->pkey_allocation_map, mm->pkey_allocation_map);
	mmput(child);
	teardown();
}

/* Cases 67, 68 and 70: pkey_mprotect writes the key into each VMA; keys keep VMAs apart. */
HOST_TEST(pkeys_mprotect_sets_vma_keys)
{
	setup(true);
	do_mmap(mm, NULL, ARENA, 4 * P, RW, ANON, 0);
	int k = (int)sys_pkey_alloc(0, PKEY_DISABLE_ACCESS);
	CHECK_EQ(k, 1);
	CHECK_EQ(pkey_mprotect(1, 2, RW, k), 0);
	CHECK_EQ(key_at(0), 0);
	CHECK_EQ(key_at(1), k);
	CHECK_EQ(key_at(3), 0);
	CHECK_EQ(mm->mm_rb.count, 3); /* same prot, different keys: three VMAs */
	CHECK_EQ(pkey_mprotect(1, 1, PROT_EXEC, k), 0); /* an explicit key wins over exec-only */
	CHECK_EQ(key_at(1), k);
	CHECK_EQ(mm->execute_only_pkey, -1);
	CHECK_EQ(pkey_mprotect(1, 2, RW, 0), 0); /* back to key 0: all merge again */
	CHECK_EQ(mm->mm_rb.count, 1);
	CHECK_EQ(do_mprotect_pkey(ARENA, 4 * P, RW, -1), 0); /* plain mprotect keeps keys */
	CHECK_EQ(pkey_mprotect(2, 1, RW, k), 0);
	CHECK_EQ(do_mprotect_pkey(ARENA, 4 * P, PROT_READ, -1), 0);
	CHECK_EQ(key_at(2), k);
	/* 67: with all keys taken, pkey_mprotect to key 0 works for every prot */
	while (sys_pkey_alloc(0, 0) > 0)
		;
	static const int prots[] = { PROT_READ, PROT_WRITE, PROT_EXEC, RW, RW | PROT_EXEC };
	for (unsigned i = 0; i < sizeof(prots) / sizeof(prots[0]); i++)
		CHECK_EQ(pkey_mprotect(0, 4, prots[i], 0), 0);
	teardown();
}

/* §3.5 and case 78: the execute-only key, its PKRU, and its reset when a VMA stops being exec-only.
 */
HOST_TEST(pkeys_execute_only)
{
	setup(true);
	CHECK_EQ(do_mmap(mm, NULL, ARENA, P, PROT_EXEC, ANON, 0), (long)ARENA);
	int x = key_at(0);
	CHECK_EQ(x, 1); /* the lowest free key */
	CHECK_EQ(mm->execute_only_pkey, 1);
	CHECK_EQ(pkru_bits(1), 1u); /* AD */
	CHECK_EQ(sys_pkey_free(1), -EINVAL); /* never named by user space */
	CHECK_EQ(pkey_mprotect(0, 1, PROT_READ, 1), -EINVAL); /* neither here */
	CHECK_EQ(sys_pkey_alloc(0, 0), 2);
	host_pkru &= ~(3u << 2); /* the task opens the exec-only key again... */
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 2 * P, P, PROT_EXEC, ANON, 0), (long)(ARENA + 2 * P));
	CHECK_EQ(pkru_bits(1), 1u); /* ...a new exec-only mapping closes it again */
	CHECK_EQ(key_at(2), 1);
	/* 78: mprotect(PROT_EXEC) gives the key; PROT_NONE takes it away; R|X then is readable */
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 4 * P, P, RW, ANON, 0), (long)(ARENA + 4 * P));
	CHECK_EQ(do_mprotect_pkey(ARENA + 4 * P, P, PROT_EXEC, -1), 0);
	CHECK_EQ(key_at(4), 1);
	CHECK_EQ(do_mprotect_pkey(ARENA + 4 * P, P, PROT_NONE, -1), 0);
	CHECK_EQ(key_at(4), 0);
	CHECK_EQ(do_mprotect_pkey(ARENA + 4 * P, P, PROT_READ | PROT_EXEC, -1), 0);
	CHECK_EQ(key_at(4), 0);
	/* a VMA with another key made PROT_EXEC by plain mprotect gets the exec-only key */
	CHECK_EQ(pkey_mprotect(4, 1, RW, 2), 0);
	CHECK_EQ(do_mprotect_pkey(ARENA + 4 * P, P, PROT_EXEC, -1), 0);
	CHECK_EQ(key_at(4), 1);
	teardown();

	/* no key left: mmap PROT_EXEC uses key 0, mprotect keeps the VMA's key (§3.5) */
	setup(true);
	while (sys_pkey_alloc(0, 0) > 0)
		;
	CHECK_EQ(do_mmap(mm, NULL, ARENA, P, PROT_EXEC, ANON, 0), (long)ARENA);
	CHECK_EQ(key_at(0), 0);
	CHECK_EQ(mm->execute_only_pkey, -1);
	teardown();
}

/* The fault side's key check (spec §3.9): data accesses only, the current mm only. */
HOST_TEST(pkeys_access_permitted)
{
	setup(true);
	do_mmap(mm, NULL, ARENA, P, RW, ANON, 0);
	int k = (int)sys_pkey_alloc(0, PKEY_DISABLE_WRITE);
	pkey_mprotect(0, 1, RW, k);
	struct vm_area_struct *v = find_vma(mm, ARENA);
	CHECK(arch_vma_access_permitted(v, false, false)); /* 72: WD allows reads */
	CHECK(!arch_vma_access_permitted(v, true, false)); /* 73 */
	host_pkru |= 1u << (2 * k); /* AD */
	CHECK(!arch_vma_access_permitted(v, false, false)); /* 71 */
	CHECK(arch_vma_access_permitted(v, false, true)); /* 77: fetches never */
	current->mm = NULL;
	CHECK(arch_vma_access_permitted(v, true, false)); /* a foreign access ignores PKRU */
	current->mm = mm;
	pku_enabled = false;
	CHECK(arch_vma_access_permitted(v, true, false));
	teardown();
}
