/* bare.c — the ceiling for the HTTP benchmarks: a libmicrohttpd server that
 * reads each POST body and answers `{}`, doing no other work.
 *
 * It uses the same set-up as dynemu's server (emulator/server.c: an internal
 * polling thread per pool worker, epoll where the library has it, one worker
 * per core, MHD_USE_TURBO), so dynemu's req/s divided by this server's
 * measures what dynemu's own work costs, not what libmicrohttpd or the
 * loopback costs.
 *
 * Usage: bare --port PORT   (listens on 127.0.0.1 only) */
#include <microhttpd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if MHD_VERSION < 0x00097002
typedef int mhd_result;
#else
typedef enum MHD_Result mhd_result;
#endif

static struct MHD_Response *empty_object;

/* libmicrohttpd calls this once with the headers, then once per body chunk,
 * then once more with no data: only that last call may queue the answer. */
static mhd_result answer(void *cls, struct MHD_Connection *conn, const char *url,
                         const char *method, const char *version,
                         const char *upload_data, size_t *upload_data_size,
                         void **con_cls)
{
    (void)cls; (void)url; (void)method; (void)version; (void)upload_data;
    static int marker;
    if (*con_cls == NULL) {
        *con_cls = &marker;
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0;   /* body consumed and discarded */
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, empty_object);
}

int main(int argc, char **argv)
{
    int port = 0;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--port") == 0)
            port = atoi(argv[++i]);
    if (port <= 0) {
        fprintf(stderr, "usage: %s --port PORT\n", argv[0]);
        return 2;
    }

    empty_object = MHD_create_response_from_buffer(2, (void *)"{}", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(empty_object, "Content-Type", "application/x-amz-json-1.0");

    /* Blocked before the pool threads exist, so they inherit the mask and
     * sigwait() below is the only taker: no window where a signal is lost. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* TURBO as well, since emulator/server.c uses it: the ceiling must not
     * be lower than dynemu's own configuration could reach. */
    unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TURBO;
    if (MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES)
        flags |= MHD_USE_EPOLL;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1)
        cores = 1;

    struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, answer, NULL,
                                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cores,
                                            MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "bare: cannot listen on 127.0.0.1:%d\n", port);
        return 1;
    }
    printf("bare: listening on 127.0.0.1:%d with %ld threads\n", port, cores);
    fflush(stdout);

    int sig;
    sigwait(&stop_signals, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(empty_object);
    return 0;
}
