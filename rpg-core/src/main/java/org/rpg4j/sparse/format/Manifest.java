package org.rpg4j.sparse.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The file's table of contents, entry {@value #ENTRY_NAME}: format name and version, network type,
 * parameter count, every other entry with its size and CRC32, and every tensor with its layout,
 * encoding and the sizes and CRC32 of its bytes in the tensor data entry (so that damage is reported
 * with the tensor's name).
 *
 * @param formatVersion the version this file was written in
 * @param networkType what the configuration describes
 * @param parameterCount length of the flat parameter vector
 * @param entries every entry except the manifest, in file order
 * @param tensors every tensor, in file order
 */
record Manifest(int formatVersion, String networkType, int parameterCount, List<Entry> entries,
                List<Tensor> tensors) {
    static final String ENTRY_NAME = "manifest.json";
    static final String FORMAT = "rpg4j-sparse-model";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One zip entry: name, uncompressed size in bytes, CRC32 of the uncompressed bytes. */
    record Entry(String name, long bytes, long crc32) {}

    /**
     * One tensor: its layout, how it is stored, the sizes of its positions and values (where they lie
     * in the tensor data entry follows from the sizes, see {@link SparseModelWriter}), and the CRC32
     * of its positions followed by its values (as {@link EncodedTensor} holds them).
     */
    record Tensor(TensorLayout layout, TensorEncoding encoding, ValuePrecision precision, int storedCount,
                  int positionsBytes, long crc32) {}

    byte[] toJson() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", formatVersion);
        root.put("networkType", networkType);
        root.put("parameterCount", parameterCount);
        ArrayNode entryArray = root.putArray("entries");
        for (Entry e : entries) {
            entryArray.addObject().put("name", e.name()).put("bytes", e.bytes()).put("crc32", e.crc32());
        }
        ArrayNode tensorArray = root.putArray("tensors");
        for (Tensor t : tensors) {
            ObjectNode node = tensorArray.addObject().put("name", t.layout().name());
            ArrayNode shape = node.putArray("shape");
            for (long axis : t.layout().shape()) {
                shape.add(axis);
            }
            node.put("order", String.valueOf(t.layout().order())).put("offset", t.layout().offset())
                    .put("encoding", t.encoding().name()).put("precision", t.precision().name())
                    .put("storedCount", t.storedCount()).put("positionsBytes", t.positionsBytes())
                    .put("crc32", t.crc32());
        }
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("could not write the manifest as JSON", e);
        }
    }

    /**
     * @param json the manifest's bytes
     * @param supportedVersion the version this reader reads
     * @return the manifest
     * @throws IllegalArgumentException naming the field if the JSON is malformed, of another format or version
     */
    static Manifest parse(byte[] json, int supportedVersion) {
        JsonNode root;
        try {
            root = MAPPER.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("does not declare \"format\": \"" + FORMAT + "\"");
        }
        int version = integer(root, "formatVersion");
        if (version != supportedVersion) {
            throw new IllegalArgumentException("formatVersion " + version + " is not supported; this reader reads "
                    + "version " + supportedVersion);
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode e : array(root, "entries")) {
            entries.add(new Entry(text(e, "name"), number(e, "bytes"), number(e, "crc32")));
        }
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode t : array(root, "tensors")) {
            tensors.add(tensor(t));
        }
        return new Manifest(version, text(root, "networkType"), integer(root, "parameterCount"), entries, tensors);
    }

    private static Tensor tensor(JsonNode t) {
        JsonNode shapeNode = array(t, "shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        String order = text(t, "order");
        if (order.length() != 1) {
            throw new IllegalArgumentException("tensor order must be one letter, got '" + order + "'");
        }
        TensorLayout layout = new TensorLayout(text(t, "name"), shape, order.charAt(0), integer(t, "offset"));
        return new Tensor(layout, TensorEncoding.valueOf(text(t, "encoding")),
                ValuePrecision.valueOf(text(t, "precision")), integer(t, "storedCount"), integer(t, "positionsBytes"),
                number(t, "crc32"));
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an array");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an integer");
        }
        return value.asLong();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("field \"" + field + "\" must be an int");
        }
        return value.asInt();
    }
}
