#ifndef HAMLET_CLIBXML2_SHIM_H
#define HAMLET_CLIBXML2_SHIM_H
/* Debian's libxml2 is built with ICU; pulling ICU's types into Swift clashes with Foundation's copy
   ("'UErrorCode' has different definitions") on the first clean build. Hamlet converts charsets itself. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* xmlFree is a global function-pointer variable, which Swift 6 rejects as shared mutable state. */
static inline void hamlet_xmlFree(void *p) { xmlFree(p); }

static void hamlet_silent_structured_error(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }
static void hamlet_silent_generic_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* HTML_PARSE_NOERROR does not silence the encoding layer: install no-op handlers once. */
static inline void hamlet_xml_init_quiet(void) {
    xmlInitParser();
    xmlThrDefSetStructuredErrorFunc(NULL, hamlet_silent_structured_error);
    xmlSetStructuredErrorFunc(NULL, hamlet_silent_structured_error);
    xmlThrDefSetGenericErrorFunc(NULL, hamlet_silent_generic_error);
    xmlSetGenericErrorFunc(NULL, hamlet_silent_generic_error);
}
#endif
