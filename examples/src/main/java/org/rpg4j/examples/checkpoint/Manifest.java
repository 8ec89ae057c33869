package org.rpg4j.examples.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table of contents of one checkpoint ({@value #FILE_NAME}), a small text file:
 * <pre>
 * rpg4j-checkpoint 1
 * iteration 12
 * file model.zip 81234 3f5a...(SHA-256, 64 hex digits)
 * file trainer.bin 2211 9c0e...
 * manifest-sha256 7d41...   (of every line above, with their line feeds)
 * </pre>
 * The last line checksums the manifest itself, so a flipped bit anywhere in it is detected too.
 *
 * @param iteration training iterations done when the checkpoint was taken, {@code >= 0}
 * @param files every other file of the checkpoint, in the order written
 */
public record Manifest(long iteration, List<Entry> files) {
    /** Name of the manifest file inside a checkpoint directory. */
    public static final String FILE_NAME = "manifest.txt";
    /** Version of the layout above. */
    public static final int FORMAT = 1;
    private static final String HEADER = "rpg4j-checkpoint ";
    private static final String SELF = "manifest-sha256 ";
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * One file of a checkpoint.
     *
     * @param name file name inside the checkpoint directory (letters, digits, {@code . _ -})
     * @param bytes its length
     * @param sha256 its SHA-256 as 64 lower-case hex digits
     */
    public record Entry(String name, long bytes, String sha256) {
        /** @throws IllegalArgumentException if a value is malformed */
        public Entry {
            if (name == null || !NAME.matcher(name).matches() || name.equals(FILE_NAME)) {
                throw new IllegalArgumentException("name must be a plain file name other than " + FILE_NAME
                        + ", got " + name);
            }
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
            }
            if (sha256 == null || !HEX64.matcher(sha256).matches()) {
                throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
            }
        }
    }

    /** @throws IllegalArgumentException if the iteration is negative or there are no files */
    public Manifest {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        files = List.copyOf(files);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("files must not be empty");
        }
    }

    /** @return the manifest's text, ending with its own checksum line */
    public String toText() {
        StringBuilder body = new StringBuilder(HEADER).append(FORMAT).append('\n');
        body.append("iteration ").append(iteration).append('\n');
        for (Entry e : files) {
            body.append("file ").append(e.name()).append(' ').append(e.bytes()).append(' ').append(e.sha256())
                    .append('\n');
        }
        return body + SELF + Digests.sha256(body.toString().getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    /**
     * @param text a manifest's content
     * @return the manifest
     * @throws IllegalArgumentException saying what is wrong (the message is shown to the user)
     */
    public static Manifest parse(String text) {
        int self = text.lastIndexOf(SELF);
        if (self < 0 || !text.endsWith("\n")) {
            throw new IllegalArgumentException("the manifest is truncated (no final " + SELF.trim() + " line)");
        }
        String body = text.substring(0, self);
        String recorded = text.substring(self + SELF.length(), text.length() - 1);
        if (!recorded.equals(Digests.sha256(body.getBytes(StandardCharsets.UTF_8)))) {
            throw new IllegalArgumentException("the manifest does not match its own checksum");
        }
        String[] lines = body.split("\n");
        if (lines.length < 3 || !lines[0].equals(HEADER + FORMAT)) {
            throw new IllegalArgumentException("the manifest is not of format " + FORMAT + ": first line '"
                    + (lines.length > 0 ? lines[0] : "") + "'");
        }
        long iteration = Long.parseLong(field(lines[1], "iteration ", 2)[1]);
        List<Entry> files = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String[] parts = field(lines[i], "file ", 4);
            files.add(new Entry(parts[1], Long.parseLong(parts[2]), parts[3]));
        }
        return new Manifest(iteration, files);
    }

    private static String[] field(String line, String prefix, int parts) {
        String[] split = line.split(" ");
        if (!line.startsWith(prefix) || split.length != parts) {
            throw new IllegalArgumentException("malformed manifest line '" + line + "'");
        }
        return split;
    }
}
