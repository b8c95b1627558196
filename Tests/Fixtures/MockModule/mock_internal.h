/*
 * Internal declarations of the p11trace mock PKCS#11 module.
 *
 * Layout of the module (each file covers one area):
 *   mock_exports.c   function tables, interfaces, the exported entry points, fault hooks
 *   mock_faults.c    P11T_MOCK_FAULTS / P11T_MOCK_DELAY_NS parsing and checks
 *   mock_core.c      global state, locking, C_Initialize/C_Finalize, slot and token queries
 *   mock_session.c   sessions, login, PIN management
 *   mock_store.c     the object store and attribute helpers
 *   mock_objects.c   object management functions and C_FindObjects*
 *   mock_keys.c      key generation, wrap/unwrap/derive, random numbers
 *   mock_mech.c      the mechanism table and the deterministic fake transforms
 *   mock_crypto.c    encrypt/decrypt/digest
 *   mock_sign.c      sign/verify (and recover), dual functions, operation state
 *   mock_message.c   PKCS#11 3.0 message-based functions, C_LoginUser, C_SessionCancel
 *   mock_v32.c       PKCS#11 3.2 functions
 *
 * Every public function of the module is implemented as p11t_mock_<C_Name>. The generated
 * entry points in mock_exports.c apply fault injection, check that the module is initialised
 * and take the module lock, so that implementations (except the few that may run before
 * C_Initialize) run with the lock held and need not repeat that boilerplate.
 */
#ifndef P11T_MOCK_INTERNAL_H
#define P11T_MOCK_INTERNAL_H

#include "p11t_pkcs11.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* 1 builds the pure PKCS#11 2.40 flavour (see MockModuleV2). */
#ifndef P11T_MOCK_V2_ONLY
#define P11T_MOCK_V2_ONLY 0
#endif

/* Only the PKCS#11 entry points leave the shared object. */
#define P11T_MOCK_EXPORT __attribute__((visibility("default")))

#pragma GCC visibility push(hidden)

/* ---- Function identifiers (for fault injection and locking policy) ---- */

#define P11T_MOCK_ID_ENUM(name, params, args) P11T_MOCK_ID_##name,
enum p11t_mock_function_id {
    P11T_FOR_EACH_FUNCTION_2_40(P11T_MOCK_ID_ENUM)
    P11T_FOR_EACH_FUNCTION_3_0_ADDED(P11T_MOCK_ID_ENUM)
    P11T_FOR_EACH_FUNCTION_3_2_ADDED(P11T_MOCK_ID_ENUM)
    P11T_MOCK_ID_COUNT
};
#undef P11T_MOCK_ID_ENUM

/* Implementations, one per PKCS#11 function, with the exact standard signature. */
#define P11T_MOCK_DECLARE(name, params, args) CK_RV p11t_mock_##name params;
P11T_FOR_EACH_FUNCTION_2_40(P11T_MOCK_DECLARE)
P11T_FOR_EACH_FUNCTION_3_0_ADDED(P11T_MOCK_DECLARE)
P11T_FOR_EACH_FUNCTION_3_2_ADDED(P11T_MOCK_DECLARE)
#undef P11T_MOCK_DECLARE

/* ---- Fault injection (mock_faults.c) ---- */

/* Reads P11T_MOCK_FAULTS and P11T_MOCK_DELAY_NS and resets the call counters. */
void p11t_mock_faults_load(void);
/* Counts a call of `id`, sleeps if a delay is configured; true if `*rv` must be returned. */
bool p11t_mock_faults_check(int id, CK_RV *rv);
/* With P11T_MOCK_ACCEPT_MECHANISMS=1: true for the functions that take a mechanism or a
 * message parameter, which then return CKR_OK at once without reading any argument. */
bool p11t_mock_accepts_any_mechanism(int id);
/* With P11T_MOCK_VIOLATE="too-small-no-length,ok-beyond-capacity,finalize-reserved-ok,
 * wait-after-finalize": the
 * module breaks that rule of the specification on purpose, for `p11trace check`'s tests. */
enum p11t_mock_violation {
    P11T_MOCK_VIOLATE_TOO_SMALL_NO_LENGTH = 1u << 0,  /* CKR_BUFFER_TOO_SMALL, length untouched */
    P11T_MOCK_VIOLATE_OK_BEYOND_CAPACITY = 1u << 1,   /* C_Digest: CKR_OK, length 8 past the buffer */
    P11T_MOCK_VIOLATE_FINALIZE_RESERVED_OK = 1u << 2, /* C_Finalize(non-NULL) answers CKR_OK */
    P11T_MOCK_VIOLATE_WAIT_AFTER_FINALIZE = 1u << 3,  /* a blocked C_WaitForSlotEvent: CKR_OK at C_Finalize */
};
bool p11t_mock_violates(enum p11t_mock_violation v);

/* ---- Limits ---- */

#define P11T_MOCK_SLOT_TOKEN 1UL       /* slot with the token */
#define P11T_MOCK_SLOT_EMPTY 2UL       /* slot without a token */
#define P11T_MOCK_MAX_SESSIONS 128
#define P11T_MOCK_MAX_OBJECTS 512
#define P11T_MOCK_MAX_KEY 512          /* bytes of key material kept by an operation */
#define P11T_MOCK_MAX_PIN 32
#define P11T_MOCK_MIN_PIN 4
#define P11T_MOCK_FOLD_LEN 32          /* digest and HMAC output size */
#define P11T_MOCK_KEM_CT_LEN 48        /* fake KEM ciphertext size */

/* ---- Deterministic transforms (mock_mech.c) ---- */

/* A 32-byte FNV-style fold: the mock's stand-in for every hash. */
typedef struct {
    uint64_t lane[4];
    uint64_t count;
} p11t_mock_fold;

void p11t_mock_fold_init(p11t_mock_fold *f, unsigned char domain);
void p11t_mock_fold_update(p11t_mock_fold *f, const unsigned char *p, size_t n);
void p11t_mock_fold_final(const p11t_mock_fold *f, unsigned char out[P11T_MOCK_FOLD_LEN]);
/* Fills `out` with `n` bytes expanded from the fold (for signatures longer than 32 bytes). */
void p11t_mock_fold_expand(const p11t_mock_fold *f, unsigned char *out, size_t n);

/* XOR keystream: out[i] = in[i] ^ key[(pos+i) % klen] ^ iv[(pos+i) % ivlen]. */
void p11t_mock_xor_stream(const unsigned char *key, size_t klen, const unsigned char *iv, size_t ivlen,
                          uint64_t pos, const unsigned char *in, unsigned char *out, size_t n);

/* ---- Mechanisms (mock_mech.c) ---- */

/* Key families a mechanism accepts. */
enum p11t_mock_key_family {
    P11T_MOCK_KEYS_NONE,     /* no key (digest, key generation) */
    P11T_MOCK_KEYS_AES,      /* CKK_AES secret keys */
    P11T_MOCK_KEYS_SECRET,   /* any secret key (HMAC) */
    P11T_MOCK_KEYS_RSA,      /* CKK_RSA public/private keys */
    P11T_MOCK_KEYS_KEM       /* ML-KEM (or the vendor stand-in) key pairs */
};

typedef struct {
    CK_MECHANISM_TYPE type;
    CK_MECHANISM_INFO info;
    CK_ULONG param_len;      /* required ulParameterLen (0: none allowed) */
    CK_ULONG param_len_alt;  /* a second accepted length, or param_len again */
    enum p11t_mock_key_family keys;
} p11t_mock_mechanism;

const p11t_mock_mechanism *p11t_mock_mechanism_find(CK_MECHANISM_TYPE type);
CK_ULONG p11t_mock_mechanism_count(void);
const p11t_mock_mechanism *p11t_mock_mechanism_at(CK_ULONG i);
/*
 * Validates pMechanism for an operation needing `flag` (CKF_ENCRYPT, ...): the type first
 * (CKR_MECHANISM_INVALID, without touching pParameter), then ulParameterLen
 * (CKR_MECHANISM_PARAM_INVALID, still without reading pParameter). Only after CKR_OK may the
 * caller read pParameter. pMechanism must be non-NULL.
 */
CK_RV p11t_mock_mechanism_check(const CK_MECHANISM *m, CK_FLAGS flag, const p11t_mock_mechanism **out);

/* The KEM mechanisms: ML-KEM where the header has it, else a vendor stand-in. */
#if defined(CKM_ML_KEM) && defined(CKM_ML_KEM_KEY_PAIR_GEN) && defined(CKK_ML_KEM)
#define P11T_MOCK_CKM_KEM CKM_ML_KEM
#define P11T_MOCK_CKM_KEM_GEN CKM_ML_KEM_KEY_PAIR_GEN
#define P11T_MOCK_CKK_KEM CKK_ML_KEM
#else
#define P11T_MOCK_CKM_KEM (CKM_VENDOR_DEFINED | 0x4b454dUL)
#define P11T_MOCK_CKM_KEM_GEN (CKM_VENDOR_DEFINED | 0x4b4547UL)
#define P11T_MOCK_CKK_KEM (CKK_VENDOR_DEFINED | 0x4b454dUL)
#endif

/* ---- Objects (mock_store.c) ---- */

typedef struct {
    CK_ATTRIBUTE_TYPE type;
    CK_ULONG len;
    unsigned char *value;  /* malloc'd, NULL when len == 0 */
} p11t_mock_attr;

typedef struct {
    bool in_use;
    CK_OBJECT_HANDLE handle;
    CK_SESSION_HANDLE owner;  /* session that created a session object; 0 for token objects */
    size_t count;
    p11t_mock_attr *attrs;
} p11t_mock_object;

p11t_mock_object *p11t_mock_object_new(CK_SESSION_HANDLE owner);
void p11t_mock_object_free(p11t_mock_object *o);
void p11t_mock_objects_clear(void);
/* The object if it exists and the session may see it (private objects need a user login). */
p11t_mock_object *p11t_mock_object_visible(CK_OBJECT_HANDLE h);
const p11t_mock_attr *p11t_mock_attr_get(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type);
CK_RV p11t_mock_attr_set(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len);
bool p11t_mock_attr_bool(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool fallback);
CK_ULONG p11t_mock_attr_ulong(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG fallback);
CK_RV p11t_mock_attr_set_bool(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool value);
CK_RV p11t_mock_attr_set_ulong(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG value);
/* Sets the default attribute only when absent. */
CK_RV p11t_mock_attr_default_bool(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool value);
/* True if CKA_VALUE (and private key parts) must not be revealed. */
bool p11t_mock_object_is_sensitive(const p11t_mock_object *o);

/*
 * Validates a caller template (pointer/length pairs, sizes of CK_BBOOL/CK_ULONG attributes,
 * duplicates, unsupported types). pTemplate may be NULL only when count is 0.
 */
CK_RV p11t_mock_template_check(const CK_ATTRIBUTE *tmpl, CK_ULONG count);
/* Copies every template attribute into `o` (after p11t_mock_template_check). */
CK_RV p11t_mock_template_apply(p11t_mock_object *o, const CK_ATTRIBUTE *tmpl, CK_ULONG count);
/* Finds `type` in a template; NULL if absent. */
const CK_ATTRIBUTE *p11t_mock_template_find(const CK_ATTRIBUTE *tmpl, CK_ULONG count, CK_ATTRIBUTE_TYPE type);
/* Fills class-dependent defaults, CKA_UNIQUE_ID and checks completeness/consistency. */
CK_RV p11t_mock_object_finish(p11t_mock_object *o, bool token_allowed);
/*
 * Builds a new key object from a caller template plus the module's own attributes, checks
 * permissions (read-only session, login for private objects) and returns its handle.
 * `value` may be NULL for key pairs built by the caller.
 */
CK_RV p11t_mock_key_create(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                           CK_OBJECT_CLASS cls, const unsigned char *value, CK_ULONG value_len, bool local,
                           CK_MECHANISM_TYPE gen_mech, p11t_mock_object **out);
/* Checks that an object with these attributes may be created in this session. */
CK_RV p11t_mock_object_permitted(CK_SESSION_HANDLE hSession, const p11t_mock_object *o);

/* ---- Key helpers (mock_keys.c) ---- */

/* Fills `out` with the next deterministic key bytes. */
void p11t_mock_key_bytes(unsigned char *out, size_t n);

/* A caller template copied so the module can add attributes to it. */
typedef struct {
    CK_ATTRIBUTE *attrs;
    CK_ULONG count;
} p11t_mock_tmpl;

CK_RV p11t_mock_tmpl_copy(p11t_mock_tmpl *t, const CK_ATTRIBUTE *tmpl, CK_ULONG count);
/* Adds `type` if absent; if present it must hold exactly `value` (CKR_TEMPLATE_INCONSISTENT). */
CK_RV p11t_mock_tmpl_ensure(p11t_mock_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len);
void p11t_mock_tmpl_free(p11t_mock_tmpl *t);
/* Checks an AES (un)wrapping key and copies its value; returns the (UN)WRAPPING_KEY_* codes. */
CK_RV p11t_mock_wrapping_key(CK_OBJECT_HANDLE h, bool wrap, unsigned char *key, size_t *klen);
/* Checks that a key may be wrapped and returns its CKA_VALUE. */
CK_RV p11t_mock_wrappable_key(CK_OBJECT_HANDLE h, const p11t_mock_attr **value);

/*
 * Creates a secret key from module-computed bytes (derivation, KEM): CKA_VALUE_LEN in the
 * template may shorten `value`; CKA_KEY_TYPE defaults to CKK_GENERIC_SECRET.
 */
CK_RV p11t_mock_secret_from(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                            const unsigned char *value, CK_ULONG len, CK_OBJECT_HANDLE_PTR phKey);

/* ---- AES-GCM message parameters (mock_message.c, 3.x only) ---- */

/* Validates CK_GCM_MESSAGE_PARAMS (CKR_MECHANISM_PARAM_INVALID) and returns it. */
CK_RV p11t_mock_gcm_params(CK_VOID_PTR pParameter, CK_ULONG ulParameterLen, CK_GCM_MESSAGE_PARAMS **out);
/* Fills the generated part of the IV (after ulIvFixedBits) from `counter`, unless CKG_NO_GENERATE. */
void p11t_mock_gcm_make_iv(CK_GCM_MESSAGE_PARAMS *g, uint64_t counter);

/* ---- Operations ---- */

enum p11t_mock_op_kind {
    P11T_MOCK_OP_NONE = 0,
    P11T_MOCK_OP_PLAIN,    /* the ordinary form (C_SignInit, ...) */
    P11T_MOCK_OP_RECOVER   /* C_SignRecoverInit / C_VerifyRecoverInit in the sign/verify slot */
};

typedef struct {
    enum p11t_mock_op_kind kind;
    CK_MECHANISM_TYPE mech;
    unsigned char key[P11T_MOCK_MAX_KEY];   /* copy of the key material */
    size_t klen;
    unsigned char iv[16];
    size_t ivlen;
    uint64_t pos;                            /* bytes processed so far */
    p11t_mock_fold fold;                     /* running digest/MAC state */
    bool multipart;                          /* an Update was made */
    /* message-based operations */
    bool in_message;                         /* between *MessageBegin and the last *Next */
    uint64_t msg_counter;                    /* IV generator counter */
    /* C_VerifySignatureInit keeps the signature */
    unsigned char sig[P11T_MOCK_MAX_KEY];
    size_t siglen;
} p11t_mock_op;

typedef struct {
    bool in_use;
    CK_SESSION_HANDLE handle;
    CK_SLOT_ID slot;
    CK_FLAGS flags;
    p11t_mock_op encrypt, decrypt, digest, sign, verify, verify_sig;
    p11t_mock_op msg_encrypt, msg_decrypt, msg_sign, msg_verify;
    bool find_active;
    CK_OBJECT_HANDLE *found;
    size_t found_count, found_pos;
} p11t_mock_session;

/* ---- Global state (mock_core.c) ---- */

typedef struct {
    bool initialised;
    pid_t pid;                                   /* process that initialised (fork detection) */
    /* token */
    unsigned char label[32];
    unsigned char user_pin[P11T_MOCK_MAX_PIN], so_pin[P11T_MOCK_MAX_PIN];
    size_t user_pin_len, so_pin_len;
    bool user_pin_initialised;
    bool user_pin_failed;                        /* last user login failed (count-low flag) */
    bool so_pin_failed;
    CK_USER_TYPE login;                          /* CKU_SO, CKU_USER or P11T_MOCK_NOBODY */
    /* sessions and objects */
    p11t_mock_session sessions[P11T_MOCK_MAX_SESSIONS];
    CK_SESSION_HANDLE next_session;
    p11t_mock_object objects[P11T_MOCK_MAX_OBJECTS];
    CK_OBJECT_HANDLE next_object;
    /* deterministic generators */
    uint64_t key_counter;
    uint64_t random_state;
    uint64_t kem_counter;
    uint64_t iv_counter;                         /* IVs generated by C_WrapKeyAuthenticated */
} p11t_mock_state;

#define P11T_MOCK_NOBODY ((CK_USER_TYPE)0xFFFFFFFFUL)

extern p11t_mock_state p11t_mock_g;

/* True when C_Initialize has run in this process and C_Finalize has not. */
bool p11t_mock_is_initialised(void);
/* CKR_SLOT_ID_INVALID, CKR_TOKEN_NOT_PRESENT or CKR_OK for the token's slot. */
CK_RV p11t_mock_token_slot(CK_SLOT_ID slotID);
/* Take/release the module lock (mutex callbacks or a pthread mutex). */
CK_RV p11t_mock_lock(void);
void p11t_mock_unlock(void);

/* ---- Sessions (mock_session.c) ---- */

p11t_mock_session *p11t_mock_session_get(CK_SESSION_HANDLE h);
CK_STATE p11t_mock_session_state(const p11t_mock_session *s);
void p11t_mock_session_release(p11t_mock_session *s);
void p11t_mock_sessions_clear(void);
size_t p11t_mock_session_count(bool rw_only);
void p11t_mock_op_reset(p11t_mock_op *op);

/* ---- Crypto helpers shared between files (mock_crypto.c, mock_sign.c) ---- */

/* What the section 5.2 output convention says to do with a buffer. */
enum p11t_mock_out {
    P11T_MOCK_OUT_QUERY,  /* NULL buffer: length reported, CKR_OK */
    P11T_MOCK_OUT_SHORT,  /* too small: length reported, CKR_BUFFER_TOO_SMALL */
    P11T_MOCK_OUT_WRITE   /* large enough: write `need` bytes */
};
/* Applies the convention; writes *pulLen for QUERY/SHORT and returns the matching code in *rv. */
enum p11t_mock_out p11t_mock_out_check(const void *out, CK_ULONG_PTR pulLen, CK_ULONG need, CK_RV *rv);

/*
 * Prepares `op` for a key-based operation: checks the key (visibility, class, type,
 * usage attribute `usage`, size) and copies its material. `want_class` is the key class the
 * operation needs (CKO_SECRET_KEY, CKO_PUBLIC_KEY or CKO_PRIVATE_KEY; for RSA the caller passes
 * the class matching the direction). Returns the proper CKR_KEY_* code on failure.
 */
CK_RV p11t_mock_op_key(p11t_mock_op *op, const p11t_mock_mechanism *mech, CK_OBJECT_HANDLE hKey,
                       CK_ATTRIBUTE_TYPE usage, CK_OBJECT_CLASS want_class);
/* Copies the key material of an object (CKA_VALUE, or CKA_MODULUS for RSA). */
size_t p11t_mock_key_material(const p11t_mock_object *o, unsigned char *out, size_t cap);

/*
 * One Update step of a cipher operation (the XOR is its own inverse, so encryption and
 * decryption share it). Applies the output convention; *written tells whether output was
 * produced. The caller ends the operation on errors other than CKR_BUFFER_TOO_SMALL.
 */
CK_RV p11t_mock_cipher_update(p11t_mock_op *op, const CK_BYTE *in, CK_ULONG len, CK_BYTE_PTR out,
                              CK_ULONG_PTR pulLen, bool *written);
/* RSA-PKCS single-part: wraps `in` into a modulus-long block (marker 0x02 or 0x01). */
#define P11T_MOCK_RSA_OVERHEAD 11 /* the PKCS#1 v1.5 minimum padding */
CK_RV p11t_mock_rsa_pack(const p11t_mock_op *op, unsigned char marker, const CK_BYTE *in, CK_ULONG len,
                         CK_BYTE_PTR out, CK_ULONG_PTR pulLen);
/*
 * The inverse of p11t_mock_rsa_pack. `bad_len` and `bad_data` are the codes for a wrong input
 * length and a malformed block (they differ between decryption and signature recovery).
 */
CK_RV p11t_mock_rsa_unpack(const p11t_mock_op *op, unsigned char marker, const CK_BYTE *in, CK_ULONG len,
                           CK_BYTE_PTR out, CK_ULONG_PTR pulLen, CK_RV bad_len, CK_RV bad_data);
/* Ends an operation after a call, unless the code keeps it alive (OK or BUFFER_TOO_SMALL). */
CK_RV p11t_mock_op_settle(p11t_mock_op *op, CK_RV rv);

/* Compares `sig` with the signature of the op's running state plus `data`. */
CK_RV p11t_mock_verify_check(const p11t_mock_op *op, const CK_BYTE *data, CK_ULONG len, const CK_BYTE *sig,
                             CK_ULONG siglen);
/* The AEAD tag: fold of the op's key, the IV, the AAD (start) and the ciphertext (fed later). */
void p11t_mock_gcm_tag_start(p11t_mock_fold *f, const p11t_mock_op *op, const unsigned char *iv, size_t ivlen,
                             const unsigned char *aad, size_t aadlen);
void p11t_mock_gcm_tag_finish(const p11t_mock_fold *f, unsigned char *tag, size_t n);

/* The fake signature of `data` under the operation's key: 32 bytes (HMAC) or modulus length (RSA). */
size_t p11t_mock_signature_len(const p11t_mock_op *op);
void p11t_mock_signature_start(p11t_mock_op *op);
void p11t_mock_signature_finish(const p11t_mock_op *op, unsigned char *out);

#pragma GCC visibility pop

#endif /* P11T_MOCK_INTERNAL_H */
