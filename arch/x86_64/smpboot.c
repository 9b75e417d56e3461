// SPDX-License-Identifier: MIT
/*
 * Bringing up the secondary CPUs (APs). The MADT (ACPI's "APIC" table) lists every CPU's local
 * APIC; the boot CPU (BSP) becomes CPU 0 and each enabled AP the next number, in table order.
 * Each AP is started with INIT-SIPI-SIPI through the real-mode trampoline (trampoline.asm),
 * copied to TRAMPOLINE_PHYS, a page of the first MiB that memblock never hands out. APs come up
 * one at a time: the BSP fills in the AP's number and stack, sends the IPIs and waits until the
 * AP reports itself online (or gives up after a second). An AP then sets itself up as the BSP
 * did (GDT, TSS, IDT, CR0/CR4, XCR0, SYSCALL MSRs, local APIC) and enters its idle loop.
 */
#include "arch/x86_64/mpparse.h"
#include "arch/x86_64/smp.h"
#include "arch/x86_64/apic.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/gdt.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/time.h"
#include "arch/x86_64/traps.h"
#include "drivers/acpi/tables.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/memory.h"

#define TRAMPOLINE_PHYS 0x8000

/* The MADT (ACPI 6.4 section 5.2.12): a header, the local APIC address, flags, then entries. */
struct acpi_table_madt {
	struct acpi_table_header header;
	u32 address;
	u32 flags;
} __packed;

struct acpi_subtable_header {
	u8 type;
	u8 length;
} __packed;

#define ACPI_MADT_TYPE_LOCAL_APIC 0
#define ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE 5
#define ACPI_MADT_ENABLED 1

struct acpi_madt_local_apic {
	struct acpi_subtable_header header;
	u8 processor_id;
	u8 id;
	u32 lapic_flags;
} __packed;

struct acpi_madt_local_apic_override {
	struct acpi_subtable_header header;
	u16 reserved;
	u64 address;
} __packed;

cpumask_t cpu_online_mask = { 1 };
unsigned int nr_cpu_ids = 1;

/*
 * Every enabled processor the MADT (or, without one, the MP table) lists (xAPIC ids are 8 bits:
 * at most 256), the boot CPU among them wherever the table puts it; smp_init starts at most
 * NR_CPUS - 1 of the others.
 */
#define LISTED_MAX_CPUS 256
static u32 listed_apic_ids[LISTED_MAX_CPUS];
static unsigned int listed_nr_cpus;

extern const u8 trampoline_start[], trampoline_end[], trampoline_cr3[], trampoline_efer[];
extern u64 ap_boot_cr3, ap_boot_stack;
extern u8 boot_pml4[];

/* Which CPU the AP being started will be (read by ap_start_kernel). */
static volatile unsigned int ap_booting_cpu;

/*
 * The start-up handshake: the BSP sets AP_BOOT_WAITING before the SIPI; the AP claims its slot
 * by changing it to AP_BOOT_CLAIMED, or, if the BSP gave up first (AP_BOOT_ABANDONED), halts for
 * good instead of coming online late as a CPU nobody counts.
 */
enum { AP_BOOT_WAITING = 1, AP_BOOT_CLAIMED, AP_BOOT_ABANDONED };
static u32 ap_boot_state;

/*
 * Reads the MADT: the local APIC's address and each enabled processor's APIC id. Returns the
 * APIC's physical address, 0 without MADT.
 */
static u64 madt_parse(void)
{
	const struct acpi_table_madt *madt = (const void *)acpi_get_table(ACPI_SIG_MADT, 0);

	if (!madt || madt->header.length < sizeof(*madt))
		return 0;
	u64 apic_phys = madt->address;
	const u8 *p = (const u8 *)(madt + 1), *end = (const u8 *)madt + madt->header.length;
	unsigned int ignored = 0;

	while (p + sizeof(struct acpi_subtable_header) <= end) {
		const struct acpi_subtable_header *h = (const void *)p;
		if (h->length < sizeof(*h) || p + h->length > end)
			break;
		if (h->type == ACPI_MADT_TYPE_LOCAL_APIC &&
		    h->length >= sizeof(struct acpi_madt_local_apic)) {
			const struct acpi_madt_local_apic *la = (const void *)p;
			if (la->lapic_flags & ACPI_MADT_ENABLED) {
				if (listed_nr_cpus < LISTED_MAX_CPUS)
					listed_apic_ids[listed_nr_cpus++] = la->id;
				else
					ignored++;
			}
		} else if (h->type == ACPI_MADT_TYPE_LOCAL_APIC_OVERRIDE &&
			   h->length >= sizeof(struct acpi_madt_local_apic_override)) {
			apic_phys = ((const struct acpi_madt_local_apic_override *)p)->address;
		}
		p += h->length;
	}
	if (ignored)
		pr_warn("smp: %u more MADT CPUs than %d ignored\n", ignored, LISTED_MAX_CPUS);
	return apic_phys;
}

/* Copies the trampoline below 1 MiB and fills in the boot page tables and EFER bits. */
static void trampoline_setup(void)
{
	u8 *dst = phys_to_virt(TRAMPOLINE_PHYS);
	u32 cr3 = (u32)((u64)boot_pml4 - KERNEL_VMA);
	u32 efer = (u32)(EFER_LME | (rdmsr(MSR_EFER) & EFER_NXE));

	memcpy(dst, trampoline_start, (size_t)(trampoline_end - trampoline_start));
	memcpy(dst + (trampoline_cr3 - trampoline_start), &cr3, 4);
	memcpy(dst + (trampoline_efer - trampoline_start), &efer, 4);
}

void ap_start_kernel(void) __noreturn;

/* An AP's first C code, on its idle task's stack and the kernel's page tables. */
void ap_start_kernel(void)
{
	unsigned int cpu = ap_booting_cpu;
	u32 waiting = AP_BOOT_WAITING;

	if (!__atomic_compare_exchange_n(&ap_boot_state, &waiting, AP_BOOT_CLAIMED, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		for (;;) /* too late: the BSP went on without this CPU */
			__asm__ __volatile__("cli; hlt");
	percpu_init(cpu);
	gdt_init(cpu);
	idt_load();
	cpu_enable_protections_ap();
	syscall_init();
	lapic_init_cpu(false);
	sched_init_ap(cpu);
	this_cpu()->apic_id = lapic_id();
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cpumask_set_cpu(cpu, &cpu_online_mask); /* the BSP waits for this */
	timer_init_ap();
	cpu_idle();
}

/* Starts one AP as CPU cpu; true once it is online. */
static bool smp_boot_one(unsigned int cpu, u32 apic_id)
{
	struct task_struct *idle = idle_task_create(cpu);

	if (!idle)
		return false;
	ap_booting_cpu = cpu;
	ap_boot_cr3 = virt_to_phys(kernel_pml4);
	ap_boot_stack = (u64)idle->stack + KSTACK_SIZE;
	__atomic_store_n(&ap_boot_state, AP_BOOT_WAITING, __ATOMIC_SEQ_CST);
	lapic_send_init_sipi(apic_id, TRAMPOLINE_PHYS >> PAGE_SHIFT);
	u64 t0 = ktime_get_ns();
	/* Ten seconds: QEMU's TCG may run the vCPUs of a loaded host very late. */
	while (!cpumask_test_cpu(cpu, &cpu_online_mask)) {
		u32 waiting = AP_BOOT_WAITING;

		/* Giving up works only if the AP has not claimed its slot; once it has, it comes.
		 */
		if (ktime_get_ns() - t0 > 10000000000ULL &&
		    __atomic_compare_exchange_n(&ap_boot_state, &waiting, AP_BOOT_ABANDONED, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return false; /* idle's stack stays allocated: the AP may still wake up */
		cpu_relax();
	}
	return true;
}

void smp_init(void)
{
	u64 apic_phys = madt_parse();
	const char *nosmp = cmdline_get("nosmp");

	if (!apic_phys) { /* no MADT, or acpi=off: the MP table, as Linux's find_smp_config */
		apic_phys = mp_find_cpus(listed_apic_ids, LISTED_MAX_CPUS, &listed_nr_cpus);
		if (apic_phys)
			pr_info("smp: no ACPI MADT: %u CPU(s) from the MP table\n", listed_nr_cpus);
	}
	if (!apic_phys)
		apic_phys =
			APIC_DEFAULT_PHYS_BASE; /* no MADT: the architectural address, one CPU */
	if (lapic_map(apic_phys)) {
		pr_warn("smp: cannot map the local APIC at %#llx: one CPU, PIT tick\n",
			(unsigned long long)apic_phys);
		return;
	}
	lapic_init_cpu(true);
	this_cpu()->apic_id = lapic_id();
	if (listed_nr_cpus <= 1 || nosmp)
		return;
	tsc_calibrate(); /* the start-up delays need the clock */
	trampoline_setup();

	char line[8 * NR_CPUS * 2 + 16];
	size_t n = 0;
	unsigned int cpu = 1;

	n += snprintf(line + n, sizeof(line) - n, " 0 (APIC %u)", this_cpu()->apic_id);
	for (unsigned int i = 0; i < listed_nr_cpus; i++) {
		u32 id = listed_apic_ids[i];
		if (id == this_cpu()->apic_id)
			continue;
		if (cpu >= NR_CPUS) {
			pr_warn("smp: %u CPUs listed, NR_CPUS is %d: the rest ignored\n",
				listed_nr_cpus, NR_CPUS);
			break;
		}
		if (!smp_boot_one(cpu, id)) {
			/* It halts if it starts later, on ap_boot_stack: start no other after it.
			 */
			pr_warn("smp: CPU with APIC id %u did not come up; no more CPUs started\n",
				id);
			break;
		}
		n += snprintf(line + n, sizeof(line) - n, " %u (APIC %u)", cpu, id);
		cpu++;
	}
	nr_cpu_ids = cpu;
	pr_info("smp: %u CPUs:%s\n", cpu, line);
}
