// SPDX-License-Identifier: MIT
/*
 * ELF64 executables (Linux 6.1's binfmt_elf): static ET_EXEC, ET_DYN without an interpreter
 * (static-pie), or a dynamically linked program with its PT_INTERP interpreter (ld.so, loaded by
 * kernel/binfmt_elf_interp.c), mapped into a fresh address space with the initial stack laid out
 * as Linux's:
 *
 *   high  [8 zero bytes][filename][envp strings][argv strings][padding]
 *         ["x86_64"][16 random bytes][padding to 16]
 *         auxv (AT_* pairs, AT_NULL)  envp[] NULL  argv[] NULL  argc   <- RSP (16-byte aligned)
 *   low
 *
 * As Linux, only the magic, e_type, e_machine and the program headers' size (e_phentsize 56,
 * 1 to 4096 bytes of them) are checked before the point of no return: EI_CLASS, EI_DATA and the
 * versions are not (Linux runs such files). The first PT_INTERP is opened and its header and
 * program headers checked before it too (ENOEXEC, EIO, the open's errors, ELIBBAD). PT_LOAD
 * errors of the program or the interpreter (p_filesz > p_memsz, an address beyond TASK_SIZE, a
 * p_offset not congruent to p_vaddr, a mapping that fails) come after it and kill the new image
 * with SIGSEGV. A PIE goes to ELF_ET_DYN_BASE, its interpreter and a static-pie where a
 * non-fixed mmap of their whole image goes (no randomisation). An i386 (ELFCLASS32, EM_386) file,
 * which Linux runs with IA32 emulation, is ENOEXEC.
 */
#include "kernel/binfmts.h"
#include "kernel/binfmt_elf.h"
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

int elf_read(struct file *file, void *buf, size_t len, u64 pos)
{
	ssize_t n = kernel_read(file, buf, len, pos);

	return n == (ssize_t)len ? 0 : n < 0 ? (int)n : -EIO;
}

struct elf64_phdr *load_elf_phdrs(const struct elf64_ehdr *eh, struct file *file)
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

bool elf_header_ok(const struct elf64_ehdr *eh)
{
	return memcmp(eh->e_ident, "\177ELF", 4) == 0 && eh->e_machine == EM_X86_64;
}

u64 make_prot(u32 p_flags)
{
	return (p_flags & PF_R ? PROT_READ : 0) | (p_flags & PF_W ? PROT_WRITE : 0) |
	       (p_flags & PF_X ? PROT_EXEC : 0);
}

struct load_info {
	u64 bias, entry, phdr_addr, brk, start_code, end_code, start_data, end_data;
	u64 interp_base, interp_entry; /* AT_BASE and where the task starts (the program's entry
					  without an interpreter) */
};

/* The program interpreter of a PT_INTERP, opened and checked before the point of no return. */
struct elf_interp {
	struct file *file;
	struct elf64_ehdr eh;
	struct elf64_phdr *phdr;
};

/*
 * Maps one PT_LOAD (Linux's elf_load): the file part (elf_map, the whole image's size for the
 * first one of an ET_DYN), the zeroed rest of its last page, and anonymous read-write pages for
 * the bss. The address of the file part's first page, or a -errno.
 */
static long elf_load(struct linux_binprm *bprm, struct mm_struct *mm, const struct elf64_phdr *ph,
		     u64 addr, u64 flags, u64 total_size)
{
	u64 prot = make_prot(ph->p_flags), zero_start, zero_end;
	long map_addr;

	if (ph->p_filesz) {
		map_addr = elf_map(mm, bprm->file, addr, ph, prot, flags, total_size);
		if (map_addr < 0)
			return map_addr;
		zero_start = (u64)map_addr + ELF_PAGEOFFSET(ph->p_vaddr) + ph->p_filesz;
		zero_end = (u64)map_addr + ELF_PAGEOFFSET(ph->p_vaddr) + ph->p_memsz;
		/* the rest of the last file page belongs to the bss (errors ignored, as Linux) */
		if (ph->p_memsz > ph->p_filesz)
			padzero(zero_start);
	} else {
		map_addr = (long)ELF_PAGESTART(addr);
		zero_start = (u64)map_addr;
		zero_end = zero_start + ELF_PAGEOFFSET(ph->p_vaddr) + ph->p_memsz;
	}
	if (ph->p_memsz <= ph->p_filesz)
		return map_addr;
	int err = vm_brk_flags(mm, ELF_PAGEALIGN(zero_start), ELF_PAGEALIGN(zero_end),
			       prot & PROT_EXEC);
	return err ? err : map_addr;
}

/* The largest power-of-two p_align of the PT_LOADs, at least a page (maximum_alignment). */
static u64 maximum_alignment(const struct elf64_phdr *phdr, int nr)
{
	u64 alignment = 0;

	for (int i = 0; i < nr; i++) {
		u64 a = phdr[i].p_align;
		if (phdr[i].p_type == PT_LOAD && a && !(a & (a - 1)))
			alignment = max(alignment, a);
	}
	return ELF_PAGEALIGN(alignment);
}

/*
 * The load bias of an ET_DYN whose first PT_LOAD (ph) is at vaddr, and the flags to map it with.
 * A PIE (with an interpreter) goes to ELF_ET_DYN_BASE aligned to its segments' alignment, as
 * Linux without randomisation. A static-pie (a loader: ld.so run as a program) goes where a
 * non-fixed mmap puts its whole image (bias 0 and no MAP_FIXED); when it asks for an alignment
 * above a page, that mmap is made and undone first to learn the place, then aligned. 0 or -errno.
 */
static int et_dyn_load_bias(struct linux_binprm *bprm, struct mm_struct *mm,
			    const struct elf64_ehdr *eh, const struct elf64_phdr *phdr,
			    const struct elf64_phdr *ph, u64 total_size, bool has_interp, u64 *bias,
			    u64 *flags)
{
	u64 alignment = maximum_alignment(phdr, eh->e_phnum);

	if (has_interp) {
		*bias = ELF_ET_DYN_BASE;
		*flags = MAP_FIXED_NOREPLACE;
	} else if (alignment > PAGE_SIZE) {
		long r = elf_load(bprm, mm, ph, 0, 0, total_size);
		if (r < 0)
			return (int)r;
		if (BAD_ADDR(r))
			return -EINVAL;
		do_munmap(mm, (u64)r, ELF_PAGEALIGN(total_size));
		*bias = (u64)r;
		*flags = MAP_FIXED_NOREPLACE;
	} else {
		*bias = 0;
		*flags = 0;
	}
	if (alignment)
		*bias &= ~(alignment - 1);
	*bias = ELF_PAGESTART(*bias - ph->p_vaddr);
	return 0;
}

/*
 * Maps every PT_LOAD (the first one may not replace anything; for an ET_DYN it reserves the
 * whole image) and checks its bounds.
 */
static int load_segments(struct linux_binprm *bprm, const struct elf64_ehdr *eh,
			 const struct elf64_phdr *phdr, struct mm_struct *mm, struct load_info *li,
			 bool has_interp)
{
	bool first = true;

	li->start_code = ~0UL;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = &phdr[i];
		u64 flags = MAP_FIXED, total_size = 0;
		if (ph->p_type != PT_LOAD)
			continue;
		if (first) {
			flags = MAP_FIXED_NOREPLACE;
			if (eh->e_type == ET_DYN) {
				total_size = total_mapping_size(phdr, eh->e_phnum);
				if (!total_size)
					return -EINVAL;
				int err = et_dyn_load_bias(bprm, mm, eh, phdr, ph, total_size,
							   has_interp, &li->bias, &flags);
				if (err)
					return err;
			}
		}
		long r = elf_load(bprm, mm, ph, li->bias + ph->p_vaddr, flags, total_size);
		if (r < 0)
			return (int)r;
		if (BAD_ADDR(r))
			return -EINVAL;
		/* A non-fixed first mapping of an ET_DYN decides the bias */
		if (first && eh->e_type == ET_DYN)
			li->bias += (u64)r - ELF_PAGESTART(li->bias + ph->p_vaddr);
		first = false;
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
	li->interp_entry = li->entry;
	return BAD_ADDR(li->entry) && !has_interp ? -EINVAL : 0;
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
		AT_BASE,     li->interp_base,
		AT_FLAGS,    0,
		AT_ENTRY,    li->entry,
		AT_UID,	     current->cred.uid,
		AT_EUID,     current->cred.euid,
		AT_GID,	     current->cred.gid,
		AT_EGID,     current->cred.egid,
		AT_SECURE,   bprm->secureexec,
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
	_Static_assert(sizeof(auxv) <= sizeof(mm->saved_auxv), "saved_auxv holds the auxv");
	memcpy(mm->saved_auxv, auxv, sizeof(auxv)); /* the core's NT_AUXV */
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

/*
 * Maps the interpreter after the program (load_elf_interp): the task starts at its entry, and
 * AT_BASE is where it landed. 0 or a -errno.
 */
static int load_interp(struct mm_struct *mm, const struct elf_interp *in, struct load_info *li)
{
	int err = load_elf_interp(mm, &in->eh, in->file, in->phdr, li->bias, &li->interp_base);

	if (err)
		return err;
	li->interp_entry = li->interp_base + in->eh.e_entry;
	return BAD_ADDR(li->interp_entry) ? -EINVAL : 0;
}

/* Sets up the new image after the point of no return: 0 or a -errno (the task dies). */
static int elf_new_image(struct linux_binprm *bprm, const struct elf64_ehdr *eh,
			 const struct elf64_phdr *phdr, const struct elf_interp *in,
			 bool exec_stack)
{
	struct load_info li = { 0 };
	int err = begin_new_exec(bprm);

	if (err)
		return err;
	struct mm_struct *mm = current->mm;
	err = setup_arg_pages(bprm, mm, exec_stack);
	if (!err)
		err = load_segments(bprm, eh, phdr, mm, &li, in->file);
	if (!err && in->file)
		err = load_interp(mm, in, &li);
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
	 * the heap starts one page above the program's bss (also with an interpreter, which
	 * lies elsewhere), which keeps both of those properties. A static-pie's heap is moved
	 * out of the mmap region to ELF_ET_DYN_BASE, as Linux (where it is randomised from there).
	 */
	if (eh->e_type == ET_DYN && !in->file)
		mm->start_brk = mm->brk = ELF_PAGEALIGN(ELF_ET_DYN_BASE);
	else
		mm->start_brk = mm->brk = ALIGN_UP(li.brk, PAGE_SIZE) + PAGE_SIZE;
	start_thread(task_pt_regs(current), li.interp_entry, sp);
	return 0;
}

/*
 * Opens and checks a PT_INTERP's interpreter as Linux before the point of no return: the name's
 * size and NUL (ENOEXEC), the open's errors, a short header (EIO); 0 with in filled or a -errno.
 */
static int open_interp(struct linux_binprm *bprm, const struct elf64_phdr *ph,
		       struct elf_interp *in)
{
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
	in->file = interp;
	return elf_read(interp, &in->eh, sizeof(in->eh), 0);
}

/* The interpreter's own checks (after PT_GNU_STACK, as Linux): ELIBBAD or 0. */
static int check_interp(struct elf_interp *in)
{
	if (!elf_header_ok(&in->eh))
		return -ELIBBAD;
	in->phdr = load_elf_phdrs(&in->eh, in->file);
	return in->phdr ? 0 : -ELIBBAD;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	const struct elf64_ehdr *eh = (const struct elf64_ehdr *)bprm->buf;
	struct elf_interp in = { 0 };
	bool exec_stack = false;

	if (memcmp(eh->e_ident, "\177ELF", 4) != 0 ||
	    (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) || eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	struct elf64_phdr *phdr = load_elf_phdrs(eh, bprm->file);
	if (!phdr)
		return -ENOEXEC;
	int err = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (phdr[i].p_type == PT_INTERP) {
			err = open_interp(bprm, &phdr[i], &in);
			break; /* only the first one counts */
		}
	}
	for (int i = 0; i < eh->e_phnum; i++)
		if (phdr[i].p_type == PT_GNU_STACK)
			exec_stack = phdr[i].p_flags & PF_X;
	if (!err && in.file)
		err = check_interp(&in);
	if (!err)
		err = elf_new_image(bprm, eh, phdr, &in, exec_stack);
	if (in.file)
		fput(in.file);
	kfree(in.phdr);
	kfree(phdr);
	return err;
}
