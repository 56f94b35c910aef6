package dev.kclboot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running local Kinesis and DynamoDB (the JVM-wide {@link LocalKinesis#shared()}), in the
 * spirit of spring-kafka's {@code @EmbeddedKafka}.
 * <ul>
 * <li>In a plain JUnit 5 test, declare a {@link LocalKinesis} parameter on a test, lifecycle method or constructor.</li>
 * <li>In a {@code @SpringBootTest}, a {@code LocalKinesis} bean is available to autowire, and the kcl
 * auto-configuration takes its connection from it (a {@code KclConnectionDetails} with the emulators' endpoints,
 * region and dummy credentials, which win over {@code kcl.region}, {@code kcl.endpoint.*} and
 * {@code kcl.credentials.*}).</li>
 * </ul>
 * The instance is shared per JVM, so give each test its own stream ({@link LocalKinesis#createStream(int)}) and
 * application name ({@link LocalKinesis#uniqueName(String)}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedKinesisExtension.class)
public @interface EmbeddedKinesis {

    /**
     * Streams to create before the tests run (skipped when a stream of that name already exists).
     */
    String[] streams() default {};

    /**
     * Number of shards of each stream in {@link #streams()}.
     */
    int shards() default 1;
}
