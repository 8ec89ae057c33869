package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.rpg4j.dl4j.deploy.format.SparseModels;
import org.rpg4j.examples.cli.SparseExportOptions;
import org.rpg4j.sparse.format.EncodedTensor;
import org.rpg4j.sparse.format.SparseModel;
import org.rpg4j.sparse.format.TensorEncoding;

/**
 * The sparse model file a run exported ({@code --export-sparse}) and how it compares with the run's
 * {@code model.zip}, for {@code results.json}.
 *
 * @param file the sparse file's name in the output directory
 * @param precision {@code FLOAT32} or {@code FLOAT16}
 * @param sparseBytes the sparse file's size in bytes
 * @param modelZipBytes size of {@code model.zip} (DL4J's ModelSerializer zip plus, when rpg4j pruned,
 *     the updater and pruning state), or null if it was not written ({@code --results-only})
 * @param sparseTensors tensors stored sparsely (bitmask or index gaps)
 * @param denseTensors tensors stored densely
 * @param writeSeconds wall time of encoding and writing the sparse file
 */
public record SparseExportResult(String file, String precision, long sparseBytes, Long modelZipBytes,
                                 int sparseTensors, int denseTensors, double writeSeconds) {

    /**
     * Writes the network's sparse file into the output directory.
     *
     * @param network the trained network (not modified)
     * @param dir the run's output directory (holding {@code model.zip} if it was written)
     * @param options the export options; {@link SparseExportOptions#enabled()} must be true
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if float16 cannot hold a weight (beyond +-65504)
     */
    public static SparseExportResult write(Model network, Path dir, SparseExportOptions options) throws IOException {
        Path target = options.target(dir);
        long start = System.nanoTime();
        SparseModel model = SparseModels.write(network, target, options.precision);
        double seconds = (System.nanoTime() - start) / 1e9;
        int sparse = 0;
        for (EncodedTensor t : model.tensors()) {
            sparse += t.encoding() == TensorEncoding.DENSE ? 0 : 1;
        }
        Path modelZip = dir.resolve("model.zip");
        return new SparseExportResult(dir.relativize(target.toAbsolutePath()).toString(),
                options.precision.name(), Files.size(target),
                Files.exists(modelZip) ? Files.size(modelZip) : null, sparse, model.tensors().size() - sparse, seconds);
    }
}
