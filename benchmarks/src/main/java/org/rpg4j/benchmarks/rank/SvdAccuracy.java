package org.rpg4j.benchmarks.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accuracy of every {@link SpectrumMethod} against the full double-precision SVD, on the same seeded
 * matrices as {@link SvdBenchmark}: the chosen {@code k} must be equal and the loss {@code
 * ||Mhat - P_k Mhat||_F^2} within {@link #TOLERANCE}.
 *
 * <p>Prints one line per shape and method ({@code shape method k kRef loss lossRef |dLoss| PASS/FAIL})
 * and a final {@code accuracy: n of m pass}. Arguments: optional shapes ({@code 64x576 512x4608}),
 * default all of {@link SvdBenchmark}'s; methods from the system property {@code methods}
 * (comma-separated), default all.
 */
public final class SvdAccuracy {

    /** The requirement: k and loss agree with the full SVD to 1e-5. */
    static final double TOLERANCE = 1e-5;

    private SvdAccuracy() {
    }

    public static void main(String[] args) {
        List<String> shapes = args.length > 0 ? List.of(args) : defaultShapes();
        String methodList = System.getProperty("methods");
        List<SpectrumMethod> methods = methodList == null ? List.of(SpectrumMethod.values())
                : java.util.Arrays.stream(methodList.split(",")).map(SpectrumMethod::valueOf).toList();
        int pass = 0;
        int total = 0;
        System.out.printf(Locale.ROOT, "%-10s %-18s %6s %6s %12s %12s %9s %s%n", "shape", "method", "k", "kRef",
                "loss", "lossRef", "|dLoss|", "result");
        for (String shape : shapes) {
            INDArray matrix = SvdBenchmark.matrixOf(shape);
            TruncationCheck ref = TruncationCheck.reference(matrix, SvdBenchmark.PARTIAL_K);
            for (SpectrumMethod method : methods) {
                TruncationCheck c = TruncationCheck.of(matrix, method.decompose(matrix, ref.k()),
                        SvdBenchmark.PARTIAL_K);
                double delta = Math.abs(c.loss() - ref.loss());
                boolean ok = c.k() == ref.k() && delta <= TOLERANCE;
                pass += ok ? 1 : 0;
                total++;
                System.out.printf(Locale.ROOT, "%-10s %-18s %6d %6d %12.9f %12.9f %9.2e %s%n", shape, method, c.k(),
                        ref.k(), c.loss(), ref.loss(), delta, ok ? "PASS" : "FAIL");
            }
        }
        System.out.printf(Locale.ROOT, "accuracy: %d of %d pass (k equal, |dLoss| <= %.0e)%n", pass, total,
                TOLERANCE);
    }

    private static List<String> defaultShapes() {
        try {
            String[] values = SvdBenchmark.class.getField("shape").getAnnotation(
                    org.openjdk.jmh.annotations.Param.class).value();
            return new ArrayList<>(List.of(values));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("SvdBenchmark has no field 'shape'", e);
        }
    }
}
