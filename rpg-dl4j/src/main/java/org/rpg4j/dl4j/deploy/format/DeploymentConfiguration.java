package org.rpg4j.dl4j.deploy.format;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.dl4j.hooks.RpgRegularization;

/**
 * The configuration JSON a deployed network is rebuilt from: a copy of the network's own
 * configuration without rpg4j's training hooks (they are bound to a pruning run, which a deployed
 * network does not have), so that the loaded network is a plain DL4J network. The network's own
 * configuration is not modified.
 */
final class DeploymentConfiguration {
    private DeploymentConfiguration() {}

    static String json(MultiLayerNetwork network) {
        MultiLayerConfiguration copy = network.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration conf : copy.getConfs()) {
            withoutHooks(conf.getLayer());
        }
        return copy.toJson();
    }

    static String json(ComputationGraph network) {
        ComputationGraphConfiguration copy = network.getConfiguration().clone();
        for (GraphVertex vertex : copy.getVertices().values()) {
            if (vertex instanceof LayerVertex layerVertex) {
                withoutHooks(layerVertex.getLayerConf().getLayer());
            }
        }
        return copy.toJson();
    }

    /** Replaces (never edits in place: DL4J may share them) the regularization lists with hook-free copies. */
    private static void withoutHooks(Layer conf) {
        if (conf instanceof BaseLayer b) {
            b.setRegularization(filtered(b.getRegularization()));
            b.setRegularizationBias(filtered(b.getRegularizationBias()));
        } else if (conf instanceof AbstractSameDiffLayer s) {
            s.setRegularization(filtered(s.getRegularization()));
            s.setRegularizationBias(filtered(s.getRegularizationBias()));
        }
    }

    private static List<Regularization> filtered(List<Regularization> list) {
        if (list == null) {
            return null;
        }
        List<Regularization> out = new ArrayList<>();
        for (Regularization r : list) {
            if (!(r instanceof RpgRegularization)) {
                out.add(r);
            }
        }
        return out;
    }
}
