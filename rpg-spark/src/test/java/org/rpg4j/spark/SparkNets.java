package org.rpg4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Test fixtures: a Spark local[2] context, a small CNN, a small ResNet, synthetic minibatches. */
final class SparkNets {
    static final int BATCH = 8;
    static final int WORKERS = 2;
    static final int AVERAGING = 2;
    static final int SIZE = 8;
    static final int CLASSES = 3;

    private SparkNets() {}

    static JavaSparkContext context(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("rpg4j-spark-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "localhost")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return new JavaSparkContext(conf);
    }

    static ParameterAveragingTrainingMaster.Builder masterBuilder(long seed) {
        return masterBuilder(seed, WORKERS);
    }

    static ParameterAveragingTrainingMaster.Builder masterBuilder(long seed, int workers) {
        return new ParameterAveragingTrainingMaster.Builder(workers, BATCH).batchSizePerWorker(BATCH)
                .averagingFrequency(AVERAGING).workerPrefetchNumBatches(0).saveUpdater(true)
                .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct).rngSeed(seed)
                .collectTrainingStats(false);
    }

    static MultiLayerNetwork cnn(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2))
                .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new DenseLayer.Builder().nOut(16).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(SIZE, SIZE, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Stem conv, one residual block (conv-BN-relu-conv-BN + identity), pooling, output. */
    static ComputationGraph resnet(long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-2))
                .convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs("in")
                .addLayer("stem", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build(), "in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(),
                        "stem")
                .addLayer("b1", new BatchNormalization.Builder().activation(Activation.RELU).build(), "c1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build(),
                        "b1")
                .addLayer("b2", new BatchNormalization.Builder().activation(Activation.IDENTITY).build(), "c2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2", "stem")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "add")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(SIZE, SIZE, 1)).build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /**
     * @return {@code workers * AVERAGING} minibatches of {@code BATCH} 1x8x8 images: class c has a
     *     bright c-th third of the rows, plus noise; seeded by {@code seed} and {@code round}
     */
    static List<DataSet> round(long seed, int round) {
        return round(seed, round, WORKERS);
    }

    static List<DataSet> round(long seed, int round, int workers) {
        Random rng = new Random(seed * 1_000_003L + round);
        List<DataSet> batches = new ArrayList<>();
        for (int b = 0; b < workers * AVERAGING; b++) {
            float[] x = new float[BATCH * SIZE * SIZE];
            float[] y = new float[BATCH * CLASSES];
            for (int i = 0; i < BATCH; i++) {
                int c = rng.nextInt(CLASSES);
                y[i * CLASSES + c] = 1f;
                for (int p = 0; p < SIZE * SIZE; p++) {
                    boolean bright = (p / SIZE) * CLASSES / SIZE == c;
                    x[i * SIZE * SIZE + p] = (bright ? 1f : 0f) + 0.3f * (float) rng.nextGaussian();
                }
            }
            batches.add(new DataSet(Nd4j.create(x, new long[] {BATCH, 1, SIZE, SIZE}, 'c'),
                    Nd4j.create(y, new long[] {BATCH, CLASSES}, 'c')));
        }
        return batches;
    }

    static JavaRDD<DataSet> roundRdd(JavaSparkContext sc, long seed, int round) {
        return roundRdd(sc, seed, round, WORKERS);
    }

    static JavaRDD<DataSet> roundRdd(JavaSparkContext sc, long seed, int round, int workers) {
        return sc.parallelize(round(seed, round, workers), workers);
    }
}
