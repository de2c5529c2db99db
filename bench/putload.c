/* The load client of `make bench-serve`: PUTs every file listed on stdin
 * to http://127.0.0.1:PORT<PREFIX><file name>, with CONNECTIONS keep-alive
 * connections each on a thread of its own, and prints files/s, latency
 * percentiles (all files, and the files whose name contains MATCH), the
 * statuses, and the client's own CPU time (to show it is not the
 * bottleneck). C, so that the client costs little next to the servers.
 *
 *   find inbox -type f | putload PORT PREFIX CONNECTIONS MATCH [TOKEN]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char **paths;
static int npaths;
static atomic_int next_index;
static double *latency;          /* ms per file */
static int *status_of;
static int port;
static const char *prefix;
static const char *token;

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int connect_to(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { close(fd); return -1; }
    return fd;
}

static int send_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) { if (w < 0 && errno == EINTR) continue; return -1; }
        p += w; n -= (size_t)w;
    }
    return 0;
}

/* Reads one response; returns its status, or -1 when the connection broke.
 * Sets *closing when the server will close the connection. */
static int read_reply(int fd, char *buf, size_t cap, int *closing) {
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        ssize_t r = recv(fd, buf + have, cap - 1 - have, 0);
        if (r <= 0) return -1;
        have += (size_t)r;
        buf[have] = 0;
        end = strstr(buf, "\r\n\r\n");
        if (!end && have >= cap - 1) return -1;
    }
    int status = atoi(buf + 9);
    long length = 0;
    for (char *h = buf; h < end; h++) {
        if ((*h == '\n') && strncasecmp(h + 1, "content-length:", 15) == 0) length = atol(h + 16);
        if ((*h == '\n') && strncasecmp(h + 1, "connection: close", 17) == 0) *closing = 1;
    }
    long body = (long)(have - (size_t)(end + 4 - buf));
    while (body < length) {
        ssize_t r = recv(fd, buf, cap - 1, 0);
        if (r <= 0) return -1;
        body += r;
    }
    return status;
}

static void *worker(void *arg) {
    (void)arg;
    char *reply = malloc(1 << 16);
    char head[1024];
    char *body = NULL;
    size_t body_cap = 0;
    int fd = -1;
    for (;;) {
        int i = atomic_fetch_add(&next_index, 1);
        if (i >= npaths) break;
        int in = open(paths[i], O_RDONLY);
        struct stat st;
        if (in < 0 || fstat(in, &st) != 0) { status_of[i] = -2; if (in >= 0) close(in); continue; }
        if ((size_t)st.st_size > body_cap) { body_cap = (size_t)st.st_size; body = realloc(body, body_cap); }
        size_t got = 0;
        while (got < (size_t)st.st_size) { ssize_t r = read(in, body + got, (size_t)st.st_size - got); if (r <= 0) break; got += (size_t)r; }
        close(in);
        const char *name = strrchr(paths[i], '/');
        name = name ? name + 1 : paths[i];
        int hl = snprintf(head, sizeof head, "PUT %s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %zu\r\n%s%s%s\r\n",
                          prefix, name, got, token ? "Authorization: Bearer " : "", token ? token : "", token ? "\r\n" : "");
        int status = -1;
        double t0 = now_ms();
        for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
            if (fd < 0) fd = connect_to();
            if (fd < 0) break;
            int closing = 0;
            if (send_all(fd, head, (size_t)hl) == 0 && send_all(fd, body, got) == 0) status = read_reply(fd, reply, 1 << 16, &closing);
            if (status < 0 || closing) { close(fd); fd = -1; }
        }
        latency[i] = now_ms() - t0;
        status_of[i] = status;
    }
    if (fd >= 0) close(fd);
    free(body);
    free(reply);
    return NULL;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(const char *label, double *v, int n) {
    if (n == 0) { printf("%s: none\n", label); return; }
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%s: n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms\n", label, n, v[n / 2], v[(int)(n * 0.99)], v[n - 1]);
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: putload PORT PREFIX CONNECTIONS MATCH [TOKEN] < paths\n"); return 2; }
    port = atoi(argv[1]);
    prefix = argv[2];
    int connections = atoi(argv[3]);
    const char *match = argv[4];
    token = argc > 5 ? argv[5] : NULL;
    size_t cap = 16384;
    paths = malloc(cap * sizeof *paths);
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (!*line) continue;
        if ((size_t)npaths == cap) { cap *= 2; paths = realloc(paths, cap * sizeof *paths); }
        paths[npaths++] = strdup(line);
    }
    latency = calloc((size_t)npaths, sizeof *latency);
    status_of = calloc((size_t)npaths, sizeof *status_of);
    pthread_t *threads = malloc((size_t)connections * sizeof *threads);
    double t0 = now_ms();
    for (int i = 0; i < connections; i++) pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < connections; i++) pthread_join(threads[i], NULL);
    double wall = now_ms() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    int counts[600] = {0}, broken = 0;
    double *all = malloc((size_t)npaths * sizeof *all), *some = malloc((size_t)npaths * sizeof *some);
    int nsome = 0;
    for (int i = 0; i < npaths; i++) {
        if (status_of[i] > 0 && status_of[i] < 600) counts[status_of[i]]++; else broken++;
        all[i] = latency[i];
        if (strstr(paths[i], match)) some[nsome++] = latency[i];
    }
    printf("files=%d wall=%.2f s files_per_s=%.0f client_cpu=%.2f s (%.0f%% of one core)\n", npaths, wall / 1e3,
           npaths / (wall / 1e3), cpu, 100 * cpu / (wall / 1e3));
    printf("statuses:");
    for (int s = 0; s < 600; s++) if (counts[s]) printf(" %d=%d", s, counts[s]);
    printf(" broken=%d\n", broken);
    percentiles("latency, all files", all, npaths);
    percentiles("latency, files matching", some, nsome);
    return broken ? 1 : 0;
}
