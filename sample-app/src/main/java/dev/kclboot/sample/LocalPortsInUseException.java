package dev.kclboot.sample;

import org.jspecify.annotations.Nullable;

/**
 * A port local mode wants for an emulator is taken by a program that is not the other copy's emulators.
 */
class LocalPortsInUseException extends RuntimeException {

    private final @Nullable Integer kinesisPort;

    private final @Nullable Integer dynamoDbPort;

    LocalPortsInUseException(@Nullable Integer kinesisPort, @Nullable Integer dynamoDbPort) {
        super("Local mode cannot start the emulators: port(s) in use: "
                + ((kinesisPort != null) ? kinesisPort + " (Kinesis) " : "")
                + ((dynamoDbPort != null) ? dynamoDbPort + " (DynamoDB)" : ""));
        this.kinesisPort = kinesisPort;
        this.dynamoDbPort = dynamoDbPort;
    }

    @Nullable Integer getKinesisPort() {
        return kinesisPort;
    }

    @Nullable Integer getDynamoDbPort() {
        return dynamoDbPort;
    }
}
