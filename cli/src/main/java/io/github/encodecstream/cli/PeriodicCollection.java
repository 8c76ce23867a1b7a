package io.github.encodecstream.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Keeps the command line's Java heap small over long runs: asks G1 (the default collector) for a
 * periodic collection ({@code -XX:G1PeriodicGCInterval}, a flag the JVM lets a running program
 * set) when no other collection ran in the last {@value #INTERVAL_MS} ms, which also gives unused
 * heap back to the system. Without it G1 lets the young generation grow towards 60% of the
 * initial heap (1/64 of the machine's memory) while its pauses stay short, so a long decode's
 * short-lived buffers end up touching hundreds of MB. A flag the user set, another collector, or a
 * JVM without the HotSpot diagnostic bean: nothing is changed. Only the command line's own process
 * does this; a host application's JVM is its own. It is set one interval after the start, so that
 * short commands ({@code --version}, {@code info}, a short decode) end before paying for the
 * platform MBean server (~0.1 s of CPU, 300 classes).
 */
final class PeriodicCollection {
    /** The interval, in milliseconds. */
    static final long INTERVAL_MS = 1000;
    private static final String FLAG = "G1PeriodicGCInterval";
    private static final System.Logger LOG = System.getLogger(PeriodicCollection.class.getName());

    private PeriodicCollection() {}

    /**
     * Sets the interval in the background after waiting one interval (a daemon thread: it never
     * keeps the JVM alive); no collection is due before then anyway.
     */
    static void enableInBackground() {
        Thread thread = new Thread(PeriodicCollection::enableLater, "encodec-gc-setup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    private static void enableLater() {
        try {
            Thread.sleep(INTERVAL_MS);
        } catch (InterruptedException e) {
            return;
        }
        enable();
    }

    /** Sets the interval now; returns whether it did. */
    static boolean enable() {
        try {
            if (ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                    .noneMatch(name -> name.startsWith("G1"))) {
                return false;
            }
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName bean = new ObjectName("com.sun.management:type=HotSpotDiagnostic");
            CompositeData option = (CompositeData) server.invoke(bean, "getVMOption", new Object[] {FLAG},
                    new String[] {String.class.getName()});
            if (!"DEFAULT".equals(String.valueOf(option.get("origin")))) {
                return false;
            }
            server.invoke(bean, "setVMOption", new Object[] {FLAG, Long.toString(INTERVAL_MS)},
                    new String[] {String.class.getName(), String.class.getName()});
            return true;
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "periodic collection not set: " + e);
            return false;
        }
    }
}
