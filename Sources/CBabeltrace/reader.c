/*
 * The libbabeltrace2 graph behind p11t_ctf_reader.h. Field positions are looked up by name
 * once per event class and cached, so an event costs a few borrow calls, not name searches.
 */
#include <babeltrace2/babeltrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "p11t_ctf_reader.h"

#define P11T_CTF_CLASSES 16
#define P11T_CTF_NO_FIELD (-1)

/* Field names per kind, in the order of p11t_ctf_event's values and strings. */
static const char *const p11t_ctf_value_names[5][P11T_CTF_MAX_VALUES] = {
    [P11T_CTF_CALL] = { "sequence", "pid", "tid", "start", "module" },
    [P11T_CTF_PROCESS] = { "pid", "ppid", "capture", "ulong_size", "set_uid", "monotonic_origin", "wall_origin" },
    [P11T_CTF_MODULE] = { "pid", "index", "layout", "major", "minor", "how" },
    [P11T_CTF_LIBRARY] = { "pid", "snapshot", "start", "end" },
};
static const char *const p11t_ctf_string_names[5][P11T_CTF_MAX_STRINGS] = {
    [P11T_CTF_PROCESS] = { "name", "executable", "command_line", "writer" },
    [P11T_CTF_MODULE] = { "path", "caller" },
    [P11T_CTF_LIBRARY] = { "path" },
};

/* Where one event class keeps its fields. */
typedef struct p11t_ctf_class {
    const bt_event_class *event_class;
    int kind;  /* 0: not a p11trace event */
    int values[P11T_CTF_MAX_VALUES];
    int strings[P11T_CTF_MAX_STRINGS];
    int bytes;
} p11t_ctf_class;

struct p11t_ctf_reader {
    bt_graph *graph;
    bt_message_iterator *iterator;  /* the simple sink's, valid while the graph runs */
    bt_message_array_const messages;
    uint64_t count, next;           /* the current batch, and the next message in it */
    int batch_ready, ended;
    uint64_t discarded;
    p11t_ctf_class classes[P11T_CTF_CLASSES];
    int class_count;
    uint8_t *record;
    size_t record_capacity;
};

static void p11t_ctf_take_error(char *error, size_t size, const char *what)
{
    const bt_error *e = bt_current_thread_take_error();
    const char *cause = "";
    if (e != NULL && bt_error_get_cause_count(e) > 0)
        cause = bt_error_cause_get_message(bt_error_borrow_cause_by_index(e, 0));
    snprintf(error, size, "%s%s%s", what, *cause ? ": " : "", cause);
    if (e != NULL)
        bt_error_release(e);
}

static bt_graph_simple_sink_component_initialize_func_status p11t_ctf_sink_init(bt_message_iterator *iterator, void *data)
{
    ((p11t_ctf_reader *)data)->iterator = iterator;
    return BT_GRAPH_SIMPLE_SINK_COMPONENT_INITIALIZE_FUNC_STATUS_OK;
}

/* One graph step: the next batch of messages, kept (with their references) for p11t_ctf_next. */
static bt_graph_simple_sink_component_consume_func_status p11t_ctf_sink_consume(bt_message_iterator *iterator, void *data)
{
    p11t_ctf_reader *r = data;
    switch (bt_message_iterator_next(iterator, &r->messages, &r->count)) {
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
        r->next = 0;
        r->batch_ready = 1;
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
    case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
    default:
        return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
    }
}

static const bt_plugin *p11t_ctf_plugin(const char *name, char *error, size_t size)
{
    const bt_plugin *plugin = NULL;
    if (bt_plugin_find(name, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &plugin) != BT_PLUGIN_FIND_STATUS_OK) {
        p11t_ctf_take_error(error, size, "babeltrace2 plugin not found (install babeltrace2)");
        return NULL;
    }
    return plugin;
}

p11t_ctf_reader *p11t_ctf_open(const char *const *paths, size_t count, char *error, size_t size)
{
    p11t_ctf_reader *r = calloc(1, sizeof *r);
    const bt_plugin *ctf = p11t_ctf_plugin("ctf", error, size);
    const bt_plugin *utils = ctf == NULL ? NULL : p11t_ctf_plugin("utils", error, size);
    bt_value *params = bt_value_map_create();
    bt_value *inputs = NULL;
    const bt_component_source *source = NULL;
    const bt_component_filter *muxer = NULL;
    const bt_component_sink *sink = NULL;
    if (r == NULL || utils == NULL || params == NULL)
        goto fail;
    if (bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) != BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK)
        goto fail;
    for (size_t i = 0; i < count; i++)
        if (bt_value_array_append_string_element(inputs, paths[i]) != BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK)
            goto fail;
    r->graph = bt_graph_create(0);
    if (r->graph == NULL)
        goto fail;
    const bt_component_class_source *fs = bt_plugin_borrow_source_component_class_by_name_const(ctf, "fs");
    const bt_component_class_filter *mux = bt_plugin_borrow_filter_component_class_by_name_const(utils, "muxer");
    if (fs == NULL || mux == NULL) {
        snprintf(error, size, "babeltrace2 lacks source.ctf.fs or filter.utils.muxer");
        goto fail_quiet;
    }
    if (bt_graph_add_source_component(r->graph, fs, "source", params, BT_LOGGING_LEVEL_NONE, &source) != BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
        p11t_ctf_take_error(error, size, "no CTF trace could be opened");
        goto fail_quiet;
    }
    if (bt_graph_add_filter_component(r->graph, mux, "muxer", NULL, BT_LOGGING_LEVEL_NONE, &muxer) != BT_GRAPH_ADD_COMPONENT_STATUS_OK
        || bt_graph_add_simple_sink_component(r->graph, "sink", p11t_ctf_sink_init, p11t_ctf_sink_consume, NULL, r, &sink)
               != BT_GRAPH_ADD_COMPONENT_STATUS_OK)
        goto fail;
    /* Every stream of the source into the muxer (which always offers one free input port). */
    uint64_t ports = bt_component_source_get_output_port_count(source);
    for (uint64_t i = 0; i < ports; i++) {
        const bt_port_output *out = bt_component_source_borrow_output_port_by_index_const(source, i);
        uint64_t free_port = bt_component_filter_get_input_port_count(muxer) - 1;
        const bt_port_input *in = bt_component_filter_borrow_input_port_by_index_const(muxer, free_port);
        if (bt_graph_connect_ports(r->graph, out, in, NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
            goto fail;
    }
    if (bt_graph_connect_ports(r->graph, bt_component_filter_borrow_output_port_by_index_const(muxer, 0),
                               bt_component_sink_borrow_input_port_by_index_const(sink, 0), NULL)
        != BT_GRAPH_CONNECT_PORTS_STATUS_OK)
        goto fail;
    bt_value_put_ref(params);
    bt_plugin_put_ref(ctf);
    bt_plugin_put_ref(utils);
    return r;
fail:
    p11t_ctf_take_error(error, size, "cannot set up the babeltrace2 graph");
fail_quiet:
    bt_value_put_ref(params);
    bt_plugin_put_ref(ctf);
    bt_plugin_put_ref(utils);
    p11t_ctf_close(r);
    return NULL;
}

/* The cached field positions of `ec`'s events. */
static const p11t_ctf_class *p11t_ctf_class_for(p11t_ctf_reader *r, const bt_event_class *ec)
{
    for (int i = 0; i < r->class_count; i++)
        if (r->classes[i].event_class == ec)
            return &r->classes[i];
    p11t_ctf_class c = { .event_class = ec };
    const char *name = bt_event_class_get_name(ec);
    if (name == NULL || strncmp(name, "p11trace:", 9) != 0)
        c.kind = 0;
    else if (strcmp(name + 9, "call") == 0)
        c.kind = P11T_CTF_CALL;
    else if (strcmp(name + 9, "process") == 0)
        c.kind = P11T_CTF_PROCESS;
    else if (strcmp(name + 9, "module") == 0)
        c.kind = P11T_CTF_MODULE;
    else if (strcmp(name + 9, "library") == 0)
        c.kind = P11T_CTF_LIBRARY;
    const bt_field_class *payload = bt_event_class_borrow_payload_field_class_const(ec);
    uint64_t members = payload == NULL ? 0 : bt_field_class_structure_get_member_count(payload);
    for (int v = 0; v < P11T_CTF_MAX_VALUES; v++)
        c.values[v] = P11T_CTF_NO_FIELD;
    for (int s = 0; s < P11T_CTF_MAX_STRINGS; s++)
        c.strings[s] = P11T_CTF_NO_FIELD;
    c.bytes = P11T_CTF_NO_FIELD;
    for (uint64_t m = 0; c.kind != 0 && m < members; m++) {
        const char *field = bt_field_class_structure_member_get_name(
            bt_field_class_structure_borrow_member_by_index_const(payload, m));
        for (int v = 0; v < P11T_CTF_MAX_VALUES; v++)
            if (p11t_ctf_value_names[c.kind][v] != NULL && strcmp(field, p11t_ctf_value_names[c.kind][v]) == 0)
                c.values[v] = (int)m;
        for (int s = 0; s < P11T_CTF_MAX_STRINGS; s++)
            if (p11t_ctf_string_names[c.kind][s] != NULL && strcmp(field, p11t_ctf_string_names[c.kind][s]) == 0)
                c.strings[s] = (int)m;
        if (c.kind == P11T_CTF_CALL && strcmp(field, "record") == 0)
            c.bytes = (int)m;
    }
    if (r->class_count == P11T_CTF_CLASSES)
        r->class_count = 0;  /* more classes than any LTTng trace of ours has: start over */
    r->classes[r->class_count] = c;
    return &r->classes[r->class_count++];
}

/* Fills `event` from one event message; 0 when it is not a p11trace event, -1 when its record
 * does not fit in memory. */
static int p11t_ctf_fill(p11t_ctf_reader *r, const bt_event *e, p11t_ctf_event *event)
{
    const p11t_ctf_class *c = p11t_ctf_class_for(r, bt_event_borrow_class_const(e));
    if (c->kind == 0)
        return 0;
    const bt_field *payload = bt_event_borrow_payload_field_const(e);
    memset(event, 0, sizeof *event);
    event->kind = c->kind;
    for (int v = 0; v < P11T_CTF_MAX_VALUES; v++) {
        if (c->values[v] == P11T_CTF_NO_FIELD)
            continue;
        const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(payload, (uint64_t)c->values[v]);
        bt_field_class_type type = bt_field_get_class_type(f);
        if (bt_field_class_type_is(type, BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER))
            event->values[v] = bt_field_integer_unsigned_get_value(f);
        else if (bt_field_class_type_is(type, BT_FIELD_CLASS_TYPE_SIGNED_INTEGER))
            event->values[v] = (uint64_t)bt_field_integer_signed_get_value(f);
    }
    for (int s = 0; s < P11T_CTF_MAX_STRINGS; s++) {
        if (c->strings[s] == P11T_CTF_NO_FIELD)
            continue;
        const bt_field *f = bt_field_structure_borrow_member_field_by_index_const(payload, (uint64_t)c->strings[s]);
        event->strings[s] = bt_field_get_class_type(f) == BT_FIELD_CLASS_TYPE_STRING ? bt_field_string_get_value(f) : "";
    }
    if (c->bytes != P11T_CTF_NO_FIELD) {
        const bt_field *array = bt_field_structure_borrow_member_field_by_index_const(payload, (uint64_t)c->bytes);
        uint64_t length = bt_field_array_get_length(array);
        if (length > r->record_capacity) {
            uint8_t *grown = realloc(r->record, length);
            if (grown == NULL)
                return -1;
            r->record = grown;
            r->record_capacity = length;
        }
        for (uint64_t i = 0; i < length; i++)
            r->record[i] = (uint8_t)bt_field_integer_unsigned_get_value(
                bt_field_array_borrow_element_field_by_index_const(array, i));
        event->bytes = r->record;
        event->byte_count = length;
    }
    return 1;
}

int p11t_ctf_next(p11t_ctf_reader *r, p11t_ctf_event *event, char *error, size_t size)
{
    for (;;) {
        while (r->batch_ready && r->next < r->count) {
            const bt_message *m = r->messages[r->next++];
            int found = 0;
            switch (bt_message_get_type(m)) {
            case BT_MESSAGE_TYPE_EVENT:
                found = p11t_ctf_fill(r, bt_message_event_borrow_event_const(m), event);
                break;
            case BT_MESSAGE_TYPE_DISCARDED_EVENTS: {
                uint64_t count = 0;
                if (bt_message_discarded_events_get_count(m, &count) == BT_PROPERTY_AVAILABILITY_AVAILABLE)
                    r->discarded += count;
                break;
            }
            default:
                break;
            }
            /* The event's fields are copied or point into the message, which lives until the
             * batch is released below. */
            if (found < 0) {
                snprintf(error, size, "out of memory for an event's record");
                return -1;
            }
            if (found)
                return 1;
        }
        if (r->batch_ready) {
            for (uint64_t i = 0; i < r->count; i++)
                bt_message_put_ref(r->messages[i]);
            r->batch_ready = 0;
            r->count = 0;
        }
        if (r->ended)
            return 0;
        switch (bt_graph_run_once(r->graph)) {
        case BT_GRAPH_RUN_ONCE_STATUS_OK:
        case BT_GRAPH_RUN_ONCE_STATUS_AGAIN:
            break;
        case BT_GRAPH_RUN_ONCE_STATUS_END:
            r->ended = 1;
            break;
        default:
            p11t_ctf_take_error(error, size, "reading the trace failed");
            return -1;
        }
    }
}

uint64_t p11t_ctf_discarded(const p11t_ctf_reader *r)
{
    return r->discarded;
}

void p11t_ctf_close(p11t_ctf_reader *r)
{
    if (r == NULL)
        return;
    if (r->batch_ready)
        for (uint64_t i = 0; i < r->count; i++)
            bt_message_put_ref(r->messages[i]);
    bt_graph_put_ref(r->graph);
    free(r->record);
    free(r);
}
