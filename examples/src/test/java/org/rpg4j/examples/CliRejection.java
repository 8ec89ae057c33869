package org.rpg4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs {@code TrainAndPrune} on arguments it must refuse and checks how it refuses them. */
public final class CliRejection {
    private CliRejection() {
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
