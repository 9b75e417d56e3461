/* SPDX-License-Identifier: MIT */
/*
 * ELF64 as the loader sees it (Linux's include/uapi/linux/elf.h and the helpers of
 * fs/binfmt_elf.c), shared by kernel/binfmt_elf.c (the program, the stack, the auxv) and
 * kernel/binfmt_elf_interp.c (the program interpreter of a dynamically linked program).
 */
#ifndef WARDEN_BINFMT_ELF_H
#define WARDEN_BINFMT_ELF_H

#include "kernel/types.h"

#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

/*
 * x86-64's ELF_ET_DYN_BASE, two thirds of DEFAULT_MAP_WINDOW (2^47 - 4096): where a PIE (ET_DYN
 * with PT_INTERP) goes without randomisation (0x555555554000 once page aligned down), and where
 * a static-pie's brk starts (0x555555555000 once page aligned up).
 */
#define ELF_ET_DYN_BASE ((USER_TOP - PAGE_SIZE) / 3 * 2)
#define ELF_PAGEOFFSET(v) ((v) & (PAGE_SIZE - 1))
#define ELF_PAGESTART(v) ((v)&PAGE_MASK)
#define ELF_PAGEALIGN(v) ALIGN_UP((v), PAGE_SIZE)
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

struct file;
struct mm_struct;

/* Reads exactly len bytes at pos (Linux's elf_read): 0, the read's error, or -EIO if short. */
int elf_read(struct file *file, void *buf, size_t len, u64 pos);

/* The program headers (load_elf_phdrs): a kmalloc'd table, or NULL if bad or unreadable. */
struct elf64_phdr *load_elf_phdrs(const struct elf64_ehdr *eh, struct file *file);

/* The magic and elf_check_arch: a file this kernel can run. */
bool elf_header_ok(const struct elf64_ehdr *eh);

/* PROT_* bits of a segment's PF_* flags. */
u64 make_prot(u32 p_flags);

/* The span of the PT_LOADs, first page start to last byte (0 without a PT_LOAD). */
u64 total_mapping_size(const struct elf64_phdr *phdr, int nr);

/*
 * Maps a segment's file part at addr (Linux's elf_map): with total_size, the whole image is
 * reserved by that first mapping and all past the segment unmapped again. The address mapped,
 * addr itself for an empty file part, or a -errno.
 */
long elf_map(struct mm_struct *mm, struct file *file, u64 addr, const struct elf64_phdr *ph,
	     u64 prot, u64 flags, u64 total_size);

/* Zeroes from addr to its page's end (Linux's padzero): 0 or -EFAULT. */
int padzero(u64 addr);

/* Anonymous read-write pages [start, end) for a bss, executable with exec (vm_brk_flags). */
int vm_brk_flags(struct mm_struct *mm, u64 start, u64 end, bool exec);

/*
 * Maps the program interpreter (Linux's load_elf_interp) after the program: 0 and its load
 * address in *base (AT_BASE: where a non-fixed mmap of its whole image landed, for an ET_DYN;
 * 0 for an ET_EXEC), or a -errno. no_base is the program's load bias (0 for an ET_EXEC).
 */
int load_elf_interp(struct mm_struct *mm, const struct elf64_ehdr *ieh, struct file *interp,
		    const struct elf64_phdr *iphdr, u64 no_base, u64 *base);

#endif
