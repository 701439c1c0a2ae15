package org.nnjava.backend.ejml;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether {@link Math#fma} is one machine instruction here. The pure-Java matrix products are written
 * with it because HotSpot 17 vectorises their multi-row loops only in that form; on a CPU without FMA
 * it becomes an exact software emulation (through {@code BigDecimal}), hundreds of times slower, and
 * the products must stay on EJML's kernels instead.
 */
final class FmaSupport {

    private FmaSupport() {
    }

    /** True unless the JVM reports that it does not use the FMA instruction. */
    static boolean isIntrinsic() {
        return Holder.INTRINSIC;
    }

    /** Asks the JVM once, on first use, not when the backend class loads. */
    private static final class Holder {

        static final boolean INTRINSIC = askJvm();

        private static boolean askJvm() {
            try {
                HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                // Not HotSpot: other JVMs compile Math.fma to the instruction where the CPU has one.
                return bean == null || !"false".equals(bean.getVMOption("UseFMA").getValue());
            } catch (RuntimeException | LinkageError e) { // no such option, or no management module
                return true;
            }
        }
    }
}
