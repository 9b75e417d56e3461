// SPDX-License-Identifier: MIT
/*
 * The system call table and dispatcher (Linux x86-64 numbers and calling convention: number in
 * RAX, arguments in RDI, RSI, RDX, R10, R8, R9, result in RAX). An unimplemented call returns
 * -ENOSYS and is logged once per number, by name.
 */
#include "kernel/syscall_nr.h"
#include "kernel/errno.h"
#include "kernel/cred.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/futex.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "arch/x86_64/signal.h"
#include "kernel/sys.h"
#include "kernel/ntp.h"
#include "kernel/cputime.h"
#include "kernel/itimer.h"
#include "kernel/posix_timers.h"
#include "kernel/pgrp.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/ldt.h"
#include "arch/x86_64/traps.h"
#include "fs/syscalls.h"
#include "mm/mm.h"
#include "mm/madvise.h"
#include "mm/memfd.h"
#include "mm/mlock.h"
#include "mm/pkeys.h"
#include "mm/userfaultfd.h"
#include "ipc/shm.h"
#include "net/socket.h"
#include "kernel/ptrace.h"
#include "kernel/reboot.h"

typedef long (*syscall_fn)(u64, u64, u64, u64, u64, u64);

/* Entries take the registers as u64; each sys_* reads them with its own C types, as Linux does. */
#define SYSCALL(nr, fn) [__NR_##nr] = (syscall_fn)(void (*)(void))(fn)

static const syscall_fn syscall_table[NR_SYSCALLS] = {
	SYSCALL(read, sys_read),
	SYSCALL(write, sys_write),
	SYSCALL(open, sys_open),
	SYSCALL(close, sys_close),
	SYSCALL(stat, sys_stat),
	SYSCALL(fstat, sys_fstat),
	SYSCALL(lstat, sys_lstat),
	SYSCALL(lseek, sys_lseek),
	SYSCALL(mmap, sys_mmap),
	SYSCALL(mprotect, sys_mprotect),
	SYSCALL(munmap, sys_munmap),
	SYSCALL(mremap, sys_mremap),
	SYSCALL(brk, sys_brk),
	SYSCALL(rt_sigaction, sys_rt_sigaction),
	SYSCALL(rt_sigprocmask, sys_rt_sigprocmask),
	SYSCALL(rt_sigreturn, sys_rt_sigreturn),
	SYSCALL(rt_sigpending, sys_rt_sigpending),
	SYSCALL(rt_sigsuspend, sys_rt_sigsuspend),
	SYSCALL(rt_sigtimedwait, sys_rt_sigtimedwait),
	SYSCALL(rt_sigqueueinfo, sys_rt_sigqueueinfo),
	SYSCALL(rt_tgsigqueueinfo, sys_rt_tgsigqueueinfo),
	SYSCALL(sigaltstack, sys_sigaltstack),
	SYSCALL(ioctl, sys_ioctl),
	SYSCALL(pread64, sys_pread64),
	SYSCALL(pwrite64, sys_pwrite64),
	SYSCALL(readv, sys_readv),
	SYSCALL(writev, sys_writev),
	SYSCALL(access, sys_access),
	SYSCALL(pipe, sys_pipe),
	SYSCALL(socket, sys_socket),
	SYSCALL(socketpair, sys_socketpair),
	SYSCALL(bind, sys_bind),
	SYSCALL(connect, sys_connect),
	SYSCALL(listen, sys_listen),
	SYSCALL(accept, sys_accept),
	SYSCALL(accept4, sys_accept4),
	SYSCALL(getsockname, sys_getsockname),
	SYSCALL(getpeername, sys_getpeername),
	SYSCALL(sendto, sys_sendto),
	SYSCALL(recvfrom, sys_recvfrom),
	SYSCALL(sendmsg, sys_sendmsg),
	SYSCALL(recvmsg, sys_recvmsg),
	SYSCALL(shutdown, sys_shutdown),
	SYSCALL(setsockopt, sys_setsockopt),
	SYSCALL(getsockopt, sys_getsockopt),
	SYSCALL(sched_yield, sys_sched_yield),
	SYSCALL(sched_setaffinity, sys_sched_setaffinity),
	SYSCALL(sched_getaffinity, sys_sched_getaffinity),
	SYSCALL(getcpu, sys_getcpu),
	SYSCALL(msync, sys_msync),
	SYSCALL(mincore, sys_mincore),
	SYSCALL(madvise, sys_madvise),
	SYSCALL(remap_file_pages, sys_remap_file_pages),
	SYSCALL(shmget, sys_shmget),
	SYSCALL(shmat, sys_shmat),
	SYSCALL(shmctl, sys_shmctl),
	SYSCALL(shmdt, sys_shmdt),
	SYSCALL(mlock, sys_mlock),
	SYSCALL(munlock, sys_munlock),
	SYSCALL(mlockall, sys_mlockall),
	SYSCALL(munlockall, sys_munlockall),
	SYSCALL(mlock2, sys_mlock2),
	SYSCALL(dup, sys_dup),
	SYSCALL(dup2, sys_dup2),
	SYSCALL(pause, sys_pause),
	SYSCALL(nanosleep, sys_nanosleep),
	SYSCALL(getpid, sys_getpid),
	SYSCALL(fork, sys_fork),
	SYSCALL(vfork, sys_vfork),
	SYSCALL(clone, sys_clone),
	SYSCALL(clone3, sys_clone3),
	SYSCALL(unshare, sys_unshare),
	SYSCALL(setns, sys_setns),
	SYSCALL(execve, sys_execve),
	SYSCALL(execveat, sys_execveat),
	SYSCALL(exit, sys_exit),
	SYSCALL(wait4, sys_wait4),
	SYSCALL(waitid, sys_waitid),
	SYSCALL(kill, sys_kill),
	SYSCALL(uname, sys_uname),
	SYSCALL(sysinfo, sys_sysinfo),
	SYSCALL(memfd_create, sys_memfd_create),
	SYSCALL(fcntl, sys_fcntl),
	SYSCALL(fsync, sys_fsync),
	SYSCALL(fdatasync, sys_fdatasync),
	SYSCALL(truncate, sys_truncate),
	SYSCALL(ftruncate, sys_ftruncate),
	SYSCALL(getcwd, sys_getcwd),
	SYSCALL(chdir, sys_chdir),
	SYSCALL(fchdir, sys_fchdir),
	SYSCALL(rename, sys_rename),
	SYSCALL(mkdir, sys_mkdir),
	SYSCALL(rmdir, sys_rmdir),
	SYSCALL(creat, sys_creat),
	SYSCALL(unlink, sys_unlink),
	SYSCALL(symlink, sys_symlink),
	SYSCALL(readlink, sys_readlink),
	SYSCALL(umask, sys_umask),
	SYSCALL(gettimeofday, sys_gettimeofday),
	SYSCALL(getrlimit, sys_getrlimit),
	SYSCALL(getuid, sys_getuid),
	SYSCALL(getgid, sys_getgid),
	SYSCALL(setuid, sys_setuid),
	SYSCALL(setgid, sys_setgid),
	SYSCALL(geteuid, sys_geteuid),
	SYSCALL(getegid, sys_getegid),
	SYSCALL(setreuid, sys_setreuid),
	SYSCALL(setregid, sys_setregid),
	SYSCALL(setresuid, sys_setresuid),
	SYSCALL(setresgid, sys_setresgid),
	SYSCALL(setfsuid, sys_setfsuid),
	SYSCALL(setfsgid, sys_setfsgid),
	SYSCALL(setpgid, sys_setpgid),
	SYSCALL(getppid, sys_getppid),
	SYSCALL(getpgrp, sys_getpgrp),
	SYSCALL(setsid, sys_setsid),
	SYSCALL(getgroups, sys_getgroups),
	SYSCALL(setgroups, sys_setgroups),
	SYSCALL(getresuid, sys_getresuid),
	SYSCALL(getresgid, sys_getresgid),
	SYSCALL(getpgid, sys_getpgid),
	SYSCALL(getsid, sys_getsid),
	SYSCALL(personality, sys_personality),
	SYSCALL(setrlimit, sys_setrlimit),
	SYSCALL(prctl, sys_prctl),
	SYSCALL(capget, sys_capget),
	SYSCALL(capset, sys_capset),
	SYSCALL(arch_prctl, sys_arch_prctl),
	SYSCALL(gettid, sys_gettid),
	SYSCALL(time, sys_time),
	SYSCALL(getdents64, sys_getdents64),
	SYSCALL(set_tid_address, sys_set_tid_address),
	SYSCALL(clock_gettime, sys_clock_gettime),
	SYSCALL(alarm, sys_alarm),
	SYSCALL(getitimer, sys_getitimer),
	SYSCALL(setitimer, sys_setitimer),
	SYSCALL(times, sys_times),
	SYSCALL(getrusage, sys_getrusage),
	SYSCALL(timer_create, sys_timer_create),
	SYSCALL(statfs, sys_statfs),
	SYSCALL(mount, sys_mount),
	SYSCALL(umount2, sys_umount2),
	SYSCALL(fallocate, sys_fallocate),
	SYSCALL(fstatfs, sys_fstatfs),
	SYSCALL(settimeofday, sys_settimeofday),
	SYSCALL(clock_settime, sys_clock_settime),
	SYSCALL(adjtimex, sys_adjtimex),
	SYSCALL(clock_adjtime, sys_clock_adjtime),
	SYSCALL(timerfd_create, sys_timerfd_create),
	SYSCALL(userfaultfd, sys_userfaultfd),
	SYSCALL(timerfd_settime, sys_timerfd_settime),
	SYSCALL(timerfd_gettime, sys_timerfd_gettime),
	SYSCALL(signalfd, sys_signalfd),
	SYSCALL(signalfd4, sys_signalfd4),
	SYSCALL(timer_settime, sys_timer_settime),
	SYSCALL(timer_gettime, sys_timer_gettime),
	SYSCALL(timer_getoverrun, sys_timer_getoverrun),
	SYSCALL(timer_delete, sys_timer_delete),
	SYSCALL(clock_getres, sys_clock_getres),
	SYSCALL(clock_nanosleep, sys_clock_nanosleep),
	SYSCALL(restart_syscall, sys_restart_syscall),
	SYSCALL(futex, sys_futex),
	SYSCALL(set_robust_list, sys_set_robust_list),
	SYSCALL(get_robust_list, sys_get_robust_list),
	SYSCALL(futex_waitv, sys_futex_waitv),
	SYSCALL(exit_group, sys_exit_group),
	SYSCALL(tgkill, sys_tgkill),
	SYSCALL(tkill, sys_tkill),
	SYSCALL(openat, sys_openat),
	SYSCALL(mkdirat, sys_mkdirat),
	SYSCALL(newfstatat, sys_newfstatat),
	SYSCALL(getxattr, sys_getxattr),
	SYSCALL(lgetxattr, sys_lgetxattr),
	SYSCALL(fgetxattr, sys_fgetxattr),
	SYSCALL(listxattr, sys_listxattr),
	SYSCALL(llistxattr, sys_llistxattr),
	SYSCALL(flistxattr, sys_flistxattr),
	SYSCALL(unlinkat, sys_unlinkat),
	SYSCALL(renameat, sys_renameat),
	SYSCALL(readlinkat, sys_readlinkat),
	SYSCALL(faccessat, sys_faccessat),
	SYSCALL(dup3, sys_dup3),
	SYSCALL(pipe2, sys_pipe2),
	SYSCALL(prlimit64, sys_prlimit64),
	SYSCALL(sethostname, sys_sethostname),
	SYSCALL(setpriority, sys_setpriority),
	SYSCALL(getpriority, sys_getpriority),
	SYSCALL(setdomainname, sys_setdomainname),
	SYSCALL(getrandom, sys_getrandom),
	SYSCALL(pkey_mprotect, sys_pkey_mprotect),
	SYSCALL(pkey_alloc, sys_pkey_alloc),
	SYSCALL(ptrace, sys_ptrace),
	SYSCALL(modify_ldt, sys_modify_ldt),
	SYSCALL(pkey_free, sys_pkey_free),
	SYSCALL(symlinkat, sys_symlinkat),
	SYSCALL(renameat2, sys_renameat2),
	SYSCALL(faccessat2, sys_faccessat2),
	SYSCALL(poll, sys_poll),
	SYSCALL(ppoll, sys_ppoll),
	SYSCALL(select, sys_select),
	SYSCALL(pselect6, sys_pselect6),
	SYSCALL(epoll_create, sys_epoll_create),
	SYSCALL(epoll_create1, sys_epoll_create1),
	SYSCALL(epoll_ctl, sys_epoll_ctl),
	SYSCALL(epoll_wait, sys_epoll_wait),
	SYSCALL(epoll_pwait, sys_epoll_pwait),
	SYSCALL(epoll_pwait2, sys_epoll_pwait2),
	SYSCALL(reboot, sys_reboot),
	SYSCALL(chmod, sys_chmod),
	SYSCALL(fchmod, sys_fchmod),
	SYSCALL(fchmodat, sys_fchmodat),
	SYSCALL(chown, sys_chown),
	SYSCALL(fchown, sys_fchown),
	SYSCALL(lchown, sys_lchown),
	SYSCALL(fchownat, sys_fchownat),
	SYSCALL(utimensat, sys_utimensat),
	SYSCALL(utimes, sys_utimes),
	SYSCALL(utime, sys_utime),
	SYSCALL(link, sys_link),
	SYSCALL(linkat, sys_linkat),
	SYSCALL(mknod, sys_mknod),
	SYSCALL(mknodat, sys_mknodat),
};

#define NAME_ENTRY(nr, name) [nr] = #name,
static const char *const syscall_names[NR_SYSCALLS] = { SYSCALL_NAMES(NAME_ENTRY) };

static u64 logged_unknown[NR_SYSCALLS / 64];

/* Logs an unimplemented syscall the first time its number is seen. */
static void log_unknown(u64 nr)
{
	if (nr < NR_SYSCALLS) {
		if (logged_unknown[nr / 64] & (1ULL << (nr % 64)))
			return;
		logged_unknown[nr / 64] |= 1ULL << (nr % 64);
	}
	const char *name = nr < NR_SYSCALLS && syscall_names[nr] ? syscall_names[nr] : "unknown";
	pr_warn("syscall %llu (%s) not implemented: -ENOSYS (pid %d, %s)\n", (unsigned long long)nr,
		name, current->pid, current->comm);
}

/*
 * Called by entry_syscall with the user registers; the result goes back in RAX. As Linux 6.1's
 * do_syscall_64: orig_rax keeps all 64 bits of RAX, but the call is chosen by its low 32 bits
 * read as an int (0x100000000 + 39 is getpid; a negative int is no call). RAX holds -ENOSYS
 * until a call replaces it, and -1 is not even logged (a tracer's "skip this call").
 */
void do_syscall(struct pt_regs *regs);
void do_syscall(struct pt_regs *regs)
{
	int nr = (int)regs->error_code; /* the low half of orig_rax */
	unsigned int unr = (unsigned int)nr;
	long ret;

	local_irq_enable();
	regs->rax = (u64)-ENOSYS;
	if (unr < NR_SYSCALLS && syscall_table[unr]) {
		ret = syscall_table[unr](regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8,
					 regs->r9);
		if ((unr != __NR_execve && unr != __NR_execveat) || ret != 0)
			regs->rax = (u64)ret;
		/* userfaultfd events the call caused, with its locks let go (mm/userfaultfd.h) */
		if (unlikely(current->uffd_events))
			userfaultfd_events_complete();
	} else if (nr != -1) {
		log_unknown(regs->error_code);
	}
	exit_to_user_mode(regs);
}
