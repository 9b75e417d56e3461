// SPDX-License-Identifier: MIT
/*
 * ELF64 executables (Linux 6.1's binfmt_elf): static ET_EXEC, or ET_DYN without an interpreter
 * (static-pie), loaded into a fresh address space with the initial stack laid out as Linux's:
 *
 *   high  [8 zero bytes][filename][envp strings][argv strings][padding]
 *         ["x86_64"][16 random bytes][padding to 16]
 *         auxv (AT_* pairs, AT_NULL)  envp[] NULL  argv[] NULL  argc   <- RSP (16-byte aligned)
 *   low
 *
 * As Linux, only the magic, e_type, e_machine and the program headers' size (e_phentsize 56,
 * 1 to 4096 bytes of them) are checked before the point of no return: EI_CLASS, EI_DATA and the
 * versions are not (Linux runs such files). PT_LOAD errors (p_filesz > p_memsz, an address
 * beyond TASK_SIZE, a p_offset not congruent to p_vaddr, a mapping that fails) come after it
 * and kill the new image with SIGSEGV. A PT_INTERP is checked as Linux (ENOEXEC, EIO, the
 * open's errors, ELIBBAD), but Warden has no dynamic loader: a valid interpreter is ENOENT.
 * An i386 (ELFCLASS32, EM_386) file, which Linux runs with IA32 emulation, is ENOEXEC.
 */
#include "kernel/binfmts.h"
#include "kernel/errno.h"
#include "kernel/err.h"
#include "kernel/random.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/process.h"
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

#define ELF_ET_DYN_BASE 0x555555554000UL
#define ELF_PAGEOFFSET(v) ((v) & (PAGE_SIZE - 1))
#define BAD_ADDR(x) ((u64)(x) >= TASK_SIZE)

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

/* Reads exactly len bytes at pos (Linux's elf_read): 0, the read's error, or -EIO if short. */
static int elf_read(struct file *file, void *buf, size_t len, u64 pos)
{
	ssize_t n = kernel_read(file, buf, len, pos);

	return n == (ssize_t)len ? 0 : n < 0 ? (int)n : -EIO;
}

/* The program headers (load_elf_phdrs): a kmalloc'd table, or NULL if bad or unreadable. */
static struct elf64_phdr *load_elf_phdrs(const struct elf64_ehdr *eh, struct file *file)
{
	size_t size = (size_t)eh->e_phnum * sizeof(struct elf64_phdr);

	if (eh->e_phentsize != sizeof(struct elf64_phdr) || size == 0 || size > PAGE_SIZE)
		return NULL;
	struct elf64_phdr *ph = kmalloc(size, GFP_KERNEL);
	if (ph && elf_read(file, ph, size, eh->e_phoff)) {
		kfree(ph);
		ph = NULL;
	}
	return ph;
}

/* A file's ELF header is one this kernel can run (the magic, then elf_check_arch). */
static bool elf_header_ok(const struct elf64_ehdr *eh)
{
	return memcmp(eh->e_ident, "\177ELF", 4) == 0 && eh->e_machine == EM_X86_64;
}

/*
 * Checks a PT_INTERP as Linux does before the point of no return: its size and NUL, the open,
 * the interpreter's header. Returns the -errno; a valid interpreter is -ENOENT (no dynamic
 * loader in Warden).
 */
static int check_interp(struct linux_binprm *bprm, const struct elf64_phdr *ph)
{
	struct elf64_ehdr ieh;
	struct elf64_phdr *iph;

	if (ph->p_filesz > PATH_MAX || ph->p_filesz < 2)
		return -ENOEXEC;
	char *name = kmalloc(ph->p_filesz, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	int err = elf_read(bprm->file, name, ph->p_filesz, ph->p_offset);
	if (!err && name[ph->p_filesz - 1] != '\0')
		err = -ENOEXEC;
	struct file *interp = err ? NULL : open_exec(name);
	kfree(name);
	if (err)
		return err;
	if (IS_ERR(interp))
		return (int)PTR_ERR(interp);
	err = elf_read(interp, &ieh, sizeof(ieh), 0);
	if (!err && !elf_header_ok(&ieh))
		err = -ELIBBAD;
	if (!err) {
		iph = load_elf_phdrs(&ieh, interp);
		err = iph ? -ENOENT : -ELIBBAD;
		kfree(iph);
	}
	fput(interp);
	return err;
}

static u64 make_prot(u32 p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

struct load_info {
	u64 bias, entry, phdr_addr, brk, start_code, end_code, start_data, end_data;
};

/*
 * Maps one PT_LOAD (Linux's elf_load): the file part, the zeroed rest of its last page, and
 * anonymous read-write pages for the bss (vm_brk). 0 or a -errno.
 */
static int elf_load(struct linux_binprm *bprm, struct mm_struct *mm, const struct elf64_phdr *ph,
		    u64 addr, u64 flags)
{
	u64 prot = make_prot(ph->p_flags), pageoff = ELF_PAGEOFFSET(ph->p_vaddr);
	u64 start = addr & PAGE_MASK, zero_start = start, zero_end;
	long r;

	if (ph->p_filesz) {
		u64 off = ph->p_offset - pageoff;
		u64 size = ALIGN_UP(ph->p_filesz + pageoff, PAGE_SIZE);
		if (off & (PAGE_SIZE - 1))
			return -EINVAL;
		r = do_mmap(mm, bprm->file, start, size, prot, MAP_PRIVATE | flags,
			    off >> PAGE_SHIFT);
		if (r < 0)
			return (int)r;
		zero_start = start + pageoff + ph->p_filesz;
		/* padzero: the rest of the last file page belongs to the bss (errors ignored) */
		if (ph->p_memsz > ph->p_filesz && ELF_PAGEOFFSET(zero_start))
			clear_user((void __user *)zero_start,
				   PAGE_SIZE - ELF_PAGEOFFSET(zero_start));
	}
	if (ph->p_memsz <= ph->p_filesz)
		return 0;
	zero_end = ALIGN_UP(start + pageoff + ph->p_memsz, PAGE_SIZE);
	zero_start = ALIGN_UP(zero_start, PAGE_SIZE);
	if (zero_end == zero_start)
		return 0;
	r = do_mmap(mm, NULL, zero_start, zero_end - zero_start,
		    PROT_READ | PROT_WRITE | (prot & PROT_EXEC),
		    MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0);
	return r < 0 ? (int)r : 0;
}

/* Maps every PT_LOAD (the first one may not replace anything) and checks its bounds. */
static int load_segments(struct linux_binprm *bprm, const struct elf64_ehdr *eh,
			 const struct elf64_phdr *phdr, struct mm_struct *mm, struct load_info *li)
{
	u64 flags = MAP_FIXED_NOREPLACE;

	li->bias = eh->e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	li->start_code = ~0UL;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		int err = elf_load(bprm, mm, ph, li->bias + ph->p_vaddr, flags);
		if (err)
			return err;
		flags = MAP_FIXED;
		if (ph->p_offset <= eh->e_phoff && eh->e_phoff < ph->p_offset + ph->p_filesz)
			li->phdr_addr = eh->e_phoff - ph->p_offset + ph->p_vaddr;
		u64 k = ph->p_vaddr;
		if ((ph->p_flags & PF_X) && k < li->start_code)
			li->start_code = k;
		if (li->start_data < k)
			li->start_data = k;
		/* After the mapping, as Linux: set_brk could never work */
		if (BAD_ADDR(k) || ph->p_filesz > ph->p_memsz || ph->p_memsz > TASK_SIZE ||
		    TASK_SIZE - ph->p_memsz < k)
			return -EINVAL;
		k = ph->p_vaddr + ph->p_filesz;
		if ((ph->p_flags & PF_X) && li->end_code < k)
			li->end_code = k;
		if (li->end_data < k)
			li->end_data = k;
		if (li->brk < ph->p_vaddr + ph->p_memsz)
			li->brk = ph->p_vaddr + ph->p_memsz;
	}
	li->entry = eh->e_entry + li->bias;
	li->phdr_addr += li->bias;
	li->brk += li->bias;
	li->start_code += li->bias;
	li->end_code += li->bias;
	li->start_data += li->bias;
	li->end_data += li->bias;
	return BAD_ADDR(li->entry) ? -EINVAL : 0;
}

/* Copies len bytes to the stack below *sp; returns their address (0 on a fault). */
static u64 push_bytes(u64 *sp, const void *data, u64 len)
{
	*sp -= len;
	return copy_to_user((void __user *)*sp, data, len) ? 0 : *sp;
}

/* Builds the initial stack in the current address space and returns the new RSP (0: fault). */
static u64 create_elf_tables(struct linux_binprm *bprm, const struct elf64_ehdr *eh,
			     struct mm_struct *mm, const struct load_info *li)
{
	u64 sp = STACK_TOP - 8, zero = 0, top = STACK_TOP - 8;
	u8 random[16];

	if (copy_to_user((void __user *)sp, &zero, 8))
		return 0;
	u64 strings = push_bytes(&sp, bprm->area + bprm->area_size - bprm->used, bprm->used);
	mm->arg_start = strings;
	sp &= ~15UL;
	u64 platform = push_bytes(&sp, "x86_64", 7);
	get_random_bytes(random, sizeof(random));
	u64 at_random = push_bytes(&sp, random, 16); /* right below the platform string, as Linux */
	if (!strings || !platform || !at_random)
		return 0;

	u64 auxv[] = {
		AT_HWCAP,    cpuid(1, 0).edx,
		AT_PAGESZ,   PAGE_SIZE,
		AT_CLKTCK,   100,
		AT_PHDR,     li->phdr_addr,
		AT_PHENT,    sizeof(struct elf64_phdr),
		AT_PHNUM,    eh->e_phnum,
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
		AT_EXECFN,   top - bprm->exec,
		AT_PLATFORM, platform,
		AT_NULL,     0,
	};
	u64 nwords = 1 + (u64)bprm->argc + 1 + (u64)bprm->envc + 1 + ARRAY_SIZE(auxv);
	sp = (sp - nwords * 8) & ~15UL;
	u64 *words = vmalloc(nwords * 8, GFP_KERNEL);
	if (!words)
		return 0;
	u64 w = 0, p = strings;
	const char *k = bprm->area + bprm->area_size - bprm->used;
	words[w++] = (u64)bprm->argc;
	for (int i = 0; i < bprm->argc; i++, p += strlen(k + (p - strings)) + 1)
		words[w++] = p;
	words[w++] = 0;
	mm->arg_end = mm->env_start = p;
	for (int i = 0; i < bprm->envc; i++, p += strlen(k + (p - strings)) + 1)
		words[w++] = p;
	words[w++] = 0;
	mm->env_end = p;
	memcpy(&words[w], auxv, sizeof(auxv));
	bool ok = !copy_to_user((void __user *)sp, words, nwords * 8);
	vfree(words);
	mm->start_stack = sp;
	return ok ? sp : 0;
}

/*
 * Maps the stack (Linux's setup_arg_pages): STACK_INITIAL_SIZE, or the strings' and pointers'
 * pages and STACK_INITIAL_SIZE more when they do not fit in a quarter of it.
 */
static int setup_arg_pages(struct linux_binprm *bprm, struct mm_struct *mm, bool exec_stack)
{
	u64 need = bprm->used + ((u64)bprm->argc + (u64)bprm->envc + 64) * 8 + PAGE_SIZE;
	u64 size = STACK_INITIAL_SIZE;

	if (need > STACK_INITIAL_SIZE / 4)
		size += ALIGN_UP(need, PAGE_SIZE);
	long r = do_mmap(mm, NULL, STACK_TOP - size, size,
			 PROT_READ | PROT_WRITE | (exec_stack ? PROT_EXEC : 0),
			 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN, 0);
	if (r < 0)
		return (int)r;
	find_vma(mm, (u64)r)->vm_flags &= ~VM_SOFTDIRTY; /* as Linux: no soft-dirty bit */
	return 0;
}

/* Sets up the new image after the point of no return: 0 or a -errno (the task dies). */
static int elf_new_image(struct linux_binprm *bprm, const struct elf64_ehdr *eh,
			 const struct elf64_phdr *phdr, bool exec_stack)
{
	struct load_info li = { 0 };
	int err = begin_new_exec(bprm);

	if (err)
		return err;
	struct mm_struct *mm = current->mm;
	err = setup_arg_pages(bprm, mm, exec_stack);
	if (!err)
		err = load_segments(bprm, eh, phdr, mm, &li);
	if (err)
		return err;
	u64 sp = create_elf_tables(bprm, eh, mm, &li);
	if (!sp)
		return -EFAULT;
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
	start_thread(task_pt_regs(current), li.entry, sp);
	return 0;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)bprm->buf;
	bool exec_stack = false;

	if (memcmp(eh->e_ident, "\177ELF", 4) != 0 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	struct elf64_phdr *phdr = load_elf_phdrs(eh, bprm->file);
	if (!phdr)
		return -ENOEXEC;
	int err = 0;
	for (int i = 0; i < eh->e_phnum && !err; i++)
		if (phdr[i].p_type == PT_INTERP)
			err = check_interp(bprm, &phdr[i]);
	for (int i = 0; i < eh->e_phnum; i++)
		if (phdr[i].p_type == PT_GNU_STACK)
			exec_stack = phdr[i].p_flags & PF_X;
	if (!err)
		err = elf_new_image(bprm, eh, phdr, exec_stack);
	kfree(phdr);
	return err;
}
