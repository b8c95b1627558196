/*
 * The secrets scenario: creates session objects whose attribute values are secret by the
 * attribute policy (docs/log-format.md) with fixed, recognisable bytes, so that a test can
 * search a trace for them: an RSA private key (private exponent, primes, exponents,
 * coefficient), an EC private key (CKA_VALUE of a private key), a 3.2 private key seed
 * (CKA_SEED) and, as a control, a certificate whose CKA_VALUE is public.
 * Every secret value is 16 bytes "p11tSECRET-<tag>"; the public one is "p11tPUBLIC-cert!".
 */
#include <string.h>
#include "conf.h"

static void create(p11t_conf *c, const char *what, CK_ATTRIBUTE *tmpl, CK_ULONG n)
{
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    CK_RV rv = P11T_CALL(c, C_CreateObject, c->session, tmpl, n, &h);
    p11t_conf_emit("C_CreateObject", rv, "%s", what);
}

void p11t_conf_scenario_secrets(p11t_conf *c)
{
    if (p11t_conf_get_function_list(c) != CKR_OK)
        return;
    p11t_conf_emit("C_Initialize", P11T_CALL(c, C_Initialize, NULL), "-");
    p11t_conf_find_slot(c);
    c->session = p11t_conf_open(c, CKF_SERIAL_SESSION | CKF_RW_SESSION);
    p11t_conf_login(c, CKU_USER, c->pin);
    CK_BBOOL no = CK_FALSE;
    CK_OBJECT_CLASS private_key = CKO_PRIVATE_KEY, certificate = CKO_CERTIFICATE;
    CK_KEY_TYPE rsa = CKK_RSA, ec = CKK_EC;
    CK_CERTIFICATE_TYPE x509 = CKC_X_509;
    static CK_BYTE d[] = "p11tSECRET-privd", p[] = "p11tSECRET-prim1", q[] = "p11tSECRET-prim2",
                   dp[] = "p11tSECRET-exp1!", dq[] = "p11tSECRET-exp2!", qinv[] = "p11tSECRET-coeff",
                   ecv[] = "p11tSECRET-ecval", seed[] = "p11tSECRET-seed!", cert[] = "p11tPUBLIC-cert!";
    static CK_BYTE modulus[] = { 0xC3, 0x01, 0x02, 0x03 }, exponent[] = { 0x01, 0x00, 0x01 };
    CK_ATTRIBUTE rsa_key[] = {
        { CKA_CLASS, &private_key, sizeof private_key }, { CKA_KEY_TYPE, &rsa, sizeof rsa },
        { CKA_TOKEN, &no, sizeof no }, { CKA_MODULUS, modulus, sizeof modulus },
        { CKA_PUBLIC_EXPONENT, exponent, sizeof exponent }, { CKA_PRIVATE_EXPONENT, d, 16 },
        { CKA_PRIME_1, p, 16 }, { CKA_PRIME_2, q, 16 }, { CKA_EXPONENT_1, dp, 16 },
        { CKA_EXPONENT_2, dq, 16 }, { CKA_COEFFICIENT, qinv, 16 },
    };
    create(c, "rsa private key", rsa_key, sizeof rsa_key / sizeof rsa_key[0]);
    CK_ATTRIBUTE ec_key[] = {
        { CKA_CLASS, &private_key, sizeof private_key }, { CKA_KEY_TYPE, &ec, sizeof ec },
        { CKA_TOKEN, &no, sizeof no }, { CKA_VALUE, ecv, 16 },
    };
    create(c, "ec private key", ec_key, sizeof ec_key / sizeof ec_key[0]);
    CK_ATTRIBUTE seeded[] = {
        { CKA_CLASS, &private_key, sizeof private_key }, { CKA_KEY_TYPE, &ec, sizeof ec },
        { CKA_TOKEN, &no, sizeof no }, { CKA_SEED, seed, 16 },
    };
    create(c, "private key seed", seeded, sizeof seeded / sizeof seeded[0]);
    CK_ATTRIBUTE public_cert[] = {
        { CKA_CLASS, &certificate, sizeof certificate }, { CKA_CERTIFICATE_TYPE, &x509, sizeof x509 },
        { CKA_TOKEN, &no, sizeof no }, { CKA_VALUE, cert, 16 },
    };
    create(c, "certificate", public_cert, sizeof public_cert / sizeof public_cert[0]);
    p11t_conf_teardown(c);
}
