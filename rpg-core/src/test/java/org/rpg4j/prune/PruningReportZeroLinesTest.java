package org.rpg4j.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link PruningReport} carries each layer's all-zero rows and columns, in the table and the JSON. */
class PruningReportZeroLinesTest {

    /**
     * conv [6, 4, 3, 3] = matrix [6, 36]: output channels 0 and 5 zeroed (2 rows), input channel 2
     * zeroed (its 9 kernel positions: 9 columns). fc stored [in = 36, out = 10] (DL4J): seen as
     * [10, 36], unit 3 zeroed (1 row), inputs 30..35 zeroed (6 columns).
     */
    @Test
    void reportsZeroRowsAndColumnsPerLayer() {
        List<PrunableTensor> tensors = List.of(
                PrunableTensor.convolution("conv", "ConvolutionLayer", new long[] {6, 4, 3, 3}, DataType.FLOAT),
                PrunableTensor.dense("fc", "DenseLayer", new long[] {36, 10}, DataType.FLOAT));
        Map<String, INDArray> weights = new LinkedHashMap<>();
        INDArray conv = Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3).addi(0.1);
        conv.get(NDArrayIndex.point(0)).assign(0);
        conv.get(NDArrayIndex.point(5)).assign(0);
        conv.get(NDArrayIndex.all(), NDArrayIndex.point(2)).assign(0);
        INDArray fc = Nd4j.rand(DataType.FLOAT, 36, 10).addi(0.1);
        fc.get(NDArrayIndex.all(), NDArrayIndex.point(3)).assign(0);
        fc.get(NDArrayIndex.interval(30, 36), NDArrayIndex.all()).assign(0);
        weights.put("conv", conv);
        weights.put("fc", fc);
        Pruner pruner = Pruner.create(PruningConfig.builder(0.5, 100).deltaT(10).build(), tensors);

        PruningReport report = pruner.report(weights);
        LayerReport c = report.layers().get(0);
        assertEquals(2, c.zeroRows());
        assertEquals(9, c.zeroColumns());
        assertEquals(216 - (2 * 36 + 4 * 9), c.nonZeros());
        LayerReport f = report.layers().get(1);
        assertEquals(1, f.zeroRows());
        assertEquals(6, f.zeroColumns());
        assertTrue(report.toJson().contains("\"zeroRows\" : 2") && report.toJson().contains("\"zeroColumns\" : 6"),
                report.toJson());
        assertTrue(report.toString().contains("zero-rows"), report.toString());
    }
}
