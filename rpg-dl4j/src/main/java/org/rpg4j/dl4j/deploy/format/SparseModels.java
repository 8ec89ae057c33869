package org.rpg4j.dl4j.deploy.format;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.rpg4j.dl4j.Pruning;
import org.rpg4j.sparse.format.EncodedTensor;
import org.rpg4j.sparse.format.SparseFormatException;
import org.rpg4j.sparse.format.SparseModel;
import org.rpg4j.sparse.format.SparseModelReader;
import org.rpg4j.sparse.format.SparseModelWriter;
import org.rpg4j.sparse.format.TensorEncoder;
import org.rpg4j.sparse.format.TensorLayout;
import org.rpg4j.sparse.format.ValuePrecision;

/**
 * Writes DL4J networks as rpg4j sparse model files and loads them back, for deployment (the file
 * holds no updater state and no pruning state: it cannot resume training a pruning run).
 *
 * <p>Each parameter of the network's parameter table becomes one tensor, stored densely or as
 * positions plus values, whichever is smaller ({@link TensorEncoder}); without a pruning run the
 * stored positions are the non-zero entries. In {@link ValuePrecision#FLOAT32} mode
 * {@link #load(Path)} gives back the exact parameters, so the loaded network's outputs equal the
 * original's bit for bit. The configuration is the network's own JSON without rpg4j's training
 * hooks, so the loaded network is a plain DL4J network (networks with rpg4j's fast layers still need
 * rpg4j on the class path).
 *
 * <pre>{@code
 * SparseModels.write(net, Path.of("model-sparse.zip"), ValuePrecision.FLOAT32);
 * MultiLayerNetwork deployed = SparseModels.loadMultiLayerNetwork(Path.of("model-sparse.zip"));
 * }</pre>
 */
public final class SparseModels {
    private SparseModels() {}

    /**
     * Writes a network (any MultiLayerNetwork or ComputationGraph with float32 parameters).
     *
     * @param network the network (not modified)
     * @param file the file to write (replaced if it exists; written to {@code <file>.partial} first, then moved)
     * @param precision precision of the values of sparsely stored tensors
     * @return what was written (encodings per tensor)
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if an argument is null, the network is of another class or not
     *     float32, or float16 cannot hold a value
     */
    public static SparseModel write(Model network, Path file, ValuePrecision precision) throws IOException {
        return write(network, Map.of(), file, precision);
    }

    /**
     * Writes the network of a pruning run, attached or finished: a pruned tensor stores the entries
     * its mask keeps (plus any other non-zero entry, so that nothing is lost), the rest as for
     * {@link #write(Model, Path, ValuePrecision)}. The run is not changed.
     *
     * @param pruning the run whose network to write
     * @param file the file to write (replaced if it exists)
     * @param precision precision of the values of sparsely stored tensors
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalArgumentException as for {@link #write(Model, Path, ValuePrecision)}
     */
    public static SparseModel write(Pruning pruning, Path file, ValuePrecision precision) throws IOException {
        if (pruning == null) {
            throw new IllegalArgumentException("pruning must not be null");
        }
        return write(pruning.network(), PruningMasks.of(pruning), file, precision);
    }

    /**
     * @param file a file written by {@code write}
     * @return the network, initialised with the stored parameters (a MultiLayerNetwork or ComputationGraph)
     * @throws SparseFormatException naming the entry if the file is truncated, corrupt, incomplete, of
     *     another format version, or its configuration does not describe its parameters
     * @throws IOException if reading fails otherwise
     */
    public static Model load(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        SparseModel model;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            model = SparseModelReader.read(in);
        }
        return NetworkRebuild.network(model);
    }

    /**
     * @param file a file holding a MultiLayerNetwork
     * @return the network
     * @throws SparseFormatException if the file is unreadable or holds a ComputationGraph
     * @throws IOException if reading fails otherwise
     */
    public static MultiLayerNetwork loadMultiLayerNetwork(Path file) throws IOException {
        return expect(load(file), MultiLayerNetwork.class);
    }

    /**
     * @param file a file holding a ComputationGraph
     * @return the network
     * @throws SparseFormatException if the file is unreadable or holds a MultiLayerNetwork
     * @throws IOException if reading fails otherwise
     */
    public static ComputationGraph loadComputationGraph(Path file) throws IOException {
        return expect(load(file), ComputationGraph.class);
    }

    private static <T extends Model> T expect(Model model, Class<T> type) throws SparseFormatException {
        if (!type.isInstance(model)) {
            throw new SparseFormatException("manifest.json", "holds a " + model.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName() + "; use SparseModels.load");
        }
        return type.cast(model);
    }

    private static SparseModel write(Model network, Map<String, boolean[]> masks, Path file, ValuePrecision precision)
            throws IOException {
        if (file == null || precision == null) {
            throw new IllegalArgumentException("file and precision must not be null");
        }
        SparseModel model = encode(network, masks, precision);
        // written beside the target, then moved: a file that exists under the target name is complete
        Path temporary = file.resolveSibling(file.getFileName() + ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
                SparseModelWriter.write(model, out);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return model;
    }

    /**
     * @param network a MultiLayerNetwork or ComputationGraph (not modified)
     * @param masks keep-masks by parameter key, in storage order (empty without a pruning run)
     * @param precision precision of sparsely stored values
     * @return the encoded model, not yet written
     */
    static SparseModel encode(Model network, Map<String, boolean[]> masks, ValuePrecision precision) {
        NetworkKind kind = NetworkKind.of(network);
        String configuration = kind == NetworkKind.MULTI_LAYER_NETWORK
                ? DeploymentConfiguration.json((MultiLayerNetwork) network)
                : DeploymentConfiguration.json((ComputationGraph) network);
        ParameterSlices slices = ParameterSlices.of(network);
        List<EncodedTensor> tensors = new ArrayList<>();
        for (TensorLayout layout : slices.layouts()) {
            tensors.add(TensorEncoder.encode(layout, slices.values(layout), masks.get(layout.name()), precision));
        }
        return new SparseModel(kind.manifestName(), configuration, slices.parameters().length, tensors);
    }
}
