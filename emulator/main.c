/* emulator/main.c — the dynemu binary: flags, start-up, and a clean exit on
 * SIGINT/SIGTERM. See CONTRACT.md for the flags. */
#include "emulator/server.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: dynemu [--host 127.0.0.1] [--port 8000] [--fixtures PATH]... [--namespaces] [-v]\n");
}

static bool parse_port(const char *s, uint16_t *port)
{
    char *end;
    long p = strtol(s, &end, 10);
    if (*s == 0 || *end != 0 || p < 0 || p > 65535) return false;
    *port = (uint16_t)p;
    return true;
}

int main(int argc, char **argv)
{
    emu_server_options opts = {"127.0.0.1", 8000, 0, false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "--host") == 0 && has_value) opts.host = argv[++i];
        else if (strcmp(a, "--port") == 0 && has_value) {
            if (!parse_port(argv[++i], &opts.port)) { fprintf(stderr, "dynemu: bad --port %s\n", argv[i]); return 2; }
        } else if (strcmp(a, "-v") == 0) opts.verbose = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { usage(stdout); return 0; }
        else { usage(stderr); return 2; }
    }
    /* Signals are taken synchronously by this thread; the workers never see them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    store_db *db = store_db_new();
    emu_server *server = db ? emu_server_start(&opts, db) : NULL;
    if (!server) { store_db_free(db); return 1; }
    printf("dynemu listening on http://%s:%u\n", opts.host, emu_server_port(server));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    emu_server_stop(server);
    store_db_free(db);
    return 0;
}
