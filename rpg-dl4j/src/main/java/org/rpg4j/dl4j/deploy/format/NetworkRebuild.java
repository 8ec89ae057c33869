package org.rpg4j.dl4j.deploy.format;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.rpg4j.sparse.format.SparseFormatException;
import org.rpg4j.sparse.format.SparseModel;

/** Builds the DL4J network a read {@link SparseModel} describes and gives it the stored parameters. */
final class NetworkRebuild {
    private static final String CONFIGURATION_ENTRY = "configuration.json";

    private NetworkRebuild() {}

    /**
     * @throws SparseFormatException naming the manifest for an unknown network type, or the
     *     configuration if DL4J cannot parse it or it describes another parameter count
     */
    static Model network(SparseModel model) throws SparseFormatException {
        NetworkKind kind = NetworkKind.fromManifestName(model.networkType());
        if (kind == null) {
            throw new SparseFormatException("manifest.json", "networkType '" + model.networkType() + "' is not "
                    + "MultiLayerNetwork or ComputationGraph");
        }
        Model network;
        try {
            network = kind == NetworkKind.MULTI_LAYER_NETWORK
                    ? new MultiLayerNetwork(MultiLayerConfiguration.fromJson(model.configuration()))
                    : new ComputationGraph(ComputationGraphConfiguration.fromJson(model.configuration()));
        } catch (RuntimeException e) {
            throw new SparseFormatException(CONFIGURATION_ENTRY, "DL4J cannot build a " + model.networkType()
                    + " from it (a custom layer class missing from the class path?): " + e.getMessage(), e);
        }
        float[] parameters = model.decodeParameters();
        INDArray flat = Nd4j.createFromArray(parameters).reshape(1, parameters.length);
        try {
            if (network instanceof MultiLayerNetwork mln) {
                mln.init(flat, false);
            } else {
                ((ComputationGraph) network).init(flat, false);
            }
        } catch (RuntimeException e) {
            throw new SparseFormatException(CONFIGURATION_ENTRY, "describes a network that does not take the "
                    + parameters.length + " stored parameters: " + e.getMessage(), e);
        }
        return network;
    }
}
