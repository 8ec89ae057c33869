package org.rpg4j.examples.models;

/** Argument checks with messages naming the parameter, the value and what is allowed. */
final class Checks {
    private Checks() {}

    static int positive(String parameter, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(parameter + " must be >= 1, got " + value);
        }
        return value;
    }

    static void convolution(int nIn, int nOut, int kernel, int stride) {
        positive("nIn", nIn);
        positive("nOut", nOut);
        positive("stride", stride);
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("kernel must be odd and >= 1, got " + kernel);
        }
    }
}
