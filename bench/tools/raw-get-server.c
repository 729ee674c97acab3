/*
 * The cheapest HTTP server of one file that this machine allows, for bench/get-ceiling.sh: it answers every
 * connection with the whole file (200, Content-Length, Connection: close), read with pread into one buffer and
 * written with send, no verification, no framework. Its CPU per GiB is the floor of the kernel's two copies
 * (page cache -> buffer -> socket) that any copying server pays; a client's wall time against it is the ceiling
 * of what a full GET can reach on this machine. After each connection it prints the CPU it used on stderr.
 * MODE sendfile: no copy through the server (sendfile of each block), nothing read; MODE mmap-sendfile: each block
 * read through a mapping of the file (summed in 64-bit words, standing in for a hash that must see every byte), then
 * sent with sendfile: the floor of a server that checks what it serves without copying it; MODE pread-sendfile: each
 * block read with pread into the buffer (one copy, where a hash checks it), then the same range sent with sendfile.
 * READ_KIB (pread-sendfile only): read each block with preads of this size instead of one (the serve path reads one
 * 256 KiB hash block per pread and sends 1 MiB per sendfile: BLOCK_KIB 1024, READ_KIB 256).
 *
 *   raw-get-server FILE PORT [BLOCK_KIB] [copy|sendfile|mmap-sendfile|pread-sendfile] [READ_KIB]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s FILE PORT [BLOCK_KIB] [copy|sendfile|mmap-sendfile|pread-sendfile] [READ_KIB]\n", argv[0]);
        return 2;
    }
    int file = open(argv[1], O_RDONLY);
    struct stat st;
    if (file < 0 || fstat(file, &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    long block = (argc > 3 ? atol(argv[3]) : 256) * 1024;
    char *buffer = malloc(block);
    const char *mode = argc > 4 ? argv[4] : "copy";
    int use_sendfile = strcmp(mode, "copy") != 0, touch = strcmp(mode, "mmap-sendfile") == 0;
    int copy_in = strcmp(mode, "pread-sendfile") == 0;
    long piece = argc > 5 ? atol(argv[5]) * 1024 : block;
    if (piece <= 0 || piece > block) {
        fprintf(stderr, "READ_KIB must be between 1 and BLOCK_KIB\n");
        return 2;
    }
    if (use_sendfile && strcmp(mode, "sendfile") != 0 && !touch && !copy_in) {
        fprintf(stderr, "unknown mode %s (copy, sendfile, mmap-sendfile or pread-sendfile)\n", mode);
        return 2;
    }
    const uint64_t *map = touch ? mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, file, 0) : NULL;
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 16) != 0) {
        perror("bind");
        return 1;
    }
    fprintf(stderr, "listening on http://127.0.0.1:%s/\n", argv[2]);
    for (;;) {
        int client = accept(listener, NULL, NULL);
        char request[8192];
        if (client < 0 || recv(client, request, sizeof request, 0) <= 0) {
            if (client >= 0) close(client);
            continue;
        }
        double start = cpu_seconds();
        char header[256];
        int length = snprintf(header, sizeof header, "HTTP/1.1 200 OK\r\nContent-Length: %ld\r\nConnection: close\r\n\r\n", (long)st.st_size);
        send(client, header, length, 0);
        uint64_t sum = 0;
        for (off_t at = 0; at < st.st_size;) {
            if (use_sendfile) {
                off_t end = at + block < st.st_size ? at + block : st.st_size;
                for (off_t word = at / 8; touch && word < end / 8; word++) {
                    sum += map[word];
                }
                int short_read = 0;
                for (off_t from = at; copy_in && from < end; from += piece) {
                    ssize_t want = end - from < piece ? end - from : piece;
                    if (pread(file, buffer + (from - at), want, from) != want) { short_read = 1; break; }
                }
                if (short_read) { break; }
                sum += (unsigned char)buffer[0];
                while (at < end) {
                    ssize_t n = sendfile(client, file, &at, end - at);
                    if (n <= 0) { at = st.st_size; break; }
                }
                continue;
            }
            ssize_t got = pread(file, buffer, block, at);
            if (got <= 0) break;
            for (ssize_t sent = 0; sent < got;) {
                ssize_t n = send(client, buffer + sent, got - sent, MSG_NOSIGNAL);
                if (n <= 0) { at = st.st_size; break; }
                sent += n;
            }
            at += got;
        }
        close(client);
        fprintf(stderr, "cpu %.3f%s\n", cpu_seconds() - start, sum == 1 ? " " : "");  /* sum used: the reads stay */
    }
}
