/*
 * Signing and verification (plain and with recovery), the dual-function updates and
 * C_GetOperationState/C_SetOperationState.
 *
 * A signature is the fold of the key material followed by the data: 32 bytes for HMAC,
 * modulus-long for RSA-PKCS (whose key pairs share the modulus, so the public key verifies
 * what the private key signed). RSA-PKCS is single-part only. Recovery signatures use the
 * RSA block of mock_crypto.c with marker 0x01.
 */
#include "mock_internal.h"

#include <string.h>

/* Loads a sign/verify op (plain or recover) in the session's sign or verify slot. */
static CK_RV sv_init(p11t_mock_op *op, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey, CK_FLAGS flag,
                     CK_ATTRIBUTE_TYPE usage, bool signing, enum p11t_mock_op_kind kind)
{
    if (pMechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->kind != P11T_MOCK_OP_NONE)
        return CKR_OPERATION_ACTIVE;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, flag, &m);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    if (m->keys == P11T_MOCK_KEYS_RSA)
        cls = signing ? CKO_PRIVATE_KEY : CKO_PUBLIC_KEY;
    rv = p11t_mock_op_key(op, m, hKey, usage, cls);
    if (rv != CKR_OK)
        return rv;
    op->kind = kind;
    p11t_mock_signature_start(op);
    return CKR_OK;
}

/* Returns the session's op if it is of `kind`, else NULL. */
static p11t_mock_op *active(p11t_mock_op *op, enum p11t_mock_op_kind kind)
{
    return op->kind == kind ? op : NULL;
}

/* Produces the signature of the running state plus `data` with the output convention. */
static CK_RV sign_out(p11t_mock_op *op, const CK_BYTE *data, CK_ULONG len, CK_BYTE_PTR out, CK_ULONG_PTR pulLen)
{
    if (op->mech == CKM_RSA_PKCS && len + P11T_MOCK_RSA_OVERHEAD > op->klen)
        return CKR_DATA_LEN_RANGE;
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, p11t_mock_signature_len(op), &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    p11t_mock_op tmp = *op;
    p11t_mock_fold_update(&tmp.fold, data, len);
    p11t_mock_signature_finish(&tmp, out);
    *pulLen = p11t_mock_signature_len(op);
    return CKR_OK;
}

/* Ends a sign op after a single-part call or Final, following the output convention. */
static CK_RV sign_settle(p11t_mock_op *op, CK_RV rv, const void *out)
{
    if (rv == CKR_OK && out != NULL)
        p11t_mock_op_reset(op);
    return p11t_mock_op_settle(op, rv);
}

CK_RV p11t_mock_verify_check(const p11t_mock_op *op, const CK_BYTE *data, CK_ULONG len, const CK_BYTE *sig,
                             CK_ULONG siglen)
{
    if (siglen != p11t_mock_signature_len(op))
        return CKR_SIGNATURE_LEN_RANGE;
    unsigned char expect[P11T_MOCK_MAX_KEY];
    p11t_mock_op tmp = *op;
    p11t_mock_fold_update(&tmp.fold, data, len);
    p11t_mock_signature_finish(&tmp, expect);
    return memcmp(expect, sig, siglen) == 0 ? CKR_OK : CKR_SIGNATURE_INVALID;
}

CK_RV p11t_mock_C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return sv_init(&s->sign, pMechanism, hKey, CKF_SIGN, CKA_SIGN, true, P11T_MOCK_OP_PLAIN);
}

CK_RV p11t_mock_C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                       CK_ULONG_PTR pulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->sign, P11T_MOCK_OP_PLAIN);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->multipart)
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (!(pData == NULL && ulDataLen != 0) && pulSignatureLen != NULL)
        rv = sign_out(op, pData, ulDataLen, pSignature, pulSignatureLen);
    return sign_settle(op, rv, pSignature);
}

/* Feeds a part into a multi-part sign or verify op. */
static CK_RV sv_update(p11t_mock_op *op, const CK_BYTE *part, CK_ULONG len)
{
    if (part == NULL && len != 0)
        return p11t_mock_op_settle(op, CKR_ARGUMENTS_BAD);
    if (op->mech == CKM_RSA_PKCS)
        return p11t_mock_op_settle(op, CKR_FUNCTION_NOT_SUPPORTED);
    p11t_mock_fold_update(&op->fold, part, len);
    op->multipart = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->sign, P11T_MOCK_OP_PLAIN);
    return op == NULL ? CKR_OPERATION_NOT_INITIALIZED : sv_update(op, pPart, ulPartLen);
}

CK_RV p11t_mock_C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->sign, P11T_MOCK_OP_PLAIN);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = pulSignatureLen == NULL ? CKR_ARGUMENTS_BAD : sign_out(op, NULL, 0, pSignature, pulSignatureLen);
    return sign_settle(op, rv, pSignature);
}

CK_RV p11t_mock_C_SignRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return sv_init(&s->sign, pMechanism, hKey, CKF_SIGN_RECOVER, CKA_SIGN_RECOVER, true, P11T_MOCK_OP_RECOVER);
}

CK_RV p11t_mock_C_SignRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                              CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->sign, P11T_MOCK_OP_RECOVER);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (!(pData == NULL && ulDataLen != 0) && pulSignatureLen != NULL)
        rv = p11t_mock_rsa_pack(op, 0x01, pData, ulDataLen, pSignature, pulSignatureLen);
    return sign_settle(op, rv, pSignature);
}

CK_RV p11t_mock_C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return sv_init(&s->verify, pMechanism, hKey, CKF_VERIFY, CKA_VERIFY, false, P11T_MOCK_OP_PLAIN);
}

CK_RV p11t_mock_C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
                         CK_ULONG ulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->verify, P11T_MOCK_OP_PLAIN);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (op->multipart)
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (!(pData == NULL && ulDataLen != 0) && pSignature != NULL)
        rv = p11t_mock_verify_check(op, pData, ulDataLen, pSignature, ulSignatureLen);
    p11t_mock_op_reset(op); /* C_Verify always ends the operation */
    return rv;
}

CK_RV p11t_mock_C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->verify, P11T_MOCK_OP_PLAIN);
    return op == NULL ? CKR_OPERATION_NOT_INITIALIZED : sv_update(op, pPart, ulPartLen);
}

CK_RV p11t_mock_C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->verify, P11T_MOCK_OP_PLAIN);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = pSignature == NULL ? CKR_ARGUMENTS_BAD : p11t_mock_verify_check(op, NULL, 0, pSignature, ulSignatureLen);
    p11t_mock_op_reset(op);
    return rv;
}

CK_RV p11t_mock_C_VerifyRecoverInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return sv_init(&s->verify, pMechanism, hKey, CKF_VERIFY_RECOVER, CKA_VERIFY_RECOVER, false,
                   P11T_MOCK_OP_RECOVER);
}

CK_RV p11t_mock_C_VerifyRecover(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen,
                                CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *op = active(&s->verify, P11T_MOCK_OP_RECOVER);
    if (op == NULL)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (pSignature != NULL && pulDataLen != NULL)
        rv = p11t_mock_rsa_unpack(op, 0x01, pSignature, ulSignatureLen, pData, pulDataLen, CKR_SIGNATURE_LEN_RANGE,
                                  CKR_SIGNATURE_INVALID);
    return sign_settle(op, rv, pData);
}

/* ---- dual-function updates ---- */

/* True when a cipher update with this buffer will write output (so the input may be consumed). */
static bool will_write(const CK_BYTE *out, const CK_ULONG *pulLen, CK_ULONG need)
{
    return out != NULL && pulLen != NULL && *pulLen >= need;
}

CK_RV p11t_mock_C_DigestEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                      CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->digest.kind == P11T_MOCK_OP_NONE || s->encrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    /* Digest the plaintext before encrypting: the buffers may be the same. */
    if (pPart != NULL && s->encrypt.mech != CKM_RSA_PKCS && will_write(pEncryptedPart, pulEncryptedPartLen, ulPartLen)) {
        p11t_mock_fold_update(&s->digest.fold, pPart, ulPartLen);
        s->digest.multipart = true;
    }
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->encrypt, pPart, ulPartLen, pEncryptedPart, pulEncryptedPartLen, &written);
    p11t_mock_op_settle(&s->digest, rv);
    return p11t_mock_op_settle(&s->encrypt, rv);
}

CK_RV p11t_mock_C_DecryptDigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                      CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->decrypt.kind == P11T_MOCK_OP_NONE || s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->decrypt, pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen, &written);
    if (written) {
        p11t_mock_fold_update(&s->digest.fold, pPart, *pulPartLen);
        s->digest.multipart = true;
    }
    p11t_mock_op_settle(&s->digest, rv);
    return p11t_mock_op_settle(&s->decrypt, rv);
}

CK_RV p11t_mock_C_SignEncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                    CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *sign = active(&s->sign, P11T_MOCK_OP_PLAIN);
    if (sign == NULL || s->encrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (sign->mech == CKM_RSA_PKCS)
        return p11t_mock_op_settle(sign, CKR_FUNCTION_NOT_SUPPORTED);
    if (pPart != NULL && s->encrypt.mech != CKM_RSA_PKCS && will_write(pEncryptedPart, pulEncryptedPartLen, ulPartLen)) {
        p11t_mock_fold_update(&sign->fold, pPart, ulPartLen);
        sign->multipart = true;
    }
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->encrypt, pPart, ulPartLen, pEncryptedPart, pulEncryptedPartLen, &written);
    p11t_mock_op_settle(sign, rv);
    return p11t_mock_op_settle(&s->encrypt, rv);
}

CK_RV p11t_mock_C_DecryptVerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart,
                                      CK_ULONG ulEncryptedPartLen, CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_op *verify = active(&s->verify, P11T_MOCK_OP_PLAIN);
    if (verify == NULL || s->decrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (verify->mech == CKM_RSA_PKCS)
        return p11t_mock_op_settle(verify, CKR_FUNCTION_NOT_SUPPORTED);
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->decrypt, pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen, &written);
    if (written) {
        p11t_mock_fold_update(&verify->fold, pPart, *pulPartLen);
        verify->multipart = true;
    }
    p11t_mock_op_settle(verify, rv);
    return p11t_mock_op_settle(&s->decrypt, rv);
}

/* ---- operation state: only digest operations can be saved ---- */

#define MOCK_STATE_MAGIC "P11M"
#define MOCK_STATE_LEN (4 + 1 + 8 + 4 * 8 + 8 + 1)

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Any active operation other than digesting makes the state unsaveable. */
static bool only_digest_active(const p11t_mock_session *s)
{
    const p11t_mock_op *others[] = {&s->encrypt, &s->decrypt, &s->sign, &s->verify, &s->verify_sig,
                                    &s->msg_encrypt, &s->msg_decrypt, &s->msg_sign, &s->msg_verify};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        if (others[i]->kind != P11T_MOCK_OP_NONE)
            return false;
    }
    return true;
}

CK_RV p11t_mock_C_GetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                    CK_ULONG_PTR pulOperationStateLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pulOperationStateLen == NULL)
        return CKR_ARGUMENTS_BAD;
    if (!only_digest_active(s))
        return CKR_STATE_UNSAVEABLE;
    if (s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv;
    if (p11t_mock_out_check(pOperationState, pulOperationStateLen, MOCK_STATE_LEN, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    unsigned char *p = pOperationState;
    memcpy(p, MOCK_STATE_MAGIC, 4);
    p[4] = 1; /* format version */
    put_u64(p + 5, s->digest.mech);
    for (int i = 0; i < 4; i++)
        put_u64(p + 13 + 8 * i, s->digest.fold.lane[i]);
    put_u64(p + 45, s->digest.fold.count);
    p[53] = s->digest.multipart ? 1 : 0;
    *pulOperationStateLen = MOCK_STATE_LEN;
    return CKR_OK;
}

CK_RV p11t_mock_C_SetOperationState(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pOperationState,
                                    CK_ULONG ulOperationStateLen, CK_OBJECT_HANDLE hEncryptionKey,
                                    CK_OBJECT_HANDLE hAuthenticationKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pOperationState == NULL)
        return CKR_ARGUMENTS_BAD;
    const unsigned char *p = pOperationState;
    if (ulOperationStateLen != MOCK_STATE_LEN || memcmp(p, MOCK_STATE_MAGIC, 4) != 0 || p[4] != 1 ||
        get_u64(p + 5) != CKM_SHA256)
        return CKR_SAVED_STATE_INVALID;
    if (hEncryptionKey != CK_INVALID_HANDLE || hAuthenticationKey != CK_INVALID_HANDLE)
        return CKR_KEY_NOT_NEEDED;
    p11t_mock_op_reset(&s->digest);
    s->digest.kind = P11T_MOCK_OP_PLAIN;
    s->digest.mech = CKM_SHA256;
    for (int i = 0; i < 4; i++)
        s->digest.fold.lane[i] = get_u64(p + 13 + 8 * i);
    s->digest.fold.count = get_u64(p + 45);
    s->digest.multipart = p[53] != 0;
    return CKR_OK;
}
