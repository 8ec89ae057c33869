package org.rpg4j.examples.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rpg4j.dl4j.distill.DistillationConfig;
import org.rpg4j.examples.cli.Options;
import picocli.CommandLine;

/** The distillation options: defaults, errors naming the option as typed, results.json entries. */
class DistillationOptionsTest {
    @TempDir
    Path dir;

    private static DistillationOptions parse(String... args) {
        Options options = new Options();
        new CommandLine(options).parseArgs(args);
        return options.distillation;
    }

    @Test
    void withoutTeacherNothingIsAttachedAndNothingRecorded() throws IOException {
        DistillationOptions o = parse();
        assertTrue(o.config().isEmpty());
        assertTrue(o.attach(null).isEmpty());
        Map<String, Object> m = o.asMap();
        assertEquals(null, m.get("teacher"));
        assertEquals(null, m.get("temperature"));
        assertEquals(null, m.get("hardness"));
    }

    @Test
    void defaultsAndGivenValuesAreRecorded() {
        DistillationOptions defaults = parse("--teacher", "t.zip");
        assertEquals(new DistillationConfig(4.0, 0.5), defaults.config().orElseThrow());
        assertEquals(Map.of("teacher", "t.zip", "temperature", 4.0, "hardness", 0.5), defaults.asMap());
        DistillationOptions given = parse("--teacher", "t.zip", "--temperature", "2.5", "--hardness", "0.1");
        assertEquals(new DistillationConfig(2.5, 0.1), given.config().orElseThrow());
        assertEquals(2.5, given.asMap().get("temperature"));
    }

    @Test
    void errorsNameTheOption() throws IOException {
        assertMessage(parse("--temperature", "3"), "--temperature needs --teacher ZIP (the model to distil from)");
        assertMessage(parse("--hardness", "0.2"), "--hardness needs --teacher ZIP (the model to distil from)");
        assertMessage(parse("--teacher", "t.zip", "--temperature", "0"),
                "--temperature must be finite and > 0, got 0.0");
        assertMessage(parse("--teacher", "t.zip", "--temperature", "NaN"), "--temperature must be finite and > 0");
        assertMessage(parse("--teacher", "t.zip", "--hardness", "1.5"), "--hardness must be in [0, 1], got 1.5");
        DistillationOptions missing = parse("--teacher", dir.resolve("none.zip").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> missing.attach(null));
        assertTrue(e.getMessage().startsWith("--teacher must name a model zip"), e.getMessage());
        Path notZip = Files.writeString(dir.resolve("teacher.zip"), "not a model");
        IOException io = assertThrows(IOException.class, () -> parse("--teacher", notZip.toString()).attach(null));
        assertTrue(io.getMessage().startsWith("--teacher " + notZip), io.getMessage());
    }

    private static void assertMessage(DistillationOptions options, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::config);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
