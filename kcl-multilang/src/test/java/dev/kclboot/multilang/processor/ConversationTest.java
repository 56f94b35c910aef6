package dev.kclboot.multilang.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.kclboot.core.checkpoint.Checkpointer;
import dev.kclboot.core.checkpoint.DependencyException;
import dev.kclboot.core.checkpoint.ShutdownException;
import dev.kclboot.core.checkpoint.ThrottlingException;
import dev.kclboot.core.record.ExtendedSequenceNumber;
import dev.kclboot.core.record.KinesisRecord;
import dev.kclboot.multilang.child.ChildLauncher;
import dev.kclboot.multilang.child.ChildProcess;
import dev.kclboot.multilang.child.ExecutableCommand;
import dev.kclboot.multilang.protocol.HostAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint requests from a real python3 child, carried out on a checkpointer that fails the way the engine's fails:
 * each request gets exactly one reply echoing its position with the KCL's error name, the three request shapes map
 * to the three checkpoint calls, and requests where none is allowed are refused without reaching the checkpointer.
 */
class ConversationTest {

    private static final Path SCRIPT = Path.of("src/test/python/scripted_child.py").toAbsolutePath();

    @TempDir
    Path directory;

    @Test
    void checkpointRequestsGetOneReplyEachWithTheKclsErrorNames() throws Exception {
        Path replies = directory.resolve("replies.log");
        ChildLauncher launcher = new ChildLauncher(ExecutableCommand.parse("python3 " + SCRIPT + " --replies " + replies
                + " --during processRecords \"abc\" \"111\" \"222\" \"333\" \"444\"/2 {\"x\":1} null \"555\""));
        ChildProcess child = launcher.launch("shardId-000000000007");
        RecordingCheckpointer checkpointer = new RecordingCheckpointer();
        Conversation conversation = new Conversation(child, Duration.ofSeconds(20));
        conversation.exchange(HostAction.INITIALIZE, writer -> writer.initialize("shardId-000000000007", "LATEST", 0L),
                null);
        KinesisRecord record = KinesisRecord.builder().shardId("shardId-000000000007").sequenceNumber("555")
                .partitionKey("k").data(new byte[] { 1, 2, 3 }).build();
        conversation.exchange(HostAction.PROCESS_RECORDS, writer -> writer.processRecords(List.of(record), 5L),
                checkpointer);
        conversation.exchange(HostAction.LEASE_LOST, writer -> writer.leaseLost(), null);
        assertThat(child.endInputAndAwaitExit(Duration.ofSeconds(10))).isZero();
        launcher.close();

        assertThat(checkpointer.calls).containsExactly("checkpoint(abc)", "checkpoint(111)", "checkpoint(222)",
                "checkpoint(333)", "checkpoint(444, 2)", "checkpoint()", "checkpoint(555)");
        assertThat(Files.readAllLines(replies)).containsExactly(
                "{\"action\":\"initialize\",\"shardId\":\"shardId-000000000007\",\"sequenceNumber\":\"LATEST\","
                        + "\"subSequenceNumber\":0}",
                "{\"action\":\"processRecords\",\"records\":[{\"data\":\"AQID\",\"partitionKey\":\"k\","
                        + "\"sequenceNumber\":\"555\",\"approximateArrivalTimestamp\":0,\"subSequenceNumber\":0,"
                        + "\"action\":\"record\"}],\"millisBehindLatest\":5}",
                reply("\"abc\"", "null", "\"IllegalArgumentException\""),
                reply("\"111\"", "null", "\"ThrottlingException\""),
                reply("\"222\"", "null", "\"KinesisClientLibDependencyException\""),
                reply("\"333\"", "null", "\"ShutdownException\""),
                reply("\"444\"", "2", "null"),
                reply("null", "null", "\"IllegalArgumentException\""),
                reply("null", "null", "null"),
                reply("\"555\"", "null", "null"),
                "{\"action\":\"leaseLost\"}");
    }

    @Test
    void checkpointsWhileInitializingOrAfterLeaseLostAreRefusedWithInvalidState() throws Exception {
        Path replies = directory.resolve("replies.log");
        ChildLauncher launcher = new ChildLauncher(ExecutableCommand.parse("python3 " + SCRIPT + " --replies " + replies
                + " --during initialize null"));
        ChildProcess child = launcher.launch("shardId-000000000001");
        Conversation conversation = new Conversation(child, null);
        conversation.exchange(HostAction.INITIALIZE, writer -> writer.initialize("shardId-000000000001", "1", 0L), null);
        conversation.exchange(HostAction.LEASE_LOST, writer -> writer.leaseLost(), null);
        child.endInputAndAwaitExit(Duration.ofSeconds(10));
        launcher.close();
        assertThat(Files.readAllLines(replies)).containsExactly(
                "{\"action\":\"initialize\",\"shardId\":\"shardId-000000000001\",\"sequenceNumber\":\"1\","
                        + "\"subSequenceNumber\":0}",
                reply("null", "null", "\"InvalidStateException\""),
                "{\"action\":\"leaseLost\"}");
    }

    private static String reply(String sequence, String sub, String error) {
        return "{\"action\":\"checkpoint\",\"sequenceNumber\":" + sequence + ",\"subSequenceNumber\":" + sub
                + ",\"error\":" + error + "}";
    }

    /** Records the calls; fails for some positions with the exceptions the engine's checkpointer throws. */
    private static final class RecordingCheckpointer implements Checkpointer {

        final List<String> calls = new ArrayList<>();

        @Override
        public void checkpoint() {
            calls.add("checkpoint()");
        }

        @Override
        public void checkpoint(String sequenceNumber) {
            calls.add("checkpoint(" + sequenceNumber + ")");
            fail(sequenceNumber);
        }

        @Override
        public void checkpoint(String sequenceNumber, long subSequenceNumber) {
            calls.add("checkpoint(" + sequenceNumber + ", " + subSequenceNumber + ")");
            fail(sequenceNumber);
        }

        private static void fail(String sequenceNumber) {
            switch (sequenceNumber) {
                case "abc" -> throw new IllegalArgumentException("Not a sequence number: 'abc'");
                case "111" -> throw new ThrottlingException("throttled", new RuntimeException());
                case "222" -> throw new DependencyException("unreachable", new RuntimeException());
                case "333" -> throw new ShutdownException("lease lost");
                default -> {
                }
            }
        }

        @Override
        public void checkpoint(KinesisRecord record) {
            checkpoint(record.sequenceNumber(), record.subSequenceNumber());
        }

        @Override
        public String shardId() {
            return "shardId-000000000007";
        }

        @Override
        public ExtendedSequenceNumber lastCheckpoint() {
            return ExtendedSequenceNumber.LATEST;
        }
    }
}
