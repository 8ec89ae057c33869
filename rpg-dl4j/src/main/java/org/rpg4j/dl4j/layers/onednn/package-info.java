/**
 * oneDNN convolution primitives called directly from Java, for the fast convolution layer's training
 * passes: forward, backward-data and backward-weights primitives created once per layer and input shape
 * with oneDNN's direct algorithm, and cached reorders between DL4J's plain NCHW / {@code [out, in, kh, kw]}
 * arrays and the blocked layouts the primitives choose, with scratch buffers shared by all layers of a
 * thread, except the blocked input a training forward keeps per layer for the weight gradient (one reorder
 * fewer per backward pass, at one blocked input copy of memory per layer). libnd4j's {@code conv2d}/{@code conv2d_bp} ops describe their primitives again on every call
 * and, on an AVX-512 CPU, get oneDNN's automatic choice: Winograd for the input gradient, whose backward pass
 * measured 5-8x the direct path's time at ResNet-20's 32x32 layers and 3-6x at VGG-19's
 * (docs/performance.md, "Direct oneDNN convolutions").
 *
 * <p>{@link org.rpg4j.dl4j.layers.onednn.OneDnnInference} is the inference-only counterpart for constant
 * weights (a {@code forward_inference} primitive, weights reordered once, ReLU as a post-op), used by the
 * deployment runner's dense convolution steps (docs/deployment.md, "Session 8: dense steps on direct oneDNN");
 * {@link org.rpg4j.dl4j.layers.onednn.OneDnnLayerInference} is the fast layer's inference forward (weights that may
 * change between calls, kept in oneDNN's layout and reordered again only when their bytes differ). All three build
 * their operation descriptors through one package-private helper (the shapes, strides and padding of a {@code
 * ConvolutionShape}).
 *
 * <p>The JavaCPP {@code org.bytedeco:dnnl} preset is an optional dependency: {@link
 * org.rpg4j.dl4j.layers.onednn.OneDnn#available()} says whether its classes and native libraries load,
 * and the layer falls back to libnd4j's ops (logged once) when they do not, or when the system property
 * {@value org.rpg4j.dl4j.layers.onednn.OneDnn#PROPERTY} is {@code libnd4j}.
 */
package org.rpg4j.dl4j.layers.onednn;
