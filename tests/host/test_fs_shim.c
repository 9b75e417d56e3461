// SPDX-License-Identifier: MIT
/*
 * What fs/ needs from the rest of the kernel, on the host: `current` (kernel/sched.h reads it
 * through %gs, so %gs points at a fake per-CPU area), user-memory access (host pointers, with a
 * range that faults), the console, wait queues (the tests never need to sleep: schedule() is a
 * test failure), time and SIGPIPE.
 */
#include <asm/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tests/host/test_fs.h"
#include "kernel/console.h"
#include "kernel/panic.h"
#include "arch/x86_64/percpu.h"
#include "arch/x86_64/time.h"
#include "mm/memblock.h"
#include "mm/slab.h"
#include "mm/meminfo_count.h"

#define FS_RAM_SIZE HOST_RAM_MAX

struct task_struct host_task;
static struct signal_struct host_signal = { .count = 1, .live = 1 };
static struct percpu host_percpu;

char host_console[3][4096];
size_t host_console_len[3];
int host_sigpipe_count;

static uintptr_t fault_start, fault_end;

/* Gives host_task Linux's default limits where the tests need them: no address-space limits. */
static void host_task_limits(void)
{
	host_task.signal = &host_signal;
	host_task.group_leader = &host_task;
	for (int i = 0; i < RLIM_NLIMITS; i++)
		host_signal.rlim[i] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
	host_signal.rlim[RLIMIT_NOFILE] = (struct rlimit64){ 1024, 4096 };
}

/* The credential checks fs/ makes (capable() is mm_shim.c's): host_task's gids only, and
 * access() asks with the ids the task has (root). */
void access_override_creds(void)
{
}

void access_revert_creds(const struct cred *saved)
{
	(void)saved;
}

bool in_group_p(u32 gid)
{
	return gid == current->cred.fsgid;
}

bool in_egroup_p(u32 gid)
{
	return gid == current->cred.egid;
}

/* Points %gs at the fake per-CPU area whose current_task is host_task. */
__attribute__((constructor)) static void host_set_current(void)
{
	host_task_limits();
	host_percpu.self = &host_percpu;
	host_percpu.current_task = &host_task;
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, &host_percpu) != 0) {
		perror("arch_prctl(ARCH_SET_GS)");
		abort();
	}
}

void host_user_fault_range(const void *start, size_t len)
{
	fault_start = (uintptr_t)start;
	fault_end = fault_start + len;
}

/* True if the host has the page of address a mapped (tests pass addresses that are not). */
static bool host_page_mapped(uintptr_t a)
{
	unsigned char vec;

	return mincore((void *)(a & ~(uintptr_t)(PAGE_SIZE - 1)), PAGE_SIZE, &vec) == 0;
}

/* True if a user access to the byte at p would succeed. */
static bool user_byte_ok(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a < 4096 || a >= USER_TOP || (a >= fault_start && a < fault_end))
		return false;
	static uintptr_t last_mapped = 1;
	uintptr_t page = a & ~(uintptr_t)(PAGE_SIZE - 1);
	if (page == last_mapped)
		return true;
	if (!host_page_mapped(a))
		return false;
	last_mapped = page;
	return true;
}

size_t copy_from_user(void *dst, const void __user *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && user_byte_ok((const char *)src + i); i++)
		((char *)dst)[i] = ((const char *)src)[i];
	return n - i;
}

size_t copy_to_user(void __user *dst, const void *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && user_byte_ok((char *)dst + i); i++)
		((char *)dst)[i] = ((const char *)src)[i];
	return n - i;
}

size_t clear_user(void __user *dst, size_t n)
{
	size_t i;

	for (i = 0; i < n && user_byte_ok((char *)dst + i); i++)
		((char *)dst)[i] = 0;
	return n - i;
}

long strncpy_from_user(char *dst, const char __user *src, long n)
{
	for (long i = 0; i < n; i++) {
		if (!user_byte_ok(src + i))
			return -EFAULT;
		dst[i] = src[i];
		if (!dst[i])
			return i;
	}
	return n;
}

int get_user_u32(u32 *val, const u32 __user *p)
{
	return copy_from_user(val, p, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u32(u32 val, u32 __user *p)
{
	return copy_to_user(p, &val, sizeof(val)) ? -EFAULT : 0;
}

int get_user_u64(u64 *val, const u64 __user *p)
{
	return copy_from_user(val, p, sizeof(*val)) ? -EFAULT : 0;
}

int put_user_u64(u64 val, u64 __user *p)
{
	return copy_to_user(p, &val, sizeof(val)) ? -EFAULT : 0;
}

void user_console_write(int stream, const char *buf, size_t len)
{
	size_t room = sizeof(host_console[0]) - host_console_len[stream];

	if (len > room)
		len = room;
	memcpy(host_console[stream] + host_console_len[stream], buf, len);
	host_console_len[stream] += len;
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	(void)wq;
	entry->task = current;
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	(void)wq;
	(void)entry;
}

void wake_up(struct wait_queue_head *wq)
{
	(void)wq;
}

/* poll tables (fs/select.c): nothing sleeps on the host, so the queues stay empty. */
void add_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	(void)wq;
	entry->task = current;
}

void remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	(void)wq;
	(void)entry;
}

/* epoll (fs/eventpoll.c): no file of the host tests is ever woken. */
void add_wait_queue_func(struct wait_queue_head *wq, struct wait_queue_entry *entry,
			 wait_queue_func_t func, unsigned int flags)
{
	(void)wq;
	entry->task = current;
	entry->func = func;
	entry->flags = flags;
}

void wake_up_poll(struct wait_queue_head *wq, unsigned int key)
{
	(void)wq;
	(void)key;
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *entry)
{
	prepare_to_wait(wq, entry);
}

/* ppoll/pselect6's sigmask: the host has no signals to block. */
void set_current_blocked(u64 mask)
{
	current->blocked = mask;
}

bool signal_pending_current(void)
{
	return false;
}

/* A test that would block forever on the host. */
void schedule(void)
{
	panic("schedule() called: the operation would sleep");
}

/* cond_resched's other half (kernel/kernel_lock.c): the host has no kernel lock to let go. */
void kernel_lock_yield(void)
{
}

u64 ktime_get_ns(void)
{
	static u64 now;

	return now += 1000;
}

u64 boot_wall_seconds(void)
{
	return 1700000000;
}

void send_sig_pipe(void)
{
	host_sigpipe_count++;
}

void send_sig_xfsz(void)
{
}

/* The host has no address spaces or tasks to count. */
void meminfo_count(struct meminfo_counts *c)
{
	*c = (struct meminfo_counts){ 0 };
}

void arch_report_meminfo(struct seq_buf *m)
{
	seq_printf(m, "DirectMap4k:    %8lu kB\n", 0UL);
}

/* fput's hook for the AF_UNIX collector (net/ is not in the host build: no sockets). */
void unix_gc_run_deferred(void)
{
}

u32 unix_tot_inflight;

void unix_gc_file_put(struct file *f)
{
	(void)f;
}

u64 host_free_frames(void)
{
	return nr_free_frames();
}

int fs_test_boot(const void *initrd, size_t len)
{
	host_ram_init(FS_RAM_SIZE);
	memblock_reset();
	memblock_add(0, FS_RAM_SIZE);
	memblock_reserve(0, 0x200000);
	frame_init();
	kmem_init();
	host_user_fault_range(NULL, 0);
	memset(host_console_len, 0, sizeof(host_console_len));
	host_sigpipe_count = 0;

	memset(&host_task, 0, sizeof(host_task));
	host_task.pid = host_task.tgid = 42;
	strcpy(host_task.exe_path, "/prog");
	host_task_limits();
	int err = fs_init((void *)initrd, len);
	host_task.files = files_alloc_console();
	host_task.fs = fs_alloc_root();
	if (!host_task.files || !host_task.fs)
		panic("fs_test_boot: out of memory");
	return err;
}
