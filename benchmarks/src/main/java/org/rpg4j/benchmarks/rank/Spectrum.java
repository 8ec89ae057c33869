package org.rpg4j.benchmarks.rank;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one decomposition of a matrix {@code A = [rows, cols]} gives the rank loss: squared
 * singular values (all of them, or the top {@code r} for a randomized method) and, unless the
 * method computes values only, the matching singular vectors of the smaller side.
 *
 * @param energies {@code sigma_i^2} of {@code A} in the solver's order (ascending for LAPACK
 *     eigensolvers, descending for LAPACK SVDs, unordered for EJML), one per column of {@code vectors}
 * @param vectors {@code [side, >= energies.length]}, orthonormal columns: left singular vectors when
 *     {@code leftSide}, right ones otherwise; null for a values-only method. Any data type and
 *     storage order; columns past {@code energies.length} are ignored.
 * @param leftSide true if the vectors have length {@code rows} ({@code U}), false for {@code cols} ({@code V})
 */
public record Spectrum(double[] energies, INDArray vectors, boolean leftSide) {

    /** @return column indices of {@code energies} from the largest energy to the smallest */
    public int[] descendingOrder() {
        return IntStream.range(0, energies.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> energies[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
    }
}
