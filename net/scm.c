// SPDX-License-Identifier: MIT
/*
 * Control messages (Linux's net/core/scm.c): SCM_RIGHTS passes open files, SCM_CREDENTIALS a
 * process's pid, uid and gid. scm_send parses what sendmsg was given; scm_recv writes what a
 * message carried into recvmsg's control buffer.
 */
#include "net/socket.h"
#include "fs/fdtable.h"
#include "kernel/cred.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/slab.h"
#include "mm/uaccess.h"

void scm_destroy(struct scm_cookie *scm)
{
	for (int i = 0; i < scm->nfp; i++)
		fput(scm->fp[i]);
	kfree(scm->fp);
	scm->fp = NULL;
	scm->nfp = 0;
}

/* SCM_RIGHTS: takes a reference to each descriptor's file (Linux's scm_fp_copy): more than
 * SCM_MAX_FD in all EINVAL, a closed descriptor EBADF. O_PATH files may travel. */
static int scm_fp_copy(struct cmsghdr *cmsg, struct scm_cookie *scm)
{
	int num = (int)((cmsg->cmsg_len - sizeof(*cmsg)) / sizeof(int));
	const s32 *fdp = (const s32 *)(cmsg + 1);

	if (num <= 0)
		return 0;
	if (num > SCM_MAX_FD)
		return -EINVAL;
	if (!scm->fp) {
		scm->fp = kmalloc(SCM_MAX_FD * sizeof(struct file *), GFP_KERNEL);
		if (!scm->fp)
			return -ENOMEM;
	}
	if (scm->nfp + num > SCM_MAX_FD)
		return -EINVAL;
	for (int i = 0; i < num; i++) {
		struct file *file = fdp[i] < 0 ? NULL : fget_raw(fdp[i]);

		if (!file)
			return -EBADF;
		scm->fp[scm->nfp++] = file;
	}
	return num;
}

/* SCM_CREDENTIALS: whose they may be (Linux's scm_check_creds): the caller's own tgid and one
 * of its ids, unless it has CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID; -1 is no id (EINVAL). */
static int scm_check_creds(const struct ucred *uc)
{
	const struct cred *c = &current->cred;

	if (uc->uid == (u32)-1 || uc->gid == (u32)-1)
		return -EINVAL;
	if ((uc->pid == current->tgid || capable(CAP_SYS_ADMIN)) &&
	    (uc->uid == c->uid || uc->uid == c->euid || uc->uid == c->suid ||
	     capable(CAP_SETUID)) &&
	    (uc->gid == c->gid || uc->gid == c->egid || uc->gid == c->sgid || capable(CAP_SETGID)))
		return 0;
	return -EPERM;
}

/* The credentials of an SCM_CREDENTIALS message: checked, and the pid must name a process. */
static int scm_creds(struct cmsghdr *cmsg, struct scm_cookie *scm)
{
	struct ucred uc;

	if (cmsg->cmsg_len != CMSG_LEN(sizeof(uc)))
		return -EINVAL;
	memcpy(&uc, cmsg + 1, sizeof(uc));
	int err = scm_check_creds(&uc);
	if (err)
		return err;
	if (uc.pid != scm->creds.pid && (uc.pid <= 0 || !find_task_by_pid(uc.pid)))
		return -ESRCH;
	scm->creds = uc;
	return 0;
}

int scm_send(struct socket *sock, struct msghdr *m, struct scm_cookie *scm)
{
	char *ctl = m->msg_control;
	size_t size = m->msg_controllen;
	int err = 0;

	(void)sock;
	*scm = (struct scm_cookie){ .creds = { .pid = current->tgid,
					       .uid = current->cred.uid,
					       .gid = current->cred.gid } };
	if (!ctl || size < sizeof(struct cmsghdr))
		return 0;
	for (size_t off = 0; off + sizeof(struct cmsghdr) <= size;) {
		struct cmsghdr *cmsg = (struct cmsghdr *)(ctl + off);

		/* CMSG_OK: at least a header and no further than the buffer */
		if (cmsg->cmsg_len < sizeof(*cmsg) || cmsg->cmsg_len > size - off) {
			err = -EINVAL;
			break;
		}
		if (cmsg->cmsg_level == SOL_SOCKET) {
			if (cmsg->cmsg_type == SCM_RIGHTS)
				err = scm_fp_copy(cmsg, scm);
			else if (cmsg->cmsg_type == SCM_CREDENTIALS)
				err = scm_creds(cmsg, scm);
			else
				err = -EINVAL;
			if (err < 0)
				break;
			err = 0;
		}
		off += CMSG_ALIGN(cmsg->cmsg_len);
	}
	if (err)
		scm_destroy(scm);
	return err;
}

int put_cmsg(struct msghdr *m, int level, int type, int len, const void *data)
{
	struct cmsghdr __user *cm = m->msg_control_user;
	struct cmsghdr h;
	size_t cmlen = CMSG_LEN((size_t)len);

	if (!cm || m->msg_controllen < sizeof(h)) {
		m->msg_flags |= MSG_CTRUNC;
		return 0;
	}
	if (m->msg_controllen < cmlen) {
		m->msg_flags |= MSG_CTRUNC;
		cmlen = m->msg_controllen;
	}
	h = (struct cmsghdr){ .cmsg_len = cmlen, .cmsg_level = level, .cmsg_type = type };
	if (copy_to_user(cm, &h, sizeof(h)) || copy_to_user(cm + 1, data, cmlen - sizeof(h)))
		return -EFAULT;
	cmlen = CMSG_SPACE((size_t)len);
	if (m->msg_controllen < cmlen)
		cmlen = m->msg_controllen;
	m->msg_control_user = (char __user *)m->msg_control_user + cmlen;
	m->msg_controllen -= cmlen;
	return 0;
}

/* Installs one passed file at a new descriptor whose number goes to *ufd (Linux's
 * receive_fd_user): the descriptor or -errno, with nothing installed on failure. */
static int receive_fd_user(struct file *file, s32 __user *ufd, unsigned int o_flags)
{
	int fd = get_unused_fd_flags(o_flags);

	if (fd < 0)
		return fd;
	if (put_user_u32((u32)fd, (u32 __user *)ufd)) {
		put_unused_fd((unsigned int)fd);
		return -EFAULT;
	}
	fd_install((unsigned int)fd, get_file(file));
	return fd;
}

/*
 * SCM_RIGHTS out (Linux's scm_detach_fds): as many descriptors as the buffer holds, stopping
 * at the first failure (EMFILE); MSG_CTRUNC when some did not arrive, which are closed.
 */
static void scm_detach_fds(struct msghdr *m, struct scm_cookie *scm)
{
	struct cmsghdr __user *cm = m->msg_control_user;
	unsigned int o_flags = (m->msg_flags & MSG_CMSG_CLOEXEC) ? O_CLOEXEC : 0;
	int fdmax = m->msg_controllen <= sizeof(struct cmsghdr)
			    ? 0
			    : (int)((m->msg_controllen - sizeof(struct cmsghdr)) / sizeof(int));
	s32 __user *data = (s32 __user *)(cm + 1);
	int i;

	if (fdmax > scm->nfp)
		fdmax = scm->nfp;
	for (i = 0; i < fdmax; i++)
		if (receive_fd_user(scm->fp[i], data + i, o_flags) < 0)
			break;
	if (i > 0) {
		struct cmsghdr h = { .cmsg_len = CMSG_LEN(i * sizeof(int)),
				     .cmsg_level = SOL_SOCKET,
				     .cmsg_type = SCM_RIGHTS };

		if (!copy_to_user(cm, &h, sizeof(h))) {
			size_t cmlen = CMSG_SPACE(i * sizeof(int));

			if (m->msg_controllen < cmlen)
				cmlen = m->msg_controllen;
			m->msg_control_user = (char __user *)m->msg_control_user + cmlen;
			m->msg_controllen -= cmlen;
		}
	}
	if (i < scm->nfp || (scm->nfp && fdmax <= 0))
		m->msg_flags |= MSG_CTRUNC;
	scm_destroy(scm);
}

void scm_recv(struct socket *sock, struct msghdr *m, struct scm_cookie *scm)
{
	bool passcred = sock->flags & SOCK_PASSCRED_BIT;

	if (!m->msg_control_user) {
		if (passcred || scm->fp)
			m->msg_flags |= MSG_CTRUNC;
		scm_destroy(scm);
		return;
	}
	if (passcred)
		put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, sizeof(scm->creds), &scm->creds);
	if (scm->fp)
		scm_detach_fds(m, scm);
}
