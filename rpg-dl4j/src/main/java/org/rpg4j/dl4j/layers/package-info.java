/**
 * Fast CPU layers for DL4J training: drop-in replacements for DL4J's {@code ConvolutionLayer},
 * {@code BatchNormalization} and (ReLU) {@code ActivationLayer} that compute with libnd4j's native
 * ops (oneDNN kernels when the {@code nd4j-native} {@code linux-x86_64-onednn-avx2} or
 * {@code -onednn-avx512} classifier is on the classpath) and, for batch normalisation, one-pass Java
 * loops over host memory, instead of DL4J 1.0.0-M2.1's generic im2col, broadcast and copy-heavy paths;
 * and, for graphs, a drop-in {@code ElementWiseVertex} whose residual add makes fewer copies.
 *
 * <p>The configurations subclass DL4J's, keep DL4J's parameter keys and layouts (convolution
 * {@code W} is {@code [out, in, kh, kw]} in 'c' order, {@code b} is {@code [out]}; batch norm
 * {@code gamma}, {@code beta}, {@code mean}, {@code var} or {@code log10stdev}) and serialise
 * through {@code toJson}/{@code fromJson} and {@code ModelSerializer}, so a network can switch
 * between the standard and the fast layers without touching its parameters, and rpg4j prunes a
 * {@link org.rpg4j.dl4j.layers.FastConvolutionLayer} exactly like a {@code ConvolutionLayer}.
 * {@link org.rpg4j.dl4j.layers.FastLayers} swaps them into an existing configuration.
 *
 * <p>In training the fast layers also update their own parameters in Java loops over host memory: for DL4J's
 * {@code Sgd}, {@code Nesterovs} and {@code Adam} updaters and its {@code L2Regularization} and
 * {@code WeightDecay}, the configurations hand DL4J equal subclasses whose steps are one Java pass per updater
 * block or parameter instead of one small libnd4j op each (system property {@code rpg4j.update}: {@code auto}
 * or {@code dl4j}); the stored configuration and the updater state layout are DL4J's.
 *
 * <p>In inference mode the layers cut their fixed cost per call, which dominates small layers (shrunk
 * networks, batch 1): batch norm keeps its per-channel scale and shift between calls (recomputed when a
 * parameter's value changes), a small ReLU runs as a Java loop, and each convolution chooses per input
 * shape, by timing both at its first calls, between libnd4j's {@code conv2d} op and rpg4j's Java kernel
 * (system property {@code rpg4j.convolutionInference}: {@code measured}, {@code native} or {@code java}).
 * {@link org.rpg4j.dl4j.layers.FastAddVertex} is a residual add with its ReLU in one vertex, which
 * {@code InferenceFolding} puts in place of DL4J's add and ReLU layer.
 */
package org.rpg4j.dl4j.layers;
