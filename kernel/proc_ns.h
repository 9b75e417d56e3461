/* SPDX-License-Identifier: MIT */
/* /proc/PID/ns and the nsfs files its links reach (kernel/proc_ns.c). */
#ifndef WARDEN_PROC_NS_H
#define WARDEN_PROC_NS_H

struct file;
struct inode;
struct task_struct;
struct time_namespace;

/* The directory /proc/PID/ns of task t inside parent (/proc/PID or task/TID); NULL: no memory. */
struct inode *proc_ns_dir(struct inode *parent, struct task_struct *t);

/* The time namespace an nsfs file (an open /proc/PID/ns/time...) is, or NULL for other files. */
struct time_namespace *nsfs_time_ns(struct file *file);

#endif
