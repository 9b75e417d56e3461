/* SPDX-License-Identifier: MIT */
/*
 * System V IPC identifiers, as Linux 6.1's ipc/util.c: a set of objects (only shared memory
 * segments on Warden, ipc/shm.c) indexed by a small number, each with a key, an owner, a creator
 * and permission bits. An object's id is its index plus its sequence number times IPCMNI
 * (32768): an index is handed out cyclically (Linux's idr_alloc_cyclic below max(in_use * 3/2,
 * 64)), and the sequence number grows each time the indexes wrap, so a stale id is refused
 * (EINVAL) rather than reaching the object that took its index. See docs/shm.md.
 */
#ifndef WARDEN_IPC_UTIL_H
#define WARDEN_IPC_UTIL_H

#include "kernel/rwsem.h"
#include "kernel/types.h"

#define IPC_PRIVATE 0

/* get's flags (the low 9 bits are the mode), and the ctl commands every kind shares. */
#define IPC_CREAT 00001000
#define IPC_EXCL 00002000
#define IPC_NOWAIT 00004000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3

#define IPCMNI_SHIFT 15
#define IPCMNI (1 << IPCMNI_SHIFT) /* at most this many objects of a kind */
#define IPCMNI_IDX_MASK (IPCMNI - 1)
#define IPC_MIN_CYCLE 64 /* RADIX_TREE_MAP_SIZE: indexes cycle through at least this many */
#define ipcid_to_idx(id) ((id)&IPCMNI_IDX_MASK)
#define ipcid_to_seqx(id) ((id) >> IPCMNI_SHIFT)
#define IPCID_SEQ_MAX (0x7fffffff >> IPCMNI_SHIFT)

/* What every IPC object has (Linux's kern_ipc_perm): ids in the initial user namespace. */
struct kern_ipc_perm {
	int id; /* index + seq * IPCMNI */
	int key; /* IPC_PRIVATE once removed while still attached */
	u32 uid, gid; /* the owner, changed by IPC_SET */
	u32 cuid, cgid; /* the creator */
	u32 mode; /* permission bits and the kind's own flags (SHM_DEST, SHM_LOCKED) */
	u32 seq;
	bool deleted; /* out of the set: the object lives on only for its users */
};

/* One kind's objects (Linux's ipc_ids). */
struct ipc_ids {
	/*
	 * Protects the whole set: the entries, in_use, the indexes and sequence, and every
	 * object's fields. Taken for writing by get, IPC_RMID, IPC_SET, attach's and detach's
	 * nattch changes; for reading by the stat and info commands and /proc/sysvipc. Taken
	 * after mmap_lock, never before it (docs/locking.md).
	 */
	struct rw_semaphore rwsem;
	int in_use; /* objects in the set */
	int max_idx; /* the highest index in use, -1 when none */
	int last_idx; /* the index handed out last, -1 at first */
	int next_idx; /* where the cyclic search for a free index starts (Linux's idr_next) */
	u32 seq; /* the sequence number of new objects */
	/*
	 * kernel.shm_next_id (Linux's CONFIG_CHECKPOINT_RESTORE): the id the next object asks for,
	 * -1 for none; each allocation reads it and sets it back to -1. Written by the sysctl
	 * without the rwsem (a plain int, under the kernel lock).
	 */
	int next_id;
	int size; /* entries allocated */
	struct kern_ipc_perm **entries; /* by index; NULL: free */
};

/*
 * Adds new (its key and mode set) to ids as the current task's object: owner and creator are
 * its effective ids. -ENOSPC when limit (the kind's sysctl, at most IPCMNI) objects exist or no
 * index is free, -ENOMEM without memory; else the index (new->id is set).
 */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *new, int limit);

/* Takes ipcp out of ids (its index and key are free again); ipcp->deleted is set. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *ipcp);

/* The object with this key (not IPC_PRIVATE), or NULL. */
struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, int key);

/* The object at id's index, whatever its sequence number (SHM_STAT's lookup), or NULL. */
struct kern_ipc_perm *ipc_obtain_object_idr(struct ipc_ids *ids, int id);

/* The object whose id this is, sequence number included, or NULL (EINVAL for the caller). */
struct kern_ipc_perm *ipc_obtain_object_check(struct ipc_ids *ids, int id);

/*
 * May the current task access ipcp as flag asks (S_IRUGO, S_IWUGO... or get's mode bits)? The
 * owner's or creator's bits for its effective uid, the group's for its group, else the
 * others'; CAP_IPC_OWNER passes all. 0 or -1, as Linux's ipcperms.
 */
int ipcperms(struct kern_ipc_perm *ipcp, int flag);

/*
 * IPC_SET and IPC_RMID's lookup (Linux's ipcctl_obtain_check): the object, or ERR_PTR(-EINVAL)
 * for a bad id, ERR_PTR(-EPERM) for a caller that is neither its owner nor its creator and
 * lacks CAP_SYS_ADMIN.
 */
struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id);

/* IPC_INFO's and SHM_INFO's result: the highest index in use, or 0 when none. */
int ipc_get_maxidx(struct ipc_ids *ids);

/* The object with the lowest index at or above *idx (its index in *idx), or NULL: /proc/sysvipc. */
struct kern_ipc_perm *ipc_next(struct ipc_ids *ids, int *idx);

/* Linux's struct ipc64_perm on x86-64 (48 bytes), what IPC_STAT gives and IPC_SET takes. */
struct ipc64_perm {
	int key;
	u32 uid, gid, cuid, cgid;
	u32 mode;
	u16 seq;
	u16 __pad2;
	u64 __unused1, __unused2;
};

/* The user's view of ipcp (Linux's kernel_to_ipc64_perm). */
void kernel_to_ipc64_perm(struct kern_ipc_perm *in, struct ipc64_perm *out);

/*
 * IPC_SET's change: the owner and the permission bits (the kind's flags stay). -EINVAL for a
 * uid or gid of -1, which names nobody; else 0.
 */
int ipc_update_perm(struct ipc64_perm *in, struct kern_ipc_perm *out);

#endif
