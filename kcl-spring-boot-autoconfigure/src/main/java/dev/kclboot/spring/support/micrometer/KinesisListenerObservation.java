package dev.kclboot.spring.support.micrometer;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the listener containers: one per listener delivery, i.e. per call of a listener method with a
 * record (or a batch), retries included (each attempt is one delivery). Made when the application has an
 * {@code ObservationRegistry}; Boot's {@code management.observations.*} properties apply to it (e.g.
 * {@code management.observations.enable.kcl.listener=false} turns it off).
 */
public enum KinesisListenerObservation implements ObservationDocumentation {

    /** A listener delivery. */
    LISTENER_OBSERVATION {

        @Override
        public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
            return DefaultKinesisListenerObservationConvention.class;
        }

        @Override
        public String getName() {
            return "kcl.listener";
        }

        @Override
        public String getPrefix() {
            return "kcl.";
        }

        @Override
        public KeyName[] getLowCardinalityKeyNames() {
            return ListenerLowCardinalityTags.values();
        }

        @Override
        public KeyName[] getHighCardinalityKeyNames() {
            return ListenerHighCardinalityTags.values();
        }
    };

    /** The low-cardinality keys: they become meter tags. */
    public enum ListenerLowCardinalityTags implements KeyName {

        /** Always {@code aws_kinesis} (the OpenTelemetry messaging system name). */
        MESSAGING_SYSTEM {

            @Override
            public String asString() {
                return "messaging.system";
            }
        },

        /** The listener's application name (its lease table and consumer group). */
        APPLICATION {

            @Override
            public String asString() {
                return "kcl.application";
            }
        },

        /** The stream's name or ARN. */
        STREAM {

            @Override
            public String asString() {
                return "kcl.stream";
            }
        },

        /** The listener's id. */
        LISTENER_ID {

            @Override
            public String asString() {
                return "kcl.listener.id";
            }
        }
    }

    /** The high-cardinality keys: on spans, not on meters. */
    public enum ListenerHighCardinalityTags implements KeyName {

        /** The shard the records came from. */
        SHARD_ID {

            @Override
            public String asString() {
                return "kcl.shard.id";
            }
        },

        /** The record's sequence number; for a batch, that of its first record. */
        SEQUENCE_NUMBER {

            @Override
            public String asString() {
                return "kcl.sequence.number";
            }
        }
    }
}
