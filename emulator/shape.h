/* emulator/shape.h — the request shape of each operation, as AWS's DynamoDB
 * service model describes it (member names, JSON types, constraints), and the
 * one check every request passes before its operation runs: a member of the
 * wrong JSON type answers SerializationException with AWS's text, broken
 * constraints answer one ValidationException listing them as AWS lists them.
 * The shapes themselves are data (emulator/shapes.c): a new operation is a
 * new entry there. */
#ifndef EMU_SHAPE_H
#define EMU_SHAPE_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "store/error.h"

typedef enum emu_shape_type {
    EMU_SHAPE_STRING,
    EMU_SHAPE_INTEGER,
    EMU_SHAPE_LONG,
    EMU_SHAPE_BOOLEAN,
    EMU_SHAPE_BLOB,
    EMU_SHAPE_LIST,
    EMU_SHAPE_MAP,
    EMU_SHAPE_STRUCTURE,
    EMU_SHAPE_ATTRIBUTE_VALUE, /* DynamoDB's AttributeValue: its members are built in (shape.c) */
} emu_shape_type;

typedef struct emu_shape emu_shape;

/* Most members a structure's shape has (a Query's has 17); the shape tests
 * hold every shape to it, as the check keeps one slot per member. */
#define EMU_SHAPE_MEMBERS_MAX 32

typedef struct emu_member {
    const char *name;          /* as on the wire: "TableName" */
    const emu_shape *shape;
} emu_member;

/* Limits on a map's keys or values, reported as one "Map keys must satisfy
 * constraint: [...]" violation. */
typedef struct emu_map_limits {
    int min_len, max_len;      /* 0: no limit */
    bool name_pattern;
} emu_map_limits;

/* One member's shape and its constraints. The constraints are checked in the
 * order AWS reports them: not null, pattern, length, value, enum, map keys,
 * map values, then the members inside. */
struct emu_shape {
    emu_shape_type type;
    /* A structure's class (AttributeDefinition), or a map's value class as
     * AWS's "Unrecognized collection type" text names it (java.lang.String). */
    const char *name;
    const emu_member *members; /* a structure's, ended by {0} */
    const emu_shape *item;     /* a list's member or a map's value */
    bool not_null;
    bool name_pattern;         /* [a-zA-Z0-9_.-]+ (table and index names) */
    int min_len, max_len;      /* 0: no limit */
    bool has_min, has_max;
    long long min, max;
    const char *enum_set;      /* AWS's listing: "[INDEXES, TOTAL, NONE]" */
    const emu_map_limits *keys, *values;
    /* CreateTable and UpdateTable check TableName on its own first, with
     * messages of their own, before collecting the other violations. */
    bool table_name_first;
};

typedef struct emu_operation_shape {
    const char *operation;
    const emu_shape *input;
} emu_operation_shape;

/* The request shape of an operation, or NULL if none is described. */
const emu_shape *emu_shape_of(const char *operation);

/* Checks req against shape: false with a SerializationException or a
 * ValidationException in err. Booleans sent as strings ("true", "0") are
 * turned into JSON booleans in place, as AWS reads them. */
bool emu_shape_check(const emu_shape *shape, cJSON *req, store_error *err);

/* For tests: every described operation, ended by {0}. */
extern const emu_operation_shape emu_operation_shapes[];

#endif
