/* Debian's libxml2 is built with ICU, and its headers then include the system
 * ICU headers, which clash with the ICU bundled in Foundation
 * ("'UErrorCode' has different definitions in different modules").
 * edupipe never touches libxml2's converter structs, so hiding ICU from the
 * headers is safe: libxml2 itself still converts GB18030/GBK/GB2312. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/* libxml2 prints to stderr through its generic error function, which is
 * variadic: Swift cannot write one, so it lives here. edupipe routes every
 * error through the structured handler and prints nothing of libxml2's. */
static inline void edupipe_xml_ignore(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* Silences the generic error channel of the calling thread and of threads
 * made later (libxml2 2.9 keeps these per thread). */
static inline void edupipe_xml_silence_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, edupipe_xml_ignore);
    xmlThrDefSetGenericErrorFunc(NULL, edupipe_xml_ignore);
}

/* libxml2's xmlFree is a global function pointer, which Swift 6 sees as
 * shared mutable state: called through here. */
static inline void edupipe_xml_free(void *p) {
    xmlFree(p);
}
