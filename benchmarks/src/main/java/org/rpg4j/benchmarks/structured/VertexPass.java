package org.rpg4j.benchmarks.structured;

import java.util.function.LongSupplier;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One inference pass over a graph's vertices one by one in topological order (no workspaces: the same work as
 * {@code output()} minus its workspace handling), each vertex's forward timed on a given clock; the vertices' inputs
 * are cleared afterwards. Shared by {@link VertexProfile} and {@link DenseStepTimes}.
 */
final class VertexPass {

    /** Receives one vertex's time. */
    interface Timing {
        /**
         * @param index the vertex's index in {@link ComputationGraph#getVertices()}
         * @param vertex the vertex
         * @param nanos its forward's time on the pass's clock, in nanoseconds
         */
        void vertex(int index, GraphVertex vertex, long nanos);
    }

    private VertexPass() {
    }

    /**
     * @param net the graph
     * @param input its single input
     * @param clock nanoseconds: {@code System::nanoTime}, or the thread's CPU time
     * @param timing receives every non-input vertex's time, in topological order
     */
    static void run(ComputationGraph net, INDArray input, LongSupplier clock, Timing timing) {
        GraphVertex[] vertices = net.getVertices();
        INDArray[] out = new INDArray[vertices.length];
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int i : net.topologicalSortOrder()) {
            GraphVertex v = vertices[i];
            if (v.isInputVertex()) {
                out[i] = input;
                continue;
            }
            VertexIndices[] inputs = v.getInputVertices();
            for (int k = 0; k < inputs.length; k++) {
                v.setInput(inputs[k].getVertexEdgeNumber(), out[inputs[k].getVertexIndex()], mgr);
            }
            long start = clock.getAsLong();
            out[i] = v.doForward(false, mgr);
            // the op is synchronous on the CPU backend; reading one value makes sure it has finished
            out[i].getDouble(0);
            timing.vertex(i, v, clock.getAsLong() - start);
        }
        for (GraphVertex v : vertices) {
            v.clear();
        }
    }
}
