// SPDX-License-Identifier: MIT
/*
 * kmain: the order in which Warden comes up. Each step needs the ones before it: the console
 * first (so anything can report), exceptions next (so a fault is a report, not a reset), then
 * memory: the loader's map into memblock, the frame allocator, the kernel's own page tables, the
 * slab allocator and vmalloc. Then either the self-tests named on the command line or the idle
 * loop.
 */
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "arch/x86_64/tlb.h"
#include "kernel/console.h"
#include "drivers/tty/tty.h"
#include "drivers/acpi/sleep.h"
#include "drivers/acpi/tables.h"
#include "kernel/init.h"
#include "kernel/kernel_lock.h"
#include "kernel/lockcheck.h"
#include "kernel/sys.h"
#include "kernel/sched.h"
#include "arch/x86_64/process.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/selftest.h"
#include "kernel/string.h"
#include "kernel/version.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/paging.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/pic.h"
#include "arch/x86_64/qemu.h"
#include "arch/x86_64/serial.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "mm/frame.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/poison.h"
#include "mm/vma.h"
#include "kernel/trace.h"
#include "mm/slab.h"

void kmain(u32 magic, u32 info) __noreturn;

extern char _phys_start[], _end[];

/* Applies loglevel= before anything chatty is printed. */
static void apply_loglevel(void)
{
	u64 level;

	if (cmdline_get_u64("loglevel", &level))
		console_set_loglevel(level > 7 ? 7 : (int)level);
}

/* Hands usable RAM to memblock and reserves what is already in use. */
static void memblock_setup(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (bi->mem[i].type == BOOT_MEM_USABLE)
			memblock_add(bi->mem[i].base, bi->mem[i].size);
	/* Real-mode area and BIOS data: never hand out the first MiB. */
	memblock_reserve(0, SZ_1M);
	memblock_reserve((u64)_phys_start, virt_to_phys(_end) - (u64)_phys_start);
	memblock_reserve(bi->info_phys, bi->info_size);
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		memblock_reserve(bi->modules[i].start, bi->modules[i].end - bi->modules[i].start);
}

static void print_memory_map(const struct boot_info *bi)
{
	u64 usable = 0;

	pr_info("memory map (%s):\n", bi->protocol);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		pr_info("  [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1), boot_mem_type_name(r->type));
		if (r->type == BOOT_MEM_USABLE)
			usable += r->size;
	}
	pr_info("memory: %llu KiB usable\n", (unsigned long long)(usable >> 10));
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		pr_info("module %u: [%#llx-%#llx) %s\n", i,
			(unsigned long long)bi->modules[i].start,
			(unsigned long long)bi->modules[i].end, bi->modules[i].cmdline);
}

static void __noreturn start_userspace(void);

/* Boots the kernel; called by boot/entry.asm with the loader's magic and information. */
void kmain(u32 magic, u32 info)
{
	serial_init();
	percpu_init(0); /* before gdt_init: load_ldt finds this CPU's GDT through it */
	gdt_init(0);
	sched_init();
	idt_init();
	pic_disable();

	if (bootinfo_parse(magic, info, &boot_info))
		panic("unknown boot protocol (magic %#x)", magic);
	cmdline_parse(boot_info.cmdline);
	/* lockcheck: the lock checker (kernel/lockcheck.h), before the first lock is tracked */
	lockcheck_enabled = cmdline_get("lockcheck") != NULL;
	console_setup();
	apply_loglevel();
	/* poison: uninitialised kernel bytes get a pattern the copies to user space look for. */
	debug_poison = cmdline_get("poison") != NULL;
	/* fault_sleep: a fault of a kernel access to user memory yields first (mm/fault.c) */
	debug_fault_sleep = cmdline_get("fault_sleep") != NULL;
	pr_info("\nWarden %s (x86-64) - a small kernel with Linux's memory protection\n",
		WARDEN_VERSION);
	pr_info("boot: %s via %s, command line \"%s\"\n", boot_info.loader_name, boot_info.protocol,
		boot_info.cmdline);

	cpu_detect();
	cpu_enable_protections();
	cpu_report();
	print_memory_map(&boot_info);

	memblock_setup(&boot_info);
	frame_init();
	paging_init();
	zero_page_init();
	gdt_protect_ist_stacks();
	kmem_init();
	pr_info("mm: %llu frames managed, %llu free; kernel page tables live (W^X, NX direct "
		"map)\n",
		(unsigned long long)nr_managed_frames(), (unsigned long long)nr_free_frames());
	pr_info("ksyms: %llu symbols\n", (unsigned long long)ksym_count());

	/* ACPI tables: the CPUs (MADT), how reboot(2) powers off and resets (docs/power.md). */
	const char *acpi = cmdline_get("acpi");
	if (acpi && !strcmp(acpi, "off"))
		pr_info("ACPI: disabled (acpi=off): power-off halts\n");
	else if (!acpi_table_init(&boot_info.acpi_rsdp))
		acpi_sleep_init();
	/* From here kernel code runs under the kernel lock (kernel/kernel_lock.h); the other CPUs
	 * wait for it in their idle loops, answering IPIs. */
	kernel_lock();
	smp_init(); /* the local APIC, and the other CPUs (they idle until there is work) */

	/* debug_vm (always on for self-tests): check each address space after every change. */
	const char *tests = cmdline_get("test");
	debug_vm = cmdline_get("debug_vm") || tests;
	tlb_init(); /* debug_tlb: check every shootdown reached every CPU (docs/tlb.md) */
	/* ignore_rlimit_data (Linux's boot option): RLIMIT_DATA only warns. */
	const char *ird = cmdline_get("ignore_rlimit_data");
	ignore_rlimit_data = ird && *ird != '0' && *ird != 'n' && *ird != 'N';
	/* stack_guard_gap=PAGES, as in Linux: the free space kept below a VM_GROWSDOWN VMA. */
	u64 guard_pages;
	if (cmdline_get_u64("stack_guard_gap", &guard_pages) && guard_pages < (1UL << 35))
		stack_guard_gap = guard_pages << PAGE_SHIFT;
	if (tests) {
		u64 seed = 1;
		cmdline_get_u64("seed", &seed);
		int failures = selftest_run(tests, seed);
		qemu_exit(failures ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	}

	start_userspace();
}

/* Files, the scheduler and the first program; then this context becomes the idle task. */
static void __noreturn start_userspace(void)
{
	const struct boot_module *initrd = boot_info.nr_modules ? &boot_info.modules[0] : NULL;

	time_init(); /* before the first file gets a timestamp */
	fork_init(); /* max_threads, before init's limits are set from it */
	trace_init();
	int err = fs_init(initrd ? phys_to_virt(initrd->start) : NULL,
			  initrd ? initrd->end - initrd->start : 0);

	if (err)
		panic("fs_init: initramfs unpacking failed (%d)", err);
	user_console_init();
	serial_tty_init(); /* COM1 input: ttyS0 */
	syscall_init();
	if (initrd || cmdline_get("init")) {
		start_init();
	} else {
		pr_info("boot complete: no initramfs, no init program; idling (QEMU: Ctrl-A X)\n");
	}
	kernel_unlock(); /* the idle loop takes it when there is work */
	cpu_idle();
}
