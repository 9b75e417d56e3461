// SPDX-License-Identifier: MIT
/*
 * execve: loading a static x86-64 ELF executable (ET_EXEC, or ET_DYN without an interpreter:
 * static-pie) into a fresh address space, with the initial stack laid out as Linux lays it out:
 *
 *   high  [8 zero bytes][filename][envp strings][argv strings][padding]
 *         ["x86_64"][16 random bytes][padding to 16]
 *         auxv (AT_* pairs, AT_NULL)  envp[] NULL  argv[] NULL  argc   <- RSP (16-byte aligned)
 *   low
 */
#include "kernel/errno.h"
#include "kernel/exec.h"
#include "kernel/exit.h"
#include "kernel/random.h"
#include "kernel/err.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/process.h"
#include "arch/x86_64/traps.h"
#include "fs/fdtable.h"
#include "fs/fs_struct.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

#define MAX_ARG_STRINGS 0x7fffffff
#define ARG_MAX (2UL << 20) /* a quarter of the default 8 MiB stack limit */
#define ELF_ET_DYN_BASE 0x555555554000UL
#define MAX_PHNUM 64

struct elf64_ehdr {
	u8 e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

/* Everything execve gathers before the point of no return. */
struct linux_binprm {
	struct file *file;
	char filename[PATH_MAX];
	char *strings; /* argv then envp strings, NUL-separated, in a vmalloc buffer */
	u64 strings_len; /* bytes used in strings */
	u64 pointers_len; /* 8 bytes per string: counted against ARG_MAX too, as Linux */
	int argc, envc;
	struct elf64_ehdr ehdr;
	struct elf64_phdr phdr[MAX_PHNUM];
};

/*
 * Copies a NULL-terminated user array of strings (argv or envp) to the end of bprm->strings.
 * Returns the count, or -EFAULT / -E2BIG.
 */
static long copy_strings(struct linux_binprm *bprm, const char *const *uarr, bool from_kernel)
{
	long n = 0;

	for (;; n++) {
		u64 p;
		if (!uarr)
			break;
		if (from_kernel)
			p = (u64)uarr[n];
		else if (get_user_u64(&p, (const u64 *)&uarr[n]))
			return -EFAULT;
		if (!p)
			break;
		if (n >= MAX_ARG_STRINGS)
			return -E2BIG;
		/* Like Linux, the pointer each string needs on the stack counts against the limit.
		 */
		bprm->pointers_len += sizeof(void *);
		if (bprm->strings_len + bprm->pointers_len >= ARG_MAX)
			return -E2BIG;
		long room = (long)(ARG_MAX - bprm->strings_len - bprm->pointers_len);
		long len;
		if (from_kernel) {
			len = (long)strlen((const char *)p);
			if (len >= room)
				return -E2BIG;
			memcpy(bprm->strings + bprm->strings_len, (const char *)p, (size_t)len + 1);
		} else {
			len = strncpy_from_user(bprm->strings + bprm->strings_len, (const char *)p,
						room);
			if (len < 0)
				return len;
			if (len >= room)
				return -E2BIG;
		}
		bprm->strings_len += (u64)len + 1;
	}
	return n;
}

/* Reads and checks the ELF header and program headers. */
static int read_elf_headers(struct linux_binprm *bprm)
{
	struct elf64_ehdr *eh = &bprm->ehdr;

	if (kernel_read(bprm->file, eh, sizeof(*eh), 0) != (ssize_t)sizeof(*eh) ||
	    memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return -ENOEXEC;
	if (eh->e_ident[4] != 2 || eh->e_ident[5] != 1 || eh->e_machine != EM_X86_64 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	size_t size = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);
	if (kernel_read(bprm->file, bprm->phdr, size, eh->e_phoff) != (ssize_t)size)
		return -ENOEXEC;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = &bprm->phdr[i];
		if (ph->p_type == PT_INTERP)
			return -ENOENT; /* a dynamic program: no dynamic loader here */
		if (ph->p_type == PT_LOAD &&
		    (ph->p_filesz > ph->p_memsz || ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
		     ph->p_vaddr + ph->p_memsz > TASK_SIZE ||
		     (ph->p_offset & (PAGE_SIZE - 1)) != (ph->p_vaddr & (PAGE_SIZE - 1))))
			return -ENOEXEC;
	}
	return 0;
}

static u64 elf_prot(u32 p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

struct load_info {
	u64 bias, entry, phdr_addr, brk, start_code, end_code, start_data, end_data;
	bool exec_stack;
};

/* Maps every PT_LOAD segment into mm (the current address space) and zeroes the bss. */
static int load_segments(struct linux_binprm *bprm, struct mm_struct *mm, struct load_info *li)
{
	li->bias = bprm->ehdr.e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	li->start_code = ~0UL;
	for (int i = 0; i < bprm->ehdr.e_phnum; i++) {
		const struct elf64_phdr *ph = &bprm->phdr[i];
		if (ph->p_type == PT_GNU_STACK)
			li->exec_stack = ph->p_flags & PF_X;
		if (ph->p_type != PT_LOAD)
			continue;
		u64 prot = elf_prot(ph->p_flags), va = li->bias + ph->p_vaddr;
		u64 start = va & PAGE_MASK, file_end = ALIGN_UP(va + ph->p_filesz, PAGE_SIZE);
		u64 mem_end = ALIGN_UP(va + ph->p_memsz, PAGE_SIZE);
		long r;
		if (file_end > start) {
			r = do_mmap(mm, bprm->file, start, file_end - start, prot,
				    MAP_PRIVATE | MAP_FIXED, ph->p_offset >> PAGE_SHIFT);
			if (r < 0)
				return (int)r;
		}
		/* The rest of the last file page belongs to the bss: Linux zeroes it. */
		if (ph->p_memsz > ph->p_filesz && (va + ph->p_filesz) & (PAGE_SIZE - 1) &&
		    (prot & PROT_WRITE))
			clear_user((void *)(va + ph->p_filesz), file_end - (va + ph->p_filesz));
		if (mem_end > file_end) {
			r = do_mmap(mm, NULL, file_end, mem_end - file_end, prot,
				    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0);
			if (r < 0)
				return (int)r;
		}
		if (ph->p_offset == 0 || (bprm->ehdr.e_phoff >= ph->p_offset &&
					  bprm->ehdr.e_phoff < ph->p_offset + ph->p_filesz))
			if (!li->phdr_addr)
				li->phdr_addr = va - ph->p_offset + bprm->ehdr.e_phoff;
		if ((ph->p_flags & PF_X) && va < li->start_code)
			li->start_code = va;
		if ((ph->p_flags & PF_X) && va + ph->p_filesz > li->end_code)
			li->end_code = va + ph->p_filesz;
		if (va + ph->p_filesz > li->end_data)
			li->end_data = va + ph->p_filesz;
		if (va + ph->p_memsz > li->brk)
			li->brk = va + ph->p_memsz;
	}
	li->entry = li->bias + bprm->ehdr.e_entry;
	li->start_data = li->end_code;
	return 0;
}

/* Copies len bytes to the stack below *sp; returns their address (0 on a fault). */
static u64 push_bytes(u64 *sp, const void *data, u64 len)
{
	*sp -= len;
	return copy_to_user((void *)*sp, data, len) ? 0 : *sp;
}

/* Builds the initial stack in the current address space and returns the new RSP (0: fault). */
static u64 create_elf_tables(struct linux_binprm *bprm, struct mm_struct *mm,
			     const struct load_info *li)
{
	u64 sp = STACK_TOP - 8, zero = 0;
	u8 random[16];

	if (copy_to_user((void *)sp, &zero, 8))
		return 0;
	u64 execfn = push_bytes(&sp, bprm->filename, strlen(bprm->filename) + 1);
	u64 strings = push_bytes(&sp, bprm->strings, bprm->strings_len);
	mm->arg_start = strings;
	sp &= ~15UL;
	u64 platform = push_bytes(&sp, "x86_64", 7);
	get_random_bytes(random, sizeof(random));
	u64 at_random = push_bytes(&sp, random, 16); /* right below the platform string, as Linux */
	if (!execfn || !strings || !platform || !at_random)
		return 0;

	u64 auxv[] = {
		AT_HWCAP,    cpuid(1, 0).edx,
		AT_PAGESZ,   PAGE_SIZE,
		AT_CLKTCK,   100,
		AT_PHDR,     li->phdr_addr,
		AT_PHENT,    sizeof(struct elf64_phdr),
		AT_PHNUM,    bprm->ehdr.e_phnum,
		AT_BASE,     0,
		AT_FLAGS,    0,
		AT_ENTRY,    li->entry,
		AT_UID,	     0,
		AT_EUID,     0,
		AT_GID,	     0,
		AT_EGID,     0,
		AT_SECURE,   0,
		AT_RANDOM,   at_random,
		AT_HWCAP2,   0,
		AT_EXECFN,   execfn,
		AT_PLATFORM, platform,
		AT_NULL,     0,
	};
	u64 nwords = 1 + (u64)bprm->argc + 1 + (u64)bprm->envc + 1 + ARRAY_SIZE(auxv);
	sp = (sp - nwords * 8) & ~15UL;
	u64 *words = vmalloc(nwords * 8, GFP_KERNEL);
	if (!words)
		return 0;
	u64 w = 0, p = strings;
	words[w++] = (u64)bprm->argc;
	for (int i = 0; i < bprm->argc; i++, p += strlen(bprm->strings + (p - strings)) + 1)
		words[w++] = p;
	words[w++] = 0;
	mm->arg_end = mm->env_start = p;
	for (int i = 0; i < bprm->envc; i++, p += strlen(bprm->strings + (p - strings)) + 1)
		words[w++] = p;
	words[w++] = 0;
	mm->env_end = p;
	memcpy(&words[w], auxv, sizeof(auxv));
	bool ok = !copy_to_user((void *)sp, words, nwords * 8);
	vfree(words);
	mm->start_stack = sp;
	return ok ? sp : 0;
}

/*
 * Replaces the current program with bprm's. Returns 0, a negative errno before the point of no
 * return (the old program goes on), or EXEC_FATAL after it: the caller frees what it holds and
 * then kills the task, as Linux does.
 */
#define EXEC_FATAL 1
static int exec_binprm(struct linux_binprm *bprm)
{
	struct task_struct *t = current;
	struct mm_struct *mm = mm_alloc(), *old = t->mm;
	struct load_info li = { 0 };

	if (!mm)
		return -ENOMEM;
	/*
	 * Point of no return: from here a failure kills the task (as Linux does). The old address
	 * space is let go (a vfork parent goes on; Linux's exec_mm_release) and may live on in
	 * the tasks that share it; a child's exit signal is only trusted until we exec.
	 */
	mm_release(t);
	t->self_exec_id++;
	t->mm = mm;
	switch_mm(mm);
	if (old)
		mmput(old);
	if (load_segments(bprm, mm, &li) || li.entry >= TASK_SIZE)
		return EXEC_FATAL;
	long r = do_mmap(mm, NULL, STACK_TOP - STACK_INITIAL_SIZE, STACK_INITIAL_SIZE,
			 PROT_READ | PROT_WRITE | (li.exec_stack ? PROT_EXEC : 0),
			 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN, 0);
	if (r >= 0) /* Linux's setup_arg_pages() rewrites the stack's flags: no soft-dirty bit */
		find_vma(mm, (u64)r)->vm_flags &= ~VM_SOFTDIRTY;
	u64 sp = r < 0 ? 0 : create_elf_tables(bprm, mm, &li);
	if (!sp)
		return EXEC_FATAL;
	set_mm_exe_inode(mm, file_inode(bprm->file));
	mm->start_code = li.start_code;
	mm->end_code = li.end_code;
	mm->start_data = li.start_data;
	mm->end_data = li.end_data;
	/*
	 * Linux starts the heap at a random page up to 32 MiB above the bss (arch_randomize_brk),
	 * so the bss VMA is not named [heap] and never touches it. Warden has no randomization:
	 * the heap starts one page above the bss, which keeps both of those properties.
	 */
	mm->start_brk = mm->brk = ALIGN_UP(li.brk, PAGE_SIZE) + PAGE_SIZE;

	files_close_on_exec(t->files);
	flush_signal_handlers(t);
	const char *base = bprm->filename;
	for (const char *c = bprm->filename; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	strlcpy(t->comm, base, sizeof(t->comm));
	/* /proc/self/exe names the file found, as an absolute path (Linux's d_path). */
	char *exe = d_path(file_inode(bprm->file), t->exe_path, sizeof(t->exe_path));
	if (IS_ERR_OR_NULL(exe))
		strlcpy(t->exe_path, bprm->filename, sizeof(t->exe_path));
	else if (exe != t->exe_path)
		memmove(t->exe_path, exe, strlen(exe) + 1);
	t->clear_child_tid = t->set_child_tid = 0;
	t->personality &= ~(u64)READ_IMPLIES_EXEC; /* as Linux's set_personality_64bit() */
	t->fs_base = t->gs_base = 0;
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	fpu_init_state(t);
	fpu_restore_regs(task_fpstate(t));
	write_pkru(t->pkru); /* init_pkru_value, as Linux's fpu_flush_thread */
	start_thread(task_pt_regs(t), li.entry, sp);
	return 0;
}

/* Opens the file and gathers the arguments; on success the new image is running. */
static int do_execve(const char *filename, const char *const *argv, const char *const *envp,
		     bool from_kernel)
{
	struct linux_binprm *bprm = vmalloc(sizeof(*bprm), GFP_ZERO);
	int err;

	if (!bprm)
		return -ENOMEM;
	strlcpy(bprm->filename, filename, sizeof(bprm->filename));
	bprm->file = open_exec(filename);
	if (IS_ERR(bprm->file)) {
		err = (int)PTR_ERR(bprm->file);
		bprm->file = NULL;
		goto out;
	}
	bprm->strings = vmalloc(ARG_MAX, GFP_KERNEL);
	err = -ENOMEM;
	if (!bprm->strings)
		goto out;
	long n = copy_strings(bprm, argv, from_kernel);
	err = (int)n;
	if (n < 0)
		goto out;
	bprm->argc = (int)n;
	if (n == 0) {
		/* As Linux since 5.18: an empty argv becomes { "" }, so argv[0] always exists. */
		bprm->strings[bprm->strings_len++] = '\0';
		bprm->argc = 1;
	}
	n = copy_strings(bprm, envp, from_kernel);
	err = (int)n;
	if (n < 0)
		goto out;
	bprm->envc = (int)n;
	err = read_elf_headers(bprm);
	if (!err)
		err = exec_binprm(bprm);
out:
	if (bprm->file)
		fput(bprm->file);
	vfree(bprm->strings);
	vfree(bprm);
	return err; /* EXEC_FATAL: the caller kills the task once it has freed its own buffers */
}

long sys_execve(const char *path, const char *const *argv, const char *const *envp)
{
	char *kpath = kmalloc(PATH_MAX, GFP_KERNEL);

	if (!kpath)
		return -ENOMEM;
	long len = strncpy_from_user(kpath, path, PATH_MAX);
	long err = len < 0 ? len : len >= PATH_MAX ? -ENAMETOOLONG : len == 0 ? -ENOENT : 0;
	if (!err)
		err = do_execve(kpath, argv, envp, false);
	kfree(kpath);
	if (err == EXEC_FATAL)
		do_exit(SIGSEGV);
	return err;
}

int kernel_execve(const char *path, const char *const *argv, const char *const *envp)
{
	int err = do_execve(path, argv, envp, true);

	if (err == EXEC_FATAL)
		do_exit(SIGSEGV);
	return err;
}
