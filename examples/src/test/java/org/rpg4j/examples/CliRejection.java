package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** Runs {@code TrainAndPrune} on arguments it must refuse and checks how it refuses them. */
public final class CliRejection {
    /** A valid tiny run on synthetic data; a rejection case adds its bad options to it. */
    private static final List<String> TINY_RUN = List.of("--dataset", "synthetic", "--subset", "64", "--test-subset",
            "32", "--batch-size", "16", "--epochs", "1");

    private CliRejection() {
    }

    /**
     * @param message the expected first line of standard error, after {@code "error: "}
     * @param badOptions the options that make the tiny run invalid
     * @return the arguments of one case of a parameterized test that calls {@link #assertTinyRunRejected}
     */
    public static Arguments rejection(String message, String... badOptions) {
        return Arguments.of(message, List.of(badOptions));
    }

    /**
     * Checks that the tiny valid run plus {@code badOptions} is refused with {@code message}, so the error
     * comes from the bad options alone.
     *
     * @param output the run's output directory (never written: the run is refused before it starts)
     * @param message the expected first line of standard error, after {@code "error: "}
     * @param badOptions the options that make the run invalid
     */
    public static void assertTinyRunRejected(Path output, String message, List<String> badOptions) {
        List<String> args = new ArrayList<>(TINY_RUN);
        args.addAll(List.of("--output", output.toString()));
        args.addAll(badOptions);
        assertRejected(args, message);
    }

    /**
     * @param args the whole command line
     * @param message the expected first line of standard error, after {@code "error: "}
     */
    public static void assertRejected(List<String> args, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainAndPrune.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(new String[0]));
        String firstLine = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertEquals("error: " + message, firstLine);
        assertEquals(2, code, "exit code of an invalid option");
    }
}
