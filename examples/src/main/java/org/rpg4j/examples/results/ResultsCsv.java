package org.rpg4j.examples.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rpg4j.examples.train.EpochMetrics;
import org.rpg4j.examples.train.LayerStat;

/**
 * Writes the per-epoch metrics ({@code metrics.csv}) and the final per-layer statistics
 * ({@code layers.csv}) as comma-separated values with a header row; empty cells for unmeasured values.
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    /**
     * @param record the run
     * @param file the file to write (replaced)
     * @throws IOException if it cannot be written
     */
    public static void writeEpochs(RunRecord record, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("dataset,model,method,epoch,iteration,train_loss,test_accuracy,sparsity,mean_delta_rank,"
                + "learning_rate,images_per_second,elapsed_seconds");
        for (EpochMetrics m : record.history().epochs()) {
            lines.add(String.join(",", record.data().name(), record.model().name(), record.method(),
                    Integer.toString(m.epoch()), Long.toString(m.iteration()), number(m.trainLoss()),
                    number(m.testAccuracy()), number(m.sparsity()), number(m.meanDeltaRank()),
                    number(m.learningRate()), number(m.imagesPerSecond()), number(m.elapsedSeconds())));
        }
        Files.write(file, lines);
    }

    /**
     * @param layers per-layer statistics
     * @param file the file to write (replaced)
     * @throws IOException if it cannot be written
     */
    public static void writeLayers(List<LayerStat> layers, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("layer,type,shape,parameters,non_zeros,sparsity,delta_rank,full_rank,zero_rows,zero_columns");
        for (LayerStat l : layers) {
            String shape = Arrays.toString(l.shape()).replace(", ", "x").replace("[", "").replace("]", "");
            lines.add(String.join(",", l.name(), l.type(), shape, Long.toString(l.parameters()),
                    Long.toString(l.nonZeros()), number(l.sparsity()),
                    l.deltaRank() < 0 ? "" : Integer.toString(l.deltaRank()), Integer.toString(l.fullRank()),
                    Long.toString(l.zeroRows()), Long.toString(l.zeroColumns())));
        }
        Files.write(file, lines);
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
