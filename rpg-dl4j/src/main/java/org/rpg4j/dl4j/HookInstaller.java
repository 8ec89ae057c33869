package org.rpg4j.dl4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.rpg4j.dl4j.hooks.CaptureGradients;
import org.rpg4j.dl4j.hooks.LayerHooks;
import org.rpg4j.dl4j.hooks.MaskGradients;
import org.rpg4j.dl4j.hooks.MaskUpdates;
import org.rpg4j.dl4j.hooks.RpgRegularization;

/**
 * Places the rpg4j regularizations in a layer configuration's weight-regularization list and takes
 * them out again. The list is copied and replaced, never modified in place (DL4J may share it).
 * Order after installation: {@code [CaptureGradients, <the user's regularizations>, MaskGradients,
 * MaskUpdates]}; DL4J applies the {@code BEFORE_UPDATER} ones in list order before the updater and
 * the {@code POST_UPDATER} ones in list order after it.
 */
final class HookInstaller {
    private HookInstaller() {}

    /** @return whether the configuration has a weight-regularization list rpg4j can extend */
    static boolean canHook(Layer conf) {
        return conf instanceof BaseLayer || conf instanceof AbstractSameDiffLayer;
    }

    /** @return whether the configuration carries rpg4j hooks (bound or not) */
    static boolean hasHooks(Layer conf) {
        return canHook(conf) && read(conf).stream().anyMatch(RpgRegularization.class::isInstance);
    }

    /** @return whether any carried rpg4j hook is bound to a runtime */
    static boolean hasBoundHooks(Layer conf) {
        return canHook(conf) && read(conf).stream()
                .anyMatch(r -> r instanceof RpgRegularization h && h.bound());
    }

    /** @return the network the configuration's bound rpg4j hooks prune, or null if it carries none */
    static Object boundNetwork(Layer conf) {
        if (!canHook(conf)) {
            return null;
        }
        for (Regularization r : read(conf)) {
            if (r instanceof RpgRegularization h && h.bound()) {
                return h.boundNetwork();
            }
        }
        return null;
    }

    /**
     * Installs fresh hooks bound to {@code target}, replacing any rpg4j hooks already present.
     *
     * @param conf a configuration for which {@link #canHook} is true; its list is replaced
     */
    static void install(Layer conf, LayerHooks target) {
        String name = conf.getLayerName();
        CaptureGradients capture = new CaptureGradients(name);
        MaskGradients maskGradients = new MaskGradients(name);
        MaskUpdates maskUpdates = new MaskUpdates(name);
        capture.bind(target);
        maskGradients.bind(target);
        maskUpdates.bind(target);
        List<Regularization> list = new ArrayList<>();
        list.add(capture);
        list.addAll(withoutHooks(read(conf)));
        list.add(maskGradients);
        list.add(maskUpdates);
        write(conf, list);
    }

    /** Removes every rpg4j hook from the configuration (unbinding them); other regularizations stay in order. */
    static void remove(Layer conf) {
        if (!canHook(conf)) {
            return;
        }
        List<Regularization> current = read(conf);
        current.stream().filter(RpgRegularization.class::isInstance)
                .forEach(r -> ((RpgRegularization) r).bind(null));
        write(conf, withoutHooks(current));
    }

    private static List<Regularization> withoutHooks(List<Regularization> list) {
        List<Regularization> out = new ArrayList<>();
        for (Regularization r : list) {
            if (!(r instanceof RpgRegularization)) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<Regularization> read(Layer conf) {
        List<Regularization> list = conf instanceof BaseLayer b ? b.getRegularization()
                : ((AbstractSameDiffLayer) conf).getRegularization();
        return list == null ? new ArrayList<>() : new ArrayList<>(list);
    }

    private static void write(Layer conf, List<Regularization> list) {
        if (conf instanceof BaseLayer b) {
            b.setRegularization(list);
        } else {
            ((AbstractSameDiffLayer) conf).setRegularization(list);
        }
    }
}
