# Warden build. `make run` boots the ISO; `make test` runs every test. Both install missing
# Debian packages first (tools/deps.sh). See README.md.

CPU ?= max
SMP ?= 1
MEM ?= 256M
ACCEL ?= tcg

BUILD := build
CC := gcc
LD := ld
NASM := nasm

# The kernel is a freestanding x86_64-elf program: no host headers, libraries or start files.
KCFLAGS := -std=gnu11 -m64 -march=x86-64 -O2 -g \
	-ffreestanding -nostdlib -nostdinc -fno-builtin -fno-pic -fno-pie \
	-mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none \
	-fno-common -fno-strict-aliasing -fno-delete-null-pointer-checks \
	-Wall -Wextra -Werror -Wmissing-prototypes -Wstrict-prototypes -Wshadow=local \
	-I. -MMD -MP
KLDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z noexecstack --no-dynamic-linker \
	--build-id=none -T linker.ld
NASMFLAGS := -f elf64 -I. -w+all

KERNEL_C := $(wildcard kernel/*.c mm/*.c fs/*.c ipc/*.c net/*.c arch/x86_64/*.c drivers/tty/*.c drivers/acpi/*.c \
	tests/kernel/*.c)
KERNEL_ASM := $(wildcard boot/*.asm arch/x86_64/*.asm)
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.asm,$(BUILD)/%.o,$(KERNEL_ASM))

# Generic code that also builds on the host, for unit tests under ASan and UBSan.
HOST_GENERIC := kernel/vsprintf.c kernel/cmdline.c mm/memblock.c mm/frame.c mm/slab.c mm/poison.c \
	mm/vma_tree.c mm/vma.c mm/mmap.c mm/mprotect.c mm/mremap.c mm/pkeys.c mm/vm_limits.c mm/mlock.c mm/memfd.c mm/min_addr.c mm/overcommit.c \
	drivers/acpi/tables.c drivers/acpi/sleep.c arch/x86_64/mpparse.c $(wildcard fs/*.c)
HOST_TESTS := $(wildcard tests/host/*.c)
HOST_CFLAGS := -std=gnu11 -g -O1 -DWARDEN_HOST -I. -Wall -Wextra -Werror -Wno-format-truncation \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP

# V=1 shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif

KERNEL := $(BUILD)/warden.elf

# User programs: ordinary static Linux programs, the same binaries on Linux and on Warden.
USER_CC := musl-gcc
USER_CFLAGS := -static -O2 -Wall -Wextra -Werror
USER_PROGS := $(patsubst user/%.c,$(BUILD)/user/%,$(wildcard user/*.c))
ISO := $(BUILD)/warden.iso

.PHONY: all kernel iso run test test-kvm selftest gdb deps clean format check-format user oracle bench bench-threads bench-vma bench-signal bench-pkeys bench-trace bench-smp kselftest ltp fuzz fuzz-host
all: $(KERNEL) $(ISO)
kernel: $(KERNEL)
iso: $(ISO)

deps:
	@tools/deps.sh

$(BUILD)/layout.inc: arch/x86_64/layout.h
	@mkdir -p $(@D)
	$(Q)sed -n 's/^#define \([A-Z0-9_]*\) \(0x[0-9a-fA-F]*\|[0-9]*\)$$/%define \1 \2/p' $< > $@

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.o: %.asm $(BUILD)/layout.inc Makefile
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(NASM) $(NASMFLAGS) -MD $(@:.o=.d) -MP $< -o $@

# Two links: the first, with an empty symbol table, gives the addresses for the real table.
# The table sits at the end of .rodata, so the second link moves no code; the check proves it.
$(KERNEL): $(KERNEL_OBJS) linker.ld tools/mksyms.sh
	@echo "  LD      $@"
	$(Q)tools/mksyms.sh > $(BUILD)/ksyms0.S
	$(Q)$(CC) -c $(BUILD)/ksyms0.S -o $(BUILD)/ksyms0.o
	$(Q)$(LD) $(KLDFLAGS) -o $(BUILD)/warden.pass1.elf $(KERNEL_OBJS) $(BUILD)/ksyms0.o
	$(Q)tools/mksyms.sh $(BUILD)/warden.pass1.elf > $(BUILD)/ksyms.S
	$(Q)$(CC) -c $(BUILD)/ksyms.S -o $(BUILD)/ksyms.o
	$(Q)$(LD) $(KLDFLAGS) -o $@.tmp $(KERNEL_OBJS) $(BUILD)/ksyms.o
	$(Q)tools/mksyms.sh $@.tmp | cmp -s - $(BUILD)/ksyms.S || \
		{ echo "ksyms: symbol addresses moved between links" >&2; exit 1; }
	$(Q)mv $@.tmp $@

# PID 1 of the ISO's userland (docs/userland.md): a static musl program of Warden's own.
$(BUILD)/userland/init: userland/init.c Makefile
	@mkdir -p $(@D)
	@echo "  USERCC  $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) $< -o $@

# The initramfs of the ISO: init, Debian's static busybox and its applets, the labs on PATH, the
# other user programs in /usr/lib/warden/tests, /etc (tools/mkinitramfs, docs/userland.md).
BUSYBOX ?= /bin/busybox
$(BUILD)/initramfs.cpio: $(BUILD)/userland/init $(USER_PROGS) $(wildcard userland/etc/*) \
		tools/mkinitramfs $(BUSYBOX)
	@echo "  CPIO    $@"
	$(Q)tools/mkinitramfs $@ $(BUILD)/userland/init $(BUSYBOX) $(USER_PROGS)

$(ISO): $(KERNEL) boot/grub.cfg $(BUILD)/initramfs.cpio
	@echo "  ISO     $@"
	@mkdir -p $(BUILD)/isodir/boot/grub
	$(Q)cp $(KERNEL) $(BUILD)/isodir/boot/warden.elf
	$(Q)cp $(BUILD)/initramfs.cpio $(BUILD)/isodir/boot/initramfs.cpio
	$(Q)cp boot/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(BUILD)/isodir 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log >&2; exit 1; }

$(BUILD)/user/%: user/%.c $(wildcard user/*.h) Makefile
	@mkdir -p $(@D)
	@echo "  USERCC  $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) $< -o $@

user: $(USER_PROGS)

# The busybox suite's launcher (tests/busybox/README.md): Debian's static busybox and every
# tests/busybox/scripts/NAME.sh embedded in one static program.
BUSYBOX_SCRIPTS := $(wildcard tests/busybox/scripts/*.sh)
$(BUILD)/busybox/launch: tests/busybox/launch.c tests/launch_files.h tests/busybox/mkblobs.sh $(BUSYBOX_SCRIPTS) Makefile
	@mkdir -p $(@D)
	@echo "  USERCC  $@"
	$(Q)sh tests/busybox/mkblobs.sh $(BUSYBOX) $(BUSYBOX_SCRIPTS) > $(BUILD)/busybox/blobs.S
	$(Q)$(USER_CC) $(USER_CFLAGS) tests/busybox/launch.c $(BUILD)/busybox/blobs.S -o $@

# The dynamic suite's launcher (tests/dynamic/README.md): Debian's ld.so, the libraries and
# dynamically linked programs of this machine, and tests/dynamic/dynmaps (plain gcc), embedded
# in one static program.
DYN_LIBDIR := /lib/x86_64-linux-gnu
DYN_FILES := /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2=$(DYN_LIBDIR)/ld-linux-x86-64.so.2 \
	/usr/lib/x86_64-linux-gnu/libc.so.6=$(DYN_LIBDIR)/libc.so.6 \
	/usr/lib/x86_64-linux-gnu/libselinux.so.1=$(DYN_LIBDIR)/libselinux.so.1 \
	/usr/lib/x86_64-linux-gnu/libpcre2-8.so.0=$(DYN_LIBDIR)/libpcre2-8.so.0 \
	/usr/bin/ls=/bin/ls /usr/bin/cat=/bin/cat /usr/bin/env=/usr/bin/env \
	/usr/bin/echo=/bin/echo /usr/bin/seq=/usr/bin/seq /usr/bin/true=/bin/true \
	/usr/bin/false=/bin/false /usr/bin/dynmaps=$(BUILD)/dynamic/dynmaps \
	/usr/bin/dynmaps-static-pie=$(BUILD)/dynamic/dynmaps-static-pie \
	/usr/bin/dyndl=$(BUILD)/dynamic/dyndl /usr/lib/x86_64-linux-gnu/libm.so.6=$(DYN_LIBDIR)/libm.so.6 \
	/usr/bin/dash=/bin/dash
$(BUILD)/dynamic/dynmaps: tests/dynamic/dynmaps.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)gcc -O2 -Wall -Wextra -Werror $< -o $@
$(BUILD)/dynamic/dyndl: tests/dynamic/dyndl.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)gcc -O2 -Wall -Wextra -Werror $< -o $@
$(BUILD)/dynamic/dynmaps-static-pie: tests/dynamic/dynmaps.c Makefile
	@mkdir -p $(@D)
	@echo "  CC      $@"
	$(Q)gcc -static-pie -O2 -Wall -Wextra -Werror $< -o $@
$(BUILD)/dynamic/launch: tests/dynamic/launch.c tests/launch_files.h tests/dynamic/mkblobs.sh $(BUILD)/dynamic/dynmaps \
		$(BUILD)/dynamic/dynmaps-static-pie $(BUILD)/dynamic/dyndl Makefile
	@mkdir -p $(@D)
	@echo "  USERCC  $@"
	$(Q)sh tests/dynamic/mkblobs.sh $(DYN_FILES) > $(BUILD)/dynamic/blobs.S
	$(Q)$(USER_CC) $(USER_CFLAGS) tests/dynamic/launch.c $(BUILD)/dynamic/blobs.S -o $@

# The benchmark of issue 9: every memory-protection operation and its scaling, Warden beside
# Linux with the ratio, in guest instructions (QEMU -icount). See tools/bench and bench/bench.c.
bench: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench

# A benchmark: pthread_create + join, futex wakes with and without a waiter, faults in a process of
# 1 and 4 threads, on Warden and on Linux in guest instructions. See bench/threads.c.
bench-threads: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench threads

# A benchmark: the SMP figures (mprotect of one page and munmap of 512 pages in a process whose 4
# threads run on 4 CPUs, a fault taken by 4 threads at once, pthread_create + join), Warden beside
# Linux, both with -smp 4, in guest instructions and in wall-clock time. See tools/bench-smp.
bench-smp: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench-smp

# A benchmark, not a test: VMA operations at 100 and 60 000 VMAs on Warden and on Linux, in guest
# instructions (QEMU -icount). See tools/bench-vma.
bench-vma: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench-vma

# A benchmark: write fault -> SIGSEGV handler -> mprotect -> sigreturn -> retried write, on Warden
# and on Linux, in guest instructions (QEMU -icount). See tools/bench-signal.
bench-signal: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench-signal

# A benchmark: protection keys (a PKUERR fault round trip, ...) on Warden and on Linux, in guest
# instructions (QEMU -icount). See tools/bench-pkeys and bench/pkeys.c.
bench-pkeys: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench-pkeys

# The cost of tracing and of the W^X policy on mprotect, in guest instructions (QEMU -icount).
# See tools/bench-trace and bench/trace.c.
bench-trace: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/bench-trace

# The syscall-fuzzing campaign: N fuzzed calls (default 10^6) for each SEED, under debug_vm.
# E.g. make fuzz SEED="1 2 3" N=100000, or SEED=1..10 (a range). See tools/fuzz and docs/testing.md.
fuzz: deps
	@$(MAKE) --no-print-directory $(KERNEL) $(BUILD)/user/fuzz
	@tools/fuzz "$(or $(SEED),1)" "$(or $(N),1000000)"

# Records what Linux prints for every user program (tests/user/expected/), see tools/oracle.
oracle: deps $(USER_PROGS)
	tools/oracle

$(BUILD)/host/%.o: %.c Makefile
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(BUILD)/host/unittests: $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_GENERIC) $(HOST_TESTS))
	@echo "  HOSTLD  $@"
	$(Q)$(CC) $(HOST_CFLAGS) $^ -o $@ -lm

# The differential mm fuzzer under libFuzzer (clang): tests/fuzz/mm_diff_fuzz.c with the generic
# code and tests/host/mm_diff.c. make fuzz-host [FUZZ_SECONDS=600]; its corpus is kept in
# build/fuzz/corpus, crashes in build/fuzz/. The ACPI tables code is not the fuzzer's business.
FUZZ_SECONDS ?= 600
FUZZ_SRCS := $(filter-out drivers/acpi/%,$(HOST_GENERIC)) tests/host/shim.c tests/host/mm_shim.c tests/host/test_fs_shim.c \
	tests/host/mm_diff.c tests/fuzz/mm_diff_fuzz.c
$(BUILD)/fuzz/mm_diff_fuzz: $(FUZZ_SRCS) $(wildcard tests/host/*.h mm/*.h kernel/*.h fs/*.h) Makefile
	@mkdir -p $(@D)
	@echo "  CLANG   $@"
	$(Q)clang -std=gnu11 -g -O1 -DWARDEN_HOST -I. -Wall -Wextra -Werror -Wno-format-truncation \
		-Wno-unknown-warning-option -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(FUZZ_SRCS) -o $@ -lm

fuzz-host:
	@tools/deps.sh clang libclang-rt-14-dev
	@$(MAKE) --no-print-directory $(BUILD)/fuzz/mm_diff_fuzz
	@mkdir -p $(BUILD)/fuzz/corpus
	cd $(BUILD)/fuzz && ./mm_diff_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=1600 \
		-print_final_stats=1 corpus

# Boots the ISO into the shell (docs/userland.md). Without -no-reboot: `reboot` restarts the
# machine (GRUB, then the shell again); `poweroff` ends QEMU with status 0, which is make's.
run: deps
	@$(MAKE) --no-print-directory all
	@echo "Booting $(ISO) (QEMU -cpu $(CPU), -smp $(SMP), $(MEM)); quit with Ctrl-A X"
	@qemu-system-x86_64 -accel $(ACCEL) -cpu $(CPU) -smp $(SMP) -m $(MEM) -cdrom $(ISO) -boot d \
		-display none -serial mon:stdio \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04; s=$$?; \
	[ $$s = 0 ] || echo "run: QEMU exited with status $$s"; exit $$s

test: deps
	@$(MAKE) --no-print-directory all $(BUILD)/host/unittests $(USER_PROGS) $(BUILD)/busybox/launch $(BUILD)/dynamic/launch
	@CPU=$(CPU) MEM=$(MEM) ACCEL=$(ACCEL) tools/runtests

# The KVM suite alone (tools/runtests kvm; docs/testing.md, "KVM"): a few programs and self-tests
# under ACCEL=kvm; a SKIP where /dev/kvm cannot be used or cannot run Warden.
test-kvm: deps
	@$(MAKE) --no-print-directory all $(USER_PROGS)
	@tools/runtests kvm

# Linux 6.1's pkeys selftest (protection_keys, glibc and musl, pristine and wrapped) on Warden
# with -cpu qemu64 and max, compared with Linux's recordings; every run, known failures included;
# then ten of its selftests/vm compared with Linux's recorded verdicts (tools/kselftest-vm).
# Downloads linux-source-6.1 once (apt-get download). See tools/kselftest.
kselftest: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/kselftest; s=$$?; tools/kselftest-vm && exit $$s

# The Linux Test Project's syscall tests (tests/ltp/tests) on Warden beside Linux 6.1's recorded
# verdicts: builds LTP from the pristine tarball in ../shared/ltp once (build/ltp), runs every
# test, known differences included. See tools/ltp and docs/testing.md.
ltp: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/ltp

# Boots the kernel with a command line of self-tests and shows the verdict, e.g.
#   make selftest TEST=all SEED=7    or    make selftest TEST=crash_null_deref
TEST ?= all
SEED ?= 1
selftest: deps
	@$(MAKE) --no-print-directory $(KERNEL)
	@tools/boot test=$(TEST) seed=$(SEED); s=$$?; \
	case $$s in 33) echo "selftest: PASS";; 35) echo "selftest: FAIL";; 37) echo "selftest: PANIC";; \
	124) echo "selftest: TIMEOUT";; *) echo "selftest: QEMU status $$s";; esac; [ $$s = 33 ]

gdb: deps
	@tools/deps.sh gdb
	@$(MAKE) --no-print-directory $(KERNEL)
	@echo "QEMU waits for gdb on :1234 (kernel command line: $(APPEND))"
	qemu-system-x86_64 -accel $(ACCEL) -cpu $(CPU) -m $(MEM) -kernel $(KERNEL) \
		-append "$(APPEND)" -display none -serial file:$(BUILD)/gdb-serial.log -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -s -S & \
	gdb -q -x tools/gdbinit; kill %1 2>/dev/null; true

# The kernel, its host and in-kernel tests: clang-format's Linux style (.clang-format). The user
# programs and benchmarks keep their own 4-space style; kernel/syscall_nr.h is generated; the
# kselftest shim is a copy of the shared one.
FORMAT_FILES = $$(git ls-files '*.c' '*.h' | grep -v -e '^user/' -e '^bench/' -e '^tests/fuzz/' \
	-e '^tests/kselftest/' -e 'kernel/syscall_nr.h')

format:
	clang-format -i $(FORMAT_FILES)

check-format:
	clang-format --dry-run -Werror $(FORMAT_FILES)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
