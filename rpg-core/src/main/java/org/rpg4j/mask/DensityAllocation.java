package org.rpg4j.mask;

/**
 * Per-tensor densities for the UNIFORM and ERK budgets, with optional caps (a cap {@code c} is a
 * density floor {@code 1 - c}).
 */
final class DensityAllocation {
    private DensityAllocation() {
    }

    /**
     * Uniform: every tensor gets {@code density}. Tensors whose floor is higher are fixed at their
     * floor and the others share what is left, {@code d = (D*N - sum_fixed floor_l*N_l) / N_free}
     * (not below 0), repeated until no free tensor is below its floor. Without binding caps every
     * density is exactly {@code density}.
     */
    static double[] uniform(long[] sizes, double density, double[] floors) {
        int layers = sizes.length;
        double[] result = new double[layers];
        boolean[] fixed = new boolean[layers];
        double d = density;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int l = 0; l < layers; l++) {
                if (!fixed[l] && floors[l] > d) {
                    fixed[l] = true;
                    changed = true;
                }
            }
            if (changed) {
                d = shareOfRest(sizes, density, floors, fixed);
            }
        }
        for (int l = 0; l < layers; l++) {
            result[l] = fixed[l] ? floors[l] : d;
        }
        return result;
    }

    private static double shareOfRest(long[] sizes, double density, double[] floors, boolean[] fixed) {
        double total = 0;
        double fixedOnes = 0;
        double free = 0;
        for (int l = 0; l < sizes.length; l++) {
            total += sizes[l];
            if (fixed[l]) {
                fixedOnes += floors[l] * sizes[l];
            } else {
                free += sizes[l];
            }
        }
        return free == 0 ? 0.0 : Math.max(0.0, (density * total - fixedOnes) / free);
    }

    /**
     * Erdős–Rényi-Kernel, with the arithmetic of the reference {@code get_erdos_renyi_dist}
     * ({@code is_kernel=True}, power scale 1, no forced-dense layers): raw score
     * {@code sum(shape) / prod(shape)}; {@code rhs = sum_free int(N_l*D) - sum_dense int(N_l*(1-D))};
     * {@code eps = rhs / sum_free(raw_l * N_l)}; while {@code max_free(raw) * eps > 1} every free
     * tensor with the maximal raw score is made dense. rpg4j's extension for caps: a free tensor with
     * {@code eps * raw_l} below its floor {@code q_l} is fixed at it, contributing
     * {@code -(q_l*N_l - int(N_l*D))} to {@code rhs}; the loop repeats until nothing moves.
     */
    static double[] erk(long[][] shapes, double density, double[] floors) {
        int layers = shapes.length;
        double[] result = new double[layers];
        if (density == 1.0) {
            java.util.Arrays.fill(result, 1.0);
            return result;
        }
        double[] raw = new double[layers];
        long[] sizes = new long[layers];
        for (int l = 0; l < layers; l++) {
            long sum = 0;
            for (long d : shapes[l]) {
                sum += d;
            }
            sizes[l] = Checks.size("shapes[" + l + "]", shapes[l]);
            raw[l] = (double) sum / (double) sizes[l];
        }
        boolean[] dense = new boolean[layers];
        boolean[] floored = new boolean[layers];
        double eps;
        while (true) {
            eps = epsilon(sizes, raw, density, floors, dense, floored);
            if (Double.isNaN(eps)) {
                break;
            }
            if (densifyLargest(raw, eps, dense, floored) || raiseToFloors(raw, eps, floors, dense, floored)) {
                continue;
            }
            break;
        }
        for (int l = 0; l < layers; l++) {
            result[l] = dense[l] ? 1.0 : floored[l] ? floors[l] : eps * raw[l];
        }
        return result;
    }

    /** @return the ERK scale over the free tensors, NaN if no tensor is free */
    private static double epsilon(long[] sizes, double[] raw, double density, double[] floors, boolean[] dense,
                                  boolean[] floored) {
        double divisor = 0;
        double rhs = 0;
        boolean anyFree = false;
        for (int l = 0; l < sizes.length; l++) {
            long n = sizes[l];
            long zeros = (long) (n * (1 - density));
            long ones = (long) (n * density);
            if (dense[l]) {
                rhs -= zeros;
            } else if (floored[l]) {
                rhs -= floors[l] * n - ones;
            } else {
                rhs += ones;
                divisor += raw[l] * n;
                anyFree = true;
            }
        }
        return anyFree ? rhs / divisor : Double.NaN;
    }

    /** Makes every free tensor with the largest raw score dense if its density would exceed 1. */
    private static boolean densifyLargest(double[] raw, double eps, boolean[] dense, boolean[] floored) {
        double max = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < raw.length; l++) {
            if (!dense[l] && !floored[l]) {
                max = Math.max(max, raw[l]);
            }
        }
        if (!(max * eps > 1)) {
            return false;
        }
        for (int l = 0; l < raw.length; l++) {
            if (!dense[l] && !floored[l] && raw[l] == max) {
                dense[l] = true;
            }
        }
        return true;
    }

    private static boolean raiseToFloors(double[] raw, double eps, double[] floors, boolean[] dense,
                                         boolean[] floored) {
        boolean moved = false;
        for (int l = 0; l < raw.length; l++) {
            if (!dense[l] && !floored[l] && eps * raw[l] < floors[l]) {
                floored[l] = true;
                moved = true;
            }
        }
        return moved;
    }
}
