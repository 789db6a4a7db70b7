/* emulator/server.h — the HTTP front: DynamoDB's JSON protocol on POST /,
 * the health check on GET /, the control API under /_dynemu/. */
#ifndef EMU_SERVER_H
#define EMU_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "emulator/namespaces.h"

/* Largest request body accepted (DynamoDB's own request limit). */
#define EMU_MAX_REQUEST_BYTES (16 * 1024 * 1024)

typedef struct emu_server emu_server;

/* The defaults of --max-connections and --idle-timeout (stated in the README).
 * Thousands of idle keep-alive clients fit under the first; the second frees
 * what silent or vanished clients hold, as AWS's endpoint closes idle ones. */
#define EMU_DEFAULT_MAX_CONNECTIONS 10000
#define EMU_DEFAULT_IDLE_TIMEOUT_S 300

typedef struct emu_server_options {
    const char *host;
    uint16_t port;          /* 0: any free port */
    unsigned threads;       /* 0: one per core */
    unsigned max_connections; /* open connections at most; more are closed on accept */
    unsigned idle_timeout_s;  /* a connection silent this long is closed */
    bool verbose;
    const struct emu_credentials *credentials; /* NULL: any well-formed signature is accepted */
} emu_server_options;

/* Serves the databases of namespaces (see emulator/namespaces.h) until
 * emu_server_stop. NULL with a message on stderr if it cannot listen. */
emu_server *emu_server_start(const emu_server_options *opts, emu_namespaces *namespaces);
uint16_t emu_server_port(const emu_server *s);
void emu_server_stop(emu_server *s);

#endif
