/*
 * Scenario v2, symmetric part: encryption, decryption, digests, MACs, the dual-function
 * updates and the operation state. All keys have fixed values, so every output is the same
 * from run to run, for the mock and for SoftHSM alike.
 */
#include "conf.h"

#include <string.h>

static const CK_BYTE aes_key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const CK_BYTE hmac_key[32] = "p11trace conformance hmac key!!";
static CK_BYTE iv[16] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                         0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};
static CK_BYTE plain[32] = "p11trace conformance plaintext!";

/* A two-call single-part function: length query, too small, then the real buffer. */
typedef CK_RV (*two_call_fn)(p11t_conf *c, CK_BYTE_PTR out, CK_ULONG_PTR len);

static void two_call(p11t_conf *c, const char *name, two_call_fn fn, CK_BYTE *out, CK_ULONG *outlen, bool show)
{
    CK_ULONG len = 0;
    CK_RV rv = fn(c, NULL, &len);
    p11t_conf_emit_buf(name, rv, NULL, len, show, "length query");
    len = 4;
    rv = fn(c, out, &len);
    p11t_conf_emit_buf(name, rv, out, len, show, "buffer of 4");
    len = *outlen;
    rv = fn(c, out, &len);
    p11t_conf_emit_buf(name, rv, out, len, show, NULL);
    *outlen = rv == CKR_OK ? len : 0;
}

static CK_RV encrypt_plain(p11t_conf *c, CK_BYTE_PTR out, CK_ULONG_PTR len)
{
    return P11T_CALL(c, C_Encrypt, c->session, plain, sizeof(plain), out, len);
}

static CK_BYTE cipher[64];
static CK_ULONG cipher_len;

static CK_RV decrypt_cipher(p11t_conf *c, CK_BYTE_PTR out, CK_ULONG_PTR len)
{
    return P11T_CALL(c, C_Decrypt, c->session, cipher, cipher_len, out, len);
}

static CK_RV digest_plain(p11t_conf *c, CK_BYTE_PTR out, CK_ULONG_PTR len)
{
    return P11T_CALL(c, C_Digest, c->session, plain, sizeof(plain), out, len);
}

static CK_RV sign_plain(p11t_conf *c, CK_BYTE_PTR out, CK_ULONG_PTR len)
{
    return P11T_CALL(c, C_Sign, c->session, plain, sizeof(plain), out, len);
}

/* Prints a call without outputs. */
static void emit_rv(const char *name, CK_RV rv)
{
    p11t_conf_emit(name, rv, "-");
}

/* Runs an Update with a 16-byte part and prints its output. */
static void update16(const char *name, CK_RV rv, const CK_BYTE *out, CK_ULONG len)
{
    p11t_conf_emit_buf(name, rv, out, len, true, NULL);
}

static void encryption(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM cbc = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_BYTE out[64];
    CK_ULONG len;
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, key));
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, key)); /* already active */
    cipher_len = sizeof(cipher);
    two_call(c, "C_Encrypt", encrypt_plain, cipher, &cipher_len, true);
    len = sizeof(out);
    p11t_conf_emit_buf("C_Encrypt", encrypt_plain(c, out, &len), out, len, true, "operation ended");
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, key));
    for (int part = 0; part < 2; part++) {
        len = sizeof(out);
        update16("C_EncryptUpdate", P11T_CALL(c, C_EncryptUpdate, c->session, plain + 16 * part, 16, out, &len), out,
                 len);
    }
    len = 0;
    CK_RV rv = P11T_CALL(c, C_EncryptFinal, c->session, NULL, &len);
    p11t_conf_emit_buf("C_EncryptFinal", rv, NULL, len, true, "length query");
    len = sizeof(out);
    rv = P11T_CALL(c, C_EncryptFinal, c->session, out, &len);
    p11t_conf_emit_buf("C_EncryptFinal", rv, out, len, true, NULL);

    emit_rv("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &cbc, key));
    len = sizeof(out);
    two_call(c, "C_Decrypt", decrypt_cipher, out, &len, true);
    emit_rv("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &cbc, key));
    for (int part = 0; part < 2; part++) {
        len = sizeof(out);
        update16("C_DecryptUpdate", P11T_CALL(c, C_DecryptUpdate, c->session, cipher + 16 * part, 16, out, &len), out,
                 len);
    }
    len = sizeof(out);
    rv = P11T_CALL(c, C_DecryptFinal, c->session, out, &len);
    p11t_conf_emit_buf("C_DecryptFinal", rv, out, len, true, NULL);

    CK_MECHANISM ecb = {CKM_AES_ECB, NULL, 0};
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &ecb, key));
    len = sizeof(out);
    rv = P11T_CALL(c, C_Encrypt, c->session, plain, 10, out, &len);
    p11t_conf_emit_buf("C_Encrypt", rv, out, len, true, "10 bytes, no padding");
    len = sizeof(out);
    rv = P11T_CALL(c, C_Encrypt, c->session, plain, 16, out, &len);
    p11t_conf_emit_buf("C_Encrypt", rv, out, len, true, "after the error");
}

static void digests(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_BYTE out[64], state[1024];
    CK_ULONG len = sizeof(out);
    emit_rv("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha));
    two_call(c, "C_Digest", digest_plain, out, &len, true);

    emit_rv("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha));
    emit_rv("C_DigestUpdate", P11T_CALL(c, C_DigestUpdate, c->session, plain, 16));
    emit_rv("C_DigestKey", P11T_CALL(c, C_DigestKey, c->session, key));
    CK_ULONG slen = 0;
    CK_RV rv = P11T_CALL(c, C_GetOperationState, c->session, NULL, &slen);
    p11t_conf_emit_buf("C_GetOperationState", rv, NULL, slen, true, "length query");
    slen = sizeof(state);
    CK_RV saved = P11T_CALL(c, C_GetOperationState, c->session, state, &slen);
    p11t_conf_emit_buf("C_GetOperationState", saved, state, slen, true, NULL);
    emit_rv("C_DigestUpdate", P11T_CALL(c, C_DigestUpdate, c->session, plain + 16, 16));
    len = sizeof(out);
    rv = P11T_CALL(c, C_DigestFinal, c->session, out, &len);
    p11t_conf_emit_buf("C_DigestFinal", rv, out, len, true, NULL);
    if (saved != CKR_OK)
        return;
    rv = P11T_CALL(c, C_SetOperationState, c->session, state, slen, CK_INVALID_HANDLE, CK_INVALID_HANDLE);
    p11t_conf_emit("C_SetOperationState", rv, "-");
    emit_rv("C_DigestUpdate", P11T_CALL(c, C_DigestUpdate, c->session, plain + 16, 16));
    len = sizeof(out);
    rv = P11T_CALL(c, C_DigestFinal, c->session, out, &len);
    p11t_conf_emit_buf("C_DigestFinal", rv, out, len, true, "after restoring the state");
}

static void macs(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE sig[64], out[64];
    CK_ULONG siglen = sizeof(sig), len;
    emit_rv("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &hmac, key));
    two_call(c, "C_Sign", sign_plain, sig, &siglen, true);
    emit_rv("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &hmac, key));
    emit_rv("C_SignUpdate", P11T_CALL(c, C_SignUpdate, c->session, plain, 16));
    emit_rv("C_SignUpdate", P11T_CALL(c, C_SignUpdate, c->session, plain + 16, 16));
    len = 0;
    CK_RV rv = P11T_CALL(c, C_SignFinal, c->session, NULL, &len);
    p11t_conf_emit_buf("C_SignFinal", rv, NULL, len, true, "length query");
    len = sizeof(out);
    rv = P11T_CALL(c, C_SignFinal, c->session, out, &len);
    p11t_conf_emit_buf("C_SignFinal", rv, out, len, true, NULL);

    emit_rv("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &hmac, key));
    emit_rv("C_Verify", P11T_CALL(c, C_Verify, c->session, plain, sizeof(plain), sig, siglen));
    CK_BYTE bad[64];
    memcpy(bad, sig, sizeof(bad));
    bad[0] ^= 1;
    emit_rv("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &hmac, key));
    emit_rv("C_Verify", P11T_CALL(c, C_Verify, c->session, plain, sizeof(plain), bad, siglen));
    emit_rv("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &hmac, key));
    emit_rv("C_VerifyUpdate", P11T_CALL(c, C_VerifyUpdate, c->session, plain, 16));
    emit_rv("C_VerifyUpdate", P11T_CALL(c, C_VerifyUpdate, c->session, plain + 16, 16));
    emit_rv("C_VerifyFinal", P11T_CALL(c, C_VerifyFinal, c->session, sig, siglen));
    emit_rv("C_Verify", P11T_CALL(c, C_Verify, c->session, plain, sizeof(plain), sig, siglen)); /* not initialised */
}

/* The four dual-function updates, each followed by the Finals of both operations. */
static void duals(p11t_conf *c, CK_OBJECT_HANDLE aes, CK_OBJECT_HANDLE mac)
{
    CK_MECHANISM cbc = {CKM_AES_CBC, iv, sizeof(iv)};
    CK_MECHANISM sha = {CKM_SHA256, NULL, 0};
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE out[64], tail[64], sig[64];
    CK_ULONG len, tlen, slen;

    emit_rv("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha));
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, aes));
    len = sizeof(out);
    CK_RV rv = P11T_CALL(c, C_DigestEncryptUpdate, c->session, plain, sizeof(plain), out, &len);
    p11t_conf_emit_buf("C_DigestEncryptUpdate", rv, out, len, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_EncryptFinal", P11T_CALL(c, C_EncryptFinal, c->session, tail, &tlen), tail, tlen, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_DigestFinal", P11T_CALL(c, C_DigestFinal, c->session, tail, &tlen), tail, tlen, true, NULL);

    emit_rv("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &cbc, aes));
    emit_rv("C_DigestInit", P11T_CALL(c, C_DigestInit, c->session, &sha));
    len = sizeof(out);
    rv = P11T_CALL(c, C_DecryptDigestUpdate, c->session, cipher, cipher_len, out, &len);
    p11t_conf_emit_buf("C_DecryptDigestUpdate", rv, out, len, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_DecryptFinal", P11T_CALL(c, C_DecryptFinal, c->session, tail, &tlen), tail, tlen, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_DigestFinal", P11T_CALL(c, C_DigestFinal, c->session, tail, &tlen), tail, tlen, true, NULL);

    emit_rv("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &hmac, mac));
    emit_rv("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, aes));
    len = sizeof(out);
    rv = P11T_CALL(c, C_SignEncryptUpdate, c->session, plain, sizeof(plain), out, &len);
    p11t_conf_emit_buf("C_SignEncryptUpdate", rv, out, len, true, NULL);
    slen = sizeof(sig);
    rv = P11T_CALL(c, C_SignFinal, c->session, sig, &slen);
    p11t_conf_emit_buf("C_SignFinal", rv, sig, slen, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_EncryptFinal", P11T_CALL(c, C_EncryptFinal, c->session, tail, &tlen), tail, tlen, true, NULL);

    emit_rv("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &cbc, aes));
    emit_rv("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &hmac, mac));
    len = sizeof(out);
    rv = P11T_CALL(c, C_DecryptVerifyUpdate, c->session, cipher, cipher_len, out, &len);
    p11t_conf_emit_buf("C_DecryptVerifyUpdate", rv, out, len, true, NULL);
    tlen = sizeof(tail);
    p11t_conf_emit_buf("C_DecryptFinal", P11T_CALL(c, C_DecryptFinal, c->session, tail, &tlen), tail, tlen, true, NULL);
    emit_rv("C_VerifyFinal", P11T_CALL(c, C_VerifyFinal, c->session, sig, slen));
}

void p11t_conf_v2_crypto(p11t_conf *c)
{
    CK_OBJECT_HANDLE aes = p11t_conf_secret_key(c, "conf aes", CKK_AES, aes_key, sizeof(aes_key), false);
    CK_OBJECT_HANDLE mac = p11t_conf_secret_key(c, "conf hmac", CKK_GENERIC_SECRET, hmac_key, sizeof(hmac_key), false);
    encryption(c, aes);
    digests(c, aes);
    macs(c, mac);
    duals(c, aes, mac);
}
