package org.rpg4j.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.rpg4j.prune.LayerReport;
import org.rpg4j.prune.LayerSelection;
import org.rpg4j.prune.PrunableTensor;
import org.rpg4j.prune.PruningConfig;
import org.rpg4j.prune.PruningReport;
import org.rpg4j.prune.TensorKind;
import org.rpg4j.prune.UnsupportedLayerPolicy;

/** Selection by type, name and regex; exclusions; caps; unsupported layers; custom registrations; the report. */
class LayerSelectionTest {

    private static PruningConfig.Builder config(double sparsity) {
        return PruningConfig.builder(sparsity, 12).deltaT(2);
    }

    private static List<String> names(Pruning p) {
        return p.tensors().stream().map(PrunableTensor::name).toList();
    }

    private static Pruning attach(LayerSelection selection) {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, true);
        return Dl4jPruning.attach(net, config(0.5).layers(selection).build());
    }

    @Test
    void selectsByTypeNameAndRegexAndExcludes() {
        assertEquals(List.of("conv/W", "dense/W", "out/W"), names(attach(LayerSelection.all())));
        assertEquals(List.of("conv/W"), names(attach(LayerSelection.all().includeTypes("ConvolutionLayer"))));
        assertEquals(List.of("dense/W"), names(attach(LayerSelection.all().includeNames("dense"))));
        assertEquals(List.of("conv/W", "dense/W"), names(attach(LayerSelection.all().includeMatching("conv|d.*"))));
        assertEquals(List.of("conv/W", "dense/W"), names(attach(LayerSelection.all().excludeNames("out"))));
        assertEquals(List.of("dense/W", "out/W"), names(attach(LayerSelection.all().excludeTypes("ConvolutionLayer"))));
        assertEquals(List.of("out/W"), names(attach(LayerSelection.all().excludeMatching("c.*|d.*"))));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> attach(LayerSelection.all().includeNames("missing")));
        assertTrue(none.getMessage().contains("no prunable weights"), none.getMessage());
    }

    @Test
    void capsBoundTheSparsityOfMatchingLayers() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, config(0.85).layers(LayerSelection.all().maxSparsity("conv", 0.3))
                .build());
        Nets.data(12, 4, 5).forEach(net::fit);
        LayerReport conv = pruning.report().layers().get(0);
        assertEquals("conv/W", conv.name());
        assertEquals(0.3, pruning.tensors().get(0).maxSparsity());
        assertTrue(conv.sparsity() <= 0.3 + 1e-9, "conv capped at 0.3, got " + conv.sparsity());
        assertEquals(0.85, pruning.sparsity(), 0.01);
    }

    @Test
    void unsupportedWeightedLayerIsNamedStrictlyAndListedLeniently() {
        MultiLayerConfiguration conf = Nets.base(new Adam(0.01), Nets.Decay.NONE).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).name("conv").build())
                .layer(new DenseLayer.Builder().nOut(8).name("dense").build())
                .layer(new ElementWiseMultiplicationLayer.Builder().nIn(8).nOut(8).name("scale").build())
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build();
        MultiLayerNetwork strictNet = new MultiLayerNetwork(conf.clone());
        strictNet.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jPruning.attach(strictNet,
                config(0.5).unsupportedLayers(UnsupportedLayerPolicy.STRICT).build()));
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains(ElementWiseMultiplicationLayer.class
                .getName()),
                e.getMessage());

        Dl4jPruning.attach(strictNet, config(0.5).unsupportedLayers(UnsupportedLayerPolicy.STRICT)
                .layers(LayerSelection.all().excludeTypes("ElementWiseMultiplicationLayer")).build());

        MultiLayerNetwork lenientNet = new MultiLayerNetwork(conf.clone());
        lenientNet.init();
        Pruning lenient = Dl4jPruning.attach(lenientNet, config(0.5).build());
        assertEquals(List.of("conv/W", "dense/W", "out/W"), names(lenient));
        assertEquals(1, lenient.unsupportedLayers().size());
        assertTrue(lenient.unsupportedLayers().get(0).startsWith("scale (" + ElementWiseMultiplicationLayer.class
                .getName()
                + ")"));
        assertTrue(lenient.report().toString().contains("unsupported (not pruned): scale"));
    }

    @Test
    void registrationsDeclareCustomLayoutsAndWrongOnesAreCaught() {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        PrunableLayers wrong = PrunableLayers.defaults().with(DenseLayer.class, WeightSpec.of("W", TensorKind.DENSE, 0,
                1));
        Pruning pruning = Dl4jPruning.attach(net, config(0.5).build(), wrong);
        assertEquals(List.of("conv/W", "out/W"), names(pruning));
        assertTrue(pruning.unsupportedLayers().get(0).contains("does not fit"), pruning.unsupportedLayers().toString());

        MultiLayerNetwork custom = new MultiLayerNetwork(Nets.base(new Adam(0.01), Nets.Decay.NONE).list()
                .layer(new DeclaredConv(new ConvolutionLayer.Builder(3, 3).nOut(4).name("mine")))
                .layer(Nets.output())
                .setInputType(InputType.convolutional(Nets.SIZE, Nets.SIZE, Nets.CHANNELS)).build());
        custom.init();
        Pruning declared = Dl4jPruning.attach(custom, config(0.5).build());
        assertEquals(List.of("mine/W", "out/W"), names(declared));
        assertEquals(TensorKind.DENSE, declared.tensors().get(0).kind(),
                "the declaration wins over ConvolutionLayer's");
    }

    @Test
    void reportHasEveryColumnAsTableAndJson() throws Exception {
        MultiLayerNetwork net = Nets.smallMln(new Adam(0.01), Nets.Decay.NONE, false);
        Pruning pruning = Dl4jPruning.attach(net, config(0.7).build());
        Nets.data(12, 4, 5).forEach(net::fit);
        PruningReport report = pruning.report();
        String table = report.toString();
        for (String column : List.of("layer", "type", "shape", "params", "non-zeros", "sparsity", "delta-rank", "k")) {
            assertTrue(table.contains(column), column + " missing in\n" + table);
        }
        assertTrue(table.contains("conv/W") && table.contains("ConvolutionLayer") && table.contains("[6, 2, 3, 3]"));
        JsonNode json = new ObjectMapper().readTree(report.toJson());
        assertEquals(3, json.get("layers").size());
        JsonNode conv = json.get("layers").get(0);
        assertEquals("conv/W", conv.get("name").asText());
        assertEquals(108, conv.get("parameters").asLong());
        assertTrue(conv.get("lastK").asInt() > 0, "the rank loss ran on the convolution");
        assertTrue(conv.get("deltaRank").asInt() > 0);
        assertEquals(report.globalSparsity(), json.get("globalSparsity").asDouble(), 1e-12);
        assertTrue(report.globalSparsity() >= 0.7 - 1e-3);
    }

    /** A custom layer that declares its weights itself (here, deliberately, as a dense kind). */
    public static class DeclaredConv extends ConvolutionLayer implements PrunableWeights {
        private static final long serialVersionUID = 1L;

        DeclaredConv(ConvolutionLayer.Builder b) {
            super(b);
        }

        @Override
        public List<WeightSpec> prunableWeights() {
            return List.of(WeightSpec.of("W", TensorKind.DENSE, 0, 1, 2, 3));
        }

    }
}
