/*
 * Object management functions and object search.
 */
#include "mock_internal.h"

#include <stdlib.h>
#include <string.h>

CK_RV p11t_mock_C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                               CK_OBJECT_HANDLE_PTR phObject)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (phObject == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv = p11t_mock_template_check(pTemplate, ulCount);
    if (rv != CKR_OK)
        return rv;
    p11t_mock_object *o = p11t_mock_object_new(hSession);
    if (o == NULL)
        return CKR_DEVICE_MEMORY;
    rv = p11t_mock_template_apply(o, pTemplate, ulCount);
    if (rv == CKR_OK)
        rv = p11t_mock_object_finish(o, true);
    if (rv == CKR_OK)
        rv = p11t_mock_object_permitted(hSession, o);
    if (rv != CKR_OK) {
        p11t_mock_object_free(o);
        return rv;
    }
    if (p11t_mock_attr_bool(o, CKA_TOKEN, false))
        o->owner = 0;
    *phObject = o->handle;
    return CKR_OK;
}

/* Attributes whose value identifies what the object is: never changeable. */
static bool is_identity_attr(CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_CLASS: case CKA_KEY_TYPE: case CKA_CERTIFICATE_TYPE: case CKA_VALUE_LEN: case CKA_MODULUS:
    case CKA_MODULUS_BITS: case CKA_PUBLIC_EXPONENT:
        return true;
    default:
        return false;
    }
}

/*
 * May attribute `a` of object `o` take a new value? C_CopyObject (`copying`) may also change
 * the storage attributes; both may only make a key more protected.
 */
static CK_RV modify_check(const p11t_mock_object *o, const CK_ATTRIBUTE *a, bool copying)
{
    CK_OBJECT_CLASS cls = p11t_mock_attr_ulong(o, CKA_CLASS, CKO_DATA);
    bool is_key = cls == CKO_SECRET_KEY || cls == CKO_PUBLIC_KEY || cls == CKO_PRIVATE_KEY;
    if (is_identity_attr(a->type) || (is_key && a->type == CKA_VALUE))
        return CKR_ATTRIBUTE_READ_ONLY;
    switch (a->type) {
    case CKA_TOKEN: case CKA_PRIVATE: case CKA_MODIFIABLE: case CKA_COPYABLE: case CKA_DESTROYABLE:
        return copying ? CKR_OK : CKR_ATTRIBUTE_READ_ONLY;
    case CKA_SENSITIVE: /* may go from false to true only */
        if (*(const CK_BBOOL *)a->pValue == CK_FALSE && p11t_mock_attr_bool(o, CKA_SENSITIVE, false))
            return CKR_ATTRIBUTE_READ_ONLY;
        return CKR_OK;
    case CKA_EXTRACTABLE: /* may go from true to false only */
        if (*(const CK_BBOOL *)a->pValue != CK_FALSE && !p11t_mock_attr_bool(o, CKA_EXTRACTABLE, true))
            return CKR_ATTRIBUTE_READ_ONLY;
        return CKR_OK;
    default:
        return CKR_OK;
    }
}

static CK_RV modify_check_all(const p11t_mock_object *o, const CK_ATTRIBUTE *tmpl, CK_ULONG count, bool copying)
{
    for (CK_ULONG i = 0; i < count; i++) {
        CK_RV rv = modify_check(o, &tmpl[i], copying);
        if (rv != CKR_OK)
            return rv;
    }
    return CKR_OK;
}

CK_RV p11t_mock_C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                             CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_object *src = p11t_mock_object_visible(hObject);
    if (src == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (phNewObject == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_RV rv = p11t_mock_template_check(pTemplate, ulCount);
    if (rv != CKR_OK)
        return rv;
    if (!p11t_mock_attr_bool(src, CKA_COPYABLE, true))
        return CKR_ACTION_PROHIBITED;
    rv = modify_check_all(src, pTemplate, ulCount, true);
    if (rv != CKR_OK)
        return rv;
    CK_OBJECT_HANDLE src_handle = src->handle;
    p11t_mock_object *dst = p11t_mock_object_new(hSession);
    if (dst == NULL)
        return CKR_DEVICE_MEMORY;
    src = p11t_mock_object_visible(src_handle); /* the table does not move, but be explicit */
    for (size_t i = 0; rv == CKR_OK && i < src->count; i++)
        rv = p11t_mock_attr_set(dst, src->attrs[i].type, src->attrs[i].value, src->attrs[i].len);
    if (rv == CKR_OK)
        rv = p11t_mock_template_apply(dst, pTemplate, ulCount);
    if (rv == CKR_OK)
        rv = p11t_mock_object_finish(dst, true);
    if (rv == CKR_OK)
        rv = p11t_mock_object_permitted(hSession, dst);
    if (rv != CKR_OK) {
        p11t_mock_object_free(dst);
        return rv;
    }
    if (p11t_mock_attr_bool(dst, CKA_TOKEN, false))
        dst->owner = 0;
    *phNewObject = dst->handle;
    return CKR_OK;
}

CK_RV p11t_mock_C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject)
{
    const p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_object *o = p11t_mock_object_visible(hObject);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (p11t_mock_attr_bool(o, CKA_TOKEN, false) && !(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (!p11t_mock_attr_bool(o, CKA_DESTROYABLE, true))
        return CKR_ACTION_PROHIBITED;
    p11t_mock_object_free(o);
    return CKR_OK;
}

CK_RV p11t_mock_C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    const p11t_mock_object *o = p11t_mock_object_visible(hObject);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (pulSize == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_ULONG size = 0;
    for (size_t i = 0; i < o->count; i++)
        size += o->attrs[i].len + 16; /* a notional per-attribute header */
    *pulSize = size;
    return CKR_OK;
}

/* Attributes that a sensitive or unextractable key never reveals. */
static bool is_secret_attr(CK_ATTRIBUTE_TYPE t)
{
    switch (t) {
    case CKA_VALUE: case CKA_PRIVATE_EXPONENT: case CKA_PRIME_1: case CKA_PRIME_2: case CKA_EXPONENT_1:
    case CKA_EXPONENT_2: case CKA_COEFFICIENT:
        return true;
    default:
        return false;
    }
}

/*
 * One attribute of C_GetAttributeValue, following the spec's numbered rules: unrevealable,
 * absent, length query, copy, or too small. Returns the code that attribute contributes.
 */
static CK_RV get_one(const p11t_mock_object *o, CK_ATTRIBUTE *a)
{
    if (is_secret_attr(a->type) && p11t_mock_object_is_sensitive(o)) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_SENSITIVE;
    }
    const p11t_mock_attr *have = p11t_mock_attr_get(o, a->type);
    if (have == NULL) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_ATTRIBUTE_TYPE_INVALID;
    }
    if (a->pValue == NULL) {
        a->ulValueLen = have->len;
        return CKR_OK;
    }
    if (a->ulValueLen < have->len) {
        a->ulValueLen = CK_UNAVAILABLE_INFORMATION;
        return CKR_BUFFER_TOO_SMALL;
    }
    if (have->len != 0)
        memcpy(a->pValue, have->value, have->len);
    a->ulValueLen = have->len;
    return CKR_OK;
}

/* Higher is reported first when several attributes fail (any of them would be allowed). */
static int rv_rank(CK_RV rv)
{
    switch (rv) {
    case CKR_ATTRIBUTE_SENSITIVE: return 3;
    case CKR_ATTRIBUTE_TYPE_INVALID: return 2;
    case CKR_BUFFER_TOO_SMALL: return 1;
    default: return 0;
    }
}

CK_RV p11t_mock_C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                    CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    if (p11t_mock_session_get(hSession) == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    const p11t_mock_object *o = p11t_mock_object_visible(hObject);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    if (pTemplate == NULL && ulCount != 0)
        return CKR_ARGUMENTS_BAD;
    CK_RV result = CKR_OK;
    for (CK_ULONG i = 0; i < ulCount; i++) {
        CK_RV rv = get_one(o, &pTemplate[i]);
        if (rv_rank(rv) > rv_rank(result))
            result = rv;
    }
    return result;
}

CK_RV p11t_mock_C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject,
                                    CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    const p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    p11t_mock_object *o = p11t_mock_object_visible(hObject);
    if (o == NULL)
        return CKR_OBJECT_HANDLE_INVALID;
    CK_RV rv = p11t_mock_template_check(pTemplate, ulCount);
    if (rv != CKR_OK)
        return rv;
    if (p11t_mock_attr_bool(o, CKA_TOKEN, false) && !(s->flags & CKF_RW_SESSION))
        return CKR_SESSION_READ_ONLY;
    if (!p11t_mock_attr_bool(o, CKA_MODIFIABLE, true))
        return CKR_ACTION_PROHIBITED;
    rv = modify_check_all(o, pTemplate, ulCount, false);
    if (rv != CKR_OK)
        return rv;
    return p11t_mock_template_apply(o, pTemplate, ulCount);
}

/* Does the object hold every attribute of the template with an identical value? */
static bool matches(const p11t_mock_object *o, const CK_ATTRIBUTE *tmpl, CK_ULONG count)
{
    for (CK_ULONG i = 0; i < count; i++) {
        const p11t_mock_attr *a = p11t_mock_attr_get(o, tmpl[i].type);
        if (a == NULL || a->len != tmpl[i].ulValueLen)
            return false;
        if (a->len != 0 && memcmp(a->value, tmpl[i].pValue, a->len) != 0)
            return false;
    }
    return true;
}

CK_RV p11t_mock_C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (s->find_active)
        return CKR_OPERATION_ACTIVE;
    if (pTemplate == NULL && ulCount != 0)
        return CKR_ARGUMENTS_BAD;
    for (CK_ULONG i = 0; i < ulCount; i++) {
        if (pTemplate[i].pValue == NULL && pTemplate[i].ulValueLen != 0)
            return CKR_ATTRIBUTE_VALUE_INVALID;
    }
    CK_OBJECT_HANDLE *found = malloc(P11T_MOCK_MAX_OBJECTS * sizeof(*found));
    if (found == NULL)
        return CKR_HOST_MEMORY;
    size_t n = 0;
    /* The result is fixed now; objects created later are not found by this search. */
    for (size_t i = 0; i < P11T_MOCK_MAX_OBJECTS; i++) {
        const p11t_mock_object *o = &p11t_mock_g.objects[i];
        if (o->in_use && p11t_mock_object_visible(o->handle) && matches(o, pTemplate, ulCount))
            found[n++] = o->handle;
    }
    s->found = found;
    s->found_count = n;
    s->found_pos = 0;
    s->find_active = true;
    return CKR_OK;
}

CK_RV p11t_mock_C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject, CK_ULONG ulMaxObjectCount,
                              CK_ULONG_PTR pulObjectCount)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (!s->find_active)
        return CKR_OPERATION_NOT_INITIALIZED;
    if ((phObject == NULL && ulMaxObjectCount != 0) || pulObjectCount == NULL)
        return CKR_ARGUMENTS_BAD;
    CK_ULONG n = 0;
    while (n < ulMaxObjectCount && s->found_pos < s->found_count) {
        CK_OBJECT_HANDLE h = s->found[s->found_pos++];
        if (p11t_mock_object_visible(h)) /* skip objects destroyed since the search began */
            phObject[n++] = h;
    }
    *pulObjectCount = n;
    return CKR_OK;
}

CK_RV p11t_mock_C_FindObjectsFinal(CK_SESSION_HANDLE hSession)
{
    p11t_mock_session *s = p11t_mock_session_get(hSession);
    if (s == NULL)
        return CKR_SESSION_HANDLE_INVALID;
    if (!s->find_active)
        return CKR_OPERATION_NOT_INITIALIZED;
    free(s->found);
    s->found = NULL;
    s->find_active = false;
    return CKR_OK;
}
