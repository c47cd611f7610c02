/*
 * launch runs a command for the benchmark harness (go run ./bench) and
 * writes to the file its first argument names one line:
 *
 *	WALL_NS MAXRSS_KB USER_US SYSTEM_US
 *
 * WALL_NS is measured here, from just before the command starts to its end,
 * so that neither the harness's start of this program nor this program's
 * own start-up counts in the command's time. MAXRSS_KB, USER_US and
 * SYSTEM_US come from wait4 and cover the command and the children it
 * waited for, as GNU time's do. The command starts with posix_spawn, which
 * shares this small program's memory until exec, so its peak is not raised
 * by a larger parent's (exec keeps the old address space's high-water
 * mark). launch exits with the command's exit status, or 128 plus the
 * signal that ended it.
 */
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long micros(struct timeval tv) {
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: launch OUT CMD [ARG...]\n");
		return 2;
	}
	struct timespec start, end;
	pid_t pid;
	clock_gettime(CLOCK_MONOTONIC, &start);
	int err = posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2, environ);
	if (err != 0) {
		fprintf(stderr, "launch: cannot start %s: %s\n", argv[2], strerror(err));
		return 127;
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("launch: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &end);
	FILE *out = fopen(argv[1], "w");
	if (out == NULL) {
		perror(argv[1]);
		return 2;
	}
	long long wall = (long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
	fprintf(out, "%lld %ld %lld %lld\n", wall, ru.ru_maxrss, micros(ru.ru_utime), micros(ru.ru_stime));
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 2;
	}
	if (WIFEXITED(status)) {
		return WEXITSTATUS(status);
	}
	return 128 + WTERMSIG(status);
}
