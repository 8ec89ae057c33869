package org.rpg4j.dl4j.distill;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A {@link DataSetIterator} whose batches carry distillation labels {@code [hard | teacher logits]}
 * ({@link Distillation#label}): the teacher runs once per batch, on the thread that calls
 * {@code next()}. It reports no asynchronous support, so DL4J's {@code fit} does not move the
 * teacher to a prefetch thread.
 */
final class DistillationIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final DataSetIterator base;
    private final transient Distillation distillation;

    DistillationIterator(DataSetIterator base, Distillation distillation) {
        this.base = base;
        this.distillation = distillation;
    }

    @Override
    public DataSet next(int num) {
        return distillation.label(base.next(num));
    }

    @Override
    public DataSet next() {
        return distillation.label(base.next());
    }

    @Override
    public boolean hasNext() {
        return base.hasNext();
    }

    @Override
    public int inputColumns() {
        return base.inputColumns();
    }

    /** @return the width of the labels this iterator produces, {@code 2C} */
    @Override
    public int totalOutcomes() {
        return (int) (2 * distillation.classes());
    }

    @Override
    public boolean resetSupported() {
        return base.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        base.reset();
    }

    @Override
    public int batch() {
        return base.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        base.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return base.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return base.getLabels();
    }
}
