package org.rpg4j.benchmarks.training;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.rpg4j.dl4j.layers.FastBatchNormalization;

/**
 * {@link LayerPassBenchmark} of a ResNet-20 batch normalisation: DL4J's BatchNormalization against
 * FastBatchNormalization.
 */
public class BatchNormalizationBenchmark extends LayerPassBenchmark {

    @Override
    protected BatchNormalization configuration(int channels, boolean fast) {
        return fast ? new FastBatchNormalization.Builder().build() : new BatchNormalization.Builder().build();
    }
}
