package io.github.encodecstream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.encodecstream.graph.OnnxGraphBuilder;
import io.github.encodecstream.graph.OnnxGraphBuilder.ElementType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class SessionFactoryTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** y = 2 * x + 1 over a float vector of any length. */
    private static byte[] affineModel() {
        OnnxGraphBuilder g = new OnnxGraphBuilder("affine");
        String x = g.input("x", ElementType.FLOAT, "n");
        String two = g.constant("two", new float[] {2f}, 1);
        String one = g.constant("one", new float[] {1f}, 1);
        String doubled = g.node("Mul", List.of(x, two));
        g.node("Add", List.of(doubled, one), List.of("y"));
        g.output("y", ElementType.FLOAT, "n");
        return g.build();
    }

    private static float[] run(OrtSession session, float[] input) throws OrtException {
        try (OnnxTensor x = OnnxTensor.createTensor(ENV, input);
             OrtSession.Result result = session.run(Map.of("x", x))) {
            return (float[]) result.get(0).getValue();
        }
    }

    private static float[] expected(float[] input) {
        float[] y = new float[input.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 2 * input[i] + 1;
        }
        return y;
    }

    /** Collects what the SessionFactory logger publishes while open. */
    private static final class Captured extends Handler implements AutoCloseable {
        // JUL keeps loggers weakly: hold it for as long as the handler is attached
        private final Logger logger = Logger.getLogger(SessionFactory.LOGGER_NAME);
        private final boolean parents = logger.getUseParentHandlers();
        private final Level level = logger.getLevel();
        final List<LogRecord> records = new ArrayList<>();

        Captured() {
            setLevel(Level.ALL);
            logger.addHandler(this);
            logger.setLevel(Level.FINE); // the choice is a DEBUG line (System.Logger DEBUG is JUL FINE)
            logger.setUseParentHandlers(false); // keep the test output quiet
        }

        @Override
        public synchronized void publish(LogRecord record) {
            records.add(record);
        }

        synchronized List<LogRecord> atDebugOrAbove() {
            return records.stream().filter(r -> r.getLevel().intValue() >= Level.FINE.intValue()).toList();
        }

        /** The one DEBUG-or-above line, failing when there is not exactly one. */
        String onlyLine() {
            List<LogRecord> lines = atDebugOrAbove();
            assertEquals(1, lines.size(), () -> "log lines: " + lines.stream().map(LogRecord::getMessage).toList());
            assertEquals(Level.FINE, lines.get(0).getLevel()); // DEBUG: quiet in host applications
            return lines.get(0).getMessage();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setLevel(level);
            logger.setUseParentHandlers(parents);
        }
    }

    private static SessionFactory.GpuProbe gpus(int count) {
        SessionFactory.GpuProbe probe = mock(SessionFactory.GpuProbe.class);
        when(probe.unavailableReason()).thenReturn(null);
        when(probe.visibleGpus()).thenReturn(count);
        return probe; // check(...) answers null: the pick works
    }

    // ---- auto on this machine (the real probe) ----

    @Test
    void autoFallsBackToCpuWithOneLogLine() throws Exception {
        assumeFalse(SessionFactory.cudaProviderPresent(), "this build has the CUDA provider");
        try (Captured log = new Captured()) {
            SessionFactory factory = new SessionFactory(new InferenceSettings(Device.AUTO, 1));
            assertEquals(Device.CPU, factory.device());
            String line = log.onlyLine();
            assertTrue(line.startsWith("device auto: using the CPU ("), line);
            assertTrue(line.contains("no CUDA provider"), line);
            assertTrue(line.contains("onnxruntime_gpu") && line.contains("-Pgpu") && line.contains("CUDA 12"), line);
            // and it works
            try (OrtSession session = factory.create(affineModel())) {
                assertArrayEquals(new float[] {3f, 5f}, run(session, new float[] {1f, 2f}));
            }
            assertEquals(1, log.atDebugOrAbove().size(), "creating sessions logs nothing more");
        }
    }

    @Test
    void realProbeSaysWhyNotOnTheCpuBuild() {
        assumeFalse(SessionFactory.cudaProviderPresent(), "this build has the CUDA provider");
        String why = SessionFactory.GpuProbe.SYSTEM.unavailableReason();
        assertNotNull(why);
        assertTrue(why.contains("no CUDA provider"), why);
    }

    // ---- auto with a fake probe ----

    @Test
    void autoPicksARandomVisibleGpu() {
        SessionFactory.GpuProbe probe = gpus(4);
        Set<Integer> seen = new TreeSet<>();
        try (Captured log = new Captured()) {
            for (int i = 0; i < 400; i++) {
                Device d = new SessionFactory(new InferenceSettings(Device.AUTO, 0), probe).device();
                assertEquals(Device.Kind.CUDA, d.kind());
                assertTrue(d.index() >= 0 && d.index() < 4, "picked " + d);
                seen.add(d.index());
            }
            assertEquals(400, log.atDebugOrAbove().size(), "one line per resolution");
            String line = log.atDebugOrAbove().get(0).getMessage();
            assertTrue(line.matches("device auto: using cuda:[0-3], a random choice of 4 visible GPU\\(s\\).*"), line);
        }
        assertEquals(Set.of(0, 1, 2, 3), seen, "all four GPUs are picked now and then");
        verify(probe, times(400)).check(any());
    }

    @Test
    void autoUsesThePick() {
        try (Captured log = new Captured()) {
            Device d = new SessionFactory(new InferenceSettings(Device.AUTO, 0), gpus(4), n -> 3).device();
            assertEquals(Device.cuda(3), d);
            assertTrue(log.onlyLine().contains("cuda:3"));
        }
        assertThrows(IllegalStateException.class,
                () -> new SessionFactory(new InferenceSettings(Device.AUTO, 0), gpus(4), n -> 4));
    }

    @Test
    void autoFallsBackWhenTheProviderDoesNotLoad() {
        SessionFactory.GpuProbe probe = mock(SessionFactory.GpuProbe.class);
        when(probe.unavailableReason()).thenReturn("libcublasLt.so.12: cannot open shared object file");
        try (Captured log = new Captured()) {
            assertEquals(Device.CPU, new SessionFactory(InferenceSettings.defaults(), probe).device());
            assertTrue(log.onlyLine().contains("libcublasLt.so.12"));
        }
        verify(probe, never()).visibleGpus();
    }

    @Test
    void autoFallsBackWhenNoGpuIsVisible() {
        try (Captured log = new Captured()) {
            assertEquals(Device.CPU, new SessionFactory(InferenceSettings.defaults(), gpus(0)).device());
            assertTrue(log.onlyLine().contains("no GPU is visible"));
        }
    }

    @Test
    void autoFallsBackWhenTheTestRunFails() {
        SessionFactory.GpuProbe probe = gpus(2);
        when(probe.check(any())).thenReturn("CUDA failure 100: no CUDA-capable device is detected");
        try (Captured log = new Captured()) {
            assertEquals(Device.CPU, new SessionFactory(InferenceSettings.defaults(), probe, n -> 1).device());
            String line = log.onlyLine();
            assertTrue(line.contains("test run on cuda:1 failed") && line.contains("CUDA failure 100"), line);
        }
        verify(probe).check(Device.cuda(1));
    }

    @Test
    void explicitDevicesAreTakenAsTheyAreWithoutProbingOrLogging() {
        SessionFactory.GpuProbe probe = mock(SessionFactory.GpuProbe.class);
        try (Captured log = new Captured()) {
            assertEquals(Device.CPU, new SessionFactory(new InferenceSettings(Device.CPU, 0), probe).device());
            assertEquals(Device.cuda(1), new SessionFactory(new InferenceSettings(Device.cuda(1), 0), probe).device());
            assertEquals(List.of(), log.atDebugOrAbove());
        }
        verifyNoInteractions(probe);
    }

    // ---- explicit CUDA without the provider ----

    @Test
    void explicitCudaFailsClearlyOnTheCpuBuild() {
        assumeFalse(SessionFactory.cudaProviderPresent(), "this build has the CUDA provider");
        for (Device d : new Device[] {Device.parse("cuda:1"), Device.parse("cuda"), Device.parse("1")}) {
            SessionFactory factory = new SessionFactory(new InferenceSettings(d, 0));
            assertEquals(d, factory.device(), "never silently the CPU");
            IOException e = assertThrows(IOException.class, () -> factory.create(affineModel()));
            String m = e.getMessage();
            assertTrue(m.contains(d.toString()), m);
            assertTrue(m.contains("no CUDA provider"), m);
            assertTrue(m.contains("onnxruntime_gpu") && m.contains("-Pgpu") && m.contains("CUDA 12"), m);
        }
    }

    // ---- counting visible GPUs ----

    @Test
    void cudaVisibleDevicesDecides() {
        java.util.function.IntSupplier smi = () -> {
            throw new AssertionError("nvidia-smi is not asked when CUDA_VISIBLE_DEVICES is set");
        };
        assertEquals(0, SessionFactory.countVisibleGpus("", smi));
        assertEquals(0, SessionFactory.countVisibleGpus("  ", smi));
        assertEquals(0, SessionFactory.countVisibleGpus("-1", smi));
        assertEquals(1, SessionFactory.countVisibleGpus("0", smi));
        assertEquals(1, SessionFactory.countVisibleGpus("3", smi));
        assertEquals(3, SessionFactory.countVisibleGpus("0,1,2", smi));
        assertEquals(2, SessionFactory.countVisibleGpus(" 2 , 3 ", smi));
        assertEquals(1, SessionFactory.countVisibleGpus("0,-1,1", smi), "CUDA stops at the first invalid entry");
        assertEquals(2, SessionFactory.countVisibleGpus("GPU-8a1b2c3d,MIG-0f1e2d3c", smi));
    }

    @Test
    void nvidiaSmiElseOne() {
        assertEquals(8, SessionFactory.countVisibleGpus(null, () -> 8));
        assertEquals(1, SessionFactory.countVisibleGpus(null, () -> 0), "unknown: assume one");
    }

    @Test
    void nvidiaSmiListing() {
        String out = """
                GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-11111111-2222-3333-4444-555555555555)
                GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-66666666-7777-8888-9999-000000000000)
                  MIG 1g.10gb     Device  0: (UUID: MIG-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee)
                """;
        assertEquals(2, SessionFactory.countNvidiaSmiGpus(out));
        assertEquals(0, SessionFactory.countNvidiaSmiGpus("No devices were found\n"));
        assertEquals(0, SessionFactory.countNvidiaSmiGpus(""));
    }

    @Test
    void nvidiaSmiProbeNeverFails() {
        long t0 = System.nanoTime();
        int n = SessionFactory.nvidiaSmiGpus(); // 0 where the command is missing
        assertTrue(n >= 0);
        assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(SessionFactory.NVIDIA_SMI_TIMEOUT_MS + 2000));
    }

    // ---- threads and sharing ----

    @Test
    void sessionsRunWithOneOrTwoThreads() throws Exception {
        float[] input = {0f, -1f, 0.5f, 100f};
        for (int threads : new int[] {0, 1, 2}) {
            SessionFactory factory = new SessionFactory(new InferenceSettings(Device.CPU, threads));
            assertEquals(threads, factory.settings().threads());
            try (OrtSession session = factory.create(affineModel())) {
                assertArrayEquals(expected(input), run(session, input), "threads=" + threads);
            }
        }
    }

    @Test
    void badModelGivesIOException() {
        SessionFactory factory = new SessionFactory(new InferenceSettings(Device.CPU, 1));
        IOException e = assertThrows(IOException.class, () -> factory.create(new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("on cpu"), e.getMessage());
    }

    @Test
    void oneSessionSharedByFourThreads() throws Exception {
        int threads = 4;
        int runs = 300;
        SessionFactory factory = new SessionFactory(new InferenceSettings(Device.CPU, 2));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (OrtSession session = factory.create(affineModel())) {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Callable<Integer> worker = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int r = 0; r < runs; r++) {
                        float[] input = new float[1 + (id * 31 + r) % 257]; // shapes differ between threads
                        for (int i = 0; i < input.length; i++) {
                            input[i] = id * 1000 + r + i * 0.25f;
                        }
                        assertArrayEquals(expected(input), run(session, input), "thread " + id + " run " + r);
                    }
                    return runs;
                };
                results.add(pool.submit(worker));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(threads * runs, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
