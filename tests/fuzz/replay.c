/* tests/fuzz/replay.c — runs a fuzz target over kept inputs without
 * libFuzzer: `replay FILE_OR_DIR...` feeds each file once (a directory's in
 * name order) and prints `N passed, 0 failed`; a broken input aborts, which
 * the sanitizers of `make test` report with the input's name printed first. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "replay: cannot open %s\n", path); return 0; }
    uint8_t *data = NULL;
    size_t len = 0, cap = 0, n;
    uint8_t chunk[65536];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            uint8_t *d = realloc(data, cap);
            if (!d) abort();
            data = d;
        }
        memcpy(data + len, chunk, n);
        len += n;
    }
    fclose(f);
    fprintf(stderr, "%s\n", path); /* the input a crash report that follows belongs to */
    LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", len);
    free(data);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

static int replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) { fprintf(stderr, "replay: no such input %s\n", path); return -1; }
    if (!S_ISDIR(st.st_mode)) return replay_file(path);
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name), done = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char full[4096];
            snprintf(full, sizeof full, "%s/%s", path, names[i]->d_name);
            done += replay_file(full);
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (int i = 1; i < argc; i++) {
        int n = replay(argv[i]);
        if (n < 0) failed++;
        else passed += n;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
