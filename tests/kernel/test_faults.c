// SPDX-License-Identifier: MIT
/*
 * "Expected fault" self-tests: the protections the kernel set up really stop the CPU. Each runs
 * an access under a fault catch and checks the exact vector, error code and fault address.
 */
#include "kernel/selftest.h"
#include "kernel/errno.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/tlb.h"
#include "arch/x86_64/traps.h"
#include "mm/frame.h"

extern char _text[], boot_stack_guard[];

static const u64 rodata_word = 0x1234;
static u8 data_code[16] = { 0xc3 }; /* ret */

/* Writes back the value already there: if the write wrongly succeeds, nothing is corrupted. */
static void write_u64(void *p)
{
	volatile u64 *w = p;
	*w = *w;
}

static void read_u64(void *p)
{
	(void)*(volatile u64 *)p;
}

static void call_code(void *p)
{
	((void (*)(void))p)();
}

/* Runs fn(p), which must fault with a page fault of the given error code at p. */
#define EXPECT_PF(fn, p, err)                                              \
	do {                                                               \
		struct fault_info fi_;                                     \
		if (!run_catching_faults(fn, (void *)(p), &fi_))           \
			ST_FAIL("%s(%p) did not fault", #fn, (void *)(p)); \
		ST_ASSERT_EQ(fi_.vector, X86_TRAP_PF);                     \
		ST_ASSERT_EQ(fi_.error_code, (err));                       \
		ST_ASSERT_EQ(fi_.cr2, (u64)(p));                           \
	} while (0)

SELFTEST(fault_write_rodata)
{
	EXPECT_PF(write_u64, &rodata_word, X86_PF_PROT | X86_PF_WRITE);
	ST_ASSERT_EQ(rodata_word, 0x1234);
}

SELFTEST(fault_write_text)
{
	EXPECT_PF(write_u64, _text, X86_PF_PROT | X86_PF_WRITE);
}

/* The direct map's alias of kernel text is read-only too: W^X cannot be bypassed through it. */
SELFTEST(fault_write_text_alias)
{
	EXPECT_PF(write_u64, phys_to_virt(virt_to_phys(_text)), X86_PF_PROT | X86_PF_WRITE);
}

SELFTEST(fault_exec_data)
{
	if (!cpu_has(X86_FEATURE_NX))
		ST_SKIP("CPU has no NX");
	EXPECT_PF(call_code, data_code, X86_PF_PROT | X86_PF_INSTR);
}

/* Fetching from the direct map (where any data frame is also visible) faults. */
SELFTEST(fault_exec_direct_map)
{
	if (!cpu_has(X86_FEATURE_NX))
		ST_SKIP("CPU has no NX");
	struct page *pg = alloc_page(GFP_ZERO);
	ST_ASSERT(pg);
	*(u8 *)page_address(pg) = 0xc3;
	struct fault_info fi;
	bool faulted = run_catching_faults(call_code, page_address(pg), &fi);
	free_page(pg);
	ST_ASSERT(faulted);
	ST_ASSERT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
}

static void store_u64(void *p)
{
	*(volatile u64 *)p = 0xdead;
}

SELFTEST(fault_null_dereference)
{
	EXPECT_PF(read_u64, 0, 0);
	EXPECT_PF(store_u64, 0, X86_PF_WRITE);
}

SELFTEST(fault_boot_stack_guard)
{
	EXPECT_PF(store_u64, boot_stack_guard + 8, X86_PF_WRITE);
}

static void noncanonical_read(void *p)
{
	(void)p;
	(void)*(volatile u64 *)0x0000800000000000UL;
}

SELFTEST(fault_noncanonical_gp)
{
	struct fault_info fi;

	ST_ASSERT(run_catching_faults(noncanonical_read, NULL, &fi));
	ST_ASSERT_EQ(fi.vector, X86_TRAP_GP);
	ST_ASSERT_EQ(fi.error_code, 0);
}

static void do_int3(void *p)
{
	(void)p;
	__asm__ __volatile__("int3");
}

static void do_ud2(void *p)
{
	(void)p;
	__asm__ __volatile__("ud2");
}

static void do_divide_by_zero(void *p)
{
	u64 zero = (u64)p, q;
	__asm__ __volatile__("divq %2" : "=a"(q) : "a"(1UL), "r"(zero), "d"(0UL));
	(void)q;
}

/* The IDT routes other exceptions to the right vector too. */
SELFTEST(fault_other_vectors)
{
	struct fault_info fi;

	ST_ASSERT(run_catching_faults(do_int3, NULL, &fi));
	ST_ASSERT_EQ(fi.vector, X86_TRAP_BP);
	ST_ASSERT(run_catching_faults(do_ud2, NULL, &fi));
	ST_ASSERT_EQ(fi.vector, X86_TRAP_UD);
	ST_ASSERT(run_catching_faults(do_divide_by_zero, NULL, &fi));
	ST_ASSERT_EQ(fi.vector, X86_TRAP_DE);
}

/* probe_read_u64 turns a fault into -EFAULT through the exception table. */
SELFTEST(extable_probe_read)
{
	u64 v = 0, word = 0x1122334455667788ULL;

	ST_ASSERT_EQ(probe_read_u64(&word, &v), 0);
	ST_ASSERT_EQ(v, word);
	ST_ASSERT_EQ(probe_read_u64((const u64 *)8, &v), -EFAULT);
	ST_ASSERT_EQ(probe_read_u64((const u64 *)boot_stack_guard, &v), -EFAULT);
}

#define TEST_USER_VA 0x400000UL

/* Maps one user page (present, writable, user) in the kernel's tables; returns its frame. */
static struct page *map_user_page(u64 extra_flags)
{
	struct page *pg = alloc_page(GFP_ZERO);

	if (pg && pgtable_map(kernel_pml4, TEST_USER_VA, page_to_phys(pg),
			      _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | extra_flags, PG_LEVEL_4K)) {
		free_page(pg);
		return NULL;
	}
	return pg;
}

static void unmap_user_page(struct page *pg)
{
	pgtable_free_user(kernel_pml4);
	flush_tlb_one_kernel(TEST_USER_VA);
	free_page(pg);
}

static void read_with_stac(void *p)
{
	stac();
	(void)*(volatile u64 *)p;
	clac();
}

/* SMAP: a kernel read of a user page faults unless EFLAGS.AC is set (stac). */
SELFTEST(fault_smap_user_read)
{
	if (!cpu_has(X86_FEATURE_SMAP))
		ST_SKIP("CPU has no SMAP");
	struct page *pg = map_user_page(__supported_pte_mask_nx);
	ST_ASSERT(pg);
	struct fault_info fi;
	bool faulted = run_catching_faults(read_u64, (void *)TEST_USER_VA, &fi);
	bool faulted_with_ac = run_catching_faults(read_with_stac, (void *)TEST_USER_VA, &fi);
	unmap_user_page(pg);
	ST_ASSERT(faulted);
	ST_ASSERT(!faulted_with_ac);
	ST_ASSERT(run_catching_faults(read_u64, (void *)TEST_USER_VA, &fi));
	ST_ASSERT_EQ(fi.error_code, 0); /* and once unmapped, it is simply not present */
}

/* SMAP for writes: the error code says protection violation + write, from kernel mode. */
SELFTEST(fault_smap_user_write)
{
	if (!cpu_has(X86_FEATURE_SMAP))
		ST_SKIP("CPU has no SMAP");
	struct page *pg = map_user_page(__supported_pte_mask_nx);
	ST_ASSERT(pg);
	struct fault_info fi;
	bool faulted = run_catching_faults(store_u64, (void *)TEST_USER_VA, &fi);
	unmap_user_page(pg);
	ST_ASSERT(faulted);
	ST_ASSERT_EQ(fi.vector, X86_TRAP_PF);
	ST_ASSERT_EQ(fi.error_code, X86_PF_PROT | X86_PF_WRITE);
	ST_ASSERT_EQ(fi.cr2, TEST_USER_VA);
}

/* SMEP: the kernel never executes a user page, even one the user may execute. */
SELFTEST(fault_smep_user_exec)
{
	if (!cpu_has(X86_FEATURE_SMEP))
		ST_SKIP("CPU has no SMEP");
	struct page *pg = map_user_page(0);
	ST_ASSERT(pg);
	*(u8 *)page_address(pg) = 0xc3;
	struct fault_info fi;
	bool faulted = run_catching_faults(call_code, (void *)TEST_USER_VA, &fi);
	unmap_user_page(pg);
	ST_ASSERT(faulted);
	ST_ASSERT_EQ(fi.error_code, X86_PF_PROT | X86_PF_INSTR);
	ST_ASSERT_EQ(fi.cr2, TEST_USER_VA);
}
