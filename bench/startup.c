/* startup.c — measures how long dynemu takes from being spawned to answering
 * its first request.
 *
 * Each run spawns `SERVER --host 127.0.0.1 --port P` on a free port, retries a
 * TCP connect until the listener is up, sends a ListTables, and stops the
 * clock when the first line of an HTTP response arrives (any status counts as
 * answered). The server is then stopped by its PID. Prints one line:
 *   STARTUP runs=N best_ms=… median_ms=… worst_ms=…
 *
 * Usage: startup SERVER [RUNS] */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Asks the kernel for a free loopback port; the race with another process
 * taking it before the server binds is harmless here (the run fails loudly). */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0) {
        perror("startup: free port");
        exit(1);
    }
    close(s);
    return ntohs(a.sin_port);
}

/* One request, answered: returns 0 once a status line came back, -1 if the
 * server is not listening yet. */
static int ask(int port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
        close(s);
        return -1;
    }
    int one = 1;
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static const char req[] =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "X-Amz-Target: DynamoDB_20120810.ListTables\r\n"
        "Content-Type: application/x-amz-json-1.0\r\n"
        "X-Amz-Date: 20260101T000000Z\r\n"
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/"
        "aws4_request, SignedHeaders=host, Signature=0\r\n"
        "Content-Length: 2\r\n\r\n{}";
    char buf[512];
    size_t got = 0;
    int ok = -1;
    if (write(s, req, sizeof req - 1) == (ssize_t)(sizeof req - 1)) {
        ssize_t n;
        while (got < sizeof buf - 1 && (n = read(s, buf + got, sizeof buf - 1 - got)) > 0) {
            got += (size_t)n;
            buf[got] = 0;
            if (strstr(buf, "\r\n")) {
                ok = strncmp(buf, "HTTP/1.", 7) == 0 ? 0 : -1;
                break;
            }
        }
    }
    close(s);  /* the client closes first, so no TIME_WAIT is left on the server's port */
    return ok;
}

/* SIGTERM, then SIGKILL after 2 s: a server that hangs on shutdown is
 * reported, and does not hang the benchmark. */
static void stop(pid_t pid, const char *server)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 2000; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(1000);
    }
    fprintf(stderr, "startup: %s did not exit within 2 s of SIGTERM; killed\n", server);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static double one_run(const char *server)
{
    int port = free_port();
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    char *argv[] = {(char *)server, "--host", "127.0.0.1", "--port", port_s, NULL};

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);

    pid_t pid;
    double t0 = now_ms();
    if (posix_spawn(&pid, server, &fa, NULL, argv, environ) != 0) {
        perror("startup: spawn");
        exit(1);
    }
    posix_spawn_file_actions_destroy(&fa);

    double elapsed = -1;
    while (now_ms() - t0 < 5000) {
        if (ask(port) == 0) {
            elapsed = now_ms() - t0;
            break;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            fprintf(stderr, "startup: %s exited before answering\n", server);
            exit(1);
        }
        usleep(100);  /* a coarser poll would add its own delay to the figure */
    }
    stop(pid, server);
    if (elapsed < 0) {
        fprintf(stderr, "startup: no answer within 5 s\n");
        exit(1);
    }
    return elapsed;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SERVER [RUNS]\n", argv[0]);
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 10;
    if (runs < 1 || runs > 1000)
        runs = 10;
    double t[1000];
    for (int i = 0; i < runs; i++)
        t[i] = one_run(argv[1]);
    qsort(t, (size_t)runs, sizeof t[0], cmp);
    printf("STARTUP runs=%d best_ms=%.2f median_ms=%.2f worst_ms=%.2f\n",
           runs, t[0], t[runs / 2], t[runs - 1]);
    return 0;
}
