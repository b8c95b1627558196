/*
 * Scenario mechanisms: one Init (or message) call per mechanism parameter structure in
 * spec/mechanisms.json, with realistic parameter values, so that a trace can be checked
 * field by field against what the client passed. Run it against the mock with
 * P11T_MOCK_ACCEPT_MECHANISMS=1: the mock then accepts every mechanism without reading the
 * parameter, and whatever the trace holds came from the tracer alone.
 *
 * The values are fixed here and repeated in Tests/Integration/test_mechanisms.sh.
 */
#include "conf.h"

#include <stdint.h>
#include <string.h>

#define KEY ((CK_OBJECT_HANDLE)0x77)

static void init_call(p11t_conf *c, const char *fn, CK_RV rv, const char *what)
{
    p11t_conf_emit(fn, rv, "- (%s)", what);
}

/* Fills bytes with start, start+1, ... (a pattern the test can name). */
static void pattern(CK_BYTE *p, size_t n, CK_BYTE start)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (CK_BYTE)(start + i);
}

static void rsa(p11t_conf *c)
{
    CK_RSA_PKCS_PSS_PARAMS pss = {CKM_SHA256, CKG_MGF1_SHA256, 32};
    CK_MECHANISM m = {CKM_SHA256_RSA_PKCS_PSS, &pss, sizeof(pss)};
    init_call(c, "C_SignInit", P11T_CALL(c, C_SignInit, c->session, &m, KEY), "SHA256_RSA_PKCS_PSS");
    static CK_BYTE label[] = "oaep label";
    CK_RSA_PKCS_OAEP_PARAMS oaep = {CKM_SHA384, CKG_MGF1_SHA384, CKZ_DATA_SPECIFIED, label, sizeof(label) - 1};
    CK_MECHANISM o = {CKM_RSA_PKCS_OAEP, &oaep, sizeof(oaep)};
    init_call(c, "C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &o, KEY), "RSA_PKCS_OAEP");
}

static void aes(p11t_conf *c)
{
    CK_BYTE iv[16];
    pattern(iv, sizeof(iv), 0x10);
    CK_MECHANISM cbc = {CKM_AES_CBC_PAD, iv, sizeof(iv)};
    init_call(c, "C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &cbc, KEY), "AES_CBC_PAD");

    CK_AES_CTR_PARAMS ctr = {64, {0}};
    pattern(ctr.cb, sizeof(ctr.cb), 0x20);
    CK_MECHANISM m = {CKM_AES_CTR, &ctr, sizeof(ctr)};
    init_call(c, "C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &m, KEY), "AES_CTR");

    CK_BYTE gcm_iv[12], aad[20];
    pattern(gcm_iv, sizeof(gcm_iv), 0x30);
    pattern(aad, sizeof(aad), 0x40);
    CK_GCM_PARAMS gcm = {gcm_iv, sizeof(gcm_iv), 96, aad, sizeof(aad), 128};
    m = (CK_MECHANISM){CKM_AES_GCM, &gcm, sizeof(gcm)};
    init_call(c, "C_DecryptInit", P11T_CALL(c, C_DecryptInit, c->session, &m, KEY), "AES_GCM");

    CK_BYTE nonce[13];
    pattern(nonce, sizeof(nonce), 0x50);
    CK_CCM_PARAMS ccm = {1000, nonce, sizeof(nonce), aad, 8, 16};
    m = (CK_MECHANISM){CKM_AES_CCM, &ccm, sizeof(ccm)};
    init_call(c, "C_EncryptInit", P11T_CALL(c, C_EncryptInit, c->session, &m, KEY), "AES_CCM");
}

static void derive(p11t_conf *c)
{
    CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
    CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof(cls)}};
    CK_BYTE point[65], shared[8], point2[65];
    pattern(point, sizeof(point), 0x04);
    pattern(shared, sizeof(shared), 0x60);
    pattern(point2, sizeof(point2), 0x80);
    CK_ECDH1_DERIVE_PARAMS ecdh = {CKD_SHA256_KDF, sizeof(shared), shared, sizeof(point), point};
    CK_MECHANISM m = {CKM_ECDH1_DERIVE, &ecdh, sizeof(ecdh)};
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    init_call(c, "C_DeriveKey", P11T_CALL(c, C_DeriveKey, c->session, &m, KEY, t, 1, &h), "ECDH1_DERIVE");

    CK_ECMQV_DERIVE_PARAMS mqv = {CKD_NULL, 0, NULL, sizeof(point), point, 32, 0x55, sizeof(point2), point2, 0x66};
    m = (CK_MECHANISM){CKM_ECMQV_DERIVE, &mqv, sizeof(mqv)};
    init_call(c, "C_DeriveKey", P11T_CALL(c, C_DeriveKey, c->session, &m, KEY, t, 1, &h), "ECMQV_DERIVE");

    static CK_BYTE salt[] = "hkdf salt", info[] = "hkdf info";
    CK_HKDF_PARAMS hkdf = {CK_TRUE, CK_TRUE, CKM_SHA256, CKF_HKDF_SALT_DATA, salt, sizeof(salt) - 1,
                           CK_INVALID_HANDLE, info, sizeof(info) - 1};
    m = (CK_MECHANISM){CKM_HKDF_DERIVE, &hkdf, sizeof(hkdf)};
    init_call(c, "C_DeriveKey", P11T_CALL(c, C_DeriveKey, c->session, &m, KEY, t, 1, &h), "HKDF_DERIVE");
    /* bExtract false: pSalt is garbage the module must ignore, and so must the tracer. */
    CK_HKDF_PARAMS expand = {CK_FALSE, CK_TRUE, CKM_SHA384, CKF_HKDF_SALT_NULL, (CK_BYTE_PTR)(uintptr_t)0x10, 4096,
                             CK_INVALID_HANDLE, info, 4};
    m = (CK_MECHANISM){CKM_HKDF_DATA, &expand, sizeof(expand)};
    init_call(c, "C_DeriveKey", P11T_CALL(c, C_DeriveKey, c->session, &m, KEY, t, 1, &h), "HKDF_DATA");
}

static void messages(p11t_conf *c)
{
    CK_MECHANISM gcm = {CKM_AES_GCM, NULL, 0};
    init_call(c, "C_MessageEncryptInit", P11T_CALL30(c, C_MessageEncryptInit, c->session, &gcm, KEY), "AES_GCM");
    static CK_BYTE aad[] = "message aad";
    CK_BYTE text[16], out[32];
    pattern(text, sizeof(text), 0xA0);
    CK_BYTE iv[12], tag[16];
    pattern(iv, sizeof(iv), 0x90);
    pattern(tag, sizeof(tag), 0xB0);
    CK_GCM_MESSAGE_PARAMS g = {iv, sizeof(iv), 32, CKG_GENERATE_COUNTER, tag, 128};
    CK_ULONG len = 0;
    CK_RV rv = P11T_CALL30(c, C_EncryptMessage, c->session, &g, sizeof(g), aad, sizeof(aad) - 1, text, sizeof(text),
                           out, &len);
    init_call(c, "C_EncryptMessage", rv, "CK_GCM_MESSAGE_PARAMS");

    CK_MECHANISM ccm = {CKM_AES_CCM, NULL, 0};
    init_call(c, "C_MessageDecryptInit", P11T_CALL30(c, C_MessageDecryptInit, c->session, &ccm, KEY), "AES_CCM");
    CK_BYTE nonce[12], mac[12];
    pattern(nonce, sizeof(nonce), 0xC0);
    pattern(mac, sizeof(mac), 0xD0);
    CK_CCM_MESSAGE_PARAMS p = {sizeof(text), nonce, sizeof(nonce), 0, CKG_NO_GENERATE, mac, sizeof(mac)};
    rv = P11T_CALL30(c, C_DecryptMessageBegin, c->session, &p, sizeof(p), aad, sizeof(aad) - 1);
    init_call(c, "C_DecryptMessageBegin", rv, "CK_CCM_MESSAGE_PARAMS");

    CK_MECHANISM chacha = {CKM_CHACHA20_POLY1305, NULL, 0};
    init_call(c, "C_MessageEncryptInit", P11T_CALL30(c, C_MessageEncryptInit, c->session, &chacha, KEY), "CHACHA20_POLY1305");
    CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS cp = {nonce, sizeof(nonce), tag};
    len = 0;
    rv = P11T_CALL30(c, C_EncryptMessage, c->session, &cp, sizeof(cp), aad, sizeof(aad) - 1, text, sizeof(text), out,
                     &len);
    init_call(c, "C_EncryptMessage", rv, "CK_SALSA20_CHACHA20_POLY1305_MSG_PARAMS");
}

void p11t_conf_scenario_mechanisms(p11t_conf *c)
{
    void *sym = p11t_conf_symbol(c, "C_GetInterface");
    CK_C_GetInterface gi;
    memcpy(&gi, &sym, sizeof(gi));
    CK_INTERFACE *i = NULL;
    CK_VERSION v30 = {3, 0};
    CK_RV rv = gi ? gi((CK_UTF8CHAR_PTR) "PKCS 11", &v30, &i, 0) : P11T_CONF_ABSENT;
    p11t_conf_emit("C_GetInterface", rv, "- (PKCS 11 3.0)");
    if (rv != CKR_OK || i == NULL)
        return;
    c->f = i->pFunctionList;
    c->f30 = i->pFunctionList;
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, NULL), "-");
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    rsa(c);
    aes(c);
    derive(c);
    messages(c);
    p11t_conf_emit("C_CloseSession", P11T_CALL(c, C_CloseSession, c->session), "-");
    p11t_conf_emit("C_Finalize", P11T_CALL(c, C_Finalize, NULL), "-");
}
