package org.rpg4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.prune.PrunerState;
import org.rpg4j.prune.PruningConfig;

/**
 * A Spark pruning run in a model zip: the driver's network and updater state written by
 * {@code ModelSerializer}, plus three object entries (configuration JSON, pruner state, iteration
 * and round counters).
 */
final class SparkPruningArchive {
    private static final String CONFIG_KEY = "rpg4j-spark-config";
    private static final String STATE_KEY = "rpg4j-spark-state";
    private static final String PROGRESS_KEY = "rpg4j-spark-progress";

    /** What a saved run needs to continue. */
    record Saved(PruningConfig config, PrunerState state, long iteration, long round) {}

    private SparkPruningArchive() {}

    static void write(File file, Model model, PruningConfig config, PrunerState state, long iteration, long round)
            throws IOException {
        ModelSerializer.writeModel(model, file, true);
        ByteArrayOutputStream stateBytes = new ByteArrayOutputStream();
        state.write(stateBytes);
        ModelSerializer.addObjectToFile(file, CONFIG_KEY, config.toJson());
        ModelSerializer.addObjectToFile(file, STATE_KEY, stateBytes.toByteArray());
        ModelSerializer.addObjectToFile(file, PROGRESS_KEY, new long[] {iteration, round});
    }

    static Saved read(File file) throws IOException {
        try {
            PruningConfig config = PruningConfig.fromJson(ModelSerializer.getObjectFromFile(file, CONFIG_KEY));
            byte[] state = ModelSerializer.getObjectFromFile(file, STATE_KEY);
            long[] progress = ModelSerializer.getObjectFromFile(file, PROGRESS_KEY);
            return new Saved(config, PrunerState.read(new ByteArrayInputStream(state)), progress[0], progress[1]);
        } catch (RuntimeException e) {
            throw new IOException(file + " holds no rpg4j Spark pruning state (save it with SparkPruning.save)", e);
        }
    }
}
