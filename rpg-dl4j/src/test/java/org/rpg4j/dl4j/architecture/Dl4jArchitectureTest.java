package org.rpg4j.dl4j.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.rpg4j.dl4j.Dl4jPruning;

/** The architecture promises of rpg-dl4j, checked on its main classes with ArchUnit. */
class Dl4jArchitectureTest {
    @Test
    void noStandardStreams() throws URISyntaxException {
        // the main classes' directory (or jar) only: scanning the whole class path (ND4J's native jars) is slow
        Path mainClasses = Path.of(Dl4jPruning.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaClasses dl4j = new ClassFileImporter().importPath(mainClasses);
        if (!dl4j.contain("org.rpg4j.dl4j.Dl4jPruning")) {
            throw new AssertionError("rpg-dl4j main classes not found on the test class path");
        }
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("a library logs through SLF4J (no System.out, System.err or printStackTrace)")
                .check(dl4j);
    }
}
