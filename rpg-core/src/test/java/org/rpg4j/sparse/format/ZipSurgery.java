package org.rpg4j.sparse.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Damages zip files the way disks, copies and hand edits do, for the bad-input tests. */
public final class ZipSurgery {
    private ZipSurgery() {}

    /** @return the entries of a (well-formed) zip, in order */
    public static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** @return a new zip of these entries (deflated, valid zip CRCs) */
    public static byte[] zip(Map<String, byte[]> entries) throws IOException {
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

    /** @return the zip without the named entry (the manifest still lists it) */
    public static byte[] without(byte[] zip, String entry) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        if (entries.remove(entry) == null) {
            throw new IllegalArgumentException("no entry " + entry);
        }
        return zip(entries);
    }

    /** @return the zip with the manifest's text transformed (e.g. another format version) */
    public static byte[] editManifest(byte[] zip, UnaryOperator<String> edit) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        String manifest = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
        entries.put("manifest.json", edit.apply(manifest).getBytes(StandardCharsets.UTF_8));
        return zip(entries);
    }

    /** @return the zip with one entry's content replaced, its zip CRC valid (so only the manifest's CRC can tell) */
    public static byte[] replace(byte[] zip, String entry, byte[] content) throws IOException {
        Map<String, byte[]> entries = entries(zip);
        entries.put(entry, content);
        return zip(entries);
    }

    /** @return a copy with one bit flipped in the middle of the named entry's compressed data */
    public static byte[] flipBitInside(byte[] zip, String entry) {
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 30 < zip.length; at++) {
            if (isSignature(zip, at, 0x04034b50) && nameAt(zip, at + 30, name)) {
                int start = at + 30 + name.length + u16(zip, at + 28);
                int end = start;
                while (end + 4 < zip.length && !isSignature(zip, end, 0x04034b50) && !isSignature(zip, end, 0x08074b50)
                        && !isSignature(zip, end, 0x02014b50)) {
                    end++;
                }
                byte[] copy = zip.clone();
                copy[(start + end) / 2] ^= 0x10;
                return copy;
            }
        }
        throw new IllegalArgumentException("no local header for " + entry);
    }

    private static boolean isSignature(byte[] b, int at, int signature) {
        return (b[at] & 0xff | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3]
                & 0xff) << 24) == signature;
    }

    private static boolean nameAt(byte[] b, int at, byte[] name) {
        if (at + name.length > b.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (b[at + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u16(byte[] b, int at) {
        return b[at] & 0xff | (b[at + 1] & 0xff) << 8;
    }
}
