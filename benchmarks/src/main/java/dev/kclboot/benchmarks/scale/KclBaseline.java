package dev.kclboot.benchmarks.scale;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.kclboot.test.LocalKinesis;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Runs KCL 3.5.1 idle on a stream of the same emulators, in a child JVM ({@code benchmarks/kcl3/KclIdleBaseline.java}
 * with Java's source launcher, on the KCL's own jars plus this module's classes for the {@link DynamoDbCallCounter}),
 * and reads back the requests its DynamoDB client sent. Creates the KCL 3 lease table with its
 * {@code LeaseOwnerToLeaseKeyIndex} first, since dynalite cannot add a GSI to an existing table.
 */
final class KclBaseline {

    /** What the KCL run counted: from start until every lease was owned, and the idle window after that. */
    record Result(CallCounts startup, CallCounts window, long heldAfterNanos, long windowNanos, String log) {
    }

    private final LocalKinesis local;

    private final String classpath;

    private final Path program;

    private final Path work;

    KclBaseline(LocalKinesis local, String classpath, Path program, Path work) {
        this.local = local;
        this.classpath = classpath;
        this.program = program;
        this.work = work;
    }

    /** Starts the KCL process; {@link Running#await()} waits for it and reads its counts. */
    Running start(String stream, String application, int shards, Duration idle) throws IOException {
        createKcl3LeaseTable(application);
        Files.createDirectories(work);
        Path out = work.resolve(application);
        Path log = work.resolve(application + ".log");
        String ownClasses = Path.of(ScaleBenchmark.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .toString();
        ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-Xmx512m",
                "-cp", ownClasses + File.pathSeparator + classpath + logback(), program.toString(),
                "--kinesis=" + local.kinesisEndpoint(), "--dynamodb=" + local.dynamoDbEndpoint(), "--stream=" + stream,
                "--app=" + application, "--shards=" + shards, "--idleMs=" + idle.toMillis(), "--out=" + out)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", LocalKinesis.ACCESS_KEY_ID);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", LocalKinesis.SECRET_ACCESS_KEY);
        builder.environment().put("AWS_REGION", local.region().id());
        return new Running(builder.start(), out, log, idle);
    }

    /** A KCL process under way. */
    static final class Running {

        private final Process process;

        private final Path out;

        private final Path log;

        private final Duration idle;

        Running(Process process, Path out, Path log, Duration idle) {
            this.process = process;
            this.out = out;
            this.log = log;
            this.idle = idle;
        }

        Result await() throws IOException, InterruptedException {
            if (!process.waitFor(idle.toSeconds() + 480, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("The KCL baseline did not finish; see " + log);
            }
            String text = Files.readString(log);
            if (process.exitValue() != 0 || !Files.exists(Path.of(out + ".total"))) {
                throw new IllegalStateException("The KCL baseline exited with " + process.exitValue() + "; its log "
                        + log + " ends with:\n" + tail(text, 30));
            }
            CallCounts startup = CallCounts.parse(Files.readAllLines(Path.of(out + ".startup")));
            CallCounts total = CallCounts.parse(Files.readAllLines(Path.of(out + ".total")));
            Map<String, Long> info = new HashMap<>();
            for (String line : Files.readAllLines(Path.of(out + ".info"))) {
                String[] fields = line.split("\t");
                info.put(fields[0], Long.parseLong(fields[1]));
            }
            return new Result(startup, total.minus(startup), TimeUnit.MILLISECONDS.toNanos(info.get("heldAfterMs")),
                    TimeUnit.MILLISECONDS.toNanos(info.get("windowMs")), log.toString());
        }

        void destroy() {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** This JVM's logback jars, so the KCL's warnings reach its log (the KCL ships no SLF4J binding). */
    private static String logback() {
        StringBuilder jars = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (Path.of(entry).getFileName() != null && Path.of(entry).getFileName().toString().startsWith("logback-")) {
                jars.append(File.pathSeparator).append(entry);
            }
        }
        return jars.toString();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void createKcl3LeaseTable(String table) {
        local.dynamoDbClient().createTable(request -> request.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("leaseKey").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("leaseOwner").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("LeaseOwnerToLeaseKeyIndex")
                        .keySchema(KeySchemaElement.builder().attributeName("leaseOwner").keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.RANGE).build())
                        .projection(projection -> projection.projectionType(ProjectionType.KEYS_ONLY)).build()));
    }
}
