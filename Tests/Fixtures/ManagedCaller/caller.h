/*
 * One "library" that uses a PKCS#11 module on its own: it loads the module, takes the
 * module's function table from its own code (so that the interposer sees this library as
 * the caller) and keeps everything in its own globals. The managed-mode test loads two
 * copies of it into one process, as a process would load NSS and GnuTLS, say.
 */
#ifndef P11T_CALLER_H
#define P11T_CALLER_H

#include "p11t_pkcs11.h"

/* Loads `module` and takes its function table; CKR_OK or why not. */
CK_RV p11t_caller_load(const char *module);
/* C_Initialize with CKF_OS_LOCKING_OK. */
CK_RV p11t_caller_initialize(void);
/* Opens a read/write session on the first slot with a token and logs the user in
 * (CKR_USER_ALREADY_LOGGED_IN counts as logged in). */
CK_RV p11t_caller_open(const char *pin, CK_SESSION_HANDLE *session);
/* Signs 32 bytes with the token's first private key (CKM_SHA256_RSA_PKCS). */
CK_RV p11t_caller_sign(CK_SESSION_HANDLE session);
CK_RV p11t_caller_close(CK_SESSION_HANDLE session);
/* C_CloseAllSessions on the slot p11t_caller_open used. */
CK_RV p11t_caller_close_all(void);
CK_RV p11t_caller_finalize(void);

#endif /* P11T_CALLER_H */
