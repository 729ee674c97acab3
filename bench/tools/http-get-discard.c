/*
 * A GET client that costs as little as a client can, for the GET cases of bench/webdav-vs-rclone.sh and
 * bench/serve-ab.sh: a GET benchmark measures the server, and on a 2-core machine a client that writes the body
 * somewhere (curl -o /dev/shm: about 1 s of CPU per GiB) takes the cores the server needs (docs/benchmarks.md).
 * It sends one HTTP/1.1 GET on one connection, reads the response with recv into one 1 MiB buffer and discards
 * the body, and checks the status and that the body has exactly Content-Length bytes. It does not check the
 * content: the benches compare it with the source once per case, outside the timings, with curl.
 *
 *   http-get-discard URL [AUTHORIZATION-HEADER-VALUE]
 *
 * URL: http://HOST:PORT/PATH with a numeric IPv4 host (the benches serve on 127.0.0.1). Prints one line on
 * stdout, "STATUS BYTES SECONDS CPU-SECONDS" (like curl -w '%{http_code} %{size_download} %{time_total}', plus
 * the client's own CPU time), and exits 0 when the status is 200 or 206 and the body is complete, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER_BYTES (1024 * 1024)

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static int fail(const char *what)
{
    fprintf(stderr, "http-get-discard: %s\n", what);
    return 1;
}

/* Finds the value of header NAME (case-insensitive) in the header block HEAD (NUL-terminated); NULL if absent. */
static const char *header_value(const char *head, const char *name)
{
    size_t n = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line != NULL && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
        const char *start = line + 2;
        if (strncasecmp(start, name, n) == 0 && start[n] == ':') {
            start += n + 1;
            while (*start == ' ' || *start == '\t') {
                start++;
            }
            return start;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strncmp(argv[1], "http://", 7) != 0) {
        fprintf(stderr, "usage: %s http://IPV4:PORT/PATH [AUTHORIZATION-HEADER-VALUE]\n", argv[0]);
        return 2;
    }
    char host[64];
    const char *authority = argv[1] + 7;
    const char *colon = strchr(authority, ':');
    const char *path = strchr(authority, '/');
    if (colon == NULL || path == NULL || colon > path || (size_t)(colon - authority) >= sizeof host) {
        return fail("the URL needs a numeric host, a port and a path (http://127.0.0.1:PORT/PATH)");
    }
    memcpy(host, authority, colon - authority);
    host[colon - authority] = '\0';
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(colon + 1)) };
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        return fail("the URL's host is not a numeric IPv4 address");
    }

    char *buffer = malloc(BUFFER_BYTES + 1);
    if (buffer == NULL) {
        return fail("out of memory");
    }
    double started = now_seconds();
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("http-get-discard: connect");
        return 1;
    }
    int request_length = snprintf(buffer, BUFFER_BYTES,
        "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: http-get-discard\r\nAccept: */*\r\n%s%s%sConnection: close\r\n\r\n",
        path, (int)(path - authority), authority,
        argc > 2 ? "Authorization: " : "", argc > 2 ? argv[2] : "", argc > 2 ? "\r\n" : "");
    if (send(sock, buffer, request_length, MSG_NOSIGNAL) != request_length) {
        return fail("sending the request failed");
    }

    /* The header block: read until the blank line; what follows it in the buffer is the body's start. */
    size_t held = 0;
    char *end_of_head = NULL;
    while (end_of_head == NULL) {
        if (held == BUFFER_BYTES) {
            return fail("the response headers are larger than 1 MiB");
        }
        ssize_t got = recv(sock, buffer + held, BUFFER_BYTES - held, 0);
        if (got <= 0) {
            return fail("the connection closed before the response headers ended");
        }
        held += got;
        buffer[held] = '\0';
        end_of_head = strstr(buffer, "\r\n\r\n");
    }
    int status = 0;
    if (sscanf(buffer, "HTTP/1.%*d %d", &status) != 1) {
        return fail("the response has no HTTP/1.x status line");
    }
    *end_of_head = '\0';
    const char *length_value = header_value(buffer, "Content-Length");
    if (length_value == NULL) {
        return fail("the response has no Content-Length (chunked bodies are not read by this client)");
    }
    long long expected = atoll(length_value);
    long long body = (long long)(held - (size_t)(end_of_head + 4 - buffer));

    while (body < expected) {
        ssize_t got = recv(sock, buffer, BUFFER_BYTES, 0);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            break;
        }
        body += got;
    }
    double wall = now_seconds() - started;
    close(sock);
    printf("%d %lld %.6f %.3f\n", status, body, wall, cpu_seconds());
    return (status == 200 || status == 206) && body == expected ? 0 : 1;
}
