#!/usr/bin/env bash
# tools/deps.sh [EXTRA-PACKAGE...]
# Installs the Debian packages Warden needs to build and test, if any are missing, and says so.
# Does nothing (and prints nothing) when everything is there. `make run`, `make test` and
# `make gdb` call it first; it is the only place that installs anything.
set -euo pipefail

packages=(
	gcc make binutils         # compiler (used freestanding), linker
	nasm                      # boot and entry assembly
	grub-pc-bin grub-common   # grub-mkrescue and GRUB's BIOS modules
	xorriso mtools            # ISO image creation for grub-mkrescue
	qemu-system-x86           # the machine Warden runs on
	musl-tools                # musl-gcc: static Linux user programs
	cpio                      # initramfs archives for tools/run-program and the ISO
	busybox-static            # the ISO's shell (docs/userland.md) and the busybox suite
	libc6-dev                 # glibc's static libc.a: the glibc builds of the pkeys selftest
	xz-utils                  # tools/kselftest unpacks linux-source-6.1's .tar.xz
	libcap-dev                # static libcap.a: selftests/vm's mlock-random-test (tools/kselftest-vm)
	"$@"
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps: missing Debian packages: ${missing[*]}"
echo "deps: running apt-get update"
$sudo apt-get update -qq
echo "deps: running apt-get install ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
	>/tmp/warden-deps.log 2>&1 || { cat /tmp/warden-deps.log >&2; exit 1; }
echo "deps: installed ${missing[*]}"
