// SPDX-License-Identifier: MIT
/*
 * `#!` scripts (Linux 6.1's binfmt_script). The first line names an interpreter and at most one
 * argument, read from the file's first BINPRM_BUF_SIZE bytes: spaces and tabs separate them
 * (the argument is the rest of the line, trailing blanks dropped), a NUL ends the name. Without
 * a newline in those bytes the line is cut at the buffer's end: a cut argument is fine, a cut
 * interpreter name is ENOEXEC. argv becomes { interpreter, [argument,] the script's filename,
 * argv[1..] }; AT_EXECFN stays the script's name, /proc/self/exe is the interpreter.
 */
#include "kernel/binfmts.h"
#include "kernel/errno.h"
#include "kernel/err.h"
#include "kernel/string.h"
#include "fs/vfs.h"

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* The first byte of [first, last] that is not a space or tab, or NULL. */
static char *next_non_spacetab(char *first, char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

/* The first space, tab or NUL of [first, last], or NULL. */
static char *next_terminator(char *first, char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/*
 * Finds the end of the interpreter line (its newline, or the buffer's last byte when the
 * interpreter name is followed by a blank or NUL within the buffer): NULL when the name may be
 * cut off, or the buffer holds only blanks.
 */
static char *script_line_end(char *buf)
{
	char *buf_end = buf + BINPRM_BUF_SIZE - 1;
	char *end;

	for (end = buf; end <= buf_end; end++)
		if (*end == '\n')
			return end;
	end = next_non_spacetab(buf + 2, buf_end);
	if (!end || !next_terminator(end, buf_end))
		return NULL;
	return buf_end;
}

int load_script(struct linux_binprm *bprm)
{
	char *buf = bprm->buf, *i_end, *i_name, *i_sep, *i_arg = NULL;

	if (buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	i_end = script_line_end(buf);
	if (!i_end)
		return -ENOEXEC;
	while (spacetab(i_end[-1]))
		i_end--;
	i_name = next_non_spacetab(buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC; /* no interpreter name */
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep)
		i_arg = next_non_spacetab(i_sep, i_end);
	/* The interpreter could not open a /dev/fd name of a descriptor closed by execve. */
	if (bprm->path_inaccessible)
		return -ENOENT;

	/* argv[0] gives way to: interpreter, [argument,] the script's name (pushed in reverse) */
	remove_arg_zero(bprm);
	int err = copy_string_kernel(bprm->interp, bprm);
	if (err)
		return err;
	bprm->argc++;
	*i_end = '\0';
	if (i_arg) {
		*i_sep = '\0';
		err = copy_string_kernel(i_arg, bprm);
		if (err)
			return err;
		bprm->argc++;
	}
	err = copy_string_kernel(i_name, bprm);
	if (err)
		return err;
	bprm->argc++;
	/* bprm_change_interp: a copy, bprm->buf is read again for the interpreter */
	strlcpy(bprm->interp_name, i_name, sizeof(bprm->interp_name));
	bprm->interp = bprm->interp_name;

	struct file *file = open_exec(i_name);
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	bprm->interpreter = file;
	return 0;
}
