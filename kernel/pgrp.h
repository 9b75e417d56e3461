/* SPDX-License-Identifier: MIT */
/*
 * Process groups and sessions as Linux 6.1 (kernel/sys.c, kernel/exit.c): every process has a
 * process group id and a session id (task_struct's pgid and sid, inherited at fork). setsid
 * makes the caller the leader of a new session and group, setpgid moves the caller or a child
 * that has not exec'd into a group of the same session. A group is orphaned when no member has
 * a parent in another group of the same session: when an exit makes a group orphaned while a
 * member is stopped, the group gets SIGHUP and SIGCONT, and job-control stop signals are
 * discarded in an orphaned group (kernel/signal.c). kill_pgrp and the orphan checks are in
 * kernel/signal.h. See docs/sessions.md.
 */
#ifndef WARDEN_PGRP_H
#define WARDEN_PGRP_H

#include "kernel/types.h"

struct task_struct;

/*
 * At exit (parent NULL: tsk is the exiting task) or when tsk's parent exits and tsk is
 * reparented (parent: the exiting one): if that orphans tsk's group and a member is stopped,
 * the group gets SIGHUP then SIGCONT from the kernel (Linux's kill_orphaned_pgrp).
 */
void kill_orphaned_pgrp(struct task_struct *tsk, struct task_struct *parent);

long sys_setpgid(int pid, int pgid);
long sys_getpgid(int pid);
long sys_getpgrp(void);
long sys_getsid(int pid);
long sys_setsid(void);

#endif
