// SPDX-License-Identifier: MIT
/*
 * Super blocks and mount options (Linux 6.1's fs/super.c, fs/fs_context.c and the option parts
 * of mm/shmem.c, fs/ramfs/inode.c and fs/proc/root.c): the file system types mount(2) knows,
 * how an option string becomes a context (the flags every file system takes, then the type's
 * own options, with Linux's EINVAL for what it refuses), new super blocks with anonymous device
 * numbers, remount's checks (EBUSY for remount read-only with files open for writing), and the
 * tmpfs limits (size=, nr_inodes=: ENOSPC).
 */
#include "fs/fs_context.h"
#include "fs/mount.h"
#include "fs/proc.h"
#include "fs/ramfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/frame.h"
#include "mm/slab.h"

/* Anonymous device minors handed to new super blocks (0:N), lowest free first as get_anon_bdev;
 * the boot's file systems have 2 (rootfs), 13 (pipefs) and 22 (proc). */
#define ANON_MINORS 1024
static u8 anon_minor_used[ANON_MINORS / 8];

/* A free anonymous device number, or 0 when all are taken. */
static u32 get_anon_bdev(void)
{
	for (u32 minor = 30; minor < ANON_MINORS; minor++) {
		if (!(anon_minor_used[minor / 8] & (1u << (minor % 8)))) {
			anon_minor_used[minor / 8] |= (u8)(1u << (minor % 8));
			return minor;
		}
	}
	return 0;
}

/* Gives back a super block's anonymous device number. */
static void free_anon_bdev(u32 dev)
{
	if (dev >= 30 && dev < ANON_MINORS)
		anon_minor_used[dev / 8] &= (u8) ~(1u << (dev % 8));
}

/* tmpfs's default limits, half the RAM in pages and in inodes (shmem_default_max_blocks). */
static u64 shmem_default_max(void)
{
	return nr_managed_frames() / 2;
}

bool shmem_full(struct super_block *sb)
{
	return sb->s_max_blocks && sb->s_used_blocks >= sb->s_max_blocks;
}

int shmem_reserve_inode(struct super_block *sb)
{
	return sb->s_max_inodes && sb->s_nr_inodes >= sb->s_max_inodes ? -ENOSPC : 0;
}

/* Linux's simple_strtoull with base 0 (0x: hex, 0: octal): the value, *end past the digits. */
static u64 parse_ull(const char *s, const char **end)
{
	u64 base = 10, v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2]) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (;; s++) {
		u64 d;

		if (*s >= '0' && *s <= '9')
			d = (u64)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (u64)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (u64)(*s - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	*end = s;
	return v;
}

/* Linux's memparse: a number with an optional K, M, G, T, P or E suffix. */
static u64 memparse(const char *s, const char **end)
{
	u64 v = parse_ull(s, end);
	int shift = 0;

	switch (**end) {
	case 'E':
	case 'e':
		shift += 10;
		/* fallthrough */
	case 'P':
	case 'p':
		shift += 10;
		/* fallthrough */
	case 'T':
	case 't':
		shift += 10;
		/* fallthrough */
	case 'G':
	case 'g':
		shift += 10;
		/* fallthrough */
	case 'M':
	case 'm':
		shift += 10;
		/* fallthrough */
	case 'K':
	case 'k':
		shift += 10;
		(*end)++;
		break;
	}
	return v << shift;
}

/* Linux's kstrtouint (base 8 or 0): a whole string of digits that fits in 32 bits. */
static int parse_u32(const char *s, u32 base, u32 *res)
{
	u64 v = 0;

	if (*s == '+')
		s++;
	if (!base) {
		base = 10;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			base = 16;
			s += 2;
		} else if (s[0] == '0') {
			base = 8;
		}
	}
	if (!*s)
		return -EINVAL;
	for (; *s && *s != '\n'; s++) {
		u32 d = *s >= '0' && *s <= '9'	 ? (u32)(*s - '0')
			: *s >= 'a' && *s <= 'f' ? (u32)(*s - 'a' + 10)
			: *s >= 'A' && *s <= 'F' ? (u32)(*s - 'A' + 10)
						 : 99;
		if (d >= base)
			return -EINVAL;
		v = v * base + d;
		if (v > 0xffffffffULL)
			return -EINVAL;
	}
	*res = (u32)v;
	return 0;
}

/* tmpfs's options (shmem_parse_one): size=, nr_blocks=, nr_inodes=, mode=, uid=, gid=, huge=,
 * inode32, inode64. */
static int shmem_parse_param(struct fs_context *fc, const char *key, const char *value)
{
	static const char *const huge[] = { "never", "always", "within_size", "advise" };
	const char *rest;
	bool flag = !strcmp(key, "inode32") || !strcmp(key, "inode64");
	bool known = flag || !strcmp(key, "size") || !strcmp(key, "nr_blocks") ||
		     !strcmp(key, "nr_inodes") || !strcmp(key, "mode") || !strcmp(key, "uid") ||
		     !strcmp(key, "gid") || !strcmp(key, "huge");

	if (!known)
		return -ENOPARAM;
	if (flag)
		return value ? -EINVAL : 0;
	if (!value || !*value)
		return -EINVAL; /* fs_parse: a bare key or an empty value */
	if (!strcmp(key, "size") || !strcmp(key, "nr_blocks")) {
		u64 v = memparse(value, &rest);
		if (key[0] == 's' && *rest == '%') { /* a share of the RAM */
			v = v * PAGE_SIZE * nr_managed_frames() / 100;
			rest++;
		}
		if (*rest)
			return -EINVAL;
		fc->blocks = key[0] == 's' ? DIV_ROUND_UP(v, PAGE_SIZE) : v;
		fc->seen |= SHMEM_SEEN_BLOCKS;
		return 0;
	}
	if (!strcmp(key, "nr_inodes")) {
		fc->inodes = memparse(value, &rest);
		if (*rest)
			return -EINVAL;
		fc->seen |= SHMEM_SEEN_INODES;
		return 0;
	}
	if (!strcmp(key, "huge")) {
		for (u32 i = 0; i < ARRAY_SIZE(huge); i++)
			if (!strcmp(value, huge[i]))
				return 0;
		return -EINVAL;
	}
	u32 v;
	if (parse_u32(value, key[0] == 'm' ? 8 : 0, &v))
		return -EINVAL;
	if (key[0] == 'm')
		fc->mode = v & 07777;
	else if (v == 0xffffffffu)
		return -EINVAL; /* (uid_t)-1 is no valid id */
	else if (key[0] == 'u')
		fc->uid = v;
	else
		fc->gid = v;
	return 0;
}

/* ramfs's one option, mode=; it ignores every other (ramfs_parse_param). */
static int ramfs_parse_param(struct fs_context *fc, const char *key, const char *value)
{
	u32 v;

	if (strcmp(key, "mode"))
		return strcmp(key, "source") ? 0 : -ENOPARAM;
	if (!value || !*value || parse_u32(value, 8, &v))
		return -EINVAL;
	fc->mode = v & 07777;
	return 0;
}

/* proc's options (proc_parse_param): hidepid=, gid=, subset=; Warden keeps none of them. */
static int proc_parse_param(struct fs_context *fc, const char *key, const char *value)
{
	(void)fc;
	if (strcmp(key, "hidepid") && strcmp(key, "gid") && strcmp(key, "subset"))
		return -ENOPARAM;
	return value && *value ? 0 : -EINVAL;
}

/* A new tmpfs or ramfs: its root directory with the mode, uid and gid asked for. */
static int shmem_fill_super(struct super_block *sb, struct fs_context *fc)
{
	sb->s_max_blocks = fc->seen & SHMEM_SEEN_BLOCKS ? fc->blocks : shmem_default_max();
	sb->s_max_inodes = fc->seen & SHMEM_SEEN_INODES ? fc->inodes : shmem_default_max();
	if (fc->fs_type->parse_param != shmem_parse_param)
		sb->s_max_blocks = sb->s_max_inodes = 0; /* ramfs: no limits */
	sb->s_root_mode = fc->mode;
	sb->s_root_uid = fc->uid;
	sb->s_root_gid = fc->gid;
	int err = shmem_reserve_inode(sb);
	if (err)
		return err; /* nr_inodes=0 means no limit, so this cannot happen; kept for clarity
			     */
	sb->s_root = ramfs_new_root(sb, S_IFDIR | fc->mode);
	if (!sb->s_root)
		return -ENOMEM;
	sb->s_root->i_uid = fc->uid;
	sb->s_root->i_gid = fc->gid;
	return 0;
}

/* tmpfs's remount (shmem_reconfigure): new limits, never below what is in use. */
static int shmem_reconfigure(struct super_block *sb, struct fs_context *fc)
{
	u64 inodes = sb->s_nr_inodes;

	if ((fc->seen & SHMEM_SEEN_BLOCKS) && fc->blocks &&
	    (!sb->s_max_blocks || sb->s_used_blocks > fc->blocks))
		return -EINVAL;
	if ((fc->seen & SHMEM_SEEN_INODES) && fc->inodes &&
	    (!sb->s_max_inodes || fc->inodes < inodes))
		return -EINVAL;
	if (fc->seen & SHMEM_SEEN_BLOCKS)
		sb->s_max_blocks = fc->blocks;
	if (fc->seen & SHMEM_SEEN_INODES)
		sb->s_max_inodes = fc->inodes;
	return 0;
}

/* tmpfs's options in /proc/PID/mounts (shmem_show_options): what differs from the defaults. */
static void shmem_show_options(struct seq_buf *m, struct super_block *sb)
{
	if (sb->s_max_blocks != shmem_default_max())
		seq_printf(m, ",size=%lluk",
			   (unsigned long long)sb->s_max_blocks * (PAGE_SIZE / 1024));
	if (sb->s_max_inodes != shmem_default_max())
		seq_printf(m, ",nr_inodes=%llu", (unsigned long long)sb->s_max_inodes);
	if (sb->s_root_mode != 01777)
		seq_printf(m, ",mode=%03o", sb->s_root_mode);
	if (sb->s_root_uid)
		seq_printf(m, ",uid=%u", sb->s_root_uid);
	if (sb->s_root_gid)
		seq_printf(m, ",gid=%u", sb->s_root_gid);
	seq_printf(m, ",inode64"); /* 64-bit inode numbers without CONFIG_TMPFS_INODE64 */
}

/* ramfs shows its mode when it is not the default 0755 (ramfs_show_options). */
static void ramfs_show_options(struct seq_buf *m, struct super_block *sb)
{
	if (sb->s_root_mode != 0755)
		seq_printf(m, ",mode=%o", sb->s_root_mode);
}

/* The initramfs's root shows its size and inode limit (what Linux gave it at boot). */
static void rootfs_show_options(struct seq_buf *m, struct super_block *sb)
{
	(void)sb;
	seq_printf(m, ",size=%lluk,nr_inodes=%llu",
		   (unsigned long long)shmem_default_max() * (PAGE_SIZE / 1024),
		   (unsigned long long)shmem_default_max());
}

/* A new proc mount shows the one proc tree (fs/proc.c). */
static int proc_fill_super(struct super_block *sb, struct fs_context *fc)
{
	(void)sb;
	(void)fc;
	return 0;
}

static const struct file_system_type fs_types[] = {
	{ .name = "tmpfs",
	  .parse_param = shmem_parse_param,
	  .fill_super = shmem_fill_super,
	  .reconfigure = shmem_reconfigure,
	  .show_options = shmem_show_options },
	{ .name = "ramfs",
	  .parse_param = ramfs_parse_param,
	  .fill_super = shmem_fill_super,
	  .show_options = ramfs_show_options },
	{ .name = "proc", .parse_param = proc_parse_param, .fill_super = proc_fill_super },
	/* the boot's root: the initramfs's tmpfs, as Linux names it */
	{ .name = "rootfs",
	  .parse_param = shmem_parse_param,
	  .reconfigure = shmem_reconfigure,
	  .show_options = rootfs_show_options },
};

const struct file_system_type *get_fs_type(const char *name)
{
	/* "rootfs" is mounted once, by the kernel: mount(2) cannot ask for it (ENODEV on Linux
	 * too, as rootfs_fs_type is never registered) */
	for (u32 i = 0; i + 1 < ARRAY_SIZE(fs_types); i++)
		if (!strcmp(fs_types[i].name, name))
			return &fs_types[i];
	return NULL;
}

/* The boot's super blocks get their types: the root and /proc. */
void sb_init_types(void)
{
	memset(anon_minor_used, 0, sizeof(anon_minor_used));
	rootfs_sb.s_type = &fs_types[3];
	proc_sb.s_type = &fs_types[2];
}

/* The flags every file system takes as options (vfs_parse_sb_flag): 1 if key was one. */
static int parse_sb_flag(struct fs_context *fc, const char *key)
{
	static const struct {
		const char *name;
		unsigned long flag;
		bool set;
	} flags[] = {
		{ "dirsync", SB_DIRSYNC, true },      { "lazytime", SB_LAZYTIME, true },
		{ "mand", SB_MANDLOCK, true },	      { "ro", SB_RDONLY, true },
		{ "sync", SB_SYNCHRONOUS, true },     { "async", SB_SYNCHRONOUS, false },
		{ "nolazytime", SB_LAZYTIME, false }, { "nomand", SB_MANDLOCK, false },
		{ "rw", SB_RDONLY, false },
	};
	for (u32 i = 0; i < ARRAY_SIZE(flags); i++) {
		if (strcmp(key, flags[i].name))
			continue;
		if (flags[i].set)
			fc->sb_flags |= flags[i].flag;
		else
			fc->sb_flags &= ~flags[i].flag;
		fc->sb_flags_mask |= flags[i].flag;
		return 1;
	}
	return 0;
}

/* One option (vfs_parse_fs_string): the common flags, the type's, then "source". */
static int parse_one(struct fs_context *fc, const char *key, const char *value, bool *source)
{
	if (parse_sb_flag(fc, key))
		return value ? -EINVAL : 0;
	int err = fc->fs_type->parse_param(fc, key, value);
	if (err != -ENOPARAM)
		return err;
	if (strcmp(key, "source"))
		return -EINVAL; /* Unknown parameter */
	if (*source || !value)
		return -EINVAL; /* Multiple sources */
	*source = true;
	return 0;
}

int parse_monolithic_mount_data(struct fs_context *fc, char *data)
{
	bool tmpfs = fc->fs_type->parse_param == shmem_parse_param;
	bool source = !fc->reconfigure; /* mount(2) gave its source first */

	while (data && *data) {
		char *opt = data, *p = data;

		/* tmpfs (shmem_parse_options): a comma before a digit does not end an option */
		for (;;) {
			p = strchr(p, ',');
			if (!p)
				break;
			p++;
			if (!tmpfs || !(*p >= '0' && *p <= '9')) {
				p[-1] = '\0';
				break;
			}
		}
		data = p;
		if (!*opt)
			continue;
		char *value = strchr(opt, '=');
		if (value)
			*value++ = '\0';
		int err = parse_one(fc, opt, value, &source);
		if (err)
			return err;
	}
	return 0;
}

struct super_block *vfs_get_tree(struct fs_context *fc)
{
	if (fc->fs_type->fill_super == proc_fill_super)
		return &proc_sb; /* the one proc tree, shown once more */
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_dev = get_anon_bdev();
	if (!sb->s_dev) {
		kfree(sb);
		return ERR_PTR(-EMFILE);
	}
	sb->s_type = fc->fs_type;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_magic = fc->fs_type->parse_param == shmem_parse_param ? TMPFS_MAGIC : RAMFS_MAGIC;
	sb->s_flags = fc->sb_flags;
	if (sb->s_magic == TMPFS_MAGIC)
		sb->s_next_ino =
			1; /* tmpfs's per-super-block inode numbers (shmem_reserve_inode) */
	int err = fc->fs_type->fill_super(sb, fc);
	if (err) {
		free_anon_bdev(sb->s_dev);
		kfree(sb);
		return ERR_PTR(err);
	}
	return sb;
}

int reconfigure_super(struct super_block *sb, struct fs_context *fc)
{
	if (fc->sb_flags_mask & ~MS_RMT_MASK)
		return -EINVAL;
	bool remount_ro = (fc->sb_flags_mask & SB_RDONLY) && (fc->sb_flags & SB_RDONLY) &&
			  !(sb->s_flags & SB_RDONLY);
	if (remount_ro && sb->s_writers)
		return -EBUSY; /* sb_prepare_remount_readonly: a file open for writing */
	if (sb->s_type->reconfigure) {
		int err = sb->s_type->reconfigure(sb, fc);
		if (err)
			return err;
	}
	sb->s_flags = (sb->s_flags & ~fc->sb_flags_mask) | (fc->sb_flags & fc->sb_flags_mask);
	return 0;
}

/*
 * Removes every entry under root, deepest first, so nothing of the tree holds its inodes any
 * more. A loop, not recursion: a tree may be nested deeper than the kernel stack allows.
 */
static void d_genocide(struct inode *root)
{
	struct inode *dir = root;

	for (;;) {
		struct dentry *d = d_first_child(dir);

		if (!d) {
			if (dir == root)
				return;
			dir = dir->i_parent; /* its entry goes on the next round, now it is empty */
			continue;
		}
		struct inode *inode = d->d_inode;
		if (S_ISDIR(inode->i_mode) && d_first_child(inode)) {
			dir = inode;
			continue;
		}
		iget(inode);
		if (S_ISDIR(inode->i_mode)) {
			dir->i_nlink--;
			inode->i_nlink = 0;
		} else {
			inode->i_nlink--;
		}
		d_delete(d);
		iput(inode);
	}
}

void kill_litter_super(struct super_block *sb)
{
	if (sb == &proc_sb || sb == &rootfs_sb)
		return;
	sb->s_dead = true;
	d_genocide(sb->s_root);
	struct inode *root = sb->s_root;
	sb->s_root = NULL;
	root->i_nlink = 0;
	iput(root); /* frees the super block with its last inode (sb_inode_gone) */
}

/* An inode of sb was freed: a dead super block goes with its last one. */
void sb_inode_gone(struct super_block *sb)
{
	if (sb->s_dead && !sb->s_nr_inodes) {
		free_anon_bdev(sb->s_dev);
		kfree(sb);
	}
}
