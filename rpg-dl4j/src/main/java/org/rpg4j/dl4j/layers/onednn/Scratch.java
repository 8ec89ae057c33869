package org.rpg4j.dl4j.layers.onednn;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;

/**
 * The reordered copies of one thread's convolution calls: numbered slots, each grown to the largest size
 * asked of it, shared by every {@link OneDnnConvolution} the thread runs (calls do not overlap, and nothing
 * in a slot outlives the pass that wrote it). For ResNet-20 at batch 128 that is five buffers of at most one
 * activation (8 MiB) each, whatever the number of layers.
 */
final class Scratch {

    /** oneDNN's preferred alignment for its buffers. */
    private static final int ALIGNMENT = 64;
    private static final ThreadLocal<Scratch> CURRENT = ThreadLocal.withInitial(Scratch::new);

    private final List<BytePointer> buffers = new ArrayList<>();
    private final List<BytePointer> aligned = new ArrayList<>();

    private Scratch() {
    }

    /** @return the calling thread's scratch */
    static Scratch current() {
        return CURRENT.get();
    }

    /**
     * @param index slot number, &ge; 0
     * @param bytes size needed
     * @return a 64-byte-aligned buffer of at least {@code bytes}, valid until the slot is asked for more
     */
    BytePointer slot(int index, long bytes) {
        while (buffers.size() <= index) {
            buffers.add(null);
            aligned.add(null);
        }
        BytePointer buffer = buffers.get(index);
        if (buffer == null || buffer.capacity() < bytes + ALIGNMENT) {
            if (buffer != null) {
                buffer.close();
            }
            buffer = new BytePointer(bytes + ALIGNMENT);
            long shift = (ALIGNMENT - (buffer.address() & (ALIGNMENT - 1))) & (ALIGNMENT - 1);
            buffers.set(index, buffer);
            aligned.set(index, new BytePointer(buffer).position(shift));
        }
        return aligned.get(index);
    }
}
