/*
 * The mock module built as a pure PKCS#11 2.40 module (product libp11trace-mock-v2.so):
 * the same sources as MockModule, compiled as one unit with P11T_MOCK_V2_ONLY, which leaves
 * out the 3.x functions, the 3.x mechanisms and the C_GetInterfaceList/C_GetInterface
 * exports. C_GetFunctionList returns the 2.40 list and C_GetInfo reports version 2.40.
 */
#define _POSIX_C_SOURCE 200809L
#define P11T_MOCK_V2_ONLY 1

#include "../MockModule/mock_faults.c"
#include "../MockModule/mock_core.c"
#include "../MockModule/mock_session.c"
#include "../MockModule/mock_store.c"
#include "../MockModule/mock_objects.c"
#include "../MockModule/mock_mech.c"
#include "../MockModule/mock_crypto.c"
#include "../MockModule/mock_sign.c"
#include "../MockModule/mock_keys.c"
#include "../MockModule/mock_exports.c"
