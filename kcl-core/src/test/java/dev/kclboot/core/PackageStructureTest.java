package dev.kclboot.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's packages have no cycles, and the data path reads in one direction: Kinesis (stream, fetch) → consumer →
 * processor → checkpoint → lease table; record is the bottom layer; the root package (the Worker and its control
 * loop) is used by no other package. Enhanced fan-out is one more reader, and needs no Netty on the class path.
 */
class PackageStructureTest {

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.kclboot.core");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.kclboot.core.(*)..").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void noPackageUsesTheWorker() {
        noClasses().that().resideInAPackage("dev.kclboot.core.*..").should().dependOnClassesThat()
                .resideInAPackage("dev.kclboot.core").check(ENGINE);
    }

    @Test
    void recordsDependOnNothingOfTheEngine() {
        noClasses().that().resideInAPackage("..core.record..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.stream..", "..core.lease..", "..core.sync..", "..core.fetch..",
                        "..core.consumer..", "..core.processor..", "..core.checkpoint..", "..core.metrics..",
                        "..core.aggregation..")
                .check(ENGINE);
    }

    @Test
    void theLeaseTableKnowsNothingOfProcessingOrReading() {
        noClasses().that().resideInAPackage("..core.lease..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.checkpoint..", "..core.processor..", "..core.consumer..", "..core.fetch..",
                        "..core.sync..")
                .check(ENGINE);
    }

    @Test
    void checkpointsWriteToLeasesAndKnowNothingOfConsumersOrReading() {
        noClasses().that().resideInAPackage("..core.checkpoint..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.consumer..", "..core.fetch..", "..core.sync..", "..core.processor..")
                .check(ENGINE);
    }

    @Test
    void readingKnowsNothingOfConsumersLeasesOrProcessors() {
        noClasses().that().resideInAPackage("..core.fetch..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.consumer..", "..core.lease..", "..core.checkpoint..", "..core.processor..",
                        "..core.sync..")
                .check(ENGINE);
    }

    @Test
    void fanOutIsAReaderLikePolling() {
        noClasses().that().resideInAPackage("..core.fanout..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.consumer..", "..core.lease..", "..core.checkpoint..", "..core.processor..",
                        "..core.sync..")
                .check(ENGINE);
    }

    /** kcl-core users who only poll need no Netty: the engine takes a KinesisAsyncClient and never names Netty. */
    @Test
    void theEngineNeverNamesNetty() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "software.amazon.awssdk.http.nio.netty..")
                .check(ENGINE);
    }

    @Test
    void processorsSeeCheckpointsAndRecordsOnly() {
        noClasses().that().resideInAPackage("..core.processor..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.consumer..", "..core.lease..", "..core.fetch..", "..core.sync..")
                .check(ENGINE);
    }

    /** Ordered parallelism is a processor on the public API: it knows nothing of consumers, leases or reading. */
    @Test
    void parallelProcessingIsBuiltOnTheProcessorApiOnly() {
        noClasses().that().resideInAPackage("..core.parallel..").should().dependOnClassesThat()
                .resideInAnyPackage("..core.consumer..", "..core.lease..", "..core.fetch..", "..core.fanout..",
                        "..core.sync..", "..core.stream..")
                .check(ENGINE);
    }
}
