package dev.kclboot.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The Spring layer's packages have no cycles, each package (sub-packages included) counted on its own; the listener
 * API depends on none of the packages built on it, and the delivery loop knows its container only through an
 * interface of its own.
 */
class PackageStructureTest {

    private static final JavaClasses SPRING = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.kclboot.spring");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.kclboot.spring.(**)").should().beFreeOfCycles().check(SPRING);
    }

    @Test
    void theListenerApiDependsOnNoOtherSpringPackage() {
        noClasses().that().resideInAPackage("dev.kclboot.spring.listener").should().dependOnClassesThat()
                .resideInAnyPackage("dev.kclboot.spring.listener.*..", "dev.kclboot.spring.config..",
                        "dev.kclboot.spring.annotation..", "dev.kclboot.spring.actuate..")
                .check(SPRING);
    }

    @Test
    void theDeliveryLoopDoesNotKnowTheContainers() {
        noClasses().that().resideInAPackage("dev.kclboot.spring.listener.delivery..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.kclboot.spring.listener.container..", "dev.kclboot.spring.listener.adapter..",
                        "dev.kclboot.spring.config..")
                .check(SPRING);
    }

    @Test
    void methodAdaptersKnowNeitherContainersNorTheDeliveryLoop() {
        noClasses().that().resideInAPackage("dev.kclboot.spring.listener.adapter..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.kclboot.spring.listener.container..",
                        "dev.kclboot.spring.listener.delivery..")
                .check(SPRING);
    }
}
