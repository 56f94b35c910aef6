package dev.kclboot.test;

import java.time.Duration;

import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;

/**
 * Creates the streams an {@link EmbeddedKinesis} declares, tolerating ones that exist already (the emulators are
 * shared per JVM, so another test class may have made them).
 */
public final class StreamCreator {

    private StreamCreator() {
    }

    /** Creates each stream of the annotation that does not exist yet and waits until all are ACTIVE. */
    public static void createMissing(LocalKinesis local, EmbeddedKinesis annotation) {
        for (String stream : annotation.streams()) {
            try {
                local.kinesisClient().createStream(request -> request.streamName(stream).shardCount(annotation.shards()));
            }
            catch (ResourceInUseException ex) {
                // Created by an earlier test class of this JVM.
            }
            local.awaitStreamActive(stream, Duration.ofSeconds(30));
        }
    }
}
