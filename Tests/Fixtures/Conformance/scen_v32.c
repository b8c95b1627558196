/*
 * The PKCS#11 3.2 functions: KEM encapsulation (CKM_ML_KEM), signature verification with the
 * signature given first, session validation flags, the asynchronous functions and
 * authenticated key wrapping (CKM_AES_GCM with CK_GCM_MESSAGE_PARAMS).
 */
#include "conf.h"

#include <string.h>

static const CK_BYTE wrap_key[16] = {0x57, 0x52, 0x41, 0x50, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const CK_BYTE target_key[16] = {0x54, 0x47, 0x54, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
static const CK_BYTE mac_key[32] = {0x4d, 0x41, 0x43, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                    14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29};
static CK_BYTE data[32] = "data for C_VerifySignature 3.2";

/* Template of a 32-byte extractable session secret. */
static CK_ULONG shared_template(CK_ATTRIBUTE *t)
{
    static CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    static CK_KEY_TYPE type = CKK_GENERIC_SECRET;
    static CK_ULONG len = 32;
    static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE base[] = {
        {CKA_CLASS, &cls, sizeof(cls)},   {CKA_KEY_TYPE, &type, sizeof(type)}, {CKA_VALUE_LEN, &len, sizeof(len)},
        {CKA_TOKEN, &no, sizeof(no)},     {CKA_PRIVATE, &no, sizeof(no)},      {CKA_SENSITIVE, &no, sizeof(no)},
        {CKA_EXTRACTABLE, &yes, sizeof(yes)},
    };
    memcpy(t, base, sizeof(base));
    return sizeof(base) / sizeof(base[0]);
}

static void kem(p11t_conf *c)
{
    CK_MECHANISM gen = {CKM_ML_KEM_KEY_PAIR_GEN, NULL, 0}, kem = {CKM_ML_KEM, NULL, 0};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE pub_t[] = {{CKA_TOKEN, &no, sizeof(no)}, {CKA_ENCAPSULATE, &yes, sizeof(yes)}};
    CK_ATTRIBUTE priv_t[] = {{CKA_TOKEN, &no, sizeof(no)}, {CKA_DECAPSULATE, &yes, sizeof(yes)}};
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_GenerateKeyPair, c->session, &gen, pub_t, 2, priv_t, 2, &pub, &priv);
    p11t_conf_emit("C_GenerateKeyPair", rv, "public=%lu private=%lu", (unsigned long)pub, (unsigned long)priv);

    CK_ATTRIBUTE t[8];
    CK_ULONG n = shared_template(t);
    CK_BYTE ct[2048];
    CK_ULONG len = 0;
    CK_OBJECT_HANDLE mine = CK_INVALID_HANDLE, theirs = CK_INVALID_HANDLE;
    rv = P11T_CALL32(c, C_EncapsulateKey, c->session, &kem, pub, t, n, NULL, &len, &mine);
    p11t_conf_emit_buf("C_EncapsulateKey", rv, NULL, len, true, "length query");
    len = 4;
    rv = P11T_CALL32(c, C_EncapsulateKey, c->session, &kem, pub, t, n, ct, &len, &mine);
    p11t_conf_emit_buf("C_EncapsulateKey", rv, ct, len, true, "buffer of 4");
    len = sizeof(ct);
    rv = P11T_CALL32(c, C_EncapsulateKey, c->session, &kem, pub, t, n, ct, &len, &mine);
    p11t_conf_emit("C_EncapsulateKey", rv, "len=%lu hex=%s key=%lu", (unsigned long)len, p11t_conf_hex(ct, len),
                   (unsigned long)mine);
    rv = P11T_CALL32(c, C_DecapsulateKey, c->session, &kem, priv, t, n, ct, rv == CKR_OK ? len : 0, &theirs);
    p11t_conf_emit("C_DecapsulateKey", rv, "key=%lu", (unsigned long)theirs);
    p11t_conf_show_attr(c, mine, CKA_VALUE, true);
    p11t_conf_show_attr(c, theirs, CKA_VALUE, true);
}

static void verify_signature(p11t_conf *c)
{
    CK_OBJECT_HANDLE key = p11t_conf_secret_key(c, "conf v32 hmac", CKK_GENERIC_SECRET, mac_key, sizeof(mac_key), false);
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE sig[64];
    CK_ULONG len = sizeof(sig);
    p11t_conf_emit("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &hmac, key), "-");
    CK_RV rv = P11T_CALL(c, C_Sign, c->session, data, sizeof(data), sig, &len);
    p11t_conf_emit_buf("C_Sign", rv, sig, len, true, NULL);
    rv = P11T_CALL32(c, C_VerifySignatureInit, c->session, &hmac, key, sig, len);
    p11t_conf_emit("C_VerifySignatureInit", rv, "-");
    rv = P11T_CALL32(c, C_VerifySignature, c->session, data, sizeof(data));
    p11t_conf_emit("C_VerifySignature", rv, "-");
    sig[0] ^= 0x40;
    rv = P11T_CALL32(c, C_VerifySignatureInit, c->session, &hmac, key, sig, len);
    p11t_conf_emit("C_VerifySignatureInit", rv, "- (damaged signature)");
    for (int part = 0; part < 2; part++) {
        rv = P11T_CALL32(c, C_VerifySignatureUpdate, c->session, data + 16 * part, 16);
        p11t_conf_emit("C_VerifySignatureUpdate", rv, "-");
    }
    rv = P11T_CALL32(c, C_VerifySignatureFinal, c->session);
    p11t_conf_emit("C_VerifySignatureFinal", rv, "-");
    rv = P11T_CALL32(c, C_VerifySignatureFinal, c->session);
    p11t_conf_emit("C_VerifySignatureFinal", rv, "- (not initialised)");
}

static void session_extras(p11t_conf *c)
{
    CK_FLAGS flags = 0;
    CK_RV rv = P11T_CALL32(c, C_GetSessionValidationFlags, c->session, 1 /* CKS_LAST_VALIDATION_OK */, &flags);
    p11t_conf_emit("C_GetSessionValidationFlags", rv, "flags=0x%lx", (unsigned long)flags);
    rv = P11T_CALL32(c, C_GetSessionValidationFlags, c->session, 99, &flags);
    p11t_conf_emit("C_GetSessionValidationFlags", rv, "flags=0x%lx (unknown type)", (unsigned long)flags);
    CK_ULONG id = 0;
    rv = P11T_CALL32(c, C_AsyncGetID, c->session, (CK_UTF8CHAR_PTR) "C_Sign", &id);
    p11t_conf_emit("C_AsyncGetID", rv, "id=%lu", (unsigned long)id);
    CK_ASYNC_DATA result;
    memset(&result, 0, sizeof(result));
    rv = P11T_CALL32(c, C_AsyncComplete, c->session, (CK_UTF8CHAR_PTR) "C_Sign", &result);
    p11t_conf_emit("C_AsyncComplete", rv, "len=%lu object=%lu", (unsigned long)result.ulValue,
                   (unsigned long)result.hObject);
    CK_BYTE buf[16];
    rv = P11T_CALL32(c, C_AsyncJoin, c->session, (CK_UTF8CHAR_PTR) "C_Sign", id, buf, sizeof(buf));
    p11t_conf_emit("C_AsyncJoin", rv, "-");
}

static void authenticated_wrap(p11t_conf *c)
{
    CK_OBJECT_HANDLE wrapper = p11t_conf_secret_key(c, "conf aead wrap", CKK_AES, wrap_key, sizeof(wrap_key), false);
    CK_OBJECT_HANDLE target = p11t_conf_secret_key(c, "conf aead target", CKK_AES, target_key, sizeof(target_key),
                                                   false);
    CK_BYTE iv[12] = {0xfe, 0xed, 0, 0}, tag[16] = {0}, wrapped[64];
    CK_GCM_MESSAGE_PARAMS p = {iv, sizeof(iv), 16, CKG_GENERATE_COUNTER, tag, 128};
    CK_MECHANISM gcm = {CKM_AES_GCM, &p, sizeof(p)};
    CK_BYTE auth[] = "associated data";
    CK_ULONG len = 0;
    CK_RV rv = P11T_CALL32(c, C_WrapKeyAuthenticated, c->session, &gcm, wrapper, target, auth, sizeof(auth) - 1, NULL,
                           &len);
    p11t_conf_emit_buf("C_WrapKeyAuthenticated", rv, NULL, len, true, "length query");
    len = sizeof(wrapped);
    rv = P11T_CALL32(c, C_WrapKeyAuthenticated, c->session, &gcm, wrapper, target, auth, sizeof(auth) - 1, wrapped,
                     &len);
    p11t_conf_emit("C_WrapKeyAuthenticated", rv, "len=%lu hex=%s iv=%s tag=%s", (unsigned long)len,
                   p11t_conf_hex(wrapped, len), p11t_conf_hex(iv, sizeof(iv)), p11t_conf_hex(tag, sizeof(tag)));
    if (rv != CKR_OK)
        len = 0;
    p.ivGenerator = CKG_NO_GENERATE;
    CK_ATTRIBUTE t[8];
    CK_ULONG n = shared_template(t);
    CK_KEY_TYPE aes = CKK_AES;
    t[1].pValue = &aes; /* an AES key of 16 bytes: drop CKA_VALUE_LEN (index 2) */
    t[2] = t[--n];
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    rv = P11T_CALL32(c, C_UnwrapKeyAuthenticated, c->session, &gcm, wrapper, wrapped, len, t, n, auth,
                     sizeof(auth) - 1, &h);
    p11t_conf_emit("C_UnwrapKeyAuthenticated", rv, "key=%lu", (unsigned long)h);
    p11t_conf_show_attr(c, h, CKA_VALUE, true);
    rv = P11T_CALL32(c, C_UnwrapKeyAuthenticated, c->session, &gcm, wrapper, wrapped, len, t, n, auth,
                     sizeof(auth) - 2, &h);
    p11t_conf_emit("C_UnwrapKeyAuthenticated", rv, "key=%lu (other associated data)", (unsigned long)h);
}

void p11t_conf_v32_functions(p11t_conf *c)
{
    kem(c);
    verify_signature(c);
    session_extras(c);
    authenticated_wrap(c);
}
