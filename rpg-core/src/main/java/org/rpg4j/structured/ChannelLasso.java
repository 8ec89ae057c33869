package org.rpg4j.structured;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Channel selection by LASSO regression, step one of Channel Pruning (He, Zhang and Sun, "Channel
 * Pruning for Accelerating Very Deep Neural Networks", ICCV 2017, eq. 3): the output of a layer is
 * the sum of its input channels' contributions, {@code Y = sum_c Z_c}; find channel coefficients
 * {@code beta} minimising {@code 1/2 ||Y - sum_c beta_c Z_c||^2 + lambda ||beta||_1}, raising
 * {@code lambda} until at most {@code keep} coefficients are non-zero.
 *
 * <p>Everything runs on the channels' Gram matrix {@code G[c][c'] = <Z_c, Z_c'>} (then
 * {@code <Z_c, Y> = sum_c' G[c][c']}): the objective is {@code 1/2 beta^T G beta - (G 1)^T beta +
 * lambda |beta|_1}, minimised by cyclic coordinate descent
 * {@code beta_c = S(r_c + G[c][c] beta_c, lambda) / G[c][c]} with the residual {@code r = G 1 - G beta}
 * kept up to date, warm-started along a bisection on {@code lambda}. The loops are over a
 * {@code C x C} primitive array (C = input channels, at most a few hundred).
 */
public final class ChannelLasso {
    private static final int BISECTION_STEPS = 40;
    private static final int MAX_SWEEPS = 500;
    private static final double CONVERGED = 1e-10;

    private ChannelLasso() {}

    /**
     * The chosen channels and the LASSO solution that chose them.
     *
     * @param keep per channel, whether it is kept; exactly {@code keep} are true
     * @param beta the LASSO coefficients at {@code lambda}
     * @param lambda the penalty at which at most {@code keep} coefficients are non-zero
     */
    public record Selection(boolean[] keep, double[] beta, double lambda) {}

    /**
     * @param gram {@code G [C, C]}, symmetric positive semi-definite; not modified
     * @param keep channels to keep, in {@code [1, C]}
     * @return the kept channels: the non-zero coefficients at the smallest {@code lambda} found
     *     (within {@value #BISECTION_STEPS} bisection steps) with at most {@code keep} of them, filled
     *     up to exactly {@code keep} by largest {@code |beta|}, then largest {@code G[c][c]}
     * @throws IllegalArgumentException if {@code gram} is not square, not finite, or {@code keep} is out of range
     */
    public static Selection select(INDArray gram, int keep) {
        if (gram == null || gram.rank() != 2 || gram.rows() != gram.columns()) {
            throw new IllegalArgumentException("gram must be a square [C, C] matrix, got "
                    + (gram == null ? "null" : Arrays.toString(gram.shape())));
        }
        int n = gram.rows();
        if (keep < 1 || keep > n) {
            throw new IllegalArgumentException("keep must be in [1, " + n + "], got " + keep);
        }
        double[] g = gram.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                target[i] += g[i * n + j];
            }
            if (!Double.isFinite(target[i])) {
                throw new IllegalArgumentException("gram must be finite; row " + i + " is not");
            }
        }
        double[] beta = new double[n];
        Arrays.fill(beta, 1.0);
        double low = 0;
        double high = Arrays.stream(target).map(Math::abs).max().orElse(0) + 1e-12;
        double[] best = beta.clone();
        double bestLambda = 0;
        if (nonZero(solve(g, target, beta, 0)) > keep) {
            best = new double[n];
            bestLambda = high;
            for (int step = 0; step < BISECTION_STEPS; step++) {
                double mid = 0.5 * (low + high);
                int count = nonZero(solve(g, target, beta, mid));
                if (count <= keep) {
                    high = mid;
                    best = beta.clone();
                    bestLambda = mid;
                } else {
                    low = mid;
                }
            }
        }
        return new Selection(largest(best, g, n, keep), best, bestLambda);
    }

    /** Coordinate descent from the given start; {@code beta} is updated in place and returned. */
    static double[] solve(double[] g, double[] target, double[] beta, double lambda) {
        int n = target.length;
        double[] residual = target.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                residual[i] -= g[i * n + j] * beta[j];
            }
        }
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, g[i * n + i]);
        }
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double largestChange = 0;
            for (int c = 0; c < n; c++) {
                double diag = g[c * n + c];
                double next = diag > 0 ? softThreshold(residual[c] + diag * beta[c], lambda) / diag : 0;
                double delta = next - beta[c];
                if (delta != 0) {
                    beta[c] = next;
                    // r = G 1 - G beta: moving beta_c by delta moves r by -delta * G[:, c]
                    for (int i = 0; i < n; i++) {
                        residual[i] -= delta * g[i * n + c];
                    }
                    largestChange = Math.max(largestChange, Math.abs(delta) * diag);
                }
            }
            if (largestChange <= CONVERGED * Math.max(scale, Double.MIN_NORMAL)) {
                break;
            }
        }
        return beta;
    }

    private static double softThreshold(double x, double lambda) {
        return Math.signum(x) * Math.max(Math.abs(x) - lambda, 0);
    }

    private static int nonZero(double[] beta) {
        int count = 0;
        for (double b : beta) {
            count += b != 0 ? 1 : 0;
        }
        return count;
    }

    /** The {@code keep} channels of largest |beta| (ties: larger diagonal, then lower index). */
    private static boolean[] largest(double[] beta, double[] g, int n, int keep) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byBeta = Double.compare(Math.abs(beta[b]), Math.abs(beta[a]));
            return byBeta != 0 ? byBeta : Double.compare(g[b * n + b], g[a * n + a]);
        });
        boolean[] kept = new boolean[n];
        for (int i = 0; i < keep; i++) {
            kept[order[i]] = true;
        }
        return kept;
    }
}
