package org.rpg4j.examples.distill;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.rpg4j.dl4j.distill.Distillation;
import org.rpg4j.dl4j.distill.DistillationConfig;
import picocli.CommandLine.Option;

/**
 * Distillation from a teacher model: a picocli mixin of the examples' options. Without
 * {@code --teacher} nothing changes; with it, the network trains against
 * {@code hardness * CE(labels) + (1 - hardness) * T^2 * KL(teacher || student)} at temperature
 * {@code T} (rpg4j's {@link DistillationConfig} states the convention and the defaults' sources).
 * Fields are public and mutable for picocli.
 */
public final class DistillationOptions {
    /** The teacher's model zip; null = no distillation. */
    @Option(names = "--teacher", paramLabel = "ZIP",
            description = "distil from this teacher: a model.zip written by an earlier run (e.g. the dense run's) "
                    + "with the same number of classes and input shape (default: no distillation)")
    public Path teacher;

    /** The temperature; null = the default. */
    @Option(names = "--temperature", paramLabel = "T",
            description = "distillation temperature > 0, with --teacher (default: 4, within the 2-20 of Hinton et al.)")
    public Double temperature;

    /** The weight of the hard labels; null = the default. */
    @Option(names = "--hardness", paramLabel = "H",
            description = "weight of the hard labels' cross-entropy in [0, 1], the teacher's weight being 1 - H, with "
                    + "--teacher (default: 0.5, SparseML's default)")
    public Double hardness;

    /**
     * @return the distillation settings, or empty without {@code --teacher}
     * @throws IllegalArgumentException naming the option if a value is invalid or given without
     *     {@code --teacher}
     */
    public Optional<DistillationConfig> config() {
        if (teacher == null) {
            if (temperature != null || hardness != null) {
                throw new IllegalArgumentException((temperature != null ? "--temperature" : "--hardness")
                        + " needs --teacher ZIP (the model to distil from)");
            }
            return Optional.empty();
        }
        double t = temperature == null ? DistillationConfig.DEFAULT_TEMPERATURE : temperature;
        double h = hardness == null ? DistillationConfig.DEFAULT_HARDNESS : hardness;
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--temperature must be finite and > 0, "
                    + "got %s", t));
        }
        if (!(h >= 0 && h <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--hardness must be in [0, 1], got %s", h));
        }
        return Optional.of(new DistillationConfig(t, h));
    }

    /**
     * Loads the teacher and attaches distillation to the student, when {@code --teacher} is given.
     *
     * @param student the network to train; its output loss is replaced (see {@link Distillation})
     * @return the attached distillation, or empty without {@code --teacher}
     * @throws IOException if the teacher zip cannot be read as a DL4J ComputationGraph
     * @throws IllegalArgumentException naming the option if a value is invalid or the teacher does not
     *     fit the student
     */
    public Optional<Distillation> attach(ComputationGraph student) throws IOException {
        Optional<DistillationConfig> config = config();
        if (config.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(teacher)) {
            throw new IllegalArgumentException("--teacher must name a model zip, got " + teacher + " (no such file)");
        }
        ComputationGraph model;
        try {
            model = ModelSerializer.restoreComputationGraph(teacher.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IOException("--teacher " + teacher + " is not a DL4J ComputationGraph zip: " + e.getMessage(), e);
        }
        try {
            return Optional.of(Distillation.attach(student, model, config.get()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--teacher " + teacher + ": " + e.getMessage(), e);
        }
    }

    /** @return {@code teacher}, {@code temperature} and {@code hardness} as used (nulls without a teacher) */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("teacher", teacher == null ? null : teacher.toString());
        m.put("temperature", teacher == null ? null
                : temperature == null ? DistillationConfig.DEFAULT_TEMPERATURE : temperature);
        m.put("hardness", teacher == null ? null : hardness == null ? DistillationConfig.DEFAULT_HARDNESS : hardness);
        return m;
    }
}
