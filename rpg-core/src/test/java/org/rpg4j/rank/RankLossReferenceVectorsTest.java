package org.rpg4j.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * The reference implementation's own outputs ({@code rank_kit.get_sing_loss}, float64, with the
 * gradient from PyTorch autograd), copied from {@code ../shared/reference/rank-loss-vectors.json}
 * into the test resources so that a clean clone has them.
 */
class RankLossReferenceVectorsTest {

    private static final String RESOURCE = "/org/rpg4j/rank/rank-loss-vectors.json";

    /**
     * Double input: loss and every gradient entry. The brief asks for 1e-6; the Gram route agrees
     * with PyTorch's SVD to about 5e-15 on these cases, so a much tighter bound still has margin.
     */
    private static final double DOUBLE_TOLERANCE = 1e-10;

    /** Float input, loss: rounding the weights to float moves the loss by at most 3e-9 here. */
    private static final double FLOAT_LOSS_TOLERANCE = 1e-6;

    /**
     * Float input, gradient entries (up to 0.25 in size): the float rounding of the weights (relative
     * 6e-8), amplified by the singular gap at k, moves them by at most 2.5e-7 here.
     */
    private static final double FLOAT_GRADIENT_TOLERANCE = 1e-5;

    record Case(String name, long[] shape, double partialK, int k, double loss, double[] weight,
                double[] grad) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        try (InputStream in = RankLossReferenceVectorsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " missing from the test class path");
            ObjectMapper mapper = new ObjectMapper();
            JsonNode root = mapper.readTree(in);
            List<Case> cases = new ArrayList<>();
            for (JsonNode node : root.get("cases")) {
                cases.add(
                        new Case(
                                node.get("name").asText(),
                                mapper.convertValue(node.get("shape"), long[].class),
                                node.get("partialK").asDouble(),
                                node.get("k").asInt(),
                                node.get("loss").asDouble(),
                                mapper.convertValue(node.get("weight"), double[].class),
                                mapper.convertValue(node.get("grad"), double[].class)));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void resourceHoldsTheSixReferenceCases() {
        List<Case> cases = cases();
        assertEquals(6, cases.size());
        for (Case c : cases) {
            long length = 1;
            for (long d : c.shape()) {
                length *= d;
            }
            assertEquals(length, c.weight().length, c.name());
            assertEquals(length, c.grad().length, c.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceInDouble(Case c) {
        INDArray weights = Nd4j.create(c.weight(), c.shape(), 'c');
        RankLossResult result = AdversarialRankLoss.compute(weights, c.partialK());

        assertEquals(c.k(), result.k(), "k");
        assertEquals(c.loss(), result.loss(), DOUBLE_TOLERANCE, "loss");
        assertEquals(DataType.DOUBLE, result.gradient().dataType());
        assertArrayEquals(c.shape(), result.gradient().shape());
        assertArrayEquals(c.grad(), flat(result.gradient()), DOUBLE_TOLERANCE, "gradient");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesReferenceInFloat(Case c) {
        INDArray weights = Nd4j.create(c.weight(), c.shape(), 'c').castTo(DataType.FLOAT);
        RankLossResult result = AdversarialRankLoss.compute(weights, c.partialK());

        assertEquals(c.k(), result.k(), "k");
        assertEquals(c.loss(), result.loss(), FLOAT_LOSS_TOLERANCE, "loss");
        assertEquals(DataType.FLOAT, result.gradient().dataType());
        assertArrayEquals(c.shape(), result.gradient().shape());
        assertArrayEquals(c.grad(), flat(result.gradient()), FLOAT_GRADIENT_TOLERANCE, "gradient");
    }

    private static double[] flat(INDArray array) {
        return array
                .castTo(DataType.DOUBLE)
                .dup('c')
                .reshape('c', new long[] {array.length()})
                .toDoubleVector();
    }
}
