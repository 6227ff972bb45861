// Only the declaration in include/CFuzzer.h is needed; this file makes the target a C target.
#include "CFuzzer.h"
