// SPDX-License-Identifier: MIT
/*
 * Differential testing of the generic mm code (issue 10): a byte string is read as a sequence of
 * mmap (maybe MAP_LOCKED) / munmap / mprotect / pkey_mprotect / pkey_alloc / pkey_free / mremap /
 * write / fork / mlock / mlock2 / munlock / mlockall / munlockall operations, a memfd's
 * F_ADD_SEALS and ftruncate, and changes of the credentials (CAP_IPC_LOCK, RLIMIT_MEMLOCK), on a
 * 64-page arena. Each runs on a real mm (do_mmap, do_munmap, do_mprotect_pkey, do_mremap,
 * sys_mlock...; the page tables are tests/host/mm_shim.c's stubs) and on a reference model, an
 * array of page states written from Linux 6.1's rules independently of mm/. After every step:
 *
 *   - the return value equals the model's;
 *   - every page's attributes equal the model's: mapped or not, R/W/X, shared, the file (or the
 *     shared-memory object) and the page's offset in it, the protection key, VM_ACCOUNT,
 *     VM_NORESERVE, VM_GROWSDOWN, VM_LOCKED, VM_LOCKONFAULT, VM_MAYWRITE; the locked-page
 *     count (VmLck), mlockall(MCL_FUTURE)'s def_flags, the memfd's seals and size;
 *   - mm_check() passes: the tree, the anon_vma counts, and no two neighbours left apart that
 *     Linux would have merged. (The model does not predict VMA boundaries itself: once a VMA was
 *     written, whether its anon_vma lets it merge depends on history, which mm_check judges.)
 *
 * mremap's in-place decisions depend on where the VMA containing the address ends: the model
 * reads that from the tree, after the per-page comparison has shown the tree agrees with it.
 *
 * mm_diff_run() is the whole test of one input. It runs in the host unit tests (found inputs as
 * regressions and a short random run: mm_diff_random) and under libFuzzer
 * (tests/fuzz/mm_diff_fuzz.c, `make fuzz-host`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/harness.h"
#include "tests/host/test_fs.h"
#include "tests/host/mm_diff.h"
#include "mm/mm.h"
#include "mm/memfd.h"
#include "mm/mlock.h"
#include "mm/pkeys.h"
#include "mm/vma.h"
#include "mm/overcommit.h"
#include "arch/x86_64/pkru.h"
#include "fs/fdtable.h"
#include "fs/ramfs.h"
#include "fs/syscalls.h"
#include "fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

extern u32 host_pkru;
extern bool host_capable;

#define P ((u64)PAGE_SIZE)
#define ARENA 0x200000000000UL
#define NPAGES 64
#define FILE_PAGES 32
#define MEMFD_OBJ 1000 /* the memfd's object number in the model (not a shared-anon object) */

/* One page of the model. */
struct mpage {
	bool mapped;
	u8 prot; /* PROT_READ | PROT_WRITE | PROT_EXEC */
	bool shared;
	u32 obj; /* 0 private anon; 1, 2: file A through open 1, 2; MEMFD_OBJ: the memfd; others
		  * >= 3: a shared-anon object */
	u64 off; /* page offset in the file or object */
	int pkey;
	bool account, noreserve, growsdown;
	bool written; /* a private page that was written: its VMA has an anon_vma */
	bool locked, onfault; /* VM_LOCKED, VM_LOCKONFAULT */
	bool nomaywrite; /* VM_MAYWRITE clear: a shared mapping of a write-sealed memfd */
};

struct model {
	struct mpage pg[NPAGES];
	u16 keys; /* allocated keys (bit 0 always) */
	int exec_key; /* -1 none yet */
	u32 next_obj;
	u32 obj_pages[512]; /* a shared-anon object's size in pages, charged while it is mapped */
	bool def_locked, def_onfault; /* mm->def_flags after mlockall(MCL_FUTURE [| MCL_ONFAULT]) */
	bool cap; /* capable(CAP_IPC_LOCK) (tests/host/mm_shim.c's host_capable) */
	u64 memlock; /* RLIMIT_MEMLOCK's soft limit in pages (~0: RLIM_INFINITY) */
	u32 seals; /* the memfd's seals */
	u64 mfd_size; /* the memfd's size in pages */
};

static struct mm_struct *dmm;
static struct file *files[2];
static struct file *memfd_file; /* a memfd made with MFD_ALLOW_SEALING, descriptor memfd_fd */
static int memfd_fd = -1;
static struct model m;
static s64 committed_base; /* vm_committed_as before the input (mm/overcommit.h) */
static struct file
	*obj_file[512]; /* shared-anon object -> its struct file (at most 3 + 400 objects) */
static char detail[64]; /* more about the failing operation */

/* The credentials of the unit tests: every capability, no RLIMIT_MEMLOCK. */
static void d_default_creds(void)
{
	host_capable = true;
	current->signal->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ RLIM_INFINITY, RLIM_INFINITY };
}

/* Frees the address space and the files of the previous input. */
static void d_teardown(void)
{
	d_default_creds();
	current->mm = NULL;
	if (dmm)
		mmput(dmm);
	dmm = NULL;
	for (int i = 0; i < 2; i++) {
		if (files[i])
			fput(files[i]);
		files[i] = NULL;
	}
	if (memfd_file)
		fput(memfd_file);
	memfd_file = NULL;
	if (memfd_fd >= 0)
		sys_close((unsigned int)memfd_fd);
	memfd_fd = -1;
}

/* A fresh machine: keys on, an empty address space, one file opened twice. */
static void d_setup(void)
{
	d_teardown();
	fs_test_boot(NULL, 0);
	pku_enabled = true;
	host_pkru = INIT_PKRU_VALUE;
	dmm = mm_alloc();
	if (!dmm)
		panic("mm_alloc");
	current->mm = dmm;
	current->personality = 0;
	struct inode *inode = ramfs_new_inode(NULL, S_IFREG | 0600, 0);
	inode->i_size = (s64)(FILE_PAGES * P);
	files[0] = alloc_file(inode, O_RDWR, &ramfs_file_operations);
	files[1] = alloc_file(inode, O_RDWR, &ramfs_file_operations);
	iput(inode);
	memfd_fd = (int)sys_memfd_create("mm_diff", MFD_ALLOW_SEALING);
	if (memfd_fd < 0 || sys_ftruncate((unsigned int)memfd_fd, FILE_PAGES * P))
		panic("memfd_create");
	memfd_file = fget(memfd_fd);
	memset(&m, 0, sizeof(m));
	m.mfd_size = FILE_PAGES;
	committed_base = vm_committed_as;
	m.keys = 1;
	m.exec_key = -1;
	m.next_obj = 3;
	memset(obj_file, 0, sizeof(obj_file));
	m.cap = true;
	m.memlock = ~0ULL;
}

/* The model's locked_vm: its VM_LOCKED pages. */
static u64 model_locked_vm(void)
{
	u64 n = 0;
	for (int i = 0; i < NPAGES; i++)
		n += m.pg[i].mapped && m.pg[i].locked;
	return n;
}

/* Linux's mlock_future_check() in the model: may n more pages become locked? */
static bool model_lock_refused(bool locked, u64 n)
{
	return locked && !m.cap && model_locked_vm() + n > m.memlock;
}

/* Linux's can_do_mlock(): a nonzero RLIMIT_MEMLOCK or CAP_IPC_LOCK. */
static bool model_can_do_mlock(void)
{
	return m.memlock != 0 || m.cap;
}

/*
 * Linux's apply_vma_lock_flags() in the model, on pages [a, a+cnt): -ENOMEM if page a is not
 * mapped, else every page up to the first hole gets the flags, and a hole in the range is
 * -ENOMEM (the arena's end is one: nothing is mapped above it).
 */
static long model_apply_lock(u64 a, u64 cnt, bool lock, bool onfault)
{
	if (a >= NPAGES || !m.pg[a].mapped)
		return -ENOMEM;
	for (u64 i = a; i < a + cnt; i++) {
		if (i >= NPAGES || !m.pg[i].mapped)
			return -ENOMEM;
		m.pg[i].locked = lock;
		m.pg[i].onfault = lock && onfault;
	}
	return 0;
}

/* The model's pkey_alloc: the lowest free key (0 too, once pkey_free(0) gave it back), or -1. */
static int model_key_alloc(void)
{
	for (int k = 0; k < 16; k++)
		if (!(m.keys & (1U << k))) {
			m.keys |= (u16)(1U << k);
			return k;
		}
	return -1;
}

/* Linux's execute_only_pkey(): allocated at first use; -1 when no key is left. */
static int model_exec_key(void)
{
	if (m.exec_key < 0)
		m.exec_key = model_key_alloc();
	return m.exec_key;
}

/* Linux's mm_pkey_is_allocated(): the execute-only key is not one the user can name. */
static bool model_key_allocated(int k)
{
	return k >= 0 && k < 16 && k != m.exec_key && (m.keys & (1U << k));
}

/* What a page of a VMA looks like, as the model describes it. */
static void page_of_vma(struct vm_area_struct *v, u64 addr, struct mpage *out)
{
	memset(out, 0, sizeof(*out));
	out->mapped = true;
	out->prot = (u8)(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
	out->shared = v->vm_flags & VM_MAYSHARE;
	out->pkey = vma_pkey(v);
	out->account = v->vm_flags & VM_ACCOUNT;
	out->noreserve = v->vm_flags & VM_NORESERVE;
	out->growsdown = v->vm_flags & VM_GROWSDOWN;
	out->locked = v->vm_flags & VM_LOCKED;
	out->onfault = v->vm_flags & VM_LOCKONFAULT;
	out->nomaywrite = !(v->vm_flags & VM_MAYWRITE);
	out->off = v->vm_pgoff + (addr - v->vm_start) / P;
}

/*
 * The commit charge the model expects (Linux's vm_committed_as, mm/overcommit.h): every
 * VM_ACCOUNT page, and each shared-anon object still mapped somewhere, its whole size unless
 * it was made MAP_NORESERVE.
 */
static s64 model_committed(void)
{
	static bool seen[512];
	s64 pages = 0;

	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < NPAGES; i++) {
		const struct mpage *w = &m.pg[i];

		if (w->mapped && w->account)
			pages++;
		if (w->mapped && w->obj >= 3 && w->obj < 512 && !seen[w->obj]) {
			seen[w->obj] = true;
			pages += m.obj_pages[w->obj];
		}
	}
	return pages;
}

/* Compares every page with the model, the commit charge too, and runs mm_check. */
static int compare(char *why, size_t len)
{
	if (mm_check(dmm, why, len))
		return -1;
	if (vm_committed_as - committed_base != model_committed()) {
		snprintf(why, len, "Committed_AS %lld pages, the model says %lld",
			 (long long)(vm_committed_as - committed_base),
			 (long long)model_committed());
		return -1;
	}
	if (mm_locked_vm(dmm) != model_locked_vm()) {
		snprintf(why, len, "VmLck %llu pages, the model says %llu",
			 (unsigned long long)mm_locked_vm(dmm),
			 (unsigned long long)model_locked_vm());
		return -1;
	}
	if (file_inode(memfd_file)->i_seals != m.seals ||
	    file_inode(memfd_file)->i_size != (s64)(m.mfd_size * P)) {
		snprintf(why, len, "memfd seals %#x size %lld, the model says %#x %llu pages",
			 file_inode(memfd_file)->i_seals, (long long)file_inode(memfd_file)->i_size,
			 m.seals, (unsigned long long)m.mfd_size);
		return -1;
	}
	if (!!(dmm->def_flags & VM_LOCKED) != m.def_locked ||
	    !!(dmm->def_flags & VM_LOCKONFAULT) != m.def_onfault) {
		snprintf(why, len, "def_flags %#llx, the model says locked %d onfault %d",
			 (unsigned long long)dmm->def_flags, m.def_locked, m.def_onfault);
		return -1;
	}
	for (int i = 0; i < NPAGES; i++) {
		u64 addr = ARENA + (u64)i * P;
		struct vm_area_struct *v = find_vma(dmm, addr);
		bool mapped = v && v->vm_start <= addr;
		const struct mpage *w = &m.pg[i];
		if (mapped != w->mapped) {
			snprintf(why, len, "page %d is %smapped, the model says %smapped", i,
				 mapped ? "" : "not ", w->mapped ? "" : "not ");
			return -1;
		}
		if (!mapped)
			continue;
		struct mpage g;
		page_of_vma(v, addr, &g);
		const char *what = NULL;
		if (g.prot != w->prot)
			what = "prot";
		else if (g.shared != w->shared)
			what = "shared";
		else if (g.pkey != w->pkey)
			what = "pkey";
		else if (g.account != w->account)
			what = "VM_ACCOUNT";
		else if (g.noreserve != w->noreserve)
			what = "VM_NORESERVE";
		else if (g.growsdown != w->growsdown)
			what = "VM_GROWSDOWN";
		else if (g.locked != w->locked)
			what = "VM_LOCKED";
		else if (g.onfault != w->onfault)
			what = "VM_LOCKONFAULT";
		else if (g.nomaywrite != w->nomaywrite)
			what = "VM_MAYWRITE";
		else if (w->obj && g.off != w->off)
			what = "file offset";
		else if (w->obj == 0 && v->vm_file)
			what = "file (model: anonymous)";
		else if ((w->obj == 1 || w->obj == 2) && v->vm_file != files[w->obj - 1])
			what = "file";
		else if ((w->obj == MEMFD_OBJ) != (v->vm_file == memfd_file))
			what = "memfd";
		else if (w->obj >= 3 && w->obj != MEMFD_OBJ &&
			 (!v->vm_file || v->vm_file == files[0] || v->vm_file == files[1]))
			what = "shared memory object";
		else if (w->obj >= 3 && w->obj < 512 && obj_file[w->obj] &&
			 obj_file[w->obj] != v->vm_file)
			what = "shared memory object identity";
		if (what) {
			snprintf(why, len,
				 "page %d: %s differs (kernel prot %d key %d acct %d nores %d gd "
				 "%d off %llu, "
				 "model prot %d key %d acct %d nores %d gd %d off %llu obj %u)",
				 i, what, g.prot, g.pkey, g.account, g.noreserve, g.growsdown,
				 (unsigned long long)g.off, w->prot, w->pkey, w->account,
				 w->noreserve, w->growsdown, (unsigned long long)w->off, w->obj);
			return -1;
		}
		if (w->obj >= 3 && w->obj < 512)
			obj_file[w->obj] = v->vm_file;
	}
	return 0;
}

/* The bytes of the input, read one at a time (zeros after the end). */
struct input {
	const u8 *p;
	size_t n, i;
};

static u8 next(struct input *in)
{
	return in->i < in->n ? in->p[in->i++] : 0;
}

static const char *const op_names[] = { "mmap",	      "munmap",	   "mprotect", "pkey_mprotect",
					"pkey_alloc", "pkey_free", "mremap",   "write",
					"fork",	      "bad-args",  "mlock",    "munlock",
					"mlockall",   "creds",	   "memfd" };

/* Sets the model pages [a, a+n) as a fresh mapping. */
static void model_map(u64 a, u64 n, int prot, int kind, u64 off, bool noreserve, bool gd)
{
	u32 obj =
		kind == 0 || kind == 1 || kind == 2 || kind == MEMFD_OBJ ? (u32)kind : m.next_obj++;
	if (obj >= 3 && obj < 512)
		m.obj_pages[obj] = noreserve ? 0 : (u32)n; /* shmem_acct_size */
	int key = prot == PROT_EXEC ? model_exec_key() : 0;
	if (key < 0)
		key = 0;
	for (u64 i = a; i < a + n; i++) {
		struct mpage *pg = &m.pg[i];
		memset(pg, 0, sizeof(*pg));
		pg->mapped = true;
		pg->prot = (u8)prot;
		pg->obj = obj;
		pg->off = obj ? off + (i - a) : 0;
		pg->pkey = key;
		pg->noreserve = noreserve;
		pg->growsdown = gd;
	}
}

/*
 * Runs one input; 0 if the kernel and the model agreed throughout, else -1 with why filled in
 * (the step and the operation first).
 */
int mm_diff_run(const u8 *data, size_t size, char *why, size_t len)
{
	struct input in = { data, size, 0 };
	char w[300];
	int step = 0;

	d_setup();
	detail[0] = 0;
	while (in.i < in.n && step < 400) {
		u8 op = next(&in) % 15, b1 = next(&in), b2 = next(&in), b3 = next(&in);
		u64 a = b1 % NPAGES, n = 1 + b2 % 8;
		detail[0] = 0;
		if (a + n > NPAGES)
			n = NPAGES - a;
		int prot = b3 & 7;
		long want = 0, got = 0;
		switch (op) {
		case 0: { /* mmap: private anon, file A (open 1/2) private or shared, shared anon */
			int kind = (b3 >> 3) & 3; /* 0 anon, 1 file, 2 shared file, 3 shared anon */
			bool noreserve = (b3 >> 5) & 1, gd = kind == 0 && ((b3 >> 6) & 1);
			bool noreplace = (b3 >> 7) & 1, maplocked = (b1 >> 6) & 1;
			int which = b2 >> 7; /* file A through open 1 or 2 */
			bool mfd = (kind == 1 || kind == 2) && (b1 >> 7); /* the memfd instead */
			u64 off = (b2 >> 3) % 16;
			u64 flags = (kind >= 2 ? MAP_SHARED : MAP_PRIVATE) |
				    (noreplace ? MAP_FIXED_NOREPLACE : MAP_FIXED) |
				    (kind == 0 || kind == 3 ? MAP_ANONYMOUS : 0) |
				    (noreserve ? MAP_NORESERVE : 0) | (gd ? MAP_GROWSDOWN : 0) |
				    (maplocked ? MAP_LOCKED : 0);
			struct file *f = mfd			  ? memfd_file
					 : kind == 1 || kind == 2 ? files[which]
								  : NULL;
			bool wsealed = mfd && (m.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE));
			bool busy = false;
			for (u64 i = a; i < a + n; i++)
				busy |= m.pg[i].mapped;
			bool locked = maplocked || m.def_locked, sealed_eperm = false;
			want = (long)(ARENA + a * P);
			if (noreplace && busy) {
				want = -EEXIST;
			} else {
				if (prot == PROT_EXEC) /* the key is taken before the checks */
					model_exec_key();
				if (maplocked && !model_can_do_mlock())
					want = -EPERM;
				else if (model_lock_refused(locked, n))
					want = -EAGAIN; /* mlock_future_check, before MAP_FIXED
							   unmaps */
				else if (wsealed && kind == 2 && (prot & PROT_WRITE))
					sealed_eperm = true;
			}
			if (sealed_eperm) { /* the seals, once MAP_FIXED unmapped (call_mmap) */
				want = -EPERM;
				for (u64 i = a; i < a + n; i++)
					memset(&m.pg[i], 0, sizeof(m.pg[i]));
			}
			got = do_mmap(dmm, f, ARENA + a * P, n * P, (u64)prot, flags, f ? off : 0);
			if (got == want && want >= 0) {
				int mk = kind == 0   ? 0
					 : kind == 3 ? 3
					 : mfd	     ? MEMFD_OBJ
						     : 1 + which;
				model_map(a, n, prot, mk, kind == 3 ? 0 : off, noreserve, gd);
				for (u64 i = a; i < a + n; i++) {
					struct mpage *pg = &m.pg[i];
					pg->shared = kind >= 2;
					/* accountable_mapping(): private, writable, charged */
					pg->account =
						!pg->shared && (prot & PROT_WRITE) && !noreserve;
					pg->locked = locked; /* MAP_LOCKED | mm->def_flags */
					pg->onfault = m.def_locked && m.def_onfault;
					/* seal_check_future_write: no mprotect to writable */
					pg->nomaywrite = wsealed && kind == 2;
				}
			}
			break;
		}
		case 1: /* munmap */
			want = 0;
			got = do_munmap(dmm, ARENA + a * P, n * P);
			for (u64 i = a; i < a + n && got == 0; i++)
				memset(&m.pg[i], 0, sizeof(m.pg[i]));
			break;
		case 2:
		case 3: { /* mprotect, pkey_mprotect */
			int key = op == 2 ? -1 : (int)(b3 >> 3) % 18 - 1;
			if (op == 3 && key != -1 && !model_key_allocated(key)) {
				want = -EINVAL;
			} else if (!m.pg[a].mapped) {
				want = -ENOMEM;
			} else {
				want = 0;
				for (u64 i = a; i < a + n; i++) {
					struct mpage *pg = &m.pg[i];
					if (!pg->mapped) {
						want = -ENOMEM;
						break;
					}
					if ((prot & PROT_WRITE) && pg->nomaywrite) {
						want = -EACCES; /* the VMAs before it changed */
						break;
					}
					/* arch_override_mprotect_pkey() */
					int k = key;
					if (k == -1) {
						bool exec_only = pg->prot == PROT_EXEC &&
								 m.exec_key >= 0 &&
								 pg->pkey == m.exec_key;
						if (prot == PROT_EXEC && model_exec_key() > 0)
							k = m.exec_key;
						else if (prot != PROT_EXEC && exec_only)
							k = 0;
						else
							k = pg->pkey;
					}
					/* mprotect_fixup's charge of memory that becomes writable
					 */
					if ((prot & PROT_WRITE) && !pg->account &&
					    !(pg->prot & PROT_WRITE) && !pg->shared &&
					    !pg->noreserve)
						pg->account = true;
					pg->prot = (u8)prot;
					pg->pkey = k;
				}
			}
			got = do_mprotect_pkey(ARENA + a * P, n * P, (u64)prot, key);
			break;
		}
		case 4: { /* pkey_alloc */
			u64 flags = (b3 & 0x80) ? 1 : 0, rights = b3 & 7;
			u16 pk_before = m.keys;
			if (flags || rights > 3)
				want = -EINVAL;
			else
				want = model_key_alloc() < 0 ? -ENOSPC : 0;
			got = sys_pkey_alloc(flags, rights);
			if (want == 0) {
				/* the lowest free key: the one the model just took */
				for (int k = 0; k < 16; k++)
					if ((m.keys & (1U << k)) && !(pk_before & (1U << k)))
						want = k;
			}
			break;
		}
		case 5: { /* pkey_free */
			int k = (int)(b3 % 18) - 1;
			want = model_key_allocated(k) ? 0 : -EINVAL;
			got = sys_pkey_free((u64)(s64)k);
			if (want == 0)
				m.keys &= (u16) ~(1U << k);
			break;
		}
		case 6: { /* mremap */
			u64 b = b3 % NPAGES, nn = 1 + (b3 >> 6) + (b2 >> 4) % 6;
			int mode = (b2 >> 3) & 1
					   ? 2
					   : (b1 >> 6) % 2; /* 0 in place, 1 MAYMOVE, 2 FIXED */
			if (b + nn > NPAGES)
				nn = NPAGES - b;
			snprintf(detail, sizeof(detail), " mode %d to %llu+%llu", mode,
				 (unsigned long long)b, (unsigned long long)nn);
			u64 old_addr = ARENA + a * P;
			struct vm_area_struct *v = find_vma(dmm, old_addr);
			bool in_vma = v && v->vm_start <= old_addr;
			u64 vend = in_vma ? (v->vm_end - ARENA) / P : 0;
			if (!in_vma) { /* 6.1 looks the address up first (vma_lookup): EFAULT */
				got = do_mremap(dmm, old_addr, n * P, nn * P, mode == 2 ? 3 : mode,
						ARENA + b * P);
				want = -EFAULT;
				break;
			}
			if (mode == 2) {
				bool overlap = a + n > b && b + nn > a;
				u64 keep = n < nn ? n : nn;
				got = do_mremap(dmm, old_addr, n * P, nn * P, 3, ARENA + b * P);
				if (overlap) {
					want = -EINVAL;
					break;
				}
				/* mremap_to unmaps the target and the shrunk tail, then looks */
				struct mpage src[NPAGES];
				memcpy(src, m.pg, sizeof(src));
				for (u64 i = b; i < b + nn; i++)
					memset(&m.pg[i], 0, sizeof(m.pg[i]));
				for (u64 i = a + keep; i < a + n; i++)
					memset(&m.pg[i], 0, sizeof(m.pg[i]));
				if (!in_vma) {
					want = -EFAULT;
					break;
				}
				if (vend < a + keep) {
					want = -EFAULT;
					break;
				}
				/* vma_to_resize's mlock_future_check, once the target is unmapped
				 */
				if (nn > n && model_lock_refused(src[a].locked, nn - n)) {
					want = -EAGAIN;
					break;
				}
				want = (long)(ARENA + b * P);
				for (u64 i = 0; i < nn; i++) {
					struct mpage pg = src[a + (i < keep ? i : keep - 1)];
					if (i >= keep) { /* grown: same VMA, new pages */
						pg.off += i - keep + 1;
					}
					m.pg[b + i] = pg;
				}
				for (u64 i = a; i < a + keep; i++)
					memset(&m.pg[i], 0, sizeof(m.pg[i]));
				break;
			}
			got = do_mremap(dmm, old_addr, n * P, nn * P, mode ? 1 : 0, 0);
			if (nn <= n) { /* shrinking never looks at the VMAs */
				want = (long)old_addr;
				for (u64 i = a + nn; i < a + n; i++)
					memset(&m.pg[i], 0, sizeof(m.pg[i]));
				break;
			}
			if (!in_vma || vend < a + n) {
				want = -EFAULT;
				break;
			}
			if (model_lock_refused(m.pg[a].locked, nn - n)) {
				want = -EAGAIN; /* vma_to_resize's mlock_future_check */
				break;
			}
			/* nothing is ever mapped just above the arena */
			bool room = vend == a + n;
			for (u64 i = a + n; room && i < a + nn && i < NPAGES; i++)
				room &= !m.pg[i].mapped;
			if (room) {
				want = (long)old_addr;
				for (u64 i = a + n; i < a + nn && i < NPAGES; i++) {
					m.pg[i] = m.pg[a + n - 1];
					m.pg[i].off += i - (a + n - 1);
				}
				if (a + nn > NPAGES &&
				    got == want) /* keep the world inside the arena */
					do_munmap(dmm, ARENA + NPAGES * P, (a + nn - NPAGES) * P);
			} else if (mode == 1) {
				/* moved below mmap_base, outside the arena: forget it there */
				want = got;
				if (got >= (long)ARENA && got < (long)(ARENA + NPAGES * P)) {
					/* placed in the arena: it must have been free there */
					u64 t = ((u64)got - ARENA) / P;
					for (u64 i = t; i < t + nn; i++)
						if (i >= NPAGES ||
						    (m.pg[i].mapped && (i < a || i >= a + n))) {
							snprintf(why, len,
								 "step %d: mremap of %llu+%llu to "
								 "%llu pages moved over a "
								 "mapping at page %llu (got %#lx)",
								 step, (unsigned long long)a,
								 (unsigned long long)n,
								 (unsigned long long)nn,
								 (unsigned long long)i, got);
							return -1;
						}
					struct mpage src[NPAGES];
					memcpy(src, m.pg, sizeof(src));
					for (u64 i = a; i < a + n; i++)
						memset(&m.pg[i], 0, sizeof(m.pg[i]));
					for (u64 i = 0; i < nn; i++) {
						struct mpage pg = src[a + (i < n ? i : n - 1)];
						if (i >= n)
							pg.off += i - n + 1;
						m.pg[t + i] = pg;
					}
				} else if (got >= 0) {
					for (u64 i = a; i < a + n; i++)
						memset(&m.pg[i], 0, sizeof(m.pg[i]));
					do_munmap(dmm, (u64)got, nn * P);
				}
			} else {
				want = -ENOMEM;
			}
			break;
		}
		case 7: /* a write fault: private writable memory gets an anon_vma */
			if (m.pg[a].mapped && (m.pg[a].prot & PROT_WRITE) && !m.pg[a].shared) {
				struct vm_area_struct *v = find_vma(dmm, ARENA + a * P);
				if (anon_vma_prepare(v))
					panic("anon_vma_prepare");
				m.pg[a].written = true;
			}
			break;
		case 8: { /* fork: continue in the parent or in the child */
			struct mm_struct *child = dup_mm(dmm);
			if (!child)
				panic("dup_mm");
			if (b3 & 1) {
				mmput(dmm);
				dmm = child;
				current->mm = child;
				/* dup_mmap clears the locks, mm_init the child's def_flags */
				for (int i = 0; i < NPAGES; i++)
					m.pg[i].locked = m.pg[i].onfault = false;
				m.def_locked = m.def_onfault = false;
			} else {
				mmput(child);
			}
			break;
		}
		case 10: { /* mlock, mlock2: maybe MLOCK_ONFAULT, a bad flag, an unaligned start */
			/* mlock, mlock2(MLOCK_ONFAULT), mlock2(0), mlock2(odd flags) */
			int variant = b3 & 3;
			u64 flags = variant == 1   ? MLOCK_ONFAULT
				    : variant == 2 ? 0
				    : (b3 & 4)	   ? 2
						   : (1ULL << 32) | MLOCK_ONFAULT;
			u64 shift = (b3 >> 3) & 1 ? 16 : 0, cnt = n + (shift ? 1 : 0);
			bool onfault = variant == 1 || (variant == 3 && flags != 2);
			snprintf(detail, sizeof(detail), " flags %#llx%s",
				 (unsigned long long)flags, shift ? " unaligned" : "");
			if (variant == 3 && flags == 2) {
				want = -EINVAL;
			} else if (!model_can_do_mlock()) {
				want = -EPERM;
			} else {
				/* do_mlock: pages already locked in the range do not count twice */
				u64 locked = cnt + model_locked_vm();
				if (!m.cap && locked > m.memlock)
					for (u64 i = a; i < a + cnt && i < NPAGES; i++)
						locked -= m.pg[i].mapped && m.pg[i].locked;
				if (!m.cap && locked > m.memlock)
					want = -ENOMEM;
				else
					want = model_apply_lock(a, cnt, true, onfault);
			}
			u64 start = ARENA + a * P + shift;
			got = variant == 0 ? sys_mlock(start, n * P)
					   : sys_mlock2(start, n * P, flags);
			break;
		}
		case 11: { /* munlock */
			u64 shift = (b3 >> 3) & 1 ? 16 : 0, cnt = n + (shift ? 1 : 0);
			want = model_apply_lock(a, cnt, false, false);
			got = sys_munlock(ARENA + a * P + shift, n * P);
			break;
		}
		case 12: { /* mlockall (any flags, maybe a bad bit), munlockall */
			if ((b3 >> 3) & 1) {
				want = 0;
				got = sys_munlockall();
				m.def_locked = m.def_onfault = false;
				for (int i = 0; i < NPAGES; i++)
					m.pg[i].locked = m.pg[i].onfault = false;
				break;
			}
			u64 flags = (b3 & 7) | ((b3 >> 4) & 1 ? 8 : 0);
			snprintf(detail, sizeof(detail), " flags %#llx", (unsigned long long)flags);
			u64 total = 0;
			for (int i = 0; i < NPAGES; i++)
				total += m.pg[i].mapped;
			if (!flags || (flags & 8) || flags == MCL_ONFAULT) {
				want = -EINVAL;
			} else if (!model_can_do_mlock()) {
				want = -EPERM;
			} else if ((flags & MCL_CURRENT) && !m.cap && total > m.memlock) {
				want = -ENOMEM;
			} else {
				want = 0;
				m.def_locked = flags & MCL_FUTURE;
				m.def_onfault = (flags & MCL_FUTURE) && (flags & MCL_ONFAULT);
				for (int i = 0; i < NPAGES && (flags & MCL_CURRENT); i++) {
					m.pg[i].locked = m.pg[i].mapped;
					m.pg[i].onfault = m.pg[i].mapped && (flags & MCL_ONFAULT);
				}
			}
			got = sys_mlockall(flags);
			break;
		}
		case 13: { /* the credentials: CAP_IPC_LOCK or not, RLIMIT_MEMLOCK */
			static const u64 limits[] = { 0, 4, 16, ~0ULL };
			m.cap = b3 & 1;
			m.memlock = limits[(b3 >> 1) & 3];
			host_capable = m.cap;
			u64 bytes = m.memlock == ~0ULL ? RLIM_INFINITY : m.memlock * P;
			current->signal->rlim[RLIMIT_MEMLOCK] = (struct rlimit64){ bytes, bytes };
			break;
		}
		case 14: { /* the memfd: F_ADD_SEALS (maybe an unknown bit) or ftruncate */
			if (b3 & 1) {
				u64 size = b3 >> 2; /* 0 to 63 pages */
				snprintf(detail, sizeof(detail), " ftruncate %llu pages",
					 (unsigned long long)size);
				if ((size < m.mfd_size && (m.seals & F_SEAL_SHRINK)) ||
				    (size > m.mfd_size && (m.seals & F_SEAL_GROW)))
					want = -EPERM;
				else
					want = 0, m.mfd_size = size;
				got = sys_ftruncate((unsigned int)memfd_fd, size * P);
				break;
			}
			u32 seals = (b3 >> 1) & F_ALL_SEALS;
			if (b2 & 0x80)
				seals |= 0x20;
			snprintf(detail, sizeof(detail), " F_ADD_SEALS %#x", seals);
			bool writable_mapping =
				false; /* i_mmap_writable: VM_SHARED | VM_MAYWRITE */
			for (int i = 0; i < NPAGES; i++)
				writable_mapping |= m.pg[i].mapped && m.pg[i].obj == MEMFD_OBJ &&
						    m.pg[i].shared && !m.pg[i].nomaywrite;
			if (seals & ~(u32)F_ALL_SEALS)
				want = -EINVAL;
			else if (m.seals & F_SEAL_SEAL)
				want = -EPERM;
			else if ((seals & F_SEAL_WRITE) && !(m.seals & F_SEAL_WRITE) &&
				 writable_mapping)
				want = -EBUSY;
			else
				want = 0, m.seals |= seals;
			got = memfd_fcntl(memfd_file, F_ADD_SEALS, seals);
			break;
		}
		default: { /* arguments Linux refuses before looking at the address space */
			switch (b3 % 6) {
			case 0:
				want = -EINVAL,
				got = do_mmap(dmm, NULL, ARENA + a * P, 0, 3,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
				break;
			case 1:
				want = -EINVAL,
				got = do_mmap(dmm, NULL, ARENA + a * P + 1, P, 3,
					      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0);
				break;
			case 2:
				want = -EINVAL, got = do_munmap(dmm, ARENA + a * P, 0);
				break;
			case 3:
				want = 0, got = do_mprotect_pkey(ARENA + a * P, 0, 7, -1);
				break;
			case 4:
				want = -EINVAL, got = do_mprotect_pkey(ARENA + a * P + 8, P, 1, -1);
				break;
			default:
				want = -EINVAL, got = do_mprotect_pkey(ARENA + a * P, P, 0x10, -1);
			}
		}
		}
		if (got != want) {
			snprintf(why, len,
				 "step %d (%s %llu+%llu%s, byte3 %#x): returned %ld, model %ld",
				 step, op_names[op], (unsigned long long)a, (unsigned long long)n,
				 detail, b3, got, want);
			return -1;
		}
		if (dmm->pkey_allocation_map != m.keys || dmm->execute_only_pkey != m.exec_key) {
			snprintf(why, len,
				 "step %d (%s, byte3 %#x, returned %ld): keys %#x exec %d, model "
				 "%#x exec %d",
				 step, op_names[op], b3, got, dmm->pkey_allocation_map,
				 dmm->execute_only_pkey, m.keys, m.exec_key);
			return -1;
		}
		if (compare(w, sizeof(w))) {
			snprintf(why, len, "step %d (%s %llu+%llu, byte3 %#x): %s", step,
				 op_names[op], (unsigned long long)a, (unsigned long long)n, b3, w);
			return -1;
		}
		step++;
	}
	d_teardown();
	pku_enabled = false;
	return 0;
}

/*
 * Inputs that found disagreements (hex), kept as regressions (each operation byte re-encoded
 * for the 15 operations: same operation as when found). So far each was the model's
 * mistake (the kernel followed Linux 6.1 and the model was corrected) but the one marked as the
 * kernel's.
 */
static const char *const found[] = {
	/* pkey_free(0) succeeds in Linux (key 0 is in the allocation map), and pkey_alloc then
	 * hands out key 0 again */
	"31aab3bc4164f6107b68f25a51a09e3796d4f4f5428e7bd97df692d96daacf13",
	/* mremap of an unmapped address is EFAULT even when shrinking (6.1's vma_lookup first):
	 * mremap of pages 4+8 to 4 pages with MAYMOVE, nothing mapped */
	"0644c7c0",
	/* the kernel's mistake: growing locked memory by mremap past RLIMIT_MEMLOCK without
	 * CAP_IPC_LOCK is EAGAIN (vma_to_resize's mlock_future_check); Warden grew it. No
	 * capability and a 4-page limit, 4 pages mmap'd MAP_LOCKED, mremap'd in place to 5 */
	"0d00000200400303"
	"06004300",
	/* libFuzzer, 10-minute run: more than 256 shared-memory objects (the harness's table of
	 * them wrapped around; the kernel was right) */
	"8d0ad4ff8d3d78000000017878787878787878787878e6e612f5022712f502278d0ad4ff8d3d780000000178"
	"78787878787878787878e6e612f5022712f50227f5d1d1d1ccd1780000000000787878787878787800000000"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"78787878787878787878787824787878787878787878787878787878787878ffccd1d1d1cc78000000000078"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"787878787878787878787824787878787878787878787878787878787878787878d1d1d1ccd1d1d1ccd1d1d1"
	"ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d17878787878787878"
	"78782c7878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"787878787878787878787878782d787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878780f00000000000000787878787878787878787878787878787878707878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7824787878787878787878787878787878787878f5d1d1d1ccd1780000000000787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"24787878787878787878787878787878787878787878d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1"
	"ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1ccd1d1d1cc787878787878787878782c7878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"78782d7878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787814000000000000007878787878787878787878787878787878787078787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
	"7878787878787878787878787878787878787878787878787878787878787878787878787878787878",
	NULL,
};

/* Decodes hex into buf; the number of bytes. */
static size_t unhex(const char *s, u8 *buf, size_t max)
{
	size_t n = 0;
	for (; s[0] && s[1] && n < max; s += 2) {
		unsigned v;
		sscanf(s, "%2x", &v);
		buf[n++] = (u8)v;
	}
	return n;
}

HOST_TEST(mm_diff_found_inputs)
{
	u8 buf[4096];
	char why[400];
	for (int i = 0; found[i]; i++) {
		size_t n = unhex(found[i], buf, sizeof(buf));
		if (mm_diff_run(buf, n, why, sizeof(why))) {
			d_teardown();
			pku_enabled = false;
			host_fail(__FILE__, __LINE__, "found input %d: %s", i, why);
			return;
		}
	}
}

/* A short deterministic run of random inputs (the libFuzzer run is `make fuzz-host`). */
HOST_TEST(mm_diff_random)
{
	u8 buf[1200];
	char why[400];
	u64 s = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 600; round++) {
		for (size_t i = 0; i < sizeof(buf); i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			buf[i] = (u8)(s >> 56);
		}
		if (mm_diff_run(buf, sizeof(buf), why, sizeof(why))) {
			d_teardown();
			pku_enabled = false;
			host_fail(__FILE__, __LINE__, "random input %d: %s", round, why);
			for (size_t i = 0; i < sizeof(buf) && i < 64; i++)
				fprintf(stderr, "%02x", buf[i]);
			fprintf(stderr, "...\n");
			return;
		}
	}
}
