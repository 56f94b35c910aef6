package dev.kclboot.core.aws;

/**
 * The kinds of failed AWS calls the engine tells apart; see {@link AwsFailures#kindOf(Throwable)}.
 */
public enum FailureKind {

    /** The service throttled the call: retry later, with backoff. */
    THROTTLED,

    /**
     * A 5xx, a timeout or an I/O error: the call may or may not have been executed; retry later (and, for a write,
     * read back whether it landed).
     */
    TRANSIENT,

    /** The credentials may not do this (AccessDenied): retrying will not help. */
    ACCESS_DENIED,

    /**
     * There are no usable credentials: none could be loaded (no provider in the chain had any, an unknown profile),
     * or the service does not accept them (unknown access key, bad signature, expired token). Retrying will not help.
     */
    CREDENTIALS,

    /** The resource (stream, shard, table) does not exist. */
    NOT_FOUND,

    /** Any other client error (validation, invalid argument, KMS state...): retrying the same call will not help. */
    INVALID
}
