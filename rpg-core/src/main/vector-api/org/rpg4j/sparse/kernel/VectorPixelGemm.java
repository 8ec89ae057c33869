package org.rpg4j.sparse.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PixelGemm} with the Vector API: output channels are the vector lanes. Four pixels by four channel vectors
 * (16 accumulators) stay in registers while the whole patch is summed: per patch row four weight vector loads, four
 * broadcasts and sixteen fused multiply-adds. Leftover pixels go one at a time with four vectors, leftover vectors
 * one at a time with four pixels. Loaded only with {@code --add-modules jdk.incubator.vector} ({@link SmallPlaneConvolution}).
 */
final class VectorPixelGemm implements PixelGemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public int lanes() {
        return SPECIES.length();
    }

    @Override
    public void multiply(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc) {
        int lanes = SPECIES.length();
        int o = 0;
        for (; o + 4 * lanes <= width; o += 4 * lanes) {
            int p = 0;
            for (; p + 4 <= pixels; p += 4) {
                quad(weights, width, patches, patch, pixels, acc, o, p);
            }
            for (; p < pixels; p++) {
                onePixel(weights, width, patches, patch, pixels, acc, o, p);
            }
        }
        for (; o < width; o += lanes) {
            int p = 0;
            for (; p + 4 <= pixels; p += 4) {
                fourPixels(weights, width, patches, patch, pixels, acc, o, p);
            }
            for (; p < pixels; p++) {
                single(weights, width, patches, patch, pixels, acc, o, p);
            }
        }
    }

    private static void quad(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc, int o,
                             int p) {
        int lanes = SPECIES.length();
        FloatVector a00 = FloatVector.zero(SPECIES);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        for (int k = 0; k < patch; k++) {
            int w = k * width + o;
            FloatVector w0 = FloatVector.fromArray(SPECIES, weights, w);
            FloatVector w1 = FloatVector.fromArray(SPECIES, weights, w + lanes);
            FloatVector w2 = FloatVector.fromArray(SPECIES, weights, w + 2 * lanes);
            FloatVector w3 = FloatVector.fromArray(SPECIES, weights, w + 3 * lanes);
            int x = k * pixels + p;
            FloatVector x0 = FloatVector.broadcast(SPECIES, patches[x]);
            a00 = w0.fma(x0, a00);
            a01 = w1.fma(x0, a01);
            a02 = w2.fma(x0, a02);
            a03 = w3.fma(x0, a03);
            FloatVector x1 = FloatVector.broadcast(SPECIES, patches[x + 1]);
            a10 = w0.fma(x1, a10);
            a11 = w1.fma(x1, a11);
            a12 = w2.fma(x1, a12);
            a13 = w3.fma(x1, a13);
            FloatVector x2 = FloatVector.broadcast(SPECIES, patches[x + 2]);
            a20 = w0.fma(x2, a20);
            a21 = w1.fma(x2, a21);
            a22 = w2.fma(x2, a22);
            a23 = w3.fma(x2, a23);
            FloatVector x3 = FloatVector.broadcast(SPECIES, patches[x + 3]);
            a30 = w0.fma(x3, a30);
            a31 = w1.fma(x3, a31);
            a32 = w2.fma(x3, a32);
            a33 = w3.fma(x3, a33);
        }
        int a = p * width + o;
        a00.intoArray(acc, a);
        a01.intoArray(acc, a + lanes);
        a02.intoArray(acc, a + 2 * lanes);
        a03.intoArray(acc, a + 3 * lanes);
        a += width;
        a10.intoArray(acc, a);
        a11.intoArray(acc, a + lanes);
        a12.intoArray(acc, a + 2 * lanes);
        a13.intoArray(acc, a + 3 * lanes);
        a += width;
        a20.intoArray(acc, a);
        a21.intoArray(acc, a + lanes);
        a22.intoArray(acc, a + 2 * lanes);
        a23.intoArray(acc, a + 3 * lanes);
        a += width;
        a30.intoArray(acc, a);
        a31.intoArray(acc, a + lanes);
        a32.intoArray(acc, a + 2 * lanes);
        a33.intoArray(acc, a + 3 * lanes);
    }

    private static void onePixel(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc,
                                 int o, int p) {
        int lanes = SPECIES.length();
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int k = 0; k < patch; k++) {
            int w = k * width + o;
            FloatVector x = FloatVector.broadcast(SPECIES, patches[k * pixels + p]);
            a0 = FloatVector.fromArray(SPECIES, weights, w).fma(x, a0);
            a1 = FloatVector.fromArray(SPECIES, weights, w + lanes).fma(x, a1);
            a2 = FloatVector.fromArray(SPECIES, weights, w + 2 * lanes).fma(x, a2);
            a3 = FloatVector.fromArray(SPECIES, weights, w + 3 * lanes).fma(x, a3);
        }
        int a = p * width + o;
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + lanes);
        a2.intoArray(acc, a + 2 * lanes);
        a3.intoArray(acc, a + 3 * lanes);
    }

    private static void fourPixels(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc,
                                   int o, int p) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int k = 0; k < patch; k++) {
            FloatVector w = FloatVector.fromArray(SPECIES, weights, k * width + o);
            int x = k * pixels + p;
            a0 = w.fma(FloatVector.broadcast(SPECIES, patches[x]), a0);
            a1 = w.fma(FloatVector.broadcast(SPECIES, patches[x + 1]), a1);
            a2 = w.fma(FloatVector.broadcast(SPECIES, patches[x + 2]), a2);
            a3 = w.fma(FloatVector.broadcast(SPECIES, patches[x + 3]), a3);
        }
        int a = p * width + o;
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + width);
        a2.intoArray(acc, a + 2 * width);
        a3.intoArray(acc, a + 3 * width);
    }

    private static void single(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc, int o,
                               int p) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        for (int k = 0; k < patch; k++) {
            a0 = FloatVector.fromArray(SPECIES, weights, k * width + o).fma(FloatVector.broadcast(SPECIES,
                    patches[k * pixels + p]), a0);
        }
        a0.intoArray(acc, p * width + o);
    }
}
