package org.rpg4j.mask;

/** Argument checks shared by the mask package; messages name the parameter, the value and what is allowed. */
final class Checks {
    private Checks() {
    }

    static void sparsity(String name, double sparsity) {
        if (!(sparsity >= 0.0 && sparsity < 1.0)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + sparsity);
        }
    }

    static void density(String name, double density) {
        if (!(density > 0.0 && density <= 1.0)) {
            throw new IllegalArgumentException(name + " must be in (0, 1], got " + density);
        }
    }

    /** Checks a non-empty tensor list with no null entry. */
    static void tensors(String name, float[][] tensors) {
        if (tensors == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (tensors.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one tensor, got none");
        }
        for (int t = 0; t < tensors.length; t++) {
            if (tensors[t] == null || tensors[t].length == 0) {
                throw new IllegalArgumentException(name + "[" + t + "] must hold at least one value, got "
                        + (tensors[t] == null ? "null" : "an empty array"));
            }
        }
    }

    /** Checks a nullable per-tensor mask list against the tensors' lengths. */
    static void masksFit(String name, boolean[][] masks, float[][] tensors) {
        if (masks == null) {
            return;
        }
        if (masks.length != tensors.length) {
            throw new IllegalArgumentException(name + " must hold one mask per tensor (" + tensors.length
                    + "), got " + masks.length);
        }
        for (int t = 0; t < masks.length; t++) {
            if (masks[t] == null || masks[t].length != tensors[t].length) {
                throw new IllegalArgumentException(name + "[" + t + "] must have length " + tensors[t].length
                        + ", got " + (masks[t] == null ? "null" : String.valueOf(masks[t].length)));
            }
        }
    }

    /** Checks nullable caps: one per tensor, each in [0, 1] (1.0 = uncapped). */
    static void caps(double[] maxSparsity, int tensors) {
        if (maxSparsity == null) {
            return;
        }
        if (maxSparsity.length != tensors) {
            throw new IllegalArgumentException("maxSparsity must hold one cap per tensor (" + tensors + "), got "
                    + maxSparsity.length);
        }
        for (int t = 0; t < maxSparsity.length; t++) {
            if (!(maxSparsity[t] >= 0.0 && maxSparsity[t] <= 1.0)) {
                throw new IllegalArgumentException("maxSparsity[" + t + "] must be in [0, 1] (1.0 = uncapped), got "
                        + maxSparsity[t]);
            }
        }
    }

    /** Checks nullable shapes: one per tensor, positive dimensions whose product is the tensor length. */
    static void shapesFit(long[][] shapes, float[][] tensors) {
        if (shapes == null) {
            return;
        }
        if (shapes.length != tensors.length) {
            throw new IllegalArgumentException("shapes must hold one shape per tensor (" + tensors.length + "), got "
                    + shapes.length);
        }
        for (int t = 0; t < shapes.length; t++) {
            long n = size("shapes[" + t + "]", shapes[t]);
            if (n != tensors[t].length) {
                throw new IllegalArgumentException("shapes[" + t + "] must describe " + tensors[t].length
                        + " elements, got " + java.util.Arrays.toString(shapes[t]) + " (" + n + " elements)");
            }
        }
    }

    /** @return the product of the dimensions, each of which must be >= 1 */
    static long size(String name, long[] shape) {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException(name + " must have at least one dimension, got "
                    + (shape == null ? "null" : "[]"));
        }
        long n = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException(name + " must have dimensions >= 1, got "
                        + java.util.Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
