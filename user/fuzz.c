/* fuzz: a syscall fuzzer for Warden (issue 10, docs/testing.md).
 *
 *   fuzz [-v] [-p] [-r ROUND] [-k CALLS] [SEED [N]]
 *
 * Runs rounds until N system calls (default 2000) have been made. Round R forks a child that
 * seeds its generator from (SEED, R), builds an arena of memory of every kind (private, shared,
 * file, PROT_NONE, key-protected, holes) and makes CALLS (default 100) random calls to every
 * system call Warden implements, with adversarial arguments: pointers into mapped, unmapped,
 * PROT_NONE, key-protected, kernel-half and non-canonical memory, lengths 0, 1, page-1, huge and
 * wrapping, every prot/flag bit, random keys, garbage signal frames through rt_sigreturn, random
 * PKRU values, hostile registers given to a stopped tracee through ptrace, memory touches, forks
 * that keep fuzzing. Children may die by any signal.
 *
 * The parent (which is PID 1 under tools/run-program) checks after each round that every process
 * of the round is gone within seconds of SIGKILL (a hang otherwise), that it still works (a
 * mapping written and read back, its own data unchanged), and that MemFree in /proc/meminfo comes
 * back (no frame leak). A failure prints "FAIL" with the seed and round and the replay commands.
 *
 * Odd rounds run as uid and gid 1000 (docs/credentials.md): the round's child first forks a
 * root process holding a secret page, then drops every id and checks after each call that it
 * gained no privilege (its uids and gids stay 1000, no capability appears) and, every few calls,
 * that the root process stays out of reach: /proc/PID/mem, maps, pagemap and environ refuse to
 * open, PTRACE_ATTACH, kill and process_vm_readv fail, and its own pagemap shows no frame
 * number. A breach is reported through the shared page and fails the round.
 *
 * The calls of a round depend only on (SEED, R), never on what earlier calls returned, so
 * `fuzz -p -r R SEED` prints round R's calls and `fuzz -r R SEED` runs it alone; -v prints each
 * call (from every process) to stdout before it is made, for a replay up to a kernel panic.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

typedef uint64_t u64;

#define PAGE 4096UL
#define ARENA 0x100000000UL /* the fuzzed range of the address space */
#define ARENA_PAGES 64
#define SCRATCH 0x180000000UL /* argument contents, never fuzzed */
#define SCRATCH_PAGES 16
#define LOG_FD 100
#define SCRATCH_DIR "/tmp/fz"

/* What the processes of a round share with the parent. */
struct ctrl {
	volatile u64 calls; /* calls made by every process of every round */
	volatile u64 alive; /* bumped before every call: progress */
	volatile int breach; /* an unprivileged round gained a privilege: why[] says which */
	volatile u64 sock_msgs; /* socket messages sent and received (with files or not) */
	volatile u64 sock_err[136]; /* FUZZ_DIAG: sendmsg's errnos */
	char why[128];
};
static struct ctrl *ctrl;
static unsigned char canary[64 * 1024]; /* the parent's memory that nothing may change */

static int verbose, print_only;
static u64 seed = 1;
static int have_pku;
static int my_pid;

/* ------------------------------------------------------------------ random numbers */

static u64 rng;

/* splitmix64: a good, small generator with a 64-bit state. */
static u64 rnd(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in [0, n). */
static u64 below(u64 n)
{
	return n ? rnd() % n : 0;
}

/* True with probability 1/n. */
static int one_in(u64 n)
{
	return below(n) == 0;
}

/* ------------------------------------------------------------------ argument kinds */

static const char *const paths_any[] = {
	SCRATCH_DIR "/a", SCRATCH_DIR "/b", SCRATCH_DIR "/d", SCRATCH_DIR "/d/x", SCRATCH_DIR "/f0",
	SCRATCH_DIR "/l", SCRATCH_DIR, SCRATCH_DIR "/../fz/a", SCRATCH_DIR "/a/", SCRATCH_DIR "/e",
	"a", "b", "d", "d/x", "l", ".", "..", "", "/", "/tmp", "/proc", "/proc/self",
	"/proc/self/maps", "/proc/self/smaps", "/proc/self/pagemap", "/proc/self/exe",
	"/proc/self/ptwalk", "/proc/meminfo", "/proc/warden/trace", "/dev", "/dev/null", "/dev/zero",
	"/proc/self/mem", "/nonexistent/x", "/proc/self/exe/x", "//tmp//fz//a",
	"/dev/ttyS0", "/dev/console", "/dev/tty", "/proc/self/fd", "/proc/self/fd/12",
	"/proc/1/fd", "/proc/1/fdinfo/1", "/proc/self/fdinfo/3", /* not /proc/1/mem: the checker */
	"/proc/self/clear_refs", "/proc/self/smaps_rollup", "/proc/sys/vm/mmap_min_addr",
	"/proc/sysvipc/shm", "/proc/sys/kernel/shmmni", "/proc/sys/vm/overcommit_ratio",
};
static const char *const paths_scratch[] = {
	SCRATCH_DIR "/a", SCRATCH_DIR "/b", SCRATCH_DIR "/d", SCRATCH_DIR "/d/x", SCRATCH_DIR "/f0",
	SCRATCH_DIR "/l", SCRATCH_DIR "/e", SCRATCH_DIR "/d/y", SCRATCH_DIR "/a/x",
	SCRATCH_DIR "/nonexistent/x", "a", "b", "d", "l", "d/x",
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Interesting integers for counts, flags and numbers. */
static u64 any_int(void)
{
	static const u64 v[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 63, 64, 65, 127, 128, 255, 256, 1023,
				 1024, 4095, 4096, 4097, 0x7fffffff, 0x80000000, 0xffffffff,
				 0x100000000ULL, ~0ULL, ~0ULL - 1, 0x8000000000000000ULL,
				 0x7fffffffffffffffULL, -4096ULL, -4095ULL };
	switch (below(4)) {
	case 0:
		return v[below(NELEM(v))];
	case 1:
		return below(64);
	case 2:
		return 1ULL << below(64);
	default:
		return rnd();
	}
}

/* A length: 0, 1, page-1, huge, wrapping, random. */
static u64 any_len(void)
{
	static const u64 v[] = { 0, 1, 2, 8, 16, 64, PAGE - 1, PAGE, PAGE + 1, 2 * PAGE, 3 * PAGE - 1,
				 16 * PAGE, ARENA_PAGES * PAGE, 1ULL << 30, 1ULL << 40, 1ULL << 47,
				 ~0ULL, ~0ULL - PAGE + 2, -PAGE, 0x7fffffffffffffffULL,
				 0x7ffff000, 0x80000000ULL };
	if (one_in(3))
		return v[below(NELEM(v))];
	if (one_in(2))
		return below(8) * PAGE + (one_in(4) ? below(PAGE) : 0);
	return any_int();
}

/* An address the fuzzer may touch and map: mostly in the arena, sometimes anywhere. */
static u64 any_addr(void)
{
	switch (below(12)) {
	case 0:
		return 0;
	case 1:
		return ARENA + below(ARENA_PAGES) * PAGE + below(PAGE);
	case 2:
		return 0xffff800000000000ULL + below(1ULL << 30) * PAGE; /* the kernel half */
	case 3:
		return 0xffffffff80000000ULL + below(1 << 14) * PAGE; /* the kernel image */
	case 4:
		return 0x0000800000000000ULL - below(4) * PAGE; /* the end of user space */
	case 5:
		return 0x0000800000000000ULL + below(1ULL << 20) * PAGE; /* non-canonical */
	case 6:
		return below(16) * PAGE;
	case 7:
		return rnd() & ~(PAGE - 1);
	default:
		return ARENA + (below(ARENA_PAGES + 4) - 2) * PAGE;
	}
}

/* A pointer argument: unmapped, PROT_NONE, keyed, kernel, non-canonical or valid memory. */
static u64 any_ptr(void)
{
	switch (below(10)) {
	case 0:
		return SCRATCH + below(SCRATCH_PAGES * PAGE);
	case 1:
		return SCRATCH + (SCRATCH_PAGES - 1) * PAGE + PAGE - below(16); /* runs off the end */
	case 2:
		return ARENA + below(ARENA_PAGES) * PAGE + PAGE - below(16); /* crosses a page */
	case 3:
		return 0x0000800000000000ULL - below(64); /* crosses TASK_SIZE */
	default:
		return any_addr();
	}
}

/* A file descriptor: mostly open ones. */
static u64 any_fd(void)
{
	static const u64 v[] = { (u64)-1, 1023, 1024, 0x7fffffff, 0x80000000, 65536, LOG_FD + 1,
				 (u64)-100 /* AT_FDCWD */, 4096, 1048575 /* nr_open - 1 */,
				 1048576 /* nr_open */ };
	if (one_in(6))
		return v[below(NELEM(v))];
	return below(14);
}

/* A directory fd for the *at calls: AT_FDCWD, the scratch dir (fd 8), or any fd. */
static u64 any_dirfd(void)
{
	switch (below(3)) {
	case 0:
		return (u64)-100;
	case 1:
		return 8;
	default:
		return any_fd();
	}
}

static u64 any_prot(void)
{
	if (one_in(8))
		return any_int();
	return below(8) | (one_in(8) ? 0x01000000 : 0) | (one_in(8) ? 0x02000000 : 0) |
	       (one_in(16) ? 1ULL << below(32) : 0);
}

static u64 any_mmap_flags(void)
{
	u64 f = 1 + below(3); /* SHARED, PRIVATE, SHARED_VALIDATE */
	static const u64 bits[] = { 0x10 /* FIXED */, 0x20 /* ANON */, 0x100 /* GROWSDOWN */,
				    0x4000 /* NORESERVE */, 0x8000 /* POPULATE */,
				    0x100000 /* FIXED_NOREPLACE */, 0x2000 /* LOCKED */,
				    0x40000 /* HUGETLB */, 0x80000 /* SYNC */, 0x40 /* 32BIT */,
				    0x800 /* DENYWRITE */, 0x1000 /* EXECUTABLE */,
				    0x10000 /* NONBLOCK */, 0x20000 /* STACK */ };
	for (unsigned i = 0; i < NELEM(bits); i++)
		if (one_in(i < 2 ? 2 : 10))
			f |= bits[i];
	if (one_in(10))
		f = any_int();
	return f;
}

/* A file offset or mmap page offset. */
static u64 any_off(void)
{
	static const u64 v[] = { 0, 1, PAGE, 2 * PAGE, 7 * PAGE, PAGE - 1, 1ULL << 32, 1ULL << 44,
				 1ULL << 62, ~0ULL, -PAGE, 0x7fffffffffffffffULL,
				 0x7ffffffffffff000ULL, 0xffff800000000000ULL, -8 };
	if (one_in(6)) /* an arena address: /proc/self/mem (fd 10) reads and writes there */
		return ARENA + (below(ARENA_PAGES + 4) - 2) * PAGE + (one_in(2) ? below(PAGE) : 0);
	return one_in(3) ? any_int() : v[below(NELEM(v))];
}

static u64 any_sig(void)
{
	static const u64 v[] = { 0, SIGSEGV, SIGBUS, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGTERM,
				 SIGKILL, SIGSTOP, SIGCONT, SIGPIPE, SIGTRAP, SIGILL, SIGFPE,
				 SIGPWR, 32, 33, 34, 63, 64, 65, (u64)-1, 0x80000000 };
	return v[below(NELEM(v))];
}

/* A pid that is never the parent, and never a process group or "all". */
static u64 any_pid(void)
{
	switch (below(5)) {
	case 0:
		return 0; /* wait4, kill: our round's group; setpgid, getpgid, getsid: self */
	case 1:
		return (u64)(long)my_pid;
	case 2:
		return 99999;
	case 3:
		return (u64)-99999;
	default:
		return (u64)(long)my_pid + 1 + below(3); /* probably a child of ours */
	}
}

/* ------------------------------------------------------------------ the calls */

/* Argument kinds, one letter each. */
enum {
	A_INT = 'i', A_FD = 'f', A_DIRFD = 'D', A_PTR = 'p', A_LEN = 'l', A_PATH = 's',
	A_WPATH = 'W', A_ADDR = 'a', A_PROT = 'P', A_MFLAGS = 'M', A_OFLAGS = 'o', A_MODE = 'm',
	A_SIG = 'S', A_PID = 'd', A_IOV = 'v', A_IOVCNT = 'c', A_TIME = 't', A_SIGACT = 'A',
	A_SIGSET = 'k', A_SETSIZE = 'z', A_PKEY = 'K', A_RES = 'r', A_RLIM = 'R', A_WHENCE = 'w',
	A_CLOCK = 'C', A_ARGV = 'e', A_FCMD = 'u', A_IOCMD = 'n', A_OFF = 'g', A_STACK = 'Q',
	A_HOW = 'h', A_WAITOPT = 'O', A_SMALL = 'x', A_PTREQ = 'T', A_NOTE = 'N', A_TFLAGS = 'F',
	A_BADMAGIC = 'B', A_FUTEXOP = 'X', A_FUTEXVAL = 'V', A_RLEN = 'L', A_CAPHDR = 'H',
	A_CAPDATA = 'Y', A_CAPOPT = 'j', A_ADVICE = 'E', A_RFPLEN = 'J', A_EPOP = 'G',
	A_RAW = 'U' /* 64 random bits, read by the op */,
};

struct sc {
	long nr; /* -1: a special operation below */
	const char *name;
	const char *args;
	int weight;
};

enum { OP_TOUCH = -2, OP_FORK = -3, OP_VFORK = -4, OP_CLONE = -5, OP_SIGRETURN = -6,
       OP_WRPKRU = -7, OP_EXECVE = -8, OP_EXIT = -9, OP_RAISE = -10, OP_BADNR = -11,
       OP_BLOCKING = -12, OP_PTRACE_REGS = -13, OP_MODIFY_LDT = -14, OP_SEGLOAD = -15,
       OP_SIGINIT = -16, OP_TTY_IOCTL = -17, OP_SESSION = -18, OP_KILLPG = -19,
       OP_POLLSET = -20, OP_SELECTSET = -21, OP_THREAD = -22, OP_CLONE3 = -23,
       OP_ROBUST = -24, OP_HWPOISON = -25,
       OP_SOCK = -100 /* OP_SOCK - SK_*: the socket calls */ };

static const struct sc table[] = {
	{ SYS_read, "read", "fpl", 4 },
	{ SYS_write, "write", "fpl", 4 },
	{ SYS_open, "open", "som", 4 },
	{ SYS_close, "close", "f", 2 },
	{ SYS_stat, "stat", "sp", 2 },
	{ SYS_fstat, "fstat", "fp", 2 },
	{ SYS_lstat, "lstat", "sp", 2 },
	{ SYS_lseek, "lseek", "fgw", 2 },
	{ SYS_mmap, "mmap", "alPMfg", 14 },
	{ SYS_mprotect, "mprotect", "alP", 12 },
	{ SYS_munmap, "munmap", "al", 8 },
	{ SYS_mremap, "mremap", "allia", 8 },
	{ SYS_brk, "brk", "a", 2 },
	{ SYS_rt_sigaction, "rt_sigaction", "SApz", 5 },
	{ SYS_rt_sigprocmask, "rt_sigprocmask", "hkpz", 3 },
	{ SYS_rt_sigpending, "rt_sigpending", "pz", 1 },
	{ SYS_sigaltstack, "sigaltstack", "Qp", 3 },
	{ SYS_ioctl, "ioctl", "fnp", 2 },
	{ SYS_pread64, "pread64", "fplg", 2 },
	{ SYS_pwrite64, "pwrite64", "fplg", 2 },
	{ SYS_readv, "readv", "fvc", 2 },
	{ SYS_writev, "writev", "fvc", 2 },
	{ SYS_access, "access", "si", 1 },
	{ SYS_pipe, "pipe", "p", 1 },
	{ SYS_sched_yield, "sched_yield", "", 1 },
	{ SYS_madvise, "madvise", "alE", 3 },
	{ SYS_remap_file_pages, "remap_file_pages", "aJxii", 2 },
	{ SYS_msync, "msync", "ali", 2 },
	{ SYS_mincore, "mincore", "alp", 2 },
	{ SYS_mlock, "mlock", "al", 1 },
	{ SYS_mlock2, "mlock2", "ali", 1 },
	{ SYS_munlock, "munlock", "al", 1 },
	{ SYS_mlockall, "mlockall", "i", 1 },
	{ SYS_munlockall, "munlockall", "", 1 },
	{ SYS_dup, "dup", "f", 1 },
	{ SYS_dup2, "dup2", "ff", 2 },
	{ SYS_nanosleep, "nanosleep", "tp", 1 },
	{ SYS_getpid, "getpid", "", 1 },
	{ SYS_wait4, "wait4", "dpOp", 2 },
	{ SYS_waitid, "waitid", "idpOp", 2 },
	{ SYS_kill, "kill", "dS", 2 },
	{ SYS_ptrace, "ptrace", "TdNp", 2 },
	{ SYS_prctl, "prctl", "iiiii", 1 },
	{ SYS_uname, "uname", "p", 1 },
	{ SYS_fcntl, "fcntl", "fui", 3 },
	{ SYS_memfd_create, "memfd_create", "si", 2 },
	{ SYS_shmget, "shmget", "ili", 3 },
	{ SYS_shmat, "shmat", "iai", 3 },
	{ SYS_shmdt, "shmdt", "a", 2 },
	{ SYS_shmctl, "shmctl", "iip", 3 },
	{ SYS_sysinfo, "sysinfo", "p", 1 },
	{ SYS_fsync, "fsync", "f", 1 },
	{ SYS_fdatasync, "fdatasync", "f", 1 },
	{ SYS_truncate, "truncate", "Wg", 2 },
	{ SYS_ftruncate, "ftruncate", "fg", 3 },
	{ SYS_fallocate, "fallocate", "figl", 2 },
	{ SYS_statfs, "statfs", "sp", 1 },
	{ SYS_fstatfs, "fstatfs", "fp", 1 },
	{ SYS_getcwd, "getcwd", "pl", 1 },
	{ SYS_chdir, "chdir", "s", 1 },
	{ SYS_fchdir, "fchdir", "f", 1 },
	{ SYS_rename, "rename", "WW", 2 },
	{ SYS_mkdir, "mkdir", "Wm", 2 },
	{ SYS_rmdir, "rmdir", "W", 1 },
	{ SYS_creat, "creat", "Wm", 2 },
	{ SYS_unlink, "unlink", "W", 1 },
	{ SYS_symlink, "symlink", "sW", 1 },
	{ SYS_readlink, "readlink", "spl", 1 },
	{ SYS_getxattr, "getxattr", "sspl", 1 },
	{ SYS_lgetxattr, "lgetxattr", "sspl", 1 },
	{ SYS_fgetxattr, "fgetxattr", "fspl", 1 },
	{ SYS_listxattr, "listxattr", "spl", 1 },
	{ SYS_llistxattr, "llistxattr", "spl", 1 },
	{ SYS_flistxattr, "flistxattr", "fpl", 1 },
	{ SYS_umask, "umask", "m", 1 },
	{ SYS_gettimeofday, "gettimeofday", "pp", 1 },
	{ SYS_getrlimit, "getrlimit", "rp", 1 },
	{ SYS_getuid, "getuid", "", 1 },
	{ SYS_getgid, "getgid", "", 1 },
	{ SYS_setuid, "setuid", "i", 1 },
	{ SYS_setgid, "setgid", "i", 1 },
	{ SYS_geteuid, "geteuid", "", 1 },
	{ SYS_getegid, "getegid", "", 1 },
	{ SYS_setpgid, "setpgid", "dd", 1 },
	{ SYS_getppid, "getppid", "", 1 },
	{ SYS_getpgrp, "getpgrp", "", 1 },
	{ SYS_setsid, "setsid", "", 1 },
	{ SYS_getgroups, "getgroups", "ip", 1 },
	{ SYS_getresuid, "getresuid", "ppp", 1 },
	{ SYS_getresgid, "getresgid", "ppp", 1 },
	{ SYS_getpgid, "getpgid", "d", 1 },
	{ SYS_getsid, "getsid", "d", 1 },
	{ SYS_personality, "personality", "i", 1 },
	{ SYS_setrlimit, "setrlimit", "rR", 2 },
	{ SYS_arch_prctl, "arch_prctl", "ip", 2 },
	{ SYS_gettid, "gettid", "", 1 },
	{ SYS_time, "time", "p", 1 },
	{ SYS_getdents64, "getdents64", "fpl", 3 },
	{ SYS_set_tid_address, "set_tid_address", "p", 1 },
	{ SYS_clock_gettime, "clock_gettime", "Cp", 1 },
	{ SYS_clock_getres, "clock_getres", "Cp", 1 },
	{ SYS_alarm, "alarm", "x", 1 },
	{ SYS_getitimer, "getitimer", "hp", 1 },
	{ SYS_setitimer, "setitimer", "htp", 1 },
	{ SYS_times, "times", "p", 1 },
	{ SYS_getrusage, "getrusage", "hp", 1 },
	{ SYS_timer_create, "timer_create", "Cpp", 1 },
	{ SYS_timer_settime, "timer_settime", "rFtp", 1 },
	{ SYS_timer_gettime, "timer_gettime", "rp", 1 },
	{ SYS_timer_getoverrun, "timer_getoverrun", "r", 1 },
	{ SYS_timer_delete, "timer_delete", "r", 1 },
	{ SYS_timerfd_create, "timerfd_create", "Ci", 1 },
	{ SYS_timerfd_settime, "timerfd_settime", "fFtp", 1 },
	{ SYS_timerfd_gettime, "timerfd_gettime", "fp", 1 },
	{ SYS_userfaultfd, "userfaultfd", "i", 1 },
	{ SYS_signalfd, "signalfd", "fkz", 1 },
	{ SYS_signalfd4, "signalfd4", "fkzo", 1 },
	{ SYS_clock_settime, "clock_settime", "Ct", 1 },
	{ SYS_settimeofday, "settimeofday", "tp", 1 },
	{ SYS_statfs, "statfs", "sp", 1 },
	{ SYS_fstatfs, "fstatfs", "fp", 1 },
	{ SYS_fallocate, "fallocate", "fhgl", 1 },
	{ SYS_clock_nanosleep, "clock_nanosleep", "CFtp", 2 },
	{ SYS_restart_syscall, "restart_syscall", "", 1 },
	{ SYS_tgkill, "tgkill", "ddS", 1 },
	{ SYS_tkill, "tkill", "dS", 1 },
	/* issue 20: capabilities; a process that drops them stays fuzzing with fewer privileges */
	{ SYS_capget, "capget", "HY", 1 },
	{ SYS_capset, "capset", "HY", 2 },
	{ SYS_prctl, "prctl", "jViVV", 2 },
	/* issue 17: per-thread credentials, any ids (a process that drops root stays fuzzing) */
	{ SYS_setuid, "setuid", "i", 1 },
	{ SYS_setgid, "setgid", "i", 1 },
	{ SYS_setreuid, "setreuid", "ii", 1 },
	{ SYS_setregid, "setregid", "ii", 1 },
	{ SYS_setresuid, "setresuid", "iii", 1 },
	{ SYS_setresgid, "setresgid", "iii", 1 },
	{ SYS_setfsuid, "setfsuid", "i", 1 },
	{ SYS_setfsgid, "setfsgid", "i", 1 },
	{ SYS_getresuid, "getresuid", "ppp", 1 },
	{ SYS_getresgid, "getresgid", "ppp", 1 },
	/* issue 17: sigwait and sigqueue: garbage sets, siginfos and timeouts, queued real-time
	 * signals up to RLIMIT_SIGPENDING (a wait with no timeout blocks the round) */
	{ SYS_rt_sigtimedwait, "rt_sigtimedwait", "kptz", 2 },
	{ SYS_rt_sigqueueinfo, "rt_sigqueueinfo", "dSp", 2 },
	{ SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", "ddSp", 2 },
	{ SYS_openat, "openat", "Dsom", 4 },
	{ SYS_mkdirat, "mkdirat", "DWm", 1 },
	{ SYS_newfstatat, "newfstatat", "Dspi", 2 },
	{ SYS_unlinkat, "unlinkat", "DWi", 1 },
	{ SYS_renameat, "renameat", "DWDW", 1 },
	{ SYS_readlinkat, "readlinkat", "Dspl", 1 },
	{ SYS_faccessat, "faccessat", "Dsi", 1 },
	{ SYS_dup3, "dup3", "ffo", 1 },
	{ SYS_pipe2, "pipe2", "po", 1 },
	{ SYS_prlimit64, "prlimit64", "xrRp", 2 },
	{ SYS_getrandom, "getrandom", "pli", 1 },
	{ SYS_pkey_mprotect, "pkey_mprotect", "alPK", 8 },
	{ SYS_pkey_alloc, "pkey_alloc", "ii", 3 },
	{ SYS_pkey_free, "pkey_free", "K", 2 },
	{ SYS_symlinkat, "symlinkat", "sDW", 1 },
	{ SYS_renameat2, "renameat2", "DWDWi", 1 },
	{ SYS_faccessat2, "faccessat2", "Dsii", 1 },
	/* issue 16 part 3: garbage pollfd arrays, fd_sets and masks, huge nfds, bad timeouts */
	{ SYS_poll, "poll", "pli", 2 },
	{ SYS_ppoll, "ppoll", "pltkz", 2 },
	{ SYS_select, "select", "ipppt", 2 },
	{ SYS_pselect6, "pselect6", "lppptp", 2 },
	/* epoll (docs/epoll.md): sets of any fds (epolls among them, so nesting and loops), garbage
	 * events, maxevents and masks; timeouts of 0 or a few hundred ms */
	{ SYS_epoll_create, "epoll_create", "i", 1 },
	{ SYS_epoll_create1, "epoll_create1", "i", 2 },
	{ SYS_epoll_ctl, "epoll_ctl", "fGfp", 4 },
	{ SYS_epoll_wait, "epoll_wait", "fpix", 2 },
	{ SYS_epoll_pwait, "epoll_pwait", "fpixkz", 1 },
	{ SYS_epoll_pwait2, "epoll_pwait2", "fpitkz", 1 },
	/* issue 16 part 5: reboot(2) with a magic1 that is never 0xfee1dead (checked first: EINVAL),
	 * so a fuzzed command can never end the machine */
	{ SYS_reboot, "reboot", "Biip", 1 },
	/* issue 17: futexes on arena words (unaligned, unmapped, PROT_NONE, keyed, shared pages,
	 * kernel-half), every command with random flags, hostile timeouts, counts and val3; a
	 * wait that matches blocks the round like any blocking call. A robust list set here is
	 * walked (hostile as it is) when the process exits. */
	{ SYS_futex, "futex", "aXVtaV", 6 },
	{ SYS_set_robust_list, "set_robust_list", "pL", 2 },
	{ SYS_get_robust_list, "get_robust_list", "dpp", 1 },
	{ OP_ROBUST, "robust_list", "iiii", 2 }, /* a built hostile list, walked at exit */
	{ OP_HWPOISON, "madvise_hwpoison", "ii", 1 }, /* arena pages only: see fuzz_hwpoison */
	{ 449 /* futex_waitv */, "futex_waitv", "pVVtC", 2 },
	{ OP_TOUCH, "touch", "ai", 20 },
	{ OP_FORK, "fork", "", 2 },
	{ OP_VFORK, "vfork", "", 1 },
	{ OP_CLONE, "clone", "iapp", 1 },
	/* issue 17: threads with hostile TLS, tid pointers and flags, clone3 with any struct */
	{ OP_THREAD, "clone_thread", "iapp", 2 },
	{ OP_CLONE3, "clone3", "iiap", 2 },
	{ OP_SIGRETURN, "rt_sigreturn", "ii", 1 },
	{ OP_WRPKRU, "wrpkru", "i", 2 },
	{ OP_EXECVE, "execve", "iee", 1 },
	{ OP_EXIT, "exit", "i", 1 },
	{ OP_RAISE, "raise", "S", 3 },
	{ OP_BADNR, "bad_nr", "iiiiii", 1 },
	{ OP_BLOCKING, "blocking", "i", 1 }, /* pause, rt_sigsuspend, a blocking read */
	{ OP_PTRACE_REGS, "ptrace_regs", "ii", 2 }, /* hostile registers for a stopped tracee */
	{ OP_MODIFY_LDT, "modify_ldt", "iiip", 4 }, /* issue 15: a user_desc of random fields */
	{ OP_SEGLOAD, "segload", "ii", 4 }, /* issue 15: a selector into a segment register */
	{ OP_SIGINIT, "signal_init", "i", 2 }, /* stop, continue or kill PID 1 (the parent) */
	/* issue 16: terminal ioctls on ttys and other files, sessions, groups, poll/select sets */
	{ OP_TTY_IOCTL, "tty_ioctl", "iiip", 8 },
	{ OP_SESSION, "session", "iii", 3 },
	{ OP_KILLPG, "kill_group", "Si", 1 },
	{ OP_POLLSET, "poll_set", "iiii", 3 },
	{ OP_SELECTSET, "select_set", "iiii", 3 },
	/* AF_UNIX sockets (fuzz_sock): every call, hostile addresses, msghdrs, control messages
	 * (SCM_RIGHTS of sockets in cycles, SCM_CREDENTIALS), options and flags */
	{ OP_SOCK - 0, "socket", "UUUU", 2 },
	{ OP_SOCK - 1, "socketpair", "UUUUU", 3 },
	{ OP_SOCK - 2, "bind", "UU", 3 },
	{ OP_SOCK - 3, "connect", "UU", 3 },
	{ OP_SOCK - 4, "listen", "UU", 2 },
	{ OP_SOCK - 5, "accept", "UUU", 2 },
	{ OP_SOCK - 6, "accept4", "UUUU", 2 },
	{ OP_SOCK - 7, "sendto", "UUUUU", 4 },
	{ OP_SOCK - 8, "recvfrom", "UUUUU", 4 },
	{ OP_SOCK - 9, "sendmsg", "UUU", 16 },
	{ OP_SOCK - 10, "recvmsg", "UUU", 10 },
	{ OP_SOCK - 11, "sendmmsg", "UUUUU", 1 },
	{ OP_SOCK - 12, "recvmmsg", "UUUUU", 1 },
	{ OP_SOCK - 13, "shutdown", "UU", 2 },
	{ OP_SOCK - 14, "getsockname", "UUU", 1 },
	{ OP_SOCK - 15, "getpeername", "UUU", 1 },
	{ OP_SOCK - 16, "setsockopt", "UUU", 4 },
	{ OP_SOCK - 17, "getsockopt", "UUUUU", 2 },
	{ OP_SOCK - 18, "sock_ioctl", "UUU", 2 },
	{ OP_SOCK - 19, "sock_close", "U", 3 },
};

struct call {
	const struct sc *sc;
	u64 a[6];
	u64 blob; /* seeds the contents written behind pointer arguments */
};

static int total_weight;

/* Draws one argument of a kind; content behind pointers is written when the call is made. */
static u64 gen_arg(char kind)
{
	switch (kind) {
	case A_FD:
		return any_fd();
	case A_DIRFD:
		return any_dirfd();
	case A_PTR:
		return any_ptr();
	case A_LEN:
	case A_IOVCNT:
		return kind == A_IOVCNT ? (one_in(3) ? any_int() : below(10)) : any_len();
	case A_PATH:
	case A_WPATH:
	case A_IOV:
	case A_TIME:
	case A_SIGACT:
	case A_SIGSET:
	case A_RLIM:
	case A_STACK:
	case A_ARGV:
	case A_CAPHDR:
	case A_CAPDATA:
		/* 0..N-1: a valid structure in the scratch page, variant N; else a bad pointer */
		return one_in(5) ? any_ptr() : below(1 << 16);
	case A_ADDR:
		return any_addr();
	case A_PROT:
		return any_prot();
	case A_MFLAGS:
		return any_mmap_flags();
	case A_OFLAGS:
		return one_in(6) ? any_int() : (below(3) | (rnd() & 0x3ffc0 & -(u64)one_in(2)));
	case A_MODE:
		return one_in(4) ? any_int() : below(01000);
	case A_SIG:
		return any_sig();
	case A_PID:
		return any_pid();
	case A_SETSIZE:
		return one_in(8) ? any_int() : 8;
	case A_PKEY:
		return one_in(5) ? any_int() : below(17) - 1;
	case A_RES:
		return one_in(8) ? any_int() : below(16);
	case A_WHENCE:
		return one_in(4) ? any_int() : below(5);
	case A_CLOCK:
		return one_in(4) ? any_int() : below(12);
	case A_TFLAGS: /* clock_nanosleep's flags: relative, TIMER_ABSTIME, an unknown bit */
		return one_in(4) ? any_int() : below(3);
	case A_FCMD: {
		static const u64 v[] = { 0, 1, 2, 3, 4, 1030, 1024, 1025, 1026, 1031, 1032, 1033, 1034 };
		return one_in(4) ? any_int() : v[below(NELEM(v))];
	}
	case A_IOCMD: {
		/* terminal ioctls, and userfaultfd's UFFDIO_API, REGISTER, UNREGISTER, WAKE, COPY,
		 * ZEROPAGE, WRITEPROTECT, CONTINUE (the fd may be a uffd from userfaultfd above) */
		static const u64 v[] = { 0x5401,     0x5413,	 0x541b,     0x5421,	 0x5451,
					 0x5450,     0x5402,	 0x540f,     0x5410,	 0xc018aa3f,
					 0xc020aa00, 0x8010aa01, 0x8010aa02, 0xc028aa03, 0xc020aa04,
					 0xc018aa06, 0xc020aa07 };
		return one_in(3) ? any_int() : v[below(NELEM(v))];
	}
	case A_OFF:
		return any_off();
	case A_HOW:
		return one_in(4) ? any_int() : below(3);
	case A_WAITOPT:
		return one_in(4) ? any_int() : (1 /* WNOHANG */ | (rnd() & 0x4000000a));
	case A_SMALL:
		return one_in(2) ? 0 : (u64)(long)my_pid;
	case A_EPOP: /* epoll_ctl's ADD, DEL, MOD mostly, sometimes garbage */
		return one_in(8) ? any_int() : below(5);
	case A_PTREQ: { /* the requests Warden has, a few it has not, and garbage */
		static const u64 req[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 15, 16, 17, 24,
					   0x4200, 0x4201, 0x4204, 0x4205, 0x4206 };
		return one_in(8) ? any_int() : req[below(NELEM(req))];
	}
	case A_NOTE: /* ptrace's addr: a regset type, a struct user offset, or an address */
		return one_in(2) ? (u64[]){ 0x202, 1, 2, 0x201, 0, 8 * 17, 8 * 21, 848, 928 }[below(9)]
				 : any_addr();
	case A_FUTEXOP: /* a command (0-13, 14 unknown), with or without the two flags */
		return one_in(8) ? any_int() : (below(15) | (rnd() & 0x180));
	case A_FUTEXVAL: /* a value, count or val3: small, 0, 0xffffffff, a FUTEX_WAKE_OP */
		return one_in(3) ? below(4) : any_int();
	case A_RLEN: /* set_robust_list's length: mostly the right one (24) */
		return one_in(2) ? 24 : any_len();
	case A_RFPLEN: {
		/*
		 * remap_file_pages's size: the arena's scale, or one that wraps. A success populates
		 * the range (MAP_POPULATE), which over a huge shared mapping would fill memory for
		 * minutes under TCG, as MADV_POPULATE_WRITE would.
		 */
		static const u64 v[] = { 0, 1, PAGE - 1, -PAGE, ~0ULL, 0x8000000000000000ULL };
		if (one_in(6))
			return v[below(NELEM(v))];
		return below(ARENA_PAGES + 2) * PAGE + (one_in(4) ? below(PAGE) : 0);
	}
	case A_ADVICE: {
		/*
		 * Every advice but the memory-failure ones (OP_HWPOISON) and MADV_POPULATE_READ/WRITE,
		 * which garbage still gives now and then: over the huge shared mappings mmap makes
		 * here they fill memory for minutes under TCG. And garbage.
		 */
		static const u64 adv[] = { 0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
					   18, 19, 20, 21, 24, 25, 26, 99, 102 };
		return one_in(8) ? any_int() & ~0x60ULL : adv[below(NELEM(adv))];
	}
	case A_CAPOPT: { /* the capability, dumpable, MCE kill and no_new_privs prctls, and garbage */
		static const u64 opt[] = { 3, 4, 7, 8, 23, 24, 27, 28, 33, 34, 38, 39, 47 };
		return one_in(8) ? any_int() : opt[below(NELEM(opt))];
	}
	case A_RAW:
		return rnd();
	case A_BADMAGIC: { /* any value whose low 32 bits (an int, as Linux reads it) are wrong */
		u64 v = any_int();
		return (unsigned int)v == 0xfee1deadu ? v ^ 1 : v;
	}
	default:
		return any_int();
	}
}

/* Draws the next call of the current process's sequence. */
static void gen_call(struct call *c)
{
	int w = (int)below((u64)total_weight);
	const struct sc *s = table;
	while (w >= s->weight) {
		w -= s->weight;
		s++;
	}
	c->sc = s;
	for (int i = 0; i < 6; i++)
		c->a[i] = s->args[i] && i < (int)strlen(s->args) ? gen_arg(s->args[i]) : 0;
	c->blob = rnd();
}

/* ------------------------------------------------------------------ building arguments */

static u64 brng;

/* The generator for contents: separate, so that contents never change the call sequence. */
static u64 brnd(void)
{
	u64 z = (brng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static char *scratch_next;

/* Room for n bytes in the scratch pages (wraps around: each call needs little). */
static void *scratch_alloc(size_t n)
{
	n = (n + 15) & ~15UL;
	if (!scratch_next || scratch_next + n > (char *)SCRATCH + SCRATCH_PAGES * PAGE)
		scratch_next = (char *)SCRATCH;
	void *p = scratch_next;
	scratch_next += n;
	return p;
}

/* A variant number (< 1 << 16) becomes a valid structure; anything else stays a bad pointer. */
static int is_variant(u64 v)
{
	return v < (1 << 16);
}

static u64 build_path(u64 v, int scratch_only)
{
	if (!is_variant(v))
		return v;
	if (v % 13 == 0) { /* a name too long, or without its NUL at the end of the arena page */
		if (v % 2) {
			char *p = scratch_alloc(5000);
			memset(p, 'a', 4999);
			p[4999] = 0;
			return (u64)p;
		}
		return ARENA + (v % ARENA_PAGES) * PAGE + PAGE - 3;
	}
	const char *s = scratch_only ? paths_scratch[v % NELEM(paths_scratch)] :
				       paths_any[v % NELEM(paths_any)];
	char *p = scratch_alloc(strlen(s) + 1);
	strcpy(p, s);
	return (u64)p;
}

static u64 build_iov(u64 v)
{
	if (!is_variant(v))
		return v;
	u64 *iov = scratch_alloc(16 * 16);
	for (int i = 0; i < 16; i++) {
		iov[2 * i] = (brnd() & 3) ? SCRATCH + brnd() % (SCRATCH_PAGES * PAGE) :
					     ARENA + brnd() % (ARENA_PAGES * PAGE);
		switch (brnd() % 6) {
		case 0:
			iov[2 * i + 1] = 0;
			break;
		case 1:
			iov[2 * i + 1] = ~0ULL >> (brnd() % 3);
			break;
		case 2:
			iov[2 * i] = 0xffff800000000000ULL;
			iov[2 * i + 1] = 16;
			break;
		default:
			iov[2 * i + 1] = brnd() % (2 * PAGE);
		}
	}
	return (u64)iov;
}

/*
 * A timespec for sleeps: short (at most 2 ms), invalid, negative, or far in the future (LONG_MAX,
 * 2^47-1 and KTIME_SEC_MAX-1 seconds: the overflows of issue 15, item 6), which as a relative or
 * absolute sleep stalls the round until the parent kills it after 150 ms; 1 s, absolute, is past.
 */
static u64 build_time(u64 v)
{
	if (!is_variant(v))
		return v;
	long *ts = scratch_alloc(16);
	switch (v % 11) {
	case 0:
		ts[0] = 0, ts[1] = 0;
		break;
	case 1:
		ts[0] = 0, ts[1] = 1000000000;
		break;
	case 2:
		ts[0] = -1, ts[1] = 0;
		break;
	case 3:
		ts[0] = 0, ts[1] = -1;
		break;
	case 4:
		ts[0] = 0x7fffffffffffffffL, ts[1] = (long)(brnd() % 2) * 999999999;
		break;
	case 5:
		ts[0] = (1L << 47) - 1, ts[1] = 0;
		break;
	case 6:
		ts[0] = 9223372035L, ts[1] = 999999999;
		break;
	case 7:
		ts[0] = 1, ts[1] = 0;
		break;
	default:
		ts[0] = 0, ts[1] = (long)(brnd() % 2000000);
	}
	return (u64)ts;
}

static void fuzz_handler(int sig, siginfo_t *si, void *uc);
void fuzz_restorer(void);
__asm__(".text\n.globl fuzz_restorer\nfuzz_restorer:\n\tmov $15, %eax\n\tsyscall\n\thlt\n");

static u64 build_sigact(u64 v)
{
	if (!is_variant(v))
		return v;
	u64 *sa = scratch_alloc(32);
	static const u64 handlers[] = { 0 /* DFL */, 1 /* IGN */, 0 /* ours */, ARENA, 0x1000,
					0xffffffff81000000ULL, 0x8000000000000000ULL };
	sa[0] = handlers[v % NELEM(handlers)];
	if (v % NELEM(handlers) == 2)
		sa[0] = (u64)fuzz_handler;
	sa[1] = brnd() & 0xfc00000fULL; /* SA_* bits */
	if (brnd() & 1)
		sa[1] |= 0x04000000 | 4; /* SA_RESTORER, SA_SIGINFO */
	static const u64 restorers[] = { 0, 0, 0, ARENA, 0x1000, 0xffffffff81000000ULL };
	sa[2] = restorers[brnd() % NELEM(restorers)];
	if (!sa[2])
		sa[2] = (u64)fuzz_restorer;
	sa[3] = (brnd() & 1) ? 0 : brnd();
	return (u64)sa;
}

static u64 build_sigset(u64 v)
{
	if (!is_variant(v))
		return v;
	u64 *set = scratch_alloc(16);
	set[0] = (v & 1) ? brnd() : (v & 2) ? ~0ULL : 1ULL << (brnd() % 64);
	set[0] &= ~(1ULL << (SIGSEGV - 1)); /* rarely useful to block our own fault signal */
	return (u64)set;
}

static u64 build_rlim(u64 v)
{
	if (!is_variant(v))
		return v;
	u64 *r = scratch_alloc(16);
	static const u64 vals[] = { 0, 1, 3, 64, 1024, 4096, 1 << 20, (1 << 20) + 1 /* nr_open + 1 */,
				    ~0ULL, 0x7fffffffffffffffULL };
	r[0] = vals[brnd() % NELEM(vals)];
	r[1] = (v & 1) ? ~0ULL : vals[brnd() % NELEM(vals)];
	return (u64)r;
}

/* capget/capset's header: one of the three versions or a bad one, pid 0, ours or another. */
static u64 build_caphdr(u64 v)
{
	if (!is_variant(v))
		return v;
	uint32_t *h = scratch_alloc(8);
	static const uint32_t ver[] = { 0x19980330, 0x20071026, 0x20080522, 0, 0x20080523 };
	h[0] = ver[brnd() % NELEM(ver)];
	h[1] = (v & 1) ? (uint32_t)(brnd() % 3 ? 0 : my_pid) : (uint32_t)brnd();
	return (u64)h;
}

/* capset's two data structures: each set empty, full, the low half or random bits. */
static u64 build_capdata(u64 v)
{
	if (!is_variant(v))
		return v;
	uint32_t *d = scratch_alloc(24);
	static const uint32_t vals[] = { 0, ~0U, 0x1ff, 1U << 14, 1U << 8 };
	for (int i = 0; i < 6; i++)
		d[i] = (v & 1) ? (uint32_t)brnd() : vals[brnd() % NELEM(vals)];
	return (u64)d;
}

static u64 build_stack(u64 v)
{
	if (!is_variant(v))
		return v;
	u64 *ss = scratch_alloc(24);
	ss[0] = (v & 1) ? ARENA + brnd() % (ARENA_PAGES * PAGE) : brnd();
	static const u64 flags[] = { 0, 1 /* ONSTACK */, 2 /* DISABLE */, 1U << 31 /* AUTODISARM */,
				     (1U << 31) | 2, 4 };
	ss[1] = flags[brnd() % NELEM(flags)];
	static const u64 sizes[] = { 0, 2047, 2048, 8192, 16 * PAGE, ~0ULL, 1ULL << 40 };
	ss[2] = sizes[brnd() % NELEM(sizes)];
	return (u64)ss;
}

static u64 build_argv(u64 v)
{
	if (!is_variant(v))
		return v;
	int n = (int)(v % 6);
	u64 *argv = scratch_alloc(8 * (size_t)(n + 2));
	for (int i = 0; i < n; i++) {
		switch (brnd() % 4) {
		case 0:
			argv[i] = 0xffff800000000000ULL;
			break;
		case 1:
			argv[i] = ARENA + brnd() % (ARENA_PAGES * PAGE);
			break;
		default:
			argv[i] = build_path(brnd() % 64, 1);
		}
	}
	argv[n] = 0;
	argv[n + 1] = 0;
	if (v % 7 == 6) /* no terminating NULL before an unmapped page */
		return ARENA + 24 * PAGE - 8;
	return (u64)argv;
}

/* The argument as passed to the kernel. */
static u64 build_arg(char kind, u64 v)
{
	switch (kind) {
	case A_PATH:
		return build_path(v, 0);
	case A_WPATH:
		return build_path(v, 1);
	case A_IOV:
		return build_iov(v);
	case A_TIME:
		return build_time(v);
	case A_SIGACT:
		return build_sigact(v);
	case A_SIGSET:
		return build_sigset(v);
	case A_RLIM:
		return build_rlim(v);
	case A_STACK:
		return build_stack(v);
	case A_ARGV:
		return build_argv(v);
	case A_CAPHDR:
		return build_caphdr(v);
	case A_CAPDATA:
		return build_capdata(v);
	default:
		return v;
	}
}

/* ------------------------------------------------------------------ making the calls */

static sigjmp_buf touch_jmp;
static volatile int in_touch;
/* Rounds r % 4 >= 2: deaths by core-dumping signals dump core instead of exiting quietly. */
static int dump_cores;
#define CORE_SIGS                                                                                  \
	((1UL << SIGQUIT) | (1UL << SIGILL) | (1UL << SIGTRAP) | (1UL << SIGABRT) | (1UL << SIGBUS) | \
	 (1UL << SIGFPE) | (1UL << SIGSEGV) | (1UL << SIGXCPU) | (1UL << SIGXFSZ) | (1UL << SIGSYS))

/* Any signal: a fault during a touch is expected; other faults end the process quietly. */
static void fuzz_handler(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (in_touch && (sig == SIGSEGV || sig == SIGBUS)) {
		in_touch = 0;
		siglongjmp(touch_jmp, 1);
	}
	if (dump_cores && sig != SIGALRM && sig < 32 && ((1UL << sig) & CORE_SIGS)) {
		/* the default action now: a fault comes back at once, a sent signal is raised
		 * again; the process dumps core (kernel/coredump.c) as the round's rlimit allows */
		u64 dfl[4] = { 0 };
		sys4(SYS_rt_sigaction, sig, (long)dfl, 0, 8);
		if (si && si->si_code <= 0)
			sys3(SYS_tgkill, my_pid, sys0(SYS_gettid), sig);
		return;
	}
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP)
		sys1(SYS_exit_group, 0);
}

static long raw_syscall(long nr, const u64 *a)
{
	return sys6(nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4], (long)a[5]);
}

/* fork, vfork or clone whose child leaves at once, using no stack (clone may give it any). */
static long fork_and_exit(long nr, u64 flags, u64 sp, u64 ptid, u64 ctid)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $231, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(flags), "S"(sp), "d"(ptid), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * clone or clone3 (nr) whose child, a thread or a process, ends at once with exit(2) (only
 * itself, never the group: a thread's exit_group would end this fuzzing process too), touching
 * neither memory nor its stack, which may be anything. a0..a4 are the raw arguments.
 */
static long clone_and_exit(long nr, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4)
{
	register long r10 __asm__("r10") = (long)a3;
	register long r8 __asm__("r8") = (long)a4;
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

static u64 hostile_word(void);

/* Flags of a thread as pthread_create makes it, with any of clone's other bits besides. */
#define THREAD_FLAGS 0x3d0f00ULL /* VM FS FILES SIGHAND THREAD SYSVSEM SETTLS P/C_SETTID CLEARTID */

/*
 * A thread (or, with a few bits flipped, something clone refuses) with hostile TLS and tid
 * pointers; a struct clone_args of random size and fields for clone3, sometimes a plausible one.
 * Whatever the kernel accepts, the child exits at once; a bad tid pointer must not hurt the
 * kernel at the child's exit (CLONE_CHILD_CLEARTID writes it then).
 */
static void fuzz_clone_thread(long nr, const u64 *a)
{
	if (nr == SYS_clone) {
		u64 flags = THREAD_FLAGS | (a[0] & 1 ? 0 : (brnd() & ~0xffULL));
		if (a[0] & 2)
			flags &= ~(1ULL << (brnd() % 26)); /* drop one: VM without SIGHAND, ... */
		/* clone(flags, stack, parent_tid, child_tid, tls) */
		clone_and_exit(SYS_clone, flags, a[0] & 4 ? a[1] : 0, a[2], a[3], hostile_word());
		return;
	}
	u64 *args = scratch_alloc(PAGE + 64);
	for (int i = 0; i < 16; i++)
		args[i] = (a[0] & 1) ? 0 : brnd();
	if (a[0] & 2) { /* plausible: flags, pidfd, child_tid, parent_tid, exit_signal, stack... */
		args[0] = THREAD_FLAGS & ~0x80000ULL;
		args[2] = a[2];
		args[3] = a[3];
		args[4] = a[0] & 4 ? SIGCHLD : 0;
		args[5] = a[2];
		args[6] = brnd() % (2 * PAGE);
	}
	u64 size = (a[1] & 3) == 0 ? brnd() : (a[1] & 3) == 1 ? 64 : 64 + 8 * (brnd() % 512);
	clone_and_exit(SYS_clone3, a[0] & 8 ? a[2] : (u64)args, size, 0, 0, 0);
}

/* rt_sigreturn from a frame of garbage, or of a plausible frame with a few fields damaged. */
static void garbage_sigreturn(u64 v)
{
	u64 *f = scratch_alloc(4096 + 64);
	for (int i = 0; i < 512; i++)
		f[i] = brnd();
	if (v & 1) {
		/* ucontext at f+1 (after pretcode): uc_flags, uc_link, uc_stack[3], then sigcontext */
		u64 *sc = f + 1 + 5;
		for (int i = 0; i < 16; i++)
			sc[i] = brnd() & 0xffff; /* r8..rcx */
		sc[15] = SCRATCH + 8 * PAGE; /* rsp */
		sc[16] = (u64)fuzz_restorer + 7; /* rip: the hlt: #GP in user mode */
		sc[17] = 0x202;
		sc[18] = 0x33 | (0x2bULL << 48); /* cs, gs, fs, ss */
		sc[23] = (brnd() & 1) ? 0 : brnd(); /* fpstate */
		for (int k = 0; k < 3; k++)
			sc[brnd() % 24] = brnd();
	}
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "mov $15, %%eax\n\t"
			 "syscall\n\t"
			 "hlt"
			 :
			 : "r"(f + 1)
			 : "memory");
}

/* A register value a tracer might try: kernel selectors, kernel-half and non-canonical
 * addresses, system RFLAGS bits, or anything. */
static u64 hostile_word(void)
{
	static const u64 v[] = { 0, ~0ULL, 0x10, 0x13, 0x18, 0x1b, 0x23, 0x2b, 0x33, 0x43, 0xfffb,
				 0x8000000000000000ULL, 0x0000800000000000ULL,
				 0xffff800000000000ULL, 0xffffffff81000000ULL, 0x00007ffffffff000ULL,
				 0x3000 | 0x20000 | 0x4000 | 0x100 | 0x40000 | 0x80000 | 0x200000,
				 0x200, (u64)-512, (u64)-1 };
	return (brnd() & 3) ? v[brnd() % NELEM(v)] : brnd();
}

/*
 * A child stops for us (PTRACE_TRACEME, SIGSTOP) and gets a few hostile register writes (SETREGS
 * with some words replaced, POKEUSER of any offset of struct user, hardware breakpoints on its
 * code, stack, signal frame (on the stack or the alternate stack) and syscall buffers: DR0-DR3 at
 * offset 848 of struct user, then DR7), the FP and register regsets, SETOPTIONS, GETSIGINFO),
 * then runs with them (a clock_gettime into a buffer, exit); each stop it makes is continued a
 * few times with its signal, then it is killed and reaped. Whatever it was given must end as a
 * signal in user mode.
 */
static void ptrace_regs(u64 v, u64 w)
{
	int st;
	static u64 tracee_buf[2]; /* a syscall buffer of the tracee's, a breakpoint target */
	long pid = sys0(SYS_fork);
	if (pid == 0) {
		sys4(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
		sys2(SYS_kill, sys0(SYS_getpid), SIGSTOP);
		sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)tracee_buf);
		sys1(SYS_exit, 0);
	}
	if (pid < 0)
		return;
	sys4(SYS_wait4, pid, (long)&st, 0x40000000 /* __WALL */, 0);
	u64 *regs = scratch_alloc(1024);
	for (u64 n = 0; n < 1 + v % 4; n++) {
		u64 iov[2] = { (u64)regs, (brnd() % 80) * 8 + (brnd() % 8 == 0) };
		switch (brnd() % 8) {
		case 0:
			sys4(SYS_ptrace, PTRACE_GETREGS, pid, 0, (long)regs);
			for (u64 k = 0; k < 1 + brnd() % 3; k++)
				regs[brnd() % 27] = hostile_word();
			if (brnd() & 1) { /* CS and SS together: kernel, RPL 3, 32-bit, swapped */
				static const u64 cs_ss[][2] = { { 0x10, 0x18 }, { 0x13, 0x1b },
								{ 0x08, 0x18 }, { 0x23, 0x2b },
								{ 0x2b, 0x33 }, { 0x33, 0x2b } };
				u64 pair = brnd() % NELEM(cs_ss);
				regs[17] = cs_ss[pair][0];
				regs[20] = cs_ss[pair][1];
			}
			sys4(SYS_ptrace, PTRACE_SETREGS, pid, 0, (long)regs);
			break;
		case 1:
			sys4(SYS_ptrace, PTRACE_POKEUSER, pid,
			     (long)((brnd() & 7) ? (brnd() % 120) * 8 : brnd() % 1000),
			     (long)hostile_word());
			break;
		case 2:
			sys4(SYS_ptrace, PTRACE_PEEKUSER, pid, (long)(brnd() % 1000),
			     (long)((brnd() & 1) ? (u64)regs : hostile_word()));
			break;
		case 3:
			for (int k = 0; k < 128; k++)
				regs[k] = (brnd() & 1) ? brnd() : 0;
			sys4(SYS_ptrace, (brnd() & 1) ? PTRACE_SETFPREGS : PTRACE_GETFPREGS, pid, 0,
			     (long)((brnd() & 7) ? (u64)regs : hostile_word()));
			break;
		case 4:
			sys4(SYS_ptrace, (brnd() & 1) ? PTRACE_SETREGSET : PTRACE_GETREGSET, pid,
			     (long)((u64[]){ 1, 2, 0x202, 0x201, 3 })[brnd() % 5],
			     (long)((brnd() & 7) ? (u64)iov : hostile_word()));
			break;
		case 5:
			sys4(SYS_ptrace, PTRACE_SETOPTIONS, pid, 0,
			     (long)((brnd() & 1) ? brnd() % 0x400000 : hostile_word()));
			break;
		case 6: { /* a hardware breakpoint on the tracee's code or stack, any DR7 */
			/* the alternate signal stack's top, where a signal frame goes (fork keeps it) */
			u64 alt[3] = { 0 };
			sys2(SYS_sigaltstack, 0, (long)alt);
			sys4(SYS_ptrace, PTRACE_GETREGS, pid, 0, (long)regs);
			/* code, stack, the signal frame below the red zone, syscall buffers, any */
			u64 at[] = { regs[16],
				     regs[19],
				     regs[19] - 8,
				     regs[19] + 8,
				     regs[19] - 128 - 8 * (brnd() % 160),
				     alt[0] + alt[2] - 8 * (1 + brnd() % 160),
				     (u64)tracee_buf,
				     (u64)regs,
				     ARENA + brnd() % (ARENA_PAGES * PAGE),
				     0,
				     hostile_word() };
			sys4(SYS_ptrace, PTRACE_POKEUSER, pid, (long)(848 + (brnd() % 4) * 8),
			     (long)(at[brnd() % NELEM(at)] & ~(brnd() % 8)));
			sys4(SYS_ptrace, PTRACE_POKEUSER, pid, 848 + 7 * 8,
			     (long)((brnd() & 3) ? brnd() & 0xffff00ff : hostile_word()));
			break;
		}
		default:
			sys4(SYS_ptrace, (brnd() & 1) ? PTRACE_GETEVENTMSG : 0x4202 /* GETSIGINFO */,
			     pid, 0, (long)((brnd() & 1) ? (u64)regs : hostile_word()));
		}
	}
	long sig = w % 3 ? 0 : (long)(w % 70);
	for (int k = 0; k < 8; k++) {
		if (sys4(SYS_ptrace, PTRACE_CONT, pid, 0, sig))
			break;
		if (sys4(SYS_wait4, pid, (long)&st, 0x40000000, 0) != pid || !WIFSTOPPED(st))
			return; /* it ended: reaped */
		sig = WSTOPSIG(st);
	}
	sys2(SYS_kill, pid, SIGKILL);
	sys4(SYS_wait4, pid, (long)&st, 0x40000000, 0);
}

/*
 * modify_ldt (issue 15): func 0, 1, 2, 0x11 or garbage; a struct user_desc whose entry number is
 * small, near 8192 or garbage and whose flag bits are random (data, code, conforming, not
 * present, 16-bit, lm), or a bad pointer; bytecounts of 16 and others.
 */
static void fuzz_modify_ldt(const u64 *a)
{
	static const long funcs[] = { 0, 1, 2, 0x11, 0x11, 0x11, 3, -1, 0x100000011L };
	static const u64 counts[] = { 16, 16, 16, 0, 8, 15, 17, 128, 65536, 65544, ~0ULL };
	u64 *d = scratch_alloc(16);
	u64 ptr = (u64)d, count = counts[(a[1] >> 8) % NELEM(counts)];
	long func = funcs[a[0] % NELEM(funcs)];

	switch ((a[1] >> 4) % 4) {
	case 0:
		d[0] = (a[2] & 15) | ((a[2] >> 32) << 32); /* entry number, base */
		break;
	case 1:
		d[0] = 8180 + (a[2] % 16); /* around LDT_ENTRIES */
		break;
	default:
		d[0] = a[2];
	}
	d[1] = a[3]; /* limit, then the flag bits */
	if (func == 0 || func == 2)
		ptr = (a[1] & 3) ? SCRATCH + 8 * PAGE : ARENA + (a[2] % (ARENA_PAGES * PAGE));
	if ((a[1] & 15) == 15)
		ptr = a[3]; /* any pointer */
	sys3(SYS_modify_ldt, func, (long)ptr, (long)count);
}

/*
 * Loads a selector into DS, ES, FS, GS or SS, or far-calls through it (issue 15): LDT selectors
 * (entries modify_ldt may have written), the GDT's, garbage. A fault is expected (SIGSEGV or
 * SIGBUS, caught like a touch); FS and GS bases are put back so libc keeps its TLS.
 */
static void fuzz_segload(u64 which, u64 v)
{
	static const unsigned short gdt[] = { 0,    3,	  8,	0x10, 0x13, 0x18, 0x1b, 0x23,
					       0x2b, 0x33, 0x40, 0x43, 0x50, 0x53, 0x7b, 0x83 };
	unsigned short sel = (v & 3) == 0   ? gdt[(v >> 2) % NELEM(gdt)]
			     : (v & 3) == 1 ? (unsigned short)((((v >> 2) % 32) << 3) | 7)
					    : (unsigned short)(v >> 2);
	u64 fs = 0, gs = 0;

	sys2(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, (long)&fs);
	sys2(SYS_arch_prctl, 0x1004 /* ARCH_GET_GS */, (long)&gs);
	if (sigsetjmp(touch_jmp, 1) == 0) {
		in_touch = 1;
		switch (which % 7) {
		case 0:
			__asm__ volatile("mov %0, %%ds" ::"r"(sel));
			break;
		case 1:
			__asm__ volatile("mov %0, %%es" ::"r"(sel));
			break;
		case 2:
			__asm__ volatile("mov %0, %%fs" ::"r"(sel));
			break;
		case 3:
			__asm__ volatile("mov %0, %%gs" ::"r"(sel));
			break;
		case 4:
			__asm__ volatile("mov %0, %%ss" ::"r"(sel));
			__asm__ volatile("mov %0, %%ss" ::"r"(0x2b));
			break;
		default: {
			struct __attribute__((packed)) {
				unsigned off;
				unsigned short sel;
			} fp = { (unsigned)(which >> 8), sel };
			__asm__ volatile("lcall *(%0)" ::"r"(&fp) : "memory");
		}
		}
	}
	in_touch = 0;
	sys2(SYS_arch_prctl, 0x1002 /* ARCH_SET_FS */, (long)fs);
	sys2(SYS_arch_prctl, 0x1001 /* ARCH_SET_GS */, (long)gs);
}

/* ------------------------------------------------------------------ terminals, sessions, poll */

/*
 * A termios for TCSETS*: the defaults with a few fields changed, every flag bit set, absurd
 * c_cc values (VMIN/VTIME 255, every special character the same, _POSIX_VDISABLE), random
 * speeds and line disciplines, or all random. Reads that then wait stall the round like any
 * blocking call; the parent restores the terminal after each round.
 */
static u64 build_termios(void)
{
	static const unsigned char init_cc[19] = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15,
						   23, 22, 0 };
	unsigned char *t = scratch_alloc(64);
	uint32_t fl[4] = { 0400 | 02000, 1 | 4, 015 | 060 | 0200 | 02000 | 04000,
			   1 | 2 | 010 | 020 | 040 | 01000 | 04000 | 0100000 };
	for (int i = 0; i < 4; i++) {
		switch (brnd() % 5) {
		case 0:
			fl[i] = ~0U;
			break;
		case 1:
			fl[i] = (uint32_t)brnd();
			break;
		case 2:
			fl[i] ^= 1U << (brnd() % 32);
			break;
		}
	}
	memcpy(t, fl, sizeof(fl));
	t[16] = (brnd() % 4) ? 0 : (unsigned char)brnd(); /* c_line */
	memcpy(t + 17, init_cc, 19);
	switch (brnd() % 6) {
	case 0:
		memset(t + 17, 0xff, 19);
		break;
	case 1:
		memset(t + 17, 0, 19);
		break;
	case 2:
		for (int i = 0; i < 19; i++)
			t[17 + i] = (unsigned char)brnd();
		break;
	case 3:
		memset(t + 17, (int)(brnd() & 0xff), 19); /* one character for everything */
		break;
	}
	if (brnd() % 3 == 0) { /* VTIME, VMIN */
		t[17 + 5] = (unsigned char)((brnd() & 1) ? 255 : brnd() % 3);
		t[17 + 6] = (unsigned char)((brnd() & 1) ? 255 : brnd() % 3);
	}
	uint32_t *speeds = (uint32_t *)(t + 36); /* termios2's c_ispeed, c_ospeed */
	speeds[0] = (uint32_t)((brnd() & 1) ? brnd() : 9600);
	speeds[1] = (uint32_t)((brnd() & 1) ? ~0ULL : 0);
	return (u64)t;
}

/* A process group or pid for the terminal and session calls: ours, the parent's, none, bad. */
static long any_group(u64 v)
{
	switch (v % 9) {
	case 0:
		return sys0(SYS_getpgrp);
	case 1:
		return my_pid;
	case 2:
		return 1; /* the parent's group and session */
	case 3:
		return 0;
	case 4:
		return -1;
	case 5:
		return (long)(int)0x80000000;
	case 6:
		return 99999;
	case 7:
		return sys1(SYS_getsid, 0);
	default:
		return my_pid + 1 + (long)(v >> 8) % 3;
	}
}

/*
 * A terminal ioctl (issue 16 items 1 and 2) on ttyS0 (fd 12, O_NONBLOCK; fd 13 /dev/console),
 * a pipe, a file, /dev/null, /proc, a directory or a bad fd, with a hostile argument: a termios
 * of absurd values, a window size, a group id, a small number, or a bad pointer. Sometimes the
 * process makes itself a session leader first, so TIOCSCTTY (stealing with arg 1), TIOCSPGRP
 * and TIOCNOTTY act; a session leader's exit then hangs the terminal up.
 */
static void fuzz_tty_ioctl(const u64 *a)
{
	static const long fds[] = { 12, 12, 12, 12, 13, 4, 5, 3, 6, 7, 8, 10, -1, 1000 };
	static const u64 cmds[] = {
		0x5401 /* TCGETS */,	  0x5402 /* TCSETS */,	   0x5403 /* TCSETSW */,
		0x5404 /* TCSETSF */,	  0x5405 /* TCGETA */,	   0x5406 /* TCSETA */,
		0x5409 /* TCSBRK */,	  0x540a /* TCXONC */,	   0x540b /* TCFLSH */,
		0x540c /* TIOCEXCL */,	  0x540e /* TIOCSCTTY */,  0x540f /* TIOCGPGRP */,
		0x5410 /* TIOCSPGRP */,	  0x5411 /* TIOCOUTQ */,   0x5412 /* TIOCSTI */,
		0x5413 /* TIOCGWINSZ */,  0x5414 /* TIOCSWINSZ */, 0x541b /* FIONREAD */,
		0x5421 /* FIONBIO */,	  0x5422 /* TIOCNOTTY */,  0x5424 /* TIOCGETD */,
		0x5429 /* TIOCGSID */,	  0x802c542a /* TCGETS2 */, 0x402c542b /* TCSETS2 */,
		0x5451 /* FIOCLEX */,	  0x80045430 /* TIOCGPTN */, 0x5425 /* TCSBRKP */,
	};
	long fd = fds[a[0] % NELEM(fds)];
	u64 cmd = (a[1] % 16 == 0) ? (a[1] >> 8) : cmds[a[1] % NELEM(cmds)];
	u64 arg;

	if ((a[1] >> 40) % 6 == 0)
		sys0(SYS_setsid); /* EPERM for a group leader: the round's first process */
	switch (a[2] % 10) {
	case 0:
	case 1:
	case 2:
		arg = build_termios();
		break;
	case 3: {
		uint16_t *ws = scratch_alloc(8);
		for (int i = 0; i < 4; i++)
			ws[i] = (uint16_t)((brnd() & 1) ? brnd() : 0xffff);
		arg = (u64)ws;
		break;
	}
	case 4: {
		int *g = scratch_alloc(4);
		*g = (int)any_group(brnd());
		arg = (u64)g;
		break;
	}
	case 5:
		arg = (a[2] >> 8) % 6 == 5 ? (u64)-1 : (a[2] >> 8) % 6; /* TCXONC/TCFLSH/TIOCSCTTY */
		break;
	case 6:
		arg = SCRATCH + SCRATCH_PAGES * PAGE - 1 - (a[2] >> 8) % 40; /* runs off the end */
		break;
	default:
		arg = a[3];
	}
	sys3(SYS_ioctl, fd, (long)cmd, (long)arg);
}

/* setsid, setpgid, getpgid and getsid with the pids and groups that have rules (issue 16 item 2). */
static void fuzz_session(const u64 *a)
{
	long pid = any_group(a[1]), pgid = any_group(a[2]);

	switch (a[0] % 5) {
	case 0:
		sys0(SYS_setsid);
		break;
	case 1:
	case 2:
		sys2(SYS_setpgid, pid, pgid);
		break;
	case 3:
		sys1(SYS_getpgid, pid);
		break;
	default:
		sys1(SYS_getsid, pid);
	}
}

/* A signal to a whole process group of the round (never -1, never the parent's group 1). */
static void fuzz_killpg(const u64 *a)
{
	long g = any_group(a[1]);

	if (g > 1)
		sys2(SYS_kill, -g, (long)a[0]);
	else
		sys2(SYS_kill, 0, (long)a[0]); /* our own group */
}

/* An nfds for poll/select: small, at the fd table's steps, past RLIMIT_NOFILE, huge, negative. */
static u64 any_nfds(u64 v)
{
	static const u64 n[] = { 0, 1, 2, 13, 14, 63, 64, 65, 127, 128, 1023, 1024, 1025, 4095,
				 4096, 4097, 65536, 1048576, 1048577, 0x7fffffff, 0x80000000,
				 0xffffffff, (u64)-1 };
	return (v & 3) ? v % 20 : n[(v >> 2) % NELEM(n)];
}

/* A timeout in ms for poll: none, short, forever (stalls the round), negative, extreme. */
static long any_poll_ms(u64 v)
{
	static const long t[] = { 0, 0, 0, 1, 2, -1, -2, (long)(int)0x80000000, 0x7fffffff };
	return t[v % NELEM(t)];
}

/* A sigmask pointer and size for ppoll/pselect6: none, valid, bad sizes, bad pointers. */
static void any_sigmask(u64 v, u64 *ptr, u64 *size)
{
	static const u64 sizes[] = { 8, 8, 0, 4, 7, 9, 16, 128, (u64)-1 };
	*ptr = (v & 3) == 0 ? 0 : (v & 3) == 1 ? any_ptr() : build_sigset(v >> 8);
	*size = sizes[(v >> 4) % NELEM(sizes)];
}

/*
 * poll or ppoll of a built set (issue 16 item 3): up to 4096 pollfds of open, closed, negative
 * and huge fds with random events, nfds beyond the set (into unmapped memory) or past
 * RLIMIT_NOFILE, and hostile timeouts and sigmasks.
 */
static void fuzz_pollset(const u64 *a)
{
	u64 nfds = any_nfds(a[0]), n = nfds < 4096 ? nfds : 4096;
	int *pfd = scratch_alloc(n * 8 + 8);
	u64 mptr, msize;

	if ((u64)pfd + n * 8 > SCRATCH + SCRATCH_PAGES * PAGE)
		pfd = (int *)SCRATCH; /* scratch_alloc wrapped a big set */
	for (u64 i = 0; i < n; i++) {
		pfd[2 * i] = (brnd() & 3) ? (int)(brnd() % 16) - 1 : (int)any_fd();
		pfd[2 * i + 1] = (int)((brnd() & 1) ? 1 | 4 : brnd()); /* events; revents garbage */
	}
	if (a[1] % 2 == 0) {
		sys3(SYS_poll, (a[2] % 8) ? (long)pfd : (long)any_ptr(), (long)nfds,
		     any_poll_ms(a[3]));
		return;
	}
	any_sigmask(a[3], &mptr, &msize);
	sys6(SYS_ppoll, (long)pfd, (long)nfds, (long)build_time(a[2] % 9 == 8 ? any_ptr() : a[2]),
	     (long)mptr, (long)msize, 0);
}

/*
 * MADV_HWPOISON or MADV_SOFT_OFFLINE (a[1] bit 3) on 1-3 pages of the arena (or just past it),
 * from page a[0]: only there, since a poisoned page of the program's own text, shared with the
 * parent (PID 1), would kill it. A non-root round gets EPERM. Each poisoned frame is retired for
 * good: the parent's leak check counts HardwareCorrupted as free.
 */
static void fuzz_hwpoison(const u64 *a)
{
	u64 start = ARENA + (a[0] % (ARENA_PAGES + 2)) * PAGE;
	u64 len = (1 + a[1] % 3) * PAGE - ((a[1] & 4) ? PAGE - 1 : 0);

	raw_syscall(SYS_madvise, (u64[]){ start, len, (a[1] & 8) ? 101 : 100, 0, 0, 0 });
}

/*
 * issue 17: a hostile robust list in the scratch pages, registered with set_robust_list, which
 * the process's exit (or execve, or a kill) walks: up to 8 entries whose next pointers go to
 * any of them (loops), to the head, or anywhere; PI bits; lock words with our tid and random
 * FUTEX_WAITERS/OWNER_DIED bits; a pending entry; an aligned, unaligned, negative or huge
 * futex_offset.
 */
static void fuzz_robust(const u64 *a)
{
	static const long offs[] = { 8, -8, 4, 9, 0, 1L << 40, (long)0x8000000000000000UL };
	static const u64 bad[] = { 0, 0x10, ARENA, ARENA + 3 * PAGE + 8, 0xffff800000000000ULL,
				   0x7ffffffffff8ULL };
	u64 *e = scratch_alloc(8 * 16 + 24), *head = e + 16;
	unsigned n = 1 + (unsigned)(a[0] % 8);
	unsigned tid = (unsigned)sys0(SYS_gettid);

	for (unsigned i = 0; i < n; i++) {
		u64 to = (a[2] >> (i * 4)) % (n + 2);
		e[2 * i] = to < n ? (u64)&e[2 * to] : to == n ? (u64)head : bad[(a[0] >> 16) % 6];
		e[2 * i] |= (a[3] >> (i + 32)) & 1; /* a PI entry */
		e[2 * i + 1] = tid | (((a[3] >> (2 * i)) & 3) << 30);
	}
	head[0] = a[0] & 0x100 ? (u64)head : (u64)&e[2 * ((a[0] >> 3) % n)];
	head[1] = (u64)offs[a[1] % NELEM(offs)];
	head[2] = a[1] & 0x100 ? (u64)&e[2 * ((a[1] >> 4) % n)] : (a[1] & 0x200 ? bad[(a[1] >> 16) % 6] : 0);
	sys2(SYS_set_robust_list, (long)head, 24);
}

/*
 * select or pselect6 of built fd_sets (issue 16 item 3): nfds negative, 0, at the fd table's
 * steps, past RLIMIT_NOFILE or huge; sets NULL, random bits (open and closed fds), or bad
 * pointers; timevals/timespecs negative, unnormalised or huge; pselect6's {sigmask, size}.
 */
static void fuzz_selectset(const u64 *a)
{
	u64 nfds = any_nfds(a[0]), bytes = ((nfds < 8192 ? nfds : 8192) + 63) / 64 * 8;
	u64 sets[3], mptr, msize;

	for (int k = 0; k < 3; k++) {
		u64 *s = scratch_alloc(bytes + 8);
		if ((u64)s + bytes > SCRATCH + SCRATCH_PAGES * PAGE)
			s = (u64 *)SCRATCH;
		for (u64 i = 0; i < bytes / 8; i++)
			s[i] = (brnd() & 1) ? brnd() : (brnd() & 0x3fff);
		switch ((a[1] >> (4 * k)) % 6) {
		case 0:
			sets[k] = 0;
			break;
		case 1:
			sets[k] = any_ptr();
			break;
		default:
			sets[k] = (u64)s;
		}
	}
	if (a[1] % 2 == 0) {
		long *tv = scratch_alloc(16);
		static const long secs[] = { 0, 0, 0, -1, 1, 0x7fffffffffffffffL, (1L << 47) };
		static const long usecs[] = { 0, 1, 999, 999999, 1000000, -1 };
		tv[0] = secs[a[2] % NELEM(secs)];
		tv[1] = usecs[(a[2] >> 8) % NELEM(usecs)];
		sys6(SYS_select, (long)(int)nfds, (long)sets[0], (long)sets[1], (long)sets[2],
		     (a[2] >> 16) % 5 ? (long)tv : (a[2] >> 16) % 10 == 0 ? 0 : (long)any_ptr(), 0);
		return;
	}
	any_sigmask(a[3], &mptr, &msize);
	u64 *sig = scratch_alloc(16);
	sig[0] = mptr;
	sig[1] = msize;
	sys6(SYS_pselect6, (long)nfds, (long)sets[0], (long)sets[1], (long)sets[2],
	     (long)build_time(a[2]), (a[3] >> 12) % 5 ? (long)sig : (long)any_ptr());
}
/* ------------------------------------------------------------------ sockets (AF_UNIX) */

/*
 * The socket calls (AF_UNIX is Warden's only family). setup_arena leaves sockets at fds 14..20
 * (a stream, a datagram and a seqpacket pair, a listener bound to an abstract name); the calls
 * make more at 21 and up. Most sockets and most calls do not block (MSG_DONTWAIT, short
 * SO_RCVTIMEO): a call that blocks stalls the round until the parent kills it, as any other.
 */
#define SOCK_FIRST 14
#define SOCK_LAST 24

/* A socket fd: mostly one of ours, sometimes any fd (a file, a pipe, a bad number). */
static long sock_fd(u64 v)
{
	if (v % 8 < 5)
		return SOCK_FIRST + (long)((v >> 3) % 7); /* setup_sockets' */
	if (v % 8 < 7)
		return SOCK_FIRST + (long)((v >> 3) % (SOCK_LAST - SOCK_FIRST + 1));
	return (long)((v >> 3) % 2 ? (v >> 4) % 14 : any_fd());
}

/*
 * A sockaddr_un in the scratch pages (or a bad pointer) and its length: paths in the scratch
 * dir (free, a directory, a regular file, a symlink, in a missing dir), abstract names, the
 * autobind name, an unterminated 108-byte path, a wrong family; lengths from 0 to huge.
 */
static u64 build_sockaddr(u64 v, long *len)
{
	static const char *const names[] = { SCRATCH_DIR "/s0", SCRATCH_DIR "/s1", SCRATCH_DIR "/s2",
					      SCRATCH_DIR "/d", SCRATCH_DIR "/a", SCRATCH_DIR "/l",
					      SCRATCH_DIR "/nonexistent/s", "s0", "s1", "" };
	static const long lens[] = { 0, 1, 2, 3, 4, 16, 109, 110, 111, 128, 4096, -1, 0x7fffffff };
	char *sa = scratch_alloc(128 + 16);
	int kind = (int)(v % 16);

	memset(sa, 0, 128 + 16);
	sa[0] = 1; /* AF_UNIX */
	if (kind < 8) { /* a path */
		const char *s = names[(v >> 4) % NELEM(names)];
		strcpy(sa + 2, s);
		*len = 2 + (long)strlen(s) + (long)((v >> 8) % 2);
	} else if (kind < 12) { /* an abstract name: "\0fzN" */
		sa[3] = 'f', sa[4] = 'z', sa[5] = (char)('0' + (v >> 4) % 4);
		*len = 6;
	} else if (kind == 12) { /* autobind (bind) or nothing (connect) */
		*len = 2;
	} else if (kind == 13) { /* 108 bytes, no NUL: Linux terminates a copy */
		memset(sa + 2, 'a', 108);
		*len = 110;
	} else if (kind == 14) { /* another family */
		sa[0] = (char)(v >> 4);
		sa[1] = (char)(v >> 12);
		strcpy(sa + 2, SCRATCH_DIR "/s0");
		*len = 12;
	} else { /* a name that runs into the PROT_NONE pages of the arena */
		*len = (long)(brnd() % 130);
		return ARENA + 16 * PAGE - (u64)(brnd() % 130);
	}
	if ((v >> 10) % 4 == 0)
		*len = lens[(v >> 12) % NELEM(lens)];
	if ((v >> 14) % 16 == 0)
		return any_ptr();
	return (u64)sa;
}

/* A socklen_t for an address the kernel writes: sizes from 0 to huge, or a bad pointer. */
static u64 build_socklen(u64 v)
{
	static const uint32_t vals[] = { 0, 1, 2, 3, 16, 110, 111, 200, 0x7fffffff, 0x80000000,
					 0xffffffff };
	if (v % 8 == 0)
		return any_ptr();
	uint32_t *l = scratch_alloc(4);
	*l = vals[(v >> 3) % NELEM(vals)];
	return (u64)l;
}

/* Where a received address or message goes: scratch, the arena (any kind of page), bad. */
static u64 sock_buf(u64 v)
{
	switch (v % 4) {
	case 0:
		return SCRATCH + (v >> 2) % (SCRATCH_PAGES * PAGE - 256);
	case 1:
		return ARENA + (v >> 2) % (ARENA_PAGES * PAGE);
	case 2:
		return v % 3 ? 0 : ARENA + 16 * PAGE - 8;
	default:
		return any_ptr();
	}
}

/* MSG_* flags: MSG_DONTWAIT mostly, with OOB, PEEK, WAITALL, TRUNC, CMSG_CLOEXEC, garbage. */
static long sock_flags(u64 v)
{
	static const long bits[] = { 0x1 /* OOB */,	   0x2 /* PEEK */,	  0x8 /* CTRUNC */,
				     0x20 /* TRUNC */,	   0x80 /* EOR */,	  0x100 /* WAITALL */,
				     0x2000 /* ERRQUEUE */, 0x4000 /* NOSIGNAL */, 0x8000 /* MORE */,
				     0x10000 /* WAITFORONE */, 0x40000000 /* CMSG_CLOEXEC */ };
	long f = v % 8 ? 0x40 /* DONTWAIT */ : 0;
	if ((v >> 3) % 2) /* often no other flag: the message goes through */
		return f | ((v >> 4) % 2 ? 0x4000 : 0);
	for (unsigned i = 0; i < NELEM(bits); i++)
		if ((v >> (8 + 3 * i)) % 8 == 0)
			f |= bits[i];
	if ((v >> 40) % 16 == 0)
		f = (long)(int)(v >> 32);
	return f;
}

/*
 * Control messages: up to three of SCM_RIGHTS (random fds: sockets, the socket itself, files,
 * pipes, bad numbers), SCM_CREDENTIALS (ours, another's, garbage) and garbage (levels, types,
 * cmsg_len 0, short, past the buffer, huge); *len the buffer's length, exact or wrong.
 */
static u64 build_cmsg(u64 v, long sockfd, u64 *len)
{
	unsigned char *buf = scratch_alloc(512);
	size_t off = 0;
	int n = v % 4 ? 1 : 1 + (int)(v / 4 % 3);

	memset(buf, 0, 512);
	for (int k = 0; k < n && off + 16 + 64 <= 512; k++) {
		u64 *hdr = (u64 *)(buf + off); /* cmsg_len (u64), level, type (ints) */
		int *lt = (int *)(buf + off + 8);
		int *data = (int *)(buf + off + 16);
		u64 dlen;
		switch (k == 0 && v % 2 ? 0 : brnd() % 4) {
		case 0:
		case 1: { /* SCM_RIGHTS */
			int nfd = 1 + (int)(brnd() % 4 ? brnd() % 2 : brnd() % 8);
			for (int i = 0; i < nfd; i++) {
				switch (brnd() % 8) {
				case 0:
					data[i] = (int)sockfd;
					break;
				case 1:
					data[i] = (int)(3 + brnd() % 11); /* files, pipe, dir, mem */
					break;
				case 2:
					data[i] = (int)any_fd();
					break;
				default:
					data[i] = SOCK_FIRST + (int)(brnd() % 11);
				}
			}
			lt[0] = 1, lt[1] = 1;
			dlen = 4 * (u64)nfd;
			break;
		}
		case 2: /* SCM_CREDENTIALS: pid, uid, gid */
			lt[0] = 1, lt[1] = 2;
			data[0] = brnd() % 2 ? my_pid : (int)brnd() % 4;
			data[1] = brnd() % 2 ? (int)sys0(SYS_getuid) : (int)(brnd() % 1001);
			data[2] = brnd() % 2 ? (int)sys0(SYS_getgid) : -1;
			dlen = 12;
			break;
		default: /* garbage */
			lt[0] = brnd() % 2 ? 1 : (int)brnd();
			lt[1] = (int)(brnd() % 8);
			data[0] = (int)brnd();
			dlen = brnd() % 32;
		}
		*hdr = 16 + dlen;
		if (brnd() % 16 == 0) {
			static const u64 bad[] = { 0, 1, 15, 16, 17, 400, 4096, ~0ULL, 0x80000000 };
			*hdr = bad[brnd() % NELEM(bad)];
		}
		off += (16 + dlen + 7) & ~7UL;
	}
	*len = off;
	if (brnd() % 12 == 0) {
		static const u64 bad[] = { 0, 1, 15, 16, 17, 511, 4096, 1 << 20, ~0ULL, 0x7fffffff };
		*len = bad[brnd() % NELEM(bad)];
	}
	return (u64)buf;
}

/* A struct msghdr: a name (or none), an iovec array into any memory, control messages. */
static u64 build_msghdr(u64 v, long sockfd, int recv)
{
	if (v % 16 == 0)
		return any_ptr();
	u64 *m = scratch_alloc(56);
	long salen = 0;
	m[0] = v % 8 == 1 ? (recv ? sock_buf(brnd()) : build_sockaddr(brnd(), &salen)) : 0;
	m[1] = (u64)(recv ? (long)(brnd() % 2 ? 110 : brnd() % 300) : salen);
	if (brnd() % 2) { /* one good buffer: the message (and its files) goes through */
		u64 *iov = scratch_alloc(16);
		iov[0] = sock_buf(brnd() % 2 ? brnd() & ~3ULL : brnd());
		iov[1] = 1 + brnd() % 256;
		m[2] = (u64)iov, m[3] = 1;
	} else {
		m[2] = build_iov(brnd() % 8 ? brnd() % (1 << 16) : any_ptr());
		m[3] = brnd() % 8 ? brnd() % 17 : any_int(); /* UIO_MAXIOV is 1024 */
	}
	m[4] = 0, m[5] = 0;
	if (recv && brnd() % 2) {
		m[4] = sock_buf(brnd());
		m[5] = brnd() % 2 ? 24 + brnd() % 64 : brnd() % 600;
	} else if (!recv && brnd() % 4) {
		m[4] = build_cmsg(brnd(), sockfd, &m[5]);
	}
	m[6] = brnd() % 4 ? 0 : brnd();
	return (u64)m;
}

/* A socket option value: an int (0, 1, huge, negative) or a timeval (short timeouts). */
static u64 build_optval(u64 v, u64 *len)
{
	long *p = scratch_alloc(32);
	static const long ints[] = { 0, 1, 2, -1, 100, 4096, 0x7fffffff, (long)0x80000000 };
	p[0] = ints[v % NELEM(ints)], p[1] = ints[(v >> 4) % NELEM(ints)];
	if ((v >> 8) % 2) { /* a timeval: 0, 1 ms, -1 s, usec out of range */
		static const long tv[][2] = { { 0, 0 }, { 0, 1000 }, { -1, 0 }, { 0, 1000000 },
					      { 0, -1 }, { 0, 1 }, { 0x7fffffff, 0 } };
		p[0] = tv[(v >> 9) % 7][0], p[1] = tv[(v >> 9) % 7][1];
	}
	static const u64 lens[] = { 0, 1, 3, 4, 8, 12, 16, 17, 32, 4096, ~0ULL, 0x80000000 };
	*len = (v >> 12) % 3 ? ((v >> 8) % 2 ? 16 : 4) : lens[(v >> 14) % NELEM(lens)];
	return (v >> 20) % 16 ? (u64)p : any_ptr();
}

/* A (level, optname): SOL_SOCKET's options (SO_RCVTIMEO, SO_PASSCRED, SO_PEEK_OFF...), others. */
static void sock_opt(u64 v, long *level, long *opt)
{
	static const long opts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 16, 17, 18, 19, 20, 21,
				     32, 33, 38, 39, 42, 66, 67, 0, 100, -1 };
	static const long levels[] = { 1 /* SOL_SOCKET */, 0, 6, 17, 263, -1, 0x7fffffff };
	*level = v % 4 ? 1 : levels[(v >> 2) % NELEM(levels)];
	*opt = (v >> 5) % 8 ? opts[(v >> 8) % NELEM(opts)] : (long)(int)(v >> 16);
}

enum { SK_SOCKET, SK_SOCKETPAIR, SK_BIND, SK_CONNECT, SK_LISTEN, SK_ACCEPT, SK_ACCEPT4,
       SK_SENDTO, SK_RECVFROM, SK_SENDMSG, SK_RECVMSG, SK_SENDMMSG, SK_RECVMMSG, SK_SHUTDOWN,
       SK_GETSOCKNAME, SK_GETPEERNAME, SK_SETSOCKOPT, SK_GETSOCKOPT, SK_IOCTL, SK_CLOSE };

/* One socket call, op SK_*, its arguments built from the call's random words a[]. */
static void fuzz_sock(int op, const u64 *a)
{
	long fd = sock_fd(a[0]), len = 0;
	u64 ulen;

	switch (op) {
	case SK_SOCKET:
	case SK_SOCKETPAIR: {
		static const long fams[] = { 1, 1, 1, 1, 0, 2, 10, 16, 17, 46, 45, 128, -1 };
		static const long types[] = { 1, 2, 5, 1, 2, 5, 3, 4, 6, 10, 0, 11, -1 };
		long fam = a[1] % 8 ? fams[(a[1] >> 3) % NELEM(fams)] : (long)(int)a[1];
		long type = types[(a[2] >> 2) % NELEM(types)];
		type |= (a[2] % 4 != 1 ? 04000 /* SOCK_NONBLOCK */ : 0) |
			((a[2] >> 8) % 2 ? 02000000 /* SOCK_CLOEXEC */ : 0);
		if ((a[2] >> 16) % 16 == 0)
			type = (long)(int)(a[2] >> 20);
		long proto = a[3] % 8 ? 0 : (long)(int)a[3];
		if (op == SK_SOCKET)
			sys3(SYS_socket, fam, type, proto);
		else
			sys4(SYS_socketpair, fam, type, proto,
			     a[4] % 8 ? (long)scratch_alloc(8) : (long)any_ptr());
		return;
	}
	case SK_BIND:
	case SK_CONNECT: {
		u64 sa = build_sockaddr(a[1], &len);
		sys3(op == SK_BIND ? SYS_bind : SYS_connect, fd, (long)sa, len);
		return;
	}
	case SK_LISTEN:
		sys2(SYS_listen, fd, a[1] % 4 ? (long)(a[1] % 8) : (long)(int)a[1]);
		return;
	case SK_ACCEPT:
	case SK_ACCEPT4: {
		u64 addr = a[1] % 3 ? sock_buf(a[1] >> 2) : 0;
		u64 alen = addr || a[2] % 4 == 0 ? build_socklen(a[2]) : 0;
		long flags = a[3] % 8 ? (long)(a[3] & 04000) | (long)(a[3] & 02000000) :
					(long)(int)a[3];
		if (op == SK_ACCEPT)
			sys3(SYS_accept, fd, (long)addr, (long)alen);
		else
			sys4(SYS_accept4, fd, (long)addr, (long)alen, flags);
		return;
	}
	case SK_SENDTO: {
		u64 sa = a[3] % 3 ? 0 : build_sockaddr(a[3] >> 2, &len);
		sys6(SYS_sendto, fd, (long)sock_buf(a[1]), (long)(a[4] % 4 ? a[4] % 300 : any_len()),
		     sock_flags(a[2]), (long)sa, len);
		return;
	}
	case SK_RECVFROM: {
		u64 addr = a[3] % 2 ? sock_buf(a[3] >> 1) : 0;
		sys6(SYS_recvfrom, fd, (long)sock_buf(a[1]),
		     (long)(a[4] % 4 ? a[4] % 300 : any_len()), sock_flags(a[2]), (long)addr,
		     (long)(addr || a[3] % 8 == 0 ? build_socklen(a[3] >> 3) : 0));
		return;
	}
	case SK_SENDMSG:
	case SK_RECVMSG:
	{
		long ret = sys3(op == SK_SENDMSG ? SYS_sendmsg : SYS_recvmsg, fd,
				(long)build_msghdr(a[1], fd, op == SK_RECVMSG), sock_flags(a[2]));
		if (ret >= 0)
			__atomic_add_fetch(&ctrl->sock_msgs, 1, __ATOMIC_RELAXED);
		else if (op == SK_SENDMSG && ret > -134)
			__atomic_add_fetch(&ctrl->sock_err[-ret], 1, __ATOMIC_RELAXED);
	}
		return;
	case SK_SENDMMSG:
	case SK_RECVMMSG: { /* struct mmsghdr: a msghdr and a length; vlen 0..4, huge */
		u64 *vec = scratch_alloc(4 * 64);
		for (int i = 0; i < 4; i++) {
			u64 *m = (u64 *)build_msghdr(brnd() % 15 + 1, fd, op == SK_RECVMMSG);
			memcpy(vec + 8 * i, m, 56);
			vec[8 * i + 7] = brnd();
		}
		long vlen = a[3] % 4 ? (long)(a[3] % 5) : (long)any_int();
		if (op == SK_SENDMMSG)
			sys4(SYS_sendmmsg, fd, a[4] % 8 ? (long)vec : (long)any_ptr(), vlen,
			     sock_flags(a[2]));
		else
			sys6(SYS_recvmmsg, fd, a[4] % 8 ? (long)vec : (long)any_ptr(), vlen,
			     sock_flags(a[2]), a[1] % 2 ? (long)build_time(a[1] >> 1) : 0, 0);
		return;
	}
	case SK_SHUTDOWN:
		sys2(SYS_shutdown, fd, a[1] % 4 ? (long)(a[1] % 4) : (long)(int)a[1]);
		return;
	case SK_GETSOCKNAME:
	case SK_GETPEERNAME:
		sys3(op == SK_GETSOCKNAME ? SYS_getsockname : SYS_getpeername, fd,
		     (long)sock_buf(a[1]), (long)build_socklen(a[2]));
		return;
	case SK_SETSOCKOPT:
	case SK_GETSOCKOPT: {
		long level, opt;
		sock_opt(a[1], &level, &opt);
		u64 val = build_optval(a[2], &ulen);
		if (op == SK_SETSOCKOPT) {
			sys6(SYS_setsockopt, fd, level, opt, (long)val, (long)ulen, 0);
		} else {
			uint32_t *l = scratch_alloc(4);
			*l = (uint32_t)ulen;
			sys6(SYS_getsockopt, fd, level, opt, (long)sock_buf(a[3]),
			     a[4] % 8 ? (long)l : (long)any_ptr(), 0);
		}
		return;
	}
	case SK_IOCTL: {
		static const long cmds[] = { 0x541b /* FIONREAD, SIOCINQ */, 0x5411 /* SIOCOUTQ */,
					     0x8905 /* SIOCATMARK */, 0x5421 /* FIONBIO */,
					     0x5452 /* FIOASYNC */, 0x8912 /* SIOCGIFCONF */,
					     0x89e0 /* SIOCPROTOPRIVATE */, 0x5401 /* TCGETS */ };
		long cmd = a[1] % 8 ? cmds[(a[1] >> 3) % NELEM(cmds)] : (long)(int)a[1];
		sys3(SYS_ioctl, fd, cmd, (long)sock_buf(a[2]));
		return;
	}
	case SK_CLOSE: /* makes room, and releases sockets: the collector runs */
		if (fd >= SOCK_FIRST)
			sys1(SYS_close, fd);
		return;
	}
}



/* Makes one generated call (the process may not come back). */
static void do_call(const struct call *c)
{
	u64 a[6];
	brng = c->blob;
	for (int i = 0; i < 6; i++)
		a[i] = c->sc->args[i] && i < (int)strlen(c->sc->args) ? build_arg(c->sc->args[i], c->a[i]) :
									  c->a[i];
	switch (c->sc->nr) {
	case OP_TOUCH: {
		volatile unsigned char *p = (unsigned char *)a[0];
		if (sigsetjmp(touch_jmp, 1) == 0) {
			in_touch = 1;
			switch (a[1] % 4) {
			case 0:
				(void)*p;
				break;
			case 1:
				*p = (unsigned char)a[1];
				break;
			default:
				/* a whole page: faults in every page of a range, COW after fork */
				for (u64 i = 0; i < PAGE * 2; i += 64)
					p[i] = (unsigned char)(p[i] + 1);
			}
		}
		in_touch = 0;
		return;
	}
	case OP_FORK: {
		long pid = sys0(SYS_fork);
		if (pid == 0) {
			my_pid = (int)sys0(SYS_getpid);
			rng ^= 0x5555555555555555ULL; /* the child continues with its own sequence */
		}
		return;
	}
	case OP_VFORK:
		fork_and_exit(SYS_vfork, 0, 0, 0, 0);
		return;
	case OP_CLONE:
		/*
		 * Any exit signal (the low byte) and CLONE_VM/CLONE_VFORK (the child leaves at once
		 * without touching memory); no CLONE_THREAD/SIGHAND: a thread's exit_group would
		 * end this process too.
		 */
		fork_and_exit(SYS_clone, (a[0] & ~0x10800ULL) | (a[0] & 1 ? SIGCHLD : 0),
			      a[0] & 2 ? a[1] : 0, a[2], a[3]);
		return;
	case OP_THREAD:
		fuzz_clone_thread(SYS_clone, a);
		return;
	case OP_CLONE3:
		fuzz_clone_thread(SYS_clone3, a);
		return;
	case OP_SIGRETURN:
		garbage_sigreturn(a[0]);
		return;
	case OP_WRPKRU:
		if (have_pku) {
			unsigned pkru = (unsigned)a[0] & ~3U; /* key 0 stays open: our stack */
			__asm__ volatile("wrpkru" : : "a"(pkru), "c"(0), "d"(0) : "memory");
		}
		return;
	case OP_EXECVE: {
		static const char *const progs[] = { "/prog", "/prog", SCRATCH_DIR "/a",
						     SCRATCH_DIR "/f0", SCRATCH_DIR "/e", "/dev/null",
						     "/tmp", "/proc/self/exe" };
		const char *prog = progs[a[0] % NELEM(progs)];
		char *path = scratch_alloc(strlen(prog) + 1);
		strcpy(path, prog);
		u64 argv = a[1], envp = a[2];
		if (a[0] % 3 == 0) { /* a good argv: /prog exits at once */
			u64 *v = scratch_alloc(24);
			v[0] = (u64)"fuzz";
			v[1] = (u64)"exit";
			v[2] = 0;
			argv = (u64)v;
		}
		sys3(SYS_execve, (long)path, (long)argv, (long)envp);
		return;
	}
	case OP_EXIT:
		if (a[0] % 4 == 0)
			sys1(SYS_exit, (long)a[0]);
		return;
	case OP_RAISE:
		sys2(SYS_kill, my_pid, (long)a[0]);
		return;
	case OP_SIGINIT: {
		/*
		 * PID 1 (our parent under run-program) takes no default-action signal from user
		 * space (issue 15 item 1): stops, SIGKILL and the rest are ignored, SIGCONT too.
		 */
		static const int sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT,
					    SIGKILL, SIGTERM, SIGINT,  SIGUSR1, SIGSEGV };
		int sig = sigs[a[0] % NELEM(sigs)];
		if ((a[0] >> 8) % 3 == 0)
			sys2(SYS_kill, 1, sig);
		else if ((a[0] >> 8) % 3 == 1)
			sys2(SYS_tkill, 1, sig);
		else
			sys3(SYS_tgkill, 1, 1, sig);
		return;
	}
	case OP_BADNR: {
		static const long nrs[] = { -1, 335, 400, 450, 511, 512, 547, 1000, 0x40000000,
					    0x40000001, 0x4000003c, 0x7fffffff, 206, 212, 236,
					    /* issue 15: high bits (Linux uses the low 32: getpid,
					       getppid, uname) and negative ints */
					    0x100000027L, (long)0xffffffff0000006eUL,
					    (long)0x8000000000000000UL + 63, (long)0x80000000UL,
					    (long)0xfffffffffffffffeUL };
		long nr = nrs[a[0] % NELEM(nrs)];
		u64 b[6] = { a[1], a[2], a[3], a[4], a[5], 0 };
		raw_syscall(nr, b);
		return;
	}
	case OP_PTRACE_REGS:
		ptrace_regs(a[0], a[1]);
		return;
	case OP_BLOCKING:
		if (a[0] % 8 == 0)
			sys0(SYS_pause);
		else if (a[0] % 8 == 1)
			sys2(SYS_rt_sigsuspend, (long)build_sigset(0), 8);
		else if (a[0] % 8 == 2)
			sys3(SYS_read, 4, SCRATCH, 16); /* the pipe: blocks while we hold its writer */
		return;
	case OP_MODIFY_LDT:
		fuzz_modify_ldt(c->a);
		return;
	case OP_SEGLOAD:
		fuzz_segload(c->a[0], c->a[1]);
		return;
	case OP_TTY_IOCTL:
		fuzz_tty_ioctl(c->a);
		return;
	case OP_SESSION:
		fuzz_session(c->a);
		return;
	case OP_KILLPG:
		fuzz_killpg(c->a);
		return;
	case OP_POLLSET:
		fuzz_pollset(c->a);
		return;
	case OP_SELECTSET:
		fuzz_selectset(c->a);
		return;
	case OP_ROBUST:
		fuzz_robust(c->a);
		return;
	case OP_HWPOISON:
		fuzz_hwpoison(c->a);
		return;
	default:
		if (c->sc->nr <= OP_SOCK) {
			fuzz_sock((int)(OP_SOCK - c->sc->nr), c->a);
			return;
		}
		raw_syscall(c->sc->nr, a);
	}
}

/* Prints one call as "[pid] #i name(a, b, ...)". */
static void print_call(int fd, int i, const struct call *c)
{
	char line[256];
	int n = snprintf(line, sizeof(line), "[%d] #%d %s(", my_pid, i, c->sc->name);
	int nargs = (int)strlen(c->sc->args);
	for (int k = 0; k < nargs; k++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%#llx", k ? ", " : "",
			      (unsigned long long)c->a[k]);
	n += snprintf(line + n, sizeof(line) - (size_t)n, ") blob %#llx\n",
		      (unsigned long long)c->blob);
	sys3(SYS_write, fd, (long)line, n);
}

/* ------------------------------------------------------------------ a round's child */

static void die(const char *why)
{
	sys3(SYS_write, 2, (long)why, (long)strlen(why));
	sys1(SYS_exit_group, 99);
}

/* The sockets of a fresh round (fds 14..20): pairs of each type, a listener with a name. */
static void setup_sockets(void)
{
	int sv[2];
	struct timeval tv = { 0, 2000 };
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) || sv[0] != 14 ||
	    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv) || sv[0] != 16 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) || sv[0] != 18)
		die("fuzz: socketpairs are not 14..19\n");
	for (int fd = 18; fd <= 19; fd++) { /* blocking, but never for long */
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	struct sockaddr_un sun = { .sun_family = AF_UNIX, .sun_path = "\0fz0" };
	if (socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0) != 20 ||
	    bind(20, (struct sockaddr *)&sun, 6) || listen(20, 4))
		die("fuzz: the listener is not 20\n");
}

/* Builds the arena: private, PROT_NONE, keyed, holes, shared file, read-only, shared anon. */
static void setup_arena(void)
{
	u64 a = ARENA;
	if (mmap((void *)SCRATCH, SCRATCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)SCRATCH)
		die("fuzz: scratch mmap failed\n");
	if (mmap((void *)a, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != (void *)a)
		die("fuzz: arena mmap failed\n");
	memset((void *)a, 0x5a, 8 * PAGE);
	mmap((void *)(a + 16 * PAGE), 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	     -1, 0);
	mmap((void *)(a + 20 * PAGE), 4 * PAGE, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset((void *)(a + 20 * PAGE), 0x33, 2 * PAGE);
	long key = sys2(SYS_pkey_alloc, 0, 1 /* PKEY_DISABLE_ACCESS */);
	if (key > 0)
		sys4(SYS_pkey_mprotect, (long)(a + 20 * PAGE), 4 * PAGE, PROT_READ | PROT_WRITE, key);
	/* 24..27: a hole */
	int fd = open(SCRATCH_DIR "/f0", O_RDWR);
	if (fd != 3)
		die("fuzz: f0 is not fd 3\n");
	mmap((void *)(a + 28 * PAGE), 8 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	mmap((void *)(a + 36 * PAGE), 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	mmap((void *)(a + 40 * PAGE), 8 * PAGE, PROT_READ | PROT_WRITE,
	     MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	mmap((void *)(a + 48 * PAGE), 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	     -1, 0);
	mmap((void *)(a + 56 * PAGE), 8 * PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0);
	int p[2];
	if (pipe(p) || p[0] != 4 || p[1] != 5)
		die("fuzz: pipe is not 4, 5\n");
	if (open("/dev/null", O_RDWR) != 6 || open("/proc/self/maps", O_RDONLY) != 7 ||
	    open(SCRATCH_DIR, O_RDONLY | O_DIRECTORY) != 8 ||
	    open(SCRATCH_DIR "/a", O_RDWR | O_CREAT | O_APPEND, 0644) != 9 ||
	    open("/proc/self/mem", O_RDWR) != 10 || open("/proc/self/pagemap", O_RDONLY) != 11)
		die("fuzz: fds 6..11\n");
	/* the terminal (issue 16): reads never wait on fd 12; 13 is /dev/console */
	if (open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK) != 12 ||
	    open("/dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK) != 13)
		die("fuzz: fds 12, 13\n");
	setup_sockets();
	if (chdir(SCRATCH_DIR))
		die("fuzz: chdir\n");
}

/* Runs (or prints) the calls of round r in this process. */
/* The unprivileged rounds' state: the uid they run as and the root process to keep out of. */
#define FUZZ_UID 1000
static int unprivileged;
static int root_victim;

/* Records a breach for the parent (once) and ends the process. */
static void breach(const char *what, long r)
{
	if (!ctrl->breach) {
		char extra[32];
		snprintf(extra, sizeof(extra), "%.24s", ctrl->why);
		snprintf(ctrl->why, sizeof(ctrl->why), "as uid %d: %s (%ld)%s%s", FUZZ_UID, what, r,
			 extra[0] ? ", root process " : "", extra);
		ctrl->breach = 1;
	}
	sys1(SYS_exit_group, 99);
}

/* Calls that must fail as uid FUZZ_UID against the root process (and pagemap's frames). */
static void probe_root_victim(void)
{
	static const char *const files[] = { "mem", "maps", "pagemap", "environ" };
	char path[64];
	u64 e = 0;

	for (unsigned i = 0; i < NELEM(files); i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", root_victim, files[i]);
		long fd = sys3(SYS_open, (long)path, O_RDONLY, 0);
		if (fd >= 0) {
			/* the root process's state and exit signal say how it got there */
			char st[256] = { 0 };
			snprintf(path, sizeof(path), "/proc/%d/stat", root_victim);
			long sfd = sys3(SYS_open, (long)path, O_RDONLY, 0);
			if (sfd >= 0 && sys3(SYS_read, sfd, (long)st, sizeof(st) - 1) > 0) {
				char *e = strrchr(st, ')');
				/* a root process that died (the OOM killer) has no memory to
				 * guard: its files open for anyone, as in Linux */
				if (e && (e[2] == 'Z' || e[2] == 'X')) {
					sys1(SYS_close, fd);
					sys1(SYS_close, sfd);
					return;
				}
				snprintf(ctrl->why, sizeof(ctrl->why), "state %.2s", e ? e + 2 : "?");
			}
			breach(files[i], fd);
		}
	}
	long r = sys4(SYS_ptrace, PTRACE_ATTACH, root_victim, 0, 0);
	if (r >= 0)
		breach("PTRACE_ATTACH of root", r);
	r = sys2(SYS_kill, root_victim, 0);
	if (r >= 0)
		breach("kill of root", r);
	struct iovec local = { &e, sizeof(e) }, remote = { canary, sizeof(e) };
	r = sys6(SYS_process_vm_readv, root_victim, (long)&local, 1, (long)&remote, 1, 0);
	if (r >= 0)
		breach("process_vm_readv of root", r);
	long fd = sys3(SYS_open, (long)"/proc/self/pagemap", O_RDONLY, 0);
	if (fd >= 0) {
		r = sys4(SYS_pread64, fd, (long)&e, 8, (long)((uintptr_t)canary / PAGE * 8));
		sys1(SYS_close, fd);
		if (r == 8 && (e & ((1ULL << 55) - 1)))
			breach("a page frame number in pagemap", (long)(e & 0xffff));
	}
}

/* After each call of an unprivileged round: the ids and capabilities are still a user's. */
static void check_unprivileged(int i)
{
	unsigned ids[6] = { 0 };
	struct {
		unsigned version;
		int pid;
	} h = { 0x20080522, 0 };
	unsigned caps[6] = { 0 };

	sys3(SYS_getresuid, (long)&ids[0], (long)&ids[1], (long)&ids[2]);
	sys3(SYS_getresgid, (long)&ids[3], (long)&ids[4], (long)&ids[5]);
	for (int k = 0; k < 6; k++)
		if (ids[k] != FUZZ_UID)
			breach("an id changed", (long)ids[k]);
	long r = sys2(SYS_capget, (long)&h, (long)caps);
	for (int k = 0; k < 6; k++)
		if (r == 0 && caps[k])
			breach("a capability appeared", (long)caps[k]);
	if (i % 8 == 0)
		probe_root_victim();
}

/* An unprivileged round's start: a root process with a secret, then every id dropped. */
static void drop_privileges(void)
{
	long pid = sys0(SYS_fork);
	if (pid == 0) {
		u64 secret[PAGE / 8];
		dump_cores = 0; /* a tty's SIGQUIT (TIOCSTI) reaches it: it stays alive */
		for (unsigned k = 0; k < NELEM(secret); k++)
			secret[k] = 0x5ec2e7ULL * (k + 1) ^ (u64)sys0(SYS_getpid);
		for (;;)
			sys0(SYS_pause);
	}
	root_victim = (int)pid;
	if (sys3(SYS_setresgid, FUZZ_UID, FUZZ_UID, FUZZ_UID) ||
	    sys3(SYS_setresuid, FUZZ_UID, FUZZ_UID, FUZZ_UID))
		breach("cannot drop root", -1);
	/* dropping root made it non-dumpable: back, so its own pagemap opens */
	sys2(SYS_prctl, PR_SET_DUMPABLE, 1);
	unprivileged = 1;
}

static void run_round(int r, int calls)
{
	struct call c;
	rng = seed * 0x100000001b3ULL ^ ((u64)r << 32) ^ 0xcbf29ce484222325ULL;
	rnd();
	for (int i = 0; i < calls; i++) {
		gen_call(&c);
		if (print_only) {
			print_call(1, i, &c);
			continue;
		}
		ctrl->alive++;
		__atomic_add_fetch(&ctrl->calls, 1, __ATOMIC_RELAXED);
		if (verbose)
			print_call(LOG_FD, i, &c);
		do_call(&c);
		if (unprivileged)
			check_unprivileged(i);
	}
}

/* The child of round r: a fresh arena, then the calls. */
static void child(int r, int calls)
{
	my_pid = (int)sys0(SYS_getpid);
	/* A process group of its own (issue 16): kill(0, ...) reaches the round, not the checker. */
	sys2(SYS_setpgid, 0, 0);
	struct sigaction sa = { .sa_sigaction = fuzz_handler, .sa_flags = SA_SIGINFO | SA_NODEFER };
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP && s != SIGCHLD)
			sigaction(s, &sa, NULL);
	setup_arena();
	if (r % 4 >= 2) { /* core dumps (kernel/coredump.c) of the deaths by signal */
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
		setrlimit(RLIMIT_CORE, &rl);
		dump_cores = 1;
	}
	if (r & 1)
		drop_privileges();
	run_round(r, calls);
	sys1(SYS_exit_group, 0);
}

/* ------------------------------------------------------------------ the parent */

/* Removes a file or a directory tree (errors ignored: it may be gone or half-made). */
static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st))
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void diag(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : 0;
	if (n > 0)
		write(1, buf, (size_t)n);
	close(fd);
}

static void diag_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) || !strncmp(path, "/proc", 5) || !strncmp(path, "/sys", 4))
		return;
	printf("%s %o %ld\n", path, (unsigned)st.st_mode, (long)st.st_size);
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof(sub), "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
			diag_tree(sub);
		}
		if (d)
			closedir(d);
	}
}

/*
 * Fills the kernel's caches of freed tasks (kernel/fork.c keeps NR_CACHED_STACKS stacks and
 * task_structs per CPU, 16 of each with 8 CPUs: about 450 kB): 40 children alive at once, then
 * all gone. Before each MemFree reading, so that a round that happened to free more tasks at
 * once than the rounds before is not taken for a leak.
 */
static void fill_task_caches(void)
{
	int p[2], n = 0;
	if (pipe(p))
		return;
	for (int i = 0; i < 40; i++) {
		long pid = fork();
		if (pid == 0) {
			char c;
			close(p[1]);
			read(p[0], &c, 1); /* until the parent closes its end */
			_exit(0);
		}
		n += pid > 0;
	}
	close(p[0]);
	close(p[1]);
	while (n > 0 && wait(NULL) > 0)
		n--;
}

/* MemFree of /proc/meminfo plus HardwareCorrupted, in KiB (-1 if it cannot be read). */
static long mem_free_kb(void)
{
	char buf[4096];
	int fd = open("/proc/meminfo", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, "MemFree:");
	char *hw = strstr(buf, "HardwareCorrupted:");
	/* frames memory failure retired (MADV_HWPOISON, MADV_SOFT_OFFLINE) are not a leak */
	return p ? strtol(p + 8, NULL, 10) + (hw ? strtol(hw + 18, NULL, 10) : 0) : -1;
}

static void fail(int r, const char *why)
{
	printf("FAIL fuzz: seed %llu round %d: %s\n", (unsigned long long)seed, r, why);
	printf("replay: fuzz -r %d %llu (print its calls: fuzz -p -r %d %llu; log them: -v)\n", r,
	       (unsigned long long)seed, r, (unsigned long long)seed);
	fflush(stdout);
	exit(1);
}

/* Fresh scratch directory with the shared file f0 (8 pages). */
static void make_scratch(void)
{
	mkdir("/tmp", 01777);
	if (mkdir(SCRATCH_DIR, 0777))
		fail(-1, "cannot make " SCRATCH_DIR);
	int fd = open(SCRATCH_DIR "/f0", O_RDWR | O_CREAT, 0644);
	if (fd < 0 || ftruncate(fd, 8 * PAGE))
		fail(-1, "cannot make f0");
	close(fd);
}

static void clean_scratch(void)
{
	static const char *const leftovers[] = { SCRATCH_DIR, "/a", "/b", "/d", "/l", "/e",
						 "/tmp/a", "/tmp/b", "/tmp/d", "/tmp/l", "/tmp/e" };
	for (unsigned i = 0; i < NELEM(leftovers); i++)
		rm_rf(leftovers[i]);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* kernel.pid_max now (a round as root may have changed it), or Linux's highest possible. */
static long read_pid_max(void)
{
	char buf[32] = { 0 };
	int fd = open("/proc/sys/kernel/pid_max", O_RDONLY);
	long n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : 4194304 /* PID_MAX_LIMIT */;
}

/*
 * Sends SIGKILL to every pid from first to a pid made now. Pids are sequential up to pid_max - 1
 * and then wrap (to 300 on Linux and Warden): a round that crossed the wrap has its processes at
 * both ends, and a probe below first must not make the sweep empty (it did: a sleeping orphan of
 * such a round was never sent SIGKILL, and its survival looked like an unkillable process).
 */
static void kill_since(long first_pid)
{
	long probe = fork();
	if (probe == 0)
		_exit(0);
	if (probe < 0)
		return; /* tried again in 100 ms */
	if (probe < first_pid) { /* wrapped: first..pid_max - 1, then 2..probe */
		long top = read_pid_max();
		for (long p = first_pid; p < top; p++)
			kill((pid_t)p, SIGKILL);
		first_pid = 2;
	}
	for (long p = first_pid; p <= probe; p++)
		if (p > 1)
			kill((pid_t)p, SIGKILL);
}

/*
 * Kills every process made since first_pid and reaps them all; false if one will not die. A
 * process not killed yet may fork while the kills go on (a child past the probe, orphaned to
 * us, maybe stopped): the kills are sent again every 100 ms.
 */
static int kill_and_reap(long first_pid)
{
	long deadline = now_ms() + 5000, next_kill = 0;
	for (;;) {
		if (now_ms() >= next_kill) {
			kill_since(first_pid);
			next_kill = now_ms() + 100;
		}
		long w = waitpid(-1, NULL, WNOHANG);
		if (w < 0)
			return 1; /* ECHILD: all gone */
		if (w == 0) {
			if (now_ms() > deadline)
				return 0;
			usleep(2000);
		}
	}
}

static unsigned char canary[64 * 1024];

/* Fills or checks the parent's own memory: nothing the children do may change it. */
static int canary_ok(int fill)
{
	for (unsigned i = 0; i < sizeof(canary); i++) {
		unsigned char v = (unsigned char)(i * 131 + (i >> 8));
		if (fill)
			canary[i] = v;
		else if (canary[i] != v)
			return 0;
	}
	return 1;
}

/*
 * PID 1 raises a stop, SIGKILL or another default-action signal on itself (kill, tkill, and
 * blocked then unblocked): Linux's init ignores them all, so this must return (issue 15 item
 * 1: a stop of PID 1 used to panic the kernel). False if one stays pending.
 */
static int init_ignores_signals(int r)
{
	static const int sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGKILL, SIGTERM, SIGINT,
				    SIGQUIT, SIGUSR1, SIGABRT };
	int sig = sigs[(unsigned)r % NELEM(sigs)];
	sigset_t set, old, pend;

	if (getpid() != 1)
		return 1; /* run outside run-program: not init, the signals would act */
	sys2(SYS_kill, 1, sig);
	sys2(SYS_tkill, sys0(SYS_gettid), sig);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, &old);
	sys2(SYS_kill, 1, sig);
	sigprocmask(SIG_SETMASK, &old, NULL);
	sigpending(&pend);
	return !sigismember(&pend, sig);
}

static unsigned char tty_saved[60], winsz_saved[8];

/*
 * The terminal as the round found it (issue 16): the children's TCSETS, TCXONC, TIOCSTI and
 * TIOCSWINSZ leave their marks on ttyS0, so the parent saves its termios and window size once
 * and puts them back after each round (flow on, input flushed, a newline after the children's
 * output), as a new round would find it.
 */
static void tty_reset(int save)
{
	int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	if (save) {
		ioctl(fd, 0x5401 /* TCGETS */, tty_saved);
		ioctl(fd, 0x5413 /* TIOCGWINSZ */, winsz_saved);
	} else {
		ioctl(fd, 0x5402 /* TCSETS */, tty_saved);
		ioctl(fd, 0x5414 /* TIOCSWINSZ */, winsz_saved);
		ioctl(fd, 0x540a /* TCXONC */, 1 /* TCOON */);
		ioctl(fd, 0x540b /* TCFLSH */, 2 /* TCIOFLUSH */);
		/* COM1 also carries the kernel log: end what the children wrote there, so that
		 * run-program finds "warden: init exited" at the start of a line */
		write(fd, "\n", 1);
	}
	close(fd);
}

/* The kernel still works: a new mapping can be written, read, protected and unmapped. */
static int kernel_alive(void)
{
	unsigned char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
	if (p == MAP_FAILED)
		return 0;
	for (unsigned i = 0; i < 4 * PAGE; i++)
		p[i] = (unsigned char)i;
	int ok = mprotect(p, PAGE, PROT_READ) == 0;
	for (unsigned i = 0; i < 4 * PAGE; i++)
		ok &= p[i] == (unsigned char)i;
	ok &= munmap(p, 4 * PAGE) == 0;
	ok &= getpid() == my_pid;
	return ok;
}

/* ------------------------------------------------------------------ core dumps and sockets */

#define CORE_DIR "/tmp/fzcore"
static long cores_found; /* core files checked, every round of the seed */

/*
 * kernel.core_pattern for round r (the children of rounds r % 4 >= 2 raise RLIMIT_CORE): the default, every
 * specifier, names too long once expanded, a directory, /proc and device files, a file that
 * exists, a symlink, a pipe helper, a missing directory. Linux creates a fresh regular file
 * (O_CREAT | O_EXCL | O_NOFOLLOW) or nothing: check_cores() verifies that after the round.
 */
static const char *const core_patterns[] = {
	"core",
	CORE_DIR "/core.%p.%P.%i.%I.%u.%g.%d.%s.%t.%h.%e.%E.%f.%c.%%.%z.%",
	CORE_DIR "/core.%e.%e.%e.%e.%e.%e.%e.%e.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E.%E",
	CORE_DIR,
	CORE_DIR "/keep",
	CORE_DIR "/link",
	CORE_DIR "/hard",
	CORE_DIR "/nodir/core",
	"/proc/self/core",
	"/proc/sys/kernel/core_pattern",
	"/proc/sysrq-trigger",
	CORE_DIR "/null", /* a device: unlinked, as Linux does (so never /dev/null itself) */
	"/dev/core.%p",
	"|/prog %p",
	"core.%p",
	"",
};
static const char keep_text[] = "the parent's file: a core dump must not write here\n";

/* Writes a sysctl file (the parent is root); false if it cannot. */
static int write_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return 0;
	ssize_t n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val);
}

/* The core directory of a round: empty but for a file with two names and a dangling link. */
static void make_core_dir(void)
{
	rm_rf(CORE_DIR);
	if (mkdir(CORE_DIR, 0777) || chmod(CORE_DIR, 01777))
		fail(-1, "cannot make " CORE_DIR);
	int fd = open(CORE_DIR "/keep", O_WRONLY | O_CREAT, 0666);
	if (fd < 0 || write(fd, keep_text, sizeof(keep_text)) != sizeof(keep_text))
		fail(-1, "cannot make " CORE_DIR "/keep");
	fchmod(fd, 0666);
	close(fd);
	link(CORE_DIR "/keep", CORE_DIR "/hard");
	mknod(CORE_DIR "/null", S_IFCHR | 0666, makedev(1, 3));
	symlink(CORE_DIR "/target", CORE_DIR "/link");
}

/* Sets round r's core_pattern (the default "core" for the rounds without RLIMIT_CORE). */
static const char *set_core_pattern(int r)
{
	const char *p = r % 4 >= 2 ? core_patterns[(r / 4) % NELEM(core_patterns)] : "core";
	if (!write_sysctl("/proc/sys/kernel/core_pattern", p[0] ? p : "\n"))
		return NULL;
	return p;
}

/* Checks that a core file is one Linux would write: regular, mode 0600 (an empty file made
 * under a umask and refused otherwise), one link. */
static void check_core_file(int r, const char *path)
{
	struct stat st;
	char why[400];
	if (lstat(path, &st))
		return;
	/* 0600 less the umask; a file whose mode is not 0600 exactly is made, then refused */
	if (!S_ISREG(st.st_mode) || (st.st_mode & 07177) || st.st_nlink != 1 ||
	    ((st.st_mode & 0777) != 0600 && st.st_size)) {
		snprintf(why, sizeof(why), "core dump %s is mode %o with %ld links", path,
			 (unsigned)st.st_mode, (long)st.st_nlink);
		fail(r, why);
	}
}

/* Checks and removes the core files a round left: where the pattern put them, and in the
 * directories the fuzzed chdir reaches (a relative pattern); nothing else was written. */
static void check_cores(int r, const char *pattern)
{
	static const char *const dirs[] = { "/", "/tmp", "/dev", CORE_DIR, SCRATCH_DIR,
					    SCRATCH_DIR "/d" };
	char path[300], why[400], buf[128];
	for (unsigned i = 0; i < NELEM(dirs); i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (strncmp(e->d_name, "core", 4))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[i], e->d_name);
			check_core_file(r, path);
			unlink(path);
			cores_found++;
		}
		if (d)
			closedir(d);
	}
	/* keep and hard, one file: a dump there unlinks the name first (as Linux does), then
	 * makes a new file; the old one keeps its contents under its other name */
	struct stat st;
	const char *bad = NULL;
	ssize_t n = 0;
	for (int i = 0; i < 2; i++) {
		const char *name = i ? CORE_DIR "/hard" : CORE_DIR "/keep";
		if (lstat(name, &st))
			continue;
		if (!(st.st_mode & 07177)) {
			check_core_file(r, name);
			cores_found++;
			continue;
		}
		int fd = open(name, O_RDONLY);
		n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
		if (fd >= 0)
			close(fd);
		if (n != sizeof(keep_text) || memcmp(buf, keep_text, sizeof(keep_text)))
			bad = "a core was written into an existing file";
	}
	if (bad)
		;
	else if (!lstat(CORE_DIR "/target", &st))
		bad = "a core followed " CORE_DIR "/link";
	else if (stat("/dev/null", &st) || !S_ISCHR(st.st_mode))
		bad = "/dev/null is no longer a device";
	if (bad) {
		snprintf(why, sizeof(why), "core_pattern \"%s\": %s (n %ld)", pattern, bad, (long)n);
		fail(r, why);
	}
	int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0 && strncmp(buf, pattern, strlen(pattern) < 127 ? strlen(pattern) : 127)) {
		buf[n] = 0;
		snprintf(why, sizeof(why), "core_pattern \"%s\" changed by a core dump: %s", pattern,
			 buf);
		fail(r, why);
	}
	rm_rf(CORE_DIR); /* the cores there (their memory) */
}

/* A counter of /proc/warden/unix (Warden's; -1 on Linux, which has none). */
static long unix_counter(const char *key)
{
	char buf[512];
	int fd = open("/proc/warden/unix", O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strstr(buf, key);
	return p ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

/*
 * After a round every process is gone: the sockets left are those in flight in cycles, which
 * only the AF_UNIX collector frees. A release while sockets are in flight runs it (Linux's
 * trigger), so the parent releases a socketpair of its own until no socket is alive and none
 * is in flight: then the memory check sees the collector's frees. A socket that outlives this
 * is a leak (fails the round).
 */
static void unix_settle(int r)
{
	long deadline = now_ms() + 3000, alive = 0, inflight = 0;
	for (;;) {
		alive = unix_counter("sockets");
		inflight = unix_counter("inflight_sockets");
		if (alive <= 0 && inflight <= 0)
			return;
		if (now_ms() > deadline)
			break;
		int sv[2];
		if (!socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			close(sv[0]), close(sv[1]);
		usleep(1000);
	}
	char why[160];
	snprintf(why, sizeof(why), "%ld AF_UNIX sockets alive, %ld in flight after the round (leak)",
		 alive, inflight);
	fail(r, why);
}

static void fuzz_seed(int only, int calls, long target);

#define FUZZ_LOCK "/tmp/fz.lock"
static int lock_owner; /* the pid that made the lock: only it removes it */
static void unlock(void)
{
	if (getpid() == lock_owner)
		unlink(FUZZ_LOCK);
}

int main(int argc, char **argv)
{
	int only = -1, calls = 100, opt;
	long target = 2000;

	if (argc > 1 && !strcmp(argv[1], "exit"))
		_exit(0); /* execve'd by a fuzzing child */
	while ((opt = getopt(argc, argv, "vpr:k:")) != -1) {
		switch (opt) {
		case 'v':
			verbose = 1;
			break;
		case 'p':
			print_only = 1;
			break;
		case 'r':
			only = atoi(optarg);
			break;
		case 'k':
			calls = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: fuzz [-v] [-p] [-r ROUND] [-k CALLS] [SEED [N]]\n");
			return 2;
		}
	}
	if (optind < argc)
		seed = strtoull(argv[optind], NULL, 0);
	if (optind + 1 < argc)
		target = strtol(argv[optind + 1], NULL, 0);
	for (unsigned i = 0; i < NELEM(table); i++)
		total_weight += table[i].weight;
	my_pid = getpid();
	if (print_only) {
		run_round(only < 0 ? 0 : only, calls);
		return 0;
	}
	unsigned a, b, c, d;
	__asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
	have_pku = (c >> 4) & 1; /* OSPKE */

	/*
	 * One fuzzer at a time: a round's child that execve's /prog (this program) with garbage
	 * arguments must not start a campaign of its own (it would set core_pattern, kill pids
	 * and remake the scratch dir under the parent's round): it finds the lock and leaves.
	 */
	if (mkdir("/tmp", 01777) && errno != EEXIST)
		_exit(0);
	int lock = open(FUZZ_LOCK, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (lock < 0)
		_exit(0);
	close(lock);
	lock_owner = getpid();
	atexit(unlock);
	setvbuf(stdout, NULL, _IONBF, 0);
	/* SysV segments the rounds make go with their makers (and with the last detach), so the
	 * memory check after each round sees no segment left behind. */
	int fd = open("/proc/sys/kernel/shm_rmid_forced", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			fail(-1, "shm_rmid_forced");
		close(fd);
	}
	/* Pids wrap every few hundred calls (kill_since must sweep across the wrap, and the
	 * kernel's allocation skips the pids still in use), not once in 1500 rounds. */
	write_sysctl("/proc/sys/kernel/pid_max", "1024");
	ctrl = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ctrl == MAP_FAILED || dup2(1, LOG_FD) != LOG_FD)
		fail(-1, "setup");
	canary_ok(1);
	tty_reset(1);
	if (optind < argc) {
		fuzz_seed(only, calls, target);
		return 0;
	}
	/* No seed: the short run of `make test`, three fixed seeds. */
	for (seed = 1; seed <= 3; seed++) {
		ctrl->calls = 0;
		fuzz_seed(-1, calls, 1000);
	}
	return 0;
}

/* Runs rounds of one seed until target calls were made (or round only). */
static void fuzz_seed(int only, int calls, long target)
{
	long t0 = now_ms(), base_free = -1, min_free = 1L << 60, stalls = 0, rounds = 0;
	long deaths[65] = { 0 }, user_rounds = 0;
	cores_found = 0;
	ctrl->breach = 0;
	for (int r = only < 0 ? 0 : only; only < 0 ? (long)ctrl->calls < target : r == only; r++) {
		clean_scratch();
		make_scratch();
		make_core_dir();
		const char *pattern = set_core_pattern(r);
		if (verbose)
			printf("round %d\n", r);
		long pid = fork();
		if (pid < 0)
			fail(r, "fork failed");
		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);
			dup2(null, 0), dup2(null, 1), dup2(null, 2);
			close(null);
			if (!verbose)
				close(LOG_FD);
			child(r, calls);
		}
		/* Wait for the child; a process that stops making calls is stalled (a sleep). */
		u64 last = ctrl->alive;
		long last_t = now_ms();
		int status = 0, reaped = 0;
		for (;;) {
			long w = waitpid((pid_t)pid, &status, WNOHANG);
			if (w == pid) {
				reaped = 1;
				break;
			}
			if (w < 0)
				fail(r, "waitpid failed");
			if (ctrl->alive != last) {
				last = ctrl->alive;
				last_t = now_ms();
			} else if (now_ms() - last_t > 150) {
				stalls++;
				break;
			}
			usleep(1000);
		}
		if (reaped && WIFSIGNALED(status))
			deaths[WTERMSIG(status) & 63]++;
		else if (reaped && WIFEXITED(status))
			deaths[64]++;
		if (!kill_and_reap(pid)) {
			if (getenv("FUZZ_DIAG")) {
				DIR *d = opendir("/proc");
				struct dirent *e;
				char path[300];
				while (d && (e = readdir(d))) {
					if (e->d_name[0] < '1' || e->d_name[0] > '9')
						continue;
					snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
					diag(path);
					snprintf(path, sizeof(path), "/proc/%s/syscall", e->d_name);
					diag(path);
				}
			}
			fail(r, "a process did not die within 5 s of SIGKILL (hang)");
		}
		unix_settle(r);
		if (pattern)
			check_cores(r, pattern);
		if (ctrl->breach)
			fail(r, ctrl->why);
		if (r & 1)
			user_rounds++;
		clean_scratch();
		tty_reset(0);
		if (!kernel_alive())
			fail(r, "the kernel no longer maps memory correctly");
		if (!canary_ok(0))
			fail(r, "the parent's memory changed");
		if (!init_ignores_signals(r))
			fail(r, "a default-action signal to PID 1 stayed pending");
		fill_task_caches();
		long f = mem_free_kb();
		if (f < 0)
			fail(r, "cannot read MemFree");
		if (r == (only < 0 ? 0 : only) + 2)
			base_free = f; /* after caches have warmed up */
		if (f < min_free)
			min_free = f;
		if (base_free >= 0 && f < base_free - 256 && getenv("FUZZ_DIAG")) {
			diag("/proc/meminfo");
			diag("/proc/warden/unix");
			diag_tree("/");
		}
		if (base_free >= 0 && f < base_free - 256) {
			char why[128];
			snprintf(why, sizeof(why), "MemFree %ld kB, was %ld kB: frames leak", f,
				 base_free);
			fail(r, why);
		}
		rounds++;
	}
	write_sysctl("/proc/sys/kernel/core_pattern", "core");
	rm_rf(CORE_DIR);
	long ms = now_ms() - t0;
	if (getenv("FUZZ_DIAG") && verbose)
		for (int e = 0; e < 136; e++)
			if (ctrl->sock_err[e])
				printf("sendmsg errno %d: %llu\n", e, (unsigned long long)ctrl->sock_err[e]);
	printf("fuzz: seed %llu: %llu calls in %ld rounds (%ld as uid %d), %ld ms, %ld stalled rounds "
	       "killed; MemFree %ld kB (lowest %ld kB); children: %ld exited, %ld killed by SIGSEGV, "
	       "%ld by SIGBUS, %ld by others; %ld core files; %llu socket messages, AF_UNIX gc collected "
	       "%ld sockets\n",
	       (unsigned long long)seed, (unsigned long long)ctrl->calls, rounds, user_rounds,
	       FUZZ_UID, ms, stalls,
	       mem_free_kb(), min_free, deaths[64], deaths[SIGSEGV], deaths[SIGBUS],
	       rounds - stalls - deaths[64] - deaths[SIGSEGV] - deaths[SIGBUS], cores_found,
	       (unsigned long long)ctrl->sock_msgs, unix_counter("gc_sockets_collected"));
}
