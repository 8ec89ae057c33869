package org.rpg4j.examples.study;

import java.util.Locale;

/**
 * Mean and spread of a few values (one per seed).
 *
 * @param n number of values
 * @param mean their mean
 * @param std sample standard deviation ({@code n - 1} in the denominator), 0 for one value
 * @param min smallest value
 * @param max largest value
 */
public record Spread(int n, double mean, double std, double min, double max) {
    /**
     * @param values at least one value
     * @return their spread
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values must hold at least one value");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0.0;
        return new Spread(values.length, mean, std, min, max);
    }

    /**
     * @param pattern format of one number, e.g. {@code %.4f}
     * @return {@code mean} alone for one value, else {@code mean ± std (n)}
     */
    public String format(String pattern) {
        String m = String.format(Locale.ROOT, pattern, mean);
        return n == 1 ? m : m + " ± " + String.format(Locale.ROOT, pattern, std) + " (" + n + ")";
    }
}
