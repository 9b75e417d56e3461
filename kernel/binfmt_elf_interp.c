// SPDX-License-Identifier: MIT
/*
 * The program interpreter of a dynamically linked ELF program (Linux 6.1's load_elf_interp),
 * and the mapping helpers it shares with the program's own loading (elf_map, padzero,
 * vm_brk_flags, total_mapping_size).
 *
 * The interpreter (ld.so, an ET_DYN) goes where a non-fixed mmap of its whole image goes: the
 * first PT_LOAD is mapped with the size of the whole image from its lowest page to its highest
 * byte (total_mapping_size), so the later segments find their places free, and all of that
 * mapping past the first segment's file part is unmapped again; each later PT_LOAD is then mapped
 * MAP_FIXED at load_addr + p_vaddr. Its bss is Linux's too: the rest of the page after the
 * highest file byte of any segment is zeroed (padzero, even when nothing follows it), and
 * anonymous pages cover the rest up to the highest p_vaddr + p_memsz. Every failure after the
 * point of no return is the caller's SIGSEGV.
 */
#include "kernel/binfmt_elf.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

u64 total_mapping_size(const struct elf64_phdr *phdr, int nr)
{
	u64 min_addr = ~0UL, max_addr = 0;
	bool pt_load = false;

	for (int i = 0; i < nr; i++) {
		if (phdr[i].p_type != PT_LOAD)
			continue;
		min_addr = min(min_addr, ELF_PAGESTART(phdr[i].p_vaddr));
		max_addr = max(max_addr, phdr[i].p_vaddr + phdr[i].p_memsz);
		pt_load = true;
	}
	return pt_load ? max_addr - min_addr : 0;
}

long elf_map(struct mm_struct *mm, struct file *file, u64 addr, const struct elf64_phdr *ph,
	     u64 prot, u64 flags, u64 total_size)
{
	u64 size = ELF_PAGEALIGN(ph->p_filesz + ELF_PAGEOFFSET(ph->p_vaddr));
	u64 off = ph->p_offset - ELF_PAGEOFFSET(ph->p_vaddr);
	long map_addr;

	addr = ELF_PAGESTART(addr);
	if (!size)
		return (long)addr; /* a segment without file bytes is only bss */
	if (off & (PAGE_SIZE - 1))
		return -EINVAL; /* p_offset and p_vaddr are not congruent (vm_mmap's check) */
	if (!total_size)
		return do_mmap(mm, file, addr, size, prot, MAP_PRIVATE | flags, off >> PAGE_SHIFT);
	total_size = ELF_PAGEALIGN(total_size);
	if (!total_size)
		return -ENOMEM; /* wrapped: no address space is that large */
	map_addr =
		do_mmap(mm, file, addr, total_size, prot, MAP_PRIVATE | flags, off >> PAGE_SHIFT);
	if (map_addr >= 0 && total_size > size)
		do_munmap(mm, (u64)map_addr + size, total_size - size);
	return map_addr;
}

int padzero(u64 addr)
{
	u64 nbyte = ELF_PAGEOFFSET(addr);

	if (nbyte && clear_user((void __user *)addr, PAGE_SIZE - nbyte))
		return -EFAULT;
	return 0;
}

int vm_brk_flags(struct mm_struct *mm, u64 start, u64 end, bool exec)
{
	if (end <= start)
		return 0;
	long r = do_mmap(mm, NULL, start, end - start,
			 PROT_READ | PROT_WRITE | (exec ? PROT_EXEC : 0),
			 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, 0);
	return r < 0 ? (int)r : 0;
}

/* A PT_LOAD's end lies beyond TASK_SIZE or its sizes are inconsistent (set_brk could not work). */
static bool segment_out_of_range(const struct elf64_phdr *ph, u64 load_addr)
{
	u64 k = load_addr + ph->p_vaddr;

	return BAD_ADDR(k) || ph->p_filesz > ph->p_memsz || ph->p_memsz > TASK_SIZE ||
	       TASK_SIZE - ph->p_memsz < k;
}

int load_elf_interp(struct mm_struct *mm, const struct elf64_ehdr *ieh, struct file *interp,
		    const struct elf64_phdr *iphdr, u64 no_base, u64 *base)
{
	u64 load_addr = 0, elf_bss = 0, last_bss = 0, total_size;
	bool load_addr_set = false, bss_exec = false;

	if (ieh->e_type != ET_EXEC && ieh->e_type != ET_DYN)
		return -ELIBBAD;
	if (!elf_header_ok(ieh))
		return -ELIBBAD;
	total_size = total_mapping_size(iphdr, ieh->e_phnum);
	if (!total_size)
		return -EINVAL;
	for (int i = 0; i < ieh->e_phnum; i++) {
		const struct elf64_phdr *ph = &iphdr[i];
		u64 flags = 0, prot = make_prot(ph->p_flags);

		if (ph->p_type != PT_LOAD)
			continue;
		if (ieh->e_type == ET_EXEC || load_addr_set)
			flags = MAP_FIXED;
		else if (no_base && ieh->e_type == ET_DYN)
			load_addr = -ph->p_vaddr; /* a hint of 0: wherever mmap puts it */
		long map_addr =
			elf_map(mm, interp, load_addr + ph->p_vaddr, ph, prot, flags, total_size);
		total_size = 0;
		if (map_addr < 0)
			return (int)map_addr;
		if (BAD_ADDR(map_addr))
			return -EINVAL;
		if (!load_addr_set && ieh->e_type == ET_DYN) {
			load_addr = (u64)map_addr - ELF_PAGESTART(ph->p_vaddr);
			load_addr_set = true;
		}
		if (segment_out_of_range(ph, load_addr))
			return -ENOMEM;
		u64 k = load_addr + ph->p_vaddr + ph->p_filesz;
		if (k > elf_bss)
			elf_bss = k;
		k = load_addr + ph->p_vaddr + ph->p_memsz;
		if (k > last_bss) {
			last_bss = k;
			bss_exec = ph->p_flags & PF_X;
		}
	}
	if (padzero(elf_bss))
		return -EFAULT;
	int err = vm_brk_flags(mm, ELF_PAGEALIGN(elf_bss), ELF_PAGEALIGN(last_bss), bss_exec);
	if (err)
		return err;
	*base = load_addr;
	return 0;
}
