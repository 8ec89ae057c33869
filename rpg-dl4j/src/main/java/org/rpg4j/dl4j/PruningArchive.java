package org.rpg4j.dl4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.rpg4j.prune.PrunerState;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningStateException;

/**
 * Pruning state inside a DL4J model zip, as two {@link ModelSerializer} object entries
 * ({@code objects/<key>}, Java-serialised, readable with {@link ModelSerializer#getObjectFromFile}):
 * {@value #META_KEY} holds a JSON object (format, iteration offset, the {@link PruningConfig}) and
 * {@value #STATE_KEY} the {@link PrunerState} bytes (with their own CRC). The zip is written to a
 * temporary file beside the target and moved into place, so a crash never leaves half a model.
 */
final class PruningArchive {
    static final String META_KEY = "rpg4j-pruning.json";
    static final String STATE_KEY = "rpg4j-state.bin";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a saved run needs to continue. */
    record Saved(PruningConfig config, PrunerState state, long iterationOffset) {}

    private PruningArchive() {}

    static void write(File file, NetworkAdapter net, boolean saveUpdater, PruningConfig config, PrunerState state,
                      long iterationOffset) throws IOException {
        File dir = file.getAbsoluteFile().getParentFile();
        File model = File.createTempFile(file.getName(), ".model.tmp", dir);
        File zip = File.createTempFile(file.getName(), ".zip.tmp", dir);
        try {
            net.write(model, saveUpdater);
            ByteArrayOutputStream stateBytes = new ByteArrayOutputStream();
            state.write(stateBytes);
            try (ZipFile in = new ZipFile(model);
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip.toPath()))) {
                Enumeration<? extends ZipEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(out);
                    }
                    out.closeEntry();
                }
                putObject(out, META_KEY, meta(config, iterationOffset));
                putObject(out, STATE_KEY, stateBytes.toByteArray());
            }
            Files.move(zip.toPath(), file.toPath(), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(model.toPath());
            Files.deleteIfExists(zip.toPath());
        }
    }

    private static String meta(PruningConfig config, long iterationOffset) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        root.put("iterationOffset", iterationOffset);
        root.set("config", MAPPER.readTree(config.toJson()));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void putObject(ZipOutputStream out, String key, Object value) throws IOException {
        out.putNextEntry(new ZipEntry("objects/" + key));
        ObjectOutputStream oos = new ObjectOutputStream(nonClosing(out));
        oos.writeObject(value);
        oos.flush();
        out.closeEntry();
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * @param file a model zip written by {@link #write}
     * @return the saved configuration, pruner state and iteration offset
     * @throws PruningStateException if an entry is missing, corrupt or of an unknown format
     */
    static Saved read(File file) {
        try (ZipFile zip = new ZipFile(file)) {
            String meta = readObject(zip, META_KEY, String.class);
            byte[] state = readObject(zip, STATE_KEY, byte[].class);
            JsonNode root = parse(meta);
            int format = root.path("format").asInt(-1);
            if (format != FORMAT_VERSION) {
                throw new PruningStateException(file + ": rpg4j pruning entry has format " + format + ", this "
                        + "version reads format " + FORMAT_VERSION);
            }
            JsonNode offset = root.get("iterationOffset");
            JsonNode config = root.get("config");
            if (offset == null || !offset.canConvertToLong() || config == null || !config.isObject()) {
                throw new PruningStateException(file + ": rpg4j pruning entry '" + META_KEY + "' is corrupt "
                        + "(iterationOffset or config missing)");
            }
            return new Saved(config(config), PrunerState.read(new ByteArrayInputStream(state)), offset.asLong());
        } catch (IOException e) {
            throw new PruningStateException("cannot read the rpg4j pruning state from " + file + ": " + e, e);
        }
    }

    private static PruningConfig config(JsonNode node) {
        try {
            return PruningConfig.fromJson(node.toString());
        } catch (IllegalArgumentException e) {
            throw new PruningStateException("the saved rpg4j pruning configuration is invalid: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new PruningStateException("rpg4j pruning entry '" + META_KEY + "' is not valid JSON: " + e, e);
        }
    }

    private static <T> T readObject(ZipFile zip, String key, Class<T> type) throws IOException {
        ZipEntry entry = zip.getEntry("objects/" + key);
        if (entry == null) {
            throw new PruningStateException(zip.getName() + " has no rpg4j pruning entry '" + key + "': it was not "
                    + "saved with Pruning.save. ModelSerializer.writeModel and DL4J's CheckpointListener keep neither the "
                    + "masks nor the pruner state: save the run with Pruning.save (exact also from a listener's "
                    + "iterationDone or onEpochEnd) and continue it with Dl4jPruning.restore");
        }
        try (ObjectInputStream ois = new ObjectInputStream(zip.getInputStream(entry))) {
            ois.setObjectInputFilter(PruningArchive::onlyStringsAndBytes);
            Object o = ois.readObject();
            if (!type.isInstance(o)) {
                throw new PruningStateException("rpg4j pruning entry '" + key + "' is corrupt: expected "
                        + type.getSimpleName() + ", found " + (o == null ? "null" : o.getClass().getName()));
            }
            return type.cast(o);
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
            if (e instanceof PruningStateException p) {
                throw p;
            }
            throw new PruningStateException("rpg4j pruning entry '" + key + "' is corrupt: " + e, e);
        }
    }

    private static ObjectInputFilter.Status onlyStringsAndBytes(ObjectInputFilter.FilterInfo info) {
        Class<?> c = info.serialClass();
        return c == null || c == byte[].class || c == String.class ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
    }

    /** @return whether the zip holds a ComputationGraph configuration (else a MultiLayerNetwork) */
    static boolean holdsGraph(File file) {
        try (ZipFile zip = new ZipFile(file)) {
            ZipEntry entry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (entry == null) {
                throw new IllegalArgumentException("modelZip must be a DL4J model zip, " + file + " has no "
                        + ModelSerializer.CONFIGURATION_JSON);
            }
            try (InputStream is = zip.getInputStream(entry)) {
                JsonNode root = MAPPER.readTree(new String(is.readAllBytes(), StandardCharsets.UTF_8));
                return root.has("vertices");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("modelZip must be a readable DL4J model zip, got " + file + ": " + e,
                    e);
        }
    }
}
