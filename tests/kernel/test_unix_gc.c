// SPDX-License-Identifier: MIT
/*
 * Self-tests of the AF_UNIX garbage collector (net/unix_gc.c) on fabricated graphs: sockets
 * made in the kernel, an edge A -> B a message queued on B that carries A's file, then the
 * sockets' own references dropped (closed) and the collector run. Each socket is watched
 * through an extra reference to its unix_sock: SK_DEAD says whether it was released.
 */
#include "kernel/selftest.h"
#include "net/af_unix.h"
#include "kernel/errno.h"
#include "mm/slab.h"

#define GC_MAX 8

struct gc_graph {
	int n;
	struct file *file[GC_MAX];
	struct unix_sock *u[GC_MAX];
	bool closed[GC_MAX];
};

/* n new datagram sockets, each with its file and a watching reference. */
static bool gc_graph_make(struct gc_graph *g, int n)
{
	g->n = n;
	for (int i = 0; i < n; i++) {
		struct socket *sock;

		if (sock_create(AF_UNIX, SOCK_DGRAM, 0, &sock))
			return false;
		g->file[i] = sock_alloc_file(sock, 0);
		if (!g->file[i])
			return false;
		g->u[i] = unix_sk(sock->sk);
		unix_sock_hold(g->u[i]);
		g->closed[i] = false;
	}
	return true;
}

/* Queues on dst a message carrying the files of srcs (in flight from now on). */
static struct unix_skb *gc_edge_skb(struct gc_graph *g, const int *srcs, int nsrc)
{
	struct unix_skb *skb = kzalloc(sizeof(*skb), GFP_KERNEL);
	struct scm_cookie scm = { 0 };

	if (!skb)
		return NULL;
	scm.fp = kmalloc(SCM_MAX_FD * sizeof(struct file *), GFP_KERNEL);
	if (!scm.fp) {
		kfree(skb);
		return NULL;
	}
	for (int i = 0; i < nsrc; i++)
		scm.fp[scm.nfp++] = get_file(g->file[srcs[i]]);
	if (__unix_attach_fds(&scm, skb, 0)) {
		scm_destroy(&scm);
		kfree(skb);
		return NULL;
	}
	return skb;
}

static bool gc_edge(struct gc_graph *g, int src, int dst)
{
	struct unix_skb *skb = gc_edge_skb(g, &src, 1);

	if (!skb)
		return false;
	unix_skb_queue_tail(g->u[dst], skb);
	return true;
}

static void gc_close(struct gc_graph *g, int i)
{
	if (!g->closed[i]) {
		g->closed[i] = true;
		fput(g->file[i]);
	}
}

static bool gc_dead(struct gc_graph *g, int i)
{
	return g->u[i]->sk.sk_flags & SK_DEAD;
}

/* Closes what is left open and drops the watching references. */
static void gc_graph_free(struct gc_graph *g)
{
	for (int i = 0; i < g->n; i++)
		gc_close(g, i);
	unix_gc();
	for (int i = 0; i < g->n; i++)
		unix_sock_put(g->u[i]);
}

/* A socket whose own file sits in its queue, and a pair holding each other: collected. */
SELFTEST(unix_gc_self_and_pair)
{
	struct gc_graph g;
	u32 base = unix_tot_inflight; /* what a failed test before left */

	ST_ASSERT(gc_graph_make(&g, 3));
	ST_ASSERT(gc_edge(&g, 0, 0));
	ST_ASSERT(gc_edge(&g, 1, 2));
	ST_ASSERT(gc_edge(&g, 2, 1));
	for (int i = 0; i < 3; i++)
		gc_close(&g, i);
	ST_ASSERT(!gc_dead(&g, 0)); /* only the message holds it: not released by the close */
	ST_ASSERT_EQ(unix_tot_inflight, base + 3);
	unix_gc();
	for (int i = 0; i < 3; i++)
		ST_ASSERT(gc_dead(&g, i));
	ST_ASSERT_EQ(unix_tot_inflight, base);
	gc_graph_free(&g);
}

/* A cycle one of whose sockets is still open, or in the queue of an open socket, is kept;
 * and what hangs off a garbage cycle goes with it. */
SELFTEST(unix_gc_reachable_kept)
{
	struct gc_graph g;
	u32 base = unix_tot_inflight;

	ST_ASSERT(gc_graph_make(&g, 6));
	/* 0 <-> 1, and 0 in the queue of 2, which stays open */
	ST_ASSERT(gc_edge(&g, 0, 1));
	ST_ASSERT(gc_edge(&g, 1, 0));
	ST_ASSERT(gc_edge(&g, 0, 2));
	/* 3 <-> 4 with 3 open; 5 hangs off 4's queue */
	ST_ASSERT(gc_edge(&g, 3, 4));
	ST_ASSERT(gc_edge(&g, 4, 3));
	ST_ASSERT(gc_edge(&g, 5, 4));
	gc_close(&g, 0);
	gc_close(&g, 1);
	gc_close(&g, 4);
	gc_close(&g, 5);
	unix_gc();
	for (int i = 0; i < 6; i++)
		ST_ASSERT(!gc_dead(&g, i));
	/* and no message of theirs was taken: 1 is live only through 0, which 2 holds */
	ST_ASSERT_EQ(g.u[0]->rq_len, 1);
	ST_ASSERT_EQ(g.u[1]->rq_len, 1);
	ST_ASSERT_EQ(g.u[4]->rq_len, 2);
	/* closing 3 leaves 3, 4 and 5 unreachable; 3 is in flight, so the close releases nothing
	 * and the collector waits for its next run (as Linux's) */
	gc_close(&g, 3);
	ST_ASSERT(!gc_dead(&g, 3));
	unix_gc();
	ST_ASSERT(gc_dead(&g, 3) && gc_dead(&g, 4) && gc_dead(&g, 5));
	ST_ASSERT(!gc_dead(&g, 0) && !gc_dead(&g, 1));
	/* closing 2 releases it, and that release runs the collector: 0 and 1 go */
	gc_close(&g, 2);
	ST_ASSERT(gc_dead(&g, 0) && gc_dead(&g, 1) && gc_dead(&g, 2));
	ST_ASSERT_EQ(unix_tot_inflight, base);
	gc_graph_free(&g);
}

/* A message that carries a socket but is not queued yet (a send in progress) keeps it. */
SELFTEST(unix_gc_unqueued_message_keeps)
{
	struct gc_graph g;
	int src = 0;

	ST_ASSERT(gc_graph_make(&g, 1));
	ST_ASSERT(gc_edge(&g, 0, 0));
	struct unix_skb *pending = gc_edge_skb(&g, &src, 1);
	ST_ASSERT(pending);
	gc_close(&g, 0);
	unix_gc();
	ST_ASSERT(!gc_dead(&g, 0));
	unix_skb_free(pending); /* the send failed: the message goes, and its release collects */
	unix_gc();
	ST_ASSERT(gc_dead(&g, 0));
	gc_graph_free(&g);
}

/* A ring of 20000 sockets, each in the next one's queue: collected without recursion. */
SELFTEST(unix_gc_long_ring)
{
	enum { RING = 20000 };
	struct file **files = kmalloc(RING * sizeof(*files), GFP_KERNEL);
	struct unix_sock *first = NULL;
	u32 base = unix_tot_inflight;

	ST_ASSERT(files);
	if (!files)
		return;
	for (int i = 0; i < RING; i++) {
		struct socket *sock;

		files[i] = NULL;
		if (sock_create(AF_UNIX, SOCK_DGRAM, 0, &sock))
			break;
		files[i] = sock_alloc_file(sock, 0);
		if (!files[i])
			break;
		if (!i) {
			first = unix_sk(sock->sk);
			unix_sock_hold(first);
		}
	}
	ST_ASSERT(files[RING - 1]);
	for (int i = 0; i < RING && files[i]; i++) {
		struct unix_skb *skb = kzalloc(sizeof(*skb), GFP_KERNEL);
		struct scm_cookie scm = { 0 };
		struct file *next = files[(i + 1) % RING] ? files[(i + 1) % RING] : files[0];

		scm.fp = kmalloc(sizeof(struct file *), GFP_KERNEL);
		ST_ASSERT(skb && scm.fp);
		if (!skb || !scm.fp)
			break;
		scm.fp[scm.nfp++] = get_file(files[i]);
		ST_ASSERT(!__unix_attach_fds(&scm, skb, 0));
		unix_skb_queue_tail(unix_sk(sock_from_file(next)->sk), skb);
	}
	for (int i = 0; i < RING && files[i]; i++)
		fput(files[i]);
	ST_ASSERT(first && !(first->sk.sk_flags & SK_DEAD));
	unix_gc();
	ST_ASSERT(first && (first->sk.sk_flags & SK_DEAD));
	ST_ASSERT_EQ(unix_tot_inflight, base);
	if (first)
		unix_sock_put(first);
	kfree(files);
}
