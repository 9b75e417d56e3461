// SPDX-License-Identifier: MIT
/*
 * execve and execveat, the format-independent part (Linux 6.1's fs/exec.c), in Linux's order:
 *
 *   getname(filename)                  EFAULT, ENAMETOOLONG, ENOENT ("" without AT_EMPTY_PATH)
 *   count(argv), count(envp)           EFAULT
 *   bprm_stack_limits                  E2BIG: the pointers alone exceed the limit
 *   copy the filename, envp, argv      each from its last string: EFAULT, E2BIG
 *   (argv empty: argv becomes {""})
 *   do_open_execat                     EINVAL (flags), the path walk's errors, EACCES, ETXTBSY
 *   exec_binprm: each format in turn   ENOEXEC, ELOOP after 5 interpreters, the format's errors
 *   begin_new_exec                     the point of no return: later failures kill (SIGSEGV)
 *
 * The file is opened only after the strings are copied (as 6.1; Linux 6.8 opens it first), so
 * a missing file with a bad argv is EFAULT. Strings live in a kernel buffer laid out as the top
 * of the new stack (kernel/binfmts.h) until the loader copies them there.
 */
#include "kernel/binfmts.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/ptrace.h"
#include "kernel/err.h"
#include "kernel/sched.h"
#include "kernel/posix_timers.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/process.h"
#include "fs/fdtable.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define _STK_LIM (8UL << 20)

/* A SIGKILL waits: long copies stop early, as Linux's (the task dies on its way out). */
static bool fatal_signal_pending(struct task_struct *t)
{
	return t->pending & (1UL << (SIGKILL - 1));
}

/* Makes room for `more` bytes below the strings (the area grows by doubling). */
static int bprm_grow(struct linux_binprm *bprm, u64 more)
{
	u64 need = bprm->used + more, size = bprm->area_size ? bprm->area_size : 4 * PAGE_SIZE;

	if (need <= bprm->area_size)
		return 0;
	while (size < need)
		size *= 2;
	char *area = vmalloc(size, GFP_KERNEL);
	if (!area)
		return -ENOMEM;
	if (bprm->used)
		memcpy(area + size - bprm->used, bprm->area + bprm->area_size - bprm->used,
		       bprm->used);
	vfree(bprm->area);
	bprm->area = area;
	bprm->area_size = size;
	return 0;
}

/* The lowest string's address in the area. */
static char *bprm_bottom(struct linux_binprm *bprm)
{
	return bprm->area + bprm->area_size - bprm->used;
}

int copy_string_kernel(const char *arg, struct linux_binprm *bprm)
{
	u64 len = strnlen(arg, MAX_ARG_STRLEN) + 1;

	if (len > MAX_ARG_STRLEN || bprm->used + len > bprm->limit)
		return -E2BIG;
	int err = bprm_grow(bprm, len);
	if (err)
		return err;
	bprm->used += len;
	memcpy(bprm_bottom(bprm), arg, len - 1);
	bprm_bottom(bprm)[len - 1] = '\0';
	return 0;
}

void remove_arg_zero(struct linux_binprm *bprm)
{
	if (!bprm->argc)
		return;
	bprm->used -= strlen(bprm_bottom(bprm)) + 1;
	bprm->argc--;
}

/* The n-th pointer of a user (or, for kernel_execve, kernel) array: 0 or -EFAULT. */
static int get_arg_ptr(const char *const *arr, long n, bool from_kernel, u64 *p)
{
	if (from_kernel) {
		*p = (u64)arr[n];
		return 0;
	}
	return get_user_u64(p, (const u64 __user *)&arr[n]) ? -EFAULT : 0;
}

/* Counts a NULL-terminated array of strings (Linux's count()): the count or -EFAULT/-E2BIG. */
static long count(const char *const *arr, bool from_kernel)
{
	long n = 0;
	u64 p;

	if (!arr)
		return 0;
	for (;; n++) {
		if (get_arg_ptr(arr, n, from_kernel, &p))
			return -EFAULT;
		if (!p)
			return n;
		if (n >= MAX_ARG_STRINGS)
			return -E2BIG;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
}

/*
 * How many bytes the strings may take (Linux's bprm_stack_limits): a quarter of RLIMIT_STACK,
 * at most 6 MiB, at least ARG_MAX, less a pointer for each string (argv counts as one at
 * least: an empty argv gets "").
 */
static int bprm_stack_limits(struct linux_binprm *bprm)
{
	u64 limit = min(_STK_LIM / 4 * 3, bprm->rlim_stack_cur / 4);
	u64 ptr_size = ((u64)max(bprm->argc, 1) + (u64)bprm->envc) * sizeof(void *);

	limit = max(limit, ARG_MAX);
	if (limit <= ptr_size)
		return -E2BIG;
	bprm->limit = limit - ptr_size;
	return 0;
}

/*
 * Copies n strings of a user array below the others, the last one first (Linux's
 * copy_strings): 0, -EFAULT (a bad pointer or string) or -E2BIG (a string longer than
 * MAX_ARG_STRLEN, or past the limit).
 */
static int copy_strings(struct linux_binprm *bprm, long n, const char *const *arr, bool from_kernel)
{
	while (n-- > 0) {
		u64 p;
		if (get_arg_ptr(arr, n, from_kernel, &p))
			return -EFAULT;
		if (from_kernel) {
			int err = copy_string_kernel((const char *)p, bprm);
			if (err)
				return err;
			continue;
		}
		/* Copied below the strings first, to learn its length (strnlen_user) */
		int err = bprm_grow(bprm, MAX_ARG_STRLEN);
		if (err)
			return err;
		char *tmp = bprm_bottom(bprm) - MAX_ARG_STRLEN;
		long len = strncpy_from_user(tmp, (const char __user *)p, MAX_ARG_STRLEN);
		if (len < 0)
			return -EFAULT;
		if (len >= (long)MAX_ARG_STRLEN || bprm->used + (u64)len + 1 > bprm->limit)
			return -E2BIG;
		bprm->used += (u64)len + 1;
		memmove(bprm_bottom(bprm), tmp, (size_t)len + 1);
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

/* Reads the file's first BINPRM_BUF_SIZE bytes into bprm->buf, zero-padded. */
static int prepare_binprm(struct linux_binprm *bprm)
{
	memset(bprm->buf, 0, sizeof(bprm->buf));
	ssize_t n = kernel_read(bprm->file, bprm->buf, sizeof(bprm->buf), 0);
	return n < 0 ? (int)n : 0;
}

/* Asks each format to load the file: the first answer other than ENOEXEC is the result. */
static int search_binary_handler(struct linux_binprm *bprm)
{
	static int (*const formats[])(struct linux_binprm *) = { load_elf_binary, load_script };
	int err = prepare_binprm(bprm);

	if (err)
		return err;
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++) {
		err = formats[i](bprm);
		if (bprm->point_of_no_return || err != -ENOEXEC)
			return err;
	}
	return -ENOEXEC;
}

/*
 * Loads bprm's file, following the interpreters formats hand over to (a script's): at most 5
 * rewrites (Linux's depth limit), then ELOOP. Each file's write denial ends with it.
 */
static int exec_binprm(struct linux_binprm *bprm)
{
	for (int depth = 0;; depth++) {
		if (depth > 5)
			return -ELOOP;
		int err = search_binary_handler(bprm);
		if (err < 0)
			return err;
		if (!bprm->interpreter)
			return 0; /* the caller's exec_result() stops a traced task
				     (PTRACE_EVENT_EXEC) */
		fput(bprm->file);
		bprm->file = bprm->interpreter;
		bprm->interpreter = NULL;
	}
}

/* Sets comm from the file's name, as Linux's __set_task_comm(kbasename(filename)). */
static void set_comm(struct linux_binprm *bprm)
{
	struct task_struct *t = current;
	char *exe = d_path(file_inode(bprm->file), t->exe_path, sizeof(t->exe_path));
	const char *name = bprm->filename, *base;

	/* /proc/self/exe names the file loaded, as an absolute path (Linux's d_path). */
	if (IS_ERR_OR_NULL(exe))
		strlcpy(t->exe_path, bprm->filename, sizeof(t->exe_path));
	else if (exe != t->exe_path)
		memmove(t->exe_path, exe, strlen(exe) + 1);
	if (bprm->comm_from_dentry)
		name = t->exe_path;
	base = name;
	for (const char *c = name; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	strlcpy(t->comm, base, sizeof(t->comm));
}

int begin_new_exec(struct linux_binprm *bprm)
{
	struct task_struct *t = current;
	struct mm_struct *mm = mm_alloc(), *old = t->mm;

	if (!mm)
		return -ENOMEM;
	/*
	 * Not dumpable until exec_creds decides: from t->mm = mm below to exec_creds the task
	 * has the new program's address space with the caller's credentials, and things in
	 * between may sleep (the old mm's mmput, closing files). An mm_access of another task
	 * meanwhile (a /proc/PID/mem open, PTRACE_ATTACH) would otherwise be judged by the old
	 * credentials and keep its access to a set-user-ID program's memory. Linux keeps such
	 * openers out with exec_update_lock; here they see a task not dumpable (root's /proc
	 * files, EACCES without CAP_SYS_PTRACE) for that moment.
	 */
	mm->dumpable = SUID_DUMP_DISABLE;
	/*
	 * The point of no return (Linux's exec_mmap: a shared address space, CLONE_VM or vfork,
	 * is left to its other users here; a traced task's exec event comes after the loader
	 * succeeded, in exec_binprm).
	 */
	bprm->point_of_no_return = true;
	int err = de_thread(t);
	if (!err)
		err = unshare_files(t);
	if (!err)
		err = unshare_sighand(t);
	if (err) {
		mmput(mm);
		return err;
	}
	exec_mm_release(t); /* the robust list walked, a vfork parent goes on */
	exit_itimers(t->signal); /* POSIX timers go, their pending signals too; itimers stay */
	flush_itimer_signals(t);
	account_maxrss(t); /* the old mm's resident set (Linux's setmax_mm_hiwater_rss) */
	t->did_exec = true;
	t->self_exec_id++; /* a child's exit signal is only trusted until its parent execs */
	t->mm = mm;
	switch_mm(mm);
	if (old) {
		mm->coredump_filter = old->coredump_filter; /* Linux's MMF_INIT_MASK */
		mmput(old);
	}
	set_mm_exe_inode(mm, file_inode(bprm->file));
	files_close_on_exec(t->files);
	flush_signal_handlers(t);
	bprm->secureexec = exec_creds(bprm->file);
	set_comm(bprm);
	t->clear_child_tid = t->set_child_tid = 0;
	t->personality &= ~(u64)READ_IMPLIES_EXEC; /* as Linux's set_personality_64bit() */
	t->fs_base = t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	fpu_init_state(t);
	fpu_restore_regs(task_fpstate(t));
	write_pkru(t->pkru); /* init_pkru_value, as Linux's fpu_flush_thread */
	return 0;
}

/*
 * Opens the file for bprm (dfd, name, the execveat flags): its /dev/fd name for a relative
 * path or AT_EMPTY_PATH, and whether that name dies with an O_CLOEXEC descriptor.
 */
static int bprm_open(struct linux_binprm *bprm, int dfd, const char *name, int flags)
{
	struct file *f = do_open_execat(dfd, name, flags);

	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	bprm->file = f;
	if (bprm->fdpath && get_close_on_exec((unsigned int)dfd))
		bprm->path_inaccessible = true;
	return 0;
}

/* Names the file as Linux's alloc_bprm: the path, or /dev/fd/N[/path] relative to a dfd. */
static int bprm_set_filename(struct linux_binprm *bprm, int dfd, const char *name)
{
	if (dfd == AT_FDCWD || name[0] == '/') {
		bprm->filename = name;
	} else {
		bprm->fdpath = kmalloc(PATH_MAX + 32, GFP_KERNEL);
		if (!bprm->fdpath)
			return -ENOMEM;
		if (name[0] == '\0') {
			snprintf(bprm->fdpath, PATH_MAX + 32, "/dev/fd/%d", dfd);
			bprm->comm_from_dentry = true;
		} else {
			snprintf(bprm->fdpath, PATH_MAX + 32, "/dev/fd/%d/%s", dfd, name);
		}
		bprm->filename = bprm->fdpath;
	}
	bprm->interp = bprm->filename;
	bprm->rlim_stack_cur = current->signal->rlim[RLIMIT_STACK].rlim_cur;
	return 0;
}

/* Gathers the strings (see the top of this file); 0 or the first error. */
static int bprm_copy_args(struct linux_binprm *bprm, const char *const *argv,
			  const char *const *envp, bool from_kernel)
{
	long n = count(argv, from_kernel);

	if (n < 0)
		return (int)n;
	bprm->argc = (int)n;
	n = count(envp, from_kernel);
	if (n < 0)
		return (int)n;
	bprm->envc = (int)n;
	int err = bprm_stack_limits(bprm);
	if (!err)
		err = copy_string_kernel(bprm->filename, bprm);
	bprm->exec = bprm->used;
	if (!err)
		err = copy_strings(bprm, bprm->envc, envp, from_kernel);
	if (!err)
		err = copy_strings(bprm, bprm->argc, argv, from_kernel);
	if (!err && bprm->argc == 0) {
		/* As Linux since 5.18: an empty argv becomes { "" }, so argv[0] always exists. */
		err = copy_string_kernel("", bprm);
		bprm->argc = 1;
	}
	return err;
}

/*
 * execve's common part: 0 when the new program is set up (it starts when the task next returns
 * to user mode), a negative errno when the old program goes on, or EXEC_FATAL when a failure
 * came after the point of no return (the caller kills the task, as Linux's force_fatal_sig).
 */
#define EXEC_FATAL 1
static int do_execveat_common(int dfd, const char *name, const char *const *argv,
			      const char *const *envp, int flags, bool from_kernel)
{
	struct linux_binprm *bprm;
	int err = -ENOMEM;

	/* set*uid to a user past RLIMIT_NPROC, still past it: EAGAIN before anything else */
	if (!exec_nproc_allowed())
		return -EAGAIN;
	bprm = kmalloc(sizeof(*bprm), GFP_ZERO);
	if (!bprm)
		return err;
	err = bprm_set_filename(bprm, dfd, name);
	if (!err)
		err = bprm_copy_args(bprm, argv, envp, from_kernel);
	if (!err)
		err = bprm_open(bprm, dfd, name, flags);
	if (!err)
		err = exec_binprm(bprm);
	if (err && bprm->point_of_no_return)
		err = EXEC_FATAL;
	if (bprm->interpreter)
		fput(bprm->interpreter);
	if (bprm->file)
		fput(bprm->file);
	vfree(bprm->area);
	kfree(bprm->fdpath);
	kfree(bprm);
	return err;
}

/*
 * The system calls' end: a failure after the point of no return kills with SIGSEGV, or with the
 * SIGKILL already pending (an OOM kill of the new image), as Linux's bprm_execve.
 */
static long exec_result(int err)
{
	if (err == EXEC_FATAL)
		do_exit_signal(fatal_signal_pending(current) ? SIGKILL : SIGSEGV);
	if (!err)
		ptrace_event_exec(current->pid);
	return err;
}

long sys_execveat(int dfd, const char __user *path, const char *const __user *argv,
		  const char *const __user *envp, int flags)
{
	char *name = getname(path, flags & AT_EMPTY_PATH);

	if (IS_ERR(name))
		return PTR_ERR(name);
	int err = do_execveat_common(dfd, name, argv, envp, flags, false);
	putname(name);
	return exec_result(err);
}

long sys_execve(const char __user *path, const char *const __user *argv,
		const char *const __user *envp)
{
	return sys_execveat(AT_FDCWD, path, argv, envp, 0);
}

int kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	return (int)exec_result(do_execveat_common(AT_FDCWD, path, argv, envp, 0, true));
}
