package org.rpg4j.dl4j.structured;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A fixed set of evaluation batches read once from an iterator, and the mean loss per example and
 * the top-1 accuracy of a network on them (inference mode: batch-norm statistics are not updated).
 */
final class EvaluationBatches {
    private final List<DataSet> batches;
    private final long examples;

    private EvaluationBatches(List<DataSet> batches, long examples) {
        this.batches = batches;
        this.examples = examples;
    }

    /**
     * Reads up to {@code maxBatches} batches (resetting the iterator first if it supports it).
     *
     * @throws IllegalArgumentException if the iterator is null or yields no example, or labels are not
     *     {@code [examples, classes >= 2]}
     */
    static EvaluationBatches read(DataSetIterator data, int maxBatches) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (data.resetSupported()) {
            data.reset();
        }
        List<DataSet> batches = new ArrayList<>();
        long examples = 0;
        while (batches.size() < maxBatches && data.hasNext()) {
            DataSet ds = data.next();
            INDArray labels = ds.getLabels();
            if (labels == null || labels.rank() != 2 || labels.size(1) < 2) {
                throw new IllegalArgumentException(
                        "sensitivity analysis needs one-hot labels [examples, classes >= 2], "
                                + "got " + (labels == null ? "none" : java.util.Arrays.toString(labels.shape())));
            }
            batches.add(ds);
            examples += ds.numExamples();
        }
        if (examples == 0) {
            throw new IllegalArgumentException("data yielded no example: give an iterator with at least one batch");
        }
        return new EvaluationBatches(batches, examples);
    }

    long examples() {
        return examples;
    }

    /** @return {@code {mean loss per example (no regularisation), accuracy}} of {@code net} */
    double[] evaluate(Model net) {
        double lossSum = 0;
        long correct = 0;
        for (DataSet ds : batches) {
            INDArray perExample;
            INDArray out;
            if (net instanceof MultiLayerNetwork m) {
                perExample = m.scoreExamples(ds, false);
                out = m.output(ds.getFeatures(), false);
            } else {
                ComputationGraph g = (ComputationGraph) net;
                perExample = g.scoreExamples(ds, false);
                out = g.outputSingle(false, ds.getFeatures());
            }
            lossSum += perExample.sumNumber().doubleValue();
            correct += out.argMax(1).eq(ds.getLabels().argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.INT64)
                    .sumNumber().longValue();
        }
        return new double[] {lossSum / examples, (double) correct / examples};
    }
}
