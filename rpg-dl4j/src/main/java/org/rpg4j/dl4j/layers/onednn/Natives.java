package org.rpg4j.dl4j.layers.onednn;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import org.bytedeco.dnnl.dnnl_engine;

/**
 * The one oneDNN CPU engine of the JVM. Only this package's classes that run after {@link OneDnn#available()}
 * touch the preset's classes, so that a class path without them fails here, inside the probe.
 */
final class Natives {

    private Natives() {
    }

    /** @return the CPU engine, created on first use */
    static dnnl_engine engine() {
        return Engine.ENGINE;
    }

    private static final class Engine {
        static final dnnl_engine ENGINE = create();

        private static dnnl_engine create() {
            dnnl_engine engine = new dnnl_engine();
            int status = dnnl_engine_create(engine, dnnl_cpu, 0);
            if (status != dnnl_success) {
                throw new IllegalStateException("oneDNN CPU engine not created: status " + status);
            }
            return engine;
        }
    }
}
