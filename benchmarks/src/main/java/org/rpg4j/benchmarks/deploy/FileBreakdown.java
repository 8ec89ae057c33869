package org.rpg4j.benchmarks.deploy;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.zip.Deflater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.rpg4j.sparse.format.EncodedTensor;
import org.rpg4j.sparse.format.TensorEncoder;
import org.rpg4j.sparse.format.TensorEncoding;
import org.rpg4j.sparse.format.TensorLayout;
import org.rpg4j.sparse.format.ValuePrecision;

/**
 * What the float32 sparse file pays, by part, to set beside {@link EntropyBound}: every parameter tensor
 * encoded by {@link TensorEncoder} as the file does, then the positions of the sparsely stored tensors,
 * their values' byte plane 0 (sign and exponent), plane 1 and planes 2-3, and the densely stored tensors
 * each deflated on their own at the zip's default level (the file deflates them one after the other in
 * one entry; a 32 kB window sees almost nothing across the parts).
 *
 * @param positions deflated bytes of all positions
 * @param plane0 deflated bytes of plane 0 of the sparse tensors' values
 * @param plane1 deflated bytes of plane 1
 * @param planes23 deflated bytes of planes 2 and 3
 * @param dense deflated bytes of the dense tensors
 * @param storedValues values of the sparsely stored tensors
 */
record FileBreakdown(long positions, long plane0, long plane1, long planes23, long dense, long storedValues) {

    /**
     * @param net a network (not modified)
     * @return its breakdown
     */
    static FileBreakdown of(ComputationGraph net) {
        ByteArrayOutputStream positions = new ByteArrayOutputStream();
        ByteArrayOutputStream[] planes = {new ByteArrayOutputStream(), new ByteArrayOutputStream(),
                new ByteArrayOutputStream()};
        ByteArrayOutputStream dense = new ByteArrayOutputStream();
        long stored = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            float[] values = e.getValue().dup('c').data().asFloat();
            EncodedTensor t = TensorEncoder.encode(new TensorLayout(e.getKey(), e.getValue().shape(), 'c', 0),
                    values, ValuePrecision.FLOAT32);
            if (t.encoding() == TensorEncoding.DENSE) {
                dense.writeBytes(t.values());
                continue;
            }
            int n = t.storedCount();
            stored += n;
            positions.writeBytes(t.positions());
            planes[0].write(t.values(), 0, n);
            planes[1].write(t.values(), n, n);
            planes[2].write(t.values(), 2 * n, 2 * n);
        }
        return new FileBreakdown(deflated(positions.toByteArray()), deflated(planes[0].toByteArray()),
                deflated(planes[1].toByteArray()), deflated(planes[2].toByteArray()), deflated(dense.toByteArray()),
                stored);
    }

    private static long deflated(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[1 << 16];
        long size = 0;
        while (!deflater.finished()) {
            size += deflater.deflate(buffer);
        }
        deflater.end();
        return size;
    }
}
