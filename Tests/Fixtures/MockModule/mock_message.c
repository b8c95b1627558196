/*
 * PKCS#11 3.0 message-based encryption (CKM_AES_GCM) and signing (CKM_SHA256_HMAC).
 *
 * A message operation stays active across messages until its *Final call; errors in one
 * message do not end it. AES-GCM messages take CK_GCM_MESSAGE_PARAMS: when ivGenerator is
 * not CKG_NO_GENERATE, the module fills the IV bits after the first ulIvFixedBits with a
 * per-operation counter (big-endian), as the specification describes for generated IVs, and
 * writes the tag (ulTagBits/8 bytes of the fold of key, IV, AAD and ciphertext) to pTag.
 * A tag that does not match on decryption gives CKR_AEAD_DECRYPT_FAILED.
 */
#include "mock_internal.h"

#include <string.h>

CK_RV p11t_mock_gcm_params(CK_VOID_PTR pParameter, CK_ULONG ulParameterLen, CK_GCM_MESSAGE_PARAMS **out)
{
    if (pParameter == NULL || ulParameterLen != sizeof(CK_GCM_MESSAGE_PARAMS))
        return CKR_MECHANISM_PARAM_INVALID;
    CK_GCM_MESSAGE_PARAMS *g = pParameter;
    if (g->pIv == NULL || g->ulIvLen == 0 || g->ulIvLen > 16 || g->ulIvFixedBits > g->ulIvLen * 8)
        return CKR_MECHANISM_PARAM_INVALID;
    if (g->pTag == NULL || g->ulTagBits < 32 || g->ulTagBits > 128 || g->ulTagBits % 8 != 0)
        return CKR_MECHANISM_PARAM_INVALID;
    if (g->ivGenerator > CKG_GENERATE_COUNTER_XOR)
        return CKR_MECHANISM_PARAM_INVALID;
    *out = g;
    return CKR_OK;
}

void p11t_mock_gcm_make_iv(CK_GCM_MESSAGE_PARAMS *g, uint64_t counter)
{
    if (g->ivGenerator == CKG_NO_GENERATE)
        return;
    unsigned char gen[16] = {0};
    for (size_t i = 0; i < 8 && i < g->ulIvLen; i++)
        gen[g->ulIvLen - 1 - i] = (unsigned char)(counter >> (8 * i));
    for (size_t i = 0; i < g->ulIvLen; i++) {
        /* Keep the leading ulIvFixedBits bits the application supplied. */
        size_t first_bit = i * 8;
        unsigned char fixed = 0;
        if (first_bit + 8 <= g->ulIvFixedBits)
            fixed = 0xFF;
        else if (first_bit < g->ulIvFixedBits)
            fixed = (unsigned char)(0xFF << (8 - (g->ulIvFixedBits - first_bit)));
        g->pIv[i] = (unsigned char)((g->pIv[i] & fixed) | (gen[i] & ~fixed));
    }
}

void p11t_mock_gcm_tag_start(p11t_mock_fold *f, const p11t_mock_op *op, const unsigned char *iv, size_t ivlen,
                             const unsigned char *aad, size_t aadlen)
{
    p11t_mock_fold_init(f, 'T');
    p11t_mock_fold_update(f, op->key, op->klen);
    p11t_mock_fold_update(f, iv, ivlen);
    p11t_mock_fold_update(f, aad, aadlen);
}

void p11t_mock_gcm_tag_finish(const p11t_mock_fold *f, unsigned char *tag, size_t n)
{
    unsigned char full[P11T_MOCK_FOLD_LEN];
    p11t_mock_fold_final(f, full);
    memcpy(tag, full, n);
}

/* Init shared by the four message operations. */
static CK_RV msg_init(p11t_mock_op *op, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey, CK_FLAGS flag,
                      CK_ATTRIBUTE_TYPE usage)
{
    if (pMechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->kind != P11T_MOCK_OP_NONE)
        return CKR_OPERATION_ACTIVE;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, flag, &m);
    if (rv == CKR_OK)
        rv = p11t_mock_op_key(op, m, hKey, usage, CKO_SECRET_KEY);
    return rv;
}

/* The session's message op, or NULL when the session handle is invalid. */
static p11t_mock_op *msg_op(CK_SESSION_HANDLE h, size_t offset)
{
    p11t_mock_session *s = p11t_mock_session_get(h);
    return s == NULL ? NULL : (p11t_mock_op *)((char *)s + offset);
}

#define MOCK_MSG_OP(h, field) msg_op((h), offsetof(p11t_mock_session, field))

/* Checks of a single-part message call: op state and data pointers. */
static CK_RV msg_ready(const p11t_mock_op *op, const void *a, CK_ULONG alen, const void *b, CK_ULONG blen)
{
    if (op->kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->in_message)
        return CKR_OPERATION_ACTIVE;
    if ((a == NULL && alen != 0) || (b == NULL && blen != 0))
        return CKR_ARGUMENTS_BAD;
    return CKR_OK;
}

CK_RV p11t_mock_C_MessageEncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_encrypt);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : msg_init(op, pMechanism, hKey, CKF_MESSAGE_ENCRYPT, CKA_ENCRYPT);
}

/* Single-part AEAD in either direction. */
static CK_RV aead_once(p11t_mock_op *op, bool encrypt, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       const CK_BYTE *aad, CK_ULONG aadlen, const CK_BYTE *in, CK_ULONG len, CK_BYTE_PTR out,
                       CK_ULONG_PTR pulLen)
{
    CK_RV rv = msg_ready(op, aad, aadlen, in, len);
    if (rv == CKR_OK && pulLen == NULL)
        rv = CKR_ARGUMENTS_BAD;
    CK_GCM_MESSAGE_PARAMS *g = NULL;
    if (rv == CKR_OK)
        rv = p11t_mock_gcm_params(pParameter, ulParameterLen, &g);
    if (rv != CKR_OK || p11t_mock_out_check(out, pulLen, len, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    if (encrypt)
        p11t_mock_gcm_make_iv(g, ++op->msg_counter);
    p11t_mock_fold f;
    unsigned char tag[16];
    size_t taglen = g->ulTagBits / 8;
    p11t_mock_gcm_tag_start(&f, op, g->pIv, g->ulIvLen, aad, aadlen);
    if (encrypt) {
        p11t_mock_xor_stream(op->key, op->klen, g->pIv, g->ulIvLen, 0, in, out, len);
        p11t_mock_fold_update(&f, out, len);
        p11t_mock_gcm_tag_finish(&f, g->pTag, taglen);
    } else {
        p11t_mock_fold_update(&f, in, len);
        p11t_mock_gcm_tag_finish(&f, tag, taglen);
        if (memcmp(tag, g->pTag, taglen) != 0)
            return CKR_AEAD_DECRYPT_FAILED;
        p11t_mock_xor_stream(op->key, op->klen, g->pIv, g->ulIvLen, 0, in, out, len);
    }
    *pulLen = len;
    return CKR_OK;
}

CK_RV p11t_mock_C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                 CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                                 CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_encrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_once(op, true, pParameter, ulParameterLen, pAssociatedData, ulAssociatedDataLen, pPlaintext,
                     ulPlaintextLen, pCiphertext, pulCiphertextLen);
}

/* Begin of a multi-part AEAD message: IV (generated when encrypting) and AAD go into the tag. */
static CK_RV aead_begin(p11t_mock_op *op, bool encrypt, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                        const CK_BYTE *aad, CK_ULONG aadlen)
{
    CK_RV rv = msg_ready(op, aad, aadlen, NULL, 0);
    CK_GCM_MESSAGE_PARAMS *g = NULL;
    if (rv == CKR_OK)
        rv = p11t_mock_gcm_params(pParameter, ulParameterLen, &g);
    if (rv != CKR_OK)
        return rv;
    if (encrypt)
        p11t_mock_gcm_make_iv(g, ++op->msg_counter);
    memcpy(op->iv, g->pIv, g->ulIvLen);
    op->ivlen = g->ulIvLen;
    op->pos = 0;
    p11t_mock_gcm_tag_start(&op->fold, op, op->iv, op->ivlen, aad, aadlen);
    op->in_message = true;
    return CKR_OK;
}

/* Next part of a multi-part AEAD message; CKF_END_OF_MESSAGE writes or checks the tag. */
static CK_RV aead_next(p11t_mock_op *op, bool encrypt, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       const CK_BYTE *in, CK_ULONG len, CK_BYTE_PTR out, CK_ULONG_PTR pulLen, CK_FLAGS flags)
{
    if (op->kind == P11T_MOCK_OP_NONE || !op->in_message)
        return CKR_OPERATION_NOT_INITIALIZED;
    if ((in == NULL && len != 0) || pulLen == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_GCM_MESSAGE_PARAMS *g = NULL;
    CK_RV rv = p11t_mock_gcm_params(pParameter, ulParameterLen, &g);
    if (rv != CKR_OK || p11t_mock_out_check(out, pulLen, len, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    if (!encrypt)
        p11t_mock_fold_update(&op->fold, in, len);
    p11t_mock_xor_stream(op->key, op->klen, op->iv, op->ivlen, op->pos, in, out, len);
    if (encrypt)
        p11t_mock_fold_update(&op->fold, out, len);
    op->pos += len;
    *pulLen = len;
    if (!(flags & CKF_END_OF_MESSAGE))
        return CKR_OK;
    op->in_message = false;
    size_t taglen = g->ulTagBits / 8;
    if (encrypt) {
        p11t_mock_gcm_tag_finish(&op->fold, g->pTag, taglen);
        return CKR_OK;
    }
    unsigned char tag[16];
    p11t_mock_gcm_tag_finish(&op->fold, tag, taglen);
    return memcmp(tag, g->pTag, taglen) == 0 ? CKR_OK : CKR_AEAD_DECRYPT_FAILED;
}

CK_RV p11t_mock_C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                      CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_encrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_begin(op, true, pParameter, ulParameterLen, pAssociatedData, ulAssociatedDataLen);
}

CK_RV p11t_mock_C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen,
                                     CK_BYTE_PTR pCiphertextPart, CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_encrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_next(op, true, pParameter, ulParameterLen, pPlaintextPart, ulPlaintextPartLen, pCiphertextPart,
                     pulCiphertextPartLen, flags);
}

/* Ends any message operation. */
static CK_RV msg_final(p11t_mock_op *op)
{
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (op->kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    p11t_mock_op_reset(op);
    return CKR_OK;
}

CK_RV p11t_mock_C_MessageEncryptFinal(CK_SESSION_HANDLE hSession)
{
    return msg_final(MOCK_MSG_OP(hSession, msg_encrypt));
}

CK_RV p11t_mock_C_MessageDecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_decrypt);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : msg_init(op, pMechanism, hKey, CKF_MESSAGE_DECRYPT, CKA_DECRYPT);
}

CK_RV p11t_mock_C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                 CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                                 CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_decrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_once(op, false, pParameter, ulParameterLen, pAssociatedData, ulAssociatedDataLen, pCiphertext,
                     ulCiphertextLen, pPlaintext, pulPlaintextLen);
}

CK_RV p11t_mock_C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                      CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_decrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_begin(op, false, pParameter, ulParameterLen, pAssociatedData, ulAssociatedDataLen);
}

CK_RV p11t_mock_C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                     CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen,
                                     CK_BYTE_PTR pPlaintextPart, CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_decrypt);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return aead_next(op, false, pParameter, ulParameterLen, pCiphertextPart, ulCiphertextPartLen, pPlaintextPart,
                     pulPlaintextPartLen, flags);
}

CK_RV p11t_mock_C_MessageDecryptFinal(CK_SESSION_HANDLE hSession)
{
    return msg_final(MOCK_MSG_OP(hSession, msg_decrypt));
}

/* ---- message signing: HMAC, no per-message parameter ---- */

CK_RV p11t_mock_C_MessageSignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_sign);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : msg_init(op, pMechanism, hKey, CKF_MESSAGE_SIGN, CKA_SIGN);
}

/* The signature of `data` in a fresh fold (single-part) or appended to the running one. */
static void mac_of(const p11t_mock_op *op, bool fresh, const CK_BYTE *data, CK_ULONG len, unsigned char *out)
{
    p11t_mock_op tmp = *op;
    if (fresh)
        p11t_mock_signature_start(&tmp);
    p11t_mock_fold_update(&tmp.fold, data, len);
    p11t_mock_signature_finish(&tmp, out);
}

CK_RV p11t_mock_C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                              CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                              CK_ULONG_PTR pulSignatureLen)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_sign);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    (void)pParameter; /* HMAC takes none; ulParameterLen must be 0 */
    CK_RV rv = msg_ready(op, pData, ulDataLen, NULL, 0);
    if (rv == CKR_OK && pulSignatureLen == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && ulParameterLen != 0)
        rv = CKR_MECHANISM_PARAM_INVALID;
    if (rv != CKR_OK || p11t_mock_out_check(pSignature, pulSignatureLen, P11T_MOCK_FOLD_LEN, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    mac_of(op, true, pData, ulDataLen, pSignature);
    *pulSignatureLen = P11T_MOCK_FOLD_LEN;
    return CKR_OK;
}

/* Starts a multi-part message MAC (sign or verify). */
static CK_RV mac_begin(p11t_mock_op *op, CK_ULONG ulParameterLen)
{
    CK_RV rv = msg_ready(op, NULL, 0, NULL, 0);
    if (rv == CKR_OK && ulParameterLen != 0)
        rv = CKR_MECHANISM_PARAM_INVALID;
    if (rv != CKR_OK)
        return rv;
    p11t_mock_signature_start(op);
    op->in_message = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen)
{
    (void)pParameter;
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_sign);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : mac_begin(op, ulParameterLen);
}

CK_RV p11t_mock_C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                  CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                  CK_ULONG_PTR pulSignatureLen)
{
    (void)pParameter;
    (void)ulParameterLen;
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_sign);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (op->kind == P11T_MOCK_OP_NONE || !op->in_message)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (pData == NULL && ulDataLen != 0)
        return CKR_ARGUMENTS_BAD;
    if (pulSignatureLen == NULL) { /* more parts follow */
        p11t_mock_fold_update(&op->fold, pData, ulDataLen);
        return CKR_OK;
    }
    CK_RV rv;
    if (p11t_mock_out_check(pSignature, pulSignatureLen, P11T_MOCK_FOLD_LEN, &rv) != P11T_MOCK_OUT_WRITE)
        return rv; /* the last part is consumed only when the signature is returned */
    mac_of(op, false, pData, ulDataLen, pSignature);
    *pulSignatureLen = P11T_MOCK_FOLD_LEN;
    op->in_message = false;
    return CKR_OK;
}

CK_RV p11t_mock_C_MessageSignFinal(CK_SESSION_HANDLE hSession)
{
    return msg_final(MOCK_MSG_OP(hSession, msg_sign));
}

CK_RV p11t_mock_C_MessageVerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_verify);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : msg_init(op, pMechanism, hKey, CKF_MESSAGE_VERIFY, CKA_VERIFY);
}

/* Compares a signature with the MAC of `data` (fresh or appended to the running fold). */
static CK_RV mac_check(const p11t_mock_op *op, bool fresh, const CK_BYTE *data, CK_ULONG len, const CK_BYTE *sig,
                       CK_ULONG siglen)
{
    if (siglen != P11T_MOCK_FOLD_LEN)
        return CKR_SIGNATURE_LEN_RANGE;
    unsigned char expect[P11T_MOCK_FOLD_LEN];
    mac_of(op, fresh, data, len, expect);
    return memcmp(expect, sig, siglen) == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

CK_RV p11t_mock_C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    (void)pParameter;
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_verify);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    CK_RV rv = msg_ready(op, pData, ulDataLen, NULL, 0);
    if (rv == CKR_OK && pSignature == NULL)
        rv = CKR_ARGUMENTS_BAD;
    if (rv == CKR_OK && ulParameterLen != 0)
        rv = CKR_MECHANISM_PARAM_INVALID;
    return rv != CKR_OK ? rv : mac_check(op, true, pData, ulDataLen, pSignature, ulSignatureLen);
}

CK_RV p11t_mock_C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen)
{
    (void)pParameter;
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_verify);
    return op == NULL ? CKR_SESSION_HANDLE_INVALID : mac_begin(op, ulParameterLen);
}

CK_RV p11t_mock_C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                                    CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                                    CK_ULONG ulSignatureLen)
{
    (void)pParameter;
    (void)ulParameterLen;
    p11t_mock_op *op = MOCK_MSG_OP(hSession, msg_verify);
    if (op == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (op->kind == P11T_MOCK_OP_NONE || !op->in_message)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (pData == NULL && ulDataLen != 0)
        return CKR_ARGUMENTS_BAD;
    if (pSignature == NULL) { /* more parts follow */
        p11t_mock_fold_update(&op->fold, pData, ulDataLen);
        return CKR_OK;
    }
    op->in_message = false;
    return mac_check(op, false, pData, ulDataLen, pSignature, ulSignatureLen);
}

CK_RV p11t_mock_C_MessageVerifyFinal(CK_SESSION_HANDLE hSession)
{
    return msg_final(MOCK_MSG_OP(hSession, msg_verify));
}
