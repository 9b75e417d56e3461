// SPDX-License-Identifier: MIT
/*
 * The address-space limits (mm/vm_limits.c) at the mm level: RLIMIT_AS on every mapping, with
 * MAP_FIXED's replaced pages given back; RLIMIT_DATA on private writable memory only, the
 * soft-limit-0 rule and the ignore_rlimit_data boot option; and the mm's two reference counts
 * (an address space gone while its struct is still held).
 */
#include "tests/host/harness.h"
#include "tests/host/test_fs.h"
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

#define P ((u64)PAGE_SIZE)
#define ARENA 0x200000000000UL
#define RW (PROT_READ | PROT_WRITE)
#define FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

/* A fresh process with an empty address space and unlimited limits. */
static struct mm_struct *limits_setup(void)
{
	fs_test_boot(NULL, 0);
	struct mm_struct *mm = mm_alloc();
	if (!mm)
		panic("mm_alloc");
	current->mm = mm;
	current->personality = 0;
	return mm;
}

static void limits_teardown(struct mm_struct *mm)
{
	current->mm = NULL;
	mmput(mm);
	current->signal->rlim[RLIMIT_AS] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	current->signal->rlim[RLIMIT_DATA] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	ignore_rlimit_data = false;
}

HOST_TEST(vm_limits_as_counts_every_mapping)
{
	struct mm_struct *mm = limits_setup();
	current->signal->rlim[RLIMIT_AS].rlim_cur = 4 * P;
	CHECK_EQ(do_mmap(mm, NULL, ARENA, 2 * P, RW, FIXED, 0), (long)ARENA);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 4 * P, 2 * P, PROT_NONE, FIXED, 0),
		 (long)(ARENA + 4 * P));
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 8 * P, P, PROT_READ, FIXED, 0), -ENOMEM);
	/* MAP_FIXED over its own pages: only the new ones count. */
	CHECK_EQ(do_mmap(mm, NULL, ARENA, 2 * P, PROT_READ, FIXED, 0), (long)ARENA);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + P, 2 * P, RW, FIXED, 0), -ENOMEM);
	CHECK_EQ(do_munmap(mm, ARENA + 4 * P, P), 0);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + P, 2 * P, RW, FIXED, 0), (long)(ARENA + P));
	CHECK(!may_expand_vm(mm, VM_READ, 1));
	current->signal->rlim[RLIMIT_AS].rlim_cur = RLIM_INFINITY;
	CHECK(may_expand_vm(mm, VM_READ, 1UL << 35));
	limits_teardown(mm);
}

HOST_TEST(vm_limits_data_counts_private_writable)
{
	struct mm_struct *mm = limits_setup();
	current->signal->rlim[RLIMIT_DATA] = (struct rlimit64){ 2 * P, RLIM_INFINITY };
	CHECK_EQ(do_mmap(mm, NULL, ARENA, 2 * P, RW, FIXED, 0), (long)ARENA);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 4 * P, P, RW, FIXED, 0), -ENOMEM);
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 4 * P, 4 * P, PROT_READ, FIXED, 0),
		 (long)(ARENA + 4 * P));
	CHECK_EQ(do_mmap(mm, NULL, ARENA + 16 * P, 4 * P, RW,
			 MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, 0),
		 (long)(ARENA + 16 * P));
	CHECK(may_expand_vm(mm, VM_READ | VM_WRITE | VM_GROWSDOWN, 100));
	CHECK(!may_expand_vm(mm, VM_READ | VM_WRITE, 1));
	CHECK_EQ(do_mprotect_pkey(ARENA + 4 * P, P, RW, -1), -ENOMEM);
	/* Soft limit 0: the hard limit decides (Valgrind). */
	current->signal->rlim[RLIMIT_DATA] = (struct rlimit64){ 0, 3 * P };
	CHECK(may_expand_vm(mm, VM_WRITE, 1));
	CHECK(!may_expand_vm(mm, VM_WRITE, 2));
	/* ignore_rlimit_data: only the warning. */
	ignore_rlimit_data = true;
	CHECK(may_expand_vm(mm, VM_WRITE, 100));
	limits_teardown(mm);
}

HOST_TEST(vm_limits_mm_struct_outlives_address_space)
{
	struct mm_struct *mm = limits_setup();
	CHECK_EQ(do_mmap(mm, NULL, ARENA, 2 * P, RW, FIXED, 0), (long)ARENA);
	mmgrab(mm);
	CHECK(mmget_not_zero(mm));
	mmput(mm);
	current->mm = NULL;
	mmput(mm); /* the last user: the VMAs go, the struct stays */
	CHECK(!mmget_not_zero(mm));
	CHECK(mm->mm_rb.first == NULL);
	mmdrop(mm); /* the struct goes (ASan would see a use after this) */
}
