/*
 * PKCS#11 3.2 functions.
 *
 *   C_EncapsulateKey / C_DecapsulateKey  CKM_ML_KEM with the fake key pairs of mock_keys.c:
 *       ciphertext = 48 bytes expanded from the public value and a counter; the shared key
 *       is the fold of the pair's common value and the ciphertext, so both sides agree.
 *   C_VerifySignature*                   the C_Verify* semantics with the signature given at
 *       init (HMAC and RSA-PKCS, RSA single-part only).
 *   C_GetSessionValidationFlags          CKS_LAST_VALIDATION_OK: always 0 (nothing validated).
 *   C_WrapKeyAuthenticated / C_UnwrapKeyAuthenticated  CKM_AES_GCM with
 *       CK_GCM_MESSAGE_PARAMS as mechanism parameter (IV generated as for messages, tag
 *       over the associated data and the wrapped bytes; a bad tag is CKR_WRAPPED_KEY_INVALID).
 *   C_AsyncComplete / C_AsyncGetID / C_AsyncJoin  CKR_FUNCTION_NOT_SUPPORTED: the token has
 *       no asynchronous sessions (C_OpenSession refuses CKF_ASYNC_SESSION).
 */
#include "mock_internal.h"

#include <string.h>

/* The only session validation flags type of 3.2 (not in p11t_pkcs11.h: CKS_ clashes). */
#define MOCK_CKS_LAST_VALIDATION_OK 1UL

/* The shared secret both sides compute from the pair's value and the ciphertext. */
static void kem_secret(const p11t_mock_op *key, const unsigned char *ct, unsigned char out[P11T_MOCK_FOLD_LEN])
{
    p11t_mock_fold f;
    p11t_mock_fold_init(&f, 'Z');
    p11t_mock_fold_update(&f, key->key, key->klen);
    p11t_mock_fold_update(&f, ct, P11T_MOCK_KEM_CT_LEN);
    p11t_mock_fold_final(&f, out);
}

/* Mechanism and key checks shared by encapsulation and decapsulation. */
static CK_RV kem_key(p11t_mock_op *key, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey, bool encapsulate)
{
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, encapsulate ? CKF_ENCAPSULATE : CKF_DECAPSULATE, &m);
    if (rv != CKR_OK)
        return rv;
    return p11t_mock_op_key(key, m, hKey, encapsulate ? CKA_ENCAPSULATE : CKA_DECAPSULATE,
                            encapsulate ? CKO_PUBLIC_KEY : CKO_PRIVATE_KEY);
}

CK_RV p11t_mock_C_EncapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                 CK_OBJECT_HANDLE hPublicKey, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                                 CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pulCiphertextLen == NULL || phKey == NULL)
        return CKR_ARGUMENTS_BAD;
    p11t_mock_op key;
    CK_RV rv = kem_key(&key, pMechanism, hPublicKey, true);
    if (rv == CKR_OK)
        rv = p11t_mock_template_check(pTemplate, ulAttributeCount);
    if (rv != CKR_OK || p11t_mock_out_check(pCiphertext, pulCiphertextLen, P11T_MOCK_KEM_CT_LEN, &rv) !=
                            P11T_MOCK_OUT_WRITE)
        return rv; /* a length query creates no key */
    unsigned char ct[P11T_MOCK_KEM_CT_LEN], secret[P11T_MOCK_FOLD_LEN];
    uint64_t n = ++p11t_mock_g.kem_counter;
    p11t_mock_fold f;
    p11t_mock_fold_init(&f, 'K');
    p11t_mock_fold_update(&f, key.key, key.klen);
    p11t_mock_fold_update(&f, (const unsigned char *)&n, sizeof(n));
    p11t_mock_fold_expand(&f, ct, sizeof(ct));
    kem_secret(&key, ct, secret);
    rv = p11t_mock_secret_from(hSession, pTemplate, ulAttributeCount, secret, sizeof(secret), phKey);
    if (rv != CKR_OK)
        return rv;
    memcpy(pCiphertext, ct, sizeof(ct));
    *pulCiphertextLen = sizeof(ct);
    return CKR_OK;
}

CK_RV p11t_mock_C_DecapsulateKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                 CK_OBJECT_HANDLE hPrivateKey, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount,
                                 CK_BYTE_PTR pCiphertext, CK_ULONG ulCiphertextLen, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pCiphertext == NULL || phKey == NULL)
        return CKR_ARGUMENTS_BAD;
    p11t_mock_op key;
    CK_RV rv = kem_key(&key, pMechanism, hPrivateKey, false);
    if (rv != CKR_OK)
        return rv;
    if (ulCiphertextLen != P11T_MOCK_KEM_CT_LEN)
        return CKR_WRAPPED_KEY_LEN_RANGE;
    /* Like ML-KEM's implicit rejection, any ciphertext of the right size yields some key. */
    unsigned char secret[P11T_MOCK_FOLD_LEN];
    kem_secret(&key, pCiphertext, secret);
    return p11t_mock_secret_from(hSession, pTemplate, ulAttributeCount, secret, sizeof(secret), phKey);
}

CK_RV p11t_mock_C_VerifySignatureInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey,
                                      CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pSignature == NULL)
        return CKR_ARGUMENTS_BAD;
    p11t_mock_op *op = &s->verify_sig;
    if (op->kind != P11T_MOCK_OP_NONE)
        return CKR_OPERATION_ACTIVE;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_VERIFY, &m);
    if (rv != CKR_OK)
        return rv;
    if (ulSignatureLen > sizeof(op->sig))
        return CKR_SIGNATURE_LEN_RANGE;
    rv = p11t_mock_op_key(op, m, hKey, CKA_VERIFY, m->keys == P11T_MOCK_KEYS_RSA ? CKO_PUBLIC_KEY : CKO_SECRET_KEY);
    if (rv != CKR_OK)
        return rv;
    memcpy(op->sig, pSignature, ulSignatureLen);
    op->siglen = ulSignatureLen;
    p11t_mock_signature_start(op);
    return CKR_OK;
}

CK_RV p11t_mock_C_VerifySignature(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = &s->verify_sig;
    if (op->kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->multipart)
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (!(pData == NULL && ulDataLen != 0))
        rv = p11t_mock_verify_check(op, pData, ulDataLen, op->sig, op->siglen);
    p11t_mock_op_reset(op); /* always ends the operation, like C_Verify */
    return rv;
}

CK_RV p11t_mock_C_VerifySignatureUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = &s->verify_sig;
    if (op->kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (pPart == NULL && ulPartLen != 0)
        return p11t_mock_op_settle(op, CKR_ARGUMENTS_BAD);
    if (op->mech == CKM_RSA_PKCS)
        return p11t_mock_op_settle(op, CKR_FUNCTION_NOT_SUPPORTED);
    p11t_mock_fold_update(&op->fold, pPart, ulPartLen);
    op->multipart = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_VerifySignatureFinal(CK_SESSION_HANDLE hSession)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = &s->verify_sig;
    if (op->kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = p11t_mock_verify_check(op, NULL, 0, op->sig, op->siglen);
    p11t_mock_op_reset(op);
    return rv;
}

CK_RV p11t_mock_C_GetSessionValidationFlags(CK_SESSION_HANDLE hSession, CK_SESSION_VALIDATION_FLAGS_TYPE type,
                                            CK_FLAGS_PTR pFlags)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pFlags == NULL || type != MOCK_CKS_LAST_VALIDATION_OK)
        return CKR_ARGUMENTS_BAD;
    *pFlags = 0; /* the mock claims no validation */
    return CKR_OK;
}

CK_RV p11t_mock_C_AsyncComplete(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ASYNC_DATA_PTR pResult)
{
    (void)hSession;
    (void)pFunctionName;
    (void)pResult;
    return CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV p11t_mock_C_AsyncGetID(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG_PTR pulID)
{
    (void)hSession;
    (void)pFunctionName;
    (void)pulID;
    return CKR_FUNCTION_NOT_SUPPORTED;
}

CK_RV p11t_mock_C_AsyncJoin(CK_SESSION_HANDLE hSession, CK_UTF8CHAR_PTR pFunctionName, CK_ULONG ulID,
                            CK_BYTE_PTR pData, CK_ULONG ulData)
{
    (void)hSession;
    (void)pFunctionName;
    (void)ulID;
    (void)pData;
    (void)ulData;
    return CKR_FUNCTION_NOT_SUPPORTED;
}

/* Checks an authenticated-wrap mechanism: CKM_AES_GCM with valid CK_GCM_MESSAGE_PARAMS. */
static CK_RV aead_wrap_mechanism(CK_MECHANISM_PTR pMechanism, CK_FLAGS flag, CK_GCM_MESSAGE_PARAMS **g)
{
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, flag, &m);
    if (rv == CKR_OK && m->type != CKM_AES_GCM)
        rv = CKR_MECHANISM_INVALID;
    if (rv == CKR_OK)
        rv = p11t_mock_gcm_params(pMechanism->pParameter, pMechanism->ulParameterLen, g);
    return rv;
}

/* The tag over associated data and wrapped bytes, under the (un)wrapping key. */
static void aead_wrap_tag(const unsigned char *wkey, size_t wlen, const CK_GCM_MESSAGE_PARAMS *g,
                          const CK_BYTE *aad, CK_ULONG aadlen, const CK_BYTE *wrapped, CK_ULONG len,
                          unsigned char *tag)
{
    p11t_mock_op k;
    memset(&k, 0, sizeof(k));
    memcpy(k.key, wkey, wlen);
    k.klen = wlen;
    p11t_mock_fold f;
    p11t_mock_gcm_tag_start(&f, &k, g->pIv, g->ulIvLen, aad, aadlen);
    p11t_mock_fold_update(&f, wrapped, len);
    p11t_mock_gcm_tag_finish(&f, tag, g->ulTagBits / 8);
}

CK_RV p11t_mock_C_WrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                       CK_OBJECT_HANDLE hWrappingKey, CK_OBJECT_HANDLE hKey,
                                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen,
                                       CK_BYTE_PTR pWrappedKey, CK_ULONG_PTR pulWrappedKeyLen)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pulWrappedKeyLen == NULL || (pAssociatedData == NULL && ulAssociatedDataLen != 0))
        return CKR_ARGUMENTS_BAD;
    CK_GCM_MESSAGE_PARAMS *g = NULL;
    CK_RV rv = aead_wrap_mechanism(pMechanism, CKF_WRAP, &g);
    unsigned char wkey[P11T_MOCK_MAX_KEY];
    size_t wlen = 0;
    if (rv == CKR_OK)
        rv = p11t_mock_wrapping_key(hWrappingKey, true, wkey, &wlen);
    const p11t_mock_attr *value = NULL;
    if (rv == CKR_OK)
        rv = p11t_mock_wrappable_key(hKey, &value);
    if (rv != CKR_OK || p11t_mock_out_check(pWrappedKey, pulWrappedKeyLen, value->len, &rv) != P11T_MOCK_OUT_WRITE)
        return rv; /* a length query generates no IV */
    p11t_mock_gcm_make_iv(g, ++p11t_mock_g.iv_counter);
    p11t_mock_xor_stream(wkey, wlen, g->pIv, g->ulIvLen, 0, value->value, pWrappedKey, value->len);
    aead_wrap_tag(wkey, wlen, g, pAssociatedData, ulAssociatedDataLen, pWrappedKey, value->len, g->pTag);
    *pulWrappedKeyLen = value->len;
    return CKR_OK;
}

CK_RV p11t_mock_C_UnwrapKeyAuthenticated(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism,
                                         CK_OBJECT_HANDLE hUnwrappingKey, CK_BYTE_PTR pWrappedKey,
                                         CK_ULONG ulWrappedKeyLen, CK_ATTRIBUTE_PTR pTemplate,
                                         CK_ULONG ulAttributeCount, CK_BYTE_PTR pAssociatedData,
                                         CK_ULONG ulAssociatedDataLen, CK_OBJECT_HANDLE_PTR phKey)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL || pWrappedKey == NULL || phKey == NULL ||
        (pAssociatedData == NULL && ulAssociatedDataLen != 0))
        return CKR_ARGUMENTS_BAD;
    CK_GCM_MESSAGE_PARAMS *g = NULL;
    CK_RV rv = aead_wrap_mechanism(pMechanism, CKF_UNWRAP, &g);
    unsigned char ukey[P11T_MOCK_MAX_KEY];
    size_t ulen = 0;
    if (rv == CKR_OK)
        rv = p11t_mock_wrapping_key(hUnwrappingKey, false, ukey, &ulen);
    if (rv != CKR_OK)
        return rv;
    if (ulWrappedKeyLen == 0 || ulWrappedKeyLen > P11T_MOCK_MAX_KEY)
        return CKR_WRAPPED_KEY_LEN_RANGE;
    unsigned char tag[16];
    aead_wrap_tag(ukey, ulen, g, pAssociatedData, ulAssociatedDataLen, pWrappedKey, ulWrappedKeyLen, tag);
    if (memcmp(tag, g->pTag, g->ulTagBits / 8) != 0)
        return CKR_WRAPPED_KEY_INVALID;
    unsigned char value[P11T_MOCK_MAX_KEY];
    p11t_mock_xor_stream(ukey, ulen, g->pIv, g->ulIvLen, 0, pWrappedKey, value, ulWrappedKeyLen);
    p11t_mock_object *o;
    rv = p11t_mock_key_create(hSession, pTemplate, ulAttributeCount, CKO_SECRET_KEY, value, ulWrappedKeyLen, false, 0,
                              &o);
    if (rv == CKR_OK)
        *phKey = o->handle;
    return rv;
}
