#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

/* The working memory igzip's level 1 needs: a macro Swift cannot import. */
static const unsigned int edupipe_isal_level1_buffer = ISAL_DEF_LVL1_DEFAULT;
