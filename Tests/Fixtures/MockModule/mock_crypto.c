/*
 * Encryption, decryption and digesting.
 *
 * Operation rules (PKCS#11 section 5.2 and the function descriptions): a single-part call or
 * a Final ends the operation unless it returns CKR_BUFFER_TOO_SMALL or is a successful
 * length query (NULL output buffer); any other error ends it too.
 *
 * AES-ECB/CBC: XOR with the key bytes (and the CBC IV); multi-part calls return as many bytes
 * as they get and the total must be a multiple of 16. RSA-PKCS: single-part only; the
 * "ciphertext" is [0x02, len_hi, len_lo, data ^ modulus bytes, zero padding], modulus long.
 */
#include "mock_internal.h"

#include <string.h>

#define MOCK_AES_BLOCK 16

CK_RV p11t_mock_op_settle(p11t_mock_op *op, CK_RV rv)
{
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL)
        p11t_mock_op_reset(op);
    return rv;
}

/* Validates the mechanism and key of an encrypt/decrypt init and loads the op. */
static CK_RV cipher_init(p11t_mock_op *op, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey, bool encrypt)
{
    if (pMechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->kind != P11T_MOCK_OP_NONE)
        return CKR_OPERATION_ACTIVE;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, encrypt ? CKF_ENCRYPT : CKF_DECRYPT, &m);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    if (m->keys == P11T_MOCK_KEYS_RSA)
        cls = encrypt ? CKO_PUBLIC_KEY : CKO_PRIVATE_KEY;
    rv = p11t_mock_op_key(op, m, hKey, encrypt ? CKA_ENCRYPT : CKA_DECRYPT, cls);
    if (rv == CKR_OK && m->type == CKM_AES_CBC) {
        memcpy(op->iv, pMechanism->pParameter, MOCK_AES_BLOCK); /* length checked: 16 */
        op->ivlen = MOCK_AES_BLOCK;
    }
    return rv;
}

CK_RV p11t_mock_cipher_update(p11t_mock_op *op, const CK_BYTE *in, CK_ULONG len, CK_BYTE_PTR out,
                              CK_ULONG_PTR pulLen, bool *written)
{
    *written = false;
    if ((in == NULL && len != 0) || pulLen == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->mech == CKM_RSA_PKCS)
        return CKR_FUNCTION_NOT_SUPPORTED; /* single-part mechanism */
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, len, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    p11t_mock_xor_stream(op->key, op->klen, op->iv, op->ivlen, op->pos, in, out, len);
    op->pos += len;
    op->multipart = true;
    *pulLen = len;
    *written = true;
    return CKR_OK;
}

CK_RV p11t_mock_rsa_pack(const p11t_mock_op *op, unsigned char marker, const CK_BYTE *in, CK_ULONG len,
                      CK_BYTE_PTR out, CK_ULONG_PTR pulLen)
{
    if (len + P11T_MOCK_RSA_OVERHEAD > op->klen)
        return CKR_DATA_LEN_RANGE;
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, op->klen, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    unsigned char block[P11T_MOCK_MAX_KEY];
    memset(block, 0, op->klen);
    block[0] = marker;
    block[1] = (unsigned char)(len >> 8);
    block[2] = (unsigned char)len;
    p11t_mock_xor_stream(op->key, op->klen, NULL, 0, 0, in, block + 3, len);
    memcpy(out, block, op->klen);
    *pulLen = op->klen;
    return CKR_OK;
}

CK_RV p11t_mock_rsa_unpack(const p11t_mock_op *op, unsigned char marker, const CK_BYTE *in, CK_ULONG len,
                        CK_BYTE_PTR out, CK_ULONG_PTR pulLen, CK_RV bad_len, CK_RV bad_data)
{
    if (len != op->klen)
        return bad_len;
    CK_ULONG n = ((CK_ULONG)in[1] << 8) | in[2];
    if (in[0] != marker || n + P11T_MOCK_RSA_OVERHEAD > op->klen)
        return bad_data;
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, n, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    p11t_mock_xor_stream(op->key, op->klen, NULL, 0, 0, in + 3, out, n);
    *pulLen = n;
    return CKR_OK;
}

/* Single-part encrypt or decrypt of an initialised op. */
static CK_RV cipher_once(p11t_mock_op *op, bool encrypt, const CK_BYTE *in, CK_ULONG len, CK_BYTE_PTR out,
                         CK_ULONG_PTR pulLen)
{
    if ((in == NULL && len != 0) || pulLen == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->mech == CKM_RSA_PKCS) {
        if (encrypt)
            return p11t_mock_rsa_pack(op, 0x02, in, len, out, pulLen);
        return p11t_mock_rsa_unpack(op, 0x02, in, len, out, pulLen, CKR_ENCRYPTED_DATA_LEN_RANGE, CKR_ENCRYPTED_DATA_INVALID);
    }
    if (len % MOCK_AES_BLOCK != 0)
        return encrypt ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE;
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, len, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    p11t_mock_xor_stream(op->key, op->klen, op->iv, op->ivlen, 0, in, out, len);
    *pulLen = len;
    return CKR_OK;
}

/* Final of a multi-part cipher op: no output remains, only the length rule. */
static CK_RV cipher_final(p11t_mock_op *op, bool encrypt, CK_BYTE_PTR out, CK_ULONG_PTR pulLen)
{
    if (pulLen == NULL)
        return CKR_ARGUMENTS_BAD;
    if (op->mech == CKM_RSA_PKCS)
        return CKR_FUNCTION_NOT_SUPPORTED;
    if (op->pos % MOCK_AES_BLOCK != 0)
        return encrypt ? CKR_DATA_LEN_RANGE : CKR_ENCRYPTED_DATA_LEN_RANGE;
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, 0, &rv) == P11T_MOCK_OUT_WRITE)
        *pulLen = 0;
    return rv;
}

/* Ends the op after a single-part call or Final that produced output. */
static CK_RV finish_call(p11t_mock_op *op, CK_RV rv, const void *out)
{
    if (rv == CKR_OK && out != NULL)
        p11t_mock_op_reset(op);
    return p11t_mock_op_settle(op, rv);
}

CK_RV p11t_mock_C_EncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return cipher_init(&s->encrypt, pMechanism, hKey, true);
}

CK_RV p11t_mock_C_Encrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen,
                          CK_BYTE_PTR pEncryptedData, CK_ULONG_PTR pulEncryptedDataLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->encrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (s->encrypt.multipart) /* not an error that ends the running multi-part operation */
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = cipher_once(&s->encrypt, true, pData, ulDataLen, pEncryptedData, pulEncryptedDataLen);
    return finish_call(&s->encrypt, rv, pEncryptedData);
}

CK_RV p11t_mock_C_EncryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen,
                                CK_BYTE_PTR pEncryptedPart, CK_ULONG_PTR pulEncryptedPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->encrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->encrypt, pPart, ulPartLen, pEncryptedPart, pulEncryptedPartLen, &written);
    return p11t_mock_op_settle(&s->encrypt, rv);
}

CK_RV p11t_mock_C_EncryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastEncryptedPart,
                               CK_ULONG_PTR pulLastEncryptedPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->encrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = cipher_final(&s->encrypt, true, pLastEncryptedPart, pulLastEncryptedPartLen);
    return finish_call(&s->encrypt, rv, pLastEncryptedPart);
}

CK_RV p11t_mock_C_DecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    return cipher_init(&s->decrypt, pMechanism, hKey, false);
}

CK_RV p11t_mock_C_Decrypt(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedData, CK_ULONG ulEncryptedDataLen,
                          CK_BYTE_PTR pData, CK_ULONG_PTR pulDataLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->decrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (s->decrypt.multipart)
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = cipher_once(&s->decrypt, false, pEncryptedData, ulEncryptedDataLen, pData, pulDataLen);
    return finish_call(&s->decrypt, rv, pData);
}

CK_RV p11t_mock_C_DecryptUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pEncryptedPart, CK_ULONG ulEncryptedPartLen,
                                CK_BYTE_PTR pPart, CK_ULONG_PTR pulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->decrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    bool written;
    CK_RV rv = p11t_mock_cipher_update(&s->decrypt, pEncryptedPart, ulEncryptedPartLen, pPart, pulPartLen, &written);
    return p11t_mock_op_settle(&s->decrypt, rv);
}

CK_RV p11t_mock_C_DecryptFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pLastPart, CK_ULONG_PTR pulLastPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->decrypt.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = cipher_final(&s->decrypt, false, pLastPart, pulLastPartLen);
    return finish_call(&s->decrypt, rv, pLastPart);
}

CK_RV p11t_mock_C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (pMechanism == NULL)
        return CKR_ARGUMENTS_BAD;
    if (s->digest.kind != P11T_MOCK_OP_NONE)
        return CKR_OPERATION_ACTIVE;
    const p11t_mock_mechanism *m;
    CK_RV rv = p11t_mock_mechanism_check(pMechanism, CKF_DIGEST, &m);
    if (rv != CKR_OK)
        return rv;
    p11t_mock_op_reset(&s->digest);
    s->digest.kind = P11T_MOCK_OP_PLAIN;
    s->digest.mech = m->type;
    p11t_mock_fold_init(&s->digest.fold, 'D');
    return CKR_OK;
}

/* Writes the digest of the running state plus `data` (which may be empty). */
static CK_RV digest_out(p11t_mock_op *op, const CK_BYTE *data, CK_ULONG len, CK_BYTE_PTR out, CK_ULONG_PTR pulLen)
{
    CK_RV rv;
    if (p11t_mock_out_check(out, pulLen, P11T_MOCK_FOLD_LEN, &rv) != P11T_MOCK_OUT_WRITE)
        return rv;
    p11t_mock_fold f = op->fold;
    p11t_mock_fold_update(&f, data, len);
    p11t_mock_fold_final(&f, out);
    *pulLen = P11T_MOCK_FOLD_LEN;
    return CKR_OK;
}

CK_RV p11t_mock_C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
                         CK_ULONG_PTR pulDigestLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (s->digest.multipart)
        return CKR_OPERATION_ACTIVE;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (!(pData == NULL && ulDataLen != 0) && pulDigestLen != NULL)
        rv = digest_out(&s->digest, pData, ulDataLen, pDigest, pulDigestLen);
    if (rv == CKR_OK && pDigest != NULL && p11t_mock_violates(P11T_MOCK_VIOLATE_OK_BEYOND_CAPACITY))
        *pulDigestLen += 8;
    return finish_call(&s->digest, rv, pDigest);
}

CK_RV p11t_mock_C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    if (pPart == NULL && ulPartLen != 0)
        return p11t_mock_op_settle(&s->digest, CKR_ARGUMENTS_BAD);
    p11t_mock_fold_update(&s->digest.fold, pPart, ulPartLen);
    s->digest.multipart = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_DigestKey(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hKey)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    const p11t_mock_object *o = p11t_mock_object_visible(hKey);
    if (o == NULL)
        return p11t_mock_op_settle(&s->digest, CKR_KEY_HANDLE_INVALID);
    const p11t_mock_attr *value = p11t_mock_attr_get(o, CKA_VALUE);
    if (p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA) != CKO_SECRET_KEY || value == NULL)
        return p11t_mock_op_settle(&s->digest, CKR_KEY_INDIGESTIBLE);
    p11t_mock_fold_update(&s->digest.fold, value->value, value->len);
    s->digest.multipart = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->digest.kind == P11T_MOCK_OP_NONE)
        return CKR_OPERATION_NOT_INITIALIZED;
    CK_RV rv = CKR_ARGUMENTS_BAD;
    if (pulDigestLen != NULL)
        rv = digest_out(&s->digest, NULL, 0, pDigest, pulDigestLen);
    return finish_call(&s->digest, rv, pDigest);
}
