/* execelf: issue 15, item 7 (execve): which hand-made ELF files Linux 6.1's binfmt_elf runs, which
 * it refuses with an error returned to the caller (before the point of no return), and which
 * kill the new image with SIGSEGV (after it: load_elf_binary's errors once begin_new_exec ran).
 *
 * Each case writes /tmp/execelf.N (mode 0755): a minimal valid static ELF64 executable (one
 * PT_LOAD of the whole file at 0x400000, code `exit(42)`) with one field changed, then a forked
 * child execs it and prints execve's error if it returns; the parent prints how the child ended
 * ("exited 42": the image ran). Lines say "item 7 execve".
 *
 * The "PT_INTERP:" cases give the valid image a PT_INTERP naming /tmp/execelf.interp, an
 * interpreter made of the image with one field changed (an ET_DYN at 0 by default), and put the
 * program's own entry on a ud2: "exited 42" means the interpreter ran, "signal 11" that its
 * loading failed after the point of no return (load_elf_interp), ELIBBAD that its header or
 * program headers were refused before it.
 *
 * Not covered: an i386 (ELFCLASS32, EM_386) executable, which Debian's Linux runs through
 * compat_binfmt_elf (IA32_EMULATION); Warden has no 32-bit mode and refuses it with ENOEXEC.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>

#include "common.h"

#define BASE 0x400000UL
#define PHOFF 64
#define MAXPH 80
#define CODEOFF (PHOFF + MAXPH * 56) /* 4544: the code, after room for MAXPH headers */
#define FILESZ (CODEOFF + 16)

struct ehdr {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* errname(), and ELIBBAD (not in common.h's table). */
static const char *ename(long r)
{
	return r == -ELIBBAD ? "ELIBBAD" : errname((int)-r);
}

static unsigned char img[FILESZ];
static long img_len;

static struct ehdr *eh(void)
{
	return (struct ehdr *)img;
}

static struct phdr *ph(int i)
{
	return (struct phdr *)(img + PHOFF + i * 56);
}

/* The valid image: one R+X PT_LOAD of the whole file, entry at the code. */
static void build(void)
{
	static const unsigned char code[] = {
		0xbf, 42, 0, 0, 0, /* mov $42, %edi */
		0xb8, 60, 0, 0, 0, /* mov $60, %eax (exit) */
		0x0f, 0x05, /* syscall */
		0x0f, 0x0b, /* ud2 */
	};
	memset(img, 0, sizeof(img));
	memcpy(eh()->ident, "\177ELF\2\1\1", 7);
	eh()->type = 2; /* ET_EXEC */
	eh()->machine = 62; /* EM_X86_64 */
	eh()->version = 1;
	eh()->entry = BASE + CODEOFF;
	eh()->phoff = PHOFF;
	eh()->ehsize = 64;
	eh()->phentsize = 56;
	eh()->phnum = 1;
	eh()->shentsize = 64;
	*ph(0) = (struct phdr){ .type = 1, .flags = 5, .offset = 0, .vaddr = BASE, .paddr = BASE,
				.filesz = FILESZ, .memsz = FILESZ, .align = 0x1000 };
	memcpy(img + CODEOFF, code, sizeof(code));
	img_len = FILESZ;
}

/* Writes the image to path, mode 0755. */
static void write_image(const char *path)
{
	sys1(SYS_unlink, (long)path);
	long fd = sys3(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (sys3(SYS_write, fd, (long)img, img_len) != img_len)
		printf("write %s failed\n", path);
	sys1(SYS_close, fd);
	fd = sys3(SYS_open, (long)"/tmp/execelf.long", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	sys3(SYS_write, fd, (long)img, 100); /* zeros */
	sys1(SYS_close, fd);
}

/* Writes the current image, execs it in a child and prints the outcome. */
static void run(const char *what)
{
	static int n;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/execelf.%d", n++);
	write_image(path);
	printf("item 7 execve: %s: ", what);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { path, NULL };
		char *envp[] = { NULL };
		long r = sys3(SYS_execve, (long)path, (long)argv, (long)envp);
		printf("execve returned %s, ", is_err(r) ? ename(r) : "0");
		fflush(stdout);
		_exit(0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st))
		printf("killed by signal %d\n", WTERMSIG(st));
	else
		printf("exited %d\n", WEXITSTATUS(st));
	sys1(SYS_unlink, (long)path);
	build();
}

/* Writes the current image to path (mode 0755) as an interpreter for the next cases. */
static void save_interp(const char *path)
{
	sys1(SYS_unlink, (long)path);
	long fd = sys3(SYS_open, (long)path, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	if (sys3(SYS_write, fd, (long)img, img_len) != img_len)
		printf("write %s failed\n", path);
	sys1(SYS_close, fd);
}

/*
 * The current image becomes /tmp/execelf.interp; the program run is the valid image (ET_DYN
 * at 0 when pie) with a PT_INTERP naming it and its entry on the ud2 (SIGILL if the program's
 * own entry ran): "exited 42" means the interpreter ran.
 */
static void run_interp(const char *what, int pie)
{
	static const char name[] = "/tmp/execelf.interp";
	save_interp(name);
	build();
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 64, .filesz = sizeof(name) };
	memcpy(img + CODEOFF - 64, name, sizeof(name));
	eh()->entry = BASE + CODEOFF + 12;
	if (pie) {
		eh()->type = 3;
		ph(0)->vaddr = ph(0)->paddr = 0;
		eh()->entry = CODEOFF + 12;
	}
	run(what);
	sys1(SYS_unlink, (long)name);
}

/* The valid image made an ET_DYN at address 0 (an interpreter like ld.so). */
static void build_dyn(void)
{
	build();
	eh()->type = 3;
	ph(0)->vaddr = ph(0)->paddr = 0;
	eh()->entry = CODEOFF;
}

/* Dynamically linked programs: the interpreter's checks before and after the point of no return. */
static void interp_cases(void)
{
	build_dyn();
	run_interp("PT_INTERP: ET_DYN interpreter, one R+X PT_LOAD", 0);
	build_dyn();
	ph(0)->flags = 7;
	ph(0)->memsz = FILESZ + 0x3000;
	run_interp("PT_INTERP: ET_DYN interpreter, RWX PT_LOAD with bss", 0);
	build_dyn();
	ph(0)->flags = 7;
	run_interp("PT_INTERP: ET_DYN interpreter, RWX PT_LOAD", 0);
	build_dyn();
	ph(0)->flags = 7;
	run_interp("PT_INTERP: ET_DYN program (PIE), ET_DYN RWX interpreter", 1);
	build();
	ph(0)->flags = 7;
	run_interp("PT_INTERP: ET_EXEC interpreter at the program's address", 0);
	build_dyn();
	ph(0)->flags = 7;
	eh()->type = 1;
	run_interp("PT_INTERP: interpreter e_type ET_REL", 0);
	build_dyn();
	eh()->machine = 183;
	run_interp("PT_INTERP: interpreter e_machine EM_AARCH64", 0);
	build_dyn();
	eh()->phnum = 0;
	run_interp("PT_INTERP: interpreter e_phnum 0", 0);
	build_dyn();
	eh()->phentsize = 32;
	run_interp("PT_INTERP: interpreter e_phentsize 32", 0);
	build_dyn();
	eh()->phoff = 1UL << 40;
	run_interp("PT_INTERP: interpreter e_phoff 2^40", 0);
	build_dyn();
	eh()->phnum = 100;
	run_interp("PT_INTERP: interpreter e_phnum 100 (past its file)", 0);
	build_dyn();
	ph(0)->type = 4;
	run_interp("PT_INTERP: interpreter without a PT_LOAD", 0);
	build_dyn();
	ph(0)->flags = 7;
	ph(0)->offset = 1;
	ph(0)->filesz = ph(0)->memsz = FILESZ - 1;
	run_interp("PT_INTERP: interpreter PT_LOAD p_offset 1", 0);
	build_dyn();
	ph(0)->flags = 7;
	ph(0)->memsz = 1UL << 47;
	run_interp("PT_INTERP: interpreter PT_LOAD p_memsz 2^47", 0);
	build_dyn();
	ph(0)->flags = 7;
	ph(0)->memsz = 16;
	run_interp("PT_INTERP: interpreter PT_LOAD p_filesz > p_memsz", 0);
	build_dyn();
	ph(0)->flags = 7;
	eh()->entry = 1UL << 47;
	run_interp("PT_INTERP: interpreter e_entry 2^47", 0);
	build_dyn();
	ph(0)->flags = 7;
	ph(0)->vaddr = 0x7ffffffff000UL - 0x1000;
	run_interp("PT_INTERP: interpreter PT_LOAD at TASK_SIZE - 4096", 0);
	build_dyn();
	/* R+X: a writable first PT_LOAD would charge the whole 256 MiB reservation to the commit
	 * limit, which vm.overcommit_memory 0 refuses on a machine with less RAM than that */
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 1, .flags = 4, .offset = 0, .vaddr = 0x10000000,
				.filesz = 0x1000, .memsz = 0x1000, .align = 0x1000 };
	run_interp("PT_INTERP: interpreter PT_LOADs 256 MiB apart", 0);
	build_dyn();
	ph(0)->flags = 7;
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 1, .flags = 4, .offset = 0, .vaddr = 0x1000UL << 36,
				.filesz = 0x1000, .memsz = 0x1000, .align = 0x1000 };
	run_interp("PT_INTERP: interpreter PT_LOADs 2^48 apart", 0);
	build_dyn();
	ph(0)->flags = 7;
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 16, .filesz = 14 };
	memcpy(img + CODEOFF - 16, "/nonexistent/", 14);
	run_interp("PT_INTERP: interpreter with a PT_INTERP of its own (missing)", 0);
	img_len = 64;
	run_interp("PT_INTERP: interpreter of 64 bytes (its header only)", 0);
	build();
}

int main(void)
{
	ensure_tmp();
	long fd = sys3(SYS_open, (long)"/tmp/execelf", O_CREAT | O_WRONLY | O_TRUNC, 0755);
	sys3(SYS_write, fd, (long)"#!/bin/sh\n", 10);
	sys1(SYS_close, fd);
	build();
	run("the valid image");

	/* e_ident, e_type, e_machine: what load_elf_binary checks first */
	img[0] = 0x7e;
	run("e_ident[0] 0x7e (not \\177ELF)");
	img[3] = 'e';
	run("e_ident \"\\177ELf\"");
	img[4] = 1;
	run("e_ident[EI_CLASS] ELFCLASS32 (64-bit layout, EM_X86_64)");
	img[4] = 0;
	run("e_ident[EI_CLASS] ELFCLASSNONE");
	img[5] = 2;
	run("e_ident[EI_DATA] ELFDATA2MSB (fields still little-endian)");
	img[6] = 0;
	run("e_ident[EI_VERSION] 0");
	img[7] = 3;
	run("e_ident[EI_OSABI] 3");
	eh()->version = 0;
	run("e_version 0");
	eh()->type = 1;
	run("e_type ET_REL");
	eh()->type = 4;
	run("e_type ET_CORE");
	eh()->type = 0;
	run("e_type ET_NONE");
	eh()->machine = 3;
	run("e_machine EM_386 (64-bit layout)");
	eh()->machine = 183;
	run("e_machine EM_AARCH64");
	eh()->ehsize = 0;
	eh()->shentsize = 0;
	eh()->shnum = 7;
	run("e_ehsize 0, e_shentsize 0, e_shnum 7");

	/* load_elf_phdrs: e_phentsize, e_phnum (at most 4096 bytes of headers), e_phoff */
	eh()->phentsize = 32;
	run("e_phentsize 32");
	eh()->phentsize = 64;
	run("e_phentsize 64");
	eh()->phnum = 0;
	run("e_phnum 0");
	for (int n = 64; n <= 75; n++) {
		char what[64];
		eh()->phnum = (uint16_t)n;
		/* PT_NULL headers after the PT_LOAD (a PT_NOTE as the last one) */
		ph(n - 1)->type = 4;
		snprintf(what, sizeof(what), "e_phnum %d (%d bytes of headers)", n, n * 56);
		run(what);
	}
	eh()->phnum = 0xffff;
	run("e_phnum 65535");
	eh()->phoff = FILESZ - 28;
	run("e_phoff: the header runs past the end of the file");
	eh()->phoff = 1UL << 40;
	run("e_phoff 2^40");
	img_len = 40;
	run("the file ends inside the ELF header (40 bytes)");
	img_len = 0;
	run("an empty file");

	/* PT_INTERP, before the point of no return */
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF + 14, .filesz = 1 };
	run("PT_INTERP p_filesz 1");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF + 14, .filesz = 4097 };
	run("PT_INTERP p_filesz 4097");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 16, .filesz = 2 };
	memcpy(img + CODEOFF - 16, "/x", 2);
	run("PT_INTERP \"/x\" without a NUL");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 16, .filesz = 14 };
	memcpy(img + CODEOFF - 16, "/nonexistent/", 14);
	run("PT_INTERP \"/nonexistent/\" (missing)");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 16, .filesz = 5 };
	memcpy(img + CODEOFF - 16, "/tmp", 5);
	run("PT_INTERP \"/tmp\" (a directory)");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 16, .filesz = 13 };
	memcpy(img + CODEOFF - 16, "/tmp/execelf", 13);
	run("PT_INTERP \"/tmp/execelf\" (mode 0755, not ELF, 10 bytes)");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = CODEOFF - 32, .filesz = 18 };
	memcpy(img + CODEOFF - 32, "/tmp/execelf.long", 18);
	run("PT_INTERP \"/tmp/execelf.long\" (mode 0755, not ELF, 100 bytes)");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 3, .offset = FILESZ, .filesz = 8 };
	run("PT_INTERP past the end of the file");
	interp_cases();

	/* PT_LOAD: checked after the point of no return (SIGSEGV), or not at all */
	ph(0)->memsz = 16;
	run("PT_LOAD p_filesz > p_memsz");
	ph(0)->offset = 1;
	ph(0)->filesz = ph(0)->memsz = FILESZ - 1;
	run("PT_LOAD p_offset 1, p_vaddr page-aligned");
	ph(0)->vaddr = ph(0)->paddr = 0xffff800000000000UL;
	eh()->entry = 0xffff800000000000UL + CODEOFF;
	run("PT_LOAD p_vaddr in the kernel half");
	ph(0)->vaddr = 0x7ffffffff000UL - 0x2000;
	eh()->entry = ph(0)->vaddr + CODEOFF;
	ph(0)->memsz = 0x10000;
	run("PT_LOAD p_vaddr + p_memsz above TASK_SIZE");
	ph(0)->memsz = 1UL << 47;
	run("PT_LOAD p_memsz 2^47 (bss cannot be mapped)");
	ph(0)->memsz = -4096UL;
	run("PT_LOAD p_memsz -4096");
	ph(0)->flags = 0;
	run("PT_LOAD p_flags 0 (no PF_X)");
	ph(0)->flags = 4;
	run("PT_LOAD p_flags PF_R");
	ph(0)->flags = 7;
	ph(0)->memsz = FILESZ + 0x3000;
	run("PT_LOAD p_flags RWX, p_memsz > p_filesz (bss)");
	ph(0)->filesz = 0;
	run("PT_LOAD p_filesz 0 (the entry in anonymous memory)");
	eh()->entry = 0;
	run("e_entry 0");
	eh()->entry = 0xffff800000001000UL;
	run("e_entry in the kernel half");
	eh()->entry = 0x800000000000UL;
	run("e_entry TASK_SIZE + 4096");
	eh()->phnum = 2;
	ph(1)->type = 1;
	ph(1)->flags = 5;
	ph(1)->offset = 0x10000;
	ph(1)->vaddr = BASE + 0x10000;
	ph(1)->filesz = ph(1)->memsz = 0x1000;
	eh()->entry = BASE + 0x10000;
	run("a second PT_LOAD past the end of the file, the entry in it");
	eh()->phnum = 2;
	*ph(1) = *ph(0);
	ph(1)->flags = 6;
	run("two identical PT_LOADs (the second RW: overlapping)");
	eh()->phnum = 2;
	*ph(1) = *ph(0);
	ph(1)->vaddr = BASE + 0x2000;
	run("two PT_LOADs of the same file range at two addresses");
	eh()->phnum = 2;
	*ph(1) = (struct phdr){ .type = 0x6474e551, .flags = 7 };
	run("PT_GNU_STACK RWX");
	sys1(SYS_unlink, (long)"/tmp/execelf");
	sys1(SYS_unlink, (long)"/tmp/execelf.long");
	eh()->type = 3;
	run("e_type ET_DYN (static PIE without relocations)");
	eh()->type = 3;
	ph(0)->vaddr = ph(0)->paddr = 0;
	eh()->entry = CODEOFF;
	run("e_type ET_DYN at address 0");
	return 0;
}
