/*
 * The object store: objects are flat lists of (type, bytes) attributes. This file also holds
 * template validation and the class-dependent defaults every new object receives.
 */
#include "mock_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest attribute value accepted from a caller. */
#define P11T_MOCK_MAX_ATTR_LEN (1UL << 20)

p11t_mock_object *p11t_mock_object_new(CK_SESSION_HANDLE owner)
{
    for (size_t i = 0; i < P11T_MOCK_MAX_OBJECTS; i++) {
        p11t_mock_object *o = &p11t_mock_g.objects[i];
        if (o->in_use)
            continue;
        memset(o, 0, sizeof(*o));
        o->in_use = true;
        o->handle = p11t_mock_g.next_object++;
        o->owner = owner;
        return o;
    }
    return NULL;
}

void p11t_mock_object_free(p11t_mock_object *o)
{
    for (size_t i = 0; i < o->count; i++)
        free(o->attrs[i].value);
    free(o->attrs);
    memset(o, 0, sizeof(*o));
}

void p11t_mock_objects_clear(void)
{
    for (size_t i = 0; i < P11T_MOCK_MAX_OBJECTS; i++) {
        if (p11t_mock_g.objects[i].in_use)
            p11t_mock_object_free(&p11t_mock_g.objects[i]);
    }
}

p11t_mock_object *p11t_mock_object_visible(CK_OBJECT_HANDLE h)
{
    if (h == CK_INVALID_HANDLE)
        return NULL;
    for (size_t i = 0; i < P11T_MOCK_MAX_OBJECTS; i++) {
        p11t_mock_object *o = &p11t_mock_g.objects[i];
        if (!o->in_use || o->handle != h)
            continue;
        if (p11t_mock_attr_bool(o, CKA_PRIVATE, false) && p11t_mock_g.login != CKU_USER)
            return NULL; /* private objects exist only for the logged-in user */
        return o;
    }
    return NULL;
}

const p11t_mock_attr *p11t_mock_attr_get(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type)
{
    for (size_t i = 0; i < o->count; i++) {
        if (o->attrs[i].type == type)
            return &o->attrs[i];
    }
    return NULL;
}

CK_RV p11t_mock_attr_set(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
    unsigned char *copy = NULL;
    if (len != 0) {
        copy = malloc(len);
        if (copy == NULL)
            return CKR_HOST_MEMORY;
        memcpy(copy, value, len);
    }
    p11t_mock_attr *slot = (p11t_mock_attr *)p11t_mock_attr_get(o, type);
    if (slot == NULL) {
        p11t_mock_attr *grown = realloc(o->attrs, (o->count + 1) * sizeof(*grown));
        if (grown == NULL) {
            free(copy);
            return CKR_HOST_MEMORY;
        }
        o->attrs = grown;
        slot = &o->attrs[o->count++];
        slot->type = type;
    } else {
        free(slot->value);
    }
    slot->value = copy;
    slot->len = len;
    return CKR_OK;
}

bool p11t_mock_attr_bool(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool fallback)
{
    const p11t_mock_attr *a = p11t_mock_attr_get(o, type);
    if (a == NULL || a->len != sizeof(CK_BBOOL))
        return fallback;
    return *(const CK_BBOOL *)a->value != CK_FALSE;
}

CK_ULONG p11t_mock_attr_ulong(const p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG fallback)
{
    const p11t_mock_attr *a = p11t_mock_attr_get(o, type);
    if (a == NULL || a->len != sizeof(CK_ULONG))
        return fallback;
    CK_ULONG v;
    memcpy(&v, a->value, sizeof(v));
    return v;
}

CK_RV p11t_mock_attr_set_bool(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool value)
{
    CK_BBOOL b = value ? CK_TRUE : CK_FALSE;
    return p11t_mock_attr_set(o, type, &b, sizeof(b));
}

CK_RV p11t_mock_attr_set_ulong(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, CK_ULONG value)
{
    return p11t_mock_attr_set(o, type, &value, sizeof(value));
}

CK_RV p11t_mock_attr_default_bool(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, bool value)
{
    return p11t_mock_attr_get(o, type) ? CKR_OK : p11t_mock_attr_set_bool(o, type, value);
}

static CK_RV default_bytes(p11t_mock_object *o, CK_ATTRIBUTE_TYPE type, const void *value, CK_ULONG len)
{
    return p11t_mock_attr_get(o, type) ? CKR_OK : p11t_mock_attr_set(o, type, value, len);
}

bool p11t_mock_object_is_sensitive(const p11t_mock_object *o)
{
    CK_OBJECT_CLASS cls = p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA);
    if (cls != CKO_SECRET_KEY && cls != CKO_PRIVATE_KEY)
        return false;
    return p11t_mock_attr_bool(o, CKA_SENSITIVE, false) || !p11t_mock_attr_bool(o, CKA_EXTRACTABLE, true);
}

/* Attributes whose value is CK_BBOOL. */
static bool is_bool_attr(CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_TOKEN: case CKA_PRIVATE: case CKA_MODIFIABLE: case CKA_COPYABLE: case CKA_DESTROYABLE:
    case CKA_SENSITIVE: case CKA_EXTRACTABLE: case CKA_ENCRYPT: case CKA_DECRYPT: case CKA_SIGN:
    case CKA_SIGN_RECOVER: case CKA_VERIFY: case CKA_VERIFY_RECOVER: case CKA_WRAP: case CKA_UNWRAP:
    case CKA_DERIVE: case CKA_LOCAL: case CKA_ALWAYS_SENSITIVE: case CKA_NEVER_EXTRACTABLE:
    case CKA_TRUSTED: case CKA_WRAP_WITH_TRUSTED: case CKA_ALWAYS_AUTHENTICATE:
#if !P11T_MOCK_V2_ONLY && defined(CKA_ENCAPSULATE) && defined(CKA_DECAPSULATE)
    case CKA_ENCAPSULATE: case CKA_DECAPSULATE:
#endif
        return true;
    default:
        return false;
    }
}

/* Attributes whose value is CK_ULONG. */
static bool is_ulong_attr(CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_CLASS: case CKA_KEY_TYPE: case CKA_CERTIFICATE_TYPE: case CKA_VALUE_LEN:
    case CKA_MODULUS_BITS: case CKA_KEY_GEN_MECHANISM: case CKA_CERTIFICATE_CATEGORY:
#if !P11T_MOCK_V2_ONLY && defined(CKA_PARAMETER_SET)
    case CKA_PARAMETER_SET:
#endif
        return true;
    default:
        return false;
    }
}

/* Attributes only the module sets. */
static bool is_module_attr(CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_LOCAL: case CKA_ALWAYS_SENSITIVE: case CKA_NEVER_EXTRACTABLE: case CKA_KEY_GEN_MECHANISM:
#if !P11T_MOCK_V2_ONLY
    case CKA_UNIQUE_ID:
#endif
        return true;
    default:
        return false;
    }
}

CK_RV p11t_mock_template_check(const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    if (count != 0 && tmpl == NULL)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < count; i++) {
        const CK_ATTRIBUTE *a = &tmpl[i];
        /* Array attributes (templates in templates) and vendor types are not supported. */
        if ((a->type & CKF_ARRAY_ATTRIBUTE) || a->type >= CKA_VENDOR_DEFINED)
            return CKR_ATTRIBUTE_TYPE_INVALID;
        if (is_module_attr(a->type))
            return CKR_ATTRIBUTE_READ_ONLY;
        if ((a->pValue == NULL && a->ulValueLen != 0) || a->ulValueLen > P11T_MOCK_MAX_ATTR_LEN)
            return CKR_ATTRIBUTE_VALUE_INVALID;
        if ((is_bool_attr(a->type) && a->ulValueLen != sizeof(CK_BBOOL)) ||
            (is_ulong_attr(a->type) && a->ulValueLen != sizeof(CK_ULONG)))
            return CKR_ATTRIBUTE_VALUE_INVALID;
        for (CK_ULONG j = 0; j < i; j++) {
            if (tmpl[j].type == a->type)
                return CKR_TEMPLATE_INCONSISTENT;
        }
    }
    return CKR_OK;
}

CK_RV p11t_mock_template_apply(p11t_mock_object *o, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = p11t_mock_attr_set(o, tmpl[i].type, tmpl[i].pValue, tmpl[i].ulValueLen);
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}

const CK_ATTRIBUTE *p11t_mock_template_find(const CK_ATTRIBUTE *tmpl, CK_ULONG count, CK_ATTRIBUTE_TYPE type)
{
    for (CK_ULONG i = 0; i < count; i++) {
        if (tmpl[i].type == type)
            return &tmpl[i];
    }
    return NULL;
}

/* Defaults common to all key classes. */
static CK_RV key_defaults(p11t_mock_object *o)
{
    CK_RV rv = default_bytes(o, CKA_ID, NULL, 0);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_DERIVE, false);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_LOCAL, false);
    if (rv == CKR_OK && !p11t_mock_attr_get(o, CKA_KEY_GEN_MECHANISM))
        rv = p11t_mock_attr_set_ulong(o, CKA_KEY_GEN_MECHANISM, CK_UNAVAILABLE_INFORMATION);
    return rv;
}

/* Sets each listed boolean attribute to `value` unless present. */
static CK_RV default_bools(p11t_mock_object *o, const CK_ATTRIBUTE_TYPE *types, size_t n, bool value)
{
    for (size_t i = 0; i < n; i++) {
        CK_RV rv = p11t_mock_attr_default_bool(o, types[i], value);
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}

static CK_RV finish_secret(p11t_mock_object *o)
{
    static const CK_ATTRIBUTE_TYPE on[] = {CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_WRAP, CKA_UNWRAP,
                                           CKA_EXTRACTABLE};
    static const CK_ATTRIBUTE_TYPE off[] = {CKA_SENSITIVE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE,
                                            CKA_TRUSTED, CKA_WRAP_WITH_TRUSTED};
    const p11t_mock_attr *value = p11t_mock_attr_get(o, CKA_VALUE);
    if (value == NULL)
        return CKR_TEMPLATE_INCOMPLETE;
    CK_KEY_TYPE kt = p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (kt == CKK_AES && value->len != 16 && value->len != 24 && value->len != 32)
        return CKR_ATTRIBUTE_VALUE_INVALID;
    CK_RV rv = p11t_mock_attr_set_ulong(o, CKA_VALUE_LEN, value->len);
    if (rv == CKR_OK)
        rv = default_bools(o, on, sizeof(on) / sizeof(on[0]), true);
    if (rv == CKR_OK)
        rv = default_bools(o, off, sizeof(off) / sizeof(off[0]), false);
    return rv;
}

static CK_RV finish_public(p11t_mock_object *o)
{
    static const CK_ATTRIBUTE_TYPE on[] = {CKA_ENCRYPT, CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_WRAP,
#if !P11T_MOCK_V2_ONLY && defined(CKA_ENCAPSULATE)
                                           CKA_ENCAPSULATE,
#endif
    };
    CK_KEY_TYPE kt = p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (kt == CKK_RSA) {
        const p11t_mock_attr *mod = p11t_mock_attr_get(o, CKA_MODULUS);
        if (mod == NULL || !p11t_mock_attr_get(o, CKA_PUBLIC_EXPONENT))
            return CKR_TEMPLATE_INCOMPLETE;
        CK_RV rv = p11t_mock_attr_set_ulong(o, CKA_MODULUS_BITS, mod->len * 8);
        if (rv != CKR_OK)
            return rv;
    }
    return default_bools(o, on, sizeof(on) / sizeof(on[0]), true);
}

static CK_RV finish_private(p11t_mock_object *o)
{
    static const CK_ATTRIBUTE_TYPE on[] = {CKA_DECRYPT, CKA_SIGN, CKA_SIGN_RECOVER, CKA_UNWRAP, CKA_EXTRACTABLE,
#if !P11T_MOCK_V2_ONLY && defined(CKA_DECAPSULATE)
                                           CKA_DECAPSULATE,
#endif
    };
    static const CK_ATTRIBUTE_TYPE off[] = {CKA_SENSITIVE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE,
                                            CKA_ALWAYS_AUTHENTICATE, CKA_WRAP_WITH_TRUSTED};
    CK_KEY_TYPE kt = p11t_mock_attr_ulong(o, CKA_KEY_TYPE, CK_UNAVAILABLE_INFORMATION);
    if (kt == CKK_RSA && !p11t_mock_attr_get(o, CKA_MODULUS))
        return CKR_TEMPLATE_INCOMPLETE;
    CK_RV rv = default_bools(o, on, sizeof(on) / sizeof(on[0]), true);
    if (rv == CKR_OK)
        rv = default_bools(o, off, sizeof(off) / sizeof(off[0]), false);
    return rv;
}

CK_RV p11t_mock_object_finish(p11t_mock_object *o, bool token_allowed)
{
    if (!p11t_mock_attr_get(o, CKA_CLASS))
        return CKR_TEMPLATE_INCOMPLETE;
    if (!token_allowed && p11t_mock_attr_bool(o, CKA_TOKEN, false))
        return CKR_TEMPLATE_INCONSISTENT;
    CK_OBJECT_CLASS cls = p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA);
    bool is_key = cls == CKO_SECRET_KEY || cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY;
    if (is_key && !p11t_mock_attr_get(o, CKA_KEY_TYPE))
        return CKR_TEMPLATE_INCOMPLETE;
    if (cls == CKO_CERTIFICATE && !p11t_mock_attr_get(o, CKA_CERTIFICATE_TYPE))
        return CKR_TEMPLATE_INCOMPLETE;
    CK_RV rv;
    switch (cls) {
    case CKO_DATA:
        rv = default_bytes(o, CKA_APPLICATION, NULL, 0);
        if (rv == CKR_OK)
            rv = default_bytes(o, CKA_VALUE, NULL, 0);
        break;
    case CKO_CERTIFICATE:
        rv = default_bytes(o, CKA_VALUE, NULL, 0);
        break;
    case CKO_SECRET_KEY:
        rv = finish_secret(o);
        break;
    case CKO_PUBLIC_KEY:
        rv = finish_public(o);
        break;
    case CKO_PRIVATE_KEY:
        rv = finish_private(o);
        break;
    default:
        return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    if (rv == CKR_OK && is_key)
        rv = key_defaults(o);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_TOKEN, false);
    if (rv == CKR_OK) /* keys holding secrets are private unless the template says otherwise */
        rv = p11t_mock_attr_default_bool(o, CKA_PRIVATE, cls == CKO_SECRET_KEY || cls == CKO_PRIVATE_KEY);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_MODIFIABLE, true);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_COPYABLE, true);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_default_bool(o, CKA_DESTROYABLE, true);
    if (rv == CKR_OK)
        rv = default_bytes(o, CKA_LABEL, NULL, 0);
#if !P11T_MOCK_V2_ONLY
    if (rv == CKR_OK) {
        char id[24];
        int n = snprintf(id, sizeof(id), "%lu", (unsigned long)o->handle);
        rv = p11t_mock_attr_set(o, CKA_UNIQUE_ID, id, (CK_ULONG)n);
    }
#endif
    return rv;
}

CK_RV p11t_mock_object_permitted(CK_SESSION_HANDLE hSession, const p11t_mock_object *o)
{
    const p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (p11t_mock_attr_bool(o, CKA_TOKEN, false) && !(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (p11t_mock_attr_bool(o, CKA_PRIVATE, false) && p11t_mock_g.login != CKU_USER)
        return CKR_USER_NOT_LOGGED_IN;
    return CKR_OK;
}

/* Module-set attributes of a key made by the module (generate, unwrap, derive, decapsulate). */
static CK_RV key_origin(p11t_mock_object *o, bool local, CK_MECHANISM_TYPE gen_mech)
{
    bool sensitive = p11t_mock_attr_bool(o, CKA_SENSITIVE, false);
    bool extractable = p11t_mock_attr_bool(o, CKA_EXTRACTABLE, true);
    CK_RV rv = p11t_mock_attr_set_bool(o, CKA_LOCAL, local);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_set_bool(o, CKA_ALWAYS_SENSITIVE, local && sensitive);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_set_bool(o, CKA_NEVER_EXTRACTABLE, local && !extractable);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_set_ulong(o, CKA_KEY_GEN_MECHANISM, local ? gen_mech : CK_UNAVAILABLE_INFORMATION);
    return rv;
}

CK_RV p11t_mock_key_create(CK_SESSION_HANDLE hSession, const CK_ATTRIBUTE *tmpl, CK_ULONG count,
                           CK_OBJECT_CLASS cls, const unsigned char *value, CK_ULONG value_len, bool local,
                           CK_MECHANISM_TYPE gen_mech, p11t_mock_object **out)
{
    CK_RV rv = p11t_mock_template_check(tmpl, count);
    if (rv != CKR_OK)
        return rv;
    const CK_ATTRIBUTE *c = p11t_mock_template_find(tmpl, count, CKA_CLASS);
    CK_OBJECT_CLASS given = cls;
    if (c != NULL) /* the template check guarantees a CK_ULONG-sized value */
        memcpy(&given, c->pValue, sizeof(given));
    if (given != cls)
        return CKR_TEMPLATE_INCONSISTENT;
    if (value != NULL && p11t_mock_template_find(tmpl, count, CKA_VALUE) != NULL)
        return CKR_TEMPLATE_INCONSISTENT; /* the module supplies the value */
    p11t_mock_object *o = p11t_mock_object_new(hSession);
    if (o == NULL)
        return CKR_DEVICE_MEMORY;
    rv = p11t_mock_template_apply(o, tmpl, count);
    if (rv == CKR_OK)
        rv = p11t_mock_attr_set_ulong(o, CKA_CLASS, cls);
    if (rv == CKR_OK && value != NULL)
        rv = p11t_mock_attr_set(o, CKA_VALUE, value, value_len);
    if (rv == CKR_OK)
        rv = p11t_mock_object_finish(o, true);
    if (rv == CKR_OK)
        rv = key_origin(o, local, gen_mech);
    if (rv == CKR_OK)
        rv = p11t_mock_object_permitted(hSession, o);
    if (rv != CKR_OK) {
        p11t_mock_object_free(o);
        return rv;
    }
    if (p11t_mock_attr_bool(o, CKA_TOKEN, false))
        o->owner = 0;
    *out = o;
    return CKR_OK;
}
