package org.rpg4j.dl4j.deploy.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rpg4j.sparse.format.SparseFormatException;
import org.rpg4j.sparse.format.ValuePrecision;

/** Damaged files: each load fails with a SparseFormatException naming the entry at fault. */
class BadFilesTest {
    @TempDir
    static Path dir;
    private static byte[] good;

    @BeforeAll
    static void writeOne() throws IOException {
        var net = SparseModelsTest.mln(LayerZoo.stack1d());
        Networks.zeroWeights(net, 0.9, 3);
        Path file = dir.resolve("good.zip");
        SparseModels.write(net, file, ValuePrecision.FLOAT32);
        good = Files.readAllBytes(file);
    }

    private static SparseFormatException loadFails(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("bad.zip"), bytes);
        return assertThrows(SparseFormatException.class, () -> SparseModels.load(file));
    }

    @Test
    void truncatedFile() throws IOException {
        for (int cut : new int[] {10, good.length / 3, good.length / 2, good.length - 30, good.length - 1}) {
            SparseFormatException e = loadFails(Arrays.copyOf(good, cut));
            assertTrue(e.getMessage().contains("'" + e.entryName() + "'"), e.getMessage());
        }
    }

    @Test
    void flippedBitInATensorNamesIt() throws IOException {
        byte[] damaged = good.clone();
        byte[] name = "tensors.bin".getBytes(StandardCharsets.UTF_8);
        int at = localHeader(damaged, name);
        // local header: 30 bytes, the name, the extra field (length at offset 28), then the compressed data
        int data = at + 30 + name.length + (damaged[at + 28] & 0xff | (damaged[at + 29] & 0xff) << 8);
        damaged[data + 5] ^= 0x04;
        SparseFormatException e = loadFails(damaged);
        assertEquals("tensors.bin", e.entryName(), e.getMessage());
    }

    @Test
    void missingEntryWrongVersionAndBrokenConfiguration() throws IOException {
        Map<String, byte[]> entries = entries(good);
        entries.remove("tensors.bin");
        assertEquals("tensors.bin", loadFails(zip(entries)).entryName());

        SparseFormatException version = loadFails(edit(good, "manifest.json",
                m -> m.replace("\"formatVersion\" : 1", "\"formatVersion\" : 7")));
        assertEquals("manifest.json", version.entryName());
        assertTrue(version.getMessage().contains("formatVersion 7"), version.getMessage());

        // a configuration DL4J cannot read, with its manifest checksum updated so only DL4J can object
        byte[] broken = edit(good, "configuration.json", c -> c.replace("\"confs\"", "\"confz\""));
        SparseFormatException config = loadFails(withManifestChecksum(broken, "configuration.json"));
        assertEquals("configuration.json", config.entryName());
    }

    /** @return the offset of the local file header ("PK\3\4") of the entry with this name */
    private static int localHeader(byte[] zip, byte[] name) {
        outer : for (int i = 0; i + 30 + name.length <= zip.length; i++) {
            if (zip[i] != 'P' || zip[i + 1] != 'K' || zip[i + 2] != 3 || zip[i + 3] != 4) {
                continue;
            }
            for (int j = 0; j < name.length; j++) {
                if (zip[i + 30 + j] != name[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no local header for " + new String(name, StandardCharsets.UTF_8));
    }

    private static byte[] edit(byte[] zip, String entry, UnaryOperator<String> change) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        entries.put(entry, change.apply(new String(entries.get(entry), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8));
        return zip(entries);
    }

    private static byte[] withManifestChecksum(byte[] zip, String entry) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        byte[] content = entries.get(entry);
        CRC32 crc = new CRC32();
        crc.update(content);
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        int at = manifest.indexOf("\"name\" : \"" + entry + "\"");
        int bytesAt = manifest.indexOf("\"bytes\" : ", at);
        int crcAt = manifest.indexOf("\"crc32\" : ", at);
        int crcEnd = manifest.indexOf('}', crcAt);
        String edited = manifest.substring(0, bytesAt) + "\"bytes\" : " + content.length + ",\n      \"crc32\" : "
                + crc.getValue() + "\n    " + manifest.substring(crcEnd);
        entries.put("manifest.json", edited.getBytes(StandardCharsets.UTF_8));
        return zip(entries);
    }

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
