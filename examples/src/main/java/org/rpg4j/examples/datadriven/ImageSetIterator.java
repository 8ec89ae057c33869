package org.rpg4j.examples.datadriven;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.rpg4j.examples.data.BatchAssembler;

/**
 * Batches of an image set in a fixed or per-epoch shuffled order, as a DL4J {@code DataSetIterator}
 * (the data-driven criteria read their statistics batches through it). Each {@link #reset()} of a
 * shuffled iterator draws a new order from the seeded generator.
 */
public final class ImageSetIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;
    private final transient BatchAssembler assembler;
    private final int batchSize;
    private final boolean shuffle;
    private final transient SplittableRandom random;
    private final int[] order;
    private int position;

    /**
     * @param assembler makes the normalised (and possibly augmented) batches; not modified
     * @param batchSize images per batch, {@code >= 1} (the last batch may be smaller)
     * @param shuffle whether every pass visits the images in a new random order
     * @param seed seed of the shuffling (and of the assembler's augmentation)
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public ImageSetIterator(BatchAssembler assembler, int batchSize, boolean shuffle, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.assembler = assembler;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.random = new SplittableRandom(seed);
        this.order = new int[assembler.images().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        reset();
    }

    @Override
    public boolean hasNext() {
        return position < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int to = Math.min(order.length, position + num);
        DataSet d = assembler.batch(order, position, to, random);
        position = to;
        return d;
    }

    @Override
    public int inputColumns() {
        return assembler.images().imageBytes();
    }

    @Override
    public int totalOutcomes() {
        return assembler.images().numClasses();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        position = 0;
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("batches are normalised by their BatchAssembler");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
