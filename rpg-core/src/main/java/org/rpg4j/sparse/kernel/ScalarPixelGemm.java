package org.rpg4j.sparse.kernel;

import java.util.Arrays;

/** {@link PixelGemm} in plain loops (the fallback without {@code jdk.incubator.vector}). */
final class ScalarPixelGemm implements PixelGemm {

    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void multiply(float[] weights, int width, float[] patches, int patch, int pixels, float[] acc) {
        Arrays.fill(acc, 0, pixels * width, 0f);
        for (int k = 0; k < patch; k++) {
            for (int p = 0; p < pixels; p++) {
                float x = patches[k * pixels + p];
                int a = p * width;
                int w = k * width;
                for (int o = 0; o < width; o++) {
                    acc[a + o] += x * weights[w + o];
                }
            }
        }
    }
}
