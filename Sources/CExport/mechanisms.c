/*
 * Mechanism parameter descriptors: offsets, sizes and field kinds of the parameter structures
 * in spec/mechanisms.json, compiled against the project's PKCS#11 header so that every offset
 * is the compiler's. The bodies are generated (scripts/generate); read-only, no state.
 */
#include <stddef.h>
#include "p11t_export.h"

#include "generated/p11t_mechanisms.inc"
