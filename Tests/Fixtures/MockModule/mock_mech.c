/*
 * The mechanism table and the deterministic stand-ins for cryptography.
 *
 * Nothing here is cryptography: "encryption" XORs with the key bytes (and the IV), every hash
 * is a 32-byte FNV-style fold, and a signature is the fold of the key material and the data.
 * The point is that every output is deterministic and checkable by the mock itself.
 */
#include "mock_internal.h"

#include <string.h>

#if !P11T_MOCK_V2_ONLY
#define MOCK_MSG_ENC (CKF_MESSAGE_ENCRYPT | CKF_MESSAGE_DECRYPT)
#define MOCK_MSG_SIGN (CKF_MESSAGE_SIGN | CKF_MESSAGE_VERIFY)
#else
#define MOCK_MSG_ENC 0UL
#define MOCK_MSG_SIGN 0UL
#endif

#if !P11T_MOCK_V2_ONLY && defined(CKF_ENCAPSULATE) && defined(CKF_DECAPSULATE)
#define MOCK_KEM_FLAGS (CKF_ENCAPSULATE | CKF_DECAPSULATE)
#else
#define MOCK_KEM_FLAGS 0UL
#endif

static const p11t_mock_mechanism mechanisms[] = {
    {CKM_RSA_PKCS_KEY_PAIR_GEN, {512, 4096, CKF_GENERATE_KEY_PAIR}, 0, 0, P11T_MOCK_KEYS_NONE},
    {CKM_RSA_PKCS, {512, 4096, CKF_ENCRYPT | CKF_DECRYPT | CKF_SIGN | CKF_VERIFY | CKF_SIGN_RECOVER | CKF_VERIFY_RECOVER},
     0, 0, P11T_MOCK_KEYS_RSA},
    {CKM_SHA256, {0, 0, CKF_DIGEST}, 0, 0, P11T_MOCK_KEYS_NONE},
    {CKM_SHA256_HMAC, {1, 512, CKF_SIGN | CKF_VERIFY | MOCK_MSG_SIGN}, 0, 0, P11T_MOCK_KEYS_SECRET},
    {CKM_GENERIC_SECRET_KEY_GEN, {1, 512, CKF_GENERATE}, 0, 0, P11T_MOCK_KEYS_NONE},
    {CKM_AES_KEY_GEN, {16, 32, CKF_GENERATE}, 0, 0, P11T_MOCK_KEYS_NONE},
    {CKM_AES_ECB, {16, 32, CKF_ENCRYPT | CKF_DECRYPT}, 0, 0, P11T_MOCK_KEYS_AES},
    {CKM_AES_CBC, {16, 32, CKF_ENCRYPT | CKF_DECRYPT}, 16, 16, P11T_MOCK_KEYS_AES},
    {CKM_AES_KEY_WRAP, {16, 32, CKF_WRAP | CKF_UNWRAP}, 0, 8, P11T_MOCK_KEYS_AES},
    {CKM_AES_ECB_ENCRYPT_DATA, {16, 32, CKF_DERIVE}, sizeof(CK_KEY_DERIVATION_STRING_DATA),
     sizeof(CK_KEY_DERIVATION_STRING_DATA), P11T_MOCK_KEYS_AES},
#if !P11T_MOCK_V2_ONLY
    /* Message-based AEAD (no init parameter) and authenticated wrapping (CK_GCM_MESSAGE_PARAMS). */
    {CKM_AES_GCM, {16, 32, MOCK_MSG_ENC | CKF_WRAP | CKF_UNWRAP}, 0, sizeof(CK_GCM_MESSAGE_PARAMS),
     P11T_MOCK_KEYS_AES},
    /* The fake KEM keys hold 32 bytes of shared material. */
    {P11T_MOCK_CKM_KEM_GEN, {32, 32, CKF_GENERATE_KEY_PAIR}, 0, 0, P11T_MOCK_KEYS_NONE},
    {P11T_MOCK_CKM_KEM, {32, 32, MOCK_KEM_FLAGS}, 0, 0, P11T_MOCK_KEYS_KEM},
#endif
};

#define MOCK_MECH_COUNT (sizeof(mechanisms) / sizeof(mechanisms[0]))

CK_ULONG p11t_mock_mechanism_count(void)
{
    return MOCK_MECH_COUNT;
}

const p11t_mock_mechanism *p11t_mock_mechanism_at(CK_ULONG i)
{
    return i < MOCK_MECH_COUNT ? &mechanisms[i] : NULL;
}

const p11t_mock_mechanism *p11t_mock_mechanism_find(CK_MECHANISM_TYPE type)
{
    for (size_t i = 0; i < MOCK_MECH_COUNT; i++) {
        if (mechanisms[i].type == type)
            return &mechanisms[i];
    }
    return NULL;
}

CK_RV p11t_mock_mechanism_check(const CK_MECHANISM *m, CK_FLAGS flag, const p11t_mock_mechanism **out)
{
    const p11t_mock_mechanism *d = p11t_mock_mechanism_find(m->mechanism);
    if (d == NULL || !(d->info.flags & flag))
        return CKR_MECHANISM_INVALID;
    /* pParameter is never dereferenced here: garbage in it stays harmless. */
    if (m->ulParameterLen != d->param_len && m->ulParameterLen != d->param_len_alt)
        return CKR_MECHANISM_PARAM_INVALID;
    if (m->ulParameterLen != 0 && m->pParameter == NULL)
        return CKR_MECHANISM_PARAM_INVALID;
    *out = d;
    return CKR_OK;
}

/* ---- the fold ---- */

#define MOCK_FNV_OFFSET 0xcbf29ce484222325ULL
#define MOCK_FNV_PRIME 0x100000001b3ULL

void p11t_mock_fold_init(p11t_mock_fold *f, unsigned char domain)
{
    for (int i = 0; i < 4; i++)
        f->lane[i] = MOCK_FNV_OFFSET ^ ((uint64_t)(i + 1) * 0x9e3779b97f4a7c15ULL);
    f->count = 0;
    p11t_mock_fold_update(f, &domain, 1);
}

void p11t_mock_fold_update(p11t_mock_fold *f, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t *lane = &f->lane[f->count & 3];
        *lane = (*lane ^ p[i]) * MOCK_FNV_PRIME;
        f->count++;
    }
}

void p11t_mock_fold_final(const p11t_mock_fold *f, unsigned char out[P11T_MOCK_FOLD_LEN])
{
    uint64_t x[4];
    memcpy(x, f->lane, sizeof(x));
    /* Two mixing rounds so that every output byte depends on every input byte. */
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 4; i++) {
            x[i] ^= x[(i + 1) & 3] >> 29;
            x[i] = (x[i] ^ f->count) * MOCK_FNV_PRIME;
        }
    }
    for (int i = 0; i < 4; i++) {
        for (int b = 0; b < 8; b++)
            out[i * 8 + b] = (unsigned char)(x[i] >> (8 * b));
    }
}

void p11t_mock_fold_expand(const p11t_mock_fold *f, unsigned char *out, size_t n)
{
    unsigned char block[P11T_MOCK_FOLD_LEN];
    for (uint32_t k = 0; n > 0; k++) {
        p11t_mock_fold g = *f;
        unsigned char ctr[4] = {(unsigned char)k, (unsigned char)(k >> 8), (unsigned char)(k >> 16),
                                (unsigned char)(k >> 24)};
        p11t_mock_fold_update(&g, ctr, sizeof(ctr));
        p11t_mock_fold_final(&g, block);
        size_t take = n < sizeof(block) ? n : sizeof(block);
        memcpy(out, block, take);
        out += take;
        n -= take;
    }
}

void p11t_mock_xor_stream(const unsigned char *key, size_t klen, const unsigned char *iv, size_t ivlen,
                          uint64_t pos, const unsigned char *in, unsigned char *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t at = pos + i;
        unsigned char k = klen ? key[at % klen] : 0;
        unsigned char v = ivlen ? iv[at % ivlen] : 0;
        out[i] = in[i] ^ k ^ v;
    }
}

/* ---- helpers shared by the operation files ---- */

enum p11t_mock_out p11t_mock_out_check(const void *out, CK_ULONG_PTR pulLen, CK_ULONG need, CK_RV *rv)
{
    if (out == NULL) {
        *pulLen = need;
        *rv = CKR_OK;
        return P11T_MOCK_OUT_QUERY;
    }
    if (*pulLen < need) {
        if (!p11t_mock_violates(P11T_MOCK_VIOLATE_TOO_SMALL_NO_LENGTH))
            *pulLen = need;
        *rv = CKR_BUFFER_TOO_SMALL;
        return P11T_MOCK_OUT_SHORT;
    }
    *rv = CKR_OK;
    return P11T_MOCK_OUT_WRITE;
}

size_t p11t_mock_key_material(const p11t_mock_object *o, unsigned char *out, size_t cap)
{
    CK_KEY_TYPE kt = p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    /* Both halves of an RSA pair share the modulus, which links them. */
    const p11t_mock_attr *a = p11t_mock_attr_get(o, kt == CKK_RSA ? CKA_MODULUS : CKA_VALUE);
    if (a == NULL)
        return 0;
    size_t n = a->len < cap ? a->len : cap;
    if (n != 0)
        memcpy(out, a->value, n);
    return n;
}

static bool family_accepts(enum p11t_mock_key_family fam, CK_OBJECT_CLASS cls, CK_KEY_TYPE kt)
{
    switch (fam) {
    case P11T_MOCK_KEYS_AES:
        return cls == CKO_SECRET_KEY && kt == CKK_AES;
    case P11T_MOCK_KEYS_SECRET:
        return cls == CKO_SECRET_KEY;
    case P11T_MOCK_KEYS_RSA:
        return kt == CKK_RSA;
    case P11T_MOCK_KEYS_KEM:
        return kt == P11T_MOCK_CKK_KEM;
    default:
        return false;
    }
}

CK_RV p11t_mock_op_key(p11t_mock_op *op, const p11t_mock_mechanism *mech, CK_OBJECT_HANDLE hKey,
                       CK_ATTRIBUTE_TYPE usage, CK_OBJECT_CLASS want_class)
{
    const p11t_mock_object *o = p11t_mock_object_visible(hKey);
    if (o == NULL)
        return CKR_KEY_HANDLE_INVALID;
    CK_OBJECT_CLASS cls = p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA);
    CK_KEY_TYPE kt = p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (cls != want_class || !family_accepts(mech->keys, cls, kt))
        return CKR_KEY_TYPE_INCONSISTENT;
    if (!p11t_mock_attr_bool(o, usage, false))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    p11t_mock_op_reset(op);
    op->klen = p11t_mock_key_material(o, op->key, sizeof(op->key));
    size_t bits_or_bytes = mech->keys == P11T_MOCK_KEYS_RSA ? op->klen * 8 : op->klen;
    if (op->klen == 0 || bits_or_bytes < mech->info.ulMinKeySize || bits_or_bytes > mech->info.ulMaxKeySize) {
        p11t_mock_op_reset(op);
        return CKR_KEY_SIZE_RANGE;
    }
    op->kind = P11T_MOCK_OP_PLAIN;
    op->mech = mech->type;
    return CKR_OK;
}

size_t p11t_mock_signature_len(const p11t_mock_op *op)
{
    return op->mech == CKM_RSA_PKCS ? op->klen : P11T_MOCK_FOLD_LEN;
}

void p11t_mock_signature_start(p11t_mock_op *op)
{
    p11t_mock_fold_init(&op->fold, 'S');
    p11t_mock_fold_update(&op->fold, op->key, op->klen);
}

void p11t_mock_signature_finish(const p11t_mock_op *op, unsigned char *out)
{
    p11t_mock_fold_expand(&op->fold, out, p11t_mock_signature_len(op));
}
