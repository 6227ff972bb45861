#ifndef NOTECODER_CPCRE2_SHIM_H
#define NOTECODER_CPCRE2_SHIM_H
/* PCRE2's generic names are token-pasting macros keyed on the code unit width; Swift only sees
   the _8 functions once the width is fixed here, before the header is read. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
