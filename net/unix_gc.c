// SPDX-License-Identifier: MIT
/*
 * The AF_UNIX garbage collector and the limit on files in flight (Linux 6.1's
 * net/unix/garbage.c and net/unix/scm.c, the candidate and in-flight count algorithm).
 *
 * A file passed in an SCM_RIGHTS message is in flight from the send until it is received or
 * the message is dropped. Each one counts against the sending user (its real uid) once the
 * message is queued (Linux 6.1's unix_add_edges), and a send
 * whose user already has more in flight than the sender's RLIMIT_NOFILE is ETOOMANYREFS,
 * unless the sender has CAP_SYS_RESOURCE or CAP_SYS_ADMIN. A unix socket in flight also counts
 * the references to its own file that messages hold (inflight) and sits on a list.
 *
 * A socket whose every file reference is in flight (no descriptor, no call holds it) is a
 * candidate. If every one of those references sits in a message queued on another candidate,
 * nothing outside can ever receive it: the cycle is garbage. The collector subtracts the
 * references candidates hold on each other; a candidate left with some is reachable from
 * outside, and so is every candidate whose file sits in its queue (marked from an explicit
 * stack: a chain of any length never nests on the kernel stack). The messages of the others
 * that carry candidates are taken off their queues and freed after the walk; freeing them
 * drops the last references to the garbage sockets, whose releases (deferred by fput when a
 * release is already running) free the rest.
 *
 * Triggered as Linux's: after the release of any unix socket while sockets are in flight, and
 * on a send when more than UNIX_INFLIGHT_TRIGGER_GC sockets are in flight. Also (Warden's own)
 * on a send of files when a cycle may exist and more than UNIX_INFLIGHT_TRIGGER_GROWTH sockets went
 * in flight since the last collection: the last close of a cycle's sockets releases nothing (they
 * are in flight), so a user who makes cycles and never releases a socket would otherwise pin
 * RLIMIT_NOFILE sockets' worth of queued data (hundreds of MiB) until some release; Linux
 * collects from a worker at moments a program cannot predict either. A send waits for a
 * collection in progress (it only sleeps if freeing the messages sleeps). A release inside an
 * fput (a socket freed because a message that held it was freed) only asks: the outermost fput
 * runs one collection when its loop is done, as Linux queues the collection on a workqueue, so
 * a chain of thousands of sockets is not scanned once per link.
 */
#include "net/af_unix.h"
#include "fs/proc.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "mm/slab.h"

#define UNIX_INFLIGHT_TRIGGER_GC 16000
/* Warden's own trigger: sockets put in flight since the last collection while a cycle may
 * exist (below). */
#define UNIX_INFLIGHT_TRIGGER_GROWTH 256
#define UNIX_GC_CANDIDATE 0x1
#define UNIX_GC_LIVE 0x2

/* One user's files in flight (Linux's user_struct.unix_inflight); freed at zero. */
struct unix_user_inflight {
	u32 uid;
	u32 count;
	struct unix_user_inflight *next;
};

/*
 * unix_gc_lock protects the list of sockets in flight, every unix_sock's inflight count and gc
 * fields, the users' counts, unix_tot_inflight, gc_in_progress and the flags below. A leaf
 * spinlock taken under the kernel lock (docs/locking.md): nothing is taken, allocated or freed
 * under it.
 */
static spinlock_t unix_gc_lock = SPINLOCK_INIT;
static struct unix_sock *gc_inflight_list;
static struct unix_user_inflight *unix_users;
static bool gc_in_progress;
/* A release asked for a collection while fput or a collection was running: run it after. */
static bool gc_wanted;
/*
 * Whether sockets in flight may form a garbage cycle (Linux's unix_graph_maybe_cyclic): the
 * last message of a cycle to be queued carries a socket to a receiver that is in flight already
 * (its own message of the cycle was queued before), or to a receiver accept() has not taken
 * (its listener holds it); or a socket in flight lost a reference that was not in flight (a
 * close, the end of a call), so all of its references may now be in flight. Set then; cleared
 * when nothing is in flight, and by a collection that found no garbage (a cycle kept by an open
 * socket is not garbage: the next collection waits for one of the events above). Without it no
 * collection runs: a chain of sockets released link by link is not scanned at every link, and
 * a reachable cycle does not make every later release walk every socket in flight.
 */
static bool gc_maybe_cyclic;
/* Sockets put in flight since the last collection (for UNIX_INFLIGHT_TRIGGER_GROWTH). */
static u32 gc_new_inflight;
static struct wait_queue_head unix_gc_wait = WAIT_QUEUE_HEAD_INIT;
u32 unix_tot_inflight;
/* /proc/warden/unix: sockets alive (counted under the kernel lock alone), collections run,
 * messages and sockets collected. */
static u64 unix_socks_alive, gc_runs, gc_skbs_collected, gc_socks_collected;
/* Sockets in flight the collections looked at (the work they did). */
static u64 gc_socks_scanned;

void unix_sock_count(int delta)
{
	unix_socks_alive += (u64)(s64)delta;
}

struct unix_sock *unix_get_socket(struct file *file)
{
	struct socket *sock = sock_from_file(file);

	if (!sock || (file->f_mode & FMODE_PATH) || !sock->sk || !sock->ops ||
	    sock->ops->family != AF_UNIX)
		return NULL;
	return unix_sk(sock->sk);
}

/* The in-flight count of user uid, made if needed (under unix_gc_lock); NULL without memory. */
static struct unix_user_inflight *unix_user_get(u32 uid, struct unix_user_inflight **spare)
{
	struct unix_user_inflight *user;

	for (user = unix_users; user; user = user->next)
		if (user->uid == uid)
			return user;
	user = *spare;
	if (!user)
		return NULL;
	*spare = NULL;
	user->uid = uid;
	user->count = 0;
	user->next = unix_users;
	unix_users = user;
	return user;
}

/* Drops n files from user's count, and the user at zero (under unix_gc_lock); returns the
 * user to free, or NULL. */
static struct unix_user_inflight *unix_user_sub(struct unix_user_inflight *user, u32 n)
{
	user->count -= n;
	if (user->count)
		return NULL;
	for (struct unix_user_inflight **p = &unix_users; *p; p = &(*p)->next) {
		if (*p == user) {
			*p = user->next;
			break;
		}
	}
	return user;
}

/* The in-flight count of the current user, 0 if it has none. */
static u32 unix_current_inflight(void)
{
	u32 uid = current->cred.uid, n = 0;

	spin_lock(&unix_gc_lock);
	for (struct unix_user_inflight *user = unix_users; user; user = user->next)
		if (user->uid == uid)
			n = user->count;
	spin_unlock(&unix_gc_lock);
	return n;
}

/* Linux's too_many_unix_fds: the user's files in flight past the sender's RLIMIT_NOFILE soft
 * limit, and no CAP_SYS_RESOURCE or CAP_SYS_ADMIN. */
static bool too_many_unix_fds(void)
{
	if (unix_current_inflight() > current->signal->rlim[RLIMIT_NOFILE].rlim_cur)
		return !capable(CAP_SYS_RESOURCE) && !capable(CAP_SYS_ADMIN);
	return false;
}

/* One more reference to u's file in flight: on the list at the first (under unix_gc_lock). */
static void unix_inflight_sock(struct unix_sock *u)
{
	if (!u->inflight++) {
		u->gc_prev = NULL;
		u->gc_next = gc_inflight_list;
		if (gc_inflight_list)
			gc_inflight_list->gc_prev = u;
		gc_inflight_list = u;
	}
	unix_tot_inflight++;
	gc_new_inflight++;
}

/* One reference to u's file less in flight: off the list at the last (under unix_gc_lock). */
static void unix_notinflight_sock(struct unix_sock *u)
{
	if (!--unix_tot_inflight)
		gc_maybe_cyclic = false;
	if (--u->inflight)
		return;
	if (u->gc_prev)
		u->gc_prev->gc_next = u->gc_next;
	else
		gc_inflight_list = u->gc_next;
	if (u->gc_next)
		u->gc_next->gc_prev = u->gc_prev;
	u->gc_next = u->gc_prev = NULL;
}

int __unix_attach_fds(struct scm_cookie *scm, struct unix_skb *skb, u32 uid)
{
	struct unix_user_inflight *spare;

	if (!scm->fp || !scm->nfp)
		return 0;
	spare = kmalloc(sizeof(*spare), GFP_KERNEL);
	if (!spare)
		return -ENOMEM;
	skb->scm.fp = scm->fp;
	skb->scm.nfp = scm->nfp;
	scm->fp = NULL;
	scm->nfp = 0;
	skb->fp_uid = uid;
	skb->fp_spare = spare;
	spin_lock(&unix_gc_lock);
	for (int i = 0; i < skb->scm.nfp; i++) {
		struct unix_sock *u = unix_get_socket(skb->scm.fp[i]);

		if (u)
			unix_inflight_sock(u);
	}
	spin_unlock(&unix_gc_lock);
	return 0;
}

int unix_attach_fds(struct scm_cookie *scm, struct unix_skb *skb)
{
	if (!scm->fp)
		return 0;
	if (too_many_unix_fds())
		return -ETOOMANYREFS;
	return __unix_attach_fds(scm, skb, current->cred.uid);
}

void unix_detach_fds(struct scm_cookie *scm, struct unix_skb *skb)
{
	struct unix_user_inflight *gone = NULL;

	if (!skb->scm.fp)
		return;
	spin_lock(&unix_gc_lock);
	for (int i = 0; i < skb->scm.nfp; i++) {
		struct unix_sock *u = unix_get_socket(skb->scm.fp[i]);

		if (u)
			unix_notinflight_sock(u);
	}
	if (skb->fp_user) /* only a queued message was charged */
		gone = unix_user_sub(skb->fp_user, (u32)skb->scm.nfp);
	spin_unlock(&unix_gc_lock);
	kfree(gone);
	kfree(skb->fp_spare);
	skb->fp_spare = NULL;
	skb->fp_user = NULL;
	scm->fp = skb->scm.fp;
	scm->nfp = skb->scm.nfp;
	skb->scm.fp = NULL;
	skb->scm.nfp = 0;
}

void unix_gc_queued(struct unix_sock *receiver, struct unix_skb *skb)
{
	bool sockets = false;

	for (int i = 0; i < skb->scm.nfp && !sockets; i++)
		sockets = unix_get_socket(skb->scm.fp[i]);
	spin_lock(&unix_gc_lock);
	/* the sender's user is charged now, as Linux 6.1's unix_add_edges */
	if (!skb->fp_user) {
		skb->fp_user = unix_user_get(skb->fp_uid, &skb->fp_spare);
		skb->fp_user->count += (u32)skb->scm.nfp;
	}
	if (sockets && (receiver->inflight || !receiver->sk.sk_socket))
		gc_maybe_cyclic = true;
	spin_unlock(&unix_gc_lock);
	kfree(skb->fp_spare); /* the user had a count already */
	skb->fp_spare = NULL;
}

void unix_gc_file_put(struct file *f)
{
	struct unix_sock *u = unix_get_socket(f);

	if (!u)
		return;
	spin_lock(&unix_gc_lock);
	if (u->inflight && f->f_count <= u->inflight)
		gc_maybe_cyclic = true;
	spin_unlock(&unix_gc_lock);
}

enum unix_gc_op {
	GC_DEC, /* a candidate's reference held by another candidate: not from outside */
	GC_MARK_LIVE, /* a candidate in a live socket's queue is live too */
	GC_COLLECT, /* a message of a garbage socket that carries a candidate goes */
};

/* Applies op to the candidates in one message's files; true if it carried any. */
static bool unix_gc_scan_skb(struct unix_skb *skb, enum unix_gc_op op, struct unix_sock **stack)
{
	bool hit = false;

	for (int i = 0; i < skb->scm.nfp; i++) {
		struct unix_sock *c = unix_get_socket(skb->scm.fp[i]);

		if (!c || !(c->gc_flags & UNIX_GC_CANDIDATE))
			continue;
		hit = true;
		if (op == GC_DEC) {
			c->gc_refs--;
		} else if (op == GC_MARK_LIVE && !(c->gc_flags & UNIX_GC_LIVE)) {
			c->gc_flags |= UNIX_GC_LIVE;
			c->gc_stack_next = *stack;
			*stack = c;
		}
	}
	return hit;
}

/* Scans the messages queued on x (Linux's scan_inflight); GC_COLLECT moves those that carry a
 * candidate from x's queue to *hitlist. */
static void unix_gc_scan_queue(struct unix_sock *x, enum unix_gc_op op, struct unix_sock **stack,
			       struct unix_skb **hitlist)
{
	struct unix_skb *prev = NULL, *skb = x->rq_head, *next;

	for (; skb; skb = next) {
		next = skb->next;
		if (!skb->scm.fp || !unix_gc_scan_skb(skb, op, stack) || op != GC_COLLECT) {
			prev = skb;
			continue;
		}
		if (prev)
			prev->next = next;
		else
			x->rq_head = next;
		if (x->rq_tail == skb)
			x->rq_tail = prev;
		if (x->oob_skb == skb)
			x->oob_skb = NULL;
		x->rq_len--;
		skb->next = *hitlist;
		*hitlist = skb;
		gc_skbs_collected++;
	}
}

/* Scans what x holds in flight (Linux's scan_children): its queue, or for a listener the
 * queues of the connections accept() has not taken yet, which it holds. */
static void unix_gc_scan_children(struct unix_sock *x, enum unix_gc_op op, struct unix_sock **stack,
				  struct unix_skb **hitlist)
{
	if (x->sk.sk_state != TCP_LISTEN) {
		unix_gc_scan_queue(x, op, stack, hitlist);
		return;
	}
	for (struct unix_skb *skb = x->rq_head; skb; skb = skb->next)
		if (skb->from)
			unix_gc_scan_queue(skb->from, op, stack, hitlist);
}

/*
 * The collection proper, under unix_gc_lock: the messages to free go to the returned list.
 * Candidates are the sockets in flight with no other reference; a candidate keeps references
 * from outside if subtracting those held in candidates' queues leaves some.
 */
static struct unix_skb *unix_gc_find_garbage(void)
{
	struct unix_sock *cands = NULL, *stack = NULL, *u;
	struct unix_skb *hitlist = NULL;

	if (!gc_maybe_cyclic)
		return NULL;
	for (u = gc_inflight_list; u; u = u->gc_next) {
		struct socket *sock = u->sk.sk_socket;

		gc_socks_scanned++;
		if (!sock || !sock->file || sock->file->f_count != u->inflight)
			continue;
		u->gc_flags = UNIX_GC_CANDIDATE;
		u->gc_refs = u->inflight;
		u->gc_cand_next = cands;
		cands = u;
	}
	for (u = cands; u; u = u->gc_cand_next)
		unix_gc_scan_children(u, GC_DEC, NULL, NULL);
	for (u = cands; u; u = u->gc_cand_next) {
		if (u->gc_refs && !(u->gc_flags & UNIX_GC_LIVE)) {
			u->gc_flags |= UNIX_GC_LIVE;
			u->gc_stack_next = stack;
			stack = u;
		}
	}
	while ((u = stack)) {
		stack = u->gc_stack_next;
		unix_gc_scan_children(u, GC_MARK_LIVE, &stack, NULL);
	}
	for (u = cands; u; u = u->gc_cand_next) {
		if (!(u->gc_flags & UNIX_GC_LIVE)) {
			gc_socks_collected++;
			unix_gc_scan_children(u, GC_COLLECT, NULL, &hitlist);
		}
	}
	for (u = cands; u; u = u->gc_cand_next)
		u->gc_flags = 0;
	/* no garbage: none until a socket in flight loses a reference from outside */
	if (!hitlist)
		gc_maybe_cyclic = false;
	return hitlist;
}

/*
 * Runs collections until no release asked for another meanwhile: the files freed by one may
 * release sockets that held more sockets in flight.
 */
void unix_gc(void)
{
	struct unix_skb *hitlist, *skb;

	spin_lock(&unix_gc_lock);
	if (gc_in_progress) {
		spin_unlock(&unix_gc_lock);
		return;
	}
	gc_in_progress = true;
	do {
		gc_wanted = false;
		gc_new_inflight = 0;
		gc_runs++;
		hitlist = unix_gc_find_garbage();
		spin_unlock(&unix_gc_lock);
		/* Freeing drops the files; releases they cause ask for another run. */
		while ((skb = hitlist)) {
			hitlist = skb->next;
			unix_skb_free(skb);
		}
		spin_lock(&unix_gc_lock);
	} while (gc_wanted && unix_tot_inflight);
	gc_wanted = false;
	gc_in_progress = false;
	spin_unlock(&unix_gc_lock);
	wake_up(&unix_gc_wait);
}

void unix_gc_request(void)
{
	if (!unix_tot_inflight)
		return;
	if (current->fput_running || gc_in_progress) {
		gc_wanted = true;
		return;
	}
	unix_gc();
}

void unix_gc_run_deferred(void)
{
	if (gc_wanted && !gc_in_progress)
		unix_gc();
}

void wait_for_unix_gc(struct scm_cookie *scm)
{
	struct wait_queue_entry we;

	if (!gc_in_progress &&
	    (unix_tot_inflight > UNIX_INFLIGHT_TRIGGER_GC ||
	     (scm->fp && gc_maybe_cyclic && gc_new_inflight > UNIX_INFLIGHT_TRIGGER_GROWTH)))
		unix_gc();
	if (!gc_in_progress)
		return;
	for (;;) {
		prepare_to_wait_uninterruptible(&unix_gc_wait, &we);
		if (!gc_in_progress)
			break;
		schedule();
	}
	finish_wait(&unix_gc_wait, &we);
}

/* /proc/warden/unix: the collector's counters (Warden's own; Linux has none). */
int unix_gc_stats_show(struct seq_buf *m)
{
	u64 users = 0, alive, runs, socks, skbs, scanned;
	u32 inflight;

	spin_lock(&unix_gc_lock);
	for (struct unix_user_inflight *user = unix_users; user; user = user->next)
		users++;
	alive = unix_socks_alive;
	inflight = unix_tot_inflight;
	runs = gc_runs;
	socks = gc_socks_collected;
	skbs = gc_skbs_collected;
	scanned = gc_socks_scanned;
	spin_unlock(&unix_gc_lock);
	seq_printf(m, "sockets %llu\n", (unsigned long long)alive);
	seq_printf(m, "inflight_sockets %u\n", inflight);
	seq_printf(m, "inflight_users %llu\n", (unsigned long long)users);
	seq_printf(m, "gc_runs %llu\n", (unsigned long long)runs);
	seq_printf(m, "gc_sockets_collected %llu\n", (unsigned long long)socks);
	seq_printf(m, "gc_messages_collected %llu\n", (unsigned long long)skbs);
	seq_printf(m, "gc_sockets_scanned %llu\n", (unsigned long long)scanned);
	return 0;
}
