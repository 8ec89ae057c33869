package org.rpg4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rpg4j.prune.Pruner;

/**
 * The architecture promises of rpg-core (DESIGN.md, STYLE.md), checked on its main classes with
 * ArchUnit: a broken promise fails {@code mvn verify} with the offending class and line.
 */
class CoreArchitectureTest {
    private static JavaClasses core;

    @BeforeAll
    static void importMainClasses() throws URISyntaxException {
        // the main classes' directory (or jar) only: scanning the whole class path (ND4J's native jars) is slow
        Path mainClasses = Path.of(Pruner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        core = new ClassFileImporter().importPath(mainClasses);
    }

    @Test
    void coreClassesWereImported() {
        // guards the rules below against passing vacuously on an empty import
        if (!core.contain("org.rpg4j.prune.Pruner") || !core.contain("org.rpg4j.mask.TopKSelection")) {
            throw new AssertionError("rpg-core main classes not found on the test class path");
        }
    }

    @Test
    void coreNeverUsesDl4j() {
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAPackage("org.deeplearning4j..")
                .because("rpg-core is framework-neutral: DL4J lives in rpg-dl4j");
        rule.check(core);
    }

    @Test
    void noStandardStreams() {
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("a library logs through SLF4J (no System.out, System.err or printStackTrace)")
                .check(core);
    }

    @Test
    void maskDoesNotUsePrune() {
        ArchRule rule = noClasses().that().resideInAPackage("org.rpg4j.mask..").should().dependOnClassesThat()
                .resideInAPackage("org.rpg4j.prune..")
                .because("mask is a leaf of the core: prune orchestrates it, never the other way");
        rule.check(core);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.rpg4j.(**)").should().beFreeOfCycles().check(core);
    }
}
