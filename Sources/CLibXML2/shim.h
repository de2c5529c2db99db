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
