package org.rpg4j.regrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rpg4j.mask.GlobalMagnitudeSelection;
import org.rpg4j.mask.LayerBudget;
import org.rpg4j.mask.MaskCounts;

/**
 * A full topology update on the prunable tensors of torchvision's ResNet-50 (53 convolutions and
 * the fc weight: 54 tensors, 25,502,912 weights, the largest 2,359,296): global magnitude threshold
 * plus per-layer gradient regrowth, with exact counts. Seeded synthetic data. Takes a few seconds,
 * most of it generating the data.
 */
@Tag("slow")
class ResNet50SizedUpdateTest {

    static List<long[]> resnet50Shapes() {
        List<long[]> shapes = new ArrayList<>();
        shapes.add(new long[] {64, 3, 7, 7});
        int[] blocks = {3, 4, 6, 3};
        long in = 64;
        for (int stage = 0; stage < 4; stage++) {
            long width = 64L << stage;
            long out = width * 4;
            for (int b = 0; b < blocks[stage]; b++) {
                shapes.add(new long[] {width, b == 0 ? in : out, 1, 1});
                shapes.add(new long[] {width, width, 3, 3});
                shapes.add(new long[] {out, width, 1, 1});
                if (b == 0) {
                    shapes.add(new long[] {out, in, 1, 1});
                }
            }
            in = out;
        }
        shapes.add(new long[] {1000, 2048});
        return shapes;
    }

    @Test
    void fullUpdateHasExactCounts() {
        List<long[]> shapeList = resnet50Shapes();
        long[][] shapes = shapeList.toArray(new long[0][]);
        int tensors = shapes.length;
        float[][] w = new float[tensors][];
        float[][] g = new float[tensors][];
        long n = 0;
        SplittableRandom rnd = new SplittableRandom(2023);
        for (int l = 0; l < tensors; l++) {
            int size = (int) java.util.Arrays.stream(shapes[l]).reduce(1, (a, b) -> a * b);
            w[l] = uniform(rnd, size);
            g[l] = uniform(rnd, size);
            n += size;
        }
        assertEquals(54, tensors);
        assertEquals(25_502_912L, n);
        // state mid-ramp: masks from an earlier prune to density 0.5, masked weights at 0
        boolean[][] masks = GlobalMagnitudeSelection.keepMasks(w, 0.5);
        for (int l = 0; l < tensors; l++) {
            for (int i = 0; i < w[l].length; i++) {
                w[l][i] = masks[l][i] ? w[l][i] : 0f;
            }
        }
        double density = 0.4;
        double drop = 0.2;
        TopologyUpdateResult r = Requests.apply(w, masks, g, OptionalDouble.of(density), drop,
                RegrowthKind.GRADIENT.regrowth(), new SplittableRandom(1), LayerBudget.GLOBAL, shapes, null);
        assertEquals(GlobalMagnitudeSelection.keptCount(n, 1.0 - density), r.thresholdSurvivors());
        long kept = 0;
        for (int l = 0; l < tensors; l++) {
            LayerUpdate layer = r.layers().get(l);
            assertFalse(layer.skipped());
            RegrowthQuota q = RegrowthQuota.reference(w[l].length, layer.layerSparsity(), drop);
            assertEquals(q.activeCount(), MaskCounts.count(r.newMasks()[l]), "layer " + l);
            assertEquals(layer.survivors(), MaskCounts.count(r.postThresholdMasks()[l]));
            kept += q.activeCount();
        }
        assertEquals(kept, r.totalKept());
    }

    /** Uniform floats in [-1, 1) with 24 random bits each: fast to generate, ties frequent enough to matter. */
    private static float[] uniform(SplittableRandom rnd, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (rnd.nextInt(1 << 24) - (1 << 23)) / (float) (1 << 23);
        }
        return v;
    }
}
