package org.rpg4j.dl4j.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.Test;

/** The architecture promises of rpg-dl4j, checked on its main classes with ArchUnit. */
class Dl4jArchitectureTest {
    @Test
    void noStandardStreams() {
        JavaClasses dl4j = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS).importPackages("org.rpg4j.dl4j");
        if (!dl4j.contain("org.rpg4j.dl4j.Dl4jPruning")) {
            throw new AssertionError("rpg-dl4j main classes not found on the test class path");
        }
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("a library logs through SLF4J (no System.out, System.err or printStackTrace)")
                .check(dl4j);
    }
}
