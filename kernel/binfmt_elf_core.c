// SPDX-License-Identifier: MIT
/*
 * The ELF core file (Linux 6.1's elf_core_dump in fs/binfmt_elf.c, with the VMA snapshot and
 * page walk of fs/coredump.c; docs/coredump.md). Its layout:
 *
 *   ELF header (ET_CORE)  program headers: PT_NOTE, then one PT_LOAD per VMA in address order
 *   notes: per thread, the dumper first: NT_PRSTATUS; after the dumper's only: NT_PRPSINFO,
 *          NT_SIGINFO, NT_AUXV, NT_FILE; then NT_PRFPREG ("CORE") and NT_X86_XSTATE ("LINUX")
 *   page aligned: each VMA's first p_filesz bytes (vma_dump_size), pages never populated
 *          left as holes
 *
 * The VMAs are read once under mmap_lock (a snapshot); each page is then looked up again under
 * the lock and copied to a bounce page before it is written, so a VMA that changes under the
 * dump (another process's madvise) is never read past its end. The other threads are parked in
 * do_exit (kernel/coredump.c) and their registers read from their saved state.
 */
#include "kernel/binfmt_elf.h"
#include "kernel/coredump.h"
#include "kernel/cputime.h"
#include "kernel/err.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/pkru.h"
#include "arch/x86_64/ptrace.h"
#include "fs/abi.h"
#include "fs/filemap.h"
#include "fs/vfs.h"
#include "mm/frame.h"
#include "mm/mm.h"
#include "mm/mmap_lock.h"
#include "mm/proc_maps.h"
#include "mm/pgtable_lock.h"
#include "mm/slab.h"
#include "mm/uaccess.h"
#include "mm/vmalloc.h"

#define ET_CORE 4
#define PT_NOTE 4
#define NT_PRSTATUS 1
#define NT_PRFPREG 2
#define NT_PRPSINFO 3
#define NT_AUXV 6
#define NT_SIGINFO 0x53494749
#define NT_FILE 0x46494c45
#define NT_X86_XSTATE 0x202
#define ELF_PRARGSZ 80
#define NR_ELF_GREGS 27
#define MAX_FILE_NOTE_SIZE (4 * 1024 * 1024)
/* vma_dump_size's "the first page if it starts with ELF magic", decided after the snapshot */
#define DUMP_SIZE_MAYBE_ELFHDR ((u64)-1)

struct kernel_old_timeval {
	s64 tv_sec, tv_usec;
};

/* Linux's struct elf_prstatus on x86-64 (336 bytes). */
struct elf_prstatus {
	int si_signo, si_code, si_errno; /* pr_info: only si_signo is filled, as Linux */
	short pr_cursig;
	short pad0;
	u64 pr_sigpend, pr_sighold;
	int pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct kernel_old_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
	u64 pr_reg[NR_ELF_GREGS];
	int pr_fpvalid;
	int pad1;
};
_Static_assert(sizeof(struct elf_prstatus) == 336, "elf_prstatus is Linux's");

/* Linux's struct elf_prpsinfo on x86-64 (136 bytes). */
struct elf_prpsinfo {
	char pr_state, pr_sname, pr_zomb, pr_nice;
	u32 pad0;
	u64 pr_flag;
	u32 pr_uid, pr_gid;
	int pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[ELF_PRARGSZ];
};
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo is Linux's");

/* Linux's Elf64_Shdr: the one section header of a core with PN_XNUM program headers. */
struct elf64_shdr {
	u32 sh_name, sh_type;
	u64 sh_flags, sh_addr, sh_offset, sh_size;
	u32 sh_link, sh_info;
	u64 sh_addralign, sh_entsize;
};
_Static_assert(sizeof(struct elf64_shdr) == 64, "elf64_shdr is Linux's");

#define PN_XNUM 0xffff

/* What the dump keeps of a VMA (Linux's core_vma_metadata). */
struct core_vma {
	u64 start, end, flags, dump_size, pgoff;
	struct file *file; /* a reference of the snapshot's own */
};

/* The VMAs and the notes being written. */
struct core_info {
	struct core_vma *vmas;
	int nr_vmas;
	u64 data_size; /* the PT_LOADs' p_filesz summed */
	u8 *notes;
	size_t notes_size;
};

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Bytes a note takes: its header, then its name and its data, each padded to 4. */
static size_t note_size(const char *name, size_t descsz)
{
	return 12 + align4(strlen(name) + 1) + align4(descsz);
}

/* Appends a note at *p (the buffer was zeroed, so the padding is zeros). */
static void put_note(u8 **p, const char *name, u32 type, const void *desc, size_t descsz)
{
	u32 hdr[3] = { (u32)strlen(name) + 1, (u32)descsz, type };

	memcpy(*p, hdr, sizeof(hdr));
	memcpy(*p + 12, name, hdr[0]);
	*p += 12 + align4(hdr[0]);
	memcpy(*p, desc, descsz);
	*p += align4(descsz);
}

static struct kernel_old_timeval ns_to_timeval(u64 ns)
{
	return (struct kernel_old_timeval){ (s64)(ns / 1000000000ULL),
					    (s64)(ns % 1000000000ULL / 1000) };
}

/*
 * Which bytes of a VMA the dump writes (Linux's vma_dump_size, coredump_filter's bits): none of
 * MADV_DONTDUMP or device memory; shared memory whole if anonymous (ANON_SHARED) or a file
 * (MAPPED_SHARED); private memory whole once written (ANON_PRIVATE) or if a file's
 * (MAPPED_PRIVATE); else the first page of a file mapped from its start (ELF_HEADERS) when the
 * file is executable or starts with ELF magic.
 */
static u64 vma_dump_size(const struct vm_area_struct *v, unsigned int filter)
{
	u64 whole = v->vm_end - v->vm_start;

#define FILTER(bit) (filter & (1U << MMF_DUMP_##bit))
	if (v->vm_flags & (VM_DONTDUMP | VM_IO))
		return 0;
	if (v->vm_flags & VM_SHARED) {
		bool anon = !v->vm_file || file_inode(v->vm_file)->i_nlink == 0;

		return (anon ? FILTER(ANON_SHARED) : FILTER(MAPPED_SHARED)) ? whole : 0;
	}
	if (v->anon_vma && FILTER(ANON_PRIVATE))
		return whole;
	if (!v->vm_file)
		return 0;
	if (FILTER(MAPPED_PRIVATE))
		return whole;
	if (FILTER(ELF_HEADERS) && v->vm_pgoff == 0 && (v->vm_flags & VM_READ)) {
		if (file_inode(v->vm_file)->i_mode & 0111)
			return PAGE_SIZE;
		return DUMP_SIZE_MAYBE_ELFHDR;
	}
#undef FILTER
	return 0;
}

/*
 * Copies the page mapped at addr to buf if there is one (not the shared zero page), under
 * page_table_lock so that no zap (MADV_DONTNEED, truncate, the OOM reaper) frees it meanwhile.
 * *next: where the next populated address can be when a page table is missing.
 */
static bool copy_mapped_page(struct mm_struct *mm, u64 addr, u64 end, void *buf, u64 *next)
{
	bool copied = false;

	pt_lock(mm);
	pte_t *e = pgtable_walk_range(mm->pgd, addr, end, next);
	if (e && pte_has_frame(*e)) {
		struct page *pg = phys_to_page(*e & PTE_ADDR_MASK);

		if (!is_zero_page(pg)) {
			memcpy(buf, page_address(pg), PAGE_SIZE);
			copied = true;
		}
	}
	pt_unlock(mm);
	return copied;
}

/*
 * Where the next page of the file VMA v after pgoff can be when neither a page table nor the
 * page cache has pgoff: the next cached page of the file (within its npages and the VMA) or
 * pt_next (the end of the missing page table), whichever comes first. A huge sparse shared
 * mapping is then walked by what it holds, not page by page.
 */
static u64 file_next_page(const struct vm_area_struct *v, u64 pgoff, u64 npages, u64 pt_next)
{
	u64 np = filemap_next_page(file_inode(v->vm_file), pgoff + 1);
	u64 vma_pages = (v->vm_end - v->vm_start) >> PAGE_SHIFT, next = v->vm_end;

	if (np < npages && np - v->vm_pgoff < vma_pages)
		next = v->vm_start + ((np - v->vm_pgoff) << PAGE_SHIFT);
	return next < pt_next ? next : pt_next;
}

/*
 * Copies the page of mm at addr to buf, as Linux's get_dump_page finds it: a page in the
 * tables (not the shared zero page) is copied; a file page not yet mapped is read from the page
 * cache, within the file's size; anything else is a hole (false), without allocating.
 * *next says where the next page worth looking at is (past a missing page table).
 */
static bool read_dump_page(struct mm_struct *mm, u64 addr, void *buf, u64 *next)
{
	bool copied = false;

	*next = addr + PAGE_SIZE;
	mmap_read_lock(mm);
	struct vm_area_struct *v = find_vma(mm, addr);
	if (!v || v->vm_start > addr) {
		*next = v ? v->vm_start : ~0ULL;
		goto out;
	}
	u64 end = v->vm_end;
	copied = copy_mapped_page(mm, addr, end, buf, next);
	if (copied)
		goto out;
	if (v->vm_file && file_mmap_kind(v->vm_file) == FILE_MMAP_PAGES) {
		u64 size = (u64)file_inode(v->vm_file)->i_size;
		u64 pgoff = v->vm_pgoff + ((addr - v->vm_start) >> PAGE_SHIFT);

		u64 npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT, pt_next = *next;

		*next = addr + PAGE_SIZE;
		if (pgoff >= npages) {
			*next = end; /* past the file's end: nothing to read */
		} else {
			/*
			 * The file's page as the page cache has it: what a fault would map, without
			 * mapping it (Linux faults it in). No page there is a hole in the file
			 * (zeros either way), so a huge shared mapping never allocates.
			 */
			struct page *pg = filemap_get_page(file_inode(v->vm_file), pgoff, false);

			/* A poisoned page is a hole, as Linux's get_dump_page gives up on it. */
			if (pg && !is_zero_page(pg) && !PageHWPoison(pg)) {
				memcpy(buf, page_address(pg), PAGE_SIZE);
				copied = true;
			} else if (!pg && pt_next > addr + PAGE_SIZE) {
				*next = file_next_page(v, pgoff, npages, pt_next);
			}
		}
	}
out:
	mmap_read_unlock(mm);
	if (*next <= addr)
		*next = addr + PAGE_SIZE;
	return copied;
}

/* Reads the VMAs under mmap_lock (Linux's dump_vma_snapshot). false when memory runs out. */
static bool dump_vma_snapshot(struct coredump_params *cprm, struct core_info *ci)
{
	struct mm_struct *mm = current->mm;
	u64 next;

	mmap_read_lock(mm);
	ci->nr_vmas = (int)mm->mm_rb.count;
	ci->vmas = ci->nr_vmas ? vmalloc((size_t)ci->nr_vmas * sizeof(*ci->vmas), GFP_ZERO) : NULL;
	if (ci->nr_vmas && !ci->vmas) {
		mmap_read_unlock(mm);
		return false;
	}
	int i = 0;
	for (struct vm_area_struct *v = mm->mm_rb.first; v && i < ci->nr_vmas;
	     v = v->vm_next, i++) {
		struct core_vma *m = &ci->vmas[i];

		m->start = v->vm_start;
		m->end = v->vm_end;
		m->flags = v->vm_flags;
		m->pgoff = v->vm_pgoff;
		m->dump_size = vma_dump_size(v, cprm->filter);
		m->file = v->vm_file ? get_file(v->vm_file) : NULL;
	}
	ci->nr_vmas = i;
	mmap_read_unlock(mm);
	/* the ELF magic check needs the page, read without the lock held */
	for (i = 0; i < ci->nr_vmas; i++) {
		struct core_vma *m = &ci->vmas[i];

		cond_resched(); /* one page per VMA, of up to max_map_count VMAs */
		if (m->dump_size == DUMP_SIZE_MAYBE_ELFHDR) {
			/* SIGKILL: no more reads, the dump is over (dump_emit writes nothing more)
			 */
			bool elf = !dump_interrupted() &&
				   read_dump_page(mm, m->start, cprm->bounce, &next) &&
				   !memcmp(cprm->bounce, "\177ELF", 4);

			m->dump_size = elf ? PAGE_SIZE : 0;
		}
		ci->data_size += m->dump_size;
	}
	return true;
}

/* The NT_PRSTATUS of thread t (Linux's fill_prstatus and the general registers). */
static void fill_prstatus(struct elf_prstatus *s, struct task_struct *t, int sig)
{
	struct task_cputime times;

	memset(s, 0, sizeof(*s));
	s->si_signo = sig;
	s->pr_cursig = (short)sig;
	s->pr_sigpend = t->pending;
	s->pr_sighold = t->blocked;
	s->pr_pid = t->pid;
	s->pr_ppid = t->parent ? t->parent->pid : 0; /* task_pid_vnr(real_parent): the forker */
	s->pr_pgrp = t->signal->pgid;
	s->pr_sid = t->signal->sid;
	if (thread_group_leader(t)) {
		thread_group_cputime(t, &times);
	} else {
		times.utime = t->acct.utime;
		times.stime = t->acct.stime;
	}
	s->pr_utime = ns_to_timeval(times.utime);
	s->pr_stime = ns_to_timeval(times.stime);
	s->pr_cutime = ns_to_timeval(t->signal->acct.cutime);
	s->pr_cstime = ns_to_timeval(t->signal->acct.cstime);
	core_regset_get(t, NT_PRSTATUS, s->pr_reg, sizeof(s->pr_reg));
	s->pr_fpvalid = 1;
}

/*
 * The state digit and letter of NT_PRPSINFO (Linux's fill_psinfo: 1 + the bit number of
 * __state, "RSDTZW" or '.'): running, sleeping, in an uninterruptible sleep (a thread parked for
 * the dump), stopped; '.' for one already gone (Linux's TASK_DEAD).
 */
static void psinfo_state(struct elf_prpsinfo *ps, const struct task_struct *t)
{
	int i;

	if (t == current || t->state == TASK_RUNNING)
		i = 0;
	else if (!task_alive(t))
		i = 8; /* TASK_DEAD */
	else if (t->state == TASK_STOPPED)
		i = 3;
	else if (t->state == TASK_TRACED)
		i = 4; /* __TASK_TRACED's bit: Linux prints 'Z' for it */
	else
		i = t->sleep_uninterruptible ? 2 : 1;
	ps->pr_state = (char)i;
	ps->pr_sname = i > 5 ? '.' : "RSDTZW"[i];
	ps->pr_zomb = ps->pr_sname == 'Z';
}

/*
 * NT_PRPSINFO (Linux's fill_psinfo): about the thread-group leader t (not necessarily the
 * dumper): its state, ids, nice and comm, and the first arguments of the process (mm).
 */
static void fill_psinfo(struct elf_prpsinfo *ps, struct task_struct *t, struct mm_struct *mm)
{
	u64 len = mm->arg_end > mm->arg_start ? mm->arg_end - mm->arg_start : 0;

	memset(ps, 0, sizeof(*ps));
	if (len >= ELF_PRARGSZ)
		len = ELF_PRARGSZ - 1;
	if (copy_from_user(ps->pr_psargs, (const void __user *)mm->arg_start, len)) {
		/* Linux gives up on the note there: what was copied, zeros for all the rest */
		return;
	}
	for (u64 i = 0; i < len; i++) {
		if (!ps->pr_psargs[i])
			ps->pr_psargs[i] = ' ';
	}
	ps->pr_psargs[len] = 0;
	ps->pr_pid = t->tgid;
	ps->pr_ppid = t->parent ? t->parent->pid : 0;
	ps->pr_pgrp = t->signal->pgid;
	ps->pr_sid = t->signal->sid;
	psinfo_state(ps, t);
	ps->pr_nice = (char)t->nice;
	ps->pr_flag = t == current ? 0x600 : 0; /* PF_DUMPCORE | PF_SIGNALED for the dumper */
	ps->pr_uid = t->cred.uid;
	ps->pr_gid = t->cred.gid;
	memcpy(ps->pr_fname, t->comm, sizeof(ps->pr_fname));
}

/*
 * NT_FILE (Linux's fill_files_note): the count of file mappings, the page size, a (start, end,
 * file offset in pages) triple for each, then their names (as /proc/PID/maps gives them),
 * NUL-terminated. The buffer starts at 64 bytes a VMA, rounded up to pages, and grows by a
 * quarter whenever a name does not fit; NULL (no note) once it would be 4 MiB or more, as
 * Linux, so a hostile program's long names cost at most that.
 */
static u8 *fill_files_note(struct core_info *ci, size_t *size)
{
	u64 names_ofs = (2 + 3 * (u64)ci->nr_vmas) * 8, alloc = (u64)ci->nr_vmas * 64;
	u8 *data;

again:
	if (alloc >= MAX_FILE_NOTE_SIZE)
		return NULL;
	alloc = ALIGN_UP(alloc, PAGE_SIZE);
	if (!alloc)
		return NULL; /* Linux's kvmalloc(0) fails: no note */
	data = vmalloc(alloc, GFP_ZERO);
	if (!data)
		return NULL;
	u64 *w = (u64 *)data + 2, count = 0;
	char *names = (char *)data + names_ofs, *cur = names;
	for (int i = 0; i < ci->nr_vmas; i++) {
		const struct core_vma *m = &ci->vmas[i];

		cond_resched();
		if (!m->file)
			continue;
		size_t room = (size_t)((char *)data + alloc - cur);
		char *p = vma_file_name(m->file, cur, room);
		if (IS_ERR(p)) {
			if (PTR_ERR(p) != -ENAMETOOLONG)
				continue;
			vfree(data);
			alloc = alloc * 5 / 4;
			goto again;
		}
		size_t n = (size_t)(cur + room - p); /* the name and its NUL, at the end of room */
		memmove(cur, p, n);
		cur += n;
		*w++ = m->start;
		*w++ = m->end;
		*w++ = m->pgoff;
		count++;
	}
	((u64 *)data)[0] = count;
	((u64 *)data)[1] = PAGE_SIZE;
	/* fewer files than VMAs: the names move down to follow the last triple */
	size_t shift = (size_t)((u64)ci->nr_vmas - count) * 3 * 8;
	memmove(names - shift, names, (size_t)(cur - names));
	cur -= shift;
	memset(cur, 0, shift); /* the slack the move left stays zeros */
	*size = (size_t)(cur - (char *)data);
	return data;
}

/*
 * The threads in the order Linux's fill_note_info writes them: the dumper, then the others in
 * the order they parked. cprm->core_state->threads has the last one to park first (each adds
 * itself at the head), so it is read backwards into out[1..].
 */
static int core_threads(struct coredump_params *cprm, struct task_struct **out, int max)
{
	int n = 1;

	out[0] = current;
	for (struct core_thread *c = cprm->core_state->threads; c && n < max; c = c->next)
		n++;
	int i = n;
	for (struct core_thread *c = cprm->core_state->threads; c && i > 1; c = c->next)
		out[--i] = c->task;
	return n;
}

/* Builds every note in one buffer (Linux's fill_note_info and write_note_info). */
static bool fill_notes(struct coredump_params *cprm, struct core_info *ci)
{
	int nr = 1, sig = cprm->siginfo->si_signo;
	u32 fpsize = core_regset_size(NT_PRFPREG), xsize = core_regset_size(NT_X86_XSTATE);
	size_t auxv_words = 0, files_size = 0, size;
	struct mm_struct *mm = current->mm;
	u8 siginfo[128] = { 0 };
	struct elf_prpsinfo ps;
	bool ok = false;

	for (struct core_thread *c = cprm->core_state->threads; c; c = c->next)
		nr++;
	struct task_struct **threads = kmalloc((size_t)nr * sizeof(*threads), GFP_KERNEL);
	struct elf_prstatus *prs = kmalloc(sizeof(*prs), GFP_KERNEL);
	void *regbuf = kmalloc(xsize > fpsize ? xsize : fpsize, GFP_KERNEL);
	u8 *files = fill_files_note(ci, &files_size);

	if (!threads || !prs || !regbuf)
		goto out;
	nr = core_threads(cprm, threads, nr);
	while (auxv_words + 2 <= AT_VECTOR_SIZE && mm->saved_auxv[auxv_words] != 0)
		auxv_words += 2;
	if (auxv_words + 2 <= AT_VECTOR_SIZE)
		auxv_words += 2; /* AT_NULL */
	size = note_size("CORE", sizeof(ps)) + note_size("CORE", sizeof(siginfo)) +
	       note_size("CORE", auxv_words * 8) + (files ? note_size("CORE", files_size) : 0);
	size += (size_t)nr * (note_size("CORE", sizeof(*prs)) + note_size("CORE", fpsize) +
			      (xsize ? note_size("LINUX", xsize) : 0));
	ci->notes = vmalloc(size, GFP_ZERO);
	if (!ci->notes)
		goto out;
	ci->notes_size = size;
	memcpy(siginfo, cprm->siginfo, sizeof(*cprm->siginfo)); /* the user layout's first bytes */
	fill_psinfo(&ps, current->group_leader, mm);
	/* the dumper's FPU registers and PKRU are in the CPU: put them where the others' are */
	fpu_save_regs(task_fpstate(current));
	if (arch_pkeys_enabled())
		current->pkru = read_pkru();
	u8 *p = ci->notes;
	for (int i = 0; i < nr; i++) {
		fill_prstatus(prs, threads[i], sig); /* every thread's: the signal */
		put_note(&p, "CORE", NT_PRSTATUS, prs, sizeof(*prs));
		if (i == 0) {
			put_note(&p, "CORE", NT_PRPSINFO, &ps, sizeof(ps));
			put_note(&p, "CORE", NT_SIGINFO, siginfo, sizeof(siginfo));
			put_note(&p, "CORE", NT_AUXV, mm->saved_auxv, auxv_words * 8);
			if (files)
				put_note(&p, "CORE", NT_FILE, files, files_size);
		}
		core_regset_get(threads[i], NT_PRFPREG, regbuf, fpsize);
		put_note(&p, "CORE", NT_PRFPREG, regbuf, fpsize);
		if (xsize) {
			core_regset_get(threads[i], NT_X86_XSTATE, regbuf, xsize);
			put_note(&p, "LINUX", NT_X86_XSTATE, regbuf, xsize);
		}
	}
	ok = true;
out:
	kfree(threads);
	kfree(prs);
	kfree(regbuf);
	vfree(files);
	return ok;
}

/* Writes the first len bytes of the VMA at start, holes where nothing is populated. */
static bool dump_user_range(struct coredump_params *cprm, u64 start, u64 len)
{
	struct mm_struct *mm = current->mm;
	u64 end = start + len, next;

	for (u64 addr = start; addr < end; addr = next) {
		/* a dump is as long as user memory: let others run, and SIGKILL end it */
		cond_resched();
		if (dump_interrupted())
			return false;
		if (read_dump_page(mm, addr, cprm->bounce, &next)) {
			if (!dump_emit(cprm, cprm->bounce, PAGE_SIZE))
				return false;
		} else {
			if (next > end)
				next = end;
			dump_skip(cprm, next - addr);
		}
	}
	return true;
}

bool elf_core_dump(struct coredump_params *cprm)
{
	struct core_info ci = { 0 };
	struct elf64_ehdr eh = { 0 };
	struct elf64_phdr ph;
	bool dumped = false;

	if (!dump_vma_snapshot(cprm, &ci))
		return false;
	if (!fill_notes(cprm, &ci))
		goto out;
	dumped = true; /* from here a short dump (RLIMIT_CORE) still counts, as Linux */
	int segs = ci.nr_vmas + 1;
	u64 offset = sizeof(eh) + (u64)segs * sizeof(ph);
	u64 dataoff = ALIGN_UP(offset + ci.notes_size, PAGE_SIZE);

	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = 2; /* ELFCLASS64 */
	eh.e_ident[5] = 1; /* ELFDATA2LSB */
	eh.e_ident[6] = 1; /* EV_CURRENT */
	eh.e_type = ET_CORE;
	eh.e_machine = EM_X86_64;
	eh.e_version = 1;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	/*
	 * Extended numbering (Linux's fill_extnum_info) when the count does not fit: e_phnum is
	 * PN_XNUM and the real count is in the sh_info of one section header, after the data.
	 */
	struct elf64_shdr sh = { 0 };
	bool extnum = segs >= PN_XNUM;

	eh.e_phnum = extnum ? PN_XNUM : (u16)segs;
	if (extnum) {
		eh.e_shoff = dataoff + ci.data_size;
		eh.e_shentsize = sizeof(sh);
		eh.e_shnum = 1;
		sh.sh_size = eh.e_shnum;
		sh.sh_info = (u32)segs;
	}
	if (!dump_emit(cprm, &eh, sizeof(eh)))
		goto out;
	ph = (struct elf64_phdr){ .p_type = PT_NOTE,
				  .p_offset = offset,
				  .p_filesz = ci.notes_size };
	if (!dump_emit(cprm, &ph, sizeof(ph)))
		goto out;
	offset = dataoff;
	for (int i = 0; i < ci.nr_vmas; i++) {
		const struct core_vma *m = &ci.vmas[i];

		ph = (struct elf64_phdr){ .p_type = PT_LOAD,
					  .p_offset = offset,
					  .p_vaddr = m->start,
					  .p_filesz = m->dump_size,
					  .p_memsz = m->end - m->start,
					  .p_align = PAGE_SIZE };
		if (m->flags & VM_READ)
			ph.p_flags |= PF_R;
		if (m->flags & VM_WRITE)
			ph.p_flags |= PF_W;
		if (m->flags & VM_EXEC)
			ph.p_flags |= PF_X;
		offset += m->dump_size;
		if (!dump_emit(cprm, &ph, sizeof(ph)))
			goto out;
	}
	if (!dump_emit(cprm, ci.notes, ci.notes_size))
		goto out;
	dump_skip(cprm, dataoff - (cprm->pos + cprm->to_skip));
	for (int i = 0; i < ci.nr_vmas; i++) {
		if (!dump_user_range(cprm, ci.vmas[i].start, ci.vmas[i].dump_size))
			goto out;
	}
	if (extnum)
		dump_emit(cprm, &sh, sizeof(sh));
out:
	for (int i = 0; i < ci.nr_vmas; i++) {
		if (ci.vmas[i].file)
			fput(ci.vmas[i].file);
	}
	vfree(ci.vmas);
	vfree(ci.notes);
	return dumped;
}
