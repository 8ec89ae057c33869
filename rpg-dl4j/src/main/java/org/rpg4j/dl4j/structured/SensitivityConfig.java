package org.rpg4j.dl4j.structured;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.rpg4j.structured.FilterNorm;

/**
 * What a {@link SensitivityAnalysis} measures: the ladder of pruning ratios tried on each channel
 * group alone, the criterion that ranks the group's channels, how many evaluation batches each point
 * reads, and optionally which groups (by producing layer) to analyse. Immutable; build with
 * {@link #builder(int)}.
 *
 * <pre>{@code
 * SensitivityConfig c = SensitivityConfig.builder(10).ratios(0.1, 0.3, 0.5, 0.7, 0.9).criterion("l2-filter").build();
 * }</pre>
 */
public final class SensitivityConfig {
    /** Li et al.'s ladder: 0.1, 0.2, ..., 0.9. */
    private static final double[] DEFAULT_RATIOS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private final double[] ratios;
    private final String criterion;
    private final int maxBatches;
    private final Set<String> layers;

    private SensitivityConfig(Builder b) {
        this.ratios = b.ratios.clone();
        this.criterion = b.criterion;
        this.maxBatches = b.maxBatches;
        this.layers = Set.copyOf(b.layers);
    }

    /**
     * @param maxBatches evaluation batches read per point (and for the unpruned baseline), {@code >= 1}
     * @return a builder with the default ratios 0.1..0.9, criterion {@code l1-filter} and every group
     * @throws IllegalArgumentException if {@code maxBatches < 1}
     */
    public static Builder builder(int maxBatches) {
        if (maxBatches < 1) {
            throw new IllegalArgumentException("maxBatches must be >= 1, got " + maxBatches);
        }
        return new Builder(maxBatches);
    }

    /** @return the pruning ratios, ascending, each in [0, 1) (a copy) */
    public double[] ratios() {
        return ratios.clone();
    }

    /** @return the criterion name (see {@link Criteria#byName(String)}) */
    public String criterion() {
        return criterion;
    }

    /** @return evaluation batches per point, {@code >= 1} */
    public int maxBatches() {
        return maxBatches;
    }

    /** @return producing layers whose groups are analysed; empty means every unlocked group */
    public Set<String> layers() {
        return layers;
    }

    @Override
    public String toString() {
        return "SensitivityConfig{ratios=" + Arrays.toString(ratios) + ", criterion=" + criterion + ", maxBatches="
                + maxBatches + ", layers=" + layers + "}";
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private final int maxBatches;
        private double[] ratios = DEFAULT_RATIOS;
        private String criterion = FilterNorm.NAME;
        private Set<String> layers = Set.of();

        private Builder(int maxBatches) {
            this.maxBatches = maxBatches;
        }

        /**
         * @param values pruning ratios (fraction of a group's channels removed), strictly ascending, each in
         *     [0, 1); 0 measures the unpruned network through the same path
         * @return this builder
         * @throws IllegalArgumentException if empty, not strictly ascending, or a value is outside [0, 1)
         */
        public Builder ratios(double... values) {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("ratios must hold at least one value in [0, 1)");
            }
            for (int i = 0; i < values.length; i++) {
                if (!(values[i] >= 0 && values[i] < 1)) {
                    throw new IllegalArgumentException("ratio must be in [0, 1), got " + values[i]);
                }
                if (i > 0 && values[i] <= values[i - 1]) {
                    throw new IllegalArgumentException("ratios must be strictly ascending, got "
                            + Arrays.toString(values));
                }
            }
            this.ratios = values.clone();
            return this;
        }

        /**
         * @param name a criterion name; only the filter norms ({@code l1-filter}, {@code l2-filter}) and
         *     {@code slimming} read nothing but the weights
         * @return this builder
         * @throws IllegalArgumentException if no criterion has that name
         */
        public Builder criterion(String name) {
            Criteria.byName(name);
            this.criterion = name;
            return this;
        }

        /**
         * @param names producing layers whose groups to analyse (checked against the network when the
         *     analysis runs)
         * @return this builder
         * @throws IllegalArgumentException if {@code names} is null or holds null
         */
        public Builder layers(List<String> names) {
            if (names == null || names.stream().anyMatch(java.util.Objects::isNull)) {
                throw new IllegalArgumentException("layers must be a list of layer names, got " + names);
            }
            this.layers = new LinkedHashSet<>(names);
            return this;
        }

        /** @return the configuration */
        public SensitivityConfig build() {
            return new SensitivityConfig(this);
        }
    }
}
