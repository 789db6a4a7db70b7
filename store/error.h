/* store/error.h — errors as values, shared by every layer.
 *
 * A status names the DynamoDB error type a client gets; the emulator maps it
 * to the wire's "__type". The message is AWS's own wherever it is known. */
#ifndef STORE_ERROR_H
#define STORE_ERROR_H

#include <stdbool.h>

typedef enum store_status {
    STORE_OK = 0,
    STORE_ERR_VALIDATION,          /* ValidationException */
    STORE_ERR_SERIALIZATION,       /* SerializationException */
    STORE_ERR_NOT_FOUND,           /* ResourceNotFoundException */
    STORE_ERR_IN_USE,              /* ResourceInUseException */
    STORE_ERR_CONDITION,           /* ConditionalCheckFailedException */
    STORE_ERR_LIMIT,               /* LimitExceededException */
    STORE_ERR_TRANSACTION,         /* TransactionCanceledException */
    STORE_ERR_IDEMPOTENT,          /* IdempotentParameterMismatchException */
    STORE_ERR_UNKNOWN_OPERATION,   /* UnknownOperationException */
    STORE_ERR_MISSING_AUTH,        /* MissingAuthenticationTokenException (wire only) */
    STORE_ERR_INCOMPLETE_SIGNATURE, /* IncompleteSignatureException (wire only) */
    STORE_ERR_INVALID_SIGNATURE,   /* InvalidSignatureException (wire only) */
    STORE_ERR_UNRECOGNIZED_CLIENT, /* UnrecognizedClientException (wire only, --credentials) */
    STORE_ERR_RECORD_NOT_FOUND,    /* RecordNotFound (association layer, 404) */
    STORE_ERR_DELETE_RESTRICTED,   /* DeleteRestrictionError (association layer) */
    STORE_ERR_EXPIRED_ITERATOR,    /* ExpiredIteratorException (Streams) */
    STORE_ERR_TRIMMED_DATA,        /* TrimmedDataAccessException (Streams) */
    STORE_ERR_DUPLICATE_ITEM,      /* DuplicateItemException (PartiQL INSERT of an existing key) */
    STORE_ERR_INTERNAL,            /* InternalServerError (out of memory) */
} store_status;

/* Room for the ten violations AWS lists at most, each quoting its value. */
#define STORE_ERROR_MESSAGE_MAX 4096

typedef struct store_error {
    store_status status;
    char message[STORE_ERROR_MESSAGE_MAX];
} store_error;

/* Records the error (the first one wins) and returns false, so a caller can
 * write `return store_fail(err, STORE_ERR_VALIDATION, "...")`. */
bool store_fail(store_error *err, store_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
