#ifndef OMNIHUB_CLIBXML2_SHIM_H
#define OMNIHUB_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU; a module that also sees Foundation then fails with
// "'UErrorCode' has different definitions". Turning the ICU switch off before any other
// libxml2 header keeps the two apart.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

/// `xmlFree` is a global function pointer, which Swift 6 rejects as shared mutable state.
static inline void omnihub_xml_free(void *pointer) {
    xmlFree(pointer);
}

/// The version of the libxml2 loaded at run time, e.g. "20914".
static inline const char *omnihub_xml_parser_version(void) {
    return xmlParserVersion;
}

#endif
