package dev.kclboot.multilang.it;

/**
 * The two callback shapes of the test processor (both speak the same wire protocol): what each logs when its lease
 * is lost.
 */
enum ProcessorStyle {

    /** lease_lost / shard_ended / shutdown_requested. */
    V3("LEASE_LOST"),

    /** shutdown(checkpointer, ZOMBIE | TERMINATE), shutdown_requested. */
    V2("SHUTDOWN");

    private final String leaseLostEvent;

    ProcessorStyle(String leaseLostEvent) {
        this.leaseLostEvent = leaseLostEvent;
    }

    String argument() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The event type the child logs for {@code leaseLost}. */
    String leaseLostEvent() {
        return leaseLostEvent;
    }

    /** The event types of a child ended by a lease loss, as this style logs them. */
    java.util.List<String> leaseLostTail() {
        return this == V3 ? java.util.List.of("LEASE_LOST", "EXIT") : java.util.List.of("SHUTDOWN", "EXIT");
    }
}
