package org.rpg4j.mask;

import java.util.OptionalDouble;

/**
 * Magnitude pruning of a list of tensors to a global density under a {@link LayerBudget}.
 *
 * <ul>
 *   <li>{@link LayerBudget#GLOBAL}: {@link GlobalMagnitudeSelection} with sparsity
 *       {@code 1.0 - density} (exactly the reference's {@code 1. - remaining}).
 *   <li>{@link LayerBudget#UNIFORM} and {@link LayerBudget#ERK}: per-tensor densities
 *       {@code d_l} ({@link #layerDensities}), then in each tensor the
 *       {@code K_l = rint(d_l * N_l)} largest magnitudes (round half to even; ties to the lower
 *       flat index), raised if needed to the cap's floor {@code N_l - floor(maxSparsity[l] * N_l)}.
 * </ul>
 *
 * <p>Tensors are flat float arrays in C order of their logical shape; shapes are
 * {@code [out, in, kh, kw]} for convolutions and {@code [out, in]} (or {@code [in, out]}: ERK is
 * symmetric) for dense layers. Caps: {@code maxSparsity[l]} in [0, 1], 1.0 = uncapped, null = all
 * uncapped.
 */
public final class LayerBudgets {
    private LayerBudgets() {
    }

    /**
     * @param budget how the density is shared between tensors
     * @param weights one flat array per tensor; not modified
     * @param shapes one logical shape per tensor; may be null for GLOBAL and UNIFORM, required for ERK
     * @param density fraction of weights to keep over all tensors, in (0, 1]
     * @param maxSparsity null or one cap per tensor in [0, 1]
     * @return one fresh mask per tensor (same lengths as {@code weights}), true where kept
     * @throws IllegalArgumentException if an argument is null where not allowed, counts or lengths
     *     differ, a weight is NaN, or a value is out of range
     */
    public static boolean[][] keepMasks(LayerBudget budget, float[][] weights, long[][] shapes, double density,
                                        double[] maxSparsity) {
        return select(budget, weights, null, shapes, density, maxSparsity).masks();
    }

    /**
     * As {@link #keepMasks(LayerBudget, float[][], long[][], double, double[])} with int shapes.
     *
     * @param budget how the density is shared between tensors
     * @param weights one flat array per tensor (C order of its logical shape), not modified
     * @param shapes logical shape per tensor
     * @param density global density in (0, 1]
     * @param maxSparsity null or one cap per tensor in [0, 1] (1.0 = uncapped)
     * @return one keep mask per tensor, same lengths as {@code weights}
     */
    public static boolean[][] keepMasks(LayerBudget budget, float[][] weights, int[][] shapes, double density,
                                        double[] maxSparsity) {
        return keepMasks(budget, weights, toLong(shapes), density, maxSparsity);
    }

    /**
     * @param budget how the density is shared between tensors
     * @param weights one flat array per tensor; not modified
     * @param activeMasks null, or one mask per tensor: positions where it is false rank as
     *     {@code |w| = 0}; not modified
     * @param shapes as in {@link #keepMasks(LayerBudget, float[][], long[][], double, double[])}
     * @param density fraction of weights to keep, in (0, 1]
     * @param maxSparsity null or one cap per tensor in [0, 1]
     * @return masks, kept count, and (GLOBAL only) the magnitude threshold
     * @throws IllegalArgumentException as {@link #keepMasks(LayerBudget, float[][], long[][], double, double[])}
     */
    public static MaskSelection select(LayerBudget budget, float[][] weights, boolean[][] activeMasks,
                                       long[][] shapes, double density, double[] maxSparsity) {
        if (budget == null) {
            throw new IllegalArgumentException("budget must not be null, one of GLOBAL, UNIFORM, ERK");
        }
        Checks.tensors("weights", weights);
        Checks.masksFit("activeMasks", activeMasks, weights);
        Checks.density("density", density);
        Checks.caps(maxSparsity, weights.length);
        Checks.shapesFit(shapes, weights);
        if (budget == LayerBudget.GLOBAL) {
            return GlobalMagnitudeSelection.select(weights, activeMasks, 1.0 - density, maxSparsity);
        }
        long[][] effectiveShapes = shapes != null ? shapes : flatShapes(weights, budget);
        double[] densities = layerDensities(budget, effectiveShapes, density, maxSparsity);
        boolean[][] masks = new boolean[weights.length][];
        long kept = 0;
        for (int l = 0; l < weights.length; l++) {
            int n = weights[l].length;
            long floorKeep = maxSparsity == null ? 0 : n - (long) Math.floor(maxSparsity[l] * n);
            long k = Math.min(n, Math.max(floorKeep, (long) Math.rint(densities[l] * n)));
            masks[l] = new boolean[n];
            GlobalMagnitudeSelection.keepLargest(weights, activeMasks, l, k, masks[l]);
            kept += k;
        }
        return new MaskSelection(masks, kept, OptionalDouble.empty());
    }

    /**
     * Per-tensor densities of a per-layer budget.
     *
     * @param budget UNIFORM or ERK
     * @param shapes one logical shape per tensor, dimensions {@code >= 1}
     * @param density global density in (0, 1]
     * @param maxSparsity null or one cap per tensor in [0, 1]
     * @return one density in [0, 1] per tensor; parameter-weighted mean {@code density} unless caps
     *     make that impossible (ERK: up to the reference's per-tensor integer truncation)
     * @throws IllegalArgumentException for GLOBAL (its densities are an outcome of the threshold)
     *     or invalid arguments
     */
    public static double[] layerDensities(LayerBudget budget, long[][] shapes, double density,
                                          double[] maxSparsity) {
        if (budget == null || budget == LayerBudget.GLOBAL) {
            throw new IllegalArgumentException("budget must be UNIFORM or ERK (GLOBAL densities follow from the "
                    + "threshold), got " + budget);
        }
        checkShapes(shapes);
        Checks.density("density", density);
        Checks.caps(maxSparsity, shapes.length);
        double[] floors = new double[shapes.length];
        long[] sizes = new long[shapes.length];
        for (int l = 0; l < shapes.length; l++) {
            floors[l] = maxSparsity == null ? 0.0 : 1.0 - maxSparsity[l];
            sizes[l] = Checks.size("shapes[" + l + "]", shapes[l]);
        }
        return budget == LayerBudget.UNIFORM ? DensityAllocation.uniform(sizes, density, floors)
                : DensityAllocation.erk(shapes, density, floors);
    }

    /**
     * Erdős–Rényi-Kernel densities, with the reference's arithmetic ({@code get_erdos_renyi_dist},
     * power scale 1, no layer forced dense): density_l = {@code eps * sum(shape_l) / prod(shape_l)},
     * tensors whose density would exceed 1 made dense (all tensors with the largest raw score at
     * once, repeated).
     *
     * @param shapes one logical shape per tensor, dimensions {@code >= 1}
     * @param density global density in (0, 1]
     * @return one density in (0, 1] per tensor
     * @throws IllegalArgumentException if {@code shapes} is null, empty or malformed, or
     *     {@code density} is outside (0, 1]
     */
    public static double[] erkDensities(long[][] shapes, double density) {
        return layerDensities(LayerBudget.ERK, shapes, density, null);
    }

    /**
     * As {@link #erkDensities(long[][], double)} with per-tensor caps (see {@link #layerDensities}).
     *
     * @param shapes one logical shape per tensor, dimensions {@code >= 1}
     * @param density global density in (0, 1]
     * @param maxSparsity null or one cap per tensor in [0, 1] (1.0 = uncapped)
     * @return one density in (0, 1] per tensor
     */
    public static double[] erkDensities(long[][] shapes, double density, double[] maxSparsity) {
        return layerDensities(LayerBudget.ERK, shapes, density, maxSparsity);
    }

    private static void checkShapes(long[][] shapes) {
        if (shapes == null || shapes.length == 0) {
            throw new IllegalArgumentException("shapes must hold at least one shape, got "
                    + (shapes == null ? "null" : "none"));
        }
    }

    private static long[][] flatShapes(float[][] weights, LayerBudget budget) {
        if (budget == LayerBudget.ERK) {
            throw new IllegalArgumentException("shapes must not be null for the ERK budget: its densities depend "
                    + "on each tensor's shape");
        }
        long[][] shapes = new long[weights.length][];
        for (int l = 0; l < weights.length; l++) {
            shapes[l] = new long[] {weights[l].length};
        }
        return shapes;
    }

    private static long[][] toLong(int[][] shapes) {
        if (shapes == null) {
            return null;
        }
        long[][] result = new long[shapes.length][];
        for (int l = 0; l < shapes.length; l++) {
            if (shapes[l] == null) {
                throw new IllegalArgumentException("shapes[" + l + "] must not be null");
            }
            result[l] = java.util.Arrays.stream(shapes[l]).asLongStream().toArray();
        }
        return result;
    }
}
