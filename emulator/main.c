/* emulator/main.c — the dynemu binary: flags, start-up (fixtures loaded all
 * or nothing before listening), and a clean exit on SIGINT/SIGTERM. See
 * CONTRACT.md for the flags. */
#include "emulator/control.h"
#include "emulator/request_arena.h"
#include "emulator/server.h"
#include "emulator/sigv4.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: dynemu [--host 127.0.0.1] [--port 8000] [--fixtures PATH]... [--namespaces]"
               " [--clock RFC3339] [--credentials FILE]\n"
               "              [--max-connections N (%u)] [--idle-timeout SECONDS (%u)] [-v]\n",
            EMU_DEFAULT_MAX_CONNECTIONS, EMU_DEFAULT_IDLE_TIMEOUT_S);
}

static bool parse_port(const char *s, uint16_t *port)
{
    char *end;
    long p = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || p < 0 || p > 65535) return false;
    *port = (uint16_t)p;
    return true;
}

/* A count flag's value: 1 to 10,000,000. */
static bool parse_count(const char *s, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || v < 1 || v > 10000000) return false;
    *out = (unsigned)v;
    return true;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Only big loads report progress, and only to a person watching a terminal. */
static void show_progress(void *ctx, size_t items)
{
    fprintf(stderr, "\rdynemu: loading fixtures: %zu items (%.1f s)", items, seconds_since(ctx));
}

typedef struct flags {
    emu_server_options server;
    const char **fixtures;      /* --fixtures, in order */
    size_t n_fixtures;
    bool namespaces;
    bool fixed_clock;           /* --clock: the clock starts fixed at clock_ms */
    int64_t clock_ms;
    emu_credentials *credentials; /* --credentials: signatures are verified */
} flags;

/* The start-up database: the clock, the fixtures (all or nothing), then the
 * seed that reset returns to. A fixed clock before loading makes even the
 * fixtures' tables' creation times the same on every run. */
static emu_database *start_database(const flags *f)
{
    emu_database *d = emu_database_new();
    if (!d) { fprintf(stderr, "dynemu: out of memory\n"); return NULL; }
    if (f->fixed_clock) emu_database_set_clock(d, f->clock_ms);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    store_error err = {0};
    bool tty = isatty(STDERR_FILENO);
    bool ok = emu_database_load_paths(d, f->fixtures, f->n_fixtures, tty ? show_progress : NULL, &start, &err);
    if (tty && emu_database_counts(d).items >= FIXTURE_PROGRESS_STEP) fputc('\n', stderr);
    if (!ok) {
        fprintf(stderr, "dynemu: %s\n", err.message);
        emu_database_free(d);
        return NULL;
    }
    if (!emu_database_mark_seed(d)) { fprintf(stderr, "dynemu: out of memory\n"); emu_database_free(d); return NULL; }
    if (f->n_fixtures) {
        emu_counts c = emu_database_counts(d);
        fprintf(stderr, "dynemu: fixtures loaded: %zu tables, %zu items in %.3f s\n", c.tables, c.items,
                seconds_since(&start));
    }
    return d;
}

/* A flag's value, checked; false after saying what is wrong. */
static bool flag_value(const char *flag, const char *value, flags *f)
{
    bool ok = true;
    if (strcmp(flag, "--host") == 0) f->server.host = value;
    else if (strcmp(flag, "--port") == 0) ok = parse_port(value, &f->server.port);
    else if (strcmp(flag, "--fixtures") == 0) f->fixtures[f->n_fixtures++] = value;
    else if (strcmp(flag, "--clock") == 0) ok = f->fixed_clock = emu_parse_rfc3339(value, &f->clock_ms);
    else if (strcmp(flag, "--max-connections") == 0) ok = parse_count(value, &f->server.max_connections);
    else if (strcmp(flag, "--idle-timeout") == 0) ok = parse_count(value, &f->server.idle_timeout_s);
    else if (strcmp(flag, "--credentials") == 0) {
        char why[512];
        emu_credentials_free(f->credentials);
        f->server.credentials = f->credentials = emu_credentials_load(value, why, sizeof why);
        if (!f->credentials) { fprintf(stderr, "dynemu: --credentials: %s\n", why); return false; }
    }
    if (!ok) fprintf(stderr, "dynemu: bad %s %s%s\n", flag, value,
                     strcmp(flag, "--clock") == 0 ? " (expected RFC 3339, e.g. 2026-01-01T00:00:00Z)" : "");
    return ok;
}

static bool takes_value(const char *flag)
{
    return strcmp(flag, "--host") == 0 || strcmp(flag, "--port") == 0 || strcmp(flag, "--fixtures") == 0 ||
           strcmp(flag, "--clock") == 0 || strcmp(flag, "--credentials") == 0 ||
           strcmp(flag, "--max-connections") == 0 || strcmp(flag, "--idle-timeout") == 0;
}

/* Raises the soft limit on open files toward the hard one, so that
 * --max-connections, not the shell's default of 1,024, limits connections. */
static void allow_open_files(unsigned max_connections)
{
    struct rlimit r;
    if (getrlimit(RLIMIT_NOFILE, &r) != 0) return;
    rlim_t want = (rlim_t)max_connections + 64; /* listening socket, epoll, fixtures, stdio */
    if (r.rlim_max != RLIM_INFINITY && want > r.rlim_max) want = r.rlim_max;
    if (want <= r.rlim_cur) return;
    r.rlim_cur = want;
    setrlimit(RLIMIT_NOFILE, &r);
}

/* 0: go on; -1: done (help); otherwise the exit status. */
static int parse_flags(int argc, char **argv, flags *f)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (takes_value(a) && i + 1 < argc) {
            if (!flag_value(a, argv[++i], f)) return 2;
        } else if (strcmp(a, "--namespaces") == 0) f->namespaces = true;
        else if (strcmp(a, "-v") == 0) f->server.verbose = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return -1; }
        else { usage(stderr); return 2; }
    }
    return 0;
}

int main(int argc, char **argv)
{
    emu_request_arena_install(); /* before any thread: cJSON's hooks are process-wide */
    flags f = {{"127.0.0.1", 8000, 0, EMU_DEFAULT_MAX_CONNECTIONS, EMU_DEFAULT_IDLE_TIMEOUT_S, false, NULL},
               calloc((size_t)argc, sizeof(char *)), 0, false, false, 0, NULL};
    int status = f.fixtures ? parse_flags(argc, argv, &f) : 1;
    /* Loaded before anything listens: a bad fixture means no server at all. */
    emu_database *start = status == 0 ? start_database(&f) : NULL;
    free(f.fixtures);
    if (status) emu_credentials_free(f.credentials);
    if (status) return status < 0 ? 0 : status;
    emu_namespaces *namespaces = start ? emu_namespaces_new(start, f.namespaces) : NULL;
    if (start && !namespaces) emu_database_free(start);
    if (!namespaces) { emu_credentials_free(f.credentials); return 1; }

    /* Signals are taken synchronously by this thread; the workers never see them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    allow_open_files(f.server.max_connections);
    emu_server *server = emu_server_start(&f.server, namespaces);
    if (!server) { emu_namespaces_free(namespaces); emu_credentials_free(f.credentials); return 1; }
    printf("dynemu listening on http://%s:%u\n", f.server.host, emu_server_port(server));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    emu_server_stop(server);
    emu_namespaces_free(namespaces);
    emu_credentials_free(f.credentials);
    return 0;
}
