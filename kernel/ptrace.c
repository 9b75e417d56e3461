// SPDX-License-Identifier: MIT
/*
 * ptrace (kernel/ptrace.h): a tracer attaches to a task (or a task asks its parent to trace
 * it); from then on every signal the tracee is about to act on stops it instead (TASK_TRACED,
 * kernel/signal.c's ptrace_signal) and the tracer's wait4 reports the stop; while it is
 * stopped the tracer reads and writes its memory and its XSAVE image, then lets it continue.
 */
#include "kernel/ptrace.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "mm/frame.h"
#include "arch/x86_64/fpu.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/traps.h"

#define PTRACE_TRACEME 0
#define PTRACE_PEEKTEXT 1
#define PTRACE_PEEKDATA 2
#define PTRACE_POKETEXT 4
#define PTRACE_POKEDATA 5
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_ATTACH 16
#define PTRACE_DETACH 17
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define NT_X86_XSTATE 0x202

/* struct iovec, as PTRACE_GETREGSET/SETREGSET take it. */
struct user_iovec {
	u64 iov_base;
	u64 iov_len;
};

/* The tracee pid names, if the current task traces it and it is stopped for it; else NULL. */
static struct task_struct *ptrace_check_attach(long pid)
{
	struct task_struct *t = find_task_by_pid((int)pid);

	if (!t || t->ptracer != current || t->state != TASK_TRACED)
		return NULL;
	return t;
}

/*
 * Reads or writes len bytes of t's memory at addr as Linux's access_process_vm with FOLL_FORCE
 * (mm/proc_mem.c's access_remote_vm): 0, or -EIO where t has no such memory.
 */
static int access_remote(struct task_struct *t, u64 addr, void *buf, size_t len, bool write)
{
	return t->mm && access_remote_vm(t->mm, addr, buf, len, write) == len ? 0 : -EIO;
}

/* PTRACE_GETREGSET NT_X86_XSTATE: t's XSAVE image, its PKRU in the PKRU slot. */
static long xstateregs_get(struct task_struct *t, struct user_iovec *iov)
{
	u8 image[XSTATE_MAX_SIZE] __aligned(64);
	u32 size = fpu_user_xstate_size;

	if (!use_xsave())
		return -ENODEV;
	memcpy(image, task_fpstate(t), size);
	if (xfeatures_mask_user & XFEATURE_MASK_PKRU) {
		((struct xstate_header *)(image + XSAVE_HDR_OFFSET))->xfeatures |=
			XFEATURE_MASK_PKRU;
		*(u32 *)(image + xstate_offset(XFEATURE_PKRU)) = t->pkru;
	}
	u64 n = min((u64)size, iov->iov_len);
	if (copy_to_user((void __user *)iov->iov_base, image, n))
		return -EFAULT;
	iov->iov_len = n;
	return 0;
}

/* The MXCSR bits this CPU accepts (from FXSAVE's mask field; 0xffbf when that reads 0). */
static u32 mxcsr_feature_mask(void)
{
	u8 fx[FXSAVE_SIZE] __aligned(16);
	u32 mask;

	__asm__ __volatile__("fxsaveq %0" : "=m"(fx));
	memcpy(&mask, fx + 28, sizeof(mask));
	return mask ? mask : 0xffbf;
}

/*
 * PTRACE_SETREGSET NT_X86_XSTATE: a whole standard-format image (EFAULT otherwise) becomes t's
 * state; one XRSTOR would refuse (a bad header, reserved MXCSR bits) is EINVAL. PKRU comes from
 * the PKRU slot when XSTATE_BV says it is there, else it is 0 (Linux's copy_uabi_to_xstate).
 */
static long xstateregs_set(struct task_struct *t, const struct user_iovec *iov)
{
	u8 image[XSTATE_MAX_SIZE] __aligned(64);
	u32 size = fpu_user_xstate_size, mxcsr;

	if (!use_xsave())
		return -ENODEV;
	if (iov->iov_len < size)
		return -EFAULT;
	if (copy_from_user(image, (const void __user *)iov->iov_base, size))
		return -EFAULT;
	const struct xstate_header *hdr = (const void *)(image + XSAVE_HDR_OFFSET);
	if ((hdr->xfeatures & ~xfeatures_mask_user) || hdr->xcomp_bv)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		if (hdr->reserved[i])
			return -EINVAL;
	memcpy(&mxcsr, image + MXCSR_OFFSET, sizeof(mxcsr));
	if (mxcsr & ~mxcsr_feature_mask())
		return -EINVAL;
	t->pkru = (hdr->xfeatures & XFEATURE_MASK_PKRU)
			  ? *(const u32 *)(image + xstate_offset(XFEATURE_PKRU))
			  : 0;
	memcpy(task_fpstate(t), image, size);
	return 0;
}

/* Lets a stopped tracee go on, with signal sig (0: none); detaching first with detach. */
static long ptrace_resume(struct task_struct *t, u64 sig, bool detach)
{
	if (sig > _NSIG)
		return -EIO;
	if (detach)
		t->ptracer = NULL;
	t->resume_sig = (int)sig;
	t->state = TASK_RUNNING;
	return 0;
}

/* PTRACE_ATTACH: the current task starts tracing pid, which is sent SIGSTOP. */
static long ptrace_attach(long pid)
{
	struct task_struct *t = find_task_by_pid((int)pid);

	if (!t)
		return -ESRCH;
	if (t == current || t->tgid == current->tgid || t->ptracer || t->state >= EXIT_ZOMBIE ||
	    !t->mm)
		return -EPERM;
	t->ptracer = current;
	send_signal(t, SIGSTOP);
	/*
	 * Already stopped by job control: the stop becomes one for the tracer, whose wait4 reports
	 * it (Linux's JOBCTL_TRAP_STOP); the SIGSTOP just sent is seen once it goes on.
	 */
	if (t->state == TASK_STOPPED) {
		t->state = TASK_TRACED;
		t->stop_reported = false;
	}
	return 0;
}

long sys_ptrace(long request, long pid, u64 addr, u64 data)
{
	struct task_struct *t;
	u64 word;

	if (request == PTRACE_TRACEME) {
		if (current->ptracer)
			return -EPERM;
		current->ptracer = current->parent;
		return 0;
	}
	if (request == PTRACE_ATTACH)
		return ptrace_attach(pid);
	if (request == PTRACE_KILL) {
		t = find_task_by_pid((int)pid);
		if (!t || t->ptracer != current)
			return -ESRCH;
		send_signal(t, SIGKILL);
		return 0;
	}
	t = ptrace_check_attach(pid);
	if (!t)
		return -ESRCH;
	switch (request) {
	case PTRACE_PEEKTEXT:
	case PTRACE_PEEKDATA:
		if ((addr & 7) && (addr & PAGE_MASK) != ((addr + 7) & PAGE_MASK))
			return -EIO; /* Warden reads a word inside one page */
		if (access_remote(t, addr, &word, sizeof(word), false))
			return -EIO;
		return put_user_u64(word, (u64 __user *)data) ? -EFAULT : 0;
	case PTRACE_POKETEXT:
	case PTRACE_POKEDATA:
		if ((addr & 7) && (addr & PAGE_MASK) != ((addr + 7) & PAGE_MASK))
			return -EIO;
		return access_remote(t, addr, &data, sizeof(data), true);
	case PTRACE_CONT:
		return ptrace_resume(t, data, false);
	case PTRACE_DETACH:
		return ptrace_resume(t, data, true);
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET: {
		struct user_iovec iov;
		if (addr != NT_X86_XSTATE)
			return -EINVAL;
		if (copy_from_user(&iov, (const void __user *)data, sizeof(iov)))
			return -EFAULT;
		if (iov.iov_len % sizeof(u64))
			return -EINVAL; /* Linux's ptrace_regset: whole u64s of the regset */
		if (request == PTRACE_SETREGSET)
			return xstateregs_set(t, &iov);
		long r = xstateregs_get(t, &iov);
		if (!r && copy_to_user((void __user *)data, &iov, sizeof(iov)))
			return -EFAULT;
		return r;
	}
	default:
		return -EIO;
	}
}

void ptrace_exit(struct task_struct *t)
{
	for (struct task_struct *u = first_task(); u; u = u->run_next) {
		if (u->ptracer != t)
			continue;
		u->ptracer = NULL;
		if (u->state == TASK_TRACED) {
			u->resume_sig = 0;
			u->state = TASK_RUNNING;
		} else if (u->state == EXIT_ZOMBIE) {
			wake_up(&u->parent->wait_chldexit); /* its parent may reap it now */
		}
	}
	/*
	 * A tracee whose tracer is not its parent stays traced as a zombie: the tracer's wait4
	 * reports the exit first (Linux's do_notify_parent to the tracer), then the parent reaps
	 * it.
	 */
	if (t->ptracer && t->ptracer != t->parent)
		wake_up(&t->ptracer->wait_chldexit);
	else
		t->ptracer = NULL;
}
