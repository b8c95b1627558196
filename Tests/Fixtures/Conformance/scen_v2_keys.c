/*
 * Scenario v2, key part: key generation, RSA with a generated pair (sign, verify, recover,
 * encrypt, decrypt), wrapping, unwrapping, derivation and random numbers.
 *
 * Outputs that depend on generated keys or on randomness (RSA signatures and ciphertexts,
 * random bytes) print their length only, so that a run against SoftHSM is reproducible;
 * outputs under fixed keys (wrapped keys, derived values, recovered data) print in full.
 */
#include "conf.h"

#include <string.h>

static const CK_BYTE wrap_key[] = "conf wrap key 16"; /* 16 bytes and a NUL */
static const CK_BYTE target_key[] = "conf target key!";
static CK_BYTE message[20] = "conformance message";

static CK_ATTRIBUTE *secret_template(CK_ATTRIBUTE *t, CK_ULONG *n, const char *label)
{
    static CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    static CK_KEY_TYPE aes = CKK_AES;
    static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    static CK_ULONG len16 = 16;
    CK_ATTRIBUTE base[] = {
        {CKA_CLASS, &cls, sizeof(cls)},     {CKA_KEY_TYPE, &aes, sizeof(aes)},
        {CKA_TOKEN, &no, sizeof(no)},       {CKA_PRIVATE, &no, sizeof(no)},
        {CKA_SENSITIVE, &no, sizeof(no)},   {CKA_EXTRACTABLE, &yes, sizeof(yes)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},   {CKA_DECRYPT, &yes, sizeof(yes)},
        {CKA_VALUE_LEN, &len16, sizeof(len16)}, {CKA_LABEL, (void *)label, (CK_ULONG)strlen(label)},
    };
    memcpy(t, base, sizeof(base));
    *n = sizeof(base) / sizeof(base[0]);
    return t;
}

static void generate(p11t_conf *c)
{
    CK_MECHANISM gen = {CKM_AES_KEY_GEN, NULL, 0};
    CK_ATTRIBUTE t[10];
    CK_ULONG n;
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_GenerateKey, c->session, &gen, secret_template(t, &n, "conf generated"), n, &h);
    p11t_conf_emit("C_GenerateKey", rv, "object=%lu", (unsigned long)h);
    p11t_conf_show_attr(c, h, CKA_VALUE_LEN, true);
    p11t_conf_show_attr(c, h, CKA_LOCAL, true);
    p11t_conf_show_attr(c, h, CKA_VALUE, false);
    rv = P11T_CALL(c, C_GenerateKey, c->session, &gen, t, n - 2, &h); /* without CKA_VALUE_LEN and label */
    p11t_conf_emit("C_GenerateKey", rv, "object=%lu (no CKA_VALUE_LEN)", (unsigned long)h);
}

/* The RSA operations with a fresh 1024-bit pair. */
static void rsa(p11t_conf *c)
{
    CK_MECHANISM gen = {CKM_RSA_PKCS_KEY_PAIR_GEN, NULL, 0}, pkcs = {CKM_RSA_PKCS, NULL, 0};
    CK_ULONG bits = 1024;
    CK_BYTE e[] = {1, 0, 1};
    CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
    CK_ATTRIBUTE pub_t[] = {
        {CKA_TOKEN, &no, sizeof(no)},       {CKA_MODULUS_BITS, &bits, sizeof(bits)},
        {CKA_PUBLIC_EXPONENT, e, sizeof(e)}, {CKA_VERIFY, &yes, sizeof(yes)},
        {CKA_ENCRYPT, &yes, sizeof(yes)},   {CKA_VERIFY_RECOVER, &yes, sizeof(yes)},
    };
    CK_ATTRIBUTE priv_t[] = {
        {CKA_TOKEN, &no, sizeof(no)},     {CKA_PRIVATE, &yes, sizeof(yes)}, {CKA_SENSITIVE, &yes, sizeof(yes)},
        {CKA_SIGN, &yes, sizeof(yes)},    {CKA_DECRYPT, &yes, sizeof(yes)}, {CKA_SIGN_RECOVER, &yes, sizeof(yes)},
    };
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_GenerateKeyPair, c->session, &gen, pub_t, 6, priv_t, 6, &pub, &priv);
    p11t_conf_emit("C_GenerateKeyPair", rv, "public=%lu private=%lu", (unsigned long)pub, (unsigned long)priv);
    p11t_conf_show_attr(c, pub, CKA_MODULUS_BITS, true);
    p11t_conf_show_attr(c, pub, CKA_MODULUS, false);
    p11t_conf_show_attr(c, priv, CKA_PRIVATE_EXPONENT, false); /* sensitive */

    CK_BYTE sig[512], out[512];
    CK_ULONG siglen = 0, len;
    p11t_conf_emit("C_SignInit", P11T_CALL(c, C_SignInit, c->session, &pkcs, priv), "-");
    rv = P11T_CALL(c, C_Sign, c->session, message, sizeof(message), NULL, &siglen);
    p11t_conf_emit_buf("C_Sign", rv, NULL, siglen, false, "length query");
    siglen = sizeof(sig);
    rv = P11T_CALL(c, C_Sign, c->session, message, sizeof(message), sig, &siglen);
    p11t_conf_emit_buf("C_Sign", rv, sig, siglen, false, NULL);
    p11t_conf_emit("C_VerifyInit", P11T_CALL(c, C_VerifyInit, c->session, &pkcs, pub), "-");
    p11t_conf_emit("C_Verify", P11T_CALL(c, C_Verify, c->session, message, sizeof(message), sig, siglen), "-");

    p11t_conf_emit("C_SignRecoverInit", P11T_CALL(c, C_SignRecoverInit, c->session, &pkcs, priv), "-");
    siglen = 0;
    rv = P11T_CALL(c, C_SignRecover, c->session, message, sizeof(message), NULL, &siglen);
    p11t_conf_emit_buf("C_SignRecover", rv, NULL, siglen, false, "length query");
    siglen = sizeof(sig);
    rv = P11T_CALL(c, C_SignRecover, c->session, message, sizeof(message), sig, &siglen);
    p11t_conf_emit_buf("C_SignRecover", rv, sig, siglen, false, NULL);
    p11t_conf_emit("C_VerifyRecoverInit", P11T_CALL(c, C_VerifyRecoverInit, c->session, &pkcs, pub), "-");
    len = 0;
    rv = P11T_CALL(c, C_VerifyRecover, c->session, sig, siglen, NULL, &len);
    p11t_conf_emit_buf("C_VerifyRecover", rv, NULL, len, true, "length query");
    len = sizeof(out);
    rv = P11T_CALL(c, C_VerifyRecover, c->session, sig, siglen, out, &len);
    p11t_conf_emit_buf("C_VerifyRecover", rv, out, len, true, NULL);

    p11t_conf_emit("C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &pkcs, pub), "-");
    siglen = sizeof(sig);
    rv = P11T_CALL(c, C_Encrypt, c->session, message, sizeof(message), sig, &siglen);
    p11t_conf_emit_buf("C_Encrypt", rv, sig, siglen, false, "RSA, random padding");
    p11t_conf_emit("C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &pkcs, priv), "-");
    len = sizeof(out);
    rv = P11T_CALL(c, C_Decrypt, c->session, sig, siglen, out, &len);
    p11t_conf_emit_buf("C_Decrypt", rv, out, len, true, NULL);
}

static void wrapping(p11t_conf *c)
{
    CK_OBJECT_HANDLE wrapper = p11t_conf_secret_key(c, "conf wrap", CKK_AES, wrap_key, sizeof(wrap_key) - 1, false);
    CK_OBJECT_HANDLE target = p11t_conf_secret_key(c, "conf target", CKK_AES, target_key, sizeof(target_key) - 1, false);
    CK_MECHANISM kw = {CKM_AES_KEY_WRAP, NULL, 0};
    CK_BYTE wrapped[64];
    CK_ULONG len = 0;
    CK_RV rv = P11T_CALL(c, C_WrapKey, c->session, &kw, wrapper, target, NULL, &len);
    p11t_conf_emit_buf("C_WrapKey", rv, NULL, len, true, "length query");
    len = 4;
    rv = P11T_CALL(c, C_WrapKey, c->session, &kw, wrapper, target, wrapped, &len);
    p11t_conf_emit_buf("C_WrapKey", rv, wrapped, len, true, "buffer of 4");
    len = sizeof(wrapped);
    rv = P11T_CALL(c, C_WrapKey, c->session, &kw, wrapper, target, wrapped, &len);
    p11t_conf_emit_buf("C_WrapKey", rv, wrapped, len, true, NULL);

    CK_ATTRIBUTE t[10];
    CK_ULONG n;
    secret_template(t, &n, "conf unwrapped");
    n -= 2; /* no CKA_VALUE_LEN: the wrapped key brings its length */
    CK_OBJECT_HANDLE unwrapped = CK_INVALID_HANDLE;
    rv = P11T_CALL(c, C_UnwrapKey, c->session, &kw, wrapper, wrapped, rv == CKR_OK ? len : 0, t, n, &unwrapped);
    p11t_conf_emit("C_UnwrapKey", rv, "object=%lu", (unsigned long)unwrapped);
    p11t_conf_show_attr(c, unwrapped, CKA_VALUE, true);

    CK_BYTE data[16] = "derivation data"; /* 15 characters and a NUL */
    CK_KEY_DERIVATION_STRING_DATA param = {data, sizeof(data)};
    CK_MECHANISM derive = {CKM_AES_ECB_ENCRYPT_DATA, &param, sizeof(param)};
    secret_template(t, &n, "conf derived");
    CK_OBJECT_HANDLE derived = CK_INVALID_HANDLE;
    rv = P11T_CALL(c, C_DeriveKey, c->session, &derive, target, t, n, &derived);
    p11t_conf_emit("C_DeriveKey", rv, "object=%lu", (unsigned long)derived);
    p11t_conf_show_attr(c, derived, CKA_VALUE, true);
}

static void randomness(p11t_conf *c)
{
    CK_BYTE seed[] = "p11tseed";
    CK_RV rv = P11T_CALL(c, C_SeedRandom, c->session, seed, sizeof(seed) - 1);
    p11t_conf_emit("C_SeedRandom", rv, "-");
    CK_BYTE r[32];
    rv = P11T_CALL(c, C_GenerateRandom, c->session, r, sizeof(r));
    p11t_conf_emit("C_GenerateRandom", rv, "len=%lu", (unsigned long)sizeof(r));
}

void p11t_conf_v2_keys(p11t_conf *c)
{
    generate(c);
    rsa(c);
    wrapping(c);
    randomness(c);
}
