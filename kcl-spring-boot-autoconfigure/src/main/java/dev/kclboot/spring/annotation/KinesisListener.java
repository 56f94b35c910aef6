package dev.kclboot.spring.annotation;

import dev.kclboot.core.record.KinesisRecord;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the listener of a Kinesis stream. Every application instance with the same application
 * name shares the stream's shards through a DynamoDB lease table; the method receives the records of the shards this
 * instance holds, in shard order, at least once.
 * <pre>{@code
 * @KinesisListener(stream = "orders")
 * void onOrder(Order order, KinesisRecordMetadata metadata) { ... }
 * }</pre>
 * The method is invoked through spring-messaging. Parameters (in any order): one payload ({@code String},
 * {@code byte[]}, {@code ByteBuffer}, or any type read from JSON with the application's Jackson {@code JsonMapper};
 * {@code @Payload @Valid} validates it), or a {@code Message<T>} of one; {@code @Header(KinesisHeaders...)} values;
 * {@code KinesisRecord}; {@code KinesisRecordMetadata}; types a {@code KinesisListenerConfigurer}'s argument resolvers
 * take; and, with {@code checkpointMode = "MANUAL"}, a {@code Checkpointer}. A batch listener
 * ({@code batch = "true"}) takes {@code List}s: {@code List<Order>}, {@code List<Message<Order>>},
 * {@code List<KinesisRecord>}, {@code List<KinesisRecordMetadata>}.
 * <p>
 * Every attribute is a String so that it can hold a {@code ${...}} placeholder or a {@code #{...}} expression; an
 * empty attribute takes the default from the {@code kcl.*} properties.
 * <p>
 * Errors: a method that throws is called again for the same record after a backoff; by default without end, so the
 * shard waits and nothing is lost. With {@link #maxAttempts()} the record is then handed to the recoverer
 * ({@link #recoverer()}, by default one that logs and skips) or the listener stops ({@link #onExhausted()}). A
 * payload that cannot be converted or fails validation goes to the recoverer at once. Lambda's failure options: a
 * batch listener may throw {@code BatchListenerFailedException} naming the failed record, {@link #bisectOnError()},
 * {@link #maxRecordAge()}, {@link #filter()}, and a dead-letter stream ({@code kcl.dead-letter.stream}). The checkpoint
 * never passes a record that neither succeeded nor was recovered, filtered or expired.
 * Bean references ({@link #recoverer()}, {@link #backOff()}, {@link #filter()}) are resolved once every singleton
 * exists.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface KinesisListener {

    /** Alias for {@link #stream()}. */
    @AliasFor("stream")
    String value() default "";

    /** The stream's name or ARN (default {@code kcl.stream}). */
    @AliasFor("value")
    String stream() default "";

    /** The listener's id, for the registry's start, stop, pause and resume (default {@code beanName.methodName}). */
    String id() default "";

    /**
     * The application name: names the lease table and the group of instances sharing the stream (default
     * {@code kcl.application-name}, else {@code spring.application.name}). Listeners with the same application
     * name share one worker and one lease table.
     */
    String applicationName() default "";

    /** {@code "true"} to receive the records of one read together as {@code List}s (default {@code false}). */
    String batch() default "";

    /** {@code BATCH}, {@code RECORD}, {@code PERIODIC} or {@code MANUAL} (default {@code kcl.checkpoint.mode}). */
    String checkpointMode() default "";

    /** The interval of PERIODIC checkpoints, e.g. {@code "30s"} (default {@code kcl.checkpoint.interval}). */
    String checkpointInterval() default "";

    /** {@code "false"} to start the listener only through the registry (default {@code kcl.auto-startup}). */
    String autoStartup() default "";

    /**
     * How often a record (or batch) is delivered before it counts as exhausted, {@code "-1"} for no limit (default
     * {@code kcl.retry.max-attempts}, unlimited unless set).
     */
    String maxAttempts() default "";

    /**
     * The name of a {@code org.springframework.util.backoff.BackOff} bean (or an expression yielding one) for the
     * waits between attempts (default: {@code kcl.retry.backoff.*}).
     */
    String backOff() default "";

    /**
     * After the last attempt: {@code RECOVER} hands the record to the recoverer, {@code STOP} stops the listener with
     * the checkpoint before the record (default {@code kcl.retry.on-exhausted}, RECOVER).
     */
    String onExhausted() default "";

    /**
     * The name of a {@code KinesisRecordRecoverer} bean (or an expression yielding one) that receives records that
     * cannot be converted and exhausted records (default: the application's only {@code KinesisRecordRecoverer} bean,
     * else one that logs and skips).
     */
    String recoverer() default "";

    /**
     * {@code polling} or {@code fan-out} (enhanced fan-out through a stream consumer named after the application; see
     * {@code kcl.retrieval.*}), default {@code kcl.retrieval.mode}. Listeners with the same application name share
     * one worker, so they must not ask for different modes.
     */
    String retrieval() default "";

    /**
     * {@code "true"} to split a failing batch in halves until the failing records are isolated (Lambda's
     * {@code BisectBatchOnFunctionError}); batch listeners only. Only a record delivered alone counts attempts
     * ({@link #maxAttempts()}), the larger parts are split at once without backoff (default
     * {@code kcl.retry.bisect-on-error}, false).
     */
    String bisectOnError() default "";

    /**
     * A record older than this (by approximate arrival time) when it comes up for delivery or re-delivery goes to the
     * recoverer as expired instead of the listener, e.g. {@code "1h"} (Lambda's {@code MaximumRecordAgeInSeconds};
     * default {@code kcl.retry.max-record-age}, no limit).
     */
    String maxRecordAge() default "";

    /**
     * Which records reach the listener (Lambda's {@code FilterCriteria}): the name of a
     * {@code KinesisRecordFilterStrategy} bean (or an expression yielding one), or else a SpEL expression evaluated
     * per record, true for the records to deliver, such as {@code "partitionKey != 'test'"} or
     * {@code "data.contains('\"type\":\"order\"')"} (see {@code FilterContext} for what it can read). The
     * others count as done and are counted in {@code kcl.records.filtered} (default: every record is delivered).
     */
    String filter() default "";

    /**
     * How many records of one shard are delivered at once, for different partition keys (Lambda's
     * {@code ParallelizationFactor}), e.g. {@code "10"}: the records of a key are still delivered one at a time and in
     * shard order, a failing record blocks its key only (retries, backoff and recoverer as usual), and the checkpoint
     * is the low watermark, never past a record that is not done. A batch listener gets each batch in up to this many
     * key groups at once. Not with {@code checkpointMode = "MANUAL"}: the checkpoint follows the watermark, so the
     * listener cannot checkpoint itself (default {@code kcl.listener.concurrency}, 1: one record or batch at a time).
     */
    String concurrency() default "";

    /**
     * With a {@link #concurrency()} above 1: the most records of a shard in flight (read, not done) at once; when it
     * is full the shard stops reading until a record is done, so a blocked key cannot make memory grow (default
     * {@code kcl.listener.window}, else max(100, 10 × concurrency)). No effect with a concurrency of 1. A window
     * smaller than the concurrency caps the records running at once; for a batch listener the key groups of one batch
     * are admitted together, so a batch larger than the window still runs its groups at once, alone.
     */
    String window() default "";
}
