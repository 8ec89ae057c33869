package org.rpg4j.prune;

/**
 * Argument checks whose messages name the parameter, the value and what is allowed. The parameter
 * is named as a setting of {@link PruningConfigException}, so that a front end can rename it.
 */
final class Checks {
    private Checks() {}

    static double inClosedRange(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new PruningConfigException("{" + name + "} must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static double inHalfOpenRange(String name, double value, double min, double maxExclusive) {
        if (!(value >= min && value < maxExclusive)) {
            throw new PruningConfigException("{" + name + "} must be in [" + min + ", " + maxExclusive + "), got "
                    + value);
        }
        return value;
    }

    static double nonNegativeFinite(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new PruningConfigException("{" + name + "} must be finite and >= 0, got " + value);
        }
        return value;
    }

    static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new PruningConfigException("{" + name + "} must be >= " + min + ", got " + value);
        }
        return value;
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new PruningConfigException("{" + name + "} must not be null");
        }
        return value;
    }
}
