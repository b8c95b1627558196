/*
 * The PKCS#11 3.0 message-based functions: AES-GCM encryption and decryption with
 * CK_GCM_MESSAGE_PARAMS (module-generated IVs, tags), and HMAC message signing. The IV and
 * tag a call writes into the parameter structure are printed with its output.
 */
#include "conf.h"

#include <string.h>

static const CK_BYTE gcm_key[16] = {0x47, 0x43, 0x4d, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
static const CK_BYTE mac_key[32] = "p11trace message signing key!!!";
static CK_BYTE aad[] = "header";
static CK_BYTE text[32] = "message based plaintext, 32 b.";

/* One AES-GCM message: parameters plus the buffers they point into. */
typedef struct {
    CK_BYTE iv[12];
    CK_BYTE tag[16];
    CK_GCM_MESSAGE_PARAMS p;
    CK_BYTE out[64];
    CK_ULONG len;
} gcm_message;

/* Parameters with the first 32 IV bits fixed to cafebabe and the rest generated. */
static void gcm_setup(gcm_message *m, CK_GENERATOR_FUNCTION gen)
{
    memset(m, 0, sizeof(*m));
    static const CK_BYTE fixed[4] = {0xca, 0xfe, 0xba, 0xbe};
    memcpy(m->iv, fixed, sizeof(fixed));
    m->p = (CK_GCM_MESSAGE_PARAMS){m->iv, sizeof(m->iv), 32, gen, m->tag, 128};
}

static void emit_gcm(const char *fn, CK_RV rv, const gcm_message *m, bool with_tag, const char *note)
{
    if (rv != CKR_OK) {
        p11t_conf_emit_buf(fn, rv, NULL, m->len, true, note);
        return;
    }
    p11t_conf_emit(fn, rv, "len=%lu hex=%s iv=%s%s%s (%s)", (unsigned long)m->len, p11t_conf_hex(m->out, m->len),
                   p11t_conf_hex(m->iv, sizeof(m->iv)), with_tag ? " tag=" : "",
                   with_tag ? p11t_conf_hex(m->tag, sizeof(m->tag)) : "", note);
}

/* Encrypts two messages (single-part, multi-part); returns them for decryption. */
static void encrypt_messages(p11t_conf *c, CK_OBJECT_HANDLE key, gcm_message *one, gcm_message *two)
{
    CK_MECHANISM gcm = {CKM_AES_GCM, NULL, 0};
    p11t_conf_emit("C_MessageEncryptInit", P11T_CALL30(c, C_MessageEncryptInit, c->session, &gcm, key), "-");
    gcm_setup(one, CKG_GENERATE_COUNTER);
    one->len = 0;
    CK_RV rv = P11T_CALL30(c, C_EncryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, text,
                           sizeof(text), NULL, &one->len);
    p11t_conf_emit_buf("C_EncryptMessage", rv, NULL, one->len, true, "length query");
    one->len = 4;
    rv = P11T_CALL30(c, C_EncryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, text,
                     sizeof(text), one->out, &one->len);
    p11t_conf_emit_buf("C_EncryptMessage", rv, NULL, one->len, true, "buffer of 4");
    one->len = sizeof(one->out);
    rv = P11T_CALL30(c, C_EncryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, text,
                     sizeof(text), one->out, &one->len);
    emit_gcm("C_EncryptMessage", rv, one, true, "single-part");

    gcm_setup(two, CKG_GENERATE_COUNTER);
    rv = P11T_CALL30(c, C_EncryptMessageBegin, c->session, &two->p, sizeof(two->p), aad, sizeof(aad) - 1);
    p11t_conf_emit("C_EncryptMessageBegin", rv, "iv=%s", p11t_conf_hex(two->iv, sizeof(two->iv)));
    for (int part = 0; part < 2; part++) {
        CK_ULONG len = sizeof(two->out) - 16 * (CK_ULONG)part;
        rv = P11T_CALL30(c, C_EncryptMessageNext, c->session, &two->p, sizeof(two->p), text + 16 * part, 16,
                         two->out + 16 * part, &len, part ? CKF_END_OF_MESSAGE : 0);
        two->len = 16 * (CK_ULONG)part + (rv == CKR_OK ? len : 0);
        p11t_conf_emit("C_EncryptMessageNext", rv, "len=%lu hex=%s%s%s", (unsigned long)len,
                       p11t_conf_hex(two->out + 16 * part, len), part ? " tag=" : "",
                       part ? p11t_conf_hex(two->tag, sizeof(two->tag)) : "");
    }
    p11t_conf_emit("C_MessageEncryptFinal", P11T_CALL30(c, C_MessageEncryptFinal, c->session), "-");
    CK_ULONG len = sizeof(two->out);
    rv = P11T_CALL30(c, C_EncryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, text,
                     sizeof(text), two->out + 32, &len);
    p11t_conf_emit("C_EncryptMessage", rv, "- (after final)");
}

/* Decrypts both messages, then the first with a damaged tag. */
static void decrypt_messages(p11t_conf *c, CK_OBJECT_HANDLE key, gcm_message *one, gcm_message *two)
{
    CK_MECHANISM gcm = {CKM_AES_GCM, NULL, 0};
    p11t_conf_emit("C_MessageDecryptInit", P11T_CALL30(c, C_MessageDecryptInit, c->session, &gcm, key), "-");
    one->p.ivGenerator = CKG_NO_GENERATE;
    CK_BYTE plain[64];
    CK_ULONG len = 0;
    CK_RV rv = P11T_CALL30(c, C_DecryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, one->out,
                           one->len, NULL, &len);
    p11t_conf_emit_buf("C_DecryptMessage", rv, NULL, len, true, "length query");
    len = sizeof(plain);
    rv = P11T_CALL30(c, C_DecryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, one->out,
                     one->len, plain, &len);
    p11t_conf_emit_buf("C_DecryptMessage", rv, plain, len, true, NULL);
    one->tag[0] ^= 0x80;
    len = sizeof(plain);
    rv = P11T_CALL30(c, C_DecryptMessage, c->session, &one->p, sizeof(one->p), aad, sizeof(aad) - 1, one->out,
                     one->len, plain, &len);
    p11t_conf_emit_buf("C_DecryptMessage", rv, plain, len, true, "damaged tag");

    two->p.ivGenerator = CKG_NO_GENERATE;
    rv = P11T_CALL30(c, C_DecryptMessageBegin, c->session, &two->p, sizeof(two->p), aad, sizeof(aad) - 1);
    p11t_conf_emit("C_DecryptMessageBegin", rv, "-");
    for (int part = 0; part < 2; part++) {
        len = sizeof(plain);
        rv = P11T_CALL30(c, C_DecryptMessageNext, c->session, &two->p, sizeof(two->p), two->out + 16 * part, 16,
                         plain, &len, part ? CKF_END_OF_MESSAGE : 0);
        p11t_conf_emit_buf("C_DecryptMessageNext", rv, plain, len, true, part ? "end of message" : NULL);
    }
    p11t_conf_emit("C_MessageDecryptFinal", P11T_CALL30(c, C_MessageDecryptFinal, c->session), "-");
}

static void sign_messages(p11t_conf *c, CK_OBJECT_HANDLE key)
{
    CK_MECHANISM hmac = {CKM_SHA256_HMAC, NULL, 0};
    CK_BYTE sig[64], sig2[64];
    CK_ULONG len = 0, len2;
    p11t_conf_emit("C_MessageSignInit", P11T_CALL30(c, C_MessageSignInit, c->session, &hmac, key), "-");
    CK_RV rv = P11T_CALL30(c, C_SignMessage, c->session, NULL, 0, text, sizeof(text), NULL, &len);
    p11t_conf_emit_buf("C_SignMessage", rv, NULL, len, true, "length query");
    len = 4;
    rv = P11T_CALL30(c, C_SignMessage, c->session, NULL, 0, text, sizeof(text), sig, &len);
    p11t_conf_emit_buf("C_SignMessage", rv, sig, len, true, "buffer of 4");
    len = sizeof(sig);
    rv = P11T_CALL30(c, C_SignMessage, c->session, NULL, 0, text, sizeof(text), sig, &len);
    p11t_conf_emit_buf("C_SignMessage", rv, sig, len, true, NULL);
    p11t_conf_emit("C_SignMessageBegin", P11T_CALL30(c, C_SignMessageBegin, c->session, NULL, 0), "-");
    rv = P11T_CALL30(c, C_SignMessageNext, c->session, NULL, 0, text, 16, NULL, NULL);
    p11t_conf_emit("C_SignMessageNext", rv, "- (more parts follow)");
    len2 = 0;
    rv = P11T_CALL30(c, C_SignMessageNext, c->session, NULL, 0, text + 16, 16, NULL, &len2);
    p11t_conf_emit_buf("C_SignMessageNext", rv, NULL, len2, true, "last part, length query");
    len2 = sizeof(sig2);
    rv = P11T_CALL30(c, C_SignMessageNext, c->session, NULL, 0, text + 16, 16, sig2, &len2);
    p11t_conf_emit_buf("C_SignMessageNext", rv, sig2, len2, true, "last part");
    p11t_conf_emit("C_MessageSignFinal", P11T_CALL30(c, C_MessageSignFinal, c->session), "-");

    p11t_conf_emit("C_MessageVerifyInit", P11T_CALL30(c, C_MessageVerifyInit, c->session, &hmac, key), "-");
    rv = P11T_CALL30(c, C_VerifyMessage, c->session, NULL, 0, text, sizeof(text), sig, len);
    p11t_conf_emit("C_VerifyMessage", rv, "-");
    sig[1] ^= 0x01;
    rv = P11T_CALL30(c, C_VerifyMessage, c->session, NULL, 0, text, sizeof(text), sig, len);
    p11t_conf_emit("C_VerifyMessage", rv, "- (damaged signature)");
    p11t_conf_emit("C_VerifyMessageBegin", P11T_CALL30(c, C_VerifyMessageBegin, c->session, NULL, 0), "-");
    rv = P11T_CALL30(c, C_VerifyMessageNext, c->session, NULL, 0, text, 16, NULL, 0);
    p11t_conf_emit("C_VerifyMessageNext", rv, "- (more parts follow)");
    rv = P11T_CALL30(c, C_VerifyMessageNext, c->session, NULL, 0, text + 16, 16, sig2, len2);
    p11t_conf_emit("C_VerifyMessageNext", rv, "- (last part)");
    p11t_conf_emit("C_MessageVerifyFinal", P11T_CALL30(c, C_MessageVerifyFinal, c->session), "-");
}

void p11t_conf_v3_messages(p11t_conf *c)
{
    CK_OBJECT_HANDLE aes = p11t_conf_secret_key(c, "conf gcm", CKK_AES, gcm_key, sizeof(gcm_key), false);
    CK_OBJECT_HANDLE mac = p11t_conf_secret_key(c, "conf msg hmac", CKK_GENERIC_SECRET, mac_key, sizeof(mac_key),
                                                false);
    gcm_message one, two;
    encrypt_messages(c, aes, &one, &two);
    decrypt_messages(c, aes, &one, &two);
    sign_messages(c, mac);
}
