// SPDX-License-Identifier: MIT
/*
 * ptrace (kernel/ptrace.h): a tracer attaches to a task (or a task asks its parent to trace
 * it); from then on every signal the tracee is about to act on stops it instead (TASK_TRACED,
 * kernel/signal.c's ptrace_signal) and the tracer's wait4 reports the stop; while it is
 * stopped the tracer reads and writes its memory and its XSAVE image, then lets it continue.
 */
#include "kernel/ptrace.h"
#include "kernel/exit.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "mm/frame.h"
#include "arch/x86_64/pgtable.h"
#include "arch/x86_64/ptrace.h"
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
#define PTRACE_SETOPTIONS 0x4200
#define PTRACE_GETEVENTMSG 0x4201
#define PTRACE_GETSIGINFO 0x4202
#define SIGINFO_SIZE 128 /* sizeof(siginfo_t) */
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205

#define CLONE_VFORK 0x00004000
#define CLONE_UNTRACED 0x00800000

#define PTRACE_EVENT_EXEC 4
#define PTRACE_O_TRACEEXEC (1U << PTRACE_EVENT_EXEC)
#define PTRACE_O_EXITKILL (1U << 20)
/* Every option Linux knows: the event bits, EXITKILL and SUSPEND_SECCOMP (Linux's PTRACE_O_MASK).
 */
#define PTRACE_O_MASK (0xffU | PTRACE_O_EXITKILL | (1U << 21))

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
	return t->mm && access_remote_vm(t->mm, addr, buf, len,
					 FOLL_FORCE | (write ? FOLL_WRITE : 0)) == len
		       ? 0
		       : -EIO;
}

/* Lets a stopped tracee go on, with signal sig (0: none); detaching first with detach. */
static long ptrace_resume(struct task_struct *t, u64 sig, bool detach)
{
	if (sig > _NSIG)
		return -EIO;
	if (detach) {
		t->ptracer = NULL;
		t->ptrace_options = 0;
	}
	t->resume_sig = (int)sig;
	wake_up_state(t, TASK_STATE_BIT(TASK_TRACED));
	return 0;
}

/*
 * PTRACE_ATTACH: the current task starts tracing pid, which is sent SIGSTOP. EPERM for its own
 * thread group, a task it may not control (ptrace_may_access with its real ids), one already
 * traced or exiting (Linux's ptrace_attach, in that order).
 */
static long ptrace_attach(long pid)
{
	struct task_struct *t = find_task_by_pid((int)pid);

	if (!t)
		return -ESRCH;
	if (t == current || t->tgid == current->tgid)
		return -EPERM;
	int err = ptrace_may_access(t, PTRACE_MODE_ATTACH_REALCREDS);
	if (err)
		return err;
	if (t->ptracer || t->state >= EXIT_ZOMBIE || !t->mm)
		return -EPERM;
	t->ptracer = current;
	t->ptracer_capable = capable(CAP_SYS_PTRACE);
	t->ptrace_options = 0;
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

/*
 * PTRACE_GETSIGINFO: the siginfo of the stop the tracee is in, as the whole 128-byte siginfo_t
 * (Linux's ptrace_getsiginfo and copy_siginfo_to_user); EINVAL for a stop without one.
 */
static long ptrace_getsiginfo(struct task_struct *t, u64 data)
{
	u8 buf[SIGINFO_SIZE];

	if (!t->last_siginfo)
		return -EINVAL;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, t->last_siginfo, sizeof(*t->last_siginfo));
	return copy_to_user((void __user *)data, buf, sizeof(buf)) ? -EFAULT : 0;
}

long sys_ptrace(long request, long pid, u64 addr, u64 data)
{
	struct task_struct *t;
	u64 word;

	if (request == PTRACE_TRACEME) {
		if (current->ptracer)
			return -EPERM;
		if (current->parent && ptrace_traceme_ok(current->parent))
			return -EPERM;
		current->ptracer = current->parent;
		/* Linux's ptrace_link records the caller's, the tracee's, credentials here */
		current->ptracer_capable = capable(CAP_SYS_PTRACE);
		current->ptrace_options = 0;
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
	case PTRACE_SETOPTIONS:
		if (data & ~(u64)PTRACE_O_MASK)
			return -EINVAL;
		t->ptrace_options = (u32)data;
		return 0;
	case PTRACE_GETEVENTMSG:
		return put_user_u64(t->ptrace_message, (u64 __user *)data) ? -EFAULT : 0;
	case PTRACE_GETSIGINFO:
		return ptrace_getsiginfo(t, data);
	case PTRACE_GETREGSET:
	case PTRACE_SETREGSET: {
		struct user_iovec iov;
		if (copy_from_user(&iov, (const void __user *)data, sizeof(iov)))
			return -EFAULT;
		long r = arch_ptrace_regset(t, request, addr, &iov);
		/* iov_len says how much was copied (Linux's ptrace_regset) */
		if (!r && put_user_u64(iov.iov_len, &((struct user_iovec __user *)data)->iov_len))
			return -EFAULT;
		return r;
	}
	default:
		return arch_ptrace(t, request, addr, data);
	}
}

void ptrace_event_exec(int old_pid)
{
	struct task_struct *t = current;

	if (!t->ptracer)
		return;
	if (t->ptrace_options & PTRACE_O_TRACEEXEC) {
		/*
		 * The event stop happens inside execve, where Linux's pt_regs->ax still holds
		 * -ENOSYS: execve's 0 is stored only when it returns.
		 */
		struct pt_regs *regs = task_pt_regs(t);
		regs->rax = (u64)-ENOSYS;
		t->ptrace_message = (u64)old_pid;
		ptrace_notify(SIGTRAP | PTRACE_EVENT_EXEC << 8);
		regs->rax = 0;
		return;
	}
	/* The legacy report: a SIGTRAP the task sends itself, stopping it on the way out. */
	struct kernel_siginfo info = { .si_signo = SIGTRAP, .si_code = SI_USER };
	siginfo_set_pid_uid(&info, t->tgid, t->cred.uid);
	send_signal_info(t, SIGTRAP, &info);
}

/* Did the current task's tracer ask for event stops of kind event (Linux's ptrace_event_enabled)?
 */
static bool ptrace_event_enabled(int event)
{
	return current->ptracer && (current->ptrace_options & (1U << event));
}

int ptrace_clone_event(u64 flags, int exit_signal)
{
	int event;

	if (flags & CLONE_UNTRACED)
		return 0;
	if (flags & CLONE_VFORK)
		event = PTRACE_EVENT_VFORK;
	else if (exit_signal != SIGCHLD)
		event = PTRACE_EVENT_CLONE;
	else
		event = PTRACE_EVENT_FORK;
	return ptrace_event_enabled(event) ? event : 0;
}

void ptrace_init_task(struct task_struct *child, bool ptrace)
{
	if (!ptrace || !current->ptracer)
		return;
	child->ptracer = current->ptracer;
	child->ptracer_capable = current->ptracer_capable;
	child->ptrace_options = current->ptrace_options;
	/* Linux sets the bit only: taken, it reads as SI_USER with no sender */
	child->pending |= sigmask(SIGSTOP);
	child->sig.info[SIGSTOP - 1] = (struct kernel_siginfo){ .si_signo = SIGSTOP };
}

void ptrace_event_pid(int event, int pid)
{
	if (!ptrace_event_enabled(event))
		return;
	current->ptrace_message = (u64)pid;
	ptrace_notify(SIGTRAP | event << 8);
}

void ptrace_exit(struct task_struct *t)
{
	struct task_struct *u;

restart:
	for (u = first_task(); u; u = u->run_next) {
		if (u->ptracer != t)
			continue;
		u->ptracer = NULL;
		if (u->ptrace_options & PTRACE_O_EXITKILL)
			send_signal(u, SIGKILL);
		u->ptrace_options = 0;
		if (u->state == TASK_TRACED) {
			u->resume_sig = 0;
			wake_up_state(u, TASK_STATE_BIT(TASK_TRACED));
		} else if (u->state == EXIT_ZOMBIE && !thread_group_leader(u)) {
			/*
			 * A thread: nobody else waits for it. Its release may free its group's
			 * zombie leader as well, which may be the next task on the list: start
			 * over (a released task is traced by nobody, so this ends).
			 */
			release_task(u);
			goto restart;
		} else if (u->state == EXIT_ZOMBIE && u->parent) {
			/*
			 * Its parent hears of it now and may reap it, or wants no zombie. init's
			 * leader, which may be a zombie while init's other threads live on, has no
			 * parent.
			 */
			if (thread_group_empty(u) && do_notify_parent_exit(u)) {
				release_task(u);
				goto restart;
			}
			wake_up(&u->parent->signal->wait_chldexit);
		}
	}
	/*
	 * A tracee whose tracer is not its parent stays traced as a zombie: the tracer's wait4
	 * reports the exit first (Linux's do_notify_parent to the tracer), then the parent reaps
	 * it. So does a thread other than the leader whose tracer is its parent (strace -f): no
	 * children list holds it, only the tracer's wait4 can see its exit.
	 */
	if (t->ptracer && (t->ptracer != t->parent || !thread_group_leader(t)))
		wake_up(&t->ptracer->signal->wait_chldexit);
	else
		t->ptracer = NULL;
}
