// SPDX-License-Identifier: GPL-2.0
/* runas-nobody CMD [ARGS]: run CMD as uid/gid 65534 (busybox has no chpst). */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: runas-nobody CMD [ARGS]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("runas-nobody");
		return 1;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
