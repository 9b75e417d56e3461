/* SPDX-License-Identifier: MIT */
/*
 * Executable formats (Linux's binfmts): what execve gathers in a struct linux_binprm before it
 * replaces the program, and the loaders that read it. kernel/exec.c copies the filename, envp
 * and argv into bprm's string area (laid out as they will be at the top of the new stack),
 * opens the file, reads its first BINPRM_BUF_SIZE bytes and asks each format in turn:
 * kernel/binfmt_elf.c (ELF64 executables) and kernel/binfmt_script.c (`#!` scripts, which
 * rewrite argv and name an interpreter: at most 5 rewrites, then ELOOP). A loader returns an
 * errno to the caller as long as bprm->point_of_no_return is false; begin_new_exec() sets it
 * when it drops the old address space, and after that a failure kills the task with SIGSEGV.
 */
#ifndef WARDEN_BINFMTS_H
#define WARDEN_BINFMTS_H

#include "arch/x86_64/layout.h"
#include "kernel/types.h"

#define BINPRM_BUF_SIZE 256
#define MAX_ARG_STRLEN (32 * PAGE_SIZE) /* one string, its NUL included */
#define MAX_ARG_STRINGS 0x7fffffff
#define ARG_MAX (32 * PAGE_SIZE) /* the string area is never smaller than this */

struct file;

struct linux_binprm {
	/*
	 * The strings the new stack starts with, highest first: the filename (AT_EXECFN), envp's
	 * and argv's. They fill the top `used` bytes of `area` (area_size bytes), argv[0] lowest,
	 * as at the top of the stack (Linux's bprm->p is top - used).
	 */
	char *area;
	u64 area_size, used;
	u64 limit; /* most bytes `used` may reach (bprm_stack_limits) */
	u64 exec; /* `used` once the filename was copied: AT_EXECFN is that far below the top */
	int argc, envc;
	struct file *file; /* the file being loaded now */
	struct file *interpreter; /* set by a format that hands over to another file */
	const char *filename; /* as given, or /dev/fd/N[/path] for execveat */
	const char *interp; /* the file being loaded now (bprm_change_interp) */
	char *fdpath; /* the /dev/fd name's buffer */
	bool point_of_no_return; /* the old program is gone: failures kill */
	bool path_inaccessible; /* /dev/fd name of an O_CLOEXEC descriptor */
	bool comm_from_dentry; /* execveat(fd, "", AT_EMPTY_PATH): comm from the file's name */
	bool secureexec; /* AT_SECURE: the effective ids differ from the real ones (exec_creds) */
	u64 rlim_stack_cur; /* RLIMIT_STACK when execve started */
	char buf[BINPRM_BUF_SIZE]; /* the file's first bytes, zero-padded */
	char interp_name[BINPRM_BUF_SIZE]; /* a script's interpreter (bprm->interp) */
};

/* A format's loader: 0 (the new image is set up), -ENOEXEC (not mine), or another -errno. */
int load_elf_binary(struct linux_binprm *bprm);
int load_script(struct linux_binprm *bprm);

/* Pushes a kernel string below the others: 0, -E2BIG or -ENOMEM. */
int copy_string_kernel(const char *arg, struct linux_binprm *bprm);

/* Drops argv[0] (the lowest string): what a script's interpreter line replaces. */
void remove_arg_zero(struct linux_binprm *bprm);

/*
 * The point of no return: replaces the task's address space with a new empty one and resets
 * what execve resets (fds marked close-on-exec, handlers, FS/GS bases, FPU state, comm,
 * /proc/self/exe). Returns 0 or a -errno (the task then dies with SIGSEGV).
 */
int begin_new_exec(struct linux_binprm *bprm);

#endif
