package org.rpg4j.prune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Which layers are pruned, and how far (immutable; each method returns a modified copy).
 *
 * <p>A layer is pruned when it is supported by the adapter, matches an include rule (or there are
 * none: every supported layer is included) and matches no exclude rule. A per-layer maximum
 * sparsity caps layers whose name matches a regular expression; the first matching cap wins.
 */
public final class LayerSelection {
    private final List<LayerMatcher> includes;
    private final List<LayerMatcher> excludes;
    private final List<SparsityCap> caps;

    /**
     * A maximum sparsity for the layers whose name matches {@code nameRegex}.
     *
     * @param nameRegex regular expression over the whole layer name
     * @param maxSparsity in [0, 1]
     */
    public record SparsityCap(String nameRegex, double maxSparsity) {
        /**
         * Validates the components.
         *
         * @param nameRegex see {@link #nameRegex()}
         * @param maxSparsity see {@link #maxSparsity()}
         * @throws IllegalArgumentException if {@code nameRegex} is null, empty or invalid, or {@code maxSparsity}
         *     is outside [0, 1]
         */
        public SparsityCap {
            new LayerMatcher(LayerMatcher.By.REGEX, nameRegex);
            Checks.inClosedRange("maxSparsity", maxSparsity, 0.0, 1.0);
        }
    }

    private LayerSelection(List<LayerMatcher> includes, List<LayerMatcher> excludes, List<SparsityCap> caps) {
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.caps = List.copyOf(caps);
    }

    /**
     * Every supported layer, uncapped.
     *
     * @return a selection of every supported layer, uncapped
     */
    public static LayerSelection all() {
        return new LayerSelection(List.of(), List.of(), List.of());
    }

    /**
     * @param matcher the layers to include
     * @return a copy that also includes layers matched by {@code matcher}
     */
    public LayerSelection include(LayerMatcher matcher) {
        return new LayerSelection(append(includes, Checks.notNull("matcher", matcher)), excludes, caps);
    }

    /**
     * @param matcher the layers to exclude
     * @return a copy that also excludes layers matched by {@code matcher}
     */
    public LayerSelection exclude(LayerMatcher matcher) {
        return new LayerSelection(includes, append(excludes, Checks.notNull("matcher", matcher)), caps);
    }

    /**
     * @param types simple class names of layers, e.g. {@code "ConvolutionLayer"}
     * @return a copy including the layers of these simple class names, e.g. {@code "ConvolutionLayer"}
     */
    public LayerSelection includeTypes(String... types) {
        return addAll(true, LayerMatcher.By.TYPE, types);
    }

    /**
     * @param names exact layer names
     * @return a copy including the layers of these exact names
     */
    public LayerSelection includeNames(String... names) {
        return addAll(true, LayerMatcher.By.NAME, names);
    }

    /**
     * @param regex a regular expression over the whole layer name
     * @return a copy including the layers whose whole name matches {@code regex}
     */
    public LayerSelection includeMatching(String regex) {
        return addAll(true, LayerMatcher.By.REGEX, regex);
    }

    /**
     * @param types simple class names of layers
     * @return a copy excluding the layers of these simple class names
     */
    public LayerSelection excludeTypes(String... types) {
        return addAll(false, LayerMatcher.By.TYPE, types);
    }

    /**
     * @param names exact layer names
     * @return a copy excluding the layers of these exact names
     */
    public LayerSelection excludeNames(String... names) {
        return addAll(false, LayerMatcher.By.NAME, names);
    }

    /**
     * @param regex a regular expression over the whole layer name
     * @return a copy excluding the layers whose whole name matches {@code regex}
     */
    public LayerSelection excludeMatching(String regex) {
        return addAll(false, LayerMatcher.By.REGEX, regex);
    }

    /**
     * @param nameRegex regular expression over the whole layer name
     * @param maxSparsity in [0, 1]: the matching layers keep at least {@code 1 - maxSparsity} of their weights
     * @return a copy with this cap added
     */
    public LayerSelection maxSparsity(String nameRegex, double maxSparsity) {
        return new LayerSelection(includes, excludes, append(caps, new SparsityCap(nameRegex, maxSparsity)));
    }

    /**
     * @param layerName the layer's name
     * @param layerType the layer's simple class name
     * @return whether the layer is pruned (given that the adapter supports it)
     */
    public boolean selects(String layerName, String layerType) {
        boolean included = includes.isEmpty()
                || includes.stream().anyMatch(m -> m.matches(layerName, layerType));
        return included && excludes.stream().noneMatch(m -> m.matches(layerName, layerType));
    }

    /**
     * @param layerName the layer's name
     * @return the maximum sparsity of the named layer: the first matching cap, else 1.0
     */
    public double maxSparsity(String layerName) {
        for (SparsityCap cap : caps) {
            if (java.util.regex.Pattern.matches(cap.nameRegex(), layerName)) {
                return cap.maxSparsity();
            }
        }
        return 1.0;
    }

    /**
     * @return the inclusion matchers, in the order added (empty: every supported layer)
     */
    public List<LayerMatcher> includes() {
        return includes;
    }

    /**
     * @return the exclusion matchers, in the order added
     */
    public List<LayerMatcher> excludes() {
        return excludes;
    }

    /**
     * @return the sparsity caps, in the order added (the first match wins)
     */
    public List<SparsityCap> caps() {
        return caps;
    }

    private LayerSelection addAll(boolean include, LayerMatcher.By by, String... patterns) {
        Checks.notNull("patterns", patterns);
        LayerSelection result = this;
        for (String p : patterns) {
            LayerMatcher m = new LayerMatcher(by, p);
            result = include ? result.include(m) : result.exclude(m);
        }
        return result;
    }

    private static <T> List<T> append(List<T> list, T element) {
        List<T> copy = new ArrayList<>(list);
        copy.add(element);
        return Collections.unmodifiableList(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerSelection other && includes.equals(other.includes)
                && excludes.equals(other.excludes) && caps.equals(other.caps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(includes, excludes, caps);
    }

    @Override
    public String toString() {
        return "LayerSelection{include=" + (includes.isEmpty() ? "all" : includes) + ", exclude=" + excludes
                + ", caps=" + caps + "}";
    }
}
