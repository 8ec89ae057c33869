package org.rpg4j.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The architecture promise of issue 12: the core packages {@code mask}, {@code regrow} and
 * {@code schedule} work on primitive arrays and do not use ND4J or JavaCPP (the conversions live in
 * {@code org.rpg4j.tensor}). Checked on the compiled classes: a class that uses a type names it in
 * its constant pool (imports, fully qualified names, signatures, lambdas alike), as
 * {@code org/nd4j/...} or {@code org/bytedeco/...}.
 */
class CorePackagesNd4jFreeTest {
    private static final Path CLASSES = Path.of("target/classes/org/rpg4j");
    private static final List<String> FORBIDDEN = List.of("org/nd4j/", "org/bytedeco/", "org/deeplearning4j/");

    @ParameterizedTest
    @ValueSource(strings = {"mask", "regrow", "schedule"})
    void corePackageUsesNoNd4j(String pkg) throws IOException {
        List<Path> classes = classesOf(pkg);
        assertFalse(classes.isEmpty(), "no compiled classes found under " + CLASSES.resolve(pkg).toAbsolutePath());
        for (Path c : classes) {
            assertEquals(List.of(), forbiddenReferences(c), "org.rpg4j." + pkg + " must stay ND4J-free: "
                    + c.getFileName() + " refers to ND4J/JavaCPP/DL4J types; move that code to org.rpg4j.tensor");
        }
    }

    /** Control: the scan does see ND4J where it is used, so the test above can fail. */
    @ParameterizedTest
    @ValueSource(strings = {"tensor"})
    void theScanFindsNd4jWhereItIsUsed(String pkg) throws IOException {
        assertTrue(classesOf(pkg).stream().anyMatch(c -> !forbiddenReferences(c).isEmpty()),
                "org.rpg4j." + pkg + " uses ND4J; the scan must see it");
    }

    private static List<Path> classesOf(String pkg) throws IOException {
        Path dir = CLASSES.resolve(pkg);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static List<String> forbiddenReferences(Path classFile) {
        try {
            // class-file names are modified UTF-8, which is ASCII for these package names
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return FORBIDDEN.stream().filter(bytes::contains).toList();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + classFile, e);
        }
    }
}
