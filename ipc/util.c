// SPDX-License-Identifier: MIT
/*
 * System V IPC identifiers and permissions, as Linux 6.1's ipc/util.c (ipc/util.h): handing out
 * indexes cyclically with a sequence number, finding objects by key and by id, and the mode-bit
 * checks against the caller's credentials.
 */
#include "ipc/util.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/err.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"

/* Makes room for index idx in ids' table (doubling, up to IPCMNI). 0 or -ENOMEM. */
static int ipc_grow(struct ipc_ids *ids, int idx)
{
	int size = ids->size ? ids->size : IPC_MIN_CYCLE;

	while (size <= idx)
		size *= 2;
	if (size == ids->size)
		return 0;
	struct kern_ipc_perm **n = kzalloc((size_t)size * sizeof(*n), GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	if (ids->entries)
		memcpy(n, ids->entries, (size_t)ids->size * sizeof(*n));
	kfree(ids->entries);
	ids->entries = n;
	ids->size = size;
	return 0;
}

/* The entry at idx, or NULL (free, or beyond the table). */
static struct kern_ipc_perm *ipc_entry(struct ipc_ids *ids, int idx)
{
	return idx >= 0 && idx < ids->size ? ids->entries[idx] : NULL;
}

/* The first free index in [from, end), or -1 (Linux's idr_alloc_u32 over that range). */
static int ipc_free_idx(struct ipc_ids *ids, int from, int end)
{
	for (int i = from; i < end; i++)
		if (!ipc_entry(ids, i))
			return i;
	return -1;
}

/*
 * The allocation kernel.shm_next_id asked for (Linux's ipc_idr_alloc with next_id set): the
 * first free index from the id's own (idr_alloc), with the id's sequence number; the cyclic
 * cursor and sequence stay as they were. The index or -errno.
 */
static int ipc_idr_alloc_at(struct ipc_ids *ids, struct kern_ipc_perm *new, int next_id)
{
	int idx = ipc_free_idx(ids, next_id % IPCMNI, IPCMNI);

	if (idx < 0)
		return -ENOSPC;
	if (ipc_grow(ids, idx))
		return -ENOMEM;
	new->seq = (u32)(next_id / IPCMNI);
	new->id = (int)(new->seq << IPCMNI_SHIFT) + idx;
	ids->entries[idx] = new;
	return idx;
}

/*
 * Linux's ipc_idr_alloc: a free index below max(in_use * 3/2, 64), searched from the one after
 * the last handed out and then from 0 (idr_alloc_cyclic); the sequence number grows when the
 * index is not above the last one. The index or -errno.
 */
static int ipc_idr_alloc(struct ipc_ids *ids, struct kern_ipc_perm *new)
{
	int end = max(ids->in_use * 3 / 2, IPC_MIN_CYCLE), start = ids->next_idx;
	int next_id = ids->next_id;

	ids->next_id = -1; /* used once, whatever comes of it */
	if (next_id >= 0)
		return ipc_idr_alloc_at(ids, new, next_id);

	end = min(end, IPCMNI);
	int idx = ipc_free_idx(ids, start, end);
	if (idx < 0 && start > 0)
		idx = ipc_free_idx(ids, 0, end);
	if (idx < 0)
		return -ENOSPC;
	if (ipc_grow(ids, idx))
		return -ENOMEM;
	ids->next_idx = idx + 1;
	if (idx <= ids->last_idx) {
		ids->seq++;
		if (ids->seq >= IPCID_SEQ_MAX)
			ids->seq = 0;
	}
	ids->last_idx = idx;
	new->seq = ids->seq;
	new->id = (int)(new->seq << IPCMNI_SHIFT) + idx;
	ids->entries[idx] = new;
	return idx;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *new, int limit)
{
	if (limit > IPCMNI)
		limit = IPCMNI;
	if (ids->in_use >= limit)
		return -ENOSPC;
	new->cuid = new->uid = current->cred.euid;
	new->cgid = new->gid = current->cred.egid;
	new->deleted = false;
	int idx = ipc_idr_alloc(ids, new);
	if (idx < 0) {
		new->deleted = true;
		return idx;
	}
	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;
	return idx;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *ipcp)
{
	int idx = ipcid_to_idx(ipcp->id);

	ids->entries[idx] = NULL;
	ids->in_use--;
	ipcp->deleted = true;
	if (idx == ids->max_idx) {
		while (idx >= 0 && !ipc_entry(ids, idx))
			idx--;
		ids->max_idx = idx;
	}
}

struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, int key)
{
	for (int i = 0; i <= ids->max_idx; i++) {
		struct kern_ipc_perm *p = ipc_entry(ids, i);

		if (p && p->key == key && key != IPC_PRIVATE)
			return p;
	}
	return NULL;
}

struct kern_ipc_perm *ipc_obtain_object_idr(struct ipc_ids *ids, int id)
{
	return ipc_entry(ids, ipcid_to_idx(id));
}

struct kern_ipc_perm *ipc_obtain_object_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p = ipc_obtain_object_idr(ids, id);

	return p && (u32)ipcid_to_seqx(id) == p->seq ? p : NULL;
}

int ipcperms(struct kern_ipc_perm *ipcp, int flag)
{
	u32 euid = current->cred.euid;
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = (int)ipcp->mode;

	if (euid == ipcp->cuid || euid == ipcp->uid)
		granted >>= 6;
	else if (in_group_p(ipcp->cgid) || in_group_p(ipcp->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !capable(CAP_IPC_OWNER))
		return -1;
	return 0;
}

struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p = ipc_obtain_object_check(ids, id);
	u32 euid = current->cred.euid;

	if (!p)
		return ERR_PTR(-EINVAL);
	if (euid == p->cuid || euid == p->uid || capable(CAP_SYS_ADMIN))
		return p;
	return ERR_PTR(-EPERM);
}

int ipc_get_maxidx(struct ipc_ids *ids)
{
	if (ids->in_use == 0)
		return 0; /* Linux's -1, which its callers turn into 0 */
	if (ids->in_use == IPCMNI)
		return IPCMNI - 1;
	return ids->max_idx;
}

struct kern_ipc_perm *ipc_next(struct ipc_ids *ids, int *idx)
{
	for (int i = *idx; i <= ids->max_idx; i++) {
		if (ipc_entry(ids, i)) {
			*idx = i;
			return ids->entries[i];
		}
	}
	return NULL;
}

void kernel_to_ipc64_perm(struct kern_ipc_perm *in, struct ipc64_perm *out)
{
	out->key = in->key;
	out->uid = in->uid;
	out->gid = in->gid;
	out->cuid = in->cuid;
	out->cgid = in->cgid;
	out->mode = in->mode;
	out->seq = (u16)in->seq;
}

int ipc_update_perm(struct ipc64_perm *in, struct kern_ipc_perm *out)
{
	if (in->uid == (u32)-1 || in->gid == (u32)-1)
		return -EINVAL;
	out->uid = in->uid;
	out->gid = in->gid;
	out->mode = (out->mode & ~0777U) | (in->mode & 0777U);
	return 0;
}
