// SPDX-License-Identifier: MIT
/*
 * The files of /proc that describe the whole system (Linux's fs/proc/uptime.c, loadavg.c,
 * stat.c, version.c, filesystems; mounts are fs/proc_namespace.c's), in
 * Linux 6.1's formats with what Warden knows: time since boot, tasks and pids, its uname. Warden
 * keeps no CPU-time accounting and no load average, so those read as on an idle Linux that has just
 * booted: load 0.00, every tick counted idle (so top shows an idle CPU rather than dividing by
 * zero). sysinfo(2) (kernel/sysinfo.c) gives the same numbers to free(1) and uptime(1).
 */
#include "kernel/time_namespace.h"
#include "kernel/cpumask.h"
#include "arch/x86_64/cpufeature.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/time.h"
#include "fs/proc.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/frame.h"

#define USER_HZ 100
#define NSEC_PER_SEC 1000000000ULL

/* Tasks that can run now (Linux's nr_running). */
static unsigned int nr_running(void)
{
	unsigned int n = 0;

	for (struct task_struct *t = first_task(); t; t = t->run_next)
		if (t->pid && t->state == TASK_RUNNING)
			n++;
	return n;
}

/* /proc/uptime: seconds since boot and idle seconds, two decimals each. */
static int uptime_show(struct seq_buf *m)
{
	u64 ns = ktime_get_ns(), idle = ns / (NSEC_PER_SEC / 100);
	/* The uptime in the reader's time namespace (Linux's timens_add_boottime); not the idle */
	u64 cs = timens_add_boottime_ns(ns) / (NSEC_PER_SEC / 100);

	seq_printf(m, "%llu.%02llu %llu.%02llu\n", (unsigned long long)(cs / 100),
		   (unsigned long long)(cs % 100), (unsigned long long)(idle / 100),
		   (unsigned long long)(idle % 100));
	return 0;
}

/* /proc/loadavg: three load averages, running/total tasks, the last pid handed out. */
static int loadavg_show(struct seq_buf *m)
{
	seq_printf(m, "0.00 0.00 0.00 %u/%d %d\n", nr_running(), nr_threads, last_pid());
	return 0;
}

/* /proc/stat: CPU ticks (all idle), counters, boot time, processes forked, running. */
static int stat_show(struct seq_buf *m)
{
	u64 ns = ktime_get_ns(), ticks = ns / (NSEC_PER_SEC / USER_HZ);
	/* btime is shifted back by the reader's boot-time offset (Linux's timens_sub_boottime) */
	u64 now = current_time_ns() / NSEC_PER_SEC, up = timens_add_boottime_ns(ns) / NSEC_PER_SEC;

	/* One line for all CPUs, then one per online CPU (all idle, as Warden counts no more). */
	seq_printf(m, "cpu  0 0 0 %llu 0 0 0 0 0 0\n", (unsigned long long)(ticks * nr_cpu_ids));
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		seq_printf(m, "cpu%u 0 0 0 %llu 0 0 0 0 0 0\n", cpu, (unsigned long long)ticks);
	seq_printf(m, "intr 0\nctxt 0\nbtime %llu\n",
		   (unsigned long long)(now > up ? now - up : 0));
	seq_printf(m, "processes %lu\nprocs_running %u\nprocs_blocked 0\n", nr_forks(),
		   nr_running());
	seq_printf(m, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
	return 0;
}

/* /proc/version: uname's release and version in Linux's sentence. */
static int version_show(struct seq_buf *m)
{
	seq_printf(m, "Linux version 6.1.0-warden (warden@warden) (musl-gcc) #1 Warden\n");
	return 0;
}

/* /proc/filesystems: the file system types Warden has, none backed by a device. */
static int filesystems_show(struct seq_buf *m)
{
	seq_printf(m, "nodev\ttmpfs\nnodev\tramfs\nnodev\tproc\nnodev\tpipefs\n");
	return 0;
}

/*
 * /proc/cpuinfo: one block per online CPU, in Linux's x86 layout (show_cpuinfo), with the boot
 * CPU's identification (every CPU is the same model under QEMU) and each CPU's number and APIC id.
 */
static int cpuinfo_show(struct seq_buf *m)
{
	const struct cpuinfo *c = &boot_cpu_data;
	u64 khz = tsc_khz_value();

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		seq_printf(m, "processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n",
			   cpu, c->vendor, c->family, c->model);
		seq_printf(m, "model name\t: %s\nstepping\t: %u\n", c->model_name, c->stepping);
		seq_printf(m, "cpu MHz\t\t: %llu.%03llu\n", (unsigned long long)(khz / 1000),
			   (unsigned long long)(khz % 1000));
		seq_printf(m,
			   "physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\n",
			   nr_cpu_ids, cpu, nr_cpu_ids);
		seq_printf(m, "apicid\t\t: %u\ninitial apicid\t: %u\n", percpu_data[cpu].apic_id,
			   percpu_data[cpu].apic_id);
		seq_printf(m, "fpu\t\t: yes\nfpu_exception\t: yes\nwp\t\t: yes\nflags\t\t:");
		for (int f = 0; f < X86_NR_FEATURES; f++)
			if (cpu_has(f))
				seq_printf(m, " %s", cpu_feature_name(f));
		seq_printf(m, "\naddress sizes\t: %u bits physical, %u bits virtual\n",
			   c->phys_bits, c->virt_bits);
		seq_printf(m, "power management:\n\n");
	}
	return 0;
}

int proc_misc_init(void)
{
	int err = proc_create_file(PROC_ROOT, "uptime", 0444, uptime_show);

	if (!err)
		err = proc_create_file(PROC_ROOT, "loadavg", 0444, loadavg_show);
	if (!err)
		err = proc_create_file(PROC_ROOT, "stat", 0444, stat_show);
	if (!err)
		err = proc_create_file(PROC_ROOT, "cpuinfo", 0444, cpuinfo_show);
	if (!err)
		err = proc_create_file(PROC_ROOT, "version", 0444, version_show);
	if (!err)
		err = proc_create_file(PROC_ROOT, "filesystems", 0444, filesystems_show);
	return err;
}
