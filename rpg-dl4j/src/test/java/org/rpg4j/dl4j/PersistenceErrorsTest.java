package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.rpg4j.prune.PruningStateException;

/** A missing, corrupt or mismatched pruning entry is a clear error, never a silently dense model. */
class PersistenceErrorsTest {
    @TempDir
    Path dir;
    File saved;
    Pruning pruning;

    @BeforeEach
    void saveARun() throws IOException {
        Model net = Nets.small(Nets.Kind.MLN, new Adam(0.01), Nets.Decay.NONE, false);
        pruning = Dl4jPruning.attach(net, SaveRestoreTest.config());
        List<DataSet> data = Nets.data(6, 4, 1);
        data.forEach(d -> Nets.fit(net, d));
        saved = dir.resolve("saved.zip").toFile();
        pruning.save(saved);
    }

    @Test
    void modelWrittenWithoutPruningEntriesIsRejected() throws IOException {
        File plain = dir.resolve("plain.zip").toFile();
        ModelSerializer.writeModel(pruning.network(), plain, true);
        PruningStateException e = assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(plain));
        assertTrue(e.getMessage().contains(PruningArchive.META_KEY), e.getMessage());
    }

    @Test
    void flippedStateBitIsRejectedByTheChecksum() throws IOException {
        File bad = rewrite(PruningArchive.STATE_KEY, bytes -> {
            byte[] state = (byte[]) deserialize(bytes);
            state[state.length / 2] ^= 0x10;
            return serialize(state);
        });
        PruningStateException e = assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(bad));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedStateIsRejected() throws IOException {
        File bad = rewrite(PruningArchive.STATE_KEY, bytes -> {
            byte[] state = (byte[]) deserialize(bytes);
            return serialize(java.util.Arrays.copyOf(state, state.length - 9));
        });
        assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(bad));
    }

    @Test
    void entryThatIsNotASerialisedObjectIsRejected() throws IOException {
        File bad = rewrite(PruningArchive.STATE_KEY, bytes -> new byte[] {1, 2, 3, 4});
        PruningStateException e = assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(bad));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void entryHoldingAnotherClassIsRejected() throws IOException {
        File bad = rewrite(PruningArchive.META_KEY, bytes -> serialize(new java.util.ArrayList<String>()));
        assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(bad));
    }

    @Test
    void malformedConfigurationIsRejected() throws IOException {
        File notJson = rewrite(PruningArchive.META_KEY, bytes -> serialize("{not json"));
        assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(notJson));
        File badValue = rewrite(PruningArchive.META_KEY,
                bytes -> serialize(((String) deserialize(bytes)).replace("\"deltaT\" : 2", "\"deltaT\" : -2")));
        assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(badValue));
        File noOffset = rewrite(PruningArchive.META_KEY,
                bytes -> serialize(((String) deserialize(bytes)).replace("iterationOffset", "offset")));
        assertThrows(PruningStateException.class, () -> Dl4jPruning.restore(noOffset));
    }

    @Test
    void stateOfAnotherNetworkIsRejected() {
        Model wider = widerDense();
        PruningStateException e = assertThrows(PruningStateException.class,
                () -> Dl4jPruning.restore(wider, saved, PrunableLayers.defaults()));
        assertTrue(e.getMessage().contains("dense/W"), e.getMessage());
    }

    @Test
    void savedNetworkLoadedWithoutRestoreRefusesToTrain() throws IOException {
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(saved, true);
        DataSet batch = Nets.data(1, 4, 3).get(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.fit(batch));
        assertTrue(e.getMessage().contains("Dl4jPruning.restore"), e.getMessage());
        plain.output(batch.getFeatures());
    }

    private static Model widerDense() {
        org.deeplearning4j.nn.conf.MultiLayerConfiguration conf = Nets.base(new Adam(0.01), Nets.Decay.NONE).list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(6).name("conv")
                        .build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(13).name("dense").build())
                .layer(Nets.output())
                .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(Nets.SIZE, Nets.SIZE,
                        Nets.CHANNELS)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Copies the saved zip, replacing the bytes of one object entry. */
    private File rewrite(String key, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(saved)) {
            Enumeration<? extends ZipEntry> e = zip.entries();
            while (e.hasMoreElements()) {
                ZipEntry entry = e.nextElement();
                try (InputStream is = zip.getInputStream(entry)) {
                    entries.put(entry.getName(), is.readAllBytes());
                }
            }
        }
        entries.computeIfPresent("objects/" + key, (k, v) -> change.apply(v));
        File out = Files.createTempFile(dir, "bad", ".zip").toFile();
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out.toPath()))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    private static byte[] serialize(Object o) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object deserialize(byte[] bytes) {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
