package org.rpg4j.spark;

import java.util.function.Consumer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The driver's view of a DL4J Spark network, whichever of the two kinds it is.
 *
 * @param model the driver's network (a {@code MultiLayerNetwork} or {@code ComputationGraph}); holds
 *     the averaged parameters after each round
 * @param context the Spark context
 * @param master the training master
 * @param fit trains on an RDD of minibatches
 */
record SparkNetwork(Model model, JavaSparkContext context, TrainingMaster<?, ?> master,
                    Consumer<JavaRDD<DataSet>> fit) {

    static SparkNetwork of(SparkDl4jMultiLayer net) {
        if (net == null) {
            throw new IllegalArgumentException("sparkNet must not be null");
        }
        return new SparkNetwork(net.getNetwork(), net.getSparkContext(), net.getTrainingMaster(), net::fit);
    }

    static SparkNetwork of(SparkComputationGraph net) {
        if (net == null) {
            throw new IllegalArgumentException("sparkNet must not be null");
        }
        return new SparkNetwork(net.getNetwork(), net.getSparkContext(), net.getTrainingMaster(), net::fit);
    }
}
