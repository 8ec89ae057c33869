package org.rpg4j.prune;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Matches a layer by its type (simple class name, exact), its name (exact) or a regular expression
 * over its name (whole-name match).
 *
 * @param by what the pattern is compared with
 * @param pattern the type, name or regular expression
 */
public record LayerMatcher(By by, String pattern) {
    /** What a {@link LayerMatcher} compares. */
    public enum By {
        /** The layer's simple class name, e.g. {@code ConvolutionLayer}. */
        TYPE,
        /** The layer's name, exactly. */
        NAME,
        /** A regular expression that must match the whole layer name. */
        REGEX
    }

    /**
     * Validates the components.
     *
     * @param by see {@link #by()}
     * @param pattern see {@link #pattern()}
     * @throws IllegalArgumentException if a component is null, the pattern is empty or not a valid regular expression
     */
    public LayerMatcher {
        Checks.notNull("by", by);
        Checks.notNull("pattern", pattern);
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("pattern must not be empty (matching by " + by + ")");
        }
        if (by == By.REGEX) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pattern must be a valid regular expression, got '" + pattern
                        + "': " + e.getDescription(), e);
            }
        }
    }

    /**
     * @param layerName the layer's name
     * @param layerType the layer's simple class name
     * @return whether this matcher selects the layer
     */
    public boolean matches(String layerName, String layerType) {
        return switch (by) {
            case TYPE -> pattern.equals(layerType);
            case NAME -> pattern.equals(layerName);
            case REGEX -> Pattern.matches(pattern, layerName);
        };
    }

    @Override
    public String toString() {
        return by.name().toLowerCase(java.util.Locale.ROOT) + ":" + pattern;
    }
}
