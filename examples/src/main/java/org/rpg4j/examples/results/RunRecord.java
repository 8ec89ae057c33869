package org.rpg4j.examples.results;

import java.util.List;
import java.util.Map;
import org.rpg4j.examples.structured.Compaction;
import org.rpg4j.examples.structured.StructuredOutcome;
import org.rpg4j.examples.train.LayerStat;
import org.rpg4j.examples.train.TrainingHistory;
import org.rpg4j.examples.train.TrainingPlan;

/**
 * Everything written about one run.
 *
 * @param title one line, e.g. {@code small-cnn on fashion-mnist, rpg at 90 % sparsity}
 * @param commandLine the arguments the run was started with
 * @param options every option's effective value, by option name
 * @param data the data set
 * @param model the network
 * @param method command-line name of the method
 * @param methodDescription what the method does
 * @param pruningConfigJson the rpg4j pruning configuration as JSON, or null for dense training
 * @param pruningReportJson the pruner's final report as JSON, or null
 * @param plan the training plan
 * @param history what training measured
 * @param finalLayers per-layer sparsity and rank of the final model
 * @param spectra singular values (descending) of a few layers of the final model, by layer name
 * @param wallSeconds wall time of the whole run (data loading to saved results)
 * @param machine where it ran
 * @param sparseExport the sparse model file written with {@code --export-sparse}, or null
 * @param compaction size and inference speed before and after the network was shrunk (dead channels
 *     removed, or the structured method's channels), or null
 * @param structured what a structured method did and measured, or null for the other methods
 */
public record RunRecord(String title, List<String> commandLine, Map<String, Object> options, DataInfo data,
                        ModelInfo model, String method, String methodDescription, String pruningConfigJson,
                        String pruningReportJson, TrainingPlan plan, TrainingHistory history,
                        List<LayerStat> finalLayers, Map<String, double[]> spectra, double wallSeconds,
                        MachineInfo machine, SparseExportResult sparseExport, Compaction compaction,
                        StructuredOutcome structured) {
    /**
     * The data set of a run.
     *
     * @param name name shown in outputs (e.g. {@code synthetic-28x28x1} for the fallback)
     * @param source where it came from
     * @param synthetic true for the built-in synthetic data
     * @param trainImages training images used
     * @param testImages test images used
     * @param augmentation training augmentation
     * @param normalization per-channel statistics
     */
    public record DataInfo(String name, String source, boolean synthetic, int trainImages, int testImages,
                           String augmentation, String normalization) {}

    /**
     * The network of a run.
     *
     * @param name command-line name, e.g. {@code resnet32}
     * @param description e.g. {@code ResNet-32 x2, option-A shortcuts}
     * @param layers layer implementation ({@code standard} or {@code fast})
     * @param totalParameters DL4J's parameter count (with batch-norm running statistics)
     * @param trainableParameters parameters as papers count them
     * @param prunableParameters weights of convolution and dense layers
     */
    public record ModelInfo(String name, String description, String layers, long totalParameters,
                            long trainableParameters, long prunableParameters) {}
}
