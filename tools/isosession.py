# tools/isosession.py: the ISO's console typed on as a person would, for tools/shell-session and
# tools/login-session (docs/userland.md, docs/testing.md).
#
# A Session runs `make run` (the real ISO through GRUB, CPU/MEM/ACCEL from the environment) on a
# pseudo-terminal, answers the cursor-position queries of busybox's line editing as a terminal
# does, types keys one at a time and waits, always with a time limit, for what the screen should
# show. Each check is recorded as an `ok`/`FAIL` verdict; finish() ends QEMU if it still runs,
# writes the raw bytes to a log file and prints the verdicts.
import os, pty, re, select, signal, sys, time

CSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")
# A root shell's prompt (PS1 '\w \$ ': `~ # `), anyone's (`~ $ ` too), login's questions.
ROOT_PROMPT = re.compile(rb"(?:^|\n)[^\n]* # $")
ANY_PROMPT = re.compile(rb"(?:^|\n)[^\n]* [#$] $")
LOGIN_PROMPT = re.compile(rb"(?:^|\n)[^\n]* login: $")
PASSWORD_PROMPT = re.compile(rb"(?:^|\n)Password: $")


class Stop(Exception):
    """Raised when the console stopped answering: the later checks would only wait out limits."""


class Session:
    """`make run` on a pseudo-terminal: what QEMU wrote (raw), how much the checks consumed (seen),
    the verdicts (log), and QEMU's exit status once it ended."""

    def __init__(self, root, cpu, prompt=ROOT_PROMPT):
        self.root = root
        self.cpu = cpu
        self.prompt = prompt
        self.raw = b""
        self.seen = 0
        self.answered = 0
        self.exit_status = None
        self.log = []
        self.failed = 0
        env = dict(os.environ, CPU=cpu)
        env.pop("MAKEFLAGS", None)  # a make of its own, not a sub-make of make test's
        env.pop("MAKELEVEL", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(root)
            os.execvpe("make", ["make", "--no-print-directory", "run"], env)

    def check(self, ok, what):
        """Records one verdict; returns ok."""
        self.log.append(("ok   " if ok else "FAIL ") + what)
        if not ok:
            self.failed += 1
        return ok

    def need(self, got, what):
        """Stops the session when what it waited for did not come."""
        if not got:
            self.check(False, what)
            raise Stop()

    def answer_queries(self):
        """Answers each ESC [ 6 n (device status report) as a terminal does: ESC [ row ; col R."""
        while True:
            i = self.raw.find(b"\x1b[6n", self.answered)
            if i < 0:
                self.answered = max(self.answered, len(self.raw) - 3)
                return
            line = self.raw[:i].replace(b"\r\n", b"\n")
            col = len(CSI.sub(b"", line[line.rfind(b"\n") + 1:]).split(b"\r")[-1]) + 1
            os.write(self.fd, b"\x1b[24;%dR" % col)
            self.answered = i + 4

    def pump(self, timeout):
        """Reads what QEMU writes for up to timeout seconds; False when it has exited."""
        r, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not r:
            return True
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        if not data:
            _, status = os.waitpid(self.pid, 0)
            self.exit_status = os.waitstatus_to_exitcode(status)
            return False
        self.raw += data
        self.answer_queries()
        return True

    def screen(self, start=0):
        """The text from raw[start:]: line ends as \\n, escape sequences and query answers gone."""
        text = self.raw[start:].replace(b"\x1b[6n", b"")
        text = CSI.sub(b"", text).replace(b"\r\n", b"\n").replace(b"\r", b"")
        return text.decode("latin-1")

    def consume(self):
        """Marks everything shown so far as seen by the checks."""
        self.seen = len(self.raw)

    def wait_for(self, pattern, timeout, start=None):
        """Waits until the screen text from start (default: the unconsumed part) matches pattern."""
        start = self.seen if start is None else start
        deadline = time.time() + timeout
        while True:
            m = re.search(pattern, self.screen(start))
            if m:
                return m
            if self.exit_status is not None or time.time() >= deadline:
                return None
            self.pump(deadline - time.time())

    def wait_prompt(self, timeout=10, prompt=None):
        """Waits for a prompt (default: the session's) at the end of the output; True if it came."""
        prompt = prompt or self.prompt
        deadline = time.time() + timeout
        while True:
            if prompt.search(self.screen(self.seen).encode("latin-1")):
                return True
            if self.exit_status is not None or time.time() >= deadline:
                return False
            self.pump(min(deadline - time.time(), 0.2))

    def settle(self, seconds):
        """Keeps reading (and answering) for a while."""
        deadline = time.time() + seconds
        while self.exit_status is None and time.time() < deadline:
            self.pump(deadline - time.time())

    def type_keys(self, keys):
        """Types keys one at a time, as a person would."""
        for k in keys:
            os.write(self.fd, bytes([k]))
            self.settle(0.02)

    def run(self, command, timeout=10, prompt=None):
        """Types command and Enter at a prompt; returns its output lines. Stops the session when no
        prompt (default: the session's) came back."""
        start = len(self.raw)
        self.type_keys(command.encode() + b"\r")
        ok = self.wait_prompt(timeout, prompt)
        text = self.screen(start)
        self.consume()
        if not ok:
            self.check(False, "a prompt within %d s after `%s`" % (timeout, command))
            raise Stop()
        return text.split("\n")[1:-1]

    def wait_exit(self, timeout):
        """Waits up to timeout seconds for QEMU (and make run) to exit."""
        deadline = time.time() + timeout
        while self.exit_status is None and time.time() < deadline:
            self.pump(deadline - time.time())

    def finish(self, name, log_name, verbose):
        """Ends QEMU if it still runs, writes the transcript to build/LOG_NAME, prints the verdicts
        (and the screen on a failure or with verbose); returns the exit status for the script."""
        if self.exit_status is None:
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(self.pid, 0)
        with open(os.path.join(self.root, "build", log_name), "wb") as f:
            f.write(self.raw)
        if verbose or self.failed:
            sys.stdout.write(self.screen(0))
            sys.stdout.write("\n")
        for line in self.log:
            print(line)
        print("%s[%s]: %s" % (name, self.cpu, "ok" if not self.failed else
                              "%d of %d checks FAILED" % (self.failed, len(self.log))))
        return 1 if self.failed else 0


def show(lines):
    """The last lines of an output, on one line, for a verdict."""
    return "" if lines is None else " | ".join(lines[-8:])
