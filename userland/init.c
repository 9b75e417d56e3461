// SPDX-License-Identifier: MIT
/*
 * /sbin/init of the Warden ISO: PID 1 of the userland (docs/userland.md).
 *
 * It starts a login shell (busybox sh -l) in a new session whose controlling terminal is the
 * console, reaps every process that ends up as its child, and starts a new shell when the shell
 * exits. busybox's halt, poweroff and reboot ask it to end the machine with the signals of
 * busybox's own init (SIGUSR1, SIGUSR2, SIGTERM); it then stops every process and calls
 * reboot(2). SIGHUP hangs up the shell's session, after which a new shell starts.
 *
 * With the argument "login" (GRUB's "Warden (login)" entry: init=/sbin/init -- login) it runs
 * busybox's login on the console instead of a root shell, as getty would, and again after each
 * session ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SHELL "/bin/sh"
#define LOGIN "/bin/login"
#define CONSOLE "/dev/console"
#define MOTD_SHOWN "/run/motd.shown"

static volatile sig_atomic_t pending_signal;

/* Set by the argument "login": the console runs login, not a root shell. */
static int login_mode;

static char *const shell_argv[] = { "-sh", NULL };
static char *const login_argv[] = { "login", NULL };
static char *const shell_envp[] = {
	"HOME=/root",
	"PATH=/bin:/sbin:/usr/bin:/usr/sbin",
	"SHELL=/bin/sh",
	"TERM=vt100",
	"USER=root",
	"LOGNAME=root",
	NULL,
};

/* Records which signal arrived; the main loop acts on it. */
static void note_signal(int sig)
{
	pending_signal = sig;
}

/* Writes "init: MSG" to the console (init's own fd 2). */
static void say(const char *msg)
{
	char buf[256];
	int len = snprintf(buf, sizeof(buf), "init: %s\n", msg);

	if (len > 0 && write(2, buf, (size_t)len) < 0)
		return;
}

/* Child side of start_shell(): a new session on the console, then the shell (or login). */
static void exec_shell(void)
{
	sigset_t none;
	int fd;

	for (int sig = 1; sig < 32; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	fd = open(CONSOLE, O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 1) < 0) {
		perror("init: " CONSOLE);
		_exit(127);
	}
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	if (chdir(login_mode ? "/" : "/root") < 0)
		chdir("/");
	if (login_mode) {
		execve(LOGIN, login_argv, shell_envp);
		perror("init: " LOGIN);
	} else {
		execve(SHELL, shell_argv, shell_envp);
		perror("init: " SHELL);
	}
	_exit(127);
}

/* Starts the login shell and returns its pid (-1 if fork failed). */
static pid_t start_shell(void)
{
	pid_t pid = fork();

	if (pid == 0)
		exec_shell();
	return pid;
}

/* Ends the machine: every other process gets SIGTERM then SIGKILL, then reboot(cmd). */
static void end_machine(int cmd)
{
	struct timespec pause = { 0, 200 * 1000 * 1000 };

	say(cmd == RB_AUTOBOOT	  ? "restarting the system"
	    : cmd == RB_POWER_OFF ? "powering off"
				  : "halting the system");
	kill(-1, SIGTERM);
	nanosleep(&pause, NULL);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	sync();
	reboot(cmd);
	perror("init: reboot");
}

/*
 * Login mode: login shows /etc/motd at each login, so /etc/profile's once-per-boot motd (which
 * checks MOTD_SHOWN) is marked as shown already.
 */
static void enter_login_mode(void)
{
	int fd = open(MOTD_SHOWN, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	login_mode = 1;
	if (fd >= 0)
		close(fd);
}

/* Sets up init's signals, then starts and restarts the shell and reaps every child. */
int main(int argc, char **argv)
{
	struct sigaction sa;
	time_t started = 0;
	pid_t shell = -1;

	if (getpid() != 1) {
		fprintf(stderr, "init: must be PID 1\n");
		return 1;
	}
	if (argc > 1 && strcmp(argv[1], "login") == 0)
		enter_login_mode();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = note_signal; /* no SA_RESTART: wait() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);

	for (;;) {
		int sig = pending_signal, status;
		pid_t pid;

		pending_signal = 0;
		if (sig == SIGTERM)
			end_machine(RB_AUTOBOOT);
		else if (sig == SIGUSR2)
			end_machine(RB_POWER_OFF);
		else if (sig == SIGUSR1)
			end_machine(RB_HALT_SYSTEM);
		else if (sig == SIGHUP && shell > 0)
			kill(-shell, SIGHUP); /* the shell leads its session and group */

		if (shell < 0) {
			if (time(NULL) - started < 1)
				sleep(1); /* a shell that cannot start must not spin */
			started = time(NULL);
			shell = start_shell();
			if (shell < 0) {
				perror("init: fork");
				continue;
			}
		}
		pid = wait(&status);
		if (pid < 0) {
			if (errno == ECHILD)
				shell = -1;
			continue;
		}
		if (pid == shell) {
			shell = -1;
			say(login_mode ? "the session ended; starting login again"
				       : "the shell exited; starting a new one");
		}
	}
}
