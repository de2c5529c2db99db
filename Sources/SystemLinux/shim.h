/* Linux system calls that Glibc's Swift module leaves out because glibc
   declares them only under _GNU_SOURCE. Header only: nothing to link. */
#include <unistd.h>

/* syncfs(2): writes back every dirty page, inode and folder block of the
   file system holding fd, then flushes the device's cache. */
int syncfs(int fd);
