/* A file system that forgets what was not synced, for the power-loss test (LD_PRELOAD).
 *
 * For the files directly under $POWERLOSS_DIR, fsync/fdatasync copy the file's current
 * content to $POWERLOSS_SHADOW/<name> (written beside it, then renamed: a kill mid-copy leaves
 * the previous copy whole), and an fsync of the directory itself records the names it holds
 * in $POWERLOSS_SHADOW/.names (a created file survives only once its directory is synced).
 * The real sync is skipped: the shadow is what "reached the disk". After the process is
 * SIGKILLed, the test replaces every file by its shadow, and removes the files whose names
 * were never synced: what a power cut leaves of a disk that honours fsync and nothing more.
 * Other files are synced as usual.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int fd_path(int fd, char *out, size_t size) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t len = readlink(link, out, size - 1);
    if (len < 0) return -1;
    out[len] = '\0';
    return 0;
}

static int write_all(int out, const char *buf, ssize_t len) {
    while (len > 0) {
        ssize_t done = write(out, buf, (size_t)len);
        if (done < 0) return -1;
        buf += done;
        len -= done;
    }
    return 0;
}

/* Copy the whole file to the shadow, atomically replacing the previous copy. */
static void shadow_file(int fd, const char *shadow, const char *name) {
    char tmp[PATH_MAX], dst[PATH_MAX], buf[1 << 16];
    snprintf(tmp, sizeof tmp, "%s/%s.partial", shadow, name);
    snprintf(dst, sizeof dst, "%s/%s", shadow, name);
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) abort();
    for (off_t at = 0;;) {
        ssize_t got = pread(fd, buf, sizeof buf, at);
        if (got < 0) abort();
        if (got == 0) break;
        if (write_all(out, buf, got) < 0) abort();
        at += got;
    }
    close(out);
    if (rename(tmp, dst) < 0) abort();
}

/* Record the names the directory holds now: they survive the crash. */
static void shadow_names(const char *dir, const char *shadow) {
    char tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/.names.partial", shadow);
    snprintf(dst, sizeof dst, "%s/.names", shadow);
    FILE *out = fopen(tmp, "w");
    DIR *d = opendir(dir);
    if (out == NULL || d == NULL) abort();
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            fprintf(out, "%s\n", e->d_name);
    closedir(d);
    fclose(out);
    if (rename(tmp, dst) < 0) abort();
}

/* 1 when the sync was simulated (the file is watched), 0 when the real one must run. */
static int simulated(int fd) {
    const char *dir = getenv("POWERLOSS_DIR"), *shadow = getenv("POWERLOSS_SHADOW");
    char path[PATH_MAX];
    struct stat st;
    if (dir == NULL || shadow == NULL || fd_path(fd, path, sizeof path) || fstat(fd, &st))
        return 0;
    size_t n = strlen(dir);
    pthread_mutex_lock(&lock);
    int watched = 1;
    if (S_ISDIR(st.st_mode) && strcmp(path, dir) == 0)
        shadow_names(dir, shadow);
    else if (S_ISREG(st.st_mode) && strncmp(path, dir, n) == 0 && path[n] == '/' &&
             strchr(path + n + 1, '/') == NULL)
        shadow_file(fd, shadow, path + n + 1);
    else
        watched = 0;
    pthread_mutex_unlock(&lock);
    return watched;
}

int fsync(int fd) {
    static int (*real)(int);
    if (simulated(fd)) return 0;
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    return real(fd);
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (simulated(fd)) return 0;
    if (real == NULL) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    return real(fd);
}
