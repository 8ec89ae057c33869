package org.rpg4j.dl4j.structured;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rpg4j.structured.FilterNorm;

/**
 * One structured pruning run, immutable: the fraction of channels to remove from each prunable
 * group, the criterion that ranks them, per-layer exceptions, and the input shape used to count
 * multiply-adds. Build with {@link #builder(double)}; {@link #toJson()} and {@link #fromJson(String)}
 * round-trip it.
 *
 * <p>Layer names refer to the layers that produce a group's channels
 * ({@link org.rpg4j.structured.ChannelGroup#producers()}): a group is excluded, or gets an overriding
 * sparsity, if any of its producers is named.
 */
public final class StructuredConfig {
    private final double channelSparsity;
    private final String criterion;
    private final Set<String> excludedLayers;
    private final Map<String, Double> layerSparsity;
    private final int[] inputShape;
    private final RankingScope scope;
    private final int channelMultiple;

    private StructuredConfig(Builder b) {
        this.scope = b.scope;
        this.channelMultiple = b.channelMultiple;
        this.channelSparsity = b.channelSparsity;
        this.criterion = b.criterion;
        this.excludedLayers = Set.copyOf(b.excludedLayers);
        this.layerSparsity = Map.copyOf(b.layerSparsity);
        this.inputShape = b.inputShape == null ? null : b.inputShape.clone();
    }

    /**
     * @param channelSparsity fraction of each prunable group's channels to remove, in [0, 1)
     * @return a builder with the {@link FilterNorm} criterion, nothing excluded, no input shape
     * @throws IllegalArgumentException if {@code channelSparsity} is outside [0, 1)
     */
    public static Builder builder(double channelSparsity) {
        return new Builder(sparsity("channelSparsity", channelSparsity));
    }

    static double sparsity(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /** @return fraction of each prunable group's channels to remove, in [0, 1) */
    public double channelSparsity() {
        return channelSparsity;
    }

    /** @return the criterion's name (see {@link Criteria}) */
    public String criterion() {
        return criterion;
    }

    /** @return producer layer names whose groups are never pruned */
    public Set<String> excludedLayers() {
        return excludedLayers;
    }

    /** @return per producer layer name, the sparsity that replaces {@link #channelSparsity()} for its group */
    public Map<String, Double> layerSparsity() {
        return layerSparsity;
    }

    /** @return the network input as {@code [channels, height, width]}, if given (needed for multiply-add counts) */
    public Optional<int[]> inputShape() {
        return Optional.ofNullable(inputShape).map(int[]::clone);
    }

    /** @return where channels compete for removal (default {@link RankingScope#PER_GROUP}) */
    public RankingScope scope() {
        return scope;
    }

    /**
     * @return the kept channel count of each pruned group is rounded up to a multiple of this (or to the
     *     group's size), {@code >= 1}; 1 (the default) rounds nothing
     */
    public int channelMultiple() {
        return channelMultiple;
    }

    /** @return this configuration as JSON (a flat object mirroring the builder) */
    public String toJson() {
        return StructuredConfigJson.write(this);
    }

    /**
     * @param json text written by {@link #toJson()}
     * @return the configuration
     * @throws IllegalArgumentException if the text is not such a configuration or a value is invalid
     */
    public static StructuredConfig fromJson(String json) {
        return StructuredConfigJson.read(json);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructuredConfig c && c.channelSparsity == channelSparsity && c.criterion.equals(criterion)
                && c.excludedLayers.equals(excludedLayers) && c.layerSparsity.equals(layerSparsity)
                && Arrays.equals(c.inputShape, inputShape) && c.scope == scope
                && c.channelMultiple == channelMultiple;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(channelSparsity) * 31 + criterion.hashCode() + excludedLayers.hashCode() * 7;
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Builder of {@link StructuredConfig}; every setter validates its value. */
    public static final class Builder {
        private final double channelSparsity;
        private String criterion = FilterNorm.NAME;
        private final Set<String> excludedLayers = new TreeSet<>();
        private final Map<String, Double> layerSparsity = new TreeMap<>();
        private int[] inputShape;
        private RankingScope scope = RankingScope.PER_GROUP;
        private int channelMultiple = 1;

        private Builder(double channelSparsity) {
            this.channelSparsity = channelSparsity;
        }

        /**
         * @param name a criterion name known to {@link Criteria} (default {@code "l1-filter"})
         * @return this builder
         * @throws IllegalArgumentException if no criterion has that name
         */
        public Builder criterion(String name) {
            Criteria.byName(name);
            this.criterion = name;
            return this;
        }

        /**
         * Adds layers whose channel groups are never pruned (calls accumulate).
         *
         * @param layers names of producing layers; each non-blank
         * @return this builder, with the groups produced by these layers never pruned
         * @throws IllegalArgumentException if a name is null or blank
         */
        public Builder exclude(String... layers) {
            for (String l : layers) {
                if (l == null || l.isBlank()) {
                    throw new IllegalArgumentException("excluded layer names must not be blank, got '" + l + "'");
                }
                excludedLayers.add(l);
            }
            return this;
        }

        /**
         * @param layer a producer layer name
         * @param sparsity its group's sparsity, in [0, 1)
         * @return this builder
         */
        public Builder layerSparsity(String layer, double sparsity) {
            if (layer == null || layer.isBlank()) {
                throw new IllegalArgumentException("layer must not be blank, got '" + layer + "'");
            }
            layerSparsity.put(layer, sparsity("sparsity of layer '" + layer + "'", sparsity));
            return this;
        }

        /**
         * @param channels input channels, {@code >= 1}
         * @param height input height, {@code >= 1}
         * @param width input width, {@code >= 1}
         * @return this builder
         */
        public Builder inputShape(int channels, int height, int width) {
            if (channels < 1 || height < 1 || width < 1) {
                throw new IllegalArgumentException("inputShape must be >= 1 in every dimension, got ["
                        + channels + ", " + height + ", " + width + "]");
            }
            this.inputShape = new int[] {channels, height, width};
            return this;
        }

        /**
         * @param scope where channels compete for removal
         * @return this builder
         * @throws IllegalArgumentException if {@code scope} is null
         */
        public Builder scope(RankingScope scope) {
            if (scope == null) {
                throw new IllegalArgumentException("scope must be one of " + Arrays.toString(RankingScope.values())
                        + ", got null");
            }
            this.scope = scope;
            return this;
        }

        /**
         * Rounds each pruned group's kept channel count up to a multiple of {@code multiple} (never above
         * the group's size), putting back the best-scored removed channels: oneDNN's blocked layouts
         * work on 8 or 16 channels at a time, so 8 usually turns a channel reduction into a time
         * reduction more faithfully (see docs/structured.md).
         *
         * @param multiple {@code >= 1}; 1 rounds nothing
         * @return this builder
         * @throws IllegalArgumentException if {@code multiple < 1}
         */
        public Builder channelMultiple(int multiple) {
            if (multiple < 1) {
                throw new IllegalArgumentException("channelMultiple must be >= 1, got " + multiple);
            }
            this.channelMultiple = multiple;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException if the scope is {@link RankingScope#GLOBAL} and per-layer
         *     sparsities are set
         */
        public StructuredConfig build() {
            if (scope == RankingScope.GLOBAL && !layerSparsity.isEmpty()) {
                throw new IllegalArgumentException("layerSparsity " + layerSparsity
                        + " is not allowed with scope GLOBAL (one ranking for all layers); use PER_GROUP");
            }
            return new StructuredConfig(this);
        }
    }
}
