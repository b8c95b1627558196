/*
 * Key generation, wrapping, unwrapping, derivation and random numbers.
 *
 * Generated key values come from a counter (fold-expanded), so a run of the same calls always
 * yields the same keys. Wrapping (CKM_AES_KEY_WRAP) is an 8-byte header (the mechanism's IV,
 * default A6A6A6A6A6A6A6A6) followed by the key value XORed with the wrapping key and the IV.
 * Derivation (CKM_AES_ECB_ENCRYPT_DATA) "encrypts" the parameter data with the base key.
 */
#include "mock_internal.h"

#include <stdlib.h>
#include <string.h>

#define MOCK_WRAP_HEADER 8

void p11t_mock_key_bytes(unsigned char *out, size_t n)
{
    uint64_t ctr = ++p11t_mock_g.key_counter;
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(ctr >> (8 * i));
    p11t_mock_fold f;
    p11t_mock_fold_init(&f, 'G');
    p11t_mock_fold_update(&f, le, sizeof(le));
    p11t_mock_fold_expand(&f, out, n);
}

void p11t_mock_tmpl_free(p11t_mock_tmpl *t)
{
    free(t->attrs);
    t->attrs = NULL;
    t->count = 0;
}

CK_RV p11t_mock_tmpl_copy(p11t_mock_tmpl *t, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    /* Room for the attributes the module adds (a handful at most). */
    t->attrs = malloc((count + 8) * sizeof(CK_ATTRIBUTE));
    if (t->attrs == NULL)
        return CKR_HOST_MEMORY;
    if (count != 0)
        memcpy(t->attrs, tmpl, count * sizeof(CK_ATTRIBUTE));
    t->count = count;
    return CKR_OK;
}

CK_RV p11t_mock_tmpl_ensure(p11t_mock_tmpl *t, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
    const CK_ATTRIBUTE *have = p11t_mock_template_find(t->attrs, t->count, type);
    if (have != NULL) {
        bool same = have->ulValueLen == len && (len == 0 || memcmp(have->pValue, value, len) == 0);
        return same ? CKR_OK : CKR_TEMPLATE_INCONSISTENT;
    }
    t->attrs[t->count++] = (CK_ATTRIBUTE){type, (void *)value, len};
    return CKR_OK;
}

/* Reads a CK_ULONG attribute from a checked template; false when absent. */
static bool tmpl_ulong(const CK_ATTRIBUTE *tmpl, CK_ULONG count, CK_ATTRIBUTE_TYPE type, CK_ULONG *out)
{
    const CK_ATTRIBUTE *a = p11t_mock_template_find(tmpl, count, type);
    if (a == NULL)
        return false;
    memcpy(out, a->pValue, sizeof(*out));
    return true;
}

CK_RV p11t_mock_C_GenerateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pTemplate,
                              CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || phKey == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_GENERATE, &m);
    if (rv == CKR_OK)
        rv = p11t_mock_template_check(pTemplate, ulCount);
    if (rv != CKR_OK)
        return rv;
    CK_ULONG len;
    if (!tmpl_ulong(pTemplate, ulCount, CKA_VALUE_LEN, &len))
        return CKR_TEMPLATE_INCOMPLETE;
    bool aes = m->type == CKM_AES_KEY_GEN;
    if (aes ? (len != 16 && len != 24 && len != 32) : (len < 1 || len > m->info.ulMaxKeySize))
        return CKR_ATTRIBUTE_VALUE_INVALID;
    CK_KEY_TYPE kt = aes ? CKK_AES : CKK_GENERIC_SECRET;
    p11t_mock_tmpl t;
    rv = p11t_mock_tmpl_copy(&t, pTemplate, ulCount);
    if (rv == CKR_OK)
        rv = p11t_mock_tmpl_ensure(&t, CKA_KEY_TYPE, &kt, sizeof(kt));
    unsigned char value[P11T_MOCK_MAX_KEY];
    p11t_mock_object *o = NULL;
    if (rv == CKR_OK) {
        p11t_mock_key_bytes(value, len);
        rv = p11t_mock_key_create(hSession, t.attrs, t.count, CKO_SECRET_KEY, value, len, true, m->type, &o);
    }
    p11t_mock_tmpl_free(&t);
    if (rv == CKR_OK)
        *phKey = o->handle;
    return rv;
}

/* Creates one half of a key pair from the caller's template plus `extra` module attributes. */
static CK_RV pair_half(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *tmpl, CK_ULONG count, CK_OBJECT_CLASS cls,
                       const CK_ATTRIBUTE *extra, size_t n_extra, const unsigned char *value, CK_ULONG vlen,
                       CK_MECHANISM_TYPE mech, p11t_mock_object **out)
{
    p11t_mock_tmpl t;
    CK_RV rv = p11t_mock_tmpl_copy(&t, tmpl, count);
    for (size_t i = 0; rv == CKR_OK && i < n_extra; i++)
        rv = p11t_mock_tmpl_ensure(&t, extra[i].type, extra[i].pValue, extra[i].ulValueLen);
    if (rv == CKR_OK)
        rv = p11t_mock_key_create(hSession, t.attrs, t.count, cls, value, vlen, true, mech, out);
    p11t_mock_tmpl_free(&t);
    return rv;
}

static CK_RV generate_rsa(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *pub, CK_ULONG npub, const CK_ATTRIBUTE *priv,
                          CK_ULONG npriv, p11t_mock_object **opub, p11t_mock_object **opriv)
{
    static const CK_KEY_TYPE rsa = CKK_RSA;
    static const unsigned char f4[] = {0x01, 0x00, 0x01};
    CK_ULONG bits;
    if (!tmpl_ulong(pub, npub, CKA_MODULUS_BITS, &bits))
        return CKR_TEMPLATE_INCOMPLETE;
    if (bits < 512 || bits > 4096 || bits % 8 != 0)
        return CKR_KEY_SIZE_RANGE;
    if (p11t_mock_template_find(pub, npub, CKA_MODULUS) || p11t_mock_template_find(priv, npriv, CKA_MODULUS))
        return CKR_TEMPLATE_INCONSISTENT;
    const CK_ATTRIBUTE *e = p11t_mock_template_find(pub, npub, CKA_PUBLIC_EXPONENT);
    CK_ATTRIBUTE exponent = e ? *e : (CK_ATTRIBUTE){CKA_PUBLIC_EXPONENT, (void *)f4, sizeof(f4)};
    unsigned char modulus[P11T_MOCK_MAX_KEY], d[P11T_MOCK_MAX_KEY];
    CK_ULONG n = bits / 8;
    p11t_mock_key_bytes(modulus, n);
    modulus[0] |= 0x80; /* a modulus of exactly `bits` bits */
    modulus[n - 1] |= 0x01;
    p11t_mock_key_bytes(d, n);
    const CK_ATTRIBUTE pub_extra[] = {{CKA_KEY_TYPE, (void *)&rsa, sizeof(rsa)}, {CKA_MODULUS, modulus, n}, exponent};
    const CK_ATTRIBUTE priv_extra[] = {
        {CKA_KEY_TYPE, (void *)&rsa, sizeof(rsa)}, {CKA_MODULUS, modulus, n}, exponent, {CKA_PRIVATE_EXPONENT, d, n}};
    CK_RV rv = pair_half(hSession, pub, npub, CKO_PUBLIC_KEY, pub_extra, 3, NULL, 0, CKM_RSA_PKCS_KEY_PAIR_GEN, opub);
    if (rv != CKR_OK)
        return rv;
    rv = pair_half(hSession, priv, npriv, CKO_PRIVATE_KEY, priv_extra, 4, NULL, 0, CKM_RSA_PKCS_KEY_PAIR_GEN, opriv);
    if (rv != CKR_OK)
        p11t_mock_object_free(*opub);
    return rv;
}

#if !P11T_MOCK_V2_ONLY
/* The fake KEM pair: both halves hold the same 32-byte value, which links them. */
static CK_RV generate_kem(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *pub, CK_ULONG npub, const CK_ATTRIBUTE *priv,
                          CK_ULONG npriv, p11t_mock_object **opub, p11t_mock_object **opriv)
{
    static const CK_KEY_TYPE kem = P11T_MOCK_CKK_KEM;
    const CK_ATTRIBUTE extra[] = {{CKA_KEY_TYPE, (void *)&kem, sizeof(kem)}};
    unsigned char material[32];
    p11t_mock_key_bytes(material, sizeof(material));
    CK_RV rv = pair_half(hSession, pub, npub, CKO_PUBLIC_KEY, extra, 1, material, sizeof(material),
                         P11T_MOCK_CKM_KEM_GEN, opub);
    if (rv != CKR_OK)
        return rv;
    rv = pair_half(hSession, priv, npriv, CKO_PRIVATE_KEY, extra, 1, material, sizeof(material), P11T_MOCK_CKM_KEM_GEN,
                   opriv);
    if (rv != CKR_OK)
        p11t_mock_object_free(*opub);
    return rv;
}
#endif

CK_RV p11t_mock_C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                  CK_ATTRIBUTE_PTR pPublicKeyTemplate, CK_ULONG ulPublicKeyAttributeCount,
                                  CK_ATTRIBUTE_PTR pPrivateKeyTemplate, CK_ULONG ulPrivateKeyAttributeCount,
                                  CK_OBJECT_HANDLE_PTR phPublicKey, CK_OBJECT_HANDLE_PTR phPrivateKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || phPublicKey == NULL || phPrivateKey == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_GENERATE_KEY_PAIR, &m);
    if (rv == CKR_OK)
        rv = p11t_mock_template_check(pPublicKeyTemplate, ulPublicKeyAttributeCount);
    if (rv == CKR_OK)
        rv = p11t_mock_template_check(pPrivateKeyTemplate, ulPrivateKeyAttributeCount);
    if (rv != CKR_OK)
        return rv;
    p11t_mock_object *pub = NULL, *priv = NULL;
#if !P11T_MOCK_V2_ONLY
    if (m->type == P11T_MOCK_CKM_KEM_GEN)
        rv = generate_kem(hSession, pPublicKeyTemplate, ulPublicKeyAttributeCount, pPrivateKeyTemplate,
                          ulPrivateKeyAttributeCount, &pub, &priv);
    else
#endif
        rv = generate_rsa(hSession, pPublicKeyTemplate, ulPublicKeyAttributeCount, pPrivateKeyTemplate,
                          ulPrivateKeyAttributeCount, &pub, &priv);
    if (rv != CKR_OK)
        return rv;
    *phPublicKey = pub->handle;
    *phPrivateKey = priv->handle;
    return CKR_OK;
}

CK_RV p11t_mock_wrapping_key(CK_OBJECT_HANDLE h, bool wrap, unsigned char *key, size_t *klen)
{
    const p11t_mock_object *o = p11t_mock_object_visible(h);
    if (o == NULL)
        return wrap ? CKR_WRAPPING_KEY_HANDLE_INVALID : CKR_UNWRAPPING_KEY_HANDLE_INVALID;
    if (p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA) != CKO_SECRET_KEY ||
        p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION) != CKK_AES)
        return wrap ? CKR_WRAPPING_KEY_TYPE_INCONSISTENT : CKR_UNWRAPPING_KEY_TYPE_INCONSISTENT;
    if (!p11t_mock_attr_bool(o, wrap ? CKA_WRAP : CKA_UNWRAP, false))
        return CKR_KEY_FUNCTION_NOT_PERMITTED;
    *klen = p11t_mock_key_material(o, key, P11T_MOCK_MAX_KEY);
    return CKR_OK;
}

CK_RV p11t_mock_wrappable_key(CK_OBJECT_HANDLE h, const p11t_mock_attr **value)
{
    const p11t_mock_object *o = p11t_mock_object_visible(h);
    if (o == NULL)
        return CKR_KEY_HANDLE_INVALID;
    if (!p11t_mock_attr_bool(o, CKA_EXTRACTABLE, true))
        return CKR_KEY_UNEXTRACTABLE;
    *value = p11t_mock_attr_get(o, CKA_VALUE);
    if (p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA) != CKO_SECRET_KEY || *value == NULL)
        return CKR_KEY_NOT_WRAPPABLE;
    return CKR_OK;
}

/* The AES key wrap header: the mechanism's 8-byte IV, or the RFC 3394 default. */
static void wrap_header(const CK_MECHANISM *m, unsigned char out[MOCK_WRAP_HEADER])
{
    if (m->ulParameterLen == MOCK_WRAP_HEADER)
        memcpy(out, m->pParameter, MOCK_WRAP_HEADER);
    else
        memset(out, 0xA6, MOCK_WRAP_HEADER);
}

CK_RV p11t_mock_C_WrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hWrappingKey,
                          CK_OBJECT_HANDLE hKey, CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pulWrappedKeyLen == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_WRAP, &m);
    if (rv == CKR_OK && m->type != CKM_AES_KEY_WRAP) /* AES-GCM wraps only authenticated (3.2) */
        rv = CKR_MECHANISM_INVALID;
    unsigned char wkey[P11T_MOCK_MAX_KEY];
    size_t wlen = 0;
    if (rv == CKR_OK)
        rv = p11t_mock_wrapping_key(hWrappingKey, true, wkey, &wlen);
    const p11t_mock_attr *value = NULL;
    if (rv == CKR_OK)
        rv = p11t_mock_wrappable_key(hKey, &value);
    if (rv == CKR_OK && value->len % 8 != 0)
        rv = CKR_KEY_SIZE_RANGE;
    if (rv != CKR_OK || p11t_mock_out_check(pWrappedKey, pulWrappedKeyLen, value->len + MOCK_WRAP_HEADER, &rv) !=
                            P11T_MOCK_OUT_WRITE)
        return rv;
    wrap_header(pMechanism, pWrappedKey);
    p11t_mock_xor_stream(wkey, wlen, pWrappedKey, MOCK_WRAP_HEADER, 0, value->value,
                         pWrappedKey + MOCK_WRAP_HEADER, value->len);
    *pulWrappedKeyLen = value->len + MOCK_WRAP_HEADER;
    return CKR_OK;
}

CK_RV p11t_mock_C_UnwrapKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                            CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey, CK_ULONG ulWrappedKeyLen,
                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pWrappedKey == NULL || phKey == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_UNWRAP, &m);
    if (rv == CKR_OK && m->type != CKM_AES_KEY_WRAP)
        rv = CKR_MECHANISM_INVALID;
    unsigned char ukey[P11T_MOCK_MAX_KEY];
    size_t ulen = 0;
    if (rv == CKR_OK)
        rv = p11t_mock_wrapping_key(hUnwrappingKey, false, ukey, &ulen);
    if (rv != CKR_OK)
        return rv;
    if (ulWrappedKeyLen < 2 * MOCK_WRAP_HEADER || ulWrappedKeyLen % 8 != 0 ||
        ulWrappedKeyLen - MOCK_WRAP_HEADER > P11T_MOCK_MAX_KEY)
        return CKR_WRAPPED_KEY_LEN_RANGE;
    unsigned char header[MOCK_WRAP_HEADER];
    wrap_header(pMechanism, header);
    if (memcmp(header, pWrappedKey, MOCK_WRAP_HEADER) != 0)
        return CKR_WRAPPED_KEY_INVALID;
    unsigned char value[P11T_MOCK_MAX_KEY];
    CK_ULONG vlen = ulWrappedKeyLen - MOCK_WRAP_HEADER;
    p11t_mock_xor_stream(ukey, ulen, header, MOCK_WRAP_HEADER, 0, pWrappedKey + MOCK_WRAP_HEADER, value, vlen);
    p11t_mock_object *o;
    rv = p11t_mock_key_create(hSession, pTemplate, ulAttributeCount, CKO_SECRET_KEY, value, vlen, false, 0, &o);
    if (rv == CKR_OK)
        *phKey = o->handle;
    return rv;
}

CK_RV p11t_mock_C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                            CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || phKey == NULL)
        return CKR_ARGUMENTS_BAD;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_DERIVE, &m);
    if (rv != CKR_OK)
        return rv;
    const CK_KEY_DERIVATION_STRING_DATA *p = pMechanism->pParameter; /* size checked */
    if (p->pData == NULL || p->ulLen == 0 || p->ulLen % 16 != 0 || p->ulLen > P11T_MOCK_MAX_KEY)
        return CKR_MECHANISM_PARAM_INVALID;
    p11t_mock_op base;
    rv = p11t_mock_op_key(&base, m, hBaseKey, CKA_DERIVE, CKO_SECRET_KEY);
    if (rv != CKR_OK)
        return rv;
    unsigned char value[P11T_MOCK_MAX_KEY];
    p11t_mock_xor_stream(base.key, base.klen, NULL, 0, 0, p->pData, value, p->ulLen);
    return p11t_mock_secret_from(hSession, pTemplate, ulAttributeCount, value, p->ulLen, phKey);
}

CK_RV p11t_mock_secret_from(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                            const unsigned char *value, CK_ULONG len, CK_OBJECT_HANDLE_PTR phKey)
{
    static const CK_KEY_TYPE generic = CKK_GENERIC_SECRET;
    CK_RV rv = p11t_mock_template_check(tmpl, count);
    if (rv != CKR_OK)
        return rv;
    CK_ULONG want;
    if (tmpl_ulong(tmpl, count, CKA_VALUE_LEN, &want)) {
        if (want == 0 || want > len)
            return CKR_TEMPLATE_INCONSISTENT;
        len = want;
    }
    p11t_mock_tmpl t;
    rv = p11t_mock_tmpl_copy(&t, tmpl, count);
    if (rv == CKR_OK && !p11t_mock_template_find(t.attrs, t.count, CKA_KEY_TYPE))
        rv = p11t_mock_tmpl_ensure(&t, CKA_KEY_TYPE, &generic, sizeof(generic));
    p11t_mock_object *o = NULL;
    if (rv == CKR_OK)
        rv = p11t_mock_key_create(hSession, t.attrs, t.count, CKO_SECRET_KEY, value, len, false, 0, &o);
    p11t_mock_tmpl_free(&t);
    if (rv == CKR_OK)
        *phKey = o->handle;
    return rv;
}

CK_RV p11t_mock_C_SeedRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSeed, CK_ULONG ulSeedLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pSeed == NULL && ulSeedLen != 0)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < ulSeedLen; i++)
        p11t_mock_g.random_state = (p11t_mock_g.random_state ^ pSeed[i]) * 0x100000001b3ULL;
    return CKR_OK;
}

/* splitmix64: deterministic from the initial state and every seed given. */
static uint64_t next_random(void)
{
    uint64_t z = (p11t_mock_g.random_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

CK_RV p11t_mock_C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pRandomData == NULL && ulRandomLen != 0)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < ulRandomLen; i += 8) {
        uint64_t r = next_random();
        for (CK_ULONG b = 0; b < 8 && i + b < ulRandomLen; b++)
            pRandomData[i + b] = (unsigned char)(r >> (8 * b));
    }
    return CKR_OK;
}
